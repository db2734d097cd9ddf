"""The playground's controls. Every range comes from `ffnviz.limits`, every initial value from
the page's spec; the function returns the spec the widgets now describe.

A teacher can hide any control with `<name>_hide=1` in the link (TensorFlow Playground's
convention); a hidden control keeps the value the spec (and so the link) gives it. The names
are the keys of CONTROLS."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ffnviz import limits
from ffnviz.data import spec_for_upload
from ffnviz.data.features import LABELS as FEATURE_LABELS
from ffnviz.data.upload import Upload
from ffnviz.page_links import PLAYGROUND
from ffnviz.specs import (
    ACTIVATIONS,
    CLASSIFICATION_DATASETS,
    DEVICES,
    FEATURES,
    INITS,
    MULTICLASS_DATASETS,
    PROBLEMS,
    REGRESSION_DATASETS,
    UPLOAD,
    DataSpec,
    ModelSpec,
    OptimSpec,
    RegSpec,
    RunSpec,
    TrainSpec,
)
from ffnviz.specs.schedule import ScheduleSpec
from ffnviz.ui.errors import safe_callback
from ffnviz.ui.i18n import labeller, tr
from ffnviz.ui.optimizer_widgets import optimizer_widgets, regularizer_widgets
from ffnviz.ui.schedule_panel import budget_widget, schedule_refusal, schedule_widgets
from ffnviz.ui.spec_state import PageState, is_hidden, keep_in_range
from ffnviz.ui.uploads import SAMPLE_FILES, describe, known_upload, read, sample_bytes, upload_help, uploaded_bytes

PAGE = "playground"  # its path
STATE = PageState(PLAYGROUND, "pg")
P = STATE.prefix  # the page's widget keys start "pg."

# The controls a link can hide with <name>_hide=1, and what each is.
CONTROLS = ("problem", "dataset", "noise", "train", "points", "classes", "regenerate", "features", "layers", "units",
            "activation", "init", "dropout", "optimizer", "lr", "hyper", "reg", "rate", "batch", "seed", "device",
            "schedule", "show_test", "discretize", "inside", "lessons", "link", "pin")

def _regenerate() -> None:
    STATE.change(lambda spec: replace(spec, data=replace(spec.data, seed=limits.next_seed(spec.data.seed, limits.DATA_SEED))))


def _problem_changed() -> None:
    """Another problem: the data set moves to the first one that fits it."""
    if f"{P}.dataset" in st.session_state:
        st.session_state[f"{P}.dataset"] = datasets_for(st.session_state[f"{P}.problem"])[0]


def datasets_for(problem: str) -> tuple[str, ...]:
    return (*(CLASSIFICATION_DATASETS if problem == "classification" else REGRESSION_DATASETS), UPLOAD)


def _fitting(d: DataSpec, problem: str) -> DataSpec:
    """`d` if it fits `problem`, else the first generated data set that does."""
    if d.problem == problem and (d.dataset != UPLOAD or known_upload(d.upload)):
        return d
    return replace(d, dataset=datasets_for(problem)[0], problem=problem, upload="", n_classes=2, noise=0.0,
                   n_points=max(d.n_points, int(limits.N_POINTS.lo)))


def _upload_controls(d: DataSpec, problem: str) -> Upload | None:
    """The file uploader and the example files; the usable upload, or None (the page keeps the
    previous data and says why)."""
    file = st.file_uploader(tr("w_upload"), key=f"{P}.upload_file", help=upload_help())
    example = st.selectbox(tr("w_example_file"), ("", *SAMPLE_FILES[problem]), key=f"{P}.example.{problem}",
                           format_func=lambda name: name or "—", help=tr("help_example_file"))
    raw = uploaded_bytes(file) if file is not None else sample_bytes(example) if example else None
    if raw is None:
        known = known_upload(d.upload) if d.dataset == UPLOAD else None
        if known is not None and known.problem == problem:
            return known
        if d.dataset == UPLOAD and d.upload:
            st.warning(tr("upload_link_needs_file", digest=d.upload))
        else:
            st.info(tr("upload_choose_file"))
        return None
    result = raw if isinstance(raw, str) else read(raw, problem)
    if isinstance(result, str):
        st.error(tr("upload_refused", detail=result))
        return None
    return result


def data_controls(d: DataSpec) -> DataSpec:
    st.subheader(tr("sec_data"))
    problem = d.problem
    if not is_hidden("problem"):
        problem = st.segmented_control(tr("w_problem"), PROBLEMS, key=STATE.widget("problem", d.problem),
                                       format_func=labeller("problem_"), on_change=_problem_changed,
                                       help=tr("help_problem")) or d.problem
    dataset = d.dataset
    if not is_hidden("dataset"):
        choices = datasets_for(problem)
        dataset = st.selectbox(tr("w_dataset"), choices,
                               key=STATE.widget("dataset", d.dataset if d.dataset in choices else choices[0]),
                               format_func=labeller("ds_"), help=tr("help_dataset"))
    upload = _upload_controls(d, problem) if dataset == UPLOAD else None
    if dataset == UPLOAD and upload is None:
        return _fitting(d, problem)  # no usable file (yet): the previous data stays
    generated = dataset != UPLOAD
    noise, train, points, classes = d.noise * 100, d.train_fraction * 100, d.n_points, d.n_classes
    if generated and not is_hidden("noise"):
        noise = st.slider(tr("w_noise"), int(limits.NOISE.lo * 100), int(limits.NOISE.hi * 100), step=5,
                          key=STATE.widget("noise", int(round(d.noise * 100))), help=tr("help_noise"))
    if not is_hidden("train"):
        train = st.slider(tr("w_train_ratio"), int(limits.TRAIN_FRACTION.lo * 100), int(limits.TRAIN_FRACTION.hi * 100),
                          step=10, key=STATE.widget("train", int(round(d.train_fraction * 100))),
                          help=tr("help_train_ratio"))
    if generated and not is_hidden("points"):
        points = st.slider(tr("w_points"), int(limits.N_POINTS.lo), int(limits.N_POINTS.hi), step=50,
                           key=STATE.widget("points", max(d.n_points, int(limits.N_POINTS.lo))),
                           help=tr("help_points"))
    if dataset not in MULTICLASS_DATASETS or problem == "regression":
        classes = 2
    elif generated and not is_hidden("classes"):
        classes = st.slider(tr("w_classes"), int(limits.N_CLASSES.lo), int(limits.N_CLASSES.hi),
                            key=STATE.widget("classes", d.n_classes), help=tr("help_classes"))
    if not is_hidden("regenerate"):
        st.button(tr("btn_regenerate"), key=f"{P}.regenerate", icon=":material/refresh:", on_click=safe_callback(_regenerate),
                  help=tr("help_regenerate"))
    features = d.features
    if not is_hidden("features"):
        chosen = st.pills(tr("w_features"), FEATURES, selection_mode="multi", format_func=FEATURE_LABELS.get,
                          key=STATE.widget("features", list(d.features)), help=tr("help_features"))
        if chosen:
            features = tuple(chosen)
        else:
            st.warning(tr("need_a_feature"))
    if upload is not None:
        for line in describe(upload):
            st.caption(line)
        return spec_for_upload(upload, replace(d, train_fraction=round(train / 100, 2), features=features))
    return DataSpec(dataset, int(points), round(noise / 100, 2), round(train / 100, 2), int(classes), d.seed, features,
                    problem)


def model_controls(m: ModelSpec) -> ModelSpec:
    st.subheader(tr("sec_network"))
    hidden = list(m.hidden)
    if not is_hidden("layers"):
        layers = int(st.number_input(tr("w_layers"), int(limits.HIDDEN_LAYERS.lo), int(limits.HIDDEN_LAYERS.hi),
                                     key=STATE.widget("layers", len(m.hidden)), help=tr("help_layers")))
        hidden = (hidden + [4] * layers)[:layers]
    if not is_hidden("units") and hidden:
        cols = st.columns(min(4, len(hidden)))
        for i, default in enumerate(hidden):
            with cols[i % len(cols)]:
                hidden[i] = int(st.number_input(tr("w_units", layer=i + 1), int(limits.UNITS.lo), int(limits.UNITS.hi),
                                                key=STATE.widget(f"units.{i}", default), help=tr("help_units")))
    activation, per_layer = m.activation, m.layer_activations
    if not is_hidden("activation"):
        activation = st.selectbox(tr("w_activation"), ACTIVATIONS, key=STATE.widget("activation", m.activation),
                                  format_func=labeller("act_"), help=tr("help_activation"))
        per_layer = ()
        if hidden and st.toggle(tr("w_per_layer"), key=STATE.widget("per_layer", bool(m.layer_activations)),
                                help=tr("help_per_layer")):
            cols = st.columns(min(4, len(hidden)))
            known = [m.activation_of(i) for i in range(len(m.hidden))]
            per_layer = tuple(
                cols[i % len(cols)].selectbox(tr("w_layer_activation", layer=i + 1), ACTIVATIONS,
                                              key=STATE.widget(f"act.{i}", (known + [activation] * len(hidden))[i]),
                                              format_func=labeller("act_"))
                for i in range(len(hidden)))
    if len(per_layer) != len(hidden):  # a hidden control with a layer count from elsewhere
        per_layer = ()
    init, dropout = m.init, m.dropout
    if not is_hidden("init"):
        init = st.selectbox(tr("w_init"), INITS, key=STATE.widget("init", m.init),
                            format_func=labeller("init_"), help=tr("help_init"))
    if not is_hidden("dropout"):
        dropout = st.slider(tr("w_dropout"), limits.DROPOUT.lo, limits.DROPOUT.hi, step=0.05,
                            key=STATE.widget("dropout", m.dropout), help=tr("help_dropout"))
    return ModelSpec(tuple(hidden), activation, per_layer, init, float(round(dropout, 2)))


def optimizer_controls(o: OptimSpec, r: RegSpec) -> tuple[OptimSpec, RegSpec]:
    st.subheader(tr("sec_optimizer"))
    return (optimizer_widgets(STATE.widget, o, hidden=is_hidden),
            regularizer_widgets(STATE.widget, r, hidden=is_hidden))


def training_controls(t: TrainSpec, n_train: int) -> TrainSpec:
    st.subheader(tr("sec_training"))
    batch, seed, device = min(t.batch_size, n_train), t.seed, t.device
    if not is_hidden("batch"):
        top = max(2, n_train)  # the range follows the training set: a new number of points kept the batch
        batch = st.slider(tr("w_batch"), 1, top, key=keep_in_range(STATE.widget("batch", batch), 1, top),
                          help=tr("help_batch"))
    cols = st.columns(2)
    if not is_hidden("seed"):
        seed = cols[0].number_input(tr("w_seed"), int(limits.SEED.lo), int(limits.SEED.hi),
                                    key=STATE.widget("seed", t.seed), help=tr("help_seed"))
    if not is_hidden("device"):
        device = cols[1].selectbox(tr("w_device"), DEVICES, key=STATE.widget("device", t.device),
                                   format_func=labeller("dev_"), help=tr("help_device"))
    return TrainSpec(int(seed), int(max(1, min(batch, n_train))), t.max_updates, device)


def schedule_controls(s: ScheduleSpec, t: TrainSpec) -> tuple[ScheduleSpec, TrainSpec]:
    """The learning-rate schedule and, with one, the step budget it is laid out over (a constant
    rate keeps the spec's step cap, as the playground always had). A schedule that cannot run
    over the budget is refused with the reason, and the previous one stays."""
    if is_hidden("schedule"):
        return s, t
    st.subheader(tr("dp_sec_schedule"))
    schedule = schedule_widgets(STATE.widget, s)
    budget = t.max_updates if schedule.kind == "constant" else budget_widget(STATE.widget, t.max_updates)
    why = schedule_refusal(schedule, budget)
    if why:
        st.error(why)
        return s, t
    return schedule, replace(t, max_updates=budget)


def playground_controls(spec: RunSpec) -> RunSpec:
    data = data_controls(spec.data)
    model = model_controls(spec.model)
    optim, reg = optimizer_controls(spec.optim, spec.reg)
    n_train = int(round(data.n_points * data.train_fraction))
    train = training_controls(spec.train, n_train)
    schedule, train = schedule_controls(spec.schedule, train)
    return RunSpec(data, model, optim, reg, train, schedule)


def bump_seed() -> None:
    """'New weights': the next seed, in the widget (when shown) and in the spec and the link."""
    STATE.bump_seed()
