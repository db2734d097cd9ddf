"""Does a simulated student (benchmarks/classroom_client.py) load the server like a real browser,
and read the numbers a browser shows? Two students on the playground, measured side by side.

    nice -n 19 python benchmarks/validate_classroom_client.py      # 3 rounds, ~4.5 minutes on a quiet machine
    python benchmarks/validate_classroom_client.py --rounds 1 --seconds 8 --warmup 3

One `streamlit run app.py` (the worker pool at its default). Each round has three phases, in a
rotating order, each with two students on the playground's default, one with training seed
`2r`, the other `2r + 1` (round r), each pressing Start:

  (a) browser + browser: two Chromium contexts (one session each; background throttling off);
  (b) client + client:   two simulated students (Streamlit's websocket protocol, no browser);
  (c) browser + client:  one of each at once, so both see the same server load.

After `--warmup` seconds of training, each student is measured for `--seconds`:
- epochs/s: a browser's from the page's Epoch metric as shown (the DOM, read at both ends); a
  simulated student's from the Epoch metric in the deltas it received. The browser's is also
  read from the deltas its websocket frames carried, as a check of the client's reading;
- refreshes/s: live fragment runs that drew (script_finished of a fragment run after elements,
  counted by the client's own Observer: for a browser, on the frames Chromium's DevTools protocol
  reports, Network.webSocketFrameReceived); a browser's charts redrawn per second (a plotly chart's
  data replaced, polled in the page every 40 ms) as a check that what arrives is drawn;
- KB/s received (websocket payloads), and messages/s and KB/s sent to the server, by kind;
- time to interactive: from opening the page to its Start button (a browser: drawn and visible);
- the server's CPU, in cores, over the window: the Streamlit process and all its descendants
  (the worker pool), from /proc; and the Chromium processes' own CPU (they share this machine).

Between phases every student leaves and the server is let go quiet (its sessions' TTL is 2 s, so
their runs end with them). Medians over the rounds are printed as Markdown tables (`--tables` prints
earlier runs' `--json` files together). Chromium runs at this script's priority (see `_launch`): run
the script under `nice -n 19` on a shared machine and the server and the tabs are both niced. The
tabs draw on this machine: they take CPU a student's browser would take on its own machine
(docs/PERFORMANCE.md, "The simulated student against Chromium"), which is what phase (c) is for.
Needs Chromium at $FFNVIZ_CHROMIUM or /usr/bin/chromium, Playwright, and util-linux's setpriv.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_classroom import _cpu_s, _tree  # noqa: E402
from bench_live import ARGS, CHROMIUM, start_server  # noqa: E402
from classroom_client import Observer, Student  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402

PAGE = "playground"
MARK = "--ffnviz-validate-classroom"  # a switch Chromium ignores: finds its processes in /proc
BROWSER_ARGS = [*ARGS, "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows", MARK]
# Counts each plotly chart's redraws (Plotly.react gives gd.data a new array); the page's count is
# its most redrawn chart's (one refresh redraws several charts, not always within one 40 ms look).
REDRAWS = """
window.__ffnvizRedraws = 0;
setInterval(() => {
  document.querySelectorAll('.ffnviz-plot, .js-plotly-plot').forEach((gd) => {
    if (gd.data && gd.__ffnvizSeen !== gd.data) {
      gd.__ffnvizSeen = gd.data;
      gd.__ffnvizRedraws = (gd.__ffnvizRedraws || 0) + 1;
      window.__ffnvizRedraws = Math.max(window.__ffnvizRedraws, gd.__ffnvizRedraws);
    }
  });
}, 40);
"""
# The Epoch metric as shown, the redraws so far, and when (the renderer's clock, seconds since 1970:
# the answer may reach Python late, behind DevTools events, on a loaded machine).
READ = """() => { const m = Array.from(document.querySelectorAll('[data-testid="stMetric"]'))
    .find(el => (el.querySelector('[data-testid="stMetricLabel"]') || {}).innerText === 'Epoch');
    const epoch = m ? parseFloat(m.querySelector('[data-testid="stMetricValue"]').innerText.replace(/[^0-9.]/g, '')) : null;
    return [epoch, window.__ffnvizRedraws, Date.now() / 1000]; }"""


def query(seed: int) -> str:
    """The playground's default with training seed `seed`, as its link says it."""
    from ffnviz.first_seconds import page_default
    from ffnviz.page_links import FORMS
    from ffnviz.specs.links import link_differences, with_version

    return "&".join(f"{k}={v}" for k, v in with_version(link_differences(FORMS[PAGE], page_default(PAGE, seed))).items())


