"""The workshop room: what the facilitator shares with everyone, and the reads of the room's hot paths.

A room of twenty people taps about ten times a second and every card asks
once a second where the facilitator is, so what each of those requests reads
is gathered here into one read transaction: :meth:`RoomRecords.seat` (link,
role, wave, catalog fingerprint and person), :meth:`RoomRecords.board_state`
(the board's cheap fingerprint and the room) and
:meth:`RoomRecords.board_inputs` (the lean rows the board is computed from).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.model import Audit, Participant, Role, Room, ValidationError, utcnow
from audit.store.audits import read_audit, read_participants, require_audit
from audit.store.base import Records
from audit.store.codecs import participant_from_row
from audit.store.schema import audit_touchpoints, audits, discussed, participants, ratings, rooms, tokens
from audit.store.tokens import Access, hash_token
from audit.store.versions import read_version

T = TypeVar("T")
ROOM_FIELDS = {"follow": "follow_tp", "countdown_end": "countdown_end", "anonymous": "anonymous"}


@dataclass(frozen=True)
class Seat:
    """What one request of a rater needs, read at once (the caller checks the role)."""

    access: Access
    wave: int
    catalog_version: str
    person: Participant | None


@dataclass(frozen=True)
class BoardInputs:
    """What the live board is computed from: the audit, its people, lean rating rows, the catalog's fingerprint."""

    audit: Audit
    people: list[Participant]
    rows: list[tuple[Any, ...]]  # (participant, touchpoint, importance, reaction, presence, not_applicable)
    catalog_version: str


@dataclass(frozen=True)
class BoardState:
    """The board's fingerprint (to reuse a computed board), the discussed marks and the room."""

    audit: Audit
    version: tuple[int, ...]
    discussed: frozenset[str]
    room: Room


def _catalog_fingerprint(audit_id: Any) -> tuple[Any, Any]:
    where = audit_touchpoints.c.audit_id == audit_id
    count = sa.select(sa.func.count()).select_from(audit_touchpoints).where(where).scalar_subquery()
    last = sa.select(sa.func.max(audit_touchpoints.c.position)).where(where).scalar_subquery()
    return count, last


