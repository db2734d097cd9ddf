"""Real-browser tests: Playwright drives Debian's Chromium against `streamlit run app.py` on a
free localhost port.

Chromium is found at $FFNVIZ_CHROMIUM or /usr/bin/chromium (`apt-get install -y chromium`;
`.ci/run` installs it). Locally, a missing browser skips these tests with the reason; under CI
(CI=true) it fails them instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("FFNVIZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("FFNVIZ_SCREENSHOTS", Path(tempfile.gettempdir()) / "ffnviz-screenshots"))


def missing(reason: str):
    """Skip for a missing tool, with the reason; under CI (CI=true) fail instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (under CI the browser tests must run: .ci/run installs chromium)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server():
    """`streamlit run app.py` on a free localhost port; its URL once it answers."""
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / f"ffnviz-streamlit-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited early; see {log.name}")
    else:
        proc.kill()
        pytest.fail(f"streamlit did not answer within 60 s; see {log.name}")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url():
    with streamlit_server() as url:
        yield url


@pytest.fixture
def fresh_app_url():
    """A server of its own, which no page has visited yet (Streamlit decides on its legacy pages/
    mode at the first request)."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is missing: pip install -r requirements-dev.txt")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
