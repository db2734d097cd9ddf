"""How well, and how fast, the convolution page's models train: test accuracy on digits after a
fixed number of updates, and on shapes whether a CNN and an MLP of about the same parameter count
recognise shapes at positions they never saw ("halves"), median over seeds 0-4; the page's
presets are among the rows (checked here: the same settings).

    python benchmarks/bench_conv.py [--quick]

Every setting is fixed here and printed with the tables: Adam lr 0.01, batch 32, no
regularization, one torch thread; the seed is both the data seed and the training seed; none is
picked. Trained with the engine's ConvTrainer; the MLP is `mlp_baseline` of the CNN's run (one
hidden layer, its width chosen for the closest parameter count), trained on the same batches.
updates/s is updates / wall time of the `step` calls alone (no evaluation, no building).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from ffnviz.lessons import CONV_LESSONS  # noqa: E402
from ffnviz.specs import TrainSpec  # noqa: E402
from ffnviz.specs.conv import (  # noqa: E402  # noqa: E402
    ConvLayerSpec,
    ConvModelSpec,
    ConvRunSpec,
    ImageSpec,  # noqa: E402
    layer_shapes,
    mlp_baseline,
)
from ffnviz.train.conv_trainer import ConvTrainer  # noqa: E402

SEEDS = (0, 1, 2, 3, 4)
L = ConvLayerSpec
# The default CNN: two 3×3 conv layers (8, 16 channels, "same" padding), each max-pooled 2×2.
DEFAULT = ConvModelSpec()
# Pooled down to 1×1, with 1×1 convolutions after the first layer: every layer treats every
# position alike, so no weight belongs to a position (the default's classifier reads a 4×4 map
# on shapes, a weight per position).
POOLED_TO_ONE = ConvModelSpec(layers=(L(16, 3, 2, 1), L(16, 1, 1, 0), L(16, 1, 1, 0)))
# The default CNN with a global head: each last map pooled to one number (its max or mean).
GLOBAL_MAX = replace(DEFAULT, head="global_max")
GLOBAL_AVG = replace(DEFAULT, head="global_avg")
SHAPES = ImageSpec("shapes", n_images=2000, noise=0.1, size=16, train_fraction=0.5)
SHAPE_MODELS = (("pooled to 1×1", POOLED_TO_ONE), ("default", DEFAULT), ("default, global max head", GLOBAL_MAX),
                ("default, global average head", GLOBAL_AVG))


def check_presets() -> None:
    """The page's presets are rows of these tables: the same data, model and training."""
    lessons = {lesson.key: lesson.spec for lesson in CONV_LESSONS}
    for key, data, model in (("conv_digits", ImageSpec(), DEFAULT), ("conv_halves", replace(SHAPES, split="halves"),
                                                                     GLOBAL_MAX),
                             ("conv_halves_flatten", replace(SHAPES, split="halves"), DEFAULT)):
        spec = lessons[key]
        row = ConvRunSpec(data=data, model=model)
        assert (spec.base.data, spec.base.model, spec.base.optim, spec.base.reg, spec.base.train.batch_size) == (
            row.data, row.model, row.optim, row.reg, row.train.batch_size), key
        assert spec.contestants == ("cnn", "mlp"), key


def run(spec: ConvRunSpec, updates: int) -> tuple[float, float, float, int]:
    """(train accuracy, test accuracy, updates/s, parameters) after `updates` updates."""
    trainer = ConvTrainer(spec)
    t0 = time.perf_counter()
    trainer.step(updates)
    seconds = time.perf_counter() - t0
    m = trainer.evaluate()
    return m.train_acc, m.test_acc, updates / seconds, trainer.parameter_count()


def seeded(spec: ConvRunSpec, seed: int) -> ConvRunSpec:
    return replace(spec, data=replace(spec.data, seed=seed), train=replace(spec.train, seed=seed))


def layout(model: ConvModelSpec, data: ImageSpec) -> str:
    """conv1 8×8×8 → pool1 8×4×4 → ... : what the shape calculator says."""
    return " → ".join(f"{r.name} {'×'.join(map(str, r.output))}"
                      for r in layer_shapes(model, data.image_shape, data.n_classes))


def row(label: str, results: list[tuple[float, float, float, int]]) -> str:
    train, test, rate, params = zip(*results, strict=True)
    return (f"| {label} | {params[0]:,} | {statistics.median(test):.3f} | {', '.join(f'{a:.2f}' for a in test)} | "
            f"{statistics.median(train):.3f} | {statistics.median(rate):,.0f} |")


HEADER = ("| model | parameters | median test accuracy | per seed | median train accuracy | updates/s (median) |\n"
          "| --- | ---: | ---: | --- | ---: | ---: |")


def digits(updates: int, seeds: tuple[int, ...]) -> None:
    spec = ConvRunSpec()
    print(f"### Digits: {updates} updates\n")
    print(f"scikit-learn digits (8×8, 10 classes, 1,797 images, {spec.data.train_fraction:.0%} train, stratified); "
          f"CNN: {layout(spec.model, spec.data)}, ReLU\n")
    print(HEADER)
    for label, s in (("CNN (default)", spec), ("MLP baseline", mlp_baseline(spec))):
        name = f"{label}, hidden {s.model.mlp_hidden}" if s.model.kind == "mlp" else label
        print(row(name, [run(seeded(s, seed), updates) for seed in seeds]))
    print()


def shapes(updates: int, seeds: tuple[int, ...]) -> None:
    print(f"### Shapes: {updates} updates\n")
    print(f"shapes, {SHAPES.n_images} images of {SHAPES.size}×{SHAPES.size}, noise {SHAPES.noise}, "
          f"{SHAPES.train_fraction:.0%} train, 5 classes (chance 0.2). Split 'halves': every training shape lies in "
          f"the left half, every test shape in the right half; 'random': anywhere, both sides.\n")
    for name, model in SHAPE_MODELS:
        print(f"- CNN {name}: {layout(model, SHAPES)}, ReLU, max pooling")
    print()
    print(HEADER.replace("| model |", "| split | model |").replace("| --- |", "| --- | --- |", 1))
    for split in ("halves", "random"):
        for name, model in SHAPE_MODELS:
            cnn = ConvRunSpec(data=replace(SHAPES, split=split), model=model, train=TrainSpec(batch_size=32))
            mlp = mlp_baseline(cnn)
            for label, s in ((f"CNN {name}", cnn), (f"MLP at its count, hidden {mlp.model.mlp_hidden}", mlp)):
                print(f"| {split} " + row(label, [run(seeded(s, seed), updates) for seed in seeds]))
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run: 50 updates, one seed (figures mean nothing)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    check_presets()
    seeds = SEEDS[:1] if args.quick else SEEDS
    print(f"`python benchmarks/bench_conv.py{' --quick' if args.quick else ''}`; torch {torch.__version__}, "
          f"one thread, {os.cpu_count()} CPUs; adam lr 0.01, batch 32, no regularization; seeds "
          f"{', '.join(map(str, seeds))} (data seed = training seed)\n")
    digits(50 if args.quick else 1000, seeds)
    shapes(50 if args.quick else 1500, seeds)


if __name__ == "__main__":
    main()
