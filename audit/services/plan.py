"""The action plan, owner only (``EDIT_PLAN``): generated once, edited in the grid, refreshed, and round-tripped through Excel."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from audit import planedit, roundtrip
from audit.model import Action, ValidationError
from audit.plan import propose_plan
from audit.scoring import analyse
from audit.services.access import authorize, guard
from audit.services.permissions import Permission
from audit.store import Store


def plan(store: Store, token: str | None, *, today: dt.date | None = None) -> list[Action]:
    """The stored plan; the first time, once the team has rated, the generated plan is stored."""
    with guard(store, token, Permission.EDIT_PLAN) as (tx, access):
        stored = tx.actions(access.audit_id)
        data = None if stored else tx.load(access.audit_id)
    if data is None:
        return stored
    result = analyse(data)
    if not result.rated:
        return []
    return store.create_plan_once(access.audit_id, propose_plan(result, today=today))


def suggestions(store: Store, token: str | None) -> dict[int, dict[str, Any] | None]:
    with guard(store, token, Permission.EDIT_PLAN) as (tx, access):
        return tx.suggestions(access.audit_id)


def save_edit(store: Store, token: str | None, edit: planedit.PlanEdit) -> list[Action]:
    """Store one checked edit of the plan in one transaction (nothing if it has problems)."""
    with guard(store, token, Permission.EDIT_PLAN, write=True) as (tx, access):
        if edit.problems:
            raise ValidationError(edit.problems[0].field, edit.problems[0].value, edit.problems[0].rule)
        known = {tp.id for tp in tx.catalog(access.audit_id).touchpoints}
        saves = []
        for action in edit.saves:
            if action.touchpoint_id not in known:
                raise ValidationError("touchpoint", action.touchpoint_id, "is not in this audit's catalog")
            saves.append(action if action.audit_id == access.audit_id else dataclasses.replace(action, audit_id=access.audit_id))
        return tx.edit_actions(access.audit_id, save=saves, delete=edit.deletes)


def refresh(store: Store, token: str | None, *, today: dt.date | None = None) -> planedit.PlanEdit:
    """Bring the current suggestions into the plan, keeping everything the owner touched."""
    with guard(store, token, Permission.EDIT_PLAN) as (tx, access):
        data, actions, kept = tx.load(access.audit_id), tx.actions(access.audit_id), tx.suggestions(access.audit_id)
    edit = planedit.refresh_plan(actions, kept, propose_plan(analyse(data), today=today))
    store.edit_actions(access.audit_id, save=edit.saves, delete=edit.deletes)
    return edit


def preview_upload(store: Store, token: str | None, data: bytes) -> tuple[list[roundtrip.Change], list[roundtrip.Problem]]:
    with guard(store, token, Permission.EDIT_PLAN) as (tx, access):
        actions = tx.actions(access.audit_id)
    return roundtrip.read_plan_workbook(data, access.audit_id, actions)


def apply_upload(store: Store, token: str | None, changes: Sequence[roundtrip.Change]) -> int:
    """Apply the previewed changes in one transaction: all or nothing.

    The store refuses the whole file when an action was deleted or changed
    in the app after the preview (the owner uploads the file again).
    """
    access = authorize(store, token, Permission.EDIT_PLAN)
    return roundtrip.apply_changes(store, access.audit_id, changes)
