"""Hostile CSV and XLSX files: row floods, unclosed quotes, zip bombs, damaged XML; for catalogs and for the plan round trip.

Every refusal names its limit; memory stays bounded (tracemalloc here, resident
memory in a subprocess for the heaviest files); problems are collected in
linear time (a flood of bad rows stops at the row limit, and at most
``MAX_PROBLEMS`` are listed).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pytest

from audit import services
from audit.catalog import MAX_PROBLEMS, load_catalog_bytes, write_csv
from audit.catalog_table import MAX_SCANNED_ROWS
from audit.model import Catalog, Rating, Role, Touchpoint
from audit.roundtrip import MAX_ROWS as PLAN_MAX_ROWS
from audit.roundtrip import Problem, read_plan_workbook
from audit.store import Store
from audit.xlsxlimits import MAX_COLUMNS, MAX_PARTS, MAX_SHARED_STRINGS, CheckedWorkbook
from hostile.files import (
    GB,
    MB,
    book_parts,
    deflate,
    honest,
    million_rows,
    plan_parts,
    raw_zip,
    repeat_rows,
    rezip,
    shared_strings_bomb,
    with_part,
    with_shared_strings,
    workbook_parts,
)

HEADER = "id,category,name_en\n"


def rows(n: int, row: str) -> bytes:
    return (HEADER + "".join(row.format(i=i) for i in range(n))).encode()


# (case id, file bytes, words in a problem)
CSV_CASES: list[tuple[str, bytes, str]] = [
    ("bad-rows-100k", rows(100_000, "t{i},kitchen,\n"), "limit is 5,000"),
    ("valid-rows-100k", rows(100_000, "t{i},office,T\n"), "limit is 5,000"),
    ("rows-5001", rows(5001, "t{i},office,T\n"), "limit is 5,000"),
    ("blank-lines-10mb", HEADER.encode() + b"\n" * (10 * MB - 30), f"{MAX_SCANNED_ROWS:,} rows"),
    ("blank-cells-rows", HEADER.encode() + b",,\n" * 3_000_000, f"{MAX_SCANNED_ROWS:,} rows"),
    ("unclosed-quote-middle", (HEADER + 'a,office,"Door\nb,office,B\nc,office,C\n').encode(), 'quote (") opened on line 2'),
    ("unclosed-quote-last", (HEADER + 'a,office,A\nb,office,"B\n').encode(), 'quote (") opened on line 3'),
    ("unclosed-quote-swallows-all", (HEADER + 'a,office,"Door\n' + "b,office,B\n" * 20_000).encode(), "field limit"),
    ("formula-id", (HEADER + "=cmd|' /C calc'!A0,office,A\n").encode(), "latin letters"),
    ("too-many-cells", (HEADER + "a,office,A,extra,more\n").encode(), "row has 5 cells"),
    ("wide-row", (HEADER + "a,office,A," + ",x" * 100_000 + "\n").encode(), "cells but the header has 3"),
    ("nul-bytes", (HEADER + "a,office,A\x00\n").encode(), "binary"),
    ("utf-16", (HEADER + "a,office,A\n").encode("utf-16"), "binary"),
    ("cp1251", (HEADER + "a,office,Дверь\n").encode("cp1251"), "not UTF-8"),
    ("bom-only", "\ufeff".encode(), "empty"),
    ("header-only", HEADER.encode(), "no touchpoints"),
    ("no-header-columns", b"foo;bar\n1;2\n", "unknown column"),
    ("added-by-team-maybe", b"id,category,name_en,added_by_team\na,office,A,maybe\n", "must be yes or no"),
    ("category-formula", (HEADER + "a,=1+1,A\n").encode(), "must be one of"),
    ("name-too-long", (HEADER + "a,office," + "n" * 400 + "\n").encode(), "at most 300"),
    ("control-character", (HEADER + "a,office,A\x1bB\n").encode(), "control"),
    ("stage-garbage", b"id,category,name_en,stage\na,office,A,someday;never\n", "must be one of"),
    ("threshold-nan", b"id,category,name_en,standard_metric_en,standard_comparison,standard_threshold\na,office,A,m,<=,nan\n", "finite"),
    ("duplicate-ids", (HEADER + "a,office,A\na,office,B\n").encode(), "duplicate id"),
]


def _csv_problem(data: bytes, words: str, measured: Callable[..., Any]) -> list[Any]:
    catalog, problems = measured(lambda: load_catalog_bytes(data, "c.csv"))
    assert catalog is None and problems
    assert any(words in p.message for p in problems), [str(p) for p in problems][:5]
    return problems


@pytest.mark.parametrize(("data", "words"), [c[1:] for c in CSV_CASES], ids=[c[0] for c in CSV_CASES])
def test_hostile_csv_is_refused_with_the_limit_named(data: bytes, words: str, measured: Callable[..., Any]) -> None:
    _csv_problem(data, words, measured)


def test_a_flood_of_bad_rows_stops_at_the_row_limit_and_lists_a_bounded_number(measured: Callable[..., Any]) -> None:
    problems = _csv_problem(rows(4_000, "t{i},kitchen,\n"), "kitchen", measured)
    assert len(problems) == MAX_PROBLEMS + 1 and "more problems" in problems[-1].message
    flood = _csv_problem(rows(100_000, "t{i},kitchen,\n"), "limit is 5,000", measured)
    assert len(flood) == 1 and flood[0].line == 5002  # refused while reading: no row after the limit was parsed


def test_an_unclosed_quote_does_not_eat_the_next_row(measured: Callable[..., Any]) -> None:
    data = (HEADER + 'a,office,"Door\nb,office,B\n').encode()
    problems = _csv_problem(data, "is not closed", measured)
    assert [(p.line, p.field) for p in problems if "quote" in p.message] == [(2, "")]
    assert not any(p.field == "name" for p in problems)


VALID_CSV: list[tuple[str, bytes, list[str]]] = [
    ("formula-looking-names", (HEADER + "a,office,=cmd|' /C calc'!A0\nb,office,+7 495\nc,office,-10% off\nd,office,@owner\n").encode(),
     ["=cmd|' /C calc'!A0", "+7 495", "-10% off", "@owner"]),
    ("quoted-multiline-name", (HEADER + 'a,office,"Door\nat the back"\n').encode(), ["Door\nat the back"]),
    ("semicolons", b"id;category;name_en\na;office;A\n", ["A"]),
    ("tabs", b"id\tcategory\tname_en\na\toffice\tA\n", ["A"]),
    ("old-mac-line-ends", b"id,category,name_en\ra,office,A\rb,office,B", ["A", "B"]),
    ("windows-line-ends", b"id,category,name_en\r\na,office,A\r\n", ["A"]),
    ("exactly-5000", rows(5000, "t{i},office,N\n"), ["N"] * 5000),
    ("emoji-and-rtl", (HEADER + "a,office,Great 👍🏽 الخدمة\n").encode(), ["Great 👍🏽 الخدمة"]),
    ("added-by-team-no", b"id,category,name_en,added_by_team\na,office,A,no\n", ["A"]),
    ("stray-quotes", (HEADER + 'a,office,Do"or\nb,office,"B" x\n').encode(), ['Do"or', "B x"]),
]


@pytest.mark.parametrize(("data", "names"), [c[1:] for c in VALID_CSV], ids=[c[0] for c in VALID_CSV])
def test_unusual_but_valid_csv_is_kept_exactly(data: bytes, names: list[str], measured: Callable[..., Any]) -> None:
    catalog, problems = measured(lambda: load_catalog_bytes(data, "c.csv"))
    assert problems == []
    assert [tp.name.exact("en") for tp in catalog.touchpoints] == names
    assert not any(tp.added_by_team for tp in catalog.touchpoints)


def test_catalog_csv_export_is_formula_safe_and_reads_back_exactly() -> None:
    names = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@A1", "plain"]
    catalog = Catalog("c", "C", tuple(Touchpoint(f"t{i}", "office", name) for i, name in enumerate(names)))
    text = write_csv(catalog).decode("utf-8-sig")
    header, *body = list(csv.reader(io.StringIO(text)))
    cells = [row[header.index("name_en")] for row in body]
    assert cells == ["'=cmd|' /C calc'!A0", "'+SUM(1,2)", "'-2+3", "'@A1", "plain"]
    again, problems = load_catalog_bytes(text.encode(), "c.csv")
    assert problems == [] and [tp.name.exact("en") for tp in again.touchpoints] == names


# ---------------------------------------------------------------- XLSX


def _sst_count_bomb() -> bytes:
    parts = with_shared_strings(workbook_parts())
    body = b"<si><t/></si>" * (MAX_SHARED_STRINGS + 1)
    parts["xl/sharedStrings.xml"] = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + body + b"</sst>"
    return rezip(parts)


def _many_parts() -> bytes:
    parts = workbook_parts()
    return raw_zip([honest(n, d) for n, d in parts.items()] + [honest(f"xl/media/p{i}.bin", b"x") for i in range(MAX_PARTS)])


def _eocd_lies() -> bytes:
    data = bytearray(rezip(workbook_parts()))
    at = data.rfind(b"PK\x05\x06")
    data[at + 8 : at + 12] = b"\xff\xff\xff\xff"
    return bytes(data)


def _declared(size: int, count: int = 1) -> bytes:
    """A workbook with ``count`` media parts that each declare ``size`` bytes (and hold one)."""
    fake = [(f"xl/media/big{i}.bin", deflate(b"x"), zlib.crc32(b"x"), size) for i in range(count)]
    return raw_zip([honest(n, d) for n, d in workbook_parts().items()] + fake)


def _sheet(xml: bytes, rows: list[list[Any]] | None = None) -> bytes:
    return with_part(workbook_parts(rows), "xl/worksheets/sheet1.xml", xml)


def _replace_in_sheet(old: bytes, new: bytes) -> bytes:
    parts = workbook_parts()
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(old, new)
    return rezip(parts)


def _member_flagged(flag: int = 0, method: int | None = None) -> bytes:
    data = bytearray(rezip(workbook_parts()))
    at = data.find(b"xl/worksheets/sheet1.xml")
    local = data.rfind(b"PK\x03\x04", 0, at)
    central = data.find(b"PK\x01\x02")
    while central >= 0 and data[central + 46 : central + 46 + 24] != b"xl/worksheets/sheet1.xml":
        central = data.find(b"PK\x01\x02", central + 4)
    for header, offset in ((local, 6), (central, 8)):
        if flag:
            data[header + offset] |= flag
        if method is not None:
            data[header + offset + 2 : header + offset + 4] = method.to_bytes(2, "little")
    return bytes(data)


LAUGHS_XML = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)
XXE_XML = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>'
)

# (case id, builder, words for a catalog upload); a plan upload of the same file must say "not_workbook"
# (the cases in SHEET_LEVEL are refused only when their sheet is read: the plan variants put them on the plan sheet).
XLSX_CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("shared-strings-2gb", lambda: shared_strings_bomb(2 * GB), "shared strings inflate to 2,048 MB; the limit is 24 MB"),
    ("shared-strings-4gb", lambda: shared_strings_bomb(4 * GB - 2 * MB), "the limit is 24 MB"),
    ("shared-strings-lying-size", lambda: shared_strings_bomb(2 * GB, declared=MB), "cannot be unpacked"),
    ("shared-strings-lying-small", lambda: shared_strings_bomb(64 * MB, declared=10_000), "cannot be unpacked"),
    ("shared-strings-count", _sst_count_bomb, f"more than {MAX_SHARED_STRINGS:,} shared strings"),
    ("too-many-parts", _many_parts, f"the limit is {MAX_PARTS:,}"),
    ("directory-claims-65535-parts", _eocd_lies, f"the limit is {MAX_PARTS:,}"),
    ("directory-of-60000-parts", lambda: raw_zip([honest(f"p{i}", b"") for i in range(60_000)]), f"the limit is {MAX_PARTS:,}"),
    ("one-part-65mb", lambda: _declared(65 * MB), "64 MB per part"),
    ("parts-over-128mb", lambda: _declared(50 * MB, count=3), "the limit is 128 MB"),
    ("rows-1m-without-size", lambda: million_rows(dimension=False), "does not record its size"),
    ("broken-sheet-xml", lambda: _sheet(b"<worksheet><sheetData><row><c>"), "broken XML"),
    ("sheet-not-xml", lambda: _sheet(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), "broken XML"),
    ("broken-workbook-xml", lambda: with_part(workbook_parts(), "xl/workbook.xml", b"<workbook"), "broken XML"),
    ("broken-content-types", lambda: with_part(workbook_parts(), "[Content_Types].xml", b"<Types><"), "broken XML"),
    ("xml-entity-bomb", lambda: _sheet(LAUGHS_XML), "DTD"),
    ("xml-external-entity", lambda: _sheet(XXE_XML), "DTD"),
    ("dtd-in-workbook", lambda: with_part(workbook_parts(), "xl/workbook.xml", b'<!DOCTYPE w []><workbook/>'), "DTD"),
    ("sixteen-thousand-columns", lambda: _replace_in_sheet(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD2"/>'), f"the limit is {MAX_COLUMNS:,}"),
    ("garbage-dimension", lambda: _replace_in_sheet(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:ZZZZZZZZ2"/>'), "not an Excel"),
    ("shared-string-index-out-of-range", lambda: _with_bad_sst_index(), "cannot be read"),
    ("encrypted-member", lambda: _member_flagged(flag=1), "not an Excel"),
    ("unknown-compression", lambda: _member_flagged(method=99), "not an Excel"),
    ("crc-mismatch", lambda: rezip(workbook_parts(), {"xl/worksheets/sheet1.xml": _wrong_crc()}), "cannot be unpacked"),
    ("truncated", lambda: rezip(workbook_parts())[:-300], "not an Excel"),
    ("no-workbook-part", lambda: raw_zip([honest("xl/other.xml", b"<a/>")]), "not an Excel"),
    ("empty-zip", lambda: raw_zip([]), "not an Excel"),
    ("not-a-zip", lambda: b"PK\x03\x04" + b"\x00" * 100, "not an Excel"),
    ("exe-renamed", lambda: b"MZ\x90\x00" * 100, "not an Excel"),
]


SHEET_LEVEL = {"sixteen-thousand-columns", "shared-string-index-out-of-range"}


def _with_bad_sst_index(parts: dict[str, bytes] | None = None) -> bytes:
    parts = with_shared_strings(parts or workbook_parts())
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = re.sub(rb'<c r="B2" t="inlineStr"><is><t>[^<]*</t></is></c>', b'<c r="B2" t="s"><v>99999</v></c>', sheet)
    assert parts["xl/worksheets/sheet1.xml"] != sheet
    return rezip(parts)


def _wrong_crc() -> tuple[str, bytes, int, int]:
    name, packed, crc, size = honest("xl/worksheets/sheet1.xml", workbook_parts()["xl/worksheets/sheet1.xml"])
    return name, packed, crc ^ 0xFFFF, size


@pytest.mark.parametrize(("build", "words"), [c[1:] for c in XLSX_CASES], ids=[c[0] for c in XLSX_CASES])
def test_hostile_xlsx_catalog_is_refused_with_the_limit_named(build: Callable[[], bytes], words: str, measured: Callable[..., Any]) -> None:
    data = build()
    catalog, problems = measured(lambda: load_catalog_bytes(data, "c.xlsx"))
    assert catalog is None and problems
    assert any(words in p.message for p in problems), [str(p) for p in problems]


PLAN_CASES = [c for c in XLSX_CASES if c[0] not in SHEET_LEVEL] + [
    ("plan-sixteen-thousand-columns", lambda: _plan_with_dimension(b'<dimension ref="A1:XFD2"/>'), ""),
    ("plan-shared-string-index-out-of-range", lambda: _with_bad_sst_index(plan_parts()), ""),
    ("plan-broken-sheet-xml", lambda: _plan_sheet_cut(40), ""),
    ("plan-sheet-cut-in-half", lambda: _plan_sheet_cut(300), ""),
]


def _plan_with_dimension(dimension: bytes) -> bytes:
    parts = plan_parts()
    parts["xl/worksheets/sheet1.xml"] = re.sub(rb"<dimension [^>]*/>", dimension, parts["xl/worksheets/sheet1.xml"])
    return rezip(parts)


def _plan_sheet_cut(cut: int) -> bytes:
    parts = plan_parts()
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:-cut]
    return rezip(parts)


@pytest.mark.parametrize("build", [c[1] for c in PLAN_CASES], ids=[c[0] for c in PLAN_CASES])
def test_hostile_xlsx_plan_upload_is_not_a_workbook(build: Callable[[], bytes], measured: Callable[..., Any]) -> None:
    data = build()
    changes, problems = measured(lambda: read_plan_workbook(data, "a1", []))
    assert changes == [] and [p.key for p in problems] == ["not_workbook"], problems


def test_a_million_rows_stop_at_the_touchpoint_limit(measured: Callable[..., Any]) -> None:
    data = million_rows()
    catalog, problems = measured(lambda: load_catalog_bytes(data, "c.xlsx"))
    assert catalog is None and [p.message for p in problems] == ["the file has more than 5,000 touchpoints (rows); the limit is 5,000"]
    assert problems[0].line == 5002


def test_a_million_rows_of_a_plan_stop_at_the_plan_limit(measured: Callable[..., Any]) -> None:
    from audit.roundtrip import MAX_ROWS

    data = repeat_rows(plan_parts(), "xl/worksheets/sheet1.xml", b"<row><c><v>1</v></c></row>", 1_000_000)
    _changes, problems = measured(lambda: read_plan_workbook(data, "a1", []))
    assert problems[-1].key == "too_many_rows" and problems[-1].details == {"limit": MAX_ROWS}


ONE_CELL_ROW = b"<row><c><v>1</v></c></row>"
PLAN_SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def openpyxl_work(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often openpyxl opened a workbook and how many rows its sheet parser read, while the test runs."""
    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser

    work = {"opened": 0, "rows": 0}
    load, parse_row = openpyxl.load_workbook, WorkSheetParser.parse_row

    def opened(*args: Any, **kwargs: Any) -> Any:
        work["opened"] += 1
        return load(*args, **kwargs)

    def row(self: Any, element: Any) -> Any:
        work["rows"] += 1
        return parse_row(self, element)

    monkeypatch.setattr(openpyxl, "load_workbook", opened)
    monkeypatch.setattr(WorkSheetParser, "parse_row", row)
    return work


