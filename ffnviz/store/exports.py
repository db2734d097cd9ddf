"""What a person downloads: a run's curves as CSV, its spec as JSON, a class's results as CSV.

Spreadsheets run a cell that starts with = + - @ (or a tab / carriage return) as a formula, so
a student's name such as `=HYPERLINK(...)` is written with a leading apostrophe (OWASP's advice
for CSV injection); numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from ffnviz.store.runfile import spec_document

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value) -> object:
    """A cell a spreadsheet shows as text: strings starting like a formula get an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[neutral(v) for v in row] for row in rows])
    return out.getvalue()


def _history_rows(history: dict[str, np.ndarray], lead: list) -> tuple[list[str], list[list]]:
    names = sorted(history)
    length = min((len(v) for v in history.values()), default=0)
    return names, [[*lead, *(float(history[n][i]) for n in names)] for i in range(length)]


def curves_csv(snapshot) -> str:
    """Every recorded curve of a run (a Snapshot's history) or a race (per contestant), one row per
    recorded point."""
    if hasattr(snapshot, "histories"):
        header, rows = ["contestant"], []
        for i, history in enumerate(snapshot.histories):
            names, part = _history_rows(history, [i])
            rows += part
        return csv_text(header + names if snapshot.histories else header, rows)
    names, rows = _history_rows(snapshot.history, [])
    return csv_text(names, rows)


def spec_json(form: str, spec) -> str:
    return json.dumps(spec_document(form, spec), indent=1, ensure_ascii=False, sort_keys=True)


def class_csv(tiles, ranks: dict[int, int] | None = None) -> str:
    """The class's results: one row per student (name, page, numbers, rank in the challenge)."""
    ranks = ranks or {}
    tiles = list(tiles)
    header = ["name", "page", "updates", "train_loss", "test_loss", "test_acc", "params", "diverged",
              "in_challenge", "score", "rank", "link"]
    rows = [[t.name, t.page, t.metrics.get("updates", ""), t.metrics.get("train_loss", ""), t.metrics.get("test_loss", ""),
             t.metrics.get("test_acc", ""), t.metrics.get("params", ""), t.metrics.get("diverged", ""),
             t.challenge_ok, t.metrics.get("score", ""), ranks.get(t.student_id, ""), t.link] for t in tiles]
    return csv_text(header, rows)
