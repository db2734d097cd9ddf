"""Convolution pictures for the convolution page: the feature maps of every layer for one image,
the kernels (the first layer's as small pictures, a deeper layer's per (out, in) channel pair),
the confusion matrix, the gallery of misclassified test images, and one convolution taken apart
(the explainer). Pure: numpy in, plotly figure out; every visible string comes in through
`labels` (or names already translated).

Images are greyscale, ink dark on white (0 white, 1 black), every pixel square. Kernels and
feature maps are signed quantities on the app's diverging scale (theme.DIVERGING): orange
negative, near-white 0, blue positive. Many small maps are one PNG image (a live chart redraws
them every second); kernels, which are few numbers, are heatmaps with a value under the mouse."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ffnviz.viz import theme
from ffnviz.viz.inside import png_uri, signed_rgb

GREYS = [[0.0, "#FFFFFF"], [1.0, "#000000"]]  # pixel value 0 white, 1 black
GAP_COLOR = "#D0D0D0"  # between kernel tiles: a zero weight's near-white stands out from it
_BACKGROUND, _BORDER = 255, 170  # a mosaic's gaps, and a 1-pixel frame round each tile
_WIDTH_PX = 1150  # the plot width a full-width chart aims at (a 1600-pixel window's main column)


def grey_rgb(values: np.ndarray) -> np.ndarray:
    """Pixel values in [0, 1] (clipped, NaN as 0) as uint8 RGB greys: 0 white, 1 black."""
    v = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float32), nan=0.0), 0.0, 1.0)
    grey = np.round(255.0 * (1.0 - v)).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=-1)


def resample(m: np.ndarray, side: int) -> np.ndarray:
    """(…, h, w) -> (…, side, side), nearest neighbour: a 4 × 4 map shown as large as a 16 × 16 one,
    each of its pixels a 4 × 4 block."""
    h, w = m.shape[-2:]
    rows = (np.arange(side) * h) // side
    cols = (np.arange(side) * w) // side
    return m[..., rows[:, None], cols[None, :]]


def _framed(tiles: np.ndarray) -> np.ndarray:
    """(n, s, s, 3) -> (n, s + 2, s + 2, 3): a 1-pixel grey frame round each tile."""
    n, s = tiles.shape[:2]
    out = np.full((n, s + 2, s + 2, 3), _BORDER, np.uint8)
    out[:, 1:-1, 1:-1] = tiles
    return out


def _zoom(width_px: int, height_px: int, tile_px: int, wanted_tile: float, max_height: int,
          plot_width: int = _WIDTH_PX) -> float:
    """Screen pixels per image pixel: tiles about `wanted_tile` screen pixels wide, the mosaic
    within the chart's width (`plot_width` screen pixels) and `max_height`."""
    return float(max(1.0, min(wanted_tile / tile_px, plot_width / width_px, max_height / height_px)))


def _image_layout(title: str, width_px: int, height_px: int, zoom: float, *, projector: bool,
                  yaxis: dict | None = None, annotations: list | None = None, bottom: int = 20) -> dict:
    """A mosaic's layout: square pixels, row 0 at the top, no grid."""
    layout = theme.layout(title, projector=projector, height=int(90 + bottom + zoom * height_px), showlegend=False,
                          plot_bgcolor="white",
                          xaxis={"visible": False, "range": [-0.5, width_px - 0.5], "constrain": "domain",
                                 "constraintoward": "left"},
                          yaxis={"range": [height_px - 0.5, -0.5], "scaleanchor": "x", "scaleratio": 1,
                                 "constrain": "domain", "constraintoward": "top", "showgrid": False, "zeroline": False,
                                 "ticks": "",
                                 **(yaxis or {"visible": False})},
                          annotations=annotations or [])
    layout["margin"].update(l=10, r=10, t=layout["margin"]["t"] + 10, b=bottom)
    # The zoom already says how large the picture is (projector mode included): no further stretch,
    # which would only leave blank space under the picture.
    layout["height"] = int(layout["margin"]["t"] + bottom + 4 + zoom * height_px)
    return layout


