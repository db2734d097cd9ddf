"""Inside a worker process of the training pool (ffnviz/train/pool.py: the server's side).

A worker listens on a Unix socket whose address it sends back to the server; each run's
connection gets a thread that builds the run (a Runner, RaceRunner, DeepRunner or SweepRunner, the
class crossing the pipe by name) and answers its requests until the connection closes, which ends the
run. The worker runs at a lower priority than the server, with one torch thread, and exits when
the server's end of its control pipe closes (and, on Linux, when its parent dies).

Memory (docs/PERFORMANCE.md, "A second wave of students"): glibc gives each thread that allocates
an arena of its own, up to 8 per core, and keeps what was freed in it. A worker's runs each have
two threads (the connection's and the training thread), so a class of 15 runs a worker spread its
allocations over 16 arenas and kept ~100 MB more after every wave, though its live memory went back
to what it was. Its threads share `arenas` arenas instead (taking turns, they hardly ever allocate
at once), and when its last run ends the worker gives its free memory back (malloc_trim).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import weakref
from multiprocessing.connection import Connection, Listener

from ffnviz.train.capacity import WorkCap

WORKER_NICE = 10  # the processes that draw the pages come first


def _no_runtime_warning(record: logging.LogRecord) -> bool:
    return "No runtime found" not in record.getMessage()


# The pool's processes import the server's main module (app.py), whose pages' cached functions are
# declared outside Streamlit's runtime here: Streamlit warns "No runtime found" once per process, a
# line a teacher starting the server would take for a fault. The workers never draw, so it says nothing.
logging.getLogger("streamlit.runtime.caching.cache_data_api").addFilter(_no_runtime_warning)
# What a page may ask of a run in a worker (the Runner's and RaceRunner's public commands; a
# SweepRunner's are start, attach and pause, which cancels it).
COMMANDS = frozenset({"start", "pause", "step", "reset", "update_spec", "set_layer", "set_example", "set_probing",
                      "attach", "detach", "state", "restore"})


_M_ARENA_MAX = -8  # mallopt's parameter (malloc.h)


def _libc():
    import ctypes

    return ctypes.CDLL("libc.so.6", use_errno=True)


def _limit_arenas(arenas: int) -> None:
    """At most `arenas` malloc arenas for this process's threads from now on (glibc; 0 or elsewhere:
    the C library's default)."""
    if arenas > 0:
        with contextlib.suppress(OSError, AttributeError):
            _libc().mallopt(_M_ARENA_MAX, arenas)


def _give_back_free_memory() -> None:
    """Return the pages malloc holds free to the system (glibc's malloc_trim; elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        _libc().malloc_trim(0)


class _Runs:
    """The runs this worker hosts (their connections): when the last one ends, the worker gives its
    free memory back."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.live = 0
        self.runners = weakref.WeakSet()  # every run built here that is still in memory

    def opened(self) -> None:
        with self._lock:
            self.live += 1

    def closed(self) -> None:
        with self._lock:
            self.live -= 1
            idle = self.live == 0
        if idle:
            _give_back_free_memory()


_RUNS = _Runs()


def worker_info() -> dict:
    """What a worker holds (the "worker" request, for tests): its run connections, the runs built
    in it still in memory, and its threads by name."""
    names: dict[str, int] = {}
    for t in threading.enumerate():
        names[t.name] = names.get(t.name, 0) + 1
    return {"runs": _RUNS.live, "runners": len(_RUNS.runners), "threads": names, "pid": os.getpid()}


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the control pipe alone ends the worker
        _libc().prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _watch_server(control: Connection) -> None:
    """Exit when the server's end of the control pipe closes: the server is gone."""
    with contextlib.suppress(EOFError, OSError):
        control.recv()
    os._exit(0)


# In a worker the cap never binds: the server admits a run (RemoteRunner) before it starts it.
_UNCAPPED = WorkCap(10**9)


def _make(runner_class: type, spec, dataset):
    """A Runner, RaceRunner, DeepRunner or SweepRunner (the class crosses the pipe by name)."""
    return runner_class(spec, dataset=dataset, cap=_UNCAPPED)


def _serve_run(conn: Connection) -> None:
    """One run's connection: build it, then answer its requests until the connection closes, which
    ends the run: its thread stops and nothing of it stays in the worker."""
    runner = None
    _RUNS.opened()
    try:
        while True:
            op, *args = conn.recv()
            try:
                if op == "make":
                    if runner is not None:
                        runner.detach()
                    runner = _make(*args)
                    _RUNS.runners.add(runner)
                    result = None
                elif op == "snapshot":  # (known version, watched): the snapshot if newer, else None
                    snap = runner.poll() if args[1] else runner.snapshot
                    result = None if snap.version == args[0] else snap
                elif op == "status":
                    result = runner.status
                elif op == "dataset":
                    result = runner.race.dataset
                elif op == "worker":
                    result = worker_info()
                elif op in COMMANDS:
                    result = getattr(runner, op)(*args[0], **args[1])
                else:
                    raise ValueError(f"unknown request {op!r}")
                conn.send(("ok", result))
            except ValueError as e:
                conn.send(("value_error", str(e)))
            except Exception as e:  # noqa: BLE001 - the page shows it; the worker and its other runs go on
                conn.send(("error", f"{type(e).__name__}: {e}"))
    except (EOFError, OSError):
        pass
    finally:
        if runner is not None:
            runner.detach()
        runner = None
        conn.close()
        _RUNS.closed()


def worker_main(control: Connection, arenas: int = 0) -> None:
    """A worker process's life: a listener whose address goes back to the server, a thread per run
    connection, and an exit when the server is gone. `arenas`: malloc arenas its threads share (0:
    the C library's default)."""
    _die_with_parent()
    _limit_arenas(arenas)
    os.nice(WORKER_NICE)
    import torch

    torch.set_num_threads(1)
    listener = Listener(family="AF_UNIX")
    control.send(listener.address)
    threading.Thread(target=_watch_server, args=(control,), daemon=True).start()
    while True:
        conn = listener.accept()
        threading.Thread(target=_serve_run, args=(conn,), daemon=True, name="ffnviz-run").start()