@pytest.mark.parametrize(
    ("rows", "dimension"),
    [(1_000_000, True), (1_000_000, "A1:H10"), (150_000, False)],
    ids=["true-size", "declares-ten-rows", "no-size-under-4mb"],
)
def test_a_plan_sheet_over_the_limit_is_refused_before_openpyxl_opens_the_file(
    rows: int, dimension: bool | str, sqlite_store: Store, openpyxl_work: dict[str, int], measured: Callable[..., Any],
) -> None:
    """The declared size is believed only when it is over the limit: a sheet that says 10 rows or nothing has its rows counted."""
    audit_id, token = _planned_audit(sqlite_store)
    before = sqlite_store.actions(audit_id)
    data = repeat_rows(plan_parts(audit_id), PLAN_SHEET, ONE_CELL_ROW, rows, dimension=dimension)
    found = measured(lambda: services.plan.preview_upload(sqlite_store, token, data))
    assert found.problems == (Problem("too_many_rows", PLAN_MAX_ROWS + 2, {"limit": PLAN_MAX_ROWS}),)
    assert found.changes == () and found.deleted == () and not found.ok
    assert openpyxl_work == {"opened": 0, "rows": 0}  # refused from the count alone: openpyxl never opened the file
    assert sqlite_store.actions(audit_id) == before


