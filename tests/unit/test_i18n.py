"""The translation table is put together from one module a page: no key may be defined twice
(a later module would silently replace the earlier one's text), and every pair has its English."""

from __future__ import annotations

import re

from ffnviz.i18n import MODULES, TABLE, translate


def test_no_key_is_defined_in_two_modules():
    seen: dict[str, str] = {}
    for module in MODULES:
        for key in module.TABLE:
            assert key not in seen, f"{key} is in {seen.get(key)} and {module.__name__}"
            seen[key] = module.__name__
    assert len(seen) == len(TABLE)


def test_every_entry_has_english_and_a_missing_key_shows_itself():
    assert all(en for en, _ in TABLE.values())
    assert translate("no_such_key", "zh") == "no_such_key"
    assert translate("btn_start", "zh") != translate("btn_start", "en")


def test_a_chinese_browser_opens_in_chinese_unless_the_link_says_otherwise():
    from ffnviz.i18n import language_of

    assert language_of(None, "zh-CN") == "zh" and language_of(None, "zh_TW") == "zh"
    assert language_of(None, "zh-Hant-HK") == "zh"
    assert language_of(None, "en-US") == "en" and language_of(None, "fr-FR") == "en" and language_of(None, None) == "en"
    assert language_of("en", "zh-CN") == "en" and language_of("zh", "en-GB") == "zh"
    assert language_of("xx", "zh-CN") == "zh"  # a link's unknown language falls back to the browser's


def test_both_languages_have_the_same_placeholders():
    # a placeholder only in one language raises KeyError there, or leaves a number out
    fields = re.compile(r"\{[^{}]*\}")
    wrong = {key for key, (en, zh) in TABLE.items() if zh and set(fields.findall(en)) != set(fields.findall(zh))}
    assert not wrong, sorted(wrong)
