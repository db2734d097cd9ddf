"""The convolution page's specs: the images (ImageSpec: scikit-learn's digits or the shapes drawn
for ffnviz), the CNN and its MLP baseline (ConvModelSpec of ConvLayerSpecs), the shape calculator
(each layer's output size and parameters, and why a layer does not fit), their run, the page's
race and its flat URL form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ffnviz import limits
from ffnviz.specs.checks import Problems, Section, check_choice, check_range, check_seeds, nested
from ffnviz.specs.flat import Flat, bool_from_flat, count_from_flat, section_from_flat, section_to_flat
from ffnviz.specs.model_race import SectionsRun
from ffnviz.specs.race import race_keys_to_flat, race_seeds_from_flat, race_target_from_flat
from ffnviz.specs.run import ACTIVATIONS, OptimSpec, RegSpec, TrainSpec

IMAGE_DATASETS = ("digits", "shapes")
SPLITS = ("random", "halves")
SHAPES = ("horizontal", "vertical", "cross", "square", "circle")  # class keys; the page translates them
DIGIT_SIDE = 8
MIN_SHAPE = 5  # a shape's smallest side: below it a circle's outline is a square's


@dataclass(frozen=True)
class ImageSpec(Section):
    dataset: str = "digits"
    n_images: int = 1000  # shapes only: train + test (digits has its 1,797)
    noise: float = 0.1  # shapes only: the pixel noise's standard deviation
    size: int = 16  # shapes only: the image's side in pixels
    train_fraction: float = 0.8
    seed: int = 0
    split: str = "random"  # "halves": train shapes in the left half, test shapes in the right

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "dataset", self.dataset, IMAGE_DATASETS)
        # The shapes-only fields are checked for digits too, so a link's value has one meaning.
        check_range(p, "n_images", self.n_images, limits.IMAGE_COUNT, integer=True)
        check_range(p, "noise", self.noise, limits.IMAGE_NOISE)
        check_range(p, "size", self.size, limits.IMAGE_SIZE, integer=True)
        check_range(p, "train_fraction", self.train_fraction, limits.TRAIN_FRACTION)
        check_range(p, "seed", self.seed, limits.DATA_SEED, integer=True)
        check_choice(p, "split", self.split, SPLITS)
        if self.dataset == "digits" and self.split == "halves":
            # A digit fills its whole 8 × 8 image: there is no half to keep it in.
            p.append(("split", "split 'halves' is for shapes only: a digit fills its whole image; use 'random'"))
        return p

    @property
    def side(self) -> int:
        return DIGIT_SIDE if self.dataset == "digits" else self.size

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(channels, height, width) of one image."""
        return (1, self.side, self.side)

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(str(d) for d in range(10)) if self.dataset == "digits" else SHAPES

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


POOLS = ("max", "avg", "none")
CONV_KINDS = ("cnn", "mlp")
HEADS = ("flatten", "global_max", "global_avg")  # how the last maps reach the linear classifier

@dataclass(frozen=True)
class ConvLayerSpec(Section):
    out_channels: int = 8
    kernel: int = 3
    stride: int = 1
    padding: int = 1  # kernel 3 with padding 1 keeps the size: "same" padding
    activation: str = "relu"
    pool: str = "max"  # after the activation, 2 × 2 with stride 2; "none" for no pooling

    def problems(self) -> Problems:
        p: Problems = []
        check_range(p, "out_channels", self.out_channels, limits.CONV_CHANNELS, integer=True)
        check_range(p, "kernel", self.kernel, limits.CONV_KERNEL, integer=True)
        check_range(p, "stride", self.stride, limits.CONV_STRIDE, integer=True)
        check_range(p, "padding", self.padding, limits.CONV_PADDING, integer=True)
        check_choice(p, "activation", self.activation, ACTIVATIONS)
        check_choice(p, "pool", self.pool, POOLS)
        return p


def _default_layers() -> tuple[ConvLayerSpec, ...]:
    return (ConvLayerSpec(8), ConvLayerSpec(16))


@dataclass(frozen=True)
class ConvModelSpec(Section):
    kind: str = "cnn"  # "mlp": the baseline, one hidden layer of mlp_hidden units on the pixels
    layers: tuple[ConvLayerSpec, ...] = field(default_factory=_default_layers)
    # The baseline's width (set it with mlp_baseline_hidden); it uses the first conv layer's
    # activation, so that the two differ in the kind of layer only.
    mlp_hidden: int = 32
    head: str = "flatten"  # one of HEADS: flatten the last maps, or pool each to one number first

    def problems(self) -> Problems:
        p: Problems = []
        check_choice(p, "kind", self.kind, CONV_KINDS)
        if not isinstance(self.layers, tuple) or not limits.CONV_LAYERS.contains(len(self.layers)):
            p.append(("layers", f"layers must list {limits.CONV_LAYERS} conv layers, got {self.layers!r}"))
        else:
            for i, layer in enumerate(self.layers):
                if not isinstance(layer, ConvLayerSpec):
                    p.append((f"layers[{i}]", f"layers[{i}] must be a ConvLayerSpec, got {layer!r}"))
                    continue
                p += [(f"layers[{i}].{f}", f"layers[{i}].{m}") for f, m in layer.problems()]
        check_range(p, "mlp_hidden", self.mlp_hidden, limits.CONV_MLP_HIDDEN, integer=True)
        check_choice(p, "head", self.head, HEADS)
        return p


