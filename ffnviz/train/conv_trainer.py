"""Image classifiers trained by the engine: the convolution page's CNN and its MLP baseline on
digits or shapes.

`ConvTrainer` is a `Trainer` with other data and another model, as `SeqTrainer` is: it overrides
only the set-up hooks, so batches, the optimizer registry, L1/L2 penalties, decoupled decay,
divergence and update counting are the Trainer's code. The loss is the Trainer's own
multi-class cross-entropy (every image set here has more than two classes). Conv kernels and
linear weights are the weights regularization touches; biases are spared.

A CNN and its baseline (`mlp_baseline`) of one training seed see the same batches in the same
order, so their curves differ only by the model: see `ConvTrainer._build_model`. `ConvRaceSpec`
is the page's race of the two (ffnviz.train.race.Race builds ConvTrainers for it), with a flat
URL form (`conv_race_to_flat`, `conv_race_from_flat`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import torch
from sklearn.metrics import confusion_matrix
from torch import nn

from ffnviz import limits
from ffnviz.data.images import ImageDataset, ImageSpec, make_images
from ffnviz.nn.cnn import (
    CNN,
    HEADS,
    ConvLayerSpec,
    ConvModelSpec,
    build_cnn,
    mlp_baseline_hidden,
    parameter_count,
    shape_problems,
)
from ffnviz.race_specs import SectionsRun, race_target_from_flat, section_from_flat, section_to_flat
from ffnviz.run_flat import from_flat, to_flat
from ffnviz.specs import OptimSpec, Problems, RegSpec, RunSpec, TrainSpec, _check_range
from ffnviz.train.trainer import Trainer


@dataclass(frozen=True)
class ConvRunSpec(SectionsRun):
    data: ImageSpec = field(default_factory=ImageSpec)
    model: ConvModelSpec = field(default_factory=ConvModelSpec)
    optim: OptimSpec = field(default_factory=lambda: OptimSpec("adam", 0.01))
    reg: RegSpec = field(default_factory=RegSpec)
    train: TrainSpec = field(default_factory=lambda: TrainSpec(batch_size=32))

    def problems(self) -> Problems:
        p = super().problems()
        # Whether the layers fit the images shows only once both are known (and valid).
        if not p and self.model.kind == "cnn":
            p += [("model.layers", m) for m in shape_problems(self.model, self.data.image_shape)]
        return p

    def parameter_count(self) -> int:
        return parameter_count(self.model, self.data.image_shape, self.data.n_classes)


def mlp_baseline(spec: ConvRunSpec) -> ConvRunSpec:
    """The run of the MLP baseline of a CNN run: the same data, training and seed, one hidden
    layer as wide as makes its parameter count closest to the CNN's."""
    cnn = replace(spec.model, kind="cnn")
    hidden = mlp_baseline_hidden(parameter_count(cnn, spec.data.image_shape, spec.data.n_classes),
                                 math.prod(spec.data.image_shape), spec.data.n_classes)
    return replace(spec, model=replace(spec.model, kind="mlp", mlp_hidden=hidden))


