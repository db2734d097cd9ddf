"""The home page's lessons gallery in Chromium, English and Chinese: the cards with their
thumbnails, and a card that opens its lesson on its page's second tab, set up (screenshots)."""

from __future__ import annotations

import pytest

from ffnviz.gallery import GALLERY
from tests.e2e.test_browser import EXCEPTION_BOX

pytestmark = pytest.mark.browser


def _open_home(page, url: str) -> None:
    # generous: the home page draws every card and thumbnail, on a loaded machine too
    page.goto(url)
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=120_000)
    page.wait_for_selector("h1", timeout=120_000)


def _card_button(page, key: str):
    # Streamlit marks a keyed widget's container with the class st-key-<key> ("." becomes "-")
    return page.locator(f".st-key-home-lesson-{key} button").first


def _thumbnails_loaded(page) -> int:
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stImage"] img'))
        .filter(img => img.complete && img.naturalWidth === 320).length""")


@pytest.mark.parametrize("lang, key, tab, note", [
    ("en", "race_seeds", "Race on a network", "crown the wrong winner"),
    ("zh", "gated_remember50", "循环网络的门", "遗忘门初始偏置改为 4"),
])
def test_a_gallery_card_opens_its_lesson_on_its_tab(page, app_url, screenshots, lang, key, tab, note):
    page.set_viewport_size({"width": 1280, "height": 720})
    _open_home(page, app_url + ("/?lang=zh" if lang == "zh" else ""))
    _card_button(page, GALLERY[-1].key).wait_for(timeout=120_000)  # the last card: the gallery is drawn
    page.wait_for_function(f"() => document.querySelectorAll('[data-testid=\"stImage\"] img').length >= {len(GALLERY)}",
                           timeout=120_000)
    page.wait_for_timeout(1_000)
    assert _thumbnails_loaded(page) >= len(GALLERY)
    assert page.locator(EXCEPTION_BOX).count() == 0
    title = "课例（按教学顺序）" if lang == "zh" else "Lessons, in course order"
    page.get_by_role("heading", name=title).scroll_into_view_if_needed()
    page.screenshot(path=screenshots / f"home-gallery-{lang}.png")
    page.get_by_role("heading", name=("6 · 门控" if lang == "zh" else "6 · Gates")).scroll_into_view_if_needed()
    page.screenshot(path=screenshots / f"home-gallery-{lang}-gates.png")

    _card_button(page, key).click()
    page.get_by_text(note).first.wait_for(timeout=120_000)  # a button's tooltip may say it too
    page.wait_for_timeout(5_000)  # the page settles (its lesson loaded, its race drawn)
    page.get_by_text(note).first.wait_for(timeout=120_000)  # a button's tooltip may say it too
    selected = page.locator('[role="tab"][aria-selected="true"]').first
    assert tab in selected.inner_text()
    assert page.locator(EXCEPTION_BOX).count() == 0
    page.mouse.move(0, 0)
    page.screenshot(path=screenshots / f"gallery-opened-{key}-{lang}.png")
