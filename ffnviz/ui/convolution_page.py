"""The convolution page: a small CNN learns digits or shapes live, and its kernels and feature maps
change on screen; beside it, when asked, an MLP of about the same parameter count trains on the
same batches. The shape calculator shows every layer's output before training; the explainer
takes one convolution apart.

The models train as a race (RaceRunner of ConvTrainers, ffnviz.train.conv_trainer.ConvRaceSpec):
the pictures come from the race's snapshot (ffnviz.train.conv_extras), never from the model. The
page's spec lives in session state and in the URL (conv_race_to_flat); pickers sit outside the
refreshing fragments."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from ffnviz import limits
from ffnviz.lessons import CONV_LESSONS
from ffnviz.page_links import CONVOLUTION
from ffnviz.specs import ACTIVATIONS, OptimSpec, RegSpec, TrainSpec
from ffnviz.specs.conv import (
    HEADS,
    IMAGE_DATASETS,
    POOLS,
    SPLITS,
    ConvLayerSpec,
    ConvModelSpec,
    ConvRaceSpec,
    ConvRunSpec,
    ImageSpec,
    LayerShape,
    conv_size,
    layer_shapes,
    mlp_baseline,
    pool_size,
)
from ffnviz.train.conv_extras import ConvView
from ffnviz.train.race_runner import RaceRunner, RaceSnapshot
from ffnviz.ui.charts import projector, show
from ffnviz.ui.controls import run_buttons, status_line
from ffnviz.ui.conv_explainer_panel import explainer_panel
from ffnviz.ui.errors import error_boundary, safe_callback, show_callback_error
from ffnviz.ui.i18n import labeller, tr, tr_message
from ffnviz.ui.layout import settings_fold
from ffnviz.ui.lessons_panel import lesson_buttons, lesson_note
from ffnviz.ui.live import SLOW_S, live_panel
from ffnviz.ui.optimizer_widgets import optimizer_row, with_value
from ffnviz.ui.run_files import downloads
from ffnviz.ui.runs import race_runner_for
from ffnviz.ui.seq_race_panel import next_seed, race_curves_panel, race_seed
from ffnviz.ui.spec_state import PageState, hidden_section
from ffnviz.viz import conv_charts

P = "cv"  # widget keys, the runner's key and the page's spec key
# The page opens on digits with the default CNN (8 and 16 channels, 3×3, max pooling), alone.
STATE = PageState(CONVOLUTION, P)
IMAGE_SIDES = (12, 16, 20, 24)


def layer_label(name: str) -> str:
    """'conv2' -> "conv2" (in Chinese "卷积 2"); 'pool1', 'gpool' and 'linear' alike."""
    if name.startswith("conv"):
        return tr("layer_conv", i=name[4:])
    if name.startswith("pool"):
        return tr("layer_pool", i=name[4:])
    return tr("layer_" + name)


# -- controls ---------------------------------------------------------------------------------------

def _data_controls(d: ImageSpec) -> ImageSpec:
    cols = st.columns([1.2, 1, 1, 1, 1, 1.2])
    dataset = cols[0].selectbox(tr("w_images"), IMAGE_DATASETS, key=STATE.widget("dataset", d.dataset),
                                format_func=labeller("images_"), help=tr("help_images"))
    shapes = dataset == "shapes"
    size = cols[1].select_slider(tr("w_image_side"), with_value(IMAGE_SIDES, d.size), key=STATE.widget("size", d.size),
                                 disabled=not shapes, help=tr("help_image_side"))
    count = cols[2].slider(tr("w_image_count"), int(limits.IMAGE_COUNT.lo), int(limits.IMAGE_COUNT.hi), step=100,
                           key=STATE.widget("count", d.n_images), disabled=not shapes, help=tr("help_image_count"))
    noise = cols[3].slider(tr("w_image_noise"), float(limits.IMAGE_NOISE.lo), float(limits.IMAGE_NOISE.hi), step=0.05,
                           key=STATE.widget("noise", d.noise), disabled=not shapes, help=tr("help_image_noise"))
    train = cols[4].slider(tr("w_train_share"), float(limits.TRAIN_FRACTION.lo), float(limits.TRAIN_FRACTION.hi),
                           step=0.05, key=STATE.widget("train", d.train_fraction), help=tr("help_train_share"))
    split = cols[5].selectbox(tr("w_split"), SPLITS, key=STATE.widget("split", d.split), format_func=labeller("split_"),
                              disabled=not shapes, help=tr("help_split"))
    st.caption(tr("images_posed_" + dataset))
    return replace(d, dataset=dataset, size=int(size), n_images=int(count), noise=round(float(noise), 2),
                   train_fraction=round(float(train), 2), split=split if shapes else "random")


def _layer_controls(i: int, layer: ConvLayerSpec) -> ConvLayerSpec:
    cols = st.columns([0.55, 1, 1, 1, 1, 1.1, 1], vertical_alignment="bottom")
    cols[0].markdown(f"**{layer_label(f'conv{i}')}**")
    channels = cols[1].slider(tr("w_channels"), int(limits.CONV_CHANNELS.lo), int(limits.CONV_CHANNELS.hi),
                              key=STATE.widget(f"l{i}.channels", layer.out_channels), help=tr("help_channels"))
    kernel = cols[2].slider(tr("w_kernel"), int(limits.CONV_KERNEL.lo), int(limits.CONV_KERNEL.hi),
                            key=STATE.widget(f"l{i}.kernel", layer.kernel), help=tr("help_kernel"))
    stride = cols[3].slider(tr("w_stride"), int(limits.CONV_STRIDE.lo), int(limits.CONV_STRIDE.hi),
                            key=STATE.widget(f"l{i}.stride", layer.stride), help=tr("help_stride"))
    padding = cols[4].slider(tr("w_padding"), int(limits.CONV_PADDING.lo), int(limits.CONV_PADDING.hi),
                             key=STATE.widget(f"l{i}.padding", layer.padding), help=tr("help_padding"))
    activation = cols[5].selectbox(tr("w_conv_activation"), ACTIVATIONS,
                                   key=STATE.widget(f"l{i}.activation", layer.activation), format_func=labeller("act_"),
                                   help=tr("help_conv_activation"))
    pool = cols[6].selectbox(tr("w_pool"), POOLS, key=STATE.widget(f"l{i}.pool", layer.pool), format_func=labeller("pool_"),
                             help=tr("help_pool"))
    return ConvLayerSpec(int(channels), int(kernel), int(stride), int(padding), activation, pool)


def _model_controls(m: ConvModelSpec, baseline: bool) -> tuple[ConvModelSpec, bool]:
    cols = st.columns([1, 1, 1])
    n = cols[0].slider(tr("w_conv_layers"), int(limits.CONV_LAYERS.lo), int(limits.CONV_LAYERS.hi),
                       key=STATE.widget("layers", len(m.layers)), help=tr("help_conv_layers"))
    head = cols[1].selectbox(tr("w_head"), HEADS, key=STATE.widget("head", m.head), format_func=labeller("head_"),
                             help=tr("help_head"))
    with cols[2]:
        st.write("")  # level with the other two widgets' boxes
        with_baseline = st.toggle(tr("w_baseline"), key=STATE.widget("baseline", baseline), help=tr("help_baseline"))
    stored = (*m.layers, *ConvModelSpec().layers[len(m.layers):], ConvLayerSpec())
    layers = tuple(_layer_controls(i, stored[i - 1]) for i in range(1, int(n) + 1))
    return replace(m, kind="cnn", layers=layers, head=head), bool(with_baseline)


def _training_controls(b: ConvRunSpec) -> tuple[OptimSpec, RegSpec, TrainSpec]:
    optim, reg, batch = optimizer_row(st.columns(5), STATE.widget, b.optim, b.reg, b.train.batch_size)
    return optim, reg, replace(b.train, batch_size=batch)


def _controls(spec: ConvRaceSpec) -> ConvRaceSpec:
    """What the widgets say, not yet checked (the layers may not fit the images)."""
    st.session_state.setdefault(f"{P}.seed0", spec.seeds[0])  # a link's seed; "New weights" moves it on
    b = spec.base  # a section a challenge's link hides (`<lock>_hide=1`) keeps the link's settings
    data, model, baseline, optim, reg, train = b.data, b.model, spec.baseline, b.optim, b.reg, b.train
    if not hidden_section("data"):
        st.markdown(f"**{tr('sec_images')}**")
        data = _data_controls(b.data)
    if not hidden_section("network"):
        st.markdown(f"**{tr('sec_conv_layers')}**")
        model, baseline = _model_controls(b.model, spec.baseline)
    if not hidden_section("optimizer", "training"):
        st.markdown(f"**{tr('sec_optimizer')}**")
        optim, reg, train = _training_controls(b)
    return ConvRaceSpec(ConvRunSpec(data, model, optim, reg, train), ("cnn", "mlp") if baseline else ("cnn",),
                        seeds=(race_seed(P),), target_accuracy=spec.target_accuracy)


# -- the shape calculator ---------------------------------------------------------------------------

def _size(shape: tuple[int, ...]) -> str:
    return " × ".join(str(v) for v in shape) if len(shape) > 1 else str(shape[0])


def _how(row: LayerShape, before: tuple[int, ...], model: ConvModelSpec) -> str:
    """The formula that gave the row's size, with its numbers."""
    n = before[-1] if len(before) > 1 else 0
    if row.name.startswith("conv"):
        layer = model.layers[int(row.name[4:]) - 1]
        k, s, p = layer.kernel, layer.stride, layer.padding
        return f"⌊({n} + 2·{p} − {k})/{s}⌋ + 1 = {conv_size(n, k, s, p)}"
    if row.name.startswith("pool"):
        return f"⌊({n} − 2)/2⌋ + 1 = {pool_size(n)}"
    if row.name == "gpool":
        return tr("how_gpool_" + model.head, n=n)
    inputs = int(np.prod(before))
    return f"{inputs} × {row.output[0]} + {row.output[0]}"


