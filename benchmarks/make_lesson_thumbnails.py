"""Draw the lessons gallery's thumbnails (static/lessons/<key>.png, committed; the home page never
trains for them).

    python benchmarks/make_lesson_thumbnails.py [--only KEY ...] [--quick]

Each lesson is trained as its page trains it (its own spec and seed; a race's contestants in
lockstep) for a short budget, and drawn as a small picture of what its text is about: the test
accuracy (or loss) of each contestant over training, or an optimizer's path on its 2-D surface.
Curves only, no text: the card beside it says what they are. Drawn with Pillow (no plotting
library is needed on the server). Deterministic given torch's CPU arithmetic.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from ffnviz.gallery import GALLERY, lesson_of, thumbnail_path  # noqa: E402
from ffnviz.specs.paths import PathsSpec  # noqa: E402
from ffnviz.specs.run import RunSpec  # noqa: E402
from ffnviz.viz.theme import RACE_COLORS  # noqa: E402

W, H, PAD = 320, 180, 10  # the card's picture, 16:9
BACKGROUND, AXIS = (255, 255, 255), (200, 200, 200)
# Updates a race is trained for in its picture (enough for what its text promises).
RACE_UPDATES = {"race_seeds": 2000, "gated_remember20": 1500, "gated_remember50": 500, "gated_swiglu": 500,
                "conv_digits": 500, "conv_halves": 500, "conv_halves_flatten": 500}
DEFAULT_RACE_UPDATES = 1000
EPOCHS = 60  # a single run's (the playground's, the deep page's)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (W, H), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.line([(PAD, H - PAD), (W - PAD, H - PAD)], fill=AXIS, width=1)
    draw.line([(PAD, PAD), (PAD, H - PAD)], fill=AXIS, width=1)
    return image, draw


def _curves(series: list[tuple[np.ndarray, str, bool]], lo: float, hi: float) -> Image.Image:
    """Each (values over training, colour, dashed?) as a polyline in [lo, hi]."""
    image, draw = _canvas()
    for values, colour, dashed in series:
        values = np.asarray(values, float)
        ok = np.isfinite(values)
        if ok.sum() < 2:
            continue
        x = PAD + (W - 2 * PAD) * np.arange(len(values))[ok] / max(1, len(values) - 1)
        y = H - PAD - (H - 2 * PAD) * (np.clip(values[ok], lo, hi) - lo) / (hi - lo)
        points = list(zip(x.tolist(), y.tolist(), strict=True))
        if dashed:
            for i in range(0, len(points) - 1, 2):
                draw.line(points[i:i + 2], fill=_rgb(colour), width=3)
        else:
            draw.line(points, fill=_rgb(colour), width=3, joint="curve")
    return image


def _race(spec, updates: int) -> Image.Image:
    from ffnviz.train.race import Race

    race = Race(spec)
    race.step(updates)
    histories = [race.history(i) for i in range(len(spec.contestants))]
    if np.isnan(histories[0]["test_acc_mean"]).all():  # a regression: the loss
        return _curves([(np.log10(h["test_loss_mean"]), RACE_COLORS[i], False) for i, h in enumerate(histories)],
                       -3, 1)
    series = []
    for i, h in enumerate(histories):
        colour = RACE_COLORS[i % len(RACE_COLORS)]
        series.append((h["test_acc_mean"], colour, False))
        if len(spec.seeds) > 1:  # the band's edges
            series += [(h["test_acc_min"], colour, True), (h["test_acc_max"], colour, True)]
    return _curves(series, 0.0, 1.0)


def _single(spec) -> Image.Image:
    """A playground or deep-page run: train (solid) and test (dashed) loss, log scale."""
    if isinstance(spec, RunSpec):
        from ffnviz.train.trainer import Trainer as make
    else:
        from ffnviz.train.deep_trainer import DeepTrainer as make
    trainer = make(spec)
    train, test = [], []
    for _ in range(EPOCHS):
        if getattr(trainer, "stopped_at", None) is not None or trainer.updates >= spec.train.max_updates:
            break
        trainer.step(min(trainer.updates_left_in_epoch, spec.train.max_updates - trainer.updates))
        m = trainer.evaluate()
        train.append(m.train_loss)
        test.append(m.test_loss)
    logs = np.log10(np.maximum(np.array([train, test]), 1e-4))
    return _curves([(logs[0], RACE_COLORS[0], False), (logs[1], RACE_COLORS[1], True)],
                   float(np.nanmin(logs)) - 0.1, float(np.nanmax(logs)) + 0.1)


def _paths(spec: PathsSpec) -> Image.Image:
    """The surface's level sets as grey shades, each walker's path in its colour."""
    from ffnviz.surfaces import SURFACES
    from ffnviz.train.trajectory import run_trajectory

    surface = SURFACES[spec.surface]
    (x0, x1), (y0, y1) = surface.x_range, surface.y_range
    xs, ys = np.meshgrid(np.linspace(x0, x1, W), np.linspace(y1, y0, H))
    f = np.asarray(surface.value(xs, ys, spec.condition), float)
    level = np.log1p(f - np.nanmin(f))
    level = 14 * (level - level.min()) / max(1e-12, np.ptp(level))  # 14 level sets, log-spaced
    shade = np.where(level % 1 < 0.12, 175, 250 - 4 * level)  # a grey line at each level, lighter low
    image = Image.fromarray(shade.astype(np.uint8)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i, w in enumerate(spec.walkers):
        path = np.asarray(run_trajectory(surface, spec.start_point(), w.name, w.lr, w.hyper_values(), spec.steps,
                                         spec.condition).points)
        px = (path[:, 0] - x0) / (x1 - x0) * (W - 1)
        py = (y1 - path[:, 1]) / (y1 - y0) * (H - 1)
        inside = (px > -W) & (px < 2 * W) & (py > -H) & (py < 2 * H)
        draw.line(list(zip(px[inside].tolist(), py[inside].tolist(), strict=True)),
                  fill=_rgb(RACE_COLORS[i % len(RACE_COLORS)]), width=3)
    return image


def thumbnail(key: str, quick: bool = False) -> Image.Image:
    spec = lesson_of(key).spec
    if isinstance(spec, PathsSpec):
        return _paths(spec)
    if hasattr(spec, "contestants"):
        updates = RACE_UPDATES.get(key, DEFAULT_RACE_UPDATES)
        if hasattr(spec.base.train, "max_updates") and key.startswith("text_"):
            updates = spec.base.train.max_updates  # the text page's 20 epochs
        return _race(spec, 50 if quick else updates)
    return _single(spec)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="these lessons' keys only")
    ap.add_argument("--quick", action="store_true", help="a smoke run: races train 50 updates (pictures mean nothing)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    for card in GALLERY:
        if args.only and card.key not in args.only:
            continue
        path = thumbnail_path(card.key)
        path.parent.mkdir(parents=True, exist_ok=True)
        thumbnail(card.key, args.quick).save(path, optimize=True)
        print(f"{Path(path).name}: {path.stat().st_size:,} bytes", flush=True)


if __name__ == "__main__":
    main()
