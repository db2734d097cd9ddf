"""The text-classification page's data: the shipped corpus (or an uploaded CSV) split into train
and test, turned into bag-of-words or TF-IDF features by a scikit-learn vectorizer fitted on
the training texts, and into token ids for the attention-pooling model.

Token ids follow the vectorizer's vocabulary (column j is id j + 2): 0 pads a short text, 1 is a
token the vocabulary does not have. Both models therefore know the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from ffnviz import limits
from ffnviz.data.corpus import LABEL_VALUES, load_corpus, split
from ffnviz.data.text_upload import TextUpload
from ffnviz.data.tokenize import tokenizer, vectorizer
from ffnviz.specs.text import TextSpec

PAD, UNKNOWN = 0, 1
@dataclass(frozen=True)
class TextDataset:
    spec: TextSpec
    classes: tuple[str, ...]  # class c's name (the corpus's label values, or the file's)
    texts_train: tuple[str, ...]
    texts_test: tuple[str, ...]
    y_train: np.ndarray  # int64 class indices
    y_test: np.ndarray
    x_train: np.ndarray  # float32 (n, V) features
    x_test: np.ndarray
    ids_train: np.ndarray  # int64 (n, L) token ids (see the module's docstring)
    ids_test: np.ndarray
    negation_test: np.ndarray | None  # bool per test text: its sentiment hinges on a negation (corpus only)
    words: tuple[str, ...]  # column j's token
    train_frequency: np.ndarray  # int64 (V,): training texts containing each token
    vectorizer: Any  # the fitted scikit-learn vectorizer (read only)

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    def tokens_of(self, text: str) -> list[str]:
        return tokenizer(self.spec.language, self.spec.tokens)(text)[: limits.TEXT_MAX_TOKENS]

    def encode(self, texts: list[str] | tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """(features (n, V) float32, token ids (n, L) int64) of new texts, as the model reads them."""
        x = self.vectorizer.transform(list(texts)).toarray().astype(np.float32)
        index = self.vectorizer.vocabulary_
        seqs = [[index[t] + 2 if t in index else UNKNOWN for t in self.tokens_of(text)] for text in texts]
        ids = np.zeros((len(texts), max(1, max((len(s) for s in seqs), default=1))), dtype=np.int64)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = s
        return x, ids


def make_text_dataset(spec: TextSpec, upload: TextUpload | None = None) -> TextDataset:
    """Split (stratified by the label, seeded), fit the vectorizer on the training texts, encode both sides."""
    spec.validate()
    if spec.source == "corpus":
        classes = LABEL_VALUES[spec.label]
        train, test = split(load_corpus(spec.language), spec.label, spec.test_fraction, spec.seed)
        tr_texts, te_texts = list(train["text"]), list(test["text"])
        y_tr = np.array([classes.index(v) for v in train[spec.label]], dtype=np.int64)
        y_te = np.array([classes.index(v) for v in test[spec.label]], dtype=np.int64)
        negation = test["negation"].to_numpy().astype(bool)
    else:
        if upload is None:
            raise ValueError("an upload spec needs the uploaded file's texts")
        classes = upload.classes
        y = np.array([classes.index(v) for v in upload.labels], dtype=np.int64)
        tr_texts, te_texts, y_tr, y_te = train_test_split(list(upload.texts), y, test_size=spec.test_fraction,
                                                          stratify=y, random_state=spec.seed)
        negation = None
    vec = vectorizer(spec.language, spec.tokens, spec.features, max_features=spec.vocabulary)
    x_tr = vec.fit_transform(tr_texts)
    words = tuple(vec.get_feature_names_out())
    frequency = np.asarray((x_tr > 0).sum(axis=0)).ravel().astype(np.int64)
    draft = TextDataset(spec, tuple(classes), tuple(tr_texts), tuple(te_texts), y_tr, y_te,
                        x_tr.toarray().astype(np.float32), np.zeros(0), np.zeros(0), np.zeros(0), negation, words,
                        frequency, vec)
    x_te, ids_te = draft.encode(te_texts)
    _, ids_tr = draft.encode(tr_texts)
    # One padded length for both sides, so a batch of either has the same shape.
    width = max(ids_tr.shape[1], ids_te.shape[1])
    ids_tr, ids_te = (np.pad(a, ((0, 0), (0, width - a.shape[1]))) for a in (ids_tr, ids_te))
    return TextDataset(spec, tuple(classes), tuple(tr_texts), tuple(te_texts), y_tr, y_te, draft.x_train, x_te,
                       ids_tr, ids_te, negation, words, frequency, vec)
