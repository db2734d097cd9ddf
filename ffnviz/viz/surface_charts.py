"""The optimizer race's pictures: paths over a 2-D loss surface (animated in the browser), loss
by step, one step's arrows, and momentum's phase diagram. Pure: numpy in, plotly figure out.
No torch, no streamlit; every user-visible string comes in through `labels`.

The paths animate with plotly.js's own frames, slider and play button, so the browser plays
them without a round trip to the server; the frames are capped so the payload stays small."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ffnviz.viz import theme
from ffnviz.viz.charts import log_axis

MAX_FRAMES = 60
# Path points summed over all frames (each frame repeats every path up to its step): 0.8 MB of
# float32 before base64. Six 1000-step paths get 33 frames (1.3 MB of JSON with a 120² contour),
# six 300-step paths the full 60.
MAX_FRAME_POINTS = 100_000
_FAR = 1e30  # a diverging path's coordinates are clipped here, inside float32's range
# After the class colours, further paths take these: none of them a yellow that would vanish
# into the colour scale's high end.
_MORE_COLORS = ("#56B4E9", "#000000", "#882255", "#999999")
PATH_COLORS = theme.RACE_COLORS[:6] + _MORE_COLORS  # as the race colours its contestants
GRAD_COLOR, VELOCITY_COLOR, UPDATE_COLOR = theme.CLASS_COLORS[4], theme.CLASS_COLORS[2], "#222222"
# The buffers whose scale is a gradient's (running means of gradients), in preference order:
# −η times one of them is the step plain momentum would take.
VELOCITY_BUFFERS = ("momentum_buffer", "exp_avg")


def path_color(i: int) -> str:
    return PATH_COLORS[i % len(PATH_COLORS)]


def log_levels(z: np.ndarray) -> np.ndarray:
    """log10 of the height above the grid's lowest point: loss surfaces span many decades
    (Rosenbrock 1e-3 to 1e3), and even contour levels in z would all crowd the rim."""
    z = np.asarray(z, dtype=np.float64)
    rise = z - np.nanmin(z)
    floor = max(float(np.nanmax(rise)) * 1e-6, 1e-12)  # keeps log finite at the minimum
    return np.log10(rise + floor).astype(np.float32)


def _contour(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, labels: dict[str, str]) -> dict:
    return dict(type="contour", x=np.asarray(xs, np.float32), y=np.asarray(ys, np.float32), z=log_levels(z),
                colorscale=theme.SEQUENTIAL, opacity=0.55, ncontours=24, showscale=False,
                contours={"coloring": "fill", "showlines": True}, line={"width": 0.5, "color": "rgba(255,255,255,0.6)"},
                hovertemplate="x %{x:.3f}<br>y %{y:.3f}<br>" + labels["log_loss"] + " %{z:.2f}<extra></extra>")


def _minima(minima, labels: dict[str, str], projector: bool) -> list[dict]:
    if not minima:
        return []
    m = np.asarray(minima, dtype=np.float32).reshape(-1, 2)
    return [dict(type="scatter", x=m[:, 0], y=m[:, 1], mode="markers", name=labels["minimum"],
                 marker={"symbol": "star", "size": 16 if projector else 12, "color": "white",
                         "line": {"color": "#222222", "width": 1.5}},
                 hovertemplate=labels["minimum"] + "<br>x %{x:.3f}<br>y %{y:.3f}<extra></extra>")]


def _name(name: str, path, labels: dict[str, str]) -> str:
    if path.diverged_at is None:
        return name
    return f"{name} · {labels['diverged'].format(step=path.diverged_at)}"


def _equal_axes(x_range, y_range) -> dict:
    return {"xaxis": {"title": {"text": "x"}, "range": [float(x_range[0]), float(x_range[1])], "constrain": "domain"},
            "yaxis": {"title": {"text": "y"}, "range": [float(y_range[0]), float(y_range[1])], "scaleanchor": "x",
                      "scaleratio": 1, "constrain": "domain"}}


def frame_steps(longest: int, cap: int = MAX_FRAMES) -> np.ndarray:
    """At most `cap` steps, evenly spread over 0..longest, both ends included."""
    return np.unique(np.round(np.linspace(0, longest, min(cap, longest + 1))).astype(int))


def race_frame_steps(lengths: list[int], cap: int = MAX_FRAMES, max_points: int = MAX_FRAME_POINTS) -> np.ndarray:
    """The frames' steps for paths of these lengths (points each): evenly spaced, as many as
    `cap` allows while every frame's paths together stay under `max_points` points (two frames
    at least: the start and the end)."""
    longest = max(lengths, default=1) - 1
    ends = np.asarray(lengths)
    for n in range(max(cap, 2), 2, -1):
        steps = frame_steps(longest, n)
        if np.minimum(steps[:, None] + 1, ends[None, :]).sum() <= max_points:
            return steps
    return frame_steps(longest, 2)


def _plane(points: np.ndarray) -> np.ndarray:
    return np.clip(points, -_FAR, _FAR).astype(np.float32)


def _path_trace(points: np.ndarray, k: int, name: str, color: str, width: float) -> dict:
    shown = _plane(points[:k + 1])
    return dict(type="scatter", x=shown[:, 0], y=shown[:, 1], mode="lines", name=name, legendgroup=name,
                line={"color": color, "width": width},
                hovertemplate=name + "<br>x %{x:.4f}<br>y %{y:.4f}<extra></extra>")


def _head_trace(points: np.ndarray, k: int, name: str, color: str, size: int) -> dict:
    head = _plane(points[min(k, len(points) - 1)])
    return dict(type="scatter", x=head[:1], y=head[1:], mode="markers", name=name, legendgroup=name,
                showlegend=False, marker={"color": color, "size": size, "line": {"color": "white", "width": 1.5}},
                hovertemplate=name + "<br>x %{x:.4f}<br>y %{y:.4f}<extra></extra>")


def _moving(trajectories, names, k: int | None, width: float, size: int) -> list[dict]:
    """Each path up to step k (None: all of it), then each path's current point."""
    shown = [(t.points, len(t.points) - 1 if k is None else min(k, len(t.points) - 1), name, path_color(i))
             for i, (t, name) in enumerate(zip(trajectories, names, strict=True))]
    return [_path_trace(p, kk, name, color, width) for p, kk, name, color in shown] + \
        [_head_trace(p, kk, name, color, size) for p, kk, name, color in shown]


