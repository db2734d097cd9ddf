"""Epochs per second as a person sees them: a page training in Chromium, live charts on.

Starts `streamlit run app.py` on a free port, opens the page in headless Chromium (as the
browser tests do), presses Start and reads the epoch reached `--warmup` seconds later and again
`--seconds` after that (the playground's own epoch counter; on the self-attention page the loss
chart's last epoch). Cases: the playground's defaults with the inside-the-network pictures off
and on, the largest network the limits allow, and the self-attention page's default (its
reverse lesson, all its pictures live); repeated `--repeats` times (interleaved), medians
reported. Needs Chromium at $FFNVIZ_CHROMIUM or /usr/bin/chromium.

    python benchmarks/bench_live.py [--quick]
    python benchmarks/bench_live.py --solved [--quick]   # the first seconds, below
    python benchmarks/bench_live.py --bandwidth [--quick]   # what a student's browser receives

`--solved`: for each page's default (ffnviz.first_seconds.CRITERIA) and seeds 0-4, the seconds
from the click on Start until (a) the first picture with trained weights (the page's update
count above 0) and (b) the page shows its default solved: its update count at or past the update
at which the engine, training the same spec and seed bit for bit, met the page's criterion. A
fresh tab per measurement; the update count is read every 20 ms.

`--bandwidth`: the bytes per second a student's tab receives over Streamlit's websocket (the
frames as Chromium's DevTools protocol reports them) while the page trains, per case above.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("FFNVIZ_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
LARGEST = "model.hidden=64,64,64,64,64,64,64,64&model.activation=relu&model.init=he"
CASES = {
    "defaults (circle, 2-4-2-1 tanh, batch 10), inside off": "",
    "defaults, inside on": "view.inside=1",
    "8 x 64 relu (largest), inside off": LARGEST,
    "8 x 64 relu (largest), inside on": LARGEST + "&view.inside=1",
    "self-attention page, defaults (reverse, 2 layers x 2 heads, d 32, batch 64: 25 updates an epoch)": "attention:",
}
LAST_LOSS_EPOCH = """() => Math.max(...Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(gd => (gd.layout.title.text || '').replace(/<\\/?b>/g, '') === 'Loss')
    .flatMap(gd => gd._fullData.map(t => t.x ? Math.max(...Array.from(t.x))
                                              : t.dx !== undefined ? t.x0 + (t.y.length - 1) * t.dx : 0)))"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*options: str) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free port, with Streamlit's command-line `options` too."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true", *options],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("streamlit did not start")


def _epoch(page, path: str) -> float:
    if path == "attention":
        return float(page.evaluate(LAST_LOSS_EPOCH))
    text = page.locator('[data-testid="stMetric"]').first.inner_text()
    return float(re.sub(r"[^0-9.]", "", text.splitlines()[-1]))


UPDATES = """() => { const m = Array.from(document.querySelectorAll('[data-testid="stMetric"]'))
    .find(el => (el.querySelector('[data-testid="stMetricLabel"]') || {}).innerText === 'Updates');
    return m ? parseFloat(m.querySelector('[data-testid="stMetricValue"]').innerText.replace(/[^0-9.]/g, '')) : null; }"""


def _updates(page, per_epoch: int) -> float:
    """The page's update count: its Updates metric, or (pages without one) its loss chart's last
    epoch times the updates an epoch has."""
    shown = page.evaluate(UPDATES)
    if shown is not None:
        return shown
    epoch = page.evaluate(LAST_LOSS_EPOCH)
    return epoch * per_epoch if epoch is not None and epoch > -1e308 else 0.0


def measure_solved(browser, url: str, page_name: str, seed: int, timeout_s: float = 60.0) -> tuple[float, float | None]:
    """Seconds from the click on Start to the first trained picture and to the solved one."""
    from ffnviz.first_seconds import CRITERIA, page_default, solve
    from ffnviz.page_links import FORMS
    from ffnviz.specs.links import link_differences, with_version

    criterion = CRITERIA[page_name]
    spec = page_default(page_name, seed)
    engine = solve(spec, criterion)
    per_epoch = round(engine.updates / engine.epochs) if engine.updates else 1
    query = "&".join(f"{k}={v}" for k, v in with_version(link_differences(FORMS[criterion.form], spec)).items())
    page = browser.new_page(viewport={"width": 1600, "height": 1100})
    # The clock starts when the click leaves the browser for the server (its websocket frame), not when
    # Playwright is asked to click: its checks before a click took up to 1.5 s on a loaded machine.
    sent: list[float] = []
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.webSocketFrameSent", lambda event: sent.append(time.monotonic()))
    page.goto(f"{url}/{page_name}?{query}")
    if page_name == "optimizers":  # the race is the page's second tab
        page.get_by_role("tab", name="Race on a network").click()
    start = page.get_by_role("button", name="Start", exact=True).locator("visible=true").last
    start.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # the page settled
    asked = time.monotonic()
    start.click()
    first = solved = None
    while time.monotonic() - asked < timeout_s:
        updates = _updates(page, per_epoch)
        now = time.monotonic()
        if first is None and updates > 0:
            first = now
        if engine.updates is not None and updates >= engine.updates:
            solved = now
            break
        page.wait_for_timeout(20)
    page.close()
    clicked = next((t for t in sent if t >= asked), asked)  # the DevTools event has surely come by now
    first = first - clicked if first is not None else None
    solved = solved - clicked if solved is not None else None
    return first if first is not None else float("nan"), solved


