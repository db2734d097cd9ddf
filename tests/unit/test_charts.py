"""The pure chart builders: assert on the figures' data."""

from __future__ import annotations

import numpy as np

from ffnviz.viz import charts, theme

LABELS = {"train": "train", "test": "test", "epoch": "epoch", "loss_axis": "loss", "acc_axis": "accuracy",
          "title": "T", "class": "class", "probability": "p"}


def curves():
    epochs = np.arange(5, dtype=float)
    return epochs, np.array([1.0, 0.5, 0.3, 0.2, 0.1]), np.array([1.0, 0.6, np.nan, 0.4, 0.35])


def test_loss_chart_skips_non_finite_points_and_uses_a_log_axis():
    fig = charts.loss_chart(*curves(), labels=LABELS)
    train, test = fig.data
    assert list(train.y) == [1.0, 0.5, 0.3, 0.2, 0.1] and len(test.y) == 4
    assert fig.layout.yaxis.type == "log"


def test_a_pinned_run_is_drawn_faintly_behind_the_live_curves():
    epochs, train, test = curves()
    ghost = charts.Ghost("SGD 0.03", epochs, {"train_loss": train * 2, "test_loss": test * 2,
                                               "train_acc": train, "test_acc": test})
    fig = charts.loss_chart(epochs, train, test, labels=LABELS, ghost=ghost)
    assert len(fig.data) == 4
    behind, live = fig.data[:2], fig.data[2:]
    assert all("SGD 0.03" in t.name and t.opacity < 1 for t in behind)
    assert all(t.opacity == 1 for t in live)
    assert list(behind[0].y) == list((train * 2).astype(np.float32))
    acc = charts.accuracy_chart(epochs, train, test, labels=LABELS, ghost=ghost)
    assert len(acc.data) == 4 and tuple(acc.layout.yaxis.range) == (0, 1.02)


def test_a_pinned_runs_long_legend_goes_under_the_chart_not_over_its_title():
    """Found in a browser QA pass: four legend rows ("train · SGD 0.3 · Tanh · 4-2", …) covered "Loss"."""
    epochs, train, test = curves()
    ghost = charts.Ghost("SGD 0.3 · Tanh · 4-2", epochs, {"train_loss": train, "test_loss": test,
                                                           "train_acc": train, "test_acc": test})
    for build in (charts.loss_chart, charts.accuracy_chart):
        assert build(epochs, train, test, labels=LABELS, ghost=ghost).layout.legend.yref == "container"
        assert build(epochs, train, test, labels=LABELS).layout.legend.yref != "container"  # beside the title


def test_decision_map_discretized_shows_classes_only():
    grid = np.array([[0.1, 0.45], [0.55, 0.9]], np.float32)
    x, y = np.zeros((2, 2), np.float32), np.array([0, 1])
    soft = charts.decision_map(grid, 6.0, [(x, y, "train")], labels=LABELS)
    hard = charts.decision_map(grid, 6.0, [(x, y, "train")], labels=LABELS, discretize=True)
    assert np.allclose(np.array(soft.data[0].z), grid)
    assert np.array_equal(np.array(hard.data[0].z), [[0, 0], [1, 1]])


def test_a_live_map_sends_bytes_on_the_same_colours():
    """While a run trains the map is drawn from bytes (a quarter of the bytes of every refresh):
    the same colours, to within a 255th of the scale."""
    grid = np.array([[0.0, 0.25], [0.5, 1.0]], np.float32)
    fig = charts.decision_map(grid, 6.0, [], labels=LABELS, compact=True)
    heat = fig.data[0]
    z = np.array(heat.z)
    assert z.dtype == np.uint8 and (heat.zmin, heat.zmax) == (0, 255)
    assert np.abs(z / 255.0 - grid).max() <= 0.5 / 255
    labels = {**LABELS, "prediction": "prediction", "target": "target"}
    signed = charts.regression_map(np.array([[-2.0, 0.0], [0.5, 1.0]], np.float32), 6.0, [], labels=labels,
                                   compact=True).data[0]
    assert np.array_equal(np.array(signed.z), [[0, 128], [191, 255]])  # -2 clipped to -1, as the colours
    assert list(signed.colorbar.ticktext) == ["-1", "0", "1"]


def test_multiclass_map_is_an_image_in_the_class_colours():
    probs = np.zeros((2, 2, 3), np.float32)
    probs[..., 2] = 1.0
    fig = charts.decision_map(probs, 6.0, [], labels=LABELS, discretize=True)
    rgb = np.array(fig.data[0].z)
    want = [int(theme.CLASS_COLORS[2][i:i + 2], 16) for i in (1, 3, 5)]
    assert (rgb.reshape(-1, 3) == want).all()


def test_log_ticks_cover_the_range_with_readable_labels():
    ticks = charts.log_ticks(0.03, 0.7)
    assert ticks[0] <= 0.03 and ticks[-1] >= 0.7 and 0.1 in ticks


def test_log_ticks_over_many_decades_are_a_few_powers_of_ten():
    ticks = charts.log_ticks(0.004, 6.0)  # three and a half decades: 1-2-5 would crowd the axis
    assert ticks == [0.001, 0.01, 0.1, 1.0, 10.0]
    wide = charts.log_ticks(1e-9, 3.0)
    assert len(wide) <= 7 and all(np.log10(t).is_integer() for t in wide) and wide[0] <= 1e-9 and wide[-1] >= 3.0


def test_regression_map_puts_prediction_and_targets_on_one_signed_scale():
    grid = np.array([[-0.5, 0.2], [0.0, 0.9]], np.float32)
    x, target = np.zeros((2, 2), np.float32), np.array([-1.0, 1.0], np.float32)
    labels = {**LABELS, "prediction": "prediction", "target": "target"}
    fig = charts.regression_map(grid, 6.0, [(x, target, "train")], labels=labels)
    heat, dots = fig.data
    assert (heat.zmin, heat.zmax) == (-1.0, 1.0) and (dots.marker.cmin, dots.marker.cmax) == (-1.0, 1.0)
    assert list(dots.marker.color) == [-1.0, 1.0]
    hard = charts.regression_map(grid, 6.0, [], labels=labels, discretize=True)
    assert np.array_equal(np.array(hard.data[0].z), [[-1, 1], [0, 1]])


def test_a_long_curve_is_drawn_from_at_most_chart_points_evenly_spaced_ending_at_the_last():
    from ffnviz import limits

    epochs = np.arange(0, 2000 * 4, 4, dtype=np.float64)  # a history thinned to every 4th epoch
    loss = np.linspace(1.0, 0.01, len(epochs))
    fig = charts.loss_chart(epochs, loss, loss, labels=LABELS)
    train = fig.data[0]
    assert len(train.y) <= limits.CHART_POINTS
    assert train.x0 + (len(train.y) - 1) * train.dx == epochs[-1]  # the latest point is in
    assert train.y[-1] == np.float32(loss[-1])
    short = charts.loss_chart(epochs[:50], loss[:50], loss[:50], labels=LABELS).data[0]
    assert len(short.y) == 50 and (short.x0, short.dx) == (0.0, 4.0)