class ConvTrainer(Trainer):
    """One image run, stepped: the Trainer's public surface (step, evaluate, reset, apply_live,
    updates, epoch, ...), plus feature maps, kernels, test predictions, the confusion matrix and
    the misclassified test images."""

    def __init__(self, spec: ConvRunSpec, dataset: ImageDataset | None = None, *, separate_shuffle: bool = False):
        super().__init__(spec, dataset, separate_shuffle=separate_shuffle)

    # -- set-up hooks (see Trainer) -------------------------------------------------------------

    def _make_dataset(self) -> ImageDataset:
        return make_images(self.spec.data)

    def _set_problem(self) -> None:
        if self.dataset.spec != self.spec.data:
            raise ValueError("the data set was made from another ImageSpec than the run's")
        self.problem, self.regression, self.binary = "classification", False, False

    def _load_data(self) -> None:
        d, dev = self.dataset, self.device
        self.x_train = torch.from_numpy(d.x_train).to(dev)
        self.y_train = torch.from_numpy(d.y_train).to(dev)
        self.x_test = torch.from_numpy(d.x_test).to(dev)
        self.y_test = torch.from_numpy(d.y_test).to(dev)
        n = min(limits.PROBE_BATCH, len(self.x_train))
        self.x_probe, self.y_probe = self.x_train[:n], self.y_train[:n]

    def model_inputs(self, points: torch.Tensor) -> torch.Tensor:
        return points  # images go to the model as they are

    def _build_model(self) -> nn.Module:
        # The weights come from a generator of their own, seeded by one draw from the run's
        # generator: a CNN and an MLP draw different numbers of weights, and had they drawn them
        # from the run's generator, their batch orders (drawn after) would differ too. This way
        # every model takes exactly one number from it, and models of one seed shuffle alike.
        seed = int(torch.randint(2**62, (1,), generator=self.generator))
        init = torch.Generator().manual_seed(seed)
        d = self.dataset
        return build_cnn(self.spec.model, d.image_shape, d.n_classes, init)

    def _weights_and_biases(self) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Conv kernels (4-D) and linear weights (2-D) are the weights; biases (1-D) are spared."""
        params = list(self.model.parameters())
        return [p for p in params if p.dim() >= 2], [p for p in params if p.dim() < 2]

    def _restart(self) -> None:
        self._test_predictions: tuple[int, np.ndarray] | None = None  # see _loss_and_accuracy
        super()._restart()

    def predict_grid(self, resolution: int, extent: float) -> np.ndarray:
        raise NotImplementedError("an image model has no input plane")

    @torch.no_grad()
    def _loss_and_accuracy(self, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        """The Trainer's, keeping the test set's predicted classes of the same pass (with the update
        they belong to), so that `predictions()` after `evaluate()` costs no second pass."""
        logits = self.model(x)
        if x is self.x_test:
            self._test_predictions = (self.updates, logits.argmax(1).cpu().numpy())
        return float(self.data_loss(logits, y)), self.accuracy(logits, y)

    # -- reading --------------------------------------------------------------------------------

    def as_images(self, x) -> torch.Tensor:
        """Images x (numpy or torch, (B, 1, H, W)) as the model reads them, on its device."""
        return torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x).to(self.device, torch.float32)

    def feature_maps(self, x) -> list[tuple[str, np.ndarray]]:
        """(name, maps) of every conv and pooling layer for images x ((B, 1, H, W), numpy or
        torch); maps are (B, C, H', W') numpy, named as layer_shapes names them."""
        if not isinstance(self.model, CNN):
            raise ValueError("feature maps are for the cnn kind")
        with self.evaluating():
            maps = self.model.feature_maps(self.as_images(x))
        return [(name, m.cpu().numpy()) for name, m in zip(self.model.names, maps, strict=True)]

    def kernels(self) -> list[np.ndarray]:
        """Each conv layer's kernels as numpy, (out_channels, in_channels, k, k)."""
        if not isinstance(self.model, CNN):
            raise ValueError("kernels are for the cnn kind")
        return [w.detach().cpu().numpy().copy() for w in self.model.kernels()]

    def predictions(self, x=None) -> np.ndarray:
        """Predicted classes of images x (default: the test set), int64 numpy. The test set's are
        those of the last evaluation when the model has not changed since."""
        if x is None:
            kept = self._test_predictions
            if kept is not None and kept[0] == self.updates:
                return kept[1].copy()
            x = self.x_test
        else:
            x = self.as_images(x)
        with self.evaluating():
            return self.model(x).argmax(1).cpu().numpy()

    def confusion(self, predictions: np.ndarray | None = None) -> np.ndarray:
        """The test set's confusion matrix, (k, k): row = true class, column = predicted class.
        Pass `predictions` (of the test set) to reuse them."""
        pred = self.predictions() if predictions is None else predictions
        return confusion_matrix(self.dataset.y_test, pred, labels=np.arange(self.dataset.n_classes))

    def misclassified(self, predictions: np.ndarray | None = None) -> np.ndarray:
        """Indices of the test images predicted wrong, in test-set order."""
        pred = self.predictions() if predictions is None else predictions
        return np.flatnonzero(pred != self.dataset.y_test)

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self._params)


