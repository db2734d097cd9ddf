"""How a spec says what is wrong with it: `problems()` lists (field, message) pairs, each message
naming the field and what is allowed; `validate()` raises them as one ValueError."""

from __future__ import annotations

import math
from dataclasses import fields, replace
from typing import Any

from ffnviz.limits import Range

Problems = list[tuple[str, str]]  # (field name, what is wrong and what is allowed)


def check_range(problems: Problems, name: str, value: float, rng: Range, integer: bool = False) -> None:
    if integer and (not isinstance(value, int) or isinstance(value, bool)):
        problems.append((name, f"{name} must be a whole number in {rng}, got {value!r}"))
    elif not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        problems.append((name, f"{name} must be a number in {rng}, got {value!r}"))
    elif not rng.contains(value):
        problems.append((name, f"{name} must be in {rng}, got {value:g}"))


def check_choice(problems: Problems, name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        problems.append((name, f"{name} must be one of {', '.join(choices)}; got {value!r}"))


def check_bool(problems: Problems, name: str, value: object) -> None:
    if not isinstance(value, bool):
        problems.append((name, f"{name} must be true or false, got {value!r}"))


def check_seeds(problems: Problems, seeds: Any, count: Range, seed_range: Range) -> None:
    """A race's training seeds: `count` of them, each in `seed_range`, all different."""
    if not isinstance(seeds, tuple) or not count.contains(len(seeds)):
        problems.append(("seeds", f"seeds must list {count} training seeds, got {seeds!r}"))
        return
    for s in seeds:
        check_range(problems, "seeds", s, seed_range, integer=True)
    if len(set(seeds)) != len(seeds):
        problems.append(("seeds", f"seeds must differ from each other, got {seeds!r}"))


def nested(prefix: str, problems: Problems) -> Problems:
    """A part's problems as its whole reports them: "optim.lr" for the part "optim"'s "lr"."""
    return [(f"{prefix}.{f}", m) for f, m in problems]


class Section:
    """What every spec shares: validation from `problems()`."""

    def problems(self) -> Problems:  # pragma: no cover - every spec overrides it
        raise NotImplementedError

    def validate(self):
        found = self.problems()
        if found:
            raise ValueError("; ".join(message for _, message in found))
        return self

    def link_changes(self, changes: dict[str, Any]) -> dict[str, Any]:
        """What a link's changes to this section mean together (specs/flat.py reads them): a
        field of pairs (optim.hyper) comes as the link's own pairs, laid over this section's.
        A section whose fields depend on each other says more (DataSpec, OptimSpec)."""
        return {name: tuple(sorted({**dict(getattr(self, name)), **value}.items())) if isinstance(value, dict) else value
                for name, value in changes.items()}


def fall_back(base, changes: dict[str, Any], prefix: str, errors: list[str]):
    """`base` with `changes`, less every change its problems() refuse: one field at a time, the
    first refused field goes back to the base's value (or, when the base's is the refused one,
    the type's default), with a message naming its key (`prefix` + the message). Changes that
    fight each other to the end (or a bad base) give the base, or the type's default."""
    names = {f.name for f in fields(base)}
    candidate, changes = replace(base, **changes), dict(changes)
    for _ in range(len(changes) + 1):
        found = candidate.problems()
        if not found:
            return candidate
        bad, message = found[0]
        errors.append(prefix + message)
        if bad not in names:  # a nested part's field: nothing here to put back
            break
        kept = getattr(base, bad) if bad in changes else getattr(type(base)(), bad)
        candidate = replace(candidate, **{bad: kept})
        changes.pop(bad, None)
    if not candidate.problems():
        return candidate
    return base if not base.problems() else type(base)()
