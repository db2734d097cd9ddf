"""Tokenisers for the text-classification page, and scikit-learn vectorizers that use them.

- English, "words": lowercase words; a negation survives as a token of its own: "didn't" is
  "did" + "n't", "can't" is "can" + "n't", "cannot" is "can" + "not", and "not", "no", "never"
  are ordinary words (no stop-word list is applied). Other apostrophes stay inside the word
  ("it's", "grandma's"); hyphens and punctuation split words; digits are words.
- Chinese, "chars": each Han character is a token; a run of Latin letters or digits inside the
  text ("App", "5G", "CBA") is one lowercased token; punctuation and spaces are dropped.
- Chinese, "bigrams": the same tokens taken two at a time, overlapping, inside each clause
  (punctuation ends a clause, so no bigram spans "，"); a clause of one token gives that token.
  "不太好" gives "不太", "太好": the negation stays attached to what it negates.

`vectorizer(language, tokens, features, max_features)` returns an unfitted CountVectorizer or
TfidfVectorizer with the tokeniser above, no lowercasing or token pattern of its own, and the
vocabulary cap `max_features` (the most frequent tokens are kept).
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from ffnviz import limits
from ffnviz.specs.text import TEXT_FEATURES, TOKENS

# English contractions whose stem changes when "n't" is split off
_IRREGULAR = {"can't": "can n't", "won't": "will n't", "shan't": "shall n't", "ain't": "is n't", "cannot": "can not"}
_IRREGULAR_RE = re.compile(r"\b(" + "|".join(map(re.escape, _IRREGULAR)) + r")\b")
_NT_RE = re.compile(r"(?<=[^\W_])n't\b")
_WORD_RE = re.compile(r"n't|[^\W_]+(?:'[^\W_]+)*")

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ZH_TOKEN_RE = re.compile(rf"[{_HAN}]|[^\W_{_HAN}]+")
# a clause: a stretch of tokens and spaces between punctuation marks
_ZH_CLAUSE_RE = re.compile(r"(?:[^\W_]|\s)+")


def english_words(text: str) -> list[str]:
    """'I didn't like it, not at all.' -> ['i', 'did', "n't", 'like', 'it', 'not', 'at', 'all']"""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _IRREGULAR_RE.sub(lambda m: _IRREGULAR[m.group(1)], text)
    text = _NT_RE.sub(" n't", text)
    return _WORD_RE.findall(text)


def chinese_chars(text: str) -> list[str]:
    """'味道不太好，App很卡' -> ['味', '道', '不', '太', '好', 'app', '很', '卡']"""
    return [token.lower() for token in _ZH_TOKEN_RE.findall(text)]


def chinese_bigrams(text: str) -> list[str]:
    """'不太好，还行' -> ['不太', '太好', '还行']; a clause's tokens two at a time, overlapping."""
    out: list[str] = []
    for clause in _ZH_CLAUSE_RE.findall(text):
        tokens = chinese_chars(clause)
        if len(tokens) == 1:
            out.append(tokens[0])
        out.extend(a + b for a, b in zip(tokens, tokens[1:], strict=False))
    return out


TOKENIZERS = {("en", "words"): english_words, ("zh", "chars"): chinese_chars, ("zh", "bigrams"): chinese_bigrams}


def tokenizer(language: str, tokens: str):
    """The tokenising function for `language` ("en", "zh") and `tokens` (see TOKENS)."""
    if language not in TOKENS:
        raise ValueError(f"language must be one of {tuple(TOKENS)}, got {language!r}")
    if tokens not in TOKENS[language]:
        raise ValueError(f"tokens for {language!r} must be one of {TOKENS[language]}, got {tokens!r}")
    return TOKENIZERS[(language, tokens)]


def vectorizer(language: str, tokens: str, features: str = "tfidf",
               max_features: int | None = None) -> CountVectorizer | TfidfVectorizer:
    """An unfitted bag-of-words ("counts") or TF-IDF ("tfidf") vectorizer with the project's
    tokeniser; `max_features` caps the vocabulary (None: every token seen in training)."""
    tokenize = tokenizer(language, tokens)
    if features not in TEXT_FEATURES:
        raise ValueError(f"features must be one of {TEXT_FEATURES}, got {features!r}")
    if max_features is not None and (isinstance(max_features, bool) or not isinstance(max_features, int)
                                     or not limits.TEXT_VOCABULARY.contains(max_features)):
        raise ValueError(f"max_features must be an integer in {limits.TEXT_VOCABULARY} or None, got {max_features!r}")
    cls = TfidfVectorizer if features == "tfidf" else CountVectorizer
    return cls(tokenizer=tokenize, lowercase=False, token_pattern=None, max_features=max_features)
