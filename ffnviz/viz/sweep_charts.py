"""The learning-rate sweep's chart: final loss against learning rate, one curve per optimizer
("where does each optimizer work"). Numbers in, plotly figure out; no torch, no streamlit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from ffnviz.viz import theme
from ffnviz.viz.charts import log_axis, log_ticks

if TYPE_CHECKING:  # for the annotation only: the viz package stays free of torch
    from ffnviz.train.sweep import SweepResult

# Past the five class colours, optimizers get greys (with dashes, so two greys stay apart):
# colour is kept for the first few, which a lesson compares most.
GREYS = ("#4D4D4D", "#7F7F7F", "#A6A6A6", "#BFBFBF")
_GREY_DASHES = ("dash", "dot", "dashdot", "longdash")

# The keys `labels` must have: title, axis titles, and the two marker words of the hover.
LABEL_KEYS = ("title", "lr_axis", "loss_axis", "diverged", "best")

# Diverged points sit on an invisible second y-axis fixed to [0, 1], so they stay pinned in a
# row at the top whatever the loss axis shows (or when no run has a finite loss at all); each
# optimizer's row a little lower than the previous one's, so crosses at one rate do not hide
# each other.
_DIVERGED_Y, _DIVERGED_STEP = 0.97, 0.035


def optimizer_style(i: int) -> tuple[str, str]:
    """(colour, dash) of the i-th optimizer: theme.CLASS_COLORS in order, then greys."""
    n = len(theme.CLASS_COLORS)
    if i < n:
        return theme.CLASS_COLORS[i], "solid"
    g = (i - n) % len(GREYS)
    return GREYS[g], _GREY_DASHES[g]


def sweep_chart(result: SweepResult, names: list[str], *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """Median final training loss (over seeds) against learning rate, both axes log: one
    line+markers trace per optimizer (named `names[i]`, even while it has no point yet); where
    any seed diverged an 'x' pinned at the top of the plot; each optimizer's best learning rate
    (lowest median) as a star. Points not run yet are absent."""
    if len(names) != len(result.optimizers):
        raise ValueError(f"names: one per optimizer ({len(result.optimizers)}), got {len(names)}")
    lrs = np.asarray(result.lrs, dtype=np.float64)
    median = result.median_loss()
    diverged = result.any_diverged()
    best = result.best_lr_index()
    width = theme.line_width(projector)
    size = 10 if projector else 7
    lr_hover = f"{labels['lr_axis']} %{{x:.3g}}"
    traces, extra = [], []
    for i, name in enumerate(names):
        color, dash = optimizer_style(i)
        group = f"optimizer-{i}"
        ok = np.isfinite(median[i])
        traces.append(dict(
            type="scatter", mode="lines+markers", name=name, legendgroup=group, x=lrs[ok], y=median[i][ok],
            line={"color": color, "width": width, "dash": dash}, marker={"color": color, "size": size},
            hovertemplate=f"{name}<br>{lr_hover}<br>{labels['loss_axis']} %{{y:.4g}}<extra></extra>",
        ))
        # Drawn after every curve (below), so a star or a cross is never under another line.
        if diverged[i].any():
            xs = lrs[diverged[i]]
            extra.append(dict(
                type="scatter", mode="markers", name=f"{name} · {labels['diverged']}", legendgroup=group,
                showlegend=False, x=xs, y=np.full(len(xs), _DIVERGED_Y - _DIVERGED_STEP * (i % 6)), yaxis="y2",
                marker={"color": color, "size": size + 4, "symbol": "x"},
                hovertemplate=f"{name}<br>{lr_hover}<br>{labels['diverged']}<extra></extra>",
            ))
        if best[i] >= 0:
            extra.append(dict(
                type="scatter", mode="markers", name=f"{name} · {labels['best']}", legendgroup=group,
                showlegend=False, x=lrs[best[i]:best[i] + 1], y=median[i][best[i]:best[i] + 1],
                marker={"color": color, "size": size * 2 + 2, "symbol": "star", "line": {"color": "white", "width": 1}},
                hovertemplate=f"{name}<br>{labels['best']}: {lr_hover}<br>{labels['loss_axis']} %{{y:.4g}}<extra></extra>",
            ))
    return theme.figure(traces + extra, theme.layout(
        labels["title"], projector=projector, height=420,
        xaxis=_lr_axis(lrs, labels["lr_axis"]), yaxis=_loss_axis(median, labels["loss_axis"]),
        yaxis2={"overlaying": "y", "range": [0.0, 1.0], "fixedrange": True, "visible": False}))


def _lr_axis(lrs: np.ndarray, title: str) -> dict:
    """A log x-axis over the whole grid from the start, so it stays put while points land."""
    lo, hi = np.log10(lrs[0]), np.log10(lrs[-1])
    pad = 0.04 * (hi - lo)
    ticks = log_ticks(float(lrs[0]), float(lrs[-1]))
    return {"title": {"text": title}, "type": "log", "range": [lo - pad, hi + pad],
            **({"tickvals": ticks, "ticktext": [f"{t:g}" for t in ticks]} if ticks else {})}


def _loss_axis(median: np.ndarray, title: str) -> dict:
    """A log y-axis with room left at the top for the row of diverged crosses."""
    axis = log_axis(median, title={"text": title})
    finite = median[np.isfinite(median) & (median > 0)]
    if finite.size:
        lo, hi = np.log10(finite.min()), np.log10(finite.max())
        span = max(hi - lo, 0.3)
        axis["range"] = [float(lo - 0.06 * span), float(hi + 0.3 * span)]
    return axis
