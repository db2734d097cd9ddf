"""Races of runs, fully described: a RaceSpec (the optimizer race: several trainings of one
base run), the shared shape of races of other kinds of model (SectionsRun, ModelContestant,
ModelRace: the sequence, text and image races), their checks, and their flat URL forms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ffnviz import limits
from ffnviz.limits import Range
from ffnviz.run_flat import _parse, from_flat, to_flat
from ffnviz.specs import (
    ACTIVATIONS,
    SECTIONS,
    DataSpec,
    ModelSpec,
    OptimSpec,
    Problems,
    RegSpec,
    RunSpec,
    TrainSpec,
    _check_choice,
    _check_range,
    _Section,
    _section_from_dict,
    _section_to_dict,
)


@dataclass(frozen=True)
class Contestant(_Section):
    """What one contestant changes in the race's base run."""

    optim: OptimSpec = field(default_factory=OptimSpec)
    reg: RegSpec = field(default_factory=RegSpec)
    activation: str | None = None  # None: the base's
    dropout: float | None = None  # None: the base's

    def problems(self) -> Problems:
        p: Problems = [(f"optim.{f}", m) for f, m in self.optim.problems()]
        p += [(f"reg.{f}", m) for f, m in self.reg.problems()]
        if self.activation is not None:
            _check_choice(p, "activation", self.activation, ACTIVATIONS)
        if self.dropout is not None:
            _check_range(p, "dropout", self.dropout, limits.DROPOUT)
        return p

    def label(self) -> str:
        """A short label of keys and numbers only ("adam 0.01", "sgd 0.1 l2 0.001 relu dropout 0.2"),
        the same in every language: the page translates the keys it wants to."""
        parts = [self.optim.name, f"{self.optim.lr:g}"]
        parts += [f"{k} {v:g}" for k, v in self.optim.hyper]
        if self.reg.kind != "none":
            parts += [self.reg.kind, f"{self.reg.rate:g}"]
        if self.activation is not None:
            parts.append(self.activation)
        if self.dropout is not None:
            parts += ["dropout", f"{self.dropout:g}"]
        return " ".join(parts)

    def run_spec(self, base: RunSpec, seed: int) -> RunSpec:
        """The base run as this contestant trains it, with training seed `seed`."""
        model = base.model
        if self.activation is not None:
            # One activation for every hidden layer: a per-layer choice of the base gives way.
            model = replace(model, activation=self.activation, layer_activations=())
        if self.dropout is not None:
            model = replace(model, dropout=self.dropout)
        return replace(base, model=model, optim=self.optim, reg=self.reg, train=replace(base.train, seed=seed))

    def to_dict(self) -> dict[str, Any]:
        return {"optim": _section_to_dict(self.optim), "reg": _section_to_dict(self.reg),
                "activation": self.activation, "dropout": self.dropout}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Contestant:
        return cls(optim=_section_from_dict(OptimSpec, d.get("optim", {})),
                   reg=_section_from_dict(RegSpec, d.get("reg", {})),
                   activation=d.get("activation"), dropout=d.get("dropout"))


def _race_base() -> RunSpec:
    # The spiral on a net deep enough to separate optimizers within a minute: 2-8-8-8-1 tanh.
    return RunSpec(data=DataSpec(dataset="spiral"), model=ModelSpec(hidden=(8, 8, 8)))


def _race_contestants() -> tuple[Contestant, ...]:
    return (Contestant(OptimSpec("sgd", 0.03)), Contestant(OptimSpec("momentum", 0.03)),
            Contestant(OptimSpec("adam", 0.01)))


