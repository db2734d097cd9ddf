"""The ready lessons: one button each loads a setting; the page then says what to watch."""

from __future__ import annotations

import streamlit as st

from ffnviz.lessons import LESSONS, Lesson
from ffnviz.ui.errors import safe_callback
from ffnviz.ui.i18n import tr
from ffnviz.ui.spec_state import load_into_widgets

_ACTIVE = "ffnviz.lesson::"


def _load(page: str, prefix: str, lesson: Lesson) -> None:
    load_into_widgets(page, prefix, lesson.spec)
    st.session_state[_ACTIVE + page] = lesson.key


def _close(page: str) -> None:
    st.session_state.pop(_ACTIVE + page, None)


def lesson_buttons(page: str, prefix: str, lessons: tuple[Lesson, ...] = LESSONS) -> None:
    st.markdown(f"**{tr('sec_lessons')}**")
    cols = st.columns(len(lessons))
    for col, lesson in zip(cols, lessons, strict=True):
        col.button(tr(f"lesson_{lesson.key}"), key=f"{prefix}.lesson.{lesson.key}", width="stretch",
                   on_click=safe_callback(_load, page, prefix, lesson), help=tr(f"lesson_{lesson.key}_watch"))
    active = st.session_state.get(_ACTIVE + page)
    if active:
        box, close = st.columns([12, 1], vertical_alignment="center")
        box.info(f"**{tr(f'lesson_{active}')}** — {tr(f'lesson_{active}_watch')}", icon=":material/school:")
        close.button("", key=f"{prefix}.lesson.close", icon=":material/close:", on_click=safe_callback(_close, page),
                     help=tr("help_close_lesson"))
