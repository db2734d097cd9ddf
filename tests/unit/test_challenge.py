"""Challenges are checked on the server from the run's own snapshot: locked settings kept, a run
a link reproduces (no edited or loaded weights, no upload, no change half-way), and scored by
updates, never seconds."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import pytest

from ffnviz.page_links import PLAYGROUND
from ffnviz.specs import RunSpec
from ffnviz.specs.links import read_link
from ffnviz.store.board import challenge_ranking
from ffnviz.store.challenge import Challenge
from ffnviz.store.classes import Tile
from ffnviz.train.runner import Runner

SPIRAL = replace(RunSpec(), data=replace(RunSpec().data, dataset="spiral", noise=0.1))


def challenge(goal="accuracy_params", target=0.5, locks=("data",), spec=SPIRAL) -> Challenge:
    return Challenge(goal, target, PLAYGROUND.to_flat(spec), locks)


@pytest.fixture(scope="module")
def trained():
    runner = Runner(SPIRAL)
    runner.attach()
    runner.step(500, wait_s=20)
    yield runner.snapshot
    runner.detach()


def test_the_link_opens_the_challenge_with_its_locked_controls_hidden():
    c = challenge(locks=("data", "optimizer"))
    query = dict(parse_qsl(urlsplit(c.link()).query))
    spec, messages = read_link(PLAYGROUND, query)
    assert messages == [] and spec.data == SPIRAL.data
    assert {"dataset_hide", "noise_hide", "lr_hide", "optimizer_hide", "files_hide", "lessons_hide"} <= set(query)
    assert "layers_hide" not in query  # the network is the students' to choose


def test_a_run_that_keeps_the_locked_settings_is_entered_and_scored(trained):
    entered, why, score = challenge(target=0.3).entry(trained, steady=True)
    assert (entered, why) == (True, "")
    assert score == sum(w.size for w in trained.weights) + sum(b.size for b in trained.biases)
    # Unlocked settings are free: another learning rate is still in.
    other = replace(trained, spec=replace(trained.spec, optim=replace(trained.spec.optim, lr=0.1)))
    assert challenge(target=0.3).entry(other, steady=True)[0]


@pytest.mark.parametrize("change, why", [
    (lambda s: replace(s, spec=replace(s.spec, data=replace(s.spec.data, noise=0.0))), "challenge_unlocked"),
    (lambda s: replace(s, edited=True), "challenge_edited"),
])
def test_runs_that_leave_the_challenge(trained, change, why):
    assert challenge(target=0.3).entry(change(trained), steady=True)[:2] == (False, why)


def test_a_run_whose_settings_changed_half_way_is_out(trained):
    assert challenge(target=0.3).entry(trained, steady=False)[:2] == (False, "challenge_changed")


def test_a_goal_not_reached_has_no_score(trained):
    entered, _, score = challenge(target=1.0).entry(trained, steady=True)
    assert entered and score is None


def test_fewest_updates_and_best_in_updates(trained):
    h = trained.history
    loss_target = float(h["train_loss"][len(h["train_loss"]) // 2])
    _, _, updates = challenge("updates_to_loss", loss_target).entry(trained, steady=True)
    assert 0 < updates <= trained.updates
    budget = challenge("accuracy_in_updates", trained.updates, spec=replace(SPIRAL, train=replace(SPIRAL.train,
                                                                                              max_updates=trained.updates)))
    out = budget.entry(trained, steady=True)
    assert out[:2] == (False, "challenge_unlocked")  # the run's step cap is not the budget
    capped = replace(trained, spec=replace(trained.spec, train=replace(trained.spec.train, max_updates=trained.updates)))
    entered, _, score = budget.entry(capped, steady=True)
    assert entered and -score == pytest.approx(max(h["test_acc"]))


@pytest.mark.parametrize("text", ["", "{", "[]", '{"goal": "fastest", "target": 1, "flat": {}, "locks": []}',
                                  '{"goal": "accuracy_params", "target": 7, "flat": {}, "locks": []}',
                                  '{"goal": "accuracy_params", "target": 0.9, "flat": {"model.hidden": "999"}, "locks": []}'])
def test_a_bad_stored_challenge_is_no_challenge(text):
    assert Challenge.from_json(text) is None


def test_the_leaderboard_ranks_entered_runs_by_score_first():
    def tile(i, ok, score, acc):
        return Tile(i, f"s{i}", float(i), 1.0, "playground", "", {"test_acc": acc, "updates": 10, "score": score},
                    None, [], ok, True)
    tiles = [tile(1, False, None, 0.99), tile(2, True, 40.0, 0.96), tile(3, True, 25.0, 0.95), tile(4, True, None, 0.5)]
    assert [t.student_id for t in challenge_ranking(tiles)] == [3, 2, 1, 4]
