"""What one student costs the server process that draws the pages: its CPU time per live refresh.

    python benchmarks/bench_refresh_cost.py                   # every case, 12 s each, 3 rounds
    python benchmarks/bench_refresh_cost.py --cases playground,attention --seconds 8 --rounds 1

One simulated student at a time (benchmarks/classroom_client.py: Streamlit's websocket protocol,
no browser) opens a page with its settings, presses Start and answers the live timers for
`--seconds`; meanwhile the Streamlit process's own CPU time is read from /proc (its worker
processes, which train, are left out). Reported per case, medians over `--rounds`: the live
fragments' reruns per second, the server's CPU milliseconds per rerun and per second of a
student (in cores: 0.03 is 3 % of one core), and the bytes per second the student receives.
CPU time, not wall time, so the figures hold on a loaded machine; thirty students need thirty
times the "cores per student" from one process, whose interpreter lock lets it use about one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_live import start_server  # noqa: E402
from classroom_client import Student  # noqa: E402

# name -> (page, query): the pages' defaults, and the playground's heavier views.
CASES = {
    "playground": ("playground", ""),
    "playground_inside": ("playground", "view.inside=1"),
    "playground_8x3": ("playground", "model.hidden=8,8,8&v=3"),
    "optimizer_race": ("optimizers", ""),
    "gated": ("gated", ""),
    "attention": ("attention", ""),
    "convolution": ("convolution", ""),
    "text": ("text", ""),
    "deep": ("deep", ""),
}
TICK = os.sysconf("SC_CLK_TCK")
WARM_S = 2.0  # the first seconds after Start (the first picture, the timers set up) are left out


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime, this process only


def measure(url: str, pid: int, page: str, query: str, seconds: float) -> dict:
    student = Student(url, page, query)
    thread = threading.Thread(target=student.run, args=(seconds,), daemon=True)
    thread.start()
    while student.started_at is None and thread.is_alive():
        time.sleep(0.02)
    time.sleep(WARM_S)
    cpu0 = _cpu_s(pid)
    thread.join()
    cpu = _cpu_s(pid) - cpu0
    r = student.report
    if r.error:
        raise SystemExit(f"{page}?{query}: {r.error}")
    span = seconds - WARM_S
    reruns = len(r._between(r.refreshes, WARM_S, seconds))  # noqa: SLF001
    return {"hz": reruns / span, "ms_per_rerun": 1000 * cpu / max(reruns, 1), "cores": cpu / span,
            "kb_s": r.bytes_per_s(WARM_S, seconds) / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--seconds", type=float, default=12.0)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    names = args.cases.split(",")
    server, url = start_server()
    rows: dict[str, list[dict]] = {n: [] for n in names}
    try:
        measure(url, server.pid, *CASES["playground"], 4.0)  # the pool's first start, imports: not counted
        for _ in range(args.rounds):
            for name in names:
                rows[name].append(measure(url, server.pid, *CASES[name], args.seconds))
                print(f"  {name}: {rows[name][-1]}", file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(30)
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load {load:.1f}, {args.seconds:g} s a case ({WARM_S:g} s left out), "
          f"medians of {args.rounds} rounds\n")
    print("| case | live reruns/s | server CPU ms per rerun | server cores per student | KB/s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in names:
        med = {k: statistics.median(r[k] for r in rows[name]) for k in rows[name][0]}
        print(f"| {name} | {med['hz']:.1f} | {med['ms_per_rerun']:.1f} | {med['cores']:.3f} | {med['kb_s']:.0f} |")


if __name__ == "__main__":
    main()
