"""A person's view: the pages load in Chromium, training runs live, the charts move."""

from __future__ import annotations

import time

import pytest

from ffnviz.ui.shell import PAGES

pytestmark = pytest.mark.browser

EXCEPTION_BOX = '[data-testid="stException"]'

# The data plotly drew for the visible chart titled `title` (Streamlit wraps titles in <b>; a long
# title broken onto two lines has a <br> for its space; a chart in an inactive tab is not visible),
# read in one go; null while there is none.
READ_CHART = """title => {
    const gd = Array.from(document.querySelectorAll('.js-plotly-plot')).find(gd =>
        gd._fullData && gd.layout && gd.layout.title && gd.getClientRects().length > 0 &&
        (gd.layout.title.text || '').replace(/<\\/?b>/g, '').replace(/<br>/g, ' ') === title);
    return gd ? {
        title: gd.layout.title.text,
        traces: gd._fullData.map(t => ({
            name: t.name,
            // a curve of evenly spaced epochs comes as x0 and dx (ffnviz/viz/charts.py x_of)
            x: t.x ? Array.from(t.x).map(Number)
                   : (t.x0 !== undefined && t.dx !== undefined ? Array.from(t.y || [], (_, i) => t.x0 + i * t.dx) : []),
            y: Array.from(t.y || []).map(Number),
            z: t.z ? Array.from(t.z).flatMap(row => Array.from(row)).map(Number) : [],
            source: t.source || '',
        })),
    } : null;
}"""

WAIT_S = 90  # for a condition that needs training to happen: generous, for a loaded machine


def chart(page, title: str) -> dict:
    """The visible chart titled `title`: a live fragment redraws its charts, so wait until it is drawn."""
    return page.wait_for_function(READ_CHART, arg=title, timeout=30_000).json_value()


def wait_until(page, what: str, read, ok, timeout_s: float = WAIT_S):
    """`read()` again and again until `ok` holds for what it returns, which is returned; fails
    saying `what` was waited for."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = read()
        if ok(value):
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout_s:.0f} s for {what}")
        page.wait_for_timeout(250)


def wait_until_still(page, what: str, read, quiet_ms: int = 2_000, timeout_s: float = 30):
    """`read()` until it returns the same for `quiet_ms`: what stopped moving (after Pause)."""
    deadline = time.monotonic() + timeout_s
    value, since = read(), time.monotonic()
    while time.monotonic() - since < quiet_ms / 1000:
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: still changing after {timeout_s:.0f} s")
        page.wait_for_timeout(250)
        now = read()
        if now != value:
            value, since = now, time.monotonic()
    return value


def last_x(trace: dict) -> float:
    """How far a curve reaches (its last update or epoch): a long history is thinned, so a curve
    that goes on may have fewer points, never a shorter reach; a band's x runs there and back."""
    return max(trace["x"], default=float("-inf"))


def reach(chart_data: dict) -> dict[str, float]:
    """How far each named curve of a chart reaches (its lines and bands together)."""
    out: dict[str, float] = {}
    for t in chart_data["traces"]:
        if t["x"]:
            out[t["name"]] = max(out.get(t["name"], float("-inf")), last_x(t))
    return out


def expect(locator):
    from playwright.sync_api import expect as playwright_expect  # the browser fixture explains a missing playwright

    return playwright_expect(locator)


def metric(page, label: str):
    """The value of the metric labelled `label` (a locator: wait on it with expect)."""
    return page.locator('[data-testid="stMetric"]', has_text=label).locator('[data-testid="stMetricValue"]').first


def wait_for_app(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=30_000)
    page.wait_for_selector('h1', timeout=30_000)


def test_home_page_loads(page, app_url, screenshots):
    wait_for_app(page, app_url)
    page.get_by_text("ffnviz: watch neural-network layers train").wait_for(timeout=30_000)
    expect(page.get_by_role("link", name="Open")).to_have_count(len(PAGES) - 1, timeout=30_000)  # a card per page
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.screenshot(path=screenshots / "home.png", full_page=True)


