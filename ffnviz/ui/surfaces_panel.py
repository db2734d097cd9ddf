"""Part 1 of the optimizer page: optimizers walking a 2-D loss surface.

Trajectories are cheap (a few hundred torch.optim steps on a 2-element parameter), so they are
computed on each change and the browser animates them from plotly frames: no server round trip
per frame."""

from __future__ import annotations

from functools import partial

import numpy as np
import streamlit as st

from ffnviz import limits
from ffnviz.lessons import SURFACE_LESSONS
from ffnviz.page_links import OPTIMIZER_PATHS
from ffnviz.specs import OptimSpec
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.specs.paths import (
    PathsSpec,
    default_walker,
    default_walkers,
    paths_default_flat,
)
from ffnviz.surfaces import SURFACES, grid, ravine_eigenvalues
from ffnviz.train.trajectory import Trajectory, phase_diagram, run_trajectory
from ffnviz.ui.charts import projector, show
from ffnviz.ui.i18n import labeller, tr
from ffnviz.ui.lessons_panel import lesson_buttons
from ffnviz.ui.optimizer_widgets import optimizer_widgets, with_value
from ffnviz.ui.spec_state import PageState
from ffnviz.viz import surface_charts
from ffnviz.viz.payload import figure_json

K = "op.paths"
STATE = PageState(OPTIMIZER_PATHS, K)
CONDITIONS = limits.log_choices(limits.RAVINE_CONDITION, (1.0, 2.0, 5.0))
PHASE_POINTS = 60


def _controls(link: PathsSpec) -> PathsSpec:
    """The widgets, starting from `link` (the spec the session's first URL named; on other
    surfaces, their own start and optimizers). `link` stays the same all session, so the widgets'
    defaults never change under them."""
    # the surface on a row of its own: in a third of the settings column its name was cut ("Rosenbrock (")
    surface = st.selectbox(tr("w_surface"), list(SURFACES), key=STATE.widget("surface", link.surface),
                           format_func=labeller("surf_"), help=tr("help_surface"))
    middle, right = st.columns(2) if surface == "ravine" else (None, st.container())
    s = SURFACES[surface]
    mine = surface == link.surface
    condition = 10.0
    if surface == "ravine":
        condition = middle.select_slider(tr("w_condition"), with_value(CONDITIONS, link.condition),
                                         key=STATE.widget("condition", link.condition),
                                         format_func=lambda v: f"{v:g}", help=tr("help_condition"))
    steps = right.slider(tr("w_steps_2d"), int(limits.STEPS_2D.lo), int(limits.STEPS_2D.hi),
                         key=STATE.widget("steps", link.steps), help=tr("help_steps_2d"))
    x_col, y_col, n_col = st.columns(3)
    start = link.start_point() if mine else s.start
    # Keyed by surface: each surface has its own window and its own start.
    x = x_col.number_input(tr("w_start_x"), float(s.x_range[0]), float(s.x_range[1]), step=0.1,
                           key=STATE.widget(f"{surface}.x", float(start[0])), help=tr("help_start_point"))
    y = y_col.number_input(tr("w_start_y"), float(s.y_range[0]), float(s.y_range[1]), step=0.1,
                           key=STATE.widget(f"{surface}.y", float(start[1])), help=tr("help_start_point"))
    linked = link.walkers_or_default() if mine else ()
    count = n_col.number_input(tr("w_walkers"), 1, int(limits.MAX_OPTIMIZERS_2D),
                               key=STATE.widget("count", len(link.walkers_or_default())), help=tr("help_walkers"))
    defaults = (*linked, *default_walkers(surface, limits.MAX_OPTIMIZERS_2D)[len(linked):])
    walkers = []
    for i in range(int(count)):  # one card a row: they sit in the column beside the picture
        with st.container(border=True):
            st.markdown(f"**{i + 1}**")
            walkers.append(optimizer_widgets(partial(_walker_key, f"{surface}.w{i}"), defaults[i], hyper_columns=True,
                                             lr_for=lambda name, sf=surface: default_walker(sf, name).lr))
    return PathsSpec(surface, float(condition), (float(x), float(y)), int(steps), tuple(walkers)).validate()


