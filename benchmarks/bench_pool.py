"""Training throughput of a class's runs: in threads of one process (how the server trained every
run before the pool), and in a pool of 1, 2, ... worker processes (ffnviz/train/pool.py).

    python benchmarks/bench_pool.py                  # 4 runs, pools of 1 and 2, 3 rounds x 5 s
    python benchmarks/bench_pool.py --runs 8 --workers 1,2,4 --seconds 10
    python benchmarks/bench_pool.py --quick
    python benchmarks/bench_pool.py --workers 2 --arenas 2,0   # the workers' malloc arenas: 2 (the default) against glibc's own

Each case starts `--runs` runs of the playground's default (ffnviz.page_links: the circle,
2-4-2-1 tanh, SGD 0.3, batch 10, 60 × 60 decision grid, publications every 0.25 s), all at once,
with a reader polling every run 4 times a second as pages do (for the pool: fetching the newer
snapshots across the process boundary), and counts the updates all of them make in `--seconds`
after a second of warm-up. Cases are interleaved over `--rounds`; medians are printed, with each
pool's ratio to the first pool (the pool of one worker) measured in the same round. `--arenas`: the
malloc arenas of each worker (ffnviz/train/pool_process.py; 0: glibc's default, 8 per core), each
a pool of its own. Without Streamlit: the cost of drawing pages is bench_refresh.py's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from dataclasses import replace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import torch  # noqa: E402

torch.set_num_threads(1)  # as the app does

from ffnviz.page_links import PLAYGROUND  # noqa: E402
from ffnviz.train.capacity import WorkCap  # noqa: E402
from ffnviz.train.pool import WORKER_ARENAS, Pool  # noqa: E402
from ffnviz.train.remote_runner import RemoteRunner  # noqa: E402
from ffnviz.train.runner import Runner  # noqa: E402


def _spec(i: int):
    spec = PLAYGROUND.default
    return replace(spec, train=replace(spec.train, seed=i, device="cpu", max_updates=5_000_000))


def measure(make, runs: int, seconds: float, warmup: float = 1.0) -> float:
    """Updates per second of `runs` runs training at once, all polled at 4 Hz."""
    made = [make(_spec(i)) for i in range(runs)]
    stop = threading.Event()

    def reader():
        while not stop.wait(0.25):
            for r in made:
                r.poll()

    thread = threading.Thread(target=reader, daemon=True)
    for r in made:
        r.attach()
        r.start()
    thread.start()
    time.sleep(warmup)
    before = sum(r.poll().updates for r in made)
    tick = time.monotonic()
    time.sleep(seconds)
    after = sum(r.poll().updates for r in made)
    elapsed = time.monotonic() - tick
    stop.set()
    thread.join()
    for r in made:
        r.pause()
        r.detach()
    return (after - before) / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--arenas", default=str(WORKER_ARENAS), help="malloc arenas per worker, a pool for each (0: glibc's)")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if args.quick:
        args.seconds, args.rounds = 2.0, 1
    sizes = [int(w) for w in args.workers.split(",")]
    arenas = [int(a) for a in args.arenas.split(",")]

    def label(n: int, a: int) -> str:
        if len(arenas) == 1:
            return f"pool of {n}"
        return f"pool of {n}, " + (f"{a} malloc arenas per worker" if a else "glibc's default arenas")

    pools = {label(n, a): Pool(n, arenas=a) for n in sizes for a in arenas}
    first = next(iter(pools))
    cap = WorkCap(10**6)
    cases = {"threads of one process": lambda spec: Runner(spec, cap=cap)}
    for case, pool in pools.items():
        cases[case] = lambda spec, pool=pool: RemoteRunner(Runner, spec, pool=pool, cap=cap)
    rates: dict[str, list[float]] = {name: [] for name in cases}
    ratios: dict[str, list[float]] = {name: [] for name in cases}
    try:
        for name in cases:  # start every pool's workers before timing anything
            measure(cases[name], 1, 0.2, warmup=0.2)
        for _ in range(args.rounds):
            this_round = {name: measure(make, args.runs, args.seconds) for name, make in cases.items()}
            for name, rate in this_round.items():
                rates[name].append(rate)
                ratios[name].append(rate / this_round[first])
    finally:
        for pool in pools.values():
            pool.close()
    print(f"{args.runs} runs of the playground's default at once, {os.cpu_count()} CPUs, torch "
          f"{torch.__version__}; median of {args.rounds} x {args.seconds:g} s\n")
    print(f"| case | updates/s, all runs | per run | ratio to {first} (same round) |")
    print("| --- | ---: | ---: | ---: |")
    for name in cases:
        rate = statistics.median(rates[name])
        print(f"| {name} | {rate:,.0f} | {rate / args.runs:,.0f} | {statistics.median(ratios[name]):.2f} |")


if __name__ == "__main__":
    main()
