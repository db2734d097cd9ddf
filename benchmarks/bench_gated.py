"""Do gates help a recurrent network remember? Test accuracy of a plain RNN, a GRU and an LSTM on
"remember the first token" at sequence lengths T = 5, 10, 20, 50, median over seeds 0-4.

    python benchmarks/bench_gated.py [--quick]

Every setting is fixed here and printed with the table: vocabulary 8 (chance 1/8), 2,000
sequences, 80 % for training, hidden size 32 (the embedding too), Adam lr 0.01, batch 32,
3,000 updates (48 epochs), no regularization. The seed is both the data seed and the training
seed; none is picked. Trained with the engine's SeqTrainer, one torch thread.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from ffnviz.specs import OptimSpec, TrainSpec  # noqa: E402
from ffnviz.specs.sequences import (  # noqa: E402
    SeqModelSpec,
    SeqRunSpec,
    SeqSpec,  # noqa: E402
)
from ffnviz.train.seq_trainer import SeqTrainer  # noqa: E402

LENGTHS = (5, 10, 20, 50)  # 10: the gated page's default
CELLS = ("rnn", "gru", "lstm")
SEEDS = (0, 1, 2, 3, 4)


def spec(cell: str, length: int, seed: int) -> SeqRunSpec:
    return SeqRunSpec(data=SeqSpec("remember_first", length=length, vocab=8, n_sequences=2000, train_fraction=0.8,
                                   seed=seed),
                      model=SeqModelSpec("rnn", cell=cell, hidden=32), optim=OptimSpec("adam", 0.01),
                      train=TrainSpec(seed=seed, batch_size=32))


def test_accuracy(run: SeqRunSpec, updates: int) -> float:
    trainer = SeqTrainer(run)
    trainer.step(updates)
    return trainer.evaluate().test_acc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run: 100 updates, one seed (figures mean nothing)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    updates, seeds = (100, SEEDS[:1]) if args.quick else (3000, SEEDS)
    example = spec("gru", LENGTHS[0], 0)
    print(f"`python benchmarks/bench_gated.py{' --quick' if args.quick else ''}`; torch {torch.__version__}, "
          f"one thread, {os.cpu_count()} CPUs\n")
    print(f"remember_first, vocab {example.data.vocab} (chance {1 / example.data.vocab:.3f}), "
          f"{example.data.n_sequences} sequences ({example.data.train_fraction:.0%} train), hidden "
          f"{example.model.hidden}, {example.optim.name} lr {example.optim.lr}, batch {example.train.batch_size}, "
          f"{updates} updates; seeds {', '.join(map(str, seeds))} (data seed = training seed)\n")
    print("| T | cell | median test accuracy | per seed | wall s (median) |")
    print("| ---: | --- | ---: | --- | ---: |")
    for length in LENGTHS:
        for cell in CELLS:
            accs, times = [], []
            for seed in seeds:
                t0 = time.perf_counter()
                accs.append(test_accuracy(spec(cell, length, seed), updates))
                times.append(time.perf_counter() - t0)
            print(f"| {length} | {cell} | {statistics.median(accs):.3f} | {', '.join(f'{a:.2f}' for a in accs)} | "
                  f"{statistics.median(times):.1f} |")


if __name__ == "__main__":
    main()
