"""Inside the network: the network as a diagram, every neuron's map, the probes over time, and
a weight editor while the run is paused. Heavy pictures: drawn at 1 Hz, and only when shown.

Pickers (which neuron to enlarge, which layer's histogram) sit outside the refreshing fragment,
so choosing does not fight the timer; the fragment reads their choice from session_state.
"""

from __future__ import annotations

import zlib
from functools import partial

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ffnviz.data.features import LABELS as FEATURE_LABELS
from ffnviz.train.runner import QUEUED, RUNNING, Runner, Snapshot
from ffnviz.ui.charts import layer_norms_figure, probe_table, projector, show
from ffnviz.ui.errors import error_boundary
from ffnviz.ui.i18n import tr
from ffnviz.ui.live import SLOW_S, live_panel
from ffnviz.viz import inside, network

CAPTIONS = {"hist": "cap_act_hist", "grad": "cap_grad_time", "dead": "cap_dead_time", "wnorm": "cap_weight_time",
            "sparsity": "cap_sparsity_time"}


def layer_names(snap: Snapshot) -> list[str]:
    """Column names: inputs, hidden layers 1..L, output."""
    hidden = len(snap.spec.model.hidden)
    return [tr("input_layer")] + [f"{tr('layer')} {i + 1}" for i in range(hidden)] + [tr("output_short")]


def input_labels(snap: Snapshot) -> list[str]:
    return [FEATURE_LABELS[f] for f in snap.spec.data.features]


def _unit_name(snap: Snapshot, layer: int, unit: int) -> str:
    if layer == 0:
        return f"{tr('input_layer')}: {input_labels(snap)[unit]}"
    return f"{layer_names(snap)[layer]}, {tr('unit')} {unit + 1}"


def network_figure(snap: Snapshot) -> go.Figure:
    labels = {"title": tr("chart_network"), "weight": tr("weight"), "bias": tr("bias"), "layer": tr("layer"),
              "unit": tr("unit"), "edges_capped": tr("edges_capped"), "input": tr("input_layer"),
              "output": tr("output_short")}
    return network.network_diagram(list(snap.weights), list(snap.biases), input_labels(snap), labels=labels,
                                   projector=projector())


def maps_figure(snap: Snapshot, selected: tuple[int, int] | None = None) -> go.Figure:
    labels = {"title": tr("chart_neuron_maps"), "tiles_capped": tr("tiles_capped"), "hover": tr("hover_click_to_enlarge")}
    return inside.neuron_maps(list(snap.neuron_grids), labels=labels, layer_names=layer_names(snap),
                              projector=projector(), selected=selected)[0]


def time_figures(snap: Snapshot, hist_layer: int) -> dict[str, go.Figure]:
    """The probes over time, by chart key: hist (layer `hist_layer`'s activations), grad, dead,
    wnorm, and sparsity under L1. Empty before two probes exist."""
    h = snap.probe_history
    if not h or len(h["epoch"]) < 2:
        return {}
    names = [f"{tr('layer')} {i + 1}" for i in range(h["grad_norm"].shape[1] - 1)] + [tr("output_short")]
    epochs = h["epoch"]

    def series(name: str) -> dict[str, np.ndarray]:
        table = h[name]
        return {n: table[:, i] for i, n in enumerate(names) if np.isfinite(table[:, i]).any()}

    def labels(title: str, value: str) -> dict[str, str]:
        return {"title": tr(title), "epoch": tr("axis_epoch"), "value": tr(value)}

    figures = {}
    if h["act_hist"]:
        layer = min(hist_layer, len(h["act_hist"]) - 1)
        figures["hist"] = inside.histogram_over_time(
            epochs, snap.act_edges[layer], h["act_hist"][layer], projector=projector(),
            labels={**labels("chart_act_hist", "axis_activation"), "title": tr("chart_act_hist", layer=layer + 1)})
    figures["grad"] = inside.lines_over_time(epochs, series("grad_norm"), log_y=True, projector=projector(),
                                             labels=labels("chart_grad_time", "axis_norm_log"))
    dead = {**{f"{n} · {tr('col_dead')}": v for n, v in series("dead_fraction").items()},
            **{f"{n} · {tr('col_saturated')}": v for n, v in series("saturated_fraction").items()}}
    if dead:
        figures["dead"] = inside.lines_over_time(epochs, dead, percent=True, projector=projector(),
                                                 labels=labels("chart_dead_time", "axis_fraction"))
    figures["wnorm"] = inside.lines_over_time(epochs, series("weight_norm"), log_y=True, projector=projector(),
                                              labels=labels("chart_weight_time", "axis_norm_log"))
    if snap.spec.reg.kind == "l1":
        figures["sparsity"] = inside.lines_over_time(epochs, series("weight_sparsity"), percent=True,
                                                     projector=projector(),
                                                     labels=labels("chart_sparsity_time", "axis_fraction"))
    return figures


def _pick_tile(key: str, sizes: list[int], res: int, x: float, y: float, _trace: int) -> None:
    """A click on the mosaic enlarges that neuron (its picker, outside the fragment, follows on
    the rerun _draw asks for)."""
    tile = inside.tile_at(x, y, sizes, res)
    if tile is not None:
        st.session_state[f"{key}.pick"] = tile
        st.session_state[f"{key}.picked"] = True


