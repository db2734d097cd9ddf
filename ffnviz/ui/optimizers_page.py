"""The optimizer page: optimizers on 2-D loss surfaces, then a live race of optimizers training
one real network from the same initial weights, and a learning-rate sweep."""

from __future__ import annotations

import streamlit as st

from ffnviz.lessons import RACE_LESSONS, SURFACE_LESSONS
from ffnviz.ui.errors import error_boundary, show_callback_error
from ffnviz.ui.i18n import tr
from ffnviz.ui.lessons_panel import lesson_tab
from ffnviz.ui.race_panel import load_race, race_panel
from ffnviz.ui.surfaces_panel import surfaces_panel
from ffnviz.ui.sweep_panel import sweep_panel


def render() -> None:
    st.title(tr("op_title"))
    st.caption(tr("op_intro"))
    show_callback_error()
    names = {"surfaces": tr("tab_surfaces"), "race": tr("tab_race")}
    opening = lesson_tab("optimizers", {"surfaces": SURFACE_LESSONS, "race": RACE_LESSONS})
    surfaces, race = st.tabs(list(names.values()), default=names.get(opening))
    with surfaces, error_boundary("surfaces"):
        surfaces_panel()
    with race, error_boundary("race"):
        spec = race_panel()
        with st.expander(tr("sec_sweep"), expanded=False, icon=":material/query_stats:"):
            sweep_panel(spec, load_race)
