"""The attention model in the engine: its spec, its trainer, the ideal patterns, and what a race's
snapshot shows of it (ffnviz.train.attention_extras)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from ffnviz import limits
from ffnviz.data.sequences import IGNORE, ideal_attention
from ffnviz.lessons import ATTENTION_LESSONS
from ffnviz.nn.attention import TinyTransformer
from ffnviz.specs import OptimSpec, RegSpec, TrainSpec
from ffnviz.specs.sequences import SeqContestant, SeqModelSpec, SeqRaceSpec, SeqRunSpec, SeqSpec
from ffnviz.train.attention_extras import check_example
from ffnviz.train.race import Race
from ffnviz.train.race_runner import RaceRunner
from ffnviz.train.seq_trainer import SeqTrainer

SPEC = ATTENTION_LESSONS[0].spec  # reverse, T 8, vocabulary 10, 2 layers × 2 heads, d 32


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


def _race(**model) -> SeqRaceSpec:
    c = SPEC.contestants[0]
    return replace(SPEC, contestants=(replace(c, model=replace(c.model, **model)),))


# -- ideal patterns -----------------------------------------------------------------------------

def test_ideal_patterns_on_hand_checked_examples():
    x = np.array([2, 0, 2, 1])
    assert ideal_attention("reverse", x).tolist() == np.fliplr(np.eye(4)).tolist()
    shifted = ideal_attention("copy_offset", x, offset=1)
    assert shifted.tolist() == [[0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]
    # sort: [0, 1, 2, 2]; the two 2s sit at positions 0 and 2, so the last rows split their weight
    assert ideal_attention("sort", x).tolist() == [[0, 1, 0, 0], [0, 0, 0, 1], [0.5, 0, 0.5, 0], [0.5, 0, 0.5, 0]]
    # find_earlier: only position 2 has an earlier occurrence (position 0)
    assert ideal_attention("find_earlier", x).tolist() == [[0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]]
    assert ideal_attention("parity", x) is None


# -- spec ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("model", "words"), [
    ({"d": 32, "heads": 3}, "multiple of heads"),
    ({"d": 8}, "d must be in 16..64"),
    ({"layers": 4}, "layers must be in 1..3"),
    ({"heads": 0}, "heads must be in 1..4"),
    ({"positional": "rotary"}, "positional must be one of"),
    ({"attention": "flash"}, "attention must be one of"),
    ({"dropout": 0.8}, "dropout must be in 0..0.5"),
])
def test_an_attention_model_names_what_is_wrong(model, words):
    found = SeqModelSpec("attn", **model).problems()
    assert any(words in message for _, message in found), found


def test_other_kinds_do_not_check_the_attention_width():
    assert SeqModelSpec("ffn", d=8, heads=3).problems() == []


def test_the_attention_model_needs_a_task_with_a_target_per_position():
    run = SeqRunSpec(data=SeqSpec("remember_first"), model=SeqModelSpec("attn"))
    assert any("every position" in m for _, m in run.problems())
    assert SeqRunSpec(data=SeqSpec("sort"), model=SeqModelSpec("attn")).problems() == []


def test_a_race_of_one_model_is_allowed_and_of_mixed_kinds_is_not():
    assert SPEC.problems() == [] and len(SPEC.contestants) == 1
    mixed = replace(SPEC, contestants=(SPEC.contestants[0], SeqContestant(SeqModelSpec("ffn"))))
    with pytest.raises(ValueError, match="cannot include other kinds"):
        Race(mixed)


# -- trainer ------------------------------------------------------------------------------------

def test_the_trainer_builds_the_transformer_the_spec_describes():
    run = SPEC.run_specs()[0][0]
    t = SeqTrainer(run)
    m = t.model
    assert isinstance(m, TinyTransformer)
    assert len(m.layers) == 2 and m.layers[0].attn.heads == 2
    logits = m(t.x_train[:3])
    assert logits.shape == (3, 8, 10)
    # the same spec gives the same weights, bit for bit
    again = SeqTrainer(run).model.state_dict()
    assert all(torch.equal(v, again[k]) for k, v in m.state_dict().items())


def test_l2_touches_the_attention_matrices_not_the_biases_or_norms():
    run = replace(SPEC.run_specs()[0][0], reg=RegSpec("l2", 0.01))
    t = SeqTrainer(run)
    weights, biases = t._weights_and_biases()
    assert any(w is t.model.layers[0].attn.q.weight for w in weights)
    assert all(p.dim() == 1 for p in biases) and any(p is t.model.layers[0].norm1.weight for p in biases)


# -- snapshot extras ----------------------------------------------------------------------------

def test_extras_show_the_maps_steps_entropy_and_accuracy_by_position():
    race = Race(SPEC)
    race.step(50)
    extra = race.extras()[0]
    maps = extra.maps
    assert maps.shape == (2, 2, 8, 8) and maps.dtype == np.float32
    assert np.allclose(maps.sum(-1), 1.0, atol=1e-5)
    assert extra.example.tolist() == race.dataset.x_test[0].tolist()
    assert extra.target.tolist() == race.dataset.x_test[0][::-1].tolist()
    assert extra.prediction.shape == (8,) and np.all((extra.confidence > 0) & (extra.confidence <= 1))
    steps = extra.steps[1]
    assert steps.q.shape == (2, 8, 16) and steps.scores.shape == (2, 8, 8) and steps.mask.shape == (8, 8)
    assert np.allclose(steps.weights, maps[1], atol=1e-6)  # the steps end in the map shown
    assert extra.position_accuracy.shape == (8,)
    entropy = extra.entropy
    assert entropy.update.tolist() == [50] and entropy.values.shape == (1, 2, 2)
    assert np.all(entropy.values <= np.log(8) + 1e-5)
    assert not maps.flags.writeable  # a snapshot is immutable


def test_the_accuracy_by_position_counts_only_scored_positions():
    spec = replace(SPEC, base=replace(SPEC.base, data=replace(SPEC.base.data, task="copy_offset", offset=3)))
    race = Race(spec)
    accuracy = race.extras()[0].position_accuracy
    assert np.isnan(accuracy[:3]).all() and np.isfinite(accuracy[3:]).all()
    assert (race.extras()[0].target[:3] == IGNORE).all()


def test_the_causal_mask_leaves_the_future_unseen_in_maps_and_steps():
    extra = Race(_race(causal=True)).extras()[0]
    assert np.all(np.triu(extra.maps, 1) == 0.0)
    assert np.isneginf(extra.steps[0].mask[np.triu_indices(8, 1)]).all()


def test_the_example_can_be_chosen_and_a_bad_one_is_refused():
    race = Race(SPEC)
    race.set_example(list(range(8)))
    assert race.extras()[0].example.tolist() == list(range(8))
    for bad in ([1, 2, 3], [0] * 7 + [10], [0.5] * 8, [[0] * 8]):
        with pytest.raises(ValueError):
            race.set_example(bad)
    assert check_example(np.arange(8), race.dataset).dtype == np.int64


def test_entropy_history_restarts_with_the_race_and_is_thinned(monkeypatch):
    monkeypatch.setattr(limits, "PROBE_HISTORY_POINTS", 4)
    race = Race(SPEC)
    race.extras()
    race.extras()  # the model has not moved: not recorded twice
    assert race.extras()[0].entropy.update.tolist() == [0]
    for _ in range(9):
        race.step(1)
        race.extras()
    updates = race.extras()[0].entropy.update
    assert len(updates) <= 4 and updates[-1] == 9 and updates[0] == 0 and np.all(np.diff(updates) > 0)
    race.reset()
    assert race.extras()[0].entropy.update.tolist() == [0]


def test_the_runner_publishes_a_new_example_at_once():
    runner = RaceRunner(SPEC)
    runner.set_example([9] * 8)
    assert runner.snapshot.extras[0].example.tolist() == [9] * 8
    with pytest.raises(ValueError):
        runner.set_example([0, 1])
    assert runner.snapshot.extras[0].example.tolist() == [9] * 8


def test_a_gated_race_cannot_show_an_example():
    gated = SeqRaceSpec(SeqRunSpec(data=SeqSpec("reverse", 8, 4, n_sequences=200), train=TrainSpec(batch_size=32)),
                        (SeqContestant(SeqModelSpec("ffn"), OptimSpec("adam", 0.01)),))
    with pytest.raises(ValueError, match="only a race of attention, text or image models"):
        Race(gated).set_example([0] * 8)


@pytest.mark.parametrize("n_layers, n_heads", [(1, 1), (2, 2), (3, 4)])
def test_a_click_on_the_grid_names_the_head_drawn_there(n_layers, n_heads):
    from ffnviz.viz.attention_charts import head_of_panel, model_view

    maps = np.random.default_rng(0).random((n_layers, n_heads, 4, 4))
    fig = model_view(maps, list("abcd"), labels={"title": "t", "cell": "L{layer} H{head}", "query": "q",
                                                "key": "k", "value": "v"})
    titles = [a["text"] for a in fig.layout.annotations]
    for trace, drawn in enumerate(fig.data):  # a click reports the trace's number
        layer, head = head_of_panel(trace, n_heads)
        assert titles[trace] == f"L{layer + 1} H{head + 1}"
        np.testing.assert_allclose(np.asarray(drawn.z), maps[layer, head], rtol=1e-6)
