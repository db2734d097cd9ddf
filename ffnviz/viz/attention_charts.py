"""Attention pictures for the self-attention page: every layer × head map as a grid (BertViz's
model view), one map enlarged beside the task's ideal pattern, and one head's computation step
by step (Q, K, QKᵀ/√d_k, the mask, the softmax, V, the weighted sum), as Transformer Explainer
draws it. Pure: numpy in, plotly figure out; every visible string comes in through `labels`.

A map's rows are queries (the position that looks), its columns keys (the positions looked at),
top row first. Tokens repeat, so axes are positions with the tokens as tick text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from ffnviz.viz import theme

if TYPE_CHECKING:  # for the annotation only: the viz package stays free of torch
    from ffnviz.train.attention_extras import LayerSteps

MASKED = "#888888"  # a blocked cell of the causal mask
VISIBLE = "#EEF3F8"  # a cell the mask lets through
_GAP = 0.06  # between panels side by side, as a fraction of the width
_ROW_GAP_PX = 70  # between rows of panels: tick labels and the next row's title


def _axis_names(i: int) -> tuple[str, str, str, str]:
    """(layout x key, layout y key, trace x ref, trace y ref) of the i-th panel."""
    n = "" if i == 0 else str(i + 1)
    return f"xaxis{n}", f"yaxis{n}", f"x{n}", f"y{n}"


def _scale(kind: str, z: np.ndarray) -> dict:
    if kind == "weights":  # probabilities: one fixed scale, so maps compare across heads
        return {"colorscale": theme.SEQUENTIAL, "zmin": 0.0, "zmax": 1.0}
    if kind == "mask":
        return {"colorscale": [[0.0, VISIBLE], [1.0, MASKED]], "zmin": 0.0, "zmax": 1.0}
    finite = np.abs(z[np.isfinite(z)])
    span = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    return {"colorscale": theme.DIVERGING, "zmin": -span, "zmax": span}


def _ticks(texts: list[str] | None, n: int, font: int) -> dict:
    if texts is None:  # a vector's dimensions: numbered from 1, at most 8 numbers shown
        shown = list(range(0, n, -(-n // 8)))
        return {"tickvals": shown, "ticktext": [str(i + 1) for i in shown], "tickfont": {"size": font},
                "showgrid": False, "zeroline": False}
    return {"tickvals": list(range(n)), "ticktext": list(texts), "tickfont": {"size": font}, "showgrid": False,
            "zeroline": False}


def heatmap_grid(panels: list[dict], cols: int, *, title: str, projector: bool = False, row_height: int = 200,
                 highlight: int | None = None, colorbar: str | None = None) -> go.Figure:
    """Panels laid out `cols` to a row, each a heatmap with its own axes. A panel is a dict:
    z (rows, columns); x, y: tick texts (None: numbered dimensions); title; kind "weights"
    (0..1, the shared colour bar titled `colorbar`), "signed" (its own symmetric scale) or
    "mask" (1 = blocked, grey); hover: (rows, columns) strings; cell_text: write the values in
    the cells. `highlight`: the panel to frame (the one enlarged elsewhere)."""
    rows = -(-len(panels) // cols)
    width = (1 - _GAP * (cols - 1)) / cols
    plot_px = row_height * rows + _ROW_GAP_PX * (rows - 1)  # the plot area, margins aside
    row_gap = _ROW_GAP_PX / plot_px  # room for the tick labels above and the title below
    height = (1 - row_gap * (rows - 1)) / rows
    size = theme.font_size(projector)
    tick = max(size - 4, 9)
    traces, axes, notes, shapes = [], {}, [], []
    shown_bar = False
    for i, p in enumerate(panels):
        r, c = divmod(i, cols)
        x0 = c * (width + _GAP)
        y1 = 1 - r * (height + row_gap)
        xk, yk, xr, yr = _axis_names(i)
        z = np.asarray(p["z"], dtype=np.float32)
        trace = {"type": "heatmap", "z": z, "x": np.arange(z.shape[1]), "y": np.arange(z.shape[0]), "xaxis": xr,
                 "yaxis": yr, "xgap": 1, "ygap": 1, **_scale(p.get("kind", "signed"), z), "showscale": False,
                 "text": p["hover"], "hovertemplate": "%{text}<extra></extra>"}
        if p.get("kind") == "weights" and colorbar is not None and not shown_bar:
            trace.update(showscale=True, colorbar={"title": {"text": colorbar, "side": "right"}, "thickness": 12,
                                                   "len": min(1.0, 0.9 * height * rows)})
            shown_bar = True
        if p.get("cell_text"):
            trace.update(texttemplate="%{z:.2f}", textfont={"size": tick})
        traces.append(trace)
        axes[xk] = {"domain": [max(x0, 0.0), min(x0 + width, 1.0)], "anchor": yr, **_ticks(p["x"], z.shape[1], tick)}
        axes[yk] = {"domain": [max(y1 - height, 0.0), min(y1, 1.0)], "anchor": xr, "autorange": "reversed",
                    **_ticks(p["y"], z.shape[0], tick)}
        notes.append({"text": p["title"], "showarrow": False, "xref": "paper", "yref": "paper", "x": x0 + width / 2,
                      "y": y1, "xanchor": "center", "yanchor": "bottom", "font": {"size": size}})
        if i == highlight:
            pad = 0.01
            # wide on the left, around the tick labels (the tokens) too
            shapes.append({"type": "rect", "xref": "paper", "yref": "paper", "x0": x0 - 4 * pad, "x1": x0 + width + pad,
                           "y0": y1 - height - pad, "y1": y1 + pad * 4, "line": {"color": theme.TEST_COLOR, "width": 3}})
    layout = theme.layout(title, projector=projector, height=130 + plot_px, showlegend=False,
                          annotations=notes, shapes=shapes, **axes)
    layout["margin"].update(t=layout["margin"]["t"] + 20, l=40)
    return theme.figure(traces, layout)


def _hover_map(z: np.ndarray, q_tokens: list[str], k_tokens: list[str], labels: dict[str, str]) -> list[list[str]]:
    return [[f"{labels['query']} {i + 1} ({q_tokens[i]}) → {labels['key']} {j + 1} ({k_tokens[j]})<br>"
             f"{labels['value']} {z[i, j]:.3f}" for j in range(z.shape[1])] for i in range(z.shape[0])]


def _hover_vectors(z: np.ndarray, tokens: list[str], labels: dict[str, str], name: str) -> list[list[str]]:
    return [[f"{labels['position']} {i + 1} ({tokens[i]})<br>{name}[{j + 1}] = {z[i, j]:.3f}" for j in range(z.shape[1])]
            for i in range(z.shape[0])]


def model_view(maps: np.ndarray, tokens: list[str], *, labels: dict[str, str], selected: tuple[int, int] | None = None,
               projector: bool = False) -> go.Figure:
    """maps (L, H, T, T): one panel per layer (rows) and head (columns), titled
    labels["cell"].format(layer=, head=) ("L1 · H2"); `selected` (layer, head) framed.
    Labels: title, cell, query, key, value."""
    n_layers, n_heads = maps.shape[:2]
    panels = [{"z": maps[layer, head], "x": tokens, "y": tokens, "kind": "weights",
               "title": labels["cell"].format(layer=layer + 1, head=head + 1),
               "hover": _hover_map(maps[layer, head], tokens, tokens, labels)}
              for layer in range(n_layers) for head in range(n_heads)]
    highlight = None if selected is None else selected[0] * n_heads + selected[1]
    return heatmap_grid(panels, n_heads, title=labels["title"], projector=projector, highlight=highlight,
                        colorbar=labels["value"], row_height=190 if n_heads > 2 else 240)


def head_of_panel(trace: int, n_heads: int) -> tuple[int, int]:
    """The (layer, head) that model_view's trace number `trace` shows (one trace a panel, row by
    row), for a click on the grid."""
    return divmod(int(trace), n_heads)


def map_with_ideal(weights: np.ndarray, ideal: np.ndarray | None, tokens: list[str], *, labels: dict[str, str],
                   projector: bool = False) -> go.Figure:
    """One head's map (T, T), values in the cells when T is small, beside the task's ideal
    pattern when there is one. Labels: title, learned, ideal, query, key, value."""
    cells = len(tokens) <= 10
    panels = [{"z": weights, "x": tokens, "y": tokens, "kind": "weights", "title": labels["learned"],
               "hover": _hover_map(weights, tokens, tokens, labels), "cell_text": cells}]
    if ideal is not None:
        panels.append({"z": ideal, "x": tokens, "y": tokens, "kind": "weights", "title": labels["ideal"],
                       "hover": _hover_map(ideal, tokens, tokens, labels)})
    return heatmap_grid(panels, 2, title=labels["title"], projector=projector, row_height=330, colorbar=labels["value"])


STEP_KEYS = ("q", "k", "scores", "mask", "weights", "v", "heads_out")


def attention_steps(steps: LayerSteps, head: int, tokens: list[str], *, labels: dict[str, str],
                    projector: bool = False) -> go.Figure:
    """One head's computation, in reading order: Q and K (T × d_k), the scores QKᵀ/√d_k, the
    mask (grey: a query may not look there), softmax(scores + mask), V and the weighted sum
    softmax·V (T × d_k). `steps`: one layer's, attention_extras.LayerSteps (q, k, v, heads_out
    (H, T, d_k); scores, weights (H, T, T); mask (T, T)). Labels: title, and a panel title per
    STEP_KEYS entry, query, key, value, position."""
    panels = []
    for key in STEP_KEYS:
        found = getattr(steps, key)
        z = np.asarray(found if key == "mask" else found[head], dtype=np.float32)
        if key == "mask":
            z = (~np.isfinite(z)).astype(np.float32)  # -inf: blocked
        square = key in ("scores", "mask", "weights")
        hover = (_hover_map(z, tokens, tokens, labels) if square else _hover_vectors(z, tokens, labels, key.upper()))
        panels.append({"z": z, "x": tokens if square else None, "y": tokens, "title": labels[key],
                       "kind": {"weights": "weights", "mask": "mask"}.get(key, "signed"), "hover": hover})
    return heatmap_grid(panels, 4, title=labels["title"], projector=projector, row_height=230, colorbar=labels["value"])


def position_accuracy(accuracy: np.ndarray, *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """Test accuracy at each position, as bars (positions without a target are left out).
    Labels: title, position, value."""
    acc = np.asarray(accuracy, dtype=np.float64)
    ok = np.isfinite(acc)
    positions = np.arange(1, len(acc) + 1)
    trace = {"type": "bar", "x": positions[ok], "y": acc[ok].astype(np.float32), "marker": {"color": theme.TEST_COLOR},
             "hovertemplate": f"{labels['position']} %{{x}}<br>{labels['value']} %{{y:.1%}}<extra></extra>"}
    layout = theme.layout(labels["title"], projector=projector, height=300, showlegend=False,
                          xaxis={"title": {"text": labels["position"]}, "tickvals": positions.tolist()},
                          yaxis={"title": {"text": labels["value"]}, "range": [0, 1.02], "tickformat": ".0%"})
    return theme.figure([trace], layout)
