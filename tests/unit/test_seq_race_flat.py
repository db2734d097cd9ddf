"""The flat URL form of a sequence race: seq_race_to_flat / seq_race_from_flat."""

from __future__ import annotations

from dataclasses import replace

from ffnviz.specs import OptimSpec, RegSpec, TrainSpec
from ffnviz.specs.sequences import (
    SeqContestant,
    SeqModelSpec,
    SeqRaceSpec,
    SeqRunSpec,
    SeqSpec,
    seq_race_from_flat,
    seq_race_to_flat,
)

RACE = SeqRaceSpec(
    base=SeqRunSpec(data=SeqSpec(task="copy_offset", length=30, vocab=5, n_sequences=1500, train_fraction=0.7,
                                 seed=7, offset=3),
                    train=TrainSpec(batch_size=64, max_updates=4000)),
    contestants=(SeqContestant(SeqModelSpec(cell="lstm", hidden=48), OptimSpec("momentum", 0.3),
                               RegSpec("l2", 0.001)),
                 SeqContestant(SeqModelSpec(kind="ffn", variant="geglu", d=16, h=64, residual=False,
                                            layer_norm=False)),
                 SeqContestant(SeqModelSpec(cell="rnn", hidden=8), OptimSpec("adam", 0.003))),
    seeds=(0, 3), target_accuracy=0.75)


def test_round_trip():
    for spec in (SeqRaceSpec(), RACE):
        spec.validate()
        flat = seq_race_to_flat(spec)
        assert all(isinstance(v, str) for v in flat.values())
        assert "train.seed" not in flat and not any(k.startswith(("optim.", "reg.", "model.")) for k in flat)
        back, errors = seq_race_from_flat(flat)
        assert errors == [] and back == spec
        # Read over another base, the link still names the whole race.
        assert seq_race_from_flat(flat, RACE if spec != RACE else SeqRaceSpec()) == (spec, [])


def test_partial_links_change_only_what_they_name():
    spec, errors = seq_race_from_flat({"data.length": "40", "c1.model.cell": "rnn", "race.target": "0.5"}, RACE)
    assert errors == []
    assert seq_race_from_flat({"c1.model.residual": "TRUE"}, RACE)[0].contestants[1].model.residual is True
    assert spec.base.data == replace(RACE.base.data, length=40)
    assert spec.contestants[1].model == replace(RACE.contestants[1].model, cell="rnn")
    assert spec.target_accuracy == 0.5 and spec.contestants[0] == RACE.contestants[0]
    # More contestants: the new ones start as the default race's.
    spec, errors = seq_race_from_flat({"race.contestants": "4"}, RACE)
    assert errors == [] and spec.contestants[3] == SeqRaceSpec().contestants[0]


def test_bad_values_keep_the_base_and_say_so():
    bad = {"data.length": "1000", "data.task": "knitting", "data.vocab": "x", "c0.model.hidden": "0",
           "c1.model.variant": "magic", "c2.optim.lr": "fast", "train.batch_size": "-3",
           "race.contestants": "9", "race.seeds": "1,1", "race.target": "2", "c0.model.residual": "maybe"}
    spec, errors = seq_race_from_flat(bad, RACE)
    assert spec == RACE
    text = "\n".join(errors)
    for key in ("data.length", "data.task", "data.vocab", "c0.model.hidden", "c1.model.variant", "c2.optim.lr",
                "train.batch_size", "race.contestants", "race.seeds", "race.target", "c0.model.residual"):
        assert key in text, key
    assert "2..100" in text and "knitting" in text  # what is allowed, and what was given
    # Too many models in all (8 contestants × 3 seeds > 16): the seeds go back to the base's.
    spec, errors = seq_race_from_flat({"race.contestants": "8", "race.seeds": "0,1,2"}, RACE)
    assert len(spec.contestants) == 8 and spec.seeds == RACE.seeds and any("race.seeds" in e for e in errors)
    spec.validate()


# -- two races in one URL, each under its own prefix ------------------------------------------------

def test_a_prefix_round_trips_exactly():
    for spec in (SeqRaceSpec(), RACE):
        flat = seq_race_to_flat(spec, "ffn.")
        assert flat == {"ffn." + k: v for k, v in seq_race_to_flat(spec).items()}
        assert seq_race_from_flat(flat, prefix="ffn.") == (spec, [])
        # Without its prefix the link names nothing: the base stays.
        assert seq_race_from_flat(flat, RACE, prefix="rnn.") == (RACE, [])


def test_a_prefixed_bad_value_keeps_the_base_and_names_the_whole_key():
    spec, errors = seq_race_from_flat({"ffn.data.length": "1000", "ffn.c1.model.variant": "magic",
                                       "ffn.race.seeds": "x", "ffn.data.vocab": "5"}, RACE, prefix="ffn.")
    assert spec == replace(RACE, base=replace(RACE.base, data=replace(RACE.base.data, vocab=5)))
    text = "\n".join(errors)
    for key in ("ffn.data.length", "ffn.c1.model.variant", "ffn.race.seeds"):
        assert key in text, key
    assert all(e.startswith("ffn.") for e in errors) and "2..100" in text


def test_two_prefixes_do_not_interfere():
    other = replace(RACE, seeds=(4,), target_accuracy=0.5)
    flat = {**seq_race_to_flat(SeqRaceSpec(), "rnn."), **seq_race_to_flat(other, "ffn."),
            "data.length": "3", "rnn.data.length": "oops"}  # an unprefixed key and one part's garbage
    ffn, ffn_errors = seq_race_from_flat(flat, prefix="ffn.")
    rnn, rnn_errors = seq_race_from_flat(flat, prefix="rnn.")
    assert (ffn, ffn_errors) == (other, [])
    assert rnn == SeqRaceSpec() and len(rnn_errors) == 1 and rnn_errors[0].startswith("rnn.data.length")
