"""The lessons gallery: every lesson of every page once, in the chapter's order, each with its
texts in both languages, its page and its committed thumbnail."""

from __future__ import annotations

from PIL import Image

from ffnviz.gallery import GALLERY, chapters, every_lesson, thumbnail_path
from ffnviz.i18n import TABLE

ORDER = ["ffn", "activations", "optimizers", "regularization", "convolution", "gated", "attention", "text"]


def test_every_lesson_of_every_page_is_a_card_once():
    keys = [card.key for card in GALLERY]
    assert len(keys) == len(set(keys))
    assert sorted(keys) == sorted(lesson.key for lesson in every_lesson())


def test_the_cards_follow_the_chapters_order():
    assert [chapter for chapter, _ in chapters()] == ORDER


def test_each_card_has_its_texts_in_both_languages():
    for card in GALLERY:
        for key in (f"lesson_{card.key}", f"lesson_{card.key}_watch", f"gallery_{card.key}", f"chapter_{card.chapter}"):
            assert key in TABLE and all(TABLE[key]), key


def test_each_card_has_a_committed_thumbnail():
    for card in GALLERY:
        path = thumbnail_path(card.key)
        assert path.exists(), f"run: python benchmarks/make_lesson_thumbnails.py --only {card.key}"
        with Image.open(path) as image:
            assert image.size == (320, 180) and image.format == "PNG"