def test_a_plan_sheet_of_a_million_rows_without_its_size_is_refused_before_openpyxl_opens_it(
    sqlite_store: Store, openpyxl_work: dict[str, int], measured: Callable[..., Any],
) -> None:
    """Over 4 MB without a ``<dimension>``, the workbook check refuses the sheet first (openpyxl would read it whole to open it)."""
    audit_id, token = _planned_audit(sqlite_store)
    before = sqlite_store.actions(audit_id)
    data = repeat_rows(plan_parts(audit_id), PLAN_SHEET, ONE_CELL_ROW, 1_000_000, dimension=False)
    found = measured(lambda: services.plan.preview_upload(sqlite_store, token, data))
    assert [p.key for p in found.problems] == ["not_workbook"] and found.changes == ()
    assert openpyxl_work == {"opened": 0, "rows": 0} and sqlite_store.actions(audit_id) == before


@pytest.mark.parametrize("dimension", [True, "A1:H10", False], ids=["true-size", "declares-ten-rows", "no-size"])
def test_the_row_count_stops_reading_at_the_first_row_past_the_limit(dimension: bool | str, monkeypatch: pytest.MonkeyPatch) -> None:
    upload = CheckedWorkbook(repeat_rows(plan_parts(), PLAN_SHEET, ONE_CELL_ROW, 100_000, dimension=dimension))
    part = upload.sheet_parts()["Action plan"]
    read: list[int] = []
    unpack = zipfile.ZipExtFile.read
    monkeypatch.setattr(zipfile.ZipExtFile, "read", lambda self, n=-1: read.append(len(chunk := unpack(self, n))) or chunk)
    scan = upload.scan(part, 1_000)
    assert scan.rows == (100_001 if dimension is True else 1_001)  # the declared size, or the first row past the limit
    assert sum(read) <= 2 * 64 * 1024  # of a sheet of 2.6 MB


