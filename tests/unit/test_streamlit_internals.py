"""The one private piece of Streamlit that ffnviz uses, held to the shape it relies on.

`require_app_shell()` (ffnviz/ui/shell.py) reads and clears `PagesManager.uses_pages_directory`,
Streamlit's switch for its legacy `pages/` folder mode, so that a deep link on a fresh server runs
through app.py (docs/ARCHITECTURE.md, "Deviations"). A failure here means a Streamlit upgrade
changed it: the pages still render, but the first deep link on a fresh server lacks the sidebar.
tests/app/test_shell.py checks the whole behaviour with AppTest.
"""

from __future__ import annotations

import pytest
import streamlit as st

WHERE = ("ffnviz/ui/shell.py's require_app_shell() relies on it; see docs/ARCHITECTURE.md, 'Deviations', "
         "and look for the new switch in site-packages/streamlit/runtime/pages_manager.py and "
         "streamlit/commands/navigation.py")


def changed(what: str) -> str:
    return f"Streamlit {st.__version__} changed {what}: {WHERE}"


def pages_manager():
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError as e:
        pytest.fail(changed(f"where PagesManager lives (streamlit.runtime.pages_manager: {e})"))
    return PagesManager


def test_the_legacy_pages_mode_is_still_a_class_attribute_of_pages_manager():
    manager = pages_manager()
    assert "uses_pages_directory" in vars(manager), changed("PagesManager: it has no class attribute uses_pages_directory")
    assert manager.uses_pages_directory in (None, True, False), \
        changed(f"PagesManager.uses_pages_directory's type (now {manager.uses_pages_directory!r}, was bool or None)")


def test_it_is_set_from_a_pages_folder_beside_the_main_script(tmp_path, monkeypatch):
    manager = pages_manager()
    main = tmp_path / "app.py"
    main.write_text("")
    monkeypatch.setattr(manager, "uses_pages_directory", None)
    manager(str(main), setup_watcher=False)
    assert manager.uses_pages_directory is False, changed("how PagesManager decides on the pages/ mode (no pages/ folder)")
    (tmp_path / "pages").mkdir()
    monkeypatch.setattr(manager, "uses_pages_directory", None)
    manager(str(main), setup_watcher=False)
    assert manager.uses_pages_directory is True, changed("how PagesManager decides on the pages/ mode (a pages/ folder)")


def test_st_navigation_turns_it_off(monkeypatch):
    manager = pages_manager()
    monkeypatch.setattr(manager, "uses_pages_directory", True)
    st.navigation([st.Page(lambda: None, title="a page", url_path="a_page")])  # outside a script run
    assert manager.uses_pages_directory is False, \
        changed("what st.navigation does to the pages/ mode (it no longer sets PagesManager.uses_pages_directory = False)")