# -- the shape calculator -------------------------------------------------------------------------

@dataclass(frozen=True)
class LayerShape:
    name: str  # "conv1", "pool1", ..., "gpool" (a global head's pooling), "linear"
    output: tuple[int, ...]  # (C, H, W); the classifier's (n_classes,)
    params: int  # weights and biases
    problem: str | None = None  # set when the output would be smaller than 1 pixel


def conv_size(n: int, kernel: int, stride: int, padding: int) -> int:
    return (n + 2 * padding - kernel) // stride + 1


def pool_size(n: int) -> int:
    return (n - 2) // 2 + 1


def _conv_problem(i: int, n: int, layer: ConvLayerSpec) -> str | None:
    """What is wrong when conv layer i's output from an n-pixel side is under 1 pixel, else None."""
    k, s, p = layer.kernel, layer.stride, layer.padding
    out = conv_size(n, k, s, p)
    if out >= 1:
        return None
    return (f"conv{i}: ⌊({n} + 2·{p} − {k})/{s}⌋ + 1 = {out} pixels: a {k}×{k} kernel does not fit its "
            f"{n}×{n} input; use a smaller kernel, more padding or less pooling before it")


def _pool_problem(i: int, n: int) -> str | None:
    out = pool_size(n)
    if out >= 1:
        return None
    return (f"pool{i}: ⌊({n} − 2)/2⌋ + 1 = {out} pixels: 2×2 pooling needs at least 2×2 pixels, its input "
            f"is {n}×{n}; turn this pooling off or keep the maps larger")


def layer_shapes(spec: ConvModelSpec, in_shape: tuple[int, int, int], n_classes: int | None = None) -> list[LayerShape]:
    """Each conv and pooling layer's output (C, H, W) and parameter count, a global head's
    pooling ("gpool", (C, 1, 1)), and with `n_classes` the linear classifier's. A layer whose
    output would be smaller than 1 × 1 carries a message saying so and is the last row: nothing
    after it has a shape. (Images here are square, so the message names the side; the sizes are
    computed for height and width alike.)"""
    c, h, w = in_shape
    rows: list[LayerShape] = []
    for i, layer in enumerate(spec.layers, start=1):
        problem = _conv_problem(i, min(h, w), layer)
        params = layer.out_channels * (c * layer.kernel ** 2 + 1)
        c = layer.out_channels
        h, w = (conv_size(n, layer.kernel, layer.stride, layer.padding) for n in (h, w))
        rows.append(LayerShape(f"conv{i}", (c, h, w), params, problem))
        if problem:
            return rows
        if layer.pool != "none":
            problem = _pool_problem(i, min(h, w))
            h, w = pool_size(h), pool_size(w)
            rows.append(LayerShape(f"pool{i}", (c, h, w), 0, problem))
            if problem:
                return rows
    if spec.head != "flatten":
        h = w = 1
        rows.append(LayerShape("gpool", (c, h, w), 0))
    if n_classes is not None:
        rows.append(LayerShape("linear", (n_classes,), c * h * w * n_classes + n_classes))
    return rows


def shape_problems(spec: ConvModelSpec, in_shape: tuple[int, int, int]) -> list[str]:
    return [r.problem for r in layer_shapes(spec, in_shape) if r.problem]


def parameter_count(spec: ConvModelSpec, in_shape: tuple[int, int, int], n_classes: int) -> int:
    """The CNN's weights and biases (classifier included), or the MLP baseline's."""
    if spec.kind == "mlp":
        return mlp_parameter_count(spec.mlp_hidden, math.prod(in_shape), n_classes)
    return sum(r.params for r in layer_shapes(spec, in_shape, n_classes))


def mlp_parameter_count(hidden: int, in_features: int, n_classes: int) -> int:
    return hidden * (in_features + 1) + n_classes * (hidden + 1)


