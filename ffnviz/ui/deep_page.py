"""The deep-networks page: lessons on top, controls on the left, the run on the right (the loss
with its validation curve beside the learning rate), then every layer live: activations at
initialization and now, histograms, gradient norms, one update's size, dead and saturated units,
and an alert in words when gradients vanish or explode."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ffnviz.lessons import DEEP_LESSONS
from ffnviz.specs.deep import DeepRunSpec
from ffnviz.train.deep_runner import DeepRunner
from ffnviz.train.runner import DIVERGED, Snapshot
from ffnviz.ui.charts import projector, show
from ffnviz.ui.controls import metrics_row, run_buttons, status_line
from ffnviz.ui.deep_controls import PAGE, STATE, P, deep_controls, refusal
from ffnviz.ui.errors import error_boundary, show_callback_error
from ffnviz.ui.i18n import tr
from ffnviz.ui.lessons_panel import lesson_buttons
from ffnviz.ui.live import SLOW_S, live_panel
from ffnviz.ui.runs import runner_for
from ffnviz.ui.schedule_panel import lr_chart
from ffnviz.viz import deep_charts


def _layer_labels(title: str) -> dict[str, str]:
    return {"title": tr(title), "layer": tr("layer"), "value": tr("axis_value"), "init": tr("dp_init"),
            "now": tr("dp_now"), "mean": tr("dp_mean"), "std": tr("dp_std"), "share": tr("dp_share"),
            "healthy": tr("dp_healthy"), "dead": tr("dp_dead"), "saturated": tr("dp_saturated"),
            "epoch": tr("axis_epoch")}


def _curves(snap: Snapshot) -> None:
    h = snap.history
    labels = {"title": tr("dp_chart_loss"), "epoch": tr("axis_epoch"), "loss_axis": tr("axis_loss_log"),
              "train": tr("train"), "val": tr("dp_val"), "test": tr("test"), "best": tr("dp_best")}
    left, right = (st.container(), st.container()) if projector() else st.columns(2)  # projector: one a row
    with left:
        show(deep_charts.loss_with_validation(h["epoch"], h["train_loss"], h["val_loss"], h["test_loss"], snap.best_epoch,
                                              labels=labels, projector=projector()), "dp.chart.loss", tr("dp_cap_loss"))
    spec = snap.spec
    with right:
        lr_chart(snap.lr_trace, spec.schedule, spec.optim.name, spec.optim.lr, spec.train.max_updates, snap.updates,
                 "dp.chart.lr")


def _draw_run(snap: Snapshot) -> None:
    status_line(snap)
    metrics_row(snap)
    if snap.best_epoch is not None and snap.status == "done":
        which = tr("dp_which_restored") if snap.restored else tr("dp_which_last")
        st.caption(tr("dp_stopped_note", best=snap.best_epoch, which=which))
    _curves(snap)


def _draw_layers(snap: Snapshot) -> None:
    view = snap.extras
    if snap.status == DIVERGED:  # NaN everywhere: nothing left to measure
        st.caption(tr("dp_layers_diverged"))
        return
    if view is None or not snap.probes:
        st.caption(tr("dp_probing_off"))
        return
    if view.alert:
        (st.error if view.alert == "exploding" else st.warning)(tr(f"dp_alert_{view.alert}"))
    norm = float(np.sqrt(sum(p.weight_norm ** 2 for p in snap.probes)))
    st.caption(tr("dp_weight_norm", norm=f"{norm:.3g}"))
    hidden, init = [p for p in snap.probes if p.act_hist.size], [p for p in view.init if p.act_hist.size]
    pj = projector()
    left, right = (st.container(), st.container()) if pj else st.columns(2)  # projector: one a row
    with left:
        show(deep_charts.activation_stats([p.act_mean for p in init], [p.act_std for p in init],
                                          [p.act_mean for p in hidden], [p.act_std for p in hidden],
                                          labels=_layer_labels("dp_chart_act"), projector=pj), "dp.chart.act", tr("dp_cap_act"))
        show(deep_charts.gradient_norms([p.grad_norm for p in view.init], [p.grad_norm for p in snap.probes],
                                        labels=_layer_labels("dp_chart_grad"), projector=pj), "dp.chart.grad", tr("dp_cap_grad"))
        show(deep_charts.unit_health([p.dead_fraction for p in hidden], [p.saturated_fraction for p in hidden],
                                     labels=_layer_labels("dp_chart_units"), projector=pj), "dp.chart.units", tr("dp_cap_units"))
    with right:
        edges = snap.act_edges[0] if snap.act_edges else np.linspace(-1, 1, 2)
        counts = [np.stack([p.act_hist for p in probes]) for probes in (init, hidden)]
        show(deep_charts.layer_histograms(edges, *counts, labels=_layer_labels("dp_chart_hist"), projector=pj),
             "dp.chart.hist", tr("dp_cap_hist"))
        show(deep_charts.update_ratios(view.ratios, labels=_layer_labels("dp_chart_ratio"), projector=pj), "dp.chart.ratio",
             tr("dp_cap_ratio"))
        history = snap.probe_history
        if len(history.get("epoch", ())) >= 2:
            show(deep_charts.gradients_over_time(history["epoch"], history["grad_norm"],
                                                 labels=_layer_labels("dp_chart_grad_time"), projector=pj),
                 "dp.chart.grad_time", tr("dp_cap_grad_time"))


def _share(spec: DeepRunSpec, runner: DeepRunner) -> None:
    with st.expander(tr("sec_share"), expanded=False, icon=":material/link:"):
        always = {"data.seed": str(spec.data.seed), "train.seed": str(spec.train.seed),
                  "train.device": runner.snapshot.device}
        st.code(STATE.share_link(PAGE, spec, {}, always), language=None, wrap_lines=True)
        st.caption(tr("cap_share"))


def render() -> None:
    st.title(tr("dp_title"))
    st.caption(tr("dp_intro"))
    show_callback_error()
    spec = STATE.load()
    # The lessons at the top of the controls, beside the run: the charts on the projector's first screen.
    controls, run = st.columns([1, 2], gap="large")
    with controls, error_boundary("controls"):
        lesson_buttons(STATE, DEEP_LESSONS, per_row=1)
        chosen = deep_controls(spec)
        why = refusal(chosen)
        if why:
            st.error(why)
        else:
            spec = chosen
        st.caption(tr("dp_parameters", params=spec.parameters))
    with run, error_boundary("run"):
        STATE.save(spec)
        runner = runner_for(PAGE, "main", spec, make=DeepRunner)
        if spec.momentum_note():
            st.info(tr("dp_no_momentum_cycle", optimizer=tr("opt_" + spec.optim.name)))
        per_epoch = runner.snapshot.updates_per_epoch
        run_buttons(runner, P, per_epoch, tr("help_step", updates=per_epoch), STATE.bump_seed)
        st.caption(tr("step_label", updates=per_epoch))
        live_panel(runner, _draw_run)
        probing = st.toggle(tr("dp_w_probing"), key=STATE.widget("probing", True), help=tr("dp_help_probing"))
        runner.set_probing(bool(probing))
        st.subheader(tr("dp_sec_layers"))
        live_panel(runner, _draw_layers, every=SLOW_S)
        _share(spec, runner)
