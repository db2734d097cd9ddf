"""The home page's lessons gallery: a card a lesson (thumbnail, title, one line), chapter by
chapter (ffnviz/gallery.py); one click opens the lesson on its page."""

from __future__ import annotations

import streamlit as st

from ffnviz.gallery import chapters, thumbnail_path
from ffnviz.ui.errors import safe_callback
from ffnviz.ui.i18n import LANG_KEY, current_lang, tr
from ffnviz.ui.lessons_panel import open_lesson

_GO = "ffnviz.gallery.go"
PER_ROW = 4  # a thumbnail stays large enough to read on a projector


def _card(key: str, page: str) -> None:
    with st.container(border=True):
        picture = thumbnail_path(key)
        if picture.exists():  # drawn by benchmarks/make_lesson_thumbnails.py, committed
            st.image(str(picture), width="stretch")
        st.markdown(f"**{tr('lesson_' + key)}**")
        st.caption(tr("gallery_" + key))
        st.button(tr("gallery_open"), key=f"home.lesson.{key}", icon=":material/school:", width="stretch",
                  help=tr("help_gallery_open"), on_click=safe_callback(_choose, key, page))


def _choose(key: str, page: str) -> None:
    open_lesson(key)
    st.session_state[_GO] = page  # st.switch_page belongs in the script run, not in a callback


def lessons_gallery() -> None:
    page = st.session_state.pop(_GO, None)
    if page is not None:
        # The language goes along in the link: a switch in the middle of a run can lose the
        # sidebar switch's state, and the next page would read the language anew (English).
        st.switch_page(page, query_params={LANG_KEY: current_lang()} if current_lang() != "en" else None)
    st.header(tr("gallery_title"))
    st.caption(tr("gallery_intro"))
    for chapter, cards in chapters():
        st.subheader(tr("chapter_" + chapter))
        for start in range(0, len(cards), PER_ROW):
            for column, card in zip(st.columns(PER_ROW), cards[start:start + PER_ROW], strict=False):
                with column:
                    _card(card.key, card.page)
