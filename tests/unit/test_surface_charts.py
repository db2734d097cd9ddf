"""What the optimizer race's pictures show: capped frames that end on the full paths, arrows
from the chosen step, the phase diagram's divergent region apart."""

from __future__ import annotations

import numpy as np
import pytest

from ffnviz.surfaces import SURFACES, grid, ravine_eigenvalues
from ffnviz.train.trajectory import Trajectory, phase_diagram, run_trajectory
from ffnviz.viz import payload, surface_charts

LABELS = {"title": "T", "log_loss": "log", "minimum": "min", "play": "play", "pause": "pause", "step": "step",
          "diverged": "diverged at {step}", "loss_axis": "loss", "point": "p", "neg_grad": "-g", "velocity": "v",
          "update": "u", "lr": "lr", "momentum": "mu", "rate": "r", "diverges": "d", "current": "c"}
BOOTH = SURFACES["booth"]
GRID = grid(BOOTH, resolution=25)
PATHS = [run_trajectory(BOOTH, BOOTH.start, "momentum", 0.005, None, 300),
         run_trajectory(BOOTH, BOOTH.start, "adam", 0.2, None, 120),
         run_trajectory(BOOTH, BOOTH.start, "sgd", 0.5, None, 300)]  # diverges


def test_frames_are_capped_and_the_last_shows_every_full_path():
    assert PATHS[2].diverged_at is not None
    fig = surface_charts.contour_race(*GRID, PATHS, ["m", "a", "s"], BOOTH.minima, labels=LABELS, max_frames=40)
    assert 2 <= len(fig.frames) <= 40
    steps = [int(f.name) for f in fig.frames]
    assert steps[0] == 0 and steps[-1] == 300 and steps == sorted(steps)
    moving = list(fig.frames[-1].traces)
    for i, path in enumerate(PATHS):
        shown = fig.frames[-1].data[i]
        np.testing.assert_array_equal(np.column_stack([shown.x, shown.y]),
                                      np.clip(path.points, -1e30, 1e30).astype(np.float32))
        np.testing.assert_array_equal(fig.data[moving[i]].x, shown.x)  # the figure opens on the full paths
    first = fig.frames[0].data
    assert all(len(first[i].x) == 1 for i in range(len(PATHS)))
    assert "diverged at" in fig.data[moving[2]].name
    assert [s["label"] for s in fig.layout.sliders[0].steps] == [str(k) for k in steps]
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == ["play", "pause"]
    # plotly.js drops the contour when frames animate without a redraw (seen in Chromium)
    animate_args = [b.args[1] for b in fig.layout.updatemenus[0].buttons] + [s["args"][1] for s in fig.layout.sliders[0].steps]
    assert all(args["frame"]["redraw"] for args in animate_args)


def test_frame_steps_are_even_and_include_both_ends():
    assert list(surface_charts.frame_steps(5)) == [0, 1, 2, 3, 4, 5]
    steps = surface_charts.frame_steps(1000, 60)
    assert len(steps) == 60 and steps[0] == 0 and steps[-1] == 1000


def test_long_races_get_fewer_frames_and_a_bounded_payload():
    steps = surface_charts.race_frame_steps([1001] * 6)
    assert 2 < len(steps) < surface_charts.MAX_FRAMES and steps[-1] == 1000
    assert np.minimum(steps[:, None] + 1, 1001).sum() * 6 <= surface_charts.MAX_FRAME_POINTS
    assert len(surface_charts.race_frame_steps([301] * 6)) == surface_charts.MAX_FRAMES
    assert list(surface_charts.race_frame_steps([1001], max_points=10)) == [0, 1000]
    walk = np.cumsum(np.random.default_rng(0).normal(size=(1001, 2)), axis=0)
    path = Trajectory("sgd", 0.1, (), walk, np.ones(1001), np.zeros((1000, 2)), np.diff(walk, axis=0), {}, None)
    fig = surface_charts.contour_race(*grid(BOOTH), [path] * 6, list("abcdef"), BOOTH.minima, labels=LABELS)
    assert len(payload.figure_json(fig)) < 1_500_000


def test_contour_levels_are_logarithmic():
    levels = surface_charts.log_levels(GRID[2])
    assert np.isfinite(levels).all()
    assert levels.max() - levels.min() > 3  # Booth spans over three decades above its minimum on this grid


