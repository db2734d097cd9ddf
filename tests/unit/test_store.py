"""The class store, for real, on SQLite and on PostgreSQL: schema and version, a class's life,
its keys, hostile names, the cap, the throttle, and a restart that loses nothing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from ffnviz import limits
from ffnviz.store.classes import ClassError, ClassStore, Report
from ffnviz.store.db import SCHEMA_LOCK, SCHEMA_VERSION, classes, ensure_schema, make_engine, open_database, schema_version
from ffnviz.store.keys import PIN_LENGTH, normal_code
from ffnviz.store.names import NAME_CHARS, clean_name


class Clock:
    def __init__(self, t: float = 1_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def report(updates: int = 10, loss: float = 0.5, **more) -> Report:
    return Report(page="playground", link="/playground?v=2", updates=updates, train_loss=loss, test_loss=loss,
                  test_acc=0.8, params=17, diverged=False, curve=((0, 0.7), (updates, loss)), **more)


@pytest.fixture
def store(database_url):
    engine = open_database(database_url)
    yield ClassStore(engine, Clock())
    engine.dispose()


def refusal(call) -> str:
    with pytest.raises(ClassError) as info:
        call()
    return info.value.key


def test_the_schema_is_made_once_and_stamped(database_url):
    engine = open_database(database_url)
    assert ensure_schema(engine) == SCHEMA_VERSION  # again: nothing to do, the same version
    with engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
    engine.dispose()


def test_schema_made_by_processes_starting_at_once(database_url):
    """Several app processes starting together: one version row, no error (the advisory lock on
    PostgreSQL; SQLite's own lock)."""
    errors = []

    def start():
        try:
            engine = open_database(database_url)
            engine.dispose()
        except Exception as e:  # noqa: BLE001 - the test reports any
            errors.append(e)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_a_newer_schema_is_refused(database_url):
    engine = open_database(database_url)
    with engine.begin() as conn:
        conn.execute(schema_version.update().values(version=SCHEMA_VERSION + 1))
    with pytest.raises(RuntimeError, match="newer|schema version"):
        ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(schema_version.update().values(version=SCHEMA_VERSION))
    engine.dispose()


def test_a_class_start_to_end(store):
    started = store.start()
    assert len(started.pin) >= 10 == PIN_LENGTH
    assert store.is_teacher(started.code, started.teacher_token)
    with store.engine.connect() as conn:  # only the PIN's hash is kept
        kept = conn.execute(select(classes.c.pin_hash).where(classes.c.code == started.code)).scalar()
    assert started.pin not in kept and kept.startswith("scrypt$")
    ann, name = store.join(started.code.lower(), "  Ann  ")
    assert name == "Ann"
    bob, _ = store.join(started.code, "Bob")
    assert store.post(started.code, ann, report(20, 0.3))
    assert store.post(started.code, bob, report(5, 0.9))
    tiles = store.tiles(started.code)
    assert [t.name for t in tiles] == ["Ann", "Bob"]
    assert tiles[0].metrics["updates"] == 20 and tiles[0].curve == [[0, 0.7], [20, 0.3]]
    store.end(started.code, started.teacher_token)
    assert store.tiles(started.code) == []  # the names are gone
    assert refusal(lambda: store.join(started.code, "Cy")) == "class_over"
    assert not store.is_teacher(started.code, started.teacher_token)


def test_a_student_token_never_controls_the_class(store):
    started = store.start()
    ann, _ = store.join(started.code, "Ann")
    assert not store.is_teacher(started.code, ann)
    assert not store.is_teacher(started.code, None)
    assert refusal(lambda: store.end(started.code, ann)) == "class_not_teacher"
    assert refusal(lambda: store.set_challenge(started.code, ann, "{}")) == "class_not_teacher"
    assert refusal(lambda: store.run_of(started.code, ann, 1)) == "class_not_teacher"
    other = store.start()  # a teacher of another class neither
    assert not store.is_teacher(started.code, other.teacher_token)


def test_the_pin_gives_a_second_device_control_and_wrong_pins_are_limited(store):
    started = store.start()
    second = store.claim_teacher(started.code, started.pin.lower())  # typed in lower case
    assert store.is_teacher(started.code, second)
    for _ in range(limits.PIN_ATTEMPTS):
        assert refusal(lambda: store.claim_teacher(started.code, "WRONGWRONG")) == "class_wrong_pin"
    # Locked now, even for the right PIN, until the window ends.
    assert refusal(lambda: store.claim_teacher(started.code, started.pin)) == "class_pin_locked"
    store._clock.t += limits.PIN_WINDOW_S + 1
    assert store.is_teacher(started.code, store.claim_teacher(started.code, started.pin))


def test_a_reloaded_phone_rejoins_under_its_name(store):
    started = store.start()
    token, _ = store.join(started.code, "Ann")
    again, name = store.join(started.code, "Someone else", token)
    assert (again, name) == (token, "Ann")
    assert [t.name for t in store.tiles(started.code)] == ["Ann"]
    other = store.start()  # the same cookie in another class is a new student there
    token2, name2 = store.join(other.code, "Ann 2", token)
    assert token2 != token and name2 == "Ann 2"


@pytest.mark.parametrize("name, kept", [
    ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert"),
    ("<b>big</b>", "<b>big</b>"),
    ("**big**", "**big**"),
    ("  a \t\n b\x00\x1b[31m ", "a b[31m"),
    ("x" * 100, "x" * NAME_CHARS),
    ("王小明", "王小明"),
])
def test_names_are_trimmed_and_capped_never_rewritten(name, kept):
    assert clean_name(name) == kept


def test_hostile_names_are_kept_as_text(store):
    started = store.start()
    store.join(started.code, "<img src=x onerror=alert(1)>")
    store.join(started.code, "**big**")
    assert [t.name for t in store.tiles(started.code)] == ["<img src=x onerror=alert", "**big**"]


def test_wrong_codes_empty_names_and_the_cap(store):
    assert refusal(lambda: store.join("NOPE42", "Ann")) == "class_unknown_code"
    started = store.start()
    assert refusal(lambda: store.join(started.code, " \t ")) == "class_name_empty"
    for i in range(limits.CLASS_STUDENTS):
        store.join(started.code, f"s{i}")
    assert refusal(lambda: store.join(started.code, "one too many")) == "class_full"


def test_codes_are_read_as_typed():
    assert normal_code(" ab-c 12 ") == "ABC12"


def test_posting_is_throttled_per_student(store):
    started = store.start()
    ann, _ = store.join(started.code, "Ann")
    bob, _ = store.join(started.code, "Bob")
    assert store.post(started.code, ann, report(1))
    assert not store.post(started.code, ann, report(2))  # too soon
    assert store.post(started.code, bob, report(3))  # another student is not held back
    store._clock.t += limits.REPORT_MIN_INTERVAL_S
    assert store.post(started.code, ann, report(4))
    assert {t.name: t.metrics["updates"] for t in store.tiles(started.code)} == {"Ann": 4, "Bob": 3}
    assert not store.post(started.code, "not-a-token", report(5))
    assert not store.post(started.code, started.teacher_token, report(5))


def test_a_student_reaches_only_their_own_row(store):
    one, two = store.start(), store.start()
    ann, _ = store.join(one.code, "Ann")
    assert not store.post(two.code, ann, report())  # Ann's cookie in another class posts nothing there
    assert store.student(two.code, ann) is None
    assert store.student(one.code, ann) == "Ann"


def test_classes_expire_and_their_names_go(store):
    started = store.start()
    store.join(started.code, "Ann")
    store._clock.t += limits.CLASS_HOURS * 3600
    assert refusal(lambda: store.join(started.code, "Bob")) == "class_over"
    assert store.purge_expired() >= 1
    assert store.tiles(started.code) == []


def test_a_restart_loses_no_class(database_url):
    engine = open_database(database_url)
    store = ClassStore(engine)
    started = store.start()
    ann, _ = store.join(started.code, "Ann")
    assert store.post(started.code, ann, report(7))
    engine.dispose()  # the server goes away
    again = ClassStore(open_database(database_url))
    assert again.is_teacher(started.code, started.teacher_token)
    assert [(t.name, t.metrics["updates"]) for t in again.tiles(started.code)] == [("Ann", 7)]
    again.engine.dispose()


def test_postgresql_takes_the_advisory_lock(postgres_url):
    database_url = postgres_url
    engine = open_database(database_url)
    with engine.begin() as conn:  # while another holds it, a second start waits (here: try-lock fails)
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
        other = make_engine(database_url)
        with other.connect() as conn2:
            assert conn2.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK}).scalar() is False
        other.dispose()
    engine.dispose()
