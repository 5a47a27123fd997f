"""The Excel round trip of the plan: read an edited workbook back, preview, apply what the owner chooses.

The owner downloads the audit's workbook (:mod:`audit.workbook`), changes
Who, Due, Status or Notes on the Action plan sheet, and uploads it again.
:func:`preview_workbook` compares the file with the plan as it was exported
(kept in the workbook's hidden sheet) and with the plan now, and never raises
for a bad file. It returns a :class:`Preview`:

- ``changes``: the edits to apply (field by field);
- ``deleted``: actions that were in the exported workbook and whose rows are
  gone from the file. Nothing is deleted unless the owner chooses so;
- ``refused``: edits that are shown and not applied: a change in a read-only
  column (``read_only``: the column is grey and locked in the workbook; change
  it in the app), an edit to a row whose action was renewed from newer ratings
  since the download (``renewed``), or to a field changed in the app since
  (``changed_in_app``);
- ``problems``: reasons the whole file is refused (nothing is applied): not a
  workbook or too large, no plan sheet or id columns, another audit's file,
  rows without or with unknown or duplicate ids, a value the plan cannot
  take, and a **formula cell without a computed value** (``formula``, the cell
  named): a file saved by a script keeps formulas without their results, and
  reading those as empty would silently wipe the value.

Blank cells mean the same in every editable column: **empty**. A blank Who,
Due or Notes clears it; Status cannot be empty, so a blank status is a
problem naming its row. Values are read in any language the app speaks
(a status typed as "В работе" or "in progress" is the same) and dates as
dates or text (``2025-03-31``, ``31.03.2025``).

Every problem and refusal is a value with a key of :mod:`audit.i18n`
(``roundtrip.<key>``), the Excel row and details. :func:`apply_changes`
writes the changes (and the deletions the owner chose) and refuses if the
plan changed in the app since the preview (the owner uploads again).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from audit.i18n import LANGUAGES, t
from audit.model import MAX_NAME, MAX_TEXT, Action, ActionStatus, ValidationError, clean_text
from audit.planedit import COMPARED, parse_due
from audit.sheet_table import CHECK_SHEET, Words, cell_check, sheet_title
from audit.sheets import plan_columns
from audit.xlsxlimits import CheckedWorkbook

FIELDS = ("status", "owner", "due", "notes")
NEEDED = ("action_id", "touchpoint_id", *FIELDS)
MAX_BYTES = 10 * 1024 * 1024  # as .streamlit/config.toml maxUploadSize; checked again here
MAX_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the file cannot be applied. ``row`` is the Excel row (``None``: the whole file)."""

    key: str
    row: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


Refusal = Problem  # the same shape: an edit shown to the owner and not applied


@dataclass(frozen=True, slots=True)
class Change:
    """One field of one action, as it is now and as the file has it."""

    action_id: int
    row: int
    touchpoint_id: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Preview:
    """What an uploaded workbook would do (see the module doc)."""

    changes: tuple[Change, ...] = ()
    deleted: tuple[Action, ...] = ()
    refused: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Exported:
    """The hidden sheet: the plan as it was written into this workbook."""

    audit_id: str | None
    rows: Mapping[int, Mapping[str, Any]]  # action id -> status, owner, due, notes and read-only fingerprints


# ------------------------------------------------------------------ the words of every language


def _words() -> tuple[dict[str, int], dict[str, ActionStatus], set[str], set[str], set[str]]:
    """Headers of the plan columns, status words, and sheet names in every language the app speaks."""
    headers: dict[str, int] = {}
    statuses: dict[str, ActionStatus] = {}
    for lang in LANGUAGES:
        for index, column in enumerate(plan_columns(Words(lang))):
            headers.setdefault(column.header.strip().casefold(), index)
        for value, word in Words(lang).status.items():
            statuses[word.strip().casefold()] = ActionStatus(value)
    columns = plan_columns(Words("en"))
    for index, column in enumerate(columns):  # the machine names, as older workbooks wrote them
        if column.field:
            headers.setdefault(column.field, index)
    for status in ActionStatus:
        statuses[status.value] = status
        statuses[status.name.lower()] = status
    plan = {sheet_title("plan", lang) for lang in LANGUAGES} | {"Action plan"}
    check = {sheet_title(CHECK_SHEET, lang) for lang in LANGUAGES}
    about = {sheet_title("about", lang) for lang in LANGUAGES}
    return headers, statuses, plan, check, about