# -- the convolution page's race ------------------------------------------------------------------

CONTESTANT_KINDS = (("cnn",), ("cnn", "mlp"))  # the CNN alone, or with its MLP baseline beside it


def _unused_mlp_hidden() -> int:
    return ConvModelSpec().mlp_hidden


@dataclass(frozen=True)
class ConvRaceSpec:
    """The convolution page's race: the base run's CNN and, with contestants ("cnn", "mlp"), its
    MLP baseline (`mlp_baseline`: the same data, optimizer, regularization, batch size and seed,
    about the same parameter count), trained in lockstep on the same batches, one training seed.
    The base holds everything but the seed; its train.seed and model.mlp_hidden (the baseline
    sets its own) are reset to the defaults so equal races compare equal."""

    base: ConvRunSpec = field(default_factory=ConvRunSpec)
    contestants: tuple[str, ...] = ("cnn",)
    seeds: tuple[int, ...] = (0,)
    target_accuracy: float = 0.9

    def __post_init__(self):
        if isinstance(self.base, ConvRunSpec) and isinstance(self.base.model, ConvModelSpec):
            unused = replace(self.base, model=replace(self.base.model, mlp_hidden=_unused_mlp_hidden()),
                             train=replace(self.base.train, seed=0))
            object.__setattr__(self, "base", unused)

    @property
    def baseline(self) -> bool:
        return "mlp" in self.contestants

    @property
    def models(self) -> int:
        return len(self.contestants) * len(self.seeds)

    def run_specs(self) -> list[list[ConvRunSpec]]:
        """[contestant][seed] the spec of each run: the CNN's, then its baseline's."""
        runs = []
        for kind in self.contestants:
            row = [replace(self.base, train=replace(self.base.train, seed=s)) for s in self.seeds]
            runs.append([mlp_baseline(r) for r in row] if kind == "mlp" else row)
        return runs

    def problems(self) -> Problems:
        p: Problems = [(f"base.{f}", m) for f, m in self.base.problems()]
        if self.base.model.kind != "cnn":
            p.append(("base.model.kind", f"the race's model is the CNN (kind 'cnn'; the baseline is its "
                                         f"contestant 'mlp'), got {self.base.model.kind!r}"))
        if self.contestants not in CONTESTANT_KINDS:
            p.append(("contestants", f"contestants must be ('cnn',) or ('cnn', 'mlp'), got {self.contestants!r}"))
        if not isinstance(self.seeds, tuple) or not limits.CONV_RACE_SEEDS.contains(len(self.seeds)):
            p.append(("seeds", f"seeds must list {limits.CONV_RACE_SEEDS} training seed, got {self.seeds!r}"))
        else:
            for s in self.seeds:
                _check_range(p, "seeds", s, limits.SEED, integer=True)
        _check_range(p, "target_accuracy", self.target_accuracy, limits.RACE_TARGET)
        return p

    def validate(self) -> ConvRaceSpec:
        found = self.problems()
        if found:
            raise ValueError("; ".join(message for _, message in found))
        return self


# The flat URL form: "data.<field>" (ImageSpec); "model.layers" (how many), "model.head" and per
# layer i (from 1, as the shape calculator names them) "model.conv<i>.<field>" (ConvLayerSpec);
# "optim.name", "optim.lr", "optim.hyper.<key>", "reg.kind", "reg.rate"; "train.<field>" (no
# train.seed: race.seeds sets it); "race.baseline" (true/false), "race.seeds", "race.target".
# Every value is written, so a link names the whole race whatever the defaults become.

_RUN_SECTIONS = ("optim.", "reg.", "train.")
_TRUE, _FALSE = ("1", "true", "yes"), ("0", "false", "no")


