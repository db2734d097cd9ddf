"""The frame's CSS (ffnviz/ui/layout.py). Checked in a browser (QA pass, 1400 px wide): Streamlit
scrolls pills sideways, so the playground's seventh input feature, "sin x₂", sat past the
settings column's edge; with the rule below all seven show, on two rows."""

from __future__ import annotations

from ffnviz.ui.layout import CSS


def test_pills_wrap_instead_of_scrolling_out_of_sight():
    assert '[data-testid="stButtonGroup"] div:has(> button) { flex-wrap: wrap;' in CSS
