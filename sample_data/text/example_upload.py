"""Write example_upload.csv, the text page's "Example file": 60 English sentences of the corpus,
20 of each of three topics (food, travel, tech; every sentiment), labelled by topic, in a seeded
shuffled order, in the two columns an upload has (text, label).

    python sample_data/text/example_upload.py          # rewrite example_upload.csv
    python sample_data/text/example_upload.py --check  # exit 1 if the file differs from what it would write

Run it again whenever en.csv changes, so that the example holds the corpus's current sentences.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from ffnviz.data.corpus import load_corpus  # noqa: E402

TOPICS = ("food", "travel", "tech")
PER_TOPIC = 20
SEED = 0
PATH = HERE / "example_upload.csv"


def example_csv() -> str:
    df = load_corpus("en")
    picked = (df[df["topic"].isin(TOPICS)].groupby("topic", group_keys=False)
              .sample(n=PER_TOPIC, random_state=SEED).sample(frac=1.0, random_state=SEED))
    return picked[["text", "topic"]].rename(columns={"topic": "label"}).to_csv(index=False, lineterminator="\n")


def main() -> None:
    text = example_csv()
    if "--check" in sys.argv:
        same = PATH.read_text(encoding="utf-8") == text
        print(f"{PATH.name} {'matches' if same else 'differs from'} the corpus")
        sys.exit(0 if same else 1)
    PATH.write_text(text, encoding="utf-8")
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
