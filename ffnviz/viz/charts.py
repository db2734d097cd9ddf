"""Pure chart builders: numbers in, plotly figure out. No torch, no streamlit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ffnviz import limits
from ffnviz.viz import theme


@dataclass(frozen=True)
class Ghost:
    """A pinned run's curves, drawn faintly behind the live ones for comparison."""

    label: str
    epochs: np.ndarray
    series: dict[str, np.ndarray]  # e.g. train_loss, test_loss, train_acc, test_acc


def shown_points(n: int, most: int = limits.CHART_POINTS) -> np.ndarray:
    """Which of a curve's `n` points a chart draws: all, or every k-th counted back from the last
    (evenly spaced, the latest always in), at most `most`: a chart a few hundred pixels wide shows
    no more, and every live refresh sends them."""
    step = max(1, -(-n // most))
    return np.arange(n - 1, -1, -step)[::-1] if n else np.zeros(0, np.int64)


def x_of(xs: np.ndarray) -> dict:
    """A curve's x: evenly spaced epochs (the history keeps every stride-th one) as a start and a
    step, sent in a few bytes instead of an array with every live refresh; else the array."""
    if len(xs) > 2:
        steps = np.diff(xs)
        if steps[0] > 0 and np.all(steps == steps[0]):
            return {"x0": float(xs[0]), "dx": float(steps[0])}
    return {"x": xs.astype(np.float32)}


def _curves(epochs: np.ndarray, series: list[tuple[str, np.ndarray, str, str]], labels: dict[str, str], width: float,
            ghost: Ghost | None, positive_only: bool, fmt: str) -> tuple[list, np.ndarray]:
    """Line traces for (label key, values, colour, dash) over epochs, the ghost's first (behind);
    returns the traces and every plotted value (for the axis range)."""
    traces, plotted = [], []
    runs = ([(ghost.epochs, ghost.series, f" · {ghost.label}", 0.35)] if ghost else []) + [(epochs, None, "", 1.0)]
    for xs, source, suffix, opacity in runs:
        shown = shown_points(len(xs))
        xs = xs[shown]
        for key, values, color, dash in series:
            values = source.get(key, np.zeros(0)) if source is not None else values
            values = values[shown]
            ok = np.isfinite(values) & ((values > 0) if positive_only else True)
            plotted.append(values[ok])
            name = labels[key] + suffix
            traces.append(dict(
                type="scatter", mode="lines", name=name, opacity=opacity, **x_of(xs[ok]), y=values[ok].astype(np.float32),
                line={"color": color, "width": width * (0.8 if suffix else 1.0), "dash": dash},
                hovertemplate=f"{labels['epoch']} %{{x:.0f}}<br>{name} %{{y:{fmt}}}<extra></extra>",
            ))
    return traces, np.concatenate(plotted) if plotted else np.zeros(0)


def loss_chart(epochs: np.ndarray, train_loss: np.ndarray, test_loss: np.ndarray, *, labels: dict[str, str],
               projector: bool = False, ghost: Ghost | None = None) -> go.Figure:
    """Train and test loss against epochs, on a log axis (slow late progress stays visible);
    a pinned run's curves (`ghost`, keys train_loss/test_loss) faintly behind."""
    series = [("train", train_loss, theme.TRAIN_COLOR, "solid"), ("test", test_loss, theme.TEST_COLOR, "dot")]
    ghost_series = Ghost(ghost.label, ghost.epochs, {"train": ghost.series["train_loss"], "test": ghost.series["test_loss"]}) \
        if ghost else None
    traces, finite = _curves(epochs, series, labels, theme.line_width(projector), ghost_series, True, ".4f")
    yaxis = log_axis(finite, title={"text": labels["loss_axis"]})
    layout = theme.layout(labels["title"], projector=projector,
                          xaxis={"title": {"text": labels["epoch"]}, "rangemode": "tozero"}, yaxis=yaxis)
    theme.fit_legend(layout, [t["name"] for t in traces], labels["title"])  # a pinned run's long names: under the chart
    return theme.figure(traces, layout)


def accuracy_chart(epochs: np.ndarray, train_acc: np.ndarray, test_acc: np.ndarray, *, labels: dict[str, str],
                   projector: bool = False, ghost: Ghost | None = None) -> go.Figure:
    """Train and test accuracy against epochs (0-1); a pinned run's curves faintly behind."""
    series = [("train", train_acc, theme.TRAIN_COLOR, "solid"), ("test", test_acc, theme.TEST_COLOR, "dot")]
    ghost_series = Ghost(ghost.label, ghost.epochs, {"train": ghost.series["train_acc"], "test": ghost.series["test_acc"]}) \
        if ghost else None
    traces, _ = _curves(epochs, series, labels, theme.line_width(projector), ghost_series, False, ".1%")
    layout = theme.layout(labels["title"], projector=projector, height=300,
                          xaxis={"title": {"text": labels["epoch"]}, "rangemode": "tozero"},
                          yaxis={"title": {"text": labels["acc_axis"]}, "range": [0, 1.02], "tickformat": ".0%"})
    theme.fit_legend(layout, [t["name"] for t in traces], labels["title"])  # a pinned run's long names: under the chart
    return theme.figure(traces, layout)


def log_ticks(lo: float, hi: float) -> list[float]:
    """Readable ticks covering [lo, hi] for a log axis, instead of plotly's crowd of minor
    digits: 1-2-5 over up to two decades, powers of ten beyond (every k-th, at most ~7, as
    gradient norms can span ten decades). Empty (plotly's own choice) when the range is too
    narrow for two."""
    first, last = int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi)))
    if last - first > 2:
        step = -(-(last - first) // 6)
        return [float(f"1e{e}") for e in range(last, first - 1, -step)][::-1]
    for mantissas in ((1, 2, 5), tuple(range(1, 10))):
        ticks = [float(f"{m}e{e}") for e in range(first, last + 1) for m in mantissas]
        inside = [t for t in ticks if lo <= t <= hi]
        if len(inside) >= 2:
            return [t for t in ticks if t < lo][-1:] + inside + [t for t in ticks if t > hi][:1]
    return []


def log_axis(values: np.ndarray, **axis) -> dict:
    """A log y-axis whose ticks are `log_ticks` of the positive finite `values`."""
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values) & (values > 0)]
    ticks = log_ticks(float(values.min()), float(values.max())) if values.size else []
    # Too narrow a range for two 1-9 ticks: let plotly choose, but only a few.
    chosen = {"tickvals": ticks, "ticktext": [f"{t:g}" for t in ticks]} if ticks else {"nticks": 6}
    return {**axis, "type": "log", **chosen}


