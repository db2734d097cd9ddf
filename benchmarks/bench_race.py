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
  with fixed gradients, the same step through FunctionalStep (torch's functional optimizer API,
  as the engine steps), and the same optimizer over one flat tensor of as many numbers (a
  prototype of a flat-parameter layout, outside the engine);
- where a stacked race update goes: the race's stacked step spelled out with the same pieces
  (Trainer.next_batch/objective/end_update/count_updates, StackedMLPs; an engine from before the
  stack owned the parameters, as it stepped), each part timed.

Rounds are interleaved (every row once per round) so drift on the shared machine hits all rows
alike; medians are reported. torch.set_num_threads(1), as the app sets it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
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

# Rates and per-update times are measured with wall time by default; the process's CPU time with --cpu-time,
# which a shared machine's other work disturbs less (it still shares caches and memory bandwidth).
clock = time.perf_counter


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
    start_updates, start = t.updates, clock()
    while clock() - start < seconds:
        t.step(t.updates_left_in_epoch)
        if evaluate:
            t.evaluate()
    return (clock() - start) / (t.updates - start_updates) * 1e6


def measure_race(seconds: float) -> tuple[float, list[float]]:
    """µs per race update, and each contestant's measured µs per update of one model."""
    race = Race(RACE)
    race.step(race.updates_left_in_epoch)
    race = Race(RACE)  # fresh counters, warm caches
    start_updates, start = race.updates, clock()
    while clock() - start < seconds:
        race.step(race.updates_left_in_epoch)
    per_update = (clock() - start) / (race.updates - start_updates) * 1e6
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


def measure_functional_steps(calls: int) -> list[float]:
    """µs per FunctionalStep call (the engine's step) of each contestant, gradients set."""
    from ffnviz.train.functional_step import FunctionalStep

    race = Race(RACE)
    race.step(25)
    out = []
    for row in race.trainers:
        t = row[0]
        for p in t.model.parameters():
            p.grad = torch.full_like(p, 1e-3)
        out.append(_microseconds_per_call(FunctionalStep(t.optimizer), calls))
    return out


PARTS = {
    "batches": "6 × batch draw (begin_update; now next_batch, no gradients to clear)",
    "forward": "batched forward + 6 × objective (loss, penalty); before: with the stacked copies (leaves())",
    "backward": "one backward pass (stack-and-sum of the 6 objectives; now torch.autograd.grad)",
    "scatter": "gradients to the models (scatter_grads; now set_grads: 6 copies into the stacked .grad)",
    "steps": "6 × end_update (FunctionalStep)",
    "count": "6 × count_updates (once per epoch)",
    "evaluate": "6 × evaluate (once per epoch, as Race records the history)",
}


def measure_stacked_parts(epochs: int) -> dict[str, float]:
    """µs per race update of each part of the race's stacked step (Race._step_stacked spelled
    out with the same pieces, a timer around each), over `epochs` epochs after one to warm up.
    An engine before the stack owned the parameters (--baseline) is spelled out as it stepped."""
    from ffnviz.nn.mlp import StackedMLPs

    race = Race(RACE)
    trainers = [row[0] for row in race.trainers]
    stack = StackedMLPs([t.model for t in trainers])
    owning = hasattr(stack, "attach")
    if owning:
        stack.attach()
    total = dict.fromkeys(PARTS, 0.0)
    for epoch in range(epochs + 1):
        spent = dict.fromkeys(PARTS, 0.0)
        for _ in range(trainers[0].updates_per_epoch):
            t0 = clock()
            batches = [t.next_batch() if owning else t.begin_update() for t in trainers]
            t1 = clock()
            if owning:
                outputs = stack.forward(torch.stack([xb for xb, _ in batches])).squeeze(2).unbind(0)
            else:
                leaves = stack.leaves()
                outputs = stack.forward(leaves, torch.stack([xb for xb, _ in batches])).unbind(0)
            objective = torch.stack([t.objective(out, yb) for t, out, (_, yb) in zip(trainers, outputs, batches,
                                                                                        strict=True)]).sum()
            t2 = clock()
            if owning:
                grads = torch.autograd.grad(objective, stack.leaves)
            else:
                objective.backward()
            t3 = clock()
            if owning:
                stack.set_grads(grads)
            else:
                stack.scatter_grads(leaves)
            t4 = clock()
            for t in trainers:
                t.end_update()
            t5 = clock()
            for part, seconds in zip(PARTS, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=False):
                spent[part] += seconds
        t0 = clock()
        for t in trainers:
            t.count_updates()
        t1 = clock()
        for t in trainers:
            t.evaluate()
        spent["count"] += t1 - t0
        spent["evaluate"] += clock() - t1
        if epoch:
            for part in PARTS:
                total[part] += spent[part]
    updates = epochs * trainers[0].updates_per_epoch
    return {part: seconds / updates * 1e6 for part, seconds in total.items()}


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
    start = clock()
    for _ in range(calls):
        step()
    return (clock() - start) / calls * 1e6


