"""The Trainer: one run's model, optimizer, data and generator, stepped one update at a time.

It counts optimizer updates. Every random draw (initialization, shuffling, dropout masks)
comes from the run's own generator, so the same spec gives the same numbers, bit for bit on the
CPU, however many other runs train in the same process.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ffnviz import limits
from ffnviz.data import Dataset, make_dataset
from ffnviz.data.features import expand
from ffnviz.devices import resolve_device
from ffnviz.nn import build_mlp
from ffnviz.nn.mlp import MLP, training_forward
from ffnviz.specs import OptimSpec, RegSpec, RunSpec
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.specs.schedule import stop_of
from ffnviz.train.functional_step import FunctionalStep
from ffnviz.train.optimizers import build_optimizer, set_hyperparameters
from ffnviz.train.reading import Reading
from ffnviz.train.regularizers import adds_penalty, decay_weights, penalty
from ffnviz.train.training_plan import TrainingPlan


def needs_rebuild(old: RunSpec, new: RunSpec) -> bool:
    """True when the change cannot be applied to a live run: other data, another architecture,
    another seed or device, another validation split. Learning rate, optimizer, regularization,
    batch size, schedule and patience can."""
    return (old.data, old.model, old.train.seed, old.train.device, _split(old)) != (
        new.data, new.model, new.train.seed, new.train.device, _split(new))


def _split(spec) -> tuple[bool, float]:
    """What of early stopping changes the training data: whether a validation split is carved, and its size."""
    stop = stop_of(spec)
    return stop.enabled, stop.val_fraction if stop.enabled else 0.0


class Trainer(TrainingPlan, Reading):
    def __init__(self, spec: RunSpec, dataset: Dataset | None = None, *, separate_shuffle: bool = False):
        """`separate_shuffle`: shuffle from a generator of its own, a copy of the run's generator as
        it is after initialization, so that dropout masks (drawn from the run's generator) cannot
        change the batch order. A race needs it: contestants with and without dropout must see the
        same batches. Without dropout the numbers are the same either way (no mask is drawn)."""
        spec.validate()
        self.spec = spec
        self.device = resolve_device(spec.train.device)
        self.dataset = dataset if dataset is not None else self._make_dataset()
        self._set_problem()
        self._load_data()
        self._carve_validation()

        self.generator = torch.Generator().manual_seed(spec.train.seed)
        # torch.bernoulli needs a generator on the tensor's device.
        self._dropout_generator = (self.generator if self.device == "cpu"
                                   else torch.Generator(device=self.device))
        self.model = self._build_model().to(self.device)
        self._initial_weights = {k: v.clone() for k, v in self.model.state_dict().items()}
        self._generator_after_init = self.generator.get_state()
        self._shuffle_generator = torch.Generator() if separate_shuffle else self.generator
        self.weights, self.biases = self._weights_and_biases()
        self._params = self.weights + self.biases
        self._forward = self._training_forward()
        # model.train(mode) walks the module tree through nn.Module.__setattr__ (~20 us a call on
        # these models); when no module overrides train(), setting each module's flag is the same.
        self._modules = list(self.model.modules())
        self._plain_modes = all(type(m).train is nn.Module.train for m in self._modules)
        self._restart()

    # -- set-up ---------------------------------------------------------------------------------
    # What a subclass with other data and another model overrides (ffnviz/train/seq_trainer.py):
    # _make_dataset, _set_problem, _input_arrays, _dtypes, model_inputs, _build_model,
    # _weights_and_biases, data_loss and _loss_and_accuracy. Loading the data and the update
    # itself (batches, penalty, decay, optimizer, counting) are this class's alone.

    def _make_dataset(self) -> Dataset:
        return make_dataset(self.spec.data)

    def _set_problem(self) -> None:
        if self.dataset.problem != self.spec.data.problem:
            raise ValueError(f"the data set is for {self.dataset.problem}, the spec for {self.spec.data.problem}")
        self.problem = self.dataset.problem  # "classification" or "regression"
        self.regression = self.problem == "regression"
        self.binary = not self.regression and self.dataset.n_classes == 2

    def _build_model(self) -> nn.Module:
        """The model, its weights drawn from self.generator."""
        # One output unit for a regression's value or a binary problem's logit, else one per class.
        out_dim = 1 if self.binary or self.regression else self.dataset.n_classes
        return build_mlp(self.spec.model, len(self.spec.data.features), out_dim, self.generator,
                         self._dropout_generator)

    def _weights_and_biases(self) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """The trained parameters: weights (regularized) and biases (never regularized)."""
        return [lin.weight for lin in self.model.linears], [lin.bias for lin in self.model.linears]

    def _training_forward(self) -> Callable[[torch.Tensor], torch.Tensor]:
        """The model's forward pass as `step` calls it (in training mode): an MLP's without
        nn.Module's per-call overhead (mlp.training_forward), any other model called."""
        return training_forward(self.model) if type(self.model) is MLP else self.model

    def _check_own_data(self) -> None:
        """A data set made from another spec than the run's is a mistake (a race hands one data
        set to all its trainers)."""
        if self.dataset.spec != self.spec.data:
            raise ValueError(f"the data set was made from another {type(self.spec.data).__name__} than the run's")

    def _input_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The training and test inputs the model reads (before model_inputs)."""
        return self.dataset.x_train, self.dataset.x_test

    def _dtypes(self) -> tuple[torch.dtype | None, torch.dtype | None]:
        """The inputs' and the targets' dtypes on the device (None: the arrays' own)."""
        return None, torch.float32 if self.binary or self.regression else torch.int64

    def _load_data(self) -> None:
        """The data set's arrays as tensors on the run's device, and the probe batch: the first
        PROBE_BATCH training examples."""
        dev, (x_dtype, y_dtype) = self.device, self._dtypes()
        x_train, x_test = self._input_arrays()
        self.x_train = self.model_inputs(torch.as_tensor(x_train).to(dev, x_dtype))
        self.y_train = torch.as_tensor(self.dataset.y_train).to(dev, y_dtype)
        self.x_test = self.model_inputs(torch.as_tensor(x_test).to(dev, x_dtype))
        self.y_test = torch.as_tensor(self.dataset.y_test).to(dev, y_dtype)
        self._n_train = len(self.x_train)  # read at every update; a tensor's len() is a Python call
        n = min(limits.PROBE_BATCH, len(self.x_train))
        self.x_probe, self.y_probe = self.x_train[:n], self.y_train[:n]

    def model_inputs(self, points: torch.Tensor) -> torch.Tensor:
        """Raw (n, 2) points of the input plane as the model sees them (the chosen features)."""
        return expand(points, self.spec.data.features)

    def _restart(self) -> None:
        """Back to update 0 with the initial weights and the generator as it was after init."""
        self.model.load_state_dict(self._initial_weights)
        self.generator.set_state(self._generator_after_init)
        if self._shuffle_generator is not self.generator:
            self._shuffle_generator.set_state(self._generator_after_init)
        if self._dropout_generator is not self.generator:
            self._dropout_generator.manual_seed(self.spec.train.seed)
        self.model.train()
        self.optimizer = self._build_optimizer()
        self._stepper: FunctionalStep | None = None
        self.updates = 0
        self.epochs_completed = 0
        self._cursor = len(self.x_train)  # forces a shuffle before the first batch
        self._losses: list[torch.Tensor] = []  # data losses of the updates not yet counted
        self.diverged_at: int | None = None
        self._start_schedule()
        self._start_stopping()

    def _build_optimizer(self) -> torch.optim.Optimizer:
        o = self.spec.optim
        return build_optimizer(o.name, self._param_groups(), o.lr, o.hyper_values())

    def _param_groups(self) -> list[dict]:
        """Weights and biases in separate groups only when the optimizer's own weight decay is
        on (it must spare the biases); otherwise one group, as torch steps each group with a
        separate call. Every optimizer here updates each tensor on its own, so the grouping does
        not change a single number."""
        decay = self._native_decay()
        if decay:
            return [{"params": self.weights, "weight_decay": decay}, {"params": self.biases, "weight_decay": 0.0}]
        return [{"params": self._params, "weight_decay": 0.0}]

    def _regroup(self) -> None:
        """Bring the live optimizer's groups in line with `_param_groups`, keeping its state
        (torch keys it by parameter, not by group) and its hyperparameters."""
        wanted, groups = self._param_groups(), self.optimizer.param_groups
        if len(wanted) == len(groups):
            for group, want in zip(groups, wanted, strict=True):
                group["weight_decay"] = want["weight_decay"]
            return
        common = {k: v for k, v in groups[0].items() if k not in ("params", "weight_decay")}
        self.optimizer.param_groups = [{**common, **want} for want in wanted]

    def _native_decay(self) -> float:
        reg = self.spec.reg
        native = OPTIMIZERS[self.spec.optim.name].native_decoupled_decay
        return reg.rate if native and reg.kind == "weight_decay" else 0.0

    def reset(self) -> None:
        """Same initial weights, same batch order: the run starts over exactly."""
        self._restart()

    def apply_live(self, optim: OptimSpec, reg: RegSpec, batch_size: int, max_updates: int) -> None:
        """Change what can change mid-run without touching the weights."""
        rebuild = optim.name != self.spec.optim.name
        self.spec = replace(self.spec, optim=optim.validate(), reg=reg.validate(),
                            train=replace(self.spec.train, batch_size=batch_size, max_updates=max_updates).validate())
        if rebuild:
            self.optimizer = self._build_optimizer()
        else:
            set_hyperparameters(self.optimizer, optim.name, optim.lr, optim.hyper_values())
            self._regroup()
        self._reschedule()

    # -- training -------------------------------------------------------------------------------

    @property
    def batch_size(self) -> int:
        return min(self.spec.train.batch_size, len(self.x_train))

    @property
    def updates_per_epoch(self) -> int:
        return math.ceil(len(self.x_train) / self.batch_size)

    @property
    def epoch(self) -> float:
        """Epochs done, with the fraction of the current one."""
        n = len(self.x_train)
        return self.epochs_completed + (self._cursor / n if self._cursor < n else 0.0)

    @property
    def updates_left_in_epoch(self) -> int:
        n = len(self.x_train)
        return math.ceil((n - self._cursor) / self.batch_size) if self._cursor < n else self.updates_per_epoch

    def data_loss(self, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Classification: cross-entropy (binary: on the one logit). Regression: the mean squared
        error over the batch, L = (1/n) Σ (ŷᵢ − yᵢ)², without Playground's ½ factor. A one-output
        model's logits may come as (n, 1) or already squeezed to (n,) (a race squeezes all its
        models' outputs at once)."""
        if self.regression or self.binary:
            z = logits.squeeze(1) if logits.dim() == 2 else logits
            return F.mse_loss(z, y) if self.regression else F.binary_cross_entropy_with_logits(z, y)
        return F.cross_entropy(logits, y)

    def _next_batch(self, b: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        n = self._n_train
        if b is None:
            b = min(self.spec.train.batch_size, n)
        cursor = self._cursor
        if cursor >= n:
            perm = torch.randperm(n, generator=self._shuffle_generator).to(self.device)
            self._xs, self._ys = self.x_train[perm], self.y_train[perm]
            cursor = 0
        # Batches do not cross an epoch boundary: the last one of an epoch may be smaller.
        end = cursor + b
        self._cursor = end
        if end >= n:
            self.epochs_completed += 1
        return self._xs[cursor:end], self._ys[cursor:end]

    def step(self, n: int = 1) -> float:
        """Make `n` optimizer updates; return the last mini-batch's data loss. On a NaN or
        infinite loss, `diverged_at` names the first update that produced one."""
        forward, begin, objective, end = self._forward, self.begin_update, self.objective, self.end_update
        backward = torch.autograd.backward  # what Tensor.backward calls, minus its own checks
        for _ in range(n):
            xb, yb = begin()
            backward(objective(forward(xb), yb))
            end()
        return self.count_updates()

    # -- one update, in pieces ------------------------------------------------------------------
    # `step` and a race's stacked step (ffnviz/train/race.py), which computes several models'
    # outputs in one batched forward pass and one backward pass, make their updates from the same
    # pieces, so that an update has one definition. Per update: `begin_update()` gives the batch,
    # the caller's forward pass the model's output, `objective(output, yb)` what to minimise, the
    # caller's backward pass through it the gradients, `end_update()` the optimizer's step. Then,
    # once for all of them, `count_updates()`.

    def begin_update(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The next mini-batch (inputs, targets), gradients cleared."""
        xb, yb = self._next_batch()
        for p in self._params:  # optimizer.zero_grad(set_to_none=True), without its profiling wrapper
            p.grad = None
        return xb, yb

    def next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The next mini-batch, gradients left as they are: for a caller that sets every
        gradient itself before `end_update` (a race's stacked step)."""
        return self._next_batch()

    def penalized_weights(self) -> list[torch.Tensor]:
        """The weights `objective` adds an L1/L2 penalty of (none: [])."""
        return self.weights if adds_penalty(self.spec.reg) else []

    def objective(self, output: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
        """What this update minimises, for the model's `output` on the batch: the data loss plus
        the L1/L2 penalty, if any. The data loss is kept for `count_updates`."""
        loss = self.data_loss(output, yb)
        self._losses.append(loss.detach())
        extra = penalty(self.weights, self.spec.reg)  # None, computing nothing, when the rate is 0 or no L1/L2
        return loss if extra is None else loss + extra

    def end_update(self) -> None:
        """After the backward pass: decoupled weight decay, if any, then torch.optim's step,
        through its functional API (FunctionalStep: the same numbers as optimizer.step())."""
        if self._decoupled():  # at the rate this update uses (a schedule's), as torch's AdamW: lr × λ
            decay_weights(self.weights, self.optimizer.param_groups[0]["lr"], self.spec.reg)
        stepper = self._stepper
        if stepper is None or stepper.optimizer is not self.optimizer:  # a new optimizer: rebuilt, or set from outside
            stepper = self._stepper = FunctionalStep(self.optimizer)
        stepper()
        if self.scheduler is not None:
            self._advance_schedule()

    def count_updates(self) -> float:
        """Count the updates made since the last count (one per `objective`); return the last
        one's data loss. On a NaN or infinite loss, `diverged_at` names the first such update."""
        losses, self._losses = self._losses, []
        start = self.updates
        self.updates += len(losses)
        # Finiteness is checked once per count, over all its losses, not once per update.
        finite = torch.isfinite(torch.stack(losses))
        if self.diverged_at is None and not bool(finite.all()):
            self.diverged_at = start + 1 + int((~finite).nonzero()[0, 0])
        return losses[-1].item()

    def _decoupled(self) -> bool:
        """Decoupled weight decay applied beside the step (the optimizer has none of its own)."""
        return self.spec.reg.kind == "weight_decay" and not OPTIMIZERS[self.spec.optim.name].native_decoupled_decay
