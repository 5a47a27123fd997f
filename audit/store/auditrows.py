"""Every row of one audit, in every table that holds audit data: found from the schema, read, erased, written back.

Which tables: ``audits`` (the audit's own row), every table with an
``audit_id`` column, and every table with a foreign key into one of those (a
visit's observations and photos), found by walking
:data:`audit.store.schema.metadata`. A table that another feature adds later
is covered without a change here; ``tests/test_audit_archive.py`` fails when
a table holding audit rows is not found.

Values cross this boundary JSON-ready: text, numbers, booleans, ``None``,
lists and dicts (JSON columns), ISO 8601 text for dates and times (UTC), and
``bytes`` for binary columns (photos). Writing rows back checks every value
against the column it goes into, and that every row belongs to the audit
being written (an archive cannot add rows to another audit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.store.base import Records
from audit.store.errors import StoreError
from audit.store.migrations import applied_migrations
from audit.store.schema import audits, metadata
from audit.store.versions import restart

BATCH = 500


class RowsRefused(StoreError):
    """Rows that cannot be written back as they are; the message names the table, row and column."""


@dataclass(frozen=True)
class AuditTable:
    """A table that holds audit data and the column that ties its rows to the audit."""

    table: sa.Table
    link: sa.Column[Any]  # ``audits.id``, an ``audit_id`` column, or a foreign key into another audit table
    parent: sa.Column[Any] | None = None  # what ``link`` refers to when the table hangs off another audit table

    @property
    def name(self) -> str:
        return self.table.name


@dataclass(frozen=True)
class TableRows:
    """One table's rows of one audit: column names and rows of JSON-ready values (``bytes`` for binary columns)."""

    name: str
    columns: tuple[str, ...]
    rows: Iterable[Sequence[Any]]
    binary: tuple[str, ...] = ()


@dataclass
class WriteReport:
    """What writing an audit's rows did: rows per table, and rows left out because what they point to is not here."""

    written: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)


def _link_of(table: sa.Table, found: dict[str, AuditTable]) -> AuditTable | None:
    if "audit_id" in table.c:
        return AuditTable(table, table.c.audit_id)
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        if fk.column.table.name in found:
            return AuditTable(table, fk.parent, fk.column)
    return None


def audit_tables(meta: sa.MetaData = metadata) -> list[AuditTable]:
    """Every table that holds rows of an audit, each after the tables it refers to (the order to insert)."""
    found: dict[str, AuditTable] = {audits.name: AuditTable(audits, audits.c.id)}
    grew = True
    while grew:
        grew = False
        for table in meta.sorted_tables:
            if table.name not in found and (link := _link_of(table, found)) is not None:
                found[table.name] = link
                grew = True
    return [found[t.name] for t in meta.sorted_tables if t.name in found]


def _belongs(at: AuditTable, audit_id: str, by_name: dict[str, AuditTable]) -> sa.ColumnElement[bool]:
    """The condition that picks this audit's rows of ``at``."""
    if at.parent is None:
        return at.link == audit_id
    owner = by_name[at.parent.table.name]
    return at.link.in_(sa.select(at.parent).where(_belongs(owner, audit_id, by_name)))


# ------------------------------------------------------------------ values


def encode(value: Any) -> Any:
    """A stored value as a JSON-ready one (``bytes`` stay bytes)."""
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _refuse(table: str, row: int, column: str, rule: str) -> RowsRefused:
    return RowsRefused(f"{table}, row {row}, column {column}: {rule}")


def _time(value: Any, kind: type[dt.date], where: tuple[str, int, str]) -> Any:
    if not isinstance(value, str) or len(value) > 40:
        raise _refuse(*where, f"must be a {kind.__name__} in ISO 8601 text")
    try:
        return kind.fromisoformat(value)
    except ValueError:
        raise _refuse(*where, f"{value!r} is not a {kind.__name__} in ISO 8601") from None


