"""Runs that last: on every page, the curves (CSV) and the spec (JSON) to download; on the
playground and the optimizer race, a run saved to a file (safetensors) or to the store, and
loaded again. A file that cannot be loaded is a message, and the current run stays as it was."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ffnviz.store.exports import curves_csv, spec_json
from ffnviz.store.runfile import RunFileError, has_state, playground_file, race_file, read_playground, read_race
from ffnviz.train.worker import Worker
from ffnviz.ui.errors import safe_callback
from ffnviz.ui.i18n import tr
from ffnviz.ui.pins import pin_history
from ffnviz.ui.spec_state import PageState
from ffnviz.ui.store_access import run_store

_MESSAGE = "ffnviz.runfile_message"
_PENDING = "ffnviz.runfile_pending"  # a run another page asked the playground to open (the class wall)


def downloads(runner: Worker, form: str, key: str) -> None:
    """The run's curves and spec, made when the button is pressed (from the snapshot then)."""
    left, right = st.columns(2)
    left.download_button(tr("btn_curves_csv"), data=lambda: curves_csv(runner.snapshot), file_name=f"ffnviz-{form}-curves.csv",
                         mime="text/csv", key=f"{key}.curves_csv", on_click="ignore", icon=":material/download:",
                         width="stretch", help=tr("help_curves_csv"))
    right.download_button(tr("btn_spec_json"), data=lambda: spec_json(form, runner.snapshot.spec),
                          file_name=f"ffnviz-{form}-spec.json", mime="application/json", key=f"{key}.spec_json",
                          on_click="ignore", icon=":material/data_object:", width="stretch", help=tr("help_spec_json"))


def _say(kind: str, key: str, **args) -> None:
    st.session_state[_MESSAGE] = (kind, key, args)


def _refused(error: RunFileError) -> None:
    _say("error", error.key, **error.args_)


def _load_playground(page: str, state: PageState, runner, data: bytes, label: str) -> None:
    """Check everything first; only a file that passes touches the run."""
    try:
        run = read_playground(data)
    except RunFileError as error:
        _refused(error)
        return
    runner.pause()
    runner.update_spec(run.spec)
    for i, (w, b) in enumerate(zip(*run.layers(), strict=True)):
        runner.set_layer(i, w, b)
    state.replace(run.spec)
    pin_history(page, label or tr("saved_run"), run.history())
    _say("success", "runfile_loaded", updates=run.updates)


def _load_race(state: PageState, form: str, runner, data: bytes, shown: Callable[[], None] | None) -> None:
    """Check everything first (read_race); then the race takes the file's spec and, inside the
    process that trains it, every contestant's weights, curves and counters (RaceRunner.restore).
    `shown`: what makes the page's widgets follow the stored spec (the race's table of contestants),
    so that the next run does not rebuild the race from the widgets' old values."""
    try:
        run = read_race(data, form)
    except RunFileError as error:
        _refused(error)
        return
    runner.pause()
    runner.update_spec(run.spec)
    state.replace(run.spec)
    if shown is not None:
        shown()
    if not has_state(run):  # a file saved before races kept their weights
        _say("info", "runfile_race_settings_only")
        return
    try:
        runner.restore(run.tensors)  # it reads the state's names; the drawn curves beside them are for other readers
    except ValueError as error:  # read_race checked what it can; a worker's refusal is still a message
        _say("error", "runfile_race_not_loaded", detail=str(error))
        return
    _say("success", "runfile_race_loaded", updates=f"{run.updates:,}")


def _race_file(form: str, runner) -> bytes:
    """The race as a file: its snapshot's curves and, from the process that trains it, its state."""
    return race_file(form, runner.snapshot, runner.state())


def _uploaded(key: str, load: Callable[[bytes, str], None]) -> None:
    file = st.session_state.get(key)
    if file is not None:
        load(file.getvalue(), file.name)


def _from_store(key: str, load: Callable[[bytes, str], None]) -> None:
    code = str(st.session_state.get(key, "")).strip()
    store = run_store()
    data = store.load(code) if (store and code) else None
    if data is None:
        _say("error", "runfile_no_such_code", code=code)
    else:
        load(data, code)


def _to_store(page: str, make: Callable[[], bytes]) -> None:
    store = run_store()
    if store is not None:
        _say("success", "runfile_saved", code=store.save(page, make()))


def _panel(page: str, key: str, make: Callable[[], bytes], load: Callable[[bytes, str], None]) -> None:
    message = st.session_state.pop(_MESSAGE, None)
    if message:  # above the expander: seen whether it is open or not
        kind, text_key, args = message
        getattr(st, kind)(tr(text_key, **args))
    with st.expander(tr("sec_save_run"), expanded=False, icon=":material/save:"):
        st.caption(tr("cap_save_run"))
        left, right = st.columns(2)
        left.download_button(tr("btn_save_file"), data=make, file_name=f"ffnviz-{page}.safetensors",
                             mime="application/octet-stream", key=f"{key}.save_file", on_click="ignore",
                             icon=":material/download:", width="stretch")
        right.button(tr("btn_save_store"), key=f"{key}.save_store", icon=":material/cloud_upload:", width="stretch",
                     on_click=safe_callback(_to_store, page, make), help=tr("help_save_store"))
        st.file_uploader(tr("w_load_file"), type=None, key=f"{key}.load_file", help=tr("help_load_file"),
                         on_change=safe_callback(_uploaded, f"{key}.load_file", load))
        code, button = st.columns([3, 1], vertical_alignment="bottom")
        code.text_input(tr("w_saved_code"), key=f"{key}.saved_code", max_chars=12)
        button.button(tr("btn_load_code"), key=f"{key}.load_code", width="stretch",
                      on_click=safe_callback(_from_store, f"{key}.saved_code", load))


def open_run(data: bytes, label: str) -> None:
    """Ask the playground to open this run file when it is next shown."""
    st.session_state[_PENDING] = (data, label)


def playground_files(page: str, key: str, state: PageState, runner) -> None:
    pending = st.session_state.pop(_PENDING, None)
    if pending is not None:
        _load_playground(page, state, runner, *pending)
        st.rerun()  # the controls take the run's settings
    _panel(page, key, lambda: playground_file(runner.snapshot),
           lambda data, label: _load_playground(page, state, runner, data, label))
    downloads(runner, state.form.name, key)


def race_files(page: str, key: str, state: PageState, runner, shown: Callable[[], None] | None = None) -> None:
    form = state.form.name
    _panel(page, key, lambda: _race_file(form, runner), lambda data, label: _load_race(state, form, runner, data, shown))
    downloads(runner, form, key)
