"""The spec of Part 1 of the optimizer page: optimizers walking a 2-D loss surface, and its flat
URL form.

Plain data, validated like the run specs: a surface, its condition number (the ravine's), a
start point, a number of steps, and 1-6 optimizers (each an OptimSpec: name, learning rate,
hyperparameter overrides)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ffnviz import limits
from ffnviz.limits import Range
from ffnviz.specs.checks import Problems, Section, check_choice, check_range
from ffnviz.specs.flat import Flat, count_from_flat, section_from_flat, section_to_flat
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.specs.run import OptimSpec
from ffnviz.surfaces import SURFACES

# The optimizers a surface starts with, in the order more are added (the first three by default).
WALKER_NAMES = ("sgd", "momentum", "adam", "rmsprop", "adagrad", "nesterov")


@dataclass(frozen=True)
class PathsSpec(Section):
    surface: str = "rosenbrock"
    condition: float = 10.0
    start: tuple[float, float] | None = None  # None: the surface's own start point
    steps: int = 500
    walkers: tuple[OptimSpec, ...] = ()  # () : the surface's defaults for SGD, momentum and Adam

    def problems(self) -> Problems:
        """(field, message) for every problem; each message names the field and what is allowed."""
        p: Problems = []
        check_choice(p, "surface", self.surface, tuple(SURFACES))
        check_range(p, "condition", self.condition, limits.RAVINE_CONDITION)
        check_range(p, "steps", self.steps, limits.STEPS_2D, integer=True)
        if self.start is not None and self.surface in SURFACES:
            surface = SURFACES[self.surface]
            for value, (lo, hi), name in zip(self.start, (surface.x_range, surface.y_range), ("x", "y"), strict=True):
                if not lo <= value <= hi:  # False for NaN too
                    p.append(("start", f"start {name} must be in {lo:g}..{hi:g} on this surface, got {value:g}"))
                    break
        if len(self.walkers) > limits.MAX_OPTIMIZERS_2D:  # () is the surface's three
            p.append(("walkers", f"walkers must number 1 to {limits.MAX_OPTIMIZERS_2D} optimizers, got {len(self.walkers)}"))
        for i, walker in enumerate(self.walkers):
            p += [("walkers", f"walkers[{i}].{m}") for _, m in walker.problems()]
        return p

    def start_point(self) -> tuple[float, float]:
        return self.start if self.start is not None else SURFACES[self.surface].start

    def walkers_or_default(self) -> tuple[OptimSpec, ...]:
        return self.walkers or default_walkers(self.surface, 3)

    def resolved(self) -> PathsSpec:
        """The same paths with the surface's own start and optimizers spelled out (what is drawn)."""
        return replace(self, start=tuple(map(float, self.start_point())), walkers=self.walkers_or_default())


def default_walker(surface: str, optimizer: str) -> OptimSpec:
    """The optimizer with the learning rate that suits this surface (else the registry's)."""
    lr = SURFACES[surface].default_lr(optimizer)
    return OptimSpec(optimizer, float(min(max(lr, limits.LEARNING_RATE.lo), limits.LEARNING_RATE.hi)))


def default_walkers(surface: str, count: int) -> tuple[OptimSpec, ...]:
    """The first `count` of WALKER_NAMES, each at this surface's learning rate."""
    return tuple(default_walker(surface, name) for name in WALKER_NAMES[:count])


# ---------------------------------------------------------------------------------------------
# The flat URL form, beside the race's keys on the same page (which never start with "paths."):
# "paths.surface", "paths.condition", "paths.steps", "paths.start" ("x,y"), "paths.optimizers"
# (how many), and per optimizer i "paths.w<i>.name", "paths.w<i>.lr", "paths.w<i>.hyper.<key>"
# (to_flat's "optim." keys). Every value is written, the surface's own start and optimizers
# spelled out, so a link names what is drawn whatever the defaults become.

PREFIX = "paths."
_SCALARS = ("surface", "condition", "steps")
_COUNT = PREFIX + "optimizers"


def is_paths_key(key: str) -> bool:
    """A URL key of the 2-D part (the race's keys never start so)."""
    return key.startswith(PREFIX)