def _walker_key(walker: str, name: str, value) -> str:
    return STATE.widget(f"{walker}.{name}", value)


def _start_at(surface: str, x: float, y: float, _trace: int = 0) -> None:
    """A click on the contour moves the start point there (its number inputs follow)."""
    s = SURFACES[surface]
    st.session_state[f"{K}.{surface}.x"] = float(np.clip(round(x, 2), *s.x_range))
    st.session_state[f"{K}.{surface}.y"] = float(np.clip(round(y, 2), *s.y_range))


@st.cache_data(max_entries=64, show_spinner=False)
def _trajectories(spec: PathsSpec) -> list[Trajectory]:
    s = SURFACES[spec.surface]
    return [run_trajectory(s, spec.start_point(), w.name, w.lr, dict(w.hyper), spec.steps, spec.condition)
            for w in spec.walkers_or_default()]


@st.cache_data(max_entries=32, show_spinner=False)
def _paths_figure(spec: PathsSpec, names: tuple[str, ...], labels: tuple[tuple[str, str], ...], projector: bool) -> str:
    """The paths over the surface, as the chart's JSON. Building the figure and its animation frames
    took ~0.1 s of the server's script at every rerun of the page (any click on it, Start on the race's
    tab too), for every student alike; cached, a class on the default surface builds it once."""
    xs, ys, z = grid(SURFACES[spec.surface], spec.condition)
    fig = surface_charts.contour_race(xs, ys, z, _trajectories(spec), list(names), SURFACES[spec.surface].minima,
                                      labels=dict(labels), projector=projector)
    return figure_json(fig, without_default_template=True)


def _name(w: OptimSpec) -> str:
    return f"{tr('opt_' + w.name)} {w.lr:g}"


def _surface_text(spec: PathsSpec) -> None:
    s = SURFACES[spec.surface]
    st.latex(s.latex)
    minima = ", ".join(f"({x:g}, {y:g})" for x, y in s.minima)
    st.caption(tr("surface_minima", minima=minima) if minima else tr("surface_no_minimum"))


def _diverged(spec: PathsSpec, paths: list[Trajectory]) -> None:
    for w, path in zip(spec.walkers_or_default(), paths, strict=True):
        if path.diverged_at is not None:
            st.warning(tr("walker_diverged", name=_name(w), step=path.diverged_at))


def _one_step(spec: PathsSpec, paths: list[Trajectory]) -> None:
    """One optimizer at one step: gradient, momentum, update as arrows, the rule with numbers."""
    st.subheader(tr("sec_one_step"))
    walkers = spec.walkers_or_default()
    left, right = st.columns(2)
    index = left.selectbox(tr("w_walker"), list(range(len(walkers))), key=f"{K}.pick",
                           format_func=[_name(w) for w in walkers].__getitem__, help=tr("help_walker"))
    path = paths[min(index, len(paths) - 1)]
    steps = len(path.updates)
    if steps == 0:
        st.info(tr("walker_no_steps"))
        return
    shown = right.slider(tr("w_step_index"), 1, max(steps, 2), value=1, key=f"{K}.step", help=tr("help_step_index"))
    step = min(shown, steps) - 1  # 0-based below
    w = walkers[index]
    labels = {"title": tr("chart_one_step", name=_name(w), step=step + 1), "log_loss": tr("axis_log_loss"),
              "point": tr("arrow_point"),
              "neg_grad": tr("arrow_gradient"), "velocity": tr("arrow_buffer"), "update": tr("arrow_update")}
    s = SURFACES[spec.surface]
    window = surface_charts.arrow_window(path, step, float(s.x_range[1] - s.x_range[0]))
    wx, wy, wz = grid(s, spec.condition, 80, x_range=window[0], y_range=window[1])  # sharp contours up close
    show(surface_charts.step_arrows(wx, wy, wz, path, step, _name(w), labels=labels, projector=projector(),
                                    window=window), f"{K}.arrows", tr("cap_one_step"))
    st.latex(OPTIMIZERS[w.name].rule)
    if OPTIMIZERS[w.name].note:  # no regularizer on a surface: AdamW's own decay is 0 here
        st.caption(tr(OPTIMIZERS[w.name].note, rate=0))
    rows = [(r"\theta_{t-1}", path.points[step]), (r"g_t", path.grads[step])]
    rows += [(rf"\text{{{name.replace('_', ' ')}}}", values[step]) for name, values in path.buffers.items()]
    rows += [(r"\theta_t - \theta_{t-1}", path.updates[step]), (r"\theta_t", path.points[step + 1])]
    body = r" \\ ".join(rf"{label} &= ({v[0]:.4g},\ {v[1]:.4g})" for label, v in rows)
    st.latex(rf"\begin{{aligned}} \eta &= {w.lr:g} \\ {body} \end{{aligned}}")
    st.caption(tr("cap_one_step_numbers", step=step + 1))


