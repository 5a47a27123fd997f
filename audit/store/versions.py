"""Data versions: a per-audit number that changes in the same transaction as every write of what the analysis reads.

A page keys what it computed from an audit (the analysis, the live board,
the plan in line with it) by the audit's data version, so it can reuse the
result until something changes, and sees every change at once: the number is
bumped inside the very transaction that writes, so a reader that reads the
version and the data in one snapshot gets a version that names exactly that data.

Writers do not queue on one counter: each keeps its own row of
``data_versions``, keyed by the audit and a *slot* (the person whose answers
or visit it is, or :data:`AUDIT` for the audit's own writes, or :data:`PLAN`
for the plan), and adds 1 to it. The version is the sum of the audit's
slots. Every committed write adds at least 1 and nothing ever subtracts, and
a snapshot that sees a later commit sees every earlier one, so two snapshots
with the same sum hold the same data (in SQLite and in PostgreSQL).

The plan has its own slot so that storing or syncing the plan does not throw
away the analysis: :class:`DataVersion` gives the sum without the plan
(``data``, what the analysis reads) and the plan's own count (``plan``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from audit.store.prebuilt import Prebuilt, takes_prebuilt
from audit.store.schema import data_versions

AUDIT = ""  # the audit's own writes: its settings, catalog copy, people, standards, reviews, evidence
PLAN = ":plan"  # the action plan (a participant id never starts with ':')
RESTORED = ":restored"  # an audit written back from an archive (see restart)


def _bump(insert: Any) -> Any:
    stmt = insert(data_versions).values(
        audit_id=sa.bindparam("audit_id"), writer=sa.bindparam("writer"), n=sa.literal(1, sa.BigInteger)
    )
    return stmt.on_conflict_do_update(index_elements=["audit_id", "writer"], set_={"n": data_versions.c.n + 1})


def _restart(insert: Any) -> Any:
    stmt = insert(data_versions).values(audit_id=sa.bindparam("audit_id"), writer=RESTORED, n=sa.bindparam("n", type_=sa.BigInteger))
    return stmt.on_conflict_do_update(index_elements=["audit_id", "writer"], set_={"n": stmt.excluded.n})


# Built once, read-only afterwards: the bump and the restart in each dialect, and the read of both sums.
_BUMPS = {"sqlite": _bump(sqlite.insert), "postgresql": _bump(postgresql.insert)}
_PREBUILT_BUMP = Prebuilt.of(_BUMPS["postgresql"])  # PostgreSQL's hot path (see audit.store.prebuilt)
_RESTARTS = {"sqlite": _restart(sqlite.insert), "postgresql": _restart(postgresql.insert)}
_IS_PLAN = data_versions.c.writer == PLAN
_READ = sa.select(
    sa.func.coalesce(sa.func.sum(sa.case((_IS_PLAN, 0), else_=data_versions.c.n)), 0),
    sa.func.coalesce(sa.func.sum(sa.case((_IS_PLAN, data_versions.c.n), else_=0)), 0),
).where(data_versions.c.audit_id == sa.bindparam("audit_id"))


@dataclass(frozen=True, slots=True)
class DataVersion:
    """An audit's data version: ``data`` changes with everything the analysis reads, ``plan`` with the plan."""

    data: int
    plan: int


def bump_statement(dialect: str) -> Any:
    """The bump of one slot (parameters ``audit_id`` and ``writer``) in ``dialect`` (``sqlite`` or ``postgresql``),
    e.g. to make it part of a larger statement."""
    return _BUMPS[dialect]


def touch(conn: Connection, audit_id: str, writer: str = AUDIT) -> None:
    """Count one change of ``audit_id`` in ``writer``'s slot, inside the caller's write transaction."""
    if takes_prebuilt(conn):
        _PREBUILT_BUMP.execute(conn, {"audit_id": audit_id, "writer": writer})
    else:
        conn.execute(_BUMPS[conn.dialect.name], {"audit_id": audit_id, "writer": writer})


def restart(conn: Connection, audit_id: str) -> None:
    """After an audit was written back from an archive (its slots as archived): move its data version past every
    version it had before, here or in any replica's cache, so no analysis kept under an old number is reused.

    The :data:`RESTORED` slot is set to the time in microseconds: an earlier timeline of the same audit reached
    at most its own restore time plus one per write since, which stays below a later restore time.
    """
    conn.execute(_RESTARTS[conn.dialect.name], {"audit_id": audit_id, "n": time.time_ns() // 1000})


def read_version(conn: Connection, audit_id: str) -> DataVersion:
    """The audit's data version as seen by the caller's transaction (an index range of a few rows)."""
    data, plan = conn.execute(_READ, {"audit_id": audit_id}).one()
    return DataVersion(int(data), int(plan))
