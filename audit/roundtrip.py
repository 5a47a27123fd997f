"""The Excel round trip of the plan: read an edited workbook back, preview, apply all or nothing.

The owner downloads the audit's workbook (:mod:`audit.workbook`), changes
status, owner, due date or notes on the ``Action plan`` sheet, and uploads it
again. :func:`read_plan_workbook` compares the file with the current plan and
returns ``(changes, problems)``; it never raises for a bad file. Problems
are values, with a key of :mod:`audit.i18n` (``roundtrip.<key>``), the Excel
row and the details, so the page can list every one at once:

- a file that is not an xlsx workbook, or too large (``not_workbook``, ``too_large``);
- a workbook without the ``Action plan`` sheet, its columns or the audit id
  on the ``About`` sheet (``no_plan_sheet``, ``missing_columns``, ``no_audit_id``);
- a workbook of another audit (``other_audit``): nothing else is read;
- rows that cannot be matched: no ``action_id`` (``no_id``), an id that is
  not a whole number (``bad_id``), an id that is not in this plan
  (``unknown_id``), an id used twice (``duplicate_id``), or an id whose
  ``touchpoint_id`` differs from the action's (``changed_id``);
- values the plan cannot take: a status other than todo / in progress /
  done, a date that is not a date, a text too long (``bad_value``).

Only ``status``, ``owner``, ``due`` and ``notes`` are read back; other
columns are the plan's own and are ignored. Actions missing from the file are
left as they are. :func:`apply_changes` writes every change in one store
transaction, and only when the file had no problem; if the plan changed in
the app since the preview it refuses (the owner uploads again).
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from audit.model import MAX_NAME, MAX_TEXT, Action, ActionStatus, ValidationError, clean_text, parse_enum
from audit.planedit import parse_due

PLAN_SHEET = "Action plan"
ABOUT_SHEET = "About"
FIELDS = ("status", "owner", "due", "notes")
NEEDED = ("action_id", "touchpoint_id", *FIELDS)
MAX_BYTES = 10 * 1024 * 1024  # as .streamlit/config.toml maxUploadSize; checked again here
MAX_ROWS = 20_000
NOTES = ("Not rated yet", "No action suggested")  # what the writer puts under an empty plan


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the file cannot be applied. ``row`` is the Excel row (``None``: the whole file)."""

    key: str
    row: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Change:
    """One field of one action, as it is now and as the file has it."""

    action_id: int
    row: int
    touchpoint_id: str
    field: str
    before: Any
    after: Any


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _as_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if math.isfinite(number) and number.is_integer() else None
    return None