def decode(column: sa.Column[Any], value: Any, where: tuple[str, int, str]) -> Any:
    """A JSON-ready value as the column takes it; raises :class:`RowsRefused` naming the table, row and column."""
    kind = column.type
    if value is None:
        if not column.nullable:
            raise _refuse(*where, "must have a value")
        return None
    if isinstance(kind, sa.DateTime):
        return _time(value, dt.datetime, where)
    if isinstance(kind, sa.Date):
        return _time(value, dt.date, where)
    if isinstance(kind, sa.JSON):
        return value
    if isinstance(kind, sa.LargeBinary):
        ok = isinstance(value, bytes)
    elif isinstance(kind, sa.Boolean):
        ok = isinstance(value, bool)
    elif isinstance(kind, sa.Integer):
        ok = isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63
    elif isinstance(kind, sa.Numeric | sa.Float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif isinstance(kind, sa.String):
        ok = isinstance(value, str) and "\x00" not in value and (kind.length is None or len(value) <= kind.length)
    else:
        raise _refuse(*where, f"this version cannot restore a {kind} column")
    if not ok:
        raise _refuse(*where, f"{type(value).__name__} does not fit a {kind} column")
    return value


# ------------------------------------------------------------------ read and erase


def read_audit_rows(conn: Connection, audit_id: str) -> Iterator[TableRows]:
    """Every table's rows of one audit, in insert order (each table's rows streamed, in primary key order)."""
    tables = audit_tables()
    by_name = {at.name: at for at in tables}
    for at in tables:
        columns = tuple(c.name for c in at.table.columns)
        binary = tuple(c.name for c in at.table.columns if isinstance(c.type, sa.LargeBinary))
        query = sa.select(at.table).where(_belongs(at, audit_id, by_name)).order_by(*at.table.primary_key.columns)
        yield TableRows(at.name, columns, _stream(conn, query), binary)


def _stream(conn: Connection, query: sa.Select[Any]) -> Iterator[list[Any]]:
    for row in conn.execution_options(stream_results=True, yield_per=BATCH).execute(query):
        yield [encode(v) for v in row]


def erase_audit_rows(conn: Connection, audit_id: str) -> dict[str, int]:
    """Delete every row of the audit in every audit table (children first); returns rows per table."""
    tables = audit_tables()
    by_name = {at.name: at for at in tables}
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")  # freed pages are overwritten, not left in the file
    counts: dict[str, int] = {}
    for at in reversed(tables):
        counts[at.name] = conn.execute(at.table.delete().where(_belongs(at, audit_id, by_name))).rowcount
    return counts


# ------------------------------------------------------------------ write back


def _batches(rows: Iterable[Sequence[Any]], size: int = BATCH) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class _RowWriter:
    """Writes one audit's tables back in order; ids are kept in an empty table and renumbered otherwise."""

    def __init__(self, conn: Connection, audit_id: str) -> None:
        self.conn = conn
        self.audit_id = audit_id
        self.order = [at.name for at in audit_tables()]
        self.tables = {at.name: at for at in audit_tables()}
        self.referenced = {f"{fk.column.table.name}.{fk.column.name}" for at in self.tables.values() for fk in at.table.foreign_keys}
        self.keys: dict[str, set[Any]] = {}  # values written of columns that audit tables point at
        self.renumbered: dict[str, dict[Any, Any]] = {}  # "table.column": old id -> new id
        self.kept_ids: list[sa.Column[Any]] = []
        self.report = WriteReport()
        self.done: list[str] = []

    def _check_columns(self, at: AuditTable, columns: Sequence[str]) -> None:
        unknown = [c for c in columns if c not in at.table.c]
        if unknown or len(set(columns)) != len(columns):
            raise RowsRefused(f"{at.name}: columns {', '.join(unknown) or '(repeated)'} are not columns of this version's table")
        needed = [
            c.name for c in at.table.columns
            if c.name not in columns and not c.nullable and c.default is None and c.server_default is None
            and c is not at.table.autoincrement_column
        ]
        if needed:
            raise RowsRefused(f"{at.name}: the archive lacks the columns {', '.join(needed)} that this version needs")

    def table(self, dump: TableRows) -> None:
        at = self.tables.get(dump.name)
        if at is None:
            raise RowsRefused(f"{dump.name}: this version has no such table of audit data")
        if self.done and self.order.index(dump.name) <= self.order.index(self.done[-1]):
            raise RowsRefused(f"{dump.name}: tables must come in the order of the schema, each once")
        if not self.done and dump.name != audits.name:
            raise RowsRefused("archive_audit_first")
        self._check_columns(at, dump.columns)
        auto = at.table.autoincrement_column
        renumber = auto is not None and self.conn.execute(sa.select(auto).limit(1)).first() is not None
        row_no = 0
        for batch in _batches(dump.rows):
            placed = []
            for values in batch:
                row_no += 1
                row = self._decode(at, dump.columns, values, row_no)
                if self._place(at, row, row_no):
                    placed.append(row)
                else:
                    self.report.left_out[at.name] = self.report.left_out.get(at.name, 0) + 1
            self._insert(at, placed, auto if renumber else None)
            self.report.written[at.name] = self.report.written.get(at.name, 0) + len(placed)
        if at.name == audits.name and self.report.written.get(at.name) != 1:
            raise RowsRefused("archive_one_audit")
        if auto is not None and not renumber:
            self.kept_ids.append(auto)
        self.done.append(at.name)

    def _decode(self, at: AuditTable, columns: Sequence[str], values: Sequence[Any], row_no: int) -> dict[str, Any]:
        if len(values) != len(columns):
            raise RowsRefused(f"{at.name}, row {row_no}: {len(values)} values for {len(columns)} columns")
        return {name: decode(at.table.c[name], value, (at.name, row_no, name)) for name, value in zip(columns, values, strict=True)}

    def _place(self, at: AuditTable, row: dict[str, Any], row_no: int) -> bool:
        """Point the row's references at what was written; False when it points outside the audit at nothing."""
        if at.parent is None and row.get(at.link.name) != self.audit_id:
            raise RowsRefused(f"{at.name}, row {row_no}: belongs to another audit than {self.audit_id}")
        for fk in at.table.foreign_keys:
            name, target = fk.parent.name, fk.column
            if row.get(name) is None:
                continue
            key = f"{target.table.name}.{target.name}"
            if target.table.name == audits.name:
                if row[name] != self.audit_id:
                    raise RowsRefused(f"{at.name}, row {row_no}, column {name}: points to another audit")
            elif target.table.name in self.tables:
                row[name] = self.renumbered.get(key, {}).get(row[name], row[name])
                if row[name] not in self.keys.get(key, ()):
                    raise RowsRefused(f"{at.name}, row {row_no}, column {name}: points to a {target.table.name} row outside this audit")
            elif self.conn.execute(sa.select(target).where(target == row[name])).first() is None:
                if not fk.parent.nullable:
                    return False
                row[name] = None
        return True

    def _insert(self, at: AuditTable, rows: list[dict[str, Any]], renumber: sa.Column[Any] | None) -> None:
        if not rows:
            return
        try:
            if renumber is None:
                self.conn.execute(at.table.insert(), rows)
            else:
                old = [r.pop(renumber.name) for r in rows]
                new = self.conn.execute(at.table.insert().returning(renumber, sort_by_parameter_order=True), rows).scalars().all()
                self.renumbered.setdefault(f"{at.name}.{renumber.name}", {}).update(zip(old, new, strict=True))
                for r, value in zip(rows, new, strict=True):
                    r[renumber.name] = value
        except sa.exc.DBAPIError as err:
            reason = str(err.orig if err.orig is not None else err).strip().splitlines()[0][:300]
            raise RowsRefused(f"{at.name}: the rows do not fit this database ({reason})") from None
        for column in at.table.columns:
            key = f"{at.name}.{column.name}"
            if key in self.referenced:
                self.keys.setdefault(key, set()).update(r[column.name] for r in rows)

    def finish(self) -> WriteReport:
        """PostgreSQL: move the id sequences of tables whose ids were kept past the ids written."""
        if self.conn.dialect.name != "postgresql":
            return self.report
        quote = self.conn.dialect.identifier_preparer.quote
        for column in self.kept_ids:
            if self.report.written.get(column.table.name):
                self.conn.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence(:t, :c), (SELECT max({quote(column.name)}) FROM {quote(column.table.name)}))"),
                    {"t": column.table.name, "c": column.name},
                )
        return self.report


