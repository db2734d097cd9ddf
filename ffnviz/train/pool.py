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
- a run's connection closing (the page's session is gone) ends the run in the worker;
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
from dataclasses import replace
from multiprocessing.connection import Client, Connection

from ffnviz import limits
from ffnviz.train.capacity import SERVER_CAP, WorkCap
from ffnviz.train.pool_process import worker_main
from ffnviz.train.worker import FINISHED, PAUSED, QUEUED, RUNNING, Note

WORKERS_ENV = "FFNVIZ_WORKERS"
LOST_WAIT_S = 2.0  # how long a run whose worker died waits for its process to end


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
    def __init__(self, ctx):
        self.control, child = ctx.Pipe()
        self.process = ctx.Process(target=worker_main, args=(child,), daemon=True, name="ffnviz-worker")
        self.process.start()
        child.close()
        if not self.control.poll(120):
            self.process.kill()
            raise WorkerDied("a worker process did not start within 120 s")
        self.address = self.control.recv()
        self.runs = 0

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        self.control.close()  # the worker's watch thread sees EOF and exits
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()


class Pool:
    def __init__(self, workers: int):
        if workers < 1:
            raise ValueError(f"a pool needs at least one worker, got {workers}")
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        self._ctx = mp.get_context(method)
        if method == "forkserver":
            # torch._dynamo too: torch imports it on the first model a process builds (skip_init, the init
            # functions), ~1.3 s of CPU that every new worker paid again at its first run. And "__main__":
            # multiprocessing imports the parent's main module (under Streamlit, app.py) in every new
            # process that has not got it; imported once here, the workers inherit it (app.py draws
            # nothing unless it runs as __main__).
            self._ctx.set_forkserver_preload(["__main__", "torch", "torch._dynamo", "ffnviz.train.pool_process",
                                              "ffnviz.train.runner", "ffnviz.train.race_runner",
                                              "ffnviz.train.deep_runner", "ffnviz.train.sweep_runner"])
        self._workers: list[_Worker | None] = [None] * workers
        self._lock = threading.Lock()

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
                        self._workers[i] = _Worker(self._ctx)

        thread = threading.Thread(target=start, name="ffnviz-pool-start", daemon=True)
        thread.start()
        return thread

    def processes(self) -> list[mp.Process]:
        return [w.process for w in self._workers if w is not None]

    def connect(self) -> tuple[Connection, int]:
        """A connection to the live worker with the fewest runs (started, or restarted, if need be)."""
        with self._lock:
            for i, w in enumerate(self._workers):
                if w is not None and not w.alive:
                    self._workers[i] = None
            # The fewest runs first; a worker not started yet has none.
            i = min(range(len(self._workers)), key=lambda k: (self._workers[k].runs if self._workers[k] else 0, k))
            if self._workers[i] is None:
                self._workers[i] = _Worker(self._ctx)
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

    def close(self) -> None:
        with self._lock:
            for w in self._workers:
                if w is not None:
                    w.stop()
            self._workers = [None] * len(self._workers)


def _data_of(spec):
    """A run's or a race's data spec."""
    return spec.data if hasattr(spec, "data") else spec.base.data


class _RaceData:
    """What a page reads of a race beside its snapshot: its data set (immutable arrays)."""

    def __init__(self, remote: RemoteRunner):
        self._remote = remote

    @property
    def dataset(self):
        return self._remote.dataset()


