"""Engine throughput: how fast the Trainer and the Runner train, against plain PyTorch.

    python benchmarks/bench_engine.py            # 5 x 2 s per measurement, medians
    python benchmarks/bench_engine.py --quick    # a short smoke run
    python benchmarks/bench_engine.py --baseline REV   # the same, interleaved with the
                                                       # engine as it was at git revision REV

Problems: TensorFlow Playground's default (spiral, 500 points, half for training, noise 0,
2 -> 4 -> 2 -> 1 tanh, Playground init, SGD lr 0.03, batch 10) and the same data with
2 -> 8 -> 8 -> 8 -> 1. Rows:

- Trainer: `trainer.step(trainer.updates_left_in_epoch)` in a loop, as the runner steps.
- Runner: `attach()` + `start()` with the defaults (probes, grid, history), and a reader thread
  calling `poll()` every 0.25 s, as a page does.
- torch SGD / torch SGD fused: a plain `nn.Sequential` + `torch.optim.SGD` epoch loop over
  shuffled mini-batches with BCEWithLogits loss; the reference an engine is compared with.
- torch functional: the same loop through torch's lower-level entry points, with no engine
  around it: `F.linear` and `torch.tanh` on the parameters, `torch.autograd.grad`, and the
  functional `torch.optim.sgd.sgd(fused=True)`; about as fast as a Python loop of torch calls
  gets on this problem.

"trainer / reference" is the median of each round's Trainer / nn.Sequential + SGD ratio.

Every measurement is repeated (interleaved, so drift on a shared machine hits all rows alike)
and the median is reported; runner / trainer is the median of each round's ratio (the two
measured back to back in the same process).
A second section reports what one snapshot publication (`Runner._publish`) costs, a third how
long `Runner.pause()` takes to return while a run trains (the goal: well within 200 ms), and a
last one the server time of one live-panel refresh of the playground for both problems (the
goal: <= 20 ms; `bench_refresh.py` has the largest network and the other pages' panels).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.environ.get("BENCH_FFNVIZ_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(1)  # as the app does: process-wide, before any work

from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec, TrainSpec  # noqa: E402
from ffnviz.train.capacity import WorkCap  # noqa: E402
from ffnviz.train.runner import Runner  # noqa: E402
from ffnviz.train.trainer import Trainer  # noqa: E402

# Rates and per-update times are measured with wall time by default; the process's CPU time with --cpu-time,
# which a shared machine's other work disturbs less (it still shares caches and memory bandwidth).
clock = time.perf_counter


PROBLEMS = {
    "2-4-2-1": (4, 2),
    "2-8-8-8-1": (8, 8, 8),
}
KINDS = ("trainer", "runner", "torch_sgd", "torch_sgd_fused", "torch_functional")
LABELS = {
    "trainer": "Trainer.step (epoch chunks)",
    "runner": "Runner (thread, probes, grid, poll 4 Hz)",
    "torch_sgd": "reference: nn.Sequential + SGD",
    "torch_sgd_fused": "reference: nn.Sequential + SGD(fused=True)",
    "torch_functional": "reference: F.linear + autograd.grad + optim.sgd.sgd(fused)",
}


def make_spec(hidden: tuple[int, ...]) -> RunSpec:
    return RunSpec(
        data=DataSpec(dataset="spiral", n_points=500, noise=0.0, train_fraction=0.5, seed=0),
        model=ModelSpec(hidden=hidden, activation="tanh", init="playground"),
        optim=OptimSpec(name="sgd", lr=0.03),
        train=TrainSpec(seed=0, batch_size=10, max_updates=5_000_000, device="cpu"),
    )


# -- one measurement each: returns updates per second -------------------------------------------


def measure_trainer(spec: RunSpec, seconds: float) -> float:
    t = Trainer(spec)
    t.step(t.updates_left_in_epoch)  # warm-up
    start_updates, start = t.updates, clock()
    while clock() - start < seconds:
        t.step(t.updates_left_in_epoch)
    return (t.updates - start_updates) / (clock() - start)


def measure_runner(spec: RunSpec, seconds: float, warmup: float = 0.3) -> float:
    runner = Runner(spec, cap=WorkCap(16))
    stop = threading.Event()

    def reader() -> None:  # the page's fragment, minus the charts
        while not stop.wait(0.25):
            runner.poll()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    runner.attach()
    runner.start()
    time.sleep(warmup)
    trainer = runner._trainer  # reading an int the worker writes is safe under the GIL
    start_updates, start = trainer.updates, clock()
    time.sleep(seconds)
    updates, end = trainer.updates, clock()
    stop.set()
    runner.detach()
    thread.join()
    if runner.status != "paused":
        raise RuntimeError(f"runner ended {runner.status}: {runner.snapshot.note}")
    return (updates - start_updates) / (end - start)


def measure_torch(spec: RunSpec, seconds: float, fused: bool) -> float:
    from ffnviz.data import make_dataset

    d = make_dataset(spec.data)
    x = torch.from_numpy(d.x_train)
    y = torch.from_numpy(d.y_train).float().unsqueeze(1)
    sizes = [2, *spec.model.hidden, 1]
    layers: list[nn.Module] = []
    for a, b in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [nn.Linear(a, b), nn.Tanh()]
    model = nn.Sequential(*layers[:-1])
    optimizer = torch.optim.SGD(model.parameters(), lr=spec.optim.lr, fused=fused)
    loss_fn = nn.BCEWithLogitsLoss()
    n, b = len(x), spec.train.batch_size

    def epoch() -> int:
        perm = torch.randperm(n)
        xs, ys = x[perm], y[perm]
        for i in range(0, n, b):
            optimizer.zero_grad()
            loss_fn(model(xs[i:i + b]), ys[i:i + b]).backward()
            optimizer.step()
        return -(-n // b)

    epoch()
    updates, start = 0, clock()
    while clock() - start < seconds:
        updates += epoch()
    return updates / (clock() - start)


def measure_torch_functional(spec: RunSpec, seconds: float) -> float:
    import torch.nn.functional as F
    from torch.optim.sgd import sgd

    from ffnviz.data import make_dataset

    d = make_dataset(spec.data)
    x = torch.from_numpy(d.x_train)
    y = torch.from_numpy(d.y_train).float()
    sizes = [2, *spec.model.hidden, 1]
    layers = [nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    params = [p for layer in layers for p in (layer.weight, layer.bias)]
    weights, biases = params[0::2], params[1::2]
    lr, n, b = spec.optim.lr, len(x), spec.train.batch_size

    def epoch() -> int:
        perm = torch.randperm(n)
        xs, ys = x[perm], y[perm]
        for i in range(0, n, b):
            h = xs[i:i + b]
            for w, bias in zip(weights[:-1], biases[:-1], strict=True):
                h = torch.tanh(F.linear(h, w, bias))
            loss = F.binary_cross_entropy_with_logits(F.linear(h, weights[-1], biases[-1]).squeeze(1), ys[i:i + b])
            grads = list(torch.autograd.grad(loss, params))
            with torch.no_grad():
                sgd(params, grads, [], weight_decay=0.0, momentum=0.0, lr=lr, dampening=0.0, nesterov=False,
                    maximize=False, fused=True)
        return -(-n // b)

    epoch()
    updates, start = 0, clock()
    while clock() - start < seconds:
        updates += epoch()
    return updates / (clock() - start)


UPDATE_PARTS = {
    "batch": "begin_update (batch slices, gradients cleared)",
    "forward": "forward (F.linear on the parameters) + objective (BCE loss)",
    "backward": "torch.autograd.backward",
    "step": "end_update (FunctionalStep: torch.optim.sgd.sgd, fused)",
    "count": "count_updates (once per epoch)",
}


def update_parts(spec: RunSpec, epochs: int) -> dict[str, float]:
    """µs per update of each part of Trainer.step (its loop spelled out with the same pieces and
    a timer around each), over `epochs` epochs after one to warm up."""
    t = Trainer(spec)
    forward = t._forward  # the forward pass Trainer.step calls
    total = dict.fromkeys(UPDATE_PARTS, 0.0)
    for epoch in range(epochs + 1):
        spent = dict.fromkeys(UPDATE_PARTS, 0.0)
        for _ in range(t.updates_per_epoch):
            t0 = clock()
            xb, yb = t.begin_update()
            t1 = clock()
            objective = t.objective(forward(xb), yb)
            t2 = clock()
            torch.autograd.backward(objective)
            t3 = clock()
            t.end_update()
            t4 = clock()
            for part, seconds in zip(UPDATE_PARTS, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=False):
                spent[part] += seconds
        t0 = clock()
        t.count_updates()
        spent["count"] += clock() - t0
        if epoch:
            for part in UPDATE_PARTS:
                total[part] += spent[part]
    return {part: seconds / (epochs * t.updates_per_epoch) * 1e6 for part, seconds in total.items()}


def parts_table(parts: list[dict[str, float]]) -> str:
    lines = [f"Median of {len(parts)} rounds, µs per update of 2-4-2-1 (SGD, batch 10).", "",
             "| part | µs / update | share |", "|---|---:|---:|"]
    med = {part: statistics.median(p[part] for p in parts) for part in UPDATE_PARTS}
    total = sum(med.values())
    for part, label in UPDATE_PARTS.items():
        lines.append(f"| {label} | {med[part]:.1f} | {med[part] / total:.0%} |")
    lines.append(f"| all | {total:.1f} | |")
    return "\n".join(lines)


def measure(kind: str, spec: RunSpec, seconds: float) -> float:
    if kind == "trainer":
        return measure_trainer(spec, seconds)
    if kind == "runner":
        return measure_runner(spec, seconds)
    if kind == "torch_functional":
        return measure_torch_functional(spec, seconds)
    return measure_torch(spec, seconds, fused=kind == "torch_sgd_fused")


def publish_cost_ms(spec: RunSpec, calls: int) -> dict[str, float]:
    """One snapshot publication, and its parts, in ms (median over `calls`)."""
    runner = Runner(spec, cap=WorkCap(16))
    runner.step(250)  # some training first: weights away from their initial values
    t = runner._trainer
    def publish_mid_epoch() -> None:  # nothing remembered to reuse: the publication evaluates
        if hasattr(runner, "_metrics"):
            runner._metrics = None
        runner._publish()

    parts = {
        "Runner._publish, at an epoch end": runner._publish,
        "Runner._publish, mid-epoch": publish_mid_epoch,
        "  probes": lambda: runner._prober.probe(t.model, t.data_loss, t.x_probe, t.y_probe),
        "  predict_grid(60)": lambda: t.predict_grid(60, 6.0),
        "  evaluate": t.evaluate,
        "  history.as_arrays": runner._history.as_arrays,
    }
    out = {}
    for name, fn in parts.items():
        fn()
        times = []
        for _ in range(calls):
            start = time.perf_counter()
            with runner._cv:
                fn()
            times.append((time.perf_counter() - start) * 1000)
        out[name] = statistics.median(times)
    return out


PAUSE_CASES = {
    "2-4-2-1, batch 10 (25 updates/epoch)": ((4, 2), 500, 0.5, 10),
    "8 x 64 units, batch 1 (1800 updates/epoch)": ((64,) * 8, 2000, 0.9, 1),
}


def pause_latency_ms(hidden: tuple[int, ...], n_points: int, train_fraction: float, batch: int,
                     pauses: int) -> dict[str, float]:
    """How long `pause()` takes to return while the worker trains (it waits for the lock)."""
    spec = make_spec(hidden)
    spec = RunSpec(data=DataSpec(dataset="spiral", n_points=n_points, train_fraction=train_fraction),
                   model=spec.model, optim=spec.optim,
                   train=TrainSpec(batch_size=batch, max_updates=5_000_000, device="cpu"))
    runner = Runner(spec, cap=WorkCap(16))
    runner.attach()
    times = []
    for _ in range(pauses):
        runner.start()
        time.sleep(0.3)
        start = time.perf_counter()
        runner.pause()
        times.append((time.perf_counter() - start) * 1000)
    runner.detach()
    return {"median": statistics.median(times), "max": max(times)}


def pause_report(pauses: int) -> dict[str, dict[str, float]]:
    return {name: pause_latency_ms(*case, pauses=pauses) for name, case in PAUSE_CASES.items()}


def pause_table(results: dict[str, dict[str, dict[str, float]]], pauses: int) -> str:
    lines = [f"{pauses} pauses each, 0.3 s after a start; ms until pause() returns.", "",
             "| case | engine | median ms | max ms |", "|---|---|---:|---:|"]
    for case in PAUSE_CASES:
        for engine, res in results.items():
            lines.append(f"| {case} | {engine} | {res[case]['median']:.0f} | {res[case]['max']:.0f} |")
    return "\n".join(lines)


# -- one repetition, all rows (also the unit of work of a --baseline child process) -------------


def one_round(seconds: float, kinds: tuple[str, ...]) -> dict[str, dict[str, float]]:
    return {problem: {kind: measure(kind, make_spec(hidden), seconds) for kind in kinds}
            for problem, hidden in PROBLEMS.items()}


def run_child(root: str, seconds: float, kinds: tuple[str, ...], publish_calls: int, pauses: int) -> dict:
    env = dict(os.environ, BENCH_FFNVIZ_ROOT=root)
    args = [sys.executable, os.path.abspath(__file__), "--child", "--seconds", str(seconds),
            "--kinds", ",".join(kinds), "--publish-calls", str(publish_calls), "--pauses", str(pauses),
            *(["--cpu-time"] if clock is time.process_time else [])]
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- report -------------------------------------------------------------------------------------


def median_rounds(rounds: list[dict]) -> dict[str, dict[str, float]]:
    """Medians per row; "ratio" is the median of each round's runner / trainer, the two measured
    back to back, which drift on a shared machine disturbs less than a ratio of medians."""
    out = {p: {k: statistics.median(r[p][k] for r in rounds) for k in rounds[0][p]} for p in rounds[0]}
    for p, row in out.items():
        if "runner" in row and "trainer" in row:
            row["ratio"] = statistics.median(r[p]["runner"] / r[p]["trainer"] for r in rounds)
        if "torch_sgd" in row and "trainer" in row:
            row["vs_reference"] = statistics.median(r[p]["trainer"] / r[p]["torch_sgd"] for r in rounds)
    return out


def table(results: dict[str, dict[str, dict[str, float]]], updates_per_epoch: int, repeats: int,
          seconds: float) -> str:
    """results: engine name ("" or "before"/"after") -> problem -> kind -> updates/s (median)."""
    lines = [f"Median of {repeats} x {seconds:g} s per row; 1 epoch = {updates_per_epoch} updates; "
             "runner / trainer and trainer / reference: medians of the per-round ratios.", "",
             "| problem | engine | measurement | updates/s | epochs/s | runner / trainer | trainer / reference |",
             "|---|---|---|---:|---:|---:|---:|"]
    for problem in PROBLEMS:
        for engine, res in results.items():
            r = res[problem]
            for kind in KINDS:
                if kind not in r:
                    continue
                ratio = f"{r['ratio']:.2f}" if kind == "runner" and "ratio" in r else ""
                vs = f"{r['vs_reference']:.2f}" if kind == "trainer" and "vs_reference" in r else ""
                lines.append(f"| {problem} | {engine} | {LABELS[kind]} | {r[kind]:,.0f} | "
                             f"{r[kind] / updates_per_epoch:,.1f} | {ratio} | {vs} |")
    return "\n".join(lines)


def publish_table(results: dict[str, dict[str, dict[str, float]]], calls: int) -> str:
    lines = [f"Median of {calls} calls, in ms (lock held; 60 x 60 grid; probe batch of 250 points).", "",
             "| problem | engine | part | ms |", "|---|---|---|---:|"]
    for problem in PROBLEMS:
        for engine, res in results.items():
            for part, ms in res[problem].items():
                lines.append(f"| {problem} | {engine} | {part} | {ms:.2f} |")
    return "\n".join(lines)


def refresh_table(repeats: int, epochs: int) -> str:
    """The playground's live panels over a trained run of each problem, measured as
    bench_refresh.py measures them (snapshot read, figures built, serialized as sent)."""
    import gc
    import logging

    # The charts read the projector switch from session state; outside a server Streamlit warns at
    # every read that there is no runtime, which is expected here.
    logging.disable(logging.WARNING)
    from bench_refresh import fast_panel, refresh_ms, slow_panel

    gc.collect()
    gc.freeze()  # as the app does after its imports (ffnviz/ui/shell.py)
    lines = [f"Median of {repeats} refreshes after {epochs} epochs (the loss chart's history), in ms; goal <= 20.",
             "", "| problem | panel | refresh median (ms) | refresh max (ms) | payload (KB) |",
             "|---|---|---:|---:|---:|"]
    for problem, hidden in PROBLEMS.items():
        runner = Runner(make_spec(hidden), publish_interval_s=3600)
        runner.step(runner.snapshot.updates_per_epoch * epochs)
        for name, panel in (("fast (decision map, loss, accuracy)", fast_panel), ("inside the network", slow_panel)):
            refresh_ms(runner, panel, 1)  # the first refresh pays for imports and caches: not counted
            median, worst, size = refresh_ms(runner, panel, repeats)
            lines.append(f"| {problem} | {name} | {median:.1f} | {worst:.1f} | {size / 1024:.0f} |")
    logging.disable(logging.NOTSET)
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 x 0.3 s per row, 20 publications")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--publish-calls", type=int, default=200)
    ap.add_argument("--pauses", type=int, default=5, help="pauses timed per case (0: skip that section)")
    ap.add_argument("--no-refresh", action="store_true", help="skip the live-panel refresh section")
    ap.add_argument("--parts", action="store_true", help="only: where a Trainer update goes, part by part")
    ap.add_argument("--baseline", metavar="REV", help="also measure ffnviz/ as of git revision REV, interleaved")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--kinds", default=",".join(KINDS), help=f"rows to measure, comma-separated (default: {','.join(KINDS)})")
    ap.add_argument("--cpu-time", action="store_true",
                    help="rates from the process's CPU time, not wall time (less disturbed on a shared machine)")
    args = ap.parse_args()
    if args.cpu_time:
        global clock
        clock = time.process_time
    if args.quick:
        args.repeats, args.seconds, args.publish_calls, args.pauses = 1, 0.3, 20, 2
    kinds = tuple(args.kinds.split(","))

    if args.child:  # one round for a parent process, as JSON
        rounds = one_round(args.seconds, kinds)
        pub = {p: publish_cost_ms(make_spec(h), args.publish_calls) for p, h in PROBLEMS.items()}
        pause = pause_report(args.pauses) if args.pauses else {}
        print(json.dumps({"rounds": rounds, "publish": pub, "pause": pause}))
        return

    if args.parts:
        print(parts_table([update_parts(make_spec(PROBLEMS["2-4-2-1"]), max(1, int(args.seconds * 40)))
                           for _ in range(args.repeats)]))
        return
    upe = Trainer(make_spec(PROBLEMS["2-4-2-1"])).updates_per_epoch
    print(f"# Engine benchmark\n\ntorch {torch.__version__}, torch.set_num_threads(1), "
          f"{os.cpu_count()} CPUs, python {sys.version.split()[0]}\n")
    if not args.baseline:
        rounds = [one_round(args.seconds, kinds) for _ in range(args.repeats)]
        print("## Throughput\n")
        print(table({"": median_rounds(rounds)}, upe, args.repeats, args.seconds))
        print("\n## Snapshot publication\n")
        pub = {p: publish_cost_ms(make_spec(h), args.publish_calls) for p, h in PROBLEMS.items()}
        print(publish_table({"": pub}, args.publish_calls))
        if args.pauses:
            print("\n## Pause latency\n")
            print(pause_table({"": pause_report(args.pauses)}, args.pauses))
        if not args.no_refresh:
            print("\n## Live-panel refresh\n")
            print(refresh_table(10 if args.quick else 60, 50 if args.quick else 1000))
        return

    # Before/after in one run: child processes alternate between the old and the current engine.
    with tempfile.TemporaryDirectory() as old_root:
        archive = subprocess.run(["git", "-C", ROOT, "archive", args.baseline, "ffnviz"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", old_root], input=archive, check=True)
        engines = {f"before ({args.baseline})": old_root, "after": ROOT}
        done: dict[str, list[dict]] = {name: [] for name in engines}
        for i in range(args.repeats):
            order = list(engines.items()) if i % 2 == 0 else list(engines.items())[::-1]
            for name, root in order:
                # Pauses are timed in the first round only: they measure a bound, not a rate.
                done[name].append(run_child(root, args.seconds, kinds, args.publish_calls, args.pauses if i == 0 else 0))
                print(f"<!-- round {i + 1}/{args.repeats} {name} done -->", file=sys.stderr, flush=True)
    print("## Throughput\n")
    print(table({n: median_rounds([c["rounds"] for c in cs]) for n, cs in done.items()},
                upe, args.repeats, args.seconds))
    print("\n## Snapshot publication\n")
    pub = {n: {p: {part: statistics.median(c["publish"][p][part] for c in cs) for part in cs[0]["publish"][p]}
               for p in PROBLEMS} for n, cs in done.items()}
    print(publish_table(pub, args.publish_calls))
    if args.pauses:
        print("\n## Pause latency\n")
        print(pause_table({n: cs[0]["pause"] for n, cs in done.items()}, args.pauses))
    if not args.no_refresh:
        print("\n## Live-panel refresh (the working tree)\n")
        print(refresh_table(10 if args.quick else 60, 50 if args.quick else 1000))


if __name__ == "__main__":
    main()
