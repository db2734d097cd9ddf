"""AppTest fixtures: every test starts from app.py, as a person does, and stops the runners it
started (every AppTest shares one session id, so cached resources are cleared too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ffnviz.train.remote_runner import RemoteRunner
from ffnviz.train.runner import Runner
from ffnviz.train.sweep import Sweep
from ffnviz.train.worker import Worker

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def runners_of(at: AppTest) -> list[Runner]:
    return [at.session_state[k] for k in at.session_state if isinstance(at.session_state[k], Runner)]


def _background_work(at: AppTest) -> list:
    """Everything a test may have left running: runners and races (Workers, or RemoteRunners in
    worker processes), sweeps."""
    return [at.session_state[k] for k in at.session_state
            if isinstance(at.session_state[k], Worker | RemoteRunner | Sweep)]


def charts_of(at: AppTest) -> dict[str, dict]:
    """Every chart on the page as {key: plotly figure dict}, however it was drawn (the in-place
    live component of ffnviz/ui/plot.py, or st.plotly_chart where static serving is off)."""
    charts = {}
    for el in at.get("bidi_component"):
        if el.proto.component_name == "ffnviz.plot":
            key = el.proto.id.split("-", 2)[2]  # "$$ID-<hash>-<key>"
            charts[key] = json.loads(json.loads(el.proto.json)["figure"])
    for el in at.get("plotly_chart"):
        charts[el.proto.id.split("-", 2)[2]] = json.loads(el.proto.spec)
    return charts


@pytest.fixture(autouse=True)
def in_process_training(monkeypatch):
    """AppTests test the pages: their runs train in threads of the test's process (a pool's
    processes would start again for every test, as each clears the cached resources).
    tests/app/test_workers.py trains pages through worker processes."""
    monkeypatch.setenv("FFNVIZ_WORKERS", "0")


@pytest.fixture
def app():
    made: list[AppTest] = []

    def start(page: str | None = None, query: dict[str, str] | None = None, lang: str = "en",
              deep_link: bool = False) -> AppTest:
        """app.py, then `page`; with deep_link, `page` is the first request, as a link opened on a
        fresh server is (AppTest starts every run with Streamlit's pages/ mode undecided)."""
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        if lang != "en":
            at.session_state["lang"] = lang
        if deep_link and page:
            at.switch_page(page).run()
        else:
            at.run()
            if page:
                at.switch_page(page).run()
        made.append(at)
        return at

    yield start
    for at in made:
        for work in _background_work(at):
            work.cancel() if isinstance(work, Sweep) else work.detach()
    st.cache_resource.clear()
    st.cache_data.clear()
