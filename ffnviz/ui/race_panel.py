"""Part 2 of the optimizer page: contestants training one network in lockstep, live.

Every contestant starts from the same initial weights and sees the same batches; they differ
only in what the table says (optimizer, its hyperparameters, regularization, activation,
dropout). The race runs in a RaceRunner thread; the charts are a live fragment."""

from __future__ import annotations

import math
from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from ffnviz import limits
from ffnviz.lessons import RACE_LESSONS
from ffnviz.page_links import OPTIMIZER_RACE
from ffnviz.specs import ACTIVATIONS, CLASSIFICATION_DATASETS, REGULARIZERS, DataSpec, ModelSpec, OptimSpec, RegSpec
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.specs.race import Contestant, RaceSpec
from ffnviz.train.race_runner import RaceSnapshot
from ffnviz.ui.charts import projector, show
from ffnviz.ui.controls import run_buttons, status_line
from ffnviz.ui.i18n import labeller, tr, tr_message
from ffnviz.ui.layout import settings_fold
from ffnviz.ui.lessons_panel import lesson_buttons, lesson_note
from ffnviz.ui.live import live_panel
from ffnviz.ui.run_files import downloads, race_files
from ffnviz.ui.runs import race_runner_for
from ffnviz.ui.spec_state import PageState, hidden_section, is_hidden, keep_in_range
from ffnviz.viz.race_charts import race_curves, race_table_rows

K = "op.race"
DATASETS = CLASSIFICATION_DATASETS  # a race compares accuracies: classification only
SAME = "same"  # the base's activation / dropout


def _base(default: RaceSpec) -> tuple[DataSpec, ModelSpec, int]:
    """The shared data, network and batch size; a section a challenge hides keeps the link's."""
    b = default.base
    data, model = b.data, b.model
    cols = iter(st.columns(5))
    if not hidden_section("data"):
        dataset = next(cols).selectbox(tr("w_dataset"), DATASETS, key=STATE.widget("dataset", b.data.dataset),
                                       format_func=labeller("ds_"), help=tr("help_dataset"))
        noise = next(cols).slider(tr("w_noise"), 0, int(limits.NOISE.hi * 100), step=5,
                                  key=STATE.widget("noise", int(round(b.data.noise * 100))), help=tr("help_noise"))
        data = replace(b.data, dataset=dataset, noise=noise / 100)
    if not hidden_section("network"):
        layers = next(cols).number_input(tr("w_layers"), 0, int(limits.HIDDEN_LAYERS.hi),
                                         key=STATE.widget("layers", len(b.model.hidden)), help=tr("help_layers"))
        units = next(cols).number_input(tr("w_units_all"), int(limits.UNITS.lo), int(limits.UNITS.hi),
                                        key=STATE.widget("units", int(b.model.hidden[0]) if b.model.hidden else 8),
                                        help=tr("help_units_all"))
        activation = next(cols).selectbox(tr("w_activation"), ACTIVATIONS,
                                          key=STATE.widget("activation", b.model.activation),
                                          format_func=labeller("act_"), help=tr("help_activation"))
        model = replace(b.model, hidden=(int(units),) * int(layers), activation=activation, layer_activations=())
    # A batch as large as the training set is the whole set (a larger one trains the same way).
    n_train = max(2, int(round(data.n_points * data.train_fraction)))
    if hidden_section("training"):
        return data, model, min(b.train.batch_size, n_train)
    batch = st.slider(tr("w_batch"), 1, n_train,
                      key=keep_in_range(STATE.widget("batch", min(b.train.batch_size, n_train)), 1, n_train),
                      help=tr("help_batch"))
    return data, model, min(int(batch), n_train)


def _table(default: RaceSpec) -> pd.DataFrame:
    rows = [{"optimizer": c.optim.name, "lr": c.optim.lr,
             "hyper": ", ".join(f"{k}={v:g}" for k, v in c.optim.hyper),
             "reg": c.reg.kind, "rate": c.reg.rate, "activation": c.activation or SAME,
             "dropout": float("nan") if c.dropout is None else c.dropout} for c in default.contestants]
    return pd.DataFrame(rows)


