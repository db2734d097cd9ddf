"""Which trainer, data and snapshot extras a race of each kind of spec uses, in one table, so
that a new kind of model is one row here rather than another branch in Race.

- RaceSpec: the MLPs of the playground's problems (Trainer), stackable into one batched forward;
- SeqRaceSpec: sequence models (SeqTrainer), their gates or, for a race of Transformers, their
  attention;
- TextRaceSpec: text classifiers (TextTrainer) with the baseline, report and word effects;
- ConvRaceSpec: a CNN and its MLP baseline (ConvTrainer), kernels, feature maps and mistakes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ffnviz.data import make_dataset
from ffnviz.data.images import make_images
from ffnviz.data.sequences import make_sequences
from ffnviz.data.text_data import make_text_dataset
from ffnviz.specs.conv import ConvRaceSpec
from ffnviz.specs.race import RaceSpec
from ffnviz.specs.sequences import SeqRaceSpec
from ffnviz.specs.text import TextRaceSpec
from ffnviz.train.attention_extras import AttnExtras, AttnView
from ffnviz.train.conv_extras import ConvExtras, ConvView
from ffnviz.train.conv_trainer import ConvTrainer
from ffnviz.train.race_extras import SeqExtras, SeqView
from ffnviz.train.seq_trainer import SeqTrainer
from ffnviz.train.text_extras import TextExtras, TextView
from ffnviz.train.text_trainer import TextTrainer
from ffnviz.train.trainer import Trainer

# What a race's snapshot shows of one contestant besides its curves, by kind of race.
ExtrasView = SeqView | AttnView | ConvView | TextView


@dataclass(frozen=True)
class RaceKind:
    trainer: type[Trainer]
    make_data: Callable  # spec.base.data -> the data set every trainer of the race loads
    extras: Callable  # (spec, dataset) -> what the snapshot shows of the models, or None
    stackable: bool  # models may share one batched forward (MLPs: StackedMLPs)


def _sequence_extras(spec: SeqRaceSpec, dataset):
    kinds = {c.model.kind for c in spec.contestants}
    if "attn" in kinds and kinds != {"attn"}:
        raise ValueError("a race of attention models cannot include other kinds of model")
    return AttnExtras(dataset) if kinds == {"attn"} else SeqExtras(dataset)


KINDS: dict[type, RaceKind] = {
    RaceSpec: RaceKind(Trainer, make_dataset, lambda spec, dataset: None, True),
    SeqRaceSpec: RaceKind(SeqTrainer, make_sequences, _sequence_extras, False),
    TextRaceSpec: RaceKind(TextTrainer, make_text_dataset, lambda spec, dataset: TextExtras(dataset), False),
    ConvRaceSpec: RaceKind(ConvTrainer, make_images, lambda spec, dataset: ConvExtras(dataset), False),
}


def kind_of(spec) -> RaceKind:
    return KINDS[type(spec)]
