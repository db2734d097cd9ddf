"""A class on one server: N simulated students (benchmarks/classroom_client.py, Streamlit's own
websocket protocol, no browser) against a real `streamlit run app.py`.

    python benchmarks/bench_classroom.py                     # waves of 1, 4, 8, 16 and 30 students
    python benchmarks/bench_classroom.py --students 1,4 --seconds 15
    FFNVIZ_WORKERS=0 python benchmarks/bench_classroom.py    # runs in threads of the server, as before the pool

The teacher's visit comes first (one visit of each page: the server's imports, the pool's start). Each
wave connects its students at once (mixed settings: the playground's default, with "inside the
network", a deeper network, and the self-attention page), lets them train `--seconds` after they
pressed Start, and reports: per-student epochs/s (median, min) and their total, the share of
students whose live charts refreshed at >= 1 Hz and the refresh rates (median, min), each run's
share of the CPU its training thread got while every run trained (from a second after the last
student pressed Start until the first left; the least and the most, as a share of their mean;
threads named ffnviz-train in the worker processes), the time until a student's page was
interactive (its Start button drawn; median, max), the same for one more student who arrives while
the wave trains (what the issue calls a new student), bytes per second per student, and the server's CPU (the
Streamlit process and its worker processes, in cores) and memory (resident, all of them). After the
last wave, the memory once every student has left and again after a second identical wave, process by
process (the Streamlit server, the forkserver, each worker, multiprocessing's resource tracker), with
each one's threads: before the first wave (the teacher's visit done), after the last, after the second.
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
        # Every thread's children: the pool's processes are started by a script thread, not the main one.
        with contextlib.suppress(OSError):
            for tid in os.listdir(f"/proc/{p}/task"):
                with contextlib.suppress(OSError):
                    todo += [int(c) for c in Path(f"/proc/{p}/task/{tid}/children").read_text().split()]
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


def _threads(pid: int) -> int:
    with contextlib.suppress(OSError):
        return len(os.listdir(f"/proc/{pid}/task"))
    return 0


def _role(pid: int, server: int, forkserver: int | None) -> str:
    """What a process of the server's tree is: the server, the forkserver, a worker (forked by the
    forkserver, with its command line), or multiprocessing's resource tracker."""
    if pid == server:
        return "server"
    if pid == forkserver:
        return "forkserver"
    with contextlib.suppress(OSError):
        if "resource_tracker" in Path(f"/proc/{pid}/cmdline").read_text():
            return "resource tracker"
    return "worker"


def processes(server: int) -> dict[str, tuple[float, int]]:
    """{role: (resident MB, threads)} for every process of the server's tree (workers numbered in
    the order of their process ids)."""
    pids = _tree(server)
    forkserver = None
    for p in pids:
        with contextlib.suppress(OSError):
            if "forkserver" in Path(f"/proc/{p}/cmdline").read_text() and \
                    int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1]) == server:
                forkserver = p
    out, workers = {}, 0
    for p in sorted(pids, key=lambda p: (p != server, p)):
        role = _role(p, server, forkserver)
        if role == "worker":
            workers += 1
            role = f"worker {workers}"
        out[role] = (_rss_mb([p]), _threads(p))
    return out