def _too_small(row: LayerShape, before: tuple[int, ...], model: ConvModelSpec) -> str:
    """The page's message for a row whose output is under 1 pixel (the engine's words, translated)."""
    n = before[-1]
    if row.name.startswith("conv"):
        layer = model.layers[int(row.name[4:]) - 1]
        return tr("cv_conv_too_small", layer=layer_label(row.name), formula=_how(row, before, model), k=layer.kernel, n=n)
    return tr("cv_pool_too_small", layer=layer_label(row.name), formula=_how(row, before, model), n=n)


def _shape_table(spec: ConvRaceSpec) -> str | None:
    """Each layer's output and parameters before training, and the CNN's and its baseline's
    counts; returns the message when the layers do not fit the images (the table ends there)."""
    data, model = spec.base.data, spec.base.model
    rows = layer_shapes(model, data.image_shape, data.n_classes)
    table, before, problem = [], data.image_shape, None
    table.append({tr("col_layer"): tr("layer_input"), tr("col_output"): _size(before), tr("col_how"): "",
                  tr("col_params"): ""})
    for row in rows:
        table.append({tr("col_layer"): layer_label(row.name), tr("col_output"): _size(row.output),
                      tr("col_how"): _how(row, before, model), tr("col_params"): f"{row.params:,}"})
        if row.problem:
            problem = _too_small(row, before, model)
        before = row.output
    left, right = st.columns([3, 1])
    with left:
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
        st.caption(tr("cap_shape_table"))
    with right:
        if problem is None:
            cnn = sum(r.params for r in rows)
            st.metric(tr("metric_cnn_params"), f"{cnn:,}", help=tr("help_cnn_params"))
            mlp = mlp_baseline(spec.base)
            st.metric(tr("metric_mlp_params"), f"{mlp.parameter_count():,}",
                      help=tr("help_mlp_params", hidden=mlp.model.mlp_hidden, inputs=int(np.prod(data.image_shape))))
    return problem


