"""A challenge on every page that trains a run or a race with a goal metric: its link opens the
right page with the locked sections hidden and reads back (page_links) as the challenge's
settings; the server enters a real run of that page trained from it, and refuses one whose locked
setting changed, one from another page and a race loaded from a file."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import pytest

from ffnviz import limits
from ffnviz.page_links import FORMS, PAGE_OF
from ffnviz.specs.links import read_link
from ffnviz.store.challenge import CHALLENGE_FORMS, Challenge
from ffnviz.train.deep_runner import DeepRunner
from ffnviz.train.race_runner import RaceRunner

PAGES = [f for f in CHALLENGE_FORMS if f != "playground"]  # the playground's: tests/unit/test_challenge.py
_LR = re.compile(r"^(?:ffn\.|rnn\.)?(?:c\d+\.)?optim\.lr$")


def challenge(form: str, goal: str = "updates_to_loss", target: float = 10.0, locks=("data", "optimizer")) -> Challenge:
    f = FORMS[form]
    return Challenge(goal, target, f.to_flat(f.default), tuple(locks), form)


@pytest.fixture(scope="module")
def snapshots():
    """Each page's run trained a few updates from its challenge's spec, as a student's would be."""
    made = {}
    for form in PAGES:
        spec = challenge(form).spec
        runner = DeepRunner(spec) if form == "deep" else RaceRunner(spec)
        runner.step(5, wait_s=120)
        made[form] = runner.snapshot
        runner.detach()
    return made


def with_other_lr(form: str, spec):
    """The spec with its (every contestant's) learning rate changed to another allowed one."""
    f = FORMS[form]
    flat = f.to_flat(spec)
    for key in [k for k in flat if _LR.match(k)]:
        flat[key] = f"{next(x for x in limits.LEARNING_RATES if x != float(flat[key])):g}"
    changed, messages = f.from_flat(flat, f.default)
    assert not messages and changed != spec
    return changed


@pytest.mark.parametrize("form", PAGES)
def test_the_link_opens_the_page_with_the_locked_sections_hidden(form):
    c = challenge(form)
    assert c.problems() == []
    url = urlsplit(c.link())
    assert url.path == "/" + PAGE_OF[form]
    query = dict(parse_qsl(url.query))
    assert query["data_hide"] == query["optimizer_hide"] == query["files_hide"] == "1"
    assert "network_hide" not in query and "training_hide" not in query
    spec, messages = read_link(FORMS[form], query)
    assert messages == [] and spec == c.spec


@pytest.mark.parametrize("form", PAGES)
def test_a_run_of_the_page_is_entered_and_scored(form, snapshots):
    snap = snapshots[form]
    entered, why, score = challenge(form).entry(snap, steady=True, page=PAGE_OF[form])
    assert (entered, why) == (True, "")
    assert score == 0.0  # its loss was below 10 from update 0
    assert challenge(form, "updates_to_loss", 1e-4).entry(snap, True, PAGE_OF[form]) == (True, "", None)  # not yet


@pytest.mark.parametrize("form", PAGES)
def test_a_locked_setting_changed_leaves_the_challenge_a_free_one_does_not(form, snapshots):
    snap = snapshots[form]
    other = replace(snap, spec=with_other_lr(form, snap.spec))
    assert challenge(form).entry(other, True, PAGE_OF[form])[:2] == (False, "challenge_unlocked")
    assert challenge(form, locks=("data",)).entry(other, True, PAGE_OF[form])[0]  # the optimizer is free here
    assert challenge(form).entry(snap, False, PAGE_OF[form])[:2] == (False, "challenge_changed")


@pytest.mark.parametrize("form", PAGES)
def test_another_page_or_a_loaded_race_is_not_in_it(form, snapshots):
    snap = snapshots[form]
    assert challenge(form).entry(snap, True, "playground")[:2] == (False, "challenge_other_page")
    assert challenge(form).entry(snap, True, None)[0]  # a page not known: the spec tells
    if form.startswith("gated."):  # the page's other race is not in it
        other = "gated.rnn" if form == "gated.ffn" else "gated.ffn"
        assert challenge(other).entry(snap, True, "gated")[:2] == (False, "challenge_other_page")
    if hasattr(snap, "loaded"):
        assert challenge(form).entry(replace(snap, loaded=True), True, PAGE_OF[form])[:2] == (False, "challenge_loaded")


def test_the_budget_goal_sets_the_pages_step_cap():
    c = challenge("optimizers.race", "accuracy_in_updates", 500, locks=("data",))
    assert c.problems() == [] and c.spec.base.train.max_updates == 500
    assert "train.max_updates=500" in c.link()


def test_an_old_stored_challenge_is_the_playgrounds():
    c = challenge("playground", locks=("data",))
    stored = c.to_json().replace(', "form": "playground"', "")
    assert '"form"' not in stored and Challenge.from_json(stored) == c
    assert Challenge.from_json(challenge("deep").to_json()).form == "deep"
    assert Challenge("updates_to_loss", 1.0, {}, ("data",), "optimizers.paths").problems()
