"""The schema's history: small functions applied once each, recorded by name in ``schema_migrations``.

001 writes out the tables exactly as the first release created them, frozen
here (never today's definitions from :mod:`audit.store.schema`); every later
migration transforms that schema one step. A database upgraded step by step
and one built from today's definitions are compared in ``tests/test_migrations.py``.

To change the schema: change :mod:`audit.store.schema`, then append a small
function ``_mNNN_what(conn)`` and its name to :data:`MIGRATIONS`. Never edit,
rename or reorder a migration that has been released: databases out there
have it recorded as applied and will not run it again.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.model import utcnow

# PostgreSQL advisory lock held while migrating: two replicas starting at once migrate once.
MIGRATION_LOCK = 74657201


def _bookkeeping(meta: sa.MetaData) -> sa.Table:
    """The record of applied migrations (frozen: its shape never changes)."""
    return sa.Table(
        "schema_migrations",
        meta,
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )


# ------------------------------------------------------------------ 001: the first release, frozen
#
# As in the first commit that had migrations (e636b79); the Python-side
# defaults of those definitions are left out, as they never reach the database.


def _v1_audits(meta: sa.MetaData, ts: sa.DateTime) -> None:
    sa.Table(
        "audits", meta,
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("catalog_id", sa.String(80), nullable=False),
        sa.Column("catalog_name", sa.JSON, nullable=False),
        sa.Column("catalog_description", sa.JSON, nullable=False),
        sa.Column("locations", sa.JSON, nullable=False),
        sa.Column("competitors", sa.JSON, nullable=False),
        sa.Column("wave", sa.Integer, nullable=False),
        sa.Column("results_shared", sa.Boolean, nullable=False),
        sa.Column("created_at", ts, nullable=False),
    )
    sa.Table(
        "audit_touchpoints", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("touchpoint_id", sa.String(80), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("added_by", sa.String(40)),
        sa.Column("created_at", ts, nullable=False),
    )
    sa.Table(
        "audit_chains", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("chain_id", sa.String(80), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    sa.Table(
        "tokens", meta,
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", ts, nullable=False),
    )
    sa.Table(
        "participants", meta,
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", ts, nullable=False),
    )


def _v1_answer_parts() -> list[sa.Column[object]]:
    return [
        sa.Column("importance", sa.Integer),
        sa.Column("reaction", sa.String(16)),
        sa.Column("presence", sa.String(16)),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("idea", sa.Text, nullable=False),
        sa.Column("not_applicable", sa.Boolean, nullable=False),
    ]


def _v1_ratings(meta: sa.MetaData, ts: sa.DateTime) -> None:
    sa.Table(
        "ratings", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("wave", sa.Integer, primary_key=True),
        sa.Column("participant_id", sa.String(40), primary_key=True),
        sa.Column("touchpoint_id", sa.String(80), primary_key=True),
        *_v1_answer_parts(),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("updated_at", ts, nullable=False),
    )
    sa.Table(
        "rating_history", meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("audit_id", sa.String(40), nullable=False, index=True),
        sa.Column("wave", sa.Integer, nullable=False),
        sa.Column("participant_id", sa.String(40), nullable=False),
        sa.Column("touchpoint_id", sa.String(80), nullable=False),
        *_v1_answer_parts(),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("changed_at", ts, nullable=False),
    )


def _v1_visits(meta: sa.MetaData, ts: sa.DateTime) -> None:
    sa.Table(
        "visits", meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("wave", sa.Integer, nullable=False),
        sa.Column("shopper_id", sa.String(40), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("visited_at", ts, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("scenario", sa.Text, nullable=False),
        sa.Column("recommend", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("review_note", sa.Text, nullable=False),
        sa.Column("updated_at", ts, nullable=False),
    )
    sa.Table(
        "observations", meta,
        sa.Column("visit_id", sa.Integer, sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("touchpoint_id", sa.String(80), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("reaction", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("measurement", sa.Float),
    )
    sa.Table(
        "photos", meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("visit_id", sa.Integer, sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("touchpoint_id", sa.String(80)),
        sa.Column("mime", sa.String(40), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("thumbnail", sa.LargeBinary, nullable=False),
        sa.Column("created_at", ts, nullable=False),
    )


def _v1_evidence(meta: sa.MetaData, ts: sa.DateTime) -> None:
    sa.Table(
        "competitor_notes", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("wave", sa.Integer, primary_key=True),
        sa.Column("competitor", sa.String(300), primary_key=True),
        sa.Column("touchpoint_id", sa.String(80), primary_key=True),
        sa.Column("versus", sa.String(16), nullable=False),
        sa.Column("reaction", sa.String(16)),
        sa.Column("borrow", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("updated_at", ts, nullable=False),
    )
    sa.Table(
        "standards", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("touchpoint_id", sa.String(80), primary_key=True),
        sa.Column("data", sa.JSON),
        sa.Column("updated_at", ts, nullable=False),
    )
    sa.Table(
        "economics", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("touchpoint_id", sa.String(80), primary_key=True),
        sa.Column("spend", sa.Float, nullable=False),
        sa.Column("leads", sa.Integer, nullable=False),
        sa.Column("customers", sa.Integer, nullable=False),
        sa.Column("revenue", sa.Float, nullable=False),
    )


def _v1_actions(meta: sa.MetaData, ts: sa.DateTime) -> None:
    sa.Table(
        "actions", meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("touchpoint_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("horizon", sa.String(20), nullable=False),
        sa.Column("due", sa.Date),
        sa.Column("standard", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("priority", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("suggested", sa.JSON),
        sa.Column("updated_at", ts, nullable=False),
    )


def _m001_initial(conn: Connection) -> None:
    """Create the first release's fourteen tables (a database that already has them is left alone)."""
    meta, ts = sa.MetaData(), sa.DateTime(timezone=True)
    for part in (_v1_audits, _v1_ratings, _v1_visits, _v1_evidence, _v1_actions):
        part(meta, ts)
    meta.create_all(conn, checkfirst=True)


