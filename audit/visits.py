"""Mystery-shopper visits: the rules a draft and a submission must follow.

Pages call these instead of the store directly, so the rules hold whatever the
browser sends:
- a visit cannot be dated in the future (5 minutes of clock difference allowed);
- a draft may be empty; a submitted visit needs at least one observation;
- only the shopper who filed a visit can change it, and only while it is a
  draft or sent back for revision (the store enforces this in one transaction);
- photos are checked by content (:mod:`audit.photos`) before anything is stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from audit.model import ShopperVisit, Standard, ValidationError, VisitStatus, utcnow
from audit.photos import check_photo
from audit.store import Store

CLOCK_SKEW = dt.timedelta(minutes=5)


def check_date(visit: ShopperVisit, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    if visit.visited_at > now + CLOCK_SKEW:
        raise ValidationError("visited_at", visit.visited_at.isoformat(timespec="minutes"), "a visit cannot be in the future")


def save_draft(store: Store, visit: ShopperVisit, now: dt.datetime | None = None) -> ShopperVisit:
    """Save what the shopper has so far (status stays draft or revision)."""
    check_date(visit, now)
    status = visit.status if visit.status in (VisitStatus.DRAFT, VisitStatus.REVISION) else VisitStatus.DRAFT
    return store.save_visit(dataclasses.replace(visit, status=status))


def submit(store: Store, visit: ShopperVisit, now: dt.datetime | None = None) -> ShopperVisit:
    """Submit a visit for the owner's review; it is locked for the shopper afterwards."""
    check_date(visit, now)
    if not visit.observations:
        raise ValidationError("observations", [], "a visit needs at least one observed touchpoint before it is submitted")
    return store.save_visit(dataclasses.replace(visit, status=VisitStatus.SUBMITTED))


def attach_photo(store: Store, visit: ShopperVisit, data: bytes, touchpoint_id: str | None = None) -> int:
    """Check a photo by content and store it with its visit (drafts only)."""
    if visit.id is None:
        raise ValidationError("visit", None, "save the visit before adding photos")
    if visit.status not in (VisitStatus.DRAFT, VisitStatus.REVISION):
        raise ValidationError("visit", visit.status.value, "photos can only be added while the visit is a draft")
    photo = check_photo(data)
    return store.add_photo(visit.id, photo.mime, photo.data, photo.thumbnail, touchpoint_id)


def judge(standard: Standard | None, measurement: float | None) -> bool | None:
    """Met (True), not met (False), or nothing to judge (None)."""
    if standard is None or measurement is None:
        return None
    return standard.is_met(measurement)
