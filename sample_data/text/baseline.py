"""Bag-of-words baselines on the shipped corpora: the figures in README.md's "Baselines" section.

    python sample_data/text/baseline.py

For each language and tokenisation, and each label (sentiment, topic): TF-IDF features
(`vectorizer(language, tokens, "tfidf")`, no vocabulary cap) and LogisticRegression(C=1.0,
max_iter=5000) on `split(df, label, 0.25, seed)` for seeds 0-4; for sentiment also an MLP
(MLPClassifier: one hidden layer of 64, relu, adam, scikit-learn's other defaults, max_iter=300,
random_state=seed). Prints test accuracy (median and each seed) and the accuracy on the test
sentences with negation = 1. A measurement, not a test: it takes about a minute and its last
digits move with the scikit-learn version.
"""

from __future__ import annotations

import statistics
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from ffnviz.data.corpus import load_corpus, split  # noqa: E402
from ffnviz.data.tokenize import vectorizer  # noqa: E402
from ffnviz.specs.text import TOKENS  # noqa: E402

SEEDS = range(5)


def _models(label: str, seed: int):
    yield "logistic regression", LogisticRegression(C=1.0, max_iter=5000)
    if label == "sentiment":
        yield "MLP (64, relu, adam)", MLPClassifier(hidden_layer_sizes=(64,), max_iter=300, random_state=seed)


def _cell(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({' '.join(f'{v:.3f}' for v in values)})"


def main() -> None:
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    print("| language | tokens | label | model | test accuracy: median (seeds 0-4) | negation = 1 subset |")
    print("|---|---|---|---|---|---|")
    for language, token_kinds in TOKENS.items():
        df = load_corpus(language)
        for tokens in token_kinds:
            for label in ("sentiment", "topic"):
                scores: dict[str, tuple[list[float], list[float]]] = {}
                for seed in SEEDS:
                    train, test = split(df, label, 0.25, seed)
                    vec = vectorizer(language, tokens, "tfidf")
                    x_train, x_test = vec.fit_transform(train["text"]), vec.transform(test["text"])
                    negation = (test["negation"] == 1).to_numpy()
                    for name, model in _models(label, seed):
                        right = model.fit(x_train, train[label]).predict(x_test) == test[label].to_numpy()
                        overall, subset = scores.setdefault(name, ([], []))
                        overall.append(float(right.mean()))
                        subset.append(float(right[negation].mean()))
                for name, (overall, subset) in scores.items():
                    print(f"| {language} | {tokens} | {label} | {name} | {_cell(overall)} | {_cell(subset)} |")


if __name__ == "__main__":
    main()
