"""Durable storage of audits on SQLAlchemy Core: SQLite by default, PostgreSQL for growth.

Promises:
- every write is one short transaction; on SQLite it takes the write lock up
  front (``BEGIN IMMEDIATE``), waits up to 30 s for a busy database and is then
  retried, so concurrent writers never lose a write;
- a rating is upserted per (audit, wave, participant, touchpoint) and *every*
  change is appended to ``rating_history``: nothing a person entered is lost;
- each audit keeps a frozen copy of its catalog; touchpoints added in a
  workshop join that copy only;
- tokens (links) are stored as SHA-256 hashes, never in clear;
- the schema is versioned: migrations are small functions, recorded by name in
  ``schema_migrations`` and applied on start under a lock, so two app replicas
  starting at once are safe.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import os
import random
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

from audit.catalog import (
    catalog_to_json,
    chain_from_dict,
    chain_to_dict,
    standard_from_dict,
    standard_to_dict,
    touchpoint_from_dict,
    touchpoint_to_dict,
)
from audit.model import (
    MAX_NAME,
    MAX_TEXT,
    Action,
    ActionStatus,
    Audit,
    AuditData,
    Catalog,
    ChannelEconomics,
    CompetitorNote,
    Observation,
    Participant,
    Rating,
    Role,
    ShopperVisit,
    Standard,
    Text,
    Touchpoint,
    ValidationError,
    VisitStatus,
    clean_text,
    utcnow,
)

DEFAULT_DATA_DIR = "data"
DEFAULT_DB_FILE = "touchpoint_audit.sqlite"
T = TypeVar("T")


class StoreError(Exception):
    """A request the store refuses; the message is for the person."""


class NotFound(StoreError):
    pass


def database_url(value: str | None = None) -> str:
    """Turn ``--db`` / ``AUDIT_DATABASE_URL`` into a SQLAlchemy URL.

    A value with ``://`` is a URL; anything else is a path to a SQLite file.
    Nothing at all -> ``$AUDIT_DATA_DIR/touchpoint_audit.sqlite`` (default
    ``./data``).
    """
    value = value or os.environ.get("AUDIT_DATABASE_URL") or ""
    if "://" in value:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value
    if not value:
        folder = Path(os.environ.get("AUDIT_DATA_DIR") or DEFAULT_DATA_DIR)
        value = str(folder / DEFAULT_DB_FILE)
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A link secret: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def derive_link(owner_token: str, role: Role, generation: int) -> str:
    """The team or shopper link of an audit, derived from its owner link.

    HMAC-SHA256 keyed with the owner token: whoever holds the owner link can
    show the team and shopper links again at any time (for the projector), a
    team or shopper link reveals nothing about the owner link, and the
    database holds only hashes of all three.
    """
    message = f"touchpoint-audit/{Role(role).value}/{generation}".encode("ascii")
    digest = hmac.new(owner_token.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_id(nbytes: int = 9) -> str:
    return secrets.token_urlsafe(nbytes).replace("-", "x").replace("_", "y")


# ------------------------------------------------------------------ schema

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
    sa.Column("generation", sa.Integer, nullable=False, server_default="1"),
)
participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("audit_id", sa.String(40), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", TS, nullable=False),
)
def _rating_columns() -> list[sa.Column]:
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
    sa.Column("touchpoint_id", sa.String(80), primary_key=True),
    sa.Column("spend", sa.Float, nullable=False),
    sa.Column("leads", sa.Integer, nullable=False),
    sa.Column("customers", sa.Integer, nullable=False),
    sa.Column("revenue", sa.Float, nullable=False),
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


# ------------------------------------------------------------------ engine


def _is_transient(err: DBAPIError) -> bool:
    text = str(err.orig if err.orig is not None else err).lower()
    return any(
        marker in text
        for marker in ("database is locked", "database is busy", "deadlock detected", "could not serialize", "lock timeout")
    )


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, pool_size=10, max_overflow=40
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("audit_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


class _Job:
    """One queued write for group commit (see :meth:`Store._write`)."""

    __slots__ = ("work", "value", "error", "done", "wakeup")

    def __init__(self, work: Callable[[Connection], Any]) -> None:
        self.work = work
        self.wakeup = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None
        self.done = False

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


@dataclass(frozen=True)
class Access:
    """What a link opens: one audit, one role."""

    audit_id: str
    role: Role


class Store:
    """All reads and writes of audits. Thread-safe: share one per process."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # SQLite has one writer at a time: this process's writers share group
        # commits (see _write), and processes take turns on an flock of a side
        # file instead of SQLite's sleep-and-poll busy handler (long tails).
        self._pending_lock = threading.Lock()
        self._leading = False
        self._pending: list[_Job] = []
        self._statements: dict[tuple[str, ...], Any] = {}
        self._lock_file = None
        if self.is_sqlite and fcntl is not None and self.engine.url.database not in (None, "", ":memory:"):
            self._lock_file = open(f"{self.engine.url.database}.writelock", "a+b")  # noqa: SIM115 - closed in close()
        if migrate:
            self.migrate()

    def close(self) -> None:
        self.engine.dispose()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _file_turn(self) -> Any:
        """On a SQLite file: hold the cross-process write turn (an flock on a side file)."""

        @contextmanager
        def turn() -> Iterator[None]:
            if self._lock_file is None:
                yield
                return
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)

        return turn()

    def _transaction(self, work: Callable[[Connection], T], *, attempts: int = 8) -> T:
        """One write transaction, retried when the database reports it is busy."""
        delay = 0.05
        for attempt in range(1, attempts + 1):
            try:
                with self.engine.connect() as conn, self._file_turn():
                    conn = conn.execution_options(audit_write=True)
                    with conn.begin():
                        return work(conn)
            except DBAPIError as err:
                if attempt == attempts or not _is_transient(err):
                    raise
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a write transaction and return its result (or raise its error).

        PostgreSQL: one transaction per call; the server handles concurrency.

        SQLite allows one writer at a time, so the writers of this process use
        *group commit*: each call queues its work; whoever gets the write turn
        runs every queued work in one transaction, each inside its own
        savepoint (one work's error rolls back only that work), commits once,
        and hands each caller its own result. Under a burst of 50 people saving
        at once this turns 50 commits into a few, and nobody waits behind a
        sleep-and-poll busy handler.
        """
        if not self.is_sqlite:
            return self._transaction(work)
        job = _Job(work)
        with self._pending_lock:
            self._pending.append(job)
            leading = not self._leading
            self._leading = True
        if not leading:
            job.wakeup.wait()
            if job.done:
                return job.outcome()
            # Promoted: the previous leader handed the write turn to this job.
        with self._pending_lock:
            batch, self._pending = self._pending, []
        self._run_batch(batch)
        with self._pending_lock:
            if self._pending:
                self._pending[0].wakeup.set()  # hand the turn to the oldest waiting job
            else:
                self._leading = False
        return job.outcome()

    def _run_batch(self, batch: list["_Job"]) -> None:
        def run_all(conn: Connection) -> None:
            for job in batch:
                job.value, job.error = None, None
                try:
                    with conn.begin_nested():
                        job.value = job.work(conn)
                except Exception as err:  # handed to that job's caller, below
                    job.error = err

        try:
            self._transaction(run_all)
        except BaseException as err:  # the whole transaction failed: every job gets the error
            for job in batch:
                job.value, job.error = None, err
        finally:
            for job in batch:
                job.done = True
                job.wakeup.set()

    def _insert(self, table: sa.Table) -> Any:
        if self.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        return insert(table)

    def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names applied now."""

        def work(conn: Connection) -> list[str]:
            if not self.is_sqlite:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(74657201)"))
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

        return self._write(work)

    def applied_migrations(self) -> list[str]:
        with self._read() as conn:
            return list(conn.execute(sa.select(schema_migrations.c.name).order_by(schema_migrations.c.name)).scalars())

    # -------------------------------------------------------------- audits & links

    def create_audit(
        self,
        name: str,
        catalog: Catalog,
        *,
        language: str = "en",
        locations: Sequence[str] = (),
        competitors: Sequence[str] = (),
    ) -> tuple[Audit, dict[Role, str]]:
        """Create an audit with a frozen copy of ``catalog``; returns it and its three links."""
        audit = Audit(
            id=new_id(), name=name, language=language, catalog_id=catalog.id,
            locations=tuple(locations), competitors=tuple(competitors),
        )
        owner = new_token()
        links = {Role.OWNER: owner, **{role: derive_link(owner, role, 1) for role in (Role.TEAM, Role.SHOPPER)}}
        now = utcnow()

        def work(conn: Connection) -> None:
            conn.execute(
                audits.insert().values(
                    id=audit.id, name=audit.name, language=audit.language, catalog_id=catalog.id,
                    catalog_name=catalog.name.as_dict(),
                    catalog_description=catalog.description.as_dict(),
                    locations=list(audit.locations), competitors=list(audit.competitors),
                    wave=1, results_shared=False, created_at=audit.created_at,
                )
            )
            if catalog.touchpoints:
                conn.execute(
                    audit_touchpoints.insert(),
                    [
                        {"audit_id": audit.id, "touchpoint_id": tp.id, "position": i, "data": touchpoint_to_dict(tp),
                         "added_by": None, "created_at": now}
                        for i, tp in enumerate(catalog.touchpoints)
                    ],
                )
            if catalog.chains:
                conn.execute(
                    audit_chains.insert(),
                    [{"audit_id": audit.id, "chain_id": c.id, "position": i, "data": chain_to_dict(c)}
                     for i, c in enumerate(catalog.chains)],
                )
            conn.execute(
                tokens.insert(),
                [{"token_hash": hash_token(t), "audit_id": audit.id, "role": r.value, "created_at": now, "generation": 1}
                 for r, t in links.items()],
            )

        self._write(work)
        return audit, links

    def get_audit(self, audit_id: str) -> Audit:
        with self._read() as conn:
            row = conn.execute(sa.select(audits).where(audits.c.id == audit_id)).mappings().first()
        if row is None:
            raise NotFound(f"there is no audit {audit_id!r}")
        return _audit_from_row(row)

    def list_audits(self) -> list[Audit]:
        with self._read() as conn:
            rows = conn.execute(sa.select(audits).order_by(audits.c.created_at)).mappings().all()
        return [_audit_from_row(r) for r in rows]

    def update_audit(self, audit: Audit) -> Audit:
        def work(conn: Connection) -> None:
            result = conn.execute(
                audits.update().where(audits.c.id == audit.id).values(
                    name=audit.name, language=audit.language, locations=list(audit.locations),
                    competitors=list(audit.competitors), wave=audit.wave, results_shared=audit.results_shared,
                )
            )
            if result.rowcount == 0:
                raise NotFound(f"there is no audit {audit.id!r}")

        self._write(work)
        return audit

    def resolve_token(self, token: str | None) -> Access | None:
        """The audit and role a link opens, or ``None`` for any unknown, rotated or malformed token."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return None
        with self._read() as conn:
            row = conn.execute(
                sa.select(tokens.c.audit_id, tokens.c.role).where(tokens.c.token_hash == hash_token(token))
            ).first()
        return Access(row.audit_id, Role(row.role)) if row else None

    def rotate_token(self, audit_id: str, role: Role, owner_token: str | None = None) -> str:
        """Replace the link of ``role``; the old one stops working at once. Returns the new link.

        Rotating the *owner* link also replaces the team and shopper links
        (they are derived from it). A team or shopper link is derived from
        ``owner_token`` when given (so it can be shown again later), otherwise
        it is a fresh random token that only this answer knows.
        """
        role = Role(role)

        def work(conn: Connection) -> str:
            if conn.execute(sa.select(audits.c.id).where(audits.c.id == audit_id)).first() is None:
                raise NotFound(f"there is no audit {audit_id!r}")
            rows = {
                Role(r.role): r
                for r in conn.execute(sa.select(tokens.c.role, tokens.c.token_hash, tokens.c.generation).where(tokens.c.audit_id == audit_id))
            }
            now = utcnow()

            def replace(which: Role, value: str, generation: int) -> None:
                conn.execute(tokens.delete().where(tokens.c.audit_id == audit_id, tokens.c.role == which.value))
                conn.execute(
                    tokens.insert().values(token_hash=hash_token(value), audit_id=audit_id, role=which.value, created_at=now, generation=generation)
                )

            if role is Role.OWNER:
                owner = new_token()
                replace(Role.OWNER, owner, 1)
                for other in (Role.TEAM, Role.SHOPPER):
                    generation = (rows[other].generation if other in rows else 0) + 1
                    replace(other, derive_link(owner, other, generation), generation)
                return owner
            generation = (rows[role].generation if role in rows else 0) + 1
            if owner_token is not None and Role.OWNER in rows and rows[Role.OWNER].token_hash == hash_token(owner_token):
                value = derive_link(owner_token, role, generation)
            else:
                value = new_token()
            replace(role, value, generation)
            return value

        return self._write(work)

    def links(self, owner_token: str | None) -> dict[Role, str]:
        """All links of the audit that ``owner_token`` owns ({} for any other token).

        Team and shopper links are re-derived from the owner link; one that
        was replaced by a random token (rotated without the owner link) is left out.
        """
        access = self.resolve_token(owner_token)
        if access is None or access.role is not Role.OWNER or owner_token is None:
            return {}
        with self._read() as conn:
            rows = conn.execute(
                sa.select(tokens.c.role, tokens.c.token_hash, tokens.c.generation).where(tokens.c.audit_id == access.audit_id)
            ).all()
        out = {Role.OWNER: owner_token}
        for row in rows:
            role = Role(row.role)
            if role is Role.OWNER:
                continue
            value = derive_link(owner_token, role, row.generation)
            if hash_token(value) == row.token_hash:
                out[role] = value
        return out

    # -------------------------------------------------------------- catalog copy

    def catalog(self, audit_id: str) -> Catalog:
        """The audit's own frozen catalog, with touchpoints added in the workshop."""
        with self._read() as conn:
            return self._catalog(conn, audit_id)

    def catalog_version(self, audit_id: str) -> str:
        """A cheap fingerprint of the audit's catalog copy (changes when a touchpoint is added).

        Lets the app cache the parsed catalog and still see workshop additions at once.
        """
        with self._read() as conn:
            count, last = conn.execute(
                sa.select(sa.func.count(), sa.func.max(audit_touchpoints.c.position)).where(audit_touchpoints.c.audit_id == audit_id)
            ).one()
        return f"{count}:{last}"

    def _catalog(self, conn: Connection, audit_id: str) -> Catalog:
        head = conn.execute(
            sa.select(audits.c.catalog_id, audits.c.catalog_name, audits.c.catalog_description).where(audits.c.id == audit_id)
        ).first()
        if head is None:
            raise NotFound(f"there is no audit {audit_id!r}")
        tps = conn.execute(
            sa.select(audit_touchpoints.c.data).where(audit_touchpoints.c.audit_id == audit_id).order_by(audit_touchpoints.c.position)
        ).scalars()
        chains = conn.execute(
            sa.select(audit_chains.c.data).where(audit_chains.c.audit_id == audit_id).order_by(audit_chains.c.position)
        ).scalars()
        return Catalog(
            head.catalog_id, Text.of(head.catalog_name, "name"), tuple(touchpoint_from_dict(d) for d in tps),
            tuple(chain_from_dict(d) for d in chains), Text.of(head.catalog_description, "description", limit=20_000),
        )

    def add_touchpoint(self, audit_id: str, touchpoint: Touchpoint, added_by: str | None = None) -> Touchpoint:
        """Add a touchpoint to this audit's catalog (a brainstorm addition)."""
        tp = dataclasses.replace(touchpoint, added_by_team=True)

        def work(conn: Connection) -> None:
            if conn.execute(sa.select(audits.c.id).where(audits.c.id == audit_id)).first() is None:
                raise NotFound(f"there is no audit {audit_id!r}")
            exists = conn.execute(
                sa.select(audit_touchpoints.c.touchpoint_id).where(
                    audit_touchpoints.c.audit_id == audit_id, audit_touchpoints.c.touchpoint_id == tp.id
                )
            ).first()
            if exists:
                raise StoreError(f"this audit already has a touchpoint with id {tp.id!r}")
            position = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(audit_touchpoints.c.position), -1)).where(audit_touchpoints.c.audit_id == audit_id)
            ).scalar_one()
            conn.execute(
                audit_touchpoints.insert().values(
                    audit_id=audit_id, touchpoint_id=tp.id, position=position + 1, data=touchpoint_to_dict(tp),
                    added_by=added_by, created_at=utcnow(),
                )
            )

        self._write(work)
        return tp

    # -------------------------------------------------------------- participants

    def add_participant(self, audit_id: str, name: str, role: Role = Role.TEAM) -> Participant:
        person = Participant(new_id(12), audit_id, name, role)

        def work(conn: Connection) -> None:
            if conn.execute(sa.select(audits.c.id).where(audits.c.id == audit_id)).first() is None:
                raise NotFound(f"there is no audit {audit_id!r}")
            conn.execute(
                participants.insert().values(id=person.id, audit_id=audit_id, name=person.name, role=person.role.value, created_at=utcnow())
            )

        self._write(work)
        return person

    def participant(self, audit_id: str, participant_id: str | None) -> Participant | None:
        """The person with this id *in this audit* (ids of other audits are not found)."""
        if not participant_id or len(participant_id) > 60:
            return None
        with self._read() as conn:
            row = conn.execute(
                sa.select(participants).where(participants.c.id == participant_id, participants.c.audit_id == audit_id)
            ).mappings().first()
        return Participant(row["id"], row["audit_id"], row["name"], Role(row["role"])) if row else None

    def participants(self, audit_id: str) -> list[Participant]:
        with self._read() as conn:
            rows = conn.execute(
                sa.select(participants).where(participants.c.audit_id == audit_id).order_by(participants.c.created_at, participants.c.id)
            ).mappings().all()
        return [Participant(r["id"], r["audit_id"], r["name"], Role(r["role"])) for r in rows]

    # -------------------------------------------------------------- ratings

    def _rating_upsert(self, chosen: tuple[str, ...]) -> Any:
        """The upsert statement for one set of changed parts, built once (it is the hot path)."""
        cached = self._statements.get(chosen)
        if cached is None:
            stmt = self._insert(ratings)
            update = {name: stmt.excluded[name] for name in chosen}
            update["revision"] = ratings.c.revision + 1
            update["updated_at"] = stmt.excluded.updated_at
            index = ["audit_id", "wave", "participant_id", "touchpoint_id"]
            cached = stmt.on_conflict_do_update(index_elements=index, set_=update).returning(*ratings.c)
            self._statements[chosen] = cached
        return cached

    def save_rating(self, rating: Rating, *, fields: Sequence[str] | None = None) -> Rating:
        """Upsert one rating and append the change to the history.

        ``fields`` names the parts this save changes (e.g. ``["importance"]``);
        the other parts keep what is stored, so two devices of one person that
        change different parts at once do not overwrite each other. ``None``
        writes every part.
        """
        chosen = tuple(RATING_PARTS if fields is None else dict.fromkeys(fields))
        for name in chosen:
            if name not in RATING_PARTS:
                raise ValidationError("fields", name, f"must be some of: {', '.join(RATING_PARTS)}")
        now = utcnow()
        key = {"audit_id": rating.audit_id, "wave": rating.wave, "participant_id": rating.participant_id, "touchpoint_id": rating.touchpoint_id}
        params = {**key, **_rating_values(rating), "revision": 1, "updated_at": now}
        upsert = self._rating_upsert(chosen)
        history = rating_history.insert()

        def work(conn: Connection) -> Rating:
            row = conn.execute(upsert, params).mappings().one()
            conn.execute(history, {**key, **{p: row[p] for p in RATING_PARTS}, "revision": row["revision"], "changed_at": now})
            return _rating_from_row(row)

        return self._write(work)

    def ratings(self, audit_id: str, wave: int | None = None, participant_id: str | None = None) -> list[Rating]:
        query = sa.select(ratings).where(ratings.c.audit_id == audit_id)
        if wave is not None:
            query = query.where(ratings.c.wave == wave)
        if participant_id is not None:
            query = query.where(ratings.c.participant_id == participant_id)
        with self._read() as conn:
            rows = conn.execute(query.order_by(ratings.c.participant_id, ratings.c.touchpoint_id)).mappings().all()
        return [_rating_from_row(r) for r in rows]

    def rating_history(self, audit_id: str, participant_id: str | None = None, touchpoint_id: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(rating_history).where(rating_history.c.audit_id == audit_id)
        if participant_id is not None:
            query = query.where(rating_history.c.participant_id == participant_id)
        if touchpoint_id is not None:
            query = query.where(rating_history.c.touchpoint_id == touchpoint_id)
        with self._read() as conn:
            return [dict(r) for r in conn.execute(query.order_by(rating_history.c.id)).mappings()]

    # -------------------------------------------------------------- shopper visits

    def save_visit(self, visit: ShopperVisit) -> ShopperVisit:
        """Create (``id is None``) or update a visit with its observations.

        A visit that was submitted, accepted or rejected is not changed by its
        shopper any more; only a draft or one sent back for revision is.
        """
        audit = self.get_audit(visit.audit_id)
        if visit.target and visit.target not in audit.competitors:
            raise ValidationError("target", visit.target, "is not one of this audit's competitors")
        known = {tp.id for tp in self.catalog(visit.audit_id).touchpoints}
        for obs in visit.observations:
            if obs.touchpoint_id not in known:
                raise ValidationError("touchpoint", obs.touchpoint_id, "is not in this audit's catalog")
        now = utcnow()
        values = {
            "audit_id": visit.audit_id, "wave": visit.wave, "shopper_id": visit.shopper_id, "target": visit.target,
            "visited_at": visit.visited_at, "channel": visit.channel.value, "location": visit.location,
            "scenario": visit.scenario, "recommend": visit.recommend, "status": visit.status.value,
            "review_note": visit.review_note, "updated_at": now,
        }

        def work(conn: Connection) -> int:
            if visit.id is None:
                visit_id = conn.execute(visits.insert().values(**values).returning(visits.c.id)).scalar_one()
            else:
                current = conn.execute(
                    sa.select(visits.c.status, visits.c.shopper_id, visits.c.audit_id).where(visits.c.id == visit.id)
                ).first()
                if current is None or current.audit_id != visit.audit_id or current.shopper_id != visit.shopper_id:
                    raise NotFound("there is no such visit of yours")
                if current.status not in (VisitStatus.DRAFT.value, VisitStatus.REVISION.value):
                    raise StoreError("this visit was already submitted and can no longer be changed")
                conn.execute(visits.update().where(visits.c.id == visit.id).values(**values))
                conn.execute(observations.delete().where(observations.c.visit_id == visit.id))
                visit_id = visit.id
            if visit.observations:
                conn.execute(
                    observations.insert(),
                    [
                        {"visit_id": visit_id, "touchpoint_id": o.touchpoint_id, "position": i, "reaction": o.reaction.value,
                         "text": o.text, "measurement": o.measurement}
                        for i, o in enumerate(visit.observations)
                    ],
                )
            return visit_id

        visit_id = self._write(work)
        return dataclasses.replace(visit, id=visit_id)

    def review_visit(self, audit_id: str, visit_id: int, status: VisitStatus, note: str = "") -> None:
        """Owner's decision on a submitted visit: accept, reject or send back for revision."""
        status = VisitStatus(status)
        if status not in (VisitStatus.ACCEPTED, VisitStatus.REJECTED, VisitStatus.REVISION):
            raise ValidationError("status", status.value, "must be accepted, rejected or revision")
        if status is VisitStatus.REJECTED and not note.strip():
            raise ValidationError("review_note", note, "a rejection needs a reason")

        def work(conn: Connection) -> None:
            current = conn.execute(sa.select(visits.c.status).where(visits.c.id == visit_id, visits.c.audit_id == audit_id)).first()
            if current is None:
                raise NotFound(f"there is no visit {visit_id} in this audit")
            if current.status == VisitStatus.DRAFT.value:
                raise StoreError("a draft cannot be reviewed before the shopper submits it")
            conn.execute(visits.update().where(visits.c.id == visit_id).values(status=status.value, review_note=note.strip(), updated_at=utcnow()))

        self._write(work)

    def visits(self, audit_id: str, *, shopper_id: str | None = None, wave: int | None = None) -> list[ShopperVisit]:
        query = sa.select(visits).where(visits.c.audit_id == audit_id)
        if shopper_id is not None:
            query = query.where(visits.c.shopper_id == shopper_id)
        if wave is not None:
            query = query.where(visits.c.wave == wave)
        with self._read() as conn:
            rows = conn.execute(query.order_by(visits.c.visited_at, visits.c.id)).mappings().all()
            ids = [r["id"] for r in rows]
            obs: dict[int, list[Observation]] = {i: [] for i in ids}
            if ids:
                for o in conn.execute(
                    sa.select(observations).where(observations.c.visit_id.in_(ids)).order_by(observations.c.visit_id, observations.c.position)
                ).mappings():
                    obs[o["visit_id"]].append(Observation(o["touchpoint_id"], o["reaction"], o["text"], o["measurement"]))
        return [_visit_from_row(r, obs[r["id"]]) for r in rows]

    def add_photo(self, visit_id: int, mime: str, data: bytes, thumbnail: bytes, touchpoint_id: str | None = None) -> int:
        def work(conn: Connection) -> int:
            return conn.execute(
                photos.insert().values(visit_id=visit_id, touchpoint_id=touchpoint_id, mime=mime, data=data, thumbnail=thumbnail, created_at=utcnow()).returning(photos.c.id)
            ).scalar_one()

        return self._write(work)

    def photos(self, visit_id: int) -> list[dict[str, Any]]:
        with self._read() as conn:
            return [dict(r) for r in conn.execute(sa.select(photos).where(photos.c.visit_id == visit_id).order_by(photos.c.id)).mappings()]

    def photo_thumbnails(self, visit_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        """Thumbnails only (``id``, ``visit_id``, ``touchpoint_id``, ``thumbnail``) per visit: never the full pictures."""
        out: dict[int, list[dict[str, Any]]] = {int(v): [] for v in visit_ids}
        if not out:
            return out
        query = sa.select(photos.c.id, photos.c.visit_id, photos.c.touchpoint_id, photos.c.thumbnail).where(
            photos.c.visit_id.in_(list(out))
        )
        with self._read() as conn:
            for row in conn.execute(query.order_by(photos.c.visit_id, photos.c.id)).mappings():
                out[row["visit_id"]].append(dict(row))
        return out

    def delete_photo(self, visit_id: int, photo_id: int) -> None:
        """Remove a photo from a visit that is still a draft (or sent back for revision)."""

        def work(conn: Connection) -> None:
            status = conn.execute(sa.select(visits.c.status).where(visits.c.id == visit_id)).scalar_one_or_none()
            if status not in (VisitStatus.DRAFT.value, VisitStatus.REVISION.value):
                raise StoreError("this visit was already submitted and can no longer be changed")
            result = conn.execute(photos.delete().where(photos.c.id == photo_id, photos.c.visit_id == visit_id))
            if result.rowcount == 0:
                raise NotFound("there is no such photo in this visit")

        self._write(work)

    # -------------------------------------------------------------- competitors, standards, money

    def save_competitor_note(self, note: CompetitorNote) -> CompetitorNote:
        audit = self.get_audit(note.audit_id)
        if note.competitor not in audit.competitors:
            raise ValidationError("competitor", note.competitor, "is not one of this audit's competitors")
        key = {"audit_id": note.audit_id, "wave": note.wave, "competitor": note.competitor, "touchpoint_id": note.touchpoint_id}
        values = {"versus": note.versus.value, "reaction": note.reaction.value if note.reaction else None,
                  "borrow": note.borrow, "author": note.author, "updated_at": utcnow()}

        def work(conn: Connection) -> None:
            stmt = self._insert(competitor_notes).values(**key, **values)
            conn.execute(stmt.on_conflict_do_update(index_elements=list(key), set_={k: stmt.excluded[k] for k in values}))

        self._write(work)
        return note

    def competitor_notes(self, audit_id: str, wave: int | None = None) -> list[CompetitorNote]:
        query = sa.select(competitor_notes).where(competitor_notes.c.audit_id == audit_id)
        if wave is not None:
            query = query.where(competitor_notes.c.wave == wave)
        with self._read() as conn:
            rows = conn.execute(query.order_by(competitor_notes.c.competitor, competitor_notes.c.touchpoint_id)).mappings().all()
        return [
            CompetitorNote(r["audit_id"], r["competitor"], r["touchpoint_id"], r["versus"], r["reaction"], r["borrow"], r["author"], r["wave"])
            for r in rows
        ]

    def set_standard(self, audit_id: str, touchpoint_id: str, standard: Standard | None) -> None:
        """Set this audit's standard for a touchpoint; ``None`` switches it off."""
        key = {"audit_id": audit_id, "touchpoint_id": touchpoint_id}
        data = standard_to_dict(standard) if standard else None

        def work(conn: Connection) -> None:
            stmt = self._insert(standards).values(**key, data=data, updated_at=utcnow())
            conn.execute(stmt.on_conflict_do_update(index_elements=list(key), set_={"data": stmt.excluded.data, "updated_at": stmt.excluded.updated_at}))

        self._write(work)

    def standards(self, audit_id: str) -> dict[str, Standard]:
        """Effective standards: the catalog's defaults, overridden by this audit's own."""
        with self._read() as conn:
            return self._standards(conn, audit_id, self._catalog(conn, audit_id))

    def _standards(self, conn: Connection, audit_id: str, catalog: Catalog) -> dict[str, Standard]:
        out = {tp.id: tp.standard for tp in catalog.touchpoints if tp.standard is not None}
        for row in conn.execute(sa.select(standards).where(standards.c.audit_id == audit_id)).mappings():
            if row["data"] is None:
                out.pop(row["touchpoint_id"], None)
            else:
                out[row["touchpoint_id"]] = standard_from_dict(row["data"])
        return out

    def save_economics(self, audit_id: str, item: ChannelEconomics) -> None:
        key = {"audit_id": audit_id, "touchpoint_id": item.touchpoint_id}
        values = {"spend": item.spend, "leads": item.leads, "customers": item.customers, "revenue": item.revenue}

        def work(conn: Connection) -> None:
            stmt = self._insert(economics).values(**key, **values)
            conn.execute(stmt.on_conflict_do_update(index_elements=list(key), set_={k: stmt.excluded[k] for k in values}))

        self._write(work)

    def economics(self, audit_id: str) -> list[ChannelEconomics]:
        with self._read() as conn:
            rows = conn.execute(sa.select(economics).where(economics.c.audit_id == audit_id).order_by(economics.c.touchpoint_id)).mappings().all()
        return [ChannelEconomics(r["touchpoint_id"], r["spend"], r["leads"], r["customers"], r["revenue"]) for r in rows]

    # -------------------------------------------------------------- plan

    def replace_actions(self, audit_id: str, items: Sequence[Action]) -> list[Action]:
        """Store a whole plan at once (e.g. the first generated plan)."""
        now = utcnow()

        def work(conn: Connection) -> None:
            conn.execute(actions.delete().where(actions.c.audit_id == audit_id))
            if items:
                conn.execute(actions.insert(), [_action_values(a, audit_id, i, now) for i, a in enumerate(items)])

        self._write(work)
        return self.actions(audit_id)

    def save_action(self, action: Action) -> Action:
        now = utcnow()

        def work(conn: Connection) -> int:
            values = _action_values(action, action.audit_id, action.position, now)
            if action.id is None:
                return conn.execute(actions.insert().values(**values).returning(actions.c.id)).scalar_one()
            values.pop("suggested")
            result = conn.execute(actions.update().where(actions.c.id == action.id, actions.c.audit_id == action.audit_id).values(**values))
            if result.rowcount == 0:
                raise NotFound(f"there is no action {action.id} in this audit")
            return action.id

        return dataclasses.replace(action, id=self._write(work))

    def delete_action(self, audit_id: str, action_id: int) -> None:
        self._write(lambda conn: conn.execute(actions.delete().where(actions.c.id == action_id, actions.c.audit_id == audit_id)))

    def actions(self, audit_id: str) -> list[Action]:
        with self._read() as conn:
            rows = conn.execute(
                sa.select(actions).where(actions.c.audit_id == audit_id).order_by(actions.c.position, actions.c.id)
            ).mappings().all()
        return [_action_from_row(r) for r in rows]

    def suggested_action(self, audit_id: str, action_id: int) -> dict[str, Any] | None:
        with self._read() as conn:
            return conn.execute(
                sa.select(actions.c.suggested).where(actions.c.id == action_id, actions.c.audit_id == audit_id)
            ).scalar_one_or_none()

    def suggestions(self, audit_id: str) -> dict[int, dict[str, Any] | None]:
        """The generated suggestion kept for every action of the plan (``None``: added by a person)."""
        with self._read() as conn:
            rows = conn.execute(sa.select(actions.c.id, actions.c.suggested).where(actions.c.audit_id == audit_id)).all()
        return {row.id: row.suggested for row in rows}

    def create_plan_once(self, audit_id: str, items: Sequence[Action]) -> list[Action]:
        """Store a generated plan only if the audit has no plan yet; returns the stored plan.

        Two people opening the plan at the same moment store it once.
        """
        now = utcnow()

        def work(conn: Connection) -> None:
            if conn.execute(sa.select(audits.c.id).where(audits.c.id == audit_id)).first() is None:
                raise NotFound(f"there is no audit {audit_id!r}")
            if conn.execute(sa.select(actions.c.id).where(actions.c.audit_id == audit_id).limit(1)).first() is None and items:
                conn.execute(actions.insert(), [_action_values(a, audit_id, i, now) for i, a in enumerate(items)])

        self._write(work)
        return self.actions(audit_id)

    def edit_actions(self, audit_id: str, *, save: Sequence[Action] = (), delete: Sequence[int] = ()) -> list[Action]:
        """Save (``id is None``: add), and delete actions of one audit in ONE transaction: all or nothing.

        An edited action keeps its generated suggestion. An id that is not an
        action of this audit refuses the whole edit (:class:`NotFound`).
        """
        now = utcnow()

        def work(conn: Connection) -> None:
            for action_id in delete:
                result = conn.execute(actions.delete().where(actions.c.id == action_id, actions.c.audit_id == audit_id))
                if result.rowcount == 0:
                    raise NotFound(f"there is no action {action_id} in this audit any more")
            for action in save:
                values = _action_values(action, audit_id, action.position, now)
                if action.id is None:
                    conn.execute(actions.insert().values(**values))
                    continue
                values.pop("suggested")
                result = conn.execute(actions.update().where(actions.c.id == action.id, actions.c.audit_id == audit_id).values(**values))
                if result.rowcount == 0:
                    raise NotFound(f"there is no action {action.id} in this audit any more")

        self._write(work)
        return self.actions(audit_id)

    def apply_action_changes(self, audit_id: str, items: Sequence[tuple[int, Mapping[str, Any], Mapping[str, Any]]]) -> None:
        """Apply ``(action_id, before, after)`` changes of status, owner, due and notes in ONE transaction.

        Every action must still exist and still hold its ``before`` values
        (nobody changed it since the preview); otherwise nothing is applied
        and :class:`StoreError` says why.
        """
        allowed = {"status", "owner", "due", "notes"}
        now = utcnow()
        checked = []
        for action_id, before, after in items:
            unknown = (set(before) | set(after)) - allowed
            if unknown:
                raise ValidationError("fields", sorted(unknown), "only status, owner, due and notes can be changed this way")
            values: dict[str, Any] = {}
            for name, value in after.items():
                if name == "status":
                    values[name] = ActionStatus(value).value
                elif name == "due":
                    if value is not None and not isinstance(value, dt.date):
                        raise ValidationError("due", value, "must be a date")
                    values[name] = value
                else:
                    values[name] = clean_text(value, name, limit=MAX_NAME if name == "owner" else MAX_TEXT)
            checked.append((int(action_id), dict(before), values))

        def work(conn: Connection) -> None:
            for action_id, before, values in checked:
                row = conn.execute(sa.select(actions).where(actions.c.id == action_id, actions.c.audit_id == audit_id)).mappings().first()
                if row is None:
                    raise StoreError(f"action {action_id} is no longer in the plan; nothing was applied")
                for name, value in before.items():
                    if (row[name] or None) != (getattr(value, "value", value) or None):
                        raise StoreError(f"action {action_id} was changed in the app after the preview; nothing was applied")
                conn.execute(actions.update().where(actions.c.id == action_id).values(**values, updated_at=now))

        self._write(work)

    def set_results_shared(self, audit_id: str, shared: bool) -> Audit:
        """Let the team link see the results page (read-only), or stop it."""

        def work(conn: Connection) -> None:
            result = conn.execute(audits.update().where(audits.c.id == audit_id).values(results_shared=bool(shared)))
            if result.rowcount == 0:
                raise NotFound(f"there is no audit {audit_id!r}")

        self._write(work)
        return self.get_audit(audit_id)

    def start_next_wave(self, audit_id: str, current: int) -> Audit:
        """Move the audit from wave ``current`` to the next one (refused if another wave was started meanwhile).

        The catalog copy, the links and the plan stay; the new wave's
        ratings, visits and competitor notes start empty.
        """

        def work(conn: Connection) -> None:
            result = conn.execute(
                audits.update().where(audits.c.id == audit_id, audits.c.wave == current).values(wave=current + 1)
            )
            if result.rowcount == 0:
                if conn.execute(sa.select(audits.c.id).where(audits.c.id == audit_id)).first() is None:
                    raise NotFound(f"there is no audit {audit_id!r}")
                raise StoreError(f"wave {current + 1} was already started")

        self._write(work)
        return self.get_audit(audit_id)

    def wave_counts(self, audit_id: str) -> dict[int, dict[str, int]]:
        """Per wave: ratings, people who rated, shopper visits and competitor notes."""
        out: dict[int, dict[str, int]] = {}

        def slot(wave: int) -> dict[str, int]:
            return out.setdefault(int(wave), {"ratings": 0, "raters": 0, "visits": 0, "competitor_notes": 0})

        with self._read() as conn:
            for wave, n, people in conn.execute(
                sa.select(ratings.c.wave, sa.func.count(), sa.func.count(sa.distinct(ratings.c.participant_id)))
                .where(ratings.c.audit_id == audit_id).group_by(ratings.c.wave)
            ):
                slot(wave).update(ratings=int(n), raters=int(people))
            for wave, n in conn.execute(
                sa.select(visits.c.wave, sa.func.count()).where(visits.c.audit_id == audit_id).group_by(visits.c.wave)
            ):
                slot(wave)["visits"] = int(n)
            for wave, n in conn.execute(
                sa.select(competitor_notes.c.wave, sa.func.count()).where(competitor_notes.c.audit_id == audit_id)
                .group_by(competitor_notes.c.wave)
            ):
                slot(wave)["competitor_notes"] = int(n)
        return out

    # -------------------------------------------------------------- everything at once

    def load(self, audit_id: str, wave: int | None = None) -> AuditData:
        """All records the analysis needs for one wave (default: the current wave)."""
        audit = self.get_audit(audit_id)
        wave = audit.wave if wave is None else wave
        with self._read() as conn:
            catalog = self._catalog(conn, audit_id)
            std = self._standards(conn, audit_id, catalog)
        return AuditData(
            audit=audit,
            catalog=catalog,
            participants=tuple(self.participants(audit_id)),
            ratings=tuple(self.ratings(audit_id, wave=wave)),
            visits=tuple(self.visits(audit_id, wave=wave)),
            competitor_notes=tuple(self.competitor_notes(audit_id, wave=wave)),
            standards=std,
            economics=tuple(self.economics(audit_id)),
        )

    def integrity_ok(self) -> bool:
        """Ask the database to check itself (SQLite ``PRAGMA integrity_check``)."""
        if not self.is_sqlite:
            with self._read() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        with self._read() as conn:
            return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


# ------------------------------------------------------------------ row <-> record


def _audit_from_row(row: Mapping[str, Any]) -> Audit:
    return Audit(
        id=row["id"], name=row["name"], language=row["language"], catalog_id=row["catalog_id"],
        locations=tuple(row["locations"] or ()), competitors=tuple(row["competitors"] or ()),
        created_at=row["created_at"], wave=row["wave"], results_shared=bool(row["results_shared"]),
    )


RATING_PARTS = ("importance", "reaction", "presence", "comment", "idea", "not_applicable")


def _rating_values(rating: Rating) -> dict[str, Any]:
    return {
        "importance": rating.importance,
        "reaction": rating.reaction.value if rating.reaction else None,
        "presence": rating.presence.value if rating.presence else None,
        "comment": rating.comment,
        "idea": rating.idea,
        "not_applicable": rating.not_applicable,
    }


def _rating_from_row(row: Mapping[str, Any]) -> Rating:
    return Rating(
        audit_id=row["audit_id"], participant_id=row["participant_id"], touchpoint_id=row["touchpoint_id"],
        importance=row["importance"], reaction=row["reaction"], presence=row["presence"], comment=row["comment"] or "",
        idea=row["idea"] or "", not_applicable=bool(row["not_applicable"]), wave=row["wave"], updated_at=row["updated_at"],
    )


def _visit_from_row(row: Mapping[str, Any], obs: list[Observation]) -> ShopperVisit:
    return ShopperVisit(
        id=row["id"], audit_id=row["audit_id"], shopper_id=row["shopper_id"], visited_at=row["visited_at"],
        channel=row["channel"], target=row["target"] or "", location=row["location"] or "", scenario=row["scenario"] or "",
        recommend=row["recommend"], observations=tuple(obs), status=row["status"], review_note=row["review_note"] or "",
        wave=row["wave"],
    )


def _action_values(action: Action, audit_id: str, position: int, now: dt.datetime) -> dict[str, Any]:
    values = {
        "audit_id": audit_id, "touchpoint_id": action.touchpoint_id, "kind": action.kind.value, "what": action.what,
        "owner": action.owner, "horizon": action.horizon.value, "due": action.due, "standard": action.standard,
        "status": action.status.value, "priority": action.priority, "evidence": action.evidence, "notes": action.notes,
        "position": position, "updated_at": now,
    }
    values["suggested"] = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items() if k not in ("updated_at", "audit_id")} if action.suggested else None
    return values


def _action_from_row(row: Mapping[str, Any]) -> Action:
    return Action(
        id=row["id"], audit_id=row["audit_id"], touchpoint_id=row["touchpoint_id"], kind=row["kind"], what=row["what"],
        owner=row["owner"] or "", horizon=row["horizon"], due=row["due"], standard=row["standard"] or "",
        status=row["status"], priority=row["priority"], evidence=row["evidence"] or "", notes=row["notes"] or "",
        position=row["position"], suggested=row["suggested"] is not None,
    )


def catalog_snapshot_json(store: Store, audit_id: str) -> str:
    """The audit's catalog copy as JSON (for exports and debugging)."""
    return catalog_to_json(store.catalog(audit_id))