def parse_status(value: Any, statuses: Mapping[str, ActionStatus]) -> ActionStatus:
    """A status in any language the app speaks (or its value); a blank one is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError("status", "", "empty")
    status = statuses.get(str(value).strip().casefold())
    if status is None:
        raise ValidationError("status", value, "one_of", choices=", ".join(sorted({s.value for s in ActionStatus})))
    return status


# ------------------------------------------------------------------ reading


def preview_workbook(data: bytes, audit_id: str, current: Sequence[Action]) -> Preview:
    """Compare an uploaded workbook with the plan: changes, deleted rows, refused edits and problems."""
    if not isinstance(data, (bytes, bytearray)) or not data:
        return Preview(problems=(Problem("not_workbook"),))
    if len(data) > MAX_BYTES:
        return Preview(problems=(Problem("too_large", details={"mb": MAX_BYTES // (1024 * 1024)}),))
    with ExitStack() as opened:
        try:
            # audit.xlsxlimits: budgets for the inflated size, shared strings and rows; one refusal type (WorkbookRefused)
            return _read(CheckedWorkbook(bytes(data)), opened, audit_id, current)
        except Exception as err:  # a WorkbookRefused (a budget or a damaged part) or a sheet openpyxl cannot read
            return Preview(problems=(Problem("not_workbook", details={"reason": type(err).__name__}),))


def read_plan_workbook(data: bytes, audit_id: str, current: Sequence[Action]) -> tuple[list[Change], list[Problem]]:
    """The changes and the problems of :func:`preview_workbook` (refused edits count as problems here)."""
    preview = preview_workbook(data, audit_id, current)
    return list(preview.changes), list(preview.problems) + list(preview.refused)


def _rows(sheet: Any, limit: int, last: int | None = None) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows up to ``limit``; ``last`` (the counted last row) reads past a declared size that is too small
    (openpyxl stops at the declared size, which would make the rows after it look deleted)."""
    for number, row in enumerate(sheet.iter_rows(max_row=last, values_only=True), start=1):  # over-wide sheets are refused
        if number > limit:
            return
        yield row


def _read(upload: CheckedWorkbook, opened: ExitStack, audit_id: str, current: Sequence[Action]) -> Preview:
    """The preview; the plan sheet's rows are counted before openpyxl opens the file, and formulas read only if it has any."""
    headers, statuses, plan_names, check_names, about_names = _words()
    parts = upload.sheet_parts()
    plan_name = next((n for n in parts if n in plan_names), None)
    scan = upload.scan(parts[plan_name], MAX_ROWS + 1) if plan_name is not None else None  # the header and MAX_ROWS rows
    if scan is not None and scan.rows > MAX_ROWS + 1:
        return Preview(problems=(Problem("too_many_rows", MAX_ROWS + 2, {"limit": MAX_ROWS}),))

    def book(data_only: bool) -> Any:
        return opened.enter_context(closing(upload.open(max_rows=MAX_ROWS + 2, data_only=data_only)))

    values_book = book(True)  # a file openpyxl cannot open is not a workbook, whatever sheets it names
    if plan_name is None or scan is None:
        return Preview(problems=(Problem("no_plan_sheet", details={"sheet": " / ".join(sorted(plan_names))}),))
    exported = _exported(values_book, check_names)
    found = exported.audit_id if exported is not None else _about_audit_id(values_book, about_names)
    if found is None:
        return Preview(problems=(Problem("no_audit_id"),))
    if found != audit_id:
        return Preview(problems=(Problem("other_audit", details={"found": found[:60]}),))

    rows = _rows(values_book[plan_name], MAX_ROWS + 2, scan.rows)
    formulas = _rows(book(False)[plan_name], MAX_ROWS + 2, scan.rows) if scan.formulas else repeat(())
    header = next(rows, None) or ()
    next(formulas, None)
    columns: dict[int, int] = {}  # file column -> plan column index
    for position, text in enumerate(header):
        if isinstance(text, str) and text.strip().casefold() in headers:
            columns.setdefault(position, headers[text.strip().casefold()])
    reference = plan_columns(Words("en"))
    by_field = {reference[index].field: position for position, index in columns.items() if reference[index].field}
    missing = [name for name in NEEDED if name not in by_field]
    if missing:
        return Preview(problems=(Problem("missing_columns", details={"columns": ", ".join(missing)}),))
    return _compare(rows, formulas, columns, by_field, reference, statuses, exported, current)


