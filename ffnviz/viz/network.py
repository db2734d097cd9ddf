"""The network as a diagram: units in columns, edges coloured by the weight's sign and drawn
thicker as |w| grows. Pure: numpy in, plotly figure out. No torch, no streamlit.

Speed is the design: edges are bucketed by sign x width bin, each bucket ONE line trace with
NaN-separated segments (plotly.js draws NaN as a gap, like None, and float arrays validate and
serialise far faster than object arrays of None), so the figure has a fixed handful of traces
whatever the network's size. Traces go in as plain dicts, built by `theme.figure`, which skips
plotly's validation (the unit tests validate each chart once)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ffnviz.viz import theme

WIDTH_BINS = 4
# Each bin's line width (times theme.line_width) and opacity: faint hairlines for small weights.
_WIDTHS = (0.25, 0.6, 1.1, 1.8)
_OPACITY = (0.35, 0.55, 0.75, 0.95)
# Where along each edge its hover point sits. Not the midpoint: in a layer of centred columns
# many edges share a midpoint (a->d and b->c when a+d = b+c), and only one of them could answer.
_HOVER_T = 0.42
INPUT_COLOR = "#BBBBBB"


def _column(n: int, tallest: int) -> np.ndarray:
    """y of n units, top to bottom, centred on zero: one apart in the tallest column, a small
    column spread out (up to 3 apart) so that its units and labels do not huddle in the middle."""
    step = float(np.clip((tallest - 1) / max(n - 1, 1), 1.0, 3.0))
    return ((n - 1) / 2.0 - np.arange(n, dtype=np.float64)) * step


def _segments(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Line segments (x0, y0)-(x1, y1) as one NaN-separated polyline."""
    n = x0.size
    xs, ys = np.full(3 * n, np.nan, np.float32), np.full(3 * n, np.nan, np.float32)
    xs[0::3], xs[1::3], ys[0::3], ys[1::3] = x0, x1, y0, y1
    return xs, ys


