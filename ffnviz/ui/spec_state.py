"""A page's spec: kept in session_state (widgets come and go with their page, so they cannot be
the source of truth) and mirrored into the page URL, so a link reproduces the run.

Besides the spec, the URL carries view switches (`view.<name>=1`, e.g. show test data) and a
teacher's `<control>_hide=1` parameters, which hide a control and keep its URL value."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from ffnviz.specs import RunSpec, from_flat, to_flat
from ffnviz.ui.i18n import LANG_KEY, current_lang

HIDE_SUFFIX = "_hide"
VIEW_PREFIX = "view."
TRUE = ("1", "true", "yes", "on")
# Always in a shared link, default or not: what makes the numbers reproducible.
REPRODUCING_KEYS = ("data.seed", "train.seed", "train.device")


def _key(page: str) -> str:
    return f"ffnviz.spec::{page}"


def _url() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in st.query_params}


def load_spec(page: str, default: RunSpec) -> tuple[RunSpec, list[str]]:
    """The page's spec; on the session's first visit, read from the URL. Returns the problems
    found in the URL (each says what is allowed), to show once."""
    return load_page_spec(page, lambda flat: from_flat(flat, base=default))


def load_page_spec(page: str, read_url):
    """As load_spec, for a spec of any kind: `read_url(flat)` gives (spec, problems) and never
    raises (e.g. seq_race_from_flat)."""
    if _key(page) in st.session_state:
        return st.session_state[_key(page)], []
    spec, errors = read_url(_url())
    st.session_state[_key(page)] = spec
    return spec, errors


def store_spec(page: str, spec) -> None:
    """The page's spec is now `spec` (what its widgets made)."""
    st.session_state[_key(page)] = spec


def change_spec(page: str, change) -> None:
    """Replace the stored spec by `change(spec)` (for callbacks such as "regenerate data")."""
    st.session_state[_key(page)] = change(st.session_state[_key(page)])


def is_hidden(control: str) -> bool:
    """A teacher hid this control with `<control>_hide=1` in the link."""
    return str(st.query_params.get(control + HIDE_SUFFIX, "")).lower() in TRUE


def view_flag(key: str, name: str, default: bool) -> str:
    """Seed a view switch's widget from `view.<name>` in the URL on first use; returns the key."""
    if key not in st.session_state:
        text = st.query_params.get(VIEW_PREFIX + name)
        st.session_state[key] = default if text is None else str(text).lower() in TRUE
    return key


def flat_query(flat: dict[str, str], default_flat: dict[str, str],
               view: dict[str, tuple[bool, bool]] | None = None) -> dict[str, str]:
    """What the URL says: a spec's flat form where it differs from the default's, view switches
    that differ from theirs ({name: (value, default)}), the language, and the teacher's hide
    parameters."""
    wanted = {k: v for k, v in flat.items() if default_flat.get(k) != v}
    wanted.update({VIEW_PREFIX + name: "1" if value else "0" for name, (value, off) in (view or {}).items() if value != off})
    if current_lang() != "en":
        wanted[LANG_KEY] = current_lang()
    wanted.update({k: v for k, v in _url().items() if k.endswith(HIDE_SUFFIX)})
    return wanted


def page_query(spec: RunSpec, default: RunSpec, view: dict[str, tuple[bool, bool]]) -> dict[str, str]:
    return flat_query(to_flat(spec), to_flat(default), view)


def url_values() -> dict[str, str]:
    """The page URL's parameters, as text."""
    return _url()


def write_url(wanted: dict[str, str], keep=None) -> None:
    """Make the page URL say `wanted` (only when it says something else: no needless rerender).
    Where parts of a page share its URL (the optimizer page's 2-D surfaces and race), each writes
    its own part: `keep(key)` names the other parts' keys, which stay as the URL has them (the
    language and hide parameters come from `wanted`, as flat_query makes them)."""
    if keep is not None:
        others = {k: v for k, v in _url().items() if keep(k) and k != LANG_KEY and not k.endswith(HIDE_SUFFIX)}
        wanted = {**others, **wanted}
    if _url() != wanted:
        st.query_params.from_dict(wanted)


def save_spec(page: str, spec: RunSpec, default: RunSpec, view: dict[str, tuple[bool, bool]] | None = None) -> None:
    """Store the spec and write the page's query (see page_query) into the URL."""
    st.session_state[_key(page)] = spec
    write_url(page_query(spec, default, view or {}))


def share_link(page_path: str, spec: RunSpec, default: RunSpec, view: dict[str, tuple[bool, bool]],
               device_used: str) -> str:
    """The page's link with the seeds and the device the run actually used spelled out, so it
    reproduces the run even if the defaults change."""
    query = page_query(spec, default, view)
    flat = to_flat(spec)
    query.update({k: flat[k] for k in REPRODUCING_KEYS})
    query["train.device"] = device_used
    url = urlsplit(st.context.url or "")
    origin = f"{url.scheme}://{url.netloc}" if url.scheme and url.netloc else ""
    return f"{origin}/{page_path}?{urlencode(query)}"


_SEEDED = "ffnviz.seeded_widgets"


def seed_widget(key: str, value) -> str:
    """Give a widget its value from the spec unless it already has state; returns the key."""
    if key not in st.session_state:
        st.session_state[key] = value
        st.session_state.setdefault(_SEEDED, set()).add(key)
    return key


def load_into_widgets(page: str, prefix: str, spec) -> None:
    """Make `spec` the page's spec and let every widget seeded under `prefix` take its value
    from it again (a lesson, a loaded link): their own state is forgotten."""
    st.session_state[_key(page)] = spec
    seeded = st.session_state.get(_SEEDED, set())
    for key in [k for k in seeded if k.startswith(prefix + ".")]:
        st.session_state.pop(key, None)
        seeded.discard(key)
