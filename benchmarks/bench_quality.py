"""Quality: does a run reach the accuracy it should, and how long does it take? Not a test.

    python benchmarks/bench_quality.py           # the full run (about 5-15 minutes on 2 cores)
    python benchmarks/bench_quality.py --quick   # a smoke run: few epochs, same settings otherwise

Problems (each over seeds 0-4, the data seed and the training seed both equal to the seed; the
seeds are fixed here, never picked):

(a) circle: `RunSpec()` defaults except the data set (500 points, half for training, noise 0,
    2 -> 4 -> 2 -> 1 tanh, Playground init, SGD lr 0.03, batch 10); test accuracy after
    CIRCLE_EPOCHS epochs. Target: median >= 0.99.
(b) spiral: the same data defaults (noise 0, 2 classes), 2 -> 8 -> 8 -> 8 -> 1 tanh, Playground
    init, Adam lr 0.01, batch 10, SPIRAL_EPOCHS epochs. Target: median test accuracy >= 0.93 at
    the end; also the first evaluated epoch with test accuracy >= 0.93 and the wall time to it.

The Trainer is used directly, in one thread (`torch.set_num_threads(1)`, as the app). Test
accuracy is evaluated every EVAL_EVERY epochs; wall times include those evaluations and exclude
building the trainer.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import torch  # noqa: E402

torch.set_num_threads(1)  # as the app does: process-wide, before any work

from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec, TrainSpec  # noqa: E402
from ffnviz.train.trainer import Trainer  # noqa: E402

SEEDS = (0, 1, 2, 3, 4)
CIRCLE_EPOCHS, SPIRAL_EPOCHS, EVAL_EVERY = 300, 3000, 10
QUICK_CIRCLE_EPOCHS, QUICK_SPIRAL_EPOCHS = 50, 200
CIRCLE_TARGET, SPIRAL_TARGET = 0.99, 0.93


def circle_spec(seed: int) -> RunSpec:
    return RunSpec(data=DataSpec(dataset="circle", seed=seed), train=TrainSpec(seed=seed))


def spiral_spec(seed: int) -> RunSpec:
    return RunSpec(data=DataSpec(dataset="spiral", noise=0.0, seed=seed),
                   model=ModelSpec(hidden=(8, 8, 8), activation="tanh"),
                   optim=OptimSpec(name="adam", lr=0.01),
                   train=TrainSpec(seed=seed, batch_size=10))


@dataclass
class Outcome:
    seed: int
    final_acc: float
    first_hit_epoch: int | None  # first evaluated epoch with test accuracy >= target
    first_hit_s: float | None
    total_s: float


def train(spec: RunSpec, epochs: int, target: float) -> Outcome:
    t = Trainer(spec)
    hit_epoch = hit_s = None
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        t.step(t.updates_left_in_epoch)
        if epoch % EVAL_EVERY == 0 or epoch == epochs:
            acc = t.evaluate().test_acc
            if hit_epoch is None and acc >= target:
                hit_epoch, hit_s = epoch, time.perf_counter() - started
    total = time.perf_counter() - started
    return Outcome(spec.train.seed, t.evaluate().test_acc, hit_epoch, hit_s, total)


def _fmt(value, spec: str = ".3f", missing: str = "never") -> str:
    return missing if value is None else format(value, spec)


def report(title: str, outcomes: list[Outcome], target: float) -> None:
    print(f"\n### {title}\n")
    print(f"| seed | test accuracy (end) | first epoch with test acc >= {target} | wall s to it | wall s total |")
    print("|---:|---:|---:|---:|---:|")
    for o in outcomes:
        print(f"| {o.seed} | {o.final_acc:.4f} | {_fmt(o.first_hit_epoch, 'd')} | {_fmt(o.first_hit_s, '.1f')} "
              f"| {o.total_s:.1f} |")
    hits = [o for o in outcomes if o.first_hit_epoch is not None]
    median_acc = statistics.median(o.final_acc for o in outcomes)
    # A seed that never reaches the target counts as "later than any": the median is only
    # defined when at least 3 of 5 seeds reach it.
    def median_hit(attr: str):
        if len(hits) * 2 <= len(outcomes):
            return None
        values = sorted(getattr(o, attr) for o in hits) + [float("inf")] * (len(outcomes) - len(hits))
        m = statistics.median(values)
        return None if m == float("inf") else m

    print(f"| **median** | **{median_acc:.4f}** | {_fmt(median_hit('first_hit_epoch'), '.0f')} "
          f"| {_fmt(median_hit('first_hit_s'), '.1f')} | {statistics.median(o.total_s for o in outcomes):.1f} |")
    verdict = "met" if median_acc >= target else "NOT met"
    print(f"\nTarget median test accuracy >= {target}: {verdict} ({median_acc:.4f}); "
          f"{len(hits)} of {len(outcomes)} seeds reached it at an evaluated epoch.")


def describe(name: str, spec: RunSpec, epochs: int) -> None:
    """Every setting of a table's runs, printed above it."""
    print(f"\n{name}: {spec.data.n_points} points, train fraction {spec.data.train_fraction}, noise {spec.data.noise}, "
          f"2 -> {' -> '.join(map(str, spec.model.hidden))} -> 1 {spec.model.activation}, init {spec.model.init}, "
          f"{spec.optim.name} lr {spec.optim.lr}, batch {spec.train.batch_size}, {epochs} epochs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few epochs: a smoke run, not the figures")
    parser.add_argument("--circle-epochs", type=int, default=None)
    parser.add_argument("--spiral-epochs", type=int, default=None)
    args = parser.parse_args()
    circle_epochs = args.circle_epochs or (QUICK_CIRCLE_EPOCHS if args.quick else CIRCLE_EPOCHS)
    spiral_epochs = args.spiral_epochs or (QUICK_SPIRAL_EPOCHS if args.quick else SPIRAL_EPOCHS)

    print(f"Python {platform.python_version()}, torch {torch.__version__}, {torch.get_num_threads()} torch thread, "
          f"{os.cpu_count()} CPUs; seeds {', '.join(map(str, SEEDS))} (data seed = train seed = seed); "
          f"test accuracy evaluated every {EVAL_EVERY} epochs; wall times include those evaluations.")
    if args.quick:
        print("QUICK RUN: fewer epochs than the stated targets assume.")

    describe("(a) circle", circle_spec(0), circle_epochs)
    circle = [train(circle_spec(s), circle_epochs, CIRCLE_TARGET) for s in SEEDS]
    report(f"(a) circle, RunSpec() defaults, {circle_epochs} epochs", circle, CIRCLE_TARGET)

    describe("(b) spiral", spiral_spec(0), spiral_epochs)
    spiral = [train(spiral_spec(seed), spiral_epochs, SPIRAL_TARGET) for seed in SEEDS]
    report(f"(b) spiral, 2-8-8-8-1 tanh, Adam lr 0.01, batch 10, {spiral_epochs} epochs", spiral, SPIRAL_TARGET)


if __name__ == "__main__":
    main()