def test_loss_axis_is_log_unless_a_loss_is_negative():
    assert surface_charts.loss_by_step(PATHS, ["m", "a", "s"], labels=LABELS).layout.yaxis.type == "log"
    saddle = SURFACES["saddle"]
    below = run_trajectory(saddle, saddle.start, "momentum", 0.05, None, 120)
    fig = surface_charts.loss_by_step([below], ["s"], labels=LABELS)
    assert below.losses.min() < -1e3 and fig.layout.yaxis.type != "log"
    y = np.asarray(fig.data[0].y)
    np.testing.assert_allclose(y, np.sign(below.losses) * np.log10(1 + np.abs(below.losses)))
    np.testing.assert_array_equal(fig.data[0].customdata, below.losses)  # hover says the loss itself
    ticks = dict(zip(fig.layout.yaxis.ticktext, fig.layout.yaxis.tickvals, strict=True))
    assert ticks["0"] == 0 and len(ticks) >= 3
    for text, value in ticks.items():
        assert value == pytest.approx(surface_charts.symlog(float(text)))


def test_symlog_keeps_sign_and_order():
    values = np.array([-1e6, -10.0, -0.5, 0.0, 0.5, 10.0])
    out = surface_charts.symlog(values)
    assert (np.diff(out) > 0).all() and out[3] == 0 and out[0] == -out[-1] * np.log10(1e6 + 1) / np.log10(11)


def test_step_arrows_start_at_the_point_and_end_where_the_update_went():
    path = PATHS[0]
    fig = surface_charts.step_arrows(*GRID, path, 7, "m", labels={**LABELS, "title": "{name} at {step}"})
    arrows = fig.layout.annotations
    assert len(arrows) == 3 and fig.layout.title.text == "m at 7"
    for arrow in arrows:
        assert arrow.showarrow and (arrow.ax, arrow.ay) == tuple(path.points[7])
    update = arrows[0]  # drawn first, beneath: under plain momentum −η·velocity coincides with it
    np.testing.assert_allclose((update.x, update.y), path.points[8])
    grad = arrows[1]
    np.testing.assert_allclose((grad.x, grad.y), path.points[7] - path.lr * path.grads[7])
    assert [t.name for t in fig.data[2:]] == ["-g", "v", "u"]
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    assert x0 < update.x < x1 and y0 < update.y < y1


def test_step_arrows_without_a_velocity_buffer_has_two():
    sgd = run_trajectory(BOOTH, BOOTH.start, "sgd", 0.01, None, 5)
    fig = surface_charts.step_arrows(*GRID, sgd, 99, "s", labels=LABELS)  # past the end: the last step
    assert len(fig.layout.annotations) == 2 and fig.layout.annotations[0].ax == sgd.points[4][0]
    np.testing.assert_allclose(fig.layout.annotations[0].x, sgd.points[5][0])


def test_phase_heatmap_shows_divergence_apart_and_marks_the_current_choice():
    lrs, momenta = np.geomspace(1e-2, 5.0, 15), np.linspace(0.0, 0.95, 10)
    rates = phase_diagram(lrs, momenta, ravine_eigenvalues(10.0))
    fig = surface_charts.phase_heatmap(lrs, momenta, rates, (0.3, 0.5), labels=LABELS)
    converging, divergent, current = fig.data
    assert fig.layout.xaxis.type == "log"
    assert np.array_equal(np.isnan(np.asarray(converging.z)), rates >= 1)
    assert np.array_equal(np.isfinite(np.asarray(divergent.z)), rates >= 1) and (rates >= 1).any()
    assert (current.x[0], current.y[0]) == (0.3, 0.5)
    assert len(surface_charts.phase_heatmap(lrs, momenta, rates, None, labels=LABELS).data) == 2


@pytest.mark.parametrize("projector", [False, True])
def test_the_animation_controls_sit_clear_of_the_x_axis_and_of_each_other(projector):
    """Found in a browser QA pass: the slider's "step 500" and the play buttons ran over the x
    axis's tick labels and title, and the buttons covered the slider's label."""
    fig = surface_charts.contour_race(*GRID, PATHS, ["m", "a", "s"], BOOTH.minima, labels=LABELS, max_frames=10,
                                      projector=projector)
    below = surface_charts.CONTROLS_BELOW_PX[projector]
    assert fig.layout.sliders[0].pad.t == below and fig.layout.updatemenus[0].pad.t > below
    assert fig.layout.margin.b >= below + 90  # room for the slider's rail and ticks under them
    assert fig.layout.sliders[0].currentvalue.xanchor == "right"
