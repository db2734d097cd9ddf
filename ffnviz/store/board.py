"""The class's results as the wall and the leaderboard show them: the ranking, and each student's
tile (picture, name, numbers, frame)."""

from __future__ import annotations

import math
from collections.abc import Callable

from ffnviz.store.classes import Tile
from ffnviz.viz.wall import WallTile

STALE_S = 30.0  # a tile whose last report is older than this is framed grey


def _accuracy(t: Tile) -> float:
    acc = t.metrics.get("test_acc", float("nan")) if t.metrics else float("nan")
    return acc if isinstance(acc, float) and math.isfinite(acc) and not t.metrics.get("diverged") else float("nan")


def ranking(tiles: list[Tile]) -> list[Tile]:
    """Best test accuracy first; among equals, fewer updates; diverged runs and students without
    a report last."""
    def key(t: Tile):
        acc = _accuracy(t)
        ok = math.isfinite(acc)
        return (0 if ok else 1, -acc if ok else 0.0, t.metrics.get("updates", 0) if t.metrics else 0, t.joined_at)
    return sorted(tiles, key=key)


def challenge_ranking(tiles: list[Tile]) -> list[Tile]:
    """The challenge's leaderboard: runs entered that reached the goal, by score (lower first;
    ties by joining order); then the rest, as `ranking` orders them."""
    def scored(t: Tile) -> bool:
        return t.challenge_ok and t.metrics.get("score") is not None
    entered = sorted((t for t in tiles if scored(t)), key=lambda t: (t.metrics["score"], t.joined_at))
    return entered + ranking([t for t in tiles if not scored(t)])


def flag(t: Tile, now: float) -> str:
    if t.metrics.get("diverged"):
        return "diverged"
    return "stale" if t.updated_at is not None and now - t.updated_at > STALE_S else ""


def wall_tiles(tiles: list[Tile], now: float, numbers: Callable[[Tile], str]) -> list[WallTile]:
    return [WallTile(t.name, numbers(t), t.picture, flag(t, now)) for t in tiles]
