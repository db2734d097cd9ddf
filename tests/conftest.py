"""Shared by every test folder: one torch thread for the whole process (torch's setting is
process-wide; two threads on a small machine make step times jitter and slow every test)."""

from __future__ import annotations

import torch

torch.set_num_threads(1)
