"""Shared by every test folder: one torch thread for the whole process (torch's setting is
process-wide; two threads on a small machine make step times jitter and slow every test); the
app's store in a temporary folder (never a developer's ~/.ffnviz); and `database_url`, each
test that takes it run against SQLite and against PostgreSQL."""

from __future__ import annotations

import os
import secrets
import tempfile

import pytest
import torch

torch.set_num_threads(1)
os.environ["FFNVIZ_DATA_DIR"] = tempfile.mkdtemp(prefix="ffnviz-test-store-")
os.environ.pop("FFNVIZ_DATABASE_URL", None)

# The project's machines and CI run PostgreSQL here with trust auth (.ci/run starts one if none answers).
POSTGRES_URLS = (os.environ.get("FFNVIZ_TEST_POSTGRES_URL", ""), "postgresql://postgres@127.0.0.1:5432/test",
                 "postgresql://root@127.0.0.1:5432/test")


def _postgres_admin():
    import psycopg

    problems = []
    for url in filter(None, POSTGRES_URLS):
        try:
            return url, psycopg.connect(url, autocommit=True, connect_timeout=3)
        except psycopg.Error as e:
            problems.append(f"{url}: {str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__}")
    reason = "no PostgreSQL answers (" + "; ".join(problems) + ")"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + " (under CI the PostgreSQL tests must run: .ci/run starts one)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh database on the local PostgreSQL for this test session, dropped afterwards (the
    `test` database is shared with other programs: the tables are made elsewhere)."""
    url, admin = _postgres_admin()
    name = f"ffnviz_test_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ffnviz.sqlite3'}"
    return request.getfixturevalue("postgres_url")
