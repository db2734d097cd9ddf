"""The home page's lessons gallery, as a teacher uses it: every card opens its lesson on its page,
set up, with what to watch (English and Chinese)."""

from __future__ import annotations

from dataclasses import replace

from ffnviz.gallery import GALLERY, lesson_of
from ffnviz.i18n import translate
from ffnviz.specs.paths import PathsSpec
from tests.app.test_pages import no_errors

HOME = "pages/home.py"
SLOW_S = 180  # a page's first run builds its runs; on a loaded machine that can pass the default 60 s


def test_the_home_page_shows_every_lesson_as_a_card_in_order(app):
    at = app()
    no_errors(at)
    buttons = [b.key for b in at.button if b.key and b.key.startswith("home.lesson.")]
    assert buttons == [f"home.lesson.{card.key}" for card in GALLERY]
    assert len(at.get("image")) >= len(GALLERY)  # a thumbnail a card
    headings = [h.value for h in at.subheader]
    chapters = [translate("chapter_" + c, "en") for c in dict.fromkeys(card.chapter for card in GALLERY)]
    assert [h for h in headings if h in chapters] == chapters


def _open(at, key: str, lang: str) -> None:
    at.switch_page(HOME).run(timeout=SLOW_S)
    at.button(key=f"home.lesson.{key}").click().run(timeout=SLOW_S)
    no_errors(at)
    watch = translate(f"lesson_{key}_watch", lang)
    assert any(watch in i.value for i in at.info), key  # the lesson's note is up, in the page's language
    stored = [at.session_state[k] for k in at.session_state if str(k).startswith("ffnviz.spec::")]
    assert any(_same(spec, lesson_of(key).spec) for spec in stored), key  # its settings are the page's


def _same(stored, lesson) -> bool:
    """The page's spec is the lesson's (the 2-D surfaces' widgets spell out the start point the
    lesson leaves to the surface)."""
    if isinstance(lesson, PathsSpec) and isinstance(stored, PathsSpec):
        return stored.start_point() == lesson.start_point() and replace(stored, start=None) == lesson
    return stored == lesson


def test_every_card_opens_its_lesson_on_its_page(app):
    at = app()
    for card in GALLERY:
        _open(at, card.key, "en")


def test_in_chinese_a_card_of_each_page_opens_its_lesson(app):
    at = app(lang="zh")
    assert translate("gallery_title", "zh") in [h.value for h in at.header]
    for card in {card.page: card for card in reversed(GALLERY)}.values():  # each page's first card
        _open(at, card.key, "zh")
