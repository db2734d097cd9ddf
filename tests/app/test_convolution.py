"""The convolution page: Step trains the CNN and every picture comes from the snapshot; the shape
calculator shows each layer before training and says when layers do not fit (the run keeps the
last good setting); the MLP baseline joins the race; a link restores the settings; the presets
load; the explainer's sum is the output map's cell."""

from __future__ import annotations

import numpy as np

from tests.app.conftest import charts_of
from tests.app.test_pages import no_errors

PAGE = "pages/convolution.py"
RUNNER = "ffnviz.race::cv"
CHARTS = ("cv.loss", "cv.accuracy", "cv.maps", "cv.kernels", "cv.deep_kernels", "cv.confusion", "cv.wrong",
          "cv.explainer")


def _spec(at):
    return at.session_state[RUNNER].snapshot.spec


def test_step_trains_and_every_picture_is_drawn(app):
    at = app(PAGE)
    no_errors(at)
    before = at.session_state[RUNNER].snapshot.extras[0].inside.kernels[0].copy()
    at.button(key="cv.step").click().run()
    no_errors(at)
    snap = at.session_state[RUNNER].snapshot
    assert snap.updates == snap.updates_per_epoch > 0
    charts = charts_of(at)
    for key in CHARTS:
        assert key in charts, key
    assert not np.allclose(snap.extras[0].inside.kernels[0], before)
    # the feature maps are one image; the first layer's kernels one heatmap of 8 tiles
    assert charts["cv.maps"]["data"][0]["type"] == "image"
    assert charts["cv.kernels"]["layout"]["xaxis"]["ticktext"] == [str(i) for i in range(1, 9)]
    assert len(charts["cv.confusion"]["data"]) == 1
    assert "cv.wrong_mlp" not in charts
    labels = {m.label: m.value for m in at.metric}
    assert labels["CNN parameters"] == "1,898" and labels["MLP baseline parameters"] == "1,885"


def test_the_shape_calculator_lists_every_layer(app):
    at = app(PAGE)
    table = at.dataframe[0].value
    assert table["Layer"].tolist() == ["input", "conv1", "pool1", "conv2", "pool2", "classifier"]
    assert table["Output C × H × W"].tolist() == ["1 × 8 × 8", "8 × 8 × 8", "8 × 4 × 4", "16 × 4 × 4", "16 × 2 × 2", "10"]
    assert table["How"].tolist()[1] == "⌊(8 + 2·1 − 3)/1⌋ + 1 = 8"
    at.selectbox(key="cv.head").set_value("global_max").run()
    table = at.dataframe[0].value
    assert table["Layer"].tolist()[-2:] == ["global pool", "classifier"]
    assert table["Parameters"].tolist()[-1] == "170"  # 16 × 10 + 10
    assert _spec(at).base.model.head == "global_max"


def test_layers_that_do_not_fit_say_why_and_the_run_keeps_the_last_good_setting(app):
    at = app(PAGE)
    at.button(key="cv.step").click().run()
    good = _spec(at)
    at.slider(key="cv.l2.kernel").set_value(7).run()
    at.slider(key="cv.l2.padding").set_value(0).run()
    assert not at.exception
    assert any("conv2" in e.value and "⌊(4 + 2·0 − 7)/1⌋ + 1 = -2" in e.value and "7×7 kernel" in e.value
               for e in at.error)
    assert at.dataframe[0].value["Layer"].tolist()[-1] == "conv2"  # the table ends at the layer that does not fit
    assert _spec(at) == good and at.session_state[RUNNER].snapshot.updates > 0  # not rebuilt
    at.button(key="cv.step").click().run()  # Step still trains the last good setting
    snap = at.session_state[RUNNER].snapshot
    assert snap.spec == good and snap.updates == 2 * snap.updates_per_epoch
    at.slider(key="cv.l2.padding").set_value(3).run()
    no_errors(at)
    assert _spec(at).base.model.layers[1].kernel == 7


