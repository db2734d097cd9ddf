"""What a race's publication pays for its snapshot extras, and what a snapshot costs to pickle.

For each page's race (the gated-layers page's two, attention, convolution with its baseline, text
with either model): train a few epochs, then `rounds` times make 5 updates and measure
`Race.extras()` as `RaceRunner._publish` does (so the sequence races' every-4th / every-8th
measurements are among them), and pickle the published snapshot (what a worker process would
send). One torch thread; medians and maxima in ms, the pickle's size in KB.

    python benchmarks/bench_extras.py [--rounds 32]
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ffnviz.lessons import ATTENTION_LESSONS, CONV_LESSONS  # noqa: E402
from ffnviz.specs import gated  # noqa: E402
from ffnviz.specs.text import TextContestant, TextModelSpec, TextRaceSpec  # noqa: E402
from ffnviz.train.race_runner import RaceRunner  # noqa: E402


def races() -> dict:
    text = TextRaceSpec()
    attention_pooling = replace(text, contestants=(TextContestant(TextModelSpec(kind="attention")),))
    return {"gated: 4 FFN variants": gated.FFN.default, "gated: rnn, gru, lstm": gated.RNN.default,
            "attention (default lesson)": ATTENTION_LESSONS[0].spec, "convolution: digits CNN + MLP": CONV_LESSONS[0].spec,
            "text: feedforward": text, "text: attention pooling": attention_pooling}


def measure(spec, rounds: int) -> tuple[list[float], list[float], int]:
    runner = RaceRunner(spec, publish_interval_s=3600)
    race = runner.race
    race.step(race.updates_per_epoch * 2)
    extras_ms, pickle_ms, size = [], [], 0
    for _ in range(rounds):
        race.step(5)
        tick = time.perf_counter()
        race.extras()
        extras_ms.append((time.perf_counter() - tick) * 1000)
        with runner._cv:
            runner._publish()
        tick = time.perf_counter()
        blob = pickle.dumps(runner.snapshot, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(blob)
        pickle_ms.append((time.perf_counter() - tick) * 1000)
        size = len(blob)
    return extras_ms, pickle_ms, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=32)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print("| race | extras median (ms) | extras max (ms) | snapshot pickle + unpickle median (ms) | pickle (KB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, spec in races().items():
        extras_ms, pickle_ms, size = measure(spec, args.rounds)
        print(f"| {name} | {statistics.median(extras_ms):.2f} | {max(extras_ms):.2f} | "
              f"{statistics.median(pickle_ms):.2f} | {size / 1024:.0f} |", flush=True)


if __name__ == "__main__":
    main()
