"""What the text-classification page shows of its model besides the curves: a `TextView` per
contestant, measured by the worker at each publication (see RaceRunner._publish) on seed 0's
trainer, so that the page never touches a model, with the same `BaselineView` for every one:
TF-IDF (or counts) + logistic regression (scikit-learn) fitted once on the same training split.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from ffnviz import limits
from ffnviz.data.text_data import TextDataset
from ffnviz.train.snapshot_data import SnapshotData
from ffnviz.train.text_trainer import TextTrainer


@dataclass(frozen=True, eq=False)
class ClassReport(SnapshotData):
    """Per class, on the test set (scikit-learn's precision_recall_fscore_support, 0 where undefined)."""

    precision: np.ndarray  # float64 (C,)
    recall: np.ndarray  # float64 (C,)
    f1: np.ndarray  # float64 (C,)
    support: np.ndarray  # int64 (C,): test texts of the class


@dataclass(frozen=True, eq=False)
class WrongTexts(SnapshotData):
    """The misclassified test texts, up to limits.TEXT_WRONG_SHOWN of them, in test-set order."""

    index: np.ndarray  # int64 (n,): their indices in the test set
    predicted: np.ndarray  # int64 (n,): the class the model gave
    confidence: np.ndarray  # float32 (n,): the probability of that class


@dataclass(frozen=True, eq=False)
class SentenceView(SnapshotData):
    """The sentence the page set (`set_example`, "try a sentence"), classified."""

    text: str
    tokens: tuple[str, ...]  # as the tokeniser splits it (at most limits.TEXT_MAX_TOKENS)
    known: np.ndarray  # bool (len(tokens),): the token is in the vocabulary
    probabilities: np.ndarray  # float32 (C,)
    weights: np.ndarray | None  # the attention model's weight per token, float32 (len(tokens),); None for the feedforward


@dataclass(frozen=True, eq=False)
class BaselineView(SnapshotData):
    """The logistic-regression baseline, fitted once per data set."""

    test_acc: float
    negation_acc: float | None  # on the test texts marked `negation` (the corpus only; None otherwise)
    report: ClassReport
    # float32 (C, V): per class and word, the mean over the training texts of the gradient of
    # log p(class) with respect to the word's feature — the network's word effects, measured the
    # same way (baseline_word_effects)
    word_effects: np.ndarray
    probabilities: np.ndarray | None  # float64 (C,) for the sentence, None without one


@dataclass(frozen=True, eq=False)
class TextView(SnapshotData):
    """One contestant of a text race (seed 0's trainer) on the test set."""

    test_acc: float
    report: ClassReport
    confusion: np.ndarray  # int64 (C, C): row = true class, column = predicted
    negation_acc: float | None  # on the test texts marked `negation` (the corpus only; None otherwise)
    negation_count: int  # how many those are
    wrong: WrongTexts
    # float32 (C, W): how each word moves each class (see TextExtras.word_effects), measured again
    # whenever the model has moved (~7 ms); torch.autograd.grad leaves the parameters' gradients
    # alone, so training is not disturbed
    word_effects: np.ndarray
    word_index: np.ndarray  # int64 (W,): those words, the TEXT_TOP_WORDS most frequent training words
    baseline: BaselineView  # the same for every contestant
    sentence: SentenceView | None  # None while no sentence is set


def _report(y: np.ndarray, pred: np.ndarray, n_classes: int) -> ClassReport:
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=np.arange(n_classes), zero_division=0)
    return ClassReport(p, r, f, s)


def _accuracy(right: np.ndarray, mask: np.ndarray | None) -> float | None:
    if mask is None or not mask.any():
        return None
    return float(right[mask].mean())


def fit_baseline(dataset: TextDataset) -> LogisticRegression:
    """Logistic regression on the same features the feedforward model reads (seeded, so one
    split gives one baseline)."""
    return LogisticRegression(C=1.0, max_iter=5000, random_state=0).fit(dataset.x_train, dataset.y_train)


def baseline_word_effects(model: LogisticRegression, x: np.ndarray) -> np.ndarray:
    """(C, V): the mean over the texts x of ∂ log p(c | x) / ∂x, for scikit-learn's logistic
    regression. Its logits are z = Wx + b, so the gradient is w_c − Σ_k p_k(x) w_k, and the mean
    is w_c − Σ_k p̄_k w_k (p̄: the mean predicted probabilities) — not w_c alone. With two classes
    scikit-learn keeps one row w (z = w·x for class 1 against 0 for class 0): W = [0; w]."""
    weights = model.coef_ if model.coef_.shape[0] > 1 else np.vstack([np.zeros_like(model.coef_), model.coef_])
    mean_p = model.predict_proba(x).mean(0)
    return (weights - mean_p @ weights).astype(np.float32)


