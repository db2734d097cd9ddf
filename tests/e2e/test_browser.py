"""A person's view: the pages load in Chromium, training runs live, the charts move."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

EXCEPTION_BOX = '[data-testid="stException"]'

READ_CHARTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
    title: (gd.layout && gd.layout.title && gd.layout.title.text) || '',
    traces: (gd._fullData || []).map(t => ({
        name: t.name,
        x: Array.from(t.x || []).map(Number),
        y: Array.from(t.y || []).map(Number),
        z: t.z ? Array.from(t.z).flatMap(row => Array.from(row)).map(Number) : [],
        source: t.source || '',
    })),
}))"""


HAS_CHART = """title => Array.from(document.querySelectorAll('.js-plotly-plot')).some(gd =>
    gd._fullData && gd.layout && gd.layout.title &&
    (gd.layout.title.text || '').replace(/<\\/?b>/g, '') === title)"""


def chart(page, title: str) -> dict:
    """The data plotly drew for the chart titled `title` (Streamlit wraps titles in <b>).

    A live fragment redraws its charts, so one may be missing for a moment: wait until it is drawn.
    """
    page.wait_for_function(HAS_CHART, arg=title, timeout=30_000)
    charts = [c for c in page.evaluate(READ_CHARTS) if re.sub(r"</?b>", "", c["title"]) == title]
    assert charts, f"no chart titled {title!r}"
    return charts[0]


def wait_for_app(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=30_000)
    page.wait_for_selector('h1', timeout=30_000)


def test_home_page_loads(page, app_url, screenshots):
    wait_for_app(page, app_url)
    page.get_by_text("ffnviz: watch neural-network layers train").wait_for(timeout=30_000)
    page.get_by_role("link", name="Open").first.wait_for()
    assert page.get_by_role("link", name="Open").count() == 6  # a card per page
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.screenshot(path=screenshots / "home.png", full_page=True)


