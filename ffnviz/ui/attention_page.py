"""The self-attention page: a tiny Transformer encoder learns a sequence task live, and its
attention maps form on screen: every layer × head map for one example (editable), one map
enlarged beside the task's ideal pattern, one head's computation step by step, each head's
entropy over training and the accuracy at each position.

The model is trained as a one-model race of sequence models (RaceRunner, SeqTrainer): the
pictures come from the race's snapshot (ffnviz.train.attention_extras), never from the model.
The page's spec lives in session state and in the URL (seq_race_to_flat); pickers sit outside
the refreshing fragments."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np
import streamlit as st

from ffnviz import limits
from ffnviz.data.sequences import IGNORE, ideal_attention
from ffnviz.lessons import ATTENTION_LESSONS
from ffnviz.page_links import ATTENTION
from ffnviz.specs import OptimSpec, RegSpec, TrainSpec
from ffnviz.specs.schedule import ScheduleSpec
from ffnviz.specs.sequences import (
    ATTENTION_TASKS,
    IMPLEMENTATIONS,
    POSITIONAL,
    VARIANTS,
    SeqContestant,
    SeqModelSpec,
    SeqRaceSpec,
    SeqRunSpec,
    SeqSpec,
)
from ffnviz.train.attention_extras import AttnView, even_entropy
from ffnviz.train.race_runner import RaceRunner, RaceSnapshot
from ffnviz.ui.charts import projector, show
from ffnviz.ui.controls import run_buttons, status_line
from ffnviz.ui.errors import error_boundary, safe_callback, show_callback_error
from ffnviz.ui.i18n import labeller, tr, tr_message
from ffnviz.ui.layout import settings_fold
from ffnviz.ui.lessons_panel import lesson_buttons, lesson_note
from ffnviz.ui.live import SLOW_S, live_panel
from ffnviz.ui.optimizer_widgets import optimizer_row
from ffnviz.ui.run_files import downloads
from ffnviz.ui.runs import race_runner_for
from ffnviz.ui.schedule_panel import budget_widget, planned_chart, schedule_refusal, schedule_widgets
from ffnviz.ui.seq_race_panel import next_seed, race_curves_panel, race_seed
from ffnviz.ui.spec_state import PageState, hidden_section
from ffnviz.viz import attention_charts, html_table, inside

P = "at"  # widget keys, the runner's key and the page's spec key
D_MODELS = (16, 24, 32, 48, 64)


def token_text(token: int) -> str:
    """Tokens are letters (A, B, ...), so they never read as positions, which are numbers."""
    return chr(ord("A") + int(token))


def parse_tokens(text: str) -> list[int]:
    """"C A B" or "2 0 1" (or commas) -> token ids; ValueError on anything else."""
    out = []
    for part in text.replace(",", " ").split():
        if part.isdigit():
            out.append(int(part))
        elif len(part) == 1 and part.isalpha():
            out.append(ord(part.upper()) - ord("A"))
        else:
            raise ValueError(part)
    return out


# -- controls ---------------------------------------------------------------------------------------

def _data_controls(d: SeqSpec) -> SeqSpec:
    cols = st.columns(4)
    task = cols[0].selectbox(tr("w_task"), ATTENTION_TASKS, key=STATE.widget("task", d.task), format_func=labeller("task_"),
                             help=tr("help_task"))
    length = cols[1].slider(tr("w_seq_length"), int(limits.ATTN_LENGTH.lo), int(limits.ATTN_LENGTH.hi),
                            key=STATE.widget("length", limits.ATTN_LENGTH.clamp(d.length)), help=tr("help_seq_length"))
    vocab = cols[2].slider(tr("w_vocab"), int(limits.ATTN_VOCAB.lo), int(limits.ATTN_VOCAB.hi),
                           key=STATE.widget("vocab", limits.ATTN_VOCAB.clamp(d.vocab)), help=tr("help_vocab"))
    offset = d.offset
    if task == "copy_offset":
        offset = cols[3].number_input(tr("w_offset"), 1, int(length) - 1,
                                      key=STATE.widget("offset", min(d.offset, int(length) - 1)), help=tr("help_offset"))
    st.caption(tr("attn_posed_copy_offset", offset=int(offset)) if task == "copy_offset" else tr("task_posed_" + task))
    return replace(d, task=task, length=int(length), vocab=int(vocab), offset=int(min(offset, int(length) - 1)))


def _d_model(heads: int, stored: int) -> int:
    """d_model's widget: only the widths that split evenly into `heads` heads."""
    options = [d for d in D_MODELS if d % heads == 0]
    key = STATE.widget("d", stored)
    if st.session_state[key] not in options:  # heads changed: the nearest width that fits
        st.session_state[key] = min(options, key=lambda d: abs(d - st.session_state[key]))
    return int(st.select_slider(tr("w_d_model"), options, key=key, help=tr("help_d_model")))