def conv_race_to_flat(spec: ConvRaceSpec) -> dict[str, str]:
    b = spec.base
    flat = section_to_flat("data.", b.data)
    flat["model.layers"] = str(len(b.model.layers))
    flat["model.head"] = b.model.head
    for i, layer in enumerate(b.model.layers, start=1):
        flat.update(section_to_flat(f"model.conv{i}.", layer))
    flat.update((k, v) for k, v in to_flat(RunSpec(optim=b.optim, reg=b.reg, train=b.train)).items()
                if k.startswith(_RUN_SECTIONS) and k != "train.seed")
    flat["race.baseline"] = "true" if spec.baseline else "false"
    flat["race.seeds"] = ",".join(str(s) for s in spec.seeds)
    flat["race.target"] = repr(float(spec.target_accuracy))
    return flat


def _model_from_flat(flat: dict[str, str], base: ConvModelSpec, errors: list[str]) -> ConvModelSpec:
    n = len(base.layers)
    if "model.layers" in flat:
        text = flat["model.layers"]
        try:
            value = int(text)
            if limits.CONV_LAYERS.contains(value):
                n = value
            else:
                errors.append(f"model.layers must be in {limits.CONV_LAYERS}, got {value}")
        except ValueError:
            errors.append(f"model.layers: {text!r} is not a whole number")
    # A layer beyond the base's starts as the default model's (or the default layer).
    fallback = (*base.layers, *ConvModelSpec().layers[len(base.layers):], *(ConvLayerSpec(),) * n)
    layers = tuple(section_from_flat(flat, f"model.conv{i}.", fallback[i - 1], errors) for i in range(1, n + 1))
    head = base.head
    if "model.head" in flat:
        if flat["model.head"] in HEADS:
            head = flat["model.head"]
        else:
            errors.append(f"model.head must be one of {', '.join(HEADS)}; got {flat['model.head']!r}")
    return replace(base, layers=layers, head=head)


def conv_race_from_flat(flat: dict[str, str], base: ConvRaceSpec | None = None) -> tuple[ConvRaceSpec, list[str]]:
    """Read the convolution page's race from query parameters. Never raises: a bad value keeps
    `base`'s (default: the default race) and adds a message naming the key and what is allowed.
    Layers that do not fit the images keep the base's layers (the message has the formula)."""
    base = base or ConvRaceSpec()
    errors: list[str] = []
    b = base.base
    data = section_from_flat(flat, "data.", b.data, errors)
    model = _model_from_flat(flat, b.model, errors)
    run, found = from_flat({k: v for k, v in flat.items() if k.startswith(_RUN_SECTIONS) and k != "train.seed"},
                           RunSpec(optim=b.optim, reg=b.reg, train=b.train))
    errors += found

    contestants = base.contestants
    if "race.baseline" in flat:
        text = flat["race.baseline"].strip().lower()
        if text in _TRUE + _FALSE:
            contestants = CONTESTANT_KINDS[1] if text in _TRUE else CONTESTANT_KINDS[0]
        else:
            errors.append(f"race.baseline: {flat['race.baseline']!r} is not true or false")

    seeds = base.seeds
    if "race.seeds" in flat:
        text = flat["race.seeds"]
        try:
            candidate = tuple(int(p) for p in text.split(",") if p.strip() != "")
            found = [m for f, m in replace(base, seeds=candidate).problems() if f == "seeds"]
            if found:
                errors.append(f"race.{found[0]}")
            else:
                seeds = candidate
        except ValueError:
            errors.append(f"race.seeds: {text!r} is not a whole number")

    target = race_target_from_flat(flat, base.target_accuracy, errors)
    spec = ConvRaceSpec(ConvRunSpec(data, model, run.optim, run.reg, run.train), contestants, seeds, target)
    found = spec.problems()
    if found and model != b.model:  # the layers do not fit these images: the base's layers
        errors.append(f"model: {found[0][1]}; kept the layers as they were")
        spec = replace(spec, base=replace(spec.base, model=b.model))
        found = spec.problems()
    if found:
        errors.append(f"race: {found[0][1]}; kept the race as it was")
        spec = base
    return spec, errors
