"""The process's one connection to the store (ffnviz/store), opened on first use."""

from __future__ import annotations

import logging

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ffnviz.store.classes import ClassStore
from ffnviz.store.db import open_database
from ffnviz.store.janitor import Janitor
from ffnviz.store.saved import RunStore
from ffnviz.ui.i18n import tr

log = logging.getLogger("ffnviz")


@st.cache_resource(show_spinner=False)
def _engine() -> Engine:
    return open_database()


def engine() -> Engine | None:
    """The store's engine, or None with a message on the page when the database cannot be reached."""
    try:
        return _engine()
    except (SQLAlchemyError, RuntimeError, OSError) as exc:
        log.exception("the store cannot be opened")
        st.error(tr("store_unreachable", detail=f"{type(exc).__name__}: {str(exc).splitlines()[0]}"))
        return None


@st.cache_resource(show_spinner=False, on_release=Janitor.stop)
def _janitor(url: str, _engine: Engine) -> Janitor:
    """One per server process and database: expired classes go once a minute, visited or not."""
    return Janitor(ClassStore(_engine)).start()


def class_store() -> ClassStore | None:
    found = engine()
    if found is None:
        return None
    _janitor(str(found.url), found).maybe_purge()  # throttled: a query a minute at most
    return ClassStore(found)


def run_store() -> RunStore | None:
    found = engine()
    if found is None:
        return None
    _janitor(str(found.url), found).maybe_purge()
    return RunStore(found)
