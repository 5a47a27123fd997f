"""The :class:`Store`: one object per database and process, the concerns' methods on short transactions.

It owns the engine and the SQLite write queue, runs the migrations on start,
and inherits every read and write from the concern modules (audits and links,
catalog copy, ratings, visits and photos, evidence, plan, waves).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.store.audits import AuditRecords
from audit.store.catalog_copy import CatalogRecords
from audit.store.config import database_url
from audit.store.engine import make_engine, run_transaction
from audit.store.evidence import EvidenceRecords
from audit.store.migrations import applied_migrations, apply_migrations
from audit.store.plan import PlanRecords
from audit.store.ratings import RatingRecords
from audit.store.visits import VisitRecords
from audit.store.waves import WaveRecords
from audit.store.writequeue import WriteQueue

T = TypeVar("T")


class Store(AuditRecords, CatalogRecords, RatingRecords, VisitRecords, EvidenceRecords, PlanRecords, WaveRecords):
    """All reads and writes of audits. Thread-safe: share one per process."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._statements: dict[tuple[str, ...], Any] = {}
        # SQLite has one writer at a time: this process's writers share group
        # commits, and processes take turns on an flock (see writequeue).
        self._queue = WriteQueue(self.engine, self.engine.url.database) if self.is_sqlite else None
        if migrate:
            self.migrate()

    def close(self) -> None:
        self.engine.dispose()
        if self._queue is not None:
            self._queue.close()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _write(self, work: Callable[[Connection], T]) -> T:
        """PostgreSQL: one transaction per call. SQLite: a group commit (see :mod:`audit.store.writequeue`)."""
        if self._queue is None:
            return run_transaction(self.engine, work)
        return self._queue.submit(work)

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