def _class_image(probs: np.ndarray, discretize: bool = False) -> np.ndarray:
    """(h, w, k) class probabilities as an RGB image: the winning class's colour, faded towards
    white as the model's confidence drops to chance (or at full strength when discretized)."""
    k = probs.shape[2]
    colors = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in theme.CLASS_COLORS[:k]], np.float32)
    best = probs.argmax(2)
    confidence = np.ones(best.shape, np.float32) if discretize else (probs.max(2) - 1.0 / k) / (1.0 - 1.0 / k)
    white = np.full(3, 255.0, np.float32)
    rgb = white + (colors[best] - white) * confidence[..., None]
    return rgb.clip(0, 255).astype(np.uint8)


def _bytes_of(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """`values` in [lo, hi] as 0-255: a quarter of float32's bytes, finer than a colour scale shows."""
    return np.rint((np.clip(values, lo, hi) - lo) * (255.0 / (hi - lo))).astype(np.uint8)


def _heatmap_z(values: np.ndarray, lo: float, hi: float, compact: bool) -> dict:
    """A heatmap's z on [lo, hi]: float32 with hover, or (compact, while a run trains: hover is for
    paused runs) as bytes, on the same colours, for a quarter of the bytes of every live refresh."""
    if compact:
        return {"z": _bytes_of(values, lo, hi), "zmin": 0, "zmax": 255, "hoverinfo": "skip"}
    return {"z": values.astype(np.float32), "zmin": lo, "zmax": hi}


def class_picture(grid: np.ndarray) -> np.ndarray:
    """A classification grid (P(class 1) of shape (n, n), or (n, n, k) probabilities) as the RGB
    picture the decision map shows (row 0 at x2 = -extent)."""
    probs = np.stack([1.0 - grid, grid], axis=2) if grid.ndim == 2 else grid
    return _class_image(probs)


def decision_map(grid: np.ndarray, extent: float, points: list[tuple[np.ndarray, np.ndarray, str]], *,
                 labels: dict[str, str], projector: bool = False, discretize: bool = False,
                 compact: bool = False) -> go.Figure:
    """The model's output over the input plane with the data points on top.

    `grid` is P(class 1) of shape (n, n) for a binary problem, or class probabilities (n, n, k);
    row i is x2 = linspace(-extent, extent)[i]. `points` are (x of shape (m, 2), class index,
    "train" or "test") groups; test points get a dark outline. `discretize` shows the predicted
    class only (Playground's "discretize output"), not the confidence. `compact`: the map's
    values as bytes, without hover (see _heatmap_z)."""
    n = grid.shape[0]
    axis = np.linspace(-extent, extent, n, dtype=np.float32)
    traces = []
    if grid.ndim == 2:
        z = (grid > 0.5).astype(np.float32) if discretize else grid
        traces.append(dict(
            type="heatmap", x=axis, y=axis, colorscale=theme.DIVERGING,
            opacity=0.75, showscale=False, zsmooth="best",
            hovertemplate="x1 %{x:.2f}<br>x2 %{y:.2f}<br>" + labels["probability"] + " %{z:.2f}<extra></extra>",
            **_heatmap_z(z, 0.0, 1.0, compact),
        ))
    else:
        step = float(axis[1] - axis[0])
        traces.append(dict(type="image", z=_class_image(grid, discretize), x0=float(axis[0]), dx=step,
                           y0=float(axis[0]), dy=step, opacity=0.75, hoverinfo="skip"))
    k = 2 if grid.ndim == 2 else grid.shape[2]
    size = 9 if projector else 6
    for x, y, kind in points:
        for c in range(k):
            sel = y == c
            if not sel.any():
                continue
            traces.append(dict(
                type="scattergl", x=x[sel, 0], y=x[sel, 1], mode="markers",
                name=f"{labels[kind]} · {labels['class']} {c}",
                marker={"color": theme.CLASS_COLORS[c], "size": size,
                        "line": {"color": "#222222" if kind == "test" else "white", "width": 1},
                        "symbol": "circle" if kind == "train" else "diamond"},
                hovertemplate=f"{labels[kind]} · {labels['class']} {c}<br>x1 %{{x:.2f}}<br>x2 %{{y:.2f}}<extra></extra>",
            ))
    layout = theme.plane_layout(labels["title"], extent, projector=projector)
    return theme.figure(traces, layout)


def regression_map(grid: np.ndarray, extent: float, points: list[tuple[np.ndarray, np.ndarray, str]], *,
                   labels: dict[str, str], projector: bool = False, discretize: bool = False,
                   compact: bool = False) -> go.Figure:
    """A regression model's predicted value over the input plane, on the signed scale (targets
    live in [-1, 1]), with the data points coloured by their target on the same scale, so a point
    that disagrees with the background is one the model gets wrong. `discretize` shows the sign."""
    n = grid.shape[0]
    axis = np.linspace(-extent, extent, n, dtype=np.float32)
    z = np.sign(grid).astype(np.float32) if discretize else grid
    heat = _heatmap_z(z, -1.0, 1.0, compact)
    ticks = {"tickvals": [0, 127.5, 255], "ticktext": ["-1", "0", "1"]} if compact else {"tickvals": [-1, 0, 1]}
    traces = [dict(
        type="heatmap", x=axis, y=axis, colorscale=theme.DIVERGING, opacity=0.75, zsmooth="best",
        colorbar={"title": {"text": labels["prediction"], "side": "right"}, "orientation": "h", "thickness": 10,
                  "len": 0.6, "x": 1.0, "xanchor": "right", "y": 1.0, "yanchor": "bottom", **ticks},
        **heat,
        hovertemplate="x1 %{x:.2f}<br>x2 %{y:.2f}<br>" + labels["prediction"] + " %{z:.2f}<extra></extra>",
    )]
    size = 9 if projector else 6
    for x, target, kind in points:
        traces.append(dict(
                type="scattergl", x=x[:, 0], y=x[:, 1], mode="markers", name=labels[kind],
            marker={"color": target.astype(np.float32), "colorscale": theme.DIVERGING, "cmin": -1.0, "cmax": 1.0,
                    "size": size, "line": {"color": "#222222" if kind == "test" else "white", "width": 1},
                    "symbol": "circle" if kind == "train" else "diamond"},
            hovertemplate=f"{labels[kind]}<br>x1 %{{x:.2f}}<br>x2 %{{y:.2f}}<br>{labels['target']} "
                          "%{marker.color:.2f}<extra></extra>",
        ))
    layout = theme.plane_layout(labels["title"], extent, projector=projector)
    return theme.figure(traces, layout)


def layer_norms(names: list[str], grad_norms: list[float], weight_norms: list[float], *, labels: dict[str, str],
                projector: bool = False) -> go.Figure:
    """Per layer, the gradient norm ||dL/dW|| and the weight norm ||W|| on a log axis: a
    vanishing gradient shows as a bar orders of magnitude below its neighbours."""
    bars = [np.maximum(np.asarray(v, dtype=np.float64), 1e-12) for v in (grad_norms, weight_norms)]
    traces = [dict(type="bar", x=names, y=values, name=labels[key], marker={"color": color},
                     hovertemplate="%{x}<br>" + labels[key] + " %{y:.3g}<extra></extra>")
              for key, values, color in (("grad", bars[0], theme.NEGATIVE), ("weight", bars[1], theme.POSITIVE))]
    return theme.figure(traces, theme.layout(labels["title"], projector=projector, height=320, barmode="group",
                                          yaxis=log_axis(np.concatenate(bars), title={"text": labels["norm_axis"]})))
