"""The race's figures are valid plotly figures, serialise for the live chart, and draw what
they say; the table rows are raw numbers."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from ffnviz import limits
from ffnviz.specs import OptimSpec
from ffnviz.specs.race import Contestant, RaceSpec
from ffnviz.train.race_runner import RaceSnapshot
from ffnviz.train.reading import Metrics
from ffnviz.viz import payload, theme
from ffnviz.viz.race_charts import ema, race_curves, race_table_rows

LABELS = {"title": "T", "epoch": "epoch", "train": "train", "test": "test", "loss_axis": "loss",
          "acc_axis": "accuracy"}
NAMES = ["sgd 0.03", "momentum 0.03", "adam 0.01"]


def history(n: int, scale: float, spread: float) -> dict[str, np.ndarray]:
    epochs = np.arange(n, dtype=float)
    out = {"update": epochs * 25, "epoch": epochs}
    for key, base in (("train_loss", np.exp(-epochs / scale) + 0.05), ("test_loss", np.exp(-epochs / scale) + 0.1),
                      ("train_acc", 1 - 0.5 * np.exp(-epochs / scale)), ("test_acc", 0.95 - 0.5 * np.exp(-epochs / scale))):
        out[f"{key}_mean"], out[f"{key}_min"], out[f"{key}_max"] = base, base * (1 - spread), base * (1 + spread)
    return out


# The third dropped out after 12 epochs: its history ends there.
HISTORIES = [history(40, 10, 0.1), history(40, 5, 0.1), history(12, 3, 0.1)]
ONE_SEED = [history(40, 10, 0.0), history(40, 5, 0.0), history(12, 3, 0.0)]


def check_valid(fig: go.Figure) -> dict:
    go.Figure(fig.to_dict())  # plotly's validation: raises on a bad property or value
    return json.loads(payload.figure_json(fig))


@pytest.mark.parametrize("key", ["loss", "accuracy"])
@pytest.mark.parametrize("smoothing", [0.0, 0.6])
@pytest.mark.parametrize("projector", [False, True])
def test_race_curves_are_valid(key, smoothing, projector):
    for histories in (HISTORIES, ONE_SEED):
        fig = race_curves(histories, NAMES, key, smoothing=smoothing, labels=LABELS, projector=projector)
        check_valid(fig)


def test_race_curves_draw_lines_and_bands_in_each_colour():
    fig = race_curves(HISTORIES, NAMES, "loss", labels=LABELS)
    lines = [t for t in fig.data if t.fill is None]
    bands = [t for t in fig.data if t.fill == "toself"]
    assert len(lines) == 6 and len(bands) == 6  # train and test per contestant
    assert [t.line.dash for t in lines] == ["solid", "dot"] * 3
    assert [t.line.color for t in lines] == [c for c in theme.RACE_COLORS[:3] for _ in (0, 1)]
    assert [t.name for t in lines if t.showlegend] == NAMES
    assert fig.layout.yaxis.type == "log"
    assert len(lines[4].y) == 12  # the dropped-out contestant's curve ends where its history does
    one = race_curves(ONE_SEED, NAMES, "accuracy", labels=LABELS)
    assert all(t.fill is None for t in one.data)  # one seed: no band
    assert list(one.layout.yaxis.range) == [0, 1.02]


def test_a_long_race_sends_at_most_chart_points_a_curve_smoothed_over_all_of_them():
    """A race's history keeps up to limits.HISTORY_POINTS epochs, and every live refresh sends each
    curve: a chart draws at most CHART_POINTS of them, the latest in, its epochs as a start and a step."""
    from ffnviz import limits

    long = [history(limits.HISTORY_POINTS, 10, 0.1) for _ in NAMES]
    fig = race_curves(long, NAMES, "loss", smoothing=0.9, labels=LABELS)
    line = next(t for t in fig.data if t.fill is None)
    assert len(line.y) <= limits.CHART_POINTS and line.x is None
    epochs = long[0]["epoch"]
    assert line.x0 + (len(line.y) - 1) * line.dx == epochs[-1]
    assert line.y[-1] == np.float32(ema(long[0]["train_loss_mean"], 0.9)[-1])  # smoothed before thinning
    assert all(len(t.x) <= 2 * limits.CHART_POINTS for t in fig.data if t.fill == "toself")


def test_smoothing():
    values = np.array([1.0, 0.0, 1.0, np.nan, 0.0])
    assert np.array_equal(ema(values, 0.0), values, equal_nan=True)
    smoothed = ema(values, 0.5)
    assert smoothed[0] == 1.0  # bias-corrected: the first point is the first value
    assert np.isnan(smoothed[3]) and 0 < smoothed[4] < 1
    # by hand: m = 0.5, 0.25, 0.625, (skipped), 0.3125 over weights 0.5, 0.75, 0.875, 0.9375
    np.testing.assert_allclose(smoothed, [1.0, 1 / 3, 0.625 / 0.875, np.nan, 0.3125 / 0.9375])
    fig = race_curves(ONE_SEED, NAMES, "loss", smoothing=0.9, labels=LABELS)
    raw = race_curves(ONE_SEED, NAMES, "loss", smoothing=0.0, labels=LABELS)
    assert not np.allclose(fig.data[0].y, raw.data[0].y)
    with pytest.raises(ValueError, match="smoothing"):
        race_curves(ONE_SEED, NAMES, "loss", smoothing=1.0, labels=LABELS)
    with pytest.raises(ValueError, match="key"):
        race_curves(ONE_SEED, NAMES, "speed", labels=LABELS)


def test_regression_has_no_accuracy_curves():
    nan = {k: (np.full_like(v, np.nan) if "acc" in k else v) for k, v in ONE_SEED[0].items()}
    fig = race_curves([nan, nan], NAMES[:2], "accuracy", labels=LABELS)
    assert len(fig.data) == 0
    check_valid(fig)


def test_table_rows_are_raw_numbers_and_ranked():
    spec = RaceSpec()
    m = Metrics(100, 4.0, 0.5, 0.6, 0.8, 0.75)
    snap = RaceSnapshot(version=1, status="paused", note=None, spec=spec, updates=100, epoch=4.0,
                        updates_per_epoch=25, updates_per_s=0.0, histories=tuple(ONE_SEED),
                        diverged_at=(None, None, 60), current=(m, m, m), best_test_acc=(0.8, 0.92, 0.5),
                        updates_to_target=(None, 75, None), seconds_per_update=(1e-4, 1.2e-4, 2e-4))
    rows = race_table_rows(snap, NAMES)
    assert [r["name"] for r in rows] == NAMES
    assert [r["rank"] for r in rows] == [2, 1, 3]
    assert rows[1]["updates_to_target"] == 75 and rows[2]["diverged_at"] == 60
    assert rows[0]["optimizer"] == "sgd" and rows[2]["lr"] == 0.01
    for row in rows:
        assert all(isinstance(v, (int, float, type(None))) for k, v in row.items()
                   if k not in ("name", "color", "optimizer"))


def test_one_colour_per_contestant():
    assert len(set(theme.RACE_COLORS)) >= limits.RACE_CONTESTANTS.hi
    assert theme.rgba("#0072B2", 0.15) == "rgba(0,114,178,0.15)"
    assert Contestant(OptimSpec("adam", 0.01)).label() == NAMES[2]


def test_curves_and_rows_from_a_real_race():
    from ffnviz.specs import DataSpec, ModelSpec, RunSpec
    from ffnviz.train.capacity import WorkCap
    from ffnviz.train.race_runner import RaceRunner

    base = RunSpec(data=DataSpec(dataset="spiral", n_points=100), model=ModelSpec(hidden=(4,)))
    runner = RaceRunner(RaceSpec(base=base, seeds=(0, 1)), cap=WorkCap(16))
    runner.step(12)
    snap = runner.snapshot
    names = [c.label() for c in snap.spec.contestants]
    for key in ("loss", "accuracy"):
        check_valid(race_curves(snap.histories, names, key, smoothing=0.3, labels=LABELS))
    assert len(race_table_rows(snap, names)) == 3


def test_a_regression_is_ranked_by_test_loss():
    spec = RaceSpec()
    nan = float("nan")
    worse, better = Metrics(10, 1.0, 0.5, 0.6, nan, nan), Metrics(10, 1.0, 0.5, 0.2, nan, nan)
    snap = RaceSnapshot(version=1, status="paused", note=None, spec=spec, updates=10, epoch=1.0,
                        updates_per_epoch=25, updates_per_s=0.0, histories=tuple(ONE_SEED),
                        diverged_at=(None, None, None), current=(worse, better, worse), best_test_acc=(nan,) * 3,
                        updates_to_target=(None,) * 3, seconds_per_update=(1e-4,) * 3)
    assert [r["rank"] for r in race_table_rows(snap, NAMES)] == [2, 1, 3]
