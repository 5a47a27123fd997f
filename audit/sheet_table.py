"""The parts every sheet of the workbook is made of: columns, tables, cells and words.

A :class:`Table` is a header of :class:`Column` s and rows of plain values;
:class:`Words` holds the audit's language for every coded value a sheet shows;
:func:`clean_text` and :func:`cell_check` are what an xlsx cell may hold and
its fingerprint for the round trip. Sheet titles come from :mod:`audit.i18n`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from audit.chains import BROKEN, NOT_RATED, OK, UNREACHED, WEAKEST
from audit.i18n import t
from audit.ipa import QUADRANT_KEYS
from audit.model import (
    ActionKind,
    ActionStatus,
    AuditData,
    Category,
    Horizon,
    Presence,
    Reaction,
    Role,
    VisitChannel,
    VisitStatus,
)

SHEET_KEYS = ("plan", "scores", "categories", "chains", "ratings", "visits", "competitors", "departments", "economics", "about")
CHECK_SHEET = "check"  # the hidden sheet: audit id and the plan as exported (what the round trip compares with)
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters an xlsx file cannot hold


def sheet_title(key: str, lang: str) -> str:
    return t(f"xlsx.sheet.{key}", lang)


def sheet_titles(lang: str) -> list[str]:
    """The visible sheets, in order, in ``lang``."""
    return [sheet_title(k, lang) for k in SHEET_KEYS]


SHEETS = tuple(sheet_titles("en"))


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: header, kind of value, width and cell format.

    ``editable`` columns of the Action plan are read back by the round trip;
    every other column there is grey, locked and says so in a note.
    """

    header: str
    kind: str = "text"  # text | number | date | datetime
    width: float | None = None
    style: str | None = None  # a key of the workbook's formats
    missing: str = ""  # written when the value is missing (e.g. "not rated yet")
    field: str = ""  # the plan field it holds (Action plan only)
    editable: bool = False
    # A live Excel formula (without "="); ``{row}`` is the cell's 1-based row. Written by code, never from user text;
    # the row's value is stored as the formula's cached result.
    formula: str = ""


@dataclass(frozen=True)
class Table:
    """Rows of one sheet (or one block of a sheet) with their columns."""

    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    empty: str = ""  # written under the header when there are no rows
    title: str = ""  # a bold line above the block (for a second block on a sheet)
    printed: int = 0  # columns in the print area (0: all)
    meta: Mapping[str, Any] = field(default_factory=dict)


def clean_text(value: Any) -> str:
    """Text an xlsx file can store (no control characters except tab and newlines)."""
    text = value if isinstance(value, str) else str(value)
    return ILLEGAL.sub("", text) if ILLEGAL.search(text) else text


def cell_check(value: Any) -> str:
    """A short fingerprint of a cell as written (the round trip compares read-only cells with it)."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        text = ""
    elif isinstance(value, bool):
        text = str(value)
    elif isinstance(value, (int, float)):
        text = f"{float(value):g}"
    elif isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()[:10]
    else:
        text = " ".join(str(value).split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value) or math.isinf(value)
    return value is pd.NA or value is pd.NaT


def frame_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[list[Any]]:
    """Rows of plain Python values with every missing value as ``None``."""
    if not len(frame):
        return []
    lists = []
    for name in columns:
        series = frame[name]
        values = series.astype(object).where(series.notna(), None).tolist()
        lists.append(values)
    return [list(row) for row in zip(*lists, strict=True)]


class Words:
    """The audit's language for every value a sheet shows: enums, yes/no, statuses (one lookup table per kind)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.category = {c.value: t(f"category.{c.value}", lang) for c in Category}
        self.kind = {k.value: t(f"kind.{k.name.lower()}", lang) for k in ActionKind}
        self.horizon = {h.value: t(f"horizon.{h.name.lower()}", lang) for h in Horizon}
        self.status = {s.value: t(f"action_status.{s.name.lower()}", lang) for s in ActionStatus}
        self.quadrant = {q: t(key, lang) for q, key in QUADRANT_KEYS.items()}
        self.reaction = {r.value: t(f"reaction_word.{r.value}", lang) for r in Reaction}
        self.presence = {p.value: t(f"presence_word.{p.value}", lang) for p in Presence}
        self.role = {r.value: t(f"xlsx.role.{r.value}", lang) for r in Role}
        self.visit_status = {s.value: t(f"visit_status.{s.value}", lang) for s in VisitStatus}
        self.channel = {c.value: t(f"visit_channel.{c.value}", lang) for c in VisitChannel}
        self.versus = {v: t(f"results.versus_{v}", lang) for v in ("better", "same", "worse")}
        self.source = {"note": t("results.source_note", lang), "shoppers": t("results.source_shoppers", lang)}
        self.link = {BROKEN: t("results.chain_break", lang), UNREACHED: t("results.chain_unreached", lang),
                     WEAKEST: t("results.chain_weakest", lang), NOT_RATED: t("results.not_rated", lang), OK: t("results.chain_ok", lang)}
        self.blind = {"team positive, shoppers negative": t("plan_text.blind_team_positive", lang),
                      "team negative, shoppers positive": t("plan_text.blind_team_negative", lang)}
        self.standard = {"met": t("xlsx.met", lang), "not met": t("xlsx.not_met", lang), "not measured": t("xlsx.not_measured", lang)}
        self.broken_by = {"team": t("xlsx.by_team", lang), "shoppers": t("xlsx.by_shoppers", lang), "both": t("xlsx.by_both", lang)}
        self.yes = t("xlsx.yes", lang)
        self.no = t("xlsx.no", lang)
        self.not_rated = t("results.not_rated", lang)

    def col(self, key: str, *args: Any, **kwargs: Any) -> Column:
        """A column whose header is ``xlsx.col.<key>`` in the audit's language."""
        return Column(t(f"xlsx.col.{key}", self.lang), *args, **kwargs)

    def map(self, values: Iterable[Any], table: Mapping[Any, str]) -> list[Any]:
        return [table.get(v, v) if v is not None else None for v in values]

    def labels(self, frame: pd.DataFrame, column: str, table: Mapping[Any, str]) -> None:
        """Replace the values of ``frame[column]`` by their words (missing values stay missing)."""
        if column in frame.columns and len(frame):
            frame[column] = self.map(frame[column].astype(object).where(frame[column].notna(), None), table)


def touchpoint_names(data: AuditData) -> dict[str, str]:
    """Touchpoint id -> name in the audit's language."""
    language = data.audit.language
    return {tp.id: tp.name.get(language) for tp in data.catalog.touchpoints}