@pytest.mark.parametrize(("owner", "opened", "keys"), [("Ann", 1, []), ('=CONCATENATE("A","nn")', 2, ["formula"])], ids=["values", "a-formula"])
def test_a_plan_is_opened_once_unless_its_sheet_holds_a_formula(owner: str, opened: int, keys: list[str], openpyxl_work: dict[str, int]) -> None:
    """The formulas as written are read only to name a formula without a computed value; a sheet without any is read once."""
    data = rezip(plan_parts("a1", [[1, "office-door", "todo", owner, None, None]]))
    _changes, problems = read_plan_workbook(data, "a1", [])
    assert [p.key for p in problems if p.key != "unknown_id"] == keys
    assert openpyxl_work["opened"] == opened


def _planned_audit(store: Store) -> tuple[str, str]:
    catalog = Catalog("c", "C", (Touchpoint("office-door", "office", "Door"), Touchpoint("staff-call", "staff", "Call")))
    audit, links = store.create_audit("Bakery", catalog)
    person = store.add_participant(audit.id, "Ann")
    for tp in catalog.touchpoints:
        store.save_rating(Rating(audit.id, person.id, tp.id, importance=9, reaction="negative"))
    token = links[Role.OWNER]
    assert services.plan.plan(store, token)
    return audit.id, token


