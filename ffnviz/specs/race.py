"""The optimizer race: several trainings of one base run (RaceSpec, its Contestants), the checks
every race shares (race_problems), the "race.*" keys of every race's link, and the race's flat
URL form.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ffnviz import limits
from ffnviz.limits import Range
from ffnviz.specs.checks import Problems, Section, check_choice, check_range, check_seeds, nested
from ffnviz.specs.flat import Flat, count_from_flat, number_from_flat, section_from_flat, section_to_flat, seeds_from_flat
from ffnviz.specs.run import (
    ACTIVATIONS,
    SECTIONS,
    DataSpec,
    ModelSpec,
    OptimSpec,
    RegSpec,
    RunSpec,
    from_flat,
    section_from_dict,
    section_to_dict,
    to_flat,
)


@dataclass(frozen=True)
class Contestant(Section):
    """What one contestant changes in the race's base run."""

    optim: OptimSpec = field(default_factory=OptimSpec)
    reg: RegSpec = field(default_factory=RegSpec)
    activation: str | None = None  # None: the base's
    dropout: float | None = None  # None: the base's

    def problems(self) -> Problems:
        p: Problems = nested("optim", self.optim.problems()) + nested("reg", self.reg.problems())
        if self.activation is not None:
            check_choice(p, "activation", self.activation, ACTIVATIONS)
        if self.dropout is not None:
            check_range(p, "dropout", self.dropout, limits.DROPOUT)
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
        return {"optim": section_to_dict(self.optim), "reg": section_to_dict(self.reg),
                "activation": self.activation, "dropout": self.dropout}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Contestant:
        return cls(optim=section_from_dict(OptimSpec, d.get("optim", {})),
                   reg=section_from_dict(RegSpec, d.get("reg", {})),
                   activation=d.get("activation"), dropout=d.get("dropout"))


def _race_base() -> RunSpec:
    # The spiral on a net deep enough to separate optimizers within a minute: 2-8-8-8-1 tanh.
    return RunSpec(data=DataSpec(dataset="spiral"), model=ModelSpec(hidden=(8, 8, 8), init="xavier"))


def _race_contestants() -> tuple[Contestant, ...]:
    return (Contestant(OptimSpec("sgd", 0.03)), Contestant(OptimSpec("momentum", 0.03)),
            Contestant(OptimSpec("adam", 0.01)))


def race_problems(race: Any, contestant_type: type, count: Range = limits.RACE_CONTESTANTS) -> Problems:
    """The problems of any race (fields base, contestants, seeds, target_accuracy): its base,
    each contestant (of `contestant_type`, `count` of them), the seeds, contestants × seeds and
    the target."""
    p: Problems = nested("base", race.base.problems())
    contestants = race.contestants
    if not isinstance(contestants, tuple) or not count.contains(len(contestants)):
        n = len(contestants) if isinstance(contestants, tuple) else contestants
        p.append(("contestants", f"contestants must number {count}, got {n!r}"))
    else:
        for i, c in enumerate(contestants):
            if not isinstance(c, contestant_type):
                p.append((f"contestants[{i}]", f"contestants[{i}] must be a {contestant_type.__name__}, got {c!r}"))
                continue
            p += [(f"contestants[{i}].{f}", f"contestants[{i}].{m}") for f, m in c.problems()]
    check_seeds(p, race.seeds, limits.RACE_SEEDS, limits.SEED)
    if not p and len(contestants) * len(race.seeds) > limits.RACE_MODELS:
        p.append(("seeds", f"contestants × seeds must be at most {limits.RACE_MODELS} models, got "
                           f"{len(contestants)} × {len(race.seeds)}"))
    check_range(p, "target_accuracy", race.target_accuracy, limits.RACE_TARGET)
    return p


@dataclass(frozen=True)
class RaceSpec(Section):
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


# -- the "race.*" keys every race's link has -------------------------------------------------------

def race_keys_to_flat(race: Any, count: bool = True) -> Flat:
    """"race.contestants" (how many; not where the page's contestants are fixed), "race.seeds"
    ("0,1,2") and "race.target"."""
    flat = {"race.contestants": str(len(race.contestants))} if count else {}
    flat["race.seeds"] = ",".join(str(s) for s in race.seeds)
    flat["race.target"] = repr(float(race.target_accuracy))
    return flat