def _exported(book: Any, names: set[str]) -> _Exported | None:
    name = next((n for n in book.sheetnames if n in names), None)
    if name is None:
        return None
    rows = _rows(book[name], MAX_ROWS + 3)
    first = next(rows, None) or ()
    audit_id = str(first[1]).strip() if len(first) > 1 and first[0] == "audit_id" and first[1] else None
    header = [str(h) if h is not None else "" for h in (next(rows, None) or ())]
    out: dict[int, dict[str, Any]] = {}
    for row in rows:
        values = dict(zip(header, row, strict=False))
        action_id = _as_id(values.get("action_id"))
        if action_id is not None:
            out[action_id] = values
    return _Exported(audit_id, out)


def _about_audit_id(book: Any, names: set[str]) -> str | None:
    """Older workbooks: the audit id on the About sheet, labelled in any language."""
    labels = {t("xlsx.about.audit_id", lang).casefold() for lang in LANGUAGES} | {"audit id"}
    for name in (n for n in book.sheetnames if n in names):
        for row in _rows(book[name], 60):
            if row and isinstance(row[0], str) and row[0].strip().casefold() in labels:
                value = row[1] if len(row) > 1 else None
                return str(value).strip() if value not in (None, "") else None
    return None


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


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


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


def _cell_name(position: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(position + 1)}{row}"


def _formula_problems(row: tuple[Any, ...], formula_row: tuple[Any, ...], positions: set[int], number: int) -> list[Problem]:
    """A problem for every read cell holding a formula whose value was never computed."""
    problems: list[Problem] = []
    for position in sorted(positions):
        written = formula_row[position] if position < len(formula_row) else None
        cached = row[position] if position < len(row) else None
        if isinstance(written, str) and written.startswith("=") and cached is None:
            problems.append(Problem("formula", number, {"cell": _cell_name(position, number)}))
    return problems


def _row_action_id(values: Mapping[str, Any], number: int, seen: Mapping[int, int]) -> int | Problem:
    """The row's action id, or why it has none usable (missing, not a number, repeated)."""
    raw_id = values.get("action_id")
    if raw_id is None:
        return Problem("no_id", number)
    action_id = _as_id(raw_id)
    if action_id is None:
        return Problem("bad_id", number, {"value": str(raw_id)[:40]})
    if action_id in seen:
        return Problem("duplicate_id", number, {"id": action_id, "first": seen[action_id]})
    return action_id


def _editable_values(values: Mapping[str, Any], statuses: Mapping[str, ActionStatus], number: int) -> dict[str, Any] | Problem:
    """The row's status, owner, due date and notes, checked, or the first bad one."""
    try:
        return {
            "status": parse_status(values.get("status"), statuses),
            "owner": _text(values.get("owner"), "owner", MAX_NAME),
            "due": parse_due(values.get("due")),
            "notes": _text(values.get("notes"), "notes", MAX_TEXT),
        }
    except ValidationError as err:
        return Problem("bad_value", number, {"field": err.field, "rule": err.rule, "value": str(err.value)[:60],
                                             "rule_key": err.key, "rule_params": err.params})


