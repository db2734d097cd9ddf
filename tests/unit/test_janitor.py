"""Classes expire with no visitor: the janitor's thread forgets an expired class's names and its
code is refused; any use of the store purges too, at most once a minute."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from ffnviz import limits
from ffnviz.store.classes import ClassError, ClassStore
from ffnviz.store.db import open_database, students
from ffnviz.store.janitor import Janitor


class Clock:
    def __init__(self, t: float = 1_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def store(database_url):
    engine = open_database(database_url)
    yield ClassStore(engine, Clock())
    engine.dispose()


def names(store: ClassStore, code: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(students).where(students.c.class_code == code)).scalar()


def test_the_thread_expires_a_class_no_one_visits(store):
    started = store.start()
    store.join(started.code, "Ann")
    store.join(started.code, "Bob")
    assert names(store, started.code) == 2
    store._clock.t += limits.CLASS_HOURS * 3600 + 1
    purged = threading.Event()

    class Watched(Janitor):
        def maybe_purge(self) -> int:
            n = super().maybe_purge()
            if n:
                purged.set()
            return n

    janitor = Watched(store, every_s=0.05).start()
    try:
        assert purged.wait(timeout=30), "the janitor's thread never purged the expired class"
    finally:
        janitor.stop()
    assert names(store, started.code) == 0
    assert store.tiles(started.code) == []
    with pytest.raises(ClassError) as info:
        store.join(started.code, "Cy")
    assert info.value.key == "class_over"
    assert not store.is_teacher(started.code, started.teacher_token)


def test_a_use_of_the_store_purges_at_most_once_a_minute(store):
    ticks = Clock(0.0)
    janitor = Janitor(store, every_s=60, clock=ticks)
    first = store.start()
    store.join(first.code, "Ann")
    assert janitor.maybe_purge() == 0  # nothing expired yet; the minute starts now
    store._clock.t += limits.CLASS_HOURS * 3600 + 1
    ticks.t = 59.0
    assert janitor.maybe_purge() == 0 and names(store, first.code) == 1  # throttled
    ticks.t = 60.0
    assert janitor.maybe_purge() == 1 and names(store, first.code) == 0
    second = store.start()  # a class still running keeps its names
    store.join(second.code, "Bob")
    ticks.t = 200.0
    assert janitor.maybe_purge() == 0 and names(store, second.code) == 1


def test_a_store_that_fails_costs_the_janitor_nothing(store):
    class Broken:
        def purge_expired(self):
            raise RuntimeError("the database went away")

    assert Janitor(Broken(), every_s=0).maybe_purge() == 0
