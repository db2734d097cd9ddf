"""The app's GPU path, checked on a machine with a CUDA GPU (never part of the test suite).

    python benchmarks/gpu_check.py [--out FILE.json]

It fails (exit 1) unless every check holds:
- torch sees a CUDA GPU, and the engine given device="cuda" trains there (an "auto" device that
  falls back to the CPU would prove nothing, so "cuda" is asked for by name);
- every optimizer in the registry trains a few epochs on the GPU with a finite, falling loss;
- a live Runner on "cuda" publishes snapshots that report "cuda", with a growing history, a
  decision grid and probes; pause, step and reset work; the same through the training pool (two
  runs in two worker processes at once, sharing the GPU, as a class's runs do on a GPU server);
- the GPU's losses agree with the CPU's on the same spec and seed (same data, same initial
  weights, same batches: only floating-point order differs);
- the other pages' races (gated FFN variants, RNN/GRU/LSTM, the self-attention page's
  Transformer with both attention implementations, the text classifiers, the convolution
  presets) train on "cuda", their snapshots report "cuda", and what the pages draw from them
  (gates, attention maps, word effects, confusion matrices) is there and finite.
It also reports epochs/s on both devices for Playground's default and the largest network, which
is what docs/PERFORMANCE.md quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import replace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)

from ffnviz import limits  # noqa: E402
from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec, TrainSpec  # noqa: E402
from ffnviz.specs.optimizers import OPTIMIZERS  # noqa: E402
from ffnviz.train.capacity import WorkCap  # noqa: E402
from ffnviz.train.pool import Pool  # noqa: E402
from ffnviz.train.remote_runner import RemoteRunner  # noqa: E402
from ffnviz.train.runner import Runner  # noqa: E402
from ffnviz.train.snapshot_data import arrays_in  # noqa: E402
from ffnviz.train.trainer import Trainer  # noqa: E402

DEFAULT = RunSpec(
    data=DataSpec(dataset="spiral", n_points=500, noise=0.0, train_fraction=0.5),
    model=ModelSpec(hidden=(4, 2), activation="tanh", init="playground"),
    optim=OptimSpec(name="sgd", lr=0.03),
    train=TrainSpec(batch_size=10, seed=1),
)
LARGEST = replace(DEFAULT, model=replace(DEFAULT.model, hidden=(int(limits.UNITS.hi),) * int(limits.HIDDEN_LAYERS.hi)))


def on(spec: RunSpec, device: str) -> RunSpec:
    return replace(spec, train=replace(spec.train, device=device))


def epoch_losses(spec: RunSpec, epochs: int) -> list[float]:
    t = Trainer(spec)
    out = []
    for _ in range(epochs):
        t.step(t.updates_left_in_epoch)
        out.append(t.evaluate().train_loss)
    return out


def check_optimizers(report: dict) -> None:
    rows = {}
    for name in OPTIMIZERS:
        spec = on(replace(DEFAULT, optim=OptimSpec(name=name, lr=0.01), model=replace(DEFAULT.model, hidden=(8, 8))), "cuda")
        t = Trainer(spec)
        assert t.device == "cuda", f"{name}: trainer says {t.device}"
        assert all(p.is_cuda for p in t.model.parameters()), f"{name}: parameters are not on the GPU"
        first = t.evaluate().train_loss
        for _ in range(5):
            t.step(t.updates_left_in_epoch)
        last = t.evaluate().train_loss
        assert last == last and abs(last) != float("inf"), f"{name}: loss {last}"
        rows[name] = (round(first, 4), round(last, 4))
    report["optimizers_first_last_loss"] = rows
    fell = [n for n, (a, b) in rows.items() if b < a]
    assert len(fell) >= len(rows) - 1, f"the loss fell for only {fell}"


def _check_live(r, device: str) -> dict:
    """A live run on `device` (a Runner, or a RemoteRunner in a worker): it trains there and reports
    it; pause, step and reset work."""
    r.attach()
    try:
        r.start()
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            snap = r.poll()
            time.sleep(0.25)
        snap = r.poll()
        assert snap.device == device, f"the snapshot reports {snap.device}"
        assert snap.updates > 0 and snap.status == "running", (snap.status, snap.updates)
        assert len(snap.history["epoch"]) > 2, "no history"
        assert snap.grid is not None and snap.probes, "no grid or probes"
        r.pause()
        paused = r.snapshot.updates
        r.step(snap.updates_per_epoch)
        assert r.snapshot.updates == paused + snap.updates_per_epoch, "step did not make one epoch"
        r.reset()
        assert r.snapshot.updates == 0 and r.snapshot.device == device
        return {"device": snap.device, "updates_in_3s": snap.updates, "epoch": snap.epoch,
                "updates_per_s": round(snap.updates_per_s), "test_accuracy": snap.metrics.test_acc}
    finally:
        r.detach()


def check_runner(report: dict) -> None:
    report["runner"] = _check_live(Runner(on(DEFAULT, "cuda"), cap=WorkCap(4)), "cuda")


def check_pool(report: dict, device: str = "cuda") -> None:
    """Two runs at once in two worker processes of the training pool (forkserver: CUDA is never
    forked), sharing the GPU as a class's runs do."""
    from concurrent.futures import ThreadPoolExecutor

    pool = Pool(2)
    try:
        runs = [RemoteRunner(Runner, on(replace(DEFAULT, train=replace(DEFAULT.train, seed=seed)), device), pool=pool,
                             cap=WorkCap(4)) for seed in (1, 2)]
        with ThreadPoolExecutor(2) as both:
            report["pool"] = list(both.map(lambda r: _check_live(r, device), runs))
    finally:
        pool.close()


