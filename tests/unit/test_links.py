"""Versioned links: a link is read against the defaults its version knew, so that changing a
page's default changes no link already shared. Links of today's form (no `v`) are version 1."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import torch

from ffnviz.page_links import FORMS, PAGES, PLAYGROUND, changed_defaults
from ffnviz.specs import PLAYGROUND_DEFAULT, OptimSpec, RunSpec, from_flat, to_flat
from ffnviz.specs import links as links_module
from ffnviz.specs.links import VERSION, LinkForm, defaults_at, frozen_defaults, link_differences, read_link, with_version

# Links as pages wrote them before links had versions, one per page (each names some value).
TODAYS_LINKS = {
    "playground": {"data.dataset": "spiral", "optim.name": "adam", "optim.lr": "0.01", "model.hidden": "8,8"},
    "optimizers": {"paths.surface": "beale", "paths.optimizers": "2", "race.contestants": "2", "c1.optim.name": "adam",
                   "data.noise": "0.1"},
    "gated": {"ffn.data.task": "sort", "rnn.data.length": "25", "rnn.c0.model.hidden": "8"},
    "attention": {"data.task": "sort", "c0.model.heads": "4"},
    "convolution": {"data.dataset": "shapes", "model.layers": "1", "race.baseline": "true"},
    "text": {"data.language": "zh", "c0.model.kind": "attention"},
    "deep": {"model.depth": "20", "model.norm": "batch", "schedule.kind": "cosine"},
}


def test_every_default_is_the_one_the_current_link_version_knows():
    """A default changed without a new link version would change every link already shared: bump
    specs.links.VERSION and run `python -m ffnviz.page_links --write`."""
    assert changed_defaults() == []


def test_the_table_knows_every_form_from_version_one():
    assert sorted(PAGES) == sorted(TODAYS_LINKS)
    for name, form in FORMS.items():
        assert frozen_defaults(name, 1) is not None, name
        assert frozen_defaults(name, VERSION) == form.to_flat(form.default), name


def test_links_from_before_the_first_seconds_defaults_keep_their_learning_rate():
    """Version 3 gave the playground SGD 0.3 and Xavier initialization (and the race's network
    Xavier): a link of version 1 or 2 that leaves them out still means Playground's 0.03 and its
    uniform initialization; a new one, the new defaults."""
    link = {"train.batch_size": "25"}
    for old in ({}, {"v": "1"}, {"v": "2"}):
        spec, errors = read_link(PLAYGROUND, {**link, **old})
        assert errors == [] and (spec.optim.lr, spec.model.init, spec.train.batch_size) == (0.03, "playground", 25)
    spec, errors = read_link(PLAYGROUND, {**link, "v": "3"})
    assert errors == [] and spec == replace(PLAYGROUND_DEFAULT, train=replace(PLAYGROUND_DEFAULT.train, batch_size=25))
    race, _ = read_link(FORMS["optimizers.race"], {"race.seeds": "1", "v": "2"})
    assert race.base.model.init == "playground"


@pytest.mark.parametrize("page", sorted(TODAYS_LINKS))
def test_links_of_todays_form_read_as_they_always_did(page):
    flat = TODAYS_LINKS[page]
    for form in PAGES[page]:
        spec, errors = read_link(form, flat)
        assert (spec, errors) == form.from_flat(form.own(flat), defaults_at(form, 1, []))
        assert spec != form.default or not form.own(flat)
        assert read_link(form, {**flat, "v": "2"}) == (spec, errors)  # 2 changed no default
        assert read_link(form, {**flat, "v": str(VERSION)}) == form.from_flat(form.own(flat), form.default)


def test_a_page_without_spec_keys_opens_at_todays_defaults():
    for form in FORMS.values():
        assert read_link(form, {}) == (form.default, [])
        assert read_link(form, {"lang": "zh", "lr_hide": "1", "view.show_test": "1"}) == (form.default, [])


@pytest.mark.parametrize("version", ["0", "99", "two", ""])
def test_an_unknown_version_is_a_message_and_todays_defaults(version):
    spec, errors = read_link(PLAYGROUND, {"v": version, "optim.lr": "0.1"})
    assert spec == replace(PLAYGROUND_DEFAULT, optim=OptimSpec("sgd", 0.1))
    assert len(errors) == 1 and errors[0].startswith("v: ") and f"1..{VERSION}" in errors[0]


def test_a_changed_default_leaves_older_links_as_they_were(monkeypatch):
    """What the next change of a default does: version 3 with a new learning rate and data set.
    A link of version 1 or 2 that leaves them out still means the old ones; a new link, and a
    bare page, the new ones."""
    new = replace(RunSpec(), optim=OptimSpec("sgd", 0.1), data=replace(RunSpec().data, dataset="xor"))
    form = LinkForm("playground", new, to_flat, from_flat)
    table = {1: {"playground": to_flat(RunSpec())}, 3: {"playground": to_flat(new)}}
    monkeypatch.setattr(links_module, "_table", lambda: table)
    monkeypatch.setattr(links_module, "VERSION", 3)
    link = {"train.batch_size": "25"}
    for old in ({}, {"v": "1"}, {"v": "2"}):
        spec, errors = read_link(form, {**link, **old})
        assert errors == [] and spec == replace(RunSpec(), train=replace(RunSpec().train, batch_size=25))
    spec, _ = read_link(form, {**link, "v": "3"})
    assert spec == replace(new, train=replace(new.train, batch_size=25))
    assert read_link(form, {}) == (new, [])
    # What a page writes now says version 3 and leaves out only what equals the new defaults.
    written = with_version(link_differences(form, spec))
    assert written == {"train.batch_size": "25", "v": "3"}


def test_old_defaults_that_today_refuses_give_todays_with_a_message(monkeypatch):
    """A version's defaults naming what today's code refuses (a data set since gone): the link is
    read with today's default for that value, and says so."""
    table = {1: {"playground": {**to_flat(RunSpec()), "data.dataset": "gone", "optim.lr": "0.3"}}}
    monkeypatch.setattr(links_module, "_table", lambda: table)
    spec, errors = read_link(PLAYGROUND, {"train.batch_size": "25"})
    assert spec.data.dataset == RunSpec().data.dataset and spec.optim.lr == 0.3 and spec.train.batch_size == 25
    assert len(errors) == 1 and "version 1" in errors[0] and "data.dataset" in errors[0]


