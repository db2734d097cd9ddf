"""How well and how fast the self-attention page's tiny Transformer learns: per-position test
accuracy on "reverse" and "sort" (length 8, vocabulary 10) after fixed numbers of updates, with
and without positional encoding and with the causal mask, median over seeds 0-4; training
updates per second; and the cost of what the page's snapshot measures (maps, steps, entropy).

    python benchmarks/bench_attention.py [--quick]

Every setting is the page's default lesson (ffnviz/lessons.py, ATTENTION_LESSONS[0]) and is
printed with the table: 2,000 sequences (80 % train), 2 layers × 2 heads, d_model 32, ReLU
feedforward blocks 128 wide, learned positions, Adam lr 0.003, batch 64, no dropout, no
regularization. The seed is both the data seed and the training seed; none is picked. Trained as
the page trains it (a one-model Race of SeqTrainers), one torch thread.
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

from ffnviz.lessons import ATTENTION_LESSONS  # noqa: E402
from ffnviz.train.race import Race  # noqa: E402

SEEDS = (0, 1, 2, 3, 4)
BASE = ATTENTION_LESSONS[0].spec
VARIANTS = {  # name -> (task, model changes)
    "reverse": ("reverse", {}),
    "reverse, no positions": ("reverse", {"positional": "none"}),
    "reverse, causal mask": ("reverse", {"causal": True}),
    "sort": ("sort", {}),
    "reverse, torch attention": ("reverse", {"attention": "torch"}),
}


def race_spec(task: str, seed: int, **model):
    c = BASE.contestants[0]
    data = replace(BASE.base.data, task=task, seed=seed)
    return replace(BASE, base=replace(BASE.base, data=data), contestants=(replace(c, model=replace(c.model, **model)),),
                   seeds=(seed,))


def run(task: str, seed: int, checkpoints: tuple[int, ...], **model) -> tuple[list[float], float, list[float]]:
    """Test accuracy (all scored positions) at each checkpoint, seconds per update of training
    alone, and the milliseconds of each snapshot measurement (the page's extras)."""
    race = Race(race_spec(task, seed, **model))
    accuracies, train_s, done = [], 0.0, 0
    for target in checkpoints:
        tick = time.perf_counter()
        race.step(target - done)
        train_s += time.perf_counter() - tick
        done = target
        accuracies.append(race.current(0).test_acc)
    extras_ms = []
    for _ in range(20):
        tick = time.perf_counter()
        race.extras()
        extras_ms.append((time.perf_counter() - tick) * 1000)
    return accuracies, train_s / done, extras_ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run: one seed, few updates (figures mean nothing)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    checkpoints, seeds = ((50, 100), SEEDS[:1]) if args.quick else ((250, 500, 1000, 2000), SEEDS)
    d, m = BASE.base.data, BASE.contestants[0].model
    print(f"`python benchmarks/bench_attention.py{' --quick' if args.quick else ''}`; torch {torch.__version__}, "
          f"one thread, {os.cpu_count()} CPUs\n")
    print(f"length {d.length}, vocabulary {d.vocab} (chance {1 / d.vocab:.2f}), {d.n_sequences} sequences "
          f"({d.train_fraction:.0%} train), {m.layers} layers × {m.heads} heads, d_model {m.d}, {m.variant} FFN "
          f"{m.block_hidden()} wide, {m.positional} positions, {BASE.contestants[0].optim.name} lr "
          f"{BASE.contestants[0].optim.lr}, batch {BASE.base.train.batch_size}; seeds {', '.join(map(str, seeds))} "
          "(data seed = training seed)\n")
    head = " | ".join(f"after {c}" for c in checkpoints)
    print(f"| setting | {head} | per seed at {checkpoints[-1]} | updates/s (median) | snapshot extras ms (median) |")
    print("| --- | " + " | ".join("---:" for _ in checkpoints) + " | --- | ---: | ---: |")
    for name, (task, model) in VARIANTS.items():
        runs = [run(task, seed, checkpoints, **model) for seed in seeds]
        medians = [statistics.median(r[0][i] for r in runs) for i in range(len(checkpoints))]
        per_seed = ", ".join(f"{r[0][-1]:.3f}" for r in runs)
        rate = statistics.median(1 / r[1] for r in runs)
        extras = statistics.median(ms for r in runs for ms in r[2])
        print(f"| {name} | " + " | ".join(f"{a:.3f}" for a in medians) + f" | {per_seed} | {rate:.0f} | {extras:.1f} |")


if __name__ == "__main__":
    main()
