"""Pure builders for the optimizer race: numbers in, plotly figure (or table rows) out. No torch,
no streamlit; every visible string comes in through `labels` or `names`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from scipy.signal import lfilter

from ffnviz.viz import theme
from ffnviz.viz.charts import log_axis, shown_points, x_of

SMOOTHING_MAX = 0.99


def ema(values: np.ndarray, factor: float) -> np.ndarray:
    """Exponential moving average with TensorBoard's bias correction, so the first points are not
    pulled towards zero: s_t = m_t / (1 − fᵗ⁺¹), m_t = f m_{t−1} + (1 − f) x_t. Non-finite values
    are skipped (they stay non-finite and leave the average as it was). factor 0: the values."""
    values = np.asarray(values, dtype=np.float64)
    if factor <= 0.0 or values.size == 0:
        return values
    factor = min(float(factor), SMOOTHING_MAX)
    out = np.full_like(values, np.nan)
    ok = np.isfinite(values)
    # m_t = f m_{t-1} + (1 - f) x_t over the finite values is a first-order IIR filter (a Python
    # loop over every point of every curve took ~10 ms a refresh); the weights are 1 - f^(t+1).
    x = values[ok]
    out[ok] = lfilter([1.0 - factor], [1.0, -factor], x) / (1.0 - factor ** np.arange(1, x.size + 1))
    return out


def race_curves(histories: Sequence[dict[str, np.ndarray]], names: Sequence[str], key: str, *,
                smoothing: float = 0.0, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """Each contestant's train (solid) and test (dotted) curve of `key` ("loss" or "accuracy")
    over epochs, the mean over its seeds, in its colour; with several seeds, a translucent band
    from the min to the max. Loss on a log axis. `smoothing` in [0, 0.99]: EMA factor (see
    `ema`), applied to mean, min and max alike. A contestant that dropped out has no history
    past that point, so its curves end there.

    histories[i]: see Race.history ("epoch", "<split>_<key>_mean/min/max"). labels: "title",
    "epoch", "train", "test", and "loss_axis" or "acc_axis"."""
    if key not in ("loss", "accuracy"):
        raise ValueError(f"key must be 'loss' or 'accuracy', got {key!r}")
    if not 0.0 <= smoothing <= SMOOTHING_MAX:
        raise ValueError(f"smoothing must be in 0..{SMOOTHING_MAX}, got {smoothing}")
    suffix = "loss" if key == "loss" else "acc"
    fmt = ".4f" if key == "loss" else ".1%"
    width = theme.line_width(projector)
    traces, plotted = [], []
    for i, (history, name) in enumerate(zip(histories, names, strict=True)):
        color = theme.RACE_COLORS[i % len(theme.RACE_COLORS)]
        # Smoothed over every recorded epoch, then thinned to what a chart draws: a race's history keeps
        # up to limits.HISTORY_POINTS epochs, and every live refresh sends each curve.
        shown = shown_points(len(history["epoch"]))
        epochs = np.asarray(history["epoch"], dtype=np.float64)[shown]
        for split, dash in (("train", "solid"), ("test", "dot")):
            column = f"{split}_{suffix}"
            mean = ema(history[f"{column}_mean"], smoothing)[shown]
            lo, hi = ema(history[f"{column}_min"], smoothing)[shown], ema(history[f"{column}_max"], smoothing)[shown]
            ok = np.isfinite(mean) & ((mean > 0) if key == "loss" else True)
            if not ok.any():
                continue
            x = epochs[ok]
            plotted.append(mean[ok])
            group = f"c{i}"
            if np.any(lo[ok] != hi[ok]):  # several seeds that differ: the band behind the line
                band_ok = ok & np.isfinite(lo) & np.isfinite(hi) & ((lo > 0) if key == "loss" else True)
                bx = epochs[band_ok]
                traces.append(dict(
                    type="scatter", mode="lines", x=np.concatenate([bx, bx[::-1]]).astype(np.float32),
                    y=np.concatenate([hi[band_ok], lo[band_ok][::-1]]).astype(np.float32),
                    fill="toself", fillcolor=theme.rgba(color, 0.15 if split == "train" else 0.08),
                    line={"width": 0, "color": color}, hoverinfo="skip", showlegend=False, legendgroup=group,
                ))
                plotted.append(lo[band_ok])
                plotted.append(hi[band_ok])
            label = f"{name} · {labels[split]}"
            traces.append(dict(
                type="scatter", mode="lines", name=name if split == "train" else label,
                **x_of(x), y=mean[ok].astype(np.float32),
                line={"color": color, "width": width if split == "train" else width * 0.8, "dash": dash},
                legendgroup=group, showlegend=split == "train",
                hovertemplate=f"{labels['epoch']} %{{x:.0f}}<br>{label} %{{y:{fmt}}}<extra></extra>",
            ))
    xaxis = {"title": {"text": labels["epoch"]}, "rangemode": "tozero"}
    if key == "loss":
        values = np.concatenate(plotted) if plotted else np.zeros(0)
        yaxis = log_axis(values, title={"text": labels["loss_axis"]})
    else:
        yaxis = {"title": {"text": labels["acc_axis"]}, "range": [0, 1.02], "tickformat": ".0%"}
    layout = theme.layout(labels["title"], projector=projector, xaxis=xaxis, yaxis=yaxis,
                          height=380 if key == "loss" else 320)
    theme.fit_legend(layout, [t["name"] for t in traces if t.get("showlegend", True)])
    return theme.figure(traces, layout)


def race_table_rows(snapshot, names: Sequence[str]) -> list[dict]:
    """One row per contestant (in the race's order) of raw numbers for the page's table; the page
    formats and translates. `snapshot`: a RaceSnapshot. Keys: index, name (from `names`), color,
    optimizer (registry key), lr, train_loss, test_loss, train_acc, test_acc (now, mean over
    seeds), best_test_acc, updates_to_target (None: not reached), diverged_at (None: still in the
    race), seconds_per_update (one model's update), rank (1 = first to the target; then by best
    test accuracy, then by test loss, which alone ranks a regression; a contestant that dropped
    out ranks last)."""
    spec = snapshot.spec
    rows = []
    for i, name in enumerate(names):
        m = snapshot.current[i]
        c = spec.contestants[i]
        rows.append({
            "index": i, "name": name, "color": theme.RACE_COLORS[i % len(theme.RACE_COLORS)],
            "optimizer": c.optim.name, "lr": float(c.optim.lr),
            "train_loss": float(m.train_loss), "test_loss": float(m.test_loss),
            "train_acc": float(m.train_acc), "test_acc": float(m.test_acc),
            "best_test_acc": float(snapshot.best_test_acc[i]),
            "updates_to_target": snapshot.updates_to_target[i], "diverged_at": snapshot.diverged_at[i],
            "seconds_per_update": float(snapshot.seconds_per_update[i]),
        })

    def order(row: dict) -> tuple:
        best = row["best_test_acc"]
        reached = row["updates_to_target"]
        return (row["diverged_at"] is not None, reached is None, reached if reached is not None else 0,
                -(best if np.isfinite(best) else -1.0),
                row["test_loss"] if np.isfinite(row["test_loss"]) else np.inf, row["index"])

    for rank, row in enumerate(sorted(rows, key=order), start=1):
        row["rank"] = rank
    return rows

