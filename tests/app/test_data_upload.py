"""The data controls: problem type, regression, and uploaded CSV files (good, bad, examples)."""

from __future__ import annotations

import pytest

from tests.app.conftest import charts_of, runners_of
from tests.app.test_pages import metric, no_errors

GOOD = b"x,y,label\n" + b"".join(f"{i % 7},{i % 5},{'a' if i % 2 else 'b'}\n".encode() for i in range(40))
BAD_FILES = {
    "empty": (b"", "empty"),
    "not text": (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\x00", "not CSV text"),
    "two columns": (b"1,2\n3,4\n5,6\n", "exactly 3"),
    "a word": (b"1,2,0\n3,oops,1\n" * 10, "is not a number"),
    "mostly NaN": (b"1,2,0\nnan,2,1\n" * 10, "missing, NaN or infinite"),
    "one class": (b"".join(f"{i},{i + 1},1\n".encode() for i in range(30)), "at least 2 classes"),
    "too many classes": (b"".join(f"{i},{i * 2},{i}\n".encode() for i in range(30)), "different values"),
    "too many rows": (b"".join(f"{i},{i},{i % 2}\n".encode() for i in range(2500)), "the most is 2000"),
    "too big": (b"1,2,0\n" + b"0" * 1_100_000, "KB"),
}


def choose_upload(at):
    at.selectbox(key="pg.dataset").set_value("upload").run()
    return at


def upload(at, content: bytes, name: str = "data.csv"):
    at.file_uploader(key="pg.upload_file").set_value((name, content, "text/csv")).run()
    return at


def test_regression_lists_its_data_sets_and_draws_values(app):
    at = app("pages/playground.py")
    at.segmented_control(key="pg.problem").set_value("regression").run()
    no_errors(at)
    assert at.selectbox(key="pg.dataset").options == ["Plane", "Six Gaussian bumps", "Your file"]
    at.button(key="pg.step").click().run()
    no_errors(at)
    snap = runners_of(at)[0].snapshot
    assert snap.spec.data.problem == "regression" and snap.spec.data.dataset == "plane"
    charts = charts_of(at)
    assert "pg.accuracy" not in charts and charts["pg.decision"]["data"][0]["zmin"] == -1.0
    assert metric(at, "Test accuracy") == "—"
    assert at.query_params["data.problem"] in ("regression", ["regression"])


def test_a_good_file_trains(app):
    at = upload(choose_upload(app("pages/playground.py")), GOOD)
    no_errors(at)
    spec = runners_of(at)[0].snapshot.spec
    assert spec.data.dataset == "upload" and spec.data.n_points == 40
    assert any("40 points, 2 classes: a, b" in c.value for c in at.caption)
    at.button(key="pg.step").click().run()
    no_errors(at)
    assert metric(at, "Epoch") == "1"
    assert any("cannot carry" in w.value for w in at.warning)  # the share box says the link lacks the file


def test_an_example_file_loads_like_an_upload(app):
    at = choose_upload(app("pages/playground.py"))
    at.selectbox(key="pg.example.classification").set_value("three_clusters.csv").run()
    no_errors(at)
    spec = runners_of(at)[0].snapshot.spec
    assert spec.data.n_classes == 3 and spec.data.n_points == 300


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_each_bad_file_gets_its_message_and_the_previous_data_stays(app, case):
    content, words = BAD_FILES[case]
    at = app("pages/playground.py")
    at.selectbox(key="pg.dataset").set_value("spiral").run()
    before = runners_of(at)[0].snapshot.spec.data
    at = upload(choose_upload(at), content)
    assert not at.exception
    messages = [e.value for e in at.error]
    assert any(words in m for m in messages), messages
    assert runners_of(at)[0].snapshot.spec.data == before


@pytest.mark.parametrize("lang, words", [("en", "is not a CSV or text file"), ("zh", "不是 CSV 或文本文件")])
def test_a_file_of_another_kind_is_refused_in_the_readers_language(app, lang, words):
    at = upload(choose_upload(app("pages/playground.py", lang=lang)), GOOD)
    good = runners_of(at)[0].snapshot.spec.data
    upload(at, GOOD, "table.xlsx")  # even with good bytes: the uploader takes any file, we check its kind
    assert not at.exception
    assert any(words in e.value and "table.xlsx" in e.value for e in at.error), [e.value for e in at.error]
    assert runners_of(at)[0].snapshot.spec.data == good


def test_a_bad_file_after_a_good_one_keeps_the_good_one(app):
    at = upload(choose_upload(app("pages/playground.py")), GOOD)
    good = runners_of(at)[0].snapshot.spec.data
    upload(at, b"1,2\n", "bad.csv")
    assert at.error and runners_of(at)[0].snapshot.spec.data == good


def test_the_batch_size_survives_a_new_training_set_size(app):
    """Found in a browser QA pass: the batch slider's range follows the training set, and a new
    number of points or an uploaded file set the batch size silently to 1."""
    at = app("pages/playground.py")
    assert at.slider(key="pg.batch").value == 10
    at.slider(key="pg.points").set_value(300).run()
    at.slider(key="pg.train").set_value(80).run()
    assert at.slider(key="pg.batch").value == 10
    at.slider(key="pg.batch").set_value(30).run()
    upload(choose_upload(at), GOOD)  # 40 points, 32 for training
    no_errors(at)
    assert at.slider(key="pg.batch").value == 30 and at.slider(key="pg.batch").max == 32
    at.slider(key="pg.train").set_value(50).run()  # 20 for training: the batch is cut to fit
    assert at.slider(key="pg.batch").value == 20
    at.button(key="pg.step").click().run()
    assert runners_of(at)[0].snapshot.spec.train.batch_size == 20
