"""A run's report to its class, made from the snapshot the page already reads (never from the
model): name and page come from the caller, the numbers, the curve and the picture from here.

The playground's picture is its decision map; every other page's is its main curve (the first
contestant's training loss). A race reports its first contestant's numbers.
"""

from __future__ import annotations

import math

import numpy as np

from ffnviz import limits
from ffnviz.store.challenge import Challenge
from ffnviz.store.classes import Report
from ffnviz.viz.wall import picture_from_curve, picture_from_grid


def thinned(xs: np.ndarray, ys: np.ndarray, points: int = limits.REPORT_CURVE_POINTS) -> tuple[tuple[int, float], ...]:
    if len(xs) == 0:
        return ()
    keep = np.unique(np.linspace(0, len(xs) - 1, min(points, len(xs))).astype(int))
    return tuple((int(xs[i]), float(ys[i])) for i in keep if math.isfinite(float(ys[i])))


def report_of(snapshot, page: str, link: str, params: int, run: bytes | None = None,
              challenge: Challenge | None = None, steady: bool = True) -> Report:
    """`steady`: the run's settings have not changed since its update 0 (see Challenge.entry)."""
    if hasattr(snapshot, "histories"):  # a race
        history = snapshot.histories[0] if snapshot.histories else {}
        loss = np.asarray(history.get("train_loss_mean", ()), np.float64)
        m = snapshot.current[0] if snapshot.current else None
        diverged = bool(snapshot.diverged_at and snapshot.diverged_at[0] is not None)
        picture = picture_from_curve(loss)
    else:
        history = snapshot.history
        loss = np.asarray(history.get("train_loss", ()), np.float64)
        m = snapshot.metrics
        diverged = snapshot.status == "diverged"
        regression = getattr(snapshot.spec.data, "problem", "classification") == "regression"  # the deep page's has none
        picture = picture_from_grid(snapshot.grid, regression) if snapshot.grid is not None else picture_from_curve(loss)
    nan = float("nan")
    entered, why_not, score = challenge.entry(snapshot, steady, page) if challenge is not None else (False, "", None)
    return Report(page=page, link=link, updates=int(snapshot.updates),
                  train_loss=m.train_loss if m else nan, test_loss=m.test_loss if m else nan,
                  test_acc=m.test_acc if m else nan, params=int(params), diverged=diverged, picture=picture,
                  curve=thinned(np.asarray(history.get("update", ()), np.int64), loss), run=run,
                  challenge_ok=entered, score=score, why_not=why_not)


def parameter_count(snapshot) -> int:
    """The run's parameters: a playground snapshot's weights and biases, or a race's first
    contestant's (the snapshot says; the page never touches a model, which may live in a worker
    process)."""
    if getattr(snapshot, "weights", ()):
        return int(sum(w.size for w in snapshot.weights) + sum(b.size for b in snapshot.biases))
    counts = getattr(snapshot, "parameters", ())
    return int(counts[0]) if counts else 0