def _blank(value) -> bool:
    """An empty cell: None, NaN (a new row's missing number or text) or only spaces."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _parse_hyper(name: str, text: str) -> tuple[tuple[str, float], ...]:
    """'momentum=0.95, eps=1e-8' -> (("eps", 1e-8), ("momentum", 0.95)); ValueError says what is wrong."""
    known = {h.name for h in OPTIMIZERS[name].hypers}
    out = []
    for part in filter(None, (p.strip() for p in ("" if _blank(text) else str(text)).split(","))):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in known:
            raise ValueError(tr("race_bad_hyper", part=part, name=tr("opt_" + name), known=", ".join(sorted(known)) or "—"))
        try:
            out.append((key, float(value)))
        except ValueError:
            raise ValueError(tr("race_bad_hyper", part=part, name=tr("opt_" + name), known=", ".join(sorted(known)))) from None
    return tuple(sorted(out))


def _contestants(table: pd.DataFrame) -> tuple[Contestant, ...]:
    out = []
    for i, row in enumerate(table.to_dict("records"), start=1):
        name = row.get("optimizer")
        if _blank(name) or name not in OPTIMIZERS:
            raise ValueError(tr("race_row_needs_optimizer", row=i))
        activation, dropout = row.get("activation"), row.get("dropout")
        out.append(Contestant(
            optim=OptimSpec(name, OPTIMIZERS[name].lr if _blank(row.get("lr")) else float(row["lr"]),
                            _parse_hyper(name, row.get("hyper"))),
            reg=RegSpec(row["reg"] if row.get("reg") in REGULARIZERS else "none",
                        0.0 if _blank(row.get("rate")) else float(row["rate"])),
            activation=None if _blank(activation) or activation == SAME else str(activation),
            dropout=None if _blank(dropout) else float(dropout)))
    return tuple(out)


def _contestant_table(default: RaceSpec) -> tuple[Contestant, ...]:
    st.markdown(f"**{tr('sec_contestants')}**")
    acts = [SAME, *ACTIVATIONS]
    act_names = {SAME: tr("same_as_network")} | {a: tr("act_" + a) for a in ACTIVATIONS}
    # The editor keeps its own edits over the table it first showed (the race the page opened with).
    origin = st.session_state.setdefault(f"{K}.table.origin", default)
    table = st.data_editor(
        _table(origin), key=f"{K}.table", num_rows="dynamic", width="stretch", hide_index=True,
        column_config={
            "optimizer": st.column_config.SelectboxColumn(tr("col_optimizer"), options=list(OPTIMIZERS), required=True,
                                                          format_func=labeller("opt_"), help=tr("help_optimizer")),
            "lr": st.column_config.NumberColumn(tr("col_lr"), min_value=limits.LEARNING_RATE.lo,
                                                max_value=limits.LEARNING_RATE.hi, format="%g", help=tr("help_race_lr")),
            "hyper": st.column_config.TextColumn(tr("col_hyper"), help=tr("help_race_hyper")),
            "reg": st.column_config.SelectboxColumn(tr("col_reg"), options=list(REGULARIZERS), format_func=labeller("reg_"),
                                                    help=tr("help_reg")),
            "rate": st.column_config.NumberColumn(tr("col_reg_rate"), min_value=0.0, max_value=limits.REG_RATE.hi,
                                                  format="%g", help=tr("help_reg_rate")),
            "activation": st.column_config.SelectboxColumn(tr("col_activation"), options=acts,
                                                           format_func=act_names.__getitem__,
                                                           help=tr("help_race_activation")),
            "dropout": st.column_config.NumberColumn(tr("col_dropout"), min_value=0.0, max_value=limits.DROPOUT.hi,
                                                     format="%g", help=tr("help_race_dropout")),
        })
    return _contestants(table)


def _controls(default: RaceSpec) -> RaceSpec:
    data, model, batch = _base(default)
    # A challenge that locks the networks or optimizers keeps its link's contestants.
    contestants = default.contestants if hidden_section("network", "optimizer") else _contestant_table(default)
    if not limits.RACE_CONTESTANTS.contains(len(contestants)):
        raise ValueError(tr("race_contestants_range", lo=int(limits.RACE_CONTESTANTS.lo), hi=int(limits.RACE_CONTESTANTS.hi)))
    left, right = st.columns(2)
    # Contestants × seeds models must fit the race's cap: fewer seeds are offered for a big race.
    most = max(1, min(int(limits.RACE_SEEDS.hi), limits.RACE_MODELS // len(contestants)))
    seeds = len(default.seeds)
    if not hidden_section("training"):
        # the range follows the number of contestants: a fourth one kept three seeds at three, not at 1
        seeds = left.slider(tr("w_race_seeds"), 1, max(most, 2),
                            key=keep_in_range(STATE.widget("seeds", min(len(default.seeds), most)), 1, max(most, 2)),
                            help=tr("help_race_seeds", models=limits.RACE_MODELS), disabled=most == 1)
    seeds = min(int(seeds), most)
    target = right.slider(tr("w_target_acc"), 0.5, 1.0, step=0.01,
                          key=STATE.widget("target", float(default.target_accuracy)), help=tr("help_target_acc"))
    first = int(st.session_state.get(f"{K}.seed0", default.seeds[0] if default.seeds else 0))
    base = replace(default.base, data=data, model=model, train=replace(default.base.train, batch_size=batch))
    return RaceSpec(base=base, contestants=contestants, seeds=tuple(range(first, first + seeds)),
                    target_accuracy=float(target)).validate()


def _names(spec: RaceSpec) -> list[str]:
    def name(c: Contestant) -> str:
        extra = [f"{k}={v:g}" for k, v in c.optim.hyper]
        if c.reg.kind != "none":
            extra.append(f"{tr('reg_' + c.reg.kind)} {c.reg.rate:g}")
        if c.activation:
            extra.append(tr("act_" + c.activation))
        if c.dropout is not None:
            extra.append(f"{tr('col_dropout')} {c.dropout:g}")
        return f"{tr('opt_' + c.optim.name)} {c.optim.lr:g}" + (f" ({', '.join(extra)})" if extra else "")

    return [name(c) for c in spec.contestants]


def _fmt(value, digits: int = 4) -> str:
    """A number for the table; "—" for none yet (None, NaN, 0 of a time not measured)."""
    if value is None or not math.isfinite(value) or value == 0:
        return "—"
    return f"{value:,.{digits}f}"


def _standings(snap: RaceSnapshot, names: list[str]) -> pd.DataFrame:
    """The race's table, ranked: first to the target, then the best test accuracy, then the loss."""
    rows = sorted(race_table_rows(snap, names), key=lambda row: row["rank"])
    return pd.DataFrame([{
        tr("col_rank"): row["rank"],
        tr("col_contestant"): row["name"],
        tr("col_train_loss"): _fmt(row["train_loss"]),
        tr("col_test_loss"): _fmt(row["test_loss"]),
        tr("col_best_acc"): "—" if not math.isfinite(row["best_test_acc"]) else f"{row['best_test_acc']:.1%}",
        tr("col_updates_to_target"): "—" if row["updates_to_target"] is None else f"{row['updates_to_target']:,}",
        tr("col_us_per_update"): _fmt(row["seconds_per_update"] * 1e6, 0),
        tr("col_state"): tr("race_diverged_at", update=row["diverged_at"]) if row["diverged_at"] is not None
        else tr("race_running"),
    } for row in rows])


