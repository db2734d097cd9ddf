"""The network diagram and the inside-the-network charts: assert on the figures' data."""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np
import pytest

from ffnviz.viz import inside, network, theme

NET_LABELS = {"title": "T", "weight": "w", "bias": "b", "layer": "L", "unit": "u",
              "edges_capped": "{shown} of {total}", "input": "in", "output": "out"}
MAP_LABELS = {"title": "T", "tiles_capped": "{shown} of {total}"}
TIME_LABELS = {"title": "T", "epoch": "e", "value": "v"}


def net(sizes: list[int], seed: int = 0) -> tuple[list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(o, i)).astype(np.float32) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
    return weights, [rng.normal(size=o).astype(np.float32) for o in sizes[1:]]


def edge_traces(fig):
    return [t for t in fig.data if t.mode == "lines"]


def segments(trace) -> int:
    return int(np.isnan(np.asarray(trace.x, dtype=float)).sum())


def test_diagram_draws_edges_as_a_few_bucketed_traces_whatever_the_size():
    for sizes in ([2, 4, 2, 1], [7] + [64] * 8 + [5]):
        weights, biases = net(sizes)
        fig = network.network_diagram(weights, biases, [f"x{i}" for i in range(sizes[0])], labels=NET_LABELS)
        edges = edge_traces(fig)
        assert 1 <= len(edges) <= 2 * network.WIDTH_BINS
        assert len(fig.data) <= 2 * network.WIDTH_BINS + 4  # + edge hover, inputs, hidden, outputs
        assert {t.line.color for t in edges} <= {theme.NEGATIVE, theme.POSITIVE}
        hover = next(t for t in fig.data if t.customdata is not None and len(t.customdata[0]) == 4)
        assert sum(segments(t) for t in edges) == len(hover.customdata)
    assert fig.layout.yaxis.visible is False


def test_edge_colour_follows_the_sign_and_width_grows_with_the_weight():
    weights = [np.array([[-2.0, 0.125], [0.75, 1.25]]), np.array([[2.0, -0.25]])]
    fig = network.network_diagram(weights, [np.zeros(2), np.zeros(1)], ["a", "b"], labels=NET_LABELS)
    widths = {}  # (layer, y from, y to) -> (colour, width)
    for t in edge_traces(fig):
        ys = np.asarray(t.y, dtype=float)
        for k in range(segments(t)):
            widths[(t.x[3 * k], ys[3 * k], ys[3 * k + 1])] = (t.line.color, t.line.width)
    hover = fig.data[len(edge_traces(fig))].customdata
    by_weight = {}
    for layer, src, dst, w in hover:
        layer, src, dst = int(layer) - 1, int(src) - 1, int(dst) - 1
        y_src = network._column(2, 2)[src]
        y_dst = network._column(weights[layer].shape[0], 2)[dst]
        by_weight[float(np.float32(w))] = widths[(layer, y_src, y_dst)]
    assert by_weight[-2.0][0] == theme.NEGATIVE and by_weight[0.75][0] == theme.POSITIVE
    assert by_weight[2.0][0] == theme.POSITIVE and by_weight[-0.25][0] == theme.NEGATIVE
    order = [by_weight[w][1] for w in sorted(by_weight, key=abs)]
    assert order == sorted(order) and order[0] < order[-1]


def test_diagram_hover_gives_exact_values_in_the_given_words():
    weights, biases = net([2, 3, 1])
    fig = network.network_diagram(weights, biases, ["x1", "x2"], labels=NET_LABELS)
    hover = fig.data[len(edge_traces(fig))]
    assert "w %{customdata[3]" in hover.hovertemplate and "L %{customdata[0]" in hover.hovertemplate
    assert sorted(np.float32(hover.customdata[:, 3])) == sorted(np.concatenate([w.ravel() for w in weights]))
    hidden = next(t for t in fig.data if t.marker.color is not None and len(t.marker.color) == 3)
    assert np.allclose(hidden.marker.color, biases[0]) and "b %{customdata[2]" in hidden.hovertemplate
    assert hidden.marker.cmin == -hidden.marker.cmax
    assert list(fig.layout.xaxis.ticktext) == ["in", "L 1", "out"]
    assert [list(t.text) for t in fig.data if t.text is not None] == [["x1", "x2"]]
    assert not fig.layout.annotations


