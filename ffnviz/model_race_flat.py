"""The flat URL form of a ModelRace (ffnviz.race_specs): the sequence pages' and the text page's
races, whose base data and contestant models are flat sections (plain fields).

The keys: the base's "data.<field>" and "train.<field>" (no train.seed: the race's seeds set
it), then "race.contestants" (how many), "race.seeds" ("0,1,2"), "race.target", and per
contestant i "c<i>.model.<field>", "c<i>.optim.name", "c<i>.optim.lr", "c<i>.optim.hyper.<key>",
"c<i>.reg.kind", "c<i>.reg.rate". Every value is written, so a link names the whole race
whatever the defaults become. A `prefix` ("ffn.") puts every key under it, so that two races of
one page share its URL without a collision.
"""

from __future__ import annotations

from dataclasses import replace

from ffnviz import limits
from ffnviz.race_specs import (
    ModelRace,
    count_from_flat,
    race_target_from_flat,
    section_from_flat,
    section_to_flat,
    train_from_flat,
)
from ffnviz.run_flat import from_flat, to_flat
from ffnviz.specs import RunSpec


def model_race_to_flat(spec: ModelRace, prefix: str = "") -> dict[str, str]:
    flat = section_to_flat("data.", spec.base.data)
    flat.update((k, v) for k, v in to_flat(RunSpec(train=spec.base.train)).items()
                if k.startswith("train.") and k != "train.seed")
    flat["race.contestants"] = str(len(spec.contestants))
    flat["race.seeds"] = ",".join(str(s) for s in spec.seeds)
    flat["race.target"] = repr(float(spec.target_accuracy))
    for i, c in enumerate(spec.contestants):
        flat.update(section_to_flat(f"c{i}.model.", c.model))
        sub = to_flat(RunSpec(optim=c.optim, reg=c.reg))
        flat.update({f"c{i}.{k}": v for k, v in sub.items() if k.startswith(("optim.", "reg."))})
    return {prefix + k: v for k, v in flat.items()}


def _contestant_from_flat(flat: dict[str, str], i: int, base, errors: list[str]):
    prefix = f"c{i}."
    model = section_from_flat(flat, prefix + "model.", base.model, errors)
    sub = {k.removeprefix(prefix): v for k, v in flat.items() if k.startswith((prefix + "optim.", prefix + "reg."))}
    run, found = from_flat(sub, RunSpec(optim=base.optim, reg=base.reg))
    errors += [prefix + e for e in found]
    return type(base)(model, run.optim, run.reg)


def model_race_from_flat(flat: dict[str, str], base: ModelRace, prefix: str = "") -> tuple[ModelRace, list[str]]:
    """Read a race of `base`'s type from query parameters. Never raises: a bad value keeps
    `base`'s and adds a message naming the key and what is allowed. With a `prefix`, only the
    keys under it are read, and the messages name the keys with it."""
    if prefix:  # every message starts with the key it is about
        own = {k.removeprefix(prefix): v for k, v in flat.items() if k.startswith(prefix)}
        spec, errors = model_race_from_flat(own, base)
        return spec, [prefix + e for e in errors]
    race_type = type(base)
    errors: list[str] = []
    data = section_from_flat(flat, "data.", base.base.data, errors)
    train = train_from_flat(flat, base.base.train, errors)

    n = count_from_flat(flat, "race.contestants", len(base.contestants), limits.SEQ_RACE_CONTESTANTS, errors)
    # A contestant beyond the base's starts as the default race's (or the default contestant).
    fallback = (*base.contestants, *race_type().contestants, *(race_type.CONTESTANT(),) * n)
    contestants = tuple(_contestant_from_flat(flat, i, fallback[i], errors) for i in range(n))

    seeds = base.seeds
    if "race.seeds" in flat:
        text = flat["race.seeds"]
        try:
            candidate = tuple(int(p) for p in text.split(",") if p.strip() != "")
            found = [m for f, m in replace(base, contestants=contestants, seeds=candidate).problems() if f == "seeds"]
            if found:  # "seeds must ..." or "contestants × seeds must ...": name the key either way
                errors.append(f"race.{found[0]}" if found[0].startswith("seeds") else f"race.seeds: {found[0]}")
            else:
                seeds = candidate
        except ValueError:
            errors.append(f"race.seeds: {text!r} is not a comma-separated list of whole numbers (e.g. 0,1,2)")

    target = race_target_from_flat(flat, base.target_accuracy, errors)
    spec = race_type(replace(base.base, data=data, train=train), contestants, seeds, target)
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