def network_diagram(weights: list[np.ndarray], biases: list[np.ndarray], input_labels: list[str], *,
                    labels: dict[str, str], projector: bool = False, max_edges_per_layer: int = 512) -> go.Figure:
    """The network: column l holds layer l's units (the inputs first, labelled by `input_labels`),
    hidden and output units coloured by their bias on the signed scale; `weights[l]` (out, in),
    as torch stores a Linear, connects column l to column l + 1. A layer with more edges than
    `max_edges_per_layer` shows only its strongest ones, and an annotation says so. Hover gives
    each weight and bias exactly. Labels: title, weight, bias, layer, unit, edges_capped, input, output."""
    sizes = [int(weights[0].shape[1])] + [int(w.shape[0]) for w in weights]
    ys = [_column(n, max(sizes)) for n in sizes]
    width = theme.line_width(projector)

    # Every shown edge, all layers together: layer, from, to, weight.
    parts, shown, total = [], 0, 0
    for layer, w in enumerate(weights):
        w = np.asarray(w, dtype=np.float64)
        flat = w.reshape(-1)
        total += flat.size
        keep = np.arange(flat.size) if flat.size <= max_edges_per_layer else \
            np.sort(np.argpartition(np.abs(flat), flat.size - max_edges_per_layer)[-max_edges_per_layer:])
        shown += keep.size
        dst, src = np.divmod(keep, w.shape[1])
        parts.append(np.column_stack([np.full(keep.size, layer, np.float64), src, dst, flat[keep]]))
    edges = np.concatenate(parts) if parts else np.zeros((0, 4))
    layer_of, src, dst, value = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64), \
        edges[:, 2].astype(np.int64), edges[:, 3]
    x0, x1 = layer_of.astype(np.float64), layer_of + 1.0
    offsets = np.cumsum([0] + sizes)
    all_y = np.concatenate(ys)
    y0, y1 = all_y[offsets[layer_of] + src], all_y[offsets[layer_of + 1] + dst]

    traces = []
    magnitude = np.abs(value)
    finite = magnitude[np.isfinite(magnitude)]
    top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    # Width bin by |w| / max |w| over the whole network (NaN edges fall in no sign, so are not drawn).
    bins = np.minimum((np.nan_to_num(magnitude / top, nan=0.0, posinf=1.0) * WIDTH_BINS).astype(np.int64),
                      WIDTH_BINS - 1)
    for b in range(WIDTH_BINS):  # thin first, so the strong edges lie on top
        for negative, color in ((True, theme.NEGATIVE), (False, theme.POSITIVE)):
            sel = (bins == b) & ((value < 0) if negative else (value >= 0))
            if not sel.any():
                continue
            sx, sy = _segments(x0[sel], y0[sel], x1[sel], y1[sel])
            traces.append(dict(type="scatter", x=sx, y=sy, mode="lines", hoverinfo="skip", showlegend=False,
                               opacity=_OPACITY[b], line={"color": color, "width": width * _WIDTHS[b]}))

    # Hover points along the edges (invisible), then the units on top.
    hover = np.column_stack([layer_of + 1, src + 1, dst + 1, value]).astype(np.float32)
    traces.append(dict(
        type="scatter",
        x=(x0 + _HOVER_T).astype(np.float32), y=(y0 + (y1 - y0) * _HOVER_T).astype(np.float32), mode="markers",
        showlegend=False, customdata=hover,
        marker={"size": 10, "opacity": 0.0, "color": INPUT_COLOR},
        hovertemplate=f"{labels['layer']} %{{customdata[0]:.0f}}: {labels['unit']} %{{customdata[1]:.0f}} → "
                      f"%{{customdata[2]:.0f}}<br>{labels['weight']} %{{customdata[3]:.4g}}<extra></extra>",
    ))
    max_units = max(sizes)
    height = int(np.clip(110 + 11 * max_units, 340, 800))
    node = float(np.clip(0.6 * (height - 110) / max_units, 5, 24)) * (1.3 if projector else 1.0)
    line = {"color": "#444444", "width": 1}
    traces.append(dict(
        type="scatter",
        x=np.zeros(sizes[0]), y=ys[0], mode="markers+text", text=list(input_labels), textposition="middle left",
        cliponaxis=False, showlegend=False, marker={"size": node, "color": INPUT_COLOR, "line": line},
        hovertemplate=f"{labels['input']} %{{text}}<extra></extra>",
    ))
    bias = [np.asarray(b, dtype=np.float64).reshape(-1) for b in biases]
    finite = np.concatenate([np.abs(b[np.isfinite(b)]) for b in bias]) if bias else np.zeros(0)
    span = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    marker = {"size": node, "colorscale": theme.DIVERGING, "cmin": -span, "cmax": span, "line": line}
    hidden = range(1, len(sizes) - 1)
    if len(hidden):
        hb = np.concatenate([bias[i - 1] for i in hidden])
        custom = np.column_stack([np.concatenate([np.full(sizes[i], i) for i in hidden]),
                                  np.concatenate([np.arange(1, sizes[i] + 1) for i in hidden]), hb]).astype(np.float32)
        traces.append(dict(
            type="scatter",
            x=custom[:, 0].astype(np.float64), y=np.concatenate([ys[i] for i in hidden]), mode="markers",
            showlegend=False, customdata=custom, marker={**marker, "color": hb},
            hovertemplate=f"{labels['layer']} %{{customdata[0]:.0f}}, {labels['unit']} %{{customdata[1]:.0f}}<br>"
                          f"{labels['bias']} %{{customdata[2]:.4g}}<extra></extra>",
        ))
    out = len(sizes) - 1
    traces.append(dict(
        type="scatter",
        x=np.full(sizes[out], float(out)), y=ys[out], mode="markers", showlegend=False,
        customdata=np.column_stack([np.arange(1, sizes[out] + 1), bias[-1]]).astype(np.float32),
        marker={**marker, "color": bias[-1]},
        hovertemplate=f"{labels['output']} %{{customdata[0]:.0f}}<br>{labels['bias']} %{{customdata[1]:.4g}}<extra></extra>",
    ))

    names = [labels["input"]] + [f"{labels['layer']} {i}" for i in hidden] + [labels["output"]]
    extra = {}
    if shown < total:
        extra["annotations"] = [theme.corner_note(labels["edges_capped"].format(shown=shown, total=total),
                                                  projector=projector)]
    half = max_units / 2.0
    layout = theme.layout(labels["title"], projector=projector, height=height, showlegend=False,
                          hovermode="closest", plot_bgcolor="white",
                          xaxis={"tickvals": list(range(len(sizes))), "ticktext": names, "side": "top",
                                 "showgrid": False, "zeroline": False, "showline": False, "ticks": "",
                                 "range": [-0.4, len(sizes) - 0.6]},
                          yaxis={"visible": False, "range": [-half, half]},
                          **extra)
    longest = max((len(s) for s in input_labels), default=2)  # the input labels stand left of the plot
    layout["margin"].update(l=int(24 + 0.65 * theme.font_size(projector) * longest), r=20, t=layout["margin"]["t"] + 30)
    return theme.figure(traces, layout)