def test_diagram_caps_each_layer_to_its_strongest_edges_and_says_so():
    weights, biases = net([7, 64, 64, 2])
    fig = network.network_diagram(weights, biases, list("abcdefg"), labels=NET_LABELS, max_edges_per_layer=100)
    hover = fig.data[len(edge_traces(fig))].customdata
    assert len(hover) == 100 * 3
    assert fig.layout.annotations[0].text == f"300 of {7 * 64 + 64 * 64 + 64 * 2}"
    second = np.abs(hover[hover[:, 0] == 2, 3])
    assert second.min() >= np.sort(np.abs(weights[1]).ravel())[-100] - 1e-6


def decode_png(uri: str) -> np.ndarray:
    png = base64.b64decode(uri.split(",", 1)[1])
    width, height = struct.unpack(">II", png[16:24])
    pos, data = 8, b""
    while pos < len(png):
        (size,), kind = struct.unpack(">I", png[pos:pos + 4]), png[pos + 4:pos + 8]
        if kind == b"IDAT":
            data += png[pos + 8:pos + 8 + size]
        pos += 12 + size
    raw = np.frombuffer(zlib.decompress(data), np.uint8).reshape(height, 3 * width + 1)
    assert (raw[:, 0] == 0).all()
    return raw[:, 1:].reshape(height, width, 3)


def test_neuron_maps_is_one_image_laid_out_like_the_network():
    res = 8
    grids = [np.ones((n, res, res), np.float32) for n in (2, 4, 2, 1)]
    fig, tiles = inside.neuron_maps(grids, labels=MAP_LABELS, layer_names=["in", "1", "2", "out"])
    assert len(fig.data) == 1 and fig.data[0].type == "image"
    assert tiles == [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (1, 3), (2, 0), (2, 1), (3, 0)]
    image = decode_png(fig.data[0].source)
    cell = res + 2
    assert image.shape == (4 * cell + 3 * inside._ROW_GAP, 4 * cell + 3 * inside._COLUMN_GAP, 3)
    assert list(fig.layout.xaxis.ticktext) == ["in", "1", "2", "out"]
    assert fig.layout.yaxis.scaleanchor == "x" and not fig.layout.annotations


def test_neuron_tiles_use_the_sign_colours_and_x2_upwards():
    res = 6
    plane = np.tile(np.linspace(-1, 1, res, dtype=np.float32)[:, None], (1, res))  # = x2
    grids = [np.stack([np.full((res, res), 0.003, np.float32), np.full((res, res), -7.0, np.float32), plane])]
    fig, _ = inside.neuron_maps(grids, labels=MAP_LABELS)
    image = decode_png(fig.data[0].source)
    pitch = res + 2 + inside._ROW_GAP
    tile = lambda k: image[k * pitch + 1:k * pitch + 1 + res, 1:1 + res]  # noqa: E731
    positive, negative = inside._rgb(theme.POSITIVE), inside._rgb(theme.NEGATIVE)
    assert np.abs(tile(0).astype(float) - positive).max() <= 1  # tiny but positive: full blue
    assert np.abs(tile(1).astype(float) - negative).max() <= 1
    assert np.abs(tile(2)[0, 0].astype(float) - positive).max() <= 1  # top row: x2 = +1
    assert np.abs(tile(2)[-1, 0].astype(float) - negative).max() <= 1
    assert (image[0, 0] == inside._BORDER).all()


def test_neuron_maps_keep_every_input_and_output_and_the_first_hidden_units_when_capped():
    grids = [np.zeros((n, 4, 4), np.float32) for n in [7] + [64] * 8 + [5]]
    fig, tiles = inside.neuron_maps(grids, labels=MAP_LABELS, max_tiles=128)
    assert len(tiles) <= 128 and {layer for layer, _ in tiles} == set(range(10))
    per_layer = [[u for layer, u in tiles if layer == k] for k in range(10)]
    assert all(units == list(range(len(units))) for units in per_layer)
    assert len(per_layer[0]) == 7 and len(per_layer[-1]) == 5  # the ends are few: all drawn
    assert all(len(units) == len(per_layer[1]) > 1 for units in per_layer[1:-1])
    assert fig.layout.annotations[0].text == f"{len(tiles)} of 524"


def test_neuron_map_is_symmetric_and_square():
    grid = np.array([[0.0, 0.5], [-2.0, 1.0]], np.float32)
    fig = inside.neuron_map(grid, 3.0, labels={"title": "T", "value": "v"})
    heat = fig.data[0]
    assert heat.zmin == -2.0 and heat.zmax == 2.0 and heat.colorbar.title.text == "v"
    assert fig.layout.yaxis.scaleanchor == "x" and tuple(fig.layout.xaxis.range) == (-3.0, 3.0)