def _training_threads(pids: list[int]) -> dict[tuple[int, int], float]:
    """CPU seconds of every run's training thread (named ffnviz-train) in these processes."""
    out = {}
    for p in pids:
        with contextlib.suppress(OSError):
            for tid in os.listdir(f"/proc/{p}/task"):
                with contextlib.suppress(OSError):
                    if Path(f"/proc/{p}/task/{tid}/comm").read_text().strip() == "ffnviz-train":
                        fields = Path(f"/proc/{p}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
                        out[(p, int(tid))] = (int(fields[11]) + int(fields[12])) / TICK
    return out


def _shares(before: dict, after: dict) -> tuple[float, float]:
    """The wave's training threads' CPU time (those that trained), each as a share of their mean:
    (the smallest, the largest)."""
    used = [cpu - before[key] for key, cpu in after.items() if key in before]  # runs that trained throughout
    used = [u for u in used if u > 0.05]
    if not used:
        return float("nan"), float("nan")
    mean = statistics.mean(used)
    return min(used) / mean, max(used) / mean


def _all_started(students: list[Student], threads: list[threading.Thread], timeout: float) -> float | None:
    """When the last student of the wave pressed Start (time.monotonic()), waiting up to `timeout`
    s for it; None if some never did."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        starts = [s.started_at for s, t in zip(students, threads, strict=True) if t.is_alive() or s.started_at]
        if starts and all(x is not None for x in starts):
            return max(starts)
        time.sleep(0.1)
    return None


def wave(url: str, n: int, seconds: float, server: subprocess.Popen) -> dict:
    students = [Student(url, *MIX[i % len(MIX)]) for i in range(n)]
    threads = [threading.Thread(target=s.run, args=(seconds,), daemon=True) for s in students]
    pids = _tree(server.pid)
    cpu0, t0 = _cpu_s(pids), time.monotonic()
    for t in threads:
        t.start()
    # The runs' CPU shares between two moments at which every run trains: a second after the last
    # student pressed Start, and half a second before the first leaves (a run's thread ends when its
    # student leaves, `seconds` after its Start).
    last_start = _all_started(students, threads, timeout=seconds)
    first_end = min((s.started_at for s in students if s.started_at), default=t0) + seconds
    if last_start is not None:
        time.sleep(max(0.0, last_start + 1.0 - time.monotonic()))
    trained0 = _training_threads(_tree(server.pid))
    # A new student arriving while the class trains: how long until its page is interactive.
    newcomer = Student(url, *MIX[0])
    newcomer.run(0.5)
    time.sleep(max(0.0, first_end - 0.5 - time.monotonic()))
    trained1 = _training_threads(_tree(server.pid))
    peak = 0.0
    while any(t.is_alive() for t in threads):
        peak = max(peak, _rss_mb(_tree(server.pid)))
        time.sleep(0.5)
    pids = _tree(server.pid)
    cores = (_cpu_s(pids) - cpu0) / (time.monotonic() - t0)
    share_min, share_max = _shares(trained0, trained1)
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
        "hz_median": statistics.median([r.refresh_hz(lo, hi) for r in ok]) if ok else 0.0,
        "hz_min": min((r.refresh_hz(lo, hi) for r in ok), default=0.0),
        # by the setting each student opened (a student follows the URL its page writes, so not s.query)
        "hz_by_page": {f"{page}?{query}": round(statistics.median(hz), 2) for k, (page, query) in enumerate(MIX)
                       if (hz := [r.refresh_hz(lo, hi) for i, r in enumerate(reports)
                                  if not r.error and i % len(MIX) == k])},
        "interactive_median": statistics.median([r.connected_s for r in ok]) if ok else float("nan"),
        "interactive_max": max((r.connected_s for r in ok), default=float("nan")),
        "kb_per_s": statistics.median([r.bytes_per_s(lo, hi) / 1024 for r in ok]) if ok else 0.0,
        "cores": cores, "rss_peak_mb": peak, "share_min": share_min, "share_max": share_max,
        "newcomer_s": newcomer.report.connected_s if not newcomer.report.error else float("nan"),
        "share_window_s": (first_end - 0.5) - (last_start + 1.0) if last_start is not None else float("nan"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", default="1,4,8,16,30")
    ap.add_argument("--seconds", type=float, default=20.0, help="training time per wave, after Start")
    ap.add_argument("--ttl", type=float, default=45.0, help="seconds to wait after a wave for sessions to go")
    args = ap.parse_args()
    # A student who left is forgotten once Streamlit's session TTL has passed: the waits after a wave
    # are longer than it, so that the memory after them is what every student's leaving gives back.
    server, url = start_server("--server.disconnectedSessionTTL", str(max(1, int(args.ttl / 2))))
    rows = []
    try:
        # The teacher opens the app first: the server's imports and the pool's start are not a student's wait.
        for page, query in dict(MIX).items():
            Student(url, page, query).run(3.0)
        time.sleep(args.ttl)  # the teacher's sessions gone too: the baseline of each process
        before = processes(server.pid)
        for n in (int(x) for x in args.students.split(",")):
            rows.append(wave(url, n, args.seconds, server))
            print(f"  wave of {n}: {rows[-1]}", file=sys.stderr, flush=True)
        time.sleep(args.ttl)
        first = processes(server.pid)
        last = int(args.students.split(",")[-1])
        rows.append({**wave(url, last, args.seconds, server), "n": f"{last} (second wave)"})
        time.sleep(args.ttl)
        second = processes(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:  # a loaded machine: the figures are taken, the server goes
            server.kill()
            server.wait(30)
    print(f"{os.cpu_count()} CPUs, FFNVIZ_WORKERS={os.environ.get('FFNVIZ_WORKERS', 'auto (default)')}, "
          f"{args.seconds:g} s of training per wave\n")
    print("| students | epochs/s per student, median | min | total | charts >= 1 Hz | refreshes/s, median (min) "
          "| CPU share of a run, min-max of mean | interactive, s (median, max) | a newcomer interactive, s | KB/s per student "
          "| server CPU, cores | memory, MB (peak) | failed |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        print(f"| {r['n']} | {r['rate_median']:.0f} | {r['rate_min']:.0f} | {r['rate_total']:.0f} | "
              f"{r['refresh_1hz']:.0%} | {r['hz_median']:.2f} ({r['hz_min']:.2f}) | "
              f"{r['share_min']:.2f}-{r['share_max']:.2f} | "
              f"{r['interactive_median']:.1f}, {r['interactive_max']:.1f} | {r['newcomer_s']:.1f} | "
              f"{r['kb_per_s']:.0f} | {r['cores']:.2f} | {r['rss_peak_mb']:.0f} | {len(r['failed'])} |")
    after_first, after_second = (sum(mb for mb, _ in p.values()) for p in (first, second))
    print(f"\nMemory after every student left ({args.ttl:g} s): {after_first:.0f} MB; after the second "
          f"wave: {after_second:.0f} MB ({after_second - after_first:+.0f} MB); processes: {len(second)}.\n")
    print("| process | before the first wave, MB (threads) | after the waves | after a second wave of "
          f"{last} | the second wave added, MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for role in dict.fromkeys([*before, *first, *second]):
        cells = [f"{p[role][0]:.0f} ({p[role][1]})" if role in p else "-" for p in (before, first, second)]
        added = f"{second[role][0] - first[role][0]:+.0f}" if role in first and role in second else "-"
        print(f"| {role} | {' | '.join(cells)} | {added} |")
    totals = [sum(mb for mb, _ in p.values()) for p in (before, first, second)]
    print(f"| all | {totals[0]:.0f} | {totals[1]:.0f} | {totals[2]:.0f} | {totals[2] - totals[1]:+.0f} |")


if __name__ == "__main__":
    main()
