"""Pure chart builders: numbers in, plotly figure out. No torch, no streamlit."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ffnviz.viz import theme


def loss_chart(epochs: np.ndarray, train_loss: np.ndarray, test_loss: np.ndarray, *, labels: dict[str, str],
               projector: bool = False) -> go.Figure:
    """Train and test loss against epochs, on a log axis (slow late progress stays visible)."""
    width = theme.line_width(projector)
    traces = []
    for name, values, color, dash in (("train", train_loss, theme.TRAIN_COLOR, "solid"),
                                      ("test", test_loss, theme.TEST_COLOR, "dot")):
        ok = np.isfinite(values) & (values > 0)
        traces.append(go.Scatter(
            x=epochs[ok].astype(np.float32), y=values[ok].astype(np.float32), mode="lines", name=labels[name],
            line={"color": color, "width": width, "dash": dash},
            hovertemplate=f"{labels['epoch']} %{{x:.0f}}<br>{labels[name]} %{{y:.4f}}<extra></extra>",
        ))
    finite = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in (train_loss, test_loss)])
    ticks = log_ticks(float(finite.min()), float(finite.max())) if finite.size else []
    yaxis = {"title": {"text": labels["loss_axis"]}, "type": "log"}
    if ticks:
        yaxis.update(tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
    return go.Figure(traces, theme.layout(labels["title"], projector=projector,
                                          xaxis={"title": {"text": labels["epoch"]}, "rangemode": "tozero"},
                                          yaxis=yaxis))


def log_ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 ticks covering [lo, hi] for a log axis: a few readable labels instead of plotly's
    crowd of minor digits. Empty (plotly's own choice) when the range is too narrow for two."""
    for mantissas in ((1, 2, 5), tuple(range(1, 10))):
        ticks = [float(f"{m}e{e}") for e in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
                 for m in mantissas]
        inside = [t for t in ticks if lo <= t <= hi]
        if len(inside) >= 2:
            return [t for t in ticks if t < lo][-1:] + inside + [t for t in ticks if t > hi][:1]
    return []


def _class_image(probs: np.ndarray) -> np.ndarray:
    """(h, w, k) class probabilities as an RGB image: the winning class's colour, faded towards
    white as the model's confidence drops to chance."""
    k = probs.shape[2]
    colors = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in theme.CLASS_COLORS[:k]], np.float32)
    best = probs.argmax(2)
    confidence = (probs.max(2) - 1.0 / k) / (1.0 - 1.0 / k)
    white = np.full(3, 255.0, np.float32)
    rgb = white + (colors[best] - white) * confidence[..., None]
    return rgb.clip(0, 255).astype(np.uint8)


def decision_map(grid: np.ndarray, extent: float, points: list[tuple[np.ndarray, np.ndarray, str]], *,
                 labels: dict[str, str], projector: bool = False) -> go.Figure:
    """The model's output over the input plane with the data points on top.

    `grid` is P(class 1) of shape (n, n) for a binary problem, or class probabilities (n, n, k);
    row i is x2 = linspace(-extent, extent)[i]. `points` are (x of shape (m, 2), class index,
    "train" or "test") groups; test points get a dark outline."""
    n = grid.shape[0]
    axis = np.linspace(-extent, extent, n, dtype=np.float32)
    traces = []
    if grid.ndim == 2:
        traces.append(go.Heatmap(
            x=axis, y=axis, z=grid.astype(np.float32), zmin=0.0, zmax=1.0, colorscale=theme.DIVERGING,
            opacity=0.75, showscale=False, zsmooth="best",
            hovertemplate="x1 %{x:.2f}<br>x2 %{y:.2f}<br>" + labels["probability"] + " %{z:.2f}<extra></extra>",
        ))
    else:
        step = float(axis[1] - axis[0])
        traces.append(go.Image(z=_class_image(grid), x0=float(axis[0]), dx=step, y0=float(axis[0]), dy=step,
                               opacity=0.75, hoverinfo="skip"))
    k = 2 if grid.ndim == 2 else grid.shape[2]
    size = 9 if projector else 6
    for x, y, kind in points:
        for c in range(k):
            sel = y == c
            if not sel.any():
                continue
            traces.append(go.Scattergl(
                x=x[sel, 0], y=x[sel, 1], mode="markers", name=f"{labels[kind]} · {labels['class']} {c}",
                marker={"color": theme.CLASS_COLORS[c], "size": size,
                        "line": {"color": "#222222" if kind == "test" else "white", "width": 1},
                        "symbol": "circle" if kind == "train" else "diamond"},
                hovertemplate=f"{labels[kind]} · {labels['class']} {c}<br>x1 %{{x:.2f}}<br>x2 %{{y:.2f}}<extra></extra>",
            ))
    layout = theme.layout(labels["title"], projector=projector, height=420, showlegend=False,
                          xaxis={"title": {"text": "x1"}, "range": [-extent, extent], "constrain": "domain"},
                          yaxis={"title": {"text": "x2"}, "range": [-extent, extent], "scaleanchor": "x",
                                 "scaleratio": 1, "constrain": "domain"})
    layout["margin"].update(l=40, r=10)
    return go.Figure(traces, layout)


def layer_norms(layers: list[int], grad_norms: list[float], weight_norms: list[float], *, labels: dict[str, str],
                projector: bool = False) -> go.Figure:
    """Per layer, the gradient norm ||dL/dW|| and the weight norm ||W|| on a log axis: a
    vanishing gradient shows as a bar orders of magnitude below its neighbours."""
    names = [f"{labels['layer']} {i}" for i in layers]
    traces = [go.Bar(x=names, y=np.maximum(values, 1e-12), name=labels[key], marker_color=color,
                     hovertemplate="%{x}<br>" + labels[key] + " %{y:.3g}<extra></extra>")
              for key, values, color in (("grad", grad_norms, theme.NEGATIVE), ("weight", weight_norms, theme.POSITIVE))]
    return go.Figure(traces, theme.layout(labels["title"], projector=projector, height=320, barmode="group",
                                          yaxis={"type": "log", "title": {"text": labels["norm_axis"]}}))