def test_histogram_over_time_colours_by_log_counts():
    counts = np.array([[0, 5, 100], [3, 0, 7]])
    fig = inside.histogram_over_time(np.array([1.0, 2.0]), np.array([-1.0, 0.0, 1.0, 2.0]), counts,
                                     labels=TIME_LABELS)
    heat = fig.data[0]
    assert np.allclose(heat.z, np.log1p(counts.T)) and list(heat.y) == [-0.5, 0.5, 1.5]
    assert heat.colorscale == theme.SEQUENTIAL
    assert fig.layout.xaxis.title.text == "e" and fig.layout.yaxis.title.text == "v"


def test_lines_skip_non_finite_points_and_use_a_log_axis_when_asked():
    epochs = np.arange(4, dtype=float)
    series = {f"s{i}": np.array([1.0, np.nan, 1e-6, np.inf]) * 10.0 ** -i for i in range(7)}
    fig = inside.lines_over_time(epochs, series, labels=TIME_LABELS, log_y=True)
    assert [t.name for t in fig.data] == list(series)
    assert list(fig.data[0].x) == [0.0, 2.0] and fig.layout.yaxis.type == "log"
    colors = [t.line.color for t in fig.data]
    assert colors[:5] == list(theme.CLASS_COLORS) and colors[5:] == list(inside.GREYS[:2])
    flat = inside.lines_over_time(epochs, {"a": np.array([0.0, 0.5, np.nan, 1.0])}, labels=TIME_LABELS, percent=True)
    assert flat.layout.yaxis.type is None and flat.layout.yaxis.tickformat == ".0%"
    assert list(flat.data[0].y) == [0.0, 0.5, 1.0]


def test_a_long_title_sends_the_legend_under_the_lines():
    """Found in a browser QA pass: "Weight norm per layer over time" and its legend ran into each other."""
    series = {name: np.ones(3) for name in ("layer 1", "layer 2", "output")}
    long = inside.lines_over_time(np.arange(3.0), series, labels={**TIME_LABELS, "title": "Weight norm per layer over time"})
    short = inside.lines_over_time(np.arange(3.0), series, labels={**TIME_LABELS, "title": "Norms"})
    assert long.layout.legend.yref == "container" and short.layout.legend.yref != "container"
    assert long.layout.title.xref == "container"
    lone = inside.lines_over_time(np.arange(3.0), {"Plain RNN · near 0: 4%": np.ones(3)}, labels=TIME_LABELS)
    assert lone.layout.showlegend is True  # the gated page's hidden-state histogram has one line


@pytest.mark.parametrize("sizes, max_tiles", [((2, 4, 2, 1), 128), ((7, 64, 64, 64, 5), 128), ((3,), 128)])
def test_a_click_on_the_mosaic_names_the_tile_drawn_there(sizes, max_tiles):
    res = 6
    grids = [np.ones((n, res, res), np.float32) for n in sizes]  # every tile drawn in colour
    fig, tiles = inside.neuron_maps(grids, labels=MAP_LABELS, max_tiles=max_tiles)
    image = decode_png(fig.data[0].source)
    hits: dict[tuple[int, int], int] = {}
    for y in range(image.shape[0]):
        for x in range(image.shape[1]):
            found = inside.tile_at(x, y, list(sizes), res, max_tiles)
            drawn = not (image[y, x] == inside._BACKGROUND).all()
            assert (found is not None) == drawn, (x, y)
            if found is not None:
                hits[found] = hits.get(found, 0) + 1
    assert sorted(hits) == sorted(tiles)
    assert set(hits.values()) == {(res + 2) ** 2}  # each tile, frame included, and nothing else
    assert inside.tile_at(-3, 0, list(sizes), res) is None and inside.tile_at(0, 10_000, list(sizes), res) is None


def test_the_enlarged_neuron_is_framed_on_the_mosaic():
    res, sizes = 6, [2, 4, 2, 1]
    grids = [np.ones((n, res, res), np.float32) for n in sizes]
    for selected in [(0, 1), (1, 3), (3, 0)]:
        fig, _ = inside.neuron_maps(grids, labels=MAP_LABELS, selected=selected)
        (frame,) = fig.layout.shapes
        centre = ((frame.x0 + frame.x1) / 2, (frame.y0 + frame.y1) / 2)
        assert inside.tile_at(*centre, sizes, res) == selected
        assert frame.x1 - frame.x0 == frame.y1 - frame.y0 == res + 2 + 2  # the framed tile and a pixel round it
    assert not inside.neuron_maps(grids, labels=MAP_LABELS, selected=(1, 9))[0].layout.shapes  # not drawn: no frame
    assert not inside.neuron_maps(grids, labels=MAP_LABELS)[0].layout.shapes
