"""Training in worker processes: a small pool of processes, each hosting many runs.

Every run trained in a thread of the one Streamlit process shares that process's interpreter
lock with every other student's run and with the threads that draw the pages: on a 2-core
machine the server never used more than one core, and at 8 students the pages stopped
refreshing. With a pool (FFNVIZ_WORKERS=N, or "auto": one per core) each run lives in one of N
worker processes instead, as the same Runner, RaceRunner, DeepRunner or SweepRunner (the
optimizer page's learning-rate sweep) it is in-process (so a run gives the same numbers, bit for
bit), and the page holds a RemoteRunner with the same methods (a sweep's page: a Sweep holding
one). The pool is the default (one worker per core); FFNVIZ_WORKERS=0 trains in threads of the
server instead:

- commands (start, pause, step, reset, update_spec, set_layer, set_example) and reads (poll,
  snapshot, status) are requests over the run's own connection to its worker; a snapshot crosses
  only when the page asks and the worker has a newer one (its version), never pushed;
- a worker process runs at a lower priority than the server (os.nice), with one torch thread,
  and never outlives the server: it exits when the pipe from the server closes (whatever killed
  the server) and when its parent dies (PR_SET_PDEATHSIG);
- a worker that dies takes its runs with it: each says so on its page (note_worker_died) and
  starts again from its spec at the next Start or Reset, on a new worker (`lost` waits for the
  dying one to end); other workers' runs go on;
- a run's connection closing ends the run in the worker. A run whose page went away (its session
  disconnected: Streamlit releases the session's resources and the page detaches the run) is ended
  in its worker `retire_s` after, unless its page attached it again: Streamlit forgets a
  disconnected session after its TTL (server.disconnectedSessionTTL) but drops it only at its next
  write to the session store, so without this a class's runs stayed in the workers (a thread each,
  their models and histories) until the next class left;
- runs go to the worker with the fewest runs. The server-wide cap on models in training
  (capacity.SERVER_CAP, first come first served) stays in the server: a RemoteRunner takes its
  slots before it tells its run to start, waits in the same line as any run when the cap is full,
  and gives them back when the run pauses, finishes or its page goes away.

Workers start on the first run, from a forkserver that has imported torch and the engine once, so
a new worker is up in well under a second after the first; CUDA works in them (forkserver, like
spawn, never forks a process that has touched CUDA).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import threading
import time
import weakref
from collections import Counter
from multiprocessing.connection import Client, Connection

from ffnviz import limits
from ffnviz.train.pool_process import worker_main

WORKERS_ENV = "FFNVIZ_WORKERS"
LOST_WAIT_S = 2.0  # how long a run whose worker died waits for its process to end
# A detached run ends in its worker this long after (Streamlit's default session TTL, 120 s, and a
# margin): the app passes its own TTL (ui/runs.py).
RETIRE_S = 130.0
# malloc arenas a worker's threads share (see pool_process: the memory a class leaves behind).
WORKER_ARENAS = 2


def workers_setting(environ=os.environ) -> int:
    """Worker processes from FFNVIZ_WORKERS: a number, "auto" or unset (one per core), or 0 (none:
    runs train in threads of the server process, as before the pool)."""
    text = environ.get(WORKERS_ENV, "auto").strip().lower()
    if text == "auto":
        return max(1, os.cpu_count() or 1)
    try:
        n = int(text)
    except ValueError as e:
        raise ValueError(f"{WORKERS_ENV} must be a number of processes or 'auto', got {text!r}") from e
    return int(limits.WORKERS.clamp(n))


class WorkerDied(RuntimeError):
    """The worker process that trained a run is gone."""


# -- in the server ------------------------------------------------------------------------------

class _Worker:
    def __init__(self, ctx, arenas: int):
        self.control, child = ctx.Pipe()
        self.process = ctx.Process(target=worker_main, args=(child, arenas), daemon=True, name="ffnviz-worker")
        self.process.start()
        child.close()
        if not self.control.poll(120):
            self.process.kill()
            raise WorkerDied("a worker process did not start within 120 s")
        self.address = self.control.recv()
        self.runs = 0
        self.training = 0  # its runs that hold a share of the server's cap: started, training

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        self.control.close()  # the worker's watch thread sees EOF and exits
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()


class Pool:
    """`workers` processes; `retire_s`: how long after its page detached a run ends in its worker
    (retire_later); `arenas`: malloc arenas in each worker (0: the C library's default)."""

    def __init__(self, workers: int, *, retire_s: float = RETIRE_S, arenas: int = WORKER_ARENAS):
        if workers < 1:
            raise ValueError(f"a pool needs at least one worker, got {workers}")
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        self._ctx = mp.get_context(method)
        if method == "forkserver":
            # torch._dynamo too: torch imports it on the first model a process builds (skip_init, the init
            # functions), ~1.3 s of CPU that every new worker paid again at its first run. And "__main__":
            # multiprocessing imports the parent's main module (under Streamlit, app.py) in every new
            # process that has not got it; imported once here, the workers inherit it (app.py draws
            # nothing unless it runs as __main__). pool_process first: it quiets the warning app.py's imports
            # would log there, outside Streamlit's runtime.
            self._ctx.set_forkserver_preload(["ffnviz.train.pool_process", "__main__", "torch", "torch._dynamo",
                                              "ffnviz.train.runner", "ffnviz.train.race_runner",
                                              "ffnviz.train.deep_runner", "ffnviz.train.sweep_runner"])
        self._workers: list[_Worker | None] = [None] * workers
        self._lock = threading.Lock()
        self._arenas = arenas
        self.retire_s = retire_s
        self._retiring: dict[int, tuple[float, weakref.ref, int]] = {}  # id(run): (when, the run, its worker)
        self._retire_cv = threading.Condition()
        self._reaper: threading.Thread | None = None

    @property
    def size(self) -> int:
        return len(self._workers)

    def start_all(self) -> threading.Thread:
        """Start every worker now, in the background, so that a class's first Start finds them up
        (a worker starting inside connect() held every other student's Start behind it)."""

        def start():
            with self._lock:
                for i, w in enumerate(self._workers):
                    if w is None or not w.alive:
                        self._workers[i] = _Worker(self._ctx, self._arenas)

        thread = threading.Thread(target=start, name="ffnviz-pool-start", daemon=True)
        thread.start()
        return thread

    def processes(self) -> list[mp.Process]:
        return [w.process for w in self._workers if w is not None]

    def connect(self) -> tuple[Connection, int]:
        """A connection to the live worker with the fewest runs whose page is still there, then the
        fewest training (started, or restarted, if need be). Runs take turns within their worker, so a
        student's share of the CPU follows how many runs train beside theirs. Counted by every run
        connected, those of pages that went away included (they stay until retired), a wave of eight
        students was placed 5 to 3 and their shares spread 0.78-1.34 of their mean. Not by the runs
        training alone: a class connects in the same second, before any of its runs has started."""
        with self._retire_cv:
            leaving = Counter(index for _, run, index in self._retiring.values() if run() is not None)
        with self._lock:
            for i, w in enumerate(self._workers):
                if w is not None and not w.alive:
                    self._workers[i] = None

            def load(k: int) -> tuple[int, int, int]:  # a worker not started yet has none
                w = self._workers[k]
                return (w.runs - leaving[k], w.training, k) if w is not None else (0, 0, k)

            i = min(range(len(self._workers)), key=load)
            if self._workers[i] is None:
                self._workers[i] = _Worker(self._ctx, self._arenas)
            worker = self._workers[i]
            try:
                conn = Client(worker.address, family="AF_UNIX")
            except OSError as e:  # it died since the check: the next connect starts another
                worker.process.kill()
                self._workers[i] = None
                raise WorkerDied("a worker process stopped as a run was sent to it") from e
            worker.runs += 1
            return conn, i

    def lost(self, index: int) -> None:
        """A run's connection to worker `index` broke: wait (briefly) for the dying process to end, so
        that the next connect starts another rather than reach this one, sockets closed, not yet gone."""
        with self._lock:
            w = self._workers[index]
        if w is not None:
            w.process.join(LOST_WAIT_S)

    def released(self, index: int) -> None:
        with self._lock:
            w = self._workers[index]
            if w is not None:
                w.runs = max(0, w.runs - 1)

    def training(self, index: int, change: int) -> None:
        """A run of worker `index` started (+1) or stopped (-1) training: see connect()."""
        with self._lock:
            w = self._workers[index]
            if w is not None:
                w.training = max(0, w.training + change)

    # -- runs whose page went away ----------------------------------------------------------------

    def retire_later(self, run) -> None:
        """Call `run.retire()` `retire_s` from now, unless `keep(run)` comes first (its page came
        back). Holds the run weakly: a run dropped meanwhile has closed its connection itself."""
        with self._retire_cv:
            self._retiring[id(run)] = (time.monotonic() + self.retire_s, weakref.ref(run), run.worker_index)
            if self._reaper is None:
                self._reaper = threading.Thread(target=self._reap, name="ffnviz-retire", daemon=True)
                self._reaper.start()
            self._retire_cv.notify()

    def keep(self, run) -> None:
        with self._retire_cv:
            self._retiring.pop(id(run), None)

    def retiring(self, run) -> bool:
        """`run` is due to be retired (its page went away and has not come back)."""
        with self._retire_cv:
            entry = self._retiring.get(id(run))
            return entry is not None and entry[1]() is run

    def _reap(self) -> None:
        """The retiring thread: it ends when no run is waiting to be retired."""
        while True:
            with self._retire_cv:
                if not self._retiring:
                    self._reaper = None
                    return
                now = time.monotonic()
                due = [key for key, (when, _, _) in self._retiring.items() if when <= now]
                if not due:
                    self._retire_cv.wait(min(when for when, _, _ in self._retiring.values()) - now)
                    continue
                runs = [self._retiring.pop(key)[1]() for key in due]
            for run in runs:
                if run is not None:
                    with contextlib.suppress(Exception):  # one run's failure must not stop the others' retiring
                        run.retire()

    def close(self) -> None:
        with self._retire_cv:
            self._retiring.clear()  # the workers go: nothing left to retire (the retiring thread ends)
            self._retire_cv.notify()
        with self._lock:
            for w in self._workers:
                if w is not None:
                    w.stop()
            self._workers = [None] * len(self._workers)