def test_the_app_asks_nothing_of_the_internet(page, app_url):
    """It must run with no network: found in a browser QA pass, the tab's icon (a :material/…: page
    icon) was fetched from fonts.gstatic.com on every page."""
    from urllib.parse import urlparse
    local = urlparse(app_url).hostname
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(r.url).hostname != local else None)
    wait_for_app(page, f"{app_url}/playground")
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=30_000)
    # the page's own icon replaces Streamlit's favicon.png: then every request the page makes has been made
    page.wait_for_function("() => [...document.querySelectorAll('link[rel*=icon]')]"
                           ".some(l => !l.href.endsWith('favicon.png'))", timeout=30_000)
    page.wait_for_timeout(500)
    assert not outside, outside


def test_a_deep_link_on_a_fresh_server_gets_the_app_shell(page, fresh_app_url, screenshots):
    """A fresh server's first request runs in Streamlit's legacy pages/ mode, without app.py;
    require_app_shell() reruns it through app.py (docs/ARCHITECTURE.md, "Deviations")."""
    wait_for_app(page, f"{fresh_app_url}/playground")
    page.get_by_role("heading", name="Feedforward playground").wait_for(timeout=30_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("radiogroup", name="Language · 语言")).to_be_visible(timeout=30_000)
    expect(sidebar.get_by_text("Projector mode")).to_be_visible()
    # app.py's page list (translated titles, no entry for app.py itself), not the pages/ folder's
    expect(sidebar.locator('[data-testid="stSidebarNavLink"]')).to_have_count(len(PAGES))
    expect(sidebar.get_by_role("link", name="Feedforward playground")).to_be_visible()
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=30_000)  # the page's body is drawn too
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.screenshot(path=screenshots / "deep-link.png")


def test_playground_trains_live_and_the_loss_falls(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/playground")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    first_loss = wait_until(page, "the loss curve's first epochs", lambda: chart(page, "Loss"),
                            lambda c: len(c["traces"][0]["x"]) >= 2)
    first_map = chart(page, "Decision map")

    before = first_loss["traces"][0]  # the training loss
    after = wait_until(page, "the training loss to go on and fall below its last value",
                       lambda: chart(page, "Loss")["traces"][0],
                       lambda t: last_x(t) > last_x(before) and t["y"][-1] < before["y"][-1])
    assert after["y"][-1] < after["y"][0]
    wait_until(page, "the decision map to change", lambda: chart(page, "Decision map")["traces"][0]["z"],
               lambda z: z != first_map["traces"][0]["z"])
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.screenshot(path=screenshots / "playground-training.png", full_page=True)

    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=10_000)
    page.get_by_text("Status: paused").first.wait_for(timeout=10_000)
    # Settled (the pause's own redraw included): the curve then stays put, a window long.
    paused = wait_until_still(page, "the loss curve after Pause", lambda: chart(page, "Loss")["traces"][0]["x"])
    page.wait_for_timeout(1_500)  # nothing to wait for: the check is that nothing happens
    assert chart(page, "Loss")["traces"][0]["x"] == paused, "the curve moved after Pause"


