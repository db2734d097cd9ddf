"""Inside the network: every neuron's map over the input plane, one neuron enlarged, and the
probes over time (activation histograms, gradient and weight norms, dead fractions). Pure:
numpy in, plotly figure out. No torch, no streamlit.

Traces go in as plain dicts, built by `theme.figure` without plotly's validation (the unit
tests validate each chart once): these figures redraw live."""

from __future__ import annotations

import base64
import struct
import zlib
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ffnviz.viz import theme
from ffnviz.viz.charts import log_axis

# After the class colours, further lines are greys (and then dashed greys).
GREYS = ("#444444", "#777777", "#999999", "#BBBBBB")
_DASHES = ("solid", "dot", "dash", "dashdot")
_BACKGROUND, _BORDER = 255, 190  # the mosaic's gaps, and a 1-pixel frame round each tile
MAX_TILES = 128  # the neuron mosaic's, beyond which each layer's first units are drawn
_ROW_GAP, _COLUMN_GAP = 3, 10  # pixels between framed tiles, and between columns
_FRAME_ROOM = 2  # pixels round the mosaic, so the frame of a tile at its edge is not cut
_MOSAIC_PX = 420  # screen pixels the mosaic's tallest column aims at


def _rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], np.float32)


_NEG, _MID, _POS = _rgb(theme.NEGATIVE), _rgb(theme.NEUTRAL), _rgb(theme.POSITIVE)


def _signed_lut() -> np.ndarray:
    t = np.linspace(-1.0, 1.0, 256, dtype=np.float32)[:, None]
    rgb = _MID + np.where(t >= 0, _POS - _MID, _NEG - _MID) * np.abs(t)
    return (rgb + 0.5).astype(np.uint8)


_SIGNED_LUT = _signed_lut()  # 256 steps from -1 to +1: one table look-up per pixel


