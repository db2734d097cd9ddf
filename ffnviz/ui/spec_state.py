"""A page's spec in the session and in the page URL: the one way every page keeps its state.

A `PageState` is one page's (or one part of a page's) spec. On the session's first visit it is
read from the link, against the defaults the link's version knew (ffnviz/specs/links.py); the
link's bad values are shown once, as warnings. After that it lives in session_state (widgets come
and go with their page, so they cannot be the source of truth). Widgets are seeded from it
(`widget`), the page builds the new spec from them and `save`s it, which writes its differences
from the default into the URL, so that a link reproduces the run.

Besides the spec, the URL carries view switches (`view.<name>=1`, e.g. show test data), the
language, and a teacher's `<control>_hide=1` parameters, which hide a control and keep its URL
value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st

from ffnviz import limits
from ffnviz.specs.links import HIDE_SUFFIX, VIEW_PREFIX, LinkForm, is_spec_key, link_differences, read_link, with_version
from ffnviz.ui.i18n import LANG_KEY, current_lang, tr, tr_message

TRUE = ("1", "true", "yes", "on")
_SEEDED = "ffnviz.seeded_widgets"


def url_values() -> dict[str, str]:
    """The page URL's parameters, as text."""
    return {k: st.query_params.get(k) for k in st.query_params}


def is_hidden(control: str) -> bool:
    """A teacher hid this control with `<control>_hide=1` in the link."""
    return str(st.query_params.get(control + HIDE_SUFFIX, "")).lower() in TRUE


def hidden_section(*locks: str) -> bool:
    """A challenge's link hid this section of a page's controls (`<lock>_hide=1` for any of
    `locks`, ffnviz/store/challenge.py): the section keeps the link's settings, undrawn."""
    return any(is_hidden(lock) for lock in locks)


def view_flag(key: str, name: str, default: bool) -> str:
    """Seed a view switch's widget from `view.<name>` in the URL on first use; returns the key."""
    if key not in st.session_state:
        text = st.query_params.get(VIEW_PREFIX + name)
        st.session_state[key] = default if text is None else str(text).lower() in TRUE
    return key


def seed_widget(key: str, value) -> str:
    """Give a widget its value from the spec unless it already has state; returns the key."""
    if key not in st.session_state:
        st.session_state[key] = value
        st.session_state.setdefault(_SEEDED, set()).add(key)
    return key


def keep_in_range(key: str, lo, hi) -> str:
    """A seeded slider's key whose range (lo..hi) follows other widgets: its value, clamped, is
    written again before the slider is drawn, since Streamlit makes a slider whose range changed a
    new one at its minimum (a batch size of 10 became 1 when the training set shrank). Returns the key."""
    if key in st.session_state:
        st.session_state[key] = type(st.session_state[key])(min(max(st.session_state[key], lo), hi))
    return key


def forget_widgets(prefix: str) -> None:
    """Every widget seeded under `prefix` takes its value from the spec again (its own state goes)."""
    seeded = st.session_state.get(_SEEDED, set())
    for key in [k for k in seeded if k.startswith(prefix + ".")]:
        st.session_state.pop(key, None)
        seeded.discard(key)


class PageState:
    """One page's (or URL part's) spec: `form` says how it lives in the URL, `prefix` names the
    page's widget keys ("pg" gives "pg.lr"). `opening()` is the spec of a page opened without
    spec keys (default: the form's default); `fit(spec, messages)` makes a link's spec one the
    page can show, adding a message for what it changed."""

    def __init__(self, form: LinkForm, prefix: str, opening: Callable[[], Any] | None = None,
                 fit: Callable[[Any, list[str]], Any] | None = None):
        self.form, self.prefix = form, prefix
        self._opening, self._fit = opening, fit
        self._key = f"ffnviz.spec::{form.name}"

    @property
    def spec(self):
        return st.session_state[self._key]

    def load(self):
        """The page's spec; on the session's first visit, read from the URL (its problems shown
        once, each saying what is allowed)."""
        if self._key not in st.session_state:
            flat = url_values()
            spec, messages = read_link(self.form, flat)
            if self._opening is not None and not self.form.own(flat):
                spec = self._opening()
            if self._fit is not None:
                spec = self._fit(spec, messages)
            st.session_state[self._key] = spec
            for message in messages:
                st.warning(tr("url_value_ignored", detail=tr_message(message)))
        return st.session_state[self._key]

    def widget(self, name: str, value) -> str:
        """A widget's key under the page, seeded with `value` from the spec on first use (and
        after `replace`)."""
        return seed_widget(f"{self.prefix}.{name}", value)

    def store(self, spec) -> None:
        """The page's spec is now `spec` (what its widgets made); the URL is not written."""
        st.session_state[self._key] = spec

    def change(self, change: Callable[[Any], Any]) -> None:
        """Replace the spec by `change(spec)` (for callbacks such as "regenerate data")."""
        st.session_state[self._key] = change(st.session_state[self._key])

    def replace(self, spec) -> None:
        """Make `spec` the page's spec and let every widget take its value from it again (a
        lesson, a loaded link)."""
        st.session_state[self._key] = spec
        forget_widgets(self.prefix)

    def query(self, spec, view: dict[str, tuple[bool, bool]] | None = None, default_flat=None) -> dict[str, str]:
        """What the URL says of `spec`: its differences from the default (or `default_flat`), view
        switches that differ from theirs ({name: (value, default)}), the language, the version and
        the teacher's hide parameters."""
        wanted = link_differences(self.form, spec, default_flat)
        wanted.update({VIEW_PREFIX + n: "1" if on else "0" for n, (on, off) in (view or {}).items() if on != off})
        if current_lang() != "en":
            wanted[LANG_KEY] = current_lang()
        wanted.update({k: v for k, v in url_values().items() if k.endswith(HIDE_SUFFIX)})
        return wanted

    def save(self, spec, view: dict[str, tuple[bool, bool]] | None = None, default_flat=None) -> None:
        """Store the spec and make the page URL say it (see `query`). The other parts of the page's
        URL (the optimizer page's 2-D surfaces beside its race) stay as they are."""
        self.store(spec)
        now = url_values()
        others = {k: v for k, v in now.items() if is_spec_key(k) and not self.form.owns(k)}
        wanted = with_version({**others, **self.query(spec, view, default_flat)})
        if now != wanted:
            st.query_params.from_dict(wanted)

    def bump_seed(self) -> None:
        """'New weights': the next training seed, in the seed widget (when shown), the spec and
        the link (a spec with a `train` section)."""
        key = f"{self.prefix}.seed"
        seed = limits.next_seed(st.session_state.get(key, self.spec.train.seed))
        self.change(lambda spec: replace(spec, train=replace(spec.train, seed=seed)))
        if key in st.session_state:
            st.session_state[key] = seed

    def share_link(self, page_path: str, spec, view: dict[str, tuple[bool, bool]], always: dict[str, str]) -> str:
        """The page's link for `spec`, with `always` spelled out even where it is the default (the
        seeds and the device a run used: what makes its numbers reproducible)."""
        query = with_version({**self.query(spec, view), **always})
        url = urlsplit(st.context.url or "")
        origin = f"{url.scheme}://{url.netloc}" if url.scheme and url.netloc else ""
        return f"{origin}/{page_path}?{urlencode(query)}"
