"""The sequence pages' specs: the synthetic tasks (TASKS, SeqSpec), the sequence models (SeqModelSpec:
a recurrent classifier, a feedforward block of one of VARIANTS, or a tiny Transformer), their runs
and races, and a race's flat URL form. The feedforward block's sizes are reckoned here too
(matched_hidden: a gated variant's hidden size at a plain block's parameter count), since a
spec's `block_hidden` needs them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ffnviz import limits
from ffnviz.specs.checks import Problems, Section, check_bool, check_choice, check_range
from ffnviz.specs.flat import Flat
from ffnviz.specs.model_race import ModelContestant, ModelRace, SectionsRun, model_race_from_flat, model_race_to_flat
from ffnviz.specs.run import OptimSpec, RegSpec, TrainSpec
from ffnviz.specs.schedule import ScheduleSpec, schedule_problems

# -- the tasks -------------------------------------------------------------------------------------

PARITY_VOCAB = 2  # parity's tokens are bits, whatever the spec's vocab


@dataclass(frozen=True)
class TaskInfo:
    key: str
    per_position: bool  # one target per position (y (n, T)) rather than one per sequence (y (n,))
    regression: bool  # a real-valued target (one output, mean squared error)
    description: str  # English, one line; the page translates by `key`

    def n_outputs(self, vocab: int, length: int | None = None) -> int:
        """Classes per target (1 for a regression). find_earlier's classes are the positions
        0..T-1 and "none" (class T), so it needs the length as well."""
        if self.regression:
            return 1
        if self.key == "parity":
            return 2
        if self.key == "find_earlier":
            if length is None:
                raise ValueError("find_earlier has length + 1 classes: n_outputs needs the length")
            return length + 1
        return vocab


TASKS: dict[str, TaskInfo] = {
    t.key: t
    for t in (
        TaskInfo("remember_first", False, False, "The class is the sequence's first token."),
        TaskInfo("adding", False, True, "The target is the sum of the two values whose marker is 1."),
        TaskInfo("parity", False, False, "The class is the number of 1 bits, mod 2."),
        TaskInfo("reverse", True, False, "Each position's target is the token at the mirrored position."),
        TaskInfo("sort", True, False, "The targets are the sequence's tokens in ascending order."),
        TaskInfo("copy_offset", True, False, "Each position's target is the token `offset` steps earlier."),
        TaskInfo("find_earlier", True, False,
                 "Each position's target is where its token last appeared before it (or 'none')."),
    )
}


@dataclass(frozen=True)
class SeqSpec(Section):
    task: str = "remember_first"
    length: int = 20  # T
    vocab: int = 8  # tokens 0..vocab-1; unused by parity (bits) and adding (values)
    n_sequences: int = 2000  # train + test
    train_fraction: float = 0.8
    seed: int = 0
    offset: int = 2  # copy_offset's lag; checked against the length only for copy_offset

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "task", self.task, tuple(TASKS))
        check_range(p, "length", self.length, limits.SEQ_LENGTH, integer=True)
        check_range(p, "vocab", self.vocab, limits.SEQ_VOCAB, integer=True)
        check_range(p, "n_sequences", self.n_sequences, limits.SEQ_COUNT, integer=True)
        check_range(p, "train_fraction", self.train_fraction, limits.TRAIN_FRACTION)
        check_range(p, "seed", self.seed, limits.DATA_SEED, integer=True)
        # Other tasks ignore the offset, so a short sequence need not force it down; it is still
        # a whole number in the widest range, so the URL form keeps one meaning.
        offset = limits.SEQ_OFFSET
        if self.task == "copy_offset" and isinstance(self.length, int) and limits.SEQ_LENGTH.contains(self.length):
            offset = limits.Range(1, self.length - 1)
        check_range(p, "offset", self.offset, offset, integer=True)
        return p

    @property
    def info(self) -> TaskInfo:
        return TASKS[self.task]

    @property
    def token_vocab(self) -> int:
        """The tokens actually drawn: parity's are bits."""
        return PARITY_VOCAB if self.task == "parity" else self.vocab


# -- the models' names -----------------------------------------------------------------------------

SEQ_KINDS = ("rnn", "ffn", "attn")
CELLS = ("rnn", "gru", "lstm")  # torch.nn's recurrent layers
VARIANTS = ("relu", "gelu", "glu", "reglu", "geglu", "swiglu")  # the feedforward block's
GATED = ("glu", "reglu", "geglu", "swiglu")
POSITIONAL = ("learned", "sinusoidal", "none")  # the Transformer's positional encodings
IMPLEMENTATIONS = ("own", "torch")  # self-attention: the project's few lines, or torch.nn.MultiheadAttention
# An LSTM's forget-gate bias at the start (b_if + b_hf), see ffnviz/nn/recurrent.py. 0 leaves
# torch's own draw (both biases uniform around 0), what links before version 4 trained.
LSTM_FORGET_BIAS = 2.0
# A GRU's update-gate bias at the start (b_iz + b_hz; torch: z near 1 keeps the old state). 0 leaves
# torch's own draw, what every link trained before version 5 and what a new one trains by default:
# at T = 20 the GRU learns with it (the T = 20 lesson); at T = 50 it needs about 4 (the T = 50 lesson).
GRU_UPDATE_BIAS = 0.0
# The attention model labels each position of a sequence of tokens (see TinyTransformer).
ATTENTION_TASKS = tuple(k for k, t in TASKS.items() if t.per_position and not t.regression)


