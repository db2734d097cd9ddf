"""The app shell on a deep link: a fresh server's first request for /playground runs in
Streamlit's legacy pages/ mode, without app.py; require_app_shell() (ffnviz/ui/shell.py) reruns it
through app.py, so the page has the shared sidebar (docs/ARCHITECTURE.md, "Deviations")."""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager

import ffnviz.ui.shell as shell


def sidebar_of(at) -> tuple[list[str], list[str]]:
    return [r.label for r in at.sidebar.radio], [t.label for t in at.sidebar.toggle]


def test_a_deep_link_on_a_fresh_server_gets_the_shared_sidebar(app, monkeypatch):
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)  # restored afterwards
    at = app("pages/playground.py", deep_link=True)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Feedforward playground"]
    assert sidebar_of(at) == (["Language · 语言"], ["Projector mode"]), "the page ran without app.py"
    assert PagesManager.uses_pages_directory is False


def test_without_require_app_shell_streamlit_still_runs_such_a_link_without_app_py(app, monkeypatch):
    """The reason require_app_shell() exists. If this fails, Streamlit now runs a fresh server's
    deep link through app.py by itself, and require_app_shell() (and its private flag) can go."""
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)  # restored afterwards
    monkeypatch.setattr(shell, "require_app_shell", lambda: None)  # pages import it when they run
    at = app("pages/playground.py", deep_link=True)
    assert [t.value for t in at.title] == ["Feedforward playground"]
    assert sidebar_of(at) == ([], []), \
        "Streamlit ran a deep link on a fresh server through app.py without require_app_shell()"
    assert PagesManager.uses_pages_directory is True
