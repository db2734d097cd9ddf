"""Chart helpers shared by pages: translated labels for the pure builders in ffnviz.viz, and
drawing a figure the same way everywhere."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ffnviz.train.runner import RUNNING, Snapshot
from ffnviz.ui.i18n import tr
from ffnviz.ui.plot import plot
from ffnviz.ui.uploads import dataset_of
from ffnviz.viz import charts

PROJECTOR_KEY = "projector"


def projector() -> bool:
    return bool(st.session_state.get(PROJECTOR_KEY, False))


def show(fig: go.Figure | str, key: str, caption: str, on_click=None) -> None:
    """`fig` under `key` (see plot: a figure, or its JSON), its caption below."""
    plot(fig, key, on_click)
    st.caption(caption)


def _curve_labels(title_key: str) -> dict[str, str]:
    return {"train": tr("train"), "test": tr("test"), "epoch": tr("axis_epoch"), "loss_axis": tr("axis_loss_log"),
            "acc_axis": tr("axis_accuracy"), "title": tr(title_key)}


def loss_figure(snap: Snapshot, ghost: charts.Ghost | None = None) -> go.Figure:
    h = snap.history
    return charts.loss_chart(h["epoch"], h["train_loss"], h["test_loss"], labels=_curve_labels("chart_loss"),
                             projector=projector(), ghost=ghost)


def accuracy_figure(snap: Snapshot, ghost: charts.Ghost | None = None) -> go.Figure:
    h = snap.history
    return charts.accuracy_chart(h["epoch"], h["train_acc"], h["test_acc"], labels=_curve_labels("chart_accuracy"),
                                 projector=projector(), ghost=ghost)


def decision_figure(snap: Snapshot, show_test: bool = True, discretize: bool = False) -> go.Figure:
    data = dataset_of(snap.spec.data)
    points = [(data.x_train, data.y_train, "train")]
    if show_test:
        points.append((data.x_test, data.y_test, "test"))
    labels = {"train": tr("train"), "test": tr("test"), "class": tr("class"), "probability": tr("probability"),
              "prediction": tr("prediction"), "target": tr("target")}
    regression = snap.spec.data.problem == "regression"
    labels["title"] = tr("chart_prediction" if regression else "chart_decision")
    draw = charts.regression_map if regression else charts.decision_map
    return draw(snap.grid, snap.grid_extent, points, labels=labels, projector=projector(), discretize=discretize,
                compact=snap.status == RUNNING)  # while it trains: bytes, no hover


def layer_norms_figure(snap: Snapshot) -> go.Figure:
    labels = {"grad": tr("grad_norm"), "weight": tr("weight_norm"), "norm_axis": tr("axis_norm_log"),
              "title": tr("chart_layer_norms")}
    last = len(snap.probes)  # the output layer is named so, as in the network diagram
    names = [tr("output_short") if p.layer == last else f"{tr('layer')} {p.layer}" for p in snap.probes]
    return charts.layer_norms(names, [p.grad_norm for p in snap.probes],
                              [p.weight_norm for p in snap.probes], labels=labels, projector=projector())


def probe_table(snap: Snapshot) -> pd.DataFrame:
    """The probes of every layer as rows, with translated column names."""

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    rows = [{
        tr("layer"): p.layer,
        tr("col_activation"): tr("act_" + p.activation) if p.activation != "output" else tr("output_layer"),
        tr("col_mean"): round(p.act_mean, 3),
        tr("col_std"): round(p.act_std, 3),
        tr("col_dead"): pct(p.dead_fraction),
        tr("col_saturated"): pct(p.saturated_fraction),
        tr("col_grad"): f"{p.grad_norm:.3g}",
        tr("col_weight"): f"{p.weight_norm:.3g}",
    } for p in snap.probes]
    return pd.DataFrame(rows)
