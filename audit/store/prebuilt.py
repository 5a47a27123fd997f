"""Statements compiled once to the driver's SQL: the rating save's hot path.

Executing a SQLAlchemy statement builds a cache key from the statement's
structure, looks its compiled form up and sets up parameter and result
processing; for a rating save that was most of the save's CPU time, and
fifty people saving at once in one app process wait on exactly that CPU
(one interpreter lock). So the save's statements are compiled once, with
SQLAlchemy's converters of their column types for that database (SQLite's
dates to and from text), and sent with the DB-API cursor. What SQLAlchemy
would add is kept: a statement runs inside the caller's transaction, a
driver error is raised as SQLAlchemy's ``DBAPIError`` and a dropped
connection is invalidated (so the write is retried on a fresh one, see
:func:`audit.store.engine.run_transaction`).

On PostgreSQL a save is ONE statement (the upsert, its history row and the
data-version bump as data-modifying ``WITH`` parts), and
:func:`run_alone` sends it as a transaction of its own in autocommit: one
round trip instead of five (``BEGIN``, three statements, ``COMMIT``), no
SQLAlchemy ``Connection`` around it, on a connection and cursor kept open in
autocommit for such saves (:mod:`audit.store.autocommit`). SQLite has no writing ``WITH``
parts: there a save is three prebuilt statements in the group commit's
transaction (:mod:`audit.store.writequeue`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError

from audit.store.autocommit import AutocommitConnections
from audit.store.engine import retried

PSYCOPG = psycopg_dialect()  # PostgreSQL's prebuilt statements are compiled for it (named pyformat parameters)
SQLITE = sqlite_dialect(paramstyle="named")  # SQLite's, with named parameters (the driver's default is positional)


@dataclass(frozen=True, slots=True)
class Prebuilt:
    """One statement as driver SQL with named parameters, the constants compiled into it, the names of the
    columns it returns (``RETURNING`` or a ``SELECT``'s), in order, and SQLAlchemy's converters of the
    column types for that database (e.g. SQLite's dates to and from text), by parameter and by returned column."""

    sql: str
    fixed: Mapping[str, Any]
    returns: tuple[str, ...] = ()
    converts: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
    loads: tuple[tuple[int, Callable[[Any], Any]], ...] = ()

    @classmethod
    def of(cls, statement: Any, dialect: Dialect = PSYCOPG, column_keys: Sequence[str] | None = None) -> Prebuilt:
        """``statement`` compiled for ``dialect`` (one with named parameters); ``column_keys`` limits an INSERT
        to those columns."""
        compiled = statement.compile(dialect=dialect, column_keys=list(column_keys) if column_keys is not None else None)
        if compiled.positional:
            raise ValueError("a prebuilt statement needs named parameters (e.g. SQLite's 'named' style, psycopg)")
        converts, given = {}, set()  # given: parameters the caller passes (the rest were compiled in)
        for bind, name in compiled.bind_names.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                converts[name] = process
            if bind.required:
                given.add(name)
        fixed = {k: converts[k](v) if k in converts else v for k, v in compiled.params.items() if v is not None and k not in given}
        selected = list(compiled.returning or getattr(statement, "selected_columns", ()))  # RETURNING, or a SELECT's
        loads = []
        for i, column in enumerate(selected):
            load = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if load is not None:
                loads.append((i, load))
        return cls(compiled.string, fixed, tuple(c.name for c in selected),
                   tuple((k, f) for k, f in converts.items() if k not in fixed), tuple(loads))

    def execute(self, conn: Connection, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """Run it in ``conn``'s transaction with ``values`` (every parameter that is not a compiled constant);
        the returned row by column name, if it returns one."""
        return self._send(conn.connection.dbapi_connection, conn.dialect, values, conn.invalidate)

    def _send(self, dbapi: Any, dialect: Dialect, values: Mapping[str, Any],
              invalidate: Callable[[BaseException], None], cursor: Any = None) -> dict[str, Any] | None:
        """Run it on the DB-API connection ``dbapi`` (on ``cursor``, one of its cursors kept open, if given; else on
        a cursor of its own); a driver error becomes SQLAlchemy's, a dropped connection is ``invalidate``-d first."""
        params = {**self.fixed, **values}
        for name, convert in self.converts:
            if name in params:
                params[name] = convert(params[name])
        own = cursor is None
        if own:
            cursor = dbapi.cursor()
        try:
            cursor.execute(self.sql, params)
            row = cursor.fetchone() if self.returns else None
        except dialect.loaded_dbapi.Error as err:
            dropped = dialect.is_disconnect(err, dbapi, cursor)
            if dropped:
                invalidate(err)
            raise DBAPIError.instance(self.sql, params, err, dialect.loaded_dbapi.Error, connection_invalidated=dropped,
                                      dialect=dialect) from err
        finally:
            if own:
                cursor.close()
        if row is None:
            return None
        if self.loads:
            row = list(row)
            for i, load in self.loads:
                row[i] = load(row[i])
        return dict(zip(self.returns, row, strict=True))


def run_alone(connections: AutocommitConnections, statement: Prebuilt, values: Mapping[str, Any]) -> dict[str, Any] | None:
    """``statement`` as a transaction of its own: one round trip on a connection kept in autocommit (PostgreSQL
    commits a single statement whole or not at all), retried like :func:`audit.store.engine.run_transaction`.

    For a write that is one statement (a rating save: the upsert, its history row and the data-version bump in
    one ``WITH``): no ``BEGIN`` and ``COMMIT`` round trips, no SQLAlchemy ``Connection`` around it, and no
    checkout from the pool (see :mod:`audit.store.autocommit`). A connection the server dropped is invalidated
    and the statement sent again on another; one whose statement was interrupted by anything but the
    database's own error is not reused.
    """
    dialect = connections.engine.dialect

    def attempt() -> dict[str, Any] | None:
        kept = connections.take()
        try:
            row = statement._send(kept.dbapi, dialect, values, lambda err: connections.discard(kept, err), kept.cursor)
        except DBAPIError:
            connections.give(kept)  # a refused statement leaves the connection as it was (autocommit, idle)
            raise
        except BaseException:
            connections.discard(kept)
            raise
        connections.give(kept)
        return row

    return retried(attempt)


def speaks_prebuilt(dialect: Dialect) -> bool:
    """Whether ``dialect`` speaks the driver SQL the prebuilt statements are written in (PostgreSQL through psycopg)."""
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def takes_prebuilt(conn: Connection) -> bool:
    """Whether ``conn`` speaks the driver SQL the prebuilt statements are written in."""
    return speaks_prebuilt(conn.dialect)
