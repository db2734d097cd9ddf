"""When is a page's picture "solved"? Each page's own criterion, and how many updates its default
needs to meet it: what a student feels is how long after Start the picture is solved, and the
defaults are chosen for that (ffnviz/page_links.py says what each page opens with, and why).

Plain Python, used by tests/unit/test_first_seconds.py (quality at seed 0, in updates) and
benchmarks/bench_first_seconds.py (every seed, with the time).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ffnviz.page_links import PAGES
from ffnviz.specs import RunSpec
from ffnviz.train.race import Race
from ffnviz.train.trainer import Trainer


@dataclass(frozen=True)
class Criterion:
    form: str  # the page part whose default is trained (ffnviz.page_links.FORMS)
    metric: str  # a Metrics field
    threshold: float
    max_updates: int  # give up after this many
    label: str  # for tables: what "solved" means here
    contestant: int | None = 0  # in a race, whose metric; None: the first contestant to reach it


CRITERIA = {
    "playground": Criterion("playground", "test_acc", 0.95, 25 * 300, "test accuracy ≥ 0.95"),
    "optimizers": Criterion("optimizers.race", "test_acc", 0.9, 25 * 400,
                            "the first contestant's test accuracy ≥ 0.9 (the race's target)", None),
    "attention": Criterion("attention", "test_acc", 0.95, 5_000, "reverse: test accuracy per position ≥ 0.95"),
    "convolution": Criterion("convolution", "test_acc", 0.95, 3_000, "digits: the CNN's test accuracy ≥ 0.95"),
    "text": Criterion("text", "test_acc", 0.80, 2_000, "test accuracy ≥ 0.80"),
}


def page_default(page: str, seed: int = 0):
    """The spec a bare URL of `page` opens with, with training seed `seed`."""
    form = next(f for f in PAGES[page] if f.name == CRITERIA[page].form)
    spec = form.default
    if isinstance(spec, RunSpec):
        return replace(spec, train=replace(spec.train, seed=seed))
    return replace(spec, seeds=(seed,))


@dataclass(frozen=True)
class Solved:
    updates: int | None  # None: not within the criterion's max_updates
    epochs: float
    seconds: float  # stepping and the epoch-end evaluations, as a live page makes them

    def __str__(self) -> str:
        if self.updates is None:
            return f"not solved ({self.epochs:g} epochs, {self.seconds:.2f} s)"
        return f"{self.updates} updates, {self.epochs:g} epochs, {self.seconds:.2f} s"


def solve(spec, criterion: Criterion) -> Solved:
    """Train `spec` an epoch at a time until its metric meets the criterion at an epoch's end."""
    if isinstance(spec, RunSpec):
        return _solve_run(Trainer(spec), criterion)
    return _solve_race(Race(spec), criterion)


def _solve_run(t: Trainer, c: Criterion) -> Solved:
    seconds = 0.0
    while t.updates < c.max_updates:
        tick = time.perf_counter()
        t.step(min(t.updates_left_in_epoch, c.max_updates - t.updates))
        metrics = t.evaluate()
        seconds += time.perf_counter() - tick
        if t.diverged_at is not None:
            break
        if getattr(metrics, c.metric) >= c.threshold:
            return Solved(t.updates, t.epoch, seconds)
    return Solved(None, t.epoch, seconds)


def _solve_race(race: Race, c: Criterion) -> Solved:
    seconds = 0.0
    contestants = range(len(race.spec.contestants)) if c.contestant is None else (c.contestant,)
    while race.updates < c.max_updates and race.any_alive:
        tick = time.perf_counter()
        race.step(min(race.updates_left_in_epoch, c.max_updates - race.updates))  # evaluates at the epoch's end
        seconds += time.perf_counter() - tick
        if any(getattr(race.current(i, fresh=False), c.metric) >= c.threshold for i in contestants):
            return Solved(race.updates, race.epoch, seconds)
    return Solved(None, race.epoch, seconds)
