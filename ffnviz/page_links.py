"""Every page's link: the parts of its URL, each a LinkForm (ffnviz/specs/links.py) with the
page's default spec and its flat form. Plain Python: whatever reads a page's link (a page, a
test, a server checking a shared run) reads it here, against the defaults its version knew.

`python -m ffnviz.page_links --write` puts today's defaults into specs/link_defaults.json under
the current link version (after a default changed and VERSION went up).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
from functools import partial

from ffnviz.data.corpus import load_corpus
from ffnviz.lessons import ATTENTION_LESSONS
from ffnviz.specs import PLAYGROUND_DEFAULT, TrainSpec, from_flat, to_flat
from ffnviz.specs.conv import ConvRaceSpec, conv_race_from_flat, conv_race_to_flat
from ffnviz.specs.deep import DeepRunSpec, deep_from_flat, deep_to_flat
from ffnviz.specs.gated import FFN, RNN, GatedPart, read_part
from ffnviz.specs.links import TABLE, VERSION, LinkForm, frozen_defaults
from ffnviz.specs.paths import PathsSpec, is_paths_key, paths_from_flat, paths_to_flat
from ffnviz.specs.race import RaceSpec, race_from_flat, race_to_flat
from ffnviz.specs.run import RegSpec
from ffnviz.specs.sequences import seq_race_from_flat, seq_race_to_flat
from ffnviz.specs.text import TOKENS, TextContestant, TextRaceSpec, TextRunSpec, TextSpec, text_race_from_flat, text_race_to_flat

TEXT_EPOCHS = 20  # the text page's opening training length


def text_training_size(data: TextSpec, n_texts: int) -> int:
    """Texts in the training split (scikit-learn's train_test_split rounds the test side up)."""
    return n_texts - math.ceil(data.test_fraction * n_texts)


@functools.cache
def text_default(language: str = "en") -> TextRaceSpec:
    """The text page's opening race: the shipped corpus of `language`, the chapter's classifier
    and training (Adam 0.001, batch 32) for TEXT_EPOCHS epochs."""
    data = TextSpec(language=language, tokens=TOKENS[language][0])
    updates = TEXT_EPOCHS * math.ceil(text_training_size(data, len(load_corpus(language))) / 32)
    train = TrainSpec(batch_size=32, max_updates=updates)
    return TextRaceSpec(TextRunSpec(data=data, train=train), (TextContestant(reg=RegSpec("none", 1e-3)),))


def _gated(name: str, part: GatedPart) -> LinkForm:
    return LinkForm(name, part.default, partial(seq_race_to_flat, prefix=part.prefix), partial(read_part, part),
                    owns=lambda key: key.startswith(part.prefix))


def _not_paths(key: str) -> bool:
    return not is_paths_key(key)


PLAYGROUND = LinkForm("playground", PLAYGROUND_DEFAULT, to_flat, from_flat)
OPTIMIZER_PATHS = LinkForm("optimizers.paths", PathsSpec(), paths_to_flat, paths_from_flat, owns=is_paths_key)
OPTIMIZER_RACE = LinkForm("optimizers.race", RaceSpec(), race_to_flat, race_from_flat, owns=_not_paths)
GATED_FFN = _gated("gated.ffn", FFN)
GATED_RNN = _gated("gated.rnn", RNN)
# The reverse lesson (length 8, vocabulary 10): the anti-diagonal the page opens with.
ATTENTION = LinkForm("attention", ATTENTION_LESSONS[0].spec, seq_race_to_flat, seq_race_from_flat)
CONVOLUTION = LinkForm("convolution", ConvRaceSpec(), conv_race_to_flat, conv_race_from_flat)
TEXT = LinkForm("text", text_default("en"), text_race_to_flat, text_race_from_flat)
DEEP = LinkForm("deep", DeepRunSpec(), deep_to_flat, deep_from_flat)

# page path -> the parts of its URL
PAGES: dict[str, tuple[LinkForm, ...]] = {
    "playground": (PLAYGROUND,),
    "optimizers": (OPTIMIZER_PATHS, OPTIMIZER_RACE),
    "gated": (GATED_FFN, GATED_RNN),
    "attention": (ATTENTION,),
    "convolution": (CONVOLUTION,),
    "text": (TEXT,),
    "deep": (DEEP,),
}
FORMS = {form.name: form for forms in PAGES.values() for form in forms}
PAGE_OF = {form.name: page for page, forms in PAGES.items() for form in forms}  # form -> the page it is on
# Pages that keep no settings in their URL (the class page's `?class=CODE` names a class, not a run).
WITHOUT_SETTINGS = ("classroom",)


def changed_defaults(version: int = VERSION) -> list[str]:
    """The forms whose default today differs from the table's for `version`."""
    return [name for name, form in FORMS.items() if frozen_defaults(name, version) != form.to_flat(form.default)]


def _write() -> None:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    changed = changed_defaults()
    if not changed:
        print(f"every default is as version {VERSION} knew it: nothing to write")
        return
    table[str(VERSION)] = {**table.get(str(VERSION), {}),
                           **{name: FORMS[name].to_flat(FORMS[name].default) for name in changed}}
    TABLE.write_text(json.dumps(table, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"version {VERSION}: wrote the defaults of {', '.join(changed)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write today's changed defaults into the table")
    if parser.parse_args().write:
        _write()
    else:
        print("changed since the table:", ", ".join(changed_defaults()) or "none")
