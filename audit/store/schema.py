"""Today's tables: what every query of the concern modules reads and writes.

These definitions describe the schema the migrations produce; they never
create anything themselves (see :mod:`audit.store.migrations`). A test builds
a database from these and one by running every migration, and compares them.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
TS = sa.DateTime(timezone=True)

schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("applied_at", TS, nullable=False),
)
audits = sa.Table(
    "audits",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("catalog_id", sa.String(80), nullable=False),
    sa.Column("catalog_name", sa.JSON, nullable=False),
    sa.Column("catalog_description", sa.JSON, nullable=False),
    sa.Column("locations", sa.JSON, nullable=False),
    sa.Column("competitors", sa.JSON, nullable=False),
    sa.Column("wave", sa.Integer, nullable=False, default=1),
    sa.Column("results_shared", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", TS, nullable=False),
    # IANA zone of the deadlines sent to calendars and CRMs; '' means the server's zone.
    sa.Column("time_zone", sa.String(64), nullable=False, server_default=sa.text("''")),
    sa.Column("departments", sa.JSON),  # 007: the departments people pick from when joining (NULL: the defaults)
)
audit_touchpoints = sa.Table(
    "audit_touchpoints",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("touchpoint_id", sa.String(80), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("added_by", sa.String(40)),
    sa.Column("created_at", TS, nullable=False),
)
audit_chains = sa.Table(
    "audit_chains",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("chain_id", sa.String(80), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
)
tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", TS, nullable=False),
    # Team and shopper links are derived from the owner link (see derive_link); this counts their rotations.
    sa.Column("generation", sa.Integer, nullable=False, server_default=sa.text("1")),
)
participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("first_seen_at", TS),  # first opened the audit (004); NULL: invited, not there yet
    sa.Column("department", sa.String(80), nullable=False, server_default=sa.text("''")),  # 007: the job picked when joining
)


def _rating_columns() -> list[sa.Column[object]]:
    """The parts of an answer, shared by the current ratings and their history."""
    return [
        sa.Column("importance", sa.Integer),
        sa.Column("reaction", sa.String(16)),
        sa.Column("presence", sa.String(16)),
        sa.Column("comment", sa.Text, nullable=False, default=""),
        sa.Column("idea", sa.Text, nullable=False, default=""),
        sa.Column("not_applicable", sa.Boolean, nullable=False, default=False),
    ]


ratings = sa.Table(
    "ratings",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("wave", sa.Integer, primary_key=True),
    sa.Column("participant_id", sa.String(40), primary_key=True),
    sa.Column("touchpoint_id", sa.String(80), primary_key=True),
    *_rating_columns(),
    sa.Column("revision", sa.Integer, nullable=False, default=1),
    sa.Column("updated_at", TS, nullable=False),
)
rating_history = sa.Table(
    "rating_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("audit_id", sa.String(40), nullable=False, index=True),
    sa.Column("wave", sa.Integer, nullable=False),
    sa.Column("participant_id", sa.String(40), nullable=False),
    sa.Column("touchpoint_id", sa.String(80), nullable=False),
    *_rating_columns(),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("changed_at", TS, nullable=False),
)
visits = sa.Table(
    "visits",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("wave", sa.Integer, nullable=False),
    sa.Column("shopper_id", sa.String(40), nullable=False),
    sa.Column("target", sa.Text, nullable=False, default=""),
    sa.Column("visited_at", TS, nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("location", sa.Text, nullable=False, default=""),
    sa.Column("scenario", sa.Text, nullable=False, default=""),
    sa.Column("recommend", sa.Integer),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("review_note", sa.Text, nullable=False, default=""),
    sa.Column("updated_at", TS, nullable=False),
)
observations = sa.Table(
    "observations",
    metadata,
    sa.Column("visit_id", sa.Integer, sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("touchpoint_id", sa.String(80), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("reaction", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False, default=""),
    sa.Column("measurement", sa.Float),
    sa.Column("checked", sa.JSON),  # 008: a checklist standard's items met (NULL: not a checklist)
)
photos = sa.Table(
    "photos",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("visit_id", sa.Integer, sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("touchpoint_id", sa.String(80)),
    sa.Column("mime", sa.String(40), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("thumbnail", sa.LargeBinary, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)
competitor_notes = sa.Table(
    "competitor_notes",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("wave", sa.Integer, primary_key=True),
    sa.Column("competitor", sa.String(300), primary_key=True),
    sa.Column("touchpoint_id", sa.String(80), primary_key=True),
    sa.Column("versus", sa.String(16), nullable=False),
    sa.Column("reaction", sa.String(16)),
    sa.Column("borrow", sa.Text, nullable=False, default=""),
    sa.Column("author", sa.Text, nullable=False, default=""),
    sa.Column("updated_at", TS, nullable=False),
)
standards = sa.Table(
    "standards",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("touchpoint_id", sa.String(80), primary_key=True),
    sa.Column("data", sa.JSON),  # NULL: the catalog's default standard is switched off
    sa.Column("updated_at", TS, nullable=False),
)
economics = sa.Table(
    "economics",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("wave", sa.Integer, primary_key=True),  # 008: one row per touchpoint and wave
    sa.Column("touchpoint_id", sa.String(80), primary_key=True),
    sa.Column("spend", sa.Float, nullable=False),
    sa.Column("leads", sa.Integer, nullable=False),
    sa.Column("customers", sa.Integer, nullable=False),
    sa.Column("revenue", sa.Float, nullable=False),
)
# How many customers reached each link of a journey in a wave: the funnel (008).
funnel = sa.Table(
    "funnel",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("wave", sa.Integer, primary_key=True),
    sa.Column("chain_id", sa.String(80), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("touchpoint_id", sa.String(80), nullable=False),
    sa.Column("reached", sa.Integer, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
)
actions = sa.Table(
    "actions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("touchpoint_id", sa.String(80), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("owner", sa.Text, nullable=False, default=""),
    sa.Column("horizon", sa.String(20), nullable=False),
    sa.Column("due", sa.Date),
    sa.Column("standard", sa.Text, nullable=False, default=""),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("priority", sa.Float, nullable=False, default=0.0),
    sa.Column("evidence", sa.Text, nullable=False, default=""),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("position", sa.Integer, nullable=False, default=0),
    sa.Column("suggested", sa.JSON),  # the generated suggestion, kept when edited
    sa.Column("updated_at", TS, nullable=False),
)


# ------------------------------------------------------------------ hand-off to CRMs (audit.handoff)

handoff_connections = sa.Table(
    "handoff_connections",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("target", sa.String(16), primary_key=True),  # bitrix24 | amocrm
    sa.Column("secret", sa.Text, nullable=False),  # Fernet token: webhook URL or token, never in clear
    sa.Column("shown", sa.Text, nullable=False),  # the masked form a page may show
    sa.Column("settings", sa.JSON, nullable=False),  # non-secret choices (task type)
    sa.Column("updated_at", TS, nullable=False),
)
handoff_people = sa.Table(
    "handoff_people",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("target", sa.String(16), primary_key=True),
    sa.Column("owner", sa.String(300), primary_key=True),  # the plan's owner text
    sa.Column("remote_id", sa.String(40), nullable=False),
    sa.Column("remote_name", sa.Text, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
)
handoff_tasks = sa.Table(
    "handoff_tasks",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("target", sa.String(16), primary_key=True),
    sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("state", sa.String(16), nullable=False),  # sending | pushed | failed
    sa.Column("remote_id", sa.String(40)),
    sa.Column("pushed_hash", sa.String(64), nullable=False),
    sa.Column("claim", sa.String(40), nullable=False),  # which push is sending it (state sending)
    sa.Column("claimed_at", TS),
    sa.Column("remote_status", sa.String(16), nullable=False),  # '' | open | done | gone
    sa.Column("remote_done_on", sa.Date),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
)

# ---- the workshop room (004)

# The last answer applied per person, touchpoint and field, with the browser's stamp: saving an
# answer from a browser's outbox is idempotent and an older answer never replaces a newer one.
answer_versions = sa.Table(
    "answer_versions",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("wave", sa.Integer, primary_key=True),
    sa.Column("participant_id", sa.String(40), primary_key=True),
    sa.Column("touchpoint_id", sa.String(80), primary_key=True),
    sa.Column("field", sa.String(16), primary_key=True),
    sa.Column("device", sa.String(40), nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("at", sa.BigInteger, nullable=False),
)
# What the facilitator shares with the room: the touchpoint everyone follows, a countdown, anonymity.
rooms = sa.Table(
    "rooms",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("follow_tp", sa.String(80)),
    sa.Column("follow_n", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("countdown_end", TS),
    sa.Column("anonymous", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("updated_at", TS, nullable=False),
)
discussed = sa.Table(
    "discussed",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("wave", sa.Integer, primary_key=True),
    sa.Column("touchpoint_id", sa.String(80), primary_key=True),
    sa.Column("marked_at", TS, nullable=False),
)
# ---- data versions (005): one counter per audit and writer slot, bumped with every write of what the
# analysis reads; the sum names the data (see audit.store.versions).
data_versions = sa.Table(
    "data_versions",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("writer", sa.String(40), primary_key=True),
    sa.Column("n", sa.BigInteger, nullable=False),
)
# Made by 004 for the live board's first fingerprint (the last history row of an audit); a history lookup by audit.
sa.Index("ix_rating_history_audit_id_id", rating_history.c.audit_id, rating_history.c.id)

# ------------------------------------------------------------------ workspaces: a consultant's portfolio of audits (005)

workspaces = sa.Table(
    "workspaces",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("link_hash", sa.String(64), nullable=False, index=True, unique=True),  # SHA-256 of the workspace link
    sa.Column("generation", sa.Integer, nullable=False),  # 1, then one more per rotation of the link
    sa.Column("public_key", sa.LargeBinary, nullable=False),  # X25519: the audits' owner links are sealed to it
    sa.Column("wrapped_key", sa.LargeBinary, nullable=False),  # its private key, encrypted under the workspace link
    sa.Column("created_at", TS, nullable=False),
)
workspace_audits = sa.Table(
    "workspace_audits",
    metadata,
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("workspace_id", sa.String(40), sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("sealed_owner_link", sa.LargeBinary, nullable=False),  # only the workspace link opens it (audit.store.sealing)
    sa.Column("added_at", TS, nullable=False),
)