def check_page_races(report: dict, device: str = "cuda") -> None:
    from ffnviz.lessons import ATTENTION_LESSONS, CONV_LESSONS
    from ffnviz.specs.sequences import SeqContestant, SeqModelSpec, SeqRaceSpec
    from ffnviz.specs.text import TextContestant, TextModelSpec, TextRaceSpec
    from ffnviz.train.race_runner import RaceRunner

    attention = ATTENTION_LESSONS[0].spec
    gated = SeqRaceSpec(contestants=tuple(SeqContestant(SeqModelSpec("ffn", variant=v)) for v in ("relu", "swiglu")))
    races = {"recurrent": SeqRaceSpec(), "ffn variants": gated, "attention (own)": attention,
             "attention (torch)": replace(attention, contestants=(replace(
                 attention.contestants[0], model=replace(attention.contestants[0].model, attention="torch")),)),
             "text (feedforward)": TextRaceSpec(),
             "text (attention pooling)": TextRaceSpec(contestants=(TextContestant(TextModelSpec(kind="attention")),)),
             **{f"convolution ({lesson.key})": lesson.spec for lesson in CONV_LESSONS}}
    report["page_races"] = {}
    for name, spec in races.items():
        spec = replace(spec, base=replace(spec.base, train=replace(spec.base.train, device=device)))
        runner = RaceRunner(spec, cap=WorkCap(8))
        runner.step(200)
        snap = runner.snapshot
        assert snap.device == device, f"{name}: the snapshot reports {snap.device}"
        trainer = runner.race.trainers[0][0]
        assert next(trainer.model.parameters()).device.type == device, f"{name}: the weights are not on {device}"
        assert snap.updates == 200, f"{name}: {snap.updates} updates"
        extra = snap.extras[0]
        arrays = [a for a in arrays_in(extra) if a.size and np.issubdtype(a.dtype, np.number)]
        assert arrays and all(np.isfinite(a).any() for a in arrays), f"{name}: no finite pictures"
        report["page_races"][name] = {"device": snap.device, "test_acc": snap.current[0].test_acc}


def check_agreement(report: dict) -> None:
    spec = replace(DEFAULT, model=replace(DEFAULT.model, hidden=(8, 8, 8)), optim=OptimSpec(name="adam", lr=0.01))
    cpu, gpu = epoch_losses(on(spec, "cpu"), 20), epoch_losses(on(spec, "cuda"), 20)
    worst = max(abs(a - b) / max(abs(a), 1e-6) for a, b in zip(cpu, gpu, strict=True))
    report["cpu_vs_cuda_max_relative_loss_difference_20_epochs"] = worst
    assert worst < 1e-3, f"CPU and GPU losses differ by {worst:.2e} (relative)"


def epochs_per_s(spec: RunSpec, seconds: float) -> float:
    t = Trainer(spec)
    t.step(t.updates_left_in_epoch)  # warm-up (CUDA context, kernels)
    if t.device == "cuda":
        torch.cuda.synchronize()
    epochs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        t.step(t.updates_left_in_epoch)
        epochs += 1
    if t.device == "cuda":
        torch.cuda.synchronize()
    return epochs / (time.perf_counter() - start)


def measure_speed(report: dict, rounds: int = 3, seconds: float = 2.0) -> None:
    speeds = {}
    for label, spec in (("2-4-2-1 batch 10", DEFAULT), ("2-64x8-1 batch 10", LARGEST),
                        ("2-64x8-1 full batch", replace(LARGEST, train=replace(LARGEST.train, batch_size=250)))):
        for device in ("cpu", "cuda"):
            speeds[f"{label} on {device}"] = round(statistics.median(
                epochs_per_s(on(spec, device), seconds) for _ in range(rounds)), 1)
    report["epochs_per_s_median_of_3x2s"] = speeds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="write the report as JSON here too")
    args = parser.parse_args()
    report: dict = {"torch": torch.__version__, "cuda_available": torch.cuda.is_available()}
    failures = []
    if not torch.cuda.is_available():
        failures.append("torch.cuda.is_available() is False")
    else:
        report["gpu"] = torch.cuda.get_device_name(0)
        for check in (check_optimizers, check_runner, check_pool, check_page_races, check_agreement, measure_speed):
            try:
                check(report)
                print(f"ok    {check.__name__}", flush=True)
            except Exception as exc:  # report every failing check, not just the first
                failures.append(f"{check.__name__}: {type(exc).__name__}: {exc}")
                print(f"FAIL  {failures[-1]}", flush=True)
    report["failures"] = failures
    text = json.dumps(report, indent=2, default=str)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