def read_seat(conn: Connection, token: str | None, participant_id: str | None) -> Seat | None:
    """:meth:`RoomRecords.seat` inside the caller's transaction."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    count, last = _catalog_fingerprint(tokens.c.audit_id)
    row = conn.execute(
        sa.select(tokens.c.audit_id, tokens.c.role, audits.c.wave, count, last)
        .join(audits, audits.c.id == tokens.c.audit_id)
        .where(tokens.c.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    person = None
    if participant_id and len(participant_id) <= 60:
        found = conn.execute(
            sa.select(participants).where(participants.c.id == participant_id, participants.c.audit_id == row.audit_id)
        ).mappings().first()
        person = participant_from_row(found) if found else None
    return Seat(Access(row.audit_id, Role(row.role)), int(row.wave), f"{row[3]}:{row[4]}", person)


def read_room(conn: Connection, audit_id: str) -> Room:
    row = conn.execute(sa.select(rooms).where(rooms.c.audit_id == audit_id)).mappings().first()
    if row is None:
        return Room(audit_id)
    return Room(audit_id, row["follow_tp"], row["follow_n"], row["countdown_end"], bool(row["anonymous"]))


class RoomRecords(Records):
    """Follow-me, countdown, anonymity, discussed marks; the room's one-transaction reads."""

    def seat(self, token: str | None, participant_id: str | None = None) -> Seat | None:
        """The link's audit and role, the wave, the catalog's fingerprint and the person: ``None`` for a bad link."""
        with self._read() as conn:
            return read_seat(conn, token, participant_id)

    def seat_and_room(self, token: str | None) -> tuple[Seat, Room] | None:
        """The link's seat and, in the same read, its audit's room (what every card asks once a second)."""
        with self._read() as conn:
            found = read_seat(conn, token, None)
            return (found, read_room(conn, found.access.audit_id)) if found is not None else None

    def room(self, audit_id: str) -> Room:
        """What the facilitator shares (a primary-key lookup)."""
        with self._read() as conn:
            return read_room(conn, audit_id)

    def update_room(self, audit_id: str, **changes: Any) -> Room:
        """Change the room: ``follow`` (a touchpoint id or None), ``countdown_end``, ``anonymous``.

        Setting ``follow`` (even to the same touchpoint) counts a move, so every card goes there again.
        """
        unknown = set(changes) - set(ROOM_FIELDS)
        if unknown:
            raise ValidationError("room", sorted(unknown)[0], "one_of", choices=", ".join(ROOM_FIELDS))
        values = {ROOM_FIELDS[k]: v for k, v in changes.items()}

        def work(conn: Connection) -> Room:
            require_audit(conn, audit_id)
            current = conn.execute(sa.select(rooms.c.follow_n).where(rooms.c.audit_id == audit_id)).first()
            moved = {"follow_n": (current.follow_n if current else 0) + 1} if "follow" in changes else {}
            if current is None:
                conn.execute(rooms.insert().values(audit_id=audit_id, updated_at=utcnow(), **values, **moved))
            else:
                conn.execute(rooms.update().where(rooms.c.audit_id == audit_id).values(updated_at=utcnow(), **values, **moved))
            return read_room(conn, audit_id)

        return self._write(work)

    def set_discussed(self, audit_id: str, wave: int, touchpoint_id: str, done: bool = True) -> None:
        def work(conn: Connection) -> None:
            where = (discussed.c.audit_id == audit_id, discussed.c.wave == wave, discussed.c.touchpoint_id == touchpoint_id)
            conn.execute(discussed.delete().where(*where))
            if done:
                conn.execute(discussed.insert().values(audit_id=audit_id, wave=wave, touchpoint_id=touchpoint_id, marked_at=utcnow()))

        self._write(work)

    def discussed(self, audit_id: str, wave: int) -> set[str]:
        with self._read() as conn:
            return _discussed(conn, audit_id, wave)

    def board_state(self, audit_id: str) -> BoardState:
        """The board's fingerprint: the wave and the audit's data version (:mod:`audit.store.versions`: every
        answer, new person, first opening and added touchpoint changes it); and the room (index lookups only)."""
        with self._read() as conn:
            return _read_board_state(conn, audit_id)

    def board_state_for(self, token: str | None) -> tuple[Access, BoardState | None] | None:
        """The link's access and, in the same read, the board state of its audit (see :meth:`_for_owner`)."""
        return self._for_owner(token, _read_board_state)

    def board_inputs(self, audit_id: str) -> BoardInputs:
        """The audit, its people, the lean rating rows of its wave and its catalog's fingerprint, in one read."""
        with self._read() as conn:
            return _read_board_inputs(conn, audit_id)

    def board_inputs_for(self, token: str | None) -> tuple[Access, BoardInputs | None] | None:
        """The link's access and, in the same read, the board's inputs (see :meth:`_for_owner`)."""
        return self._for_owner(token, _read_board_inputs)

    def _for_owner(self, token: str | None, read: Callable[[Connection, str], T]) -> tuple[Access, T | None] | None:
        """``None`` for a bad link; else its access and what ``read`` reads about its audit in the same
        transaction, read only for the owner's link (the board's only reader; the caller checks the role)."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return None
        with self._read() as conn:
            row = conn.execute(sa.select(tokens.c.audit_id, tokens.c.role).where(tokens.c.token_hash == hash_token(token))).first()
            if row is None:
                return None
            access = Access(row.audit_id, Role(row.role))
            return access, (read(conn, access.audit_id) if access.role is Role.OWNER else None)

    def board_version(self, audit_id: str) -> tuple[int, ...]:
        return self.board_state(audit_id).version


def _read_board_state(conn: Connection, audit_id: str) -> BoardState:
    audit = read_audit(conn, audit_id)
    version = (audit.wave, read_version(conn, audit_id).data)  # every answer, person, opening and catalog change counts
    return BoardState(audit, version, frozenset(_discussed(conn, audit_id, audit.wave)), read_room(conn, audit_id))


def _read_board_inputs(conn: Connection, audit_id: str) -> BoardInputs:
    count, last = _catalog_fingerprint(audit_id)
    audit = read_audit(conn, audit_id)
    people = read_participants(conn, audit_id)
    rows: list[tuple[Any, ...]] = list(conn.execute(_lean_rows(audit_id, audit.wave)).all())  # Rows behave as tuples
    fingerprint = conn.execute(sa.select(count, last)).one()
    return BoardInputs(audit, people, rows, f"{fingerprint[0]}:{fingerprint[1]}")


def _discussed(conn: Connection, audit_id: str, wave: int) -> set[str]:
    return set(conn.execute(
        sa.select(discussed.c.touchpoint_id).where(discussed.c.audit_id == audit_id, discussed.c.wave == wave)
    ).scalars())


def _lean_rows(audit_id: str, wave: int) -> Any:
    return sa.select(
        ratings.c.participant_id, ratings.c.touchpoint_id, ratings.c.importance, ratings.c.reaction, ratings.c.presence,
        ratings.c.not_applicable,
    ).where(ratings.c.audit_id == audit_id, ratings.c.wave == wave)
