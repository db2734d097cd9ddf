"""A simulated student: a client of Streamlit's own websocket protocol, doing what a browser does.

It connects to `/_stcore/stream` and asks for its page as a browser opening the page's link does:
by name (`page_name`, the URL path) with the page's settings in the query string; the run's
`navigation` message names every page's script hash, which later requests carry. It finds the
Start button's widget id in the page's deltas and once the page has settled clicks it (a trigger
value in `WidgetStates`). From then on it answers the server as Streamlit's frontend does: on each
`auto_rerun {interval, fragment_id}` a timer sends `rerun_script(fragment_id, is_auto_rerun=True)`
every `interval` seconds until `stop_auto_rerun` (a full run drops every timer; a timer of the same
interval is kept); every request carries the hashes of the cacheable elements it holds (the
frontend's ForwardMsg cache), so that the server sends a reference for an element the page already
has; a URL the page writes (`page_info_changed`) is the query string of later requests.
It reads the page's "Epoch" metric from the deltas of each refresh (pages without one, as the
self-attention page, report no rate), counts the live fragments' reruns and the bytes it
receives. No browser: benchmarks/bench_classroom.py runs many of these against one server;
tests/e2e/test_classroom_client.py keeps a short run of one in the suite so the client cannot rot;
benchmarks/validate_classroom_client.py compares two of them with two Chromium tabs.

Where it is not a browser (docs/PERFORMANCE.md, "The simulated student against Chromium"): it does
not download the frontend (the HTML and JavaScript a browser fetches over HTTP before it opens
the websocket), it sends no widget values with a fragment's rerun (a browser sends every widget's,
about 1.9 KB on the playground), and it draws nothing, so on a machine short of CPU its timers
keep time where a browser's slip.

Uses `websockets` (a dependency of Streamlit) and Streamlit's own protobufs.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect


@dataclass
class Report:
    page: str
    connected_s: float = 0.0  # from connecting to the page's Start button (interactive)
    epochs: list[tuple[float, float]] = field(default_factory=list)  # (seconds since Start, epoch shown)
    refreshes: list[float] = field(default_factory=list)  # seconds since Start of each live refresh
    received_bytes: list[tuple[float, int]] = field(default_factory=list)  # (seconds since Start, bytes)
    error: str = ""

    def _between(self, rows, start: float, end: float):
        return [r for r in rows if start <= (r[0] if isinstance(r, tuple) else r) <= end]

    def epochs_per_s(self, start: float, end: float) -> float:
        rows = self._between(self.epochs, start, end)
        if len(rows) < 2:
            return 0.0
        return (rows[-1][1] - rows[0][1]) / max(rows[-1][0] - rows[0][0], 1e-9)

    def refresh_hz(self, start: float, end: float) -> float:
        return len(self._between(self.refreshes, start, end)) / (end - start)

    def bytes_per_s(self, start: float, end: float) -> float:
        return sum(n for _, n in self._between(self.received_bytes, start, end)) / (end - start)


# A fragment run that drew its elements and then saw the next timer's request waiting ends "early for
# rerun" (Streamlit checks for requests after the run): what it drew is on the page all the same.
_DREW = (ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY, ForwardMsg.FINISHED_EARLY_FOR_RERUN)


def _number(text: str) -> float:
    digits = "".join(c for c in text if c.isdigit() or c == ".")
    return float(digits) if digits else 0.0


class Observer:
    """What a student's page receives, tallied into a `Report`: the page's script hash (from
    `navigation`), the Start button's id, the Epoch metric, the live fragments' refreshes and the
    bytes. The simulated student feeds it its websocket's messages; benchmarks/
    validate_classroom_client.py feeds it the frames a real Chromium tab received (DevTools), so
    that both are counted the same way."""

    def __init__(self, page: str, start_label: str = "Start"):
        self.page, self.start_label = page, start_label
        self.report = Report(page)
        self.page_hash = ""
        self.start_id = ""
        self.started_at: float | None = None  # time.monotonic() of the click on Start
        self._drew = False  # the current run has drawn an element

    def since_start(self, now: float | None = None) -> float:
        if self.started_at is None:
            return -1.0
        return (time.monotonic() if now is None else now) - self.started_at

    def observe(self, raw: bytes, now: float | None = None) -> ForwardMsg:
        """Tally one message (received at `now`, time.monotonic(); default: now); returns it parsed."""
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        at = self.since_start(now)
        if self.started_at is not None:
            self.report.received_bytes.append((at, len(raw)))
        if kind == "navigation":  # the pages st.navigation declares (new_session's hash is app.py's)
            for page in msg.navigation.app_pages:
                if page.url_pathname == self.page:
                    self.page_hash = page.page_script_hash
        elif kind == "new_session":
            self._drew = False
        elif kind == "ref_hash":  # an element the page has in its cache (only a browser announces one)
            self._drew = True
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._drew = True
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "button" and element.button.label == self.start_label:
                self.start_id = element.button.id
            elif which == "metric" and element.metric.label == "Epoch" and self.started_at is not None:
                self.report.epochs.append((at, _number(element.metric.body)))
        elif kind == "script_finished" and self.started_at is not None and msg.metadata.run.fragment_ids \
                and self._drew and msg.script_finished in _DREW:
            self.report.refreshes.append(at)  # a live fragment redrawn
        return msg


class Student:
    """One simulated student on `page` (its URL path, e.g. "playground") with `query` (the
    page's settings, as in its link)."""

    def __init__(self, url: str, page: str, query: str = "", *, start_label: str = "Start"):
        parts = urlsplit(url)
        self._ws_url = f"ws://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
        self.page, self.query = page, query
        self.seen = Observer(page, start_label)
        self.report = self.seen.report
        self._ws = None
        self._send_lock = threading.Lock()
        self._timers: dict[str, tuple[threading.Event, float]] = {}  # fragment id: (stop, interval)
        self._stop = threading.Event()
        self._leave = threading.Event()
        # The frontend's ForwardMsg cache (ForwardMessageCache): elements of >= 10 KB the server marks
        # cacheable are kept, their hashes sent with every rerun request, and the server sends a
        # reference instead of an element the page already has. {hash: [run count when last seen,
        # fragment id]}
        self._cache: dict[str, list] = {}
        self._cache_lock = threading.Lock()
        self._runs = 0
        self._max_age = 2  # new_session's config.max_cached_message_age
        self._new_session_since_rerun = False

    @property
    def started_at(self) -> float | None:
        """time.monotonic() of the click on Start (None before it)."""
        return self.seen.started_at

    # -- sending ----------------------------------------------------------------------------------

    def _send(self, msg: BackMsg) -> None:
        with self._send_lock:
            self._ws.send(msg.SerializeToString())

    def _rerun(self, *, fragment_id: str = "", auto: bool = False, trigger: str = "") -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        if self.seen.page_hash:
            state.page_script_hash = self.seen.page_hash
        else:  # the first request: the page by its URL path, as a browser opening the link asks for it
            state.page_name = self.page
        with self._cache_lock:
            state.cached_message_hashes.extend(self._cache)
            self._new_session_since_rerun = False
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = auto
        if trigger:
            widget = state.widget_states.widgets.add()
            widget.id = trigger
            widget.trigger_value = True
        self._send(msg)

    def _auto_rerun(self, interval: float, fragment_id: str) -> None:
        """As the frontend: a timer that reruns the fragment every `interval` s until stopped (a
        fragment that has a timer of that interval keeps it, App.handleAutoRerun)."""
        old = self._timers.get(fragment_id)
        if old is not None:
            if old[1] == interval:
                return
            old[0].set()
        stop = threading.Event()
        self._timers[fragment_id] = (stop, interval)

        def tick():
            # On time as the browser's setInterval (Blink's repeating timer): the next request is due
            # `interval` after the last one was due, not after it left, and a beat missed while the
            # machine was busy is skipped, not made up.
            due = time.monotonic() + interval
            while not stop.wait(max(0.0, due - time.monotonic())) and not self._stop.is_set():
                try:
                    self._rerun(fragment_id=fragment_id, auto=True)
                except ConnectionClosed:
                    return
                now = time.monotonic()
                due = now + interval - (now - due) % interval

        threading.Thread(target=tick, daemon=True).start()

    def _stop_timers(self) -> None:
        for stop, _ in self._timers.values():
            stop.set()
        self._timers.clear()

    def _cache_message(self, msg: ForwardMsg, kind: str) -> None:
        """The frontend's ForwardMessageCache: keep what the server marked cacheable; a reference
        (or the same element again) renews it; a finished run ages what it could have redrawn."""
        with self._cache_lock:
            if kind == "ref_hash":
                if msg.ref_hash in self._cache:
                    self._cache[msg.ref_hash][0] = self._runs
            elif msg.metadata.cacheable and msg.hash:
                if msg.hash in self._cache:
                    self._cache[msg.hash][0] = self._runs
                else:
                    self._cache[msg.hash] = [self._runs, msg.delta.fragment_id or None]
            elif kind == "new_session":
                self._max_age = msg.new_session.config.max_cached_message_age or self._max_age
                self._new_session_since_rerun = True
            elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN \
                    and self._new_session_since_rerun:
                self._runs += 1
                fragments = set(msg.metadata.run.fragment_ids)
                for key, (seen, fragment) in list(self._cache.items()):
                    if fragments and (fragment is None or fragment not in fragments):
                        continue  # a fragment's run leaves the rest of the page as it was
                    if self._runs - seen > self._max_age:
                        del self._cache[key]

    # -- receiving --------------------------------------------------------------------------------

    def _handle(self, raw: bytes) -> str:
        """Tally one message and act on it as the frontend does; returns its type."""
        msg = self.seen.observe(raw)
        kind = msg.WhichOneof("type")
        self._cache_message(msg, kind)
        if kind == "new_session" and not msg.metadata.run.fragment_ids:
            self._stop_timers()  # a full run starts: the frontend drops every timer (App.handleNewSession)
        elif kind == "auto_rerun":
            self._auto_rerun(msg.auto_rerun.interval, msg.auto_rerun.fragment_id)
        elif kind == "stop_auto_rerun":
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                timer = self._timers.pop(fragment_id, None)
                if timer is not None:
                    timer[0].set()
        elif kind == "page_info_changed":  # the page wrote its URL: the browser's next requests carry it
            self.query = msg.page_info_changed.query_string
        return kind

    def _until_finished(self, timeout: float) -> None:
        """Until a run has finished (not one that ended early for a rerun the server starts itself,
        as the first, when st.navigation has found the page asked for by name)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            raw = self._ws.recv(timeout=max(0.01, end - time.monotonic()))
            if self._handle(raw) == "script_finished":
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return
        raise TimeoutError(f"no finished run within {timeout:.0f} s")

    # -- a student's session ----------------------------------------------------------------------

    def leave(self) -> None:
        """End `run` now (from another thread), as a student closing the tab."""
        self._leave.set()

    def run(self, seconds: float, *, connect_timeout: float = 120.0) -> Report:
        """Open the page, press Start, stay `seconds` answering the live timers; the report."""
        tick = time.monotonic()
        try:
            with connect(self._ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=connect_timeout) as ws:
                self._ws = ws
                self._rerun()  # the page by name, with its settings; `navigation` names every page's hash
                self._until_finished(connect_timeout)
                if not self.seen.page_hash:
                    raise RuntimeError(f"the app has no page {self.page!r}")
                if not self.seen.start_id:
                    raise RuntimeError(f"no {self.seen.start_label!r} button on {self.page!r}")
                self.report.connected_s = time.monotonic() - tick
                self.seen.started_at = time.monotonic()
                self._rerun(trigger=self.seen.start_id)
                end = self.seen.started_at + seconds
                while time.monotonic() < end and not self._leave.is_set():
                    try:
                        self._handle(ws.recv(timeout=max(0.01, min(0.5, end - time.monotonic()))))
                    except TimeoutError:
                        continue
        except Exception as e:  # noqa: BLE001 - a student that failed says why in its report
            self.report.error = f"{type(e).__name__}: {e}"
        finally:
            self._stop.set()
            self._stop_timers()
        return self.report
