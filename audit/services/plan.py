"""The action plan, owner only (``EDIT_PLAN``): kept in line with the ratings, edited in the grid, and round-tripped through Excel."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from audit import planedit, roundtrip
from audit.model import Action, ValidationError
from audit.plansync import PlanView, sync_stored_plan
from audit.services.access import authorize, guard
from audit.services.analysis import current_wave, wave_analysis
from audit.services.permissions import Permission
from audit.services.results import crosshair_choice, view_choice
from audit.store import Store


def plan_view(store: Store, token: str | None, *, crosshair: Any = "mean", today: dt.date | None = None,
              view: Any = "team") -> PlanView:
    """The stored plan, first brought in line with the current analysis (:mod:`audit.plansync`): suggestions
    nobody touched follow the ratings, the crosshair and the IPA view, rows a person wrote stay and are flagged."""
    with guard(store, token, Permission.EDIT_PLAN) as (tx, access):
        result = wave_analysis(tx, access.audit_id, current_wave(tx, access.audit_id), crosshair_choice(crosshair), view_choice(view))
    return sync_stored_plan(store, access.audit_id, result, today=today)


def plan(store: Store, token: str | None, *, today: dt.date | None = None, crosshair: Any = "mean", sync: bool = True,
         view: Any = "team") -> list[Action]:
    """The stored plan; with ``sync`` (default) it first follows the current ratings (see :func:`plan_view`)."""
    if sync:
        return list(plan_view(store, token, crosshair=crosshair, today=today, view=view).actions)
    with guard(store, token, Permission.EDIT_PLAN) as (tx, access):
        return tx.actions(access.audit_id)


def suggestions(store: Store, token: str | None) -> dict[int, dict[str, Any] | None]:
    with guard(store, token, Permission.EDIT_PLAN) as (tx, access):
        return tx.suggestions(access.audit_id)


def save_edit(store: Store, token: str | None, edit: planedit.PlanEdit) -> list[Action]:
    """Store one checked edit of the plan in one transaction (nothing if it has problems)."""
    with guard(store, token, Permission.EDIT_PLAN, write=True) as (tx, access):
        if edit.problems:
            first = edit.problems[0]
            raise ValidationError(first.field, first.value, first.key.removeprefix("rule."), **first.params)
        known = {tp.id for tp in tx.catalog(access.audit_id).touchpoints}
        saves = []
        for action in edit.saves:
            if action.touchpoint_id not in known:
                raise ValidationError("touchpoint", action.touchpoint_id, "not_in_catalog")
            saves.append(action if action.audit_id == access.audit_id else dataclasses.replace(action, audit_id=access.audit_id))
        return tx.edit_actions(access.audit_id, save=saves, delete=edit.deletes)


def preview_upload(store: Store, token: str | None, data: bytes) -> roundtrip.Preview:
    """What an uploaded workbook would change: changes, deleted rows, refused edits, problems (nothing stored)."""
    with guard(store, token, Permission.EDIT_PLAN) as (tx, access):
        actions = tx.actions(access.audit_id)
    return roundtrip.preview_workbook(data, access.audit_id, actions)


def apply_upload(store: Store, token: str | None, changes: Sequence[roundtrip.Change], delete: Sequence[Action] = ()) -> int:
    """Apply the previewed changes, and delete the rows the owner chose to delete, in one transaction.

    The store refuses the whole file when an action was deleted or changed
    in the app after the preview (the owner uploads the file again).
    """
    access = authorize(store, token, Permission.EDIT_PLAN)
    return roundtrip.apply_changes(store, access.audit_id, changes, delete)
