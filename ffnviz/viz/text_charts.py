"""Pictures for the text-classification page: the confusion matrix, the words that push a class
up or down, a sentence's class probabilities and its tokens shaded by attention. Pure: numpy in,
plotly figure out; every visible string comes in through `labels`. Tokens and texts are plotly
text (escaped by plotly.js), never HTML of ours."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ffnviz.viz import theme


def _plain(text: str) -> str:
    """A user's token as chart text: plotly reads a few HTML-like tags in text, so < and > are
    shown as look-alikes rather than read."""
    return str(text).replace("<", "‹").replace(">", "›")


def confusion(matrix: np.ndarray, classes: list[str], *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """Rows the true class, columns the predicted one; the count in every cell, the colour the
    share of the row (so a small class reads as clearly as a big one). Labels: title, true,
    predicted, count."""
    m = np.asarray(matrix, dtype=np.float64)
    share = m / np.maximum(m.sum(1, keepdims=True), 1)
    names = [_plain(c) for c in classes]
    trace = {"type": "heatmap", "z": share.astype(np.float32), "x": names, "y": names, "zmin": 0.0, "zmax": 1.0,
             "colorscale": theme.SEQUENTIAL, "text": m.astype(int).astype(str).tolist(), "texttemplate": "%{text}",
             "textfont": {"size": theme.font_size(projector)}, "showscale": False, "xgap": 2, "ygap": 2,
             "hovertemplate": f"{labels['true']} %{{y}}<br>{labels['predicted']} %{{x}}<br>{labels['count']} "
                              "%{text} (%{z:.0%})<extra></extra>"}
    layout = theme.layout(labels["title"], projector=projector, height=120 + 60 * len(classes), showlegend=False,
                          xaxis={"title": {"text": labels["predicted"]}, "side": "bottom", "type": "category"},
                          yaxis={"title": {"text": labels["true"]}, "autorange": "reversed", "type": "category"})
    return theme.figure([trace], layout)


def word_bars(words: list[str], values: np.ndarray, *, labels: dict[str, str], top: int = 10,
              projector: bool = False) -> go.Figure:
    """The `top` words with the largest and the `top` with the smallest values, as horizontal
    bars (blue pushes the class up, orange down), largest on top. Labels: title, value."""
    v = np.asarray(values, dtype=np.float64)
    order = np.argsort(v)
    chosen = np.concatenate([order[:top], order[-top:]]) if len(v) > 2 * top else order
    chosen = chosen[np.argsort(v[chosen])]
    colors = [theme.POSITIVE if v[i] > 0 else theme.NEGATIVE for i in chosen]
    trace = {"type": "bar", "orientation": "h", "x": v[chosen].astype(np.float32), "y": [_plain(words[i]) for i in chosen],
             "marker": {"color": colors}, "hovertemplate": f"%{{y}}<br>{labels['value']} %{{x:.3f}}<extra></extra>"}
    layout = theme.layout(labels["title"], projector=projector, height=140 + 18 * len(chosen), showlegend=False,
                          xaxis={"title": {"text": labels["value"]}, "zeroline": True},
                          yaxis={"type": "category", "tickfont": {"size": theme.font_size(projector) - 2}})
    # the long word labels push the plot area right: the title starts at the chart's left edge, not the
    # plot area's, or a long title ("… (logistic regression)") runs off the chart's right edge
    layout["title"] = {**layout["title"], "xref": "container", "x": 0.02}
    return theme.figure([trace], layout)


def class_probabilities(classes: list[str], models: dict[str, np.ndarray], *, labels: dict[str, str],
                        projector: bool = False) -> go.Figure:
    """Each model's probability of every class, bars grouped by class. Labels: title, value."""
    traces = [{"type": "bar", "name": name, "x": [_plain(c) for c in classes], "y": np.asarray(p, dtype=np.float32),
               "marker": {"color": theme.RACE_COLORS[i % len(theme.RACE_COLORS)]}, "texttemplate": "%{y:.0%}",
               "textposition": "outside", "hovertemplate": f"{name}<br>%{{x}} %{{y:.1%}}<extra></extra>"}
              for i, (name, p) in enumerate(models.items())]
    layout = theme.layout(labels["title"], projector=projector, height=320, barmode="group",
                          yaxis={"title": {"text": labels["value"]}, "range": [0, 1.15], "tickformat": ".0%"})
    return theme.figure(traces, layout)


def token_weights(tokens: list[str], weights: np.ndarray, known: np.ndarray, *, labels: dict[str, str],
                  projector: bool = False) -> go.Figure:
    """The sentence's tokens in a row, each cell shaded by its attention weight (an unknown
    token is marked with a ?). Labels: title, value, unknown."""
    w = np.asarray(weights, dtype=np.float32)[None, :]
    text = [[_plain(t) + ("" if k else " ?") for t, k in zip(tokens, known, strict=True)]]
    hover = [[f"{_plain(t)}<br>{labels['value']} {x:.1%}" + ("" if k else f"<br>{labels['unknown']}")
              for t, x, k in zip(tokens, w[0], known, strict=True)]]
    trace = {"type": "heatmap", "z": w, "x": list(range(len(tokens))), "y": [0], "zmin": 0.0,
             "zmax": float(max(w.max(), 1e-6)), "colorscale": "Blues", "text": text, "texttemplate": "%{text}",
             "textfont": {"size": theme.font_size(projector)}, "customdata": hover,
             "hovertemplate": "%{customdata}<extra></extra>", "showscale": False, "xgap": 3}
    layout = theme.layout(labels["title"], projector=projector, height=170, showlegend=False,
                          xaxis={"visible": False}, yaxis={"visible": False})
    return theme.figure([trace], layout)
