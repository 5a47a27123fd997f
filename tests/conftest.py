"""Shared fixtures: a real SQLite file and, where reachable, a real PostgreSQL.

PostgreSQL: set ``AUDIT_TEST_POSTGRES_URL`` (``.ci/run`` does). Each test gets
its own schema, dropped afterwards. Locally, without that variable, the
PostgreSQL variants are skipped with the reason; with
``AUDIT_REQUIRE_POSTGRES=1`` (CI) a missing server fails the run instead.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from audit.store import Store

PG_URL = os.environ.get("AUDIT_TEST_POSTGRES_URL", "")


def _pg_reachable() -> str:
    if not PG_URL:
        return "AUDIT_TEST_POSTGRES_URL is not set (bash .ci/run starts a PostgreSQL and sets it)"
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as err:  # any failure to connect means: not reachable
        return f"PostgreSQL at AUDIT_TEST_POSTGRES_URL is not reachable: {type(err).__name__}"
    return ""


_PG_PROBLEM: str | None = None


def pg_problem() -> str:
    global _PG_PROBLEM
    if _PG_PROBLEM is None:
        _PG_PROBLEM = _pg_reachable()
    return _PG_PROBLEM


def postgres_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema; the schema is dropped afterwards."""
    import sqlalchemy as sa

    problem = pg_problem()
    if problem:
        if os.environ.get("AUDIT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but {problem}")
        pytest.skip(problem)
    schema = f"t_{secrets.token_hex(6)}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same storage test runs on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        yield str(tmp_path / "audit.sqlite")
    else:
        yield from postgres_schema_url()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = Store(str(tmp_path / "audit.sqlite"))
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A fresh SQLite file that the app under AppTest uses too (``AUDIT_DATABASE_URL`` points at it)."""
    path = tmp_path / "app.sqlite"
    monkeypatch.setenv("AUDIT_DATABASE_URL", str(path))
    monkeypatch.delenv("AUDIT_PUBLIC_URL", raising=False)
    s = Store(str(path))
    try:
        yield s
    finally:
        s.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say plainly how many storage tests ran on PostgreSQL (CI must show they ran)."""
    counts: dict[str, int] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if re.search(r"[\[-]postgresql[\]-]", getattr(report, "nodeid", "")) and getattr(report, "when", "call") in ("call", "setup"):
                if outcome == "passed" and report.when != "call":
                    continue
                counts[outcome] = counts.get(outcome, 0) + 1
    if counts:
        parts = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        terminalreporter.write_line(f"PostgreSQL storage tests: {parts}")


@pytest.fixture(autouse=True)
def _main_module_restored() -> Iterator[None]:
    """Streamlit's AppTest runs a page as ``__main__``; put the real one back, so a later test that starts
    processes with ``multiprocessing`` (spawn re-imports ``__main__``) does not re-run a page in its children."""
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None and sys.modules.get("__main__") is not main:
        sys.modules["__main__"] = main