def test_inside_the_network_and_a_weight_edited_by_hand(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/playground")
    epoch = metric(page, "Epoch")
    expect(epoch).to_have_text("0", timeout=30_000)
    for n in range(1, 4):  # a paused run a few epochs in: the weights can be edited
        page.get_by_role("button", name="Step").click()
        expect(epoch).to_have_text(str(n), timeout=30_000)
    page.get_by_text("Show inside the network", exact=True).click()
    diagram = wait_until(page, "the network diagram", lambda: chart(page, "The network"), lambda c: len(c["traces"]) >= 3)
    mosaic = wait_until(page, "the neuron mosaic's picture", lambda: chart(page, "What every neuron computes"),
                        lambda c: c["traces"][0]["source"].startswith("data:image/png"))
    assert len(diagram["traces"]) >= 3

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
    # into the cell editor it opens (an <input class="gdg-input">). The grid takes a double-click
    # only once the pointer has been over it: hover and double-click until the editor opens.
    grid = page.get_by_text("Edit the weights").locator("xpath=following::*[@data-testid='stDataFrame'][1]")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    cell_at = (box["x"] + box["width"] * 0.3, box["y"] + 35 + 17)
    cell = page.locator("input.gdg-input")

    def editor_open() -> bool:
        page.mouse.move(*cell_at)
        page.wait_for_timeout(300)
        page.mouse.dblclick(*cell_at)
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            cell.wait_for(timeout=2_000)
        except PlaywrightTimeout:  # not open yet
            return False
        return True

    wait_until(page, "the weight editor's cell editor to open", editor_open, bool, timeout_s=30)
    cell.fill("4")
    cell.press("Enter")
    wait_until(page, "the decision map to follow the edited weight",  # the edit reruns the page
               lambda: chart(page, "Decision map")["traces"][0]["z"], lambda z: z != before_map)
    wait_until(page, "the neuron mosaic to follow the edited weight",
               lambda: chart(page, "What every neuron computes")["traces"][0]["source"],
               lambda src: src != mosaic["traces"][0]["source"])
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.screenshot(path=screenshots / "playground-editor.png")
    page.locator(".js-plotly-plot", has_text="The network").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=screenshots / "playground-inside.png")


