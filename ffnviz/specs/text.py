"""The text page's specs: the texts (TextSpec: a shipped corpus or an uploaded file, how it is
tokenised and vectorised), the classifiers (TextModelSpec), their run and race, and the race's
flat URL form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ffnviz import limits
from ffnviz.specs.checks import Problems, Section, check_choice, check_range
from ffnviz.specs.flat import Flat
from ffnviz.specs.model_race import ModelContestant, ModelRace, SectionsRun, model_race_from_flat, model_race_to_flat
from ffnviz.specs.run import ACTIVATIONS, OptimSpec, RegSpec, TrainSpec

TOKENS = {"en": ("words",), "zh": ("chars", "bigrams")}  # the tokenisations each language offers
TEXT_FEATURES = ("counts", "tfidf")  # a text as token counts (bag of words) or TF-IDF weights
SOURCES = ("corpus", "upload")


@dataclass(frozen=True)
class TextSpec(Section):
    source: str = "corpus"  # the shipped corpus of `language`, or an uploaded file (`upload` names it)
    language: str = "en"  # the corpus's language, or the uploaded texts' (it picks the tokeniser)
    label: str = "sentiment"  # the corpus's label to predict ("sentiment" or "topic"); an upload has its own
    tokens: str = "words"  # one of tokenize.TOKENS[language]
    features: str = "tfidf"  # "counts" (bag of words) or "tfidf"
    vocabulary: int = 2000  # the vectorizer's max_features: the most frequent tokens kept
    test_fraction: float = 0.25
    seed: int = 0  # the split's
    upload: str = ""  # an uploaded file's digest (a spec names the file; the data travels beside it)

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "source", self.source, SOURCES)
        check_choice(p, "language", self.language, limits.TEXT_LANGUAGES)
        check_choice(p, "label", self.label, limits.TEXT_LABELS)
        if self.language in TOKENS:
            check_choice(p, "tokens", self.tokens, TOKENS[self.language])
        check_choice(p, "features", self.features, TEXT_FEATURES)
        check_range(p, "vocabulary", self.vocabulary, limits.TEXT_VOCABULARY, integer=True)
        check_range(p, "test_fraction", self.test_fraction, limits.TEXT_TEST_FRACTION)
        check_range(p, "seed", self.seed, limits.TEXT_SEED, integer=True)
        return p


TEXT_KINDS = ("ffn", "attention")


@dataclass(frozen=True)
class TextModelSpec(Section):
    kind: str = "ffn"  # "ffn": the chapter's feedforward classifier on bag-of-words/TF-IDF features;
    # "attention": embeddings pooled by attention over the tokens
    hidden: int = 64  # ffn: the hidden layer's units
    activation: str = "relu"  # ffn
    embed: int = 32  # attention: the embedding size
    dropout: float = 0.0

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "kind", self.kind, TEXT_KINDS)
        check_range(p, "hidden", self.hidden, limits.TEXT_HIDDEN, integer=True)
        check_choice(p, "activation", self.activation, ACTIVATIONS)
        check_range(p, "embed", self.embed, limits.TEXT_EMBED, integer=True)
        check_range(p, "dropout", self.dropout, limits.DROPOUT)
        return p


@dataclass(frozen=True)
class TextRunSpec(SectionsRun):
    data: TextSpec = field(default_factory=TextSpec)
    model: TextModelSpec = field(default_factory=TextModelSpec)
    # The chapter's: Adam, batch 32.
    optim: OptimSpec = field(default_factory=lambda: OptimSpec("adam", 0.001))
    reg: RegSpec = field(default_factory=RegSpec)
    train: TrainSpec = field(default_factory=lambda: TrainSpec(batch_size=32))


@dataclass(frozen=True)
class TextContestant(ModelContestant):
    model: TextModelSpec = field(default_factory=TextModelSpec)
    optim: OptimSpec = field(default_factory=lambda: OptimSpec("adam", 0.001))
    reg: RegSpec = field(default_factory=RegSpec)


@dataclass(frozen=True)
class TextRaceSpec(ModelRace):
    """The text page's training: the base's data, batch size and step cap (its epochs), trained by
    each contestant (the page has one) with each seed."""

    RUN = TextRunSpec
    CONTESTANT = TextContestant
    base: TextRunSpec = field(default_factory=TextRunSpec)
    contestants: tuple[TextContestant, ...] = field(default_factory=lambda: (TextContestant(),))
    seeds: tuple[int, ...] = (0,)
    target_accuracy: float = 0.8


# The flat URL form: a ModelRace's (specs/model_race.py), "data.<field>" being TextSpec's and
# "c<i>.model.<field>" TextModelSpec's, less "data.upload": a file cannot travel in a link, and its
# digest would name a file the link's reader does not have. A link with data.source=upload says
# that the page trained on an uploaded file; the page asks for it again.
_NOT_IN_LINKS = ("data.upload",)


def text_race_to_flat(spec: TextRaceSpec) -> Flat:
    return {k: v for k, v in model_race_to_flat(spec).items() if k not in _NOT_IN_LINKS}


def text_race_from_flat(flat: Flat, base: TextRaceSpec | None = None) -> tuple[TextRaceSpec, list[str]]:
    """Read the text page's race from query parameters. Never raises: a bad value keeps `base`'s
    (default: the default race) and adds a message naming the key and what is allowed."""
    base = base or TextRaceSpec()
    flat = {k: v for k, v in flat.items() if k not in _NOT_IN_LINKS}
    language, tokens = flat.get("data.language"), base.base.data.tokens
    if language in TOKENS and "data.tokens" not in flat and tokens not in TOKENS[language]:
        # A link that names only the language means its first tokenisation, not the base's
        # (English words for Chinese text would refuse the language).
        flat["data.tokens"] = TOKENS[language][0]
    return model_race_from_flat(flat, base)


