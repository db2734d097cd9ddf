"""The 2-D part's spec: its checks, and its flat URL form paths_to_flat / paths_from_flat
(exact round trips; a link naming only what differs from the page's defaults; a bad value keeps
the base's and names the key and what is allowed)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ffnviz import limits
from ffnviz.specs import OptimSpec
from ffnviz.specs.paths import (
    PathsSpec,
    default_walker,
    default_walkers,
    is_paths_key,
    paths_default_flat,
    paths_from_flat,
    paths_to_flat,
)
from ffnviz.specs.race import RaceSpec, race_to_flat
from ffnviz.surfaces import SURFACES

# Floats without a short decimal form, so a lossy round trip shows.
SPECS = (
    PathsSpec().resolved(),
    PathsSpec(surface="beale", start=(1.0 / 3, -0.1 - 0.2), steps=1,
              walkers=(OptimSpec("sgd", 0.1 + 0.2), OptimSpec("adam", 0.001, (("beta1", 0.8), ("eps", 1e-7))))),
    PathsSpec(surface="ravine", condition=1000.0, start=(-4.0, 1.5), steps=1000,
              walkers=tuple(OptimSpec(n, 0.01, (("momentum", 0.95),) if n == "momentum" else ())
                            for n in ("momentum", "nesterov", "rmsprop", "adagrad", "adamw", "radam"))),
    PathsSpec(surface="saddle", condition=2.5, start=(0.0, 0.0), walkers=(OptimSpec("adadelta", 1.0),)),
)


@pytest.mark.parametrize("spec", SPECS)
def test_round_trip_is_exact_over_any_base(spec):
    spec.validate()
    flat = paths_to_flat(spec)
    assert all(isinstance(v, str) for v in flat.values()) and all(is_paths_key(k) for k in flat)
    for base in (None, *SPECS):
        assert paths_from_flat(flat, base) == (spec, [])


def test_the_surfaces_own_start_and_optimizers_are_spelled_out():
    spec = PathsSpec(surface="himmelblau")
    assert paths_from_flat(paths_to_flat(spec)) == (spec.resolved(), [])
    assert spec.resolved().walkers == default_walkers("himmelblau", 3)
    assert spec.resolved().start == SURFACES["himmelblau"].start


@pytest.mark.parametrize("spec", [*SPECS, PathsSpec(surface="booth", walkers=(OptimSpec("adam", 0.5),)),
                                  replace(PathsSpec(surface="beale").resolved(), steps=42),
                                  PathsSpec(walkers=default_walkers("rosenbrock", 6))])
def test_a_link_of_only_the_differences_reads_back(spec):
    """What the page writes: the keys that differ from paths_default_flat, read on the default."""
    default = paths_default_flat(spec)
    link = {k: v for k, v in paths_to_flat(spec).items() if default.get(k) != v}
    back, errors = paths_from_flat(link)
    assert errors == [] and back.resolved() == spec.resolved()


def test_short_links():
    assert paths_from_flat({}) == (PathsSpec(), [])
    assert {k for k, v in paths_to_flat(PathsSpec()).items() if paths_default_flat(PathsSpec()).get(k) != v} == set()
    # "Rosenbrock, SGD vs Adam from (-1.5, 2)": Adam at its own rate on the surface.
    spec, errors = paths_from_flat({"paths.start": "-1.5,2", "paths.optimizers": "2", "paths.w1.name": "adam"})
    assert errors == [] and spec.start == (-1.5, 2.0)
    assert spec.walkers == (default_walker("rosenbrock", "sgd"), default_walker("rosenbrock", "adam"))
    # Another surface: what the link leaves out is that surface's own.
    base = PathsSpec(start=(1.0, 1.0), walkers=(OptimSpec("adam", 0.5),))
    assert paths_from_flat({"paths.surface": "booth"}, base) == (PathsSpec(surface="booth"), [])
    assert paths_from_flat({"paths.steps": "7"}, base) == (replace(base, steps=7), [])
    spec, _ = paths_from_flat({"paths.optimizers": "5"})
    assert spec.walkers == default_walkers("rosenbrock", 5)


def test_its_keys_never_meet_the_races():
    assert not any(is_paths_key(k) for k in race_to_flat(RaceSpec()))


BAD = {
    "paths.surface": ("knitting", "rosenbrock, beale"),
    "paths.condition": ("0.5", str(limits.RAVINE_CONDITION)),
    "paths.steps": (str(int(limits.STEPS_2D.hi) + 1), str(limits.STEPS_2D)),
    "paths.start": ("9,0", "-2..2"),
    "paths.optimizers": (str(limits.MAX_OPTIMIZERS_2D + 1), f"1..{limits.MAX_OPTIMIZERS_2D}"),
    "paths.w0.lr": (str(limits.LEARNING_RATE.hi * 10), str(limits.LEARNING_RATE)),
    "paths.w0.name": ("fast", "adam"),
    "paths.w1.hyper.momentum": ("1.5", "0..0.999"),
    "paths.w2.hyper.rho": ("0.5", "adam has no hyperparameter 'rho'"),
}
GARBAGE = ("banana", "", "nan", "inf", "1e999", "-", "1,2,3", "0x10")


@pytest.mark.parametrize("key", sorted(BAD))
def test_a_bad_value_keeps_the_base_and_says_what_is_allowed(key):
    text, allowed = BAD[key]
    for base in (PathsSpec(), SPECS[0]):
        spec, errors = paths_from_flat({key: text}, base)
        assert spec.resolved() == base.resolved() and len(errors) == 1
        assert errors[0].startswith(key) and allowed in errors[0], errors


@pytest.mark.parametrize("key", sorted(BAD))
@pytest.mark.parametrize("text", GARBAGE)
def test_garbage_never_raises(key, text):
    spec, errors = paths_from_flat({key: text}, SPECS[1])
    spec.validate()
    if spec.resolved() != SPECS[1]:  # only a value that parses and is allowed changes anything
        assert errors == []
    assert all(e.startswith(key) for e in errors)


def test_the_good_values_beside_bad_ones_are_kept():
    spec, errors = paths_from_flat({"paths.surface": "beale", "paths.steps": "x", "paths.start": "1,1",
                                    "paths.w0.lr": "0.1", "paths.w1.lr": "slow"})
    assert spec.surface == "beale" and spec.start == (1.0, 1.0) and spec.steps == 500
    assert spec.walkers[0].lr == 0.1 and spec.walkers[1] == default_walker("beale", "momentum")
    assert [e.split(":")[0] for e in errors] == ["paths.steps", "paths.w1.lr"]


@pytest.mark.parametrize(("spec", "field", "allowed"), [
    (PathsSpec(surface="moon"), "surface", "rosenbrock"),
    (PathsSpec(condition=limits.RAVINE_CONDITION.hi * 2), "condition", str(limits.RAVINE_CONDITION)),
    (PathsSpec(steps=0), "steps", str(limits.STEPS_2D)),
    (PathsSpec(start=(0.0, 99.0)), "start", "y must be in"),
    (PathsSpec(walkers=default_walkers("rosenbrock", 6) * 2), "walkers", f"1 to {limits.MAX_OPTIMIZERS_2D}"),
    (PathsSpec(walkers=(OptimSpec(lr=0.0),)), "walkers", str(limits.LEARNING_RATE)),
])
def test_validate_names_the_field_and_what_is_allowed(spec, field, allowed):
    found = spec.problems()
    assert found and found[0][0] == field and allowed in found[0][1]
    with pytest.raises(ValueError, match=field):
        spec.validate()
