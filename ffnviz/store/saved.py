"""Saved runs in the store, by a short code a person can type on another machine."""

from __future__ import annotations

import secrets

from sqlalchemy import Engine, insert, select

from ffnviz import limits
from ffnviz.store.db import now, saved_runs
from ffnviz.store.keys import ALPHABET, normal_code

SAVED_CODE_LENGTH = 8


class RunStore:
    def __init__(self, engine: Engine, clock=now):
        self.engine, self._clock = engine, clock

    def save(self, page: str, data: bytes, title: str = "") -> str:
        """Keep a run file; returns its code."""
        if len(data) > limits.RUN_FILE_BYTES:
            raise ValueError(f"a saved run is at most {limits.RUN_FILE_BYTES} bytes")
        code = "".join(secrets.choice(ALPHABET) for _ in range(SAVED_CODE_LENGTH))
        with self.engine.begin() as conn:
            conn.execute(insert(saved_runs).values(id=code, created_at=self._clock(), page=page[:32], title=title[:128],
                                                   data=data))
        return code

    def load(self, code: str) -> bytes | None:
        with self.engine.connect() as conn:
            return conn.execute(select(saved_runs.c.data).where(saved_runs.c.id == normal_code(code))).scalar()
