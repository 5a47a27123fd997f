"""Migrations: a database upgraded from the frozen 001 step by step has exactly today's schema.

Built twice on SQLite and on PostgreSQL: once by running every migration in
turn (each in its own transaction, as a real old database would see them)
and once from today's table definitions; tables, columns (type, nullability,
default), primary keys, indexes, unique constraints and foreign keys must match.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import postgres_schema_url

from audit.store import MIGRATIONS, database_url
from audit.store.engine import make_engine
from audit.store.migrations import apply_migrations
from audit.store.schema import metadata


@pytest.fixture(params=["sqlite", "postgresql"])
def two_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of the same kind."""
    if request.param == "sqlite":
        yield database_url(str(tmp_path / "upgraded.sqlite")), database_url(str(tmp_path / "fresh.sqlite"))
        return
    first, second = postgres_schema_url(), postgres_schema_url()
    try:
        yield next(first), next(second)
    finally:
        first.close()
        second.close()


def describe(engine: sa.Engine) -> dict[str, Any]:
    """Everything about a schema that a query or a constraint could notice."""
    inspector = sa.inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        out[table] = {
            "columns": [
                (c["name"], str(c["type"].compile(dialect=engine.dialect)), c["nullable"], c.get("default"))
                for c in inspector.get_columns(table)
            ],
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
            "foreign keys": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]), (f.get("options") or {}).get("ondelete"))
                for f in inspector.get_foreign_keys(table)
            ),
        }
    return out


def test_upgrading_step_by_step_gives_todays_schema(two_databases: tuple[str, str]) -> None:
    upgraded_url, fresh_url = two_databases
    upgraded, fresh = make_engine(upgraded_url), make_engine(fresh_url)
    try:
        for name, _step in MIGRATIONS:
            with upgraded.connect() as conn, conn.begin():
                assert apply_migrations(conn, upto=name) == [name]
            if name == "001_initial":  # 001 is the first release, not today's definitions
                assert "generation" not in {c["name"] for c in sa.inspect(upgraded).get_columns("tokens")}
        with fresh.connect() as conn, conn.begin():
            metadata.create_all(conn)
        assert describe(upgraded) == describe(fresh)
    finally:
        upgraded.dispose()
        fresh.dispose()


def test_008_keeps_each_audits_economics_as_its_current_wave(two_databases: tuple[str, str]) -> None:
    """Economics entered before waves counted belong to the wave each audit was in; a wave's numbers can then be added."""
    url, _other = two_databases
    engine = make_engine(url)
    try:
        with engine.connect() as conn, conn.begin():
            apply_migrations(conn, upto="007_departments")
            for audit_id, wave in (("au-one", 1), ("au-two", 3)):
                conn.execute(sa.text(
                    "INSERT INTO audits (id, name, language, catalog_id, catalog_name, catalog_description, locations, competitors,"
                    " wave, results_shared, created_at) VALUES (:id, 'A', 'en', 'c', '{}', '{}', '[]', '[]', :wave, false, CURRENT_TIMESTAMP)"
                ), {"id": audit_id, "wave": wave})
                conn.execute(sa.text("INSERT INTO economics VALUES (:id, 'ads', 90000, 54, 12, 108000)"), {"id": audit_id})
        with engine.connect() as conn, conn.begin():
            assert "008_economics_by_wave" in apply_migrations(conn)
            rows = conn.execute(sa.text("SELECT audit_id, wave, touchpoint_id, spend FROM economics ORDER BY audit_id")).all()
            assert [tuple(r) for r in rows] == [("au-one", 1, "ads", 90000), ("au-two", 3, "ads", 90000)]
            conn.execute(sa.text("INSERT INTO economics VALUES ('au-two', 2, 'ads', 1, 1, 1, 1)"))  # another wave, same touchpoint
    finally:
        engine.dispose()