def _checked(candidate: ConvRaceSpec, stored: ConvRaceSpec) -> ConvRaceSpec:
    """The candidate when it can train, else the last good spec (the page says why)."""
    problem = _shape_table(candidate)
    if problem is not None:
        st.error(tr("cv_does_not_fit", detail=problem), icon=":material/error:")
        return stored
    try:
        return candidate.validate()
    except ValueError as err:  # cannot happen through the widgets; a message, never a traceback
        st.error(tr("error_invalid", detail=tr_message(str(err))))
        return stored


# -- the test image on show ------------------------------------------------------------------------

def _test_count(runner: RaceRunner) -> int:
    return len(runner.race.dataset.y_test)  # immutable arrays: safe to read while it trains


def _sync_example(runner: RaceRunner) -> None:
    """The picker and the runner agree: a number beyond a new, smaller test set goes back to 1;
    otherwise the runner shows the picker's image."""
    key = f"{P}.example"
    n = _test_count(runner)
    if not 1 <= int(st.session_state.get(key, 1)) <= n:
        st.session_state[key] = 1
    st.session_state.setdefault(key, 1)
    view = runner.snapshot.extras[0] if runner.snapshot.extras else None
    shown = view.example if view is not None else None
    if shown is not None and shown != int(st.session_state[key]) - 1:
        runner.set_example(int(st.session_state[key]) - 1)


