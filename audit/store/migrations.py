"""The schema's history: small functions applied once each, recorded by name in ``schema_migrations``.

Append new migrations at the end; never edit or reorder applied ones.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.model import utcnow
from audit.store.schema import (
    actions,
    audit_chains,
    audit_touchpoints,
    audits,
    competitor_notes,
    economics,
    metadata,
    observations,
    participants,
    photos,
    rating_history,
    ratings,
    schema_migrations,
    standards,
    tokens,
    visits,
)

# PostgreSQL advisory lock held while migrating: two replicas starting at once migrate once.
MIGRATION_LOCK = 74657201

V1_TABLES = (
    audits, audit_touchpoints, audit_chains, tokens, participants, ratings, rating_history,
    visits, observations, photos, competitor_notes, standards, economics, actions,
)


def _m001_initial(conn: Connection) -> None:
    metadata.create_all(conn, tables=list(V1_TABLES))


def _m002_link_generations(conn: Connection) -> None:
    columns = {c["name"] for c in sa.inspect(conn).get_columns("tokens")}
    if "generation" not in columns:
        conn.execute(sa.text("ALTER TABLE tokens ADD COLUMN generation INTEGER NOT NULL DEFAULT 1"))


# Append new migrations at the end; never edit or reorder applied ones. 001
# creates its tables as currently defined, so each later migration is written
# to be a no-op on a schema that already has its change.
MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("001_initial", _m001_initial),
    ("002_link_generations", _m002_link_generations),
]


def apply_migrations(conn: Connection) -> list[str]:
    """Apply pending migrations inside the caller's write transaction; returns the names applied now."""
    if conn.dialect.name != "sqlite":
        conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
    schema_migrations.create(conn, checkfirst=True)
    done = set(conn.execute(sa.select(schema_migrations.c.name)).scalars())
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        step(conn)
        conn.execute(schema_migrations.insert().values(name=name, applied_at=utcnow()))
        applied.append(name)
    return applied


def applied_migrations(conn: Connection) -> list[str]:
    return list(conn.execute(sa.select(schema_migrations.c.name).order_by(schema_migrations.c.name)).scalars())
