"""The flat URL form of the text page's race: text_race_to_flat / text_race_from_flat."""

from __future__ import annotations

from dataclasses import replace

from ffnviz.specs import OptimSpec, RegSpec, TrainSpec
from ffnviz.specs.text import (
    TextContestant,
    TextModelSpec,
    TextRaceSpec,
    TextRunSpec,
    TextSpec,
    text_race_from_flat,
    text_race_to_flat,
)

RACE = TextRaceSpec(
    base=TextRunSpec(data=TextSpec(language="zh", label="topic", tokens="bigrams", features="counts", vocabulary=1500,
                                   test_fraction=0.3, seed=11),
                     train=TrainSpec(batch_size=64, max_updates=420)),
    contestants=(TextContestant(TextModelSpec(kind="attention", embed=16, dropout=0.15), OptimSpec("momentum", 0.03),
                                RegSpec("l2", 0.001)),),
    seeds=(4,), target_accuracy=0.7)


def test_round_trip():
    for spec in (TextRaceSpec(), RACE):
        spec.validate()
        flat = text_race_to_flat(spec)
        assert all(isinstance(v, str) for v in flat.values())
        assert "train.seed" not in flat and not any(k.startswith(("optim.", "reg.", "model.")) for k in flat)
        back, errors = text_race_from_flat(flat)
        assert errors == [] and back == spec
        # Read over another base, the link still names the whole race.
        assert text_race_from_flat(flat, RACE if spec != RACE else TextRaceSpec()) == (spec, [])


def test_an_uploaded_file_is_named_by_its_source_only():
    spec = replace(RACE, base=replace(RACE.base, data=replace(RACE.base.data, source="upload", upload="0123456789ab")))
    flat = text_race_to_flat(spec)
    assert flat["data.source"] == "upload" and "data.upload" not in flat
    back, errors = text_race_from_flat(flat)
    assert errors == [] and back.base.data == replace(spec.base.data, upload="")
    # A digest in a hand-made link is not read either.
    assert text_race_from_flat({"data.upload": "ffff"})[0] == TextRaceSpec()


def test_partial_links_change_only_what_they_name():
    spec, errors = text_race_from_flat({"data.vocabulary": "300", "c0.model.hidden": "128", "c0.optim.lr": "0.01"}, RACE)
    assert errors == []
    assert spec.base.data == replace(RACE.base.data, vocabulary=300)
    assert spec.contestants[0] == replace(RACE.contestants[0], model=replace(RACE.contestants[0].model, hidden=128),
                                          optim=OptimSpec("momentum", 0.01))
    # The language alone: its first tokenisation, since English words do not cut Chinese.
    spec, errors = text_race_from_flat({"data.language": "zh"})
    assert errors == [] and (spec.base.data.language, spec.base.data.tokens) == ("zh", "chars")


def test_bad_values_keep_the_base_and_say_so():
    bad = {"data.language": "fr", "data.label": "mood", "data.vocabulary": "5", "data.test_fraction": "half",
           "data.source": "web", "c0.model.kind": "lstm", "c0.model.hidden": "9999", "c0.model.dropout": "x",
           "c0.optim.lr": "fast", "train.batch_size": "-3", "race.contestants": "0", "race.seeds": "a,b",
           "race.target": "2"}
    spec, errors = text_race_from_flat(bad, RACE)
    assert spec == RACE
    text = "\n".join(errors)
    for key in bad:
        assert key in text, key
    assert "fr" in text and "en, zh" in text and "10..20000" in text  # what was given, and what is allowed
    # Tokens that do not fit the language: the language applies with tokens it has, and a message.
    spec, errors = text_race_from_flat({"data.language": "en", "data.tokens": "bigrams"}, RACE)
    assert (spec.base.data.language, spec.base.data.tokens) == ("en", "words")
    assert any("data.tokens" in e and "bigrams" in e for e in errors)
