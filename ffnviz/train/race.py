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

A SeqRaceSpec (ffnviz/train/seq_trainer.py) makes the same race of SeqTrainers: sequence models
whose contestants differ in their model as well. A ConvRaceSpec (ffnviz/train/conv_trainer.py)
makes a race of ConvTrainers: a CNN and, maybe, its MLP baseline on the same images and batches.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import torch

from ffnviz import limits
from ffnviz.data import Dataset, make_dataset
from ffnviz.data.images import ImageDataset, make_images
from ffnviz.data.sequences import SeqDataset, make_sequences
from ffnviz.data.text_data import make_text_dataset
from ffnviz.nn.mlp import stackable, stacked_forward
from ffnviz.specs import RaceSpec
from ffnviz.train.attention_extras import AttnExtras
from ffnviz.train.capacity import SERVER_CAP, WorkCap
from ffnviz.train.conv_extras import ConvExtras
from ffnviz.train.conv_trainer import ConvRaceSpec, ConvTrainer
from ffnviz.train.history import History
from ffnviz.train.race_extras import SeqExtras
from ffnviz.train.seq_trainer import SeqRaceSpec, SeqTrainer
from ffnviz.train.text_extras import TextExtras
from ffnviz.train.text_trainer import TextRaceSpec, TextTrainer
from ffnviz.train.trainer import Metrics, Trainer, needs_rebuild
from ffnviz.train.worker import DIVERGED, DONE, PAUSED, READY, RUNNING, Note, Worker

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


