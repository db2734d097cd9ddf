"""The playground's controls. Every range comes from `ffnviz.limits`, every initial value from
the page's spec; the function returns the spec the widgets now describe."""

from __future__ import annotations

import streamlit as st

from ffnviz import limits
from ffnviz.specs import (
    ACTIVATIONS,
    DATASETS,
    DEVICES,
    INITS,
    REGULARIZERS,
    DataSpec,
    ModelSpec,
    OptimSpec,
    RegSpec,
    RunSpec,
    TrainSpec,
)
from ffnviz.train.optimizers import OPTIMIZERS
from ffnviz.ui.i18n import labeller, tr
from ffnviz.ui.spec_state import seed_widget

P = "pg"  # widget-key prefix of this page

LEARNING_RATES = limits.log_choices(limits.LEARNING_RATE)
REG_RATES = [0.0, *limits.log_choices(limits.Range(1e-4, limits.REG_RATE.hi))]


def _with(choices: list[float], value: float) -> list[float]:
    return sorted({*choices, value})


def data_controls(d: DataSpec) -> DataSpec:
    st.subheader(tr("sec_data"))
    dataset = st.selectbox(tr("w_dataset"), DATASETS, key=seed_widget(f"{P}.dataset", d.dataset),
                           format_func=labeller("ds_"), help=tr("help_dataset"))
    noise = st.slider(tr("w_noise"), int(limits.NOISE.lo * 100), int(limits.NOISE.hi * 100), step=5,
                      key=seed_widget(f"{P}.noise", int(round(d.noise * 100))), help=tr("help_noise"))
    train = st.slider(tr("w_train_ratio"), int(limits.TRAIN_FRACTION.lo * 100), int(limits.TRAIN_FRACTION.hi * 100),
                      step=10, key=seed_widget(f"{P}.train", int(round(d.train_fraction * 100))),
                      help=tr("help_train_ratio"))
    points = st.slider(tr("w_points"), int(limits.N_POINTS.lo), int(limits.N_POINTS.hi), step=50,
                       key=seed_widget(f"{P}.points", d.n_points), help=tr("help_points"))
    classes = d.n_classes
    if dataset == "spiral":
        classes = st.slider(tr("w_classes"), int(limits.N_CLASSES.lo), int(limits.N_CLASSES.hi),
                            key=seed_widget(f"{P}.classes", d.n_classes), help=tr("help_classes"))
    else:
        classes = 2
    return DataSpec(dataset, points, noise / 100, train / 100, classes, d.seed)


def model_controls(m: ModelSpec) -> ModelSpec:
    st.subheader(tr("sec_network"))
    layers = st.number_input(tr("w_layers"), int(limits.HIDDEN_LAYERS.lo), int(limits.HIDDEN_LAYERS.hi),
                             key=seed_widget(f"{P}.layers", len(m.hidden)), help=tr("help_layers"))
    hidden = []
    cols = st.columns(2)
    for i in range(int(layers)):
        default = m.hidden[i] if i < len(m.hidden) else 4
        with cols[i % 2]:
            hidden.append(int(st.number_input(tr("w_units", layer=i + 1), int(limits.UNITS.lo), int(limits.UNITS.hi),
                                              key=seed_widget(f"{P}.units.{i}", default), help=tr("help_units"))))
    activation = st.selectbox(tr("w_activation"), ACTIVATIONS, key=seed_widget(f"{P}.activation", m.activation),
                              format_func=labeller("act_"), help=tr("help_activation"))
    init = st.selectbox(tr("w_init"), INITS, key=seed_widget(f"{P}.init", m.init),
                        format_func=labeller("init_"), help=tr("help_init"))
    dropout = st.slider(tr("w_dropout"), limits.DROPOUT.lo, limits.DROPOUT.hi, step=0.05,
                        key=seed_widget(f"{P}.dropout", m.dropout), help=tr("help_dropout"))
    return ModelSpec(tuple(hidden), activation, (), init, float(round(dropout, 2)))


def optimizer_controls(o: OptimSpec, r: RegSpec) -> tuple[OptimSpec, RegSpec]:
    st.subheader(tr("sec_optimizer"))
    name = st.selectbox(tr("w_optimizer"), list(OPTIMIZERS), key=seed_widget(f"{P}.optimizer", o.name),
                        format_func=labeller("opt_"), help=tr("help_optimizer"))
    lr = st.select_slider(tr("w_lr"), _with(LEARNING_RATES, o.lr), key=seed_widget(f"{P}.lr", o.lr),
                          format_func=lambda v: f"{v:g}", help=tr("help_lr"))
    values = o.hyper_values() if name == o.name else {}
    hyper = []
    for h in OPTIMIZERS[name].hypers:
        value = st.number_input(f"{tr('hyp_' + h.name)} (${h.symbol}$)", float(h.lo), float(h.hi), step=None, format="%g",
                                key=seed_widget(f"{P}.{name}.{h.name}", float(values.get(h.name, h.default))),
                                help=tr("help_hyper"))
        if value != h.default:
            hyper.append((h.name, float(value)))
    kind = st.selectbox(tr("w_reg"), REGULARIZERS, key=seed_widget(f"{P}.reg", r.kind),
                        format_func=labeller("reg_"), help=tr("help_reg"))
    rate = r.rate
    if kind != "none":
        rate = st.select_slider(tr("w_reg_rate"), _with(REG_RATES, r.rate), key=seed_widget(f"{P}.rate", r.rate),
                                format_func=lambda v: f"{v:g}", help=tr("help_reg_rate"))
    return OptimSpec(name, float(lr), tuple(sorted(hyper))), RegSpec(kind, float(rate))


def training_controls(t: TrainSpec, n_train: int) -> TrainSpec:
    st.subheader(tr("sec_training"))
    batch = st.slider(tr("w_batch"), 1, max(2, n_train), key=seed_widget(f"{P}.batch", min(t.batch_size, n_train)),
                      help=tr("help_batch"))
    cols = st.columns(2)
    seed = cols[0].number_input(tr("w_seed"), int(limits.SEED.lo), int(limits.SEED.hi),
                                key=seed_widget(f"{P}.seed", t.seed), help=tr("help_seed"))
    device = cols[1].selectbox(tr("w_device"), DEVICES, key=seed_widget(f"{P}.device", t.device),
                               format_func=labeller("dev_"), help=tr("help_device"))
    return TrainSpec(int(seed), int(min(batch, n_train)), t.max_updates, device)


def playground_controls(spec: RunSpec) -> RunSpec:
    data = data_controls(spec.data)
    model = model_controls(spec.model)
    optim, reg = optimizer_controls(spec.optim, spec.reg)
    n_train = int(round(data.n_points * data.train_fraction))
    train = training_controls(spec.train, n_train)
    return RunSpec(data, model, optim, reg, train)


def bump_seed() -> None:
    """'New weights': the next seed, in the widget and so in the spec and the link."""
    st.session_state[f"{P}.seed"] = int(st.session_state.get(f"{P}.seed", 0)) + 1
