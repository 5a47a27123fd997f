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

import dataclasses
import datetime as dt
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Iterable, Mapping, Sequence

from audit.model import (
    Audit,
    AuditData,
    Catalog,
    Category,
    CompetitorNote,
    Observation,
    Participant,
    ShopperVisit,
    Standard,
    VisitStatus,
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
from audit import visits as visit_rules
from audit.scoring import Analysis, analyse
from audit.shopper_report import with_observation, without_observation
from audit.store import Access, Store


class Permission(StrEnum):
    """Things a link can let a person do."""

    CREATE_AUDIT = "create-audit"  # anyone, no link needed
    VIEW_CATALOG = "view-catalog"
    RATE = "rate"
    ADD_TOUCHPOINT = "add-touchpoint"
    VIEW_BOARD = "view-board"
    MANAGE_LINKS = "manage-links"
    SHOPPER_VISIT = "shopper-visit"  # file one's own visit reports (shopper link only)
    REVIEW_VISITS = "review-visits"  # accept, reject or send back shoppers' visits
    SET_STANDARDS = "set-standards"
    COMPARE_COMPETITORS = "compare-competitors"
    VIEW_RESULTS = "view-results"  # owner; the team too while the owner shares the results
    SHARE_RESULTS = "share-results"
    EDIT_PLAN = "edit-plan"
    DOWNLOAD = "download"
    MANAGE_WAVES = "manage-waves"


PUBLIC: frozenset[Permission] = frozenset({Permission.CREATE_AUDIT})

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.OWNER: PUBLIC
    | {
        Permission.VIEW_CATALOG,
        Permission.RATE,
        Permission.ADD_TOUCHPOINT,
        Permission.VIEW_BOARD,
        Permission.MANAGE_LINKS,
        Permission.REVIEW_VISITS,
        Permission.SET_STANDARDS,
        Permission.COMPARE_COMPETITORS,
        Permission.VIEW_RESULTS,
        Permission.SHARE_RESULTS,
        Permission.EDIT_PLAN,
        Permission.DOWNLOAD,
        Permission.MANAGE_WAVES,
    },
    Role.TEAM: PUBLIC | {Permission.VIEW_CATALOG, Permission.RATE, Permission.ADD_TOUCHPOINT},
    Role.SHOPPER: PUBLIC | {Permission.VIEW_CATALOG, Permission.SHOPPER_VISIT},
}

# Granted only while the audit says so: the team sees the results (read-only) once the owner shares them.
SHARED_RESULTS: Mapping[Role, frozenset[Permission]] = {Role.TEAM: frozenset({Permission.VIEW_RESULTS})}

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


class NotYourVisit(AccessError):
    """A visit id that is not one of this shopper's visits (or not of this audit)."""

    key = "access.not_your_visit"


def permissions(role: Role | None, audit: Audit | None = None) -> frozenset[Permission]:
    """Everything ``role`` may do; ``None`` (no link) may only create an audit.

    With the ``audit``, what its settings grant too (the team sees shared results).
    """
    if role is None:
        return PUBLIC
    granted = ROLE_PERMISSIONS[Role(role)]
    if audit is not None and audit.results_shared:
        granted = granted | SHARED_RESULTS.get(Role(role), frozenset())
    return granted


def can(role: Role | None, need: Permission, audit: Audit | None = None) -> bool:
    return Permission(need) in permissions(role, audit)


def resolve(store: Store, token: str | None) -> Access | None:
    """The audit and role of a token, or ``None`` (never raises for a bad token)."""
    return store.resolve_token(token)


def authorize(store: Store, token: str | None, need: Permission) -> Access:
    """The :class:`Access` of ``token`` if its role may do ``need``; raises otherwise."""
    access = store.resolve_token(token)
    if access is None:
        raise LinkNotValid()
    if not can(access.role, need):
        if Permission(need) not in SHARED_RESULTS.get(access.role, frozenset()) or not can(
            access.role, need, store.get_audit(access.audit_id)
        ):
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
    text = {language: name}
    ask = {language: question}
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


# ------------------------------------------------------------------ mystery shoppers (shopper link)
#
# A shopper names themself once (a participant with the role "shopper", its id
# in the URL like a team member's); every call below checks that the id is a
# shopper *of this link's audit* and touches only visits whose shopper_id is
# that id. Visits of other shoppers, team ratings, the board, results and plan
# need permissions a shopper link does not have.

VISIT_FIELDS = ("target", "channel", "visited_at", "location", "scenario", "recommend")


def shopper(store: Store, access: Access, participant_id: str | None) -> Participant:
    """The shopper ``participant_id`` of this audit; a team member's or another audit's id raises :class:`NotAParticipant`."""
    person = participant(store, access, participant_id)
    if person.role is not Role.SHOPPER:
        raise NotAParticipant()
    return person


