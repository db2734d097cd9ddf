"""The teacher's wall: every student's latest picture with name and numbers, composed into ONE
image (a figure with one image trace and its labels), and the class's loss curves overlaid.

A student's name is text and only text: plotly renders a little HTML in labels (<b>, <br>,
<a>), so every name is escaped (`plain`) before it reaches a label, a legend or a hover.
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ffnviz import limits
from ffnviz.viz import theme
from ffnviz.viz.charts import class_picture

TILE = limits.TILE_PX
PAD = 6  # canvas pixels around a picture
TEXT_BAND = 26  # canvas pixels under a picture for the name and the numbers
TEXT_ROOM = 34  # canvas pixels beside a picture, so that a name and its numbers fit under it
CELL_W, CELL_H = TILE + 2 * PAD + TEXT_ROOM, TILE + PAD + TEXT_BAND
EMPTY = np.array([236, 236, 236], np.uint8)  # before a student's first report
WALL_NAME_CHARS = 12


def plain(text: str) -> str:
    """`text` as plotly shows it literally: its HTML escaped (plotly reads the entities back)."""
    return html.escape(str(text), quote=True)


def compact(n: int) -> str:
    """An update count in at most 5 characters: 950, 3.5k, 12.3k, 1.2M."""
    if n < 1000:
        return str(n)
    if n < 100_000:
        return f"{n / 1000:.1f}k"
    return f"{n / 1000:.0f}k" if n < 1_000_000 else f"{n / 1e6:.1f}M"


def short(name: str, chars: int = WALL_NAME_CHARS) -> str:
    return name if len(name) <= chars else name[:chars - 1] + "…"


def _resample(image: np.ndarray, size: int = TILE) -> np.ndarray:
    """Nearest-neighbour resize of an (h, w, 3) image to (size, size, 3)."""
    rows = (np.arange(size) * image.shape[0] / size).astype(int)
    cols = (np.arange(size) * image.shape[1] / size).astype(int)
    return image[rows][:, cols]


def picture_from_grid(grid: np.ndarray, regression: bool = False) -> bytes:
    """A report's picture of a decision map (or a regression's predicted values): TILE × TILE RGB
    bytes, x2 pointing up as on the page."""
    if regression:
        neg, pos, mid = (np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)], np.float32)
                         for c in (theme.NEGATIVE, theme.POSITIVE, theme.NEUTRAL))
        scale = float(np.nanmax(np.abs(grid))) or 1.0
        t = np.tanh(2 * np.nan_to_num(grid) / scale)[..., None]
        rgb = np.where(t >= 0, mid + (pos - mid) * t, mid + (neg - mid) * -t).clip(0, 255).astype(np.uint8)
    else:
        rgb = class_picture(np.nan_to_num(grid))
    return np.ascontiguousarray(_resample(rgb[::-1])).tobytes()


def picture_from_curve(values: np.ndarray) -> bytes:
    """A report's picture of a loss curve (log scale), for pages without a map: a dark line on white."""
    canvas = np.full((TILE, TILE, 3), 255, np.uint8)
    v = np.asarray(values, np.float64)
    v = np.log10(v[np.isfinite(v) & (v > 0)])
    if v.size >= 2:
        lo, hi = float(v.min()), float(v.max())
        x = np.linspace(0, v.size - 1, TILE * 3)
        y = np.interp(x, np.arange(v.size), v)
        rows = ((hi - y) / (hi - lo or 1.0) * (TILE - 5) + 2).astype(int).clip(0, TILE - 1)
        cols = (x / max(v.size - 1, 1) * (TILE - 1)).astype(int)
        color = np.array([int(theme.POSITIVE[i:i + 2], 16) for i in (1, 3, 5)], np.uint8)
        for dr in (0, 1):
            canvas[(rows + dr).clip(0, TILE - 1), cols] = color
    return canvas.tobytes()


@dataclass(frozen=True)
class WallTile:
    name: str
    numbers: str  # e.g. "acc 93% · 1,200 upd"
    picture: bytes | None
    flag: str = ""  # "diverged", "stale": drawn as a red / grey frame


def layout_grid(n: int, aspect: float = 16 / 9) -> int:
    """Columns for `n` tiles so the wall fills a projector's 16:9 screen."""
    if n <= 0:
        return 1
    return max(1, min(n, math.ceil(math.sqrt(n * aspect * CELL_H / CELL_W))))


