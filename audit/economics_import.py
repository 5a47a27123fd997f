"""Channel economics from a CSV file: read with budgets, checked row by row, every problem at once.

Columns (header names, any order, case-insensitive): ``touchpoint`` (id or
name in the audit's language), ``wave`` (optional: the current wave),
``spend``, ``leads`` (or ``calls``), ``customers``, and ``revenue`` or
``average_ticket``. Numbers are plain: digits with an optional decimal point
or comma and up to two decimals (``90000``, ``9000.50``); a value like
``90,000`` is refused rather than read as 90.

The file is refused as a whole above :data:`MAX_BYTES` or :data:`MAX_ROWS`
rows; a row with a problem is reported with its line and column, and then
nothing at all is stored (the caller stores only a file without problems).
Nothing in the file is ever evaluated: a cell starting with ``=`` is text, and
text can only name a touchpoint of the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from audit.catalog_table import TableRefused, read_csv
from audit.economics import economics_from_ticket
from audit.model import Catalog, ChannelEconomics, ValidationError

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2_000
MAX_PROBLEMS = 50  # listed; the count says how many more
_NUMBER = re.compile(r"\d{1,15}(?:[.,]\d{1,2})?")
_ALIASES = {"calls": "leads", "ticket": "average_ticket", "touchpoint_id": "touchpoint"}
REQUIRED = ("touchpoint", "spend", "leads", "customers")


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, where: ``line`` of the file (``None``: the whole file), ``key`` an i18n key under ``economics.csv.``."""

    key: str
    line: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Parsed:
    items: tuple[ChannelEconomics, ...] = ()
    problems: tuple[Problem, ...] = ()


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _touchpoints(catalog: Catalog, language: str) -> dict[str, str]:
    """Ids and names (casefolded) -> touchpoint id."""
    found: dict[str, str] = {}
    for tp in catalog.touchpoints:
        found.setdefault(tp.name.get(language).strip().casefold(), tp.id)
    found.update({tp.id.casefold(): tp.id for tp in catalog.touchpoints})
    return found


def _number(row: Mapping[str, str], column: str, line: int, problems: list[Problem], *, whole: bool = False) -> float | None:
    text = "".join((row.get(column) or "").split())
    if not text:
        problems.append(Problem("empty", line, {"column": column}))
        return None
    if not _NUMBER.fullmatch(text) or (whole and not text.isdigit()):
        problems.append(Problem("whole" if whole else "number", line, {"column": column, "value": text[:40]}))
        return None
    return float(text.replace(",", "."))


def _row(row: Mapping[str, str], line: int, ids: Mapping[str, str], current_wave: int, problems: list[Problem]) -> ChannelEconomics | None:
    named = (row.get("touchpoint") or "").strip()
    tp_id = ids.get(named.casefold())
    if tp_id is None:
        problems.append(Problem("touchpoint", line, {"value": named[:60]}))
    wave_text = (row.get("wave") or "").strip()
    wave = current_wave
    if wave_text:
        if not wave_text.isdigit() or not 1 <= int(wave_text) <= current_wave:
            problems.append(Problem("wave", line, {"value": wave_text[:20], "current": current_wave}))
        else:
            wave = int(wave_text)
    before = len(problems)
    spend = _number(row, "spend", line, problems)
    leads = _number(row, "leads", line, problems, whole=True)
    customers = _number(row, "customers", line, problems, whole=True)
    money = "revenue" if (row.get("revenue") or "").strip() or "average_ticket" not in row else "average_ticket"
    amount = _number(row, money, line, problems)
    if tp_id is None or len(problems) > before or None in (spend, leads, customers, amount):
        return None
    assert spend is not None and leads is not None and customers is not None and amount is not None
    try:
        if money == "revenue":
            return ChannelEconomics(tp_id, spend, int(leads), int(customers), amount, wave)
        return economics_from_ticket(tp_id, spend, int(leads), int(customers), amount, wave)
    except ValidationError as err:
        problems.append(Problem("value", line, {"column": err.field, "value": str(err.value)[:40]}))
        return None


def parse_economics_csv(data: bytes, catalog: Catalog, language: str, current_wave: int) -> Parsed:
    """The records of a CSV file, or the problems that keep it from being stored (see the module doc)."""
    if len(data) > MAX_BYTES:
        return Parsed(problems=(Problem("too_large", None, {"kb": MAX_BYTES // 1024}),))
    text = _decode(data)
    if text is None:
        return Parsed(problems=(Problem("encoding"),))
    try:
        table = read_csv(text, MAX_ROWS)
    except TableRefused as err:
        key = "too_many_rows" if "limit" in err.message else "unreadable"
        return Parsed(problems=(Problem(key, err.line, {"limit": MAX_ROWS}),))
    header = [_ALIASES.get("_".join(h.split()), "_".join(h.split())) for h in table.header]
    missing = [c for c in REQUIRED if c not in header]
    if "revenue" not in header and "average_ticket" not in header:
        missing.append("revenue")
    if missing:
        return Parsed(problems=tuple(Problem("column", 1, {"column": c}) for c in missing))
    ids = _touchpoints(catalog, language)
    problems: list[Problem] = []
    items: dict[tuple[int, str], ChannelEconomics] = {}
    for line, values in table.rows:
        row = {header[i]: values.get(h, "") for i, h in enumerate(table.header)}
        item = _row(row, line, ids, current_wave, problems)
        if item is not None:
            if (item.wave, item.touchpoint_id) in items:
                problems.append(Problem("duplicate", line, {"value": item.touchpoint_id, "wave": item.wave}))
            items[(item.wave, item.touchpoint_id)] = item
    if not table.rows:
        problems.append(Problem("no_rows"))
    if problems:
        return Parsed(problems=tuple(problems))
    return Parsed(items=tuple(items.values()))
