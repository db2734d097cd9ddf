"""Versioned links. A page's link says only where its spec differs from the page's default, so a
changed default would silently change every link already shared and every challenge a teacher
saved. So a link carries the version of the defaults it was made against (`v=2`), and is read
against those defaults, kept frozen in link_defaults.json.

- A link with spec keys and no `v` is of version 1: the form links had before versions.
- A page without spec keys (a bare URL, a menu link, a teacher's `lr_hide=1` alone) opens at
  today's defaults: it names nothing to read against old ones.
- Changing a page's default means: bump VERSION and add the new defaults to link_defaults.json
  under it (`python -m ffnviz.page_links --write`); tests/unit/test_links.py fails until then.

A LinkForm is how one page, or one part of a page, keeps its spec in the URL: its name in the
table, today's default, its flat form both ways, and which URL keys are its own.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ffnviz.specs.flat import Flat

# 1: before versions; 2: `v` in links (no default changed); 3: the first-seconds defaults
# (the playground's SGD 0.3 and Xavier initialization, the race's network Xavier); 4: a schedule
# section on the playground and the sequence races (constant: nothing changes), and the LSTM's
# forget-gate bias as a spec field, 2 (links before 4 trained with torch's draw: 0 in their table);
# 5: the GRU's update-gate bias as a spec field, 0 (torch's draw, as every link before 5 trained).
VERSION = 5
VERSION_KEY = "v"
LANG_KEY = "lang"
HIDE_SUFFIX = "_hide"
VIEW_PREFIX = "view."
TABLE = Path(__file__).with_name("link_defaults.json")


def is_spec_key(key: str) -> bool:
    """A key of some spec's flat form: not the version, the language, a view switch or a hide."""
    return key not in (VERSION_KEY, LANG_KEY) and not key.startswith(VIEW_PREFIX) and not key.endswith(HIDE_SUFFIX)


def _everything(key: str) -> bool:
    return True


@dataclass(frozen=True)
class LinkForm:
    name: str  # its entry in link_defaults.json, e.g. "playground", "optimizers.paths"
    default: Any  # today's default spec
    to_flat: Callable[[Any], Flat]
    from_flat: Callable[[Flat, Any], tuple[Any, list[str]]]  # (flat, base) -> (spec, messages); never raises
    owns: Callable[[str], bool] = _everything  # which spec keys of the page URL are this part's

    def own(self, flat: Flat) -> Flat:
        return {k: v for k, v in flat.items() if is_spec_key(k) and self.owns(k)}


@functools.cache
def _table() -> dict[int, dict[str, Flat]]:
    return {int(v): forms for v, forms in json.loads(TABLE.read_text(encoding="utf-8")).items()}


def frozen_defaults(name: str, version: int) -> Flat | None:
    """The flat default of form `name` as links of `version` knew it: the newest table entry at or
    before that version (a version that changed no default has none of its own)."""
    for v in sorted((v for v in _table() if v <= version), reverse=True):
        if name in _table()[v]:
            return _table()[v][name]
    return None


def link_version(flat: Flat, errors: list[str]) -> int:
    text = flat.get(VERSION_KEY)
    if text is None:
        return 1
    try:
        version = int(text)
    except ValueError:
        version = 0
    if 1 <= version <= VERSION:
        return version
    errors.append(f"{VERSION_KEY}: {text!r} is not a link version this ffnviz knows (1..{VERSION}); "
                  "read against today's defaults")
    return VERSION


def defaults_at(form: LinkForm, version: int, errors: list[str]):
    """The default spec links of `version` were made against; where today's code refuses one of
    its values (a choice that is gone), today's, with a message."""
    frozen = frozen_defaults(form.name, version)
    if frozen is None or frozen == form.to_flat(form.default):
        return form.default
    spec, found = form.from_flat(frozen, form.default)
    errors += [f"the defaults of link version {version}: {m}" for m in found]
    return spec


def read_link(form: LinkForm, flat: Flat) -> tuple[Any, list[str]]:
    """The spec a page URL gives `form`, read against the defaults its version knew; messages
    for every value kept from them (the URL is read, never raises)."""
    errors: list[str] = []
    own = form.own(flat)
    if not own:
        return form.default, errors
    spec, found = form.from_flat(own, defaults_at(form, link_version(flat, errors), errors))
    return spec, errors + found


def link_differences(form: LinkForm, spec, default_flat: Flat | None = None) -> Flat:
    """What the link says of `spec`: its flat form where it differs from the default's (or from
    `default_flat`, where what a link may leave out depends on the spec, as on the 2-D surfaces)."""
    base = form.to_flat(form.default) if default_flat is None else default_flat
    return {k: v for k, v in form.to_flat(spec).items() if base.get(k) != v}


def with_version(query: Flat) -> Flat:
    """`query` with the version key exactly when it names some spec's value (a bare page has none)."""
    query = {k: v for k, v in query.items() if k != VERSION_KEY}
    if any(is_spec_key(k) for k in query):
        query[VERSION_KEY] = str(VERSION)
    return query