def paths_to_flat(spec: PathsSpec) -> Flat:
    spec = spec.resolved()
    flat = {k: v for k, v in section_to_flat(PREFIX, spec).items() if k.removeprefix(PREFIX) in _SCALARS}
    flat[PREFIX + "start"] = ",".join(repr(float(v)) for v in spec.start)
    flat[_COUNT] = str(len(spec.walkers))
    for i, walker in enumerate(spec.walkers):
        flat.update(section_to_flat(f"{PREFIX}w{i}.", walker))
    return flat


def paths_default_flat(spec: PathsSpec) -> Flat:
    """What a link may leave out while the page shows `spec` (the page writes what differs):
    the default spec's surface, condition, steps, optimizer count and names, and on spec's surface
    its own start and each chosen optimizer's own learning rate, as paths_from_flat reads them."""
    spec = spec.resolved()
    own = tuple(default_walker(spec.surface, w.name) for w in spec.walkers)
    flat = paths_to_flat(replace(spec, condition=PathsSpec().condition, steps=PathsSpec().steps,
                                 start=None, walkers=own))
    flat.update({PREFIX + "surface": PathsSpec().surface, _COUNT: str(len(PathsSpec().walkers_or_default()))})
    flat.update({f"{PREFIX}w{i}.name": WALKER_NAMES[i] for i in range(len(own))})
    return flat


def _start_from_flat(flat: Flat, spec: PathsSpec, default, errors: list[str]):
    """`paths.start` ("x,y") inside the surface's window; a bad value keeps `default`, with a message."""
    text = flat.get(PREFIX + "start")
    if text is None:
        return default
    try:
        x, y = (float(p) for p in text.split(","))
    except ValueError:
        errors.append(f"{PREFIX}start: {text!r} is not two numbers x,y (e.g. -1.5,2)")
        return default
    found = [m for f, m in replace(spec, start=(x, y), walkers=()).problems() if f == "start"]
    if found:
        errors.append(PREFIX + found[0])
        return default
    return (x, y)


def _walker_from_flat(flat: Flat, i: int, base: OptimSpec, surface: str, errors: list[str]) -> OptimSpec:
    """Optimizer i from the keys under "paths.w<i>.", by from_flat's rules for the optim section
    (a bad value keeps `base`'s, with a message). Another optimizer than the base's starts at its
    own learning rate on `surface`, as the optimizer's widget does."""
    prefix = f"{PREFIX}w{i}."
    name = flat.get(prefix + "name", "").strip()
    if name != base.name and name in OPTIMIZERS:
        base = default_walker(surface, name)
    return section_from_flat(flat, prefix, base, errors)


def paths_from_flat(flat: Flat, base: PathsSpec | None = None) -> tuple[PathsSpec, list[str]]:
    """Read the 2-D part from query parameters. Never raises: a bad value keeps `base`'s
    (default: the default spec) and adds a message naming the key and what is allowed. On
    another surface than the base's, the start and optimizers the link leaves out are that
    surface's own."""
    base = base or PathsSpec()
    errors: list[str] = []
    scalars = {k: v for k, v in flat.items() if k.removeprefix(PREFIX) in _SCALARS and is_paths_key(k)}
    spec = section_from_flat(scalars, PREFIX, replace(base, start=None, walkers=()), errors)
    same = spec.surface == base.surface
    start = _start_from_flat(flat, spec, base.start if same else None, errors)

    walkers = base.walkers if same else ()
    if any(k == _COUNT or k.startswith(f"{PREFIX}w") for k in flat):
        fallback = base.walkers_or_default() if same else default_walkers(spec.surface, 3)
        n = count_from_flat(flat, _COUNT, len(fallback), Range(1, limits.MAX_OPTIMIZERS_2D), errors)
        fallback = (*fallback, *default_walkers(spec.surface, n)[len(fallback):])  # a new one: the next default
        walkers = tuple(_walker_from_flat(flat, i, fallback[i], spec.surface, errors) for i in range(n))
    return replace(spec, start=start, walkers=walkers), errors
