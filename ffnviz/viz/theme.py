"""The one place that owns the look: class colours, the signed and magnitude colour scales,
fonts, and the projector-mode sizes. Every chart builds its layout here."""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe & Ito's colour-blind-safe palette. Class 0 is orange and class 1 blue, as
# TensorFlow Playground colours its negative and positive points.
CLASS_COLORS = ("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00")
NEGATIVE, NEUTRAL, POSITIVE = CLASS_COLORS[0], "#F7F7F7", CLASS_COLORS[1]
# Signed quantities (weights, gradients, margins): one diverging scale centred on zero.
DIVERGING = [[0.0, NEGATIVE], [0.5, NEUTRAL], [1.0, POSITIVE]]
# Magnitudes (activations, attention): one sequential scale.
SEQUENTIAL = "Viridis"
TRAIN_COLOR, TEST_COLOR = "#333333", "#D55E00"

FONT = "Source Sans Pro, Noto Sans CJK SC, sans-serif"


def font_size(projector: bool) -> int:
    return 20 if projector else 14


def line_width(projector: bool) -> float:
    return 4.0 if projector else 2.0


def layout(title: str, *, projector: bool = False, height: int = 380, revision: str = "keep", **extra) -> dict:
    """Title, fonts, margins and `uirevision` (keeps zoom and legend choices across redraws), as a
    plain dict: a figure is built in one go from it, since every plotly `update_*` call
    re-validates and costs milliseconds that a live refresh does not have."""
    size = font_size(projector)
    base = {
        "title": {"text": title, "font": {"size": size + 4}, "x": 0.0, "xref": "paper", "xanchor": "left"},
        "font": {"family": FONT, "size": size},
        "height": int(height * (1.25 if projector else 1.0)),
        "margin": {"l": 60, "r": 20, "t": 60 + (10 if projector else 0), "b": 50},
        "uirevision": revision,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
    }
    base.update(extra)
    for axis in ("xaxis", "yaxis"):  # room for tick labels and titles at any font size (projector mode)
        if isinstance(base.get(axis), dict):
            base[axis] = {"automargin": True, **base[axis]}
    return base


_NARROW_PLOT_PX = 320  # width of a chart in half a column, where legends must fit
_LEGEND_BESIDE_TITLE = 40  # characters of legend (names plus room for the line) that fit beside a title
_TITLE_AND_LEGEND = 55  # characters of a title and its legend that fit on one line of a narrow chart


def fit_legend(layout_: dict, names: list[str], title: str = "") -> None:
    """Long legend names would run over the title (or off the chart): then the legend goes under
    the chart, with room for as many rows as a half-width column needs. With `title`, a long
    title counts too. Changes `layout_`."""
    legend = sum(len(name) + 6 for name in names)
    if legend <= _LEGEND_BESIDE_TITLE and (not title or len(title) + legend <= _TITLE_AND_LEGEND):
        return
    entry_px = 7 * max(len(name) for name in names) + 40
    rows = -(-len(names) // max(1, _NARROW_PLOT_PX // entry_px))
    layout_["legend"] = {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0,
                         "xanchor": "left", "x": 0.0}
    layout_["height"] += 22 * rows + 10
    layout_["margin"]["b"] += 22 * rows + 10


def plane_layout(title: str, extent: float, *, projector: bool = False) -> dict:
    """The layout of a picture over the input plane: square, x1 and x2 in [-extent, extent]."""
    base = layout(title, projector=projector, height=420, showlegend=False,
                  xaxis={"title": {"text": "x1"}, "range": [-extent, extent], "constrain": "domain"},
                  yaxis={"title": {"text": "x2"}, "range": [-extent, extent], "scaleanchor": "x", "scaleratio": 1,
                         "constrain": "domain"})
    base["margin"].update(l=40, r=10)
    return base


def corner_note(text: str, *, projector: bool = False) -> dict:
    """A small grey annotation under the plot's bottom-right corner ("128 of 520 shown")."""
    return {"text": text, "showarrow": False, "xref": "paper", "yref": "paper", "x": 1.0, "y": 0.0,
            "xanchor": "right", "yanchor": "top", "yshift": -4,
            "font": {"size": font_size(projector) - 2, "color": "#666666"}}


def figure(traces: list[dict], layout_: dict, frames: list[dict] | None = None) -> go.Figure:
    """A figure from plain-dict traces and layout (and animation frames), without plotly's
    validation: validating costs 3-5 ms a figure, and a live panel redraws several every second.
    The figures stay checked: the unit tests validate every chart's output once
    (tests/unit/test_figures_valid.py).

    The layout's template is left empty, meaning plotly's default where the figure is shown
    (viz/payload.figure_json writes it out, or leaves it to a reader that has it): copying the
    default template into every new figure took ~6 of the ~7 ms a figure cost to build."""
    return go.Figure(traces, {**layout_, "template": layout_.get("template", {})}, frames=frames, _validate=False)


# The optimizer race: one colour per contestant (up to limits.RACE_CONTESTANTS), Okabe & Ito's
# eight with black last (it reads as "train" elsewhere) and yellow late (faint on white).
RACE_COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


def rgba(color: str, alpha: float) -> str:
    """"#RRGGBB" as an rgba() string with the given opacity (for translucent bands)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:g})"