def _phase(spec: PathsSpec) -> None:
    """Distill's picture: how fast momentum converges on this quadratic, for every (lr, momentum)."""
    st.subheader(tr("sec_phase"))
    eig = ravine_eigenvalues(spec.condition)
    lrs = np.logspace(np.log10(0.01 / max(eig)), np.log10(4.0 / max(eig)), PHASE_POINTS)
    momenta = np.linspace(0.0, 0.99, PHASE_POINTS)
    rates = phase_diagram(lrs, momenta, eig)
    current = next(((w.lr, w.hyper_values().get("momentum", 0.0)) for w in spec.walkers_or_default()
                    if w.name in ("momentum", "sgd")), None)
    labels = {"title": tr("chart_phase", condition=f"{spec.condition:g}"), "lr": tr("axis_lr"),
              "momentum": tr("axis_momentum"), "rate": tr("axis_rate"), "current": tr("phase_current"),
              "diverges": tr("phase_diverges")}
    show(surface_charts.phase_heatmap(lrs, momenta, rates, current, labels=labels, projector=projector()),
         f"{K}.phase", tr("cap_phase"))


def _link() -> PathsSpec:
    """The spec the URL named on the session's first visit (a bad value keeps the default and
    says so, once): where the widgets start from all session."""
    return st.session_state.setdefault(f"{K}.origin", STATE.load())


def _forget_origin() -> None:
    st.session_state.pop(f"{K}.origin", None)  # a lesson's spec is where the widgets start now


def surfaces_panel() -> None:
    lesson_buttons(STATE, SURFACE_LESSONS, on_load=_forget_origin)
    # The controls beside the picture: the contour is on the projector's first screen.
    # In projector mode (one chart a row) the picture comes first, the controls under it.
    picture, controls = (st.container(), st.container()) if projector() else st.columns([5, 7], gap="medium")[::-1]
    with controls:
        spec = _controls(_link())
        st.info(tr("caveat_2d"), icon=":material/info:")
    # Only what differs from the defaults; the race's keys stay (it writes its own after this).
    STATE.save(spec, default_flat=paths_default_flat(spec))
    with picture:
        _surface_text(spec)
        paths = _trajectories(spec)
        _diverged(spec, paths)
        _paths_charts(spec, paths)
    _one_step(spec, paths)
    if spec.surface == "ravine":
        _phase(spec)


def _paths_charts(spec: PathsSpec, paths) -> None:
    names = tuple(_name(w) for w in spec.walkers_or_default())
    labels = {"title": tr("chart_paths"), "log_loss": tr("axis_log_loss"), "minimum": tr("minimum"),
              "play": tr("anim_play"), "pause": tr("anim_pause"), "step": tr("axis_step"),
              "diverged": tr("path_diverged")}
    show(_paths_figure(spec, names, tuple(labels.items()), projector()), f"{K}.contour", tr("cap_paths"),
         on_click=partial(_start_at, spec.surface))
    show(surface_charts.loss_by_step(paths, names, labels={"title": tr("chart_loss_by_step"), "step": tr("axis_step"),
                                                            "loss_axis": tr("axis_loss")}, projector=projector()),
         f"{K}.loss", tr("cap_loss_by_step"))