def race_problems(race: Any, contestant_type: type, count: Range = limits.RACE_CONTESTANTS) -> Problems:
    """The problems of a race spec (RaceSpec, or the sequence race's SeqRaceSpec): its base,
    each contestant (of `contestant_type`, `count` of them), the seeds, contestants × seeds and
    the target."""
    p: Problems = [(f"base.{f}", m) for f, m in race.base.problems()]
    contestants, seeds = race.contestants, race.seeds
    if not isinstance(contestants, tuple) or not count.contains(len(contestants)):
        n = len(contestants) if isinstance(contestants, tuple) else contestants
        p.append(("contestants", f"contestants must number {count}, got {n!r}"))
    else:
        for i, c in enumerate(contestants):
            if not isinstance(c, contestant_type):
                p.append((f"contestants[{i}]", f"contestants[{i}] must be a {contestant_type.__name__}, got {c!r}"))
                continue
            p += [(f"contestants[{i}].{f}", f"contestants[{i}].{m}") for f, m in c.problems()]
    if not isinstance(seeds, tuple) or not limits.RACE_SEEDS.contains(len(seeds)):
        p.append(("seeds", f"seeds must list {limits.RACE_SEEDS} training seeds, got {seeds!r}"))
    else:
        for s in seeds:
            _check_range(p, "seeds", s, limits.SEED, integer=True)
        if len(set(seeds)) != len(seeds):
            p.append(("seeds", f"seeds must differ from each other, got {seeds!r}"))
    if not p and len(contestants) * len(seeds) > limits.RACE_MODELS:
        p.append(("seeds", f"contestants × seeds must be at most {limits.RACE_MODELS} models, got "
                           f"{len(contestants)} × {len(seeds)}"))
    _check_range(p, "target_accuracy", race.target_accuracy, limits.RACE_TARGET)
    return p


class SectionsRun(_Section):
    """A run spec of another kind of model (SeqRunSpec, TextRunSpec, ...): the sections data,
    model, optim, reg and train, each checked by its own problems() and named "section.field"."""

    SECTIONS = ("data", "model", "optim", "reg", "train")

    def problems(self) -> Problems:
        return [(f"{name}.{f}", msg) for name in self.SECTIONS for f, msg in getattr(self, name).problems()]


class ModelContestant(_Section):
    """A contestant of such a race: its own model, optimizer and regularization (fields
    model, optim, reg); the base run gives the rest."""

    def problems(self) -> Problems:
        return [(f"{name}.{f}", m) for name in ("model", "optim", "reg") for f, m in getattr(self, name).problems()]

    def run_spec(self, base, seed: int):
        """The base run as this contestant trains it, with training seed `seed`."""
        return replace(base, model=self.model, optim=self.optim, reg=self.reg, train=replace(base.train, seed=seed))


class ModelRace(_Section):
    """A race of runs of one kind (fields base, contestants, seeds, target_accuracy), as
    ffnviz.train.race.Race trains it. What the contestants and seeds set (model, optimizer,
    regularization, train.seed) is not read from the base and is reset to the run type's
    defaults, so equal races compare equal. A subclass names RUN (its run spec's type) and
    CONTESTANT; a race of such models may have one contestant (limits.SEQ_RACE_CONTESTANTS)."""

    RUN: type
    CONTESTANT: type

    def __post_init__(self):
        if isinstance(self.base, self.RUN):
            default = self.RUN()
            unused = replace(self.base, model=default.model, optim=default.optim, reg=default.reg,
                             train=replace(self.base.train, seed=0))
            object.__setattr__(self, "base", unused)

    @property
    def models(self) -> int:
        return len(self.contestants) * len(self.seeds)

    def run_specs(self) -> list:
        """[contestant][seed] the spec of each run."""
        return [[c.run_spec(self.base, s) for s in self.seeds] for c in self.contestants]

    def problems(self) -> Problems:
        return race_problems(self, self.CONTESTANT, limits.SEQ_RACE_CONTESTANTS)


@dataclass(frozen=True)
class RaceSpec:
    """A race: the base run (data, model, batch size, step cap) trained by each contestant with
    each training seed. The base's optimizer, regularization and train.seed are not used: the
    contestants and `seeds` set them. The data seed is the base's, the same for everyone."""

    base: RunSpec = field(default_factory=_race_base)
    contestants: tuple[Contestant, ...] = field(default_factory=_race_contestants)
    seeds: tuple[int, ...] = (0,)
    target_accuracy: float = 0.9

    def __post_init__(self):
        # One race, one spec: what the race does not use of its base (optimizer, regularization,
        # training seed) is set to the defaults, so that two equal races compare equal and a race
        # round-trips through its link, which leaves those out.
        if isinstance(self.base, RunSpec):
            unused = replace(self.base, optim=OptimSpec(), reg=RegSpec(), train=replace(self.base.train, seed=0))
            object.__setattr__(self, "base", unused)

    @property
    def models(self) -> int:
        """Models trained at once: what the race takes from the server-wide cap."""
        return len(self.contestants) * len(self.seeds)

    def run_specs(self) -> list[list[RunSpec]]:
        """[contestant][seed] the spec of each run."""
        return [[c.run_spec(self.base, s) for s in self.seeds] for c in self.contestants]

    def problems(self) -> Problems:
        return race_problems(self, Contestant)

    def validate(self) -> RaceSpec:
        found = self.problems()
        if found:
            raise ValueError("; ".join(message for _, message in found))
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"base": self.base.to_dict(), "contestants": [c.to_dict() for c in self.contestants],
                "seeds": list(self.seeds), "target_accuracy": self.target_accuracy}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RaceSpec:
        default = cls()
        return cls(
            base=RunSpec.from_dict(d["base"]) if "base" in d else default.base,
            contestants=tuple(Contestant.from_dict(c) for c in d["contestants"]) if "contestants" in d
            else default.contestants,
            seeds=tuple(d["seeds"]) if "seeds" in d else default.seeds,
            target_accuracy=d.get("target_accuracy", default.target_accuracy),
        )


