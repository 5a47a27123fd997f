"""The workshop room: what the facilitator shares with everyone, and the live board's cheap reads.

The facilitator (owner link) leads: every card follows the touchpoint on the
projector, a countdown runs on every card, touchpoints are marked discussed,
and the projector may hide names. Cards ask once a second where the
facilitator is, and the board refreshes every few seconds, so those reads
are single read transactions with the link checked in them
(:mod:`audit.store.room`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from audit.model import Rating, Room, parse_int, utcnow
from audit.services.access import LinkNotValid, NotAllowed, guard
from audit.services.evidence import _touchpoint
from audit.services.permissions import Permission, can
from audit.services.rating import checked_seat
from audit.store import Access, Store
from audit.store.room import BoardInputs, BoardState, Seat

COUNTDOWN_SECONDS = (5, 3600)
T = TypeVar("T")


def seat_and_room(store: Store, token: str | None) -> tuple[Seat, Room]:
    """The link (it must see the catalog) and its audit's room, in one read (a card asks once a second)."""
    found = store.seat_and_room(token)
    if found is None:
        raise LinkNotValid()
    return checked_seat(found[0], Permission.VIEW_CATALOG, person=False), found[1]


def room(store: Store, token: str | None) -> Room:
    """What the facilitator shares with the room (anyone whose link sees the catalog)."""
    return seat_and_room(store, token)[1]


def lead(store: Store, token: str | None, touchpoint_id: str | None) -> Room:
    """Every card follows the facilitator to ``touchpoint_id`` (``None``: stop leading); a move stops the countdown."""
    with guard(store, token, Permission.LEAD_ROOM, write=True) as (tx, access):
        if touchpoint_id is not None:
            _touchpoint(tx, access.audit_id, touchpoint_id)
        return tx.update_room(access.audit_id, follow=touchpoint_id, countdown_end=None)


def countdown(store: Store, token: str | None, seconds: Any, now: dt.datetime | None = None) -> Room:
    """Start a countdown of ``seconds`` (5 to 3600) on every card; ``None`` stops it."""
    with guard(store, token, Permission.LEAD_ROOM, write=True) as (tx, access):
        if seconds is None:
            return tx.update_room(access.audit_id, countdown_end=None)
        low, high = COUNTDOWN_SECONDS
        length = parse_int(seconds, "countdown", low, high)
        return tx.update_room(access.audit_id, countdown_end=(now or utcnow()) + dt.timedelta(seconds=length))


def set_anonymous(store: Store, token: str | None, anonymous: bool) -> Room:
    """The projector shows comments and ideas without names (or with them again)."""
    with guard(store, token, Permission.LEAD_ROOM, write=True) as (tx, access):
        return tx.update_room(access.audit_id, anonymous=bool(anonymous))


def mark_discussed(store: Store, token: str | None, touchpoint_id: Any, done: bool = True) -> None:
    with guard(store, token, Permission.LEAD_ROOM, write=True) as (tx, access):
        tp = _touchpoint(tx, access.audit_id, touchpoint_id)
        tx.set_discussed(access.audit_id, tx.get_audit(access.audit_id).wave, tp.id, bool(done))


def discussed(store: Store, token: str | None) -> set[str]:
    with guard(store, token, Permission.VIEW_BOARD) as (tx, access):
        return tx.discussed(access.audit_id, tx.get_audit(access.audit_id).wave)


def board_state(store: Store, token: str | None) -> BoardState:
    """What a board refresh reads first, in one read with the link: a cheap fingerprint (to reuse a
    computed board), the discussed marks and the room. Owner only."""
    return _owners(store.board_state_for(token))


def board_rows(store: Store, token: str | None) -> BoardInputs:
    """The lean inputs of the live board (see :mod:`audit.board`), in one read with the link. Owner only."""
    return _owners(store.board_inputs_for(token))


def _owners(found: tuple[Access, T | None] | None) -> T:
    """What a one-read board call found, if the link may see the board (the store reads it only for the owner)."""
    if found is None:
        raise LinkNotValid()
    access, value = found
    if not can(access.role, Permission.VIEW_BOARD) or value is None:
        raise NotAllowed(f"{access.role.value} may not {Permission.VIEW_BOARD.value}")
    return value


def touchpoint_answers(store: Store, token: str | None, touchpoint_id: str) -> tuple[list[Rating], dict[str, str]]:
    """Everyone's answers at one touchpoint in the current wave, and people's names (the presenter's slide)."""
    with guard(store, token, Permission.VIEW_BOARD) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        names = {p.id: p.name for p in tx.participants(audit.id)}
        return tx.touchpoint_ratings(audit.id, audit.wave, touchpoint_id), names


__all__ = [
    "COUNTDOWN_SECONDS", "BoardInputs", "BoardState", "Seat", "board_rows", "board_state", "countdown",
    "discussed", "lead", "mark_discussed", "room", "seat_and_room", "set_anonymous", "touchpoint_answers",
]
