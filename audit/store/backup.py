"""Backups of the whole database and their restore, while the app keeps running.

- SQLite: the online backup API copies one consistent snapshot (in WAL mode
  writers go on meanwhile); the copy is made a single self-contained file
  (journal mode DELETE) and checked with ``PRAGMA integrity_check``. Restore
  copies it back with the same API into a new or empty file.
- PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot; the app
  keeps running) and ``pg_restore --single-transaction --exit-on-error``
  into an empty database. The tools come with PostgreSQL's client package
  (Debian: ``postgresql-client``); a clear message says so when they are missing.

Shopper photos are rows of the database (table ``photos``), so every backup
holds them. The password of a PostgreSQL URL goes to the tools in their
environment (``PGPASSWORD``), never on a command line.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from audit.store.config import database_url
from audit.store.engine import SQLITE_HEADER
from audit.store.errors import StoreError

PG_DUMP_HEADER = b"PGDMP"
TOOL_SECONDS = 3600


def backup_kind(path: Path) -> str:
    """``"sqlite"`` or ``"postgresql"``: what kind of backup a file is, by its first bytes."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror or err}") from None
    if head == SQLITE_HEADER:
        return "sqlite"
    if head.startswith(PG_DUMP_HEADER):
        return "postgresql"
    raise StoreError(f"{path} is neither a SQLite backup nor a pg_dump archive (custom format)")


def sqlite_integrity(path: Path) -> str:
    """``"ok"`` or SQLite's first complaint about the file."""
    with sqlite3.connect(path) as conn:
        answer = conn.execute("PRAGMA integrity_check").fetchone()
    conn.close()
    return str(answer[0]) if answer else "no answer"


def sqlite_backup(database: str, dest: Path) -> None:
    """Copy the live SQLite database ``database`` to ``dest`` (a new file) with the online backup API."""
    if not Path(database).is_file():
        raise StoreError(f"there is no database at {database}; give the database to back up with --db")
    source = sqlite3.connect(database, timeout=30)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)  # one step: one consistent snapshot, writers in WAL mode are not held up
        target.execute("PRAGMA journal_mode=DELETE")  # the copy is one file, nothing beside it
    finally:
        target.close()
        source.close()
    verdict = sqlite_integrity(dest)
    if verdict != "ok":
        raise StoreError(f"the copy failed its integrity check: {verdict}")


def _sqlite_is_empty(database: str) -> bool:
    path = Path(database)
    if not path.exists() or path.stat().st_size == 0:
        return True
    with sqlite3.connect(path) as conn:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    conn.close()
    return int(tables) == 0


def sqlite_restore(backup: Path, database: str) -> None:
    """Copy a SQLite backup into ``database`` (a new or empty file) with the backup API, then check it."""
    if not _sqlite_is_empty(database):
        raise StoreError(f"{database} already holds data; restore into a new file (or move that one away first)")
    verdict = sqlite_integrity(backup)
    if verdict != "ok":
        raise StoreError(f"the backup failed its integrity check: {verdict}")
    source = sqlite3.connect(backup)
    target = sqlite3.connect(database, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def pg_tool(name: str) -> str:
    """The path of ``pg_dump`` / ``pg_restore``, or a clear message that it is not installed."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise StoreError(f"{name} is not installed: install PostgreSQL's client tools (Debian: apt-get install postgresql-client) to back up or restore PostgreSQL")
    return found


def libpq_environment(url: str) -> dict[str, str]:
    """The ``PG*`` variables that point libpq tools at the database of a SQLAlchemy URL (password included)."""
    parsed = make_url(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    parts = {"PGHOST": parsed.host, "PGPORT": parsed.port, "PGUSER": parsed.username, "PGPASSWORD": parsed.password,
             "PGDATABASE": parsed.database}
    env.update({k: str(v) for k, v in parts.items() if v not in (None, "")})
    for key, variable in (("options", "PGOPTIONS"), ("sslmode", "PGSSLMODE")):
        value = parsed.query.get(key)
        if value:
            env[variable] = value if isinstance(value, str) else " ".join(value)
    return env


def _run(command: list[str], url: str, what: str) -> None:
    try:
        done = subprocess.run(command, env=libpq_environment(url), capture_output=True, text=True, timeout=TOOL_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise StoreError(f"{what} took longer than {TOOL_SECONDS // 60} minutes and was stopped") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise StoreError(f"{what} failed: {lines[0] if lines else f'exit code {done.returncode}'}")


def pg_dump(url: str, dest: Path) -> None:
    """Dump the PostgreSQL database of ``url`` into ``dest`` (custom format, one consistent snapshot)."""
    _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dest}"], url, "pg_dump")


def pg_is_empty(url: str) -> bool:
    """True when the database's current schema holds no tables."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            n = conn.execute(sa.text("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")).scalar()
    finally:
        engine.dispose()
    return int(n or 0) == 0


def pg_restore(backup: Path, url: str) -> None:
    """Restore a ``pg_dump`` archive into the (empty) database of ``url``, all or nothing."""
    if not pg_is_empty(url):
        raise StoreError("restore_not_empty")
    database = make_url(url).database or ""
    command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
               f"--dbname={database}", str(backup)]
    _run(command, url, "pg_restore")


def _pg_problems(url: str) -> list[str]:
    problems: list[str] = []
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            quote = conn.dialect.identifier_preparer.quote
            tables = conn.execute(sa.text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )).scalars().all()
            for table in tables:
                conn.execute(sa.text(f"SELECT count(*) FROM {quote(table)}")).scalar()  # reads every page of the table
            if conn.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")).first() is None:
                return problems
            indexes = conn.execute(sa.text(
                "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
                " WHERE a.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace"
            )).all()
            for oid, name in indexes:
                try:
                    with conn.begin_nested():
                        conn.execute(sa.text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
                except sa.exc.DBAPIError as err:
                    problems.append(f"index {name}: {str(err.orig).strip().splitlines()[0]}")
    finally:
        engine.dispose()
    return problems


def check_database(url: str) -> list[str]:
    """What a check of the whole database (a URL or a SQLite path) finds; empty when nothing is wrong.

    SQLite: ``PRAGMA integrity_check``. PostgreSQL: every table read through,
    and every B-tree index checked against its table with ``amcheck`` where
    that extension is installed (``CREATE EXTENSION amcheck``).
    """
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        verdict = sqlite_integrity(Path(parsed.database or ""))
        return [] if verdict == "ok" else [verdict]
    return _pg_problems(url)
