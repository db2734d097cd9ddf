"""A spec's flat form, the page URL: {"data.noise": "0.1", "model.hidden": "4,2",
"optim.hyper.momentum": "0.9"}.

One table of rules, read off each dataclass's type hints, writes a field and reads it back:

| field type                  | written                     | read back, or the message  |
|-----------------------------|-----------------------------|----------------------------|
| float                       | repr (exact)                | "is not a number"          |
| int                         | digits                      | "is not a whole number"    |
| bool                        | True / False                | 1 0 true false yes no      |
| str                         | as is                       | stripped                   |
| tuple[int, ...]             | 4,2                         | "is not a comma-separated list of whole numbers" |
| tuple[str, ...]             | x1,x2                       | split at commas            |
| tuple[tuple[str, float]...] | one key per pair: hyper.<k> | each "is not a number"     |
| X | None                    | left out when None          | as X                       |

Reading never raises: a value that does not parse, or that the spec's own problems() refuse,
keeps the base's and adds a message naming the key and what is allowed (checks.fall_back).
"""

from __future__ import annotations

import functools
import math
import types
import typing
from dataclasses import fields
from typing import Any

from ffnviz.limits import Range
from ffnviz.specs.checks import fall_back

Flat = dict[str, str]

_BOOL_TEXTS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
_EXPECTED = {"int": "a whole number", "float": "a number", "bool": "true or false",
             "ints": "a comma-separated list of whole numbers (e.g. 4,2)",
             "floats": "a comma-separated list of numbers"}


@functools.cache
def _kinds(cls: type) -> dict[str, str]:
    """Each field's kind of flat value (see the table above), from the class's type hints."""
    return {name: _kind(hint) for name, hint in typing.get_type_hints(cls).items()
            if name in {f.name for f in fields(cls)}}


def _kind(hint) -> str:
    if isinstance(hint, types.UnionType):  # X | None
        hint = next(h for h in typing.get_args(hint) if h is not type(None))
    if hint in (bool, int, float, str):
        return hint.__name__
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        if typing.get_origin(item) is tuple:
            return "pairs"
        return {int: "ints", str: "strs", float: "floats"}.get(item, "other")
    return "other"  # a nested spec: its owner writes it under a prefix of its own


def _write(value: Any, kind: str) -> str:
    if kind in ("ints", "strs"):
        return ",".join(str(v) for v in value)
    if kind == "floats":
        return ",".join(repr(float(v)) for v in value)
    return repr(value) if isinstance(value, float) else str(value)


def _read(text: str, kind: str) -> Any:
    """`text` as a value of `kind`, or ValueError."""
    text = text.strip()
    if kind == "bool":
        if text.lower() not in _BOOL_TEXTS:
            raise ValueError(text)
        return _BOOL_TEXTS[text.lower()]
    if kind in ("int", "float"):
        return int(text) if kind == "int" else float(text)
    parts = [p.strip() for p in text.split(",") if p.strip() != ""]
    if kind == "ints":
        return tuple(int(p) for p in parts)
    if kind == "floats":
        return tuple(float(p) for p in parts)
    return tuple(parts) if kind == "strs" else text


def section_to_flat(prefix: str, section, skip: tuple[str, ...] = ()) -> Flat:
    """Every plain field of `section` as "<prefix><field>": text (floats exact)."""
    flat: Flat = {}
    for name, kind in _kinds(type(section)).items():
        value = getattr(section, name)
        if name in skip or value is None or kind == "other":
            continue
        if kind == "pairs":
            flat.update((f"{prefix}{name}.{k}", repr(float(v))) for k, v in value)
        else:
            flat[prefix + name] = _write(value, kind)
    return flat


def section_from_flat(flat: Flat, prefix: str, section, errors: list[str], skip: tuple[str, ...] = ()):
    """`section` with the fields the link gives under `prefix` ("data.", "c0.optim."). A value
    that does not parse, or that the section's problems() refuse, keeps `section`'s, with a
    message naming the key and what is allowed. The section's `link_changes` says what the
    changes mean together (e.g. a data set alone picks its problem)."""
    changes: dict[str, Any] = {}
    for name, kind in _kinds(type(section)).items():
        if name in skip or kind == "other":
            continue
        if kind == "pairs":
            given = {k.removeprefix(f"{prefix}{name}."): v for k, v in flat.items() if k.startswith(f"{prefix}{name}.")}
            pairs = {}
            for key, text in given.items():
                try:
                    pairs[key] = float(text)
                except ValueError:
                    errors.append(f"{prefix}{name}.{key}: {text!r} is not a number")
            if pairs:
                changes[name] = pairs
            continue
        key = prefix + name
        if key not in flat:
            continue
        try:
            changes[name] = _read(flat[key], kind)
        except ValueError:
            errors.append(f"{key}: {flat[key]!r} is not {_EXPECTED[kind]}")
    return fall_back(section, section.link_changes(changes), prefix, errors)


def under(flat: Flat, prefix: str) -> Flat:
    """The keys under `prefix`, without it."""
    return {k.removeprefix(prefix): v for k, v in flat.items() if k.startswith(prefix)}


def prefixed(flat: Flat, prefix: str) -> Flat:
    return {prefix + k: v for k, v in flat.items()}


def number_from_flat(flat: Flat, key: str, default, allowed: Range, errors: list[str], parse=float):
    """A number a link gives under `key` (parse: int or float), in `allowed`; anything else keeps
    `default` and says why in `errors`."""
    text = flat.get(key)
    if text is None:
        return default
    try:
        value = parse(text)
    except ValueError:
        errors.append(f"{key}: {text!r} is not {'a whole number' if parse is int else 'a number'}")
        return default
    if math.isfinite(value) and allowed.contains(value):
        return value
    errors.append(f"{key} must be in {allowed}, got {text}")
    return default


def count_from_flat(flat: Flat, key: str, default: int, allowed: Range, errors: list[str]) -> int:
    """How many of something a link asks for (`race.contestants`, `paths.optimizers`)."""
    return number_from_flat(flat, key, default, allowed, errors, int)


def bool_from_flat(flat: Flat, key: str, default: bool, errors: list[str]) -> bool:
    text = flat.get(key)
    if text is None:
        return default
    try:
        return _read(text, "bool")
    except ValueError:
        errors.append(f"{key}: {text!r} is not true or false")
        return default


def seeds_from_flat(flat: Flat, key: str, default: tuple[int, ...], check, errors: list[str]) -> tuple[int, ...]:
    """A race's training seeds ("0,1,2") under `key`; `check(seeds)` gives what the race says
    of them (messages starting "seeds ..." or about contestants × seeds). A bad value keeps
    `default`, with a message naming the key."""
    text = flat.get(key)
    if text is None:
        return default
    try:
        seeds = _read(text, "ints")
    except ValueError:
        errors.append(f"{key}: {text!r} is not a comma-separated list of whole numbers (e.g. 0,1,2)")
        return default
    found = check(seeds)
    if found:
        prefix = key.removesuffix("seeds")
        errors.append(prefix + found[0] if found[0].startswith("seeds") else f"{key}: {found[0]}")
        return default
    return seeds
