"""What a race costs against one run: per-update time of a race of six optimizers, against one
SGD run, on Playground's default problem (spiral, 500 points, half for training, noise 0,
2 -> 4 -> 2 -> 1 tanh, Playground init, batch 10; 1 epoch = 25 updates).

    python benchmarks/bench_race.py                 # 5 rounds x 2 s per row, medians
    python benchmarks/bench_race.py --quick         # a short smoke run
    python benchmarks/bench_race.py --baseline REV  # the same, interleaved with ffnviz/ as of REV
                                                    # (REV must have ffnviz/train/race.py)

Rows (µs per update; a race update is one update of each of its six models):

- one run: `Trainer.step(updates_left_in_epoch)` in a loop (SGD lr 0.03), bare, and with an
  evaluation at every epoch end, as a race makes for each of its models;
- race of six: `Race.step(updates_left_in_epoch)` in a loop, contestants SGD 0.03, SGD with
  momentum 0.03, Adam 0.01, AdamW 0.01, RMSprop 0.003, Adagrad 0.03, one seed;
- per contestant: the race's own measured seconds per update of each model;
- optimizer.step() alone: each contestant's torch optimizer stepping its trainer's parameters
  with fixed gradients, and the same optimizer over one flat tensor of as many numbers (a
  prototype of a flat-parameter layout, outside the engine).

Rounds are interleaved (every row once per round) so drift on the shared machine hits all rows
alike; medians are reported. torch.set_num_threads(1), as the app sets it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.environ.get("BENCH_FFNVIZ_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import torch  # noqa: E402

torch.set_num_threads(1)  # as the app does: process-wide, before any work

from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec, TrainSpec  # noqa: E402
from ffnviz.specs.race import Contestant, RaceSpec  # noqa: E402
from ffnviz.train.race import Race  # noqa: E402
from ffnviz.train.trainer import Trainer  # noqa: E402

BASE = RunSpec(
    data=DataSpec(dataset="spiral", n_points=500, noise=0.0, train_fraction=0.5, seed=0),
    model=ModelSpec(hidden=(4, 2), activation="tanh", init="playground"),
    optim=OptimSpec("sgd", 0.03),
    train=TrainSpec(seed=0, batch_size=10, max_updates=5_000_000, device="cpu"),
)
SIX = (("sgd", 0.03), ("momentum", 0.03), ("adam", 0.01), ("adamw", 0.01), ("rmsprop", 0.003), ("adagrad", 0.03))
RACE = RaceSpec(base=BASE, contestants=tuple(Contestant(OptimSpec(n, lr)) for n, lr in SIX), seeds=(0,))

ROWS = {
    "one": "one SGD run: Trainer.step (epoch chunks)",
    "one_eval": "one SGD run: Trainer.step + evaluate at each epoch end",
    "race": "race of six: Race.step (epoch chunks, evaluates each model at each epoch end)",
}


def measure_one(seconds: float, evaluate: bool) -> float:
    """µs per update of one SGD run."""
    t = Trainer(BASE)
    t.step(t.updates_left_in_epoch)
    start_updates, start = t.updates, time.perf_counter()
    while time.perf_counter() - start < seconds:
        t.step(t.updates_left_in_epoch)
        if evaluate:
            t.evaluate()
    return (time.perf_counter() - start) / (t.updates - start_updates) * 1e6


def measure_race(seconds: float) -> tuple[float, list[float]]:
    """µs per race update, and each contestant's measured µs per update of one model."""
    race = Race(RACE)
    race.step(race.updates_left_in_epoch)
    race = Race(RACE)  # fresh counters, warm caches
    start_updates, start = race.updates, time.perf_counter()
    while time.perf_counter() - start < seconds:
        race.step(race.updates_left_in_epoch)
    per_update = (time.perf_counter() - start) / (race.updates - start_updates) * 1e6
    return per_update, [race.seconds_per_update(i) * 1e6 for i in range(len(SIX))]


def measure_optimizer_steps(calls: int) -> list[float]:
    """µs per optimizer.step() of each contestant over its trainer's parameters, gradients set."""
    race = Race(RACE)
    race.step(25)  # state (moments) exists
    out = []
    for row in race.trainers:
        t = row[0]
        for p in t.model.parameters():
            p.grad = torch.full_like(p, 1e-3)
        out.append(_microseconds_per_call(t.optimizer.step, calls))
    return out


def measure_flat_optimizer_steps(calls: int) -> list[float]:
    """The same steps over one flat tensor holding all the model's parameters (a prototype of
    the flat-parameter layout, outside the engine): what that layout could save per update."""
    from ffnviz.train.optimizers import build_optimizer

    race = Race(RACE)
    out = []
    for c, row in zip(RACE.contestants, race.trainers, strict=True):
        numel = sum(p.numel() for p in row[0].model.parameters())
        flat = torch.nn.Parameter(torch.zeros(numel))
        flat.grad = torch.full_like(flat, 1e-3)
        step = build_optimizer(c.optim.name, [{"params": [flat], "weight_decay": 0.0}], c.optim.lr,
                               c.optim.hyper_values()).step
        out.append(_microseconds_per_call(step, calls))
    return out


