"""Shared fixtures: a real SQLite file and, where reachable, a real PostgreSQL; the kind of every test.

Kinds (pytest markers, given here, so no test file names its own): ``browser`` (under
``tests/browser/``), ``app`` (Streamlit AppTest on a database), ``storage`` (a real SQLite
file or PostgreSQL), ``unit`` (everything else: pure functions). Run one kind with
``python -m pytest -m unit`` (or ``-m "not browser"``).

PostgreSQL: set ``AUDIT_TEST_POSTGRES_URL`` (``.ci/run`` does). Each test gets
its own schema, dropped afterwards. Locally, without that variable, the
PostgreSQL variants are skipped with the reason; with
``AUDIT_REQUIRE_POSTGRES=1`` (CI) a missing server fails the run instead.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from audit.store import Store

PG_URL = os.environ.get("AUDIT_TEST_POSTGRES_URL", "")
TESTS = Path(__file__).resolve().parent
KINDS = ("unit", "storage", "app", "browser")
STORAGE_FIXTURES = frozenset({"store", "db_url", "sqlite_store", "app_db", "db"})


def kind_of(item: pytest.Item) -> str:
    """The kind of one test: by its folder, then by the fixtures it uses (directly or through others)."""
    if "browser" in Path(str(item.path)).relative_to(TESTS).parts:
        return "browser"
    used = set(getattr(item, "fixturenames", ()))
    module = vars(getattr(item, "module", None) or object())
    drives_the_app = "AppTest" in module or any(getattr(v, "__module__", "") == "app_driver" for v in module.values())
    on_a_database = bool(used & STORAGE_FIXTURES) or ("Store" in module and "tmp_path" in used)
    if drives_the_app and on_a_database:
        return "app"
    return "storage" if on_a_database else "unit"


def pytest_configure(config: pytest.Config) -> None:
    """No test falls back to ``./data`` (the checkout stays clean) or to a developer's own database:
    both variables point into a folder of this run, removed at the end."""
    folder = tempfile.mkdtemp(prefix="audit-tests-")
    os.environ["AUDIT_DATA_DIR"] = folder
    os.environ["AUDIT_DATABASE_URL"] = str(Path(folder) / "default.sqlite")


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = os.environ.get("AUDIT_DATA_DIR", "")
    if Path(folder).name.startswith("audit-tests-"):
        shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not any(item.get_closest_marker(k) for k in KINDS):
            item.add_marker(kind_of(item))


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
