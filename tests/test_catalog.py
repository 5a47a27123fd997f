"""Catalog files: every problem reported at once, with file, line and field; nothing half-loaded."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from audit.catalog import (
    CATALOG_DIR,
    Problem,
    bundled,
    bundled_ids,
    load_catalog,
    load_catalog_bytes,
    write_csv,
    write_xlsx,
)
from audit.model import Category

PRESETS = ["retail", "clinic", "b2b", "restaurant", "ecommerce"]

GOOD = """\
id: mine
name: {en: Mine, ru: Мой}
touchpoints:
  - id: office-door
    category: office
    name: {en: Door, ru: Дверь}
    stage: before
    channel: offline
  - id: staff-phone
    category: staff
    name: {en: Phone, ru: Телефон}
    standard: {metric: {en: rings}, unit: {en: rings}, comparison: "<=", threshold: 3}
chains:
  - id: visit
    name: {en: Visit}
    links: [office-door, staff-phone]
"""


def load_text(text: str, name: str = "mine.yaml"):
    return load_catalog_bytes(text.encode("utf-8"), name)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_a_good_file_loads() -> None:
    catalog, problems = load_text(GOOD)
    assert problems == []
    assert [t.id for t in catalog.touchpoints] == ["office-door", "staff-phone"]
    assert catalog.touchpoints[1].standard.describe() == "rings <= 3 rings"
    assert catalog.chains[0].links == ("office-door", "staff-phone")


def test_duplicate_id_names_both_lines() -> None:
    text = GOOD.replace("id: staff-phone", "id: office-door")
    catalog, problems = load_text(text)
    assert catalog is None
    problem = problems[0]
    assert (problem.file, problem.line, problem.field) == ("mine.yaml", 9, "id")
    assert "duplicate id 'office-door' (first used on line 4)" in problem.message


def test_unknown_category() -> None:
    catalog, problems = load_text(GOOD.replace("category: staff", "category: kitchen"))
    assert catalog is None
    p = only(problems)
    assert (p.line, p.field) == (10, "category")
    assert "kitchen" in p.message and "office, product, technology, staff" in p.message


def test_missing_name() -> None:
    catalog, problems = load_text(GOOD.replace("    name: {en: Door, ru: Дверь}\n", ""))
    assert catalog is None
    p = only(problems)
    assert (p.line, p.field, p.message) == (4, "name", "name is missing")


def test_chain_naming_a_touchpoint_that_does_not_exist() -> None:
    catalog, problems = load_text(GOOD.replace("links: [office-door, staff-phone]", "links: [office-door, staff-fax]"))
    assert catalog is None
    p = only(problems)
    assert (p.line, p.field) == (16, "links")
    assert "'staff-fax', which does not exist" in p.message


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("stage: before", "stage: 5", 7, "stage", "a word or a list"),
        ("threshold: 3}", "threshold: three}", 12, "standard.threshold", "must be a number"),
        ("name: {en: Door, ru: Дверь}", "name: [Door]", 6, "name", "must be text"),
        ("channel: offline", "channel: {online: yes}", 8, "channel", "a word or a list"),
    ],
)
def test_wrong_types(old, new, line, field, words) -> None:
    catalog, problems = load_text(GOOD.replace(old, new))
    assert catalog is None
    p = only(problems)
    assert (p.line, p.field) == (line, field) and words in p.message


def test_every_problem_is_reported_at_once() -> None:
    text = GOOD.replace("category: staff", "category: kitchen").replace("links: [office-door, staff-phone]", "links: [office-door, nope]")
    text = text.replace("stage: before", "stage: [someday]")
    _catalog, problems = load_text(text)
    assert [(p.line, p.field) for p in problems] == [(7, "stage"), (10, "category"), (16, "links")]


def test_empty_file() -> None:
    for data in (b"", b"   \n\n"):
        catalog, problems = load_catalog_bytes(data, "empty.yaml")
        assert catalog is None and only(problems).message == "the file is empty"


def test_binary_file() -> None:
    catalog, problems = load_catalog_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 50, "program.yaml")
    assert catalog is None and "binary file" in only(problems).message


def test_fifty_megabyte_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    catalog, problems = load_catalog(big)
    assert catalog is None
    assert only(problems).message == "the file is 50 MB; a catalog may be at most 10 MB"


def test_text_in_the_wrong_encoding() -> None:
    data = GOOD.encode("cp1251")
    catalog, problems = load_catalog_bytes(data, "mine.yaml")
    assert catalog is None
    p = only(problems)
    assert p.line == 2 and "not UTF-8" in p.message and "Windows-1251" in p.message


def test_not_valid_yaml_names_the_line() -> None:
    catalog, problems = load_text(GOOD.replace("name: {en: Phone, ru: Телефон}", "name: {en: Phone, ru: Телефон"))
    assert catalog is None
    p = only(problems)
    assert p.line is not None and p.line >= 11 and "not valid YAML" in p.message


def test_unknown_file_type() -> None:
    catalog, problems = load_catalog_bytes(b"id,category\n", "list.txt")
    assert catalog is None and "unknown file type" in only(problems).message


def test_problem_renders_file_line_and_field() -> None:
    assert str(Problem("a.yaml", 3, "category", "bad")) == "a.yaml:3 [category]: bad"


# ----------------------------------------------------------------- CSV

CSV_GOOD = "id;category;name_en;name_ru;stage;channel\noffice-door;office;Door;Дверь;before;offline\nstaff-phone;staff;Phone;Телефон;before;offline\n"


def test_csv_with_semicolons_loads() -> None:
    catalog, problems = load_catalog_bytes(CSV_GOOD.encode("utf-8-sig"), "team-list.csv")
    assert problems == [] and catalog.id == "team-list"
    assert [t.name.exact("ru") for t in catalog.touchpoints] == ["Дверь", "Телефон"]


def test_csv_problems_name_the_row() -> None:
    text = CSV_GOOD + "office-door;kitchen;;;;\n"
    catalog, problems = load_catalog_bytes(text.encode(), "team-list.csv")
    assert catalog is None
    assert sorted((p.line, p.field) for p in problems) == [(4, "category"), (4, "id"), (4, "name")]


def test_csv_unknown_and_missing_columns() -> None:
    catalog, problems = load_catalog_bytes(b"ident,categry,name_en\nx,office,X\n", "l.csv")
    assert catalog is None
    messages = " | ".join(p.message for p in problems)
    assert "unknown column 'ident'" in messages and "column 'id' is missing" in messages


# ----------------------------------------------------------------- XLSX


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Touchpoints"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_problems_name_the_sheet_and_row() -> None:
    data = _xlsx([["id", "category", "name_en"], ["office-door", "office", "Door"], ["staff-x", "staff", None], [42, "product", "Price"]])
    catalog, problems = load_catalog_bytes(data, "list.xlsx")
    assert catalog is None
    assert [(p.file, p.line, p.field) for p in problems] == [("list.xlsx [Touchpoints]", 3, "name")]


def test_xlsx_with_numbers_as_ids_is_accepted_as_text() -> None:
    catalog, problems = load_catalog_bytes(_xlsx([["id", "category", "name_en"], [42, "product", "Price"]]), "list.xlsx")
    assert problems == [] and catalog.touchpoints[0].id == "42"


def test_a_zip_that_is_not_a_workbook_and_a_corrupted_workbook() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    catalog, problems = load_catalog_bytes(buffer.getvalue(), "list.xlsx")
    assert catalog is None and "not an Excel .xlsx" in only(problems).message
    broken = _xlsx([["id"]])[:-200]
    catalog, problems = load_catalog_bytes(broken, "list.xlsx")
    assert catalog is None and len(problems) == 1


# ----------------------------------------------------------------- bundled catalogs


def test_bundled_catalogs_are_all_there() -> None:
    assert bundled_ids() == ["general", *sorted(PRESETS)]


@pytest.mark.parametrize("catalog_id", ["general", *PRESETS])
def test_bundled_catalog_checks_clean(catalog_id: str) -> None:
    catalog, problems = load_catalog(CATALOG_DIR / f"{catalog_id}.yaml")
    assert problems == []
    for tp in catalog.touchpoints:
        assert tp.name.exact("en") and tp.name.exact("ru"), tp.id
        assert tp.question.exact("en") and tp.question.exact("ru"), tp.id
        assert tp.stages and tp.channels, tp.id


def test_general_catalog_is_large_and_covers_every_category() -> None:
    catalog = bundled("general")
    counts = catalog.count_by_category()
    assert len(catalog.touchpoints) >= 160
    assert all(counts[c] >= 30 for c in Category), counts


@pytest.mark.parametrize("preset", PRESETS)
def test_presets_extend_general_and_have_chains(preset: str) -> None:
    catalog = bundled(preset)
    general_ids = {t.id for t in bundled("general").touchpoints}
    ids = [t.id for t in catalog.touchpoints]
    assert len(ids) >= 60
    assert any(i in general_ids for i in ids) and any(i not in general_ids for i in ids)
    assert len(catalog.chains) >= 3
    assert all(len(c.links) >= 3 for c in catalog.chains)
    assert all(n > 0 for n in catalog.count_by_category().values())


def test_preset_including_an_unknown_id_is_reported(tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(
        "id: mini\nextends: general\nname: {en: Mini}\ninclude:\n  - office-nothing-like-this\n", encoding="utf-8"
    )
    catalog, problems = load_catalog(tmp_path / "mini.yaml")
    assert catalog is None
    p = only(problems)
    assert (p.line, p.field) == (5, "include") and "not in the base catalog 'general'" in p.message


# ----------------------------------------------------------------- writing and round trips


@pytest.mark.parametrize("catalog_id", ["general", "retail"])
def test_round_trip_through_xlsx_is_equal(catalog_id: str) -> None:
    original = bundled(catalog_id)
    again, problems = load_catalog_bytes(write_xlsx(original), f"{catalog_id}.xlsx")
    assert problems == []
    assert again == original


def test_round_trip_through_csv_keeps_every_touchpoint() -> None:
    original = bundled("general")
    again, problems = load_catalog_bytes(write_csv(original), "general.csv")
    assert problems == []
    assert again.touchpoints == original.touchpoints


def test_written_workbook_is_readable_and_never_holds_formulas() -> None:
    text = GOOD.replace("name: {en: Door, ru: Дверь}", "name: {en: \"=HYPERLINK(\\\"http://x\\\")\", ru: \"+Дверь\"}")
    catalog, problems = load_text(text)
    assert problems == []
    book = load_workbook(io.BytesIO(write_xlsx(catalog)))
    sheet = book["Touchpoints"]
    assert sheet.freeze_panes == "C2"
    column = {cell.value: cell.column_letter for cell in sheet[1]}
    name_en, name_ru = sheet[f"{column['name_en']}2"], sheet[f"{column['name_ru']}2"]
    assert name_en.value == '=HYPERLINK("http://x")' and name_en.data_type == "s"
    assert name_ru.value == "+Дверь" and name_ru.data_type == "s"
    again, problems = load_catalog_bytes(write_xlsx(catalog), "mine.xlsx")
    assert problems == [] and again == catalog
