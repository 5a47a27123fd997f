"""The hand-off to CRMs: connections (secrets sealed), people, and each action's remote task.

Claiming is what keeps a push from creating a task twice: before an action is
sent to be created, its row is set to ``sending`` with the push's claim in one
transaction, and only rows this push claimed are sent. A row left ``sending``
(the answer was lost, or the process died) is looked up over there before it is
ever sent again (:mod:`audit.handoff.push`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection as DbConnection

from audit.handoff.records import Connection, Outcome, PersonLink, RemoteStatus, Target, TaskLink, TaskState
from audit.model import ActionStatus, parse_time_zone, utcnow
from audit.store.audits import require_audit
from audit.store.base import Records
from audit.store.errors import NotFound
from audit.store.schema import actions, audits, handoff_connections, handoff_people, handoff_tasks
from audit.store.versions import PLAN, touch


def _connection(row: Mapping[Any, Any]) -> Connection:
    return Connection(row["audit_id"], Target(row["target"]), row["secret"], row["shown"], dict(row["settings"] or {}),
                      _utc(row["updated_at"]))


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive times (they were written in UTC)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def _task(row: Mapping[Any, Any]) -> TaskLink:
    return TaskLink(
        action_id=row["action_id"], state=TaskState(row["state"]), remote_id=row["remote_id"], pushed_hash=row["pushed_hash"],
        claim=row["claim"], claimed_at=_utc(row["claimed_at"]), remote_status=RemoteStatus(row["remote_status"] or ""),
        remote_done_on=row["remote_done_on"], error=row["error"],
    )


def _mine(audit_id: str, target: Target) -> Any:
    return sa.and_(handoff_tasks.c.audit_id == audit_id, handoff_tasks.c.target == target.value)


def _forget_links(conn: DbConnection, audit_id: str, target: Target) -> None:
    conn.execute(handoff_tasks.delete().where(_mine(audit_id, target)))
    conn.execute(handoff_people.delete().where(handoff_people.c.audit_id == audit_id, handoff_people.c.target == target.value))


def _save_connection(conn: DbConnection, connection: Connection, now: dt.datetime) -> bool:
    """Upsert; a connection to another place forgets the people and task ids of the old one. True if it forgot."""
    require_audit(conn, connection.audit_id)
    key = (handoff_connections.c.audit_id == connection.audit_id) & (handoff_connections.c.target == connection.target.value)
    old = conn.execute(sa.select(handoff_connections.c.settings).where(key)).scalar_one_or_none()
    values = {"secret": connection.secret, "shown": connection.shown, "settings": dict(connection.settings), "updated_at": now}
    forgot = False
    if old is None:
        conn.execute(handoff_connections.insert().values(audit_id=connection.audit_id, target=connection.target.value, **values))
    else:
        if (old or {}).get("place") != connection.place:
            _forget_links(conn, connection.audit_id, connection.target)
            forgot = True
        conn.execute(handoff_connections.update().where(key).values(**values))
    return forgot


def _claim(conn: DbConnection, audit_id: str, target: Target, fingerprints: Mapping[int, str], claim: str,
           now: dt.datetime) -> list[int]:
    """Mark the actions that have no task over there as ``sending`` by this claim; returns the ones claimed."""
    ids = list(fingerprints)
    known = {r.action_id: r for r in conn.execute(sa.select(handoff_tasks).where(_mine(audit_id, target),
                                                                                  handoff_tasks.c.action_id.in_(ids)))}
    existing = set(conn.execute(sa.select(actions.c.id).where(actions.c.audit_id == audit_id, actions.c.id.in_(ids))).scalars())
    claimed = []
    for action_id in ids:
        if action_id not in existing:
            continue
        row = known.get(action_id)
        fields = {"state": TaskState.SENDING.value, "claim": claim, "claimed_at": now, "error": "", "updated_at": now,
                  "pushed_hash": fingerprints[action_id]}
        if row is None:
            conn.execute(handoff_tasks.insert().values(
                audit_id=audit_id, target=target.value, action_id=action_id, remote_id=None, remote_status="",
                remote_done_on=None, **fields))
        elif row.state == TaskState.FAILED.value and row.remote_id is None:
            conn.execute(handoff_tasks.update().where(_mine(audit_id, target), handoff_tasks.c.action_id == action_id,
                                                      handoff_tasks.c.state == TaskState.FAILED.value).values(**fields))
        else:
            continue
        claimed.append(action_id)
    return claimed


def _write_outcomes(conn: DbConnection, audit_id: str, target: Target, outcomes: Iterable[Outcome], now: dt.datetime) -> None:
    for o in outcomes:
        values: dict[str, Any] = {"state": o.state.value, "error": o.error, "updated_at": now, "claim": "", "claimed_at": None}
        if o.remote_id is not None:
            values["remote_id"] = o.remote_id
        if o.state is TaskState.PUSHED:
            values["pushed_hash"] = o.pushed_hash
        where = (handoff_tasks.c.action_id == o.action_id) & _mine(audit_id, target)
        if conn.execute(handoff_tasks.update().where(where).values(**values)).rowcount == 0:
            exists = conn.execute(sa.select(actions.c.id).where(actions.c.id == o.action_id, actions.c.audit_id == audit_id)).first()
            if exists is not None:
                conn.execute(handoff_tasks.insert().values(
                    audit_id=audit_id, target=target.value, action_id=o.action_id, remote_status="", remote_done_on=None,
                    pushed_hash=o.pushed_hash, remote_id=o.remote_id, **{k: v for k, v in values.items() if k not in
                                                                          ("remote_id", "pushed_hash")}))


def _mark(conn: DbConnection, audit_id: str, target: Target, statuses: Mapping[int, tuple[RemoteStatus, dt.date | None]],
          done_note: Mapping[int, str], now: dt.datetime) -> int:
    """Store what the remote says; an action whose task was completed there becomes done (its note gets the date)."""
    marked = 0
    for action_id, (status, done_on) in statuses.items():
        conn.execute(handoff_tasks.update().where(_mine(audit_id, target), handoff_tasks.c.action_id == action_id)
                     .values(remote_status=status.value, remote_done_on=done_on, updated_at=now))
        if status is not RemoteStatus.DONE:
            continue
        row = conn.execute(sa.select(actions.c.status, actions.c.notes).where(
            actions.c.id == action_id, actions.c.audit_id == audit_id)).first()
        if row is None or row.status == ActionStatus.DONE.value:
            continue
        line = done_note.get(action_id, "")
        notes = row.notes or ""
        if line and line not in notes:
            notes = f"{notes}\n{line}".strip() if notes else line
        conn.execute(actions.update().where(actions.c.id == action_id).values(status=ActionStatus.DONE.value, notes=notes,
                                                                               updated_at=now))
        marked += 1
    if marked:  # actions became done: the plan changed
        touch(conn, audit_id, PLAN)
    return marked


class HandoffRecords(Records):
    """Connections, people and remote tasks of the hand-off; the audit's time zone."""

    def set_time_zone(self, audit_id: str, zone: str) -> None:
        zone = parse_time_zone(zone)

        def work(conn: DbConnection) -> None:
            if conn.execute(audits.update().where(audits.c.id == audit_id).values(time_zone=zone)).rowcount == 0:
                raise NotFound("no_audit", id=audit_id)

        self._write_audit(audit_id, work)

    def save_connection(self, connection: Connection) -> bool:
        """Store (or replace) a connection; True when it points to another place and the old links were forgotten."""
        now = utcnow()
        return self._write(lambda conn: _save_connection(conn, connection, now))

    def connection(self, audit_id: str, target: Target) -> Connection | None:
        with self._read() as conn:
            row = conn.execute(sa.select(handoff_connections).where(
                handoff_connections.c.audit_id == audit_id, handoff_connections.c.target == Target(target).value)).mappings().first()
        return _connection(row) if row and row["secret"] else None

    def delete_connection(self, audit_id: str, target: Target) -> None:
        """Forget the secret. The row stays with its place: connecting the same place again keeps the task ids
        (no duplicates), another place forgets them."""
        self._write(lambda conn: conn.execute(handoff_connections.update().where(
            handoff_connections.c.audit_id == audit_id, handoff_connections.c.target == Target(target).value
        ).values(secret="", shown="", updated_at=utcnow())))

    def save_people(self, audit_id: str, target: Target, people: Mapping[str, PersonLink | None]) -> None:
        """Set (or clear, with ``None``) who gets the tasks of each plan owner."""
        now = utcnow()
        target = Target(target)

        def work(conn: DbConnection) -> None:
            require_audit(conn, audit_id)
            for owner, link in people.items():
                conn.execute(handoff_people.delete().where(handoff_people.c.audit_id == audit_id,
                                                           handoff_people.c.target == target.value, handoff_people.c.owner == owner))
                if link is not None:
                    conn.execute(handoff_people.insert().values(audit_id=audit_id, target=target.value, owner=owner,
                                                                remote_id=link.remote_id, remote_name=link.remote_name, updated_at=now))

        self._write(work)

    def people(self, audit_id: str, target: Target) -> dict[str, PersonLink]:
        with self._read() as conn:
            rows = conn.execute(sa.select(handoff_people).where(handoff_people.c.audit_id == audit_id,
                                                                handoff_people.c.target == Target(target).value)).mappings().all()
        return {r["owner"]: PersonLink(r["owner"], r["remote_id"], r["remote_name"]) for r in rows}

    def task_links(self, audit_id: str, target: Target) -> dict[int, TaskLink]:
        with self._read() as conn:
            rows = conn.execute(sa.select(handoff_tasks).where(_mine(audit_id, Target(target)))).mappings().all()
        return {r["action_id"]: _task(r) for r in rows}

    def claim_tasks(self, audit_id: str, target: Target, fingerprints: Mapping[int, str], claim: str) -> list[int]:
        """Claim actions for creation (one transaction), keeping the fingerprint being sent; only the returned
        ones may be sent by this push."""
        now = utcnow()
        return self._write(lambda conn: _claim(conn, audit_id, Target(target), dict(fingerprints), claim, now))

    def record_outcomes(self, audit_id: str, target: Target, outcomes: Sequence[Outcome]) -> None:
        now = utcnow()
        self._write(lambda conn: _write_outcomes(conn, audit_id, Target(target), outcomes, now))

    def record_remote_status(self, audit_id: str, target: Target, statuses: Mapping[int, tuple[RemoteStatus, dt.date | None]],
                             done_note: Mapping[int, str]) -> int:
        """Store the remote status of tasks; actions completed there become done. Returns how many became done."""
        now = utcnow()
        return self._write(lambda conn: _mark(conn, audit_id, Target(target), statuses, done_note, now))
