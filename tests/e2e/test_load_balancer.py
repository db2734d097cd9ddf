"""Past one process, for real: deploy/cluster.py starts two `streamlit run app.py` processes and
Debian's nginx in front of them (its own configuration, pid and logs in a temp dir); two students
(browser contexts, each with its own cookies) train through it. Both app processes serve someone,
and everything a student sends (the page, its websocket, an uploaded file) reaches the process
that holds their session: the one nginx's cookie pins them to.

nginx is found at $FFNVIZ_NGINX or /usr/sbin/nginx (`apt-get install -y nginx`; `.ci/run`
installs it). Locally, a missing nginx skips this test with the reason; under CI it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest

from ffnviz.data.upload import parse_csv
from ffnviz.i18n import translate
from tests.e2e.conftest import ROOT, free_port, missing

NGINX = os.environ.get("FFNVIZ_NGINX", "/usr/sbin/nginx")
SAMPLE = ROOT / "sample_data" / "binary_ring.csv"
LOG_LINE = re.compile(r'key=(?P<key>\S+) "(?P<method>\S+) (?P<path>\S+)[^"]*" (?P<status>\d+) upstream=(?P<upstream>\S+)')


@pytest.fixture
def cluster(tmp_path):
    """`python deploy/cluster.py --apps 2` on free ports: (its URL, its workdir)."""
    if not (Path(NGINX).exists() or shutil.which(NGINX)):
        missing(f"nginx not found at {NGINX}: apt-get install -y nginx")
    port, first_app = free_port(), free_port()
    while free_port() == first_app + 1:  # the second app takes first_app + 1: make sure it is free
        first_app = free_port()
    proc = subprocess.Popen(
        [sys.executable, "deploy/cluster.py", "--apps", "2", "--port", str(port), "--listen", "127.0.0.1",
         "--first-app-port", str(first_app), "--nginx", NGINX, "--workdir", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = proc.stdout.readline()  # "ready: ..." once nginx answers, or why it could not start
    if not line.startswith("ready:"):
        proc.kill()
        pytest.fail(f"deploy/cluster.py did not start: {line}{proc.stdout.read()}")
    yield f"http://127.0.0.1:{port}", tmp_path
    proc.terminate()
    proc.wait(30)
    assert proc.returncode == 0


def _epoch(page) -> float:
    text = page.locator('[data-testid="stMetric"]').first.locator('[data-testid="stMetricValue"]').inner_text()
    return float(re.sub(r"[^0-9.]", "", text) or 0)


def _wait_for(condition, seconds: float = 60.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_two_students_train_through_nginx_each_pinned_to_one_app(browser, cluster, screenshots):
    url, work = cluster
    # New students until one lands on each app process (each context has its own cookie jar,
    # so nginx gives each a new random key; 16 tries all on one app: odds 2^-15).
    students: dict[str, tuple] = {}
    spare = []
    for _ in range(16):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        response = page.goto(f"{url}/playground")
        upstream = response.headers.get("x-ffnviz-upstream")
        assert upstream, response.headers
        if upstream in students:
            spare.append(context)
            continue
        students[upstream] = (context, page)
        if len(students) == 2:
            break
    for context in spare:
        context.close()
    assert len(students) == 2, f"every new student landed on {list(students)}"

    # Streamlit's own scripts come compressed through nginx: a browser's first visit pulled ~6.7 MB.
    with urllib.request.urlopen(url) as response:
        script = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', response.read().decode()).group(1)
    with urllib.request.urlopen(urllib.request.Request(f"{url}/{script}", headers={"Accept-Encoding": "gzip"})) as response:
        assert response.headers["Content-Encoding"] == "gzip", dict(response.headers)

    # The first student uploads a CSV file, then both train.
    (a_context, a), (b_context, b) = students.values()
    # A link to a run on this file: the page asks for the file and shows its uploader.
    digest = parse_csv(SAMPLE.read_bytes(), "classification").digest
    a.goto(f"{url}/playground?data.dataset=upload&data.upload={digest}&v=3")
    # the data file's uploader, not the run file's below it (two file inputs once the page has drawn it all)
    a.get_by_label(translate("w_upload", "en"), exact=True).get_by_test_id("stFileUploaderDropzoneInput") \
        .set_input_files(str(SAMPLE))
    a.get_by_text(SAMPLE.name).first.wait_for(timeout=60_000)
    for page in (a, b):
        start = page.get_by_role("button", name="Start", exact=True).locator("visible=true").first
        start.wait_for(timeout=90_000)  # a loaded machine draws the page slowly
        start.click()
    for page in (a, b):
        assert _wait_for(lambda p=page: _epoch(p) > 0), "training did not start"
    first = {id(p): _epoch(p) for p in (a, b)}
    for page in (a, b):  # live: the epoch counter read again, seconds later, has moved
        assert _wait_for(lambda p=page: _epoch(p) > first[id(p)] + 1), "the epoch counter stood still"
    assert a.locator('[data-testid="stException"]').count() == 0
    assert b.locator('[data-testid="stException"]').count() == 0
    a.screenshot(path=str(screenshots / "load-balancer-upload.png"))
    keys = {}
    for upstream, (context, _) in students.items():
        keys[upstream] = next(c["value"] for c in context.cookies() if c["name"] == "ffnviz_backend")
        context.close()  # nginx logs a websocket when it closes

    # The access log: every request of a student went to one app, the one of their first page.
    def requests_of(key):
        lines = (work / "access.log").read_text().splitlines()
        return [m.groupdict() for m in map(LOG_LINE.search, lines) if m and m["key"] == key]

    assert _wait_for(lambda: all(any(r["path"] == "/_stcore/stream" for r in requests_of(k)) for k in keys.values()),
                     seconds=20), "no websocket in the access log"
    served = defaultdict(set)
    for upstream, key in keys.items():
        requests = requests_of(key)
        assert {r["upstream"] for r in requests} == {upstream}, requests
        served[upstream].update(r["path"].split("?")[0] for r in requests)
    a_upstream = next(iter(students))
    assert any(p.startswith("/_stcore/upload_file/") for p in served[a_upstream]), served[a_upstream]
    assert len(served) == 2  # both apps served a student
