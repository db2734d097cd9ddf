"""Whether a run's training loss has stopped falling while it jumps about or climbs: the sign of a
learning rate that is too high but not high enough to diverge (a NaN says that already).

Read from the recorded history alone (one value per recorded epoch), so any page can ask.
A loss that settles on a plateau, or one that keeps creeping down, is not flagged: only a
recent stretch that is no better than the run's past best AND either swings by a large share
of its level from one record to the next or sits well above that best.
"""

from __future__ import annotations

import numpy as np

RECENT = 20  # records looked at
MIN_RECORDS = 30  # "for a while": at least this many records before saying anything
SWING = 0.1  # mean |change| between records, as a share of the recent mean loss
CLIMB = 1.5  # recent median over the past best
PROGRESS = 0.98  # a recent minimum below this share of the past best is progress
# A loss that has come down to this share of its first value has learned something: its ups and downs
# are the noise of small batches at a brisk rate (the playground's default, SGD 0.3 at batch 10,
# swings so around 0.1 with 97 % test accuracy), not a rate too high.
LEARNED = 0.5


def loss_not_falling(train_loss: np.ndarray) -> bool:
    loss = np.asarray(train_loss, dtype=np.float64)
    if len(loss) < MIN_RECORDS or not np.isfinite(loss).all():
        return False
    past, recent = loss[:-RECENT], loss[-RECENT:]
    best = past.min()
    if recent.min() < PROGRESS * best or np.median(recent) <= LEARNED * loss[0]:
        return False
    swings = np.abs(np.diff(recent)).mean() > SWING * recent.mean()
    climbs = np.median(recent) > CLIMB * best
    return bool(swings or climbs)
