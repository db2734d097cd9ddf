"""The first seconds: how many updates, epochs and seconds each page's default needs, from Start,
until the page's own "solved" criterion. Not a test (tests/unit/test_first_seconds.py holds the
quality half at seed 0; this measures every seed and the time).

    python benchmarks/bench_first_seconds.py            # seeds 0-4, every page
    python benchmarks/bench_first_seconds.py --quick    # seed 0 only
    python benchmarks/bench_first_seconds.py --pages playground,attention

Each page's default spec is read from ffnviz.page_links (what a bare URL opens); only its training
seed changes (the races' `seeds`, the playground's train.seed). The criteria are the pages' own:
ffnviz.first_seconds.CRITERIA. Engine-level: the Trainer or Race steps one epoch at a time in this
thread (`torch.set_num_threads(1)`, as the app) and is evaluated after each epoch, as the live
pages record their history; "train s" counts the stepping only, not the evaluations. The seconds a
person waits in the browser are bench_live.py's (`--solved`).

The machine's plain-PyTorch reference rate is printed first (bench_engine.py's "nn.Sequential +
SGD" loop on TensorFlow Playground's 2-4-2-1 spiral), so that figures from machines of different
speed can be compared: divide by it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

torch.set_num_threads(1)  # as the app does: process-wide, before any work

from bench_engine import make_spec, measure_torch  # noqa: E402

from ffnviz.first_seconds import CRITERIA, page_default, solve  # noqa: E402
from ffnviz.specs import RunSpec  # noqa: E402

# Beside the pages' defaults: the playground's problem at TensorFlow Playground's own settings
# (SGD 0.03, weights uniform in ±0.5, biases 0.1: RunSpec()), what the playground opened with
# before link version 3.
EXTRA = {"playground at Playground's settings": ("playground", RunSpec())}


def reference_rate(seconds: float = 2.0, rounds: int = 3) -> float:
    """Plain PyTorch's epochs per second on Playground's 2-4-2-1 spiral (batch 10, 25 updates)."""
    spec = make_spec((4, 2))
    return statistics.median(measure_torch(spec, seconds, fused=False) for _ in range(rounds)) / 25


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="seed 0 only")
    parser.add_argument("--pages", default=",".join([*CRITERIA, *EXTRA]),
                        help="comma-separated: " + ",".join([*CRITERIA, *EXTRA]))
    args = parser.parse_args()
    seeds = (0,) if args.quick else (0, 1, 2, 3, 4)

    print(f"torch {torch.__version__}, 1 thread; plain-PyTorch reference: {reference_rate():.1f} epochs/s "
          "(bench_engine's nn.Sequential + SGD, 2-4-2-1 spiral, batch 10)\n")
    print("| page | criterion | updates (median [min-max]) | epochs | train s | per seed (updates) |")
    print("|---|---|---|---|---|---|")
    for page in args.pages.split(","):
        criterion = CRITERIA[EXTRA[page][0] if page in EXTRA else page]
        results = []
        for seed in seeds:
            tick = time.perf_counter()
            spec = replace(EXTRA[page][1], train=replace(EXTRA[page][1].train, seed=seed)) if page in EXTRA \
                else page_default(page, seed)
            result = solve(spec, criterion)
            results.append(result)
            print(f"  {page} seed {seed}: {result} ({time.perf_counter() - tick:.1f} s with evaluations)",
                  file=sys.stderr, flush=True)
        solved = [r for r in results if r.updates is not None]
        if not solved:
            print(f"| {page} | {criterion.label} | not within {criterion.max_updates} | | | {len(results)} unsolved |")
            continue

        def span(values):
            values = list(values)
            return f"{statistics.median(values):.4g} [{min(values):.4g}-{max(values):.4g}]"

        per_seed = ", ".join("—" if r.updates is None else str(r.updates) for r in results)
        unsolved = len(results) - len(solved)
        note = f" ({unsolved} not within {criterion.max_updates})" if unsolved else ""
        print(f"| {page} | {criterion.label} | {span(r.updates for r in solved)}{note} | "
              f"{span(r.epochs for r in solved)} | {span(r.seconds for r in solved)} | {per_seed} |")


if __name__ == "__main__":
    main()
