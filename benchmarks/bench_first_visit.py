"""What a browser pulls from the server on its first visit: a class's first minute on the school's network.

    python benchmarks/bench_first_visit.py                   # the playground, straight from Streamlit and through nginx
    python benchmarks/bench_first_visit.py --page attention --top 12

A fresh Chromium profile (no cache) opens the page and waits for its Start button, as a student's first
visit does; the bytes are what crossed the wire (DevTools' encodedDataLength: compressed where the server
compressed), summed over every response. Two servers: `streamlit run app.py` alone, and deploy/cluster.py
(one app process behind Debian's nginx, which compresses what Streamlit sends uncompressed). Needs
Chromium at $FFNVIZ_CHROMIUM or /usr/bin/chromium, and nginx for the second row.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_live import ARGS, CHROMIUM, ROOT, start_server  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster(work: Path) -> tuple[subprocess.Popen, str]:
    """deploy/cluster.py with one app process, on free ports."""
    port, app = _free_port(), _free_port()
    proc = subprocess.Popen([sys.executable, "deploy/cluster.py", "--apps", "1", "--port", str(port), "--listen",
                             "127.0.0.1", "--first-app-port", str(app), "--workdir", str(work)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = proc.stdout.readline()
    if not line.startswith("ready:"):
        proc.kill()
        raise SystemExit(f"deploy/cluster.py did not start: {line}")
    url = f"http://127.0.0.1:{port}"
    urllib.request.urlopen(f"{url}/_stcore/health", timeout=30).close()
    return proc, url


def first_visit(browser, url: str, page_name: str) -> tuple[int, list[tuple[int, str, str]], float]:
    """(bytes, [(bytes, content encoding, url)] per response, seconds until Start showed)."""
    context = browser.new_context()  # a fresh profile: nothing cached
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls, encodings, sizes = {}, {}, {}

    def received(event):
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        urls[event["requestId"]] = event["response"]["url"]
        encodings[event["requestId"]] = headers.get("content-encoding", "-")

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    started = time.monotonic()
    page.goto(f"{url}/{page_name}")
    page.get_by_role("button", name="Start", exact=True).locator("visible=true").first.wait_for(timeout=90_000)
    shown = time.monotonic() - started
    page.wait_for_timeout(2000)  # what loads after the first screen (fonts, the charts' script)
    context.close()
    rows = sorted(((n, encodings.get(rid, "?"), urls.get(rid, "?")) for rid, n in sizes.items()), reverse=True)
    return sum(sizes.values()), rows, shown


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--page", default="playground")
    ap.add_argument("--top", type=int, default=8, help="list this many of the largest responses")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    servers = [("streamlit run app.py", start_server)]
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        servers.append(("deploy/cluster.py (nginx in front)", lambda: start_cluster(Path(tempfile.mkdtemp()))))
    else:
        print("nginx not found: the cluster's row is left out", file=sys.stderr)
    print(f"A fresh browser opens /{args.page} (Chromium, no cache), until its Start button shows.\n")
    print("| server | MB | responses | Start shown after, s |")
    print("| --- | ---: | ---: | ---: |")
    details = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, start in servers:
            proc, url = start()
            try:
                total, rows, shown = first_visit(browser, url, args.page)
            finally:
                proc.terminate()
                proc.wait(30)
            print(f"| {name} | {total / 1e6:.2f} | {len(rows)} | {shown:.1f} |")
            details.append((name, rows))
        browser.close()
    for name, rows in details:
        print(f"\nThe largest responses, {name}:\n\n| KB | encoding | path |\n| ---: | --- | --- |")
        for n, encoding, url in rows[:args.top]:
            print(f"| {n / 1e3:.0f} | {encoding} | {url.split('/', 3)[-1][:70]} |")


if __name__ == "__main__":
    main()