def _text(value: Any, name: str, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = str(int(value))
    elif isinstance(value, (int, float)):
        value = str(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    return clean_text(value, name, limit=limit)


def _audit_id(book: Any) -> str | None:
    if ABOUT_SHEET not in book.sheetnames:
        return None
    for row in book[ABOUT_SHEET].iter_rows(min_row=1, max_row=60, max_col=2, values_only=True):
        if row and isinstance(row[0], str) and row[0].strip().lower() == "audit id":
            value = row[1] if len(row) > 1 else None
            return str(value).strip() if value not in (None, "") else None
    return None


def read_plan_workbook(data: bytes, audit_id: str, current: Sequence[Action]) -> tuple[list[Change], list[Problem]]:
    """Compare an uploaded workbook with the current plan: the changes to make and every problem found."""
    if not isinstance(data, (bytes, bytearray)) or not data:
        return [], [Problem("not_workbook")]
    if len(data) > MAX_BYTES:
        return [], [Problem("too_large", details={"mb": MAX_BYTES // (1024 * 1024)})]
    try:
        from audit.xlsxlimits import open_workbook  # budgets: inflated size, shared strings, rows; one refusal type

        book = open_workbook(bytes(data), max_rows=MAX_ROWS + 2)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError, AttributeError, EOFError) as err:
        return [], [Problem("not_workbook", details={"reason": type(err).__name__})]
    except Exception as err:  # noqa: BLE001 - any other parser failure is still "not a workbook we can read"
        return [], [Problem("not_workbook", details={"reason": type(err).__name__})]
    try:
        return _read(book, audit_id, current)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as err:  # a broken part inside the zip
        return [], [Problem("not_workbook", details={"reason": type(err).__name__})]
    finally:
        book.close()


def _read(book: Any, audit_id: str, current: Sequence[Action]) -> tuple[list[Change], list[Problem]]:
    if PLAN_SHEET not in book.sheetnames:
        return [], [Problem("no_plan_sheet", details={"sheet": PLAN_SHEET})]
    found = _audit_id(book)
    if found is None:
        return [], [Problem("no_audit_id")]
    if found != audit_id:
        return [], [Problem("other_audit", details={"found": found[:60]})]

    rows = book[PLAN_SHEET].iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = {str(h).strip().lower(): i for i, h in enumerate(header) if isinstance(h, str) and h.strip()}
    missing = [c for c in NEEDED if c not in columns]
    if missing:
        return [], [Problem("missing_columns", details={"columns": ", ".join(missing)})]

    by_id = {a.id: a for a in current if a.id is not None}
    problems: list[Problem] = []
    changes: list[Change] = []
    seen: dict[int, int] = {}
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            problems.append(Problem("too_many_rows", number, {"limit": MAX_ROWS}))
            break
        values = {name: _cell(row[i]) if i < len(row) else None for name, i in columns.items()}
        if all(v is None for v in values.values()):
            continue  # an empty row (the status dropdown reaches below the plan)
        raw_id = values.get("action_id")
        if raw_id is None:
            if not _is_note(values):
                problems.append(Problem("no_id", number))
            continue
        action_id = _as_id(raw_id)
        if action_id is None:
            problems.append(Problem("bad_id", number, {"value": str(raw_id)[:40]}))
            continue
        if action_id in seen:
            problems.append(Problem("duplicate_id", number, {"id": action_id, "first": seen[action_id]}))
            continue
        seen[action_id] = number
        action = by_id.get(action_id)
        if action is None:
            problems.append(Problem("unknown_id", number, {"id": action_id}))
            continue
        touchpoint = values.get("touchpoint_id")
        if touchpoint is not None and str(touchpoint) != action.touchpoint_id:
            problems.append(Problem("changed_id", number, {"id": action_id, "found": str(touchpoint)[:80], "expected": action.touchpoint_id}))
            continue
        try:
            after = {
                "status": parse_enum(ActionStatus, values.get("status"), "status") if values.get("status") is not None else action.status,
                "owner": _text(values.get("owner"), "owner", MAX_NAME),
                "due": parse_due(values.get("due")),
                "notes": _text(values.get("notes"), "notes", MAX_TEXT),
            }
        except ValidationError as err:
            problems.append(Problem("bad_value", number, {"field": err.field, "rule": err.rule, "value": str(err.value)[:60]}))
            continue
        for name in FIELDS:
            before = getattr(action, name)
            if after[name] != before:
                changes.append(Change(action_id, number, action.touchpoint_id, name, before, after[name]))
    return changes, problems


def _is_note(values: Mapping[str, Any]) -> bool:
    """The sheet's own note under an empty plan ("Not rated yet: ...") is not a row of the plan."""
    texts = [v for v in values.values() if v is not None]
    return len(texts) == 1 and isinstance(texts[0], str) and texts[0].startswith(NOTES)


def grouped(changes: Sequence[Change]) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """``(action_id, before, after)`` per action, in file order: what the store applies."""
    out: dict[int, tuple[int, dict[str, Any], dict[str, Any]]] = {}
    for change in changes:
        _, before, after = out.setdefault(change.action_id, (change.action_id, {}, {}))
        before[change.field] = change.before.value if isinstance(change.before, ActionStatus) else change.before
        after[change.field] = change.after.value if isinstance(change.after, ActionStatus) else change.after
    return list(out.values())


def apply_changes(store: Any, audit_id: str, changes: Sequence[Change]) -> int:
    """Apply every change in one transaction; returns how many actions changed.

    Refused as a whole (``StoreError``) when an action was deleted or one of
    its changed fields was edited in the app after the preview.
    """
    items = grouped(changes)
    if not items:
        return 0
    store.apply_action_changes(audit_id, items)
    return len(items)
