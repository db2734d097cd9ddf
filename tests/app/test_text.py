"""The text-classification page: Step trains the chapter's classifier beside the baseline, a
sentence is classified, the attention model shades tokens, and every bad upload has its message
while the previous data stays."""

from __future__ import annotations

import pytest

from tests.app.conftest import charts_of
from tests.app.test_pages import no_errors
from tests.unit.test_text import GOOD, _csv

PAGE = "pages/text.py"
RUNNER = "ffnviz.race::tx"


def test_step_trains_and_every_picture_is_drawn(app):
    at = app(PAGE)
    no_errors(at)
    at.button(key="tx.step").click().run()
    no_errors(at)
    snap = at.session_state[RUNNER].snapshot
    assert snap.updates == snap.updates_per_epoch > 0
    charts = charts_of(at)
    for key in ("tx.loss", "tx.accuracy", "tx.confusion", "tx.words", "tx.baseline_words"):
        assert key in charts, key
    metrics = {m.label: m.value for m in at.metric}
    assert "Logistic regression: test accuracy" in metrics and "Network: test accuracy" in metrics
    assert any("negation subset" in label for label in metrics)
    assert any(df.value.shape[0] == 6 for df in at.dataframe)  # precision/recall/F1: 3 classes × 2 models


def test_a_sentence_is_classified_and_the_attention_model_shades_its_tokens(app):
    at = app(PAGE)
    at.selectbox(key="tx.kind").set_value("attention").run()
    at.button(key="tx.step").click().run()
    at.text_input(key="tx.sentence").set_value("The waiter was rude and the soup was cold").run()
    no_errors(at)
    charts = charts_of(at)
    assert "tx.sentence_probs" in charts and "tx.tokens" in charts
    sentence = at.session_state[RUNNER].snapshot.extras[0]["sentence"]
    assert sentence["tokens"][:2] == ["the", "waiter"] and len(sentence["weights"]) == len(sentence["tokens"])


def test_topics_in_chinese_and_the_chapter_section(app):
    at = app(PAGE)
    at.selectbox(key="tx.source").set_value("corpus_zh").run()
    at.selectbox(key="tx.label").set_value("topic").run()
    at.button(key="tx.step").click().run()
    no_errors(at)
    dataset = at.session_state[RUNNER].race.dataset
    assert dataset.spec.language == "zh" and dataset.n_classes == 5
    assert any("CoNLL-2003" in m.value for m in at.markdown)  # where the chapter differs


def upload(at, content: bytes):
    at.file_uploader(key="tx.file").set_value(("texts.csv", content, "text/csv")).run()
    return at


def test_a_good_upload_trains_and_the_example_file_loads(app):
    at = app(PAGE)
    at.selectbox(key="tx.source").set_value("upload").run()
    assert any("Choose a CSV file" in i.value for i in at.info)
    upload(at, GOOD)
    no_errors(at)
    assert at.session_state[RUNNER].race.dataset.classes == ("neg", "pos")
    at.button(key="tx.step").click().run()
    no_errors(at)
    at.button(key="tx.example_file").click().run()
    no_errors(at)
    assert at.session_state[RUNNER].race.dataset.classes == ("food", "tech", "travel")


@pytest.mark.parametrize(("content", "words"), [
    ("text,label\ncaf\u00e9,a\n".encode("latin-1") * 30, "not UTF-8"),
    (b"id,score,when\n1,2,3\n3,4,5\n", "a column of texts"),
    (_csv([("same", "x")] * 30), "at least 2 classes"),
    (_csv([(f"t{i}", f"c{i % 12}") for i in range(48)]), "at most 10"),
    (b"text,label\n" + b",a\n" * 30, "is empty"),
    (GOOD + b"x" * 1_000_001, "KB"),
])
def test_each_bad_upload_gets_its_message_and_the_previous_data_stays(app, content, words):
    at = app(PAGE)
    at.selectbox(key="tx.source").set_value("upload").run()
    upload(at, GOOD)
    upload(at, content)
    assert not at.exception
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state[RUNNER].race.dataset.classes == ("neg", "pos")  # the good file is still the data