def signed_rgb(values: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] (anything else clipped, NaN as 0) as uint8 RGB on the diverging scale:
    -1 orange, 0 near-white, +1 blue, linear in between (as plotly draws `theme.DIVERGING`)."""
    t = np.nan_to_num(np.asarray(values, dtype=np.float32), nan=0.0)
    index = np.clip(t * 127.5 + 128.0, 0.0, 255.0).astype(np.uint8)  # truncation: 0 -> step 128 (near-white)
    return _SIGNED_LUT[index]


def png_uri(image: np.ndarray) -> str:
    """An (h, w, 3) uint8 image as a PNG data URI, for `go.Image(source=...)`: a mosaic of smooth
    maps compresses several times below the raw pixels that `z` would send on every redraw.
    zlib at its fastest level: about 2 ms for the largest mosaic."""
    h, w, _ = image.shape
    raw = np.zeros((h, 3 * w + 1), np.uint8)  # each row: filter byte 0 (none), then RGB
    raw[:, 1:] = image.reshape(h, 3 * w)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw.tobytes(), 1)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _counts_kept(sizes: list[int], max_tiles: int) -> list[int]:
    """How many of each layer's first units to draw: all, or proportionally fewer (at least one
    per layer) when there are more than `max_tiles` in all."""
    total = sum(sizes)
    if total <= max_tiles:
        return list(sizes)
    kept = [min(n, max(1, n * max_tiles // total)) for n in sizes]
    while sum(kept) > max_tiles and max(kept) > 1:
        kept[kept.index(max(kept))] -= 1
    return kept


def _mosaic_height(image_px: int) -> int:
    """Figure height for a mosaic `image_px` tall: a few neurons drawn large (tiles of ~90 px),
    many drawn small, the page never taller than 900 px for it."""
    zoom = float(np.clip(_MOSAIC_PX / image_px, 1.5, 4.0))
    return int(np.clip(110 + zoom * image_px, 240, 900))


def neuron_maps(grids: list[np.ndarray], *, labels: dict[str, str], layer_names: list[str] | None = None,
                projector: bool = False, max_tiles: int = MAX_TILES,
                selected: tuple[int, int] | None = None) -> tuple[go.Figure, list[tuple[int, int]]]:
    """Every neuron's output over the input plane as one mosaic image laid out like the network:
    a column of tiles per layer (`grids[l]` of shape (units, res, res), row i being x2 ascending,
    layer 0 the input features), each tile on the signed scale normalised by its own max |value|
    (so small activations show their structure too). Beyond `max_tiles`, the first units of each
    layer are kept proportionally and an annotation says so. `layer_names` head the columns.
    Returns the figure and the (layer, unit) of each drawn tile, column by column, top down.
    `selected` (layer, unit), the neuron enlarged elsewhere, is framed when it is drawn.
    Labels: title, tiles_capped, hover (optional: what a hover says, e.g. that a click enlarges)."""
    sizes = [int(g.shape[0]) for g in grids]
    res = int(grids[0].shape[1]) if grids else 1
    m = _Mosaic.of(sizes, res, max_tiles)
    canvas = np.full((m.height_px, m.width_px, 3), _BACKGROUND, np.uint8)
    tiles: list[tuple[int, int]] = []
    cell = m.cell
    for layer, (grid, k) in enumerate(zip(grids, m.kept, strict=True)):
        if k == 0:
            continue
        g = np.asarray(grid[:k], dtype=np.float32)
        scale = np.nan_to_num(np.abs(g), nan=0.0).max(axis=(1, 2), keepdims=True)
        colored = signed_rgb(g / np.where(scale > 0, scale, 1.0))[:, ::-1]  # x2 upwards
        strip = np.full((k, cell + _ROW_GAP, cell, 3), _BACKGROUND, np.uint8)
        strip[:, :cell] = _BORDER
        strip[:, 1:cell - 1, 1:cell - 1] = colored
        strip = strip.reshape(k * (cell + _ROW_GAP), cell, 3)[:k * (cell + _ROW_GAP) - _ROW_GAP]
        top = m.top(layer)
        canvas[top:top + strip.shape[0], layer * m.pitch:layer * m.pitch + cell] = strip
        tiles.extend((layer, unit) for unit in range(k))

    shown, total = len(tiles), sum(sizes)
    extra = {}
    if shown < total:
        extra["annotations"] = [theme.corner_note(labels["tiles_capped"].format(shown=shown, total=total),
                                                  projector=projector)]
    if selected in tiles:
        layer, unit = selected
        x0, y0 = layer * m.pitch - 0.5, m.top(layer) + unit * (cell + _ROW_GAP) - 0.5
        extra["shapes"] = [{"type": "rect", "xref": "x", "yref": "y", "x0": x0 - 1, "x1": x0 + cell + 1,
                            "y0": y0 - 1, "y1": y0 + cell + 1, "line": {"color": theme.TEST_COLOR, "width": 3}}]
    names = list(layer_names or [])[:len(grids)]
    height_px, width_px, pitch = m.height_px, m.width_px, m.pitch
    layout = theme.layout(labels["title"], projector=projector, height=_mosaic_height(height_px),
                          showlegend=False, plot_bgcolor="white",
                          xaxis={"tickvals": [c * pitch + (cell - 1) / 2 for c in range(len(names))], "ticktext": names,
                                 "side": "top", "showgrid": False, "zeroline": False, "showline": False, "ticks": "",
                                 "constrain": "domain", "range": [-0.5 - _FRAME_ROOM, width_px - 0.5 + _FRAME_ROOM]},
                          yaxis={"visible": False, "range": [height_px - 0.5 + _FRAME_ROOM, -0.5 - _FRAME_ROOM],
                                 "scaleanchor": "x", "scaleratio": 1,
                                 "constrain": "domain"},
                          **extra)
    layout["margin"].update(l=10, r=10, t=layout["margin"]["t"] + 30, b=30)
    # A hover (and so a click) on the image: it names no neuron (that would take a text per pixel),
    # it says a click enlarges one.
    image = {"type": "image", "source": png_uri(canvas), "hovertemplate": labels.get("hover", "") + "<extra></extra>"}
    return theme.figure([image], layout), tiles


@dataclass(frozen=True)
class _Mosaic:
    """Where neuron_maps draws each tile: a column per layer, its `kept[l]` tiles centred
    vertically, each tile `cell` pixels square (a 1-pixel frame round `res` pixels)."""

    kept: tuple[int, ...]
    cell: int
    rows: int

    @classmethod
    def of(cls, sizes: list[int], res: int, max_tiles: int) -> _Mosaic:
        # Inputs and outputs are few and always drawn; the hidden layers share what is left.
        ends = sizes[0] + sizes[-1] if len(sizes) > 1 else 0
        kept = [sizes[0], *_counts_kept(sizes[1:-1], max(max_tiles - ends, len(sizes) - 2)), sizes[-1]] \
            if len(sizes) > 2 else list(sizes)
        return cls(tuple(kept), res + 2, max(kept, default=1))

    @property
    def pitch(self) -> int:
        return self.cell + _COLUMN_GAP

    @property
    def height_px(self) -> int:
        return self.rows * (self.cell + _ROW_GAP) - _ROW_GAP

    @property
    def width_px(self) -> int:
        return max(len(self.kept) * self.pitch - _COLUMN_GAP, 1)

    def top(self, layer: int) -> int:
        return (self.rows - self.kept[layer]) * (self.cell + _ROW_GAP) // 2


def tile_at(x: float, y: float, sizes: list[int], res: int, max_tiles: int = MAX_TILES) -> tuple[int, int] | None:
    """The (layer, unit) whose tile neuron_maps draws at image pixel (x, y) — the column and row
    a click on the mosaic reports — or None on a gap. `sizes`: units per layer; `res`: a map's
    side in pixels; `max_tiles` as given to neuron_maps."""
    m = _Mosaic.of(sizes, res, max_tiles)
    col, row = int(round(x)), int(round(y))
    layer, across = divmod(col, m.pitch)
    if not 0 <= layer < len(m.kept) or across >= m.cell or row < m.top(layer):
        return None
    unit, down = divmod(row - m.top(layer), m.cell + _ROW_GAP)
    return (layer, unit) if unit < m.kept[layer] and down < m.cell else None


def neuron_map(grid: np.ndarray, extent: float, *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """One neuron's (res, res) output over x1, x2 in [-extent, extent] (row i is x2 ascending) on
    the signed scale, symmetric about zero. Labels: title, value."""
    n = grid.shape[0]
    axis = np.linspace(-extent, extent, n, dtype=np.float32)
    z = grid.astype(np.float32)
    finite = np.abs(z[np.isfinite(z)])
    span = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    trace = {"type": "heatmap", "x": axis, "y": axis, "z": z, "zmin": -span, "zmax": span,
             "colorscale": theme.DIVERGING, "zsmooth": "best",
             "colorbar": {"title": {"text": labels["value"], "side": "right"}, "thickness": 12},
             "hovertemplate": "x1 %{x:.2f}<br>x2 %{y:.2f}<br>" + labels["value"] + " %{z:.4g}<extra></extra>"}
    layout = theme.plane_layout(labels["title"], extent, projector=projector)
    return theme.figure([trace], layout)


def histogram_over_time(epochs: np.ndarray, edges: np.ndarray, counts: np.ndarray, *, labels: dict[str, str],
                        projector: bool = False) -> go.Figure:
    """One layer's activation histograms over time: `counts` (T, B) over the bins `edges` (B + 1)
    at the T `epochs`, as a heatmap (x epoch, y bin centre) coloured by log1p(count), so a few
    stray values show next to a crowded bin. Labels: title, epoch, value."""
    counts = np.asarray(counts)
    edges = np.asarray(edges, dtype=np.float64)
    centres = ((edges[:-1] + edges[1:]) / 2).astype(np.float32)
    z = np.log1p(counts.T.astype(np.float32))
    top = int(counts.max()) if counts.size else 0
    ticks = [0] + [10 ** e for e in range(len(str(max(top, 1))))]
    trace = {"type": "heatmap", "x": np.asarray(epochs, dtype=np.float32), "y": centres, "z": z,
             "customdata": counts.T.astype(np.float32), "colorscale": theme.SEQUENTIAL, "zmin": 0.0,
             "colorbar": {"thickness": 12, "tickvals": np.log1p(ticks).tolist(), "ticktext": [str(t) for t in ticks]},
             "hovertemplate": f"{labels['epoch']} %{{x:.0f}}<br>{labels['value']} %{{y:.3g}}<br>"
                              "# %{customdata:.0f}<extra></extra>"}
    layout = theme.layout(labels["title"], projector=projector, height=320, showlegend=False,
                          xaxis={"title": {"text": labels["epoch"]}},
                          yaxis={"title": {"text": labels["value"]}})
    return theme.figure([trace], layout)


def _line_style(i: int) -> tuple[str, str]:
    """Colour and dash of the i-th line: the class colours, then greys, then dashed greys."""
    if i < len(theme.CLASS_COLORS):
        return theme.CLASS_COLORS[i], "solid"
    j = i - len(theme.CLASS_COLORS)
    return GREYS[j % len(GREYS)], _DASHES[(j // len(GREYS)) % len(_DASHES)]


def lines_over_time(epochs: np.ndarray, series: dict[str, np.ndarray], *, labels: dict[str, str], log_y: bool = False,
                    percent: bool = False, projector: bool = False, colors: list[str] | None = None) -> go.Figure:
    """One line per named series (names already translated) against epochs, skipping non-finite
    points (and non-positive ones on a log axis). `log_y` for norms (a vanishing gradient shows as
    a line orders of magnitude below the rest), `percent` for fractions in [0, 1]. `colors`: one
    per series (e.g. a race's contestants' colours), else the class colours, then greys.
    Labels: title, epoch, value."""
    epochs = np.asarray(epochs, dtype=np.float32)
    width = theme.line_width(projector)
    fmt = ".1%" if percent else ".3g"
    traces, plotted = [], []
    for i, (name, values) in enumerate(series.items()):
        values = np.asarray(values, dtype=np.float64)
        ok = np.isfinite(values) & ((values > 0) if log_y else True)
        plotted.append(values[ok])
        color, dash = (colors[i], "solid") if colors else _line_style(i)
        traces.append({"type": "scatter", "x": epochs[ok], "y": values[ok].astype(np.float32), "mode": "lines",
                       "name": name, "line": {"color": color, "width": width, "dash": dash},
                       "hovertemplate": f"{labels['epoch']} %{{x:.0f}}<br>{name} %{{y:{fmt}}}<extra></extra>"})
    yaxis: dict = {"title": {"text": labels["value"]}}
    if log_y:
        yaxis = log_axis(np.concatenate(plotted) if plotted else np.zeros(0), **yaxis)
    elif percent:
        yaxis.update(range=[0, 1.02], tickformat=".0%")
    layout = theme.layout(labels["title"], projector=projector, height=320,
                          xaxis={"title": {"text": labels["epoch"]}, "rangemode": "tozero"}, yaxis=yaxis)
    # these often sit two a row: the title starts at the chart's edge and a long one sends the legend under
    # the chart (beside it, "Weight norm per layer over time" and its legend ran into each other)
    layout["title"].update(xref="container", x=0.02)
    layout["showlegend"] = True  # plotly hides a lone line's name, and a name can say more ("· near 0: 4%")
    theme.fit_legend(layout, list(series), labels["title"])
    return theme.figure(traces, layout)
