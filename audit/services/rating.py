"""The workshop: people join with a link, rate touchpoints, add the ones the catalog lacks; the owner watches the board."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from audit.answers import Problem
from audit.model import (
    MAX_DEPARTMENT,
    Answer,
    AuditData,
    Catalog,
    Category,
    Channel,
    Participant,
    Rating,
    Role,
    Stage,
    Text,
    Touchpoint,
    ValidationError,
    clean_text,
    parse_enum,
    parse_enums,
)
from audit.services.access import LinkNotValid, NotAllowed, NotAParticipant, authorize, guard, rater
from audit.services.analysis import current_wave, wave_data
from audit.services.permissions import Permission, can
from audit.store import Store
from audit.store.room import Seat

ANSWER_FIELDS = ("importance", "reaction", "presence", "comment", "idea", "not_applicable")


class SameName(Exception):
    """Someone of this audit already has this name: the person must say it is not them."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def join(store: Store, token: str | None, name: Any, *, same_name_ok: bool = False, department: Any = None) -> Participant:
    """A person enters their name once (and, if they like, their department); they become a participant of the link's audit.

    A name that a rater of this audit already has raises :class:`SameName`
    unless ``same_name_ok``: a person who reopens the link on a new device
    must not become a second, empty participant without saying so. The
    department must be one of the audit's list (case does not matter) or
    none. The checks and the addition are one transaction.
    """
    with guard(store, token, Permission.RATE, write=True) as (tx, access):
        name = clean_text(name, "name", required=True, limit=120)
        role = Role.OWNER if access.role is Role.OWNER else Role.TEAM
        chosen = _department(tx.get_audit(access.audit_id).departments, department)
        if not same_name_ok:
            taken = {p.name.casefold() for p in tx.participants(access.audit_id) if p.role is not Role.SHOPPER}
            if name.casefold() in taken:
                raise SameName(name)
        return tx.add_participant(access.audit_id, name, role, seen=True, department=chosen)


def _department(listed: tuple[str, ...], value: Any) -> str:
    """The audit's spelling of the department picked ("" for none); anything not on the list is refused."""
    if value is None or value == "":
        return ""
    text = clean_text(value, "department", limit=MAX_DEPARTMENT)
    found = next((d for d in listed if d.casefold() == text.casefold()), None)
    if found is None:
        raise ValidationError("department", text, "unknown_department")
    return found


def opened(store: Store, token: str | None, person: Participant) -> None:
    """The person opened the audit: remember the first time (the board counts them as joined)."""
    access = authorize(store, token, Permission.RATE)
    if person.first_seen is None and person.audit_id == access.audit_id:
        store.mark_seen(access.audit_id, person.id)


# ------------------------------------------------------------------ the rating card (audit.answers)


@dataclass(frozen=True)
class SavedAnswers:
    """One round of a browser's outbox: what to acknowledge, what was refused, the ratings now, the seat."""

    handled: tuple[Answer, ...]  # saved now, saved before, or older than what is stored
    refused: tuple[Problem, ...]
    ratings: Mapping[str, Rating]
    seat: Seat


def checked_seat(found: Seat | None, need: Permission, *, person: bool) -> Seat:
    """The seat if its link may do ``need`` and (with ``person``) its person may rate through that link:
    the team link rates only as a team member, the owner link as the owner or a team member."""
    if found is None:
        raise LinkNotValid()
    if not can(found.access.role, need):
        raise NotAllowed(f"{found.access.role.value} may not {Permission(need).value}")
    if person:
        allowed = {Role.TEAM} if found.access.role is Role.TEAM else {Role.OWNER, Role.TEAM}
        if found.person is None or found.person.role not in allowed:
            raise NotAParticipant()
    return found


def seat(store: Store, token: str | None, participant_id: str | None = None, need: Permission = Permission.RATE) -> Seat:
    """A rater's request in one read: the link (checked for ``need``), the wave, the catalog's
    fingerprint and, with ``participant_id``, the person, who must rate through this link."""
    return checked_seat(store.seat(token, participant_id), need, person=participant_id is not None)