def test_playground_in_chinese(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/playground?lang=zh")
    page.get_by_text("前馈网络实验场").first.wait_for(timeout=30_000)
    epoch = metric(page, "轮次")
    expect(epoch).to_have_text("0", timeout=30_000)
    page.get_by_role("button", name="单步").click()
    expect(epoch).to_have_text("1", timeout=30_000)  # the step ran and the page redrew
    page.wait_for_function("() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                           ".filter(gd => (gd.data || []).length > 0).length >= 2", timeout=30_000)  # drawn, for the picture
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.mouse.move(0, 0)  # no tooltip in the picture
    page.screenshot(path=screenshots / "playground-zh.png", full_page=True)


def test_optimizer_page_animates_paths_and_races_live(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/optimizers")
    wait_until(page, "a path per optimizer on the surface",
               lambda: chart(page, "Paths on the surface (contours on a log scale)"),
               lambda c: sum(1 for t in c["traces"] if len(t["x"]) > 1) >= 3)
    page.wait_for_function("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .some(gd => (gd._transitionData && gd._transitionData._frames || []).length > 1)""", timeout=30_000)  # animated
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
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    first = wait_until(page, "every contestant's first point", lambda: reach(chart(page, "Loss")), lambda r: len(r) >= 2)
    wait_until(page, "every contestant's loss curve to go on", lambda: reach(chart(page, "Loss")),
               lambda r: all(r.get(name, float("-inf")) > x for name, x in first.items()))
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.get_by_text("Models in the race").scroll_into_view_if_needed()  # the charts under the controls
    page.mouse.wheel(0, 350)
    page.wait_for_timeout(1_000)
    page.screenshot(path=screenshots / "optimizers-race.png")
    page.get_by_role("button", name="Pause").click()


def test_gated_page_races_recurrent_networks_live(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/gated")
    page.get_by_role("tab", name="Recurrent gates").click()
    page.get_by_role("button", name="Start", exact=True).locator("visible=true").first.click()
    page.get_by_role("button", name="Pause").locator("visible=true").first.wait_for(timeout=30_000)
    # the recurrent race's loss chart: the visible tab's (the other tab's race is not running)
    first = wait_until(page, "the recurrent race's first points", lambda: reach(chart(page, "Loss")), bool)
    wait_until(page, "the recurrent race's curves to go on", lambda: reach(chart(page, "Loss")),
               lambda r: any(r.get(name, float("-inf")) > x for name, x in first.items()))
    chart(page, "Gradient reaching each time step")
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.get_by_text("Gates of").filter(visible=True).first.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)
    page.screenshot(path=screenshots / "gated-recurrent.png")
    page.get_by_role("button", name="Pause").locator("visible=true").first.click()


def test_attention_maps_form_live_and_follow_an_edited_example(page, app_url, screenshots):
    wait_for_app(page, f"{app_url}/attention")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    grid = "Every head: where each query position looks"
    first_grid = wait_until(page, "the grid of attention maps", lambda: chart(page, grid), lambda c: len(c["traces"]) == 4)
    first_loss = wait_until(page, "the loss curve's first point", lambda: chart(page, "Loss"), lambda c: c["traces"][0]["x"])
    wait_until(page, "the attention maps to change while training", lambda: [t["z"] for t in chart(page, grid)["traces"]],
               lambda zs: zs != [t["z"] for t in first_grid["traces"]])
    wait_until(page, "the loss curve to go on", lambda: chart(page, "Loss")["traces"][0],
               lambda t: last_x(t) > last_x(first_loss["traces"][0]))
    assert len(chart(page, grid)["traces"]) == 4  # 2 layers × 2 heads
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=10_000)

    box = page.get_by_role("textbox", name="Example (tokens)")
    box.fill("A B C D E F G H")
    box.press("Enter")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).some(gd => gd.layout && gd.layout.title
            && (gd.layout.title.text || '').replace(/<\\/?b>/g, '').startsWith('Every head') && gd.layout.yaxis
            && (gd.layout.yaxis.ticktext || []).join('') === 'ABCDEFGH')""", timeout=15_000)
    page.wait_for_function(  # the example's table follows too, its output row coloured right/wrong
        """() => { const row = document.querySelector('table.ffnviz-example tbody tr');
            const out = document.querySelectorAll('table.ffnviz-example tbody tr')[2];
            return row && Array.from(row.querySelectorAll('td')).map(td => td.innerText).join('') === 'ABCDEFGH'
                && out && out.querySelectorAll('td[style*="background"]').length === 8; }""", timeout=15_000)

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
    page.get_by_role("button", name="Start", exact=True).click()
    first = wait_until(page, "the loss curve's first epochs", lambda: chart(page, "Loss"),
                       lambda c: len(c["traces"][0]["x"]) > 1)
    finished = page.get_by_text("Status: finished")
    # it trains a fixed number of epochs: the curve goes on, or the run has already finished
    second = wait_until(page, "the loss curve to go on (or the run to finish)", lambda: chart(page, "Loss"),
                        lambda c: last_x(c["traces"][0]) > last_x(first["traces"][0]) or finished.count() > 0)
    assert len(second["traces"][0]["x"]) > 1, "the loss curve did not grow"
    assert second["traces"][0]["y"][-1] < second["traces"][0]["y"][0], "the training loss did not fall"
    box = page.get_by_role("textbox", name="Try a sentence")
    box.fill("The waiter was rude and the soup was cold")
    box.press("Enter")
    probs = chart(page, "Your sentence")  # drawn only once a sentence was typed
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
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    page.mouse.move(0, 0)
    kernels, maps = "The first layer's 3×3 kernels", "Feature maps of every layer for test image 1"
    first_kernels = chart(page, kernels)
    first_maps = wait_until(page, "the feature maps' picture", lambda: chart(page, maps),
                            lambda c: c["traces"][0]["source"].startswith("data:image/png"))
    first_loss = wait_until(page, "the loss curve's first point", lambda: chart(page, "Loss"), lambda c: c["traces"][0]["x"])
    wait_until(page, "the kernels to change", lambda: chart(page, kernels)["traces"][0]["z"],
               lambda z: z != first_kernels["traces"][0]["z"])
    wait_until(page, "the feature maps to change", lambda: chart(page, maps)["traces"][0]["source"],
               lambda src: src != first_maps["traces"][0]["source"])
    second_loss = wait_until(page, "the loss curve to go on", lambda: chart(page, "Loss"),
                             lambda c: last_x(c["traces"][0]) > last_x(first_loss["traces"][0]))
    assert len({t["name"] for t in second_loss["traces"]}) >= 2  # the CNN and its MLP baseline
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=10_000)
    # the feature maps at the top (the settings folded), the race's numbers and curves below them
    page.locator("h1").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_500)
    page.screenshot(path=screenshots / "convolution-maps.png")
    page.get_by_text("Loss and accuracy").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_500)
    page.screenshot(path=screenshots / "convolution.png")
    page.get_by_text("One convolution, taken apart").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_500)
    page.screenshot(path=screenshots / "convolution-explainer.png")
    assert page.locator(EXCEPTION_BOX).count() == 0


def test_deep_network_layers_change_live(page, app_url, screenshots):
    """The 20-layer plain net with BatchNorm: the per-layer charts are read twice, seconds apart,
    while it trains, and have moved."""
    wait_for_app(page, f"{app_url}/deep?model.depth=20&model.norm=batch&v=2")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    page.mouse.move(0, 0)
    grads, stds = "Gradient norm reaching each layer", "Activations per layer: mean and std"
    first = wait_until(page, "the gradient chart with every layer", lambda: chart(page, grads),
                       lambda c: len(c["traces"][1]["y"]) == 21)
    first_std = chart(page, stds)["traces"][1]["y"]
    wait_until(page, "the gradient norms per layer to change", lambda: chart(page, grads)["traces"][1]["y"],
               lambda y: y != first["traces"][1]["y"])
    wait_until(page, "the activations' std per layer to change", lambda: chart(page, stds)["traces"][1]["y"],
               lambda y: y != first_std)
    wait_until(page, "the loss curve with its validation-free history", lambda: chart(page, "Loss: train, validation, test"),
               lambda c: len(c["traces"][0]["x"]) >= 3)
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=10_000)
    page.wait_for_timeout(1_500)
    page.locator('[data-testid="stMetric"]').first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_000)
    page.screenshot(path=screenshots / "deep.png")
    page.get_by_text("Inside, layer by layer").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_500)
    page.screenshot(path=screenshots / "deep-layers.png")
    assert page.locator(EXCEPTION_BOX).count() == 0


def test_a_loss_that_jumps_says_the_learning_rate_may_be_too_high(page, app_url, screenshots):
    """SGD at lr 10 on the circle: the loss jumps between ~1 and ~9 without diverging; after a
    while the page says so (ffnviz/train/loss_trend.py)."""
    wait_for_app(page, f"{app_url}/playground?optim.lr=10")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    page.get_by_text("The loss is not falling").wait_for(timeout=WAIT_S * 1000)
    page.get_by_role("button", name="Pause").click()
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.mouse.move(0, 0)
    page.screenshot(path=screenshots / "playground-lr-too-high.png")


def test_a_chinese_browser_opens_in_chinese_with_the_switch_there(browser, app_url, screenshots):
    """st.context.locale: a browser whose language is Chinese opens every page in Chinese; the
    sidebar's switch is still there. The gated page's cell equations and the text page's errata,
    in Chinese."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1600, "height": 1100})
    page = context.new_page()
    try:
        wait_for_app(page, app_url)
        page.get_by_text("ffnviz：看神经网络的层如何训练").wait_for(timeout=30_000)
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar.get_by_role("radiogroup", name="Language · 语言")).to_be_visible(timeout=30_000)

        wait_for_app(page, f"{app_url}/gated")
        page.get_by_role("tab", name="循环网络的门").click()
        page.get_by_text("各单元的公式（与 torch 的计算一致）").click()
        expect(page.locator(".katex", has_text="tanh").filter(visible=True).first).to_be_visible(timeout=30_000)
        page.get_by_text("各单元的公式（与 torch 的计算一致）").scroll_into_view_if_needed()
        assert page.locator(EXCEPTION_BOX).count() == 0
        page.screenshot(path=screenshots / "gated-equations-zh.png")

        wait_for_app(page, f"{app_url}/text")
        page.get_by_text("书中那一章：公式与勘误").click()
        page.get_by_text("参考文献").wait_for(timeout=30_000)
        page.get_by_text("公式与记号").scroll_into_view_if_needed()
        assert page.locator(EXCEPTION_BOX).count() == 0
        page.screenshot(path=screenshots / "text-errata-zh.png")
    finally:
        context.close()


