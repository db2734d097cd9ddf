"""The labelled text corpora that ship in sample_data/text/ (see its README.md), and their split.

Each language's file has the columns id, text, sentiment (positive / negative / neutral),
topic (food / travel / tech / sport / finance) and negation (1 where the sentence's sentiment
hinges on a negation such as "not bad" or "不太好", else 0). `load_corpus("en" | "zh")` reads
one from the repository (no network) and checks it; `split` holds out a stratified test set
with a seed.

`SENTIMENT_WORDS` lists, per language, words that carry sentiment on their own. Masking them
(`mask_sentiment`) and counting sentences that then read the same as another
(`duplicate_rate_after_masking`) measures how template-like a corpus is: "The food was great" and
"The food was awful" are one sentence once "great" and "awful" are masked.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from ffnviz import limits

CORPUS_DIR = Path(__file__).resolve().parents[2] / "sample_data" / "text"
COLUMNS = ("id", "text", "sentiment", "topic", "negation")
SENTIMENTS = ("positive", "negative", "neutral")
TOPICS = ("food", "travel", "tech", "sport", "finance")
LABEL_VALUES = {"sentiment": SENTIMENTS, "topic": TOPICS}
MASK = "*"

# Words that carry sentiment on their own, whatever the topic: the corpus's recurring everyday
# sentiment lexicon (sample_data/text/README.md) and rarer ones. English: whole words, any case.
# Chinese: substrings, the longest that starts at each position ("好吃" before "好"); degree words
# such as 很 and 太 are left out of the list, so "很好吃" and "很难吃" both mask to "很*".
SENTIMENT_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        # positive
        "good", "great", "better", "best", "excellent", "amazing", "awesome", "wonderful", "brilliant", "fantastic",
        "superb", "perfect", "perfectly", "lovely", "love", "loved", "loves", "loving", "delicious", "tasty",
        "impressive", "impressed", "impressively", "incredible", "stunning", "gorgeous", "beautiful", "beautifully",
        "nice", "pleasant", "happy", "happier", "delighted", "thrilled", "glad", "satisfied", "friendly", "helpful",
        "recommend", "recommended", "enjoy", "enjoyed", "flawless", "outstanding", "exceptional", "terrific",
        "tremendous", "magnificent", "decent", "comfortable", "fresh", "heavenly", "unforgettable", "inspiring",
        "proud", "grateful", "relief", "welcome", "encouraging", "fun", "favourite", "favorite", "joy", "triumph",
        "gem", "charming", "cosy", "cozy", "smooth", "spotless", "clean", "generous", "kind", "warm", "patient",
        "reliable", "solid", "thrilling", "exciting", "magical", "wow",
        "pleased", "enjoyable", "enjoying", "enjoys", "liked", "polite", "easy", "quick", "fast", "efficient",
        "convenient", "affordable", "reasonable", "bargain", "worth", "worthwhile", "cheerful", "tidy", "spacious",
        "attentive", "thanks", "thank", "top-notch", "impeccable", "fabulous", "smoothly", "happily", "handy",
        "delight", "pleasure", "satisfying", "refreshing", "excellently", "smoother", "faster", "prouder", "nicer",
        # negative
        "bad", "worse", "worst", "terrible", "awful", "horrible", "dreadful", "disappointing", "disappointed",
        "disappointment", "letdown", "bland", "mediocre", "poor", "overpriced", "rude", "unhelpful", "useless",
        "pathetic", "shocking", "shameful", "disgraceful", "outrageous", "ridiculous", "unacceptable", "miserable",
        "painful", "regret", "hate", "hated", "unhappy", "annoyed", "annoying", "furious", "frustrating",
        "infuriating", "angry", "boring", "dirty", "filthy", "stale", "soggy", "greasy", "rubbish", "disaster",
        "nightmare", "mess", "scam", "scammed", "sloppy", "lazy", "ugly", "uncomfortable", "broken", "faulty",
        "horrendous", "unbearable", "humiliated", "heartbreaking", "sad", "yikes", "sneaky", "shambles",
        "poorly", "slow", "late", "delayed", "burnt", "undercooked", "overcooked", "noisy", "cramped", "expensive",
        "rip-off", "waste", "wasted", "wasting", "frustrated", "avoid", "unreliable", "buggy", "crashed", "crashes",
        "crashing", "laggy", "messy", "upset", "misleading", "joke", "complain", "complained", "complaint",
        "complaints", "failed", "fails", "worthless", "overrated", "hopeless", "flimsy", "rotten", "regretted",
        "hates", "disgusting", "appalling", "cheated", "unfair", "ruined", "ruins", "lousy", "clueless",
        "incompetent", "stressful", "hassle", "greedy", "disappoint", "disappoints", "badly", "fail", "depressing",
        "embarrassing", "dislike",
    ),
    "zh": (
        # positive
        "不错", "好吃", "好看", "好用", "好评", "满意", "喜欢", "推荐", "精彩", "开心", "高兴",
        "惊艳", "惊喜", "完美", "优秀", "出色", "贴心", "暖心", "热情", "舒服", "方便", "划算", "值得", "超值",
        "实惠", "享受", "满足", "幸福", "感动", "佩服", "厉害", "给力", "靠谱", "痛快", "过瘾", "治愈", "漂亮",
        "干净", "新鲜", "五星", "一流", "绝了", "爱了", "神器", "良心", "放心", "安心", "踏实", "顺利", "耐心",
        "专业", "流畅", "清爽", "美味", "赞", "棒", "香", "美",
        "好喝", "好玩", "舒适", "周到", "稳定", "省心", "点赞", "满分", "喜爱", "愉快", "轻松", "宽敞", "准时",
        "高效", "实用", "友好", "礼貌", "可口", "地道", "正宗", "便宜", "物美价廉", "性价比高", "优质", "回购", "快",
        # negative
        "不满", "失望", "讨厌", "糟糕", "难吃", "难看", "难用", "难受", "差评", "垃圾", "坑人",
        "恶心", "离谱", "过分", "恶劣", "烦人", "烦死", "气人", "生气", "愤怒", "后悔", "糟心", "扫兴", "遗憾",
        "可惜", "黑心", "吓人", "可怕", "丢人", "无语", "崩溃", "心碎", "郁闷", "麻烦", "敷衍", "不值", "坑",
        "脏", "差", "贵", "烂", "烦", "累",
        "难喝", "差劲", "卡顿", "闪退", "死机", "毛病", "油腻", "忽悠", "浪费", "投诉", "吐槽", "踩雷", "翻车",
        "粗糙", "冷淡", "晚点", "延误", "闹心", "心累", "寒心", "破旧", "发霉", "变质", "无聊", "尴尬", "窝火",
        "憋屈", "火大", "气死", "乱收费", "混乱", "失败", "慢", "吵", "挤", "咸", "骗", "拖",
        # either, by what follows
        "好",
    ),
}

_EN_MASK = re.compile(r"(?i)\b(" + "|".join(sorted(map(re.escape, SENTIMENT_WORDS["en"]), key=len, reverse=True))
                      + r")\b")
_ZH_MASK = re.compile("|".join(sorted(map(re.escape, SENTIMENT_WORDS["zh"]), key=len, reverse=True)))


def _check_language(language: str) -> None:
    if language not in limits.TEXT_LANGUAGES:
        raise ValueError(f"language must be one of {limits.TEXT_LANGUAGES}, got {language!r}")


def corpus_path(language: str) -> Path:
    _check_language(language)
    return CORPUS_DIR / f"{language}.csv"


@functools.cache
def _read(language: str) -> pd.DataFrame:
    path = corpus_path(language)
    df = pd.read_csv(path, encoding="utf-8", dtype={"id": str, "text": str, "sentiment": str, "topic": str},
                     keep_default_na=False)
    if tuple(df.columns) != COLUMNS:
        raise ValueError(f"{path}: columns must be {COLUMNS}, got {tuple(df.columns)}")
    for label, allowed in LABEL_VALUES.items():
        bad = sorted(set(df[label]) - set(allowed))
        if bad:
            raise ValueError(f"{path}: {label} values outside {allowed}: {bad}")
    if not set(df["negation"]) <= {0, 1}:
        raise ValueError(f"{path}: negation must be 0 or 1")
    if (df["text"].str.strip() == "").any():
        raise ValueError(f"{path}: empty text")
    if df["id"].duplicated().any():
        raise ValueError(f"{path}: duplicate ids")
    df["negation"] = df["negation"].astype("int64")
    return df


def load_corpus(language: str) -> pd.DataFrame:
    """The corpus of `language` ("en" or "zh"): a fresh DataFrame with COLUMNS, in file order."""
    return _read(language).copy()


def split(df: pd.DataFrame, label: str, test_fraction: float = 0.25,
          seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): `test_fraction` of the rows held out, stratified by `label` ("sentiment"
    or "topic"), shuffled by `seed` (scikit-learn's train_test_split); indexes reset."""
    if label not in limits.TEXT_LABELS:
        raise ValueError(f"label must be one of {limits.TEXT_LABELS}, got {label!r}")
    if not limits.TEXT_TEST_FRACTION.contains(test_fraction):
        raise ValueError(f"test_fraction must be in {limits.TEXT_TEST_FRACTION}, got {test_fraction!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not limits.TEXT_SEED.contains(seed):
        raise ValueError(f"seed must be an integer in {limits.TEXT_SEED}, got {seed!r}")
    train, test = train_test_split(df, test_size=test_fraction, stratify=df[label], random_state=seed)
    return train.reset_index(drop=True), test.reset_index(drop=True)


def mask_sentiment(text: str, language: str) -> str:
    """`text` with each of SENTIMENT_WORDS[language] replaced by MASK."""
    _check_language(language)
    return (_EN_MASK if language == "en" else _ZH_MASK).sub(MASK, text)


def _normalised(text: str) -> str:
    """Lowercase; punctuation dropped; spaces collapsed (the MASK is kept)."""
    text = re.sub(r"[^\w*]+", " ", text.lower().replace("\u2019", "'").replace("'", ""))
    return " ".join(text.split())


def masked_key(text: str, language: str) -> str:
    """The form in which two sentences count as duplicates: masked, then normalised."""
    return _normalised(mask_sentiment(text, language))


def duplicate_rate_after_masking(df: pd.DataFrame, language: str) -> float:
    """The fraction of rows whose masked, normalised text repeats an earlier row's."""
    if len(df) == 0:
        return 0.0
    keys = df["text"].map(lambda t: masked_key(t, language))
    return float(keys.duplicated().sum() / len(df))


def _length(text: str, language: str) -> int:
    """Words (English) or characters other than punctuation and spaces (Chinese)."""
    return len(text.split()) if language == "en" else len(re.sub(r"[\W_]", "", text))


def summary_markdown() -> str:
    """The size and balance tables of sample_data/text/README.md, computed from the files
    (sample_data/text/describe.py writes them into the README; a test checks they match)."""
    header = ("language", "sentences", *SENTIMENTS, "negation = 1", "duplicates after masking",
              "length min / median / max")
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 2) + "---|"]
    for language in limits.TEXT_LANGUAGES:
        df = load_corpus(language)
        counts = df["sentiment"].value_counts()
        n_neg = int(df["negation"].sum())
        n_dup = round(duplicate_rate_after_masking(df, language) * len(df))
        lengths = df["text"].map(lambda t, lang=language: _length(t, lang))
        unit = "words" if language == "en" else "characters"
        lines.append(f"| {language} | {len(df)} | {counts['positive']} | {counts['negative']} | {counts['neutral']} "
                     f"| {n_neg} ({n_neg / len(df):.1%}) | {n_dup} ({n_dup / len(df):.1%}) "
                     f"| {lengths.min()} / {lengths.median():g} / {lengths.max()} {unit} |")
    for language in limits.TEXT_LANGUAGES:
        df = load_corpus(language)
        lines += ["", f"**{language}**: sentences per topic and sentiment (in brackets: of which negation = 1)", "",
                  "| topic | " + " | ".join(SENTIMENTS) + " | total |", "|---|" + "---:|" * (len(SENTIMENTS) + 1)]
        for topic in (*TOPICS, "total"):
            rows = df if topic == "total" else df[df["topic"] == topic]
            cells = []
            for sentiment in SENTIMENTS:
                cell = rows[rows["sentiment"] == sentiment]
                cells.append(f"{len(cell)} ({int(cell['negation'].sum())})")
            cells.append(f"{len(rows)} ({int(rows['negation'].sum())})")
            lines.append(f"| {topic} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
