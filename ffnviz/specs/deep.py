"""The deep-networks page's run: a plain MLP of 1-30 equal hidden layers, with the choices that
decide whether a deep network trains at all (initialization for the activation, normalization,
residual connections, dropout), the optimizer, a learning-rate schedule over a step budget and
early stopping.

DeepRunSpec = DeepDataSpec + DeepModelSpec + OptimSpec + RegSpec + TrainSpec + ScheduleSpec +
StopSpec. Its flat form is "<section>.<field>" as the playground's. What no section can see alone
is checked by the whole (`problems`): the server's cap on parameters × batch, BatchNorm with a
batch of one, a schedule that makes no sense over the run's budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ffnviz import limits
from ffnviz.specs.checks import Problems, Section, check_bool, check_choice, check_range, nested
from ffnviz.specs.flat import Flat, section_from_flat, section_to_flat
from ffnviz.specs.run import ACTIVATIONS, CLASSIFICATION_DATASETS, MULTICLASS_DATASETS, DataSpec, OptimSpec, RegSpec, TrainSpec
from ffnviz.specs.schedule import ScheduleSpec, StopSpec, cycles_momentum, schedule_problems

DIGITS = "digits"  # scikit-learn's 8 × 8 handwritten digits, 64 inputs, 10 classes
DIGIT_INPUTS, DIGIT_CLASSES = 64, 10
DEEP_DATASETS = (*CLASSIFICATION_DATASETS, DIGITS)
# default: nn.Linear's own; normal: N(0, σ); constant: every weight σ. xavier, he and orthogonal
# scale by the activation's gain (ffnviz/nn/deep.py).
DEEP_INITS = ("default", "zeros", "constant", "normal", "xavier", "he", "orthogonal")
NORMS = ("none", "batch", "layer", "rms")


@dataclass(frozen=True)
class DeepDataSpec(Section):
    """One of the playground's classification sets (with its input features) or the digits. The
    playground's fields mean what they mean there; the digits use only train_fraction and seed."""

    dataset: str = "spiral"
    n_points: int = 1000
    noise: float = 0.1
    train_fraction: float = 0.5
    n_classes: int = 2
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")

    def toy(self) -> DataSpec:
        """The playground's data spec of a 2-D set (the digits: checked as a circle's fields)."""
        dataset = "circle" if self.dataset == DIGITS else self.dataset
        n_classes = 2 if self.dataset == DIGITS else self.n_classes
        return DataSpec(dataset=dataset, n_points=self.n_points, noise=self.noise, train_fraction=self.train_fraction,
                        n_classes=n_classes, seed=self.seed, features=self.features)

    @property
    def inputs(self) -> int:
        return DIGIT_INPUTS if self.dataset == DIGITS else len(self.features)

    @property
    def outputs(self) -> int:
        """Output units: one logit for two classes, else one per class."""
        classes = DIGIT_CLASSES if self.dataset == DIGITS else self.n_classes
        return 1 if classes == 2 else classes

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "dataset", self.dataset, DEEP_DATASETS)
        if self.dataset == DIGITS and self.n_classes != 2:
            p.append(("n_classes", f"n_classes must be 2 (unused) for the digits, which have 10, got {self.n_classes}"))
        if not p:
            p.extend(self.toy().problems())
        return p

    def __post_init__(self):
        if isinstance(self.features, tuple):  # one canonical order, as DataSpec's
            object.__setattr__(self, "features", DataSpec(features=self.features).features)

    def link_changes(self, changes: dict[str, Any]) -> dict[str, Any]:
        changes = dict(changes)
        if changes.get("dataset") == DIGITS or (changes.get("dataset", self.dataset) not in MULTICLASS_DATASETS
                                                and "n_classes" not in changes):
            changes.setdefault("n_classes", 2)
        return super().link_changes(changes)


