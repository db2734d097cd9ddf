"""What class mode costs.

1. Reporting: a playground run trains in its background thread (as on the server) while a
   reporter does, every REPORT_INTERVAL_S, what a student's page does (ffnviz/ui/class_member.py):
   the report from the snapshot (numbers, thinned curve, the decision map as a 40×40 picture), the
   run file (safetensors) and the post to the store (SQLite in a temp folder). Measured two ways:
   the time of one report (its share of the interval is its share of one core), and the run's
   updates/s with and without reporting, alternated, medians.
2. The wall's refresh at 10, 30 and 100 students: the store's read of every tile, the one wall
   image, the overlaid curves, serialised as the page sends them (viz/payload.figure_json):
   server ms (median) and payload KB.

    python benchmarks/bench_class.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ffnviz import limits  # noqa: E402
from ffnviz.specs import RunSpec  # noqa: E402
from ffnviz.store.board import wall_tiles  # noqa: E402
from ffnviz.store.classes import ClassStore, Report  # noqa: E402
from ffnviz.store.db import open_database  # noqa: E402
from ffnviz.store.report import parameter_count, report_of  # noqa: E402
from ffnviz.store.runfile import playground_file  # noqa: E402
from ffnviz.train.runner import Runner  # noqa: E402
from ffnviz.viz.payload import figure_json  # noqa: E402
from ffnviz.viz.wall import curves_figure, picture_from_grid, wall_figure  # noqa: E402


def _report(store: ClassStore, code: str, token: str, runner: Runner) -> float:
    tick = time.perf_counter()
    snap = runner.snapshot
    store.post(code, token, report_of(snap, "playground", "/playground?v=2", parameter_count(snap), playground_file(snap)))
    return time.perf_counter() - tick


def reporting(store: ClassStore, seconds: float, rounds: int) -> None:
    started = store.start()
    token, _ = store.join(started.code, "bench")
    runner = Runner(RunSpec())
    runner.attach()
    runner.start()
    time.sleep(1.0)  # warm up
    one = sorted(_report(store, started.code, token, runner) for _ in range(5))  # throttled posts still build the report
    rates = {"off": [], "on": []}
    for r in range(rounds):
        for mode in (("off", "on") if r % 2 == 0 else ("on", "off")):
            stop = threading.Event()

            def reporter(stop=stop):
                while not stop.wait(limits.REPORT_INTERVAL_S):
                    _report(store, started.code, token, runner)
            thread = threading.Thread(target=reporter) if mode == "on" else None
            if thread:
                thread.start()
            u0, t0 = runner.snapshot.updates, time.perf_counter()
            time.sleep(seconds)
            u1, t1 = runner.snapshot.updates, time.perf_counter()
            stop.set()
            if thread:
                thread.join()
            rates[mode].append((u1 - u0) / (t1 - t0))
    runner.detach()
    report_ms = statistics.median(one) * 1000
    off, on = statistics.median(rates["off"]), statistics.median(rates["on"])
    print("| what | figure |\n| --- | --- |")
    print(f"| one report (snapshot → report + run file + post), median of 5 | {report_ms:.1f} ms |")
    print(f"| its share of the {limits.REPORT_INTERVAL_S:g} s interval | {report_ms / 10 / limits.REPORT_INTERVAL_S:.2f} % |")
    print(f"| updates/s without reporting (median of {rounds} × {seconds:g} s) | {off:,.0f} |")
    print(f"| updates/s with reporting | {on:,.0f} |")
    print(f"| change | {100 * (on - off) / off:+.1f} % |")


def wall(store: ClassStore, sizes: tuple[int, ...], repeats: int) -> None:
    xs = np.linspace(-1, 1, limits.DECISION_GRID)
    print("\n| students | server ms (median) | payload KB (wall + curves) |\n| ---: | ---: | ---: |")
    for n in sizes:
        started = store.start()
        for i in range(n):
            token, _ = store.join(started.code, f"student {i}")
            grid = 1 / (1 + np.exp(-np.add.outer(xs * np.cos(i), xs * np.sin(i)) * 4))
            curve = tuple((u * 250, 0.7 * np.exp(-u / 20)) for u in range(limits.REPORT_CURVE_POINTS))
            store.post(started.code, token, Report("playground", "/playground?v=2", 15_000, 0.1, 0.12, 0.9, 25, False,
                                                   picture_from_grid(grid), curve))
        times, size = [], 0
        for _ in range(repeats):
            tick = time.perf_counter()
            tiles = store.tiles(started.code)
            fig, _ = wall_figure(wall_tiles(tiles, time.time(), lambda t: "90% · 15.0k upd"), title="wall", projector=True)
            curves = curves_figure([(t.name, [p[0] for p in t.curve], [p[1] for p in t.curve]) for t in tiles],
                                   title="loss", x_title="updates", y_title="loss", projector=True)
            size = len(figure_json(fig)) + len(figure_json(curves))
            times.append(time.perf_counter() - tick)
        print(f"| {n} | {statistics.median(times) * 1000:.1f} | {size / 1024:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as folder:
        store = ClassStore(open_database(f"sqlite:///{folder}/bench.sqlite3"))
        reporting(store, seconds=2.0 if args.quick else 3.0, rounds=2 if args.quick else 12)
        wall(store, (10, 30, 100), repeats=5 if args.quick else 15)


if __name__ == "__main__":
    main()
