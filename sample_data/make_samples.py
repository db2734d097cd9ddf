"""Write the example CSV files of this folder (see README.md). Deterministic: a fixed seed.

    python sample_data/make_samples.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 2024
HERE = Path(__file__).resolve().parent


def three_clusters(rng: np.random.Generator) -> tuple[list[str], list[list]]:
    """3 classes named by words, 100 points each, in columns of very different units (a length
    in cm around 20-80 and a ratio around 0-1): the upload scales each column on its own."""
    centres = {"alpha": (30.0, 0.25), "beta": (55.0, 0.75), "gamma": (70.0, 0.3)}
    rows = []
    for name, (cx, cy) in centres.items():
        xs = rng.normal(cx, 6.0, 100)
        ys = rng.normal(cy, 0.08, 100)
        rows += [[f"{x:.2f}", f"{y:.4f}", name] for x, y in zip(xs, ys, strict=True)]
    rng.shuffle(rows)
    return ["length_cm", "ratio", "group"], rows


def binary_ring(rng: np.random.Generator) -> tuple[None, list[list]]:
    """2 classes labelled -1 (outside) and 1 (inside a ring), no header, 300 points; 3 rows have
    an empty cell, which the upload drops and counts."""
    r = np.concatenate([rng.uniform(0, 1.0, 150), rng.uniform(1.4, 2.0, 150)])
    angle = rng.uniform(0, 2 * np.pi, 300)
    x, y = r * np.cos(angle), r * np.sin(angle)
    label = np.where(r < 1.2, 1, -1)
    rows = [[f"{a:.3f}", f"{b:.3f}", str(c)] for a, b, c in zip(x, y, label, strict=True)]
    rng.shuffle(rows)
    for i, column in ((17, 0), (101, 1), (230, 2)):
        rows[i][column] = ""
    return None, rows


def saddle(rng: np.random.Generator) -> tuple[list[str], list[list]]:
    """A regression: z = x·y + noise over x, y in [-3, 3], 400 points (targets about -9..9,
    which the upload scales into [-1, 1])."""
    x, y = rng.uniform(-3, 3, 400), rng.uniform(-3, 3, 400)
    z = x * y + rng.normal(0, 0.3, 400)
    return ["x", "y", "z"], [[f"{a:.3f}", f"{b:.3f}", f"{c:.3f}"] for a, b, c in zip(x, y, z, strict=True)]


FILES = {"three_clusters.csv": three_clusters, "binary_ring.csv": binary_ring, "regression_saddle.csv": saddle}


def main() -> None:
    rng = np.random.default_rng(SEED)
    for name, make in FILES.items():
        header, rows = make(rng)
        with open(HERE / name, "w", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            if header:
                writer.writerow(header)
            writer.writerows(rows)
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
