"""The convolution page's explainer: one output cell of a convolution taken apart — an image,
a kernel (a preset or one the CNN has learned, read from the race's snapshot), the window, the
element-wise products, their sum, and the whole output map with that cell framed. Static: it
reads the snapshot once per rerun."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ffnviz.conv_explainer import KERNELS, output_map, pad, window
from ffnviz.specs.conv import conv_size
from ffnviz.train.race_runner import RaceRunner, RaceSnapshot
from ffnviz.ui.charts import projector, show
from ffnviz.ui.i18n import tr
from ffnviz.viz import conv_charts

LEARNED = "learned"  # the kernel choice "learned:<channel>"


def _explainer_kernel(choice: str, snap: RaceSnapshot) -> tuple[np.ndarray, float]:
    if choice.startswith(LEARNED):
        channel = int(choice.split(":")[1])
        inside = snap.extras[0].inside
        return np.array(inside.kernels[0][channel, 0]), float(inside.biases[0][channel])  # a copy: torch reads it
    return KERNELS[choice], 0.0


def _clamped(key: str, hi: int, first: int = 1) -> str:
    """A number widget's key whose value stays in 1..hi (`first` when it has none yet)."""
    st.session_state.setdefault(key, first)
    if not 1 <= int(st.session_state[key]) <= hi:
        st.session_state[key] = min(max(int(st.session_state[key]), 1), hi)
    return key


def explainer_panel(runner: RaceRunner, key: str) -> None:
    """The explainer's widgets (keys "<key>.x.*"), picture ("<key>.explainer") and sum, for the race of
    `runner`."""
    st.caption(tr("cv_explainer_intro"))
    snap = runner.snapshot  # read once: the learned kernels as they are now
    data = runner.race.dataset
    n = len(data.y_test)
    cnn = snap.extras[0] if snap.extras else None
    learned = [f"{LEARNED}:{c}" for c in range(cnn.inside.kernels[0].shape[0])] if cnn is not None else []
    choices = [*KERNELS, *learned]
    cols = st.columns([1, 1.4, 1])
    image_no = cols[0].number_input(tr("w_explainer_image", n=n), 1, n, key=_clamped(f"{key}.x.image", n),
                                    help=tr("help_explainer_image"))
    if st.session_state.get(f"{key}.x.kernel") not in choices:
        st.session_state[f"{key}.x.kernel"] = choices[0]
    choice = cols[1].selectbox(tr("w_explainer_kernel"), choices, key=f"{key}.x.kernel", format_func=_labelled_kernels(),
                               help=tr("help_explainer_kernel"))
    kernel, bias = _explainer_kernel(choice, snap)
    k = kernel.shape[0]
    padding = cols[2].select_slider(tr("w_explainer_padding"), list(range(0, k // 2 + 1)),
                                    key=_clamped_padding(f"{key}.x.padding", k), help=tr("help_explainer_padding"))
    image = data.x_test[int(image_no) - 1, 0]
    side = image.shape[0]
    out_side = conv_size(side, k, 1, int(padding))
    cols = st.columns(2)
    middle = (out_side + 1) // 2  # start where the image has ink, not in the padding's corner
    if st.session_state.get(f"{key}.x.side") != out_side:  # another output size: the sliders are new ones
        st.session_state[f"{key}.x.side"] = out_side
        st.session_state[f"{key}.x.row"] = st.session_state[f"{key}.x.col"] = middle
    row = cols[0].slider(tr("w_explainer_row"), 1, out_side, key=_clamped(f"{key}.x.row", out_side, middle),
                         help=tr("help_explainer_row"))
    col = cols[1].slider(tr("w_explainer_col"), 1, out_side, key=_clamped(f"{key}.x.col", out_side, middle),
                         help=tr("help_explainer_col"))
    w = window(image, kernel, int(row) - 1, int(col) - 1, padding=int(padding), bias=bias)
    out = output_map(image, kernel, padding=int(padding), bias=bias)
    labels = {"title": tr("chart_explainer", kernel=_labelled_kernels()(choice), row=int(row), col=int(col)),
              "input": tr("panel_input", padding=int(padding)), "kernel": tr("panel_kernel"),
              "products": tr("panel_products"), "output": tr("panel_output", side=out_side), "row": tr("axis_row"),
              "col": tr("axis_col"), "value": tr("axis_value")}
    show(conv_charts.explainer(pad(image, int(padding)), kernel, (w.top, w.left), w.products, out,
                               (int(row) - 1, int(col) - 1), int(padding), projector=projector(), labels=labels),
         f"{key}.explainer", tr("cap_explainer"))
    terms = " + ".join(conv_charts.number(v) for v in w.products.ravel()).replace("+ -", "− ")
    total = float(w.products.sum())
    st.markdown(tr("cv_explainer_sum", count=w.products.size, terms=terms, total=conv_charts.number(total, ".3f"),
                   bias=conv_charts.number(bias, "+.3f"), value=conv_charts.number(w.value, ".3f"), row=int(row),
                   col=int(col)))
    st.latex(r"\mathrm{out}[r, c] = \sum_{i, j} x_{\mathrm{pad}}[r + i,\ c + j] \cdot K[i, j] + b")
    if learned:
        st.caption(tr("cv_learned_as_of", updates=snap.updates))


def _labelled_kernels():
    lang_names = {choice: tr("kernel_" + choice) for choice in KERNELS}
    learned = tr("kernel_learned")

    def name(choice: str) -> str:
        if choice.startswith(LEARNED):
            return learned.format(channel=int(choice.split(":")[1]) + 1)
        return lang_names[choice]

    return name


def _clamped_padding(key: str, k: int) -> str:
    if key not in st.session_state or int(st.session_state[key]) > k // 2:
        st.session_state[key] = k // 2  # "same" padding: the output as large as the input
    return key
