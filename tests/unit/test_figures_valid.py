"""Every chart the app draws is a valid plotly figure, and the fast serialiser sends what
plotly's own would.

The chart builders skip plotly's validation for speed (`theme.figure`): this is where a
misspelt property or a wrong value type gets caught instead, once per chart kind."""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from ffnviz.surfaces import SURFACES, grid, ravine_eigenvalues
from ffnviz.train.attention_extras import LayerSteps
from ffnviz.train.trajectory import phase_diagram, run_trajectory
from ffnviz.viz import attention_charts, charts, conv_charts, deep_charts, inside, network, payload, surface_charts

CURVE_LABELS = {"train": "train", "test": "test", "epoch": "epoch", "loss_axis": "loss", "acc_axis": "accuracy",
                "title": "T"}
MAP_LABELS = {"train": "train", "test": "test", "class": "class", "probability": "p", "prediction": "y",
              "target": "t", "title": "T"}
NET_LABELS = {"title": "T", "weight": "w", "bias": "b", "layer": "L", "unit": "u",
              "edges_capped": "{shown} of {total}", "input": "in", "output": "out"}
TIME_LABELS = {"title": "T", "epoch": "e", "value": "v"}

rng = np.random.default_rng(0)
epochs = np.arange(40, dtype=float)
curve = np.exp(-epochs / 10) + 0.01
ghost = charts.Ghost("pinned", epochs, {"train_loss": curve, "test_loss": curve, "train_acc": curve,
                                        "test_acc": curve})
points = [(rng.normal(size=(20, 2)), rng.integers(0, 3, 20), "train"), (rng.normal(size=(8, 2)),
                                                                       rng.integers(0, 3, 8), "test")]
