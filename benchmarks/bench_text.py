"""Text classification on the shipped corpus: test accuracy of the chapter's feedforward
classifier, of the attention-pooling model and of the TF-IDF + logistic-regression baseline, per
language (English words; Chinese characters) and labelling (sentiment, topic), with the negation
subset on its own; median over split seeds 0-4.

    python benchmarks/bench_text.py [--quick]

Every setting is the page's default and is printed with the table: TF-IDF, vocabulary 2,000,
a quarter of the texts held out (stratified), feedforward 64 hidden ReLU units (the attention
model: embeddings of 32), no dropout, no regularization, Adam lr 0.001, batch 32, 20 epochs.
The seed is both the split's and the training's; none is picked. Trained with the engine's
TextTrainer (what the page trains), one torch thread.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from ffnviz.data.text_data import make_text_dataset  # noqa: E402
from ffnviz.specs import TrainSpec  # noqa: E402
from ffnviz.specs.text import (  # noqa: E402
    TextModelSpec,
    TextRunSpec,
    TextSpec,  # noqa: E402
)
from ffnviz.train.text_extras import fit_baseline  # noqa: E402
from ffnviz.train.text_trainer import TextTrainer  # noqa: E402

SEEDS = (0, 1, 2, 3, 4)
CASES = (("en", "words", "sentiment"), ("en", "words", "topic"), ("zh", "chars", "sentiment"),
         ("zh", "chars", "topic"), ("zh", "bigrams", "sentiment"))


def negation_accuracy(pred: np.ndarray, dataset) -> float:
    mask = dataset.negation_test
    return float((pred[mask] == dataset.y_test[mask]).mean())


def run(language: str, tokens: str, label: str, seed: int, epochs: int) -> dict[str, float]:
    data = TextSpec(language=language, tokens=tokens, label=label, seed=seed)
    dataset = make_text_dataset(data)
    out = {}
    baseline = fit_baseline(dataset).predict(dataset.x_test)
    out["baseline"] = float((baseline == dataset.y_test).mean())
    out["baseline negation"] = negation_accuracy(baseline, dataset)
    for kind in ("ffn", "attention"):
        t = TextTrainer(TextRunSpec(data=data, model=TextModelSpec(kind=kind), train=TrainSpec(batch_size=32, seed=seed)),
                        dataset)
        tick = time.perf_counter()
        t.step(epochs * t.updates_per_epoch)
        out[f"{kind} updates/s"] = epochs * t.updates_per_epoch / (time.perf_counter() - tick)
        pred = t.read(t.x_test).argmax(1).numpy()
        out[kind] = float((pred == dataset.y_test).mean())
        out[f"{kind} negation"] = negation_accuracy(pred, dataset)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run: one seed, 2 epochs (figures mean nothing)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    epochs, seeds = (2, SEEDS[:1]) if args.quick else (20, SEEDS)
    print(f"`python benchmarks/bench_text.py{' --quick' if args.quick else ''}`; torch {torch.__version__}, one thread\n")
    print(f"TF-IDF, vocabulary 2000, test 25 % (stratified); feedforward 64 ReLU / attention pooling 32; Adam lr 0.001, "
          f"batch 32, {epochs} epochs; seeds {', '.join(map(str, seeds))} (split seed = training seed); median "
          "test accuracy (min-max); negation subset (sentiment only) in the last columns\n")
    print("| language, tokens | label | feedforward | attention pooling | logistic regression | negation: ffn / attn / "
          "log. reg. | updates/s ffn / attn |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for language, tokens, label in CASES:
        runs = [run(language, tokens, label, s, epochs) for s in seeds]

        def cell(key: str, runs: list[dict] = runs) -> str:
            values = [r[key] for r in runs]
            return f"{statistics.median(values):.3f} ({min(values):.2f}-{max(values):.2f})"

        negation = (" / ".join(f"{statistics.median(r[k] for r in runs):.2f}"
                               for k in ("ffn negation", "attention negation", "baseline negation"))
                    if label == "sentiment" else "—")
        rates = " / ".join(f"{statistics.median(r[k] for r in runs):.0f}" for k in ("ffn updates/s", "attention updates/s"))
        print(f"| {language}, {tokens} | {label} | {cell('ffn')} | {cell('attention')} | {cell('baseline')} | {negation} "
              f"| {rates} |")


if __name__ == "__main__":
    main()
