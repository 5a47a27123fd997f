"""Catalog tables (CSV, XLSX) read row by row, with the row limits checked while reading.

A table is read into ``(line, {column: value})`` rows; reading stops with a
:class:`TableRefused` as soon as there are more than ``max_rows`` touchpoint
rows or more than ``MAX_SCANNED_ROWS`` rows of any kind, so a file of a
million rows costs no more than one of ``max_rows``. Problems of single rows
(cells beyond the header, a quote that is never closed) are notes: the rest
of the file is still read, so every problem is listed at once.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from audit.excel import csv_unescape
from audit.refusal import Message, Refusal
from audit.xlsxlimits import WorkbookRefused, open_workbook

MAX_SCANNED_ROWS = 50_000  # rows of any kind, empty ones included
_DELIMITERS = (",", ";", "\t")


class TableRefused(Refusal, ValueError):
    """The whole file is refused (``table.<code>``); ``line`` is 1-based (``None``: the whole file)."""

    prefix = "table."

    def __init__(self, line: int | None, code: str, /, **params: Any) -> None:
        self.line = line
        super().__init__(code, **params)
        self.message = str(self)


@dataclass
class Table:
    """One sheet (or a CSV file): its header and its rows that hold anything."""

    title: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    notes: list[tuple[int | None, str, Message]] = field(default_factory=list)  # (line, field, message)


def _too_many(line: int | None, max_rows: int) -> TableRefused:
    return TableRefused(line, "too_many_touchpoints", limit=max_rows)


def _too_long(line: int | None) -> TableRefused:
    return TableRefused(line, "too_many_rows", limit=MAX_SCANNED_ROWS)


def _unclosed_quote(values: list[str], delimiter: str) -> bool:
    """A cell that runs over lines which look like rows of their own: a quote opened and never closed."""
    for value in values:
        if "\n" in value:
            rest = value.split("\n")[1:]
            if value.endswith("\n") or any(delimiter in part for part in rest):
                return True
    return False


# ---------------------------------------------------------------- CSV

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """The lines of a text with their endings, one at a time (a StringIO would copy the text at 4 bytes a character)."""
    for match in _LINE.finditer(text):
        yield match.group()


def read_csv(text: str, max_rows: int) -> Table:
    """The rows of a CSV text (delimiter ``,``, ``;`` or tab, taken from the header line)."""
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise TableRefused(None, "empty") from None
    except csv.Error as err:
        raise TableRefused(1, "not_csv", reason=str(err)) from None
    table = Table("", header)
    start, scanned = reader.line_num + 1, 0
    try:
        for values in reader:
            line, start = start, reader.line_num + 1
            scanned += 1
            if scanned > MAX_SCANNED_ROWS:
                raise _too_long(line)
            if not any(v.strip() for v in values):
                continue
            if len(table.rows) >= max_rows:
                raise _too_many(line, max_rows)
            if any("\n" in v for v in values) and _unclosed_quote(values, delimiter):
                table.notes.append((line, "", Message("table.unclosed_quote", {"line": str(line)})))
                continue
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                table.notes.append((line, "", Message("table.extra_cells", {"cells": len(values), "header": len(header)})))
            table.rows.append((line, {h: csv_unescape(v) for h, v in zip(header, values, strict=False)}))
    except csv.Error as err:
        if "field limit" in str(err):
            raise TableRefused(start, "quote_runs_on", limit=csv.field_size_limit()) from None
        raise TableRefused(start, "not_csv", reason=str(err)) from None
    return table


# ---------------------------------------------------------------- XLSX


def _sheet(book: Any, name: str, max_rows: int) -> Table:
    sheet = book[name]
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    header = [str(h).strip().lower() if h is not None else "" for h in (first or ())]
    table = Table(sheet.title, header)
    for number, values in enumerate(rows, start=2):
        if number > MAX_SCANNED_ROWS + 1:
            raise _too_long(number)
        row = {h: v for h, v in zip(header, values, strict=False) if h}
        if all(v in (None, "") for v in row.values()):
            continue
        if len(table.rows) >= max_rows:
            raise _too_many(number, max_rows)
        table.rows.append((number, row))
    return table


def _info(sheet: Any) -> dict[str, str]:
    """The ``Catalog`` sheet: a field name in column A, its value in column B (at most 200 rows)."""
    info = {}
    for row in sheet.iter_rows(min_row=2, max_row=201, max_col=2, values_only=True):
        if row and row[0]:
            info[str(row[0]).strip().lower()] = "" if len(row) < 2 or row[1] is None else str(row[1])
    return info


@dataclass
class Workbook:
    """The sheets of a catalog workbook: touchpoints, and chains and catalog info when present."""

    touchpoints: Table
    chains: Table | None
    info: dict[str, str] | None


def read_workbook(data: bytes, max_rows: int) -> Workbook:
    """The catalog sheets of an .xlsx, read with :mod:`audit.xlsxlimits` budgets; refusals as :class:`TableRefused`."""
    try:
        book = open_workbook(data, max_rows=MAX_SCANNED_ROWS + 1)
    except WorkbookRefused as err:
        raise TableRefused(None, err.key, **err.params) from None
    try:
        names = {n.lower(): n for n in book.sheetnames}
        if not names:
            raise TableRefused(None, "no_sheets")
        touchpoints = _sheet(book, names.get("touchpoints", book.sheetnames[0]), max_rows)
        chains = _sheet(book, names["chains"], max_rows) if "chains" in names else None
        info = _info(book[names["catalog"]]) if "catalog" in names else None
        return Workbook(touchpoints, chains, info)
    except WorkbookRefused as err:
        raise TableRefused(None, err.key, **err.params) from None
    finally:
        book.close()
