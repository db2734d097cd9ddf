"""Tokenisers on hand-checked English and Chinese examples; the vectorizers' settings and cap."""

from __future__ import annotations

import pickle

import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from ffnviz import limits
from ffnviz.data.corpus import load_corpus
from ffnviz.data.tokenize import chinese_bigrams, chinese_chars, english_words, tokenizer, vectorizer


@pytest.mark.parametrize(("text", "tokens"), [
    ("I didn't like it, not at all.", ["i", "did", "n't", "like", "it", "not", "at", "all"]),
    ("Can't fault it; won't go back. Cannot recommend!",
     ["can", "n't", "fault", "it", "will", "n't", "go", "back", "can", "not", "recommend"]),
    ("Don\u2019t bother, it's NOT worth it", ["do", "n't", "bother", "it's", "not", "worth", "it"]),
    ("Never again. No complaints.", ["never", "again", "no", "complaints"]),
    ("Grandma's well-marked 4,512-point café", ["grandma's", "well", "marked", "4", "512", "point", "café"]),
    ("The hotel wasn't bad", ["the", "hotel", "was", "n't", "bad"]),
    ("", []),
])
def test_english_words(text, tokens):
    assert english_words(text) == tokens


def test_english_negation_survives():
    assert "n't" in english_words("It isn't good") and "not" in english_words("not good")


@pytest.mark.parametrize(("text", "chars", "bigrams"), [
    ("味道不太好。", ["味", "道", "不", "太", "好"], ["味道", "道不", "不太", "太好"]),
    ("不太好，还行", ["不", "太", "好", "还", "行"], ["不太", "太好", "还行"]),  # no bigram across "，"
    ("好！", ["好"], ["好"]),  # a one-token clause gives that token
    ("App很卡，5G信号差", ["app", "很", "卡", "5g", "信", "号", "差"], ["app很", "很卡", "5g信", "信号", "号差"]),
    ("没有想象中差", ["没", "有", "想", "象", "中", "差"], ["没有", "有想", "想象", "象中", "中差"]),
    ("", [], []),
])
def test_chinese_chars_and_bigrams(text, chars, bigrams):
    assert chinese_chars(text) == chars
    assert chinese_bigrams(text) == bigrams


def test_tokenizer_choices():
    assert tokenizer("en", "words") is english_words
    assert tokenizer("zh", "chars") is chinese_chars and tokenizer("zh", "bigrams") is chinese_bigrams
    with pytest.raises(ValueError, match="tokens"):
        tokenizer("en", "chars")
    with pytest.raises(ValueError, match="tokens"):
        tokenizer("zh", "words")
    with pytest.raises(ValueError, match="language"):
        tokenizer("de", "words")


def test_vectorizer_kinds_and_settings():
    v = vectorizer("en", "words", "counts")
    assert type(v) is CountVectorizer and v.tokenizer is english_words and v.lowercase is False and v.max_features is None
    t = vectorizer("zh", "bigrams", "tfidf", 100)
    assert type(t) is TfidfVectorizer and t.tokenizer is chinese_bigrams and t.max_features == 100
    with pytest.raises(ValueError, match="features"):
        vectorizer("en", "words", "embeddings")


def test_vectorizer_uses_the_tokeniser():
    v = vectorizer("en", "words", "counts").fit(["It wasn't bad", "Not bad at all"])
    assert set(v.vocabulary_) == {"it", "was", "n't", "bad", "not", "at", "all"}
    z = vectorizer("zh", "chars", "counts").fit(["不太好", "很好"])
    assert set(z.vocabulary_) == {"不", "太", "好", "很"}


@pytest.mark.parametrize(("language", "tokens"), [("en", "words"), ("zh", "chars"), ("zh", "bigrams")])
def test_vocabulary_cap(language, tokens):
    texts = load_corpus(language)["text"]
    full = vectorizer(language, tokens, "tfidf").fit(texts)
    assert len(full.vocabulary_) > 200
    capped = vectorizer(language, tokens, "tfidf", 200).fit(texts)
    assert len(capped.vocabulary_) == 200
    assert set(capped.vocabulary_) <= set(full.vocabulary_)
    assert capped.transform(texts[:3]).shape == (3, 200)
    assert len(full.vocabulary_) <= limits.TEXT_VOCABULARY.hi  # the cap's top keeps every token


def test_cap_keeps_the_most_frequent_tokens():
    v = vectorizer("en", "words", "counts", 10).fit(["a a a b b c", "a b d"] * 1 + ["e f g h i j k"])
    assert {"a", "b"} <= set(v.vocabulary_)


@pytest.mark.parametrize("bad", [0, 5, limits.TEXT_VOCABULARY.hi + 1, 2.5, True, "100"])
def test_vocabulary_cap_out_of_range_refused(bad):
    with pytest.raises(ValueError, match="max_features"):
        vectorizer("en", "words", "counts", bad)


def test_fitted_vectorizer_pickles():
    v = vectorizer("zh", "bigrams", "tfidf", 50).fit(["不太好吃", "没有想象中差"])
    again = pickle.loads(pickle.dumps(v))
    assert (again.transform(["不太好"]) != v.transform(["不太好"])).nnz == 0