def _maps(snap: Snapshot, key: str) -> None:
    if not snap.neuron_grids:
        return
    sizes = [int(g.shape[0]) for g in snap.neuron_grids]
    chosen = st.session_state.get(f"{key}.pick")
    show(maps_figure(snap, chosen), key, tr("cap_neuron_maps"),
         on_click=partial(_pick_tile, key, sizes, int(snap.neuron_grids[0].shape[1])))
    if chosen:
        layer, unit = chosen
        if layer < len(snap.neuron_grids) and unit < snap.neuron_grids[layer].shape[0]:
            big = inside.neuron_map(snap.neuron_grids[layer][unit], snap.grid_extent,
                                    labels={"title": _unit_name(snap, layer, unit), "value": tr("value")},
                                    projector=projector())
            show(big, f"{key}.big", tr("cap_neuron_map"))


def _over_time(snap: Snapshot, key: str) -> None:
    figures = time_figures(snap, int(st.session_state.get(f"{key}.hist_layer", 0)))
    if not figures:
        st.info(tr("inside_needs_training"))
        return
    top = st.container()  # made first: Streamlit places containers in the order they are made
    left, right = (st.container(), st.container()) if projector() else st.columns(2)
    for column, names in ((top, ("hist", "grad")), (left, ("dead",)), (right, ("wnorm", "sparsity"))):
        with column:
            for name in names:
                if name in figures:
                    show(figures[name], f"{key}.{name}", tr(CAPTIONS[name]))


def _draw(snap: Snapshot, key: str) -> None:
    if st.session_state.pop(f"{key}.maps.picked", False):
        st.rerun()  # the whole page: the neuron picker shows the clicked neuron
    if not snap.probes:
        st.warning(tr("inside_diverged"))
        return
    show(network_figure(snap), f"{key}.network", tr("cap_network"))
    _maps(snap, f"{key}.maps")
    _over_time(snap, f"{key}.time")
    show(layer_norms_figure(snap), f"{key}.norms", tr("cap_layer_norms"))
    st.dataframe(probe_table(snap), hide_index=True, width="stretch")
    st.caption(tr("cap_probe_table"))


def _pickers(snap: Snapshot, key: str) -> None:
    # Option names are translated now, not inside format_func: Streamlit may call it later,
    # outside this script run, where the chosen language is not known.
    units = {None: "—"} | {(layer, unit): _unit_name(snap, layer, unit)
                           for layer, grid in enumerate(snap.neuron_grids) for unit in range(grid.shape[0])}
    left, right = st.columns(2)
    left.selectbox(tr("w_pick_neuron"), list(units), key=f"{key}.maps.pick", format_func=units.__getitem__,
                   help=tr("help_pick_neuron"))
    hidden = [f"{tr('layer')} {i + 1}" for i in range(len(snap.spec.model.hidden))]
    if hidden:
        right.selectbox(tr("w_hist_layer"), list(range(len(hidden))), key=f"{key}.time.hist_layer",
                        format_func=hidden.__getitem__, help=tr("help_hist_layer"))


def _apply_edit(runner: Runner, layer: int, key: str, editor_key: str) -> None:
    table: pd.DataFrame = st.session_state[f"{key}.table"]
    edits = st.session_state.get(editor_key, {}).get("edited_rows", {})
    values = table.to_numpy(np.float64, copy=True)
    for row, changes in edits.items():
        for column, value in changes.items():
            values[int(row), table.columns.get_loc(column)] = np.nan if value is None else float(value)
    try:
        runner.set_layer(layer, values[:, :-1], values[:, -1])
    except ValueError as err:
        st.session_state[f"{key}.error"] = str(err)
    else:
        st.session_state.pop(f"{key}.error", None)


def weight_editor(runner: Runner, snap: Snapshot, key: str) -> None:
    """A layer's weights and biases as a table; editable while the run is paused."""
    st.markdown(f"**{tr('sec_weight_editor')}**")
    if snap.status in (RUNNING, QUEUED):
        st.caption(tr("editor_pause_first"))
        return
    names = layer_names(snap)
    pairs = [f"{names[i]} → {names[i + 1]}" for i in range(len(snap.weights))]
    layer = st.selectbox(tr("w_edit_layer"), list(range(len(pairs))), key=f"{key}.layer",
                         format_func=pairs.__getitem__, help=tr("help_edit_layer"))
    sources = input_labels(snap) if layer == 0 else [f"{tr('unit')} {j + 1}" for j in range(snap.weights[layer].shape[1])]
    table = pd.DataFrame(snap.weights[layer].astype(np.float64), columns=[f"w · {s}" for s in sources])
    table[tr("bias")] = snap.biases[layer].astype(np.float64)
    table.index = [f"{names[layer + 1]} · {tr('unit')} {i + 1}" for i in range(len(table))]
    st.session_state[f"{key}.table"] = table
    # The editor's key carries the weights themselves: when they change (an edit, a step, a
    # reset) it starts afresh from them instead of replaying old edits, and a snapshot that
    # leaves them as they were does not throw away an edit being typed.
    editor_key = f"{key}.editor.{layer}.{zlib.crc32(table.to_numpy().tobytes()):08x}"
    st.data_editor(table, key=editor_key, width="stretch", num_rows="fixed",
                   column_config={c: st.column_config.NumberColumn(format="%.4f") for c in table.columns},
                   on_change=_apply_edit, args=(runner, layer, key, editor_key))
    if st.session_state.get(f"{key}.error"):
        st.error(tr("editor_refused", detail=st.session_state[f"{key}.error"]))
    st.caption(tr("cap_weight_editor"))


def inside_panel(runner: Runner, key: str) -> None:
    snap = runner.snapshot
    with error_boundary("inside"):
        _pickers(snap, key)
        live_panel(runner, lambda s: _draw(s, key), every=SLOW_S)
        weight_editor(runner, snap, f"{key}.edit")
