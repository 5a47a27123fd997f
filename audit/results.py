"""After the workshop: results, the plan, downloads, the Excel round trip and waves, guarded.

Every function here takes the link's token and asks :mod:`audit.access` first,
on every call, like the workshop's guarded operations:

- the results (charts, wave comparison) need ``VIEW_RESULTS``: the owner
  always, the team only while the owner shares them (read-only);
- sharing them needs ``SHARE_RESULTS``; the plan editor and the upload of an
  edited workbook ``EDIT_PLAN``; the workbook and CSV ``DOWNLOAD``; starting a
  wave ``MANAGE_WAVES`` (all owner only).

No Streamlit here: pages call these functions and show what they return.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from audit import planedit, roundtrip, waves
from audit.access import Permission, authorize
from audit.model import Action, Audit, AuditData, ValidationError, parse_int
from audit.plansync import PlanView, sync_stored_plan
from audit.scoring import Analysis, analyse
from audit.store import Access, Store
from audit.workbook import write_workbook

CROSSHAIR_CHOICES = ("mean", "median", "midpoint")
Progress = Callable[[float, str], None]


def _crosshair(value: Any) -> str:
    """Only the three documented choices (a widget's value is not trusted)."""
    return value if value in CROSSHAIR_CHOICES else "mean"


def _wave(audit: Audit, wave: Any) -> int:
    if wave is None:
        return audit.wave
    return parse_int(wave, "wave", 1, audit.wave)


# ------------------------------------------------------------------ results (owner; team when shared)


def audit_for_results(store: Store, token: str | None) -> tuple[Access, Audit]:
    access = authorize(store, token, Permission.VIEW_RESULTS)
    return access, store.get_audit(access.audit_id)


def load(store: Store, token: str | None, wave: Any = None) -> AuditData:
    """Everything one wave's analysis needs (default: the current wave)."""
    access, audit = audit_for_results(store, token)
    return store.load(access.audit_id, wave=_wave(audit, wave))


def analysis(store: Store, token: str | None, crosshair: Any = "mean", wave: Any = None) -> Analysis:
    return analyse(load(store, token, wave), _crosshair(crosshair))


def plan_for_results(store: Store, token: str | None) -> list[Action]:
    """The plan, read-only (the wave comparison marks actions done without improvement)."""
    access, _ = audit_for_results(store, token)
    return store.actions(access.audit_id)


def compare(store: Store, token: str | None, before: Any, after: Any, crosshair: Any = "mean") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two waves side by side, and the actions marked done whose touchpoint did not improve."""
    access, audit = audit_for_results(store, token)
    first, second = _wave(audit, before), _wave(audit, after)
    choice = _crosshair(crosshair)
    table = waves.compare_waves(analyse(store.load(access.audit_id, wave=first), choice),
                                analyse(store.load(access.audit_id, wave=second), choice))
    return table, waves.done_not_improved(table, store.actions(access.audit_id))


def share_results(store: Store, token: str | None, shared: bool) -> Audit:
    """The owner lets the team link see the results page (read-only), or stops it."""
    access = authorize(store, token, Permission.SHARE_RESULTS)
    return store.set_results_shared(access.audit_id, bool(shared))


# ------------------------------------------------------------------ the plan (owner)


def plan_view(store: Store, token: str | None, *, crosshair: Any = "mean", today: dt.date | None = None) -> PlanView:
    """The stored plan, first brought in line with the current analysis (:mod:`audit.plansync`)."""
    access = authorize(store, token, Permission.EDIT_PLAN)
    return sync_stored_plan(store, access.audit_id, analyse(store.load(access.audit_id), _crosshair(crosshair)), today=today)


def plan(store: Store, token: str | None, *, today: dt.date | None = None, crosshair: Any = "mean", sync: bool = True) -> list[Action]:
    """The stored plan; with ``sync`` (default) it first follows the current ratings (see :func:`plan_view`)."""
    if sync:
        return list(plan_view(store, token, crosshair=crosshair, today=today).actions)
    access = authorize(store, token, Permission.EDIT_PLAN)
    return store.actions(access.audit_id)


def suggestions(store: Store, token: str | None) -> dict[int, dict[str, Any] | None]:
    access = authorize(store, token, Permission.EDIT_PLAN)
    return store.suggestions(access.audit_id)


def save_edit(store: Store, token: str | None, edit: planedit.PlanEdit) -> list[Action]:
    """Store one checked edit of the plan in one transaction (nothing if it has problems)."""
    access = authorize(store, token, Permission.EDIT_PLAN)
    if edit.problems:
        raise ValidationError(edit.problems[0].field, edit.problems[0].value, edit.problems[0].rule)
    known = {tp.id for tp in store.catalog(access.audit_id).touchpoints}
    saves = []
    for action in edit.saves:
        if action.touchpoint_id not in known:
            raise ValidationError("touchpoint", action.touchpoint_id, "is not in this audit's catalog")
        saves.append(action if action.audit_id == access.audit_id else dataclasses.replace(action, audit_id=access.audit_id))
    return store.edit_actions(access.audit_id, save=saves, delete=edit.deletes)


# ------------------------------------------------------------------ downloads (owner)


def workbook(store: Store, token: str | None, crosshair: Any = "mean", *, progress: Progress | None = None,
             today: dt.date | None = None) -> bytes:
    """The audit's Excel workbook (the scoring issue's), with the stored plan and its action ids."""
    step = progress or (lambda _share, _what: None)
    access = authorize(store, token, Permission.DOWNLOAD)
    step(0.05, "load")
    data = store.load(access.audit_id)
    step(0.25, "analyse")
    result = analyse(data, _crosshair(crosshair))
    step(0.45, "plan")
    view = sync_stored_plan(store, access.audit_id, result, today=today)
    step(0.55, "write")
    out = io.BytesIO()
    write_workbook(out, result, view.actions, says=view.says)
    step(1.0, "done")
    return out.getvalue()


def report(store: Store, token: str | None, crosshair: Any = "mean", *, today: dt.date | None = None) -> bytes:
    """The owner's PDF report, from the same analysis and synced plan as the workbook (:mod:`audit.report`)."""
    from audit.report import build_report

    access = authorize(store, token, Permission.DOWNLOAD)
    result = analyse(store.load(access.audit_id), _crosshair(crosshair))
    view = sync_stored_plan(store, access.audit_id, result, today=today)
    return build_report(result, view.actions, view.says)


