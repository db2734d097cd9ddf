"""The page's handle on a run that trains in a worker process of the pool (ffnviz/train/pool.py):
a RemoteRunner has the methods of the Runner, RaceRunner, DeepRunner or SweepRunner it stands for;
each command is a request over the run's own connection to its worker, a snapshot crosses only when
the page reads one and the worker has a newer one, and the server-wide cap on models in training is
taken here, in the server, before the run is told to start. A run whose page went away (detach) ends
in its worker some time after (Pool.retire_later) unless its page attaches it again; attached again
later still, it is built anew from its spec."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import replace
from multiprocessing.connection import Connection

from ffnviz.train.capacity import SERVER_CAP, WorkCap
from ffnviz.train.pool import Pool, WorkerDied
from ffnviz.train.worker import FINISHED, PAUSED, QUEUED, RUNNING, Note, queued_note


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

    cap_group: object = None  # whose share of the server's cap this run counts in (its page's session)

    def __init__(self, runner_class: type, spec, dataset=None, *, pool: Pool, cap: WorkCap = SERVER_CAP):
        self._kind, self._pool, self._cap = runner_class, pool, cap
        self._spec, self._dataset = spec, dataset
        self._lock = threading.Lock()
        self._life = threading.RLock()  # retire() against attach()
        self._retired = False  # ended in its worker after its page went away: the next attach builds it again
        self._conn: Connection | None = None
        self._snapshot = None
        self._died = False
        self._queued = False  # waiting in the cap's line; started when its turn comes
        self._attached = False  # the run's thread in the worker is up (attach sent since the last build or detach)
        self._training = False  # counted in its worker's load (Pool.training)
        self._connect()

    # -- the connection -------------------------------------------------------------------------

    def _connect(self) -> None:
        """Build the run in a worker from its spec (raises ValueError on a spec it cannot run)."""
        self._close()
        self._conn, self._index = self._pool.connect()
        self._died, self._retired, self._data, self._attached = False, False, None, False
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
            self._pool.keep(self)  # nothing left to retire: no longer counted as leaving its worker
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
        if self._died or self._retired:
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

    def retire(self) -> None:
        """The page went away for good (Pool.retire_later, after its session's TTL): end the run in its
        worker, which lets go of everything it held. Nothing if the page attached it again meanwhile;
        if it comes back later still, attach() builds the run again from its spec (at update 0)."""
        with self._life:
            if self._attached or self._conn is None:
                return
            self.close()
            self._retired = True

    @property
    def retired(self) -> bool:
        return self._retired

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
            if not self._training:
                self._training = True
                self._pool.training(self._index, 1)
            self._command("start")
        else:
            self._queued = True

    def _release(self) -> None:
        self._queued = False
        self._cap.release(self)
        if self._training:
            self._training = False
            self._pool.training(self._index, -1)

    def _as_queued(self, snap):
        return replace(snap, status=QUEUED, note=queued_note(self._cap, self))

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
    def worker_index(self) -> int:
        """Which of the pool's workers holds it."""
        return self._index

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
        if self._attached:
            return
        self._pool.keep(self)  # its page is back: not retired
        with self._life:
            if self._retired:
                self._connect()
            self._attached = self._command("attach") is None and not self._died

    def detach(self, timeout: float = 2.0) -> None:
        """The page went away: the run pauses (as a detached Runner does) and gives back its slots, and
        it ends in its worker `pool.retire_s` from now unless its page attaches it again."""
        with self._life:  # a page's attach or the retiring thread waits for it (it may run in a thread of its own)
            self._release()
            self._attached = False
            self._command("detach", timeout)
            if self._conn is not None:
                self._pool.retire_later(self)
