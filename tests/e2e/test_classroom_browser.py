"""A class in three browsers: a teacher starts it on a projector-sized screen, two students join
on phone-sized screens (one by the link, then each on a page of its own through its cookies),
both train, and the wall shows both tiles changing and the leaderboard ordering them; a teacher
reload keeps control, a student's link never gets it."""

from __future__ import annotations

import re

import numpy as np
import pytest

from ffnviz.store.classes import ClassStore, Report
from ffnviz.store.db import open_database
from ffnviz.viz.wall import CELL_W, PAD, TILE, picture_from_grid
from tests.e2e.test_browser import EXCEPTION_BOX, expect, wait_until

pytestmark = pytest.mark.browser

# The wall's labels (names and numbers, in tile order) as plotly drew them.
READ_WALL = """() => {
    const gd = Array.from(document.querySelectorAll('.js-plotly-plot')).find(gd =>
        gd.layout && gd.layout.title && (gd.layout.title.text || '').includes("The class's runs"));
    return gd ? (gd.layout.annotations || []).map(a => a.text) : null;
}"""
# Page coordinates of a point of the wall's image (canvas pixels).
TILE_CENTER = """([x, y]) => {
    const gd = Array.from(document.querySelectorAll('.js-plotly-plot')).find(gd =>
        gd.layout && (gd.layout.title.text || '').includes("The class's runs"));
    const box = gd.getBoundingClientRect(), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    return [box.left + xa._offset + xa.l2p(x), box.top + ya._offset + ya.l2p(y)];
}"""
# The class's curves: page coordinates of the middle point of the curve named `name`, and the
# name of the curve drawn on top (the highlighted one).
CURVES = """gd => (gd.layout && (gd.layout.title.text || '').includes("The class's training loss"))"""
CURVE_POINT = """name => {
    const gd = Array.from(document.querySelectorAll('.js-plotly-plot')).find(""" + CURVES + """);
    const trace = gd._fullData.find(t => t.name === name), i = Math.floor(trace.x.length / 2);
    const box = gd.getBoundingClientRect(), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    return [box.left + xa._offset + xa.c2p(trace.x[i]), box.top + ya._offset + ya.c2p(trace.y[i])];
}"""
TOP_CURVE = """() => {
    const gd = Array.from(document.querySelectorAll('.js-plotly-plot')).find(""" + CURVES + """);
    return gd && gd._fullData.length ? gd._fullData[gd._fullData.length - 1].name : null;
}"""
PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}


def wall(page) -> list[str] | None:
    return page.evaluate(READ_WALL)


def numbers_of(labels: list[str], name: str) -> str:
    return labels[labels.index(f"<b>{name}</b>") + 1]


def updates(text: str) -> float:
    """The update count a tile shows (950, 3.5k, 1.2M)."""
    found = re.search(r"([\d.]+)([kM]?) upd", text)
    return float(found.group(1)) * {"": 1, "k": 1e3, "M": 1e6}[found.group(2)] if found else -1


def join_and_train(context, url: str, code: str, name: str, page_query: str) -> object:
    phone = context.new_page()
    phone.goto(f"{url}/classroom?class={code}")
    phone.get_by_role("textbox", name="Your name (shown on the wall)").fill(name)
    phone.keyboard.press("Tab")  # the value reaches the server before the click
    phone.get_by_role("button", name="Join").click()
    phone.get_by_text("You are in class").wait_for(timeout=30_000)
    phone.get_by_text(name, exact=True).wait_for(timeout=10_000)
    phone.wait_for_timeout(500)  # the cookie component has run
    phone.goto(f"{url}/playground?{page_query}")  # a new session: the cookies say who this is
    phone.get_by_role("button", name="Start", exact=True).click()
    phone.get_by_role("button", name="Pause").wait_for(timeout=30_000)
    return phone