def test_playground_trains_live_and_the_loss_falls(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/playground")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    page.wait_for_timeout(2_000)  # let a few epochs happen and the charts redraw
    first_loss, first_map = chart(page, "Loss"), chart(page, "Decision map")
    page.wait_for_timeout(2_000)
    second_loss, second_map = chart(page, "Loss"), chart(page, "Decision map")

    before, after = first_loss["traces"][0], second_loss["traces"][0]  # the training loss
    assert len(after["x"]) > len(before["x"]), "the loss curve did not grow in 2 s"
    assert after["y"][-1] < before["y"][-1], "the training loss did not fall"
    assert after["y"][-1] < after["y"][0]
    assert first_map["traces"][0]["z"] != second_map["traces"][0]["z"], "the decision map did not change"
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.screenshot(path=screenshots / "playground-training.png", full_page=True)

    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Start").wait_for(timeout=10_000)
    paused = chart(page, "Loss")["traces"][0]["x"]
    page.wait_for_timeout(1_500)
    assert chart(page, "Loss")["traces"][0]["x"] == paused, "the curve moved after Pause"


def test_inside_the_network_and_a_weight_edited_by_hand(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/playground")
    for _ in range(3):  # a paused run a few epochs in: the weights can be edited
        page.get_by_role("button", name="Step").click()
        page.wait_for_timeout(700)
    page.get_by_text("Show inside the network", exact=True).click()
    diagram, mosaic = chart(page, "The network"), chart(page, "What every neuron computes")
    assert len(diagram["traces"]) >= 3 and mosaic["traces"][0]["source"].startswith("data:image/png")

    # A click on the mosaic's first tile of hidden layer 1 (second column, tallest, so it starts at
    # the top; the column's tick sits at its centre) enlarges that neuron below.
    mosaic_chart = page.locator(".js-plotly-plot", has_text="What every neuron computes")
    mosaic_chart.scroll_into_view_if_needed()
    where = mosaic_chart.evaluate("""gd => {
        const L = gd._fullLayout, r = gd.getBoundingClientRect(), ticks = L.xaxis.tickvals;
        return {x: r.left + L.xaxis._offset + L.xaxis.l2p(ticks[1]), y: r.top + L.yaxis._offset + L.yaxis.l2p(ticks[0])}; }""")
    page.mouse.click(where["x"], where["y"])
    chart(page, "layer 1, unit 1")
    page.wait_for_function("""() => document.querySelector('input[aria-label="Enlarge a neuron"]').value
        .includes('layer 1, unit 1')""", timeout=15_000)  # the picker follows
    before_map = chart(page, "Decision map")["traces"][0]["z"]

    # The weight editor is a canvas grid: double-click the first unit's weight from x1, and type
    # into the cell editor it opens (an <input class="gdg-input">).
    grid = page.get_by_text("Edit the weights").locator("xpath=following::*[@data-testid='stDataFrame'][1]")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    cell_at = (box["x"] + box["width"] * 0.3, box["y"] + 35 + 17)
    page.mouse.move(*cell_at)  # the grid takes a double-click only once the pointer has been over it
    page.wait_for_timeout(300)
    page.mouse.dblclick(*cell_at)
    cell = page.locator("input.gdg-input")
    cell.wait_for(timeout=10_000)
    cell.fill("4")
    cell.press("Enter")
    for _ in range(20):  # the edit reruns the page: wait for the redrawn map
        page.wait_for_timeout(500)
        if chart(page, "Decision map")["traces"][0]["z"] != before_map:
            break
    else:
        pytest.fail("the decision map ignored the edited weight")
    assert chart(page, "What every neuron computes")["traces"][0]["source"] != mosaic["traces"][0]["source"]
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.screenshot(path=screenshots / "playground-editor.png")
    page.locator(".js-plotly-plot", has_text="The network").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=screenshots / "playground-inside.png")


def test_playground_in_chinese(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/playground?lang=zh")
    page.get_by_text("前馈网络实验场").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="单步").click()
    page.wait_for_timeout(1_500)
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.screenshot(path=screenshots / "playground-zh.png", full_page=True)


def test_optimizer_page_animates_paths_and_races_live(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/optimizers")
    paths = chart(page, "Paths on the surface (contours on a log scale)")
    assert sum(1 for t in paths["traces"] if len(t["x"]) > 1) >= 3, "one path per optimizer"
    assert page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .some(gd => (gd._transitionData && gd._transitionData._frames || []).length > 1)"""), "no animation frames"
    page.screenshot(path=screenshots / "optimizers-surfaces.png")

    start_x = page.get_by_role("spinbutton", name="Start x")
    before = start_x.input_value()
    drag = page.locator(".js-plotly-plot", has_text="Paths on the surface").locator(".nsewdrag").first
    drag.scroll_into_view_if_needed()
    box = drag.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.8)  # a click on the contour
    page.wait_for_function("before => document.querySelector('input[aria-label=\"Start x\"]').value !== before",
                           arg=before, timeout=15_000)
    assert float(start_x.input_value()) > float(before), "the paths start where the contour was clicked"
    page.wait_for_function("() => location.search.includes('paths.start')", timeout=15_000)  # and the link says so

    page.get_by_role("tab", name="Race on a network").click()
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    page.wait_for_timeout(2_000)
    first = chart(page, "Loss")
    page.wait_for_timeout(2_000)
    second = chart(page, "Loss")
    grew = [len(b["x"]) > len(a["x"]) for a, b in zip(first["traces"], second["traces"], strict=True) if len(a["x"])]
    assert grew and all(grew), "every contestant's curve grows"
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.get_by_text("Models in the race").scroll_into_view_if_needed()  # the charts under the controls
    page.mouse.wheel(0, 350)
    page.wait_for_timeout(1_000)
    page.screenshot(path=screenshots / "optimizers-race.png")
    page.get_by_role("button", name="Pause").click()


def test_gated_page_races_recurrent_networks_live(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/gated")
    page.get_by_role("tab", name="Recurrent gates").click()
    page.get_by_role("button", name="Start").locator("visible=true").first.click()
    page.get_by_role("button", name="Pause").locator("visible=true").first.wait_for(timeout=30_000)
    page.wait_for_timeout(3_000)
    first = [c for c in page.evaluate(READ_CHARTS) if c["title"].replace("<b>", "").replace("</b>", "") == "Loss"]
    page.wait_for_timeout(2_000)
    second = [c for c in page.evaluate(READ_CHARTS) if c["title"].replace("<b>", "").replace("</b>", "") == "Loss"]
    # the recurrent race's loss chart: the visible tab's (the other tab's race is not running)
    grew = [len(b["x"]) > len(a["x"]) for a0, b0 in zip(first, second, strict=True)
            for a, b in zip(a0["traces"], b0["traces"], strict=True) if len(a["x"])]
    assert any(grew), "the recurrent race's curves grow"
    chart(page, "Gradient reaching each time step")
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.get_by_text("Gates of").filter(visible=True).first.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)
    page.screenshot(path=screenshots / "gated-recurrent.png")
    page.get_by_role("button", name="Pause").locator("visible=true").first.click()


def test_attention_maps_form_live_and_follow_an_edited_example(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/attention")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    page.wait_for_timeout(3_000)
    grid = "Every head: where each query position looks"
    first_grid, first_loss = chart(page, grid), chart(page, "Loss")
    page.wait_for_timeout(2_500)
    second_grid, second_loss = chart(page, grid), chart(page, "Loss")
    assert len(first_grid["traces"]) == 4  # 2 layers × 2 heads
    assert [t["z"] for t in first_grid["traces"]] != [t["z"] for t in second_grid["traces"]], \
        "the attention maps did not change while training"
    assert len(second_loss["traces"][0]["x"]) > len(first_loss["traces"][0]["x"]), "the loss curve did not grow"
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Start").wait_for(timeout=10_000)

    box = page.get_by_role("textbox", name="Example (tokens)")
    box.fill("A B C D E F G H")
    box.press("Enter")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).some(gd => gd.layout && gd.layout.title
            && (gd.layout.title.text || '').replace(/<\\/?b>/g, '').startsWith('Every head') && gd.layout.yaxis
            && (gd.layout.yaxis.ticktext || []).join('') === 'ABCDEFGH')""", timeout=15_000)

    # A click on the grid's map of layer 2, head 1 (its third panel) enlarges that head.
    panel = page.locator(".js-plotly-plot", has_text="Every head").locator('.nsewdrag[data-subplot="x3y3"]')
    panel.scroll_into_view_if_needed()
    box = panel.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    chart(page, "Layer 2, head 1, and the task's ideal pattern")
    page.wait_for_function("""() => document.querySelector('input[aria-label="Layer"]').value === '2'
        && document.querySelector('input[aria-label="Head"]').value === '1'""", timeout=15_000)  # the pickers follow
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.mouse.move(0, 0)  # no tooltip in the picture
    page.get_by_text("Attention weights are not explanations").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_000)
    page.screenshot(path=screenshots / "attention.png")
    page.get_by_text("How layer 2, head 1 computes").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_000)
    page.screenshot(path=screenshots / "attention-steps.png")