class RemoteRunner:
    """A Runner, RaceRunner, DeepRunner or SweepRunner (`runner_class`) in a worker process, with their
    methods."""

    def __init__(self, runner_class: type, spec, dataset=None, *, pool: Pool, cap: WorkCap = SERVER_CAP):
        self._kind, self._pool, self._cap = runner_class, pool, cap
        self._spec, self._dataset = spec, dataset
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._snapshot = None
        self._died = False
        self._queued = False  # waiting in the cap's line; started when its turn comes
        self._attached = False  # the run's thread in the worker is up (attach sent since the last build or detach)
        self._connect()

    # -- the connection -------------------------------------------------------------------------

    def _connect(self) -> None:
        """Build the run in a worker from its spec (raises ValueError on a spec it cannot run)."""
        self._close()
        self._conn, self._index = self._pool.connect()
        self._died, self._data, self._attached = False, None, False
        try:
            self._request("make", self._kind, self._spec, self._dataset)
        except ValueError:
            self._close()
            raise
        self._snapshot = self._request("snapshot", -1, False)

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._pool.released(self._index)
            self._conn = None

    def _request(self, *message):
        with self._lock:
            if self._conn is None:
                raise WorkerDied("this run's worker is gone")
            try:
                self._conn.send(message)
                status, result = self._conn.recv()
            except (EOFError, OSError) as e:
                self._lost()
                raise WorkerDied("this run's worker process stopped") from e
        if status == "value_error":
            raise ValueError(result)
        if status == "error":
            raise RuntimeError(result)
        return result

    def _lost(self) -> None:
        """The worker died: the last snapshot stays, paused, with a note; the next Start or Reset
        builds the run again from its spec on a live worker."""
        self._died = True
        self._release()
        self._pool.lost(self._index)
        if self._conn is not None:
            self._conn.close()
            self._pool.released(self._index)
            self._conn = None
        if self._snapshot is not None:
            self._snapshot = replace(self._snapshot, status=PAUSED, note=Note.of("note_worker_died"))

    def _revive(self) -> None:
        if self._died:
            self._connect()

    def _command(self, name: str, *args, **kwargs):
        try:
            return self._request(name, args, kwargs)
        except WorkerDied:
            return None

    def close(self) -> None:
        """End the run in its worker now and give back its slots; the last snapshot stays (a finished sweep)."""
        self._release()
        with self._lock:
            self._close()

    def __del__(self):
        with contextlib.suppress(Exception):  # at interpreter shutdown there is nothing left to tell
            self._release()
            self._close()

    # -- the server's cap -----------------------------------------------------------------------

    def _models(self) -> int:
        """Models this run trains at once (a race's, never more than the whole cap)."""
        return min(getattr(self._spec, "models", 1), self._cap.max_models)

    def _admit(self) -> None:
        """Start the run in its worker if the cap lets it in, else wait in line (a note says where)."""
        if self._cap.try_acquire(self, self._models()):
            self._queued = False
            self._command("start")
        else:
            self._queued = True

    def _release(self) -> None:
        self._queued = False
        self._cap.release(self)

    def _as_queued(self, snap):
        note = Note.of("note_queued", cap=self._cap.max_models, place=self._cap.place(self) or 1)
        return replace(snap, status=QUEUED, note=note)

    # -- reading --------------------------------------------------------------------------------

    def _fetch(self, watched: bool):
        if self._queued and watched:
            self._admit()  # its turn may have come
        if not self._died:
            try:
                newer = self._request("snapshot", self._snapshot.version, watched)
            except WorkerDied:
                return self._snapshot
            if newer is not None:
                self._snapshot = newer
                if newer.status in FINISHED or (newer.status != RUNNING and not self._queued):
                    self._release()  # finished, or stopped by itself (paused: no one watched; a sweep's end)
        return self._as_queued(self._snapshot) if self._queued else self._snapshot

    @property
    def snapshot(self):
        return self._fetch(watched=False)

    def poll(self):
        return self._fetch(watched=True)

    @property
    def status(self) -> str:
        if self._queued:
            return QUEUED
        if self._died:
            return PAUSED
        try:
            return self._request("status")
        except WorkerDied:
            return PAUSED

    @property
    def died(self) -> bool:
        return self._died

    @property
    def race(self) -> _RaceData:
        return _RaceData(self)

    def dataset(self):
        if self._data is None:
            self._revive()
            self._data = self._request("dataset")
        return self._data

    # -- commands -------------------------------------------------------------------------------

    def start(self) -> None:
        self._revive()
        if self._snapshot.status not in FINISHED:
            self._admit()

    def pause(self, *args, **kwargs) -> None:
        self._release()
        self._command("pause", *args, **kwargs)

    def step(self, *args, **kwargs) -> None:
        self._release()  # as Runner.step: a running run pauses first
        self._revive()
        self._command("step", *args, **kwargs)

    def reset(self, *args, **kwargs) -> None:
        self._release()
        if self._died:
            self._connect()  # a new build is a reset
            return
        self._command("reset", *args, **kwargs)

    def update_spec(self, spec, dataset=None) -> bool:
        """As Runner.update_spec. While the worker is gone the spec is kept for the next start."""
        if spec == self._spec:
            # Every rerun of an unchanged page: the run in the worker has this spec already (its own
            # update_spec would return False at once), so no round trip to a worker that is busy training.
            if dataset is not None:
                self._dataset = dataset
            return False
        rebuilt = False
        if not self._died:
            rebuilt = bool(self._command("update_spec", spec, dataset))
            if rebuilt:
                self._data = None
                self._release()  # a new run starts paused at update 0
        if dataset is not None:
            self._dataset = dataset
        elif _data_of(spec) != _data_of(self._spec):
            self._dataset = None  # generated from the new spec
        self._spec = spec
        return rebuilt

    def set_layer(self, *args, **kwargs) -> None:
        self._command("set_layer", *args, **kwargs)

    def set_example(self, *args, **kwargs) -> None:
        self._command("set_example", *args, **kwargs)

    def state(self):
        """A race's weights and counters (RaceRunner.state); None while its worker is gone."""
        return self._command("state")

    def restore(self, *args, **kwargs) -> None:
        """As RaceRunner.restore (raises ValueError on a state that does not fit)."""
        self._release()
        self._revive()
        self._command("restore", *args, **kwargs)

    def set_probing(self, *args, **kwargs) -> None:
        self._command("set_probing", *args, **kwargs)

    def attach(self) -> None:
        """As Runner.attach. The page attaches at every rerun; in the worker the run's thread stops only
        on detach (or with its process), so the request goes once per build or detach."""
        if not self._attached:
            self._attached = self._command("attach") is None and not self._died

    def detach(self, timeout: float = 2.0) -> None:
        """The page went away: the run pauses (as a detached Runner does) and gives back its slots."""
        self._release()
        self._attached = False
        self._command("detach", timeout)