def test_a_valid_workbook_with_shared_strings_loads(measured: Callable[..., Any]) -> None:
    parts = with_shared_strings(book_parts({"Touchpoints": [["id", "category", "name_en"], ["a", "office", "-10% off"], ["b", "staff", "@owner"]]}))
    catalog, problems = measured(lambda: load_catalog_bytes(rezip(parts), "c.xlsx"))
    assert problems == [] and [tp.name.exact("en") for tp in catalog.touchpoints] == ["-10% off", "@owner"]


HEAVY = [
    ("shared-strings-2gb-catalog", "load_catalog_bytes(shared_strings_bomb(2 * GB), 'c.xlsx')[1][0].message"),
    ("shared-strings-2gb-plan", "read_plan_workbook(shared_strings_bomb(2 * GB), 'a1', [])[1][0].key"),
    ("shared-strings-lying-catalog", "load_catalog_bytes(shared_strings_bomb(2 * GB, declared=MB), 'c.xlsx')[1][0].message"),
    ("rows-1m-catalog", "load_catalog_bytes(million_rows(), 'c.xlsx')[1][0].message"),
    ("rows-1m-without-size-catalog", "load_catalog_bytes(million_rows(dimension=False), 'c.xlsx')[1][0].message"),
    ("rows-1m-plan", "read_plan_workbook(repeat_rows(plan_parts(), 'xl/worksheets/sheet1.xml', b'<row><c><v>1</v></c></row>', 1_000_000), 'a1', [])[1][-1].key"),
    ("bad-csv-rows-100k", "load_catalog_bytes(('id,category,name_en\\n' + ''.join(f't{i},kitchen,\\n' for i in range(100_000))).encode(), 'c.csv')[1][0].message"),
]


