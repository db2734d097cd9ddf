"""A class on one server: N simulated students (benchmarks/classroom_client.py, Streamlit's own
websocket protocol, no browser) against a real `streamlit run app.py`.

    python benchmarks/bench_classroom.py                     # waves of 1, 4, 8, 16 and 30 students
    python benchmarks/bench_classroom.py --students 1,4 --seconds 15
    FFNVIZ_WORKERS=0 python benchmarks/bench_classroom.py    # runs in threads of the server, as before the pool

Each wave connects its students at once (mixed settings: the playground's default, with "inside the
network", a deeper network, and the self-attention page), lets them train `--seconds` after they
pressed Start, and reports: per-student epochs/s (median, min) and their total, the share of
students whose live charts refreshed at >= 1 Hz, the time until a student's page was interactive
(its Start button drawn; median, max), bytes per second per student, and the server's CPU (the
Streamlit process and its worker processes, in cores) and memory (resident, all of them). After the
last wave, the memory once every student has left and again after a second identical wave.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_live import start_server  # noqa: E402
from classroom_client import Student  # noqa: E402

# (page, query): what the students of a wave open, in turn.
MIX = (
    ("playground", ""),
    ("playground", "view.inside=1"),
    ("playground", "model.hidden=8,8,8&v=3"),
    ("attention", ""),
)
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (the worker processes, the forkserver)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            children = []
        todo += [int(c) for c in children]
    return out


def _cpu_s(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total / TICK


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for p in pids:
        with contextlib.suppress(OSError):
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE
    return total / 2**20


def wave(url: str, n: int, seconds: float, server: subprocess.Popen) -> dict:
    students = [Student(url, *MIX[i % len(MIX)]) for i in range(n)]
    threads = [threading.Thread(target=s.run, args=(seconds,), daemon=True) for s in students]
    pids = _tree(server.pid)
    cpu0, t0 = _cpu_s(pids), time.monotonic()
    for t in threads:
        t.start()
    peak = 0.0
    while any(t.is_alive() for t in threads):
        peak = max(peak, _rss_mb(_tree(server.pid)))
        time.sleep(0.5)
    pids = _tree(server.pid)
    cores = (_cpu_s(pids) - cpu0) / (time.monotonic() - t0)
    reports = [s.report for s in students]
    failed = [r.error for r in reports if r.error]
    ok = [r for r in reports if not r.error]
    lo, hi = min(2.0, seconds / 3), seconds  # after the first seconds of training
    rates = [r.epochs_per_s(lo, hi) for r in ok if r.epochs]  # pages with an Epoch metric
    return {
        "n": n, "failed": failed,
        "rate_median": statistics.median(rates) if rates else 0.0, "rate_min": min(rates, default=0.0),
        "rate_total": sum(rates),
        "refresh_1hz": sum(r.refresh_hz(lo, hi) >= 1.0 for r in ok) / max(len(ok), 1),
        "interactive_median": statistics.median([r.connected_s for r in ok]) if ok else float("nan"),
        "interactive_max": max((r.connected_s for r in ok), default=float("nan")),
        "kb_per_s": statistics.median([r.bytes_per_s(lo, hi) / 1024 for r in ok]) if ok else 0.0,
        "cores": cores, "rss_peak_mb": peak,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", default="1,4,8,16,30")
    ap.add_argument("--seconds", type=float, default=20.0, help="training time per wave, after Start")
    ap.add_argument("--ttl", type=float, default=45.0, help="seconds to wait after a wave for sessions to go")
    args = ap.parse_args()
    server, url = start_server()
    rows = []
    try:
        for n in (int(x) for x in args.students.split(",")):
            rows.append(wave(url, n, args.seconds, server))
            print(f"  wave of {n}: {rows[-1]}", file=sys.stderr, flush=True)
        time.sleep(args.ttl)
        after_first = _rss_mb(_tree(server.pid))
        last = int(args.students.split(",")[-1])
        rows.append({**wave(url, last, args.seconds, server), "n": f"{last} (second wave)"})
        time.sleep(args.ttl)
        after_second = _rss_mb(_tree(server.pid))
        processes = len(_tree(server.pid))
    finally:
        server.terminate()
        server.wait(30)
    print(f"{os.cpu_count()} CPUs, FFNVIZ_WORKERS={os.environ.get('FFNVIZ_WORKERS', 'auto (default)')}, "
          f"{args.seconds:g} s of training per wave\n")
    print("| students | epochs/s per student, median | min | total | charts >= 1 Hz | interactive, s (median, max) "
          "| KB/s per student | server CPU, cores | memory, MB (peak) | failed |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |")
    for r in rows:
        print(f"| {r['n']} | {r['rate_median']:.0f} | {r['rate_min']:.0f} | {r['rate_total']:.0f} | "
              f"{r['refresh_1hz']:.0%} | {r['interactive_median']:.1f}, {r['interactive_max']:.1f} | "
              f"{r['kb_per_s']:.0f} | {r['cores']:.2f} | {r['rss_peak_mb']:.0f} | {len(r['failed'])} |")
    print(f"\nMemory after every student left ({args.ttl:g} s): {after_first:.0f} MB; after the second "
          f"wave: {after_second:.0f} MB ({after_second - after_first:+.0f} MB); processes: {processes}.")


if __name__ == "__main__":
    main()
