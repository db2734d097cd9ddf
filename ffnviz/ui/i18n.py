"""The page's language: a switch in the shared sidebar, and `tr` for every string shown."""

from __future__ import annotations

import streamlit as st

from ffnviz.i18n import LANGUAGES, language_of, translate, translate_message
from ffnviz.specs.links import LANG_KEY  # the language is a key of every page URL


def current_lang() -> str:
    lang = st.session_state.get(LANG_KEY, "en")
    return lang if lang in LANGUAGES else "en"


def tr(key: str, **args) -> str:
    return translate(key, current_lang(), **args)


def tr_message(text: str) -> str:
    """An engine message (a bad link value, a refused setting) in the page's language."""
    return translate_message(text, current_lang())


def labeller(prefix: str):
    """A widget's format_func: translates `prefix + option` in the language of this run. The
    language is bound now, because Streamlit may call format_func outside the script run."""
    lang = current_lang()
    return lambda option: translate(prefix + str(option), lang)


def init_language() -> None:
    """On a session's first run, the language a link asks for (`?lang=zh`), else the browser's
    (st.context.locale: a Chinese browser opens in Chinese); the switch changes it after. Called
    before the page list is made, so that the navigation is in that language from the first run."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = language_of(st.query_params.get("lang"), st.context.locale)


def language_switch() -> None:
    init_language()
    st.sidebar.radio("Language · 语言", list(LANGUAGES), key=LANG_KEY, format_func=LANGUAGES.get, horizontal=True)
