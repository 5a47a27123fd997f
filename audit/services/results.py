"""After the workshop: the results, the wave comparison, downloads and waves, guarded.

- the results (charts, wave comparison) need ``VIEW_RESULTS``: the owner
  always, the team only while the owner shares them (read-only);
- sharing them needs ``SHARE_RESULTS``; the workbook and CSV ``DOWNLOAD``;
  starting a wave ``MANAGE_WAVES`` (all owner only).

Every analysis reads its input from one snapshot; the scoring itself runs
outside any transaction.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pandas as pd

from audit import planedit, waves
from audit.model import Action, Audit, AuditData, parse_int
from audit.plansync import sync_stored_plan
from audit.scoring import VIEWS, Analysis
from audit.services.access import authorize, guard
from audit.services.analysis import current_wave, versioned_analysis, wave_analysis, wave_data
from audit.services.permissions import Permission
from audit.store import Access, Store
from audit.workbook import write_workbook

CROSSHAIR_CHOICES = ("mean", "median", "midpoint")
Progress = Callable[[float, str], None]


def crosshair_choice(value: Any) -> str:
    """Only the three documented choices (a widget's value is not trusted)."""
    return value if value in CROSSHAIR_CHOICES else "mean"


def wave_number(audit: Audit, wave: Any) -> int:
    """A wave of this audit (default: the current one); anything else is refused."""
    if wave is None:
        return audit.wave
    return parse_int(wave, "wave", 1, audit.wave)


# ------------------------------------------------------------------ results (owner; team when shared)


def audit_for_results(store: Store, token: str | None) -> tuple[Access, Audit]:
    with guard(store, token, Permission.VIEW_RESULTS) as (tx, access):
        return access, tx.get_audit(access.audit_id)


def load(store: Store, token: str | None, wave: Any = None) -> AuditData:
    """Everything one wave's analysis needs (default: the current wave); shared, read-only."""
    with guard(store, token, Permission.VIEW_RESULTS) as (tx, access):
        return wave_data(tx, access.audit_id, wave_number(tx.get_audit(access.audit_id), wave))


def view_choice(value: Any) -> str:
    """Only the IPA views of :data:`audit.scoring.VIEWS` (a widget's value is not trusted)."""
    return value if value in VIEWS else "team"


def analysis(store: Store, token: str | None, crosshair: Any = "mean", wave: Any = None, view: Any = "team") -> Analysis:
    """One wave's analysis (default: the current wave), computed once per data version (:mod:`audit.services.analysis`)."""
    return versioned(store, token, crosshair, wave, view)[1]


def versioned(store: Store, token: str | None, crosshair: Any = "mean", wave: Any = None, view: Any = "team") -> tuple[int, Analysis]:
    """:func:`analysis` and the audit's data version it was computed from (the page keeps its charts under it)."""
    with guard(store, token, Permission.VIEW_RESULTS) as (tx, access):
        number = wave_number(tx.get_audit(access.audit_id), wave)
        return versioned_analysis(tx, access.audit_id, number, crosshair_choice(crosshair), view_choice(view))


def plan_for_results(store: Store, token: str | None) -> list[Action]:
    """The plan, read-only (the wave comparison marks actions done without improvement)."""
    with guard(store, token, Permission.VIEW_RESULTS) as (tx, access):
        return tx.actions(access.audit_id)


def compare(store: Store, token: str | None, before: Any, after: Any, crosshair: Any = "mean",
            anchor: Any = "first") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two waves side by side on one fixed crosshair (``anchor``: the earlier wave's lines or the scale midpoint),
    and the actions marked done whose touchpoint did not improve."""
    with guard(store, token, Permission.VIEW_RESULTS) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        first, second = wave_number(audit, before), wave_number(audit, after)
        choice = crosshair_choice(crosshair)
        earlier, later = (wave_analysis(tx, access.audit_id, w, choice) for w in (first, second))
        actions = tx.actions(access.audit_id)
    fixed = anchor if anchor in waves.ANCHORS else "first"
    table = waves.compare_waves(earlier, later, fixed)
    return table, waves.done_not_improved(table, actions)


def share_results(store: Store, token: str | None, shared: bool) -> Audit:
    """The owner lets the team link see the results page (read-only), or stops it."""
    access = authorize(store, token, Permission.SHARE_RESULTS)
    return store.set_results_shared(access.audit_id, bool(shared))


# ------------------------------------------------------------------ downloads (owner)


def workbook(store: Store, token: str | None, crosshair: Any = "mean", *, progress: Progress | None = None,
             today: dt.date | None = None, view: Any = "team") -> bytes:
    """The audit's Excel workbook (the scoring issue's), with the stored plan and its action ids."""
    step = progress or (lambda _share, _what: None)
    with guard(store, token, Permission.DOWNLOAD) as (tx, access):
        step(0.05, "analyse")
        result = wave_analysis(tx, access.audit_id, current_wave(tx, access.audit_id), crosshair_choice(crosshair), view_choice(view))
    step(0.45, "plan")
    view = sync_stored_plan(store, access.audit_id, result, today=today)  # the plan of this very analysis
    step(0.55, "write")
    out = io.BytesIO()
    write_workbook(out, result, view.actions, says=view.says)
    step(1.0, "done")
    return out.getvalue()


def report(store: Store, token: str | None, crosshair: Any = "mean", *, today: dt.date | None = None, view: Any = "team") -> bytes:
    """The owner's PDF report, from the same analysis and synced plan as the workbook (:mod:`audit.report`)."""
    from audit.report import build_report

    with guard(store, token, Permission.DOWNLOAD) as (tx, access):
        result = wave_analysis(tx, access.audit_id, current_wave(tx, access.audit_id), crosshair_choice(crosshair), view_choice(view))
    view = sync_stored_plan(store, access.audit_id, result, today=today)
    return build_report(result, view.actions, view.says)


def plan_csv(store: Store, token: str | None, lang: str) -> bytes:
    with guard(store, token, Permission.DOWNLOAD) as (tx, access):
        actions, catalog = tx.actions(access.audit_id), tx.catalog(access.audit_id)
    return planedit.plan_csv(actions, catalog, lang)


def file_name(audit: Audit, extension: str) -> str:
    """``touchpoint-audit-<name>-wave-<n>.<ext>``: letters and digits of the name only."""
    slug = "".join(c if c.isalnum() else "-" for c in audit.name.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part)[:40] or "audit"
    return f"touchpoint-audit-{slug}-wave-{audit.wave}.{extension}"


# ------------------------------------------------------------------ waves (owner)


def wave_counts(store: Store, token: str | None) -> tuple[Audit, dict[int, dict[str, int]]]:
    with guard(store, token, Permission.MANAGE_WAVES) as (tx, access):
        return tx.get_audit(access.audit_id), tx.wave_counts(access.audit_id)


def start_wave(store: Store, token: str | None, current: Any) -> Audit:
    """Start the next wave after ``current`` (a second click, or another tab, does not skip a wave)."""
    with guard(store, token, Permission.MANAGE_WAVES, write=True) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        return tx.start_next_wave(access.audit_id, parse_int(current, "wave", 1, audit.wave))
