"""Runners for pages: the run's state in session_state, its thread in a session-scoped resource.

A single run (the playground's `Runner`) or a race (`RaceRunner`: every other page) is keyed by
the page and a slot, never by spec: changing the learning rate must not build a new runner; the
runner applies the change, or starts over and the page says so. Streamlit releases the session's
resources within seconds of the tab going away, and `on_release` stops the thread; the run's state
stays for a later rerun to attach again (a session that reconnects within Streamlit's session TTL).
A run in a worker ends there once that TTL has passed (Pool.retire_later): Streamlit itself drops a
forgotten session only at its next write to the session store, which can be the next class's.

By default (ffnviz/train/pool.py; FFNVIZ_WORKERS=0 turns it off) the run lives in a worker process
and the page holds a RemoteRunner with the same methods; its "thread" is then the worker's. The
learning-rate sweep (ui/sweep_panel.py) trains in the same pool (`training_pool`).
"""

from __future__ import annotations

import threading
from functools import partial

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ffnviz.data import Dataset
from ffnviz.specs import RunSpec
from ffnviz.train.pool import Pool, workers_setting
from ffnviz.train.race_runner import RaceRunner
from ffnviz.train.remote_runner import RemoteRunner
from ffnviz.train.runner import Runner
from ffnviz.train.worker import Worker
from ffnviz.ui.i18n import tr

# A run whose page went away ends in its worker this long after Streamlit forgets the page's session
# (Pool.retire_later): a session can come back (a network blip) until its TTL has passed, not after.
RETIRE_MARGIN_S = 2.0


@st.cache_resource(show_spinner=False)
def _pool(workers: int) -> Pool:
    """The server's one pool of training processes, started when the first page opens (in a class,
    the teacher's), in the background."""
    pool = Pool(workers, retire_s=float(st.get_option("server.disconnectedSessionTTL")) + RETIRE_MARGIN_S)
    pool.start_all()
    return pool


def start_pool() -> None:
    """Start the server's training processes now (the app shell calls it on every page: cached)."""
    workers = workers_setting()
    if workers:
        _pool(workers)


def training_pool() -> Pool | None:
    """The server's pool of training processes, or None where runs train in threads of the server
    (FFNVIZ_WORKERS=0). The learning-rate sweep takes it too."""
    workers = workers_setting()
    return _pool(workers) if workers else None


def _maker(runner_class: type[Worker]):
    """How this server builds a run of `runner_class`: in its own process, or in a worker's."""
    pool = training_pool()
    return runner_class if pool is None else partial(RemoteRunner, runner_class, pool=pool)


def release_run(worker: Worker | RemoteRunner) -> None:
    """A session ended (Streamlit calls this on its event loop, which serves every websocket of the
    server). A run in a worker is detached from a thread of its own: the round trip waits for the
    worker's current chunk of training, and every student's page would wait with it."""
    if isinstance(worker, RemoteRunner):
        threading.Thread(target=worker.detach, name="ffnviz-detach", daemon=True).start()
    else:
        worker.detach()


@st.cache_resource(scope="session", on_release=release_run, show_spinner=False, max_entries=16)
def _thread_for(key: str, _worker: Worker | RemoteRunner) -> Worker | RemoteRunner:
    _worker.attach()
    return _worker


def session_group() -> str | None:
    """This browser session, as the server's cap counts a session's runs (FFNVIZ_MAX_SESSION_MODELS)."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def _attached(key: str, make, spec, dataset):
    """The session's worker under `key`, made by `make(spec, dataset)` on first use, else brought up
    to date with `spec` (a note when that started it over); its thread (re)attached."""
    worker = st.session_state.get(key)
    if worker is None:
        worker = st.session_state[key] = make(spec, dataset=dataset)
        worker.cap_group = session_group()
    elif worker.update_spec(spec, dataset):
        st.info(tr("note_rebuilt"))
    _thread_for(key, worker).attach()  # attach() again: idempotent, revives a stopped thread
    return worker


def runner_for(page: str, slot: str, spec: RunSpec, dataset: Dataset | None = None, make: type[Runner] = Runner) -> Runner:
    """The page's run, brought up to date with `spec` (raises ValueError on a spec it cannot
    run). `dataset`: the points of spec.data when they cannot be generated (an upload). `make`:
    the Runner's class (the deep-networks page's DeepRunner)."""
    return _attached(f"ffnviz.runner::{page}::{slot}", _maker(make), spec, dataset)


def race_runner_for(key: str, spec, dataset=None) -> RaceRunner:
    """The session's race under `key`, brought up to date with `spec` (a RaceSpec, SeqRaceSpec,
    ConvRaceSpec or TextRaceSpec) and `dataset` (data a spec cannot make: an upload)."""
    return _attached(f"ffnviz.race::{key}", _maker(RaceRunner), spec, dataset)
