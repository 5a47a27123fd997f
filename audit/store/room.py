"""The workshop room: what the facilitator shares with everyone, and the live board's fingerprint."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.model import Room, ValidationError, utcnow
from audit.store.audits import require_audit
from audit.store.base import Records
from audit.store.schema import audit_touchpoints, discussed, participants, rating_history, rooms

ROOM_FIELDS = {"follow": "follow_tp", "countdown_end": "countdown_end", "anonymous": "anonymous"}


class RoomRecords(Records):
    """Follow-me, countdown, anonymity, discussed marks; the board's cheap fingerprint."""

    def room(self, audit_id: str) -> Room:
        """What the facilitator shares (a primary-key lookup: every team card asks about once a second)."""
        with self._read() as conn:
            row = conn.execute(sa.select(rooms).where(rooms.c.audit_id == audit_id)).mappings().first()
        if row is None:
            return Room(audit_id)
        return Room(audit_id, row["follow_tp"], row["follow_n"], row["countdown_end"], bool(row["anonymous"]))

    def update_room(self, audit_id: str, **changes: Any) -> Room:
        """Change the room: ``follow`` (a touchpoint id or None), ``countdown_end``, ``anonymous``.

        Setting ``follow`` (even to the same touchpoint) counts a move, so every card goes there again.
        """
        unknown = set(changes) - set(ROOM_FIELDS)
        if unknown:
            raise ValidationError("room", sorted(unknown)[0], f"must be one of {', '.join(ROOM_FIELDS)}")
        values = {ROOM_FIELDS[k]: v for k, v in changes.items()}

        def work(conn: Connection) -> None:
            require_audit(conn, audit_id)
            current = conn.execute(sa.select(rooms.c.follow_n).where(rooms.c.audit_id == audit_id)).first()
            moved = {"follow_n": (current.follow_n if current else 0) + 1} if "follow" in changes else {}
            if current is None:
                conn.execute(rooms.insert().values(audit_id=audit_id, updated_at=utcnow(), **values, **moved))
            else:
                conn.execute(rooms.update().where(rooms.c.audit_id == audit_id).values(updated_at=utcnow(), **values, **moved))

        self._write(work)
        return self.room(audit_id)

    def set_discussed(self, audit_id: str, wave: int, touchpoint_id: str, done: bool = True) -> None:
        def work(conn: Connection) -> None:
            where = (discussed.c.audit_id == audit_id, discussed.c.wave == wave, discussed.c.touchpoint_id == touchpoint_id)
            conn.execute(discussed.delete().where(*where))
            if done:
                conn.execute(discussed.insert().values(audit_id=audit_id, wave=wave, touchpoint_id=touchpoint_id, marked_at=utcnow()))

        self._write(work)

    def discussed(self, audit_id: str, wave: int) -> set[str]:
        with self._read() as conn:
            return set(conn.execute(
                sa.select(discussed.c.touchpoint_id).where(discussed.c.audit_id == audit_id, discussed.c.wave == wave)
            ).scalars())

    def board_version(self, audit_id: str) -> tuple[int, int, int, int]:
        """A cheap fingerprint of everything the live board shows (index lookups only, no write needed).

        The last history row of the audit (every rating change adds one), the
        people and those who opened the audit, and the catalog's size.
        """
        last = sa.select(sa.func.coalesce(sa.func.max(rating_history.c.id), 0)).where(rating_history.c.audit_id == audit_id)
        people = sa.select(sa.func.count()).select_from(participants).where(participants.c.audit_id == audit_id)
        seen = sa.select(sa.func.count(participants.c.first_seen_at)).where(participants.c.audit_id == audit_id)
        size = sa.select(sa.func.count()).select_from(audit_touchpoints).where(audit_touchpoints.c.audit_id == audit_id)
        with self._read() as conn:
            row = conn.execute(
                sa.select(last.scalar_subquery(), people.scalar_subquery(), seen.scalar_subquery(), size.scalar_subquery())
            ).one()
        return int(row[0]), int(row[1]), int(row[2]), int(row[3])
