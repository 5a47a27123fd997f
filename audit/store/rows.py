"""Many rows at the driver's pace: a query's rows as the database driver hands them over, in the caller's transaction.

SQLAlchemy wraps every row of a result in a ``Row`` and runs each column's
result processor (SQLite's text dates become ``datetime`` objects one by
one). For the 100,000 ratings of an analysis that costs as much as reading
them, and the analysis turns the rows into columns anyway. So the bulk reads
(:func:`audit.store.ratings.read_rating_table`,
:func:`audit.store.visits.read_visit_table`) compile their SELECT once per
dialect and fetch plain tuples through the DB-API cursor of the same
connection, inside the same transaction: values arrive as the driver gives
them (SQLite: dates as ISO text, booleans as 0/1; PostgreSQL: ``datetime``,
``bool``), and :mod:`audit.columnar` takes them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select


def driver_rows(conn: Connection, query: Select[Any], params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` (with named ``bindparam`` values ``params``) as plain tuples from the driver."""
    compiled = query.compile(dialect=conn.dialect)
    values = compiled.construct_params(dict(params))
    bound: Any = [values[name] for name in compiled.positiontup] if compiled.positional and compiled.positiontup else values
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(compiled.string, bound)
        rows = cast("list[tuple[Any, ...]]", cursor.fetchall())
    finally:
        cursor.close()
    return rows
