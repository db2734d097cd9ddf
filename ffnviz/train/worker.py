"""The machinery shared by the Runner (one run), the RaceRunner (a race of runs) and the
SweepRunner (the learning-rate sweep): a background thread stepping the work in short chunks, in
turns with the other runs of the process, a lock that commands take between chunks, the status,
the server-wide cap and the idle pause.

A subclass says how to train for a while (`_train_for`), how to publish a snapshot
(`_publish`) and how many models it trains (`_models`, what it takes from the cap).
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from ffnviz import limits
from ffnviz.train.capacity import SERVER_CAP, WorkCap
from ffnviz.turns import Turns

READY, QUEUED, RUNNING, PAUSED, DIVERGED, DONE = "ready", "queued", "running", "paused", "diverged", "done"
# While training, publications are spaced so that they take at most this share of the worker's
# time: a slow one (a race's extras on large image sets, ~0.3-0.5 s) is not repeated 4 times a second.
PUBLISH_SHARE = 0.2
# What a student feels is how long after Start the picture moves: the first publication of a run
# comes this soon after Start (the rest every publish_interval_s), and start() waits up to
# START_WAIT_S for it, so the page's rerun after the click already draws a trained picture instead
# of update 0 followed by the first timed refresh (0.25 s publication + 0.3 s refresh).
# The curves have a point per epoch: when the first epoch ends within FIRST_EPOCH_WAIT_S, the first
# publication waits for it (a self-attention race's first epoch takes ~0.1 s; published earlier, its
# first picture had empty curves and update 0's accuracies).
FIRST_PICTURE_S = 0.04
FIRST_EPOCH_WAIT_S = 0.15
START_WAIT_S = 0.2
# A page that reads a run less often than it publishes would throw most publications away (under
# load the pages refresh once a second): publications are spaced at least this share of the time
# between two reads, so that each read still finds a fresh one.
READ_SHARE = 0.8
CHUNK_WALL_LIMIT = 5.0
POLL_GAP_S = 5.0  # a longer gap between two reads is a page that went away, not its pace
FINISHED = (DIVERGED, DONE)
# The runs of one process train in turns, a chunk each (see ffnviz/turns.py): the same throughput as
# all at once, an equal share of the CPU for each, and none of them fighting over the interpreter lock.
TRAINING_TURNS = Turns()
TRAINING_THREAD = b"ffnviz-train"  # the training threads' name as the system sees it (top -H, /proc)


def _name_os_thread(name: bytes) -> None:
    """Name this thread for the operating system (Linux), so that a benchmark or `top -H` can tell a
    run's training thread from the rest; elsewhere, nothing."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(15, ctypes.c_char_p(name), 0, 0, 0)  # PR_SET_NAME
    except (OSError, AttributeError):
        pass


@dataclass(frozen=True)
class Note:
    """Why the run is where it is, as a translation key and its arguments."""

    key: str
    args: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, **args) -> Note:
        return cls(key, tuple(sorted(args.items())))


def queued_note(cap: WorkCap, run: object) -> Note:
    """Why `run` waits: its session's own runs hold the session's share, or its place in the server's line."""
    if cap.waits_for_its_group(run):
        return Note.of("note_session_cap", cap=cap.per_group)
    return Note.of("note_queued", cap=cap.max_models, place=cap.place(run) or 1)