def is_gated(variant: str) -> bool:
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(VARIANTS)}; got {variant!r}")
    return variant in GATED


def ffn_parameter_count(d: int, h: int, variant: str, bias: bool = True) -> int:
    """Weights and biases of the feedforward part (W1, W3, W2 and their biases). LayerNorm's
    2d parameters are left out: every variant has the same ones, so they never change a
    comparison between variants."""
    matrices = 3 if is_gated(variant) else 2
    count = matrices * d * h
    if bias:
        count += (matrices - 1) * h + d  # b1 (and b3) of size h, b2 of size d
    return count


def matched_hidden(d: int, h: int, variant: str, bias: bool = True) -> int:
    """The hidden size of `variant` whose parameter count is closest to a plain block of
    hidden size h, so variants are compared at equal size.

    A plain block has 2dh (+ h + d) parameters, a gated one 3dh' (+ 2h' + d): h' = 2h/3
    without biases, h' = h(2d + 1)/(3d + 2) with them. The count is linear in h', so the
    closest count is at h' rounded to the nearest integer (a tie, x.5, rounds down, to the
    smaller block), and at least 1. The counts then differ by at most (3d + 2)/2 parameters,
    half of one hidden unit. Plain variants return h itself."""
    if not is_gated(variant):
        return h
    exact = h * (2 * d + 1) / (3 * d + 2) if bias else 2 * h / 3
    return max(1, math.ceil(exact - 0.5))


# -- the specs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SeqModelSpec(Section):
    kind: str = "rnn"  # "rnn": a SeqClassifier; "ffn": the whole sequence flattened into one FFNBlock;
    # "attn": a TinyTransformer (d is its width, variant and h its feedforward blocks')
    cell: str = "gru"  # rnn kind: one of recurrent.CELLS
    hidden: int = 32  # rnn kind: the recurrent layer's (and the embedding's) size
    variant: str = "swiglu"  # ffn kind: one of ffn_block.VARIANTS
    d: int = 32  # ffn kind: the block's width
    h: int = 128  # ffn kind: a plain block's hidden size; a gated one gets matched_hidden(d, h, variant)
    residual: bool = True
    layer_norm: bool = True
    layers: int = 2  # attn kind: encoder layers
    heads: int = 2  # attn kind: heads per layer (d must be a multiple)
    positional: str = "learned"  # attn kind: one of attention.POSITIONAL
    dropout: float = 0.0  # attn kind: on the embedding and each sublayer's output
    causal: bool = False  # attn kind: a position attends only to itself and earlier ones
    attention: str = "own"  # attn kind: the project's module, or torch.nn.MultiheadAttention
    forget_bias: float = LSTM_FORGET_BIAS  # rnn kind, LSTM cell: the forget gate's bias at the start
    update_bias: float = GRU_UPDATE_BIAS  # rnn kind, GRU cell: the update gate's bias at the start (link version 5 on)

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "kind", self.kind, SEQ_KINDS)
        check_choice(p, "cell", self.cell, CELLS)
        check_range(p, "hidden", self.hidden, limits.RNN_HIDDEN, integer=True)
        check_choice(p, "variant", self.variant, VARIANTS)
        check_range(p, "d", self.d, limits.FFN_WIDTH, integer=True)
        check_range(p, "h", self.h, limits.FFN_HIDDEN, integer=True)
        check_bool(p, "residual", self.residual)
        check_bool(p, "layer_norm", self.layer_norm)
        check_range(p, "layers", self.layers, limits.ATTN_LAYERS, integer=True)
        check_range(p, "heads", self.heads, limits.ATTN_HEADS, integer=True)
        check_choice(p, "positional", self.positional, POSITIONAL)
        check_range(p, "dropout", self.dropout, limits.ATTN_DROPOUT)
        check_bool(p, "causal", self.causal)
        check_choice(p, "attention", self.attention, IMPLEMENTATIONS)
        check_range(p, "forget_bias", self.forget_bias, limits.FORGET_BIAS)
        check_range(p, "update_bias", self.update_bias, limits.UPDATE_BIAS)
        if self.kind == "attn" and not p:
            check_range(p, "d", self.d, limits.ATTN_D_MODEL, integer=True)
            if not p and self.d % self.heads:
                p.append(("heads", f"d ({self.d}) must be a multiple of heads ({self.heads})"))
        return p

    def block_hidden(self) -> int:
        """The FFN block's hidden size: h for a plain variant, the matched size for a gated one,
        so that variants race at equal parameter counts."""
        return matched_hidden(self.d, self.h, self.variant)

    def transformer_parameters(self, vocab: int, n_outputs: int, length: int) -> int:
        """The parameters of the attn kind's TinyTransformer (nn/attention.py), counted without
        building it (the page's caption: a model built in the server cost it torch's lazy imports):
        the token (and learned position) embeddings, per layer a LayerNorm, q, k, v and o with
        biases and the FFN block with its own LayerNorm, then the last LayerNorm and the head."""
        d = self.d
        per_layer = 2 * d + 4 * (d * d + d) + 2 * d + ffn_parameter_count(d, self.block_hidden(), self.variant)
        positions = length * d if self.positional == "learned" else 0
        return vocab * d + positions + self.layers * per_layer + 2 * d + d * n_outputs + n_outputs


