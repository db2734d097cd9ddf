"""A class's challenge: one page's settings the teacher chose (any page's link whose run reports
accuracy, loss and updates: the playground, the optimizer race, the deep, convolution, text,
self-attention and gated pages), the parts of them that are locked, and a goal. Hidden controls
are only hidden: whether a run is in the challenge is decided here, on the server, from the run's
own snapshot read with the page's LinkForm (ffnviz/page_links.py), never from what the page showed.

A run is entered when it is on the challenge's page, keeps every locked setting, can be
reproduced from its link (no weights edited by hand or loaded from a file, no uploaded data) and
kept its settings since update 0 (a learning rate changed half-way is not in its final link).
Goals count updates, not seconds: the server is shared. A race is scored by its first contestant
(the one its report shows), its numbers the mean over its seeds.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np

from ffnviz.page_links import FORMS, PAGE_OF, PAGES, PLAYGROUND
from ffnviz.specs import UPLOAD
from ffnviz.specs.links import HIDE_SUFFIX, link_differences, with_version

GOALS = ("accuracy_params", "updates_to_loss", "accuracy_in_updates")
# goal: (target's lowest, highest); accuracy and loss targets are fractions, updates a count
TARGETS = {"accuracy_params": (0.5, 1.0), "updates_to_loss": (1e-4, 10.0), "accuracy_in_updates": (10, 1_000_000)}
# The pages a challenge can be set on (their forms): each trains a run or a race that reports
# accuracy, loss and updates. (The optimizer page's 2-D paths train no network.)
CHALLENGE_FORMS = ("playground", "optimizers.race", "deep", "convolution", "text", "attention", "gated.ffn", "gated.rnn")
LOCK_NAMES = ("data", "network", "optimizer", "training")
# The playground hides control by control (its `<name>_hide=1`); every other page hides a lock's
# section of controls as a whole, under the lock's own name (`data_hide=1`, ...).
PLAYGROUND_HIDES = {
    "data": ("problem", "dataset", "noise", "train", "points", "classes", "regenerate", "features"),
    "network": ("layers", "units", "activation", "init", "dropout"),
    "optimizer": ("optimizer", "lr", "hyper", "reg", "rate"),
    "training": ("batch", "seed"),
}
LOCKS = PLAYGROUND_HIDES  # the locks a teacher picks from (the same four on every page)
ALWAYS_HIDDEN = ("files", "lessons")  # a loaded run or a lesson would leave the challenge
_PART = re.compile(r"^(?:ffn\.|rnn\.)?(?:c\d+\.)?")  # a gated part's and a contestant's prefix
_SEEDS = ("data.seed", "train.seed", "race.seeds")  # spelled out in the link, whatever the defaults become


def locks_of(key: str) -> set[str]:
    """The locks that hold a flat key of any page (none: the key is free, e.g. the device)."""
    rest = _PART.sub("", key)
    if rest.startswith("data."):
        return {"data"} if rest != "data.upload" else set()
    if rest.startswith("model.") or rest == "race.baseline":
        return {"network"}
    if rest.startswith(("optim.", "reg.", "schedule.", "stop.")):
        return {"optimizer"}
    if rest in ("train.batch_size", "train.seed", "race.seeds"):
        return {"training"}
    if rest == "race.contestants":  # who races: the networks and their optimizers
        return {"network", "optimizer"}
    return set()


def _uploaded(flat: dict[str, str]) -> bool:
    """The settings train on an uploaded file (which no link can carry)."""
    for key, value in flat.items():
        rest = _PART.sub("", key)
        if (rest == "data.dataset" and value == UPLOAD) or (rest == "data.source" and value == "upload"):
            return True
    return False


def _budget_key(flat: dict[str, str]) -> str | None:
    return next((k for k in flat if _PART.sub("", k) == "train.max_updates"), None)


@dataclass(frozen=True)
class Challenge:
    goal: str
    target: float
    flat: dict[str, str]  # the page's settings, every key (its LinkForm's to_flat)
    locks: tuple[str, ...] = ("data",)
    form: str = PLAYGROUND.name  # the page's LinkForm (page_links.FORMS)

    @property
    def page(self) -> str:
        return PAGE_OF[self.form]

    def _wanted(self) -> dict[str, str]:
        """The settings with the goal's budget as the step cap (for accuracy in N updates)."""
        key = _budget_key(self.flat)
        if self.goal == "accuracy_in_updates" and key is not None:
            return {**self.flat, key: str(int(self.target))}
        return dict(self.flat)

    def problems(self) -> list[str]:
        found = []
        if self.form not in CHALLENGE_FORMS:
            return [f"a challenge is set on one of {', '.join(CHALLENGE_FORMS)}"]
        if self.goal not in GOALS:
            found.append(f"goal must be one of {', '.join(GOALS)}")
        else:
            lo, hi = TARGETS[self.goal]
            if not (isinstance(self.target, int | float) and lo <= self.target <= hi):
                found.append(f"target must be {lo:g}..{hi:g}")
        if not set(self.locks) <= set(LOCK_NAMES):
            found.append(f"locks must be among {', '.join(LOCK_NAMES)}")
        form = FORMS[self.form]
        found += form.from_flat(self.flat, form.default)[1]
        if not found and self.goal == "accuracy_in_updates":  # the budget must be one the page allows
            found += [f"the budget: {m}" for m in form.from_flat(self._wanted(), form.default)[1]]
        if _uploaded(self.flat):
            found.append("a challenge cannot be on an uploaded file")
        return found

    @property
    def spec(self):
        form = FORMS[self.form]
        return form.from_flat(self._wanted(), form.default)[0]

    def to_json(self) -> str:
        return json.dumps({"goal": self.goal, "target": self.target, "flat": self.flat, "locks": list(self.locks),
                           "form": self.form})

    @classmethod
    def from_json(cls, text: str | None) -> Challenge | None:
        if not text:
            return None
        try:
            d = json.loads(text)
            found = cls(str(d["goal"]), float(d["target"]), {str(k): str(v) for k, v in d["flat"].items()},
                        tuple(str(x) for x in d["locks"]), str(d.get("form", PLAYGROUND.name)))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return None if found.problems() else found

    def locked_keys(self) -> list[str]:
        keys = [k for k in self.flat if locks_of(k) & set(self.locks)]
        budget = _budget_key(self.flat)
        if self.goal == "accuracy_in_updates" and budget is not None:  # the budget is part of the goal
            keys.append(budget)
        return keys

    def hidden(self) -> list[str]:
        """The controls the link hides: the locks' (see PLAYGROUND_HIDES), and the files and lessons."""
        if self.form == PLAYGROUND.name:
            return [name for lock in self.locks for name in PLAYGROUND_HIDES[lock]] + list(ALWAYS_HIDDEN)
        return list(self.locks) + list(ALWAYS_HIDDEN)

    def link(self) -> str:
        """The page's link that opens the challenge, its locked controls hidden."""
        form, wanted = FORMS[self.form], self._wanted()
        # The seeds spelled out, whatever the defaults become: every student starts from the same data and weights.
        seeds = {k: v for k, v in wanted.items() if _PART.sub("", k) in _SEEDS}
        query = with_version({**link_differences(form, self.spec), **seeds})
        query.update({name + HIDE_SUFFIX: "1" for name in self.hidden()})
        return f"/{self.page}?" + urlencode(query)

    def entry(self, snapshot, steady: bool, page: str | None = None) -> tuple[bool, str, float | None]:
        """(entered, why not as a translation key or "", score) for a run's snapshot on `page`
        (what its URL said; None or no page's name: not known); `steady`: its settings did not change since update 0. Lower scores
        rank first."""
        form = FORMS[self.form]
        if not self._of_this_page(snapshot.spec, page):
            return False, "challenge_other_page", None
        if getattr(snapshot, "edited", False):
            return False, "challenge_edited", None
        if getattr(snapshot, "loaded", False):
            return False, "challenge_loaded", None
        flat = form.to_flat(snapshot.spec)
        if _uploaded(flat):
            return False, "challenge_upload", None
        if not steady:
            return False, "challenge_changed", None
        wanted = self._wanted()
        if any(flat.get(k) != wanted.get(k) for k in self.locked_keys()):
            return False, "challenge_unlocked", None
        return True, "", self.score(snapshot)

    def _of_this_page(self, spec, page: str | None) -> bool:
        """A run of the challenge's page and part: its spec is of the form's type and reads back
        through the form unchanged (the gated page's two races tell each other apart so), and the
        page it reported from, when that names a page, is the challenge's."""
        form = FORMS[self.form]
        if (page in PAGES and page != self.page) or type(spec) is not type(form.default):
            return False
        return form.from_flat(form.to_flat(spec), form.default) == (spec, [])

    def score(self, snapshot) -> float | None:
        updates, loss, acc, acc_now, params = numbers(snapshot)
        if self.goal == "accuracy_params":
            return float(params) if math.isfinite(acc_now) and acc_now >= self.target else None
        if self.goal == "updates_to_loss":
            reached = np.flatnonzero(loss <= self.target)
            return float(updates[reached[0]]) if reached.size else None
        within = acc[(updates <= self.target) & np.isfinite(acc)]
        return -float(within.max()) if within.size else None


def numbers(snapshot) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, int]:
    """(updates, training loss, test accuracy) at the recorded epochs, the test accuracy now and
    the parameter count: a run's, or a race's first contestant's (the mean over its seeds)."""
    if hasattr(snapshot, "histories"):
        h = snapshot.histories[0] if snapshot.histories else {}
        loss, acc = h.get("train_loss_mean", ()), h.get("test_acc_mean", ())
        now = snapshot.current[0].test_acc if snapshot.current else math.nan
        params = snapshot.parameters[0] if snapshot.parameters else 0
    else:
        h = snapshot.history
        loss, acc, now = h.get("train_loss", ()), h.get("test_acc", ()), snapshot.metrics.test_acc
        params = sum(w.size for w in snapshot.weights) + sum(b.size for b in snapshot.biases)
    as_array = lambda x: np.asarray(x, np.float64)  # noqa: E731
    return as_array(h.get("update", ())), as_array(loss), as_array(acc), float(now), int(params)
