"""A CSV of labelled texts uploaded on the text-classification page: one text column and one
label column, read into plain Python lists, or an UploadError saying what to change.

The file is read as UTF-8 (a byte-order mark is fine); anything else is refused with a message
naming the encoding to save it in, as is a file with no usable text or label column, empty
texts only, one class, too many classes, too few or too many rows, or too many bytes. Rows with
an empty text or label are left out and counted. Texts stay plain strings: the page shows them as
text, never as HTML.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections import Counter
from dataclasses import dataclass

from ffnviz import limits
from ffnviz.data.upload import UploadError

TEXT_NAMES = ("text", "sentence", "review", "文本", "句子")  # header names taken for the text column
LABEL_NAMES = ("label", "class", "sentiment", "topic", "标签", "类别")  # and for the label column


@dataclass(frozen=True)
class TextUpload:
    texts: tuple[str, ...]
    labels: tuple[str, ...]  # the file's label of each text
    classes: tuple[str, ...]  # the distinct labels, sorted
    columns: tuple[str, str]  # the header's names of the text and label columns
    rows_read: int  # data rows in the file (blank lines aside)
    dropped_rows: int  # of those, rows left out for an empty text or label
    digest: str  # sha1 of the file's bytes, first 12 hex digits

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(self.labels)
        return {c: found[c] for c in self.classes}


def _decode(raw: bytes) -> str:
    if len(raw) > limits.TEXT_UPLOAD_BYTES:
        raise UploadError("upload_too_big", {"size_kb": math.ceil(len(raw) / 1000),
                                             "max_kb": limits.TEXT_UPLOAD_BYTES // 1000})
    if not raw.strip():
        raise UploadError("upload_empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError("text_upload_not_utf8") from None
    if "\x00" in text:  # UTF-16, a spreadsheet: not a UTF-8 text file
        raise UploadError("text_upload_not_utf8")
    return text


def _rows(text: str) -> list[list[str]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))
    try:
        rows = [[c.strip() for c in cells] for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise UploadError("text_upload_not_csv") from None
    return [r for r in rows if any(r)]


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def _columns(header: list[str]) -> tuple[int, int]:
    """The text and label columns: found by name, else the first two of a two-column file."""
    text, label = _column(header, TEXT_NAMES), _column(header, LABEL_NAMES)
    if text is None and label is None and len(header) == 2:
        return 0, 1
    if text is None or label is None or text == label:
        raise UploadError("text_upload_columns", {"found": ", ".join(h or "?" for h in header) or "?"})
    return text, label


def parse_text_csv(raw: bytes) -> TextUpload:
    """Read an uploaded CSV of texts and labels. Raises UploadError."""
    rows = _rows(_decode(raw))
    if not rows:
        raise UploadError("upload_empty")
    header, body = rows[0], rows[1:]
    text_col, label_col = _columns(header)
    if len(body) > limits.TEXT_UPLOAD_ROWS.hi:
        raise UploadError("upload_too_many_rows", {"rows": len(body), "max": int(limits.TEXT_UPLOAD_ROWS.hi)})
    texts, labels = [], []
    for cells in body:
        text = cells[text_col] if text_col < len(cells) else ""
        label = cells[label_col] if label_col < len(cells) else ""
        if text and label:
            texts.append(text)
            labels.append(label)
    if not texts:
        raise UploadError("text_upload_no_texts", {"column": header[text_col]})
    if len(texts) < limits.TEXT_UPLOAD_ROWS.lo:
        raise UploadError("upload_too_few_rows", {"rows": len(texts), "min": int(limits.TEXT_UPLOAD_ROWS.lo)})
    classes = tuple(sorted(set(labels)))
    if len(classes) < 2:
        raise UploadError("upload_one_class", {"label": classes[0]})
    if len(classes) > limits.TEXT_CLASSES.hi:
        raise UploadError("text_upload_too_many_classes", {"found": len(classes), "max": int(limits.TEXT_CLASSES.hi)})
    smallest = min(Counter(labels).values())
    if smallest < 2:  # a class with one text cannot be on both sides of a stratified split
        rare = [c for c, n in Counter(labels).items() if n < 2]
        raise UploadError("text_upload_rare_class", {"labels": ", ".join(rare[:5])})
    return TextUpload(tuple(texts), tuple(labels), classes, (header[text_col], header[label_col]), len(body),
                      len(body) - len(texts), hashlib.sha1(raw).hexdigest()[:12])
