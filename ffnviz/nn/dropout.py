"""Dropout whose masks come from the run's own generator.

`F.dropout` draws from torch's global generator, so two runs training in one process would
disturb each other's masks; this draws with `torch.bernoulli(..., generator=)` instead.
"""

from __future__ import annotations

import torch
from torch import nn


class SeededDropout(nn.Module):
    def __init__(self, p: float, generator: torch.Generator):
        super().__init__()
        self.p = p
        self.generator = generator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = 1.0 - self.p
        mask = torch.bernoulli(torch.full_like(x, keep), generator=self.generator)
        return x * mask / keep

    def extra_repr(self) -> str:
        return f"p={self.p}"