def test_ready_lessons_on_the_optimizer_gated_and_text_pages(page, app_url, screenshots):
    """One click loads a lesson's setting and its note; the optimizer lesson's paths are drawn,
    the gated lesson's race trains, and the text page's lesson in Chinese."""
    wait_for_app(page, f"{app_url}/optimizers")
    page.get_by_role("button", name="Momentum in a ravine, κ = 100").click()
    page.get_by_text("along the shallow floor it creeps").wait_for(timeout=30_000)
    wait_until(page, "the ravine's two paths", lambda: chart(page, "Paths on the surface (contours on a log scale)"),
               lambda c: sum(1 for t in c["traces"] if len(t["x"]) > 100) >= 2)
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.mouse.move(0, 0)
    page.screenshot(path=screenshots / "optimizers-lesson-ravine.png")

    wait_for_app(page, f"{app_url}/gated")
    page.get_by_role("tab", name="Recurrent gates").click()
    page.get_by_role("button", name="T = 20: who remembers the first token?").click()
    page.get_by_text("its forget gate starts open").wait_for(timeout=30_000)
    page.get_by_role("button", name="Start", exact=True).locator("visible=true").first.click()
    page.get_by_role("button", name="Pause").locator("visible=true").first.wait_for(timeout=30_000)
    wait_until(page, "the lesson's race to train a while", lambda: reach(chart(page, "Loss")),
               lambda r: len(r) >= 3 and min(r.values()) >= 3)
    page.get_by_role("button", name="Pause").locator("visible=true").first.click()
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.mouse.move(0, 0)
    page.screenshot(path=screenshots / "gated-lesson-t20.png")

    wait_for_app(page, f"{app_url}/text?lang=zh")
    page.get_by_role("button", name="否定对词袋模型很难").click()
    page.get_by_text("词频计数，最朴素的词袋").first.wait_for(timeout=30_000)  # the button's tooltip may say it too
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.mouse.move(0, 0)
    page.screenshot(path=screenshots / "text-lesson-negation-zh.png")