class Worker:
    cap_group: object = None  # whose share of the cap this run counts in (the page's browser session)

    def __init__(self, *, cap: WorkCap = SERVER_CAP, publish_interval_s: float = 0.25,
                 idle_pause_s: float = limits.IDLE_PAUSE_S, chunk_s: float = 0.02, queue_poll_s: float = 0.25,
                 clock=time.monotonic):
        self._cv = threading.Condition(threading.RLock())
        self._cap = cap
        self._publish_interval_s = publish_interval_s
        self._idle_pause_s = idle_pause_s
        self._chunk_s = chunk_s
        self._queue_poll_s = queue_poll_s  # how often a queued run asks the cap again
        self._clock = clock
        self._thread: threading.Thread | None = None
        self._overrun_s = 0.0  # CPU time its chunks took beyond their share, not yet paid back (_take_turn)
        self._stop = False
        self._waiting = 0  # commands waiting for the lock: the worker yields to them
        self._pending = 0  # updates asked for by step()
        self._version = 0
        self._rate = (0.0, 0)  # (time, updates) at the last publication, for updates/s
        self._updates_per_s = 0.0
        self._publish_s = 0.0  # how long the last publication made while training took (seconds)
        self._first_picture = False  # the next publication is the first after Start: due sooner
        self._epochs_at_start: int | None = None  # epochs completed when it started (see FIRST_EPOCH_WAIT_S)
        self._status, self._note = READY, None
        self._last_poll = clock()
        self._poll_every = 0.0  # seconds between two reads, a running average

    # -- what a subclass provides (called with the lock held) ------------------------------------

    def _models(self) -> int:
        """How many models this work trains at once: what it takes from the cap."""
        return 1

    def _train_for(self, seconds: float | None, limit: int | None) -> int:  # pragma: no cover
        raise NotImplementedError

    def _publish(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def _epochs_done(self) -> int | None:
        """Whole epochs trained, for work whose curves have a point per epoch; None for other work."""
        return None

    def _expect_first_picture(self) -> None:
        """The run has just started training: its next publication is the first picture."""
        self._first_picture = True
        self._epochs_at_start = self._epochs_done()

    def _first_picture_due(self, since: float) -> bool:
        """FIRST_PICTURE_S after Start, once an epoch has ended (or FIRST_EPOCH_WAIT_S has passed)."""
        if since < FIRST_PICTURE_S:
            return False
        epochs = self._epochs_done()
        return epochs is None or epochs > self._epochs_at_start or since >= FIRST_EPOCH_WAIT_S

    def _publish_if_due(self) -> None:
        """While training: publish when `publish_interval_s` has passed since the last
        publication, or longer when publications are slow (see PUBLISH_SHARE); the first
        publication after Start sooner (see FIRST_EPOCH_WAIT_S)."""
        since = self._clock() - self._rate[0]
        interval = max(self._publish_interval_s, self._publish_s / PUBLISH_SHARE, READ_SHARE * self._poll_every)
        if since >= interval or (self._first_picture and self._first_picture_due(since)):
            tick = time.perf_counter()
            self._first_picture = False
            self._publish()
            self._publish_s = time.perf_counter() - tick

    def _chunk_start(self) -> tuple[float, float]:
        return self._clock(), time.thread_time()

    def _chunk_over(self, start: tuple[float, float], seconds: float) -> bool:
        """A chunk of training ends after `seconds` of this thread's CPU time, so that runs taking turns
        get equal shares of the CPU even when the system takes it from one of them mid-chunk; and
        after CHUNK_WALL_LIMIT times that of the clock's time, so that a starved run still lets go."""
        wall, cpu = start
        return time.thread_time() - cpu >= seconds or self._clock() - wall >= CHUNK_WALL_LIMIT * seconds

    # -- reading --------------------------------------------------------------------------------

    @property
    def snapshot(self):
        return self._snapshot

    @property
    def status(self) -> str:
        return self._status

    def poll(self):
        """The latest snapshot; also tells the runner someone is watching."""
        now = self._clock()
        gap = now - self._last_poll
        if gap < POLL_GAP_S:
            self._poll_every += 0.3 * (gap - self._poll_every)
        self._last_poll = now
        return self._snapshot

    def _measure_rate(self, updates: int) -> float:
        """Updates per second since the last publication while running, else 0. Lock held."""
        now = self._clock()
        last_time, last_updates = self._rate
        if now > last_time and updates >= last_updates and self._status == RUNNING:
            self._updates_per_s = (updates - last_updates) / (now - last_time)
        elif self._status != RUNNING:
            self._updates_per_s = 0.0
        self._rate = (now, updates)
        return self._updates_per_s

    # -- commands (any thread) ------------------------------------------------------------------

    @contextmanager
    def _locked(self):
        self._waiting += 1
        with self._cv:
            self._waiting -= 1
            try:
                yield
            finally:
                self._cv.notify_all()

    def _acquire(self) -> bool:
        return self._cap.try_acquire(self, self._models())

    def _queued_note(self) -> Note:
        return queued_note(self._cap, self)

    def start(self, wait_s: float = START_WAIT_S) -> None:
        """Train from where the run is. Waits up to `wait_s` for the first publication after
        Start (FIRST_PICTURE_S of training), so that the caller's next read already shows it."""
        with self._locked():
            if self._status not in (READY, PAUSED):  # finished, or already going (a sweep: cancelled, failed)
                return
            self._last_poll = self._clock()
            self._note = None
            self._status = RUNNING if self._acquire() else QUEUED
            if self._status == QUEUED:
                self._note = self._queued_note()
            self._publish()
            if self._status != RUNNING:
                return
            self._expect_first_picture()
            if not self._thread_alive():
                return
            before = self._snapshot
        # Wait outside the lock: the training thread takes it back at once after every chunk, so a
        # waiter on the condition would hardly ever get it back (reading an attribute is safe
        # unlocked). For the snapshot itself, not the version counter: a publication counts before it
        # builds its snapshot, and a race's extras take ~10 ms to build, so the counter moved that long
        # before there was anything new to read.
        deadline = time.monotonic() + wait_s
        while self._snapshot is before and self._status == RUNNING and time.monotonic() < deadline:
            time.sleep(0.005)

    def pause(self, note: Note | None = None) -> None:
        with self._locked():
            if self._status in (RUNNING, QUEUED):
                self._status, self._note = PAUSED, note
                self._cap.release(self)
                self._publish()

    def step(self, n: int, wait_s: float = 2.0) -> None:
        """Make n updates, pausing a running run first. Waits up to `wait_s` for the worker so
        the caller's next read shows them; without a worker thread, steps in this thread."""
        if n < 1:
            return
        self.pause()
        with self._locked():
            if self._status in FINISHED:
                return
            self._pending += n
            self._cv.notify_all()
            if not self._thread_alive():
                self._work_pending()
                return
            deadline = self._clock() + wait_s
            while self._pending > 0 and self._clock() < deadline:
                self._cv.wait(timeout=0.05)

    # -- the worker thread ----------------------------------------------------------------------

    def _thread_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def attach(self) -> None:
        with self._locked():
            if self._thread_alive():
                return
            self._stop = False
            self._thread = threading.Thread(target=self._loop, name="ffnviz-runner", daemon=True)
            self._thread.start()

    def detach(self, timeout: float = 2.0) -> None:
        """Stop the worker thread; a running run is paused and keeps its state."""
        self.pause()
        with self._locked():
            self._stop = True
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _has_work(self) -> bool:
        return self._status in (RUNNING, QUEUED) or self._pending > 0

    def _loop(self) -> None:
        _name_os_thread(TRAINING_THREAD)
        while True:
            train = False
            with self._cv:
                while not self._stop and not self._has_work():
                    self._cv.wait()
                if self._stop:
                    return
                if self._pending > 0:
                    self._work_pending()
                elif self._status == QUEUED:
                    if self._acquire():
                        self._status, self._note = RUNNING, None
                        self._publish()
                        self._expect_first_picture()
                    else:
                        if self._note != self._queued_note():  # moved up the line: say so
                            self._note = self._queued_note()
                            self._publish()
                        self._cv.wait(timeout=self._queue_poll_s)
                elif self._clock() - self._last_poll > self._idle_pause_s:
                    self.pause(Note.of("note_idle", minutes=round(self._idle_pause_s / 60, 1)))
                else:
                    train = True
            if train:
                # Wait for the turn without the run's lock, so that a command is never held up behind
                # the other runs' chunks.
                with TRAINING_TURNS, self._cv:
                    if self._status == RUNNING and not self._stop:
                        self._take_turn()
            if self._waiting:
                time.sleep(0.0005)  # let a waiting command have the lock

    def _take_turn(self) -> None:
        """A chunk of training, or none. A chunk ends once it has had `chunk_s` of CPU time, but it
        can take more: a race's update, or the evaluation at an epoch's end, may alone take longer. A
        run whose chunks ran over passes its turns to the others until that time is paid back
        (deficit round robin), so that each run of the process gets the same CPU time whatever it
        trains (a self-attention race took 1.5× a playground run's share). Alone, it owes nothing."""
        if TRAINING_TURNS.waiting == 0:
            self._overrun_s = 0.0
        elif self._overrun_s >= self._chunk_s:
            self._overrun_s -= self._chunk_s
            return
        cpu = time.thread_time()
        self._train_for(self._chunk_s, limit=None)
        self._overrun_s += max(0.0, time.thread_time() - cpu - self._chunk_s)

    def _work_pending(self) -> None:
        while self._pending > 0 and self._status not in FINISHED:
            self._pending -= self._train_for(None, limit=self._pending)
        self._pending = 0
        if self._status == READY:
            self._status = PAUSED
        self._publish()
        self._cv.notify_all()

    def _finish(self, status: str, note: Note) -> None:
        self._status, self._note = status, note
        self._pending = 0
        self._cap.release(self)
        self._publish()