def _microseconds_per_call(step, calls: int) -> float:
    """Mean microseconds of `calls` calls of step(), after 50 to warm up."""
    for _ in range(50):
        step()
    start = time.perf_counter()
    for _ in range(calls):
        step()
    return (time.perf_counter() - start) / calls * 1e6


def one_round(seconds: float, calls: int) -> dict:
    race, per_contestant = measure_race(seconds)
    return {"one": measure_one(seconds, False), "one_eval": measure_one(seconds, True), "race": race,
            "per_contestant": per_contestant, "optimizer_step": measure_optimizer_steps(calls),
            "flat_step": measure_flat_optimizer_steps(calls)}


def run_child(root: str, seconds: float, calls: int) -> dict:
    env = dict(os.environ, BENCH_FFNVIZ_ROOT=root)
    args = [sys.executable, os.path.abspath(__file__), "--child", "--seconds", str(seconds), "--calls", str(calls)]
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def medians(rounds: list[dict]) -> dict:
    out = {k: statistics.median(r[k] for r in rounds) for k in ROWS}
    for k in ("per_contestant", "optimizer_step", "flat_step"):
        out[k] = [statistics.median(r[k][i] for r in rounds) for i in range(len(SIX))]
    # Ratios per round (the rows measured back to back), then their median.
    out["ratio"] = statistics.median(r["race"] / r["one"] for r in rounds)
    out["ratio_eval"] = statistics.median(r["race"] / r["one_eval"] for r in rounds)
    return out


def tables(results: dict[str, dict], repeats: int, seconds: float, calls: int) -> str:
    lines = [f"Median of {repeats} rounds x {seconds:g} s per row (interleaved); µs per update "
             "(a race update: one update of each of its six models); ratio: median of the per-round ratios.",
             "", "| engine | measurement | µs / update | race / one run |", "|---|---|---:|---:|"]
    for engine, r in results.items():
        for k, label in ROWS.items():
            ratio = ""
            if k == "race":
                ratio = f"{r['ratio']:.2f}× ({r['ratio_eval']:.2f}× against the run with evaluation)"
            lines.append(f"| {engine} | {label} | {r[k]:,.0f} | {ratio} |")
    lines += ["", f"Per contestant: the race's measured µs per update of its model (its whole update: batch, "
                  f"forward, backward, step); optimizer.step() alone: median of {calls} calls with gradients set, over the "
                  f"model's six tensors as the engine holds them, and over one flat tensor of the same size "
                  f"(a prototype outside the engine).",
              "", "| engine | contestant | µs / update in the race | µs / optimizer.step() | µs / step, one flat tensor |",
              "|---|---|---:|---:|---:|"]
    for engine, r in results.items():
        for (name, lr), per, opt, flat in zip(SIX, r["per_contestant"], r["optimizer_step"], r["flat_step"],
                                              strict=True):
            lines.append(f"| {engine} | {name} {lr:g} | {per:,.0f} | {opt:,.0f} | {flat:,.0f} |")
        lines.append(f"| {engine} | all six | {sum(r['per_contestant']):,.0f} | {sum(r['optimizer_step']):,.0f} | "
                     f"{sum(r['flat_step']):,.0f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 round x 0.3 s")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--calls", type=int, default=2000, help="optimizer.step() calls timed per contestant")
    ap.add_argument("--baseline", metavar="REV", help="also measure ffnviz/ as of git revision REV, interleaved")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.quick:
        args.repeats, args.seconds, args.calls = 1, 0.3, 200
    if args.child:
        print(json.dumps(one_round(args.seconds, args.calls)))
        return

    command = " ".join(["python benchmarks/bench_race.py", *sys.argv[1:]])
    print(f"# Race benchmark\n\n`{command}`; torch {torch.__version__}, torch.set_num_threads(1), "
          f"{os.cpu_count()} CPUs, python {sys.version.split()[0]}\n")
    if not args.baseline:
        rounds = [one_round(args.seconds, args.calls) for _ in range(args.repeats)]
        print(tables({"": medians(rounds)}, args.repeats, args.seconds, args.calls))
        return
    with tempfile.TemporaryDirectory() as old_root:
        archive = subprocess.run(["git", "-C", ROOT, "archive", args.baseline, "ffnviz"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", old_root], input=archive, check=True)
        engines = {f"before ({args.baseline})": old_root, "after": ROOT}
        done: dict[str, list[dict]] = {name: [] for name in engines}
        for i in range(args.repeats):
            order = list(engines.items()) if i % 2 == 0 else list(engines.items())[::-1]
            for name, root in order:
                done[name].append(run_child(root, args.seconds, args.calls))
                print(f"<!-- round {i + 1}/{args.repeats} {name} done -->", file=sys.stderr, flush=True)
    print(tables({n: medians(cs) for n, cs in done.items()}, args.repeats, args.seconds, args.calls))


if __name__ == "__main__":
    main()
