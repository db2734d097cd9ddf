"""A user's CSV file as a data set: checked, with a message for everything that can be wrong.

The file has exactly three columns: two numeric features (x₁, x₂) and a label (classification)
or a numeric target (regression); a header row is optional. `parse_csv` returns an `Upload` or
raises `UploadError(key, args)`, where `key` is a translation key of `ffnviz.i18n` and `args`
format it, so the page can say what is wrong in the reader's language.

What is done to the data, so that the page can state it (see `Scaling`):
- each feature column is moved and scaled on its own into [-5, 5] (min -> -5, max -> 5), the
  size of Playground's shapes inside the charted plane [-6, 6]²; a constant column goes to 0;
- classification labels (numbers or words) become class indices 0..k-1 in sorted order
  (numbers by value, words alphabetically); `class_values` keeps the original labels;
- regression targets are scaled into [-1, 1] the same way (min -> -1, max -> 1), so the loss,
  the default learning rates and the map's colour scale mean the same as on Playground's sets;
- rows with a missing, NaN or infinite value are dropped and counted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass, replace

import numpy as np

from ffnviz import limits
from ffnviz.data.toy2d import Dataset, split
from ffnviz.i18n import translate
from ffnviz.specs import PROBLEMS, UPLOAD, DataSpec

FEATURE_BOUND = 5.0  # features are scaled into [-FEATURE_BOUND, FEATURE_BOUND]
COLUMNS = 3
DELIMITERS = (",", ";", "\t")
MISSING = {"", "na", "n/a", "nan", "null", "none", "-"}  # cells read as "no value" (compared lowercased)


class UploadError(ValueError):
    """What is wrong with a file: `key` is a translation key, `params` its format arguments."""

    def __init__(self, key: str, args: dict[str, object] | None = None):
        self.key = key
        self.params = dict(args or {})
        super().__init__(key, self.params)

    def message(self, lang: str = "en") -> str:
        return translate(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class Scaling:
    """plane value = (file value − offset) × scale, per feature column and for the target."""

    offset: tuple[float, float]
    scale: tuple[float, float]
    target_offset: float = 0.0  # regression only; classification keeps 0 and 1
    target_scale: float = 1.0


@dataclass(frozen=True)
class Upload:
    points: np.ndarray  # (n, 2) float32, scaled into [-5, 5]²
    targets: np.ndarray  # (n,) int64 class indices, or float32 targets in [-1, 1]
    problem: str  # "classification" or "regression"
    n_classes: int  # k >= 2 for classification, 0 for regression
    class_values: tuple[str, ...]  # the file's label of class 0, 1, ...; () for regression
    columns: tuple[str, str, str]  # the header's names, or ("x1", "x2", "label"/"target")
    rows_read: int  # data rows in the file (without the header and blank lines)
    dropped_rows: int  # of those, rows left out for a missing, NaN or infinite value
    digest: str  # sha1 of the file's bytes, first 12 hex digits: names the file in a spec
    scaling: Scaling

    @property
    def n_points(self) -> int:
        return len(self.points)


# -- reading ------------------------------------------------------------------------------------

def _decode(raw: bytes) -> str:
    if len(raw) > limits.UPLOAD_BYTES:
        raise UploadError("upload_too_big", {"size_kb": math.ceil(len(raw) / 1000),
                                             "max_kb": limits.UPLOAD_BYTES // 1000})
    if not raw.strip():
        raise UploadError("upload_empty")
    if b"\x00" in raw:  # a spreadsheet, an image, UTF-16: not a text file this reads
        raise UploadError("upload_not_text")
    try:
        return raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError:
        raise UploadError("upload_not_text") from None


def _delimiter(text: str) -> str:
    """The most frequent of , ; tab on the first non-blank line (a comma on a tie or none)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=lambda d: (first.count(d), d == ","))


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, stripped cells) of every non-blank row; trailing empty cells beyond the
    third are dropped (spreadsheets write them)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    out = []
    try:
        for cells in reader:
            cells = [c.strip() for c in cells]
            while len(cells) > COLUMNS and cells[-1] == "":
                cells.pop()
            if any(cells):
                out.append((reader.line_num, cells))
    except csv.Error:
        raise UploadError("upload_not_text") from None
    return out


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _split_header(rows: list[tuple[int, list[str]]], problem: str) -> tuple[tuple[str, str, str], list]:
    """A first row whose feature cells are not both numbers (nor empty) is a header."""
    for line, cells in rows[:1]:
        if len(cells) != COLUMNS:
            raise UploadError("upload_columns", {"row": line, "found": len(cells)})
        if not all(_is_number(c) or c.lower() in MISSING for c in cells[:2]):
            return (cells[0], cells[1], cells[2]), rows[1:]
    return ("x1", "x2", "label" if problem == "classification" else "target"), rows


def _number(cell: str, line: int, column: int, name: str) -> float:
    if cell.lower() in MISSING:
        return math.nan
    try:
        return float(cell)
    except ValueError:
        shown = cell if len(cell) <= 20 else cell[:19] + "…"
        raise UploadError("upload_not_number", {"row": line, "column": column, "name": name,
                                                "value": shown}) from None


def _parse(rows: list, columns: tuple[str, str, str], problem: str) -> tuple[np.ndarray, list]:
    """Features as floats (NaN where missing) and the raw label cells (regression: floats)."""
    x = np.empty((len(rows), 2))
    labels: list = []
    for i, (line, cells) in enumerate(rows):
        if len(cells) != COLUMNS:
            raise UploadError("upload_columns", {"row": line, "found": len(cells)})
        x[i, 0] = _number(cells[0], line, 1, columns[0])
        x[i, 1] = _number(cells[1], line, 2, columns[1])
        if problem == "regression":
            labels.append(_number(cells[2], line, 3, columns[2]))
        else:
            labels.append(None if cells[2].lower() in MISSING else cells[2])
    return x, labels


