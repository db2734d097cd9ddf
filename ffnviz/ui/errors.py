"""Errors become messages that say what to change; Streamlit's exception box never shows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

from ffnviz.ui.i18n import tr, tr_message

log = logging.getLogger("ffnviz")
_CALLBACK_ERROR = "ffnviz.callback_error"


@contextmanager
def error_boundary(where: str) -> Iterator[None]:
    """Run a page section; an unexpected error is logged and shown as st.error, and the rest
    of the page goes on. (Streamlit's rerun/stop signals are BaseExceptions and pass through.)"""
    try:
        yield
    except ValueError as exc:  # the engine's "what is wrong and what is allowed"
        st.error(tr("error_invalid", detail=tr_message(str(exc))))
    except Exception as exc:
        log.exception("error in %s", where)
        st.error(tr("error_unexpected", where=tr("where_" + where), detail=f"{type(exc).__name__}: {exc}"))


def safe_callback(fn: Callable, *args) -> Callable[[], None]:
    """A widget callback that keeps its error for the page to show after the rerun."""

    def run() -> None:
        try:
            fn(*args)
        except Exception as exc:
            log.exception("error in a button callback")
            st.session_state[_CALLBACK_ERROR] = f"{type(exc).__name__}: {exc}"

    return run


def show_callback_error() -> None:
    detail = st.session_state.pop(_CALLBACK_ERROR, None)
    if detail:
        st.error(tr("error_unexpected", where=tr("where_button"), detail=detail))
