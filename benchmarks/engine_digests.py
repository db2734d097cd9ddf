"""Digests of what the engine computes, to check that a change of the engine leaves every number
bit for bit as it was: the weights and per-update losses of single runs (every registry optimizer
× no/L1/L2/decoupled regularization × dropout 0/0.2, a multiclass and a regression run), of
stacked MLP races (every optimizer as a contestant, with and without regularization, two seeds)
and of the sequence, convolution and text races' default specs.

    python benchmarks/engine_digests.py                 # one digest per scenario, and one of all
    python benchmarks/engine_digests.py --baseline REV  # the same with ffnviz/ as of git revision
                                                        # REV, and the scenarios that differ

Bit for bit holds on one machine (torch's kernels round differently on another CPU), so compare
the two engines on the same machine, as --baseline does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.environ.get("BENCH_FFNVIZ_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import torch  # noqa: E402

torch.set_num_threads(1)

from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RegSpec, RunSpec, TrainSpec  # noqa: E402
from ffnviz.specs.optimizers import OPTIMIZERS  # noqa: E402
from ffnviz.specs.race import Contestant, RaceSpec  # noqa: E402
from ffnviz.train.race import Race  # noqa: E402
from ffnviz.train.trainer import Trainer  # noqa: E402

UPDATES = 30
REGS = {"none": RegSpec(), "l1": RegSpec("l1", 1e-3), "l2": RegSpec("l2", 1e-2),
        "weight_decay": RegSpec("weight_decay", 1e-2)}
DATA = DataSpec(dataset="spiral", n_points=100)


def _digest(tensors, losses=()) -> str:
    h = hashlib.sha256()
    for t in tensors:
        h.update(t.detach().cpu().contiguous().numpy().tobytes())
    h.update(json.dumps([float(x) for x in losses]).encode())
    return h.hexdigest()[:16]


def _run(spec: RunSpec) -> str:
    t = Trainer(spec)
    losses = [t.step(7) for _ in range(UPDATES // 7)] + [t.step(UPDATES % 7 or 1)]
    return _digest(t.model.parameters(), losses)


def _race(spec) -> str:
    race = Race(spec)
    for n in (3, 11, UPDATES):  # across epoch ends
        race.step(n)
    tensors = [p for row in race.trainers for t in row for p in t.model.parameters()]
    means = [v for i in range(len(race.trainers)) for v in race.history(i)["train_loss_mean"]]
    return _digest(tensors, means)


def scenarios() -> dict[str, callable]:
    out = {}
    for name in OPTIMIZERS:
        for reg_name, reg in REGS.items():
            for dropout in (0.0, 0.2):
                spec = RunSpec(data=DATA, model=ModelSpec(hidden=(6, 6), dropout=dropout),
                               optim=OptimSpec(name, OPTIMIZERS[name].lr), reg=reg)
                out[f"run {name} {reg_name} dropout {dropout}"] = lambda s=spec: _run(s)
    out["run multiclass adam"] = lambda: _run(RunSpec(
        data=DataSpec(dataset="blobs", n_classes=3, n_points=120), model=ModelSpec(hidden=(8,)),
        optim=OptimSpec("adam", 0.01), train=TrainSpec(batch_size=16)))
    out["run regression rmsprop"] = lambda: _run(RunSpec(
        data=DataSpec(dataset="plane", n_points=100, problem="regression"), model=ModelSpec(hidden=(8, 8), activation="relu"),
        optim=OptimSpec("rmsprop", 0.003)))
    names = list(OPTIMIZERS)
    for reg_name, reg in REGS.items():
        for part in (names[:6], names[6:]):  # a race has at most 8 contestants
            contestants = tuple(Contestant(OptimSpec(n, OPTIMIZERS[n].lr), reg) for n in part)
            spec = RaceSpec(base=RunSpec(data=DATA, model=ModelSpec(hidden=(4, 2))), contestants=contestants,
                            seeds=(0, 1))
            out[f"race {', '.join(part)} {reg_name}"] = lambda s=spec: _race(s)
    six = tuple(Contestant(OptimSpec(n, lr)) for n, lr in
                (("sgd", 0.03), ("momentum", 0.03), ("adam", 0.01), ("adamw", 0.01), ("rmsprop", 0.003),
                 ("adagrad", 0.03)))
    out["race six, mixed activation and dropout"] = lambda: _race(RaceSpec(
        base=RunSpec(data=DATA, model=ModelSpec(hidden=(4, 2))),
        contestants=(*six, Contestant(OptimSpec("adam", 0.01), activation="relu"),
                     Contestant(OptimSpec("rmsprop", 0.003), dropout=0.2)), seeds=(0,)))
    from ffnviz.specs.conv import ConvRaceSpec
    from ffnviz.specs.sequences import SeqRaceSpec
    from ffnviz.specs.text import TextRaceSpec

    out["race sequence default"] = lambda: _race(SeqRaceSpec())
    out["race convolution default"] = lambda: _race(ConvRaceSpec())
    out["race text default"] = lambda: _race(TextRaceSpec())
    return out


def digests() -> dict[str, str]:
    return {name: make() for name, make in scenarios().items()}


def run_child(root: str) -> dict[str, str]:
    env = dict(os.environ, BENCH_FFNVIZ_ROOT=root)
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child"], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", metavar="REV", help="compare with ffnviz/ as of git revision REV")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(digests()))
        return
    now = digests()
    if not args.baseline:
        for name, d in now.items():
            print(f"{d}  {name}")
        print(f"{_digest([], [int(d, 16) for d in now.values()])}  all {len(now)} scenarios")
        return
    with tempfile.TemporaryDirectory() as old_root:
        archive = subprocess.run(["git", "-C", ROOT, "archive", args.baseline, "ffnviz", "sample_data"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", old_root], input=archive, check=True)
        before = run_child(old_root)
    differ = [name for name in now if before.get(name) != now[name]]
    for name in differ:
        print(f"differs: {name}  ({before.get(name)} before, {now[name]} now)")
    print(f"{len(now) - len(differ)} of {len(now)} scenarios the same bit for bit as at {args.baseline}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
