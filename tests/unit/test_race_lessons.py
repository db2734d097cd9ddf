"""The optimizer race's lesson, through its whole story (its own seeds 0, 1, 2; seeds 0-4 in
docs/PERFORMANCE.md, "Lessons"), and the race the sweep's best rates make."""

from __future__ import annotations

from ffnviz import limits
from ffnviz.lessons import RACE_LESSONS
from ffnviz.specs import OptimSpec
from ffnviz.specs.race import RaceSpec, race_of_rates
from ffnviz.train.race import Race


def test_the_race_lesson_is_the_opening_race_with_three_seeds_and_has_its_text():
    from ffnviz.i18n import TABLE

    (lesson,) = RACE_LESSONS
    spec = lesson.spec.validate()
    opening = RaceSpec()
    assert spec.seeds == (0, 1, 2) and spec.contestants == opening.contestants and spec.base == opening.base
    for key in (f"lesson_{lesson.key}", f"lesson_{lesson.key}_watch"):
        assert all(TABLE[key]), key


def test_three_seeds_of_one_race_disagree_on_the_winner():
    """lesson_race_seeds_watch: after 2,000 updates each of momentum's and Adam's bands spans more
    than 0.1 of test accuracy; one seed alone puts momentum at or ahead of Adam, another puts Adam
    more than 0.2 ahead; over the three, Adam's mean is ahead."""
    race = Race(RACE_LESSONS[0].spec)
    race.step(2000)
    names = [c.optim.name for c in race.spec.contestants]
    acc = {name: [t.evaluate().test_acc for t in row] for name, row in zip(names, race.trainers, strict=True)}
    momentum, adam = acc["momentum"], acc["adam"]
    assert max(momentum) - min(momentum) > 0.1 and max(adam) - min(adam) > 0.1, acc
    assert any(m >= a for m, a in zip(momentum, adam, strict=True)), acc
    assert any(a - m > 0.2 for m, a in zip(momentum, adam, strict=True)), acc
    assert sum(adam) > sum(momentum), acc


def test_the_best_rates_make_a_race_on_the_same_network():
    race = RaceSpec(seeds=(0, 1, 2, 3, 4))
    raced = race_of_rates(race, [("sgd", 0.316), ("momentum", 0.1), ("adam", 0.01), ("rmsprop", 0.001)])
    assert [(c.optim.name, c.optim.lr) for c in raced.contestants] == \
        [("sgd", 0.316), ("momentum", 0.1), ("adam", 0.01), ("rmsprop", 0.001)]
    assert all(c.optim == OptimSpec(c.optim.name, c.optim.lr) for c in raced.contestants)
    assert raced.base == race.base and raced.target_accuracy == race.target_accuracy
    assert raced.models <= limits.RACE_MODELS and raced.seeds == (0, 1, 2, 3)  # 4 × 4 fit, 4 × 5 do not
    raced.validate()


# -- the gated page's lessons: race seed 0, as the page starts (seeds 0-4 in docs/PERFORMANCE.md) ---

def _gated(key: str) -> Race:
    from ffnviz.gallery import lesson_of

    return Race(lesson_of(key).spec.validate())


def test_swiglu_and_relu_have_matched_parameters_and_swiglu_starts_faster():
    """lesson_gated_swiglu_watch: parameter counts within 1 %; SwiGLU ahead after 250 updates;
    after 2,000 (seed 0) both at least 0.95, the gap under 0.03."""
    from ffnviz.specs.sequences import ffn_parameter_count

    race = _gated("gated_swiglu")
    relu, swiglu = (c.model for c in race.spec.contestants)
    assert (relu.variant, swiglu.variant) == ("relu", "swiglu")
    counts = [ffn_parameter_count(m.d, m.block_hidden(), m.variant) for m in (relu, swiglu)]
    assert abs(counts[0] - counts[1]) <= 0.01 * counts[0], counts
    race.step(250)
    early = [race.current(i).test_acc for i in (0, 1)]
    assert early[1] > early[0] + 0.03, early
    race.step(1750)
    late = [race.current(i).test_acc for i in (0, 1)]
    assert min(late) >= 0.95 and abs(late[0] - late[1]) < 0.03, late


def test_at_t50_the_lstm_of_seed_0_remembers_and_the_others_stay_at_chance():
    """lesson_gated_remember50_watch, race seed 0: the LSTM above 0.9 by update 500, the GRU and
    the plain RNN at chance (1/8) then."""
    race = _gated("gated_remember50")
    assert race.spec.base.data.length == 50
    race.step(500)
    acc = {c.model.cell: race.current(i).test_acc for i, c in enumerate(race.spec.contestants)}
    assert acc["lstm"] > 0.9 and acc["gru"] < 0.3 and acc["rnn"] < 0.3, acc