@pytest.mark.parametrize("work", [c[1] for c in HEAVY], ids=[c[0] for c in HEAVY])
def test_heavy_tables_in_resident_memory(work: str, in_subprocess: Callable[[str, str], str]) -> None:
    """The heaviest files in a fresh interpreter: resident memory (zlib, expat, lxml included), no tracing overhead."""
    setup = (
        "from hostile.files import GB, MB, million_rows, plan_parts, repeat_rows, shared_strings_bomb\n"
        "from audit.catalog import load_catalog_bytes\nfrom audit.roundtrip import read_plan_workbook"
    )
    result = in_subprocess(setup, work)
    assert any(w in result for w in ("limit", "cannot be unpacked", "does not record its size")) or result in ("'not_workbook'", "'too_many_rows'"), result


def test_a_plan_sheet_that_declares_fewer_rows_than_it_holds_is_read_whole(sqlite_store: Store) -> None:
    """A sheet whose ``<dimension>`` says fewer rows than it has (a hand-edited or badly written file) is read to its
    last counted row: no action is shown as deleted because openpyxl would have stopped at the declared size."""
    audit_id, token = _planned_audit(sqlite_store)
    exported = services.results.workbook(sqlite_store, token)
    book = zipfile.ZipFile(io.BytesIO(exported))
    parts = {name: book.read(name) for name in book.namelist()}
    plan_part = CheckedWorkbook(exported).sheet_parts()["Action plan"]
    sheet = parts[plan_part]
    assert re.search(rb'<dimension ref="A1:[A-Z]+\d+"', sheet)
    parts[plan_part] = re.sub(rb'(<dimension ref="A1:[A-Z]+)\d+"', rb'\g<1>2"', sheet)  # the header and one action
    honest, lying = (services.plan.preview_upload(sqlite_store, token, data) for data in (exported, rezip(parts)))
    assert len(sqlite_store.actions(audit_id)) > 1
    assert honest.ok and honest.deleted == () and honest.changes == ()
    assert (lying.problems, lying.changes, lying.deleted) == (honest.problems, honest.changes, honest.deleted)
