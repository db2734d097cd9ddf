"""Uploaded CSV files: each kind of bad file gets its own message key; good files are scaled
into the plane, dropped rows are counted, labels mapped; an upload becomes a run's data."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ffnviz import limits
from ffnviz.data import Upload, UploadError, dataset_from_upload, parse_csv, spec_for_upload
from ffnviz.i18n import TABLE, translate
from ffnviz.specs import DataSpec, ModelSpec, RunSpec
from ffnviz.train.runner import Runner
from ffnviz.train.trainer import Trainer

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def _csv(rows, header="x,y,label") -> bytes:
    lines = ([header] if header else []) + [",".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _grid(n=40, label=lambda i, x, y: int(x > y)):
    rng = np.random.default_rng(0)
    return [[f"{x:.3f}", f"{y:.3f}", label(i, x, y)] for i, (x, y) in enumerate(rng.uniform(-1, 1, (n, 2)))]


def _error(raw: bytes, problem="classification") -> UploadError:
    with pytest.raises(UploadError) as info:
        parse_csv(raw, problem)
    return info.value


# -- good files ---------------------------------------------------------------------------------

def test_a_good_file_is_scaled_into_the_plane():
    u = parse_csv(_csv(_grid()), "classification")
    assert isinstance(u, Upload)
    assert u.points.shape == (40, 2) and u.points.dtype == np.float32
    assert np.allclose(u.points.min(axis=0), -5) and np.allclose(u.points.max(axis=0), 5)
    assert u.targets.dtype == np.int64 and set(u.targets) == {0, 1}
    assert (u.n_classes, u.class_values, u.columns) == (2, ("0", "1"), ("x", "y", "label"))
    assert (u.rows_read, u.dropped_rows, u.n_points) == (40, 0, 40)
    assert re.fullmatch(r"[0-9a-f]{12}", u.digest)


def test_the_scaling_is_stated_exactly():
    raw = _csv([[0, 10, 0], [4, 30, 1], [2, 20, 0]] * 5)
    u = parse_csv(raw, "classification")
    s = u.scaling
    assert s.offset == (2.0, 20.0) and s.scale == (2.5, 0.5)
    assert np.allclose(u.points[:3], [[-5, -5], [5, 5], [0, 0]])


def test_a_header_is_optional():
    rows = _grid()
    with_header, without = parse_csv(_csv(rows), "classification"), parse_csv(_csv(rows, header=None),
                                                                              "classification")
    assert np.array_equal(with_header.points, without.points)
    assert without.columns == ("x1", "x2", "label") and without.rows_read == 40


def test_semicolons_tabs_a_bom_and_windows_line_ends_are_read():
    rows = _grid()
    plain = parse_csv(_csv(rows), "classification")
    for text in (_csv(rows).decode().replace(",", ";"), _csv(rows).decode().replace(",", "\t"),
                 "\ufeff" + _csv(rows).decode(), _csv(rows).decode().replace("\n", "\r\n")):
        assert np.array_equal(parse_csv(text.encode(), "classification").points, plain.points)


def test_word_labels_map_to_classes_in_sorted_order():
    rows = [[i, i % 7, ["pear", "apple", "fig"][i % 3]] for i in range(30)]
    u = parse_csv(_csv(rows), "classification")
    assert u.class_values == ("apple", "fig", "pear")
    assert [u.class_values[t] for t in u.targets[:3]] == ["pear", "apple", "fig"]


def test_number_labels_sort_by_value_and_merge_equal_values():
    rows = [[i, i % 5, ["10", "2", "-1", "2.0"][i % 4]] for i in range(40)]
    u = parse_csv(_csv(rows), "classification")
    assert u.class_values == ("-1", "2", "10") and u.n_classes == 3
    assert u.targets[:4].tolist() == [2, 1, 0, 1]


def test_nan_and_missing_rows_are_dropped_and_counted():
    rows = _grid(50)
    rows[3][0], rows[10][1], rows[20][2], rows[30][0] = "", "nan", "", "inf"
    u = parse_csv(_csv(rows), "classification")
    assert (u.rows_read, u.dropped_rows, u.n_points) == (50, 4, 46)
    assert np.isfinite(u.points).all()


def test_regression_targets_are_scaled_into_minus_one_one():
    rows = [[i, (i * 7) % 11, 100 + 3 * i] for i in range(20)]
    u = parse_csv(_csv(rows, header="a,b,t"), "regression")
    assert u.targets.dtype == np.float32 and u.n_classes == 0 and u.class_values == ()
    assert u.targets.min() == -1.0 and u.targets.max() == 1.0
    s = u.scaling
    assert s.target_offset == pytest.approx(128.5) and s.target_scale == pytest.approx(1 / 28.5)


def test_the_digest_names_the_bytes():
    a, b = _csv(_grid()), _csv(_grid(41))
    assert parse_csv(a, "classification").digest == parse_csv(a, "regression").digest
    assert parse_csv(a, "classification").digest != parse_csv(b, "classification").digest


@pytest.mark.parametrize(("name", "problem", "rows", "classes", "dropped"), [
    ("three_clusters.csv", "classification", 300, 3, 0),
    ("binary_ring.csv", "classification", 297, 2, 3),
    ("regression_saddle.csv", "regression", 400, 0, 0),
])
def test_the_sample_files_parse(name, problem, rows, classes, dropped):
    u = parse_csv((SAMPLES / name).read_bytes(), problem)
    assert (u.n_points, u.n_classes, u.dropped_rows) == (rows, classes, dropped)
    assert np.abs(u.points).max() <= 5 + 1e-5


# -- bad files: one key each --------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "problem", "key", "args"), [
    (b"", "classification", "upload_empty", {}),
    (b"  \n\n ", "classification", "upload_empty", {}),
    (b"x" * (limits.UPLOAD_BYTES + 1), "classification", "upload_too_big", {"max_kb": 1000}),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "classification", "upload_not_text", {}),
    (b"1,2,\xff\xfe\n", "classification", "upload_not_text", {}),
    (b"1,2\n3,4\n", "classification", "upload_columns", {"row": 1, "found": 2}),
    (b"a,b,c,d\n1,2,3,4\n", "classification", "upload_columns", {"row": 1, "found": 4}),
    (_csv([[1, 2, 0]] * 5 + [[1, 2, 0, 9]] + [[1, 2, 1]] * 10), "classification", "upload_columns",
     {"row": 7, "found": 4}),
    (_csv([[1, 2, 0]] * 5 + [[1, "two", 1]] + [[3, 2, 1]] * 10), "classification", "upload_not_number",
     {"row": 7, "column": 2, "name": "y", "value": "two"}),
    (_csv([[1, 2, 0]] * 5 + [[1, 2, "high"]] + [[3, 2, 1]] * 10), "regression", "upload_not_number",
     {"row": 7, "column": 3, "name": "label"}),
    (_csv([[1, 2, 0]] * 5), "classification", "upload_too_few_rows", {"rows": 5, "min": 10}),
    (b"x,y,label\n", "classification", "upload_too_few_rows", {"rows": 0}),
    (_csv([[i, i, 1] for i in range(20)]), "classification", "upload_one_class", {"label": "1"}),
    (_csv([[i, i, i % 6] for i in range(30)]), "classification", "upload_too_many_classes", {"found": 6, "max": 5}),
    (_csv([[i, i, 0.5 + i] for i in range(30)]), "classification", "upload_too_many_classes", {"found": 30}),
    (_csv([[i, i, 3.5] for i in range(20)]), "regression", "upload_constant_target", {"value": "3.5"}),
    (_csv([[2, -1.5, i % 2] for i in range(20)]), "classification", "upload_one_place", {"x1": "2", "x2": "-1.5"}),
    (_csv([[2, -1.5, i * 0.1] for i in range(20)]), "regression", "upload_one_place", {"x1": "2"}),
    (_csv([[i, i, i % 2] for i in range(int(limits.N_POINTS.hi) + 1)]), "classification", "upload_too_many_rows",
     {"rows": 2001, "max": 2000}),
    (_csv([[i, "" if i % 4 == 0 else i, i % 2] for i in range(40)]), "classification", "upload_too_many_dropped",
     {"dropped": 10, "rows": 40, "max_percent": 10}),
])
def test_each_bad_file_gets_its_key(raw, problem, key, args):
    e = _error(raw, problem)
    assert e.key == key
    assert args.items() <= e.params.items()
    assert key in TABLE
    for lang in ("en", "zh"):
        text = e.message(lang)
        assert "{" not in text  # every placeholder got its argument
    assert str(e) == e.message("en")


def test_the_row_and_byte_caps_are_in_the_messages():
    assert "2000" in _error(_csv([[i, i, i % 2] for i in range(2001)])).message()
    assert "1000 KB" in _error(b"1" * (limits.UPLOAD_BYTES + 1)).message()


def test_an_unknown_problem_is_a_programming_error():
    with pytest.raises(ValueError, match="classification, regression"):
        parse_csv(_csv(_grid()), "ranking")


def test_upload_messages_in_chinese_have_no_english_words():
    """The rule of tests/app/test_chinese.py (its allowed names: formats such as CSV, UTF-8, NaN;
    code in backticks), applied to this block of the table."""
    from tests.app.test_chinese import english_words

    names = list(TABLE)
    keys = names[names.index("w_problem"):names.index("upload_link_needs_file") + 1]  # the uploads block
    assert len(keys) > 20
    for key in keys:
        assert not english_words(re.sub(r"\{[a-z0-9_]+\}", "", TABLE[key][1])), key
        assert translate(key, "zh") != translate(key, "en") or not TABLE[key][1], key


# -- into a run ---------------------------------------------------------------------------------

def _upload(problem="classification") -> Upload:
    name = "three_clusters.csv" if problem == "classification" else "regression_saddle.csv"
    return parse_csv((SAMPLES / name).read_bytes(), problem)


def test_spec_for_upload_describes_the_file():
    u = _upload()
    d = spec_for_upload(u, DataSpec(dataset="spiral", noise=0.3, seed=4, train_fraction=0.7))
    assert (d.dataset, d.problem, d.upload, d.n_points, d.n_classes, d.noise) == (
        "upload", "classification", u.digest, 300, 3, 0.0)
    assert (d.seed, d.train_fraction) == (4, 0.7)
    assert not d.problems()


@pytest.mark.parametrize("problem", ["classification", "regression"])
def test_dataset_from_upload_splits_by_the_spec(problem):
    u = _upload(problem)
    d = spec_for_upload(u, DataSpec(train_fraction=0.7, seed=3))
    ds = dataset_from_upload(u, d)
    assert len(ds.x_train) == round(0.7 * u.n_points) and len(ds.x_train) + len(ds.x_test) == u.n_points
    assert ds.problem == problem and ds.n_classes == u.n_classes
    again = dataset_from_upload(u, d)
    other = dataset_from_upload(u, replace(d, seed=4))
    assert np.array_equal(ds.x_train, again.x_train) and not np.array_equal(ds.x_train, other.x_train)
    both = np.concatenate([ds.x_train, ds.x_test])
    assert sorted(map(tuple, both.tolist())) == sorted(map(tuple, u.points.tolist()))


def test_dataset_from_upload_refuses_a_spec_of_other_data():
    u = _upload()
    d = spec_for_upload(u, DataSpec())
    for wrong in (replace(d, upload="0123456789ab"), replace(d, n_points=299), DataSpec()):
        with pytest.raises(ValueError):
            dataset_from_upload(u, wrong)


def test_another_file_rebuilds_the_run_and_the_same_file_keeps_it():
    u = _upload()
    spec = RunSpec(data=spec_for_upload(u, DataSpec()), model=ModelSpec(hidden=(6,)))
    runner = Runner(spec, grid_resolution=10, dataset=dataset_from_upload(u, spec.data))
    runner.step(5)
    assert runner.snapshot.grid.shape == (10, 10, 3)
    # A rebuild that keeps the data (another architecture) needs no dataset.
    wider = replace(spec, model=ModelSpec(hidden=(8,)))
    assert runner.update_spec(wider) is True
    assert runner.snapshot.updates == 0
    runner.reset(seed=9)  # a new training seed keeps the uploaded data too
    assert runner.snapshot.spec.train.seed == 9
    # Another file: other data, a rebuild with its dataset.
    rows = _csv([[i, (i * 3) % 7, i % 2] for i in range(30)])
    v = parse_csv(rows, "classification")
    other = replace(wider, data=spec_for_upload(v, wider.data))
    assert runner.update_spec(other, dataset=dataset_from_upload(v, other.data)) is True
    assert runner.snapshot.spec.data.upload == v.digest


def test_an_uploaded_regression_trains():
    u = _upload("regression")
    spec = RunSpec(data=spec_for_upload(u, DataSpec()), model=ModelSpec(hidden=(8, 8)))
    t = Trainer(spec, dataset=dataset_from_upload(u, spec.data))
    before = t.evaluate().train_loss
    t.step(40 * t.updates_per_epoch)
    assert t.evaluate().train_loss < 0.5 * before