def _draw(snap: RaceSnapshot, names: list[str], smoothing: float) -> None:
    status_line(snap)
    cols = st.columns(3)
    cols[0].metric(tr("metric_epoch"), f"{snap.epoch:,.0f}", help=tr("help_metric_epoch"))
    cols[1].metric(tr("metric_updates"), f"{snap.updates:,}", help=tr("help_race_updates"))
    cols[2].metric(tr("metric_models"), f"{len(names) * len(snap.spec.seeds)}", help=tr("help_metric_models"))
    columns = [st.container()] if projector() else st.columns(2)
    curve_labels = {"train": tr("train"), "test": tr("test"), "epoch": tr("axis_epoch"),
                    "loss_axis": tr("axis_loss_log"), "acc_axis": tr("axis_accuracy")}
    with columns[0]:
        show(race_curves(snap.histories, names, "loss", smoothing=smoothing, projector=projector(),
                         labels={**curve_labels, "title": tr("chart_race_loss")}), f"{K}.loss", tr("cap_race_loss"))
    with columns[-1]:
        show(race_curves(snap.histories, names, "accuracy", smoothing=smoothing, projector=projector(),
                         labels={**curve_labels, "title": tr("chart_race_accuracy")}),
             f"{K}.accuracy", tr("cap_race_accuracy"))
    st.dataframe(_standings(snap, names), hide_index=True, width="stretch")
    st.caption(tr("cap_race_table", target=f"{snap.spec.target_accuracy:.0%}"))