class TextExtras:
    def __init__(self, dataset: TextDataset):
        self.dataset = dataset
        self.sentence: str | None = None
        self.words = np.argsort(-dataset.train_frequency, kind="stable")[: limits.TEXT_TOP_WORDS]
        self.words.flags.writeable = False  # shared by every snapshot
        self._word_ids = torch.from_numpy(self.words.copy())
        self.baseline_model = fit_baseline(dataset)
        self._baseline_effects = baseline_word_effects(self.baseline_model, dataset.x_train)
        self._baseline_effects.flags.writeable = False
        self._baseline = self._baseline_view()
        self.restart()

    def restart(self) -> None:
        self._effects: dict[int, tuple[int, np.ndarray]] = {}  # contestant -> (updates, effects)

    def set_example(self, text: str) -> None:
        """The sentence to classify ("try a sentence"); an empty one clears it."""
        if not isinstance(text, str):
            raise ValueError("the sentence must be text")
        self.sentence = text.strip()[:1000] or None
        self._baseline = self._baseline_view()

    def _baseline_view(self) -> BaselineView:
        d, model = self.dataset, self.baseline_model
        pred = model.predict(d.x_test)
        right = pred == d.y_test
        probabilities = None if self.sentence is None else model.predict_proba(d.encode([self.sentence])[0])[0]
        return BaselineView(test_acc=float(right.mean()), negation_acc=_accuracy(right, d.negation_test),
                            report=_report(d.y_test, pred, d.n_classes), word_effects=self._baseline_effects,
                            probabilities=probabilities)

    def measure(self, trainers: list[list[TextTrainer]], diverged_at: list[int | None]) -> tuple[TextView | None, ...]:
        """Per contestant, its view; None once it has dropped out."""
        return tuple(None if d is not None else self.of(row[0], i)
                     for i, (row, d) in enumerate(zip(trainers, diverged_at, strict=True)))

    def of(self, t: TextTrainer, i: int = 0) -> TextView:
        d = self.dataset
        log_probs = t.read(t.x_test).cpu().numpy()
        pred = log_probs.argmax(1)
        right = pred == d.y_test
        wrong = np.flatnonzero(~right)[: limits.TEXT_WRONG_SHOWN]
        if self._effects.get(i, (None,))[0] != t.updates:  # ~7 ms (2,000 words, 500 texts): at every change
            self._effects[i] = (t.updates, self.word_effects(t))
        return TextView(
            test_acc=float(right.mean()),
            report=_report(d.y_test, pred, d.n_classes),
            confusion=confusion_matrix(d.y_test, pred, labels=np.arange(d.n_classes)),
            negation_acc=_accuracy(right, d.negation_test),
            negation_count=int(d.negation_test.sum()) if d.negation_test is not None else 0,
            wrong=WrongTexts(wrong, pred[wrong], np.exp(log_probs[wrong, pred[wrong]])),
            word_effects=self._effects[i][1],
            word_index=self.words,
            baseline=self._baseline,
            sentence=None if self.sentence is None else self.classify(t, self.sentence),
        )

    def word_effects(self, t: TextTrainer) -> np.ndarray:
        """(C, W) for self.words. Feedforward model: the mean, over the training texts, of the
        gradient of log p(class) with respect to each word's feature — for a softmax model with
        logits Ax + c that is A_c − Σ_k p̄_k A_k (baseline_word_effects measures the logistic
        regression the same way), here what the hidden layer makes of the word around real texts. Attention
        model (whose inputs are ids, not numbers): log p(class | the word alone) − log p(class |
        no word)."""
        if t.spec.model.kind == "attention":
            alone = np.zeros((len(self.words), 1), dtype=np.int64)
            alone[:, 0] = self.words + 2  # ids are columns + 2
            empty = np.zeros((1, 1), dtype=np.int64)
            return (t.read(t.inputs_for(None, alone)) - t.read(t.inputs_for(None, empty))).T.cpu().numpy().astype(np.float32)
        x = t.x_train.clone().requires_grad_(True)
        with t.evaluating(), torch.enable_grad():
            log_probs = t.model(x)
            rows = [torch.autograd.grad(log_probs[:, c].sum(), x, retain_graph=True)[0].mean(0)
                    for c in range(log_probs.shape[1])]
        return torch.stack(rows)[:, self._word_ids.to(x.device)].cpu().numpy().astype(np.float32)

    def classify(self, t: TextTrainer, text: str) -> SentenceView:
        d = self.dataset
        features, ids = d.encode([text])
        tokens = d.tokens_of(text)
        probs = t.read(t.inputs_for(features, ids)).exp()[0].cpu().numpy()
        weights = None
        if t.spec.model.kind == "attention":
            with t.evaluating():
                weights = t.model.weights(t.inputs_for(None, ids))[0, : len(tokens)].cpu().numpy()
        return SentenceView(text=text, tokens=tuple(tokens), known=np.array([i > 1 for i in ids[0][: len(tokens)]]),
                            probabilities=probs, weights=weights)