def solved_table(url: str, seeds: tuple[int, ...], pages: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    from ffnviz.first_seconds import CRITERIA

    print("| page | criterion | first picture, s (median [min-max]) | solved, s (median [min-max]) |")
    print("| --- | --- | ---: | ---: |")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, criterion in CRITERIA.items():
            if pages and name not in pages:
                continue
            rows = [measure_solved(browser, url, name, seed) for seed in seeds]
            print(f"  {name}: {rows}", file=sys.stderr, flush=True)
            firsts = [r[0] for r in rows]
            solved = [r[1] for r in rows if r[1] is not None]

            def span(values):
                return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]" if values else "—"

            missing = len(rows) - len(solved)
            print(f"| {name} | {criterion.label} | {span(firsts)} | {span(solved)}"
                  f"{f' ({missing} not within 60 s)' if missing else ''} |")
        browser.close()


def measure_bandwidth(browser, url: str, case: str, warmup: float, seconds: float) -> float:
    """KB per second received over the websocket while the case's page trains."""
    path, _, query = case.rpartition(":")
    path = path or "playground"
    page = browser.new_page(viewport={"width": 1600, "height": 1100})
    received = [0]

    def frame(event):
        data = event["response"]["payloadData"]
        received[0] += len(data) * 3 // 4 if event["response"]["opcode"] == 2 else len(data.encode())

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.webSocketFrameReceived", frame)
    page.goto(f"{url}/{path}?{query}")
    page.get_by_role("button", name="Start", exact=True).locator("visible=true").first.click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    page.wait_for_timeout(warmup * 1000)
    before, t0 = received[0], time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    after, t1 = received[0], time.monotonic()
    page.get_by_role("button", name="Pause").click()
    page.close()
    return (after - before) / (t1 - t0) / 1024


def measure(browser, url: str, case: str, warmup: float, seconds: float) -> float:
    path, _, query = case.rpartition(":")
    path = path or "playground"
    page = browser.new_page(viewport={"width": 1600, "height": 1100})
    page.goto(f"{url}/{path}?{query}")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    page.wait_for_timeout(warmup * 1000)
    e0, t0 = _epoch(page, path), time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    e1, t1 = _epoch(page, path), time.monotonic()
    page.get_by_role("button", name="Pause").click()
    page.close()
    return (e1 - e0) / (t1 - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--solved", action="store_true", help="the first seconds: time to the first and the solved picture")
    ap.add_argument("--bandwidth", action="store_true", help="KB/s a student's tab receives while it trains")
    ap.add_argument("--pages", default="", help="with --solved: comma-separated pages (default: all)")
    args = ap.parse_args()
    if args.quick:
        args.repeats, args.warmup, args.seconds = 1, 1.0, 2.0
    from playwright.sync_api import sync_playwright

    if args.solved:
        sys.path.insert(0, str(ROOT))
        import torch

        torch.set_num_threads(1)
        proc, url = start_server()
        try:
            solved_table(url, (0,) if args.quick else (0, 1, 2, 3, 4), [p for p in args.pages.split(",") if p])
        finally:
            proc.terminate()
            proc.wait(10)
        return
    proc, url = start_server()
    rates: dict[str, list[float]] = {name: [] for name in CASES}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _ in range(args.repeats):
                for name, query in CASES.items():
                    how = measure_bandwidth if args.bandwidth else measure
                    rates[name].append(how(browser, url, query, args.warmup, args.seconds))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"Median of {args.repeats} x {args.seconds:g} s (after {args.warmup:g} s of warm-up), "
          f"one browser tab, {os.cpu_count()} CPUs.\n")
    print(f"| case | {'KB/s received' if args.bandwidth else 'epochs/s'} (median) | min | max |")
    print("| --- | ---: | ---: | ---: |")
    for name, values in rates.items():
        print(f"| {name} | {statistics.median(values):.0f} | {min(values):.0f} | {max(values):.0f} |")


if __name__ == "__main__":
    main()