# The play buttons and the step slider sit this far under the plot: nearer, the slider's "step 500" and the
# buttons ran over the x axis's tick labels and title
CONTROLS_BELOW_PX = {False: 60, True: 85}  # by projector mode (larger tick labels and title)


def _animation_controls(steps: np.ndarray, labels: dict[str, str], projector: bool) -> dict:
    """Play/pause buttons and a step slider driving plotly.js's frames: the browser animates.
    Every frame redraws: without it plotly.js 3 drops the contour at the first frame (seen in Chromium)."""
    still = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
    play = {"mode": "immediate", "fromcurrent": True, "frame": {"duration": 80, "redraw": True},
            "transition": {"duration": 0}}
    size = theme.font_size(projector)
    return {
        "updatemenus": [{"type": "buttons", "direction": "left", "showactive": False, "x": 0.0, "xanchor": "left",
                         "y": 0.0, "yanchor": "top", "pad": {"t": CONTROLS_BELOW_PX[projector] + 15, "r": 10},
                         "buttons": [{"label": labels["play"], "method": "animate", "args": [None, play]},
                                     {"label": labels["pause"], "method": "animate", "args": [[None], still]}]}],
        "sliders": [{"active": len(steps) - 1, "x": 0.18, "len": 0.82, "y": 0.0, "yanchor": "top",
                     "pad": {"t": CONTROLS_BELOW_PX[projector]},
                     # "step N" at the slider's right end, clear of the buttons
                     "currentvalue": {"prefix": labels["step"] + " ", "font": {"size": size}, "xanchor": "right"},
                     "steps": [{"label": str(k), "method": "animate", "args": [[str(k)], still]} for k in steps]}],
    }


