"""Units of work: several reads and writes of the concern modules in ONE transaction.

``with store.unit() as tx:`` reads one consistent snapshot (SQLite: one read
transaction; PostgreSQL: ``REPEATABLE READ``, read only), e.g. an audit's whole
analysis input. ``with store.unit(write=True, audit_id=...) as tx:`` is one
write transaction for read-check-write (SQLite: the write turn of this process
and ``BEGIN IMMEDIATE``; PostgreSQL: the audit's row locked ``FOR UPDATE``, so
two such units of one audit run one after the other). Everything made through
``tx`` commits together when the block ends, or not at all if it raises.

Inside a unit, call ``tx``, never the :class:`~audit.store.Store` itself: a
Store write from inside a SQLite write unit would wait for the turn the unit holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.store.auditrows import AuditRowRecords
from audit.store.audits import AuditRecords
from audit.store.catalog_copy import CatalogRecords
from audit.store.errors import StoreError
from audit.store.evidence import EvidenceRecords
from audit.store.handoff import HandoffRecords
from audit.store.health import HealthRecords
from audit.store.plan import PlanRecords
from audit.store.ratings import RatingRecords
from audit.store.room import RoomRecords
from audit.store.schema import audits
from audit.store.visits import VisitRecords
from audit.store.waves import WaveRecords
from audit.store.workspaces import WorkspaceRecords

if TYPE_CHECKING:
    from audit.store.facade import Store

T = TypeVar("T")


class Concerns(
    AuditRecords, CatalogRecords, RatingRecords, RoomRecords, VisitRecords, EvidenceRecords, PlanRecords, WaveRecords,
    HandoffRecords, WorkspaceRecords, AuditRowRecords, HealthRecords,
):
    """Every read and write of the concern modules, on whatever transactions the subclass gives them."""


class Unit(Concerns):
    """The concern modules' methods on one connection inside one transaction (see the module)."""

    def __init__(self, store: Store, conn: Connection, *, write: bool) -> None:
        self.store = store
        self.conn = conn
        self.write = write
        self.is_sqlite = store.is_sqlite
        self.dialect = store.dialect
        self.prebuilt = store.prebuilt

    def _read(self) -> AbstractContextManager[Connection]:
        return nullcontext(self.conn)

    def _write(self, work: Callable[[Connection], T]) -> T:
        if not self.write:
            raise StoreError("read_only_unit")
        with self.conn.begin_nested():  # a caught error undoes only its own write
            return work(self.conn)

    def _statement(self, key: tuple[str, ...], build: Callable[[], Any]) -> Any:
        return self.store._statement(key, build)

    def unit(self, *, write: bool = False, audit_id: str | None = None) -> AbstractContextManager[Unit]:
        """A unit inside a unit is the same unit (a read unit cannot become a write unit)."""
        if write and not self.write:
            raise StoreError("read_only_unit")
        return nullcontext(self)


@contextmanager
def open_unit(store: Store, *, write: bool, audit_id: str | None) -> Iterator[Unit]:
    """The transaction of one unit of work on ``store`` (see the module)."""
    if write and store.is_sqlite:
        with store.write_turn(), store.engine.connect() as conn:
            conn = conn.execution_options(audit_write=True)  # BEGIN IMMEDIATE
            with conn.begin():
                yield Unit(store, conn, write=True)
        return
    with store.engine.connect() as conn:
        if not store.is_sqlite and not write:
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            if write and audit_id is not None and not store.is_sqlite:
                conn.execute(sa.select(audits.c.id).where(audits.c.id == audit_id).with_for_update())
            yield Unit(store, conn, write=write)
