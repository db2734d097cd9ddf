"""A run of the playground's network, fully described: frozen dataclasses that validate, and
round-trip through a dict (JSON) and a flat query-string form (the page URL).

Same spec + same seed = same numbers. Widgets produce specs; builders turn specs into data,
models and optimizers.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ffnviz import limits
from ffnviz.limits import Range
from ffnviz.specs.checks import Problems, Section, check_choice, check_range, nested
from ffnviz.specs.flat import Flat, section_from_flat, section_to_flat
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.specs.schedule import ScheduleSpec, schedule_problems

PROBLEMS = ("classification", "regression")
CLASSIFICATION_DATASETS = ("circle", "xor", "gauss", "spiral", "moons", "blobs")
REGRESSION_DATASETS = ("plane", "multigauss")
UPLOAD = "upload"  # a CSV file the user uploaded: either problem, see ffnviz/data/upload.py
DATASETS = (*CLASSIFICATION_DATASETS, *REGRESSION_DATASETS, UPLOAD)
MULTICLASS_DATASETS = ("spiral", "blobs", UPLOAD)
ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu", "silu", "mish", "softplus", "tanh", "sigmoid", "linear")
INITS = ("default", "xavier", "he", "playground", "zeros")
REGULARIZERS = ("none", "l1", "l2", "weight_decay")
DEVICES = ("auto", "cpu", "cuda")
FEATURES = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sin_x1", "sin_x2")  # see ffnviz/data/features.py

@dataclass(frozen=True)
class DataSpec(Section):
    dataset: str = "circle"
    n_points: int = 500
    noise: float = 0.0
    train_fraction: float = 0.5
    n_classes: int = 2
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")  # what the network sees of a point, see FEATURES
    problem: str = "classification"  # or "regression": one of PROBLEMS
    # The uploaded file's content digest (Upload.digest) when dataset == "upload", else "":
    # another file is other data, so the spec differs and a run rebuilds.
    upload: str = ""

    def __post_init__(self):
        # One canonical order (FEATURES'), so equal choices make equal specs and round-trip.
        if isinstance(self.features, tuple) and all(f in FEATURES for f in self.features):
            object.__setattr__(self, "features", tuple(f for f in FEATURES if f in self.features))

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "problem", self.problem, PROBLEMS)
        check_choice(p, "dataset", self.dataset, DATASETS)
        if not p:
            _check_problem_fits(p, self.dataset, self.problem)
        if not isinstance(self.features, tuple) or not self.features:
            p.append(("features", f"features must name at least one of {', '.join(FEATURES)}, got {self.features!r}"))
        else:
            for name in self.features:
                check_choice(p, "features", name, FEATURES)
        # An upload has as many points as its file has usable rows, which may be fewer than a
        # generated set's minimum.
        n_points = limits.UPLOAD_ROWS if self.dataset == UPLOAD else limits.N_POINTS
        check_range(p, "n_points", self.n_points, n_points, integer=True)
        check_range(p, "noise", self.noise, limits.NOISE)
        check_range(p, "train_fraction", self.train_fraction, limits.TRAIN_FRACTION)
        check_range(p, "n_classes", self.n_classes, limits.N_CLASSES, integer=True)
        if not p and self.problem == "regression" and self.n_classes != 2:
            # Regression has no classes; one value keeps equal runs equal specs.
            p.append(("n_classes", f"n_classes must be 2 (unused) for regression, got {self.n_classes}"))
        elif not p and self.n_classes > 2 and self.dataset not in MULTICLASS_DATASETS:
            p.append(("n_classes", f"n_classes must be 2 for {self.dataset}; {limits.N_CLASSES} classes need "
                                   f"one of {', '.join(MULTICLASS_DATASETS)}, got {self.n_classes}"))
        check_range(p, "seed", self.seed, limits.DATA_SEED, integer=True)
        _check_upload(p, self.dataset, self.upload)
        return p

    def link_changes(self, changes: dict[str, Any]) -> dict[str, Any]:
        """A link that names only the data set or only the problem means the pair that fits:
        `data.dataset=plane` is a regression, `data.problem=regression` on a classification set
        switches to the first regression set. A link naming both as a misfit is reported."""
        changes = dict(changes)
        dataset, problem = changes.get("dataset"), changes.get("problem")
        if problem is None and dataset in REGRESSION_DATASETS:
            changes["problem"] = "regression"
        elif problem is None and dataset in CLASSIFICATION_DATASETS:
            changes["problem"] = "classification"
        elif dataset is None and problem in PROBLEMS and self.dataset != UPLOAD:
            allowed = CLASSIFICATION_DATASETS if problem == "classification" else REGRESSION_DATASETS
            if self.dataset not in allowed:
                changes["dataset"] = allowed[0]
        if changes.get("problem", self.problem) == "regression" and "n_classes" not in changes and self.n_classes != 2:
            changes["n_classes"] = 2  # regression has no classes: the base's k goes
        return super().link_changes(changes)


def _check_problem_fits(problems: Problems, dataset: str, problem: str) -> None:
    allowed = CLASSIFICATION_DATASETS if problem == "classification" else REGRESSION_DATASETS
    if dataset not in (*allowed, UPLOAD):
        problems.append(("dataset", f"dataset {dataset!r} does not fit a {problem} problem; "
                                    f"it needs one of {', '.join((*allowed, UPLOAD))}"))


def _check_upload(problems: Problems, dataset: str, digest: Any) -> None:
    """An upload names its file by digest (12 lowercase hex digits); other data sets name none,
    so that one data set has one spec."""
    if dataset == UPLOAD:
        ok = isinstance(digest, str) and len(digest) == 12 and all(c in "0123456789abcdef" for c in digest)
        if not ok:
            problems.append(("upload", f"upload must be the file's digest (12 hex digits), got {digest!r}"))
    elif digest != "":
        problems.append(("upload", f"upload must be empty unless dataset is {UPLOAD}, got {digest!r}"))


@dataclass(frozen=True)
class ModelSpec(Section):
    hidden: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    layer_activations: tuple[str, ...] = ()  # one per hidden layer; empty: `activation` for all
    init: str = "playground"
    dropout: float = 0.0

    def activation_of(self, layer: int) -> str:
        return self.layer_activations[layer] if self.layer_activations else self.activation

    def problems(self) -> Problems:
        p: Problems = []
        if not isinstance(self.hidden, tuple) or not limits.HIDDEN_LAYERS.contains(len(self.hidden)):
            p.append(("hidden", f"hidden must list {limits.HIDDEN_LAYERS} layer sizes, got {self.hidden!r}"))
        else:
            for units in self.hidden:
                check_range(p, "hidden", units, limits.UNITS, integer=True)
        check_choice(p, "activation", self.activation, ACTIVATIONS)
        if self.layer_activations:
            if not isinstance(self.layer_activations, tuple) or len(self.layer_activations) != len(self.hidden):
                p.append(("layer_activations", "layer_activations needs one activation per hidden layer"))
            else:
                for name in self.layer_activations:
                    check_choice(p, "layer_activations", name, ACTIVATIONS)
        check_choice(p, "init", self.init, INITS)
        check_range(p, "dropout", self.dropout, limits.DROPOUT)
        return p


@dataclass(frozen=True)
class OptimSpec(Section):
    name: str = "sgd"
    lr: float = 0.03
    hyper: tuple[tuple[str, float], ...] = ()  # overrides of the registry's defaults

    def __post_init__(self):
        # One canonical order (by name), so equal overrides make equal specs and a spec
        # round-trips through a dict or a URL, whose hyperparameters come back sorted.
        if isinstance(self.hyper, tuple):
            with contextlib.suppress(TypeError, IndexError, KeyError):  # malformed: problems() says so
                object.__setattr__(self, "hyper", tuple(sorted(self.hyper, key=lambda kv: kv[0])))

    def hyper_values(self) -> dict[str, float]:
        """Every hyperparameter of this optimizer: the registry's defaults, then the overrides."""
        values = {h.name: h.default for h in OPTIMIZERS[self.name].hypers}
        values.update(dict(self.hyper))
        return values

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "name", self.name, tuple(OPTIMIZERS))
        check_range(p, "lr", self.lr, limits.LEARNING_RATE)
        if not p:
            known = {h.name: h for h in OPTIMIZERS[self.name].hypers}
            for key, value in self.hyper:
                if key not in known:
                    p.append(("hyper", f"hyper.{key}: {self.name} has no hyperparameter {key!r} "
                                       f"(it has {', '.join(known) or 'none'})"))
                else:
                    # Named hyper.<key>, as in the URL, but reported against the field "hyper".
                    found: Problems = []
                    check_range(found, f"hyper.{key}", value, Range(known[key].lo, known[key].hi))
                    p.extend(("hyper", message) for _, message in found)
        return p

    def link_changes(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Another optimizer in a link: the old one's overrides go, and only the link's own
        apply. (An unknown name is refused later, and the overrides stay with the base's.)"""
        changes = dict(changes)
        name = changes.get("name", self.name)
        if name != self.name and name in OPTIMIZERS:
            changes["hyper"] = tuple(sorted(changes.get("hyper", {}).items()))
        return super().link_changes(changes)


@dataclass(frozen=True)
class RegSpec(Section):
    kind: str = "none"
    rate: float = 0.0

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "kind", self.kind, REGULARIZERS)
        check_range(p, "rate", self.rate, limits.REG_RATE)
        return p


@dataclass(frozen=True)
class TrainSpec(Section):
    seed: int = 0
    batch_size: int = 10
    max_updates: int = 250_000
    device: str = "auto"

    def problems(self) -> Problems:
        p: Problems = []
        check_range(p, "seed", self.seed, limits.SEED, integer=True)
        check_range(p, "batch_size", self.batch_size, limits.BATCH_SIZE, integer=True)
        check_range(p, "max_updates", self.max_updates, limits.MAX_UPDATES, integer=True)
        check_choice(p, "device", self.device, DEVICES)
        return p


@dataclass(frozen=True)
class RunSpec(Section):
    data: DataSpec = field(default_factory=DataSpec)
    model: ModelSpec = field(default_factory=ModelSpec)
    optim: OptimSpec = field(default_factory=OptimSpec)
    reg: RegSpec = field(default_factory=RegSpec)
    train: TrainSpec = field(default_factory=TrainSpec)
    # The learning rate over the step budget train.max_updates (constant: the playground as it
    # always was); link version 4 on.
    schedule: ScheduleSpec = field(default_factory=ScheduleSpec)

    def problems(self) -> Problems:
        p = [p for name in SECTIONS for p in nested(name, getattr(self, name).problems())]
        return p or schedule_problems(self.schedule, self.train.max_updates)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {name: section_to_dict(getattr(self, name)) for name in SECTIONS}

    @classmethod
    def from_dict(cls, d: dict[str, dict[str, Any]]) -> RunSpec:
        return cls(**{name: section_from_dict(SECTIONS[name], d.get(name, {})) for name in SECTIONS})



# What the playground opens with: TensorFlow Playground's problem (the circle, 2-4-2-1 tanh,
# batch 10) with the learning rate and initialization that solve it soonest. At Playground's own
# settings (SGD 0.03, weights uniform in ±0.5) the circle needs a median of 117 epochs to 95 % test
# accuracy over training seeds 0-4; with Xavier/Glorot initialization and SGD 0.3, 7 [5-9]; the
# same change solves XOR, moons and the Gaussians in 1-26 epochs, and the spiral from x₁, x₂ alone
# still takes work (benchmarks/bench_first_seconds.py, docs/PERFORMANCE.md "The first seconds").
# The loss stays cross-entropy: the change is the step size and the starting weights, not the
# problem. RunSpec() keeps Playground's settings: the engine's golden numbers and older links
# are made of them.
PLAYGROUND_DEFAULT = RunSpec(model=ModelSpec(init="xavier"), optim=OptimSpec("sgd", 0.3))

SECTIONS: dict[str, type] = {
    "data": DataSpec,
    "model": ModelSpec,
    "optim": OptimSpec,
    "reg": RegSpec,
    "train": TrainSpec,
    "schedule": ScheduleSpec,
}


def section_to_dict(section) -> dict[str, Any]:
    out = {}
    for f in fields(section):
        value = getattr(section, f.name)
        if f.name == "hyper":
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def section_from_dict(cls: type, d: dict[str, Any]):
    kwargs = {}
    for f in fields(cls):
        if f.name not in d:
            continue
        value = d[f.name]
        if f.name == "hyper":
            value = tuple(sorted(dict(value).items()))
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def to_flat(spec: RunSpec) -> Flat:
    """Every field as a string, keyed "section.field" ("optim.hyper.<key>" per override)."""
    return {k: v for name in SECTIONS for k, v in section_to_flat(f"{name}.", getattr(spec, name)).items()}


def from_flat(flat: Flat, base: RunSpec | None = None) -> tuple[RunSpec, list[str]]:
    """Read a spec from query parameters. Never raises: a garbage or out-of-range value keeps
    the base value (default: the default spec) and adds a message saying what is allowed."""
    base = base or RunSpec()
    errors: list[str] = []
    sections = {name: section_from_flat(flat, f"{name}.", getattr(base, name), errors) for name in SECTIONS}
    spec = RunSpec(**sections)
    found = schedule_problems(spec.schedule, spec.train.max_updates)
    if found:  # a schedule that does not fit the run's budget (a warm-up longer than the run)
        kept = base.schedule if not schedule_problems(base.schedule, spec.train.max_updates) else ScheduleSpec()
        errors.append(f"{found[0][0]}: {found[0][1]}; kept the schedule {kept.kind}")
        spec = replace(spec, schedule=kept)
    return spec, errors
