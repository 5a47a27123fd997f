"""Who may see and change what: the rules behind the three links of an audit.

A link carries a token; the token opens one audit in one role (owner, team,
shopper). Every page asks this module first, on the server, on every read and
every write: :func:`authorize` turns a token into an :class:`~audit.store.Access`
or raises an :class:`AccessError` whose ``key`` is a message in
:mod:`audit.i18n`. The guarded operations below (join, save an answer, add a
touchpoint, rotate a link, read the board) check the role themselves, so a page
cannot forget to.

No Streamlit here: the rules are plain functions of a :class:`~audit.store.Store`
and a token, tested without a browser.
"""

from __future__ import annotations

import re
import secrets
from enum import StrEnum
from typing import Any, Iterable, Mapping

from audit.model import (
    Audit,
    AuditData,
    Catalog,
    Category,
    Participant,
    Rating,
    Role,
    Text,
    Touchpoint,
    ValidationError,
    clean_text,
    parse_enum,
    parse_enums,
    Channel,
    Stage,
)
from audit.store import Access, Store


class Permission(StrEnum):
    """Things a link can let a person do."""

    CREATE_AUDIT = "create-audit"  # anyone, no link needed
    VIEW_CATALOG = "view-catalog"
    RATE = "rate"
    ADD_TOUCHPOINT = "add-touchpoint"
    VIEW_BOARD = "view-board"
    MANAGE_LINKS = "manage-links"
    SHOPPER_VISIT = "shopper-visit"


PUBLIC: frozenset[Permission] = frozenset({Permission.CREATE_AUDIT})

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.OWNER: PUBLIC
    | {
        Permission.VIEW_CATALOG,
        Permission.RATE,
        Permission.ADD_TOUCHPOINT,
        Permission.VIEW_BOARD,
        Permission.MANAGE_LINKS,
    },
    Role.TEAM: PUBLIC | {Permission.VIEW_CATALOG, Permission.RATE, Permission.ADD_TOUCHPOINT},
    Role.SHOPPER: PUBLIC | {Permission.VIEW_CATALOG, Permission.SHOPPER_VISIT},
}

# What a freshly opened link shows first.
HOME: Mapping[Role, str] = {Role.OWNER: "board", Role.TEAM: "rate", Role.SHOPPER: "shopper"}

ANSWER_FIELDS = ("importance", "reaction", "presence", "comment", "idea", "not_applicable")


class AccessError(Exception):
    """A request the link does not allow. ``key`` names the message in :mod:`audit.i18n`."""

    key = "access.denied"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.key)


class LinkNotValid(AccessError):
    """Unknown, malformed or rotated token."""

    key = "access.link_not_valid"


class NotAllowed(AccessError):
    """A valid link whose role does not allow this."""

    key = "access.not_allowed"


class NotAParticipant(AccessError):
    """A participant id that is not a person of this link's audit."""

    key = "access.not_participant"


def permissions(role: Role | None) -> frozenset[Permission]:
    """Everything ``role`` may do; ``None`` (no link) may only create an audit."""
    if role is None:
        return PUBLIC
    return ROLE_PERMISSIONS[Role(role)]


def can(role: Role | None, need: Permission) -> bool:
    return Permission(need) in permissions(role)


def resolve(store: Store, token: str | None) -> Access | None:
    """The audit and role of a token, or ``None`` (never raises for a bad token)."""
    return store.resolve_token(token)


def authorize(store: Store, token: str | None, need: Permission) -> Access:
    """The :class:`Access` of ``token`` if its role may do ``need``; raises otherwise."""
    access = store.resolve_token(token)
    if access is None:
        raise LinkNotValid()
    if not can(access.role, need):
        raise NotAllowed(f"{access.role.value} may not {Permission(need).value}")
    return access


def participant(store: Store, access: Access, participant_id: str | None) -> Participant:
    """The person ``participant_id`` *of this audit*; anything else raises :class:`NotAParticipant`."""
    person = store.participant(access.audit_id, participant_id)
    if person is None:
        raise NotAParticipant()
    return person


# ------------------------------------------------------------------ guarded reads


def audit(store: Store, token: str | None, need: Permission = Permission.VIEW_CATALOG) -> tuple[Access, Audit]:
    access = authorize(store, token, need)
    return access, store.get_audit(access.audit_id)


def catalog(store: Store, token: str | None) -> Catalog:
    access = authorize(store, token, Permission.VIEW_CATALOG)
    return store.catalog(access.audit_id)


