"""The deep-networks page's figures: each lesson's claim over seeds 0-4 (median, with every
setting printed), and what the per-layer pictures cost a run (updates/s with them on and off).

    python benchmarks/bench_deep.py [--quick] [--part lessons|cost|warmup]

Lessons: every run is the lesson's spec (ffnviz/lessons.py, DEEP_LESSONS) or the change its text
asks for, trained by the engine's DeepTrainer to its step budget (or early stopping), one torch
thread; the seed is the training seed (the data's is the lesson's, 0); none is picked.

Warm-up: the attention page's warm-up lesson (ffnviz/lessons.py, "attn_warmup": the reverse task,
the page's Transformer, Adam 0.1, 600 updates) with each schedule, and the page's own rate 0.003
at a constant rate, trained by a SeqTrainer to the budget; test accuracy per position, median of
training seeds 0-4 (the data's seed 0).

Cost: a DeepRunner (the page's runner: a snapshot 4 times a second with the probes, the update
size and the alerts when the pictures are on; only the metrics when off) of 30 layers × 64 units,
trained in its thread for `--seconds` at a time, on and off in turn, `--rounds` times; updates/s
is the median over the rounds. The machine is shared: compare the two columns of one run only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from ffnviz import limits  # noqa: E402
from ffnviz.lessons import ATTENTION_LESSONS, DEEP_LESSONS, WARMUP_LR  # noqa: E402
from ffnviz.specs import OptimSpec, RegSpec, TrainSpec  # noqa: E402
from ffnviz.specs.deep import DeepModelSpec, DeepRunSpec  # noqa: E402
from ffnviz.specs.schedule import WARMUP_START, ScheduleSpec, StopSpec  # noqa: E402
from ffnviz.specs.sequences import SeqRaceSpec  # noqa: E402
from ffnviz.train.capacity import WorkCap  # noqa: E402
from ffnviz.train.deep_runner import DeepRunner  # noqa: E402
from ffnviz.train.deep_trainer import DeepTrainer  # noqa: E402
from ffnviz.train.seq_trainer import SeqTrainer  # noqa: E402

SEEDS = (0, 1, 2, 3, 4)
LESSON = {lesson.key: lesson.spec for lesson in DEEP_LESSONS}


def _model(spec: DeepRunSpec, **model) -> DeepRunSpec:
    return replace(spec, model=replace(spec.model, **model))


def rows() -> list[tuple[str, str, DeepRunSpec]]:
    """(lesson, setting, spec) of every run the lessons' claims rest on."""
    sig, init, plain, stop, adam = (LESSON[k] for k in ("deep_sigmoid", "deep_init", "deep_plain20", "deep_stop",
                                                        "deep_adamw"))
    return [
        ("deep_sigmoid", "sigmoid, default init (the lesson)", sig),
        ("deep_sigmoid", "ReLU, He", _model(sig, activation="relu", init="he")),
        ("deep_init", "tanh, N(0, 0.01) (the lesson)", init),
        ("deep_init", "tanh, N(0, 1)", _model(init, init_scale=1.0)),
        ("deep_init", "tanh, Xavier", _model(init, init="xavier")),
        ("deep_plain20", "plain (the lesson)", plain),
        ("deep_plain20", "BatchNorm", _model(plain, norm="batch")),
        ("deep_plain20", "residual", _model(plain, residual=True)),
        ("deep_stop", "early stopping, patience 10, restore (the lesson)", stop),
        ("deep_stop", "no early stopping", replace(stop, stop=StopSpec(enabled=False))),
        ("deep_adamw", "Adam + L2 0.01 (the lesson)", adam),
        ("deep_adamw", "AdamW, decoupled decay 0.01", replace(adam, optim=OptimSpec("adamw", 0.01),
                                                             reg=RegSpec("weight_decay", 0.01))),
        ("deep_adamw", "AdamW, decoupled decay 0.1", replace(adam, optim=OptimSpec("adamw", 0.01),
                                                            reg=RegSpec("weight_decay", 0.1))),
        ("deep_adamw", "Adam, no regularization", replace(adam, reg=RegSpec("none", 0.0))),
    ]


def describe(spec: DeepRunSpec) -> str:
    d, m, o, r, t, s = spec.data, spec.model, spec.optim, spec.reg, spec.train, spec.stop
    stop = f", stop patience {s.patience} on {s.val_fraction:.0%} of train" if s.enabled else ""
    return (f"{d.dataset} n={d.n_points} noise={d.noise}; {m.depth}×{m.width} {m.activation} init={m.init}"
            f"{f'({m.init_scale:g})' if m.init in ('normal', 'constant') else ''} norm={m.norm} residual={m.residual}; "
            f"{o.name} lr={o.lr:g}; reg={r.kind} {r.rate:g}; batch {t.batch_size}, {t.max_updates} updates{stop}")


def lessons(seeds: tuple[int, ...]) -> None:
    print("| lesson | setting | test acc | test loss | ‖W‖ | updates | runs |\n|---|---|---|---|---|---|---|")
    settings = []
    for key, name, spec in rows():
        results = []
        for seed in seeds:
            t = DeepTrainer(replace(spec, train=replace(spec.train, seed=seed)))
            m = t.train_to_end()
            norm = float(torch.sqrt(sum((w.detach() ** 2).sum() for w in t.weights)))
            results.append((m.test_acc, m.test_loss, norm, t.updates))
        med = [statistics.median(r[i] for r in results) for i in range(4)]
        print(f"| {key} | {name} | {med[0]:.3f} | {med[1]:.3f} | {med[2]:.1f} | {med[3]:.0f} | "
              f"{' '.join(f'{r[0]:.2f}' for r in results)} |", flush=True)
        settings.append(f"- {key}, {name}: {describe(spec)}")
    print("\nSettings:\n" + "\n".join(settings))