# -- turning rows into data ---------------------------------------------------------------------

def _usable(x: np.ndarray, labels: list, problem: str) -> np.ndarray:
    """Rows without a missing, NaN or infinite value; refuses a file with too many others."""
    if problem == "regression":
        has_label = np.isfinite(np.asarray(labels, dtype=float))
    else:
        has_label = np.array([v is not None for v in labels], dtype=bool)
    keep = np.isfinite(x).all(axis=1) & has_label
    dropped = int((~keep).sum())
    if dropped > limits.UPLOAD_MAX_DROPPED * len(x):
        raise UploadError("upload_too_many_dropped", {"dropped": dropped, "rows": len(x),
                                                      "max_percent": round(limits.UPLOAD_MAX_DROPPED * 100)})
    if keep.sum() < limits.UPLOAD_ROWS.lo:
        raise UploadError("upload_too_few_rows", {"rows": int(keep.sum()), "min": int(limits.UPLOAD_ROWS.lo)})
    return keep


def _fit(values: np.ndarray, bound: float) -> tuple[float, float]:
    """(offset, scale) taking values' [min, max] onto [-bound, bound]; scale 1 if constant."""
    lo, hi = float(values.min()), float(values.max())
    half = (hi - lo) / 2
    return (lo + hi) / 2, (bound / half if half > 0 else 1.0)


def _label_text(value: float) -> str:
    return f"{value:g}"


def _classes(labels: list[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Class indices 0..k-1 in sorted label order; numbers sort (and merge: 1 and 1.0) by value."""
    if all(_is_number(v) for v in labels):
        values = np.array([float(v) for v in labels])
        distinct = np.unique(values)
        names = tuple(_label_text(v) for v in distinct)
    else:
        values = np.array(labels, dtype=object)
        distinct = np.array(sorted(set(labels)), dtype=object)
        names = tuple(distinct)
    if len(distinct) < 2:
        raise UploadError("upload_one_class", {"label": names[0]})
    if len(distinct) > limits.N_CLASSES.hi:
        raise UploadError("upload_too_many_classes", {"found": len(distinct), "max": int(limits.N_CLASSES.hi)})
    lookup = {v: i for i, v in enumerate(distinct.tolist())}
    return np.array([lookup[v] for v in values.tolist()], dtype=np.int64), names


def parse_csv(raw: bytes, problem: str) -> Upload:
    """Read an uploaded file for a classification or a regression; raises UploadError."""
    if problem not in PROBLEMS:
        raise ValueError(f"problem must be one of {', '.join(PROBLEMS)}, got {problem!r}")
    rows = _rows(_decode(raw))
    columns, rows = _split_header(rows, problem)
    if len(rows) > limits.N_POINTS.hi:  # checked before parsing: a long file costs nothing
        raise UploadError("upload_too_many_rows", {"rows": len(rows), "max": int(limits.N_POINTS.hi)})
    x, labels = _parse(rows, columns, problem)
    keep = _usable(x, labels, problem)
    x = x[keep]
    kept = [v for v, k in zip(labels, keep, strict=True) if k]
    if (x.min(axis=0) == x.max(axis=0)).all():  # every point at one place: no input tells one target from another
        raise UploadError("upload_one_place", {"x1": _label_text(x[0, 0]), "x2": _label_text(x[0, 1])})
    (o1, s1), (o2, s2) = _fit(x[:, 0], FEATURE_BOUND), _fit(x[:, 1], FEATURE_BOUND)
    points = ((x - np.array([o1, o2])) * np.array([s1, s2])).astype(np.float32)
    if problem == "regression":
        y = np.asarray(kept, dtype=float)
        if y.min() == y.max():
            raise UploadError("upload_constant_target", {"value": _label_text(y[0])})
        t_offset, t_scale = _fit(y, 1.0)
        targets = np.clip((y - t_offset) * t_scale, -1, 1).astype(np.float32)  # clip: rounding only
        scaling, n_classes, names = Scaling((o1, o2), (s1, s2), t_offset, t_scale), 0, ()
    else:
        targets, names = _classes(kept)
        scaling, n_classes = Scaling((o1, o2), (s1, s2)), len(names)
    return Upload(points=points, targets=targets, problem=problem, n_classes=n_classes, class_values=names,
                  columns=columns, rows_read=len(rows), dropped_rows=int((~keep).sum()),
                  digest=hashlib.sha1(raw).hexdigest()[:12], scaling=scaling)


# -- into a run ---------------------------------------------------------------------------------

def spec_for_upload(upload: Upload, data: DataSpec) -> DataSpec:
    """`data` (its seed, split and features kept) pointed at the upload. Noise means nothing for
    a file: it is set to 0, so that the same file makes the same spec."""
    return replace(data, dataset=UPLOAD, problem=upload.problem, upload=upload.digest, n_points=upload.n_points,
                   n_classes=upload.n_classes or 2, noise=0.0)


def dataset_from_upload(upload: Upload, spec: DataSpec) -> Dataset:
    """The upload split into training and test points by `spec.seed` and `spec.train_fraction`
    (the spec must describe this upload: see `spec_for_upload`)."""
    spec.validate()
    expected = spec_for_upload(upload, spec)
    if replace(spec, noise=0.0) != expected:
        raise ValueError(f"the spec does not describe this upload: {spec} vs {expected}")
    return split(upload.points, upload.targets, spec, np.random.default_rng(spec.seed))
