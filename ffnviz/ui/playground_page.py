"""The playground page: controls on the left, the run and its live charts on the right."""

from __future__ import annotations

import streamlit as st

from ffnviz.specs import RunSpec
from ffnviz.train.optimizers import OPTIMIZERS
from ffnviz.train.regularizers import LOSS_LATEX
from ffnviz.train.runner import Snapshot
from ffnviz.ui.charts import decision_figure, layer_norms_figure, loss_figure, probe_table, projector, show
from ffnviz.ui.controls import metrics_row, run_buttons, status_line
from ffnviz.ui.errors import error_boundary, show_callback_error
from ffnviz.ui.i18n import tr
from ffnviz.ui.live import SLOW_S, live_panel
from ffnviz.ui.playground_controls import bump_seed, playground_controls
from ffnviz.ui.runs import runner_for, was_rebuilt
from ffnviz.ui.spec_state import load_spec, save_spec

PAGE = "playground"
DEFAULT = RunSpec()


def _draw(snap: Snapshot) -> None:
    status_line(snap)
    metrics_row(snap)
    columns = [st.container()] if projector() else st.columns(2)
    with columns[0]:
        if snap.grid is not None:
            show(decision_figure(snap), "pg.decision", tr("cap_decision"))
    with columns[-1]:
        show(loss_figure(snap), "pg.loss", tr("cap_loss"))


def _draw_inside(snap: Snapshot) -> None:
    if not snap.probes:
        return
    show(layer_norms_figure(snap), "pg.norms", tr("cap_layer_norms"))
    st.dataframe(probe_table(snap), hide_index=True, width="stretch")
    st.caption(tr("cap_probe_table"))


def _formulas(spec: RunSpec) -> None:
    with st.expander(tr("sec_formulas"), expanded=False):
        st.markdown(tr("formula_layer", activation=tr("act_" + spec.model.activation)))
        st.latex(r"h_\ell = f(W_\ell h_{\ell-1} + b_\ell), \quad h_0 = x, \quad \hat y = W_{L} h_{L-1} + b_{L}")
        st.markdown(tr("formula_loss"))
        st.latex(LOSS_LATEX[spec.reg.kind])
        st.markdown(tr("formula_update", optimizer=tr("opt_" + spec.optim.name)))
        st.latex(OPTIMIZERS[spec.optim.name].rule)
        st.caption(tr("formula_chapter_note"))


def render() -> None:
    st.title(tr("pg_title"))
    st.caption(tr("pg_intro"))
    show_callback_error()
    spec, url_errors = load_spec(PAGE, DEFAULT)
    for message in url_errors:
        st.warning(tr("url_value_ignored", detail=message))
    controls, run = st.columns([1, 2], gap="large")
    with controls, error_boundary("controls"):
        chosen = playground_controls(spec).validate()
        save_spec(PAGE, chosen, DEFAULT)
        spec = chosen
    with run, error_boundary("run"):
        runner = runner_for(PAGE, "main", spec)
        if was_rebuilt(PAGE, "main"):
            st.info(tr("note_rebuilt"))
        per_epoch = runner.snapshot.updates_per_epoch
        run_buttons(runner, "pg", per_epoch, tr("help_step", updates=per_epoch), bump_seed)
        st.caption(tr("step_label", updates=per_epoch))
        live_panel(runner, _draw)
        with st.expander(tr("sec_inside"), expanded=False):
            live_panel(runner, _draw_inside, every=SLOW_S)
        _formulas(spec)
