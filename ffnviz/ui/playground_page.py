"""The playground page: lessons on top, controls on the left, the run and its live charts on
the right, then what happens inside the network, the formulas and the link to share."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import streamlit as st
import torch

from ffnviz.specs import UPLOAD, RunSpec
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.train.loss_trend import loss_not_falling
from ffnviz.train.regularizers import DATA_LOSS_LATEX, LOSS_LATEX
from ffnviz.train.runner import DIVERGED, Runner, Snapshot
from ffnviz.ui.charts import accuracy_figure, decision_figure, loss_figure, projector, show
from ffnviz.ui.controls import metrics_row, run_buttons, status_line
from ffnviz.ui.errors import error_boundary, show_callback_error
from ffnviz.ui.i18n import tr
from ffnviz.ui.inside_panel import inside_panel
from ffnviz.ui.lessons_panel import lesson_buttons
from ffnviz.ui.live import live_panel
from ffnviz.ui.pins import compare_with_pin, pin_buttons, pinned
from ffnviz.ui.playground_controls import PAGE, STATE, P, bump_seed, playground_controls
from ffnviz.ui.run_files import playground_files
from ffnviz.ui.runs import runner_for
from ffnviz.ui.schedule_panel import lr_chart
from ffnviz.ui.spec_state import is_hidden, view_flag
from ffnviz.ui.uploads import dataset_of
from ffnviz.viz.formulas import network_latex

# View switches: (widget key suffix, URL name, default).
VIEWS = (("show_test", False), ("discretize", False))


def _view_controls() -> dict[str, tuple[bool, bool]]:
    """The view switches, each in the URL as view.<name>; a hidden one keeps its URL value."""
    values = {}
    cols = st.columns(len(VIEWS))
    for col, (name, default) in zip(cols, VIEWS, strict=True):
        key = view_flag(f"{P}.{name}", name, default)
        if not is_hidden(name):
            col.toggle(tr(f"w_{name}"), key=key, help=tr(f"help_{name}"))
        values[name] = (bool(st.session_state[key]), default)
    return values


def _draw(snap: Snapshot, show_test: bool, discretize: bool) -> None:
    status_line(snap)
    if snap.status != DIVERGED and loss_not_falling(snap.history["train_loss"]):
        st.warning(tr("note_not_falling"), icon=":material/trending_flat:")
    metrics_row(snap, regression=snap.spec.data.problem == "regression")
    ghost = pinned(PAGE)
    columns = [st.container()] if projector() else st.columns(2)
    with columns[0]:
        if snap.grid is not None:
            show(decision_figure(snap, show_test, discretize), "pg.decision",
                 tr("cap_regression_map" if snap.spec.data.problem == "regression" else "cap_decision"))
    regression = snap.spec.data.problem == "regression"
    with columns[-1]:
        show(loss_figure(snap, ghost), "pg.loss", tr("cap_loss_regression" if regression else "cap_loss"))
        spec = snap.spec
        if spec.schedule.kind != "constant":  # the rate each update used, beside the loss
            lr_chart(snap.lr_trace, spec.schedule, spec.optim.name, spec.optim.lr, spec.train.max_updates, snap.updates,
                     "pg.chart.lr")
        if not regression:  # accuracy means nothing for a regression
            show(accuracy_figure(snap, ghost), "pg.accuracy", tr("cap_accuracy"))


def _formulas(spec: RunSpec) -> None:
    with st.expander(tr("sec_formulas"), expanded=False):
        model = spec.model
        names = [tr("act_" + model.activation_of(i)) for i in range(len(model.hidden))]
        if not names:
            st.markdown(tr("formula_no_hidden"))
        elif len(set(names)) == 1:
            st.markdown(tr("formula_layer", activation=names[0]))
        else:
            st.markdown(tr("formula_layer_each", activations=tr("list_sep").join(
                f"f{i + 1} = {name}" for i, name in enumerate(names))))
        st.latex(network_latex(model, spec.data.features))
        st.markdown(tr("formula_loss"))
        st.latex(LOSS_LATEX[spec.reg.kind])
        kind = "regression" if spec.data.problem == "regression" else "binary" if spec.data.n_classes == 2 else "multiclass"
        st.markdown(tr("formula_data_loss_" + kind))
        st.latex(DATA_LOSS_LATEX[kind])
        st.markdown(tr("formula_update", optimizer=tr("opt_" + spec.optim.name)))
        row = OPTIMIZERS[spec.optim.name]
        st.latex(row.rule)
        if row.note:
            st.caption(tr(row.note, rate=f"{spec.reg.rate:g}" if spec.reg.kind == "weight_decay" else 0))
        st.caption(tr("formula_chapter_note"))


def _share(spec: RunSpec, view: dict[str, tuple[bool, bool]], runner: Runner) -> None:
    with st.expander(tr("sec_share"), expanded=False, icon=":material/link:"):
        # The seeds and the device the run used, even where they are the defaults: what makes its
        # numbers reproducible whatever the defaults become.
        always = {"data.seed": str(spec.data.seed), "train.seed": str(spec.train.seed),
                  "train.device": runner.snapshot.device}
        st.code(STATE.share_link(PAGE, spec, view, always), language=None, wrap_lines=True)
        st.caption(tr("cap_share"))
        if spec.data.dataset == UPLOAD:
            st.warning(tr("share_upload_not_in_link"))
        if runner.snapshot.edited:
            st.warning(tr("share_edited"))


def _run_label(spec: RunSpec) -> str:
    """A pinned run's name on the charts: what a teacher changes most."""
    layers = "-".join(str(u) for u in spec.model.hidden) or "0"
    return f"{tr('opt_' + spec.optim.name)} {spec.optim.lr:g} · {tr('act_' + spec.model.activation)} · {layers}"


