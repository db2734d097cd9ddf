"""The wall as one image: its layout fits a 16:9 screen, a click finds its tile, names are
escaped in plotly labels; the join link's address is never localhost."""

from __future__ import annotations

import numpy as np
import pytest

from ffnviz.store.address import join_url, public_base
from ffnviz.viz.wall import CELL_H, CELL_W, TILE, WallTile, compact, compose, layout_grid, plain, tile_at, wall_figure


def tiles(n: int) -> list[WallTile]:
    return [WallTile(f"s{i}", "90% · 1.0k upd", bytes([i % 255]) * (TILE * TILE * 3)) for i in range(n)]


@pytest.mark.parametrize("n", [1, 10, 30, 100])
def test_the_wall_is_one_image_near_16_by_9(n):
    fig, columns = wall_figure(tiles(n), title="wall", projector=True)
    assert [t.type for t in fig.data] == ["image"]
    rows = -(-n // columns)
    if n >= 10:
        assert 1.2 < (columns * CELL_W) / (rows * CELL_H) < 3.0
    assert len(fig.layout.annotations) == 2 * n


def test_a_click_finds_its_tile():
    columns = layout_grid(30)
    for i in (0, 7, 29):
        x = (i % columns) * CELL_W + CELL_W / 2
        y = (i // columns) * CELL_H + CELL_H / 2
        assert tile_at(x, y, columns, 30) == i
    assert tile_at(columns * CELL_W + 1, 1, columns, 30) is None
    assert tile_at(1, 10 * CELL_H, columns, 30) is None


def test_pictures_land_in_their_cells():
    canvas = compose(tiles(3), 3)
    left = (CELL_W - TILE) // 2
    assert (canvas[6:6 + TILE, CELL_W + left:CELL_W + left + TILE] == 1).all()


@pytest.mark.parametrize("name, shown", [("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
                                         ("<b>big</b>", "&lt;b&gt;big&lt;/b&gt;"), ("**big**", "**big**"),
                                         ("a&b", "a&amp;b")])
def test_names_reach_plotly_escaped(name, shown):
    assert plain(name) == shown


def test_compact_counts():
    assert [compact(n) for n in (950, 3_500, 12_340, 250_000, 1_200_000)] == ["950", "3.5k", "12.3k", "250k", "1.2M"]


@pytest.mark.parametrize("configured, ip, wanted", [
    ("https://ffnviz.school.example/", "10.0.0.5", "https://ffnviz.school.example"),
    (None, "10.0.0.5", "http://10.0.0.5:8501"),
    (None, "127.0.0.1", None), (None, None, None), ("", "localhost", None),
])
def test_the_join_address_is_never_localhost(configured, ip, wanted):
    assert public_base(configured, ip, 8501) == wanted


def test_the_join_link():
    assert join_url("http://10.0.0.5:8501", "ABC234") == "http://10.0.0.5:8501/classroom?class=ABC234"


def test_a_picture_of_a_map_is_a_tile():
    from ffnviz.viz.wall import picture_from_curve, picture_from_grid

    assert len(picture_from_grid(np.random.default_rng(0).random((60, 60)))) == TILE * TILE * 3
    assert len(picture_from_curve(np.array([1.0, 0.5, np.nan, 0.1]))) == TILE * TILE * 3


def test_the_highlighted_curve_is_drawn_last_and_a_click_maps_back():
    from ffnviz.viz.wall import curves_figure, drawn_order

    series = [(f"<i>s{i}</i>", [0, 10], [1.0, 0.5 - i / 10]) for i in range(4)]
    fig = curves_figure(series, title="t", x_title="u", y_title="l", highlight=1)
    order = drawn_order(4, 1)
    assert [fig.data[k].name for k in range(4)] == [plain(series[i][0]) for i in order]
    assert fig.data[-1].line.width > fig.data[0].line.width
