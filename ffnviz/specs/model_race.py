"""The shape every race of another kind of model shares (the sequence, text and image races): a
run of five sections, a contestant with its own model, optimizer and regularization, and the
race of them; and the flat URL form of such a race.

The flat form: the base's "data.<field>" and "train.<field>" (no train.seed: the race's seeds set
it), "schedule.<field>" where the run type has a schedule, the race keys ("race.contestants",
"race.seeds", "race.target"), and per contestant i
"c<i>.model.<field>", "c<i>.optim.*", "c<i>.reg.*". Every value is written, so a link names the
whole race whatever the defaults become. A `prefix` ("ffn.") puts every key under it, so that
two races of one page share its URL without a collision.
"""

from __future__ import annotations

from dataclasses import replace

from ffnviz import limits
from ffnviz.specs.checks import Problems, Section, nested
from ffnviz.specs.flat import Flat, count_from_flat, prefixed, section_from_flat, section_to_flat, under
from ffnviz.specs.race import race_keys_to_flat, race_problems, race_seeds_from_flat, race_target_from_flat


class SectionsRun(Section):
    """A run spec of another kind of model (SeqRunSpec, TextRunSpec, ...): the sections data,
    model, optim, reg and train, each checked by its own problems() and named "section.field"."""

    SECTIONS = ("data", "model", "optim", "reg", "train")

    def problems(self) -> Problems:
        return [p for name in self.SECTIONS for p in nested(name, getattr(self, name).problems())]


class ModelContestant(Section):
    """A contestant of such a race: its own model, optimizer and regularization (fields
    model, optim, reg); the base run gives the rest."""

    def problems(self) -> Problems:
        return [p for name in ("model", "optim", "reg") for p in nested(name, getattr(self, name).problems())]

    def run_spec(self, base, seed: int):
        """The base run as this contestant trains it, with training seed `seed`."""
        return replace(base, model=self.model, optim=self.optim, reg=self.reg, train=replace(base.train, seed=seed))


class ModelRace(Section):
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


def model_race_to_flat(spec: ModelRace, prefix: str = "") -> Flat:
    flat = section_to_flat("data.", spec.base.data)
    flat.update(section_to_flat("train.", spec.base.train, skip=("seed",)))
    if hasattr(spec.base, "schedule"):  # a run type with a schedule (the sequence races)
        flat.update(section_to_flat("schedule.", spec.base.schedule))
    flat.update(race_keys_to_flat(spec))
    for i, c in enumerate(spec.contestants):
        for name in ("model", "optim", "reg"):
            flat.update(section_to_flat(f"c{i}.{name}.", getattr(c, name)))
    return prefixed(flat, prefix)


def _contestant_from_flat(flat: Flat, i: int, base, errors: list[str]):
    sections = {name: section_from_flat(flat, f"c{i}.{name}.", getattr(base, name), errors)
                for name in ("model", "optim", "reg")}
    return type(base)(**sections)


def model_race_from_flat(flat: Flat, base: ModelRace, prefix: str = "") -> tuple[ModelRace, list[str]]:
    """Read a race of `base`'s type from query parameters. Never raises: a bad value keeps
    `base`'s and adds a message naming the key and what is allowed. With a `prefix`, only the
    keys under it are read, and the messages name the keys with it."""
    if prefix:  # every message starts with the key it is about
        spec, errors = model_race_from_flat(under(flat, prefix), base)
        return spec, [prefix + e for e in errors]
    race_type = type(base)
    errors: list[str] = []
    data = section_from_flat(flat, "data.", base.base.data, errors)
    train = section_from_flat(flat, "train.", base.base.train, errors, skip=("seed",))
    plan = {}
    if hasattr(base.base, "schedule"):
        plan["schedule"] = section_from_flat(flat, "schedule.", base.base.schedule, errors)
    n = count_from_flat(flat, "race.contestants", len(base.contestants), limits.SEQ_RACE_CONTESTANTS, errors)
    # A contestant beyond the base's starts as the default race's (or the default contestant).
    fallback = (*base.contestants, *race_type().contestants, *(race_type.CONTESTANT(),) * n)
    contestants = tuple(_contestant_from_flat(flat, i, fallback[i], errors) for i in range(n))
    seeds = race_seeds_from_flat(flat, replace(base, contestants=contestants), errors)
    target = race_target_from_flat(flat, base.target_accuracy, errors)
    spec = race_type(replace(base.base, data=data, train=train, **plan), contestants, seeds, target)
    # What fields cannot see alone: more contestants × seeds than RACE_MODELS, a run's own checks.
    found = spec.problems()
    if found and seeds != base.seeds:
        spec = replace(spec, seeds=base.seeds)
        errors.append(f"race.seeds: {found[0][1]}; kept {','.join(map(str, base.seeds))}")
        found = spec.problems()
    if found:
        errors.append(f"race: {found[0][1]}; kept the race as it was")
        spec = base
    # section_from_flat may say the same twice (a value that does not fit, then the base's that
    # does not fit either); once is enough.
    return spec, list(dict.fromkeys(errors))
