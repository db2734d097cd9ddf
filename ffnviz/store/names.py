"""A display name as a student types it, made safe to keep and to show: control characters
dropped, spaces collapsed, trimmed, capped. Showing it literally (never as markdown or HTML) is
the page's and the chart's part: see ffnviz.viz.wall.plain."""

from __future__ import annotations

import unicodedata

NAME_CHARS = 24


def clean_name(text: str) -> str:
    """The name to keep, "" when nothing is left of it."""
    kept = "".join(" " if ch.isspace() else ch for ch in str(text)
                   if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())[:NAME_CHARS].strip()
