"""The :class:`Store`: one object per database and process, the concerns' methods on short transactions.

It owns the engine and the SQLite write queue, runs the migrations on start,
opens units of work, and inherits every read and write from the concern
modules (audits and links, catalog copy, ratings, visits and photos,
evidence, plan, waves, hand-off), each call on its own short transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.store.autocommit import AutocommitConnections
from audit.store.config import database_url
from audit.store.derived import Derived
from audit.store.engine import autocommit_connections, check_sqlite_file, make_engine, run_transaction, settings_from_environment
from audit.store.migrations import applied_migrations, apply_migrations
from audit.store.prebuilt import Prebuilt, run_alone, speaks_prebuilt
from audit.store.unit import Concerns, Unit, open_unit
from audit.store.writequeue import WriteQueue

T = TypeVar("T")


class Store(Concerns):
    """All reads and writes of audits. Thread-safe: share one per process."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = database_url(url)
        pool = None if self.url.startswith("sqlite") else settings_from_environment()  # read once, refused before any connection
        self.engine = make_engine(self.url, pool)  # connects lazily: nothing is opened yet
        self.dialect = self.engine.dialect
        self.is_sqlite = self.dialect.name == "sqlite"
        self.prebuilt = speaks_prebuilt(self.engine.dialect)
        if self.is_sqlite:
            check_sqlite_file(self.engine.url.database)
        self._statements: dict[tuple[str, ...], Any] = {}
        # What pages computed from an audit's data, per data version, shared by every session (see derived).
        self.derived = Derived()
        # SQLite has one writer at a time: this process's writers share group
        # commits, and processes take turns on an flock (see writequeue).
        self._queue = WriteQueue(self.engine, self.engine.url.database) if self.is_sqlite else None
        # PostgreSQL: rating saves keep some of the pool's connections in autocommit (see autocommit).
        self._alone = autocommit_connections(self.engine, pool) if self.prebuilt else None
        if migrate:
            self.migrate()

    def close(self) -> None:
        if self._alone is not None:
            self._alone.close()
        self.engine.dispose()
        if self._queue is not None:
            self._queue.close()

    @property
    def kept_connections(self) -> AutocommitConnections | None:
        """The connections rating saves keep in autocommit (PostgreSQL; ``None`` on SQLite): the bench's floor sends its
        statements on the same server sessions."""
        return self._alone

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _write(self, work: Callable[[Connection], T]) -> T:
        """PostgreSQL: one transaction per call. SQLite: a group commit (see :mod:`audit.store.writequeue`)."""
        if self._queue is None:
            return run_transaction(self.engine, work)
        return self._queue.submit(work)

    def _write_prebuilt(self, statement: Prebuilt, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """PostgreSQL: the statement alone, in autocommit on a connection kept for it (one round trip, see
        :func:`audit.store.prebuilt.run_alone`)."""
        if self._alone is None:
            return super()._write_prebuilt(statement, values)
        return run_alone(self._alone, statement, values)

    def unit(self, *, write: bool = False, audit_id: str | None = None) -> AbstractContextManager[Unit]:
        """One transaction for several calls: a consistent snapshot, or one read-check-write (see :mod:`audit.store.unit`)."""
        return open_unit(self, write=write, audit_id=audit_id)

    def write_turn(self) -> AbstractContextManager[object]:
        """SQLite: hold this database's write turn alone (queued fairly with the group commits)."""
        return self._queue.turn() if self._queue is not None else nullcontext()

    def _statement(self, key: tuple[str, ...], build: Callable[[], Any]) -> Any:
        cached = self._statements.get(key)
        if cached is None:
            cached = self._statements[key] = build()
        return cached

    def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names applied now."""
        return self._write(apply_migrations)

    def applied_migrations(self) -> list[str]:
        with self._read() as conn:
            return applied_migrations(conn)

    def integrity_ok(self) -> bool:
        """Ask the database to check itself (SQLite ``PRAGMA integrity_check``)."""
        with self._read() as conn:
            if not self.is_sqlite:
                conn.execute(sa.text("SELECT 1"))
                return True
            return bool(conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok")
