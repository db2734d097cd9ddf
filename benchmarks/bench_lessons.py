"""The lessons' claims over seeds 0-4: test accuracy per seed and median, for the optimizer race's
"same race, three seeds", the gated page's "SwiGLU vs ReLU at matched parameters" and "T = 50"
(with the changes its text asks for: the forget-gate bias at 2 and 3, the update-gate bias at 0).

    python benchmarks/bench_lessons.py [--only race_seeds gated_swiglu gated_remember50] [--quick]

Each lesson is trained as its page trains it (its spec from ffnviz/lessons.py, a race in
lockstep), once per training seed 0-4 with everything else as the lesson sets it (the data seed is
the lesson's, as on the page). One torch thread. No setting is changed per seed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from ffnviz.gallery import lesson_of  # noqa: E402
from ffnviz.train.race import Race  # noqa: E402

SEEDS = (0, 1, 2, 3, 4)
# After how many updates each lesson is read.
CHECKPOINTS = {"race_seeds": (1000, 2000, 3000), "gated_swiglu": (250, 500, 2000),
               "gated_remember50": (250, 500, 1000)}
# What a lesson's text asks the student to change, measured too (its contestants the change
# affects, the same checkpoints): (label, the lesson's spec -> the changed spec).
STORY = {
    "gated_remember50": (
        ("forget-gate bias 2, the page's default", lambda spec: _alone(spec, "lstm", forget_bias=2.0)),
        ("forget-gate bias 3", lambda spec: _alone(spec, "lstm", forget_bias=3.0)),
        ("update-gate bias 0, the page's default", lambda spec: _alone(spec, "gru", update_bias=0.0)),
    ),
}


def _alone(spec, cell: str, **bias: float):
    """The race's `cell` alone (the LSTM is the only cell with a forget gate, the GRU the only one
    with an update gate; the others would train as before), with another gate bias."""
    return replace(spec, contestants=tuple(replace(c, model=replace(c.model, **bias))
                                           for c in spec.contestants if c.model.cell == cell))


def _name(contestant) -> str:
    model = getattr(contestant, "model", None)
    if model is None:
        return f"{contestant.optim.name} {contestant.optim.lr:g}"
    return model.variant if model.kind == "ffn" else model.cell


def _settings(spec) -> str:
    """Every setting the lesson's race has, in a line a reader can check against the page."""
    base = spec.base
    models = "; ".join(f"{_name(c)}: {c.model!r}" if hasattr(c, "model") else f"{c!r}" for c in spec.contestants)
    return (f"data {base.data!r}; model {getattr(base, 'model', '')!r}; batch {base.train.batch_size}; "
            f"contestants {models}; optimizers {sorted({(c.optim.name, c.optim.lr) for c in spec.contestants})}")


def measure(key: str, seeds, checkpoints, spec=None, label: str = "") -> None:
    spec = spec or lesson_of(key).spec
    names = [_name(c) for c in spec.contestants]
    acc = {name: {n: [] for n in checkpoints} for name in names}
    times = []
    for seed in seeds:
        race = Race(replace(spec, seeds=(seed,)))
        t0, done = time.perf_counter(), 0
        for n in checkpoints:
            race.step(n - done)
            done = n
            for i, name in enumerate(names):
                acc[name][n].append(race.current(i).test_acc)
        times.append(time.perf_counter() - t0)
    print(f"\n### {key}{f' ({label})' if label else ''}\n\n{_settings(spec)}\n")
    print(f"seeds {', '.join(map(str, seeds))}; wall s per seed (median): {statistics.median(times):.0f}\n")
    print("| contestant | " + " | ".join(f"after {n:,} (median)" for n in checkpoints) + f" | per seed at {checkpoints[-1]:,} |")
    print("| --- | " + " | ".join("---:" for _ in checkpoints) + " | --- |")
    for name in names:
        medians = " | ".join(f"{statistics.median(acc[name][n]):.3f}" for n in checkpoints)
        print(f"| {name} | {medians} | {', '.join(f'{a:.2f}' for a in acc[name][checkpoints[-1]])} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=list(CHECKPOINTS), help="lesson keys")
    ap.add_argument("--quick", action="store_true", help="a smoke run: seed 0, 20 updates (figures mean nothing)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    print(f"`python benchmarks/bench_lessons.py {' '.join(sys.argv[1:])}`; torch {torch.__version__}, one thread, "
          f"{os.cpu_count()} CPUs")
    for key in args.only:
        checkpoints = (10, 20) if args.quick else CHECKPOINTS[key]
        seeds = SEEDS[:1] if args.quick else SEEDS
        measure(key, seeds, checkpoints)
        for label, change in STORY.get(key, ()):
            measure(key, seeds, checkpoints, change(lesson_of(key).spec), label)


if __name__ == "__main__":
    main()
