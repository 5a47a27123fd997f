"""The analysis of an audit wave, computed once per data version and shared by every page and session.

Every page that shows the analysis (results and their every click, the
plan, the owner's evidence pages, the workbook and the report) asks here
inside the unit of work in which it checked the link. The audit's data
version (:mod:`audit.store.versions`) and, when nothing is kept for it, the
data itself are read in that unit's one snapshot, so a kept value always
belongs to exactly the data it was computed from; any write changes the
version, so the next request sees it at once. Values live in the store's
:class:`~audit.store.derived.Derived` (bounded, newest version per family,
one computation for many sessions asking at once) and are shared read-only.
"""

from __future__ import annotations

from audit.ipa import Crosshair
from audit.model import AuditData
from audit.scoring import Analysis, analyse
from audit.store import Unit


def current_wave(tx: Unit, audit_id: str) -> int:
    return tx.get_audit(audit_id).wave


def wave_data(tx: Unit, audit_id: str, wave: int) -> AuditData:
    """Everything the analysis of one wave reads (ratings and visits as columns), kept per data version."""
    version = tx.data_version(audit_id).data
    return tx.store.derived.get(("data", audit_id, wave), version, lambda: tx.load(audit_id, wave))


def wave_analysis(tx: Unit, audit_id: str, wave: int, crosshair: Crosshair, view: str = "team") -> Analysis:
    """The analysis of one wave with one crosshair and IPA view (checked choices), kept per data version."""
    return versioned_analysis(tx, audit_id, wave, crosshair, view)[1]


def versioned_analysis(tx: Unit, audit_id: str, wave: int, crosshair: Crosshair, view: str = "team") -> tuple[int, Analysis]:
    """:func:`wave_analysis` and the data version it belongs to (what is drawn from it can be kept under that version)."""
    version = tx.data_version(audit_id).data
    analysis = tx.store.derived.get(
        ("analysis", audit_id, wave, crosshair, view), version, lambda: analyse(wave_data(tx, audit_id, wave), crosshair, view=view)
    )
    return version, analysis
