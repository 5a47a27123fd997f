"""Mystery-shopper visits, from the shopper link: a shopper's own drafts, observations, photos and submission.

The rules a draft and a submission follow, whatever the browser sends:
- a visit cannot be dated in the future (5 minutes of clock difference allowed);
- a draft may be empty; a submitted visit needs at least one observation;
- only the shopper who filed a visit can change it, and only while it is a
  draft or sent back for revision (the store enforces this in one transaction);
- photos are checked by content (:mod:`audit.photos`) before anything is stored.

A shopper names themself once (a participant with the role "shopper", its id
in the URL like a team member's); every call checks that the id is a shopper
*of this link's audit* and touches only visits whose shopper_id is that id.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from audit.model import Observation, Participant, Role, ShopperVisit, Standard, ValidationError, VisitStatus, clean_text, utcnow
from audit.photos import check_photo
from audit.services.access import NotYourVisit, guard, shopper
from audit.services.permissions import Permission
from audit.shopper_report import answered, with_observation, without_observation
from audit.store import Access, Concerns, Store

CLOCK_SKEW = dt.timedelta(minutes=5)
VISIT_FIELDS = ("target", "channel", "visited_at", "location", "scenario", "recommend")


# ------------------------------------------------------------------ the rules


def check_date(visit: ShopperVisit, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    if visit.visited_at > now + CLOCK_SKEW:
        raise ValidationError("visited_at", visit.visited_at.isoformat(timespec="minutes"), "future_visit")


def save_draft(store: Concerns, visit: ShopperVisit, now: dt.datetime | None = None) -> ShopperVisit:
    """Save what the shopper has so far (status stays draft or revision)."""
    check_date(visit, now)
    status = visit.status if visit.status in (VisitStatus.DRAFT, VisitStatus.REVISION) else VisitStatus.DRAFT
    return store.save_visit(dataclasses.replace(visit, status=status))


def submit(store: Concerns, visit: ShopperVisit, now: dt.datetime | None = None) -> ShopperVisit:
    """Submit a visit for the owner's review; it is locked for the shopper afterwards."""
    check_date(visit, now)
    if not visit.observations:
        raise ValidationError("observations", [], "need_observation")
    return store.save_visit(dataclasses.replace(visit, status=VisitStatus.SUBMITTED))


def attach_photo(store: Concerns, visit: ShopperVisit, data: bytes, touchpoint_id: str | None = None) -> int:
    """Check a photo by content and store it with its visit (drafts only)."""
    if visit.id is None:
        raise ValidationError("visit", None, "save_first")
    if visit.status not in (VisitStatus.DRAFT, VisitStatus.REVISION):
        raise ValidationError("visit", visit.status.value, "photo_draft")
    photo = check_photo(data)
    return store.add_photo(visit.id, photo.mime, photo.data, photo.thumbnail, touchpoint_id)


def judge(standard: Standard | None, measurement: float | None) -> bool | None:
    """Met (True), not met (False), or nothing to judge (None)."""
    if standard is None or measurement is None:
        return None
    return standard.is_met(measurement)


# ------------------------------------------------------------------ the shopper link


def join_shopper(store: Store, token: str | None, name: Any) -> Participant:
    """A shopper enters their name once and becomes a shopper of the link's audit."""
    with guard(store, token, Permission.SHOPPER_VISIT, write=True) as (tx, access):
        name = clean_text(name, "name", required=True, limit=120)
        return tx.add_participant(access.audit_id, name, Role.SHOPPER)


def _my_visit(store: Concerns, access: Access, person: Participant, visit_id: Any) -> ShopperVisit:
    for visit in store.visits(access.audit_id, shopper_id=person.id):
        if visit.id is not None and str(visit.id) == str(visit_id):
            return visit
    raise NotYourVisit()


def my_visits(store: Store, token: str | None, participant_id: str | None) -> list[ShopperVisit]:
    """This shopper's own visits (every wave), oldest first."""
    with guard(store, token, Permission.SHOPPER_VISIT) as (tx, access):
        return tx.visits(access.audit_id, shopper_id=shopper(tx, access, participant_id).id)


