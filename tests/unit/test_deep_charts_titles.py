"""The deep page's per-layer charts sit two a row: their titles must fit half a row (found in a
browser QA pass: "Activations per layer: mean and std" ran off its chart, and the histograms'
two axis titles ran into each other)."""

from __future__ import annotations

import numpy as np

from ffnviz.i18n import deep as deep_text
from ffnviz.viz import deep_charts
from ffnviz.viz.deep_charts import HALF_TITLE_WIDTH, text_width

LABELS = {"title": "", "layer": "layer", "value": "value", "mean": "mean", "std": "std", "init": "at init",
          "now": "now", "healthy": "≈ 1e-3 is healthy", "dead": "dead", "saturated": "saturated", "epoch": "epoch",
          "share": "share"}
v = np.linspace(0.1, 1.0, 10)


def charts(title: str, projector: bool = False):
    labels = {**LABELS, "title": title}
    return [deep_charts.activation_stats(v, v, v, v, labels=labels, projector=projector),
            deep_charts.layer_histograms(np.linspace(-1, 1, 11), np.ones((10, 10)), np.ones((10, 10)), labels=labels,
                                         projector=projector),
            deep_charts.gradient_norms(v, v, labels=labels, projector=projector),
            deep_charts.update_ratios(v * 1e-3, labels=labels, projector=projector),
            deep_charts.unit_health(v, v, labels=labels, projector=projector),
            deep_charts.gradients_over_time([1, 2], np.ones((2, 10)), labels=labels, projector=projector)]


def test_every_per_layer_title_of_both_languages_fits_half_a_row():
    keys = ("dp_chart_act", "dp_chart_hist", "dp_chart_grad", "dp_chart_ratio", "dp_chart_units", "dp_chart_grad_time")
    for key in keys:
        for title in deep_text.TABLE[key]:
            for fig in charts(title):
                assert fig.layout.title.xref == "container"
                for line in fig.layout.title.text.split("<br>"):
                    assert text_width(line) <= HALF_TITLE_WIDTH, (key, line)


def test_a_wrapped_title_gets_room_and_projector_titles_stay_on_one_line():
    long = "Activations per layer: mean and std"
    short = charts("Short")[0]
    wrapped = charts(long)[0]
    assert wrapped.layout.title.text == "Activations per layer:<br>mean and std"
    assert (wrapped.layout.title.yref, wrapped.layout.title.yanchor) == ("container", "top")
    assert wrapped.layout.title.pad.t > short.layout.title.pad.t  # plotly.js anchors by the last line
    assert wrapped.layout.margin.t > short.layout.margin.t
    assert wrapped.layout.height > short.layout.height
    assert "<br>" not in charts(long, projector=True)[0].layout.title.text


def test_the_histogram_halves_are_named_above_each_half_not_in_clashing_axis_titles():
    fig = charts("Activation histograms per layer")[1]
    assert [a.text for a in fig.layout.annotations] == ["at init", "now"]
    assert fig.layout.xaxis.title.text == fig.layout.xaxis2.title.text == "layer"