def _model_controls(m: SeqModelSpec) -> SeqModelSpec:
    cols = st.columns(4)
    layers = cols[0].slider(tr("w_attn_layers"), int(limits.ATTN_LAYERS.lo), int(limits.ATTN_LAYERS.hi),
                            key=STATE.widget("layers", m.layers), help=tr("help_attn_layers"))
    heads = cols[1].slider(tr("w_heads"), int(limits.ATTN_HEADS.lo), int(limits.ATTN_HEADS.hi),
                           key=STATE.widget("heads", m.heads), help=tr("help_heads"))
    with cols[2]:
        d = _d_model(int(heads), m.d)
    positional = cols[3].selectbox(tr("w_positional"), POSITIONAL, key=STATE.widget("positional", m.positional),
                                   format_func=labeller("positional_"), help=tr("help_positional"))
    cols = st.columns(4)
    variant = cols[0].selectbox(tr("w_ffn_variant"), VARIANTS, key=STATE.widget("variant", m.variant),
                                format_func=labeller("variant_"), help=tr("help_ffn_variant"))
    dropout = cols[1].slider(tr("w_dropout"), float(limits.ATTN_DROPOUT.lo), float(limits.ATTN_DROPOUT.hi), step=0.05,
                             key=STATE.widget("dropout", m.dropout), help=tr("help_dropout"))
    impl = cols[2].selectbox(tr("w_attention_impl"), IMPLEMENTATIONS, key=STATE.widget("impl", m.attention),
                             format_func=labeller("attn_impl_"), help=tr("help_attention_impl"))
    causal = cols[3].toggle(tr("w_causal"), key=STATE.widget("causal", m.causal), help=tr("help_causal"))
    # A Transformer's feedforward block is 4 d wide; a gated one is matched to that size.
    return replace(m, kind="attn", layers=int(layers), heads=int(heads), d=d, h=4 * d, positional=positional,
                   variant=variant, dropout=float(dropout), attention=impl, causal=bool(causal))


def _training_controls(c: SeqContestant, t: TrainSpec) -> tuple[OptimSpec, RegSpec, TrainSpec]:
    optim, reg, batch = optimizer_row(st.columns(5), STATE.widget, c.optim, c.reg, t.batch_size)
    return optim, reg, replace(t, batch_size=batch)


def _schedule_controls(spec: SeqRaceSpec, optim: OptimSpec, train: TrainSpec) -> tuple[ScheduleSpec, TrainSpec]:
    """The learning-rate schedule and, with one, the step budget it is laid out over; one that
    cannot run over the budget is refused with the reason, and the previous one stays."""
    st.markdown(f"**{tr('dp_sec_schedule')}**")
    old = spec.base.schedule
    left, middle, right = st.columns([2, 2, 3])
    with left:
        schedule = schedule_widgets(STATE.widget, old)
    budget = train.max_updates if schedule.kind == "constant" else budget_widget(STATE.widget, train.max_updates, middle)
    why = schedule_refusal(schedule, budget)
    if why:
        st.error(why)
        schedule, budget = old, spec.base.train.max_updates
    with right:
        planned_chart(schedule, optim.name, optim.lr, budget, f"{P}.chart.lr")
    return schedule, replace(train, max_updates=budget)


def _controls(spec: SeqRaceSpec) -> SeqRaceSpec:
    st.session_state.setdefault(f"{P}.seed0", spec.seeds[0])  # a link's training seed, until New weights
    # A section a challenge's link hides (`<lock>_hide=1`) keeps the link's settings.
    contestant = spec.contestants[0]
    data, model, optim, reg, train = spec.base.data, contestant.model, contestant.optim, contestant.reg, spec.base.train
    schedule = spec.base.schedule
    if not hidden_section("data"):
        st.markdown(f"**{tr('sec_task')}**")
        data = _data_controls(spec.base.data)
    if not hidden_section("network"):
        st.markdown(f"**{tr('sec_model')}**")
        model = _model_controls(contestant.model)
    if not hidden_section("optimizer", "training"):
        st.markdown(f"**{tr('sec_optimizer')}**")
        optim, reg, train = _training_controls(contestant, spec.base.train)
        schedule, train = _schedule_controls(spec, optim, train)
    return SeqRaceSpec(SeqRunSpec(data=data, train=train, schedule=schedule), (SeqContestant(model, optim, reg),),
                       seeds=(race_seed(P),), target_accuracy=spec.target_accuracy).validate()