# The flat form of a race: the base's keys as in to_flat ("data.dataset", ...), then
# "race.contestants" (how many), "race.seeds" ("0,1,2"), "race.target", and per contestant i
# "c<i>.optim.name", "c<i>.optim.lr", "c<i>.optim.hyper.<key>", "c<i>.reg.kind", "c<i>.reg.rate",
# and, when it overrides the base, "c<i>.model.activation", "c<i>.model.dropout".


def race_to_flat(spec: RaceSpec) -> dict[str, str]:
    flat = to_flat(spec.base)
    # The base's optimizer, regularization and train seed are unused in a race: keeping them out
    # keeps one race one link.
    flat = {k: v for k, v in flat.items()
            if not (k.startswith("optim.") or k.startswith("reg.") or k == "train.seed")}
    flat["race.contestants"] = str(len(spec.contestants))
    flat["race.seeds"] = ",".join(str(s) for s in spec.seeds)
    flat["race.target"] = repr(float(spec.target_accuracy))
    for i, c in enumerate(spec.contestants):
        sub = to_flat(RunSpec(optim=c.optim, reg=c.reg))
        flat.update({f"c{i}.{k}": v for k, v in sub.items() if k.startswith(("optim.", "reg."))})
        if c.activation is not None:
            flat[f"c{i}.model.activation"] = c.activation
        if c.dropout is not None:
            flat[f"c{i}.model.dropout"] = repr(float(c.dropout))
    return flat


def _contestant_from_flat(flat: dict[str, str], prefix: str, base: Contestant, errors: list[str]) -> Contestant:
    """One contestant from the keys under `prefix` ("c0."), through from_flat's section rules
    (a bad value keeps `base`'s, with a message)."""
    sub = {k.removeprefix(prefix): v for k, v in flat.items() if k.startswith(prefix)}
    start = RunSpec(optim=base.optim, reg=base.reg,
                    model=replace(ModelSpec(), activation=base.activation or ModelSpec().activation,
                                  dropout=base.dropout if base.dropout is not None else 0.0))
    spec, found = from_flat({k: v for k, v in sub.items() if k.startswith(("optim.", "reg.", "model."))}, start)
    errors.extend(prefix + e for e in found)

    def given(key: str) -> bool:  # present and accepted (a rejected value keeps the base's, maybe None)
        return key in sub and not any(e.startswith(key) for e in found)

    activation = spec.model.activation if given("model.activation") else base.activation
    dropout = spec.model.dropout if given("model.dropout") else base.dropout
    return Contestant(spec.optim, spec.reg, activation, dropout)


def race_from_flat(flat: dict[str, str], base: RaceSpec | None = None) -> tuple[RaceSpec, list[str]]:
    """Read a race from query parameters. Never raises: a bad value keeps `base`'s (default: the
    default race) and adds a message saying what is allowed."""
    base = base or RaceSpec()
    errors: list[str] = []
    run, found = from_flat({k: v for k, v in flat.items()
                            if k.split(".")[0] in SECTIONS and not k.startswith(("optim.", "reg."))}, base.base)
    errors += found

    n = count_from_flat(flat, "race.contestants", len(base.contestants), limits.RACE_CONTESTANTS, errors)
    defaults = (*base.contestants, *RaceSpec().contestants)  # a new contestant i starts as a default
    fallback = (*defaults, *(Contestant(),) * n)
    contestants = tuple(_contestant_from_flat(flat, f"c{i}.", fallback[i], errors) for i in range(n))

    seeds = base.seeds
    if "race.seeds" in flat:
        text = flat["race.seeds"]
        try:
            candidate = tuple(int(p) for p in text.split(",") if p.strip() != "")
            found_seeds = RaceSpec(seeds=candidate).problems()
            found_seeds = [m for f, m in found_seeds if f == "seeds"]
            if found_seeds:
                errors.append(f"race.{found_seeds[0]}")
            else:
                seeds = candidate
        except ValueError:
            errors.append(f"race.seeds: {text!r} is not a comma-separated list of whole numbers (e.g. 0,1,2)")

    return RaceSpec(run, contestants, seeds, race_target_from_flat(flat, base.target_accuracy, errors)), errors