def _mean_metrics(rows: list[Metrics]) -> Metrics:
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
        each stepping alone (stacking is for the MLP's stacked_forward). A ConvRaceSpec races a
        CNN and its MLP baseline as ConvTrainers, each stepping alone, on one image data set."""
        spec.validate()
        self.spec = spec
        seq, text, conv = (isinstance(spec, SeqRaceSpec), isinstance(spec, TextRaceSpec),
                           isinstance(spec, ConvRaceSpec))
        trainer_type, make_data = ((SeqTrainer, make_sequences) if seq else (TextTrainer, make_text_dataset) if text
                                   else (ConvTrainer, make_images) if conv else (Trainer, make_dataset))
        self.stacked = stacked and not (seq or text or conv)
        # One data set for everyone: generated once, its tensors loaded by each trainer.
        self.dataset = dataset if dataset is not None else make_data(spec.base.data)
        self.trainers: list[list[Trainer]] = [
            [trainer_type(run, self.dataset, separate_shuffle=True) for run in row] for row in spec.run_specs()]
        # The probe batch (and length test sets, or the example on show) of what the snapshot
        # shows of sequence models (their gates, or a Transformer's attention) or of image models
        # (kernels, feature maps, confusion, misclassified images).
        self._extras = None
        if text:
            self._extras = TextExtras(self.dataset)
        if conv:
            self._extras = ConvExtras(self.dataset)
        if seq:
            kinds = {c.model.kind for c in spec.contestants}
            if "attn" in kinds and kinds != {"attn"}:
                raise ValueError("a race of attention models cannot include other kinds of model")
            self._extras = AttnExtras(self.dataset) if kinds == {"attn"} else SeqExtras(self.dataset)
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
        contestant's optimizer and regularization, and the base's batch size and step cap."""
        spec.validate()
        for runs, row in zip(spec.run_specs(), self.trainers, strict=True):
            for run, t in zip(runs, row, strict=True):
                t.apply_live(run.optim, run.reg, run.train.batch_size, run.train.max_updates)
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
        """k updates of the trainers of contestants `members` (one stackable key) together: each
        trainer draws its batch and clears its gradients (Trainer._begin_update), one batched
        forward computes every model's output (stacked_forward), each trainer takes its loss and
        penalty (Trainer._objective), one backward pass through their sum fills every model's
        gradients with its own, and each trainer steps its own optimizer (Trainer._end_update)
        and counts its updates (Trainer._count). The shared forward and backward time is split
        evenly over the models; each optimizer step is timed on its own."""
        trainers = [t for i in members for t in self.trainers[i]]
        models = [t.model for t in trainers]
        decoupled = [t._decoupled() for t in trainers]
        b = trainers[0].batch_size
        losses: list[list[torch.Tensor]] = [[] for _ in trainers]
        shared, own = 0.0, [0.0] * len(trainers)
        clock = time.perf_counter
        for _ in range(k):
            tick = clock()
            batches = [t._begin_update(b) for t in trainers]
            # unbind and one stack-and-sum: one backward node each, where indexing and a chain
            # of additions would make one per model.
            outputs = stacked_forward(models, torch.stack([xb for xb, _ in batches])).unbind(0)
            objectives = []
            for j, (t, out, (_, yb)) in enumerate(zip(trainers, outputs, batches, strict=True)):
                loss, objective = t._objective(out, yb)
                losses[j].append(loss.detach())
                objectives.append(objective)
            torch.stack(objectives).sum().backward()
            shared += clock() - tick
            for j, t in enumerate(trainers):
                tick = clock()
                t._end_update(decoupled[j])
                own[j] += clock() - tick
        for t, row in zip(trainers, losses, strict=True):
            t._count(row)
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
            mean = self._last[i] = _mean_metrics(rows)
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
        return _mean_metrics([self._evaluate(t) for t in self.trainers[i]])

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
        if not isinstance(self._extras, AttnExtras | TextExtras | ConvExtras):
            raise ValueError("only a race of attention, text or image models shows an example")
        self._extras.set_example(example)

    def extras(self) -> tuple[dict, ...]:
        """Per contestant, its gates, input gradients and accuracy by length (see
        ffnviz.train.race_extras), its attention (ffnviz.train.attention_extras) or its kernels,
        feature maps and mistakes (ffnviz.train.conv_extras); {} for a dropped-out contestant;
        () for an MLP race."""
        if self._extras is None:
            return ()
        return self._extras.measure(self.trainers, self.diverged_at)

    def seconds_per_update(self, i: int) -> float:
        """Measured seconds per update of one of contestant i's models (NaN before any)."""
        n = self._model_updates[i]
        return self._seconds[i] / n if n else float("nan")


@dataclass(frozen=True)
class RaceSnapshot:
    """A race as the page shows it; per contestant i (in spec.contestants' order):
    histories[i] (see Race.history), diverged_at[i] (the first update at which one of its seeds
    had a NaN or infinite loss, or at whose end, an epoch's end, its weights were found not
    finite; it dropped out there; None while it races), current[i] (mean over seeds, see
    Race.current; while it runs, at the last epoch end), best_test_acc[i], updates_to_target[i] (first update at an epoch end with
    mean test accuracy ≥ spec.target_accuracy, or None) and seconds_per_update[i] (one model's
    update, measured; in a stacked step, the shared forward and backward split evenly).
    extras: for a race of sequence, text or image models, one dict per contestant (see
    ffnviz.train.race_extras, attention_extras, text_extras, conv_extras; {} once it has dropped
    out); empty for an MLP race. device: where the models train."""

    version: int
    status: str
    note: Note | None
    spec: RaceSpec
    updates: int
    epoch: float
    updates_per_epoch: int
    updates_per_s: float
    histories: tuple[dict[str, np.ndarray], ...]
    diverged_at: tuple[int | None, ...]
    current: tuple[Metrics, ...]
    best_test_acc: tuple[float, ...]
    updates_to_target: tuple[int | None, ...]
    seconds_per_update: tuple[float, ...]
    extras: tuple[dict, ...] = ()
    device: str = "cpu"  # where the models train ("cuda" or "cpu"), as the trainers report it


# A publication evaluates every model on its whole training and test sets (Race.current) and
# measures the extras. For large image sets that is slow (a 3-layer CNN on 5,000 images of 24×24:
# ~0.3-0.5 s on one thread), and at four publications a second the race would do little else.
# Publications are spaced so that they take at most this share of the worker's time.
PUBLISH_SHARE = 0.2


class RaceRunner(Worker):
    """A Race stepped by a background thread (see Worker and Runner): the same commands,
    chunks, idle pause and cap; it takes contestants × seeds models from the cap. While it
    runs it publishes every `publish_interval_s`, or less often when a publication is slow (see
    PUBLISH_SHARE)."""

    def __init__(self, spec: RaceSpec, *, cap: WorkCap = SERVER_CAP, publish_interval_s: float = 0.25,
                 idle_pause_s: float = limits.IDLE_PAUSE_S, chunk_s: float = 0.02, clock=time.monotonic,
                 dataset: Dataset | None = None, stacked: bool = True):
        super().__init__(cap=cap, publish_interval_s=publish_interval_s, idle_pause_s=idle_pause_s,
                         chunk_s=chunk_s, clock=clock)
        self._stacked = stacked  # see Race
        self._publish_s = 0.0  # how long the last publication took (measured, seconds)
        self._build(spec, dataset)

    def _build(self, spec: RaceSpec, dataset: Dataset | None = None) -> None:
        self._race = Race(spec, dataset, stacked=self._stacked)  # raises ValueError on a spec it cannot run
        self._pace: tuple[int, float] = (0, 0.0)  # (batch size, seconds per race update)
        self._ready()

    def _ready(self) -> None:
        self._status, self._note = READY, None
        self._pending = 0
        self._last_poll = self._clock()
        self._publish()

    def _models(self) -> int:
        # Never more than the whole cap, so that a race bigger than a small cap still runs, alone.
        return min(self._race.spec.models, self._cap.max_models)

    @property
    def race(self) -> Race:
        """The live race; touch it only with the runner paused and detached (tests, benchmarks)."""
        return self._race

    def poll(self) -> RaceSnapshot:
        return super().poll()

    # -- commands -------------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to update 0: the same initial weights and batch orders."""
        with self._locked():
            self._cap.release(self)
            self._race.reset()
            self._ready()

    def update_spec(self, spec: RaceSpec, dataset: Dataset | None = None) -> bool:
        """Apply a new race spec: live when needs_race_rebuild says it can (and no contestant whose
        training changes has dropped out: its weights are gone), else start over (returns True).
        Raises ValueError."""
        spec.validate()
        with self._locked():
            old = self._race.spec
            if spec == old:
                return False
            # Each contestant's optimizer and regularization, as its (first seed's) run has them.
            revived = any(d is not None and (a[0].optim, a[0].reg) != (b[0].optim, b[0].reg) for d, a, b in
                          zip(self._race.diverged_at, old.run_specs(), spec.run_specs(), strict=False))
            if needs_race_rebuild(old, spec) or revived:
                self._cap.release(self)
                if dataset is None and spec.base.data == old.base.data:
                    dataset = self._race.dataset
                self._build(spec, dataset)
                return True
            self._race.apply_live(spec)
            if self._status == DONE and self._race.updates < spec.base.train.max_updates:
                self._status, self._note = PAUSED, None
            self._publish()
            return False

    def set_example(self, example) -> None:
        """Show another example: an attention race's tokens, an image race's test image (see
        Race.set_example); published at once."""
        with self._locked():
            self._race.set_example(example)
            self._publish()

    # -- the worker thread ----------------------------------------------------------------------

    def _train_for(self, seconds: float | None, limit: int | None) -> int:
        """As Runner._train_for: race updates up to an epoch's end, or as many as fit in
        `seconds` at the measured pace. Lock held."""
        r = self._race
        started, done = self._clock(), 0
        while True:
            cap = r.spec.base.train.max_updates
            room = cap - r.updates
            if room <= 0:
                self._finish(DONE, Note.of("note_done", updates=r.updates))
                break
            n = min(r.updates_left_in_epoch, room, *(() if limit is None else (limit - done,)))
            if seconds is not None:
                paced_batch, update_s = self._pace
                n = min(n, max(1, int(seconds / update_s)) if paced_batch == r.batch_size and update_s > 0 else 1)
            tick = time.perf_counter()
            made = r.step(n)
            if made:
                self._pace = (r.batch_size, (time.perf_counter() - tick) / made)
            done += made
            if not r.any_alive:
                self._finish(DIVERGED, Note.of("note_diverged", update=max(d for d in r.diverged_at if d)))
                break
            if r.updates >= cap:
                self._finish(DONE, Note.of("note_done", updates=r.updates))
                break
            if (limit is not None and done >= limit) or (seconds is not None and self._clock() - started >= seconds):
                break
        if self._clock() - self._rate[0] >= max(self._publish_interval_s, self._publish_s / PUBLISH_SHARE):
            self._publish()
        return done

    # -- publication ----------------------------------------------------------------------------

    def _publish(self) -> None:
        tick = time.perf_counter()
        r = self._race
        k = range(len(r.trainers))
        self._measure_rate(r.updates)
        self._version += 1
        self._snapshot = RaceSnapshot(
            version=self._version,
            status=self._status,
            note=self._note,
            spec=r.spec,
            updates=r.updates,
            epoch=r.epoch,
            updates_per_epoch=r.updates_per_epoch,
            updates_per_s=self._updates_per_s,
            histories=tuple(r.history(i) for i in k),
            diverged_at=tuple(r.diverged_at),
            current=tuple(r.current(i, fresh=self._status != RUNNING) for i in k),
            best_test_acc=tuple(r.best_test_acc(i) for i in k),
            updates_to_target=tuple(r.updates_to_target(i) for i in k),
            seconds_per_update=tuple(r.seconds_per_update(i) for i in k),
            extras=r.extras(),
            device=r.trainers[0][0].device,
        )
        self._publish_s = time.perf_counter() - tick