def save_answers(store: Store, token: str | None, participant_id: str | None, answers: Sequence[Answer]) -> SavedAnswers:
    """Save answers from this person's browser, in order, in one transaction (see :mod:`audit.answers`).

    The link must allow rating and the person must rate through it (checked
    inside the same transaction, before anything is written); an answer about
    a touchpoint that is not in the audit's catalog is refused (and
    acknowledged as refused, so the browser stops sending it).
    """
    found, applied, unknown = store.answer_round(
        token, participant_id or "", answers, lambda s: checked_seat(s, Permission.RATE, person=True)
    )
    strangers = {(a.device, a.seq) for a in unknown}
    refused = tuple(Problem(a.device, a.seq, "touchpoint: is not in this audit's catalog") for a in unknown)
    return SavedAnswers(tuple(a for a in answers if (a.device, a.seq) not in strangers), refused, applied.ratings, found)


def my_ratings(store: Store, token: str | None, participant_id: str | None) -> dict[str, Rating]:
    """This person's answers in the current wave, by touchpoint id."""
    with guard(store, token, Permission.RATE) as (tx, access):
        person = rater(tx, access, participant_id)
        wave = tx.get_audit(access.audit_id).wave
        return {r.touchpoint_id: r for r in tx.ratings(access.audit_id, wave=wave, participant_id=person.id)}


def save_answer(
    store: Store,
    token: str | None,
    participant_id: str | None,
    touchpoint_id: str,
    catalog: Catalog | None = None,
    **parts: Any,
) -> Rating:
    """Save some parts of one person's answer at one touchpoint (the others are kept).

    ``parts`` are some of :data:`ANSWER_FIELDS`; values are validated again here
    (the browser's widget limits are not trusted). Pass the audit's ``catalog``
    to refuse a touchpoint that is not in it. The checks read one snapshot; the
    save itself is a single upsert on the fast group-commit path.
    """
    with guard(store, token, Permission.RATE) as (tx, access):
        person = rater(tx, access, participant_id)
        wave = tx.get_audit(access.audit_id).wave
    unknown = [k for k in parts if k not in ANSWER_FIELDS]
    if unknown or not parts:
        raise ValidationError("fields", unknown or list(parts), "some_of", choices=", ".join(ANSWER_FIELDS))
    if catalog is not None and touchpoint_id not in {tp.id for tp in catalog.touchpoints}:
        raise ValidationError("touchpoint", touchpoint_id, "not_in_catalog")
    rating = Rating(access.audit_id, person.id, touchpoint_id, wave=wave, **parts)
    return store.save_rating(rating, fields=list(parts))


def _slug(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return words[:40].strip("-")


def new_touchpoint_id(name: str, taken: Iterable[str]) -> str:
    """A stable id for a brainstormed touchpoint: ``team-<slug>-<random>``."""
    taken = set(taken)
    base = "team-" + (_slug(name) or "point")
    while True:
        candidate = f"{base}-{secrets.token_hex(3)}"
        if candidate not in taken:
            return candidate


def add_touchpoint(
    store: Store,
    token: str | None,
    participant_id: str | None,
    *,
    category: Any,
    name: Any,
    question: Any = "",
    stages: Any = (),
    channels: Any = (),
) -> Touchpoint:
    """A team member adds a touchpoint the catalog lacks; it joins this audit's catalog for everyone.

    The name check and the addition are one transaction: two people adding
    the same name at once add it once.
    """
    with guard(store, token, Permission.ADD_TOUCHPOINT, write=True) as (tx, access):
        added_by = rater(tx, access, participant_id).id if participant_id else None
        language = tx.get_audit(access.audit_id).language
        name = clean_text(name, "name", required=True, limit=300)
        question = clean_text(question, "question", limit=300)
        text = {language: name}
        ask = {language: question}
        existing = tx.catalog(access.audit_id)
        if any(tp.name.get(language).casefold() == name.casefold() for tp in existing.touchpoints):
            raise ValidationError("name", name, "name_taken")
        tp = Touchpoint(
            id=new_touchpoint_id(name, (t.id for t in existing.touchpoints)),
            category=parse_enum(Category, category, "category"),
            name=Text.of(text, "name", required=True),
            question=Text.of(ask, "question"),
            stages=parse_enums(Stage, stages, "stage"),
            channels=parse_enums(Channel, channels, "channel"),
            added_by_team=True,
        )
        return tx.add_touchpoint(access.audit_id, tp, added_by=added_by)


def board(store: Store, token: str | None) -> AuditData:
    """Everything the facilitator's live board shows (owner only), from one snapshot."""
    with guard(store, token, Permission.VIEW_BOARD) as (tx, access):
        return wave_data(tx, access.audit_id, current_wave(tx, access.audit_id))
