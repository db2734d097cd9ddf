"""The optimizer race's lesson, through its whole story (its own seeds 0, 1, 2; seeds 0-4 in
docs/PERFORMANCE.md, "Lessons"), and the race the sweep's best rates make."""

from __future__ import annotations

from dataclasses import replace

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


def test_at_t50_the_gated_cells_with_their_gates_open_remember_and_the_plain_rnn_forgets():
    """lesson_gated_remember50_watch, race seed 0, the whole story: the page's race at T = 50 with
    batch 128, the LSTM's forget-gate bias 4 and the GRU's update-gate bias 4; the LSTM above 0.9
    after 250 updates, the LSTM and the GRU above 0.9 after 500, the plain RNN at chance (below
    0.3) throughout; the forget-gate bias back at 2 (the page rebuilds the race; only the LSTM has
    the gate, so only it is trained here) leaves the LSTM at chance after 1,000, the update-gate
    bias back at 0 the GRU after 1,000; and the text's σ(b)⁵⁰ figures."""
    import math

    from ffnviz.i18n import TABLE
    from ffnviz.specs import gated

    race = _gated("gated_remember50")
    spec, default = race.spec, gated.RNN.default
    assert spec.base.data.length == 50 and spec.base.train == replace(default.base.train, batch_size=128)
    assert {c.model.forget_bias for c in spec.contestants} == {4.0}
    assert {c.model.update_bias for c in spec.contestants} == {4.0}
    assert [replace(c, model=replace(c.model, forget_bias=2.0, update_bias=0.0))
            for c in spec.contestants] == list(default.contestants)

    def accuracy(r: Race) -> dict[str, float]:
        return {c.model.cell: r.current(i).test_acc for i, c in enumerate(r.spec.contestants)}

    race.step(250)
    acc = accuracy(race)
    assert acc["lstm"] > 0.9 and acc["rnn"] < 0.3, acc
    race.step(250)
    acc = accuracy(race)
    assert acc["lstm"] > 0.95 and acc["gru"] > 0.9 and acc["rnn"] < 0.3, acc

    def alone(cell: str, **bias: float) -> Race:
        c = next(c for c in spec.contestants if c.model.cell == cell)
        return Race(replace(spec, contestants=(replace(c, model=replace(c.model, **bias)),)))

    for closed in (alone("lstm", forget_bias=2.0), alone("gru", update_bias=0.0)):
        closed.step(1000)
        assert closed.current(0).test_acc < 0.3, closed.spec.contestants[0].model

    def sigma(b: float) -> float:
        return 1 / (1 + math.exp(-b))

    assert round(sigma(2) ** 50, 3) == 0.002 and round(sigma(3) ** 50, 2) == 0.09 and round(sigma(4) ** 50, 2) == 0.40
    assert round(math.log(50), 1) == 3.9 and round(math.log10(0.5 ** 50)) == -15
    for text in TABLE["lesson_gated_remember50_watch"]:
        for figure in ("σ(2)⁵⁰ ≈ 0.002", "σ(3)⁵⁰ ≈ 0.09", "σ(4)⁵⁰ ≈ 0.40", "log 50 ≈ 3.9", "0.5⁵⁰ ≈ 10⁻¹⁵"):
            assert figure in text, (figure, text)