def test_the_version_is_written_exactly_when_the_link_names_a_value():
    assert with_version({}) == {}
    assert with_version({"lang": "zh", "lr_hide": "1", "view.show_test": "1"}) == {"lang": "zh", "lr_hide": "1",
                                                                                    "view.show_test": "1"}
    assert with_version({"optim.lr": "0.1", "v": "1"}) == {"optim.lr": "0.1", "v": str(VERSION)}


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_a_gated_link_from_before_version_4_trains_its_lstm_with_torchs_forget_bias(version):
    """Version 4 made the LSTM's forget-gate bias a spec field, 2 by default. Links made before it
    trained with torch's own draw (the field's 0): they still do; a version-4 link trains with 2."""
    from ffnviz.page_links import GATED_RNN
    from ffnviz.train.seq_trainer import SeqTrainer

    def lstm_forget_bias(v: str) -> torch.Tensor:
        race, errors = read_link(GATED_RNN, {"rnn.data.length": "12", "v": v})
        assert errors == []
        lstm = next(c for c in race.contestants if c.model.cell == "lstm")
        layer = SeqTrainer(lstm.run_spec(race.base, 0)).model.recurrent
        h = layer.hidden_size
        return (layer.bias_ih_l0[h:2 * h] + layer.bias_hh_l0[h:2 * h]).detach(), lstm.model.forget_bias

    old, old_field = lstm_forget_bias(version)
    new, new_field = lstm_forget_bias(str(VERSION))
    assert (old_field, new_field) == (0.0, 2.0)
    assert torch.equal(new, torch.full_like(new, 2.0))
    bound = 2 / math.sqrt(len(old))  # two draws from U(±1/√h): torch's own, around 0
    assert old.abs().max() <= bound and old.std() > 0


@pytest.mark.parametrize("version", ["1", "2", "3", "4"])
def test_a_gated_link_from_before_version_5_trains_its_gru_with_torchs_update_bias(version):
    """Version 5 made the GRU's update-gate bias a spec field (0 by default: torch's own draw, as
    before). Links made before it read 0 and train the GRU as they did; a version-5 link that sets
    it trains with it, and round-trips."""
    from ffnviz.page_links import GATED_RNN
    from ffnviz.train.seq_trainer import SeqTrainer

    def gru_update_bias(link: dict) -> tuple[torch.Tensor, float]:
        race, errors = read_link(GATED_RNN, {"rnn.data.length": "12", **link})
        assert errors == []
        gru = next(c for c in race.contestants if c.model.cell == "gru")
        assert {c.model.update_bias for c in race.contestants} == {gru.model.update_bias}
        layer = SeqTrainer(gru.run_spec(race.base, 0)).model.recurrent
        h = layer.hidden_size
        return (layer.bias_ih_l0[h:2 * h] + layer.bias_hh_l0[h:2 * h]).detach(), gru.model.update_bias

    old, old_field = gru_update_bias({"v": version})
    today, today_field = gru_update_bias({"v": str(VERSION)})
    assert (old_field, today_field) == (0.0, 0.0) and torch.equal(old, today)
    bound = 2 / math.sqrt(len(old))  # two draws from U(±1/√h): torch's own, around 0
    assert old.abs().max() <= bound and old.std() > 0
    # A link that sets it: what the page writes names it, and reads back the same.
    race, _ = read_link(GATED_RNN, {"rnn.data.length": "12", "v": str(VERSION)})
    race = replace(race, contestants=tuple(replace(c, model=replace(c.model, update_bias=4.0))
                                           for c in race.contestants))
    written = with_version(link_differences(GATED_RNN, race))
    assert written["rnn.c1.model.update_bias"] == "4.0" and written["v"] == str(VERSION)
    assert read_link(GATED_RNN, written) == (race, [])
    new, new_field = gru_update_bias(written)
    assert new_field == 4.0 and torch.equal(new, torch.full_like(new, 4.0))
    # Under an older version's defaults (its forget-gate bias, say) the value the link names still holds.
    assert {c.model.update_bias for c in read_link(GATED_RNN, {**written, "v": version})[0].contestants} == {4.0}