def write_audit_rows(conn: Connection, audit_id: str, tables: Iterable[TableRows]) -> WriteReport:
    """Write one audit's rows (from :func:`read_audit_rows` or an archive) inside the caller's transaction."""
    writer = _RowWriter(conn, audit_id)
    for dump in tables:
        writer.table(dump)
    if not writer.done:
        raise RowsRefused("archive_no_tables")
    return writer.finish()


class AuditRowRecords(Records):
    """One audit's rows in every audit table: read (inside a unit), erased, written back."""

    def audit_rows(self, audit_id: str) -> Iterator[TableRows]:
        """Every table's rows of the audit; use it inside ``store.unit()`` so all tables come from one snapshot."""
        with self._read() as conn:
            yield from read_audit_rows(conn, audit_id)

    def schema_version(self) -> list[str]:
        """The names of the migrations this database has applied."""
        with self._read() as conn:
            return applied_migrations(conn)

    def erase_audit(self, audit_id: str) -> dict[str, int]:
        """Delete every row of the audit in every audit table, in one transaction; returns rows per table."""
        return self._write(lambda conn: erase_audit_rows(conn, audit_id))

    def write_audit(self, audit_id: str, tables: Iterable[TableRows]) -> WriteReport:
        """Write an audit's rows back, all or nothing (see :func:`write_audit_rows`); its data version moves past
        every earlier one in the same transaction (:func:`audit.store.versions.restart`)."""

        def work(conn: Connection) -> WriteReport:
            report = write_audit_rows(conn, audit_id, tables)
            restart(conn, audit_id)
            return report

        return self._write(work)