@dataclass(frozen=True)
class DeepModelSpec(Section):
    depth: int = 10  # hidden layers, each `width` units
    width: int = 32
    activation: str = "relu"
    init: str = "he"
    init_scale: float = 0.01  # σ of "normal", the value of "constant"
    norm: str = "none"  # before the activation: f(norm(Wx + b))
    residual: bool = False  # h + f(norm(Wh + b)) wherever the sizes match (every layer after the first)
    dropout: float = 0.0

    def problems(self) -> Problems:
        p: Problems = []
        check_range(p, "depth", self.depth, limits.DEEP_DEPTH, integer=True)
        check_range(p, "width", self.width, limits.DEEP_WIDTH, integer=True)
        check_choice(p, "activation", self.activation, ACTIVATIONS)
        check_choice(p, "init", self.init, DEEP_INITS)
        check_range(p, "init_scale", self.init_scale, limits.INIT_SCALE)
        check_choice(p, "norm", self.norm, NORMS)
        check_bool(p, "residual", self.residual)
        check_range(p, "dropout", self.dropout, limits.DEEP_DROPOUT)
        return p

    def parameters(self, inputs: int, outputs: int) -> int:
        """Trainable numbers: weights and biases of every linear layer, and the norm's scales (and
        BatchNorm's and LayerNorm's shifts)."""
        w = self.width
        linear = inputs * w + w + (self.depth - 1) * (w * w + w) + w * outputs + outputs
        per_norm = {"none": 0, "batch": 2 * w, "layer": 2 * w, "rms": w}[self.norm]
        return linear + self.depth * per_norm


SECTIONS = ("data", "model", "optim", "reg", "train", "schedule", "stop")


@dataclass(frozen=True)
class DeepRunSpec(Section):
    data: DeepDataSpec = field(default_factory=DeepDataSpec)
    model: DeepModelSpec = field(default_factory=DeepModelSpec)
    optim: OptimSpec = field(default_factory=lambda: OptimSpec("adam", 0.003))
    reg: RegSpec = field(default_factory=RegSpec)
    train: TrainSpec = field(default_factory=lambda: TrainSpec(batch_size=32, max_updates=3000))
    schedule: ScheduleSpec = field(default_factory=ScheduleSpec)
    stop: StopSpec = field(default_factory=StopSpec)

    @property
    def parameters(self) -> int:
        return self.model.parameters(self.data.inputs, self.data.outputs)

    def problems(self) -> Problems:
        p = [q for name in SECTIONS for q in nested(name, getattr(self, name).problems())]
        if p:
            return p
        work = self.parameters * self.train.batch_size
        if work > limits.DEEP_WORK:
            p.append(("train.batch_size", f"{self.model.depth} layers × {self.model.width} units have "
                                          f"{self.parameters:,} parameters; × batch {self.train.batch_size} that is "
                                          f"{work:,}, over the server's cap of {limits.DEEP_WORK:,} (parameters × "
                                          "batch): a class shares this server, so make the network shallower or "
                                          "narrower, or the batch smaller"))
        if self.model.norm == "batch" and self.train.batch_size < 2:
            p.append(("train.batch_size", "BatchNorm normalizes each unit over the batch: with a batch of 1 the "
                                          "batch's mean is the example itself, every normalized value is 0 and "
                                          "nothing is learned. Use a batch of 2 or more, or LayerNorm/RMSNorm, "
                                          "which normalize within one example"))
        p.extend(schedule_problems(self.schedule, self.train.max_updates))
        return p

    def momentum_note(self) -> bool:
        """One-cycle asked for with an optimizer that has no momentum or β₁: the schedule runs,
        without momentum cycling, and the page says so."""
        return self.schedule.kind == "onecycle" and not cycles_momentum(self.optim.name)


def deep_to_flat(spec: DeepRunSpec) -> Flat:
    return {k: v for name in SECTIONS for k, v in section_to_flat(f"{name}.", getattr(spec, name)).items()}


def deep_from_flat(flat: Flat, base: DeepRunSpec | None = None) -> tuple[DeepRunSpec, list[str]]:
    """Read a run from query parameters. Never raises: a bad value keeps the base's with a
    message; a whole that does not fit (over the cap, BatchNorm with batch 1, a warm-up longer
    than the run) keeps the base's run, with the reason."""
    base = base or DeepRunSpec()
    errors: list[str] = []
    spec = DeepRunSpec(**{name: section_from_flat(flat, f"{name}.", getattr(base, name), errors) for name in SECTIONS})
    found = spec.problems()
    if found:
        errors.append(f"{found[0][0]}: {found[0][1]}; kept the run as it was")
        spec = base if not base.problems() else DeepRunSpec()
    return spec, errors


def with_budget(spec: DeepRunSpec, updates: int) -> DeepRunSpec:
    return replace(spec, train=replace(spec.train, max_updates=updates))
