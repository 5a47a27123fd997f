"""Numbers, percentages and dates as each language writes them (Babel), on screen, in the PDF report and in the workbook.

Russian and Polish write a decimal comma ("7,5"), English a point ("7.5").
The screen (the board's "discuss first" lines, the results page's crosshair
line) and the PDF report (pdftotext) are read back as text; the workbook keeps
numbers as numbers with a number format, so a spreadsheet in any locale shows
its own decimal sign and can still compute with them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from app_driver import each_tab, open_page
from streamlit.testing.v1 import AppTest

from audit import services
from audit.demo import create_demo
from audit.i18n import t
from audit.model import Catalog, Rating, Role, Touchpoint
from audit.numbers import day, decimal, locale, localized, percent, signed
from audit.store import Store
from audit.ui import tables

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "audit_app.py")
POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")  # 7.5, not a date 31.03.2025 or a version 1.2.3
COMMA = re.compile(r"(?<![\d,])\d+,\d+(?![\d,])")
COMMA_LANGS = ["ru", "pl"]


def test_the_formats_of_each_language() -> None:
    assert [decimal(7.25, lang, 2) for lang in ("en", "ru", "pl")] == ["7.25", "7,25", "7,25"]
    assert [signed(0.347, lang) for lang in ("en", "ru", "pl")] == ["+0.35", "+0,35", "+0,35"]
    assert [percent(0.42, lang) for lang in ("en", "ru", "pl")] == ["42%", "42\xa0%", "42%"]
    assert day(dt.date(2025, 3, 31), "ru") == "31 мар. 2025\u202fг." and day(dt.date(2025, 3, 31), "pl") == "31 mar 2025"
    assert decimal(1234.5, "ru") == "1\xa0234,5" and decimal(1234.5, "en") == "1,234.5"
    assert decimal(7.5, "xx") == "7.5"  # a language Babel does not know is written the English way


def test_numbers_are_written_exactly_as_babel_writes_them() -> None:
    """decimal/signed/localized skip Babel's pattern parser for speed; each result is Babel's own, to the byte."""
    import random

    from babel.numbers import format_decimal

    rnd = random.Random(5)
    values: list[float] = [0.0, -0.0, 0.05, -0.05, 0.25, 2.675, -2.675, 1.005, 999.95, 999.9999, 1e15, -1234567.891, 0.0004,
                           -0.0004, float("inf"), float("-inf"), float("nan"), 7, -7, 12345]
    values += [round(rnd.uniform(-1, 1) * 10 ** rnd.randint(0, 9), rnd.randint(0, 6)) for _ in range(300)]
    values += [k / 8 for k in range(-40, 40)] + [k / 1000 for k in range(-2000, 2000, 25)]
    values += [rnd.randint(-10**7, 10**7) / 10 ** rnd.randint(1, 4) for _ in range(300)]  # ties at every place
    values += [999_999_999_999.5, -999_999_999_999.95, 1e12, 123_456.785, 1e-7, -3e-5, 5e15 + 0.5, 0.0005, 2.5, 3.5,
               123_456_789_012.3457, 98_765_432.123457, 999_999.9999995]
    values += [float(k) for k in range(-1010, 1010, 3)] + [999.0, -999.0, 1000.0, -1000.0, 5.0]  # whole floats: no Babel path
    for lang in ("en", "ru", "de", "xx"):
        where = locale(lang)
        for value in values:
            for places in (0, 1, 2, 3, 6):
                body = "#,##0" + ("." + "0" * places if places else "")
                assert decimal(value, lang, places) == format_decimal(value, format=body, locale=where), (value, lang, places)
                assert signed(value, lang, places) == format_decimal(value, format=f"+{body};-{body}", locale=where), (value, lang)
            if not isinstance(value, int) or abs(value) < 1000:
                expected = format_decimal(value, format="#,##0.###", locale=where) if not isinstance(value, int) else str(value)
                assert localized(value, lang) == expected, (value, lang)


# ------------------------------------------------------------------ on screen


def voted(app_db: Store, lang: str) -> dict[Role, str]:
    catalog = Catalog("c", {"en": "C", "ru": "К", "pl": "K"}, (
        Touchpoint("office-door", "office", {"en": "Door", "ru": "Дверь", "pl": "Drzwi"}),
        Touchpoint("staff-call", "staff", {"en": "Call", "ru": "Звонок", "pl": "Telefon"}),
    ))
    audit, links = app_db.create_audit("Piekarnia", catalog, language=lang)
    for name, door, call in (("Ola", (8, "negative"), (3, "positive")), ("Iwan", (7, "positive"), (4, "neutral"))):
        pid = app_db.add_participant(audit.id, name).id
        app_db.save_rating(Rating(audit.id, pid, "office-door", importance=door[0], reaction=door[1]))
        app_db.save_rating(Rating(audit.id, pid, "staff-call", importance=call[0], reaction=call[1]))
    return links


def page_text(token: str, page: str) -> str:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = token
    at.run()
    at.switch_page(f"audit/ui/pages/{page}.py")
    at.run()
    assert not at.exception
    shown = each_tab(at) if at.tabs else [at]  # a page with tabs builds only the shown tab: each in turn
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for seen in shown for kind in ("markdown", "caption") for e in seen.get(kind)))


@pytest.mark.parametrize("lang", ["en", *COMMA_LANGS])
def test_the_board_and_the_results_page_write_numbers_the_languages_way(app_db: Store, lang: str) -> None:
    owner = voted(app_db, lang)[Role.OWNER]
    board = page_text(owner, "board")
    assert decimal(7.5, lang) in board  # the door's mean importance in the "discuss first" line
    results = page_text(owner, "results")
    found = (board + results).replace(owner, "")
    if lang == "en":
        assert POINT.search(found) and not COMMA.search(found)
    else:
        assert COMMA.search(found) and not POINT.search(found), POINT.findall(found)


def shown_tables(token: str, page: str) -> list[tuple[pd.DataFrame, dict[str, dict]]]:
    """Each table of a page with its column settings (what the browser formats numbers with)."""
    return [(table.value, json.loads(table.proto.columns or "{}")) for table in every_table(open_page(token, page))]


def every_table(at: AppTest) -> list[Any]:
    """The tables and grids of a page; of every tab when it has tabs (a page with tabs builds only the shown one)."""
    return [table for seen in (each_tab(at) if at.tabs else [at]) for table in [*seen.dataframe, *seen.data_editor]]


def fractions(frame: pd.DataFrame, config: dict[str, dict]) -> list[str]:
    """Columns the browser would write with a decimal point: float numbers with a fraction, progress bars aside."""
    return [str(name) for name in frame.columns
            if pd.api.types.is_float_dtype(frame[name]) and config.get(str(name), {}).get("type_config", {}).get("type") != "progress"
            and (frame[name].dropna() % 1 != 0).any()]


@pytest.mark.parametrize("lang", COMMA_LANGS)
def test_the_tables_write_a_decimal_comma_in_russian_and_polish(app_db: Store, lang: str) -> None:
    owner = voted(app_db, lang)[Role.OWNER]
    for page, column in (("board", "board.col_importance"), ("results", "results.tip_importance")):
        shown = shown_tables(owner, page)
        assert shown
        for frame, config in shown:
            assert not fractions(frame, config), (page, fractions(frame, config))
            cells = "\n".join(v for v in frame.to_numpy(dtype=object).ravel() if isinstance(v, str))
            assert not POINT.search(cells), (page, POINT.findall(cells))
        importance = next(frame[t(column, lang)] for frame, _ in shown if t(column, lang) in frame.columns)
        assert list(importance) == ["7,5", "3,5"]  # the door's and the call's mean importance
        settings = next(config[t(column, lang)] for frame, config in shown if t(column, lang) in frame.columns)
        assert settings["type_config"]["type"] == "text" and settings["alignment"] == "right"


def test_the_tables_stay_numbers_in_english(app_db: Store) -> None:
    owner = voted(app_db, "en")[Role.OWNER]
    for page, column in (("board", "board.col_importance"), ("results", "results.tip_importance")):
        shown = shown_tables(owner, page)
        importance = next(frame[t(column, "en")] for frame, _ in shown if t(column, "en") in frame.columns)
        assert pd.api.types.is_float_dtype(importance) and list(importance) == [7.5, 3.5]  # sorts as numbers
        settings = next(config[t(column, "en")] for frame, config in shown if t(column, "en") in frame.columns)
        assert settings["type_config"] == {"type": "number", "format": "%.1f"}


def test_no_table_of_the_demo_audit_shows_a_decimal_point_in_russian(app_db: Store) -> None:
    owner = create_demo(app_db, language="ru")[1][Role.OWNER]
    for page in ("board", "results", "competitors", "economics", "standards", "review", "waves", "plan"):
        for table in every_table(open_page(owner, page)):
            frame, config = table.value, json.loads(table.proto.columns or "{}")
            cells = "\n".join(v for v in frame.to_numpy(dtype=object).ravel() if isinstance(v, str))
            assert not fractions(frame, config) and not POINT.search(cells), (page, fractions(frame, config), POINT.findall(cells))


def test_a_display_table_written_in_a_comma_language() -> None:
    frame = pd.DataFrame({"name": ["a", "b"], "mean": [7.25, float("nan")], "change": [0.347, -1.2], "share": [0.42, None], "n": [3, 4]})
    ways = {"mean": tables.Decimals(2), "change": tables.Decimals(2, "signed"), "share": tables.Decimals(0, "percent")}
    shown = tables.localized(frame, "pl", ways)
    assert shown.to_dict("list") == {"name": ["a", "b"], "mean": ["7,25", ""], "change": ["+0,35", "-1,20"], "share": ["42%", ""], "n": [3, 4]}
    assert frame["mean"].iloc[0] == 7.25  # the caller's table is left as it was
    arrow = tables.localized(pa.Table.from_pandas(frame, preserve_index=False), "ru", ways)
    assert arrow.column("mean").to_pylist() == ["7,25", ""] and arrow.column("n").to_pylist() == [3, 4]
    assert tables.localized(frame, "en", ways) is frame
    config = tables.column_config("ru", ways, {"mean": st.column_config.NumberColumn("Mean", format="%.2f", width="small")})
    assert config["mean"]["label"] == "Mean" and config["mean"]["width"] == "small" and config["mean"]["type_config"]["type"] == "text"
    english = tables.column_config("en", ways, {"mean": st.column_config.NumberColumn("Mean", format="%.2f", width="small")})
    assert english["mean"]["type_config"]["format"] == "%.2f" and english["change"]["type_config"]["format"] == "%+.2f"


# ------------------------------------------------------------------ the PDF report

NEEDS_POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is needed")


@NEEDS_POPPLER
@pytest.mark.parametrize("lang", ["en", *COMMA_LANGS])
def test_the_pdf_report_writes_numbers_and_dates_the_languages_way(tmp_path: Path, lang: str) -> None:
    store = Store(str(tmp_path / "demo.sqlite"))
    _audit, links = create_demo(store, language=lang)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(services.results.report(store, links[Role.OWNER], "median"))
    store.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    decimals = COMMA.findall(text) if lang != "en" else POINT.findall(text)
    assert len(decimals) >= 20  # the top-priorities table: importance, performance, priority per row
    assert (POINT if lang != "en" else COMMA).findall(text) == []
    assert " ".join(day(dt.date.today(), lang).split()) in " ".join(text.split())  # Babel spaces are no-break ones


# ------------------------------------------------------------------ the workbook: numbers with a number format


@pytest.mark.parametrize("lang", COMMA_LANGS)
def test_the_workbook_keeps_numbers_as_numbers_with_a_number_format(tmp_path: Path, lang: str) -> None:
    store = Store(str(tmp_path / "demo.sqlite"))
    _audit, links = create_demo(store, language=lang)
    book = openpyxl.load_workbook(io.BytesIO(services.results.workbook(store, links[Role.OWNER])))
    store.close()
    checked = 0
    for sheet_key, column_key in (("plan", "priority"), ("scores", "importance_mean"), ("scores", "performance"), ("scores", "priority")):
        sheet = book[t(f"xlsx.sheet.{sheet_key}", lang)]
        header = [c.value for c in sheet[1]]
        column = header.index(t(f"xlsx.col.{column_key}", lang)) + 1
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row, column)
            if cell.value is None:
                continue
            assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), (sheet.title, row, cell.value)
            assert cell.number_format not in ("General", "@") and "0" in cell.number_format, cell.number_format
            checked += 1
    assert checked >= 30
    every_text = [c.value for s in book.worksheets for r in s.iter_rows() for c in r if isinstance(c.value, str)]
    assert not [v for v in every_text if re.fullmatch(r"-?\d+[.,]\d+", v.strip())]  # no number written as text
