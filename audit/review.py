"""The owner's review of shopper visits as plain functions (no Streamlit here).

- which visits a filter keeps (status, shopper, target), newest first;
- how many visits each shopper and each target has in each status (drafts
  are the shopper's own until submitted: counted, never shown in detail);
- every observation of a visit with its standard judged: met / not met for
  a measurement at our business against the audit's standard of that
  touchpoint (a measurement at a competitor is shown, not judged: the
  standard is ours).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from audit.model import Catalog, Participant, Reaction, ShopperVisit, Standard, VisitStatus

OURS = ""  # the target of a visit at our own business
STATUS_ORDER = (VisitStatus.SUBMITTED, VisitStatus.REVISION, VisitStatus.ACCEPTED, VisitStatus.REJECTED, VisitStatus.DRAFT)
REVIEWABLE = (VisitStatus.SUBMITTED, VisitStatus.ACCEPTED, VisitStatus.REJECTED, VisitStatus.REVISION)


def reviewable(visits: Iterable[ShopperVisit]) -> list[ShopperVisit]:
    """Visits the owner may see in detail: everything except drafts."""
    return [v for v in visits if v.status is not VisitStatus.DRAFT]


def select(
    visits: Iterable[ShopperVisit],
    statuses: Iterable[VisitStatus | str] = (),
    shopper_id: str | None = None,
    target: str | None = None,
) -> list[ShopperVisit]:
    """Visits matching every given filter (``target=""`` is our business), newest first."""
    wanted = {VisitStatus(s) for s in statuses}
    keep = [
        v for v in visits
        if (not wanted or v.status in wanted)
        and (shopper_id is None or v.shopper_id == shopper_id)
        and (target is None or v.target == target)
    ]
    return sorted(keep, key=lambda v: (v.visited_at, v.id or 0), reverse=True)


@dataclass(frozen=True, slots=True)
class Counts:
    """Visits of one shopper or one target, per status."""

    key: str  # shopper id, or target ("" = our business)
    label: str
    submitted: int = 0
    revision: int = 0
    accepted: int = 0
    rejected: int = 0
    draft: int = 0

    @property
    def total(self) -> int:
        return self.submitted + self.revision + self.accepted + self.rejected + self.draft


def _count(visits: Sequence[ShopperVisit], key: str, label: str) -> Counts:
    by = {s: sum(1 for v in visits if v.status is s) for s in VisitStatus}
    return Counts(key, label, by[VisitStatus.SUBMITTED], by[VisitStatus.REVISION], by[VisitStatus.ACCEPTED],
                  by[VisitStatus.REJECTED], by[VisitStatus.DRAFT])


def per_shopper(visits: Sequence[ShopperVisit], people: Iterable[Participant]) -> list[Counts]:
    """One line per shopper who has a visit, in the order they joined."""
    names = {p.id: p.name for p in people}
    order = list(names)
    ids = sorted({v.shopper_id for v in visits}, key=lambda i: (order.index(i) if i in names else len(order), i))
    return [_count([v for v in visits if v.shopper_id == i], i, names.get(i, i)) for i in ids]


def per_target(visits: Sequence[ShopperVisit], competitors: Sequence[str], ours: str = "our business") -> list[Counts]:
    """Our business first, then each competitor (those without visits too)."""
    targets = [OURS, *competitors, *sorted({v.target for v in visits} - {OURS, *competitors})]
    return [_count([v for v in visits if v.target == t], t, t or ours) for t in targets]


@dataclass(frozen=True, slots=True)
class ObservationLine:
    touchpoint_id: str
    name: str
    reaction: Reaction
    text: str
    measurement: float | None
    standard: Standard | None  # the audit's standard of the touchpoint (visits at our business only)
    met: bool | None  # None: nothing to judge


def observation_lines(visit: ShopperVisit, catalog: Catalog, standards: Mapping[str, Standard], language: str) -> list[ObservationLine]:
    names = {tp.id: tp.name.get(language) for tp in catalog.touchpoints}
    lines = []
    for o in visit.observations:
        std = standards.get(o.touchpoint_id) if visit.is_ours else None
        met = std.is_met(o.measurement) if std is not None and o.measurement is not None else None
        lines.append(ObservationLine(o.touchpoint_id, names.get(o.touchpoint_id, o.touchpoint_id), o.reaction, o.text,
                                     o.measurement, std, met))
    return lines
