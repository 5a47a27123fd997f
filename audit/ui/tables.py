"""Display-only tables whose fractional numbers are written the audit language's way.

Streamlit formats number columns in the browser with printf formats, which
always write a decimal point. For a language that writes a decimal comma
(Russian, Polish) :func:`localized` turns each named float column into text
written by :mod:`audit.numbers` ("7,5", "+0,35", "42 %"), and
:func:`column_config` switches those columns to right-aligned text columns
with the same label and width. For a language that writes a point (English)
the columns stay numbers (they sort numerically) with the matching printf
format. Whole-number columns are never named: they have no decimal sign.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import pandas as pd
import pyarrow as pa
import streamlit as st
from babel.numbers import get_decimal_symbol

from audit.numbers import decimal, locale, percent, signed

Table = TypeVar("Table", pd.DataFrame, pa.Table)


@dataclass(frozen=True)
class Decimals:
    """How one float column is written: ``places`` decimals, with a sign, or a 0..1 share as a percentage."""

    places: int = 1
    style: Literal["plain", "signed", "percent"] = "plain"

    def text(self, value: Any, lang: str) -> str:
        """One cell as text in ``lang`` (missing values as empty text)."""
        if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
            return ""
        if self.style == "signed":
            return signed(float(value), lang, self.places)
        if self.style == "percent":
            return percent(float(value), lang, self.places)
        return decimal(float(value), lang, self.places)

    def printf(self) -> str:
        """The printf format a number column uses for a language with a decimal point."""
        if self.style == "percent":
            return "percent"
        return f"%{'+' if self.style == 'signed' else ''}.{self.places}f"


def writes_comma(lang: str) -> bool:
    """Whether ``lang`` writes a decimal sign other than "." (Streamlit's number formats would be wrong for it)."""
    return str(get_decimal_symbol(locale(lang))) != "."


def localized(table: Table, lang: str, columns: Mapping[str, Decimals]) -> Table:
    """``table`` with each named float column as text in ``lang``; unchanged for a language writing a decimal point."""
    if not writes_comma(lang):
        return table
    if isinstance(table, pa.Table):
        for name, way in columns.items():
            if name in table.column_names:
                texts = pa.array([way.text(v, lang) for v in table.column(name).to_pylist()], type=pa.string())
                table = table.set_column(table.column_names.index(name), name, texts)
        return table
    shown = table.copy()
    for name, way in columns.items():
        if name in shown.columns:
            shown[name] = [way.text(v, lang) for v in shown[name].to_numpy(dtype=object)]
    return shown


def column_config(lang: str, columns: Mapping[str, Decimals], config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``config`` with each named column's entry made to match :func:`localized` (label, width and help kept)."""
    out: dict[str, Any] = dict(config or {})
    comma = writes_comma(lang)
    for name, way in columns.items():
        old: Mapping[str, Any] = out.get(name) or {}
        label, width, help_text = old.get("label"), old.get("width"), old.get("help")
        if comma:
            out[name] = st.column_config.TextColumn(label, width=width, help=help_text, disabled=old.get("disabled"), alignment="right")
        elif not old:
            out[name] = st.column_config.NumberColumn(format=way.printf())
    return out


def dataframe(table: pd.DataFrame | pa.Table, lang: str, columns: Mapping[str, Decimals], *, config: Mapping[str, Any] | None = None,
              **options: Any) -> None:
    """``st.dataframe`` of ``table`` with its named float columns written the ``lang`` way (``options`` go to Streamlit)."""
    st.dataframe(localized(table, lang, columns), column_config=column_config(lang, columns, config), **options)