sizes = [7] + [64] * 8 + [5]
weights = [rng.normal(size=(o, i)) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
biases = [rng.normal(size=o) for o in sizes[1:]]
grids = [rng.normal(size=(n, 24, 24)) for n in sizes]
many = {f"layer {i} · saturated": rng.random(40) for i in range(9)}
RACE_LABELS = {"title": "T", "log_loss": "log", "minimum": "min", "play": "play", "pause": "pause", "step": "step",
               "diverged": "diverged at {step}", "loss_axis": "loss"}
ARROW_LABELS = {"title": "{name} {step}", "log_loss": "log", "point": "p", "neg_grad": "-g", "velocity": "v",
                "update": "u"}
PHASE_LABELS = {"title": "T", "lr": "lr", "momentum": "mu", "rate": "r", "diverges": "d", "current": "c"}
rosenbrock = SURFACES["rosenbrock"]
surface_grid = grid(rosenbrock, resolution=30)
paths = [run_trajectory(rosenbrock, rosenbrock.start, name, lr, None, 80)
         for name, lr in (("momentum", 5e-4), ("adam", 0.02), ("sgd", 1.0))]  # the last one diverges
saddle_path = run_trajectory(SURFACES["saddle"], SURFACES["saddle"].start, "sgd", 0.05, None, 30)
phase_lrs, phase_momenta = np.geomspace(1e-2, 4.0, 12), np.linspace(0.0, 0.95, 9)

ATTN_LABELS = {"title": "T", "cell": "L{layer} H{head}", "query": "q", "key": "k", "value": "w", "position": "p",
               "learned": "l", "ideal": "i", **{k: k for k in attention_charts.STEP_KEYS}}
attn_maps = rng.dirichlet(np.ones(6), (3, 4, 6))  # (L, H, T, T), rows sum to 1
attn_tokens = list("ABCADB")
attn_steps = LayerSteps(input=rng.normal(size=(6, 32)), q=rng.normal(size=(4, 6, 8)), k=rng.normal(size=(4, 6, 8)),
                        v=rng.normal(size=(4, 6, 8)), scores=rng.normal(size=(4, 6, 6)),
                        mask=np.triu(np.full((6, 6), -np.inf), 1), weights=attn_maps[0],
                        heads_out=rng.normal(size=(4, 6, 8)), out=rng.normal(size=(6, 32)))

CONV_LABELS = {"title": "T", "weight": "w", "channel": "c", "hover_kernel": "o {0} i {1} r {2} c {3}", "out_axis": "o",
               "in_axis": "i", "true": "t", "predicted": "p", "hover": "{count} {true} {predicted}", "share": "s",
               "said": "{predicted}", "truth": "{true}", "none": "n", "shown": "{shown} of {total}", "input": "x",
               "kernel": "k", "products": "p", "output": "y", "row": "r", "col": "c", "value": "v"}
conv_image = rng.random((16, 16)).astype(np.float32)
conv_maps = [("conv1", rng.normal(size=(8, 16, 16))), ("pool1", rng.random((8, 8, 8))), ("conv2", rng.normal(size=(16, 8, 8))),
             ("pool2", rng.random((16, 4, 4))), ("gpool", rng.random((16, 1, 1)))]
conv_kernels = [rng.normal(size=(8, 1, 3, 3)), rng.normal(size=(16, 8, 3, 3)), rng.normal(size=(4, 16, 5, 5))]
conv_padded = np.pad(conv_image, 1)

DEEP_LABELS = {"title": "T", "layer": "L", "value": "v", "init": "i", "now": "n", "mean": "m", "std": "s",
               "share": "sh", "healthy": "h", "dead": "d", "saturated": "sat", "epoch": "e", "loss_axis": "l",
               "train": "tr", "val": "va", "test": "te", "best": "b", "updates": "u", "lr": "lr", "used": "us",
               "planned": "p"}
layer_values = rng.random(12)

FIGURES = {
    "deep activation stats": lambda: deep_charts.activation_stats(layer_values, layer_values, layer_values / 2,
                                                                  layer_values, labels=DEEP_LABELS),
    "deep histograms": lambda: deep_charts.layer_histograms(np.linspace(-2, 2, 31), rng.integers(0, 40, (12, 30)),
                                                            rng.integers(0, 40, (12, 30)), labels=DEEP_LABELS),
    "deep gradient norms": lambda: deep_charts.gradient_norms(layer_values * 1e-6, layer_values, labels=DEEP_LABELS,
                                                              projector=True),
    "deep update ratios": lambda: deep_charts.update_ratios(np.r_[layer_values * 1e-3, np.inf, 0.0], labels=DEEP_LABELS),
    "deep unit health": lambda: deep_charts.unit_health([0.1, None, 0.5], [None, None, None], labels=DEEP_LABELS),
    "deep gradients over time": lambda: deep_charts.gradients_over_time(epochs, rng.random((40, 12)), labels=DEEP_LABELS),
    "deep loss with validation": lambda: deep_charts.loss_with_validation(epochs, curve, curve * 1.1,
                                                                          np.full(40, np.nan), 12, labels=DEEP_LABELS),
    "deep learning rate": lambda: deep_charts.learning_rate(epochs, curve, epochs, curve, labels=DEEP_LABELS),
    "feature maps": lambda: conv_charts.feature_maps(conv_image, conv_maps, row_names=list("abcdef"), labels=CONV_LABELS),
    "first kernels": lambda: conv_charts.first_kernels(conv_kernels[0], labels=CONV_LABELS, projector=True),
    "deep kernels": lambda: conv_charts.deep_kernels(conv_kernels[1:], ["conv2", "conv3"], labels=CONV_LABELS),
    "confusion pair": lambda: conv_charts.confusion([rng.integers(0, 9, (5, 5)), np.eye(5, dtype=int) * 7], ["cnn", "mlp"],
                                                    list("abcde"), labels=CONV_LABELS),
    "gallery": lambda: conv_charts.gallery(rng.random((30, 8, 8)), ["1"] * 30, ["2"] * 30, labels=CONV_LABELS, total=40),
    "gallery, empty": lambda: conv_charts.gallery(np.zeros((0, 8, 8)), [], [], labels=CONV_LABELS, total=0,
                                                  projector=True),
    "conv explainer": lambda: conv_charts.explainer(conv_padded, np.eye(3), (2, 5), conv_padded[2:5, 5:8] * np.eye(3),
                                                    rng.normal(size=(16, 16)), (2, 5), 1, labels=CONV_LABELS),
    "attention grid": lambda: attention_charts.model_view(attn_maps, attn_tokens, labels=ATTN_LABELS, selected=(1, 2)),
    "attention map and ideal": lambda: attention_charts.map_with_ideal(attn_maps[0, 0], np.eye(6), attn_tokens,
                                                                       labels=ATTN_LABELS, projector=True),
    "attention map alone": lambda: attention_charts.map_with_ideal(attn_maps[0, 0], None, attn_tokens, labels=ATTN_LABELS),
    "attention steps": lambda: attention_charts.attention_steps(attn_steps, 3, attn_tokens, labels=ATTN_LABELS),
    "position accuracy": lambda: attention_charts.position_accuracy(np.array([np.nan, 0.5, 1.0]), labels=ATTN_LABELS),
    "loss": lambda: charts.loss_chart(epochs, curve, curve, labels=CURVE_LABELS, ghost=ghost),
    "accuracy": lambda: charts.accuracy_chart(epochs, curve, curve, labels=CURVE_LABELS, projector=True),
    "decision binary": lambda: charts.decision_map(rng.random((30, 30)), 6.0, points, labels=MAP_LABELS),
    "decision classes": lambda: charts.decision_map(rng.dirichlet(np.ones(3), (30, 30)), 6.0, points,
                                                    labels=MAP_LABELS, discretize=True),
    "regression": lambda: charts.regression_map(rng.normal(size=(30, 30)), 6.0,
                                                [(p[0], rng.normal(size=len(p[0])), p[2]) for p in points],
                                                labels=MAP_LABELS),
    "decision binary, live": lambda: charts.decision_map(rng.random((30, 30)), 6.0, points, labels=MAP_LABELS,
                                                         compact=True),
    "regression, live": lambda: charts.regression_map(rng.normal(size=(30, 30)), 6.0, [], labels=MAP_LABELS,
                                                      compact=True),
    "layer norms": lambda: charts.layer_norms(["layer 1", "output"], [1e-3, 0.2], [1.5, 3.0],
                                              labels={"grad": "g", "weight": "w", "norm_axis": "n", "title": "T"}),
    "network": lambda: network.network_diagram(weights, biases, list("abcdefg"), labels=NET_LABELS),
    "neuron maps": lambda: inside.neuron_maps(grids, labels={"title": "T", "tiles_capped": "{shown} of {total}"},
                                              layer_names=[str(i) for i in range(len(sizes))])[0],
    "neuron map": lambda: inside.neuron_map(grids[1][0], 6.0, labels={"title": "T", "value": "v"}),
    "histogram": lambda: inside.histogram_over_time(epochs, np.linspace(-1, 1, 31), rng.integers(0, 50, (40, 30)),
                                                    labels=TIME_LABELS),
    "lines log": lambda: inside.lines_over_time(epochs, {"a": curve, "b": curve / 100}, labels=TIME_LABELS,
                                                log_y=True),
    "lines percent, long legend": lambda: inside.lines_over_time(epochs, many, labels=TIME_LABELS, percent=True),
    "contour race": lambda: surface_charts.contour_race(*surface_grid, paths, ["a", "b", "c"], rosenbrock.minima,
                                                        labels=RACE_LABELS),
    "contour race, no minima": lambda: surface_charts.contour_race(*grid(SURFACES["saddle"], resolution=20),
                                                                   [saddle_path], ["a"], (), labels=RACE_LABELS,
                                                                   projector=True),
    "loss by step": lambda: surface_charts.loss_by_step(paths, ["a", "b", "c"], labels=RACE_LABELS),
    "loss by step, negative": lambda: surface_charts.loss_by_step([saddle_path], ["a"], labels=RACE_LABELS),
    "step arrows": lambda: surface_charts.step_arrows(*surface_grid, paths[1], 10, "b", labels=ARROW_LABELS),
    "phase heatmap": lambda: surface_charts.phase_heatmap(
        phase_lrs, phase_momenta, phase_diagram(phase_lrs, phase_momenta, ravine_eigenvalues(10.0)), (0.5, 0.9),
        labels=PHASE_LABELS, projector=True),
}


@pytest.mark.parametrize("name", FIGURES)
def test_chart_is_a_valid_plotly_figure(name):
    fig = FIGURES[name]()
    go.Figure(fig.to_dict())  # validates every trace and layout property; raises ValueError if wrong


def _plain(obj):
    """JSON with typed arrays ({"dtype", "bdata", "shape"}) decoded, and numbers as float64."""
    if isinstance(obj, dict) and "bdata" in obj:
        a = np.frombuffer(base64.b64decode(obj["bdata"]), {"f4": np.float32, "f8": np.float64, "i1": np.int8,
                                                           "u1": np.uint8, "i2": np.int16, "u2": np.uint16,
                                                           "i4": np.int32, "u4": np.uint32}[obj["dtype"]])
        shape = [int(n) for n in obj["shape"].split(",")] if "shape" in obj else [-1]
        return _plain(a.reshape(shape).astype(np.float64).tolist())
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    if obj is None:
        return float("nan")  # JSON writes NaN as null
    return float(obj) if isinstance(obj, int | float) and not isinstance(obj, bool) else obj


@pytest.mark.parametrize("name", FIGURES)
def test_fast_json_has_the_same_content_as_plotlys(name):
    fig = FIGURES[name]()
    ours, theirs = json.loads(payload.figure_json(fig)), json.loads(pio.to_json(fig, validate=False))
    if theirs["layout"].get("template") == {}:  # theme.figure's empty template: plotly's default, written out by ours
        theirs["layout"]["template"] = payload.default_template()
    np.testing.assert_equal(_plain(ours), _plain(theirs))  # NaN equals NaN here
