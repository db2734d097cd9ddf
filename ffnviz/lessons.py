"""Ready lessons for the playground: a setting and what to watch, in two sentences.

Each was checked by training it (see tests/unit/test_lessons.py for what each must show), so a
teacher who presses Start sees what the text promises.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ffnviz.specs import PLAYGROUND_DEFAULT, DataSpec, ModelSpec, OptimSpec, RegSpec, RunSpec, TrainSpec, gated
from ffnviz.specs.conv import ConvModelSpec, ConvRaceSpec, ConvRunSpec, ImageSpec
from ffnviz.specs.deep import DeepDataSpec, DeepModelSpec, DeepRunSpec
from ffnviz.specs.paths import PathsSpec
from ffnviz.specs.race import RaceSpec
from ffnviz.specs.schedule import CONSTANT, ScheduleSpec, StopSpec
from ffnviz.specs.sequences import SeqContestant, SeqModelSpec, SeqRaceSpec, SeqRunSpec, SeqSpec

ALL_FEATURES = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sin_x1", "sin_x2")


@dataclass(frozen=True)
class Lesson:
    key: str  # i18n: lesson_<key> is the button, lesson_<key>_watch the two sentences
    spec: RunSpec | SeqRaceSpec | ConvRaceSpec | DeepRunSpec


LESSONS = (
    # Spiral, noise 0: with sin x1, sin x2 (and the products) a 2-layer net with Adam separates the
    # arms in ~30 epochs (seeds 0-4: 22-34 epochs to test accuracy 0.95); from x1, x2 alone the
    # same net stays far below that.
    Lesson("features", replace(
        PLAYGROUND_DEFAULT,
        data=DataSpec(dataset="spiral", noise=0.0, features=ALL_FEATURES),
        model=ModelSpec(hidden=(8, 4), activation="tanh", init="xavier"),
        optim=OptimSpec("adam", 0.01))),
    # Circle with one hidden unit: one straight boundary, test accuracy stuck near 0.64;
    # three units reach ~0.99 within a few dozen epochs (the playground's SGD 0.3).
    Lesson("capacity", replace(
        PLAYGROUND_DEFAULT,
        model=replace(PLAYGROUND_DEFAULT.model, hidden=(1,)))),
    # Circle with SGD at lr 10: the loss jumps around and accuracy stays at chance; the default
    # 0.3, from new weights, reaches ~0.99.
    Lesson("lr_high", replace(PLAYGROUND_DEFAULT, optim=OptimSpec("sgd", 10.0))),
    # 100 noisy points, 30 to train on, a big ReLU net with Adam: train loss goes to 0 while the
    # test loss climbs past 1; L2 0.01 keeps the test loss near 0.15.
    Lesson("overfitting", RunSpec(
        data=DataSpec(dataset="circle", n_points=100, noise=0.35, train_fraction=0.3),
        model=ModelSpec(hidden=(16, 16, 16), activation="relu", init="he"),
        optim=OptimSpec("adam", 0.01),
        reg=RegSpec("none", 0.0),
        train=TrainSpec(batch_size=10))),
)


# -- the self-attention page ---------------------------------------------------------------------
# Each a one-model race of the page (ffnviz/ui/attention_page.py); tests/unit/test_lessons.py
# trains each and checks what its text promises.

ATTENTION_OPTIM = OptimSpec("adam", 0.003)
WARMUP_LR = 0.1  # the warm-up lesson's learning rate


def _attention(task: str = "reverse", optim: OptimSpec = ATTENTION_OPTIM, schedule: ScheduleSpec = CONSTANT,
               budget: int = TrainSpec().max_updates, **model) -> SeqRaceSpec:
    base = SeqRunSpec(data=SeqSpec(task, length=8, vocab=10, n_sequences=2000),
                      train=TrainSpec(batch_size=64, max_updates=budget), schedule=schedule)
    contestant = SeqContestant(SeqModelSpec("attn", **{**ATTENTION_MODEL, **model}), optim)
    return SeqRaceSpec(base, (contestant,))


ATTENTION_MODEL = {"d": 32, "h": 128, "heads": 2, "layers": 2, "variant": "relu", "positional": "learned"}

ATTENTION_LESSONS = (
    Lesson("attn_reverse", _attention()),
    Lesson("attn_no_positions", _attention(positional="none")),
    Lesson("attn_causal", _attention(causal=True)),
    # Reverse at Adam 0.1 (the page's rate × 33), 600 updates, medians of training seeds 0-4: a
    # constant rate fails (test accuracy 0.41; one seed of five reaches 1.00), 300 updates of linear
    # warm-up then cosine reach 1.00 (one seed at 0.48). Where it stops: cosine decay alone does as
    # well (1.00), a 100-update warm-up reaches 0.96; at 0.3 neither helps (0.18, 0.22); at the
    # page's 0.003 a constant rate reaches 1.00 (benchmarks/bench_deep.py --part warmup,
    # docs/PERFORMANCE.md "Warm-up and the Transformer").
    Lesson("attn_warmup", _attention(optim=OptimSpec("adam", WARMUP_LR), schedule=ScheduleSpec("warmup_cosine", warmup=300),
                                     budget=600)),
)


# -- the convolution page ------------------------------------------------------------------------
# Each the CNN with its MLP baseline beside it (ffnviz/ui/convolution_page.py), Adam 0.01, batch
# 32; tests/unit/test_lessons.py trains each, and benchmarks/bench_conv.py measures the same
# settings over seeds 0-4 (docs/PERFORMANCE.md, "Convolution").

# Shapes in the left half for training, in the right half for testing: 2,000 images of 16×16.
HALVES = ImageSpec("shapes", n_images=2000, noise=0.1, size=16, train_fraction=0.5, split="halves")


def _conv(data: ImageSpec, head: str = "flatten") -> ConvRaceSpec:
    return ConvRaceSpec(ConvRunSpec(data=data, model=ConvModelSpec(head=head)), ("cnn", "mlp"))


CONV_LESSONS = (
    # Digits: the default CNN (8 and 16 channels, 3×3, max pooling) reaches 0.978 after 1,000
    # updates (median of seeds 0-4), its baseline 0.972: centred digits are easy for both.
    Lesson("conv_digits", _conv(ImageSpec())),
    # Halves, global max head: the CNN 0.997 on the unseen right half, its MLP 0.186 (chance 0.2).
    Lesson("conv_halves", _conv(HALVES, "global_max")),
    # Halves, flatten head: the same CNN reads each position with its own weight: 0.20, chance.
    Lesson("conv_halves_flatten", _conv(HALVES)),
)


# -- the deep-networks page ------------------------------------------------------------------------
# Each checked through its whole story by tests/unit/test_deep_lessons.py (median over seeds 0-4
# where the claim is about training), and measured by benchmarks/bench_deep.py
# (docs/PERFORMANCE.md, "Deep networks").

def _deep(model: DeepModelSpec, optim: OptimSpec, **sections) -> DeepRunSpec:
    data = sections.pop("data", DeepDataSpec(dataset="spiral", n_points=1000, noise=0.1))
    train = sections.pop("train", TrainSpec(batch_size=32, max_updates=2000))
    return DeepRunSpec(data=data, model=model, optim=optim, train=train, **sections)


DEEP_LESSONS = (
    # Spiral, 10 × 32 sigmoid, nn.Linear's init, SGD 0.1, 2,000 updates: test accuracy 0.49 (chance)
    # in every seed 0-4; ReLU + He 0.98 (median; two seeds at 0.79).
    Lesson("deep_sigmoid", _deep(DeepModelSpec(depth=10, width=32, activation="sigmoid", init="default"),
                                 OptimSpec("sgd", 0.1))),
    # 10 × 64 tanh, N(0, 0.01): activations shrink about tenfold a layer, 0.49; N(0, 1): saturated,
    # 0.65; Xavier: 0.99 (medians of seeds 0-4).
    Lesson("deep_init", _deep(DeepModelSpec(depth=10, width=64, activation="tanh", init="normal", init_scale=0.01),
                              OptimSpec("sgd", 0.1))),
    # 20 × 32 ReLU, nn.Linear's init, SGD + momentum 0.01: 0.49 in every seed; BatchNorm 0.99,
    # residual 0.99 (medians).
    Lesson("deep_plain20", _deep(DeepModelSpec(depth=20, width=32, activation="relu", init="default"),
                                 OptimSpec("momentum", 0.01))),
    # Circle, 200 noisy points: stops after ~320 updates with test loss 0.096 against 0.136 without
    # early stopping (accuracy 0.95 against 0.97; medians).
    Lesson("deep_stop", _deep(DeepModelSpec(depth=4, width=64), OptimSpec("adam", 0.01),
                              data=DeepDataSpec(dataset="circle", n_points=200, noise=0.5),
                              train=TrainSpec(batch_size=10, max_updates=3000),
                              stop=StopSpec(enabled=True, patience=10))),
    # The same data: Adam + L2 0.01 ends with ‖W‖ 4.4, AdamW with decoupled decay 0.01 with 23.7
    # (none: 29.0); AdamW needs 0.1 for 7.5 (medians).
    Lesson("deep_adamw", _deep(DeepModelSpec(depth=4, width=64), OptimSpec("adam", 0.01),
                               data=DeepDataSpec(dataset="circle", n_points=200, noise=0.5),
                               reg=RegSpec("l2", 0.01), train=TrainSpec(batch_size=10, max_updates=3000))),
)


# -- the gated-layers page (its recurrent race) ----------------------------------------------------
# The page's recurrent race (ffnviz/specs/gated.py: RNN, GRU, LSTM, hidden 32, vocab 8, Adam 0.01,
# batch 32) at T = 20. tests/unit/test_lessons.py trains it (race seed 0); benchmarks/bench_gated.py
# measures the same settings over seeds 0-4 (docs/PERFORMANCE.md, "Gates and memory").

def _gated_rnn(length: int, forget_bias: float | None = None, batch: int | None = None,
               update_bias: float | None = None) -> SeqRaceSpec:
    """The page's recurrent race at sequence length `length`, with its batch size and every
    contestant's forget-gate and update-gate biases (the page's shared widgets; only the LSTM has
    a forget gate, only the GRU an update gate) set when given."""
    default = gated.RNN.default
    base = default.base
    spec = replace(default, base=replace(base, data=replace(base.data, length=length),
                                         train=replace(base.train, batch_size=batch or base.train.batch_size)))
    biases = {k: v for k, v in (("forget_bias", forget_bias), ("update_bias", update_bias)) if v is not None}
    if biases:
        spec = replace(spec, contestants=tuple(replace(c, model=replace(c.model, **biases)) for c in spec.contestants))
    return spec


def _gated_ffn(variants: tuple[str, ...]) -> SeqRaceSpec:
    default = gated.FFN.default
    return replace(default, contestants=tuple(c for c in default.contestants if c.model.variant in variants))


# The page's feedforward race (find_earlier, length 8, vocabulary 4, d 32, h 128: the plain block
# 8,352 parameters, SwiGLU at h = 85 8,362) with ReLU and SwiGLU only.
GATED_FFN_LESSONS = (
    Lesson("gated_swiglu", _gated_ffn(("relu", "swiglu"))),
)

GATED_LESSONS = (
    Lesson("gated_remember20", _gated_rnn(20)),
    # T = 50, the page's settings but batch 128 (not 32), the LSTM's forget-gate bias 4 (≈ log 50,
    # "chrono" initialisation; not 2) and the GRU's update-gate bias 4 (not torch's draw, 0): median
    # test accuracy over training seeds 0-4, LSTM and GRU 1.00 after 250 updates, the plain RNN at
    # chance (at forget-gate bias 2 the LSTM too, at update-gate bias 0 the GRU; docs/PERFORMANCE.md,
    # "The lessons' figures"). Batch 32 works in the median as well but two data seeds of five then
    # need 1,500-3,000 updates for the LSTM; batch 128 has every seed there by 500.
    Lesson("gated_remember50", _gated_rnn(50, forget_bias=4.0, batch=128, update_bias=4.0)),
)


# -- the text-classification page ------------------------------------------------------------------
# English sentiment from the shipped corpus with the chapter's classifier and training (the page's
# opening race, page_links.text_default). tests/unit/test_lessons.py trains each (split seed 0).
# Measured over splits 0-4 (20 epochs): TF-IDF, network 0.84 / logistic regression 0.85
# (docs/PERFORMANCE.md); counts, overall 0.83-0.87 for both, the negation subset 0.45-0.72,
# median 0.58 (network) and 0.58 (logistic regression).

def text_lessons() -> tuple[Lesson, ...]:
    # page_links builds the text page's opening race and itself imports this module: read it late
    from ffnviz.page_links import text_default

    chapter = text_default("en")
    counts = replace(chapter, base=replace(chapter.base, data=replace(chapter.base.data, features="counts")))
    return (Lesson("text_chapter", chapter), Lesson("text_negation", counts))


# -- the optimizer page's 2-D surfaces --------------------------------------------------------------
# Deterministic paths (ffnviz/train/trajectory.py); tests/unit/test_lessons.py walks each.
# Ravine at κ = 100: SGD at 1.8 (its rate must stay under 2, the steep direction's limit) is at a
# loss of 2e-4 after 200 steps; momentum with the rate and μ that theory gives for κ = 100,
# η = (2 / (1 + 1/√κ))² ≈ 3.3 and μ = ((√κ − 1)/(√κ + 1))² ≈ 0.67, is at 3e-33.
# Saddle x² − y² from a hair off the ridge (the surface's start, y = 0.01): |y| passes 1 after 233
# steps for SGD 0.01, 49 for momentum 0.01, 43 for Adam 0.02.
SURFACE_LESSONS = (
    Lesson("surf_ravine100", PathsSpec("ravine", 100.0, None, 200,
                                       (OptimSpec("sgd", 1.8), OptimSpec("momentum", 3.3, (("momentum", 0.67),))))),
    Lesson("surf_saddle", PathsSpec("saddle", 10.0, None, 300,
                                    (OptimSpec("sgd", 0.01), OptimSpec("momentum", 0.01), OptimSpec("adam", 0.02)))),
    # Rastrigin from its start (3.2, −2.7): SGD 0.002, Adam 0.05 and Adam 0.5 all settle in the
    # local minimum next to the start, near (2.98, −2.98), f ≈ 17.9, after 500 steps.
    Lesson("surf_rastrigin", PathsSpec("rastrigin", 10.0, None, 500,
                                       (OptimSpec("sgd", 0.002), OptimSpec("adam", 0.05), OptimSpec("adam", 0.5)))),
)


# -- the optimizer page's race -----------------------------------------------------------------------
# The page's opening race (SGD 0.03, momentum 0.03, Adam 0.01 on the spiral, 2-8-8-8-1 tanh) with
# training seeds 0, 1, 2: each contestant a band from its worst to its best seed.
# tests/unit/test_lessons.py trains it; benchmarks/bench_lessons.py measures seeds 0-4
# (docs/PERFORMANCE.md, "Lessons"). After 2,000 updates: Adam 0.81 / 0.76 / 0.90 test accuracy,
# momentum 0.81 / 0.78 / 0.64: seed 1 alone puts momentum ahead, seed 2 alone puts Adam 0.26 ahead.
RACE_LESSONS = (
    Lesson("race_seeds", RaceSpec(seeds=(0, 1, 2))),
)
