"""The deep-networks page's controls: data, network, training, schedule and early stopping. Every
range comes from ffnviz.limits, every initial value from the page's spec; `deep_controls`
returns the spec the widgets now describe (perhaps one the page must refuse: see
`refusal`)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ffnviz import limits
from ffnviz.data.features import LABELS as FEATURE_LABELS
from ffnviz.page_links import DEEP
from ffnviz.specs import ACTIVATIONS, FEATURES, MULTICLASS_DATASETS, TrainSpec
from ffnviz.specs.deep import DEEP_DATASETS, DEEP_INITS, DIGITS, NORMS, DeepDataSpec, DeepModelSpec, DeepRunSpec
from ffnviz.specs.schedule import StopSpec
from ffnviz.ui.i18n import labeller, tr
from ffnviz.ui.optimizer_widgets import optimizer_widgets, regularizer_widgets, with_value
from ffnviz.ui.schedule_panel import schedule_refusal, schedule_widgets
from ffnviz.ui.spec_state import PageState, hidden_section

PAGE = "deep"
STATE = PageState(DEEP, "dp")
P = STATE.prefix

WIDTHS = (8, 16, 32, 64, 128, 256)
BATCHES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
BUDGETS = (100, 200, 500, 1000, 2000, 3000, 5000, 10_000, 20_000, 50_000)
SCALES = limits.log_choices(limits.INIT_SCALE)


def _number(value) -> str:
    return f"{value:g}"


def _data(d: DeepDataSpec) -> DeepDataSpec:
    dataset = st.selectbox(tr("w_dataset"), DEEP_DATASETS, key=STATE.widget("dataset", d.dataset),
                           format_func=labeller("ds_"))
    if dataset == DIGITS:
        return replace(d, dataset=dataset, n_classes=2)
    noise = st.slider(tr("w_noise"), 0, int(limits.NOISE.hi * 100), key=STATE.widget("noise", int(round(d.noise * 100))),
                      format="%d%%")
    features = st.pills(tr("w_features"), FEATURES, selection_mode="multi", format_func=FEATURE_LABELS.get,
                        key=STATE.widget("features", list(d.features)), help=tr("help_features")) or d.features
    classes = d.n_classes if dataset in MULTICLASS_DATASETS else 2
    return replace(d, dataset=dataset, noise=round(noise / 100, 2), features=tuple(features), n_classes=classes)


def _network(m: DeepModelSpec) -> DeepModelSpec:
    depth = st.slider(tr("dp_w_depth"), int(limits.DEEP_DEPTH.lo), int(limits.DEEP_DEPTH.hi),
                      key=STATE.widget("depth", m.depth), help=tr("dp_help_depth"))
    width = st.select_slider(tr("dp_w_width"), with_value(WIDTHS, m.width), key=STATE.widget("width", m.width),
                             help=tr("dp_help_width"))
    left, right = st.columns(2)
    activation = left.selectbox(tr("w_activation"), ACTIVATIONS, key=STATE.widget("activation", m.activation),
                                format_func=labeller("act_"))
    init = right.selectbox(tr("w_init"), DEEP_INITS, key=STATE.widget("init", m.init), format_func=labeller("init_"),
                           help=tr("dp_help_init"))
    scale = m.init_scale
    if init in ("normal", "constant"):
        scale = st.select_slider(tr("dp_w_scale"), with_value(SCALES, m.init_scale), key=STATE.widget("scale", m.init_scale),
                                 format_func=_number, help=tr("dp_help_scale"))
    left, right = st.columns(2)
    norm = left.selectbox(tr("dp_w_norm"), NORMS, key=STATE.widget("norm", m.norm), format_func=labeller("norm_"),
                          help=tr("dp_help_norm"))
    dropout = right.slider(tr("w_dropout"), float(limits.DEEP_DROPOUT.lo), float(limits.DEEP_DROPOUT.hi), step=0.05,
                           key=STATE.widget("dropout", m.dropout))
    residual = st.toggle(tr("w_residual"), key=STATE.widget("residual", m.residual), help=tr("dp_help_residual"))
    return DeepModelSpec(int(depth), int(width), activation, init, float(scale), norm, bool(residual), float(dropout))


def _stop(s: StopSpec) -> StopSpec:
    enabled = st.toggle(tr("dp_w_stop"), key=STATE.widget("stop", s.enabled), help=tr("dp_help_stop"))
    if not enabled:
        return replace(s, enabled=False)
    val = st.slider(tr("dp_w_val"), int(limits.VALIDATION_FRACTION.lo * 100), int(limits.VALIDATION_FRACTION.hi * 100),
                    step=5, key=STATE.widget("val", int(round(s.val_fraction * 100))), format="%d%%")
    left, right = st.columns(2)
    patience = left.number_input(tr("dp_w_patience"), int(limits.PATIENCE.lo), int(limits.PATIENCE.hi),
                                 key=STATE.widget("patience", s.patience))
    restore = right.toggle(tr("dp_w_restore"), key=STATE.widget("restore", s.restore), help=tr("dp_help_restore"))
    return StopSpec(True, round(val / 100, 2), int(patience), bool(restore))


def _training(spec: DeepRunSpec) -> tuple:
    """The optimizer, regularizer, batch, budget and seed; the parts a challenge hides keep the link's."""
    optim, reg, t = spec.optim, spec.reg, spec.train
    batch, budget, seed = t.batch_size, t.max_updates, t.seed
    if not hidden_section("optimizer"):
        optim = optimizer_widgets(STATE.widget, spec.optim)
        reg = regularizer_widgets(STATE.widget, spec.reg)
    left, right = st.columns(2)
    if not hidden_section("training"):
        batch = left.select_slider(tr("w_batch"), with_value(BATCHES, t.batch_size),
                                   key=STATE.widget("batch", t.batch_size), help=tr("help_batch"))
    budget = right.select_slider(tr("dp_w_budget"), with_value(BUDGETS, t.max_updates),
                                 key=STATE.widget("budget", t.max_updates), help=tr("dp_help_budget"))
    if not hidden_section("training"):
        seed = st.number_input(tr("w_seed"), int(limits.SEED.lo), int(limits.SEED.hi),
                               key=STATE.widget("seed", t.seed), help=tr("help_seed"))
    return optim, reg, TrainSpec(seed=int(seed), batch_size=int(batch), max_updates=int(budget), device=t.device)