def test_text_classifier_trains_and_classifies_a_typed_sentence(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/text")
    page.get_by_role("button", name="Start").click()
    page.wait_for_timeout(2_500)
    first = chart(page, "Loss")
    page.wait_for_timeout(1_500)
    page.get_by_text("Status: finished").or_(page.get_by_role("button", name="Pause")).first.wait_for(timeout=30_000)
    second = chart(page, "Loss")
    assert len(second["traces"][0]["x"]) >= len(first["traces"][0]["x"]) > 1, "the loss curve did not grow"
    assert second["traces"][0]["y"][-1] < second["traces"][0]["y"][0], "the training loss did not fall"
    box = page.get_by_role("textbox", name="Try a sentence")
    box.fill("The waiter was rude and the soup was cold")
    box.press("Enter")
    probs = chart(page, "Your sentence")
    assert len(probs["traces"]) == 2  # the network and the logistic regression
    assert abs(sum(probs["traces"][0]["y"]) - 1) < 1e-3
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.mouse.move(0, 0)
    page.get_by_text("What the model learned").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_000)
    page.screenshot(path=screenshots / "text.png")


def test_convolution_kernels_and_feature_maps_change_live(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/convolution")
    page.get_by_role("button", name="Translation invariance: train left, test right").click()
    page.mouse.move(0, 0)  # no tooltip over the page (its button's help says the same)
    page.locator('[data-testid="stAlert"]', has_text="Every training shape lies in the left half").wait_for(timeout=30_000)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    page.mouse.move(0, 0)
    page.wait_for_timeout(3_000)
    kernels, maps = "The first layer's 3×3 kernels", "Feature maps of every layer for test image 1"
    first_kernels, first_maps, first_loss = chart(page, kernels), chart(page, maps), chart(page, "Loss")
    page.wait_for_timeout(2_500)
    second_kernels, second_maps, second_loss = chart(page, kernels), chart(page, maps), chart(page, "Loss")
    assert first_kernels["traces"][0]["z"] != second_kernels["traces"][0]["z"], "the kernels did not change"
    assert first_maps["traces"][0]["source"].startswith("data:image/png")
    assert first_maps["traces"][0]["source"] != second_maps["traces"][0]["source"], "the feature maps did not change"
    assert len(second_loss["traces"][0]["x"]) > len(first_loss["traces"][0]["x"]), "the loss curve did not grow"
    assert len({t["name"] for t in second_loss["traces"]}) >= 2  # the CNN and its MLP baseline
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Start").wait_for(timeout=10_000)
    # the race's numbers and curves at the top, the feature maps below them
    page.locator('[data-testid="stMetric"]').first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_500)
    page.screenshot(path=screenshots / "convolution.png")
    page.get_by_text("Inside the CNN").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_500)
    page.screenshot(path=screenshots / "convolution-maps.png")
    page.get_by_text("One convolution, taken apart").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_500)
    page.screenshot(path=screenshots / "convolution-explainer.png")
    assert page.locator(EXCEPTION_BOX).count() == 0