@dataclass(frozen=True)
class SeqRunSpec(SectionsRun):
    data: SeqSpec = field(default_factory=SeqSpec)
    model: SeqModelSpec = field(default_factory=SeqModelSpec)
    optim: OptimSpec = field(default_factory=lambda: OptimSpec("adam", 0.01))
    reg: RegSpec = field(default_factory=RegSpec)
    train: TrainSpec = field(default_factory=lambda: TrainSpec(batch_size=32))
    # The learning rate over the step budget train.max_updates, the same for every contestant
    # (the attention page sets it; other pages train at a constant rate). Link version 4 on.
    schedule: ScheduleSpec = field(default_factory=ScheduleSpec)

    SECTIONS = ("data", "model", "optim", "reg", "train", "schedule")

    def problems(self) -> Problems:
        p = super().problems() or schedule_problems(self.schedule, self.train.max_updates)
        if not p and self.model.kind == "attn" and self.data.task not in ATTENTION_TASKS:
            p.append(("model.kind", f"the attention model labels every position: the task must be one of "
                                    f"{', '.join(ATTENTION_TASKS)}, got {self.data.task!r}"))
        return p


@dataclass(frozen=True)
class SeqContestant(ModelContestant):
    """One contestant of a sequence race: its model (the gated-layers page races models: FFN
    variants, or RNN vs GRU vs LSTM), optimizer and regularization."""

    model: SeqModelSpec = field(default_factory=SeqModelSpec)
    optim: OptimSpec = field(default_factory=lambda: OptimSpec("adam", 0.01))
    reg: RegSpec = field(default_factory=RegSpec)

    def label(self) -> str:
        """Keys and numbers only ("gru 32", "ffn swiglu d32 h128"), the same in every language."""
        m = self.model
        if m.kind == "attn":
            return f"attn L{m.layers} H{m.heads} d{m.d} {m.positional}{' causal' if m.causal else ''}"
        return f"{m.cell} {m.hidden}" if m.kind == "rnn" else f"ffn {m.variant} d{m.d} h{m.block_hidden()}"


def _seq_race_contestants() -> tuple[SeqContestant, ...]:
    return tuple(SeqContestant(SeqModelSpec(cell=c)) for c in CELLS)


@dataclass(frozen=True)
class SeqRaceSpec(ModelRace):
    """A race of sequence models (ffnviz.train.race.Race builds SeqTrainers for it): the base's
    data, batch size and step cap, trained by each contestant with each training seed (see
    ModelRace)."""

    RUN = SeqRunSpec
    CONTESTANT = SeqContestant
    base: SeqRunSpec = field(default_factory=SeqRunSpec)
    contestants: tuple[SeqContestant, ...] = field(default_factory=_seq_race_contestants)
    seeds: tuple[int, ...] = (0,)
    target_accuracy: float = 0.9


# -- the flat URL form of a sequence race ---------------------------------------------------------
# A ModelRace's (specs/model_race.py): "data.<field>" (SeqSpec), "train.<field>", "race.*" and
# per contestant i "c<i>.model.<field>" (SeqModelSpec), "c<i>.optim.*", "c<i>.reg.*".


def seq_race_to_flat(spec: SeqRaceSpec, prefix: str = "") -> Flat:
    return model_race_to_flat(spec, prefix)


def seq_race_from_flat(flat: Flat, base: SeqRaceSpec | None = None,
                       prefix: str = "") -> tuple[SeqRaceSpec, list[str]]:
    """Read a sequence race from query parameters. Never raises: a bad value keeps `base`'s
    (default: the default race) and adds a message naming the key and what is allowed; with a
    `prefix`, only the keys under it (model_race_from_flat)."""
    return model_race_from_flat(flat, base or SeqRaceSpec(), prefix)