def plan_csv(store: Store, token: str | None, lang: str) -> bytes:
    access = authorize(store, token, Permission.DOWNLOAD)
    return planedit.plan_csv(store.actions(access.audit_id), store.catalog(access.audit_id), lang)


def file_name(audit: Audit, extension: str) -> str:
    """``touchpoint-audit-<name>-wave-<n>.<ext>``: letters and digits of the name only."""
    slug = "".join(c if c.isalnum() else "-" for c in audit.name.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part)[:40] or "audit"
    return f"touchpoint-audit-{slug}-wave-{audit.wave}.{extension}"


# ------------------------------------------------------------------ the Excel round trip (owner)


def preview_upload(store: Store, token: str | None, data: bytes) -> roundtrip.Preview:
    """What an uploaded workbook would change: changes, deleted rows, refused edits, problems (nothing stored)."""
    access = authorize(store, token, Permission.EDIT_PLAN)
    return roundtrip.preview_workbook(data, access.audit_id, store.actions(access.audit_id))


def apply_upload(store: Store, token: str | None, changes: Sequence[roundtrip.Change],
                 delete: Sequence[Action] = ()) -> int:
    """Apply the previewed changes, and delete the rows the owner chose to delete.

    The store refuses the whole file when an action was deleted or changed
    in the app after the preview (the owner uploads the file again).
    """
    access = authorize(store, token, Permission.EDIT_PLAN)
    return roundtrip.apply_changes(store, access.audit_id, changes, delete)


# ------------------------------------------------------------------ waves (owner)


def wave_counts(store: Store, token: str | None) -> tuple[Audit, dict[int, dict[str, int]]]:
    access = authorize(store, token, Permission.MANAGE_WAVES)
    return store.get_audit(access.audit_id), store.wave_counts(access.audit_id)


def start_wave(store: Store, token: str | None, current: Any) -> Audit:
    """Start the next wave after ``current`` (a second click, or another tab, does not skip a wave)."""
    access = authorize(store, token, Permission.MANAGE_WAVES)
    audit = store.get_audit(access.audit_id)
    return store.start_next_wave(access.audit_id, parse_int(current, "wave", 1, audit.wave))


__all__: Sequence[str] = (
    "analysis", "apply_upload", "audit_for_results", "compare", "file_name", "load", "plan", "plan_csv", "plan_for_results",
    "plan_view", "preview_upload", "report", "save_edit", "share_results", "start_wave", "suggestions", "wave_counts", "workbook",
)
