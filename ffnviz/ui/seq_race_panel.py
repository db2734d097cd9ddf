"""What the pages that race sequence models share (the gated-layers and self-attention pages):
the loss and accuracy curves of a RaceSnapshot, each model's colour, and the training seed that
"New weights" moves on."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ffnviz import limits
from ffnviz.train.race_runner import RaceSnapshot
from ffnviz.ui.charts import projector, show
from ffnviz.ui.i18n import tr
from ffnviz.viz import theme
from ffnviz.viz.race_charts import race_curves


def race_curves_panel(snap: RaceSnapshot, names: list[str], key: str) -> None:
    """Loss (log) and, unless the task is a regression, accuracy: train and test, one colour a model."""
    labels = {"train": tr("train"), "test": tr("test"), "epoch": tr("axis_epoch"), "loss_axis": tr("axis_loss_log"),
              "acc_axis": tr("axis_accuracy")}
    columns = [st.container()] if projector() else st.columns(2)
    with columns[0]:
        show(race_curves(snap.histories, names, "loss", labels={**labels, "title": tr("chart_race_loss")},
                         projector=projector()), f"{key}.loss", tr("cap_race_loss"))
    if not np.isnan(snap.current[0].test_acc):
        with columns[-1]:
            show(race_curves(snap.histories, names, "accuracy", labels={**labels, "title": tr("chart_race_accuracy")},
                             projector=projector()), f"{key}.accuracy", tr("cap_race_accuracy"))


def model_color(i: int) -> str:
    """The i-th model's colour, as the race's curves draw it."""
    return theme.RACE_COLORS[i % len(theme.RACE_COLORS)]


def race_seed(key: str) -> int:
    return int(st.session_state.get(f"{key}.seed0", 0))


def next_seed(key: str) -> None:
    """'New weights': the next training seed (the rerun builds the race with it)."""
    st.session_state[f"{key}.seed0"] = limits.next_seed(race_seed(key))