def join_shopper(store: Store, token: str | None, name: Any) -> Participant:
    """A shopper enters their name once and becomes a shopper of the link's audit."""
    access = authorize(store, token, Permission.SHOPPER_VISIT)
    name = clean_text(name, "name", required=True, limit=120)
    return store.add_participant(access.audit_id, name, Role.SHOPPER)


def _me(store: Store, token: str | None, participant_id: str | None) -> tuple[Access, Participant]:
    access = authorize(store, token, Permission.SHOPPER_VISIT)
    return access, shopper(store, access, participant_id)


def _my_visit(store: Store, access: Access, person: Participant, visit_id: Any) -> ShopperVisit:
    for visit in store.visits(access.audit_id, shopper_id=person.id):
        if visit.id is not None and str(visit.id) == str(visit_id):
            return visit
    raise NotYourVisit()


def my_visits(store: Store, token: str | None, participant_id: str | None) -> list[ShopperVisit]:
    """This shopper's own visits (every wave), oldest first."""
    access, person = _me(store, token, participant_id)
    return store.visits(access.audit_id, shopper_id=person.id)


def my_visit(store: Store, token: str | None, participant_id: str | None, visit_id: Any) -> ShopperVisit:
    access, person = _me(store, token, participant_id)
    return _my_visit(store, access, person, visit_id)


def start_visit(
    store: Store,
    token: str | None,
    participant_id: str | None,
    *,
    target: Any,
    channel: Any,
    visited_at: dt.datetime,
    location: Any = "",
    now: dt.datetime | None = None,
) -> ShopperVisit:
    """Open a new draft visit (nothing is stored when a rule is broken, e.g. a date in the future)."""
    access, person = _me(store, token, participant_id)
    wave = store.get_audit(access.audit_id).wave
    visit = ShopperVisit(None, access.audit_id, person.id, visited_at, channel, target=target or "", location=location or "", wave=wave)
    return visit_rules.save_draft(store, visit, now)


def update_visit(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any, *, now: dt.datetime | None = None, **changes: Any
) -> ShopperVisit:
    """Change some details of one's own draft (the fields of :data:`VISIT_FIELDS`), saved at once."""
    unknown = [k for k in changes if k not in VISIT_FIELDS]
    if unknown or not changes:
        raise ValidationError("fields", unknown or list(changes), f"must be some of: {', '.join(VISIT_FIELDS)}")
    access, person = _me(store, token, participant_id)
    current = _my_visit(store, access, person, visit_id)
    if "target" in changes:
        changes["target"] = changes["target"] or ""
    return visit_rules.save_draft(store, dataclasses.replace(current, **changes), now)


def save_observation(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any, observation: Observation,
    *, now: dt.datetime | None = None,
) -> ShopperVisit:
    """Add or replace one touchpoint's observation in one's own draft."""
    access, person = _me(store, token, participant_id)
    current = _my_visit(store, access, person, visit_id)
    return visit_rules.save_draft(store, with_observation(current, observation), now)


def remove_observation(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any, touchpoint_id: str,
    *, now: dt.datetime | None = None,
) -> ShopperVisit:
    access, person = _me(store, token, participant_id)
    current = _my_visit(store, access, person, visit_id)
    return visit_rules.save_draft(store, without_observation(current, touchpoint_id), now)


def submit_visit(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any, *, now: dt.datetime | None = None
) -> ShopperVisit:
    """Send one's own visit to the owner; the shopper cannot change it afterwards."""
    access, person = _me(store, token, participant_id)
    return visit_rules.submit(store, _my_visit(store, access, person, visit_id), now)


def add_photo(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any, data: bytes, touchpoint_id: str | None = None
) -> int:
    """Check a photo by content and keep it with one's own draft (nothing is stored if it is refused)."""
    access, person = _me(store, token, participant_id)
    visit = _my_visit(store, access, person, visit_id)
    if touchpoint_id and touchpoint_id not in {tp.id for tp in store.catalog(access.audit_id).touchpoints}:
        raise ValidationError("touchpoint", touchpoint_id, "is not in this audit's catalog")
    return visit_rules.attach_photo(store, visit, data, touchpoint_id or None)


def remove_photo(store: Store, token: str | None, participant_id: str | None, visit_id: Any, photo_id: int) -> None:
    access, person = _me(store, token, participant_id)
    visit = _my_visit(store, access, person, visit_id)
    store.delete_photo(int(visit.id or 0), int(photo_id))


def my_photos(store: Store, token: str | None, participant_id: str | None, visit_id: Any) -> list[dict[str, Any]]:
    """Thumbnails of one's own visit."""
    access, person = _me(store, token, participant_id)
    visit = _my_visit(store, access, person, visit_id)
    return store.photo_thumbnails([int(visit.id or 0)])[int(visit.id or 0)]


