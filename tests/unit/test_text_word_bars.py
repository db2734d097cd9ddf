"""The text page's word bars: long word labels push the plot area right, so the title is placed
from the chart's left edge (found in a browser QA pass: "Words that move “positive” (logistic
regression)" ran off the chart)."""

from __future__ import annotations

import numpy as np

from ffnviz.viz import text_charts


def test_the_word_bars_title_starts_at_the_chart_edge():
    words = ["disappointing", "great", "ok", "terrible"]
    fig = text_charts.word_bars(words, np.array([-1.0, 2.0, 0.1, -2.0]),
                                labels={"title": "Words that move “positive” (logistic regression)", "value": "v"})
    assert fig.layout.title.xref == "container"
    assert fig.layout.title.x < 0.05
    assert fig.layout.title.text.endswith("(logistic regression)")
