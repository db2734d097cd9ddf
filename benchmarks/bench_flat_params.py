"""Would one flat parameter tensor per model (each layer's weight and bias a view into it) make
updates cheaper? A prototype outside the engine, on Playground's default net (2 -> 4 -> 2 -> 1
tanh, batch 10, BCE), with the optimizers built as the engine builds them (fused SGD and Adam on
the CPU, RMSprop unfused):

    python benchmarks/bench_flat_params.py            # 5 rounds x 3000 updates per row, medians

"tensors": six parameters, as the engine holds them. "flat": one nn.Parameter; the layers'
weights and biases are sliced from it at every forward, so gradients reach it through the
slices' backward (which scatters each slice's gradient into a zero tensor of the full size and
adds them up). It also checks whether the two give the same numbers, bit for bit, over 300
updates. torch.set_num_threads(1), as the app sets it.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)

SIZES = (2, 4, 2, 1)
SHAPES = [(b, a) for a, b in zip(SIZES[:-1], SIZES[1:], strict=True)]
OPTIMIZERS = {
    "sgd (fused)": lambda p: torch.optim.SGD(p, lr=0.03, fused=True),
    "adam (fused)": lambda p: torch.optim.Adam(p, lr=0.01, fused=True),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.003),
}


def data():
    g = torch.Generator().manual_seed(0)
    return torch.randn(250, 2, generator=g), (torch.rand(250, generator=g) > 0.5).float()


def make(kind: str, optimizer: str):
    """A step function (one update, returns the loss) and the parameters."""
    x, y = data()
    g = torch.Generator().manual_seed(1)
    ws = [torch.empty(s).uniform_(-0.5, 0.5, generator=g) for s in SHAPES]
    bs = [torch.full((s[0],), 0.1) for s in SHAPES]
    if kind == "tensors":
        params = [torch.nn.Parameter(t.clone()) for t in ws + bs]

        def layers():
            return params[:3], params[3:]
    else:
        flat = torch.nn.Parameter(torch.cat([t.reshape(-1) for t in ws + bs]))
        params, offsets, start = [flat], [], 0
        for t in ws + bs:
            offsets.append((start, t.shape))
            start += t.numel()

        def layers():
            views = [flat[a:a + s.numel()].view(s) for a, s in offsets]
            return views[:3], views[3:]
    opt = OPTIMIZERS[optimizer](params)

    def step(i: int) -> torch.Tensor:
        a = (i * 10) % 250
        xb, yb = x[a:a + 10], y[a:a + 10]
        for p in params:
            p.grad = None
        w, b = layers()
        h = xb
        for j in range(2):
            h = torch.tanh(F.linear(h, w[j], b[j]))
        loss = F.binary_cross_entropy_with_logits(F.linear(h, w[2], b[2]).squeeze(1), yb)
        loss.backward()
        opt.step()
        return loss.detach()

    return step, params


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--updates", type=int, default=3000)
    args = ap.parse_args()
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.repeats):  # interleaved rounds
        for optimizer in OPTIMIZERS:
            for kind in ("tensors", "flat"):
                step, _ = make(kind, optimizer)
                for i in range(200):
                    step(i)
                start = time.perf_counter()
                for i in range(args.updates):
                    step(i)
                times.setdefault((optimizer, kind), []).append((time.perf_counter() - start) / args.updates * 1e6)
    print(f"`python benchmarks/bench_flat_params.py`; torch {torch.__version__}, one thread; median of "
          f"{args.repeats} rounds x {args.updates} updates.\n")
    print("| optimizer | six tensors, µs / update | one flat tensor, µs / update | same numbers (300 updates) |")
    print("|---|---:|---:|---|")
    for optimizer in OPTIMIZERS:
        a, pa = make("tensors", optimizer)
        b, pb = make("flat", optimizer)
        same_losses = all(torch.equal(a(i), b(i)) for i in range(300))
        same = same_losses and torch.equal(torch.cat([p.detach().reshape(-1) for p in pa]), pb[0].detach())
        print(f"| {optimizer} | {statistics.median(times[(optimizer, 'tensors')]):.0f} | "
              f"{statistics.median(times[(optimizer, 'flat')]):.0f} | {'yes' if same else 'no'} |")


if __name__ == "__main__":
    main()
