"""The ready lessons show what their text promises (seed 0, the lesson's own setting)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ffnviz.lessons import LESSONS
from ffnviz.specs import RegSpec
from ffnviz.train.trainer import Trainer

BY_KEY = {lesson.key: lesson.spec for lesson in LESSONS}


def train(spec, epochs: int):
    t = Trainer(spec)
    for _ in range(epochs):
        t.step(t.updates_left_in_epoch)
    return t.evaluate()


def test_every_lesson_is_a_valid_setting_with_its_text():
    from ffnviz.i18n import TABLE

    for lesson in LESSONS:
        lesson.spec.validate()
        for key in (f"lesson_{lesson.key}", f"lesson_{lesson.key}_watch"):
            assert all(TABLE[key]), key


@pytest.mark.parametrize("epochs", [300])
def test_features_make_the_spiral_easy(epochs):
    spec = BY_KEY["features"]
    with_features = train(spec, epochs)
    plain = train(replace(spec, data=replace(spec.data, features=("x1", "x2"))), epochs)
    assert with_features.test_acc >= 0.9 and plain.test_acc <= 0.8, (with_features.test_acc, plain.test_acc)


def test_one_unit_cannot_draw_a_circle_but_three_can():
    spec = BY_KEY["capacity"]
    assert train(spec, 200).test_acc <= 0.8
    assert train(replace(spec, model=replace(spec.model, hidden=(3,))), 200).test_acc >= 0.95


def test_a_learning_rate_of_ten_stays_at_chance():
    m = train(BY_KEY["lr_high"], 100)
    assert m.test_acc <= 0.6 and m.train_loss > 0.69  # no better than guessing: ln 2 = 0.69


def test_overfitting_and_l2_closes_the_gap():
    spec = BY_KEY["overfitting"]
    free = train(spec, 300)
    assert free.train_loss < 0.01 and free.test_loss > 10 * free.train_loss
    l2 = train(replace(spec, reg=RegSpec("l2", 0.01)), 300)
    assert l2.test_loss < free.test_loss / 2
