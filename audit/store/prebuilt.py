"""Statements compiled once to the driver's SQL: the rating save's hot path on PostgreSQL.

Executing a SQLAlchemy statement builds a cache key from the statement's
structure, looks its compiled form up and sets up parameter and result
processing; for the three statements of a rating save (the upsert, the
history row, the data-version bump) that was about a third of the save's
CPU time. Fifty people saving at once in one app process wait on exactly
that CPU (one interpreter lock), so on PostgreSQL, where psycopg takes the
Python values as they are, the statements are compiled once and sent with
the transaction's own DB-API cursor. What SQLAlchemy would add is kept: the
statement runs inside the caller's transaction, a driver error is raised as
SQLAlchemy's ``DBAPIError`` and a dropped connection is invalidated (so the
write is retried on a fresh one, see :func:`audit.store.engine.run_transaction`).
SQLite keeps the compiled path: its dates need SQLAlchemy's converters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError

PSYCOPG = psycopg_dialect()  # the dialect the prebuilt statements are compiled for (named pyformat parameters)


@dataclass(frozen=True, slots=True)
class Prebuilt:
    """One statement as driver SQL with named parameters, the constants compiled into it, and the names of
    the columns it returns (``RETURNING``), in order."""

    sql: str
    fixed: Mapping[str, Any]
    returns: tuple[str, ...] = ()

    @classmethod
    def of(cls, statement: Any, dialect: Dialect = PSYCOPG, column_keys: Sequence[str] | None = None) -> Prebuilt:
        """``statement`` compiled for ``dialect``; ``column_keys`` limits an INSERT to those columns."""
        compiled = statement.compile(dialect=dialect, column_keys=list(column_keys) if column_keys is not None else None)
        if compiled.positional:
            raise ValueError("a prebuilt statement needs named parameters (PostgreSQL with psycopg)")
        returns = tuple(c.name for c in compiled.returning or ())
        return cls(compiled.string, {k: v for k, v in compiled.params.items() if v is not None}, returns)

    def execute(self, conn: Connection, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """Run it in ``conn``'s transaction with ``values`` (every parameter that is not a compiled constant);
        the returned row by column name, if it returns one."""
        params = {**self.fixed, **values}
        proxied = conn.connection
        dbapi = proxied.dbapi_connection
        cursor = proxied.cursor()
        try:
            cursor.execute(self.sql, params)
            row = cursor.fetchone() if self.returns else None
        except conn.dialect.loaded_dbapi.Error as err:
            dropped = conn.dialect.is_disconnect(err, dbapi, cursor)
            if dropped:
                conn.invalidate(err)
            raise DBAPIError.instance(self.sql, params, err, conn.dialect.loaded_dbapi.Error, connection_invalidated=dropped,
                                      dialect=conn.dialect) from err
        finally:
            cursor.close()
        return None if row is None else dict(zip(self.returns, row, strict=True))


def takes_prebuilt(conn: Connection) -> bool:
    """Whether ``conn`` speaks the driver SQL the prebuilt statements are written in (PostgreSQL through psycopg)."""
    return conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"
