"""Evidence the owner adds beside the ratings: the audit's standards, competitor comparisons, and the analysis they feed."""

from __future__ import annotations

import dataclasses
from typing import Any

from audit.model import Audit, CompetitorNote, Standard, Touchpoint, ValidationError, clean_text
from audit.scoring import Analysis
from audit.services.access import NotAllowed, guard
from audit.services.analysis import current_wave, wave_analysis
from audit.services.permissions import Permission
from audit.store import Concerns, Store

# The owner pages that show the analysis of the current wave.
ANALYSIS_PAGES = (
    Permission.SET_STANDARDS, Permission.ENTER_ECONOMICS, Permission.COMPARE_COMPETITORS, Permission.REVIEW_VISITS, Permission.VIEW_BOARD,
)


def analysis(store: Store, token: str | None, need: Permission = Permission.SET_STANDARDS) -> Analysis:
    """The scores of the current wave with all evidence (owner pages)."""
    if need not in ANALYSIS_PAGES:
        raise NotAllowed(f"{Permission(need).value} does not open the analysis")
    with guard(store, token, need) as (tx, access):
        return wave_analysis(tx, access.audit_id, current_wave(tx, access.audit_id), "mean")


def _touchpoint(store: Concerns, audit_id: str, touchpoint_id: Any) -> Touchpoint:
    found = store.catalog(audit_id).by_id().get(touchpoint_id) if isinstance(touchpoint_id, str) else None
    if found is None:
        raise ValidationError("touchpoint", touchpoint_id, "not_in_catalog")
    return found


def set_standard(store: Store, token: str | None, touchpoint_id: Any, standard: Standard | None) -> None:
    """Set or edit this audit's standard of a touchpoint; ``None`` switches it off."""
    with guard(store, token, Permission.SET_STANDARDS, write=True) as (tx, access):
        tp = _touchpoint(tx, access.audit_id, touchpoint_id)
        if standard is not None and not isinstance(standard, Standard):
            raise ValidationError("standard", standard, "standard")
        tx.set_standard(access.audit_id, tp.id, standard)


def reset_standard(store: Store, token: str | None, touchpoint_id: Any) -> Standard | None:
    """Back to the catalog's default standard of the touchpoint (none if the catalog has none)."""
    with guard(store, token, Permission.SET_STANDARDS, write=True) as (tx, access):
        tp = _touchpoint(tx, access.audit_id, touchpoint_id)
        tx.set_standard(access.audit_id, tp.id, tp.standard)
        return tp.standard


def save_competitor_note(
    store: Store, token: str | None, *, competitor: Any, touchpoint_id: Any, versus: Any, reaction: Any = None,
    borrow: Any = "", author: Any = "",
) -> CompetitorNote:
    """How a competitor does at one touchpoint compared with us (one note per competitor and touchpoint)."""
    with guard(store, token, Permission.COMPARE_COMPETITORS, write=True) as (tx, access):
        tp = _touchpoint(tx, access.audit_id, touchpoint_id)
        wave = tx.get_audit(access.audit_id).wave
        note = CompetitorNote(access.audit_id, competitor, tp.id, versus, reaction or None, borrow or "", author or "", wave)
        return tx.save_competitor_note(note)


def add_competitor(store: Store, token: str | None, name: Any) -> Audit:
    """Add a competitor to the audit (names must differ); two owners adding at once both keep theirs."""
    with guard(store, token, Permission.COMPARE_COMPETITORS, write=True) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        name = clean_text(name, "competitor", required=True, limit=300)
        return tx.update_audit(dataclasses.replace(audit, competitors=(*audit.competitors, name)))
