"""The economics sheet computes with live formulas: LibreOffice recalculates them to the worked example, and to new numbers."""

from __future__ import annotations

import io
from pathlib import Path

import office
import openpyxl
import pytest

from audit.economics import economics_from_ticket
from audit.model import Audit, AuditData, Catalog, Touchpoint
from audit.workbook import build_workbook

SHEET = "Channel economics"
# LibreOffice keeps the results stored in an xlsx file unless told to recalculate on load.
ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def worked_example() -> bytes:
    catalog = Catalog("eco", {"en": "Eco"}, (Touchpoint("ads", "technology", {"en": "=Online ads"}),))
    audit = Audit("au-eco", "Shop", "en", "eco", wave=2)
    data = AuditData(audit, catalog, economics=(economics_from_ticket("ads", 90_000, 54, 12, 9_000, wave=2),))
    return build_workbook(data)


def recalculated(data: bytes, tmp_path: Path) -> openpyxl.Workbook:
    """The workbook opened, recalculated and saved by LibreOffice headless, read back with the values it computed."""
    source = tmp_path / "in" / "economics.xlsx"
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    saved = office.convert(source, office.XLSX, tmp_path / "out", settings=ALWAYS_RECALCULATE)
    return openpyxl.load_workbook(saved, data_only=True)


def row(book: openpyxl.Workbook) -> dict[str, object]:
    sheet = book[SHEET]
    header = [c.value for c in sheet[1]]
    return dict(zip(header, [c.value for c in sheet[2]], strict=True))


def test_libreoffice_recalculates_the_worked_example_and_a_new_spend(tmp_path: Path) -> None:
    data = worked_example()
    values = row(recalculated(data, tmp_path))
    assert values["Touchpoint"] == "=Online ads" and values["Wave"] == 2  # the name stays text
    assert values["Cost per lead"] == pytest.approx(1_666.6667, abs=0.01)
    assert values["Cost per customer"] == pytest.approx(7_500)
    assert values["Revenue − spend"] == pytest.approx(18_000)
    assert values["Net return ((revenue − spend) / spend)"] == pytest.approx(0.20)

    # The owner tries another spend in the file: the derived cells follow once recalculated.
    book = openpyxl.load_workbook(io.BytesIO(data))
    book[SHEET]["C2"] = 54_000
    edited = io.BytesIO()
    book.save(edited)
    values = row(recalculated(edited.getvalue(), tmp_path))
    assert values["Cost per lead"] == pytest.approx(1_000)
    assert values["Cost per customer"] == pytest.approx(4_500)
    assert values["Revenue − spend"] == pytest.approx(54_000)
    assert values["Return on spend (revenue / spend)"] == pytest.approx(2.0)