def my_visit(store: Store, token: str | None, participant_id: str | None, visit_id: Any) -> ShopperVisit:
    with guard(store, token, Permission.SHOPPER_VISIT) as (tx, access):
        return _my_visit(tx, access, shopper(tx, access, participant_id), visit_id)


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
    with guard(store, token, Permission.SHOPPER_VISIT, write=True) as (tx, access):
        person = shopper(tx, access, participant_id)
        wave = tx.get_audit(access.audit_id).wave
        visit = ShopperVisit(None, access.audit_id, person.id, visited_at, channel, target=target or "", location=location or "", wave=wave)
        return save_draft(tx, visit, now)


def _change_draft(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any,
    change: Callable[[ShopperVisit], ShopperVisit], now: dt.datetime | None,
) -> ShopperVisit:
    """Read one's own visit, change it and save the draft, in one transaction."""
    with guard(store, token, Permission.SHOPPER_VISIT, write=True) as (tx, access):
        current = _my_visit(tx, access, shopper(tx, access, participant_id), visit_id)
        return save_draft(tx, change(current), now)


def update_visit(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any, *, now: dt.datetime | None = None, **changes: Any
) -> ShopperVisit:
    """Change some details of one's own draft (the fields of :data:`VISIT_FIELDS`), saved at once."""
    unknown = [k for k in changes if k not in VISIT_FIELDS]
    if unknown or not changes:
        raise ValidationError("fields", unknown or list(changes), "some_of", choices=", ".join(VISIT_FIELDS))
    if "target" in changes:
        changes["target"] = changes["target"] or ""
    return _change_draft(store, token, participant_id, visit_id, lambda current: dataclasses.replace(current, **changes), now)


def save_observation(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any, observation: Observation,
    *, now: dt.datetime | None = None,
) -> ShopperVisit:
    """Add or replace one touchpoint's observation in one's own draft (checked against the kind of its standard)."""
    with guard(store, token, Permission.SHOPPER_VISIT, write=True) as (tx, access):
        current = _my_visit(tx, access, shopper(tx, access, participant_id), visit_id)
        standard = tx.standards(access.audit_id).get(observation.touchpoint_id) if current.is_ours else None
        return save_draft(tx, with_observation(current, answered(observation, standard)), now)


def remove_observation(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any, touchpoint_id: str,
    *, now: dt.datetime | None = None,
) -> ShopperVisit:
    return _change_draft(store, token, participant_id, visit_id, lambda current: without_observation(current, touchpoint_id), now)


def submit_visit(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any, *, now: dt.datetime | None = None
) -> ShopperVisit:
    """Send one's own visit to the owner; the shopper cannot change it afterwards."""
    with guard(store, token, Permission.SHOPPER_VISIT, write=True) as (tx, access):
        return submit(tx, _my_visit(tx, access, shopper(tx, access, participant_id), visit_id), now)


def add_photo(
    store: Store, token: str | None, participant_id: str | None, visit_id: Any, data: bytes, touchpoint_id: str | None = None
) -> int:
    """Check a photo by content and keep it with one's own draft (nothing is stored if it is refused).

    The picture is decoded and shrunk outside any transaction (it takes a
    while); the store adds it in one short write.
    """
    with guard(store, token, Permission.SHOPPER_VISIT) as (tx, access):
        visit = _my_visit(tx, access, shopper(tx, access, participant_id), visit_id)
        known = {tp.id for tp in tx.catalog(access.audit_id).touchpoints}
    if touchpoint_id and touchpoint_id not in known:
        raise ValidationError("touchpoint", touchpoint_id, "not_in_catalog")
    return attach_photo(store, visit, data, touchpoint_id or None)


def remove_photo(store: Store, token: str | None, participant_id: str | None, visit_id: Any, photo_id: int) -> None:
    with guard(store, token, Permission.SHOPPER_VISIT, write=True) as (tx, access):
        visit = _my_visit(tx, access, shopper(tx, access, participant_id), visit_id)
        tx.delete_photo(int(visit.id or 0), int(photo_id))


def my_photos(store: Store, token: str | None, participant_id: str | None, visit_id: Any) -> list[dict[str, Any]]:
    """Thumbnails of one's own visit."""
    with guard(store, token, Permission.SHOPPER_VISIT) as (tx, access):
        visit = _my_visit(tx, access, shopper(tx, access, participant_id), visit_id)
        return tx.photo_thumbnails([int(visit.id or 0)])[int(visit.id or 0)]


def measures(store: Store, token: str | None) -> dict[str, Standard]:
    """The audit's standards, so the shopper's form asks for the right measurement."""
    with guard(store, token, Permission.SHOPPER_VISIT) as (tx, access):
        return tx.standards(access.audit_id)
