"""Which torch device a run uses."""

from __future__ import annotations

import torch


def resolve_device(choice: str) -> str:
    """"auto" is CUDA when a GPU is present, else the CPU; "cuda" without a GPU is an error a
    person can act on, never a silent fallback."""
    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if choice == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was chosen but this machine has no CUDA GPU: choose auto or cpu")
    if choice not in ("cpu", "cuda"):
        raise ValueError(f"device must be auto, cpu or cuda; got {choice!r}")
    return choice
