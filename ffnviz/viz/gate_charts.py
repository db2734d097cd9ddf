"""Gate pictures for the gated-layers page: a gate's values as a heatmap (hidden unit against a
probe example, or against time). Pure: numpy in, plotly figure out; every visible string comes in
through `labels`. Histograms and curves reuse inside.lines_over_time."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ffnviz.viz import theme


def unit_heatmap(values: np.ndarray, *, labels: dict[str, str], signed: bool = False,
                 projector: bool = False) -> go.Figure:
    """`values` (rows, units) as a heatmap: x the hidden unit, y the row (a probe example or a
    time step, as labels["rows"] says). Sigmoid gates on [0, 1] in the sequential scale; `signed`
    values (tanh, an FFN's gate) on the diverging scale, symmetric about 0.
    Labels: title, unit, rows, value."""
    z = np.asarray(values, dtype=np.float32)
    if signed:
        finite = np.abs(z[np.isfinite(z)])
        span = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        scale = {"colorscale": theme.DIVERGING, "zmin": -span, "zmax": span}
    else:
        scale = {"colorscale": theme.SEQUENTIAL, "zmin": 0.0, "zmax": 1.0}
    trace = {"type": "heatmap", "z": z, "x": np.arange(1, z.shape[1] + 1), "y": np.arange(1, z.shape[0] + 1),
             "colorbar": {"title": {"text": labels["value"], "side": "right"}, "thickness": 12}, **scale,
             "hovertemplate": f"{labels['unit']} %{{x}}<br>{labels['rows']} %{{y}}<br>{labels['value']} %{{z:.3f}}"
                              "<extra></extra>"}
    layout = theme.layout(labels["title"], projector=projector, height=340, showlegend=False,
                          xaxis={"title": {"text": labels["unit"]}}, yaxis={"title": {"text": labels["rows"]},
                                                                           "autorange": "reversed"})
    return theme.figure([trace], layout)
