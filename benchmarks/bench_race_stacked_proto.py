"""Could a race of six reach 3x one run? A prototype outside the engine, to size that design
decision: six 2 -> 4 -> 2 -> 1 tanh models (batch 10, BCE) with the race's six optimizers
(SGD, SGD + momentum, Adam, AdamW, Adagrad fused; RMSprop unfused), each model's parameters its
own leaf tensors and its own torch.optim optimizer, trained

- "one": a single model (SGD), the reference;
- "six separate": one forward, backward and step per model, as the engine's Race does;
- "six stacked": the six models' weights stacked (torch.stack) into batched matmuls
  (torch.baddbmm), one forward and one backward for all six, then the six optimizer steps.

    python benchmarks/bench_race_stacked_proto.py     # median of 5 rounds x 1000 updates

This is a bare prototype (one vectorised loss, nothing else) that sized the design; the engine's
Race does the same through its Trainers (Race(stacked=True), the default: each model's own
batch, loss, penalty and step), which costs more per update; benchmarks/bench_race.py measures
that. baddbmm rounds differently from the Linear layers' addmm, so a stacked contestant matches
its single run up to rounding only. torch.set_num_threads(1), as the app sets it.
"""

from __future__ import annotations

import statistics
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)

K = 6
SIZES = (2, 4, 2, 1)
SHAPES = [(b, a) for a, b in zip(SIZES[:-1], SIZES[1:], strict=True)]
OPTIMIZERS = [
    lambda p: torch.optim.SGD(p, lr=0.03, fused=True),
    lambda p: torch.optim.SGD(p, lr=0.03, momentum=0.9, fused=True),
    lambda p: torch.optim.Adam(p, lr=0.01, fused=True),
    lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.0, fused=True),
    lambda p: torch.optim.RMSprop(p, lr=0.003),
    lambda p: torch.optim.Adagrad(p, lr=0.03, fused=True),
]
_g = torch.Generator().manual_seed(0)
X = torch.randn(250, 2, generator=_g)
Y = (torch.rand(250, generator=_g) > 0.5).float()


def params(bias_column: bool = False) -> list[torch.nn.Parameter]:
    """One model's weights (Playground init) and biases, each its own leaf."""
    ws = [torch.nn.Parameter(torch.empty(s).uniform_(-0.5, 0.5)) for s in SHAPES]
    bs = [torch.nn.Parameter(torch.full((s[0], 1) if bias_column else (s[0],), 0.1)) for s in SHAPES]
    return ws + bs


def batch(i: int) -> tuple[torch.Tensor, torch.Tensor]:
    a = (i * 10) % 250
    return X[a:a + 10], Y[a:a + 10]


def forward(m: list[torch.nn.Parameter], xb: torch.Tensor) -> torch.Tensor:
    h = xb
    for j in range(3):
        h = F.linear(h, m[j], m[3 + j])
        if j < 2:
            h = torch.tanh(h)
    return h.squeeze(1)


def one():
    m = params()
    opt = OPTIMIZERS[0](m)

    def step(i: int) -> None:
        xb, yb = batch(i)
        for p in m:
            p.grad = None
        F.binary_cross_entropy_with_logits(forward(m, xb), yb).backward()
        opt.step()
    return step


def separate():
    models = [params() for _ in range(K)]
    opts = [OPTIMIZERS[k](models[k]) for k in range(K)]

    def step(i: int) -> None:
        xb, yb = batch(i)
        for m, opt in zip(models, opts, strict=True):
            for p in m:
                p.grad = None
            F.binary_cross_entropy_with_logits(forward(m, xb), yb).backward()
            opt.step()
    return step


def stacked():
    models = [params(bias_column=True) for _ in range(K)]
    opts = [OPTIMIZERS[k](models[k]) for k in range(K)]
    every = [p for m in models for p in m]

    def step(i: int) -> None:
        xb, yb = batch(i)
        for p in every:
            p.grad = None
        h = xb.t().expand(K, 2, 10)
        for j in range(3):
            w = torch.stack([m[j] for m in models])
            b = torch.stack([m[3 + j] for m in models])
            h = torch.baddbmm(b, w, h)
            if j < 2:
                h = torch.tanh(h)
        # The sum of the six models' mean losses: each model's gradient is its own loss's.
        F.binary_cross_entropy_with_logits(h.squeeze(1), yb.expand(K, 10), reduction="none").mean(1).sum().backward()
        for opt in opts:
            opt.step()
    return step


def main() -> None:
    times: dict[str, list[float]] = {}
    for _ in range(5):  # interleaved rounds
        for name, make in (("one", one), ("six separate", separate), ("six stacked", stacked)):
            step = make()
            for i in range(100):
                step(i)
            start, n = time.perf_counter(), 1000
            for i in range(n):
                step(i)
            times.setdefault(name, []).append((time.perf_counter() - start) / n * 1e6)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"`python benchmarks/bench_race_stacked_proto.py`; torch {torch.__version__}, one thread; "
          "median of 5 rounds x 1000 updates.\n")
    print("| training | µs / update | against one |\n|---|---:|---:|")
    for name, us in med.items():
        print(f"| {name} | {us:.0f} | {us / med['one']:.2f}× |")


if __name__ == "__main__":
    main()