def _compare(
    rows: Iterator[tuple[Any, ...]], formulas: Iterator[tuple[Any, ...]], columns: Mapping[int, int], by_field: Mapping[str, int],
    reference: Sequence[Any], statuses: Mapping[str, ActionStatus], exported: _Exported | None, current: Sequence[Action],
) -> Preview:
    by_id = {a.id: a for a in current if a.id is not None}
    problems: list[Problem] = []
    refused: list[Problem] = []
    changes: list[Change] = []
    seen: dict[int, int] = {}
    read_positions = set(by_field.values())
    for number, row in enumerate(rows, start=2):
        formula_row = next(formulas, ())
        if number > MAX_ROWS + 1:
            problems.append(Problem("too_many_rows", number, {"limit": MAX_ROWS}))
            break
        problems += _formula_problems(row, formula_row, read_positions, number)
        values = {name: _cell(row[position]) if position < len(row) else None for name, position in by_field.items()}
        if all(v is None for v in values.values()):
            continue  # an empty row, or the sheet's own note under an empty plan
        action_id = _row_action_id(values, number, seen)
        if isinstance(action_id, Problem):
            problems.append(action_id)
            continue
        seen[action_id] = number
        before = exported.rows.get(action_id) if exported is not None else None
        action = by_id.get(action_id)
        if action is None and before is None:
            problems.append(Problem("unknown_id", number, {"id": action_id}))
            continue
        touchpoint = values.get("touchpoint_id")
        expected = action.touchpoint_id if action is not None else str((before or {}).get("touchpoint_id") or "")
        if touchpoint is not None and str(touchpoint) != expected:
            problems.append(Problem("changed_id", number, {"id": action_id, "found": str(touchpoint)[:80], "expected": expected}))
            continue
        after = _editable_values(values, statuses, number)
        if isinstance(after, Problem):
            problems.append(after)
            continue
        if before is not None:
            refused += _read_only_edits(row, columns, reference, before, number)
        edited = _edited(after, before, action)
        if action is None:
            if edited:
                refused.append(Problem("renewed", number, {"fields": ", ".join(edited)}))
            continue
        for name in edited:
            if before is not None and _exported_value(before, name) != _value(action, name):
                refused.append(Problem("changed_in_app", number, {"field": name}))
                continue
            changes.append(Change(action_id, number, action.touchpoint_id, name, getattr(action, name), after[name]))
    deleted = tuple(by_id[i] for i in (exported.rows if exported is not None else {}) if i not in seen and i in by_id)
    return Preview(tuple(changes), deleted, tuple(refused), tuple(problems))


def _value(action: Action, name: str) -> Any:
    value = getattr(action, name)
    return value.value if isinstance(value, ActionStatus) else value


def _exported_value(before: Mapping[str, Any], name: str) -> Any:
    value = before.get(name)
    if name == "due":
        return parse_due(value) if value else None
    if name == "status":
        return str(value or ActionStatus.TODO.value)
    return "" if value is None else str(value)


def _edited(after: Mapping[str, Any], before: Mapping[str, Any] | None, action: Action | None) -> list[str]:
    """The editable fields the person changed in the file: against the exported values, else against the plan now."""
    out = []
    for name in FIELDS:
        new = after[name].value if isinstance(after[name], ActionStatus) else after[name]
        if before is not None:
            old = _exported_value(before, name)
        elif action is not None:
            old = _value(action, name)
        else:
            continue
        if new != old:
            out.append(name)
    return out


def _read_only_edits(row: Sequence[Any], columns: Mapping[int, int], reference: Sequence[Any], before: Mapping[str, Any],
                     number: int) -> list[Problem]:
    out = []
    for position, index in columns.items():
        column = reference[index]
        key = column.field or f"col{index}"
        if column.editable or column.field in ("action_id", "touchpoint_id") or key not in before:
            continue
        value = row[position] if position < len(row) else None
        if cell_check(value) != str(before.get(key) or cell_check(None)):
            out.append(Problem("read_only", number, {"column": column.field or f"col{index}", "index": index}))
    return out


# ------------------------------------------------------------------ applying


def grouped(changes: Sequence[Change]) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """``(action_id, before, after)`` per action, in file order: what the store applies."""
    out: dict[int, tuple[int, dict[str, Any], dict[str, Any]]] = {}
    for change in changes:
        _, before, after = out.setdefault(change.action_id, (change.action_id, {}, {}))
        before[change.field] = change.before.value if isinstance(change.before, ActionStatus) else change.before
        after[change.field] = change.after.value if isinstance(change.after, ActionStatus) else change.after
    return list(out.values())


def apply_changes(store: Any, audit_id: str, changes: Sequence[Change], delete: Sequence[Action] = ()) -> int:
    """Apply every change and delete the actions the owner chose, in one transaction; returns how many actions changed or went.

    Refused as a whole (the store's ``StoreError``) when an action was
    deleted or one of its changed fields was edited in the app after the
    preview, or when an action to delete was changed in the app since the
    preview.
    """
    items = grouped(changes)
    gone = [(a.id, {name: _value(a, name) for name in COMPARED}) for a in delete if a.id is not None]
    if items or gone:
        store.apply_action_changes(audit_id, items, delete=gone)
    return len(items) + len(gone)
