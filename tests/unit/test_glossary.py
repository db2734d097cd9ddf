"""The Chinese table follows docs/GLOSSARY.md: one rendering a term, never the renderings a
teacher would mark wrong (符号 for a token reads as "symbol/sign", 手写 means handwriting, 课程 is a
whole course, not one lesson), and one name a thing everywhere (the race is 竞赛 on its page's
title and in every message)."""

from __future__ import annotations

import re

import pytest

from ffnviz.i18n import TABLE

# (forbidden in Chinese, why, the glossary's rendering)
FORBIDDEN = [
    ("符号", "token", "词元"),
    ("令牌", "token", "词元"),
    ("课程", "lesson", "课例"),
    ("注意力汇总", "attention pooling", "注意力池化"),
    ("个轮次", "epoch (counted)", "N 轮"),
    ("丢弃率", "dropout", "Dropout 比例"),
    ("随机失活", "dropout", "Dropout"),
    ("epoch", "epoch", "轮"),
    ("token", "token", "词元"),
    ("比赛", "race", "竞赛"),
    ("早停", "early stopping", "提前停止"),
    ("热图", "heatmap", "热力图"),
    ("重现", "reproduce", "复现"),
    ("余弦衰减", "cosine schedule", "余弦退火"),
    ("颜色刻度", "colour scale", "色标"),
    ("其概率", "its probability", "预测概率"),
    ("本章", "the book chapter", "书中那一章"),
]

# The playground's ready lessons are being rewritten by the lead after the default settings
# change (issue 18's order); their texts join this check then.
PENDING_REWRITE: set[str] = set()


def chinese():
    return {key: zh for key, (_, zh) in TABLE.items() if key not in PENDING_REWRITE}


@pytest.mark.parametrize(("word", "term", "use"), FORBIDDEN)
def test_no_forbidden_rendering(word, term, use):
    # a format placeholder ({epoch}) is a name in code, not a word the reader sees
    wrong = {key: zh for key, zh in chinese().items() if word.lower() in re.sub(r"\{[^}]*\}", "", zh).lower()}
    assert not wrong, f"{term} is {use} in Chinese (docs/GLOSSARY.md), not {word}: {sorted(wrong)}"


def test_hand_written_means_written_by_a_person_not_handwriting():
    # 手写 is right only for handwritten digits (images of handwriting)
    wrong = {key for key, zh in chinese().items() if re.search(r"手写(?!数字)", zh)}
    assert not wrong, sorted(wrong)


def test_pin_is_kept_as_a_reference_curve():
    assert TABLE["btn_pin"][1] == "保留本次曲线作对照"
    assert not {key for key, zh in chinese().items() if "固定此运行" in zh or "固定的运行" in zh}


def test_code_font_only_where_the_english_has_it():
    # a name in backticks in Chinese only shows code font around prose
    for key, (en, zh) in TABLE.items():
        extra = set(re.findall(r"`([^`]+)`", zh)) - set(re.findall(r"`([^`]+)`", en))
        assert not extra, f"{key}: code font only in Chinese around {extra}"



def test_a_button_pressed_in_running_text_is_named_as_its_label():
    # 按“…” names a button: a student looks for exactly those characters on the screen
    buttons = {zh for key, (_, zh) in TABLE.items() if key.startswith(("btn_", "anim_"))}  # anim_: the chart's own
    wrong = {(key, name) for key, zh in chinese().items() for name in re.findall(r"按“([^”]+)”", zh)
             if name not in buttons}
    assert not wrong, sorted(wrong)


def test_no_space_between_chinese_quotes_and_chinese():
    wrong = {key for key, zh in chinese().items() if re.search(r"[\u4e00-\u9fff] [“”]|[“”] [\u4e00-\u9fff]", zh)}
    assert not wrong, sorted(wrong)