def compose(tiles: list[WallTile], columns: int) -> np.ndarray:
    """The one image: a canvas of every picture in its cell (uint8 RGB)."""
    rows = max(1, math.ceil(len(tiles) / columns))
    canvas = np.full((rows * CELL_H, columns * CELL_W, 3), 255, np.uint8)
    red = np.array([213, 94, 0], np.uint8)
    grey = np.array([170, 170, 170], np.uint8)
    for i, tile in enumerate(tiles):
        top, left = (i // columns) * CELL_H + PAD, (i % columns) * CELL_W + (CELL_W - TILE) // 2
        if tile.flag:  # a frame, 3 px
            canvas[top - 3:top + TILE + 3, left - 3:left + TILE + 3] = red if tile.flag == "diverged" else grey
        if tile.picture is not None and len(tile.picture) == TILE * TILE * 3:
            canvas[top:top + TILE, left:left + TILE] = np.frombuffer(tile.picture, np.uint8).reshape(TILE, TILE, 3)
        else:
            canvas[top:top + TILE, left:left + TILE] = EMPTY
    return canvas


def png_data_uri(canvas: np.ndarray) -> str:
    buffer = io.BytesIO()
    Image.fromarray(canvas, "RGB").save(buffer, format="PNG", optimize=False, compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def tile_at(x: float, y: float, columns: int, n: int) -> int | None:
    """The tile under a click at canvas pixel (x, y), or None."""
    if x < 0 or y < 0:
        return None
    i = int(y // CELL_H) * columns + int(x // CELL_W)
    return i if int(x // CELL_W) < columns and i < n else None


def wall_figure(tiles: list[WallTile], *, title: str, projector: bool = False, height: int | None = None):
    columns = layout_grid(len(tiles))
    canvas = compose(tiles, columns)
    h, w = canvas.shape[:2]
    name_size = 15 if projector else 12
    notes = []
    for i, tile in enumerate(tiles):
        cx = (i % columns) * CELL_W + CELL_W / 2
        base = (i // columns) * CELL_H + PAD + TILE
        notes.append(dict(x=cx, y=base + 2, text=f"<b>{plain(short(tile.name))}</b>", showarrow=False, yanchor="top",
                          xref="x", yref="y", font={"size": name_size, "color": "#111111"}))
        notes.append(dict(x=cx, y=base + 13, text=plain(tile.numbers), showarrow=False, yanchor="top",
                          xref="x", yref="y", font={"size": name_size - 3, "color": "#444444"}))
    rows = max(1, math.ceil(len(tiles) / columns))
    fig_height = height or int(min(900, max(260, rows * (105 if projector else 88) + 60)))
    layout_ = theme.layout(title, projector=projector, height=fig_height, revision="wall",
                           margin={"l": 4, "r": 4, "t": 50, "b": 4}, annotations=notes,
                           xaxis={"visible": False, "range": [0, w], "constrain": "domain"},
                           yaxis={"visible": False, "range": [h, 0], "scaleanchor": "x", "constrain": "domain"})
    layout_["height"] = fig_height  # the wall sets its own height in either mode
    # As a PNG: the canvas is flat colours, ~20× smaller than its pixels in the figure's JSON.
    trace = dict(type="image", source=png_data_uri(canvas), x0=0, y0=0, dx=1, dy=1, hoverinfo="none")
    return theme.figure([trace], layout_), columns


def drawn_order(n: int, highlight: int | None) -> list[int]:
    """The series index of each trace of `curves_figure` (the highlighted one is drawn last)."""
    order = list(range(n))
    if highlight is not None and 0 <= highlight < n:
        order.append(order.pop(highlight))
    return order


def curves_figure(series: list[tuple[str, list[int], list[float]]], *, title: str, x_title: str, y_title: str,
                  highlight: int | None = None, projector: bool = False):
    """The class's loss curves, one line per student (names escaped), the highlighted one thick."""
    traces = []
    width = theme.line_width(projector)
    for i, (name, xs, ys) in enumerate(series):
        chosen = i == highlight
        # float32 arrays: sent as typed arrays (viz/payload.py), a third of their decimal text
        traces.append(dict(type="scatter", mode="lines", x=np.asarray(xs, np.float32), y=np.asarray(ys, np.float32),
                           name=plain(name),
                           hovertemplate=f"{plain(name)}<br>%{{x:,}}: %{{y:.4f}}<extra></extra>",
                           line={"width": width * 2.5 if chosen else width * 0.6,
                                 "color": theme.TEST_COLOR if chosen else theme.rgba(theme.POSITIVE, 0.45)},
                           showlegend=False))
    if highlight is not None and 0 <= highlight < len(traces):
        traces.append(traces.pop(highlight))  # drawn last: on top (see drawn_order)
    positives = [y for _, _, ys in series for y in ys if y and y > 0]
    yaxis = {"title": {"text": y_title}, "type": "log"} if positives else {"title": {"text": y_title}}
    layout_ = theme.layout(title, projector=projector, height=380, revision="class-curves",
                           xaxis={"title": {"text": x_title}}, yaxis=yaxis)
    return theme.figure(traces, layout_)
