"""Editing the plan: from the rows of an editable table to actions, and back (no Streamlit here).

The plan page shows the stored actions in an editable table
(:func:`editor_frame`). A table widget reports what a person changed as
``edited_rows`` (row -> {column: new value}), ``added_rows`` (a list of new
rows) and ``deleted_rows`` (row numbers), always relative to the frame it was
given. :func:`apply_editor` turns that report into the actions to save and
the ids to delete, validating every value again on the server (the widget's
own limits are not trusted). A batch with any problem is refused as a whole;
nothing is stored half-way.

Rules:
- ``order`` (1, 2, 3, ...) reorders: a row given order *k* goes to place *k*
  (moved up, it goes before the row that had that place; moved down, after
  it); the plan is renumbered.
- Changing ``horizon`` without touching ``due`` moves the due date to
  today + 7, 30 or 90 days (:data:`audit.priority.DAYS`).
- A new row is stored once it has a touchpoint and a "what to do"; until then
  it is *pending* (counted, not an error). New actions are the owner's own
  (``suggested=False``), with type "improve", horizon "this month", status
  "todo" and priority 0 unless given.
- Editing an action keeps its generated suggestion (the store keeps it
  apart), so the original is never lost.

The plan follows new ratings by itself (:mod:`audit.plansync`, which uses
:func:`untouched`); :func:`plan_csv` writes the plan as CSV.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from audit.excel import FORMULA_START
from audit.i18n import t
from audit.languages import supported
from audit.model import Action, ActionKind, ActionStatus, Catalog, Horizon, ValidationError, parse_enum
from audit.priority import DAYS

COLUMNS = ("order", "touchpoint_id", "kind", "what", "owner", "horizon", "due", "standard", "status", "notes", "priority")
EDITABLE = ("order", "touchpoint_id", "kind", "what", "owner", "horizon", "due", "standard", "status", "notes")
COMPARED = ("touchpoint_id", "kind", "what", "owner", "horizon", "due", "standard", "status", "notes")  # "untouched" check


@dataclass(frozen=True, slots=True)
class EditProblem:
    """One value the plan cannot take: table row (1-based; ``None`` for a new row), field, rule.

    ``rule`` is English; ``key`` and ``params`` (the rule's message) say it in the person's language.
    """

    row: int | None
    field: str
    rule: str
    value: str = ""
    key: str = "rule.text"
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, row: int | None, err: ValidationError, value: str) -> EditProblem:
        return cls(row, err.field, err.rule, value, err.key, err.params)


@dataclass(frozen=True)
class PlanEdit:
    """What one report of the table changes: saves (new ones have no id), deletions, problems."""

    saves: tuple[Action, ...] = ()
    deletes: tuple[int, ...] = ()
    problems: tuple[EditProblem, ...] = ()
    pending: int = 0  # new rows without a touchpoint or a "what to do" yet
    added: int = 0
    reordered: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes_rows(self) -> bool:
        """True when the table must be rebuilt from the store after saving (rows added, removed or moved)."""
        return bool(self.added or self.deletes or self.reordered)


# ------------------------------------------------------------------ the table


def editor_frame(actions: Sequence[Action]) -> pd.DataFrame:
    """The table the editor shows: one row per action, in plan order (row i is ``actions[i]``)."""
    return pd.DataFrame(
        {
            "order": pd.Series([i + 1 for i in range(len(actions))], dtype="int64"),
            "touchpoint_id": pd.Series([a.touchpoint_id for a in actions], dtype=object),
            "kind": pd.Series([a.kind.value for a in actions], dtype=object),
            "what": pd.Series([a.what for a in actions], dtype=object),
            "owner": pd.Series([a.owner for a in actions], dtype=object),
            "horizon": pd.Series([a.horizon.value for a in actions], dtype=object),
            "due": pd.Series([a.due for a in actions], dtype=object),
            "standard": pd.Series([a.standard for a in actions], dtype=object),
            "status": pd.Series([a.status.value for a in actions], dtype=object),
            "notes": pd.Series([a.notes for a in actions], dtype=object),
            "priority": pd.Series([round(a.priority, 1) for a in actions], dtype="float64"),
        },
        columns=list(COLUMNS),
    )


def parse_due(value: Any) -> dt.date | None:
    """A date from the table or a workbook: a date, a datetime, ``YYYY-MM-DD`` (time ignored) or ``DD.MM.YYYY``.

    Empty values give ``None``; anything else raises :class:`ValidationError`.
    """
    if _blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for parse in (lambda s: dt.date.fromisoformat(s[:10]), lambda s: dt.datetime.strptime(s, "%d.%m.%Y").date()):
            try:
                return parse(text)
            except ValueError:
                continue
    raise ValidationError("due", value, "date_like")


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _order(value: Any) -> float | None:
    if _blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError("order", value, "number") from None
    if not math.isfinite(number):
        raise ValidationError("order", value, "number")
    return number


def _changed(base: Action, values: Mapping[str, Any], *, today: dt.date, known: set[str]) -> Action:
    """``base`` with the table's values applied; every value is checked (ValidationError names the field)."""
    fields: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("what", "owner", "standard", "notes"):
            fields[name] = _text(value)
        elif name == "kind":
            fields[name] = parse_enum(ActionKind, _text(value), "kind")
        elif name == "horizon":
            fields[name] = parse_enum(Horizon, _text(value), "horizon")
        elif name == "status":
            fields[name] = parse_enum(ActionStatus, _text(value), "status")
        elif name == "due":
            fields[name] = parse_due(value)
        elif name == "touchpoint_id":
            tp = _text(value)
            if tp not in known:
                raise ValidationError("touchpoint", tp, "not_in_catalog")
            fields[name] = tp
    if "horizon" in fields and "due" not in values and fields["horizon"] != base.horizon:
        fields["due"] = today + dt.timedelta(days=DAYS[fields["horizon"]])
    return dataclasses.replace(base, **fields)


def _state_part(state: Mapping[str, Any], name: str, default: Any) -> Any:
    value = state.get(name) if isinstance(state, Mapping) else None
    return default if value is None else value


def _deleted_rows(deleted_raw: Any, count: int) -> set[int]:
    """Indexes of the table rows the user deleted (ignoring ones out of range)."""
    deleted: set[int] = set()
    for row in deleted_raw:
        try:
            index = int(row)
        except (TypeError, ValueError):
            continue
        if 0 <= index < count:
            deleted.add(index)
    return deleted


def _edited_rows(
    actions: Sequence[Action],
    edited_raw: Any,
    deleted: set[int],
    problems: list[EditProblem],
    *,
    today: dt.date,
    known: set[str],
) -> tuple[dict[int, Action], dict[int, float]]:
    """Existing rows with the user's edits applied, and the places typed into "order"."""
    result: dict[int, Action] = {}
    order_given: dict[int, float] = {}
    for key, values in (edited_raw.items() if isinstance(edited_raw, Mapping) else []):
        try:
            index = int(key)
        except (TypeError, ValueError):
            continue
        if not 0 <= index < len(actions) or index in deleted or not isinstance(values, Mapping):
            continue
        values = {k: v for k, v in values.items() if k in EDITABLE}
        try:
            if "order" in values:
                number = _order(values["order"])
                if number is not None:
                    order_given[index] = number
            result[index] = _changed(actions[index], values, today=today, known=known)
        except ValidationError as err:
            problems.append(EditProblem.of(index + 1, err, _text(err.value)[:80]))
    return result, order_given


def _added_rows(
    added_raw: Any,
    problems: list[EditProblem],
    *,
    audit_id: str,
    today: dt.date,
    known: set[str],
) -> tuple[list[tuple[float | None, Action]], int]:
    """New rows as actions with their wanted place, and how many are still incomplete."""
    new: list[tuple[float | None, Action]] = []
    pending = 0
    for values in added_raw if isinstance(added_raw, list) else []:
        if not isinstance(values, Mapping):
            continue
        values = {k: v for k, v in values.items() if k in EDITABLE}
        if _blank(values.get("touchpoint_id")) or _blank(values.get("what")):
            if any(not _blank(v) for k, v in values.items() if k != "order"):
                pending += 1
            continue
        try:
            horizon = parse_enum(Horizon, _text(values.get("horizon")) or Horizon.MONTH.value, "horizon")
            blank = Action(
                id=None, audit_id=audit_id, touchpoint_id="", kind=ActionKind.IMPROVE, what="-", owner="", horizon=horizon,
                due=today + dt.timedelta(days=DAYS[horizon]), status=ActionStatus.TODO, priority=0.0, suggested=False,
            )
            action = _changed(blank, values, today=today, known=known)
            new.append((_order(values.get("order")), action))
        except ValidationError as err:
            problems.append(EditProblem.of(None, err, _text(err.value)[:80]))
    return new, pending


def _reordered_saves(
    actions: Sequence[Action],
    keep: list[int],
    current: dict[int, Action],
    order_given: dict[int, float],
    new: list[tuple[float | None, Action]],
) -> list[Action]:
    """Every action whose position changed (and every new one), renumbered from 0."""
    ranked: list[tuple[float, int, int, Action | None, int]] = []
    for i in keep:
        place = order_given[i] if i in order_given else float(i + 1)
        # Moved up: before the row that held the place; moved down: after it.
        tie = 1 if place == i + 1 else (0 if place < i + 1 else 2)
        ranked.append((place, tie, i, None, i))
    for n, (wanted, action) in enumerate(new):
        ranked.append((wanted if wanted is not None else float("inf"), 0, len(actions) + n, action, -1))
    ranked.sort(key=lambda item: (item[0], item[1], item[2]))
    ordered: list[Action] = [current[i] if a is None else a for _, _, _, a, i in ranked]
    saves: list[Action] = []
    for position, action in enumerate(ordered):
        moved = dataclasses.replace(action, position=position)
        if action.id is None:
            saves.append(moved)
            continue
        original = next((actions[i] for i in keep if actions[i].id == action.id), None)
        if original is None or moved != original:
            saves.append(moved)
    return saves


def apply_editor(
    actions: Sequence[Action],
    state: Mapping[str, Any],
    *,
    audit_id: str,
    touchpoint_ids: Iterable[str],
    today: dt.date | None = None,
) -> PlanEdit:
    """Turn the table's report of changes into actions to save and ids to delete.

    ``actions`` are the rows the table was built from (row i is
    ``actions[i]``); ``state`` is the widget's ``{"edited_rows", "added_rows",
    "deleted_rows"}``. Every change is cumulative since the table was built,
    so applying the same report twice saves nothing new.
    """
    today = today or dt.date.today()
    known = set(touchpoint_ids)
    problems: list[EditProblem] = []
    deleted = _deleted_rows(_state_part(state, "deleted_rows", []), len(actions))
    result, order_given = _edited_rows(
        actions, _state_part(state, "edited_rows", {}), deleted, problems, today=today, known=known
    )
    new, pending = _added_rows(
        _state_part(state, "added_rows", []), problems, audit_id=audit_id, today=today, known=known
    )
    if problems:
        return PlanEdit(problems=tuple(problems), pending=pending)

    reordered = any(number != index + 1 for index, number in order_given.items())
    keep = [i for i in range(len(actions)) if i not in deleted]
    current = {i: result.get(i, actions[i]) for i in keep}
    saves: list[Action] = [current[i] for i in keep if i in result and result[i] != actions[i]]
    if reordered or new:
        saves = _reordered_saves(actions, keep, current, order_given, new)
    return PlanEdit(
        saves=tuple(saves),
        deletes=tuple(a.id for a in (actions[i] for i in sorted(deleted)) if a.id is not None),
        pending=pending,
        added=len(new),
        reordered=reordered,
    )


# ------------------------------------------------------------------ suggestions


def untouched(action: Action, suggestion: Mapping[str, Any] | None) -> bool:
    """True for a generated action nobody has changed since (its values equal its suggestion)."""
    if not action.suggested or not suggestion:
        return False
    for name in COMPARED:
        value = getattr(action, name)
        stored = suggestion.get(name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif hasattr(value, "value"):
            value = value.value
        if (value or "") != (stored or ""):
            return False
    return True


def suggestion_changes(action: Action, suggestion: Mapping[str, Any] | None) -> list[tuple[str, str, str]]:
    """``(field, generated value, current value)`` for every field the owner changed."""
    if not suggestion:
        return []
    out = []
    for name in COMPARED:
        value = getattr(action, name)
        shown = value.isoformat() if isinstance(value, dt.date) else getattr(value, "value", value)
        stored = suggestion.get(name)
        if (shown or "") != (stored or ""):
            out.append((name, "" if stored is None else str(stored), "" if shown is None else str(shown)))
    return out


# ------------------------------------------------------------------ CSV


def _safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def plan_csv(actions: Sequence[Action], catalog: Catalog, lang: str) -> bytes:
    """The plan as CSV (UTF-8 with a byte-order mark, so Excel reads the letters right).

    A text that starts like a formula (``=``, ``+``, ``-``, ``@``) gets a
    leading apostrophe, so a spreadsheet shows it as text and never runs it.
    """
    clang = supported(lang)
    by_id = catalog.by_id()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([t(f"plan.col_{c}", lang) for c in ("order", "touchpoint", "category", "kind", "what", "owner", "horizon", "due",
                                                       "standard", "status", "notes", "priority", "touchpoint_id", "action_id")])
    for i, a in enumerate(sorted(actions, key=lambda a: (a.position, a.id or 0))):
        tp = by_id.get(a.touchpoint_id)
        writer.writerow([
            i + 1, _safe(tp.name.get(clang) if tp else a.touchpoint_id), t(f"category.{tp.category.value}", lang) if tp else "",
            t(f"kind.{a.kind.name.lower()}", lang), _safe(a.what), _safe(a.owner), t(f"horizon.{a.horizon.name.lower()}", lang),
            a.due.isoformat() if a.due else "", _safe(a.standard), t(f"action_status.{a.status.name.lower()}", lang), _safe(a.notes),
            f"{a.priority:.1f}", a.touchpoint_id, a.id if a.id is not None else "",
        ])
    return out.getvalue().encode("utf-8-sig")