def _series(r, start: float, end: float) -> dict:
    """The window's raw readings (seconds since Start), for the JSON."""
    return {"window": (round(start, 3), round(end, 3)),
            "epochs_seen": [(round(t, 3), e) for t, e in r.epochs if start - 2 <= t <= end + 2],
            "refreshes_at": [round(t, 3) for t in r.refreshes if start <= t <= end]}


class _Tally:
    """What a student sent, and (for both kinds) the window's figures."""

    def __init__(self):
        self.sent: list[tuple[float, int, str]] = []  # (time.monotonic(), bytes, kind)
        self.full_reruns: list[tuple[float, list[str]]] = []  # (time.monotonic(), widgets that changed)
        self._widgets: dict[str, bytes] = {}

    def note_sent(self, raw: bytes, at: float) -> None:
        msg = BackMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type") or "?"
        if kind == "rerun_script":
            r = msg.rerun_script
            kind = "auto rerun" if r.is_auto_rerun else "fragment rerun" if r.fragment_id else "full rerun"
            widgets = {w.id.rsplit("-", 1)[-1]: w.SerializeToString() for w in r.widget_states.widgets}
            if kind == "full rerun":
                self.full_reruns.append((at, sorted(k for k, v in widgets.items() if self._widgets.get(k) != v)))
                if r.widget_states.widgets and any(w.trigger_value for w in r.widget_states.widgets):
                    self.full_reruns[-1][1].append("start")  # a button pressed (the only one pressed here: Start)
            self._widgets = widgets
        self.sent.append((at, len(raw), kind))

    def sent_in(self, t0: float, t1: float) -> dict:
        rows = [r for r in self.sent if t0 <= r[0] <= t1]
        kinds: dict[str, int] = {}
        for _, _, kind in rows:
            kinds[kind] = kinds.get(kind, 0) + 1
        return {"sent_per_s": len(rows) / (t1 - t0), "sent_kb_s": sum(r[1] for r in rows) / (t1 - t0) / 1024,
                "sent_kinds": {k: round(v / (t1 - t0), 2) for k, v in sorted(kinds.items())},
                "full_reruns": [(round(at - t0, 2), changed) for at, changed in self.full_reruns if t0 <= at <= t1]}


class ClientStudent(Student, _Tally):
    """The simulated student, its sent messages noted."""

    kind = "client"

    def __init__(self, url: str, seed: int):
        Student.__init__(self, url, PAGE, query(seed))
        _Tally.__init__(self)
        self.seed = seed

    def _send(self, msg: BackMsg) -> None:
        raw = msg.SerializeToString()
        self.note_sent(raw, time.monotonic())
        with self._send_lock:
            self._ws.send(raw)

    def figures(self, t0: float, t1: float) -> dict:
        r, s = self.report, self.started_at
        return {"kind": self.kind, "seed": self.seed, "error": r.error, "interactive_s": r.connected_s,
                **_series(r, t0 - s, t1 - s),
                "epochs_per_s": r.epochs_per_s(t0 - s, t1 - s), "epochs_per_s_frames": r.epochs_per_s(t0 - s, t1 - s),
                "refresh_hz": r.refresh_hz(t0 - s, t1 - s), "redraw_hz": float("nan"),
                "kb_s": r.bytes_per_s(t0 - s, t1 - s) / 1024, **self.sent_in(t0, t1)}