def _set_example(runner: RaceRunner) -> None:
    runner.set_example(int(st.session_state[f"{P}.example"]) - 1)


def _random_example(runner: RaceRunner) -> None:
    n = _test_count(runner)
    current = int(st.session_state.get(f"{P}.example", 1)) - 1
    index = int(np.random.default_rng().integers(n - 1)) if n > 1 else 0
    index += index >= current and n > 1  # another one than the one on show
    st.session_state[f"{P}.example"] = index + 1
    runner.set_example(index)


def _example_controls(runner: RaceRunner) -> None:
    _sync_example(runner)
    n = _test_count(runner)
    cols = st.columns([2, 1, 3], vertical_alignment="bottom")
    cols[0].number_input(tr("w_test_image", n=n), 1, n, key=f"{P}.example", on_change=safe_callback(_set_example, runner),
                         help=tr("help_test_image"))
    cols[1].button(tr("btn_another_image"), key=f"{P}.random", on_click=safe_callback(_random_example, runner),
                   icon=":material/shuffle:", width="stretch", help=tr("help_another_image"))


# -- pictures ---------------------------------------------------------------------------------------

def _names(spec: ConvRaceSpec) -> list[str]:
    return [tr("model_" + kind) for kind in spec.contestants]


def _class_names(spec: ConvRaceSpec) -> list[str]:
    data = spec.base.data
    return list(data.class_names) if data.dataset == "digits" else [tr("shape_" + s) for s in data.class_names]


def _kernel_labels() -> dict[str, str]:
    return {"weight": tr("axis_weight"), "channel": tr("axis_channel"), "hover_kernel": tr("hover_kernel"),
            "out_axis": tr("axis_out_channel"), "in_axis": tr("axis_in_channel")}


def _example_line(alive: list[tuple[str, ConvView]], classes: list[str]) -> None:
    first = alive[0][1]
    said = " · ".join(tr("cv_said", model=name, answer=classes[e.prediction],
                         confidence=f"{e.probabilities[e.prediction]:.0%}",
                         mark="✓" if e.prediction == e.label else "✗")
                      for name, e in alive)
    st.markdown(tr("cv_example_line", number=first.example + 1, truth=classes[first.label], said=said))