def test_the_baseline_adds_a_second_model(app):
    at = app(PAGE)
    at.toggle(key="cv.baseline").set_value(True).run()
    no_errors(at)
    assert _spec(at).contestants == ("cnn", "mlp")
    at.button(key="cv.step").click().run()
    no_errors(at)
    snap = at.session_state[RUNNER].snapshot
    assert [e.kind for e in snap.extras] == ["cnn", "mlp"]
    charts = charts_of(at)
    assert [t["name"] for t in charts["cv.accuracy"]["data"] if t.get("showlegend", True)][:2] == ["CNN", "MLP baseline"]
    assert len(charts["cv.confusion"]["data"]) == 2 and "cv.wrong_mlp" in charts
    assert any(m.label == "MLP baseline: test accuracy" for m in at.metric)


def test_another_image_shows_its_feature_maps(app):
    at = app(PAGE)
    at.number_input(key="cv.example").set_value(5).run()
    no_errors(at)
    view = at.session_state[RUNNER].snapshot.extras[0]
    data = at.session_state[RUNNER].race.dataset
    assert view.example == 4
    np.testing.assert_array_equal(view.image, data.x_test[4, 0])
    at.button(key="cv.random").click().run()
    no_errors(at)
    shown = at.session_state[RUNNER].snapshot.extras[0].example
    assert shown != 4 and at.number_input(key="cv.example").value == shown + 1


def test_a_link_restores_a_setting_and_a_bad_value_is_a_warning(app):
    at = app(PAGE, query={"data.dataset": "shapes", "model.conv1.out_channels": "4", "model.head": "global_avg",
                          "race.baseline": "true", "race.seeds": "3", "model.conv2.kernel": "nine"})
    no_errors(at)
    spec = _spec(at)
    assert spec.seeds == (3,)
    assert spec.base.data.dataset == "shapes" and spec.base.model.layers[0].out_channels == 4
    assert spec.base.model.head == "global_avg" and spec.baseline
    assert at.slider(key="cv.l1.channels").value == 4 and at.toggle(key="cv.baseline").value
    assert any("model.conv2.kernel" in w.value for w in at.warning)


def test_presets_load(app):
    at = app(PAGE)
    at.button(key="cv.lesson.conv_halves").click().run()
    no_errors(at)
    spec = _spec(at)
    assert spec.base.data.split == "halves" and spec.base.model.head == "global_max" and spec.baseline
    assert at.selectbox(key="cv.split").value == "halves" and at.selectbox(key="cv.head").value == "global_max"
    assert any("Translation invariance" in i.value for i in at.info)
    at.button(key="cv.lesson.conv_digits").click().run()
    no_errors(at)
    assert _spec(at).base.data.dataset == "digits" and _spec(at).base.model.head == "flatten"


def test_the_explainer_sum_is_the_output_maps_cell(app):
    at = app(PAGE)
    at.selectbox(key="cv.x.kernel").set_value("edge_vertical").run()
    at.slider(key="cv.x.row").set_value(3).run()
    at.slider(key="cv.x.col").set_value(5).run()
    no_errors(at)
    figure = charts_of(at)["cv.explainer"]
    assert "Edge, vertical at output row 3, column 5" in figure["layout"]["title"]["text"]
    frame = figure["layout"]["shapes"][1]  # the output map's framed cell
    assert (frame["x0"], frame["y0"]) == (3.5, 1.5)
    # with a learned kernel the bias is added
    at.button(key="cv.step").click().run()
    at.selectbox(key="cv.x.kernel").set_value("learned:2").run()
    no_errors(at)
    assert any("plus the bias" in m.value for m in at.markdown)


def test_new_weights_take_the_next_seed_and_start_over(app):
    at = app(PAGE)
    at.button(key="cv.step").click().run()
    at.button(key="cv.new").click().run()
    no_errors(at)
    snap = at.session_state[RUNNER].snapshot
    assert snap.spec.seeds == (1,) and snap.updates == 0
