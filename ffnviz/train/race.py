"""The optimizer race: the same problem trained by several contestants (optimizer, learning rate,
regularization, activation, dropout), each with one or more training seeds, side by side.

A race is made of the project's Trainers, one per contestant and seed; torch.optim makes every
update. For a seed, all contestants start from identical initial weights (same seed, same
initialization, whatever their optimizer) and see identical batches in the same order: each
trainer shuffles from its own copy of the generator as it is after initialization
(Trainer(separate_shuffle=True)), so a contestant's dropout masks cannot change its batch order.
A contestant without dropout trains exactly as the single run of its spec would.

The contestants move in lockstep: `Race.step(n)` makes n updates of every trainer still in the
race. A contestant drops out when any of its seeds diverges (a NaN or infinite loss): its
curves end there, and the others go on.

A SeqRaceSpec, TextRaceSpec or ConvRaceSpec makes the same race of SeqTrainers, TextTrainers or
ConvTrainers, whose contestants differ in their model as well; ffnviz/train/race_kinds.py says
which trainer, data and snapshot extras each kind of spec uses. RaceRunner (race_runner.py)
trains a race live.
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch

from ffnviz.data import Dataset
from ffnviz.data.images import ImageDataset
from ffnviz.data.sequences import SeqDataset
from ffnviz.nn.mlp import StackedMLPs, stackable
from ffnviz.specs.conv import ConvRaceSpec
from ffnviz.specs.race import RaceSpec
from ffnviz.specs.schedule import schedule_of, stop_of
from ffnviz.specs.sequences import SeqRaceSpec
from ffnviz.train.history import History
from ffnviz.train.race_kinds import ExtrasView, kind_of
from ffnviz.train.reading import Metrics
from ffnviz.train.trainer import Trainer, needs_rebuild

METRICS = ("train_loss", "test_loss", "train_acc", "test_acc")


def needs_race_rebuild(old: RaceSpec, new: RaceSpec) -> bool:
    """True when the change cannot be applied to the live race: another number of contestants
    or seeds, or a change that would rebuild one of its runs (data, architecture, a contestant's
    activation or dropout, the seeds, the device). Learning rates, optimizers, their
    hyperparameters, regularization, batch size, step cap and target change live."""
    old_runs, new_runs = old.run_specs(), new.run_specs()
    if [len(r) for r in old_runs] != [len(r) for r in new_runs]:
        return True
    return any(needs_rebuild(a, b) for ro, rn in zip(old_runs, new_runs, strict=True)
               for a, b in zip(ro, rn, strict=True))


def mean_metrics(rows: list[Metrics]) -> Metrics:
    def mean(name: str) -> float:
        return float(np.mean([getattr(m, name) for m in rows]))

    return Metrics(rows[0].update, rows[0].epoch, *(mean(k) for k in METRICS))


class Race:
    def __init__(self, spec: RaceSpec | SeqRaceSpec | ConvRaceSpec,
                 dataset: Dataset | SeqDataset | ImageDataset | None = None, *, stacked: bool = True):
        """`stacked`: models that can share one forward pass (see ffnviz.nn.mlp.stackable: same
        activations, no dropout) compute their outputs in one batched forward and one backward
        pass, each still with its own batches, loss, gradients and torch.optim step (see
        `_step_stacked`). About half the cost of stepping them one by one on Playground's
        problem; the last bits may differ from the run stepped alone. False: every trainer
        steps alone (`Trainer.step`), exactly as its single run would.

        A SeqRaceSpec races sequence models: the same race of SeqTrainers (the Trainer's engine),
        each stepping alone (stacking is for MLPs: StackedMLPs). A ConvRaceSpec races a
        CNN and its MLP baseline as ConvTrainers, each stepping alone, on one image data set."""
        spec.validate()
        self.spec = spec
        kind = kind_of(spec)
        self.stacked = stacked and kind.stackable
        # One data set for everyone: generated once, its tensors loaded by each trainer.
        self.dataset = dataset if dataset is not None else kind.make_data(spec.base.data)
        self.trainers: list[list[Trainer]] = [
            [kind.trainer(run, self.dataset, separate_shuffle=True) for run in row] for row in spec.run_specs()]
        # What the snapshot shows of the models besides their curves (gates, attention, word
        # effects, kernels ...) and the probe batch or example it measures them on; None: nothing.
        self._extras = kind.extras(spec, self.dataset)
        self._stacks: dict[tuple[int, ...], StackedMLPs] = {}  # contestants stepped together -> their stack
        self._restart()

    # -- state ----------------------------------------------------------------------------------

    def _restart(self) -> None:
        k = len(self.trainers)
        self.updates = 0
        self.diverged_at: list[int | None] = [None] * k
        self._seconds = [0.0] * k  # time spent stepping each contestant's trainers
        self._model_updates = [0] * k  # updates made by each contestant's trainers, all seeds
        self._histories = [[History() for _ in row] for row in self.trainers]
        self._last = [None] * k  # mean metrics at the last epoch end recorded, per contestant
        # Each contestant's record of new bests of the mean test accuracy, checked at every epoch
        # end (not only those the history keeps): (update, accuracy). The first update at which
        # the mean reached any target is read from it, so the target can change at any time.
        self._bests: list[list[tuple[int, float]]] = [[] for _ in range(k)]
        self._cache: dict[int, Metrics] = {}  # id(trainer) -> its evaluation at trainer.updates
        if self._extras is not None:
            self._extras.restart()
        self._record(0)

    def reset(self) -> None:
        """Back to update 0: the same initial weights and batch orders for everyone."""
        for row in self.trainers:
            for t in row:
                t.reset()
        self._restart()

    def apply_live(self, spec: RaceSpec) -> None:
        """A change that needs no rebuild (see needs_race_rebuild): each trainer gets its
        contestant's optimizer and regularization, and the base's batch size, step cap and schedule
        (the trainers check them)."""
        for runs, row in zip(spec.run_specs(), self.trainers, strict=True):
            for run, t in zip(runs, row, strict=True):
                t.apply_live(run.optim, run.reg, run.train.batch_size, run.train.max_updates)
                t.apply_plan(schedule_of(run), stop_of(run))
        self.spec = spec

    # -- training -------------------------------------------------------------------------------

    @property
    def alive(self) -> list[bool]:
        return [d is None for d in self.diverged_at]

    @property
    def any_alive(self) -> bool:
        return any(d is None for d in self.diverged_at)

    def _reference(self) -> Trainer:
        """A trainer still in the race (they all share batch position and size), else the first."""
        for row, d in zip(self.trainers, self.diverged_at, strict=True):
            if d is None:
                return row[0]
        return self.trainers[0][0]

    @property
    def updates_left_in_epoch(self) -> int:
        return self._reference().updates_left_in_epoch

    @property
    def updates_per_epoch(self) -> int:
        return self._reference().updates_per_epoch

    @property
    def batch_size(self) -> int:
        return self._reference().batch_size

    @property
    def epoch(self) -> float:
        return self._reference().epoch

    def step(self, n: int = 1) -> int:
        """Make n updates of every trainer still in the race, stopping at each epoch's end to
        record the metrics. Returns the updates made (fewer than n only when every contestant
        has dropped out)."""
        done = 0
        while done < n and self.any_alive:
            k = min(n - done, self.updates_left_in_epoch)
            alive = [i for i, d in enumerate(self.diverged_at) if d is None]
            groups: dict[tuple, list[int]] = {}
            for i in alive:
                model = self.trainers[i][0].model
                # Models with dropout step alone (their masks are drawn per model), as all do
                # when the race is not stacked.
                key = stackable(model) if self.stacked and model.dropout.p == 0.0 else ("alone", i)
                groups.setdefault(key, []).append(i)
            for key, members in groups.items():
                if key[0] != "alone" and len(members) * len(self.spec.seeds) > 1:
                    self._step_stacked(members, k)
                    continue
                for i in members:
                    tick = time.perf_counter()
                    for t in self.trainers[i]:
                        t.step(k)
                    self._seconds[i] += time.perf_counter() - tick
            for i in alive:
                row = self.trainers[i]
                self._model_updates[i] += k * len(row)
                diverged = [t.diverged_at for t in row if t.diverged_at is not None]
                if diverged:
                    self.diverged_at[i] = min(diverged)
            self.updates += k
            done += k
            ref = self._reference()
            if ref.updates_left_in_epoch == ref.updates_per_epoch:
                self._record(ref.epochs_completed)
        return done

    def _step_stacked(self, members: list[int], k: int) -> None:
        """k updates of the trainers of contestants `members` (one stackable key) together, each
        made of the Trainer's update pieces (see Trainer.begin_update): each trainer draws its
        batch, one batched forward computes every model's output (StackedMLPs), each trainer
        takes its objective, one backward pass (torch.autograd.grad) through their sum gives the
        stacked parameters' gradients, which the stack hands to every model as its own, and each
        trainer steps its own optimizer; then each counts its updates. The shared forward and
        backward time is split evenly over the models; each optimizer step is timed on its own."""
        trainers = [t for i in members for t in self.trainers[i]]
        stack = self._stacks.get(tuple(members))
        if stack is None:
            stack = self._stacks[tuple(members)] = StackedMLPs([t.model for t in trainers])
        stack.attach()
        draws = [t.next_batch for t in trainers]  # the stack sets every gradient: none to clear
        objectives = [t.objective for t in trainers]
        ends = [t.end_update for t in trainers]
        # An L1/L2 penalty is taken on a model's own weights: the backward pass differentiates
        # them too, and their gradient is added to the stack's.
        penalized = [w for t in trainers for w in t.penalized_weights()]
        inputs = stack.leaves + penalized
        n_leaves = len(stack.leaves)
        grad = torch.autograd.grad
        squeeze = trainers[0].binary or trainers[0].regression  # one output unit: (K, B, 1) -> (K, B)
        shared, own = 0.0, [0.0] * len(trainers)
        clock = time.perf_counter
        for _ in range(k):
            tick = clock()
            batches = [draw() for draw in draws]
            # One squeeze (one-output models), unbind and one stack-and-sum: one backward node
            # each, where per-model squeezes, indexing and a chain of additions would make one per model.
            outputs = stack.forward(torch.stack([xb for xb, _ in batches]))
            if squeeze:
                outputs = outputs.squeeze(2)
            outputs = outputs.unbind(0)
            grads = grad(torch.stack([objective(out, yb) for objective, out, (_, yb)
                                      in zip(objectives, outputs, batches, strict=True)]).sum(), inputs)
            stack.set_grads(grads[:n_leaves], list(zip(penalized, grads[n_leaves:], strict=True)))
            shared += clock() - tick
            for j, end in enumerate(ends):
                tick = clock()
                end()
                own[j] += clock() - tick
        for t in trainers:
            t.count_updates()
        seeds = len(self.spec.seeds)
        for m, i in enumerate(members):
            self._seconds[i] += shared * seeds / len(trainers) + sum(own[m * seeds:(m + 1) * seeds])

    # -- reading --------------------------------------------------------------------------------

    def _evaluate(self, t: Trainer) -> Metrics:
        m = self._cache.get(id(t))
        if m is None or m.update != t.updates:
            m = self._cache[id(t)] = t.evaluate()
        return m

    def _record(self, epoch_index: int) -> None:
        """Metrics of every contestant still in the race at the end of epoch `epoch_index`."""
        for i, row in enumerate(self.trainers):
            if self.diverged_at[i] is not None:
                continue
            rows = [self._evaluate(t) for t in row]
            if not all(math.isfinite(m.train_loss) and math.isfinite(m.test_loss) for m in rows):
                # An update at the chunk's end made the weights non-finite; the trainer would say
                # so at its next update's loss. Out now, so that no curve shows a NaN point.
                self.diverged_at[i] = self.updates
                continue
            for history, m in zip(self._histories[i], rows, strict=True):
                history.offer(epoch_index, m)
            mean = self._last[i] = mean_metrics(rows)
            bests = self._bests[i]
            if np.isfinite(mean.test_acc) and (not bests or mean.test_acc > bests[-1][1]):
                bests.append((self.updates, mean.test_acc))

    def current(self, i: int, fresh: bool = True) -> Metrics:
        """Contestant i's metrics now, the mean over its seeds; for a contestant that has dropped
        out, those at the last epoch end before it diverged (its weights are no longer finite).
        `fresh=False`: those at the last epoch end, without evaluating the models again (a
        running race publishes these: evaluating whole data sets four times a second cost a
        Transformer race a third of its training time)."""
        if self.diverged_at[i] is not None or (not fresh and self._last[i] is not None):
            return self._last[i]
        return mean_metrics([self._evaluate(t) for t in self.trainers[i]])

    def history(self, i: int) -> dict[str, np.ndarray]:
        """Contestant i's recorded epochs: "update", "epoch", and for each metric its mean, min
        and max over the seeds ("train_loss_mean", "train_loss_min", ...)."""
        per_seed = [h.as_arrays() for h in self._histories[i]]
        out = {"update": per_seed[0]["update"], "epoch": per_seed[0]["epoch"]}
        for key in METRICS:
            table = np.stack([a[key] for a in per_seed])  # (seeds, epochs)
            out[f"{key}_mean"] = table.mean(0)
            out[f"{key}_min"] = table.min(0)
            out[f"{key}_max"] = table.max(0)
        return out

    def best_test_acc(self, i: int) -> float:
        """The best mean test accuracy at an epoch end so far (NaN for a regression)."""
        return self._bests[i][-1][1] if self._bests[i] else float("nan")

    def updates_to_target(self, i: int, target: float | None = None) -> int | None:
        """The first update (at an epoch end) at which contestant i's mean test accuracy reached
        `target` (default: the spec's), or None."""
        target = self.spec.target_accuracy if target is None else target
        return next((u for u, acc in self._bests[i] if acc >= target), None)

    def set_example(self, example) -> None:
        """The example the snapshot shows: an attention race's tokens (ValueError when they do not
        fit the data, attention_extras.check_example), a text race's sentence to classify, or an
        image race's test image index (conv_extras.check_example); other races show none."""
        if not hasattr(self._extras, "set_example"):
            raise ValueError("only a race of attention, text or image models shows an example")
        self._extras.set_example(example)

    def extras(self) -> tuple[ExtrasView | None, ...]:
        """Per contestant, what the page shows of its model: its gates, input gradients and
        accuracy by length (race_extras.SeqView), its attention (attention_extras.AttnView), its
        kernels, feature maps and mistakes (conv_extras.ConvView) or its report, word effects and
        sentence (text_extras.TextView); None for a dropped-out contestant; () for an MLP race."""
        if self._extras is None:
            return ()
        return self._extras.measure(self.trainers, self.diverged_at)

    def seconds_per_update(self, i: int) -> float:
        """Measured seconds per update of one of contestant i's models (NaN before any)."""
        n = self._model_updates[i]
        return self._seconds[i] / n if n else float("nan")