# -- feature maps ---------------------------------------------------------------------------------

def feature_maps(image: np.ndarray, maps: list[tuple[str, np.ndarray]], *, row_names: list[str], labels: dict[str, str],
                 projector: bool = False) -> go.Figure:
    """One image's way through the network, a row per layer: the input (grey), then each layer's
    maps (C, H, W) side by side on the signed scale, each row normalised by its own largest
    |value| (so a layer's strongest map is the darkest, and the rows compare within themselves).
    Every map is drawn as large as the input, a small map's pixels as blocks. `row_names` label
    the rows, input first. Labels: title."""
    tile = max([image.shape[-1], *(m.shape[-1] for _, m in maps)])
    rows = [grey_rgb(resample(np.asarray(image, np.float32), tile))[None]]
    for _, m in maps:
        m = np.asarray(m, np.float32)
        span = float(np.nanmax(np.abs(m))) if m.size else 0.0
        rows.append(signed_rgb(resample(m, tile) / (span if span > 0 else 1.0)))
    cell, gap = tile + 2, 2
    cols = max(len(r) for r in rows)
    pitch = cell + gap
    width_px, height_px = cols * pitch - gap, len(rows) * pitch - gap
    canvas = np.full((height_px, width_px, 3), _BACKGROUND, np.uint8)
    for i, r in enumerate(rows):
        for j, t in enumerate(_framed(r)):
            canvas[i * pitch:i * pitch + cell, j * pitch:j * pitch + cell] = t
    zoom = _zoom(width_px, height_px, cell, 72 if projector else 64, 1100, _WIDTH_PX - 150)  # the row names' room
    size = theme.font_size(projector)
    yaxis = {"visible": True, "tickvals": [i * pitch + (cell - 1) / 2 for i in range(len(rows))],
             "ticktext": list(row_names), "tickfont": {"size": size - 1}, "automargin": True}
    layout = _image_layout(labels["title"], width_px, height_px, zoom, projector=projector, yaxis=yaxis)
    return theme.figure([{"type": "image", "source": png_uri(canvas), "hoverinfo": "skip"}], layout)


# -- kernels --------------------------------------------------------------------------------------

def _kernel_mosaic(w: np.ndarray) -> tuple[np.ndarray, list[list[str]]]:
    """Kernels (out, in, k, k) as one array with NaN between tiles: output channels across, input
    channels down (the first layer, in = 1, is one row). Returns the array and, per cell,
    "out,in,row,col" of the weight there (from 1; "" in a gap)."""
    out_c, in_c, k, _ = w.shape
    z = np.full((in_c * (k + 1) - 1, out_c * (k + 1) - 1), np.nan, np.float32)
    where = [["" for _ in range(z.shape[1])] for _ in range(z.shape[0])]
    for o in range(out_c):
        for i in range(in_c):
            r, c = i, o
            z[r * (k + 1):r * (k + 1) + k, c * (k + 1):c * (k + 1) + k] = w[o, i]
            for a in range(k):
                for b in range(k):
                    where[r * (k + 1) + a][c * (k + 1) + b] = f"{o + 1},{i + 1},{a + 1},{b + 1}"
    return z, where


def _kernel_trace(w: np.ndarray, labels: dict[str, str], axes: tuple[str, str] = ("x", "y"),
                  colorbar: bool = False) -> dict:
    z, where = _kernel_mosaic(np.asarray(w, np.float32))
    span = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    span = span if span > 0 else 1.0
    hover = [[(labels["hover_kernel"].format(*map(int, cell.split(","))) if cell else "") for cell in row]
             for row in where]
    trace = {"type": "heatmap", "z": z, "xaxis": axes[0], "yaxis": axes[1], "colorscale": theme.DIVERGING,
             "zmin": -span, "zmax": span, "showscale": colorbar, "hoverongaps": False, "text": hover,
             "hovertemplate": "%{text}<br>" + labels["weight"] + " %{z:.3f}<extra></extra>"}
    if colorbar:
        trace["colorbar"] = {"title": {"text": labels["weight"], "side": "right"}, "thickness": 12}
    return trace