def one_round(seconds: float, calls: int) -> dict:
    race, per_contestant = measure_race(seconds)
    return {"one": measure_one(seconds, False), "one_eval": measure_one(seconds, True), "race": race,
            "per_contestant": per_contestant, "optimizer_step": measure_optimizer_steps(calls),
            "functional_step": measure_functional_steps(calls) if _has_functional_step() else [math.nan] * len(SIX),
            "flat_step": measure_flat_optimizer_steps(calls),
            "parts": measure_stacked_parts(max(1, int(seconds * 4))) if _has_stacked_mlps() else {}}


def _has_functional_step() -> bool:  # an older engine (--baseline) may not have it
    return importlib.util.find_spec("ffnviz.train.functional_step") is not None


def _has_stacked_mlps() -> bool:
    import ffnviz.nn.mlp

    return hasattr(ffnviz.nn.mlp, "StackedMLPs")


def run_child(root: str, seconds: float, calls: int) -> dict:
    env = dict(os.environ, BENCH_FFNVIZ_ROOT=root)
    args = [sys.executable, os.path.abspath(__file__), "--child", "--seconds", str(seconds), "--calls", str(calls),
            *(["--cpu-time"] if clock is time.process_time else [])]
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def medians(rounds: list[dict]) -> dict:
    out = {k: statistics.median(r[k] for r in rounds) for k in ROWS}
    for k in ("per_contestant", "optimizer_step", "functional_step", "flat_step"):
        out[k] = [statistics.median(r[k][i] for r in rounds) for i in range(len(SIX))]
    out["parts"] = {part: statistics.median(r["parts"][part] for r in rounds) for part in rounds[0]["parts"]}
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
                  f"forward, backward, step; the race's own wall-clock account); optimizer.step() and FunctionalStep "
                  f"alone: median of {calls} calls with gradients set, over the model's six tensors as the engine holds "
                  f"them, and optimizer.step() over one flat tensor of the same size (a prototype outside the engine).",
              "", "| engine | contestant | µs / update in the race | µs / optimizer.step() | µs / FunctionalStep | "
                  "µs / step, one flat tensor |",
              "|---|---|---:|---:|---:|---:|"]
    for engine, r in results.items():
        for (name, lr), per, opt, fun, flat in zip(SIX, r["per_contestant"], r["optimizer_step"], r["functional_step"],
                                                   r["flat_step"], strict=True):
            lines.append(f"| {engine} | {name} {lr:g} | {per:,.0f} | {opt:,.0f} | {fun:,.0f} | {flat:,.0f} |")
        lines.append(f"| {engine} | all six | {sum(r['per_contestant']):,.0f} | {sum(r['optimizer_step']):,.0f} | "
                     f"{sum(r['functional_step']):,.0f} | {sum(r['flat_step']):,.0f} |")
    for engine, r in results.items():
        if not r["parts"]:
            continue
        one = r["one"]
        lines += ["", f"Where a stacked race update goes ({engine or 'this engine'}): µs per race update, and as a "
                      f"multiple of one run's whole update ({one:,.0f} µs).",
                  "", "| part | µs / race update | × one run |", "|---|---:|---:|"]
        for part, label in PARTS.items():
            lines.append(f"| {label} | {r['parts'][part]:,.0f} | {r['parts'][part] / one:.2f} |")
        total = sum(r["parts"].values())
        lines.append(f"| all | {total:,.0f} | {total / one:.2f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 round x 0.3 s")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--calls", type=int, default=2000, help="optimizer.step() calls timed per contestant")
    ap.add_argument("--baseline", metavar="REV", help="also measure ffnviz/ as of git revision REV, interleaved")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cpu-time", action="store_true",
                    help="rates from the process's CPU time, not wall time (less disturbed on a shared machine)")
    args = ap.parse_args()
    if args.cpu_time:
        global clock
        clock = time.process_time
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
