"""A page's spec: kept in session_state (widgets come and go with their page, so they cannot be
the source of truth) and mirrored into the page URL, so a link reproduces the run."""

from __future__ import annotations

import streamlit as st

from ffnviz.specs import RunSpec, from_flat, to_flat
from ffnviz.ui.i18n import LANG_KEY, current_lang


def _key(page: str) -> str:
    return f"ffnviz.spec::{page}"


def load_spec(page: str, default: RunSpec) -> tuple[RunSpec, list[str]]:
    """The page's spec; on the session's first visit, read from the URL. Returns the problems
    found in the URL (each says what is allowed), to show once."""
    if _key(page) in st.session_state:
        return st.session_state[_key(page)], []
    params = {k: st.query_params.get(k) for k in st.query_params}
    spec, errors = from_flat(params, base=default)
    st.session_state[_key(page)] = spec
    return spec, errors


def save_spec(page: str, spec: RunSpec, default: RunSpec) -> None:
    """Store the spec and write to the URL what differs from the page's default."""
    st.session_state[_key(page)] = spec
    base = to_flat(default)
    wanted = {k: v for k, v in to_flat(spec).items() if base.get(k) != v}
    if current_lang() != "en":
        wanted[LANG_KEY] = current_lang()
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def seed_widget(key: str, value) -> str:
    """Give a widget its value from the spec unless it already has state; returns the key."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key
