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

START_COLOR = "#999999"
# The loss axis shows at most this many decades above the loss before training: a rate that
# made the loss 1e30 would otherwise squash every curve that works into a flat line at the
# bottom. Such a curve leaves through the top, towards the diverged crosses.
DECADES_ABOVE_START = 2.0

# Diverged points sit on an invisible second y-axis fixed to [0, 1], so they stay pinned in a
# row at the top whatever the loss axis shows (or when no run has a finite loss at all); each
# optimizer's row a little lower than the previous one's, so crosses at one rate do not hide
# each other.
_DIVERGED_Y, _DIVERGED_STEP = 0.97, 0.035


def optimizer_style(i: int) -> tuple[str, str]:
    """(colour, dash) of the i-th optimizer: theme.RACE_COLORS in order (as the race beside it
    colours its contestants), then greys."""
    n = len(theme.RACE_COLORS)
    if i < n:
        return theme.RACE_COLORS[i], "solid"
    g = (i - n) % len(GREYS)
    return GREYS[g], _GREY_DASHES[g]


def sweep_chart(result: SweepResult, names: list[str], *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """Median final training loss (over seeds) against learning rate, both axes log: one
    line+markers trace per optimizer (named `names[i]`, even while it has no point yet); where
    any seed diverged an 'x' pinned at the top of the plot; each optimizer's best learning rate
    (lowest median) as a star; a dashed grey line at the loss before training (median over
    seeds), above which training made things worse. Points not run yet are absent. `labels`:
    title, lr_axis, loss_axis, diverged, best and start (the line at the loss before training)."""
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
    initial = np.asarray(result.initial_loss, dtype=np.float64)
    start = float(np.median(initial[np.isfinite(initial)])) if np.isfinite(initial).any() else float("nan")
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
    xaxis = _lr_axis(lrs, labels["lr_axis"])
    if np.isfinite(start) and start > 0:
        # Across the whole x-axis: its range is in log10 units.
        ends = np.power(10.0, np.asarray(xaxis["range"]))
        traces.insert(0, dict(
            type="scatter", mode="lines", name=labels["start"], x=ends, y=np.full(2, start),
            line={"color": START_COLOR, "width": width * 0.75, "dash": "dash"},
            hovertemplate=f"{labels['start']} %{{y:.4g}}<extra></extra>",
        ))
    layout = theme.layout(
        labels["title"], projector=projector, height=480,
        xaxis=xaxis, yaxis=_loss_axis(median, start, labels["loss_axis"]),
        yaxis2={"overlaying": "y", "range": [0.0, 1.0], "fixedrange": True, "visible": False},
        # Below the plot: up to a dozen optimizers wrap to several rows, which at the theme's
        # top-right place would run into the title.
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": -0.18, "yanchor": "top"})
    layout["margin"]["b"] = 130 if projector else 110
    return theme.figure(traces + extra, layout)


def _lr_axis(lrs: np.ndarray, title: str) -> dict:
    """A log x-axis over the whole grid from the start, so it stays put while points land."""
    lo, hi = np.log10(lrs[0]), np.log10(lrs[-1])
    pad = 0.04 * (hi - lo)
    ticks = log_ticks(float(lrs[0]), float(lrs[-1]))
    return {"title": {"text": title}, "type": "log", "range": [lo - pad, hi + pad],
            **({"tickvals": ticks, "ticktext": [f"{t:g}" for t in ticks]} if ticks else {})}


def _loss_axis(median: np.ndarray, start: float, title: str) -> dict:
    """A log y-axis over the losses and the loss before training, at most DECADES_ABOVE_START
    above the latter, with room left at the top for the row of diverged crosses."""
    finite = median[np.isfinite(median) & (median > 0)]
    if np.isfinite(start) and start > 0:
        finite = np.append(finite, start)
    if not finite.size:
        return log_axis(finite, title={"text": title})
    lo, hi = np.log10(finite.min()), np.log10(finite.max())
    if np.isfinite(start) and start > 0:
        hi = min(hi, np.log10(start) + DECADES_ABOVE_START)
    axis = log_axis(np.power(10.0, [lo, hi]), title={"text": title})
    span = max(hi - lo, 0.3)
    axis["range"] = [float(lo - 0.06 * span), float(hi + 0.3 * span)]
    return axis
