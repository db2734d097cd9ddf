"""The projector's first screen: at 1280×720, once training starts, each page's main picture
begins on the first screen (the settings beside it or folded), in projector mode too. A
screenshot a page, for a person to look at (issue 18)."""

from __future__ import annotations

import contextlib

import pytest

from tests.e2e.test_browser import EXCEPTION_BOX, wait_until
from tests.e2e.test_classroom_browser import join_and_train

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}

# The top and height of the visible chart whose title starts with `title`, in the viewport; null
# while there is none.
CHART_BOX = """title => {
    const gd = Array.from(document.querySelectorAll('.js-plotly-plot')).find(gd =>
        gd.layout && gd.layout.title && gd.getClientRects().length > 0 &&
        (gd.layout.title.text || '').replace(/<\\/?b>/g, '').startsWith(title));
    if (!gd) return null;
    const box = gd.getBoundingClientRect();
    return {top: box.top, height: box.height};
}"""

# (page, tab to open or None, the main chart's title, whether it has a Start button)
PAGES = (
    ("playground", None, "Decision map", True),
    ("optimizers", None, "Paths on the surface", False),
    ("optimizers", "Race on a network", "Loss", True),
    ("gated", None, "Loss", True),
    ("gated", "Recurrent gates", "Loss", True),
    ("attention", None, "Every head", True),
    ("convolution", None, "Feature maps of every layer", True),
    ("text", None, "Loss", True),
    ("deep", None, "Loss", True),
)


def _timeout_error() -> type[Exception]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # the browser fixture explains a missing playwright

    return PlaywrightTimeout


def _at_the_top(page) -> None:
    """Where the page opens: its title at the top (a click may have scrolled it)."""
    page.locator("h1").first.evaluate("e => e.scrollIntoView({block: 'start'})")


def _on_first_screen(page, title: str) -> dict:
    """Waits until the chart titled `title` begins on the first screen, with at least a quarter
    of the screen's height of it showing; returns its box."""
    def read():
        _at_the_top(page)
        return page.evaluate(CHART_BOX, title)
    return wait_until(page, f"the chart {title!r} on the first screen", read,
                      lambda box: box is not None and 0 <= box["top"] <= PROJECTOR["height"] * 3 / 4)


def _projector_mode(page) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text("Projector mode").click()
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"] input[type=checkbox]')"
                           "?.checked === true")


@pytest.mark.parametrize("projector", [False, True], ids=["plain", "projector"])
@pytest.mark.parametrize(("path", "tab", "title", "start"), PAGES, ids=[f"{p}-{t or 'first'}" for p, t, _, _ in PAGES])
def test_the_main_picture_is_on_the_first_screen(browser, app_url, screenshots, path, tab, title, start, projector):
    context = browser.new_context(viewport=PROJECTOR)
    try:
        page = context.new_page()
        page.set_default_timeout(90_000)  # every wait: a cold page on a loaded machine
        page.goto(f"{app_url}/{path}")
        page.wait_for_selector("h1")
        if projector:
            _projector_mode(page)
        if tab:
            page.get_by_role("tab", name=tab).click()
        if start:
            # training: Pause in its place, or already finished (the text page's short run)
            started = page.get_by_role("button", name="Pause").locator("visible=true").or_(
                page.get_by_text("Status: finished").locator("visible=true")).first
            for _ in range(3):  # a click that lands while the page reruns (projector mode, a cold page) may be lost
                page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
                page.get_by_role("button", name="Start", exact=True).locator("visible=true").first.click()
                with contextlib.suppress(_timeout_error()):
                    started.wait_for(timeout=30_000)
                    break
            started.wait_for()
        box = _on_first_screen(page, title)
        assert box["top"] < PROJECTOR["height"]
        assert page.locator(EXCEPTION_BOX).count() == 0
        page.mouse.move(0, 0)  # no tooltip in the picture
        name = f"first-screen-{path}{'-' + tab.split()[0].lower() if tab else ''}{'-projector' if projector else ''}.png"
        page.screenshot(path=screenshots / name)
        pause = page.get_by_role("button", name="Pause").locator("visible=true")
        if start and pause.count():  # a run still training stops (it may finish just before)
            with contextlib.suppress(_timeout_error()):
                pause.first.click(timeout=10_000)
    finally:
        context.close()


def test_the_class_wall_is_on_the_first_screen(browser, app_url, screenshots):
    """The class page's picture is the wall: a teacher starts a class, a student trains."""
    teacher_ctx = browser.new_context(viewport=PROJECTOR)
    student_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        teacher = teacher_ctx.new_page()
        teacher.set_default_timeout(90_000)
        teacher.goto(f"{app_url}/classroom")
        teacher.get_by_role("button", name="Start a class").click()
        link = teacher.locator("code", has_text="/classroom?class=").first
        link.wait_for()
        code = link.inner_text().split("class=")[1].split()[0].strip()
        _projector_mode(teacher)
        join_and_train(student_ctx, app_url, code, "Ann", "v=2")
        _on_first_screen(teacher, "The class's runs")
        assert teacher.locator(EXCEPTION_BOX).count() == 0
        teacher.mouse.move(0, 0)
        teacher.screenshot(path=screenshots / "first-screen-classroom-projector.png")
    finally:
        teacher_ctx.close()
        student_ctx.close()
