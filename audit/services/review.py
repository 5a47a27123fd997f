"""The owner's review of shoppers' visits: what was filed, the decision on each, and its photos."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from audit.model import Audit, Catalog, Participant, ShopperVisit, Standard, VisitStatus, clean_text, parse_enum
from audit.services.access import NotYourVisit, guard
from audit.services.permissions import Permission
from audit.store import Store


@dataclass(frozen=True)
class ReviewData:
    """What the owner's review page needs: every visit of the current wave (drafts only counted)."""

    audit: Audit
    catalog: Catalog
    visits: tuple[ShopperVisit, ...]
    participants: tuple[Participant, ...]
    standards: Mapping[str, Standard]


def review_data(store: Store, token: str | None) -> ReviewData:
    with guard(store, token, Permission.REVIEW_VISITS) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        return ReviewData(
            audit, tx.catalog(audit.id), tuple(tx.visits(audit.id, wave=audit.wave)),
            tuple(tx.participants(audit.id)), tx.standards(audit.id),
        )


def review_visit(store: Store, token: str | None, visit_id: Any, decision: Any, note: Any = "") -> None:
    """Accept, reject (a reason is required) or send a submitted visit back for revision."""
    with guard(store, token, Permission.REVIEW_VISITS, write=True) as (tx, access):
        status = parse_enum(VisitStatus, decision, "decision")
        note = clean_text(note, "review_note")
        try:
            number = int(visit_id)
        except (TypeError, ValueError):
            raise NotYourVisit() from None
        tx.review_visit(access.audit_id, number, status, note)


def visit_thumbnails(store: Store, token: str | None, visit_ids: Sequence[Any]) -> dict[int, list[dict[str, Any]]]:
    """Thumbnails of submitted visits of this audit (ids of drafts or of other audits are left out)."""
    with guard(store, token, Permission.REVIEW_VISITS) as (tx, access):
        mine = {v.id for v in tx.visits(access.audit_id) if v.status is not VisitStatus.DRAFT}
        wanted = [int(v) for v in visit_ids if str(v).isdigit() and int(v) in mine]
        return tx.photo_thumbnails(wanted)