def first_kernels(w: np.ndarray, *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """The first conv layer's kernels (out, 1, k, k) side by side, each a small picture of what
    its feature map responds to, on one symmetric signed scale (its colour bar). Labels: title,
    weight, channel, hover_kernel ("out {0}, in {1}, row {2}, col {3}")."""
    out_c, _, k, _ = w.shape
    trace = _kernel_trace(w, labels, colorbar=True)
    trace["colorbar"].update(len=1.0, x=1.0, xpad=8)
    height_px, width_px = k, out_c * (k + 1) - 1
    zoom = _zoom(width_px, height_px, k, 110 if projector else 96, 170)
    size = theme.font_size(projector)
    xaxis = {"range": [-0.5, width_px - 0.5], "constrain": "domain", "showgrid": False, "zeroline": False,
             "tickvals": [o * (k + 1) + (k - 1) / 2 for o in range(out_c)], "ticktext": [str(o + 1) for o in range(out_c)],
             "tickfont": {"size": size - 2}, "title": {"text": labels["channel"]}, "ticks": ""}
    layout = _image_layout(labels["title"], width_px, height_px, zoom, projector=projector, bottom=55)
    layout.update(xaxis=xaxis, plot_bgcolor=GAP_COLOR)
    return theme.figure([trace], layout)


def deep_kernels(kernels: list[np.ndarray], names: list[str], *, labels: dict[str, str],
                 projector: bool = False) -> go.Figure:
    """Deeper conv layers' kernels (out, in, k, k), one block per layer side by side: a column per
    output channel, a row per input channel, each (out, in) pair's k × k kernel a tile, each
    layer on its own symmetric signed scale. `names` title the blocks. Labels: title, weight,
    out_axis, in_axis, hover_kernel."""
    widths = [w.shape[0] * (w.shape[2] + 1) - 1 for w in kernels]
    heights = [w.shape[1] * (w.shape[2] + 1) - 1 for w in kernels]
    gap = 0.06
    total = sum(widths)
    share = (1 - gap * (len(kernels) - 1)) / max(total, 1)
    size = theme.font_size(projector)
    traces, axes, notes = [], {}, []
    x0 = 0.0
    for i, (w, name, width_px, height_px) in enumerate(zip(kernels, names, widths, heights, strict=True)):
        n = "" if i == 0 else str(i + 1)
        traces.append(_kernel_trace(w, labels, (f"x{n}", f"y{n}")))
        domain = [x0, min(x0 + share * width_px, 1.0)]
        axes[f"xaxis{n}"] = {"domain": domain, "anchor": f"y{n}", "range": [-0.5, width_px - 0.5], "showgrid": False,
                             "zeroline": False, "showticklabels": False, "ticks": "", "constrain": "domain",
                             "title": {"text": labels["out_axis"], "font": {"size": size - 2}}}
        axes[f"yaxis{n}"] = {"anchor": f"x{n}", "range": [height_px - 0.5, -0.5], "scaleanchor": f"x{n}",
                             "scaleratio": 1, "constrain": "domain", "showgrid": False, "zeroline": False,
                             "showticklabels": False, "ticks": "",
                             "title": {"text": labels["in_axis"], "font": {"size": size - 2}}}
        notes.append({"text": name, "showarrow": False, "xref": "paper", "yref": "paper", "x": (domain[0] + domain[1]) / 2,
                      "y": 1.0, "xanchor": "center", "yanchor": "bottom", "font": {"size": size}})
        x0 = domain[1] + gap
    tallest = max(heights)
    # px per weight so that the widest block set fills the width, and no block is huge
    zoom = float(np.clip(_WIDTH_PX * (1 - gap * (len(kernels) - 1)) / max(total, 1), 3.0, 14.0))
    layout = theme.layout(labels["title"], projector=projector, height=int(140 + zoom * tallest), showlegend=False,
                          plot_bgcolor=GAP_COLOR, annotations=notes, **axes)
    layout["margin"].update(l=40, r=10, t=layout["margin"]["t"] + 25, b=40)
    return theme.figure(traces, layout)


# -- confusion and mistakes -----------------------------------------------------------------------

def confusion(matrices: list[np.ndarray], model_names: list[str], class_names: list[str], *, labels: dict[str, str],
              projector: bool = False) -> go.Figure:
    """Each model's confusion matrix on the test set, side by side: a row per true class, a
    column per predicted class, the count in each cell, coloured by the share of its row (so a
    perfect model is a dark diagonal whatever the class sizes). Labels: title, true, predicted,
    hover ("{count} …"), share."""
    n = len(matrices)
    gap = 0.05
    width = (1 - gap * (n - 1)) / n
    size = theme.font_size(projector)
    k = len(class_names)
    tick = max(size - 3, 9)
    traces, axes, notes = [], {}, []
    for i, (cm, name) in enumerate(zip(matrices, model_names, strict=True)):
        cm = np.asarray(cm, np.int64)
        totals = cm.sum(1, keepdims=True)
        share = np.where(totals > 0, cm / np.maximum(totals, 1), 0.0).astype(np.float32)
        n_ = "" if i == 0 else str(i + 1)
        hover = [[labels["hover"].format(count=int(cm[r, c]), true=class_names[r], predicted=class_names[c])
                  for c in range(k)] for r in range(k)]
        traces.append({"type": "heatmap", "z": share, "x": np.arange(k), "y": np.arange(k), "xaxis": f"x{n_}",
                       "yaxis": f"y{n_}", "colorscale": theme.SEQUENTIAL, "zmin": 0.0, "zmax": 1.0,
                       "showscale": i == n - 1, "xgap": 1, "ygap": 1, "text": [[str(int(v)) for v in row] for row in cm],
                       "texttemplate": "%{text}", "textfont": {"size": tick}, "customdata": hover,
                       "hovertemplate": "%{customdata}<br>" + labels["share"] + " %{z:.0%}<extra></extra>",
                       **({"colorbar": {"title": {"text": labels["share"], "side": "right"}, "thickness": 12,
                                        "tickformat": ".0%"}} if i == n - 1 else {})})
        x0 = i * (width + gap)
        ticks = {"tickvals": list(range(k)), "ticktext": list(class_names), "tickfont": {"size": tick},
                 "showgrid": False, "zeroline": False}
        axes[f"xaxis{n_}"] = {"domain": [x0, x0 + width], "anchor": f"y{n_}", "title": {"text": labels["predicted"]},
                              "constrain": "domain", **ticks}
        # the rows are the same classes in every panel: named once, on the left
        axes[f"yaxis{n_}"] = {"anchor": f"x{n_}", "autorange": "reversed", "scaleanchor": f"x{n_}", "scaleratio": 1,
                              "constrain": "domain", "constraintoward": "top", **ticks,
                              **({"title": {"text": labels["true"]}} if i == 0 else {"showticklabels": False})}
        notes.append({"text": name, "showarrow": False, "xref": "paper", "yref": "paper", "x": x0 + width / 2, "y": 1.0,
                      "xanchor": "center", "yanchor": "bottom", "font": {"size": size}})
    layout = theme.layout(labels["title"], projector=projector, height=470 if n == 1 else 400, showlegend=False,
                          annotations=notes, **axes)
    layout["margin"].update(t=layout["margin"]["t"] + 25)
    return theme.figure(traces, layout)


def gallery(images: np.ndarray, predicted: list[str], true: list[str], *, labels: dict[str, str], total: int,
            projector: bool = False, columns: int = 12, plot_width: int = _WIDTH_PX) -> go.Figure:
    """Test images the model gets wrong, in test-set order, each with what the model said (in
    bold) over what it is, `columns` to a row in a chart about `plot_width` pixels wide.
    `total`: how many it gets wrong in all (a note says when fewer are shown). Labels: title,
    said ("{predicted}"), truth ("{true}"), none, shown."""
    images = np.asarray(images, np.float32)
    n = len(images)
    size = theme.font_size(projector)
    if n == 0:
        layout = theme.layout(labels["title"], projector=projector, height=160, showlegend=False,
                              xaxis={"visible": False}, yaxis={"visible": False},
                              annotations=[{"text": labels["none"], "showarrow": False, "xref": "paper", "yref": "paper",
                                            "x": 0.5, "y": 0.5, "font": {"size": size + 2}}])
        return theme.figure([], layout)
    side = images.shape[-1]
    tile = max(side, 16)
    cols = min(columns, n)
    rows = -(-n // cols)
    cell = tile + 2
    text_px = max(6, tile * 3 // 4)  # room under each tile for two lines of text, in image pixels
    pitch_x, pitch_y = cell + max(2, tile // 3), cell + text_px
    width_px, height_px = cols * pitch_x, rows * pitch_y
    canvas = np.full((height_px, width_px, 3), _BACKGROUND, np.uint8)
    framed = _framed(grey_rgb(resample(images, tile)))
    notes = []
    for j, t in enumerate(framed):
        r, c = divmod(j, cols)
        top, left = r * pitch_y, c * pitch_x
        canvas[top:top + cell, left:left + cell] = t
        notes.append({"text": labels["said"].format(predicted=predicted[j]) + "<br>"
                              + labels["truth"].format(true=true[j]),
                      "showarrow": False, "xref": "x", "yref": "y", "x": left + (cell - 1) / 2, "y": top + cell,
                      "xanchor": "center", "yanchor": "top", "font": {"size": size - 3}})
    if total > n:
        notes.append(theme.corner_note(labels["shown"].format(shown=n, total=total), projector=projector))
    zoom = _zoom(width_px, height_px, cell, 88 if projector else 76, 900, plot_width)
    layout = _image_layout(labels["title"], width_px, height_px, zoom, projector=projector, annotations=notes,
                           bottom=30)
    return theme.figure([{"type": "image", "source": png_uri(canvas), "hoverinfo": "skip"}], layout)


# -- the convolution explainer --------------------------------------------------------------------

def number(v: float, fmt: str = ".2f") -> str:
    """`v` formatted, without the "-0.00" of a tiny negative number."""
    text = format(float(v), fmt)
    return format(0.0, fmt) if float(text) == 0 else text


def _cells(z: np.ndarray, fmt: str) -> list[list[str]]:
    return [[number(v, fmt) for v in row] for row in z]


def explainer(padded: np.ndarray, kernel: np.ndarray, window: tuple[int, int], products: np.ndarray,
              output: np.ndarray, cell: tuple[int, int], padding: int, *, labels: dict[str, str],
              projector: bool = False) -> go.Figure:
    """One output cell of a convolution, left to right: the (zero-padded) input with the
    kernel's window framed, the kernel, the element-wise products, and the whole output map
    with this cell framed. `window` is the window's (top, left) in the padded input, `cell` the
    output cell's (row, col); `padding` rows and columns of the input are zeros (drawn paler).
    Numbers are written in the small panels. Rows and columns count from 1, as on the page.
    Labels: title, input, kernel, products, output, row, col, value."""
    padded, kernel = np.asarray(padded, np.float32), np.asarray(kernel, np.float32)
    products, output = np.asarray(products, np.float32), np.asarray(output, np.float32)
    k = kernel.shape[0]
    size = theme.font_size(projector)
    tick = max(size - 4, 9)
    gap = 0.05
    # panel widths in proportion to what they hold, with a floor so the kernel's numbers fit
    sides = [padded.shape[1], max(k, 7), max(k, 7), output.shape[1]]
    width_share = (1 - 3 * gap) / sum(sides)
    panels = []
    kernel_span = float(np.abs(kernel).max()) or 1.0
    product_span = float(np.abs(products).max()) or 1.0
    output_span = float(np.abs(output).max()) or 1.0
    n_pad = padded.shape[0]
    inside = np.zeros_like(padded, dtype=bool)
    inside[padding:n_pad - padding, padding:n_pad - padding] = True
    shown_input = np.where(inside, padded, np.nan)  # the padding: drawn as gaps on a pale background
    panels.append((labels["input"], shown_input, {"colorscale": GREYS, "zmin": 0.0, "zmax": 1.0}, None,
                   (window[0], window[1], k)))
    panels.append((labels["kernel"], kernel, {"colorscale": theme.DIVERGING, "zmin": -kernel_span, "zmax": kernel_span},
                   _cells(kernel, ".2f"), None))
    panels.append((labels["products"], products, {"colorscale": theme.DIVERGING, "zmin": -product_span,
                                                  "zmax": product_span}, _cells(products, ".2f"), None))
    panels.append((labels["output"], output, {"colorscale": theme.DIVERGING, "zmin": -output_span, "zmax": output_span},
                   None, (cell[0], cell[1], 1)))
    traces, axes, notes, shapes = [], {}, [], []
    x0 = 0.0
    for i, ((title, z, scale, text, box), side) in enumerate(zip(panels, sides, strict=True)):
        n = "" if i == 0 else str(i + 1)
        rows, cols = z.shape
        offset = -padding if i == 0 else 0  # the input's rows and columns count from its first real pixel
        where = [[f"{labels['row']} {r + 1 + offset}, {labels['col']} {c + 1 + offset}" for c in range(cols)]
                 for r in range(rows)]
        trace = {"type": "heatmap", "z": z, "x": np.arange(cols), "y": np.arange(rows), "xaxis": f"x{n}",
                 "yaxis": f"y{n}", "showscale": False, "xgap": 1, "ygap": 1, "hoverongaps": False, **scale,
                 "customdata": where, "hovertemplate": f"%{{customdata}}<br>{labels['value']} %{{z:.3f}}<extra></extra>"}
        if text is not None:
            trace.update(text=text, texttemplate="%{text}", textfont={"size": tick})
        traces.append(trace)
        width = width_share * side
        step = max(1, -(-cols // 6))
        shown = list(range(0, cols, step))
        ticks = {"tickvals": shown, "ticktext": [str(v + 1 + offset) for v in shown], "tickfont": {"size": tick},
                 "showgrid": False, "zeroline": False, "ticks": ""}
        axes[f"xaxis{n}"] = {"domain": [x0, min(x0 + width, 1.0)], "anchor": f"y{n}", "constrain": "domain",
                             "range": [-0.5, cols - 0.5], **ticks}
        axes[f"yaxis{n}"] = {"anchor": f"x{n}", "range": [rows - 0.5, -0.5], "scaleanchor": f"x{n}", "scaleratio": 1,
                             "constrain": "domain", **ticks, "tickvals": list(range(0, rows, step)),
                             "ticktext": [str(v + 1 + offset) for v in range(0, rows, step)]}
        notes.append({"text": title, "showarrow": False, "xref": f"x{n} domain", "yref": f"y{n} domain", "x": 0.5,
                      "y": 1.0, "xanchor": "center", "yanchor": "bottom", "yshift": 4, "font": {"size": size}})
        if box is not None:
            top, left, span = box
            shapes.append({"type": "rect", "xref": f"x{n}", "yref": f"y{n}", "x0": left - 0.5, "x1": left + span - 0.5,
                           "y0": top - 0.5, "y1": top + span - 0.5, "line": {"color": theme.TEST_COLOR, "width": 3}})
        x0 += width + gap
    layout = theme.layout(labels["title"], projector=projector, height=400, showlegend=False, annotations=notes,
                          shapes=shapes, plot_bgcolor="#F0F0F0", **axes)
    layout["margin"].update(l=30, r=10, t=layout["margin"]["t"] + 30)
    return theme.figure(traces, layout)
