"""The translation table: every user-facing string, in English and Chinese, one module a page
(common holds what the shell and every page share).

A key missing in a language falls back to English, and a key missing everywhere shows itself
(so a slip is visible, never a crash). A key belongs to one module: tests/unit/test_i18n.py
checks that no two define it.
"""

from __future__ import annotations

from ffnviz.i18n import (
    attention,
    classroom,
    common,
    convolution,
    deep,
    gallery,
    gated,
    messages,
    optimizers,
    playground,
    text,
    uploads,
)

LANGUAGES = {"en": "English", "zh": "中文"}

MODULES = (common, messages, playground, uploads, optimizers, gated, attention, text, convolution, deep, classroom,
           gallery)

# key: (English, 中文)
TABLE: dict[str, tuple[str, str]] = {key: pair for module in MODULES for key, pair in module.TABLE.items()}


def language_of(link_lang: str | None, locale: str | None) -> str:
    """The language a session opens in: the link's (`?lang=zh`) when it names one we have, else
    the browser's (its locale, e.g. "zh-CN", "zh-Hant-TW"), else English."""
    if link_lang in LANGUAGES:
        return link_lang
    primary = (locale or "").replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else "en"


def translate(key: str, lang: str = "en", **args) -> str:
    en, zh = TABLE.get(key, (key, ""))
    chosen = zh if lang == "zh" and zh else en
    return chosen.format(**args) if args else chosen


def translate_message(text: str, lang: str = "en") -> str:
    """An engine message (a bad link value, a refused setting) in `lang` (i18n/messages.py)."""
    return messages.translate_message(text, translate, lang)
