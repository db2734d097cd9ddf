"""The simulated student of benchmarks/bench_classroom.py, kept from rotting: one student, ten
seconds, against a real `streamlit run app.py`. It must find the page and its Start button in
Streamlit's protocol, train, and see the page's epoch counter move and its live charts refresh,
as a browser would."""

from __future__ import annotations

import sys

from tests.e2e.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from classroom_client import Student  # noqa: E402


def test_a_simulated_student_trains_and_sees_the_page_refresh(fresh_app_url):
    report = Student(fresh_app_url, "playground").run(10.0)
    assert report.error == ""
    assert report.connected_s > 0
    assert len(report.epochs) >= 2 and report.epochs[-1][1] > report.epochs[0][1]  # the counter moved
    assert report.refresh_hz(2.0, 10.0) >= 1.0  # the live fragment's timer, answered as a browser does
    assert report.bytes_per_s(2.0, 10.0) > 0
