"""The action plan: actions stored whole or edited all-or-nothing, each keeping its generated suggestion."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.model import MAX_NAME, MAX_TEXT, Action, ActionStatus, ValidationError, clean_text, utcnow
from audit.store.audits import require_audit
from audit.store.base import Records
from audit.store.codecs import action_from_row, action_values
from audit.store.errors import NotFound, StoreError
from audit.store.schema import actions
from audit.store.versions import PLAN

# What an uploaded workbook may change in an action, and how each is checked.
CHANGEABLE = ("status", "owner", "due", "notes")
Change = tuple[int, dict[str, Any], dict[str, Any]]


def _insert_all(conn: Connection, audit_id: str, items: Sequence[Action], now: dt.datetime) -> None:
    if items:
        conn.execute(actions.insert(), [action_values(a, audit_id, i, now) for i, a in enumerate(items)])


def _update(conn: Connection, audit_id: str, action: Action, now: dt.datetime, missing: str) -> int:
    """Add (``id is None``) or update one action, keeping its suggestion; ``missing`` is the message code when it is gone."""
    values = action_values(action, audit_id, action.position, now)
    if action.id is None:
        new_id: int = conn.execute(actions.insert().values(**values).returning(actions.c.id)).scalar_one()
        return new_id
    values.pop("suggested")
    result = conn.execute(actions.update().where(actions.c.id == action.id, actions.c.audit_id == audit_id).values(**values))
    if result.rowcount == 0:
        raise NotFound(missing, id=str(action.id))
    return action.id


def _checked_changes(items: Sequence[tuple[int, Mapping[str, Any], Mapping[str, Any]]]) -> list[Change]:
    """Validate ``(action_id, before, after)`` changes before anything is written."""
    checked = []
    for action_id, before, after in items:
        unknown = (set(before) | set(after)) - set(CHANGEABLE)
        if unknown:
            raise ValidationError("fields", sorted(unknown), "plan_fields")
        values: dict[str, Any] = {}
        for name, value in after.items():
            if name == "status":
                values[name] = ActionStatus(value).value
            elif name == "due":
                if value is not None and not isinstance(value, dt.date):
                    raise ValidationError("due", value, "date")
                values[name] = value
            else:
                values[name] = clean_text(value, name, limit=MAX_NAME if name == "owner" else MAX_TEXT)
        checked.append((int(action_id), dict(before), values))
    return checked


def _apply_changes(conn: Connection, audit_id: str, checked: Sequence[Change], now: dt.datetime) -> None:
    for action_id, before, values in checked:
        row = conn.execute(sa.select(actions).where(actions.c.id == action_id, actions.c.audit_id == audit_id)).mappings().first()
        if row is None:
            raise StoreError("action_gone", id=str(action_id))
        for name, value in before.items():
            if (row[name] or None) != (getattr(value, "value", value) or None):
                raise StoreError("action_changed", id=str(action_id))
        conn.execute(actions.update().where(actions.c.id == action_id).values(**values, updated_at=now))


class PlanRecords(Records):
    """Actions of an audit's plan."""

    def replace_actions(self, audit_id: str, items: Sequence[Action]) -> list[Action]:
        """Store a whole plan at once (e.g. the first generated plan)."""
        now = utcnow()

        def work(conn: Connection) -> None:
            conn.execute(actions.delete().where(actions.c.audit_id == audit_id))
            _insert_all(conn, audit_id, items, now)

        self._write_audit(audit_id, work, writer=PLAN)
        return self.actions(audit_id)

    def save_action(self, action: Action) -> Action:
        now = utcnow()
        missing = "no_action_here"
        saved = self._write_audit(action.audit_id, lambda conn: _update(conn, action.audit_id, action, now, missing), writer=PLAN)
        return dataclasses.replace(action, id=saved)

    def delete_action(self, audit_id: str, action_id: int) -> None:
        delete = actions.delete().where(actions.c.id == action_id, actions.c.audit_id == audit_id)
        self._write_audit(audit_id, lambda conn: conn.execute(delete), writer=PLAN)

    def actions(self, audit_id: str) -> list[Action]:
        with self._read() as conn:
            rows = conn.execute(
                sa.select(actions).where(actions.c.audit_id == audit_id).order_by(actions.c.position, actions.c.id)
            ).mappings().all()
        return [action_from_row(r) for r in rows]

    def suggested_action(self, audit_id: str, action_id: int) -> dict[str, Any] | None:
        with self._read() as conn:
            found: dict[str, Any] | None = conn.execute(
                sa.select(actions.c.suggested).where(actions.c.id == action_id, actions.c.audit_id == audit_id)
            ).scalar_one_or_none()
        return found

    def suggestions(self, audit_id: str) -> dict[int, dict[str, Any] | None]:
        """The generated suggestion kept for every action of the plan (``None``: added by a person)."""
        with self._read() as conn:
            rows = conn.execute(sa.select(actions.c.id, actions.c.suggested).where(actions.c.audit_id == audit_id)).all()
        return {row.id: row.suggested for row in rows}

    def create_plan_once(self, audit_id: str, items: Sequence[Action]) -> list[Action]:
        """Store a generated plan only if the audit has no plan yet; returns the stored plan.

        Two people opening the plan at the same moment store it once.
        """
        now = utcnow()

        def work(conn: Connection) -> None:
            require_audit(conn, audit_id)
            if conn.execute(sa.select(actions.c.id).where(actions.c.audit_id == audit_id).limit(1)).first() is None:
                _insert_all(conn, audit_id, items, now)

        self._write_audit(audit_id, work, writer=PLAN)
        return self.actions(audit_id)

    def edit_actions(self, audit_id: str, *, save: Sequence[Action] = (), delete: Sequence[int] = ()) -> list[Action]:
        """Save (``id is None``: add), and delete actions of one audit in ONE transaction: all or nothing.

        An edited action keeps its generated suggestion. An id that is not an
        action of this audit refuses the whole edit (:class:`NotFound`).
        """
        now = utcnow()

        def work(conn: Connection) -> None:
            for action_id in delete:
                result = conn.execute(actions.delete().where(actions.c.id == action_id, actions.c.audit_id == audit_id))
                if result.rowcount == 0:
                    raise NotFound("no_action", id=str(action_id))
            for action in save:
                _update(conn, audit_id, action, now, "no_action")

        self._write_audit(audit_id, work, writer=PLAN)
        return self.actions(audit_id)

    def apply_action_changes(self, audit_id: str, items: Sequence[tuple[int, Mapping[str, Any], Mapping[str, Any]]],
                             delete: Sequence[tuple[int, Mapping[str, Any]]] = ()) -> None:
        """Apply ``(action_id, before, after)`` changes of status, owner, due and notes, and delete the
        ``(action_id, before)`` actions, in ONE transaction.

        Every action must still exist and still hold its ``before`` values
        (nobody changed it since the preview); otherwise nothing is applied
        and :class:`StoreError` says why.
        """
        checked = _checked_changes(items)
        now = utcnow()

        def work(conn: Connection) -> None:
            _apply_changes(conn, audit_id, checked, now)
            for action_id, before in delete:
                row = conn.execute(sa.select(actions).where(actions.c.id == action_id, actions.c.audit_id == audit_id)).mappings().first()
                if row is None:
                    raise StoreError("action_gone", id=str(action_id))
                if any((row[name] or None) != (getattr(value, "value", value) or None) for name, value in before.items()):
                    raise StoreError("action_changed", id=str(action_id))
                conn.execute(actions.delete().where(actions.c.id == action_id, actions.c.audit_id == audit_id))

        self._write_audit(audit_id, work, writer=PLAN)