def measures(store: Store, token: str | None) -> dict[str, Standard]:
    """The audit's standards, so the shopper's form asks for the right measurement."""
    access = authorize(store, token, Permission.SHOPPER_VISIT)
    return store.standards(access.audit_id)


# ------------------------------------------------------------------ review, standards, competitors (owner link)


@dataclass(frozen=True)
class ReviewData:
    """What the owner's review page needs: every visit of the current wave (drafts only counted)."""

    audit: Audit
    catalog: Catalog
    visits: tuple[ShopperVisit, ...]
    participants: tuple[Participant, ...]
    standards: Mapping[str, Standard]


def review_data(store: Store, token: str | None) -> ReviewData:
    access = authorize(store, token, Permission.REVIEW_VISITS)
    audit = store.get_audit(access.audit_id)
    return ReviewData(
        audit, store.catalog(audit.id), tuple(store.visits(audit.id, wave=audit.wave)),
        tuple(store.participants(audit.id)), store.standards(audit.id),
    )


def review_visit(store: Store, token: str | None, visit_id: Any, decision: Any, note: Any = "") -> None:
    """Accept, reject (a reason is required) or send a submitted visit back for revision."""
    access = authorize(store, token, Permission.REVIEW_VISITS)
    status = parse_enum(VisitStatus, decision, "decision")
    note = clean_text(note, "review_note")
    try:
        number = int(visit_id)
    except (TypeError, ValueError):
        raise NotYourVisit() from None
    store.review_visit(access.audit_id, number, status, note)


def visit_thumbnails(store: Store, token: str | None, visit_ids: Sequence[Any]) -> dict[int, list[dict[str, Any]]]:
    """Thumbnails of submitted visits of this audit (ids of drafts or of other audits are left out)."""
    access = authorize(store, token, Permission.REVIEW_VISITS)
    mine = {v.id for v in store.visits(access.audit_id) if v.status is not VisitStatus.DRAFT}
    wanted = [int(v) for v in visit_ids if str(v).isdigit() and int(v) in mine]
    return store.photo_thumbnails(wanted)


def analysis(store: Store, token: str | None, need: Permission = Permission.SET_STANDARDS) -> Analysis:
    """The scores of the current wave with all evidence (owner pages)."""
    if need not in (Permission.SET_STANDARDS, Permission.COMPARE_COMPETITORS, Permission.REVIEW_VISITS, Permission.VIEW_BOARD):
        raise NotAllowed(f"{Permission(need).value} does not open the analysis")
    access = authorize(store, token, need)
    return analyse(store.load(access.audit_id))


def _touchpoint(store: Store, audit_id: str, touchpoint_id: Any) -> Touchpoint:
    found = store.catalog(audit_id).by_id().get(touchpoint_id) if isinstance(touchpoint_id, str) else None
    if found is None:
        raise ValidationError("touchpoint", touchpoint_id, "is not in this audit's catalog")
    return found


def set_standard(store: Store, token: str | None, touchpoint_id: Any, standard: Standard | None) -> None:
    """Set or edit this audit's standard of a touchpoint; ``None`` switches it off."""
    access = authorize(store, token, Permission.SET_STANDARDS)
    tp = _touchpoint(store, access.audit_id, touchpoint_id)
    if standard is not None and not isinstance(standard, Standard):
        raise ValidationError("standard", standard, "must be a standard")
    store.set_standard(access.audit_id, tp.id, standard)


def reset_standard(store: Store, token: str | None, touchpoint_id: Any) -> Standard | None:
    """Back to the catalog's default standard of the touchpoint (none if the catalog has none)."""
    access = authorize(store, token, Permission.SET_STANDARDS)
    tp = _touchpoint(store, access.audit_id, touchpoint_id)
    store.set_standard(access.audit_id, tp.id, tp.standard)
    return tp.standard


def save_competitor_note(
    store: Store, token: str | None, *, competitor: Any, touchpoint_id: Any, versus: Any, reaction: Any = None,
    borrow: Any = "", author: Any = "",
) -> CompetitorNote:
    """How a competitor does at one touchpoint compared with us (one note per competitor and touchpoint)."""
    access = authorize(store, token, Permission.COMPARE_COMPETITORS)
    tp = _touchpoint(store, access.audit_id, touchpoint_id)
    wave = store.get_audit(access.audit_id).wave
    note = CompetitorNote(access.audit_id, competitor, tp.id, versus, reaction or None, borrow or "", author or "", wave)
    return store.save_competitor_note(note)


def add_competitor(store: Store, token: str | None, name: Any) -> Audit:
    """Add a competitor to the audit (names must differ)."""
    access = authorize(store, token, Permission.COMPARE_COMPETITORS)
    audit = store.get_audit(access.audit_id)
    name = clean_text(name, "competitor", required=True, limit=300)
    return store.update_audit(dataclasses.replace(audit, competitors=(*audit.competitors, name)))
