"""AppTest fixtures: every test starts from app.py, as a person does, and stops the runners it
started (every AppTest shares one session id, so cached resources are cleared too)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ffnviz.train.runner import Runner

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def runners_of(at: AppTest) -> list[Runner]:
    return [at.session_state[k] for k in at.session_state if isinstance(at.session_state[k], Runner)]


@pytest.fixture
def app():
    made: list[AppTest] = []

    def start(page: str | None = None, query: dict[str, str] | None = None, lang: str = "en") -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        if lang != "en":
            at.session_state["lang"] = lang
        at.run()
        if page:
            at.switch_page(page).run()
        made.append(at)
        return at

    yield start
    for at in made:
        for runner in runners_of(at):
            runner.detach()
    st.cache_resource.clear()
    st.cache_data.clear()
