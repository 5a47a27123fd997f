"""Small, safe building blocks for every workbook the tool writes or reads.

- Text is always written as text: a value that starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return is stored as a string cell, never as a
  formula, so a comment like ``=HYPERLINK(...)`` stays a comment.
- In CSV, where a cell has no type, such a text is written with a leading
  ``'`` (the way spreadsheets mark "this is text"); reading strips it again.
- Sheet titles are made safe (no ``[]:*?/\\``, at most 31 characters).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_TITLE = set('[]:*?/\\')
# Characters that XML 1.0 (and so xlsx) cannot hold.
_ILLEGAL = {c for c in range(32) if chr(c) not in "\t\n\r"}


def safe_sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """A sheet title Excel accepts, unique among ``taken`` (case-insensitive)."""
    clean = "".join("_" if c in _BAD_TITLE else c for c in title).strip().strip("'") or "Sheet"
    clean = clean[:31]
    used = {t.casefold() for t in taken}
    candidate, n = clean, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def clean_cell_text(value: str) -> str:
    """Drop characters an xlsx file cannot store."""
    if any(ord(c) in _ILLEGAL for c in value):
        return "".join(c for c in value if ord(c) not in _ILLEGAL)
    return value


def csv_safe(value: str) -> str:
    """A CSV cell that a spreadsheet opens as text, never as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_unescape(value: str) -> str:
    """The text :func:`csv_safe` protected, as it was."""
    return value[1:] if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_START) else value


def set_cell(cell: Cell, value: Any) -> Cell:
    """Write ``value`` into ``cell``; text never becomes a formula."""
    if isinstance(value, str):
        cell.value = clean_cell_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> int:
    """Append one row through :func:`set_cell`; returns the row number."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        set_cell(sheet.cell(row=row, column=col), value)
    return row


def fit_columns(sheet: Worksheet, widths: dict[int, float] | None = None, *, limit: int = 60) -> None:
    """Readable column widths: from the longest text in a column, capped."""
    best: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            longest = max((len(part) for part in str(cell.value).split("\n")), default=0)
            best[cell.column] = max(best.get(cell.column, 0), longest)
    for col, width in best.items():
        chosen = (widths or {}).get(col, min(max(width + 2, 8), limit))
        sheet.column_dimensions[get_column_letter(col)].width = chosen
