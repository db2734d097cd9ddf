"""The base of what a race's snapshot shows of its models (the extras of race_extras.py,
attention_extras.py, conv_extras.py, text_extras.py): frozen dataclasses of numpy arrays and
plain values, picklable, so that a snapshot may come from a worker process.

Their arrays are read-only: one measured array may be shared by several snapshots (a repeated
measurement, the text baseline), and a snapshot never changes. Pickle gives writeable copies,
so an unpickled one is made read-only again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np


def arrays_in(value) -> Iterator[np.ndarray]:
    """Every numpy array inside `value`: dataclasses, dicts, lists and tuples of them, nested."""
    if isinstance(value, np.ndarray):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield from arrays_in(vars(value))
    elif isinstance(value, dict):
        for v in value.values():
            yield from arrays_in(v)
    elif isinstance(value, tuple | list):
        for v in value:
            yield from arrays_in(v)


def _freeze(values) -> None:
    for value in values:
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
        elif isinstance(value, tuple | list):
            _freeze(value)
        elif isinstance(value, dict):
            _freeze(value.values())
        # a nested SnapshotData froze its own arrays when it was made


class SnapshotData:
    """Subclass it with @dataclass(frozen=True, eq=False): frozen, because a snapshot is
    immutable; eq=False (identity), because arrays have no single truth value to compare by."""

    def __post_init__(self) -> None:
        _freeze(self.__dict__.values())

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)  # what pickle does without __setstate__, frozen or not
        _freeze(state.values())
