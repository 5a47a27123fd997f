"""What every concern module stands on: a read, a write and a dialect's upsert.

Each concern module (audits, catalog copy, ratings, visits, evidence, plan,
waves) is a small class over these primitives. :class:`~audit.store.facade.Store`
gives them their own short transactions; a unit of work gives them one
transaction shared by every call made through it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect

from audit.store.prebuilt import Prebuilt
from audit.store.versions import AUDIT, DataVersion, read_version, touch

if TYPE_CHECKING:
    from audit.store.unit import Unit

T = TypeVar("T")


class Records:
    """The primitives; subclasses decide what a read and a write transaction are."""

    is_sqlite: bool
    dialect: Dialect
    prebuilt: bool = False  # PostgreSQL through psycopg: hot paths send statements prebuilt (audit.store.prebuilt)

    def _read(self) -> AbstractContextManager[Connection]:
        """A connection inside a read transaction."""
        raise NotImplementedError

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a write transaction and return its result (or raise its error)."""
        raise NotImplementedError

    def unit(self, *, write: bool = False, audit_id: str | None = None) -> AbstractContextManager[Unit]:
        """One transaction for several calls (see :mod:`audit.store.unit`)."""
        raise NotImplementedError

    def _write_audit(self, audit_id: str, work: Callable[[Connection], T], *, writer: str = AUDIT) -> T:
        """A write of what the analysis of ``audit_id`` reads: ``work``, then the bump of the audit's data
        version in ``writer``'s slot, in one transaction (see :mod:`audit.store.versions`)."""

        def changed(conn: Connection) -> T:
            out = work(conn)
            touch(conn, audit_id, writer)
            return out

        return self._write(changed)

    def _write_prebuilt(self, statement: Prebuilt, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """A write that is one prebuilt statement (see :mod:`audit.store.prebuilt`); its returned row."""
        return self._write(lambda conn: statement.execute(conn, values))

    def data_version(self, audit_id: str) -> DataVersion:
        """The audit's data version (see :mod:`audit.store.versions`)."""
        with self._read() as conn:
            return read_version(conn, audit_id)

    def _statement(self, key: tuple[str, ...], build: Callable[[], Any]) -> Any:
        """A statement built once per key (hot paths)."""
        return build()

    def _insert(self, table: sa.Table) -> Any:
        """An INSERT that knows ``ON CONFLICT`` in this database's dialect."""
        return sqlite.insert(table) if self.is_sqlite else postgresql.insert(table)