def _pictures(snap: RaceSnapshot) -> None:
    status_line(snap)
    cnn = snap.extras[0] if snap.extras else None
    if cnn is None:
        st.info(tr("cv_no_pictures"))
        return
    spec = snap.spec
    names, classes = _names(spec), _class_names(spec)
    alive = [(name, e) for name, e in zip(names, snap.extras, strict=True) if e is not None]
    _example_line(alive, classes)
    maps = cnn.inside.maps
    row_names = [tr("layer_input")] + [f"{layer_label(name)} · {m.shape[0]}×{m.shape[1]}×{m.shape[2]}" for name, m in maps]
    show(conv_charts.feature_maps(cnn.image, list(maps), row_names=row_names, projector=projector(),
                                  labels={"title": tr("chart_feature_maps", number=cnn.example + 1)}),
         f"{P}.maps", tr("cap_feature_maps"))
    kernels = cnn.inside.kernels
    labels = _kernel_labels()
    show(conv_charts.first_kernels(kernels[0], projector=projector(),
                                   labels={**labels, "title": tr("chart_first_kernels", k=kernels[0].shape[-1])}),
         f"{P}.kernels", tr("cap_first_kernels"))
    if len(kernels) > 1:
        block_names = [f"{layer_label(f'conv{i}')}: {w.shape[0]} × {w.shape[1]}" for i, w in enumerate(kernels[1:], 2)]
        show(conv_charts.deep_kernels(list(kernels[1:]), block_names, projector=projector(),
                                      labels={**labels, "title": tr("chart_deep_kernels")}),
             f"{P}.deep_kernels", tr("cap_deep_kernels"))
    st.subheader(tr("sec_mistakes"))
    left, right = (st.container(), st.container()) if projector() else st.columns(2)
    with left:
        _confusion(alive, classes)
    with right:
        _galleries(alive, classes)


def _confusion(alive: list[tuple[str, ConvView]], classes: list[str]) -> None:
    show(conv_charts.confusion([e.confusion for _, e in alive], [name for name, _ in alive], classes,
                               projector=projector(),
                               labels={"title": tr("chart_confusion"), "true": tr("axis_true_class"),
                                       "predicted": tr("axis_predicted_class"), "hover": tr("hover_confusion"),
                                       "share": tr("axis_share_of_row")}),
         f"{P}.confusion", tr("cap_confusion"))


def _galleries(alive: list[tuple[str, ConvView]], classes: list[str]) -> None:
    for name, e in alive:
        wrong = e.wrong
        show(conv_charts.gallery(wrong.images, [classes[c] for c in wrong.predicted],
                                 [classes[c] for c in wrong.true], total=wrong.count, projector=projector(),
                                 columns=12 if projector() else 6, plot_width=1150 if projector() else 540,
                                 labels={"title": tr("chart_wrong", model=name, count=wrong.count),
                                         "said": tr("gallery_said"), "truth": tr("gallery_truth"),
                                         "none": tr("gallery_none"), "shown": tr("gallery_shown")}),
             f"{P}.wrong" if e.kind == "cnn" else f"{P}.wrong_mlp", tr("cap_wrong"))


def _metrics(snap: RaceSnapshot, names: list[str]) -> None:
    cols = st.columns(2 + len(names))
    cols[0].metric(tr("metric_epoch"), f"{snap.epoch:,.0f}", help=tr("help_metric_epoch"))
    cols[1].metric(tr("metric_updates"), f"{snap.updates:,}", help=tr("help_metric_updates"))
    for col, name, m in zip(cols[2:], names, snap.current, strict=True):
        value = "—" if m is None or not np.isfinite(m.test_acc) else f"{m.test_acc:.1%}"
        col.metric(tr("metric_model_acc", model=name), value, help=tr("help_metric_model_acc"))


def _curves(snap: RaceSnapshot) -> None:
    names = _names(snap.spec)
    _metrics(snap, names)
    race_curves_panel(snap, names, P)


def render() -> None:
    st.title(tr("cv_title"))
    st.caption(tr("cv_intro"))
    show_callback_error()
    with error_boundary("convolution"):
        with settings_fold(P):
            lesson_buttons(STATE, CONV_LESSONS, with_note=False)
            stored = STATE.load()
            candidate = _controls(stored)
            st.markdown(f"**{tr('sec_shapes')}**")
            spec = _checked(candidate, stored)
        STATE.save(spec)
        lesson_note(STATE)
        runner = race_runner_for(P, spec)
        per_epoch = runner.snapshot.updates_per_epoch
        run_buttons(runner, P, per_epoch, tr("help_step", updates=per_epoch), lambda: next_seed(P))
        # Inside the CNN first, the page's picture, on the projector's first screen; the race's
        # numbers and curves after.
        _example_controls(runner)
        live_panel(runner, _pictures, every=SLOW_S)
        st.subheader(tr("sec_curves"))
        live_panel(runner, _curves)
        downloads(runner, STATE.form.name, P)
        st.subheader(tr("sec_explainer"))
        explainer_panel(runner, P)