def contour_race(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, trajectories: list, names: list[str], minima, *,
                 labels: dict[str, str], projector: bool = False, max_frames: int = MAX_FRAMES,
                 max_frame_points: int = MAX_FRAME_POINTS) -> go.Figure:
    """Every optimizer's path over the surface's log-scaled contours, the known minima as
    stars, each path in its own colour with a dot at its current point. The figure opens on the
    full paths; its frames (evenly spaced steps, ≤ `max_frames`, fewer for long races so that
    all frames together hold ≤ `max_frame_points` path points) replay them, with a play/pause
    pair and a step slider. Coordinates go out as float32, a diverging path's clipped at ±1e30.
    A diverged path ends where it left the finite numbers and its name says so.
    Labels: title, log_loss, minimum, play, pause, step, diverged ("{step}")."""
    width, size = theme.line_width(projector), 12 if projector else 9
    names = [_name(n, t, labels) for n, t in zip(names, trajectories, strict=True)]
    fixed = [_contour(xs, ys, z, labels)] + _minima(minima, labels, projector)
    moving = list(range(len(fixed), len(fixed) + 2 * len(trajectories)))
    steps = race_frame_steps([len(t.points) for t in trajectories], max_frames, max_frame_points)
    frames = [{"name": str(k), "data": _moving(trajectories, names, int(k), width, size), "traces": moving}
              for k in steps]
    layout = theme.layout(labels["title"], projector=projector, height=600, **_equal_axes(
        (float(xs[0]), float(xs[-1])), (float(ys[0]), float(ys[-1]))), **_animation_controls(steps, labels, projector))
    layout["margin"].update(b=CONTROLS_BELOW_PX[projector] + 100, t=layout["margin"]["t"] + (70 if projector else 44))
    # The legend under the title, from the left: beside it, it ran over the title in a narrow column.
    layout["legend"] = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0.0}
    layout["title"].update(yref="container", y=0.98, yanchor="top")
    return theme.figure(fixed + _moving(trajectories, names, None, width, size), layout, frames)


def symlog(values: np.ndarray) -> np.ndarray:
    """sign(v)·log10(1 + |v|): a log-like scale that keeps sign, for losses that go negative."""
    values = np.asarray(values, dtype=np.float64)
    return np.sign(values) * np.log10(1.0 + np.abs(values))


