"""The shipped text corpora: size, balance, labels, ids, the no-templates rule, the negation
subset, the README's tables; masking and the stratified split."""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from ffnviz import limits
from ffnviz.data import corpus
from ffnviz.data.corpus import (
    SENTIMENT_WORDS,
    SENTIMENTS,
    TOPICS,
    duplicate_rate_after_masking,
    load_corpus,
    mask_sentiment,
    masked_key,
    split,
    summary_markdown,
)

LANGUAGES = limits.TEXT_LANGUAGES


@pytest.fixture(scope="module", params=LANGUAGES)
def lang_df(request):
    return request.param, load_corpus(request.param)


def test_columns_and_types(lang_df):
    _, df = lang_df
    assert tuple(df.columns) == corpus.COLUMNS
    assert df["negation"].dtype == "int64"


def test_stated_size_1200_sentences(lang_df):
    _, df = lang_df
    assert len(df) >= 600  # the floor
    assert len(df) == 1200  # what sample_data/text/README.md states


def test_sentiment_exactly_balanced_within_each_topic(lang_df):
    _, df = lang_df
    table = pd.crosstab(df["topic"], df["sentiment"])
    assert sorted(table.index) == sorted(TOPICS) and sorted(table.columns) == sorted(SENTIMENTS)
    for topic, row in table.iterrows():
        assert row.nunique() == 1, f"{topic}: {row.to_dict()}"
    assert (table.to_numpy() == 80).all(), table  # 80 per topic × sentiment cell


def test_labels_only_from_the_allowed_sets(lang_df):
    _, df = lang_df
    assert set(df["sentiment"]) == set(SENTIMENTS)
    assert set(df["topic"]) == set(TOPICS)
    assert set(df["negation"]) == {0, 1}


def test_no_empty_text_and_unique_ids(lang_df):
    language, df = lang_df
    assert (df["text"].str.strip().str.len() > 0).all()
    assert df["id"].is_unique
    assert df["id"].str.match(rf"^{language}-\d{{4}}$").all()
    assert not df["text"].duplicated().any()


def test_lengths(lang_df):
    language, df = lang_df
    lengths = df["text"].map(lambda t: corpus._length(t, language))
    lo, hi = (5, 25) if language == "en" else (8, 40)
    assert lengths.between(lo, hi).all(), df.loc[~lengths.between(lo, hi), "text"].tolist()


def test_chinese_is_chinese_and_english_is_not():
    zh, en = load_corpus("zh"), load_corpus("en")
    assert zh["text"].str.contains(r"[\u4e00-\u9fff]").all()
    assert not en["text"].str.contains(r"[\u4e00-\u9fff]").any()


def test_duplicate_rate_after_masking_at_most_5_percent(lang_df):
    language, df = lang_df
    assert duplicate_rate_after_masking(df, language) <= limits.TEXT_MAX_DUPLICATE_RATE


def test_negation_subset_large_enough_and_spread(lang_df):
    _, df = lang_df
    neg = df[df["negation"] == 1]
    assert len(neg) >= 0.12 * len(df)
    assert set(neg["sentiment"]) == set(SENTIMENTS)
    assert set(neg["topic"]) == set(TOPICS)
    # not all one polarity: each of positive and negative holds at least a quarter of the subset
    counts = neg["sentiment"].value_counts()
    assert counts["positive"] >= len(neg) / 4 and counts["negative"] >= len(neg) / 4


def test_readme_tables_match_the_files():
    readme = (corpus.CORPUS_DIR / "README.md").read_text(encoding="utf-8")
    start = "<!-- tables: start (sample_data/text/describe.py) -->\n"
    block = readme.split(start, 1)[1].split("<!-- tables: end -->", 1)[0]
    assert block == summary_markdown(), "rerun: python sample_data/text/describe.py --write"


def test_the_example_upload_holds_current_corpus_sentences():
    spec = importlib.util.spec_from_file_location("example_upload", corpus.CORPUS_DIR / "example_upload.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    written = (corpus.CORPUS_DIR / "example_upload.csv").read_text(encoding="utf-8")
    assert written == script.example_csv(), "rerun: python sample_data/text/example_upload.py"


def test_summary_numbers_are_the_counts():
    text = summary_markdown()
    for language in LANGUAGES:
        df = load_corpus(language)
        n_neg = int(df["negation"].sum())
        assert f"| {language} | {len(df)} | " in text
        assert f"| {n_neg} ({n_neg / len(df):.1%}) |" in text


def test_load_returns_a_fresh_copy():
    a = load_corpus("en")
    a.loc[0, "text"] = "changed"
    assert load_corpus("en").loc[0, "text"] != "changed"


def test_unknown_language_refused():
    with pytest.raises(ValueError, match="language"):
        load_corpus("fr")
    with pytest.raises(ValueError, match="language"):
        mask_sentiment("good", "fr")


# -- masking ------------------------------------------------------------------------------------


def test_mask_english_whole_words_any_case():
    assert mask_sentiment("The food was GREAT, not bad.", "en") == "The food was *, not *."
    assert mask_sentiment("A goodbye to the greatness", "en") == "A goodbye to the greatness"  # whole words only
    assert masked_key("The food was great!", "en") == masked_key("the food was awful", "en") == "the food was *"


def test_mask_chinese_longest_first():
    assert mask_sentiment("味道不错，就是有点贵。", "zh") == "味道*，就是有点*。"
    assert mask_sentiment("好吃", "zh") == "*"  # "好吃" whole, not "好" + "吃"
    assert mask_sentiment("太好了", "zh") == "太*了"
    assert masked_key("这家店很好吃！", "zh") == masked_key("这家店很难吃。", "zh")


def test_templates_are_caught():
    df = pd.DataFrame({"text": ["The hotel was great.", "The hotel was terrible.", "The hotel was awful!",
                                "The train leaves at nine."]})
    assert duplicate_rate_after_masking(df, "en") == pytest.approx(0.5)
    assert duplicate_rate_after_masking(df.iloc[:0], "en") == 0.0


def test_sentiment_words_lists():
    for language in LANGUAGES:
        words = SENTIMENT_WORDS[language]
        assert len(words) == len(set(words)) and len(words) > 50
    assert all(w == w.lower() for w in SENTIMENT_WORDS["en"])


# -- split --------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", limits.TEXT_LABELS)
def test_split_is_stratified_and_seeded(label):
    df = load_corpus("en")
    train, test = split(df, label, 0.2, seed=3)
    assert len(train) + len(test) == len(df) and len(test) == 240
    assert set(train["id"]).isdisjoint(test["id"])
    share = test[label].value_counts(normalize=True)
    expected = df[label].value_counts(normalize=True)
    assert (share - expected).abs().max() < 0.01
    again_train, again_test = split(df, label, 0.2, seed=3)
    pd.testing.assert_frame_equal(test, again_test)
    assert list(split(df, label, 0.2, seed=4)[1]["id"]) != list(test["id"])
    assert list(test.index) == list(range(len(test)))


def test_split_refuses_bad_arguments():
    df = load_corpus("zh")
    with pytest.raises(ValueError, match="label"):
        split(df, "negation", 0.2, 0)
    with pytest.raises(ValueError, match="test_fraction"):
        split(df, "topic", 0.9, 0)
    with pytest.raises(ValueError, match="seed"):
        split(df, "topic", 0.2, -1)
