"""Pure chart builders of the deep-networks page: per-layer statistics at initialization beside
the live ones (the CS231n figure, moving), histograms of every layer on shared bins, gradient
norms, one update's size against the weights, dead and saturated units, the loss with the
validation curve and its best epoch, and the learning rate over updates. Numbers in, plotly
figures out; no torch, no streamlit."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ffnviz.viz import theme
from ffnviz.viz.charts import log_axis

HEALTHY_RATIO = 1e-3  # the rule of thumb for ‖ΔW‖/‖W‖ per update
INIT_DASH = "dot"


HALF_TITLE_WIDTH = 26  # characters (a CJK character counts two) of title that fit a half-width chart on one line


def text_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _half_width(layout: dict, projector: bool) -> dict:
    """The per-layer charts sit two a row (one a row in projector mode): the title starts at the
    chart's left edge, not the plot area's, and a title too long for half a row breaks onto a
    second line (with room made for it) instead of running off the chart. Changes `layout`."""
    title = layout["title"]
    # from the top edge down, so a second line stays clear of a legend or the labels above the plot
    title.update(xref="container", x=0.02, yref="container", y=1.0, yanchor="top", pad={"t": 8})
    text = title["text"]
    if projector or text_width(text) <= HALF_TITLE_WIDTH or " " not in text:
        return layout
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    fitting = [i for i in spaces if max(text_width(text[:i]), text_width(text[i + 1:])) <= HALF_TITLE_WIDTH]
    after_colon = [i for i in fitting if text[i - 1] in ":,"]  # "Activations per layer:" / "mean and std"
    cut = after_colon[0] if after_colon else min(  # nearest the middle; a tie keeps the longer first line
        fitting or spaces, key=lambda i: (abs(text_width(text[:i]) - text_width(text) / 2), -i))
    title["text"] = text[:cut] + "<br>" + text[cut + 1:]
    extra = title["font"]["size"] + 6
    # plotly.js anchors a title of several lines by its last line: push it down by the first line (seen in Chromium)
    title["pad"] = {"t": title["pad"]["t"] + extra}
    layout["margin"] = {**layout["margin"], "t": layout["margin"]["t"] + extra}
    layout["height"] += extra
    return layout


def _layer_axis(labels: dict[str, str], n: int, ticks: int = 10) -> dict:
    """Layers 1..n, at most about `ticks` tick labels."""
    return {"title": {"text": labels["layer"]}, "tickmode": "linear", "tick0": 1, "dtick": max(1, -(-n // ticks)),
            "range": [0.5, n + 0.5]}


def _line(x, y, name: str, color: str, width: float, dash: str = "solid", fmt: str = ".3g", hover: str = "") -> dict:
    y = np.asarray(y, dtype=np.float64)
    return {"type": "scatter", "mode": "lines+markers", "x": np.asarray(x, np.float32), "y": y.astype(np.float32),
            "name": name, "line": {"color": color, "width": width, "dash": dash}, "marker": {"size": 5},
            "hovertemplate": f"{hover} %{{x}}<br>{name} %{{y:{fmt}}}<extra></extra>"}


def activation_stats(init_mean, init_std, now_mean, now_std, *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """Each hidden layer's activation mean and standard deviation, at initialization (dotted) and
    now (solid), against the layer. Labels: title, layer, value, mean, std, init, now."""
    n = len(now_std)
    x = np.arange(1, n + 1)
    w = theme.line_width(projector)
    std_c, mean_c = theme.CLASS_COLORS[1], theme.CLASS_COLORS[0]
    traces = [
        _line(x, init_std, f"{labels['std']} · {labels['init']}", std_c, w * 0.7, INIT_DASH, hover=labels["layer"]),
        _line(x, now_std, f"{labels['std']} · {labels['now']}", std_c, w, hover=labels["layer"]),
        _line(x, init_mean, f"{labels['mean']} · {labels['init']}", mean_c, w * 0.7, INIT_DASH, hover=labels["layer"]),
        _line(x, now_mean, f"{labels['mean']} · {labels['now']}", mean_c, w, hover=labels["layer"]),
    ]
    layout = theme.layout(labels["title"], projector=projector, height=340, xaxis=_layer_axis(labels, n),
                          yaxis={"title": {"text": labels["value"]}})
    theme.fit_legend(layout, [t["name"] for t in traces])
    _half_width(layout, projector)
    return theme.figure(traces, layout)


def layer_histograms(edges: np.ndarray, init_counts: np.ndarray, now_counts: np.ndarray, *, labels: dict[str, str],
                     projector: bool = False) -> go.Figure:
    """Every hidden layer's activation histogram on the same bins, at initialization (left) and now
    (right): x the layer, y the value, colour the share of the layer's values in the bin (a column
    squeezed into the middle is a layer whose activations vanished; one at both ends, saturated).
    counts: (layers, bins). Labels: title, layer, value, init, now, share."""
    edges = np.asarray(edges, np.float64)
    centres = ((edges[:-1] + edges[1:]) / 2).astype(np.float32)
    traces = []
    for i, (counts, name) in enumerate(((init_counts, labels["init"]), (now_counts, labels["now"]))):
        counts = np.asarray(counts, np.float64)
        share = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
        traces.append({
            "type": "heatmap", "x": np.arange(1, len(counts) + 1, dtype=np.float32), "y": centres,
            "z": np.sqrt(share.T).astype(np.float32), "customdata": share.T.astype(np.float32),
            "colorscale": theme.SEQUENTIAL, "zmin": 0.0, "zmax": 1.0, "showscale": i == 1,
            "colorbar": {"thickness": 12, "title": {"text": labels["share"]}, "tickvals": [0, 0.5, 1],
                         "ticktext": ["0", "25%", "100%"]},
            "xaxis": "x" if i == 0 else "x2", "yaxis": "y", "name": name,
            "hovertemplate": f"{name}<br>{labels['layer']} %{{x}}<br>{labels['value']} %{{y:.3g}}<br>"
                             f"{labels['share']} %{{customdata:.1%}}<extra></extra>"})
    n = len(now_counts)
    axis = _layer_axis(labels, n, ticks=5)  # each half is narrow
    layout = theme.layout(labels["title"], projector=projector, height=340, showlegend=False,
                          xaxis={**axis, "domain": [0.0, 0.46]}, xaxis2={**axis, "domain": [0.54, 1.0], "anchor": "y"},
                          yaxis={"title": {"text": labels["value"]}},
                          # which half is which, over each half: two axis titles side by side ran into each other
                          annotations=[{"xref": f"x{'' if i == 0 else 2} domain", "yref": "paper", "x": 0.5, "y": 1.0,
                                        "xanchor": "center", "yanchor": "bottom", "showarrow": False, "text": name,
                                        "font": {"size": theme.font_size(projector)}}
                                       for i, name in enumerate((labels["init"], labels["now"]))])
    _half_width(layout, projector)
    return theme.figure(traces, layout)


def gradient_norms(init, now, *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """‖∂L/∂W‖ per linear layer (the output layer last), at initialization and now, on a log axis:
    a gradient that vanishes towards the input is a line falling to the left. Labels: title,
    layer, value, init, now."""
    n = len(now)
    x = np.arange(1, n + 1)
    w = theme.line_width(projector)
    c = theme.CLASS_COLORS[2]
    traces = [_line(x, init, labels["init"], c, w * 0.7, INIT_DASH, hover=labels["layer"]),
              _line(x, now, labels["now"], c, w, hover=labels["layer"])]
    values = np.concatenate([np.asarray(init, np.float64), np.asarray(now, np.float64)])
    layout = theme.layout(labels["title"], projector=projector, height=340, xaxis=_layer_axis(labels, n),
                          yaxis=log_axis(values, title={"text": labels["value"]}))
    _half_width(layout, projector)
    return theme.figure(traces, layout)


def update_ratios(ratios, *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """One update's ‖ΔW‖/‖W‖ per linear layer on a log axis, with the rule of thumb 1e-3 as a
    dashed line. Labels: title, layer, value, healthy."""
    ratios = np.asarray(ratios, np.float64)
    n = len(ratios)
    shown = np.where(np.isfinite(ratios) & (ratios > 0), ratios, np.nan)
    trace = {"type": "bar", "x": np.arange(1, n + 1, dtype=np.float32), "y": shown.astype(np.float32),
             "marker": {"color": theme.CLASS_COLORS[3]}, "name": labels["value"],
             "hovertemplate": f"{labels['layer']} %{{x}}<br>{labels['value']} %{{y:.2e}}<extra></extra>"}
    finite = shown[np.isfinite(shown)]
    axis = log_axis(np.concatenate([finite, [HEALTHY_RATIO / 10, HEALTHY_RATIO * 10]]), title={"text": labels["value"]})
    line = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": HEALTHY_RATIO, "y1": HEALTHY_RATIO,
            "line": {"color": theme.TRAIN_COLOR, "dash": "dash", "width": 1.5}}
    note = {"xref": "paper", "x": 1.0, "xanchor": "right", "y": np.log10(HEALTHY_RATIO), "yanchor": "bottom",
            "text": labels["healthy"], "showarrow": False, "font": {"size": theme.font_size(projector) - 2}}
    layout = theme.layout(labels["title"], projector=projector, height=340, showlegend=False,
                          xaxis=_layer_axis(labels, n), yaxis=axis, shapes=[line], annotations=[note])
    _half_width(layout, projector)
    return theme.figure([trace], layout)


def unit_health(dead, saturated, *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """Per hidden layer, the share of dead units (ReLU: 0 on every probe example) and of saturated
    activations (tanh, sigmoid: within 1 % of a bound); a layer without such a measure has no bar.
    Labels: title, layer, dead, saturated, value."""
    n = max(len(dead), len(saturated))
    x = np.arange(1, n + 1, dtype=np.float32)
    traces = []
    for values, name, color in ((dead, labels["dead"], theme.CLASS_COLORS[4]),
                                (saturated, labels["saturated"], theme.CLASS_COLORS[0])):
        values = np.asarray([np.nan if v is None else v for v in values], np.float64)
        if np.isfinite(values).any():
            traces.append({"type": "bar", "x": x, "y": values.astype(np.float32), "name": name,
                           "marker": {"color": color},
                           "hovertemplate": f"{labels['layer']} %{{x}}<br>{name} %{{y:.0%}}<extra></extra>"})
    layout = theme.layout(labels["title"], projector=projector, height=300, barmode="group",
                          xaxis=_layer_axis(labels, n),
                          yaxis={"title": {"text": labels["value"]}, "range": [0, 1.02], "tickformat": ".0%"})
    _half_width(layout, projector)
    return theme.figure(traces, layout)


def gradients_over_time(epochs, grad_norms, *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """The gradient norm of every linear layer over training: x epoch, y layer, colour log10 of the
    norm. A vanishing gradient is a dark band at the bottom (the input side). grad_norms: (T,
    layers). Labels: title, epoch, layer, value."""
    g = np.asarray(grad_norms, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(g > 0, np.log10(g), np.nan).T
    trace = {"type": "heatmap", "x": np.asarray(epochs, np.float32), "y": np.arange(1, g.shape[1] + 1, dtype=np.float32),
             "z": z.astype(np.float32), "colorscale": theme.SEQUENTIAL,
             "colorbar": {"thickness": 12, "title": {"text": "log₁₀"}},
             "hovertemplate": f"{labels['epoch']} %{{x:.1f}}<br>{labels['layer']} %{{y}}<br>"
                              f"log₁₀ {labels['value']} %{{z:.2f}}<extra></extra>"}
    layout = theme.layout(labels["title"], projector=projector, height=300, showlegend=False,
                          xaxis={"title": {"text": labels["epoch"]}},
                          yaxis={"title": {"text": labels["layer"]}, "dtick": max(1, g.shape[1] // 10) if g.size else 1})
    _half_width(layout, projector)
    return theme.figure([trace], layout)


def loss_with_validation(epochs, train, val, test, best_epoch: int | None, *, labels: dict[str, str],
                         projector: bool = False) -> go.Figure:
    """Train, validation and test loss against epochs on a log axis, with the best validation epoch
    marked by a vertical line (the epoch early stopping keeps; the test curve is only reported).
    Labels: title, epoch, loss_axis, train, val, test, best."""
    epochs = np.asarray(epochs, np.float64)
    w = theme.line_width(projector)
    traces, plotted = [], []
    for values, name, color, dash in ((train, labels["train"], theme.TRAIN_COLOR, "solid"),
                                      (val, labels["val"], theme.CLASS_COLORS[2], "solid"),
                                      (test, labels["test"], theme.TEST_COLOR, "dot")):
        values = np.asarray(values, np.float64)
        ok = np.isfinite(values) & (values > 0)
        if not ok.any():
            continue
        plotted.append(values[ok])
        traces.append({"type": "scatter", "mode": "lines", "x": epochs[ok].astype(np.float32),
                       "y": values[ok].astype(np.float32), "name": name, "line": {"color": color, "width": w, "dash": dash},
                       "hovertemplate": f"{labels['epoch']} %{{x:.0f}}<br>{name} %{{y:.4f}}<extra></extra>"})
    shapes, notes = [], []
    if best_epoch is not None:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": best_epoch, "x1": best_epoch, "y0": 0, "y1": 1,
                       "line": {"color": theme.CLASS_COLORS[2], "dash": "dash", "width": 1.5}})
        notes.append({"xref": "x", "yref": "paper", "x": best_epoch, "y": 1.0, "yanchor": "bottom", "showarrow": False,
                      "text": labels["best"], "font": {"size": theme.font_size(projector) - 2}})
    yaxis = log_axis(np.concatenate(plotted) if plotted else np.zeros(0), title={"text": labels["loss_axis"]})
    layout = theme.layout(labels["title"], projector=projector, height=340, shapes=shapes, annotations=notes,
                          xaxis={"title": {"text": labels["epoch"]}, "rangemode": "tozero"}, yaxis=yaxis)
    return theme.figure(traces, layout)


def learning_rate(updates, lrs, planned_updates=None, planned_lrs=None, *, labels: dict[str, str],
                  projector: bool = False) -> go.Figure:
    """The learning rate each update used (solid), and the whole schedule over the budget (dotted,
    when given), against updates. Labels: title, updates, lr, used, planned."""
    w = theme.line_width(projector)
    traces = []
    if planned_updates is not None and len(planned_updates):
        traces.append({"type": "scatter", "mode": "lines", "x": np.asarray(planned_updates, np.float32),
                       "y": np.asarray(planned_lrs, np.float64), "name": labels["planned"],
                       "line": {"color": "#999999", "width": w * 0.7, "dash": INIT_DASH}, "hoverinfo": "skip"})
    traces.append({"type": "scatter", "mode": "lines", "x": np.asarray(updates, np.float32),
                   "y": np.asarray(lrs, np.float64), "name": labels["used"],
                   "line": {"color": theme.CLASS_COLORS[1], "width": w},
                   "hovertemplate": f"{labels['updates']} %{{x:.0f}}<br>{labels['lr']} %{{y:.3g}}<extra></extra>"})
    layout = theme.layout(labels["title"], projector=projector, height=340,
                          xaxis={"title": {"text": labels["updates"]}, "rangemode": "tozero"},
                          yaxis={"title": {"text": labels["lr"]}, "rangemode": "tozero", "exponentformat": "e"})
    theme.fit_legend(layout, [t["name"] for t in traces], labels["title"])
    return theme.figure(traces, layout)