def test_a_playground_schedule_draws_the_rate_each_update_used(page, app_url, screenshots):
    """A warm-up then cosine over 3,000 updates on the playground: the learning-rate chart beside
    the loss shows the rates used rising through the warm-up, and at the budget's end (the run
    stops there) falling again along the cosine, under the whole schedule drawn dotted."""
    query = "schedule.kind=warmup_cosine&schedule.warmup=1000&train.max_updates=3000&v=4"
    wait_for_app(page, f"{app_url}/playground?{query}")
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=90_000)  # the run is built in a pool worker
    page.get_by_role("button", name="Start", exact=True).click()
    title = "Learning rate per update"
    wait_until(page, "the rates used to rise through the warm-up", lambda: chart(page, title)["traces"][1]["y"],
               lambda y: len(y) >= 20 and max(y) > 10 * y[0])
    page.get_by_text("What the optimizer used at each update").first.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(1_000)
    page.screenshot(path=screenshots / "playground-schedule.png")
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=120_000)  # done at the budget: Start again
    page.wait_for_timeout(1_500)
    done = chart(page, title)
    used, planned = done["traces"][1], done["traces"][0]
    assert max(used["x"]) == 3000 and used["y"][-1] < max(used["y"]) / 100  # down the cosine to ~0
    assert len(planned["y"]) > 0
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.screenshot(path=screenshots / "playground-schedule-done.png")