def warmup_rows() -> list[tuple[str, SeqRaceSpec]]:
    """(setting, race) of every run the attention page's warm-up lesson rests on."""
    lesson = next(lesson.spec for lesson in ATTENTION_LESSONS if lesson.key == "attn_warmup")

    def at(schedule: ScheduleSpec, lr: float = WARMUP_LR) -> SeqRaceSpec:
        return replace(lesson, base=replace(lesson.base, schedule=schedule),
                       contestants=(replace(lesson.contestants[0], optim=OptimSpec("adam", lr)),))

    return [
        ("constant", at(ScheduleSpec("constant"))),
        ("cosine", at(ScheduleSpec("cosine"))),
        ("100-update warm-up + cosine", at(ScheduleSpec("warmup_cosine", warmup=100))),
        ("300-update warm-up + cosine (the lesson)", lesson),
        ("constant at the page's 0.003", at(ScheduleSpec("constant"), 0.003)),
        ("cosine at 0.3", at(ScheduleSpec("cosine"), 0.3)),
        ("300-update warm-up + cosine at 0.3", at(ScheduleSpec("warmup_cosine", warmup=300), 0.3)),
    ]


def warmup(seeds: tuple[int, ...]) -> None:
    print("| setting | test acc | final train loss | runs |\n|---|---|---|---|")
    for name, race in warmup_rows():
        results = []
        for seed in seeds:
            t = SeqTrainer(race.contestants[0].run_spec(race.base, seed))
            m = t.train_to_end()
            results.append((m.test_acc, m.train_loss))
        med = [statistics.median(r[i] for r in results) for i in range(2)]
        print(f"| {name} | {med[0]:.2f} | {med[1]:.3g} | {' '.join(f'{r[0]:.2f}' for r in results)} |", flush=True)
    race = warmup_rows()[3][1]
    b, m, o = race.base, race.contestants[0].model, race.contestants[0].optim
    print(f"\nSettings: {b.data.task}, length {b.data.length}, vocabulary {b.data.vocab}, {b.data.n_sequences} sequences "
          f"({b.data.train_fraction:.0%} to train); Transformer {m.layers} layers × {m.heads} heads, d {m.d}, "
          f"{m.variant} feedforward {m.h}, {m.positional} positions; {o.name} at {o.lr:g} unless the row says, "
          f"batch {b.train.batch_size}, "
          f"{b.train.max_updates} updates; warm-up from {WARMUP_START:g} × the rate")


def cost(seconds: float, rounds: int) -> None:
    """One runner of 30 × 64 trains in its thread; the pictures go on and off every `seconds`, and
    each on-window is compared with the off-window next to it (the shared machine's load changes
    more slowly than that); the cost is the median of those pairs. Then the publication itself,
    timed alone: what a snapshot costs with and without the per-layer measurement."""
    spec = DeepRunSpec(model=DeepModelSpec(depth=30, width=64), train=TrainSpec(batch_size=32, max_updates=5_000_000))
    runner = DeepRunner(spec, cap=WorkCap(1))
    runner.attach()
    runner.start()
    time.sleep(1.0)  # past the first chunks' pace measurement
    windows: dict[bool, list[float]] = {True: [], False: []}
    while len(windows[False]) < rounds:
        pair = {}
        for probing in (True, False):
            runner.set_probing(probing)
            before, start = runner.poll().updates, time.perf_counter()
            time.sleep(seconds)
            snap = runner.poll()
            pair[probing] = (snap.updates - before) / (time.perf_counter() - start)
        if snap.status != "running":  # diverged (a long run of a plain 30-layer net may): again, this pair left out
            print(f"  ({snap.status} at update {snap.updates}: started over)")
            runner.reset()
            runner.start()
            continue
        for probing, rate in pair.items():
            windows[probing].append(rate)
    runner.pause()
    runner.detach()
    pairs = [1 - on / off for on, off in zip(windows[True], windows[False], strict=True)]
    publish = {}
    for probing in (True, False):
        runner.set_probing(probing)
        tick = time.perf_counter()
        for _ in range(20):
            runner._publish()  # noqa: SLF001 - the benchmark times the publication alone
        publish[probing] = (time.perf_counter() - tick) / 20
    print(f"30 × 64, {describe(spec)}")
    print(f"updates/s pictures on {statistics.median(windows[True]):.0f}, off {statistics.median(windows[False]):.0f}; "
          f"cost per pair of adjacent {seconds:g} s windows: median {statistics.median(pairs):.1%} "
          f"(pairs {', '.join(f'{p:.1%}' for p in pairs)})")
    extra = publish[True] - publish[False]
    print(f"one publication: {publish[True] * 1e3:.1f} ms with the pictures, {publish[False] * 1e3:.1f} ms without; "
          f"measured once every {limits.DEEP_PROBE_INTERVAL_S:g} s while training (the publications between carry "
          f"the last measurement), the pictures take {extra / limits.DEEP_PROBE_INTERVAL_S:.1%} of the training "
          "thread's time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="seed 0 only, 3 rounds")
    parser.add_argument("--part", choices=("lessons", "cost", "warmup", "both"), default="both",
                        help="both: lessons and cost; warmup: the attention page's warm-up lesson")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.part in ("cost", "both"):
        cost(args.seconds, 3 if args.quick else args.rounds)
    if args.part in ("lessons", "both"):
        lessons((0,) if args.quick else SEEDS)
    if args.part == "warmup":
        warmup((0,) if args.quick else SEEDS)


if __name__ == "__main__":
    main()
