"""Engines tuned per database, and the retry of a write transaction the database calls busy.

SQLite: WAL (checkpointed by :mod:`audit.store.writequeue`, not inside commits),
``synchronous=NORMAL``, a 30 s busy timeout, foreign keys on, and
``BEGIN IMMEDIATE`` for a connection marked ``audit_write`` (the write lock is
taken up front, so a read-then-write never deadlocks). PostgreSQL: a pool sized
for a workshop's bursts (``AUDIT_DB_POOL_*``, see :class:`audit.store.config.PoolSettings`),
so a burst of saves reuses open connections instead of opening and closing them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from audit.store.autocommit import AutocommitConnections
from audit.store.config import PoolSettings, pool_settings
from audit.store.errors import StoreError

T = TypeVar("T")

SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file

TRANSIENT_MARKERS = ("database is locked", "database is busy", "deadlock detected", "could not serialize", "lock timeout")


def is_transient(err: DBAPIError) -> bool:
    """A busy or deadlocked database: the same transaction may succeed when tried again."""
    text = str(err.orig if err.orig is not None else err).lower()
    return any(marker in text for marker in TRANSIENT_MARKERS)


def check_sqlite_file(database: str | None) -> None:
    """Refuse a path that is a folder or a file other than a SQLite database, before anything touches it.

    A missing or empty file is fine (it becomes a new database). SQLite would
    otherwise fail only at the first query, after its side files were made.
    """
    if not database or database == ":memory:":
        return
    path = Path(database)
    if path.is_dir():
        raise StoreError("db_folder", path=str(path), example=str(path / "audit.sqlite"))
    if not path.exists():
        return
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except OSError as err:
        raise StoreError("db_unreadable", path=str(path), reason=str(err.strerror or err)) from None
    if head and head != SQLITE_HEADER:
        raise StoreError("db_not_sqlite", path=str(path))


def make_engine(url: str, settings: PoolSettings | None = None) -> Engine:
    """The engine of ``url``; a PostgreSQL pool of ``settings`` (default: from the environment; SQLite ignores them)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, pool_size=10, max_overflow=40
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints after a write turn, not in a commit (writequeue)
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("audit_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return postgres_engine(url, settings)


def autocommit_connections(engine: Engine, settings: PoolSettings | None = None) -> AutocommitConnections:
    """The stack of autocommit connections rating saves keep out of ``engine``'s pool (``settings``, default: from
    the environment): at most ``settings.saves``, and always one fewer than the pool may open, so other queries
    never wait on connections kept idle."""
    if settings is None:
        settings = settings_from_environment()
    keep = max(0, min(settings.saves, settings.size + settings.overflow - 1))
    return AutocommitConnections(engine, keep, recycle=settings.recycle, pre_ping=settings.pre_ping)


def settings_from_environment() -> PoolSettings:
    """The pool settings (``AUDIT_DB_POOL_*``); a bad value is refused naming the variable, before any connection."""
    try:
        return pool_settings()
    except ValueError as err:
        raise StoreError(str(err)) from None


def postgres_engine(url: str, settings: PoolSettings | None = None) -> Engine:
    """A PostgreSQL engine with a queue pool of ``settings`` (default: from the environment)."""
    if settings is None:
        settings = settings_from_environment()
    return sa.create_engine(
        url, poolclass=QueuePool, pool_size=settings.size, max_overflow=settings.overflow,
        pool_timeout=settings.timeout, pool_pre_ping=settings.pre_ping, pool_recycle=settings.recycle,
    )


def run_transaction(
    engine: Engine,
    work: Callable[[Connection], T],
    *,
    turn: Callable[[], AbstractContextManager[object]] = nullcontext,
    attempts: int = 8,
) -> T:
    """One write transaction, retried when the database reports it is busy or the connection was dropped.

    ``turn`` is held around each attempt (the SQLite cross-process write turn).
    """

    def attempt() -> T:
        with engine.connect() as conn, turn():
            conn = conn.execution_options(audit_write=True)
            with conn.begin():
                return work(conn)

    return retried(attempt, attempts)


def retried(attempt: Callable[[], T], attempts: int = 8) -> T:
    """``attempt`` (one whole transaction) again while it fails on a dropped connection or a busy database.

    A dropped connection was invalidated in the pool, so the next attempt gets
    a fresh one; nothing of the failed attempt was committed.
    """
    delay = 0.05
    for n in range(1, attempts + 1):
        try:
            return attempt()
        except DBAPIError as err:
            if n < attempts and err.connection_invalidated:
                continue
            if n == attempts or not is_transient(err):
                raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 1.0)
    raise AssertionError("unreachable")
