"""The ready lessons: one button each loads a setting; the page then says what to watch. A lesson
can also be opened from another page (the home page's gallery): `open_lesson` names it, and the
page that has it loads it when it draws its buttons."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ffnviz.lessons import LESSONS, Lesson
from ffnviz.ui.errors import safe_callback
from ffnviz.ui.i18n import tr
from ffnviz.ui.spec_state import PageState

_ACTIVE = "ffnviz.lesson::"
_PENDING = "ffnviz.lesson.pending"  # a lesson to load on its page, chosen elsewhere


def open_lesson(key: str) -> None:
    """The page that has lesson `key` loads it when it is next drawn (then `st.switch_page` there)."""
    st.session_state[_PENDING] = key


def pending_in(lessons: tuple[Lesson, ...]) -> bool:
    """One of `lessons` waits to be loaded (a page with tabs opens the tab that has it)."""
    return st.session_state.get(_PENDING) in {lesson.key for lesson in lessons}


def lesson_tab(page: str, tabs: dict[str, tuple[Lesson, ...]]) -> str | None:
    """The tab (a key of `tabs`) a page with tabs opens on: the one whose lesson was opened from the
    gallery. Kept for the session, so that the tabs do not jump back once the lesson is loaded."""
    key = f"ffnviz.lesson.tab::{page}"
    for tab, lessons in tabs.items():
        if pending_in(lessons):
            st.session_state[key] = tab
    return st.session_state.get(key)


def _load(state: PageState, lesson: Lesson, on_load: Callable[[], None] | None) -> None:
    state.replace(lesson.spec)
    if on_load is not None:
        on_load()
    st.session_state[_ACTIVE + state.form.name] = lesson.key


def _close(page: str) -> None:
    st.session_state.pop(_ACTIVE + page, None)


def lesson_buttons(state: PageState, lessons: tuple[Lesson, ...] = LESSONS,
                   on_load: Callable[[], None] | None = None, with_note: bool = True,
                   per_row: int | None = None) -> None:
    """A button a lesson; `on_load` runs after a lesson's spec is loaded (a panel that keeps more
    than its spec forgets it there). `with_note=False`: the page shows lesson_note elsewhere (the
    buttons sit in the settings fold, what to watch stays in view while it trains). `per_row`: buttons
    a row (all in one row unless told; a narrow column beside the picture takes one)."""
    prefix = state.prefix
    waiting = next((lesson for lesson in lessons if lesson.key == st.session_state.get(_PENDING)), None)
    if waiting is not None:  # opened from the gallery: load it, and draw the page again from its spec
        st.session_state.pop(_PENDING)
        _load(state, waiting, on_load)
        st.rerun()
    st.markdown(f"**{tr('sec_lessons')}**")
    per_row = per_row or len(lessons)
    for i, lesson in enumerate(lessons):
        if i % per_row == 0:
            cols = st.columns(per_row) if per_row > 1 else [st.container()]
        cols[i % per_row].button(tr(f"lesson_{lesson.key}"), key=f"{prefix}.lesson.{lesson.key}", width="stretch",
                   on_click=safe_callback(_load, state, lesson, on_load), help=tr(f"lesson_{lesson.key}_watch"))
    if with_note:
        lesson_note(state)


def lesson_note(state: PageState) -> None:
    """What to watch in the lesson loaded last, with a button to close it."""
    page, prefix = state.form.name, state.prefix
    active = st.session_state.get(_ACTIVE + page)
    if active:
        box, close = st.columns([12, 1], vertical_alignment="center")
        box.info(f"**{tr(f'lesson_{active}')}** — {tr(f'lesson_{active}_watch')}", icon=":material/school:")
        close.button("", key=f"{prefix}.lesson.close", icon=":material/close:", on_click=safe_callback(_close, page),
                     help=tr("help_close_lesson"))
