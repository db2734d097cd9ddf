"""The gated-layers page: the Transformer feedforward block against its gated variants (GLU,
ReGLU, GEGLU, SwiGLU) at equal parameter counts, and a plain RNN against a GRU and an LSTM, each
a race of sequence models trained live in lockstep, with their gates on show.

Gate pictures come from the race's snapshot (RaceSnapshot.extras, measured by the worker), never
from the models themselves; pickers sit outside the refreshing fragment. Each part's race lives in
session state and in the page URL, under its own prefix ("ffn.", "rnn."; see ffnviz/specs/gated.py),
so a link reproduces both."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from ffnviz import limits
from ffnviz.lessons import GATED_FFN_LESSONS, GATED_LESSONS
from ffnviz.nn.ffn_block import FORMULAS
from ffnviz.nn.recurrent import CELL_FORMULAS
from ffnviz.page_links import GATED_FFN, GATED_RNN
from ffnviz.specs import gated
from ffnviz.specs.gated import GatedPart, compose, page_values
from ffnviz.specs.sequences import SeqRaceSpec, ffn_parameter_count
from ffnviz.train.race_runner import RaceSnapshot
from ffnviz.ui.charts import projector, show
from ffnviz.ui.controls import run_buttons, status_line
from ffnviz.ui.errors import error_boundary, show_callback_error
from ffnviz.ui.i18n import labeller, tr
from ffnviz.ui.layout import settings_fold
from ffnviz.ui.lessons_panel import lesson_buttons, lesson_note, lesson_tab
from ffnviz.ui.live import SLOW_S, live_panel
from ffnviz.ui.run_files import downloads
from ffnviz.ui.runs import race_runner_for
from ffnviz.ui.seq_race_panel import model_color, next_seed, race_curves_panel, race_seed
from ffnviz.ui.spec_state import PageState, hidden_section
from ffnviz.viz import gate_charts, inside

# Each part's race is kept under its own key; both share the page URL, under their prefixes.
FFN, RNN = "gl.ffn", "gl.rnn"  # their widget keys and runners
STATES = {"ffn": PageState(GATED_FFN, FFN), "rnn": PageState(GATED_RNN, RNN)}


def _check_count(members: list[str]) -> None:
    if len(members) < limits.RACE_CONTESTANTS.lo:
        raise ValueError(tr("race_contestants_range", lo=int(limits.RACE_CONTESTANTS.lo), hi=int(limits.RACE_CONTESTANTS.hi)))


def _data_controls(state: PageState, part: GatedPart, v: dict) -> dict:
    """Widgets are seeded from the stored spec's values `v` on first use (a link's, or the default's);
    a challenge's link that hides the data (`data_hide=1`) keeps the link's."""
    if hidden_section("data"):
        return {"task": v["task"], "length": int(v["length"]), "vocab": int(v["vocab"]), "seed": int(v["seed"])}
    cols = st.columns(4)
    task = cols[0].selectbox(tr("w_task"), part.tasks, key=state.widget("task", v["task"]),
                             format_func=labeller("task_"), help=tr("help_task"))
    length = cols[1].slider(tr("w_seq_length"), int(limits.GATED_LENGTH.lo), int(limits.GATED_LENGTH.hi),
                            key=state.widget("length", v["length"]), help=tr("help_seq_length"))
    vocab = cols[2].slider(tr("w_vocab"), int(limits.GATED_VOCAB.lo), int(limits.GATED_VOCAB.hi),
                           key=state.widget("vocab", v["vocab"]), help=tr("help_vocab"),
                           disabled=task in ("parity", "adding"))
    seed = cols[3].number_input(tr("w_data_seed"), int(limits.DATA_SEED.lo), int(limits.DATA_SEED.hi), step=1,
                                key=state.widget("data_seed", v["seed"]), help=tr("help_data_seed"))
    st.caption(tr("task_posed_" + task))
    return {"task": task, "length": int(length), "vocab": int(vocab), "seed": int(seed)}


def _training_controls(state: PageState, v: dict) -> dict:
    if hidden_section("optimizer", "training"):  # a challenge's link keeps its own
        return {"lr": float(v["lr"]), "batch": int(v["batch"]), "race_seed": race_seed(state.prefix)}
    cols = st.columns(2)
    lr = cols[0].select_slider(tr("w_lr") + " (Adam)", limits.LEARNING_RATES, key=state.widget("lr", v["lr"]),
                               format_func=lambda x: f"{x:g}", help=tr("help_lr"))
    batch = cols[1].slider(tr("w_batch"), int(limits.GATED_BATCH.lo), int(limits.GATED_BATCH.hi),
                           key=state.widget("batch", v["batch"]), help=tr("help_batch"))
    return {"lr": float(lr), "batch": int(batch), "race_seed": race_seed(state.prefix)}


def _histograms(snap: RaceSnapshot, names: list[str], key: str, gate: str, title: str, axis: str = "") -> None:
    """One curve per model: how its `gate` values are spread over the probe examples; `axis` names
    the values (default: gate value)."""
    series, edges, colors = {}, None, []
    for i, (name, view) in enumerate(zip(names, snap.extras, strict=False)):
        found = view.gate(gate) if view is not None else None
        if found is not None:
            colors.append(model_color(i))
            edges = found.edges
            share = f"{found.near_zero:.0%}"
            series[f"{name} · {tr('near_zero', share=share)}"] = found.counts / max(found.counts.sum(), 1)
    if edges is None:
        return
    centres = (edges[:-1] + edges[1:]) / 2
    show(inside.lines_over_time(centres, series, percent=True, projector=projector(), colors=colors,
                                labels={"title": title, "epoch": axis or tr("axis_gate_value"), "value": tr("axis_fraction")}),
         f"{key}.hist.{gate}", tr("cap_hidden_histogram" if gate == "hidden" else "cap_gate_histogram",
                                  tolerance=limits.GATE_NEAR_ZERO))


# -- Part 1: the feedforward block ------------------------------------------------------------------



def _ffn_spec(stored: SeqRaceSpec) -> SeqRaceSpec:
    part = gated.FFN
    v, _ = page_values(part, stored)  # the stored spec always fits: no messages
    st.session_state.setdefault(f"{FFN}.seed0", v["race_seed"])  # a link's training seed, until New weights
    values = _data_controls(STATES["ffn"], part, v)
    if hidden_section("network"):  # a challenge's link keeps its networks
        values.update({k: v[k] for k in ("d", "h", "residual", "layer_norm")})
        values.update(_training_controls(STATES["ffn"], v), members=tuple(v["members"]))
        return compose(part, stored, values).validate()
    cols = st.columns(4)
    values["d"] = cols[0].select_slider(tr("w_ffn_d"), part.choices["d"], key=STATES["ffn"].widget("d", v["d"]),
                                        help=tr("help_ffn_d"))
    values["h"] = cols[1].select_slider(tr("w_ffn_h"), part.choices["h"], key=STATES["ffn"].widget("h", v["h"]),
                                        help=tr("help_ffn_h"))
    values["residual"] = cols[2].toggle(tr("w_residual"), key=STATES["ffn"].widget("residual", v["residual"]),
                                        help=tr("help_residual"))
    values["layer_norm"] = cols[3].toggle(tr("w_layer_norm"), key=STATES["ffn"].widget("norm", v["layer_norm"]),
                                          help=tr("help_layer_norm"))
    variants = st.multiselect(tr("w_variants"), part.options, key=STATES["ffn"].widget("variants", list(v["members"])),
                              format_func=labeller("variant_"), max_selections=int(limits.RACE_CONTESTANTS.hi),
                              help=tr("help_variants"))
    _check_count(variants)
    values.update(_training_controls(STATES["ffn"], v), members=tuple(variants))
    return compose(part, stored, values).validate()


def _counts(spec: SeqRaceSpec) -> None:
    rows = [{tr("col_variant"): tr("variant_" + c.model.variant), tr("col_hidden"): c.model.block_hidden(),
             tr("col_parameters"): ffn_parameter_count(c.model.d, c.model.block_hidden(), c.model.variant)}
            for c in spec.contestants]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(tr("cap_param_counts"))


def _ffn_draw(snap: RaceSnapshot, names: list[str]) -> None:
    status_line(snap)
    race_curves_panel(snap, names, FFN)


def _ffn_gates(snap: RaceSnapshot, names: list[str]) -> None:
    if all(e is None for e in snap.extras):
        st.info(tr("gates_need_training"))
        return
    _histograms(snap, names, FFN, "gate", tr("chart_gate_histograms"))
    index = min(int(st.session_state.get(f"{FFN}.pick", 0)), len(names) - 1)
    view = snap.extras[index]
    found = view.gate("gate") if view is not None else None
    if found is not None:
        labels = {"title": tr("chart_gate_heatmap", name=names[index]), "unit": tr("axis_hidden_unit"),
                  "rows": tr("axis_probe_example"), "value": tr("axis_gate_value")}
        show(gate_charts.unit_heatmap(found.values[:32], labels=labels, signed=True, projector=projector()),
             f"{FFN}.heatmap", tr("cap_gate_heatmap"))


def _ffn_part(stored: SeqRaceSpec) -> SeqRaceSpec:
    with settings_fold(FFN):
        st.caption(tr("gl_ffn_intro"))
        lesson_buttons(STATES["ffn"], GATED_FFN_LESSONS, with_note=False)
        spec = _ffn_spec(stored)
        _counts(spec)
    lesson_note(STATES["ffn"])
    STATES["ffn"].store(spec)
    names = [tr("variant_" + c.model.variant) for c in spec.contestants]
    runner = race_runner_for(FFN, spec)
    per_epoch = runner.snapshot.updates_per_epoch
    run_buttons(runner, FFN, per_epoch, tr("help_step", updates=per_epoch), partial(next_seed, FFN))
    st.caption(tr("step_label_race", updates=per_epoch, contestants=len(names)))
    live_panel(runner, partial(_ffn_draw, names=names))
    downloads(runner, STATES["ffn"].form.name, FFN)
    st.markdown(f"**{tr('sec_variant_formulas')}**")
    columns = st.columns(2)  # two to a row: the gated formulas are long
    for i, (c, name) in enumerate(zip(spec.contestants, names, strict=True)):
        columns[i % 2].markdown(f"**{name}**")
        for part in FORMULAS[c.model.variant].split(r",\quad"):  # a gate's own definition on its own line
            columns[i % 2].latex(part)
    st.selectbox(tr("w_heatmap_of"), list(range(len(names))), key=f"{FFN}.pick", format_func=names.__getitem__,
                 help=tr("help_heatmap_of"))
    live_panel(runner, partial(_ffn_gates, names=names), every=SLOW_S)
    return spec


# -- Part 2: recurrent gates ------------------------------------------------------------------------

GATE_NAMES = {"rnn": ("hidden",), "gru": ("update", "reset"), "lstm": ("forget", "input", "output")}


def _rnn_spec(stored: SeqRaceSpec) -> SeqRaceSpec:
    part = gated.RNN
    v, _ = page_values(part, stored)
    st.session_state.setdefault(f"{RNN}.seed0", v["race_seed"])
    values = _data_controls(STATES["rnn"], part, v)
    if hidden_section("network"):  # a challenge's link keeps its networks
        values.update(hidden=v["hidden"], **_training_controls(STATES["rnn"], v), members=tuple(v["members"]))
        return compose(part, stored, values).validate()
    cols = st.columns(2)
    values["hidden"] = cols[0].select_slider(tr("w_rnn_hidden"), part.choices["hidden"],
                                             key=STATES["rnn"].widget("hidden", v["hidden"]), help=tr("help_rnn_hidden"))
    cells = cols[1].multiselect(tr("w_cells"), part.options, key=STATES["rnn"].widget("cells", list(v["members"])),
                                format_func=labeller("cell_"), help=tr("help_cells"))
    _check_count(cells)
    values["forget_bias"] = v["forget_bias"]
    if "lstm" in cells:  # only the LSTM has a forget gate
        values["forget_bias"] = st.select_slider(tr("w_forget_bias"), part.choices["forget_bias"],
                                                 key=STATES["rnn"].widget("forget_bias", v["forget_bias"]),
                                                 format_func=lambda b: f"{b:g}", help=tr("help_forget_bias"))
    values["update_bias"] = v["update_bias"]
    if "gru" in cells:  # only the GRU has an update gate
        values["update_bias"] = st.select_slider(tr("w_update_bias"), part.choices["update_bias"],
                                                 key=STATES["rnn"].widget("update_bias", v["update_bias"]),
                                                 format_func=lambda b: f"{b:g}", help=tr("help_update_bias"))
    values.update(_training_controls(STATES["rnn"], v), members=tuple(cells))
    return compose(part, stored, values).validate()


def _rnn_draw(snap: RaceSnapshot, names: list[str]) -> None:
    status_line(snap)
    race_curves_panel(snap, names, RNN)


def _rnn_gates(snap: RaceSnapshot, names: list[str], cells: list[str]) -> None:
    if all(e is None for e in snap.extras):
        st.info(tr("gates_need_training"))
        return
    alive = [(i, name, e) for i, (name, e) in enumerate(zip(names, snap.extras, strict=False)) if e is not None]
    by_length = {name: e.accuracy_by_length for _, name, e in alive if e.accuracy_by_length}
    length_colors = [model_color(i) for i, _, e in alive if e.accuracy_by_length]
    norms = {name: e.grad_norms for _, name, e in alive if e.grad_norms is not None}
    grad_colors = [model_color(i) for i, _, e in alive if e.grad_norms is not None]
    left, right = (st.container(), st.container()) if projector() else st.columns(2)
    with left:
        if by_length:
            lengths = np.array(sorted(next(iter(by_length.values()))), dtype=float)
            series = {name: np.array([acc[int(t)] for t in lengths]) for name, acc in by_length.items()}
            show(inside.lines_over_time(lengths, series, percent=True, projector=projector(), colors=length_colors,
                                        labels={"title": tr("chart_acc_by_length"), "epoch": tr("axis_seq_length"),
                                                "value": tr("axis_accuracy")}), f"{RNN}.by_length", tr("cap_acc_by_length"))
    with right:
        if norms:
            steps = np.arange(1, len(next(iter(norms.values()))) + 1, dtype=float)
            show(inside.lines_over_time(steps, norms, log_y=True, projector=projector(), colors=grad_colors,
                                        labels={"title": tr("chart_grad_by_step"), "epoch": tr("axis_time_step"),
                                                "value": tr("axis_norm_log")}), f"{RNN}.grad", tr("cap_grad_by_step"))
    index = min(int(st.session_state.get(f"{RNN}.pick", 0)), len(names) - 1)
    view = snap.extras[index]
    if view is None or not view.gates:
        return
    found = view.gate(st.session_state.get(f"{RNN}.gate")) or view.gates[0]
    gate = found.name
    example = min(int(st.session_state.get(f"{RNN}.example", 1)) - 1, found.values.shape[0] - 1)  # shown from 1
    labels = {"title": tr("chart_gate_time", name=names[index], gate=tr("gate_" + gate), example=example + 1),
              "unit": tr("axis_hidden_unit"), "rows": tr("axis_time_step"), "value": tr("gate_" + gate)}  # not "gate value"
    show(gate_charts.unit_heatmap(found.values[example], labels=labels, signed=gate == "hidden", projector=projector()),
         f"{RNN}.heatmap", tr("cap_gate_time"))
    _histograms(snap, names, RNN, gate, tr("chart_gate_histogram_of", gate=tr("gate_" + gate)), tr("gate_" + gate))


def _cell_formulas(cells: list[str], names: list[str]) -> None:
    """Each racing cell's equations, torch's convention."""
    with st.expander(tr("sec_cell_formulas"), expanded=False):
        for cell, name in zip(cells, names, strict=True):
            st.markdown(f"**{name}**")  # a cell a row: the equations are too wide to stand side by side
            aligned = (line.replace(" = ", " &= ", 1) for line in CELL_FORMULAS[cell])  # lined up at "="
            st.latex(r"\begin{aligned}" + r" \\ ".join(aligned) + r"\end{aligned}")
        st.caption(tr("cap_cell_formulas"))


def _rnn_part(stored: SeqRaceSpec) -> SeqRaceSpec:
    with settings_fold(RNN):
        st.caption(tr("gl_rnn_intro"))
        st.caption(tr("gl_rnn_measured"))  # benchmarks/bench_gated.py, docs/PERFORMANCE.md
        lesson_buttons(STATES["rnn"], GATED_LESSONS, with_note=False)
        spec = _rnn_spec(stored)
    STATES["rnn"].store(spec)
    lesson_note(STATES["rnn"])
    cells = [c.model.cell for c in spec.contestants]
    names = [tr("cell_" + c) for c in cells]
    runner = race_runner_for(RNN, spec)
    per_epoch = runner.snapshot.updates_per_epoch
    run_buttons(runner, RNN, per_epoch, tr("help_step", updates=per_epoch), partial(next_seed, RNN))
    st.caption(tr("step_label_race", updates=per_epoch, contestants=len(names)))
    live_panel(runner, partial(_rnn_draw, names=names))
    _cell_formulas(cells, names)
    downloads(runner, STATES["rnn"].form.name, RNN)
    cols = st.columns(3)
    index = cols[0].selectbox(tr("w_heatmap_of"), list(range(len(names))), key=f"{RNN}.pick",
                              format_func=names.__getitem__, help=tr("help_heatmap_of"))
    gates = list(GATE_NAMES[cells[min(index, len(cells) - 1)]])
    gate_names = {g: tr("gate_" + g) for g in gates}
    cols[1].selectbox(tr("w_gate"), gates, key=f"{RNN}.gate", format_func=gate_names.__getitem__, help=tr("help_gate"))
    cols[2].number_input(tr("w_example"), 1, int(limits.GATE_EXAMPLES), value=1, key=f"{RNN}.example",
                         help=tr("help_example"))
    live_panel(runner, partial(_rnn_gates, names=names, cells=cells), every=SLOW_S)
    return spec


def render() -> None:
    st.title(tr("gl_title"))
    st.caption(tr("gl_intro"))
    show_callback_error()
    # Above the tabs: a link's problems with either part are seen whichever tab is open.
    specs = {name: state.load() for name, state in STATES.items()}
    names = {"ffn": tr("tab_ffn"), "rnn": tr("tab_rnn")}
    opening = lesson_tab("gated", {"ffn": GATED_FFN_LESSONS, "rnn": GATED_LESSONS})
    ffn, rnn = st.tabs(list(names.values()), default=names.get(opening))
    with ffn, error_boundary("ffn"):
        specs["ffn"] = _ffn_part(specs["ffn"])
    with rnn, error_boundary("rnn"):
        specs["rnn"] = _rnn_part(specs["rnn"])
    for name, state in STATES.items():  # a part that failed keeps its last good spec in the link
        state.save(specs[name])