def catalog_version(store: Store, token: str | None) -> tuple[str, str]:
    """``(audit_id, version)`` for caching the catalog; the version changes when it grows."""
    access = authorize(store, token, Permission.VIEW_CATALOG)
    return access.audit_id, store.catalog_version(access.audit_id)


def my_ratings(store: Store, token: str | None, participant_id: str | None) -> dict[str, Rating]:
    """This person's answers in the current wave, by touchpoint id."""
    access = authorize(store, token, Permission.RATE)
    person = participant(store, access, participant_id)
    wave = store.get_audit(access.audit_id).wave
    return {r.touchpoint_id: r for r in store.ratings(access.audit_id, wave=wave, participant_id=person.id)}


def board(store: Store, token: str | None) -> AuditData:
    """Everything the facilitator's live board shows (owner only)."""
    access = authorize(store, token, Permission.VIEW_BOARD)
    return store.load(access.audit_id)


# ------------------------------------------------------------------ guarded writes


def join(store: Store, token: str | None, name: Any) -> Participant:
    """A person enters their name once; they become a participant of the link's audit."""
    access = authorize(store, token, Permission.RATE)
    name = clean_text(name, "name", required=True, limit=120)
    role = Role.OWNER if access.role is Role.OWNER else Role.TEAM
    return store.add_participant(access.audit_id, name, role)


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
    to refuse a touchpoint that is not in it.
    """
    access = authorize(store, token, Permission.RATE)
    person = participant(store, access, participant_id)
    unknown = [k for k in parts if k not in ANSWER_FIELDS]
    if unknown or not parts:
        raise ValidationError("fields", unknown or list(parts), f"must be some of: {', '.join(ANSWER_FIELDS)}")
    if catalog is not None and touchpoint_id not in {tp.id for tp in catalog.touchpoints}:
        raise ValidationError("touchpoint", touchpoint_id, "is not in this audit's catalog")
    wave = store.get_audit(access.audit_id).wave
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
    """A team member adds a touchpoint the catalog lacks; it joins this audit's catalog for everyone."""
    access = authorize(store, token, Permission.ADD_TOUCHPOINT)
    added_by = participant(store, access, participant_id).id if participant_id else None
    language = store.get_audit(access.audit_id).language
    name = clean_text(name, "name", required=True, limit=300)
    question = clean_text(question, "question", limit=300)
    text = {"en": name} if language == "en" else {"ru": name}
    ask = {"en": question} if language == "en" else {"ru": question}
    existing = store.catalog(access.audit_id)
    if any(tp.name.get(language).casefold() == name.casefold() for tp in existing.touchpoints):
        raise ValidationError("name", name, "this audit already has a touchpoint with this name")
    tp = Touchpoint(
        id=new_touchpoint_id(name, (t.id for t in existing.touchpoints)),
        category=parse_enum(Category, category, "category"),
        name=Text.of(text, "name", required=True),
        question=Text.of(ask, "question"),
        stages=parse_enums(Stage, stages, "stage"),
        channels=parse_enums(Channel, channels, "channel"),
        added_by_team=True,
    )
    return store.add_touchpoint(access.audit_id, tp, added_by=added_by)


def rotate_link(store: Store, token: str | None, role: Role) -> str:
    """Replace the link of ``role`` (owner only); the old one stops working at once."""
    access = authorize(store, token, Permission.MANAGE_LINKS)
    return store.rotate_token(access.audit_id, Role(role), owner_token=token)


def links(store: Store, token: str | None) -> dict[Role, str]:
    """The owner, team and shopper links of the audit (owner only)."""
    authorize(store, token, Permission.MANAGE_LINKS)
    return store.links(token)


def create_audit(
    store: Store,
    *,
    name: Any,
    catalog: Catalog,
    language: str,
    locations: Iterable[str] = (),
    competitors: Iterable[str] = (),
    participants: Iterable[str] = (),
) -> tuple[Audit, dict[Role, str], list[Participant]]:
    """Anyone may create an audit; they get its owner link (and the team and shopper links).

    Names are checked before anything is written, so a mistake creates nothing.
    """
    names = [clean_text(p, "participants", required=True, limit=120) for p in participants]
    if len({n.casefold() for n in names}) != len(names):
        raise ValidationError("participants", names, "names must be different")
    Audit(id="check", name=name, language=language, locations=tuple(locations), competitors=tuple(competitors))
    made, links = store.create_audit(
        name, catalog, language=language, locations=tuple(locations), competitors=tuple(competitors)
    )
    people = [store.add_participant(made.id, n, Role.TEAM) for n in names]
    return made, links, people