def _symlog_axis(values: np.ndarray, **axis) -> dict:
    """Ticks at 0 and ±10^k (at most ~5 a side) over the values' span, placed on the symlog scale."""
    ticks = [0.0]
    for sign, extreme in ((-1.0, -float(values.min())), (1.0, float(values.max()))):
        if extreme > 0:
            top = int(np.ceil(np.log10(1.0 + extreme)))
            ticks += [sign * 10.0**k for k in range(0, top + 1, max(1, -(-top // 4)))]
    span = float(symlog(values.max()) - symlog(values.min())) if values.size else 1.0
    # ±1 and ±10 would pile onto 0 when the other side spans forty decades
    ticks = sorted(t for t in ticks if t == 0 or abs(float(symlog(t))) >= span / 15)
    return {**axis, "tickvals": [float(symlog(t)) for t in ticks], "ticktext": [f"{t:g}" for t in ticks]}


def loss_by_step(trajectories: list, names: list[str], *, labels: dict[str, str], projector: bool = False) -> go.Figure:
    """Each optimizer's loss against the step, in the race's colours. A log y axis while no
    loss is negative (progress near a minimum stays visible; a loss of exactly 0 is left off).
    With a negative loss (the saddle, unbounded below, where escaping paths fall like
    -e^t) a linear axis would flatten every path but the fastest, so the axis is symlog
    (sign·log10(1 + |loss|)), ticked in plain loss values. Labels: title, step, loss_axis,
    diverged ("{step}")."""
    losses = [np.asarray(path.losses, dtype=np.float64) for path in trajectories]
    values = np.concatenate(losses) if losses else np.zeros(0)
    signed = bool(values.size) and values.min() < 0
    traces = []
    for i, (path, name, loss) in enumerate(zip(trajectories, names, losses, strict=True)):
        name = _name(name, path, labels)
        traces.append(dict(type="scatter", mode="lines", name=name, x=np.arange(len(loss), dtype=np.float32),
                           y=symlog(loss) if signed else loss, customdata=loss,
                           line={"color": path_color(i), "width": theme.line_width(projector)},
                           hovertemplate=f"{labels['step']} %{{x:.0f}}<br>{name} %{{customdata:.4g}}<extra></extra>"))
    axis = {"title": {"text": labels["loss_axis"]}}
    yaxis = _symlog_axis(values, **axis) if signed else log_axis(values, **axis)
    return theme.figure(traces, theme.layout(labels["title"], projector=projector, height=340,
                                          xaxis={"title": {"text": labels["step"]}, "rangemode": "tozero"},
                                          yaxis=yaxis))


def _step_index(trajectory, step: int) -> int:
    return int(np.clip(step, 0, max(len(trajectory.updates) - 1, 0)))


def step_vectors(trajectory, step: int) -> dict[str, np.ndarray]:
    """The arrows from points[step], all in the plane's units: −η·gradient (the step plain
    gradient descent would take), −η·velocity (momentum's buffer or Adam's first moment, when
    the optimizer keeps one) and the update torch actually made."""
    k = _step_index(trajectory, step)
    vectors = {"neg_grad": -trajectory.lr * trajectory.grads[k]}
    velocity = next((trajectory.buffers[b] for b in VELOCITY_BUFFERS if b in trajectory.buffers), None)
    if velocity is not None:
        vectors["velocity"] = -trajectory.lr * velocity[k]
    vectors["update"] = trajectory.updates[k]
    return vectors


def arrow_window(trajectory, step: int, span: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The square window around points[step] that holds its arrows with room to spare, never
    narrower than 0.2% of `span` (the full picture's width), which a converged point's vanishing
    arrows would otherwise shrink to nothing.
    The page can grid the surface over it (surfaces.grid(..., x_range=, y_range=)) for sharp contours."""
    k = _step_index(trajectory, step)
    centre = trajectory.points[k]
    longest = max((float(np.hypot(*v)) for v in step_vectors(trajectory, k).values()), default=0.0)
    half = max(1.5 * longest, 0.002 * span)
    return (float(centre[0] - half), float(centre[0] + half)), (float(centre[1] - half), float(centre[1] + half))


def _arrow(start: np.ndarray, vector: np.ndarray, color: str, width: float) -> dict:
    end = start + vector
    return {"x": float(end[0]), "y": float(end[1]), "ax": float(start[0]), "ay": float(start[1]),
            "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "text": "", "showarrow": True,
            "arrowhead": 2, "arrowsize": 1.2, "arrowwidth": width, "arrowcolor": color}


def step_arrows(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, trajectory, step: int, name: str, *,
                labels: dict[str, str], projector: bool = False,
                window: tuple[tuple[float, float], tuple[float, float]] | None = None) -> go.Figure:
    """The contours zoomed around points[step] (`window`, or `arrow_window` of the grid's width)
    with arrows from that point: −η·gradient, −η·velocity when the optimizer keeps one (the gap
    between the two is what momentum adds), and the update torch made (where adaptive methods
    differ from both). Annotations draw the arrows; empty traces carry their colours into the
    legend. Labels: title ("{name}", "{step}" optional), log_loss, point, neg_grad, velocity, update."""
    k = _step_index(trajectory, step)
    if window is None:
        window = arrow_window(trajectory, k, float(xs[-1] - xs[0]))
    point = trajectory.points[k]
    width = 3.5 if projector else 2.5
    vectors = step_vectors(trajectory, k)
    # the update drawn first and wider: under plain momentum it coincides with −η·velocity
    widths = {"neg_grad": width, "velocity": width, "update": 2 * width}
    order = ["update"] + [key for key in vectors if key != "update"]
    colors = {"neg_grad": GRAD_COLOR, "velocity": VELOCITY_COLOR, "update": UPDATE_COLOR}
    legend = [dict(type="scatter", x=[None], y=[None], mode="lines", name=labels[key],
                   line={"color": colors[key], "width": widths[key]}, hoverinfo="skip") for key in vectors]
    marker = dict(type="scatter", x=point[:1].astype(np.float64), y=point[1:].astype(np.float64), mode="markers",
                  name=labels["point"], marker={"color": "#222222", "size": 10 if projector else 7},
                  hovertemplate=labels["point"] + "<br>x %{x:.4g}<br>y %{y:.4g}<extra></extra>")
    layout = theme.layout(labels["title"].format(name=name, step=k), projector=projector, height=420,
                          annotations=[_arrow(point, vectors[key], colors[key], widths[key]) for key in order],
                          **_equal_axes(*window))
    return theme.figure([_contour(xs, ys, z, labels), marker, *legend], layout)


def phase_heatmap(lrs: np.ndarray, momenta: np.ndarray, rates: np.ndarray, current: tuple[float, float] | None, *,
                  labels: dict[str, str], projector: bool = False) -> go.Figure:
    """Distill's phase diagram of momentum: the convergence rate (the factor by which the
    distance to the minimum shrinks each step; lower is faster) over learning rate (log axis)
    and momentum, coloured from the best rate shown to 1. Rates ≥ 1 never converge and are one flat grey; the current choice is a
    cross. Labels: title, lr, momentum, rate, diverges, current."""
    lrs, momenta = np.asarray(lrs, np.float64), np.asarray(momenta, np.float32)
    rates = np.asarray(rates, dtype=np.float32)
    converging = np.where(rates < 1.0, rates, np.nan).astype(np.float32)
    divergent = np.where(rates >= 1.0, 1.0, np.nan).astype(np.float32)
    # the scale starts at the best rate on show (to a tenth): on a κ = 10 ravine no choice beats
    # 0.52, and a scale from 0 would spend half its colours on nothing
    best = float(np.nanmin(converging)) if np.isfinite(converging).any() else 0.0
    low = min(float(np.floor(best * 10) / 10), 0.9)
    head = f"{labels['lr']} %{{x:.3g}}<br>{labels['momentum']} %{{y:.3f}}<br>"
    traces = [
        dict(type="heatmap", x=lrs, y=momenta, z=converging, zmin=low, zmax=1.0, colorscale=theme.SEQUENTIAL,
             colorbar={"title": {"text": labels["rate"], "side": "right"}, "thickness": 12},
             hovertemplate=head + labels["rate"] + " %{z:.4f}<extra></extra>"),
        dict(type="heatmap", x=lrs, y=momenta, z=divergent, zmin=0.0, zmax=1.0, showscale=False,
             colorscale=[[0.0, "#CCCCCC"], [1.0, "#CCCCCC"]], hovertemplate=head + labels["diverges"] + "<extra></extra>"),
    ]
    if current is not None:
        traces.append(dict(type="scatter", x=[float(current[0])], y=[float(current[1])], mode="markers",
                           name=labels["current"], showlegend=False,
                           marker={"symbol": "x-thin", "size": 16 if projector else 12,
                                   "line": {"color": "#D55E00", "width": 3}},
                           hovertemplate=labels["current"] + "<br>" + head + "<extra></extra>"))
    return theme.figure(traces, theme.layout(labels["title"], projector=projector, height=400,
                                          xaxis={"title": {"text": labels["lr"]}, "type": "log"},
                                          yaxis={"title": {"text": labels["momentum"]}}))