def _new_seeds() -> None:
    """'New weights': the next seeds (the rerun builds the race with them)."""
    seeds = int(st.session_state.get(f"{K}.seeds", 1))
    first = int(st.session_state.get(f"{K}.seed0", STATE.spec.seeds[0])) + seeds
    st.session_state[f"{K}.seed0"] = first if first + seeds - 1 <= limits.SEED.hi else int(limits.SEED.lo)


def _classification_only(spec: RaceSpec, messages: list[str]) -> RaceSpec:
    if spec.base.data.dataset not in DATASETS:  # a race compares accuracies
        messages.append(tr("race_needs_classification", dataset=spec.base.data.dataset))
        return OPTIMIZER_RACE.default
    return spec


STATE = PageState(OPTIMIZER_RACE, K, fit=_classification_only)


def _show_stored_race() -> None:
    """The table of contestants and the seeds follow the stored spec again (after a lesson or a
    loaded race replaced it): the editor's own edits and the 'New weights' offset go."""
    st.session_state[f"{K}.table.origin"] = STATE.spec
    st.session_state.pop(f"{K}.table", None)
    st.session_state.pop(f"{K}.seed0", None)


def load_race(spec: RaceSpec) -> None:
    """Make `spec` the race (the sweep's best rates, a lesson): every widget and the table show it."""
    STATE.replace(spec.validate())
    _show_stored_race()


def race_panel() -> RaceSpec:
    """The race's controls, buttons and live charts; returns the race's spec (the sweep uses it)."""
    default = STATE.load()
    with settings_fold(K):
        st.caption(tr("race_intro"))
        lesson_buttons(STATE, RACE_LESSONS, on_load=_show_stored_race, with_note=False)
        try:
            spec = _controls(default)
        except ValueError as err:  # a bad row in the table: say so, and the race goes on as it was
            st.error(tr("error_invalid", detail=tr_message(str(err))))
            spec = default
    lesson_note(STATE)
    STATE.save(spec)  # the 2-D part's keys stay in the URL beside the race's
    runner = race_runner_for(K, spec)
    per_epoch = runner.snapshot.updates_per_epoch
    run_buttons(runner, K, per_epoch, tr("help_step", updates=per_epoch), _new_seeds)
    charts = st.container()  # above the smoothing slider: the charts on the projector's first screen
    st.caption(tr("step_label_race", updates=per_epoch, contestants=len(spec.contestants)))
    smoothing = st.slider(tr("w_smoothing"), 0.0, 0.99, value=0.0, step=0.01, key=f"{K}.smoothing",
                          help=tr("help_smoothing"))
    with charts:
        live_panel(runner, partial(_draw, names=_names(spec), smoothing=float(smoothing)))
    if not is_hidden("files"):  # a challenge's link: a loaded race would leave it
        race_files("optimizers", K, STATE, runner, shown=_show_stored_race)
    else:
        downloads(runner, STATE.form.name, K)
    return spec