def _usable_here(spec: RunSpec) -> tuple[RunSpec, bool]:
    """A link made on a GPU machine, opened on one without: train on the CPU and say so."""
    if spec.train.device == "cuda" and not torch.cuda.is_available():
        return replace(spec, train=replace(spec.train, device="auto")), True
    return spec, False


def render() -> None:
    st.title(tr("pg_title"))
    st.caption(tr("pg_intro"))
    show_callback_error()
    spec, moved = _usable_here(STATE.load())
    if moved:
        st.info(tr("note_no_gpu_for_link"))
    # The controls beside the run, the lessons at their top: the charts sit on the projector's
    # first screen, under the buttons and the numbers (the view switches and pins below them).
    controls, run = st.columns([1, 2], gap="large")
    with controls, error_boundary("controls"):
        if not is_hidden("lessons"):
            lesson_buttons(STATE, per_row=1)
        chosen = playground_controls(spec).validate()
        spec = chosen
    with run, error_boundary("run"):
        top = st.container()  # the buttons and the charts; the view switches below, read first
        view = _view_controls()
        inside = view_flag(f"{P}.inside", "inside", False)  # its toggle sits below the charts
        view["inside"] = (bool(st.session_state[inside]), False)
        STATE.save(spec, view)
        runner = runner_for(PAGE, "main", spec, dataset_of(spec.data) if spec.data.dataset == UPLOAD else None)
        if compare_with_pin(PAGE, runner, spec):
            st.info(tr("note_pin_restarted"), icon=":material/push_pin:")
        per_epoch = runner.snapshot.updates_per_epoch
        with top:
            run_buttons(runner, P, per_epoch, tr("help_step", updates=per_epoch), bump_seed)
            st.caption(tr("step_label", updates=per_epoch))
            live_panel(runner, partial(_draw, show_test=view["show_test"][0], discretize=view["discretize"][0]))
            if not is_hidden("pin"):
                pin_buttons(PAGE, P, runner, _run_label(spec), spec)
        if not is_hidden("inside"):
            st.toggle(tr("w_show_inside"), key=inside, help=tr("help_show_inside"))
        if view["inside"][0]:
            inside_panel(runner, f"{P}.inside")
        _formulas(spec)
        if not is_hidden("link"):
            _share(spec, view, runner)
        if not is_hidden("files"):
            playground_files(PAGE, P, STATE, runner)
