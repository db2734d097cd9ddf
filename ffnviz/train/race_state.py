"""A race's state as plain arrays and back: every contestant's every seed's weights, its recorded
epochs, the race's counters. What a saved race file holds (ffnviz/store/runfile.py) beside its
spec, read and written inside whatever process trains the race (RaceRunner.state / restore). A part
of Race kept apart (race.py is long enough): these functions read and set its counters.

Names: weight.<i>.<s>.<layer> and bias.<i>.<s>.<layer> (contestant i, seed s; none for a
contestant that dropped out: its weights are not finite), history.<i>.<s>.rows / .epochs /
.stride (its History), history.<i>.bests (update, accuracy) and race.diverged (the update at
which each dropped out, -1 for none), race.epochs (epochs completed), race.updates.
"""

from __future__ import annotations

import numpy as np

from ffnviz import limits
from ffnviz.train.history import COLUMNS
from ffnviz.train.race import Race, mean_metrics
from ffnviz.train.reading import Metrics

PREFIX = "history."


def race_state(race: Race) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {
        "race.diverged": np.array([-1 if d is None else d for d in race.diverged_at], np.float64),
        "race.epochs": np.array([race._reference().epochs_completed], np.float64),
        "race.updates": np.array([race.updates], np.float64),
    }
    for i, row in enumerate(race.trainers):
        for s, t in enumerate(row):
            if race.diverged_at[i] is None:
                for layer, lin in enumerate(t.model.linears):
                    out[f"weight.{i}.{s}.{layer}"] = lin.weight.detach().cpu().numpy().copy()
                    out[f"bias.{i}.{s}.{layer}"] = lin.bias.detach().cpu().numpy().copy()
            rows, epochs, stride = race._histories[i][s].state()
            out[f"{PREFIX}{i}.{s}.rows"], out[f"{PREFIX}{i}.{s}.epochs"] = rows, epochs
            out[f"{PREFIX}{i}.{s}.stride"] = np.array([stride], np.float64)
        out[f"{PREFIX}{i}.bests"] = np.array(race._bests[i], np.float64).reshape(-1, 2)
    return out


def state_problems(race_shapes: list[list[tuple[tuple[int, ...], tuple[int, ...]]]], seeds: int,
                   tensors: dict[str, np.ndarray]) -> list[str]:
    """What keeps `tensors` from being the state of a race whose contestant i's layers have
    `race_shapes[i]` [(weight shape, bias shape), ...] and `seeds` seeds; [] when none."""
    k = len(race_shapes)
    diverged = tensors.get("race.diverged")
    counters = [tensors.get(name) for name in ("race.epochs", "race.updates")]
    if diverged is None or diverged.shape != (k,) or any(c is None or c.shape != (1,) or c[0] < 0 for c in counters):
        return [f"the race's counters are missing or not for {k} contestants"]
    found = []
    for i, shapes in enumerate(race_shapes):
        for s in range(seeds):
            if diverged[i] < 0:
                got = [(tuple(tensors[f"weight.{i}.{s}.{n}"].shape), tuple(tensors[f"bias.{i}.{s}.{n}"].shape))
                       if f"weight.{i}.{s}.{n}" in tensors and f"bias.{i}.{s}.{n}" in tensors else None
                       for n in range(len(shapes))]
                if got != shapes:
                    found.append(f"contestant {i + 1}, seed {s + 1}: its weights do not fit the spec's network")
            rows = tensors.get(f"{PREFIX}{i}.{s}.rows")
            epochs = tensors.get(f"{PREFIX}{i}.{s}.epochs")
            stride = tensors.get(f"{PREFIX}{i}.{s}.stride")
            if (rows is None or epochs is None or stride is None or rows.ndim != 2 or rows.shape[1] != len(COLUMNS)
                    or epochs.shape != (len(rows),) or stride.shape != (1,) or len(rows) > limits.HISTORY_POINTS
                    or not stride[0] >= 1 or not (epochs >= 0).all()):
                found.append(f"contestant {i + 1}, seed {s + 1}: its curves are missing or malformed")
        bests = tensors.get(f"{PREFIX}{i}.bests")
        if bests is None or bests.ndim != 2 or bests.shape[1] != 2:
            found.append(f"contestant {i + 1}: its best accuracies are missing")
    return found


def restore_race(race: Race, tensors: dict[str, np.ndarray]) -> None:
    """Bring `race` (built from the saved spec) to the saved state: each trainer resumes at the
    saved update from its saved weights (see TrainingPlan.resume_at), each history and best comes
    back, and a contestant that had dropped out is out again. Raises ValueError, touching nothing,
    on a state that does not fit."""
    shapes = [[(tuple(lin.weight.shape), tuple(lin.bias.shape)) for lin in row[0].model.linears]
              for row in race.trainers]
    problems = state_problems(shapes, len(race.spec.seeds), tensors)
    if problems:
        raise ValueError("; ".join(problems[:3]))
    diverged = [None if d < 0 else int(d) for d in tensors["race.diverged"]]
    epochs, updates = int(tensors["race.epochs"][0]), int(tensors["race.updates"][0])
    for i, row in enumerate(race.trainers):
        for s, t in enumerate(row):
            if diverged[i] is None:
                layers = range(len(t.model.linears))
                t.resume_at([tensors[f"weight.{i}.{s}.{n}"] for n in layers],
                            [tensors[f"bias.{i}.{s}.{n}"] for n in layers], updates, epochs)
            race._histories[i][s].restore(tensors[f"{PREFIX}{i}.{s}.rows"], tensors[f"{PREFIX}{i}.{s}.epochs"],
                                          int(tensors[f"{PREFIX}{i}.{s}.stride"][0]))
    race.updates, race.diverged_at = int(updates), diverged
    race._bests = [[(int(u), float(a)) for u, a in tensors[f"{PREFIX}{i}.bests"]] for i in range(len(race.trainers))]
    race._cache.clear()
    race._seconds = [0.0] * len(race.trainers)
    race._model_updates = [0] * len(race.trainers)
    race._last = [_last_recorded(race, i) for i in range(len(race.trainers))]


def _last_recorded(race: Race, i: int) -> Metrics | None:
    """Contestant i's mean metrics at its last recorded epoch (what a dropped-out one shows)."""
    rows = [h.state()[0] for h in race._histories[i]]
    if not all(len(r) for r in rows):
        return None
    return mean_metrics([Metrics(int(r[-1][0]), *map(float, r[-1][1:])) for r in rows])