def mlp_baseline_hidden(cnn_params: int, in_features: int, n_classes: int) -> int:
    """The one-hidden-layer MLP width whose parameter count is closest to `cnn_params`.

    The MLP has h(in + 1 + k) + k parameters, linear in h, so the closest count is at
    h = (P − k) / (in + 1 + k) rounded to the nearest whole number (a tie, x.5, to the smaller),
    kept within limits.CONV_MLP_HIDDEN."""
    exact = (cnn_params - n_classes) / (in_features + 1 + n_classes)
    return int(min(max(math.ceil(exact - 0.5), limits.CONV_MLP_HIDDEN.lo), limits.CONV_MLP_HIDDEN.hi))


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


# -- the convolution page's race ------------------------------------------------------------------

CONTESTANT_KINDS = (("cnn",), ("cnn", "mlp"))  # the CNN alone, or with its MLP baseline beside it


def _unused_mlp_hidden() -> int:
    return ConvModelSpec().mlp_hidden


@dataclass(frozen=True)
class ConvRaceSpec(Section):
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
        p: Problems = nested("base", self.base.problems())
        if self.base.model.kind != "cnn":
            p.append(("base.model.kind", f"the race's model is the CNN (kind 'cnn'; the baseline is its "
                                         f"contestant 'mlp'), got {self.base.model.kind!r}"))
        if self.contestants not in CONTESTANT_KINDS:
            p.append(("contestants", f"contestants must be ('cnn',) or ('cnn', 'mlp'), got {self.contestants!r}"))
        check_seeds(p, self.seeds, limits.CONV_RACE_SEEDS, limits.SEED)
        check_range(p, "target_accuracy", self.target_accuracy, limits.RACE_TARGET)
        return p


# The flat URL form: "data.<field>" (ImageSpec); "model.layers" (how many), "model.head" and per
# layer i (from 1, as the shape calculator names them) "model.conv<i>.<field>" (ConvLayerSpec);
# "optim.*", "reg.*"; "train.<field>" (no train.seed: race.seeds sets it); "race.baseline"
# (true/false), "race.seeds", "race.target". Every value is written, so a link names the whole
# race whatever the defaults become.


def conv_race_to_flat(spec: ConvRaceSpec) -> Flat:
    b = spec.base
    flat = section_to_flat("data.", b.data)
    flat["model.layers"] = str(len(b.model.layers))
    flat["model.head"] = b.model.head
    for i, layer in enumerate(b.model.layers, start=1):
        flat.update(section_to_flat(f"model.conv{i}.", layer))
    flat.update(section_to_flat("optim.", b.optim))
    flat.update(section_to_flat("reg.", b.reg))
    flat.update(section_to_flat("train.", b.train, skip=("seed",)))
    flat["race.baseline"] = "true" if spec.baseline else "false"
    flat.update(race_keys_to_flat(spec, count=False))
    return flat


def _model_from_flat(flat: Flat, base: ConvModelSpec, errors: list[str]) -> ConvModelSpec:
    n = count_from_flat(flat, "model.layers", len(base.layers), limits.CONV_LAYERS, errors)
    # A layer beyond the base's starts as the default model's (or the default layer).
    fallback = (*base.layers, *ConvModelSpec().layers[len(base.layers):], *(ConvLayerSpec(),) * n)
    layers = tuple(section_from_flat(flat, f"model.conv{i}.", fallback[i - 1], errors) for i in range(1, n + 1))
    head = section_from_flat(flat, "model.", base, errors, skip=("kind", "mlp_hidden")).head
    return replace(base, layers=layers, head=head)


def conv_race_from_flat(flat: Flat, base: ConvRaceSpec | None = None) -> tuple[ConvRaceSpec, list[str]]:
    """Read the convolution page's race from query parameters. Never raises: a bad value keeps
    `base`'s (default: the default race) and adds a message naming the key and what is allowed.
    Layers that do not fit the images keep the base's layers (the message has the formula)."""
    base = base or ConvRaceSpec()
    errors: list[str] = []
    b = base.base
    data = section_from_flat(flat, "data.", b.data, errors)
    model = _model_from_flat(flat, b.model, errors)
    optim = section_from_flat(flat, "optim.", b.optim, errors)
    reg = section_from_flat(flat, "reg.", b.reg, errors)
    train = section_from_flat(flat, "train.", b.train, errors, skip=("seed",))
    contestants = CONTESTANT_KINDS[bool_from_flat(flat, "race.baseline", base.baseline, errors)]
    seeds = race_seeds_from_flat(flat, base, errors)
    target = race_target_from_flat(flat, base.target_accuracy, errors)
    spec = ConvRaceSpec(ConvRunSpec(data, model, optim, reg, train), contestants, seeds, target)
    found = spec.problems()
    if found and model != b.model:  # the layers do not fit these images: the base's layers
        errors.append(f"model: {found[0][1]}; kept the layers as they were")
        spec = replace(spec, base=replace(spec.base, model=b.model))
        found = spec.problems()
    if found:
        errors.append(f"race: {found[0][1]}; kept the race as it was")
        spec = base
    return spec, errors