def count_from_flat(flat: dict[str, str], key: str, default: int, allowed: Range, errors: list[str]) -> int:
    """How many of something a link asks for (`race.contestants`, `paths.optimizers`): a whole
    number in `allowed`; anything else keeps `default` and says why in `errors`."""
    return _number_from_flat(flat, key, default, allowed, errors, int)


def race_target_from_flat(flat: dict[str, str], default: float, errors: list[str]) -> float:
    """A race's target accuracy from its URL form (`race.target`); a bad value keeps `default` and
    says why in `errors`."""
    return _number_from_flat(flat, "race.target", default, limits.RACE_TARGET, errors, float)


def _number_from_flat(flat: dict[str, str], key: str, default, allowed: Range, errors: list[str], parse):
    text = flat.get(key)
    if text is None:
        return default
    try:
        value = parse(text)
    except ValueError:
        errors.append(f"{key}: {text!r} is not a {'whole number' if parse is int else 'number'}")
        return default
    if math.isfinite(value) and allowed.contains(value):
        return value
    errors.append(f"{key} must be in {allowed}, got {text}")
    return default


# ---------------------------------------------------------------------------------------------
# Flat forms of the races of other pages (sequence models, images), section by section.


def section_to_flat(prefix: str, section) -> dict[str, str]:
    """A section of plain fields (numbers, text, true/false) as "<prefix><field>": text; exact
    for floats."""
    out = {}
    for f in fields(section):
        value = getattr(section, f.name)
        out[f"{prefix}{f.name}"] = repr(float(value)) if isinstance(value, float) else str(value)
    return out


_BOOL_TEXTS = ("1", "0", "true", "false", "yes", "no")


def section_from_flat(flat: dict[str, str], prefix: str, section, errors: list[str]):
    """`section` (a flat section such as SeqSpec, SeqModelSpec, ImageSpec or ConvLayerSpec) with
    the fields given under `prefix` ("data.", "c0.model."). A value that does not parse, or that
    the section's problems() refuse, keeps `section`'s, with a message naming the key and what is
    allowed."""
    changes: dict = {}
    for f in fields(section):
        key = prefix + f.name
        if key not in flat:
            continue
        default = getattr(section, f.name)
        if isinstance(default, bool) and flat[key].strip().lower() not in _BOOL_TEXTS:
            # _parse reads any other text as false; a link's typo should say so instead.
            errors.append(f"{key}: {flat[key]!r} is not true or false")
            continue
        try:
            changes[f.name] = _parse(flat[key].strip(), default)
        except ValueError:
            errors.append(f"{key}: {flat[key]!r} is not {'a whole number' if isinstance(default, int) else 'a number'}")
    candidate = replace(section, **changes)
    # Fall back field by field, as from_flat does, until what is left is valid.
    for _ in range(len(changes) + 1):
        found = candidate.problems()
        if not found:
            return candidate
        bad, message = found[0]
        errors.append(prefix + message)
        candidate = replace(candidate, **{bad: getattr(section, bad) if bad in changes else getattr(type(section)(), bad)})
        changes.pop(bad, None)
    return section if not section.problems() else type(section)()


def train_from_flat(flat: dict[str, str], base: TrainSpec, errors: list[str]) -> TrainSpec:
    """The train section of a race's link (no train.seed: the race's seeds set it), by from_flat's
    rules (a RunSpec's, whose other sections stay default)."""
    keys = {k: v for k, v in flat.items() if k.startswith("train.") and k != "train.seed"}
    run, found = from_flat(keys, RunSpec(train=base))
    errors += found
    return run.train