# ------------------------------------------------------------------ later steps


def _m002_link_generations(conn: Connection) -> None:
    """Count the rotations of team and shopper links (they are derived from the owner link and this number)."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("tokens")}
    if "generation" not in columns:  # databases made before 001 was frozen already have it
        conn.execute(sa.text("ALTER TABLE tokens ADD COLUMN generation INTEGER NOT NULL DEFAULT 1"))


def _m003_handoff(conn: Connection) -> None:
    """The audit's time zone, and the hand-off to CRMs: connections (secrets encrypted), people, pushed tasks."""
    if "time_zone" not in {c["name"] for c in sa.inspect(conn).get_columns("audits")}:
        conn.execute(sa.text("ALTER TABLE audits ADD COLUMN time_zone VARCHAR(64) NOT NULL DEFAULT ''"))
    meta, ts = sa.MetaData(), sa.DateTime(timezone=True)
    sa.Table("audits", meta, sa.Column("id", sa.String(40), primary_key=True))
    sa.Table("actions", meta, sa.Column("id", sa.Integer, primary_key=True))

    def audit_key() -> sa.Column[str]:
        return sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True)

    sa.Table(
        "handoff_connections", meta, audit_key(),
        sa.Column("target", sa.String(16), primary_key=True),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("shown", sa.Text, nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("updated_at", ts, nullable=False),
    )
    sa.Table(
        "handoff_people", meta, audit_key(),
        sa.Column("target", sa.String(16), primary_key=True),
        sa.Column("owner", sa.String(300), primary_key=True),
        sa.Column("remote_id", sa.String(40), nullable=False),
        sa.Column("remote_name", sa.Text, nullable=False),
        sa.Column("updated_at", ts, nullable=False),
    )
    sa.Table(
        "handoff_tasks", meta, audit_key(),
        sa.Column("target", sa.String(16), primary_key=True),
        sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("remote_id", sa.String(40)),
        sa.Column("pushed_hash", sa.String(64), nullable=False),
        sa.Column("claim", sa.String(40), nullable=False),
        sa.Column("claimed_at", ts),
        sa.Column("remote_status", sa.String(16), nullable=False),
        sa.Column("remote_done_on", sa.Date),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("updated_at", ts, nullable=False),
    )
    for name in ("handoff_connections", "handoff_people", "handoff_tasks"):
        meta.tables[name].create(conn, checkfirst=True)


def _m004_room(conn: Connection) -> None:
    """The workshop room: answer versions, the facilitator's room, discussed marks, first-opened times.

    People who already answered have evidently opened the audit: their first-opened time is their joining time.
    """
    meta, ts = sa.MetaData(), sa.DateTime(timezone=True)
    sa.Table("audits", meta, sa.Column("id", sa.String(40), primary_key=True))
    sa.Table(
        "answer_versions", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("wave", sa.Integer, primary_key=True),
        sa.Column("participant_id", sa.String(40), primary_key=True),
        sa.Column("touchpoint_id", sa.String(80), primary_key=True),
        sa.Column("field", sa.String(16), primary_key=True),
        sa.Column("device", sa.String(40), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
    )
    sa.Table(
        "rooms", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("follow_tp", sa.String(80)),
        sa.Column("follow_n", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("countdown_end", ts),
        sa.Column("anonymous", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated_at", ts, nullable=False),
    )
    sa.Table(
        "discussed", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("wave", sa.Integer, primary_key=True),
        sa.Column("touchpoint_id", sa.String(80), primary_key=True),
        sa.Column("marked_at", ts, nullable=False),
    )
    for name in ("answer_versions", "rooms", "discussed"):
        meta.tables[name].create(conn, checkfirst=True)
    kind = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "DATETIME"
    conn.execute(sa.text(f"ALTER TABLE participants ADD COLUMN first_seen_at {kind}"))
    conn.execute(sa.text("UPDATE participants SET first_seen_at = created_at WHERE id IN (SELECT participant_id FROM ratings)"))
    conn.execute(sa.text("CREATE INDEX ix_rating_history_audit_id_id ON rating_history (audit_id, id)"))


def _m005_workspaces(conn: Connection) -> None:
    """Workspaces (a consultant's portfolio): the workspace and its link's hash and keys, and which audits are in it."""
    meta, ts = sa.MetaData(), sa.DateTime(timezone=True)
    sa.Table("audits", meta, sa.Column("id", sa.String(40), primary_key=True))
    sa.Table(
        "workspaces", meta,
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("link_hash", sa.String(64), nullable=False, index=True, unique=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("public_key", sa.LargeBinary, nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("created_at", ts, nullable=False),
    )
    sa.Table(
        "workspace_audits", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("workspace_id", sa.String(40), sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("sealed_owner_link", sa.LargeBinary, nullable=False),
        sa.Column("added_at", ts, nullable=False),
    )
    for name in ("workspaces", "workspace_audits"):
        meta.tables[name].create(conn, checkfirst=True)


def _m006_data_versions(conn: Connection) -> None:
    """Data versions: a counter per audit and writer slot, bumped in the same transaction as every write the
    analysis reads (see :mod:`audit.store.versions`). Existing audits start at 0; their next write counts."""
    meta = sa.MetaData()
    sa.Table("audits", meta, sa.Column("id", sa.String(40), primary_key=True))
    sa.Table(
        "data_versions", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("writer", sa.String(40), primary_key=True),
        sa.Column("n", sa.BigInteger, nullable=False),
    )
    meta.tables["data_versions"].create(conn, checkfirst=True)


def _m007_departments(conn: Connection) -> None:
    """People's jobs: the department a person picks when joining, and the audit's own list to pick from (NULL: the defaults)."""
    conn.execute(sa.text("ALTER TABLE participants ADD COLUMN department VARCHAR(80) NOT NULL DEFAULT ''"))
    conn.execute(sa.text("ALTER TABLE audits ADD COLUMN departments JSON"))


def _m008_economics_by_wave(conn: Connection) -> None:
    """Channel economics per wave (the rows so far belong to each audit's current wave), the funnel of a journey,
    and the items a shopper ticked on a checklist standard."""
    meta, ts = sa.MetaData(), sa.DateTime(timezone=True)
    sa.Table("audits", meta, sa.Column("id", sa.String(40), primary_key=True))
    sa.Table(
        "economics_next", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("wave", sa.Integer, primary_key=True),
        sa.Column("touchpoint_id", sa.String(80), primary_key=True),
        sa.Column("spend", sa.Float, nullable=False),
        sa.Column("leads", sa.Integer, nullable=False),
        sa.Column("customers", sa.Integer, nullable=False),
        sa.Column("revenue", sa.Float, nullable=False),
    )
    sa.Table(
        "funnel", meta,
        sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("wave", sa.Integer, primary_key=True),
        sa.Column("chain_id", sa.String(80), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("touchpoint_id", sa.String(80), nullable=False),
        sa.Column("reached", sa.Integer, nullable=False),
        sa.Column("updated_at", ts, nullable=False),
    )
    for name in ("economics_next", "funnel"):
        meta.tables[name].create(conn)
    conn.execute(sa.text(
        "INSERT INTO economics_next (audit_id, wave, touchpoint_id, spend, leads, customers, revenue) "
        "SELECT e.audit_id, a.wave, e.touchpoint_id, e.spend, e.leads, e.customers, e.revenue "
        "FROM economics e JOIN audits a ON a.id = e.audit_id"
    ))
    conn.execute(sa.text("ALTER TABLE observations ADD COLUMN checked JSON"))
    conn.execute(sa.text("DROP TABLE economics"))
    conn.execute(sa.text("ALTER TABLE economics_next RENAME TO economics"))
    if conn.dialect.name == "postgresql":  # constraint names follow the table's name, as if created as economics
        conn.execute(sa.text("ALTER TABLE economics RENAME CONSTRAINT economics_next_pkey TO economics_pkey"))
        conn.execute(sa.text("ALTER TABLE economics RENAME CONSTRAINT economics_next_audit_id_fkey TO economics_audit_id_fkey"))


# Append new migrations at the end; never edit or reorder applied ones.
MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("001_initial", _m001_initial),
    ("002_link_generations", _m002_link_generations),
    ("003_handoff_to_crms", _m003_handoff),
    ("004_room", _m004_room),
    ("005_workspaces", _m005_workspaces),
    ("006_data_versions", _m006_data_versions),
    ("007_departments", _m007_departments),
    ("008_economics_by_wave", _m008_economics_by_wave),
]


def apply_migrations(conn: Connection, *, upto: str | None = None) -> list[str]:
    """Apply pending migrations inside the caller's write transaction; returns the names applied now.

    ``upto`` stops after that migration (tests build old databases with it).
    """
    if conn.dialect.name != "sqlite":
        conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
    record = _bookkeeping(sa.MetaData())
    record.create(conn, checkfirst=True)
    done = set(conn.execute(sa.select(record.c.name)).scalars())
    applied = []
    for name, step in MIGRATIONS:
        if name not in done:
            step(conn)
            conn.execute(record.insert().values(name=name, applied_at=utcnow()))
            applied.append(name)
        if name == upto:
            break
    return applied


def applied_migrations(conn: Connection) -> list[str]:
    record = _bookkeeping(sa.MetaData())
    return list(conn.execute(sa.select(record.c.name).order_by(record.c.name)).scalars())