class BrowserStudent(_Tally):
    """A Chromium context (its own session) on the playground; its websocket frames go through the
    client's Observer."""

    kind = "browser"

    def __init__(self, browser, url: str, seed: int):
        super().__init__()
        self.seed, self.url = seed, url
        self.seen = Observer(PAGE)
        self.report = self.seen.report
        self.context = browser.new_context(viewport={"width": 1600, "height": 1100})
        self.context.add_init_script(REDRAWS)
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.webSocketFrameReceived", self._received)
        self.cdp.on("Network.webSocketFrameSent", self._sent)
        self.http_bytes = 0  # what the page fetched over HTTP (the frontend, plotly.js, ...), as sent
        self.cdp.on("Network.loadingFinished", self._loaded)
        self.dom: dict[str, tuple[float, float, float]] = {}  # "t0"/"t1": (time, epoch shown, redraws)
        self._last_received = -1.0

    @staticmethod
    def _payload(event) -> bytes | None:
        frame = event["response"]
        return base64.b64decode(frame["payloadData"]) if frame["opcode"] == 2 else None

    def _received(self, event) -> None:
        raw = self._payload(event)
        if raw is not None:
            self._last_received = event["timestamp"]
            self.seen.observe(raw, now=event["timestamp"])  # DevTools' MonotonicTime: CLOCK_MONOTONIC, as time.monotonic()

    def _loaded(self, event) -> None:
        self.http_bytes += int(event.get("encodedDataLength", 0))

    def _sent(self, event) -> None:
        raw = self._payload(event)
        if raw is not None:
            self.note_sent(raw, event["timestamp"])

    def open(self) -> None:
        tick = time.monotonic()
        self.page.goto(f"{self.url}/{PAGE}?{query(self.seed)}")
        self._start = self.page.get_by_role("button", name="Start", exact=True).locator("visible=true").first
        self._start.wait_for(timeout=120_000)
        self.report.connected_s = time.monotonic() - tick

    def start(self) -> float:
        """Press Start; when the press left for the server (time.monotonic())."""
        self.page.wait_for_timeout(500)  # the page settled (its run finished)
        self.seen.started_at = time.monotonic()
        self._start.click(timeout=120_000)
        end = time.monotonic() + 60
        while not any("start" in changed for _, changed in self.full_reruns) and time.monotonic() < end:
            self.page.wait_for_timeout(50)  # DevTools may tell of the request late
        return next((at for at, changed in self.full_reruns if "start" in changed), self.seen.started_at)

    def read(self, label: str) -> None:
        shown, redraws, wall = self.page.evaluate(READ)
        at = wall - (time.time() - time.monotonic())  # the renderer's moment, on time.monotonic()'s clock
        self.dom[label] = (at, float("nan") if shown is None else shown, redraws)

    def caught_up(self, when: float) -> bool:
        """DevTools has delivered this tab's frames past `when` (time.monotonic()): its timer's next
        request and a reply to it."""
        return bool(self.sent) and self.sent[-1][0] > when and self._last_received > when

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.context.close()

    def figures(self, t0: float, t1: float) -> dict:
        r, s = self.report, self.seen.started_at
        (a, e0, d0), (b, e1, d1) = self.dom["t0"], self.dom["t1"]
        return {"kind": self.kind, "seed": self.seed, "error": "", "interactive_s": r.connected_s,
                "http_kb": self.http_bytes / 1024, "dom": {k: (round(v[0] - s, 3), v[1], v[2]) for k, v in self.dom.items()},
                **_series(r, t0 - s, t1 - s),
                "epochs_per_s": (e1 - e0) / (b - a), "epochs_per_s_frames": r.epochs_per_s(t0 - s, t1 - s),
                "refresh_hz": r.refresh_hz(t0 - s, t1 - s), "redraw_hz": (d1 - d0) / (b - a),
                "kb_s": r.bytes_per_s(t0 - s, t1 - s) / 1024, **self.sent_in(t0, t1)}