def test_a_class_of_two_on_the_wall(browser, app_url, screenshots):
    teacher_ctx = browser.new_context(viewport=PROJECTOR)
    ann_ctx, bob_ctx = (browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True) for _ in range(2))
    try:
        teacher = teacher_ctx.new_page()
        teacher.goto(f"{app_url}/classroom")
        teacher.get_by_role("button", name="Start a class").click()
        link = teacher.locator("code", has_text="/classroom?class=").first
        link.wait_for(timeout=30_000)
        code = re.search(r"class=([A-Z0-9]+)", link.inner_text()).group(1)
        assert "localhost" not in link.inner_text()
        teacher.get_by_text("Projector mode").click()
        teacher.get_by_text("No student has joined yet.").wait_for(timeout=30_000)
        teacher.screenshot(path=screenshots / "class-teacher-start-1280x720.png")

        # Ann trains the default circle; Bob a spiral, which his network learns worse.
        ann = join_and_train(ann_ctx, app_url, code, "Ann", "v=2")
        bob = join_and_train(bob_ctx, app_url, code, "<b>Bob</b>", "data.dataset=spiral&v=2")
        ann_view = ann_ctx.new_page()  # a student's view of the class page, phone-sized, for the screenshot
        ann_view.goto(f"{app_url}/classroom?class={code}")
        ann_view.get_by_text("You are in class").wait_for(timeout=30_000)
        assert ann_view.get_by_role("button", name="End class").count() == 0  # a student's link never controls
        ann_view.screenshot(path=screenshots / "class-student-390x844.png")

        first = wait_until(teacher, "both students on the wall with numbers", lambda: wall(teacher),
                           lambda w: w is not None and "<b>Ann</b>" in w and "<b>&lt;b&gt;Bob&lt;/b&gt;</b>" in w
                           and updates(numbers_of(w, "Ann")) > 0 and updates(numbers_of(w, "&lt;b&gt;Bob&lt;/b&gt;")) > 0)
        wait_until(teacher, "both tiles to change", lambda: wall(teacher),
                   lambda w: updates(numbers_of(w, "Ann")) > updates(numbers_of(first, "Ann"))
                   and updates(numbers_of(w, "&lt;b&gt;Bob&lt;/b&gt;")) > updates(numbers_of(first, "&lt;b&gt;Bob&lt;/b&gt;")))
        # The leaderboard: Ann (circle, near 100 %) above Bob (spiral); the grid's cells are in the DOM.
        board = teacher.locator('[data-testid="stDataFrame"]').first
        board.scroll_into_view_if_needed()

        def order():
            cells = teacher.locator('[data-testid="stDataFrame"] [role="gridcell"]').all_inner_texts()
            return [c for c in cells if c in ("Ann", "<b>Bob</b>")]
        assert wait_until(teacher, "the leaderboard to rank Ann above Bob", order,
                          lambda names: names[:2] == ["Ann", "<b>Bob</b>"]) == ["Ann", "<b>Bob</b>"]
        assert teacher.locator(EXCEPTION_BOX).count() == 0
        # A click on Ann's curve (drawn first, under Bob's) highlights it: drawn thick, on top.
        curves = teacher.locator(".js-plotly-plot").nth(1)
        curves.scroll_into_view_if_needed()
        assert teacher.evaluate(TOP_CURVE) != "Ann"
        x, y = teacher.evaluate(CURVE_POINT, "Ann")
        teacher.mouse.move(x, y)
        teacher.mouse.click(x, y)
        wait_until(teacher, "Ann's curve to be highlighted", lambda: teacher.evaluate(TOP_CURVE),
                   lambda name: name == "Ann")
        teacher.evaluate("window.scrollTo(0, 0)")
        teacher.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        teacher.screenshot(path=screenshots / "class-wall-1280x720.png")

        # A full class: 28 more students report (straight to the store the server uses); the wall
        # stays one image, every name and number readable on the projector.
        store = ClassStore(open_database())
        xs = np.linspace(-1, 1, 60)
        for i in range(28):
            token, _ = store.join(code, f"Student {i + 3:02d}")
            grid = 1 / (1 + np.exp(-(np.add.outer(xs * np.cos(i), xs * np.sin(i)) * (2 + i % 5))))
            store.post(code, token, Report(page="playground", link="/playground", updates=500 * i, train_loss=0.5,
                                           test_loss=0.5, test_acc=0.5 + i / 60, params=25, diverged=i == 7,
                                           picture=picture_from_grid(grid), curve=((0, 0.7), (500 * i, 0.5))))
        wait_until(teacher, "30 tiles on the wall", lambda: wall(teacher), lambda w: w is not None and len(w) == 60)
        teacher.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        teacher.screenshot(path=screenshots / "class-wall-30-1280x720.png")

        teacher.reload()  # the teacher's cookie keeps control
        expect(teacher.get_by_role("button", name="End class")).to_be_visible(timeout=30_000)
        wait_until(teacher, "the wall after a reload", lambda: wall(teacher), lambda w: w is not None and "<b>Ann</b>" in w)
        for phone in (ann, bob):
            assert phone.locator(EXCEPTION_BOX).count() == 0

        # A click on Ann's tile (the first) opens her run on the teacher's playground.
        teacher.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        x, y = teacher.evaluate(TILE_CENTER, [CELL_W / 2, PAD + TILE / 2])
        teacher.mouse.click(x, y)
        teacher.get_by_role("heading", name="Feedforward playground").wait_for(timeout=30_000)
        teacher.get_by_text("Run loaded").wait_for(timeout=30_000)
        assert teacher.locator(EXCEPTION_BOX).count() == 0
    finally:
        for ctx in (teacher_ctx, ann_ctx, bob_ctx):
            ctx.close()
