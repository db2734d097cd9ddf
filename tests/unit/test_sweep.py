"""The learning-rate sweep: the grid, the sweep's numbers against plain Trainer runs, divergence,
cancel, the server cap, progress, training in turns, and its chart (through a worker process:
tests/unit/test_pool.py).

As in test_runner.py, tests wait for a state with a generous deadline and assert states and
numbers; the one timing bound (cancel) is far above the ~20 ms chunk it depends on."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import pytest

from ffnviz import limits
from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec, TrainSpec
from ffnviz.train.capacity import WorkCap
from ffnviz.train.sweep import Sweep, SweepResult, lr_grid
from ffnviz.train.trainer import Trainer
from ffnviz.train.worker import TRAINING_TURNS
from ffnviz.viz import payload
from ffnviz.viz.sweep_charts import sweep_chart

# Tiny and fast: 25 training points, one hidden layer of 3.
TINY = RunSpec(data=DataSpec(dataset="xor", n_points=50, noise=0.1), model=ModelSpec(hidden=(3,)),
               train=TrainSpec(batch_size=5, device="cpu"))
# Linear units and SGD: lr 10 blows up within a few updates (see test_runner.DIVERGING).
LINEAR = replace(TINY, data=DataSpec(dataset="spiral", n_points=50),
                 model=ModelSpec(hidden=(8, 8), activation="linear", init="he"))
LABELS = {"title": "T", "lr_axis": "learning rate", "loss_axis": "loss", "diverged": "diverged", "best": "best",
          "start": "loss before training"}


def wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def finished(sweep: Sweep) -> bool:
    return sweep.status in ("done", "cancelled", "failed")


# -- the grid -------------------------------------------------------------------------------------

def test_lr_grid_is_log_spaced_with_exact_end_points():
    grid = lr_grid(1e-4, 1.0, 9)
    assert grid[0] == 1e-4 and grid[-1] == 1.0 and len(grid) == 9
    np.testing.assert_allclose(np.diff(np.log10(grid)), 0.5)


@pytest.mark.parametrize("lo, hi, points, word", [
    (1e-3, 1.0, limits.SWEEP_POINTS.lo - 1, "points"), (1e-3, 1.0, limits.SWEEP_POINTS.hi + 1, "points"),
    (1e-3, 1.0, 5.0, "points"), (0.0, 1.0, 5, "lo"), (1e-3, 100.0, 5, "hi"), (1.0, 0.1, 5, "below"),
    (float("nan"), 1.0, 5, "lo"),
])
def test_lr_grid_refuses_what_is_outside_the_limits(lo, hi, points, word):
    with pytest.raises(ValueError, match=word):
        lr_grid(lo, hi, points)


# -- the constructor --------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, word", [
    ({"updates": limits.SWEEP_UPDATES.hi}, "sweep too big"),  # 2 × 3 × 20000 is within, × 5 seeds is not
    ({"updates": 0}, "updates"),
    ({"lrs": [0.1, 0.01, 1.0]}, "increase"),
    ({"lrs": [0.1, 1.0]}, "lrs"),
    ({"lrs": [0.1, 1.0, 100.0]}, "lrs"),
    ({"seeds": ()}, "seeds"),
    ({"seeds": (1, 1)}, "differ"),
    ({"optimizers": [OptimSpec("momentum", hyper=(("momentum", 2.0),))]}, "hyper.momentum"),
    ({"optimizers": [OptimSpec("adam", hyper=(("momentum", 0.5),))]}, "no hyperparameter"),
    ({"optimizers": []}, "optimizers"),
])
def test_sweep_validates_and_names_what_is_wrong(kwargs, word):
    args = {"base": TINY, "optimizers": [OptimSpec("sgd"), OptimSpec("adam")], "lrs": lr_grid(1e-3, 1.0, 3),
            "updates": 10, "seeds": (0, 1, 2, 3, 4)} | kwargs
    with pytest.raises(ValueError, match=word):
        Sweep(**args)


def test_sweep_takes_numpy_whole_numbers_and_refuses_an_upload_without_its_data():
    sweep = Sweep(TINY, [OptimSpec("sgd")], lr_grid(1e-3, 1.0, 3), np.int64(10), seeds=np.arange(2))
    assert sweep.updates == 10 and sweep.seeds == (0, 1) and type(sweep.updates) is int
    upload = replace(TINY, data=DataSpec(dataset="upload", upload="0123456789ab", n_points=50))
    with pytest.raises(ValueError, match="upload"):
        Sweep(upload, [OptimSpec("sgd")], lr_grid(1e-3, 1.0, 3), 10)


# -- running ------------------------------------------------------------------------------------

def test_small_sweep_finishes_with_the_numbers_of_plain_trainer_runs():
    optimizers = [OptimSpec("sgd"), OptimSpec("adam", hyper=(("beta1", 0.8),))]
    lrs, updates, seeds = lr_grid(1e-3, 0.3, 3), 17, (0, 5)
    cap = WorkCap(4)
    sweep = Sweep(TINY, optimizers, lrs, updates, seeds, cap=cap)
    assert sweep.status == "ready" and sweep.progress == 0.0
    sweep.start()
    wait_for(lambda: finished(sweep))
    assert sweep.status == "done" and sweep.error is None and sweep.progress == 1.0 and cap.in_use == 0
    r = sweep.result
    assert r.optimizers == ("sgd", "adam") and r.updates == updates and r.seeds == seeds
    assert r.final_loss.shape == (2, 3, 2) and np.isfinite(r.final_loss).all() and r.done.all()
    assert not r.diverged.any()
    for i, optim in enumerate(optimizers):
        for j, lr in enumerate(lrs):
            for k, seed in enumerate(seeds):
                # Built here, not with sweep.run_spec, and stepped in one call (the sweep steps in chunks).
                spec = replace(TINY, optim=replace(optim, lr=float(lr)), train=replace(TINY.train, seed=seed))
                trainer = Trainer(spec)
                trainer.step(updates)
                assert r.final_loss[i, j, k] == trainer.evaluate().train_loss
    for k, seed in enumerate(seeds):  # the loss before training: one per seed, whatever the optimizer
        assert r.initial_loss[k] == Trainer(replace(TINY, train=replace(TINY.train, seed=seed))).evaluate().train_loss
    np.testing.assert_array_equal(r.median_loss(), np.median(r.final_loss, axis=2))


def test_huge_learning_rate_is_marked_diverged_and_stops_early():
    sweep = Sweep(LINEAR, [OptimSpec("sgd")], lr_grid(1e-3, 10.0, 3), 400, cap=WorkCap(1))
    sweep.start()
    wait_for(lambda: finished(sweep))
    r = sweep.result
    assert sweep.status == "done"
    assert r.diverged[0, :, 0].tolist() == [False, False, True] and r.done.all()
    assert 0 < r.diverged_at[0, 2, 0] < 400  # stopped at the update that blew up, not after 400
    assert np.isnan(r.final_loss[0, 2, 0]) and np.isfinite(r.final_loss[0, :2, 0]).all()
    assert np.isnan(r.median_loss()[0, 2]) and r.any_diverged()[0].tolist() == [False, False, True]
    assert r.best_lr_index()[0] in (0, 1)


def test_cancel_stops_it_early_and_releases_the_cap():
    cap = WorkCap(1)
    sweep = Sweep(TINY, [OptimSpec("sgd")], lr_grid(1e-3, 0.1, 3), limits.SWEEP_UPDATES.hi, cap=cap)
    sweep.start()
    wait_for(lambda: sweep.progress > 0)
    assert sweep.status == "running"
    assert cap.in_use == 1 and not cap.try_acquire(object())  # the sweep counts against the cap
    tick = time.monotonic()
    sweep.cancel()
    assert time.monotonic() - tick < 1.0  # one ~20 ms chunk, with room for a slow machine
    assert sweep.status == "cancelled" and cap.in_use == 0
    assert sweep.progress < 1.0 and not sweep.result.done.all()
    sweep.start()  # a sweep runs once
    assert sweep.status == "cancelled"


def test_cancel_before_start():
    sweep = Sweep(TINY, [OptimSpec("sgd")], lr_grid(1e-3, 0.1, 3), 5, cap=WorkCap(1))
    sweep.cancel()
    sweep.start()
    assert sweep.status == "cancelled" and not sweep.result.done.any()


def test_it_waits_queued_while_the_cap_is_full_and_proceeds_once_freed():
    cap, other = WorkCap(1), object()
    assert cap.try_acquire(other)
    sweep = Sweep(TINY, [OptimSpec("sgd")], lr_grid(1e-3, 0.1, 3), 10, cap=cap, queue_poll_s=0.01)
    sweep.start()
    wait_for(lambda: sweep.status == "queued")
    time.sleep(0.1)  # several polls of the cap
    assert sweep.status == "queued" and sweep.progress == 0.0 and not sweep.result.done.any()
    cap.release(other)
    wait_for(lambda: finished(sweep))
    assert sweep.status == "done" and sweep.result.done.all() and cap.in_use == 0


def test_cancel_while_queued():
    cap, other = WorkCap(1), object()
    cap.try_acquire(other)
    sweep = Sweep(TINY, [OptimSpec("sgd")], lr_grid(1e-3, 0.1, 3), 10, cap=cap, queue_poll_s=0.01)
    sweep.start()
    wait_for(lambda: sweep.status == "queued")
    sweep.cancel()
    assert sweep.status == "cancelled" and cap.in_use == 1  # the other owner's model stays


def test_progress_goes_from_0_to_1_and_never_back():
    sweep = Sweep(TINY, [OptimSpec("sgd"), OptimSpec("adam")], lr_grid(1e-3, 0.1, 3), 150, cap=WorkCap(1))
    seen = [sweep.progress]
    sweep.start()
    while not finished(sweep):
        seen.append(sweep.progress)
        time.sleep(0.001)
    seen.append(sweep.progress)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and sweep.status == "done"
    assert all(b >= a for a, b in zip(seen, seen[1:], strict=False))
    assert any(0.0 < p < 1.0 for p in seen)  # it moved through the middle, not in one jump


def test_the_sweep_trains_in_turns_with_the_other_runs_of_its_process():
    """A sweep's chunks take the process's training turns like any run's (one run's share, not more):
    while another run holds the turn, it makes no update."""
    sweep = Sweep(TINY, [OptimSpec("sgd")], lr_grid(1e-3, 0.1, 3), 200, cap=WorkCap(1))
    with TRAINING_TURNS:
        sweep.start()
        wait_for(lambda: TRAINING_TURNS.waiting == 1)  # the sweep's thread, in line for its turn
        assert sweep.status == "running" and sweep.progress == 0.0
    wait_for(lambda: finished(sweep))
    assert sweep.status == "done" and sweep.result.done.all()


def test_a_failure_is_reported_not_raised():
    sweep = Sweep(TINY, [OptimSpec("sgd")], lr_grid(1e-3, 0.1, 3), 5, cap=WorkCap(1))
    sweep._dataset = "not a dataset"  # the thread's Trainer fails on it
    sweep.start()
    wait_for(lambda: finished(sweep))
    assert sweep.status == "failed" and sweep.error


# -- the chart ------------------------------------------------------------------------------------

def _result() -> SweepResult:
    """Three optimizers over four rates, two seeds: one diverged point (one seed only), one point
    not run yet, and an optimizer with no point at all yet."""
    lrs = np.array([1e-3, 1e-2, 1e-1, 1.0])
    loss = np.full((3, 4, 2), np.nan)
    loss[0] = [[0.7, 0.6], [0.4, 0.5], [0.2, 0.3], [np.nan, 0.9]]
    loss[1, :2] = [[0.65, 0.6], [0.3, 0.31]]
    diverged = np.zeros((3, 4, 2), bool)
    diverged[0, 3, 0] = True
    done = np.zeros((3, 4, 2), bool)
    done[0] = True
    done[1, :2] = True
    done[1, 2, 0] = True  # the other seed still to run: no point yet
    loss[1, 2, 0] = 0.1
    return SweepResult(("sgd", "adam", "rmsprop"), lrs, loss, diverged, 50, (0, 1), done,
                       initial_loss=np.array([0.69, 0.71]))


def test_median_loss_is_nan_where_a_seed_diverged_or_has_not_run():
    median = _result().median_loss()
    np.testing.assert_allclose(median[0], [0.65, 0.45, 0.25, np.nan])
    np.testing.assert_allclose(median[1], [0.625, 0.305, np.nan, np.nan])
    assert np.isnan(median[2]).all()
    assert _result().best_lr_index().tolist() == [2, 1, -1]


def test_best_rates_name_each_optimizer_with_a_best_rate_in_order():
    # rmsprop has no complete point: it has no best rate and is left out
    assert _result().best_rates() == [("sgd", 0.1), ("adam", 0.01)]


def test_a_result_made_without_the_optional_arrays_reads_runs_from_the_losses():
    loss = np.array([[[0.5], [np.nan], [np.nan]]])
    r = SweepResult(("sgd",), np.array([0.01, 0.1, 1.0]), loss, np.array([[[False], [True], [False]]]), 10, (0,))
    assert r.done[0, :, 0].tolist() == [True, True, False] and np.isnan(r.initial_loss).all()
    np.testing.assert_array_equal(r.median_loss(), [[0.5, np.nan, np.nan]])
    go.Figure(sweep_chart(r, ["SGD"], labels=LABELS).to_dict())


def test_sweep_chart_is_valid_with_one_trace_per_optimizer_and_diverged_markers():
    fig = sweep_chart(_result(), ["SGD", "Adam", "RMSprop"], labels=LABELS)
    go.Figure(fig.to_dict())  # validates every property; raises ValueError if wrong
    assert payload.figure_json(fig).startswith('{"data":')
    traces = fig.data  # trace objects: numpy arrays as given (to_dict() would encode them)
    curves = [t for t in traces if t.mode == "lines+markers"]
    assert [t.name for t in curves] == ["SGD", "Adam", "RMSprop"]
    assert [len(t.x) for t in curves] == [3, 2, 0]  # not-yet-run and diverged points are absent
    assert curves[0].line.color != curves[1].line.color
    crosses = [t for t in traces if t.marker.symbol == "x"]
    assert len(crosses) == 1 and list(crosses[0].x) == [1.0] and crosses[0].yaxis == "y2"
    assert "diverged" in crosses[0].hovertemplate
    stars = [t for t in traces if t.marker.symbol == "star"]
    assert [list(t.x) for t in stars] == [[0.1], [0.01]]
    start = [t for t in traces if t.name == "loss before training"]
    assert len(start) == 1 and list(start[0].y) == [0.7, 0.7]  # the median over seeds
    layout = fig.to_dict()["layout"]
    assert layout["xaxis"]["type"] == "log" and layout["yaxis"]["type"] == "log"


def test_sweep_chart_loss_axis_stops_two_decades_above_the_start():
    r = _result()
    r.final_loss[1, 3] = [1e30, 1e31]
    r.done[1, 3] = True
    fig = sweep_chart(r, ["SGD", "Adam", "RMSprop"], labels=LABELS)
    go.Figure(fig.to_dict())
    top = fig.layout.yaxis.range[1]
    assert np.log10(0.7) + 2 < top < np.log10(0.7) + 3


def test_sweep_chart_of_a_real_sweep_many_optimizers_projector():
    # Six optimizers (the sixth grey), all diverging at lr 10: no finite top to pin to, still valid.
    names = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    sweep = Sweep(LINEAR, [OptimSpec(n) for n in names], lr_grid(1e-3, 10.0, 3), 5, cap=WorkCap(1))
    sweep.start()
    wait_for(lambda: finished(sweep))
    fig = sweep_chart(sweep.result, names, labels=LABELS, projector=True)
    go.Figure(fig.to_dict())
    payload.figure_json(fig)
    with pytest.raises(ValueError, match="names"):
        sweep_chart(sweep.result, names[:2], labels=LABELS)