def race_of_rates(race: RaceSpec, rates: list[tuple[str, float]]) -> RaceSpec:
    """`race` with one contestant per (optimizer, learning rate), its other settings the
    optimizer's defaults (a sweep's best rates, measured on this race's base); as many of its
    seeds as fit the race's cap. Not validated."""
    contestants = tuple(Contestant(OptimSpec(name, lr)) for name, lr in rates)
    fit = max(1, limits.RACE_MODELS // max(1, len(contestants)))
    return replace(race, contestants=contestants, seeds=race.seeds[:fit])


def race_seeds_from_flat(flat: Flat, race: Any, errors: list[str]) -> tuple[int, ...]:
    """"race.seeds" as `race` (with the link's contestants) would take them; else race's own."""
    def check(seeds):
        return [m for f, m in replace(race, seeds=seeds).problems() if f == "seeds"]
    return seeds_from_flat(flat, "race.seeds", race.seeds, check, errors)


def race_target_from_flat(flat: Flat, default: float, errors: list[str]) -> float:
    return number_from_flat(flat, "race.target", default, limits.RACE_TARGET, errors)


# -- the optimizer race's flat form ---------------------------------------------------------------
# The base's keys as in run.to_flat ("data.dataset", ...) less optim.*, reg.* and train.seed
# (the contestants and seeds set them) and schedule.* (the race trains at constant rates), the
# race keys, and per contestant i "c<i>.optim.*", "c<i>.reg.*" and, when it overrides the base,
# "c<i>.model.activation", "c<i>.model.dropout".

_UNUSED = ("optim.", "reg.", "train.seed", "schedule.")


def race_to_flat(spec: RaceSpec) -> Flat:
    flat = {k: v for k, v in to_flat(spec.base).items() if not k.startswith(_UNUSED)}
    flat.update(race_keys_to_flat(spec))
    for i, c in enumerate(spec.contestants):
        flat.update(section_to_flat(f"c{i}.optim.", c.optim))
        flat.update(section_to_flat(f"c{i}.reg.", c.reg))
        flat.update(section_to_flat(f"c{i}.model.", c, skip=("optim", "reg")))
    return flat


def _contestant_from_flat(flat: Flat, i: int, base: Contestant, errors: list[str]) -> Contestant:
    """Contestant i from the keys under "c<i>." (a bad value keeps `base`'s, with a message)."""
    prefix = f"c{i}."
    optim = section_from_flat(flat, prefix + "optim.", base.optim, errors)
    reg = section_from_flat(flat, prefix + "reg.", base.reg, errors)
    # activation and dropout: None is the base's; a link's value must be one the model allows.
    start = replace(ModelSpec(), activation=base.activation or ModelSpec().activation,
                    dropout=base.dropout if base.dropout is not None else 0.0)
    found: list[str] = []
    model = section_from_flat(flat, prefix + "model.", start, found, skip=("hidden", "layer_activations", "init"))
    errors += found

    def given(name: str) -> bool:  # present and accepted (a rejected value keeps the base's, maybe None)
        return prefix + "model." + name in flat and not any(e.startswith(prefix + "model." + name) for e in found)

    return Contestant(optim, reg, model.activation if given("activation") else base.activation,
                      model.dropout if given("dropout") else base.dropout)


def race_from_flat(flat: Flat, base: RaceSpec | None = None) -> tuple[RaceSpec, list[str]]:
    """Read a race from query parameters. Never raises: a bad value keeps `base`'s (default: the
    default race) and adds a message saying what is allowed."""
    base = base or RaceSpec()
    errors: list[str] = []
    run, found = from_flat({k: v for k, v in flat.items()
                            if k.split(".")[0] in SECTIONS and not k.startswith(("optim.", "reg.", "schedule."))}, base.base)
    errors += found
    n = count_from_flat(flat, "race.contestants", len(base.contestants), limits.RACE_CONTESTANTS, errors)
    # A new contestant i starts as the default race's i-th (or the default contestant).
    fallback = (*base.contestants, *RaceSpec().contestants, *(Contestant(),) * n)
    contestants = tuple(_contestant_from_flat(flat, i, fallback[i], errors) for i in range(n))
    seeds = race_seeds_from_flat(flat, replace(base, contestants=contestants), errors)
    return RaceSpec(run, contestants, seeds, race_target_from_flat(flat, base.target_accuracy, errors)), errors