def _usable(spec: SeqRaceSpec, messages: list[str]) -> SeqRaceSpec:
    """A link's race, if this page can show it: one Transformer on a task and sizes of this page."""
    d = spec.base.data
    if (len(spec.contestants) == 1 and spec.contestants[0].model.kind == "attn" and d.task in ATTENTION_TASKS
            and limits.ATTN_LENGTH.contains(d.length) and limits.ATTN_VOCAB.contains(d.vocab)):
        return spec
    messages.append(tr("attn_link_not_usable"))  # a link made for another page, or beyond this page's sizes
    return ATTENTION.default


STATE = PageState(ATTENTION, P, fit=_usable)


def _parameters(spec: SeqRaceSpec) -> int:
    m, d = spec.contestants[0].model, spec.base.data
    return m.transformer_parameters(d.vocab, d.info.n_outputs(d.vocab, d.length), d.length)


# -- the example on show ------------------------------------------------------------------------

def _example_text(tokens) -> str:
    return " ".join(token_text(t) for t in tokens)


def _sync_example(runner: RaceRunner) -> None:
    """The text box and the runner agree on the example: after a new data set (another length or
    vocabulary) the box shows the race's first test sequence; otherwise the runner shows the box's."""
    key = f"{P}.example"
    data = runner.race.dataset  # immutable arrays: safe to read while it trains
    try:
        tokens = np.array(parse_tokens(st.session_state.get(key, "")), dtype=np.int64)
        fits = len(tokens) == data.length and tokens.min() >= 0 and tokens.max() < data.vocab
    except ValueError:
        fits = False
    if not fits:
        tokens = data.x_test[0]
        st.session_state[key] = _example_text(tokens)
    st.session_state[f"{key}.ok"] = st.session_state[key]
    view = runner.snapshot.extras[0] if runner.snapshot.extras else None
    shown = view.example if view is not None else None
    if shown is not None and not np.array_equal(shown, tokens):
        runner.set_example(tokens)


def _set_example(runner: RaceRunner) -> None:
    key = f"{P}.example"
    data = runner.race.dataset
    text = st.session_state.get(key, "")
    try:
        tokens = parse_tokens(text)
        runner.set_example(tokens)
        st.session_state.pop(f"{key}.error", None)
    except ValueError:
        st.session_state[f"{key}.error"] = tr("attn_bad_example", text=text, length=data.length,
                                               last=token_text(data.vocab - 1))
        st.session_state[key] = st.session_state.get(f"{key}.ok", "")


def _random_example(runner: RaceRunner) -> None:
    data = runner.race.dataset
    index = int(np.random.default_rng().integers(len(data.x_test)))
    st.session_state[f"{P}.example"] = _example_text(data.x_test[index])
    runner.set_example(data.x_test[index])


def _example_controls(runner: RaceRunner, layers: int, heads: int) -> None:
    _sync_example(runner)
    cols = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
    cols[0].text_input(tr("w_example_tokens"), key=f"{P}.example", on_change=safe_callback(_set_example, runner),
                       help=tr("help_example_tokens", length=runner.race.dataset.length,
                               last=token_text(runner.race.dataset.vocab - 1)))
    cols[1].button(tr("btn_random_example"), key=f"{P}.random", on_click=safe_callback(_random_example, runner),
                   icon=":material/shuffle:", width="stretch", help=tr("help_random_example"))
    for col, name, n in ((cols[2], "layer", layers), (cols[3], "head", heads)):
        key = f"{P}.{name}"
        if int(st.session_state.get(key, 1)) > n:
            st.session_state[key] = 1
        col.selectbox(tr(f"w_pick_{name}"), list(range(1, n + 1)), key=key, help=tr(f"help_pick_{name}"))
    error = st.session_state.get(f"{P}.example.error")
    if error:
        st.error(error)


# -- pictures -------------------------------------------------------------------------------------

def _pick_head(n_heads: int, _x: float, _y: float, trace: int) -> None:
    """A click on a map of the grid enlarges that head below (the pickers follow on the rerun
    _pictures asks for: they sit outside its fragment)."""
    layer, head = attention_charts.head_of_panel(trace, n_heads)
    st.session_state[f"{P}.layer"], st.session_state[f"{P}.head"] = layer + 1, head + 1
    st.session_state[f"{P}.picked"] = True


def _map_labels() -> dict[str, str]:
    return {"query": tr("axis_query"), "key": tr("axis_key"), "value": tr("axis_attention_weight"),
            "position": tr("axis_position")}


def _target_text(task: str, target: int, length: int) -> str:
    if target == IGNORE:
        return "–"
    if task == "find_earlier":  # a position (shown from 1), or "none"
        return tr("none_found") if target == length else str(int(target) + 1)
    return token_text(target)


