"""The home page's lessons gallery: every lesson of every page, as a card, in the order a course
would take them (the chapter's: FFN → activations → optimizers → regularization → convolution →
gates → attention → text; the deep-networks page's lessons where their subject falls).

Pure (no Streamlit). A card names its lesson (ffnviz/lessons.py; its title and what to watch
are the i18n keys lesson_<key> and lesson_<key>_watch, its one line gallery_<key>) and the page
that shows it. Thumbnails are PNGs drawn by benchmarks/make_lesson_thumbnails.py and committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ffnviz import lessons
from ffnviz.lessons import Lesson

THUMBNAILS = Path(__file__).resolve().parent.parent / "static" / "lessons"


@dataclass(frozen=True)
class Card:
    key: str  # the lesson's
    page: str  # the file of the page that shows it (ffnviz/ui/shell.py's PAGES)
    chapter: str  # i18n: chapter_<chapter> heads its row


PLAYGROUND, OPTIMIZERS, DEEP = "pages/playground.py", "pages/optimizers.py", "pages/deep.py"
GALLERY = (
    Card("features", PLAYGROUND, "ffn"),
    Card("capacity", PLAYGROUND, "ffn"),
    Card("deep_sigmoid", DEEP, "activations"),
    Card("deep_init", DEEP, "activations"),
    Card("deep_plain20", DEEP, "activations"),
    Card("lr_high", PLAYGROUND, "optimizers"),
    Card("surf_ravine100", OPTIMIZERS, "optimizers"),
    Card("surf_saddle", OPTIMIZERS, "optimizers"),
    Card("surf_rastrigin", OPTIMIZERS, "optimizers"),
    Card("race_seeds", OPTIMIZERS, "optimizers"),
    Card("overfitting", PLAYGROUND, "regularization"),
    Card("deep_stop", DEEP, "regularization"),
    Card("deep_adamw", DEEP, "regularization"),
    Card("conv_digits", "pages/convolution.py", "convolution"),
    Card("conv_halves", "pages/convolution.py", "convolution"),
    Card("conv_halves_flatten", "pages/convolution.py", "convolution"),
    *(Card(lesson.key, "pages/gated.py", "gated") for lesson in lessons.GATED_FFN_LESSONS + lessons.GATED_LESSONS),
    Card("attn_reverse", "pages/attention.py", "attention"),
    Card("attn_no_positions", "pages/attention.py", "attention"),
    Card("attn_causal", "pages/attention.py", "attention"),
    Card("attn_warmup", "pages/attention.py", "attention"),
    Card("text_chapter", "pages/text.py", "text"),
    Card("text_negation", "pages/text.py", "text"),
)


def every_lesson() -> tuple[Lesson, ...]:
    """Every page's lessons (the gallery must show each once)."""
    return (lessons.LESSONS + lessons.DEEP_LESSONS + lessons.SURFACE_LESSONS + lessons.RACE_LESSONS
            + lessons.CONV_LESSONS + lessons.GATED_FFN_LESSONS + lessons.GATED_LESSONS + lessons.ATTENTION_LESSONS
            + lessons.text_lessons())


def lesson_of(key: str) -> Lesson:
    return next(lesson for lesson in every_lesson() if lesson.key == key)


def thumbnail_path(key: str) -> Path:
    return THUMBNAILS / f"{key}.png"


def chapters() -> list[tuple[str, list[Card]]]:
    """The cards grouped by chapter, in the gallery's order."""
    out: list[tuple[str, list[Card]]] = []
    for card in GALLERY:
        if not out or out[-1][0] != card.chapter:
            out.append((card.chapter, []))
        out[-1][1].append(card)
    return out
