"""The spec of Part 1 of the optimizer page: optimizers walking a 2-D loss surface.

Plain data, validated like the run specs: a surface, its condition number (the ravine's), a
start point, a number of steps, and 1-6 optimizers (each an OptimSpec: name, learning rate,
hyperparameter overrides)."""

from __future__ import annotations

from dataclasses import dataclass

from ffnviz import limits
from ffnviz.specs import OptimSpec


@dataclass(frozen=True)
class PathsSpec:
    surface: str = "rosenbrock"
    condition: float = 10.0
    start: tuple[float, float] | None = None  # None: the surface's own start point
    steps: int = 500
    walkers: tuple[OptimSpec, ...] = ()  # () : the surface's defaults for SGD, momentum and Adam

    def validate(self) -> PathsSpec:
        """Raises ValueError naming the field and what is allowed; returns self."""
        from ffnviz.surfaces import SURFACES

        if self.surface not in SURFACES:
            raise ValueError(f"surface must be one of {', '.join(SURFACES)}, got {self.surface!r}")
        if not limits.RAVINE_CONDITION.contains(self.condition):
            raise ValueError(f"condition must be in {limits.RAVINE_CONDITION}, got {self.condition:g}")
        if not limits.STEPS_2D.contains(self.steps):
            raise ValueError(f"steps must be in {limits.STEPS_2D}, got {self.steps}")
        if self.start is not None:
            surface = SURFACES[self.surface]
            for value, (lo, hi), name in zip(self.start, (surface.x_range, surface.y_range), ("x", "y"), strict=True):
                if not lo <= value <= hi:
                    raise ValueError(f"start {name} must be in {lo:g}..{hi:g} on this surface, got {value:g}")
        if not 1 <= len(self.walkers_or_default()) <= limits.MAX_OPTIMIZERS_2D:
            raise ValueError(f"choose 1 to {limits.MAX_OPTIMIZERS_2D} optimizers, got {len(self.walkers)}")
        for walker in self.walkers:
            walker.validate()
        return self

    def start_point(self) -> tuple[float, float]:
        from ffnviz.surfaces import SURFACES

        return self.start if self.start is not None else SURFACES[self.surface].start

    def walkers_or_default(self) -> tuple[OptimSpec, ...]:
        return self.walkers or tuple(default_walker(self.surface, name) for name in ("sgd", "momentum", "adam"))


def default_walker(surface: str, optimizer: str) -> OptimSpec:
    """The optimizer with the learning rate that suits this surface (else the registry's)."""
    from ffnviz.surfaces import SURFACES
    from ffnviz.train.optimizers import OPTIMIZERS

    lr = SURFACES[surface].lr.get(optimizer, OPTIMIZERS[optimizer].lr)
    return OptimSpec(optimizer, float(min(max(lr, limits.LEARNING_RATE.lo), limits.LEARNING_RATE.hi)))