def _autogroup_nice() -> int | None:
    """This process's scheduling group's niceness (Linux autogroups: one group per session)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(Path("/proc/self/autogroup").read_text().split("nice")[1])
    return None


def _launch(playwright, folder: Path):
    """Chromium, at the server's priority. Playwright starts it in a session of its own (setsid),
    i.e. (where the kernel groups by session, sched_autogroup) in a scheduling group of its own at
    nice 0: on a machine whose other work runs niced, e.g. a session's group at nice 19, the tabs
    then took the CPU ahead of the server and the server starved. The wrapper gives Chromium's group
    this script's group's niceness, and drops CAP_SYS_NICE (run as root Chromium raises its own
    processes: the browser to nice -8)."""
    group = _autogroup_nice()
    wrapper = folder / "chromium"
    wrapper.write_text("#!/bin/sh\n"
                       + (f"echo {group} > /proc/self/autogroup 2>/dev/null\n" if group is not None else "")
                       + f'exec setpriv --bounding-set -sys_nice --inh-caps -sys_nice -- {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return playwright.chromium.launch(executable_path=str(wrapper), args=BROWSER_ARGS)


def _chromium_pids() -> list[int]:
    """Every process of the Chromium this script launched (its browser process carries MARK)."""
    roots = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            with contextlib.suppress(OSError):
                if MARK.encode() in Path(f"/proc/{p}/cmdline").read_bytes():
                    roots.append(int(p))
    return sorted({pid for root in roots for pid in _tree(root)})


def _quiet(server_pid: int, limit_s: float = 12.0) -> float:
    """Wait until the server trains nothing (under 0.2 cores over a second); its last second's cores."""
    end = time.monotonic() + limit_s
    while True:
        pids = _tree(server_pid)
        c0 = _cpu_s(pids)
        time.sleep(1.0)
        cores = _cpu_s(pids) - c0
        if cores < 0.2 or time.monotonic() > end:
            return cores


def phase(name: str, browser, url: str, server_pid: int, seeds: tuple[int, int], warmup: float, seconds: float) -> dict:
    """Two students (`name`: "a" two browsers, "b" two clients, "c" a browser and a client)."""
    idle = _quiet(server_pid)
    kinds = {"a": ("browser", "browser"), "b": ("client", "client"), "c": ("browser", "client")}[name]
    students = []
    threads = []
    try:
        for kind, seed in zip(kinds, seeds, strict=True):
            if kind == "browser":
                s = BrowserStudent(browser, url, seed)
                s.open()
            else:
                s = ClientStudent(url, seed)
            students.append(s)
        # Clients connect and press Start on their own threads; browsers are pressed from here.
        for s in students:
            if s.kind == "client":
                threads.append(threading.Thread(target=s.run, args=(600.0,), daemon=True))  # until it leaves
                threads[-1].start()
        deadline = time.monotonic() + 120
        while any(s.kind == "client" and s.started_at is None and not s.report.error for s in students):
            if time.monotonic() > deadline:
                raise RuntimeError("a simulated student did not reach Start")
            time.sleep(0.02)
        starts = [s.started_at for s in students if s.kind == "client"]
        starts += [s.start() for s in students if s.kind == "browser"]
        t0 = max(starts) + warmup  # every student has trained `warmup` seconds
        browsers = [s for s in students if s.kind == "browser"]
        _sleep_until(t0, browsers)
        for s in browsers:
            s.read("t0")
        pids = _tree(server_pid)
        chrome = _chromium_pids()
        cpu0, main0, chrome0, w0 = _cpu_s(pids), _cpu_s([server_pid]), _cpu_s(chrome), time.monotonic()
        me0 = _cpu_s([os.getpid()])
        t1 = t0 + seconds
        _sleep_until(t1, browsers)
        for s in browsers:
            s.read("t1")
        pids = _tree(server_pid)
        span = time.monotonic() - w0
        server = {"load": os.getloadavg()[0], "cores": (_cpu_s(pids) - cpu0) / span,
                  "main_cores": (_cpu_s([server_pid]) - main0) / span,
                  "chromium_cores": (_cpu_s(_chromium_pids()) - chrome0) / span, "idle_before": idle,
                  "script_cores": (_cpu_s([os.getpid()]) - me0) / span}  # the simulated students' (and DevTools' events)
        # DevTools' events reach Python late on a loaded machine: take them all in before the tabs close.
        end = time.monotonic() + 30
        while browsers and not all(s.caught_up(t1) for s in browsers) and time.monotonic() < end:
            browsers[0].page.wait_for_timeout(200)
        server["events_late_s"] = time.monotonic() - t1
    finally:
        for s in students:
            if s.kind == "browser":
                s.close()
            else:
                s.leave()
        for t in threads:
            t.join(timeout=30)
    return {"phase": name, "server": server, "students": [s.figures(t0, t1) for s in students]}


