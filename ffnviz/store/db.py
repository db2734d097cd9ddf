"""The database: its URL, its tables and its schema version.

SQLite in a local file unless FFNVIZ_DATABASE_URL names another database (PostgreSQL:
`postgresql://user@host/db`, driven by psycopg). The schema is made by `create_all` and
stamped with a version row; on PostgreSQL under an advisory lock, so that several app processes
starting at once do not race to create the same tables.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    select,
    text,
)

URL_ENV = "FFNVIZ_DATABASE_URL"
DATA_DIR_ENV = "FFNVIZ_DATA_DIR"
SCHEMA_VERSION = 1
# pg_advisory_xact_lock's key: any fixed 64-bit number that no other program on the server uses.
SCHEMA_LOCK = 0x66666E76697A  # "ffnviz"

metadata = MetaData()

schema_version = Table(
    "ffnviz_schema", metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
)

classes = Table(
    "ffnviz_classes", metadata,
    Column("code", String(12), primary_key=True),
    Column("pin_hash", String(128), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("ended", Boolean, nullable=False, default=False),
    Column("pin_failures", Integer, nullable=False, default=0),
    Column("pin_window_start", Float, nullable=False, default=0.0),
    Column("challenge", Text, nullable=True),  # JSON, see ffnviz.classroom.challenge
)

teachers = Table(
    "ffnviz_teachers", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("class_code", String(12), ForeignKey("ffnviz_classes.code", ondelete="CASCADE"), nullable=False),
    Column("created_at", Float, nullable=False),
)

students = Table(
    "ffnviz_students", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("class_code", String(12), ForeignKey("ffnviz_classes.code", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(64), nullable=False),
    Column("joined_at", Float, nullable=False),
    Column("last_post_at", Float, nullable=False, default=0.0),
)

reports = Table(
    "ffnviz_reports", metadata,
    Column("student_id", Integer, ForeignKey("ffnviz_students.id", ondelete="CASCADE"), primary_key=True),
    Column("updated_at", Float, nullable=False),
    Column("page", String(32), nullable=False),
    Column("link", Text, nullable=False),
    Column("metrics", Text, nullable=False),  # JSON: updates, losses, accuracy, params, diverged
    Column("picture", LargeBinary, nullable=True),  # a small uint8 RGB picture, see classroom.report
    Column("curve", Text, nullable=False, default="[]"),  # JSON [[update, loss], ...], thinned
    Column("run", LargeBinary, nullable=True),  # the run file (ffnviz.store.runfile), where the page has one
    Column("challenge_ok", Boolean, nullable=False, default=False),
)

saved_runs = Table(
    "ffnviz_saved_runs", metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", Float, nullable=False),
    Column("page", String(32), nullable=False),
    Column("title", String(128), nullable=False, default=""),
    Column("data", LargeBinary, nullable=False),
)


def default_url() -> str:
    """A SQLite file under FFNVIZ_DATA_DIR (default ~/.ffnviz), made on first use."""
    folder = Path(os.environ.get(DATA_DIR_ENV) or Path.home() / ".ffnviz")
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'ffnviz.sqlite3'}"


def configured_url() -> str:
    return os.environ.get(URL_ENV) or default_url()


def normalized(url: str) -> str:
    """psycopg (3) for a bare postgresql:// URL; SQLAlchemy would pick psycopg2, which is not installed."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str | None = None) -> Engine:
    url = normalized(url or configured_url())
    if url.startswith("sqlite"):
        # One engine serves every session's thread; SQLite's own locking serializes the writes.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):  # foreign keys are off in SQLite unless asked; WAL lets readers read while one writes
            cursor = conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def ensure_schema(engine: Engine) -> int:
    """Create the tables that are missing and stamp the version; returns the version found or
    written. Raises RuntimeError for a database written by a newer ffnviz. One process at a time:
    an advisory lock on PostgreSQL, SQLite's write lock taken up front (BEGIN IMMEDIATE)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        elif engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        metadata.create_all(conn)
        found = conn.execute(select(schema_version.c.version).where(schema_version.c.id == 1)).scalar()
        if found is None:
            conn.execute(schema_version.insert().values(id=1, version=SCHEMA_VERSION))
            found = SCHEMA_VERSION
        conn.commit()
    if found > SCHEMA_VERSION:
        raise RuntimeError(f"the database has schema version {found}; this ffnviz knows {SCHEMA_VERSION}")
    return found


def open_database(url: str | None = None) -> Engine:
    engine = make_engine(url)
    ensure_schema(engine)
    return engine


def now() -> float:
    return time.time()
