"""Print the corpus tables of README.md from the CSV files, or write them into it (--write).

    python sample_data/text/describe.py           # print
    python sample_data/text/describe.py --write   # replace the block between the markers in README.md

tests/unit/test_corpus.py checks that README.md holds exactly what this prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from ffnviz.data.corpus import summary_markdown  # noqa: E402

START, END = "<!-- tables: start (sample_data/text/describe.py) -->", "<!-- tables: end -->"


def main() -> None:
    tables = summary_markdown()
    if "--write" not in sys.argv:
        print(tables, end="")
        return
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{tables}{END}{tail}", encoding="utf-8")
    print(f"wrote {readme}")


if __name__ == "__main__":
    main()
