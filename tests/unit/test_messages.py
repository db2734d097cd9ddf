"""The engine's messages in Chinese (ffnviz/i18n/messages.py): every form it writes is known, the
English comes back in the same words (keys and values in code font), a form not known stays as it is."""

from __future__ import annotations

import pytest

from ffnviz.i18n import translate_message
from ffnviz.page_links import DEEP, GATED_FFN, PLAYGROUND
from ffnviz.specs.links import read_link

BAD_LINKS = [(PLAYGROUND, {"v": "99", "data.noise": "1"}), (PLAYGROUND, {"optim.lr": "500"}),
             (PLAYGROUND, {"data.noise": "abc"}), (PLAYGROUND, {"model.activation": "zz"}),
             (PLAYGROUND, {"train.batch_size": "1.5"}), (DEEP, {"model.residual": "maybe"}),
             (PLAYGROUND, {"model.hidden": "a,b"}),
             # the gated page's own forms (specs/gated.py): a value the page does not offer, a member twice,
             # a setting the page does not adjust
             (GATED_FFN, {"ffn.c0.model.d": "48", "v": "4"}), (GATED_FFN, {"ffn.c1.model.variant": "relu", "v": "4"}),
             (GATED_FFN, {"ffn.c0.model.layers": "3", "v": "4"})]


@pytest.mark.parametrize(("form", "flat"), BAD_LINKS, ids=[f"{form.name}:{next(iter(f))}" for form, f in BAD_LINKS])
def test_a_bad_link_value_is_said_in_chinese(form, flat):
    _, messages = read_link(form, flat)
    assert messages
    for message in messages:
        zh = translate_message(message, "zh")
        assert zh != message and any("\u4e00" <= c <= "\u9fff" for c in zh), message
        assert translate_message(message, "en").replace("`", "") == message  # the engine's own words


def test_frames_are_translated_around_their_inner_message():
    zh = translate_message("the defaults of link version 1: optim.lr must be in 1e-05..10, got 500; "
                           "kept the race as it was", "zh")
    assert zh == "第 1 版链接的默认值：`optim.lr` 应在 `1e-05..10` 之间，实际为 `500`；竞赛保持原样"


def test_a_message_of_unknown_form_stays_as_it_is():
    assert translate_message("something new happened", "zh") == "something new happened"