def deep_controls(spec: DeepRunSpec) -> DeepRunSpec:
    """The page's controls; a section a challenge's link hides (`<lock>_hide=1`) keeps the link's settings."""
    model, schedule, stop, data = spec.model, spec.schedule, spec.stop, spec.data
    if not hidden_section("network"):
        with st.expander(tr("dp_sec_network"), expanded=True):
            model = _network(spec.model)
    with st.expander(tr("dp_sec_training"), expanded=True):
        optim, reg, train = _training(spec)
    if not hidden_section("optimizer"):
        with st.expander(tr("dp_sec_schedule"), expanded=True):
            schedule = schedule_widgets(STATE.widget, spec.schedule)
        with st.expander(tr("dp_sec_stop"), expanded=spec.stop.enabled):
            stop = _stop(spec.stop)
    if not hidden_section("data"):
        with st.expander(tr("dp_sec_data"), expanded=False):
            data = _data(spec.data)
    return DeepRunSpec(data, model, optim, reg, train, schedule, stop)


def refusal(spec: DeepRunSpec) -> str | None:
    """Why the page cannot run `spec`, in the reader's language; None when it can."""
    found = spec.problems()
    if not found:
        return None
    m, t = spec.model, spec.train
    work = spec.parameters * t.batch_size if not spec.model.problems() and not spec.data.problems() else 0
    if work > limits.DEEP_WORK:
        return tr("dp_over_cap", depth=m.depth, width=m.width, params=spec.parameters, batch=t.batch_size, work=work,
                  cap=limits.DEEP_WORK)
    if m.norm == "batch" and t.batch_size < 2:
        return tr("dp_bn_batch_one")
    return schedule_refusal(spec.schedule, t.max_updates) or tr("dp_refused", detail=found[0][1])
