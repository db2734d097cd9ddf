"""Every size and range cap in one place.

Specs validate against these, widgets read their ranges from them, and URL values are
checked the same way, so a cap changes in exactly one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    lo: float
    hi: float

    def contains(self, value: float) -> bool:
        return self.lo <= value <= self.hi

    def clamp(self, value: float) -> float:
        """The nearest value inside (a whole number stays one when the ends are)."""
        return min(max(value, self.lo), self.hi)

    def __str__(self) -> str:
        return f"{self.lo:g}..{self.hi:g}"


# Data
N_POINTS = Range(50, 2000)
NOISE = Range(0.0, 0.5)  # fraction of the data's scale, Playground's 0-50 %
TRAIN_FRACTION = Range(0.1, 0.9)
N_CLASSES = Range(2, 5)
DATA_SEED = Range(0, 2**31 - 1)

# Uploaded CSV files (ffnviz/data/upload.py)
UPLOAD_BYTES = 1_000_000  # a bigger file is refused before it is parsed
UPLOAD_ROWS = Range(10, N_POINTS.hi)  # usable rows after dropping bad ones; the cap is N_POINTS'
UPLOAD_MAX_DROPPED = 0.1  # refuse a file when more than this fraction of its rows has NaN/inf

# Model
HIDDEN_LAYERS = Range(0, 8)
UNITS = Range(1, 64)
DROPOUT = Range(0.0, 0.9)

# Optimization
LEARNING_RATE = Range(1e-5, 10.0)
REG_RATE = Range(0.0, 1.0)
BATCH_SIZE = Range(1, N_POINTS.hi)
MAX_UPDATES = Range(1, 5_000_000)
SEED = Range(0, 2**31 - 1)

def _setting(name: str, default: int, rng: Range) -> int:
    """A whole-number setting from the environment (a server's caps), `default` when unset."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError as e:
        raise ValueError(f"{name} must be a whole number, got {text!r}") from e
    if not rng.contains(value):
        raise ValueError(f"{name} must be in {rng}, got {value}")
    return value


# Live training
# Server-wide: models being trained at once, across all sessions; past it a run waits its turn. A class
# of 30 on the playground trains at once (each gets an equal share, ffnviz/turns.py); 30 optimizer
# races of six models do not, and the later ones wait.
MAX_MODELS_TRAINING = _setting("FFNVIZ_MAX_MODELS", 64, Range(1, 100_000))
# Per browser session (a tab): models its runs train at once. One student cannot take the class's
# share by starting races on several pages; past it, the student's own next run waits (not the
# class's line) until one of theirs pauses. The default fits the largest race and a few runs beside it.
MAX_SESSION_MODELS = _setting("FFNVIZ_MAX_SESSION_MODELS", 20, Range(1, 100_000))
HISTORY_POINTS = 2000  # metrics history is thinned to stay under this many points
CHART_POINTS = 400  # a curve on a chart: at most this many of them (every live refresh sends them)
DECISION_GRID = 60  # the decision map is the model evaluated on this many × this many points of the plane
PROBE_BATCH = 256  # examples on which activations and gradients are probed
HISTOGRAM_BINS = 30
NEURON_MAP_RESOLUTION = 24  # each neuron's map over the input plane: a small picture, many of them
PROBE_HISTORY_POINTS = 300  # probes kept over time (thinned by halves beyond)
WORKERS = Range(0, 64)  # FFNVIZ_WORKERS: training processes (ffnviz/train/pool.py); 0: threads of the server
IDLE_PAUSE_S = 120.0  # a running model with no one polling for this long pauses itself

# Optimizer race on 2-D loss surfaces (ffnviz/surfaces.py, ffnviz/train/trajectory.py)
RAVINE_CONDITION = Range(1.0, 1000.0)  # the ravine's eigenvalue ratio
STEPS_2D = Range(1, 1000)
MAX_OPTIMIZERS_2D = 6


def log_choices(rng: Range, mantissas: tuple[float, ...] = (1.0, 3.0)) -> list[float]:
    """1-3-10 steps inside `rng`, for log-scale sliders (learning rate, regularization rate)."""
    import math

    out = []
    for exponent in range(math.floor(math.log10(max(rng.lo, 1e-12))), math.ceil(math.log10(rng.hi)) + 1):
        for m in mantissas:
            value = float(f"{m}e{exponent}")
            if rng.lo <= value <= rng.hi:
                out.append(value)
    return out


# Learning-rate sweep (ffnviz/train/sweep.py): one short run per optimizer × learning rate × seed
SWEEP_POINTS = Range(3, 25)  # learning rates on the log grid
SWEEP_UPDATES = Range(1, 20_000)  # updates per run
SWEEP_SEEDS = Range(1, 5)  # seeds per point (the chart shows their median)
SWEEP_OPTIMIZERS = Range(1, 6)  # optimizer settings compared in one sweep: one chart of lines stays readable
# Updates in the whole sweep (updates × optimizers × learning rates × seeds). At ~0.3 ms an
# update (the default net, one CPU thread) this is ~2.5 minutes of one core; the largest
# net is about three times slower. Beyond it the page asks for fewer updates or points.
SWEEP_WORK = 500_000

# Optimizer race
RACE_CONTESTANTS = Range(2, 8)  # contestants in one race
RACE_SEEDS = Range(1, 5)  # training seeds per contestant; a race trains contestants × seeds models
RACE_MODELS = 16  # contestants × seeds at most: a race must fit in the server-wide cap alone
RACE_TARGET = Range(0.0, 1.0)  # the test accuracy whose first crossing the race reports
# A race of sequence models may be of one model: the self-attention page trains one (or two side by side)
SEQ_RACE_CONTESTANTS = Range(1, RACE_CONTESTANTS.hi)

# Sequence tasks (ffnviz/data/sequences.py): the synthetic tasks of the gated-layers and
# self-attention pages. A sequence is at most SEQ_LENGTH.hi steps, so that one batch of
# the largest set still trains in a live page's chunk on one CPU thread.
SEQ_LENGTH = Range(2, 100)  # T, steps per sequence
SEQ_VOCAB = Range(2, 32)  # distinct tokens (parity's tokens are bits whatever this says)
SEQ_COUNT = Range(100, 20_000)  # sequences in train + test
# copy_offset's lag; a spec also caps it at its own length - 1, or no target would be left.
SEQ_OFFSET = Range(1, SEQ_LENGTH.hi - 1)

# Gated layers (ffnviz/nn/ffn_block.py, ffnviz/nn/recurrent.py)
FFN_WIDTH = Range(1, 512)  # d, the model width a feedforward block maps back to
FFN_HIDDEN = Range(1, 2048)  # h, its hidden size (a Transformer's is usually 4d)
RNN_HIDDEN = Range(1, 256)  # a recurrent layer's hidden size (and the embedding's)
FORGET_BIAS = Range(0.0, 5.0)  # an LSTM's forget-gate bias at the start (0: torch's own draw)
UPDATE_BIAS = Range(0.0, 5.0)  # a GRU's update-gate bias at the start (0: torch's own draw)
GATE_NEAR_ZERO = 0.05  # |value| below this counts as "near 0" in a gate's sparsity
# The gated-layers page's widgets: inside the engine's ranges above, small enough that both of
# its races (up to 6 FFN variants, 3 recurrent networks) train live side by side.
GATED_LENGTH = Range(SEQ_LENGTH.lo, 60)
GATED_VOCAB = Range(SEQ_VOCAB.lo, 16)
GATED_BATCH = Range(1, 256)  # sequences per update; inside BATCH_SIZE, which TrainSpec checks

# What a sequence race's snapshot shows of its models' gates (ffnviz/train/race_extras.py).
# Measured on every publication (4 a second), so the probe stays small.
GATE_PROBE = 64  # the first test sequences: the fixed probe batch of gates and input gradients
GATE_EXAMPLES = 8  # probe examples kept whole for the time × unit heatmaps of recurrent gates
GATE_FFN_RANGE = 3.0  # an FFN gate's histogram covers [-this, this]; values beyond go to the end bins
LENGTH_PROBES = (5, 10, 20, 50)  # other sequence lengths a recurrent model is tested on
LENGTH_PROBE_COUNT = 200  # sequences in each of those test sets

# Self-attention (ffnviz/nn/attention.py)
ATTN_LAYERS = Range(1, 3)  # encoder layers of the tiny Transformer
ATTN_HEADS = Range(1, 4)  # heads per attention layer (d must be a multiple)
ATTN_D_MODEL = Range(16, 64)  # d, the model width
ATTN_DROPOUT = Range(0.0, 0.5)
# The self-attention page's sequences: short, so that every map is readable and a layer × head
# grid of them is measured four times a second.
ATTN_LENGTH = Range(4, 16)
ATTN_VOCAB = Range(2, 16)  # tokens are shown as the letters A..P

# Convolution (ffnviz/data/images.py, ffnviz/nn/cnn.py)
IMAGE_COUNT = Range(100, 5000)  # generated shapes images, train + test (digits has its 1,797)
IMAGE_SIZE = Range(12, 24)  # a shapes image's side in pixels; half of it must hold a shape
IMAGE_NOISE = Range(0.0, 0.5)  # std of the Gaussian pixel noise on shapes (pixels are in [0, 1])
CONV_LAYERS = Range(1, 3)
CONV_CHANNELS = Range(1, 16)  # a conv layer's output channels (feature maps)
CONV_KERNEL = Range(1, 7)  # a square kernel's side
CONV_STRIDE = Range(1, 3)
CONV_PADDING = Range(0, 3)  # zeros around the input, on each side
# The one-hidden-layer MLP baseline's width: wide enough for the parameter count of the largest
# CNN these caps allow on digits (kernel 1, padding 3 grows every map; ~1,450 units).
CONV_MLP_HIDDEN = Range(1, 2048)

# Text classification (ffnviz/data/corpus.py, ffnviz/data/tokenize.py)
TEXT_LANGUAGES = ("en", "zh")  # the shipped corpora, sample_data/text/<language>.csv
TEXT_LABELS = ("sentiment", "topic")  # what a model can be asked to predict
# A vectorizer's max_features, the vocabulary cap; the shipped corpora have about 2,700 English
# words, 1,550 Chinese characters and 10,400 Chinese bigrams, so the top keeps every token.
TEXT_VOCABULARY = Range(10, 20_000)
TEXT_TEST_FRACTION = Range(0.1, 0.5)  # of the corpus held out, stratified by the label
TEXT_SEED = Range(0, 2**31 - 1)  # the train/test split's seed
TEXT_MAX_DUPLICATE_RATE = 0.05  # sentences that repeat another once sentiment words are masked
# An uploaded CSV of texts (ffnviz/data/text_upload.py)
TEXT_UPLOAD_BYTES = 1_000_000
TEXT_UPLOAD_ROWS = Range(20, 5000)  # usable rows (a text and a label)
TEXT_CLASSES = Range(2, 10)
# The text classifiers (ffnviz/nn/text_models.py): the attention-pooling model reads at most
# TEXT_MAX_TOKENS tokens of a text (the shipped sentences have at most ~40).
TEXT_MAX_TOKENS = 64
TEXT_HIDDEN = Range(1, 512)  # the feedforward classifier's hidden layer
TEXT_EMBED = Range(4, 128)  # the attention-pooling model's embedding size
TEXT_EPOCHS = Range(1, 500)
TEXT_TOP_WORDS = 2000  # words whose effect on each class is measured (the most frequent in training)
TEXT_WRONG_SHOWN = 30  # misclassified test texts a snapshot lists

# The convolution page trains one CNN, and beside it, when asked, its MLP baseline: one seed.
CONV_RACE_SEEDS = Range(1, 1)
# What a convolution race's snapshot shows (ffnviz/train/conv_extras.py), measured 4 times a second.
CONV_MISCLASSIFIED = 24  # the first misclassified test images kept for the gallery

# The learning-rate sliders' steps (1-3-10 on a log scale), on every page.
LEARNING_RATES = log_choices(LEARNING_RATE)


def next_seed(seed: int, rng: Range = SEED) -> int:
    """The seed after `seed` ("New weights", "regenerate data"): one more, back to the first past the end."""
    return int(seed) + 1 if int(seed) < rng.hi else int(rng.lo)

# Deep networks (ffnviz/specs/deep.py, ffnviz/nn/deep.py)
DEEP_DEPTH = Range(1, 30)  # hidden layers
DEEP_WIDTH = Range(8, 256)  # units in every hidden layer
INIT_SCALE = Range(1e-4, 10.0)  # σ of N(0, σ), or the constant of "constant"
# A class shares one server: parameters × batch size bounds the work of one update (~6 flops per
# parameter per example, forward and backward). 2·10⁷ is ~10 ms an update on one CPU thread:
# 30 layers × 64 units at batch 128, or 30 × 256 at batch 10.
DEEP_WORK = _setting("FFNVIZ_MAX_WORK", 20_000_000, Range(1_000, 10**12))
DEEP_DROPOUT = Range(0.0, 0.5)

# Learning-rate schedules and early stopping (ffnviz/specs/schedule.py), in the shared engine
SCHEDULE_STEP = Range(1, MAX_UPDATES.hi)  # "step": updates between two cuts
SCHEDULE_GAMMA = Range(0.01, 1.0)  # "step": the factor at each cut
WARMUP = Range(0, MAX_UPDATES.hi)  # "warmup_cosine": updates of linear warm-up
# The step budget's choices where a page shows it beside the schedule (the playground, attention)
SCHEDULE_BUDGETS = (100, 200, 300, 500, 600, 1000, 2000, 3000, 5000, 10_000, 20_000, 50_000, 100_000)
VALIDATION_FRACTION = Range(0.05, 0.5)  # of the training data, held out to choose on
PATIENCE = Range(1, 500)  # epochs without a better validation loss before stopping
# Gradient alerts (ffnviz/train/deep_probes.py): the first layer's gradient norm against the last's,
# over the last ALERT_WINDOW publications (about a second of training).
VANISH_RATIO = 1e-3
EXPLODE_RATIO = 1e3
EXPLODE_NORM = 1e3  # a gradient norm this big in any layer
ALERT_WINDOW = 4
# The deep page measures its per-layer pictures at most this often while a run trains (its
# per-layer charts redraw once a second); a paused or stepped run is measured at once.
DEEP_PROBE_INTERVAL_S = 1.0

# Class mode (ffnviz/store, pages/classroom.py)
CLASS_STUDENTS = 100  # students in one class
CLASS_HOURS = 8.0  # a class expires this long after it started; its names go then
PIN_ATTEMPTS = 5  # wrong teacher PINs per class ...
PIN_WINDOW_S = 600.0  # ... within this many seconds, then the class refuses PINs until the window ends
REPORT_INTERVAL_S = 3.0  # a run in a class reports this often
REPORT_MIN_INTERVAL_S = 1.5  # a student's posts closer together than this are refused (throttle)
REPORT_CURVE_POINTS = 60  # a report's loss curve is thinned to this many points
TILE_PX = 40  # a report's picture: TILE_PX × TILE_PX RGB
RUN_FILE_BYTES = 2_000_000  # a saved-run file bigger than this is refused before it is read