def _example_table(view: AttnView, task: str) -> None:
    length = len(view.example)
    targets = [_target_text(task, t, length) for t in view.target]
    outputs = [_target_text(task, t, length) for t in view.prediction]
    wrong = [t != "–" and t != o for t, o in zip(targets, outputs, strict=True)]
    rows = [(tr("row_input"), [token_text(t) for t in view.example]), (tr("row_target"), targets),
            (tr("row_output"), outputs), (tr("row_confidence"), [f"{c:.0%}" for c in view.confidence])]
    st.markdown(html_table.example_table([str(i + 1) for i in range(length)], rows, tr("row_output"), wrong),
                unsafe_allow_html=True)
    st.caption(tr("cap_example_table", wrong=sum(wrong), counted=sum(t != "–" for t in targets)))


def _pictures(snap: RaceSnapshot) -> None:
    if st.session_state.pop(f"{P}.picked", False):
        st.rerun()  # the whole page: the layer and head pickers show the clicked head
    status_line(snap)
    view = snap.extras[0] if snap.extras else None
    if view is None:
        st.info(tr("attn_no_pictures"))
        return
    spec = snap.spec
    task, offset = spec.base.data.task, spec.base.data.offset
    maps = view.maps
    n_layers, n_heads = maps.shape[:2]
    layer = min(int(st.session_state.get(f"{P}.layer", 1)), n_layers) - 1
    head = min(int(st.session_state.get(f"{P}.head", 1)), n_heads) - 1
    tokens = [token_text(t) for t in view.example]
    labels = _map_labels()
    show(attention_charts.model_view(maps, tokens, selected=(layer, head), projector=projector(),
                                     labels={**labels, "title": tr("chart_model_view"), "cell": tr("cell_layer_head")}),
         f"{P}.grid", tr("cap_model_view"), on_click=partial(_pick_head, n_heads))
    st.info(tr("attn_caveat"), icon=":material/warning:")
    _example_table(view, task)  # below the grid: the grid is what the class looks at first
    ideal = ideal_attention(task, view.example, offset)
    show(attention_charts.map_with_ideal(maps[layer, head], ideal, tokens, projector=projector(),
                                         labels={**labels, "title": tr("chart_one_head", layer=layer + 1, head=head + 1),
                                                 "learned": tr("panel_learned"), "ideal": tr("panel_ideal")}),
         f"{P}.one", tr("cap_one_head_" + task))
    step_labels = {key: tr("step_" + key) for key in attention_charts.STEP_KEYS}
    show(attention_charts.attention_steps(view.steps[layer], head, tokens, projector=projector(),
                                          labels={**labels, **step_labels,
                                                  "title": tr("chart_steps", layer=layer + 1, head=head + 1)}),
         f"{P}.steps", tr("cap_steps"))
    left, right = (st.container(), st.container()) if projector() else st.columns(2)
    entropy = view.entropy
    series = {tr("cell_layer_head").format(layer=i + 1, head=j + 1): entropy.values[:, i, j]
              for i in range(n_layers) for j in range(n_heads)}
    causal = spec.contestants[0].model.causal
    series[tr("entropy_even_causal" if causal else "entropy_even")] = np.full(
        len(entropy.update), even_entropy(len(tokens), causal))
    with left:
        show(inside.lines_over_time(entropy.update, series, projector=projector(),
                                    labels={"title": tr("chart_entropy"), "epoch": tr("axis_updates"),
                                            "value": tr("axis_entropy")}), f"{P}.entropy", tr("cap_entropy"))
    with right:
        show(attention_charts.position_accuracy(view.position_accuracy, projector=projector(),
                                                labels={"title": tr("chart_position_accuracy"),
                                                        "position": tr("axis_position"), "value": tr("axis_accuracy")}),
             f"{P}.positions", tr("cap_position_accuracy"))


def _curves(snap: RaceSnapshot) -> None:
    race_curves_panel(snap, [tr("attn_model")], P)


def render() -> None:
    st.title(tr("at_title"))
    st.caption(tr("at_intro"))
    show_callback_error()
    with error_boundary("attention"):
        with settings_fold(P):
            lesson_buttons(STATE, ATTENTION_LESSONS, with_note=False)
            stored = STATE.load()
            try:
                spec = _controls(stored)
            except ValueError as err:  # cannot happen through the widgets; a message, never a traceback
                st.error(tr("error_invalid", detail=tr_message(str(err))))
                spec = stored
            st.caption(tr("attn_parameters", count=f"{_parameters(spec):,}"))
        STATE.save(spec)
        lesson_note(STATE)
        runner = race_runner_for(P, spec)
        per_epoch = runner.snapshot.updates_per_epoch
        run_buttons(runner, P, per_epoch, tr("help_step", updates=per_epoch), lambda: next_seed(P))
        # The maps first, the page's picture, on the projector's first screen; the curves after.
        model = spec.contestants[0].model
        _example_controls(runner, model.layers, model.heads)
        live_panel(runner, _pictures, every=SLOW_S)
        st.subheader(tr("sec_curves"))
        live_panel(runner, _curves)
        downloads(runner, STATE.form.name, P)