def _sleep_until(when: float, browsers: list[BrowserStudent]) -> None:
    """Wait until `when` (time.monotonic()), letting Playwright deliver the browsers' events."""
    while (left := when - time.monotonic()) > 0:
        if browsers:
            browsers[0].page.wait_for_timeout(min(left, 0.5) * 1000)
        else:
            time.sleep(min(left, 0.5))


def _median(values: list[float]) -> str:
    values = [v for v in values if v == v]  # not nan
    if not values:
        return "—"
    med = statistics.median(values)
    return f"{med:.2f} [{min(values):.2f}–{max(values):.2f}]" if med < 10 else f"{med:.0f} [{min(values):.0f}–{max(values):.0f}]"


def table(rows: list[dict]) -> None:
    print("| phase | student | epochs/s (shown) | epochs/s (from deltas) | refreshes/s | charts redrawn/s "
          "| KB/s received | KB a refresh | messages/s sent | interactive, s | server cores, all (Streamlit process) "
          "| Chromium cores | this script's cores |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    names = {"a": "(a) 2 browsers", "b": "(b) 2 clients", "c": "(c) browser + client"}
    for name in "abc":
        mine = [r for r in rows if r["phase"] == name]
        for kind in ("browser", "client"):
            ss = [s for r in mine for s in r["students"] if s["kind"] == kind and not s["error"]]
            if not ss:
                continue

            def col(key, ss=ss):
                return _median([s[key] for s in ss])

            server = _median([r["server"]["cores"] for r in mine])
            main = _median([r["server"]["main_cores"] for r in mine])
            print(f"| {names[name]} | {kind} (n={len(ss)}) | {col('epochs_per_s')} | {col('epochs_per_s_frames')} "
                  f"| {col('refresh_hz')} | {col('redraw_hz')} | {col('kb_s')} "
                  f"| {_median([s['kb_s'] / s['refresh_hz'] for s in ss if s['refresh_hz'] > 0])} | {col('sent_per_s')} "
                  f"| {col('interactive_s')} | {server} ({main}) "
                  f"| {_median([r['server']['chromium_cores'] for r in mine])} "
                  f"| {_median([r['server'].get('script_cores', float('nan')) for r in mine])} |")
    print()
    # Ratios, client / browser: across phases (a) and (b), and within (c) (same load).
    print("| ratio client / browser | epochs/s | refreshes/s | KB/s | server cores (all) | Streamlit process cores |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")

    def med(phase_name, kind, key):
        vals = [s[key] for r in rows if r["phase"] == phase_name for s in r["students"]
                if s["kind"] == kind and not s["error"] and s[key] == s[key]]
        return statistics.median(vals) if vals else float("nan")

    def srv(phase_name, key):
        vals = [r["server"][key] for r in rows if r["phase"] == phase_name]
        return statistics.median(vals) if vals else float("nan")

    def ratio(x, y):
        return f"{x / y:.2f}" if y and y == y and x == x else "—"

    print(f"| (b) 2 clients / (a) 2 browsers | {ratio(med('b', 'client', 'epochs_per_s'), med('a', 'browser', 'epochs_per_s'))} "
          f"| {ratio(med('b', 'client', 'refresh_hz'), med('a', 'browser', 'refresh_hz'))} "
          f"| {ratio(med('b', 'client', 'kb_s'), med('a', 'browser', 'kb_s'))} "
          f"| {ratio(srv('b', 'cores'), srv('a', 'cores'))} | {ratio(srv('b', 'main_cores'), srv('a', 'main_cores'))} |")
    http = [s["http_kb"] for r in rows for s in r["students"] if s["kind"] == "browser" and "http_kb" in s]
    loads = [r["server"].get("load", float("nan")) for r in rows]
    # Within (c): round by round (same server, same moment), then the median of the ratios.
    per_round = []
    for r in (r for r in rows if r["phase"] == "c"):
        b = next((s for s in r["students"] if s["kind"] == "browser"), None)
        c = next((s for s in r["students"] if s["kind"] == "client" and not s["error"]), None)
        if b and c:
            per_round.append({k: c[k] / b[k] if b[k] else float("nan") for k in ("epochs_per_s", "refresh_hz", "kb_s")})
    if per_round:
        def rmed(k):
            vals = [p[k] for p in per_round if p[k] == p[k]]
            return f"{statistics.median(vals):.2f}" if vals else "—"
        print(f"| (c) client / browser, same moment (median of {len(per_round)} rounds) | {rmed('epochs_per_s')} "
              f"| {rmed('refresh_hz')} | {rmed('kb_s')} | (shared) | (shared) |")
    print()
    if http:
        print(f"A browser tab fetched {statistics.median(http):,.0f} KB over HTTP (median; the frontend, fonts, "
              f"plotly.js and the chart's module; a fresh context each), a simulated student nothing.")
    print(f"The machine's load average (1 min) at the phases' ends: {_median(loads)}.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warmup", type=float, default=4.0, help="seconds of training before the window")
    ap.add_argument("--seconds", type=float, default=15.0, help="the measured window")
    ap.add_argument("--phases", default="abc")
    ap.add_argument("--json", default="", help="also write every student's figures here")
    ap.add_argument("--tables", nargs="+", default=[], metavar="JSON",
                    help="print the tables of earlier runs' --json files, together; measure nothing")
    args = ap.parse_args()
    if args.tables:
        rows = [row for name in args.tables for row in json.loads(Path(name).read_text())]
        print(f"{len(args.tables)} runs, {len(rows)} phases: " + ", ".join(args.tables) + "\n")
        table(rows)
        return
    from playwright.sync_api import sync_playwright

    began = time.monotonic()
    server, url = start_server("--server.disconnectedSessionTTL", "2")
    rows = []
    try:
        # The teacher's visit: the server's imports and the pool's start are nobody's measurement.
        Student(url, PAGE, query(0)).run(3.0)
        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            browser = _launch(p, Path(tmp))
            for r in range(args.rounds):
                order = args.phases[r % len(args.phases):] + args.phases[:r % len(args.phases)]
                for name in order:
                    row = phase(name, browser, url, server.pid, (2 * r, 2 * r + 1), args.warmup, args.seconds)
                    row["round"] = r
                    rows.append(row)
                    print(f"  round {r} ({name}): {json.dumps(row)}", file=sys.stderr, flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(30)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    print(f"{os.cpu_count()} CPUs, FFNVIZ_WORKERS={os.environ.get('FFNVIZ_WORKERS', 'auto (default)')}, "
          f"{args.rounds} rounds, {args.warmup:g} s warm-up + {args.seconds:g} s measured per phase, "
          f"seeds 2r and 2r+1 in round r; medians [min–max] over students and rounds; "
          f"{time.monotonic() - began:.0f} s in all.\n")
    table(rows)


if __name__ == "__main__":
    main()
