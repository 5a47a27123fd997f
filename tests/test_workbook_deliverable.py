"""The owner's deliverable: one truth per export, the audit's language, and a plan that prints.

- every Action plan row agrees with the Scores sheet of the same workbook, for each crosshair;
- a Russian audit's workbook has no English sheet name, header, value or dropdown entry;
- LibreOffice prints a plan of 40 actions on at most 3 A4 pages, every page showing the touchpoint column,
  and every wrapped row has a height that fits its text.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import office
import openpyxl
import pytest

from audit import services
from audit.demo import create_demo
from audit.i18n import t
from audit.ipa import CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL
from audit.model import ActionKind, Role
from audit.plan import propose_plan
from audit.scoring import analyse
from audit.sheet_table import Words
from audit.sheets import plan_columns
from audit.store import Store
from audit.workbook import LINE_POINTS, build_workbook, export_audit, text_lines

LATIN = re.compile(r"[A-Za-z]")
ALLOWED_LATIN = ("IPA", "UTC", "Martilla & James")


def rows_of(sheet: Any) -> list[dict[str, Any]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def plan_rows(book: Any, lang: str) -> list[dict[str, Any]]:
    headers = {c.header: (c.field or f"col{i}") for i, c in enumerate(plan_columns(Words(lang)))}
    return [{headers.get(k, k): v for k, v in row.items()} for row in rows_of(book[t("xlsx.sheet.plan", lang)])
            if row.get(t("xlsx.col.action_id", lang)) is not None]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, str]:
    folder = tmp_path_factory.mktemp("demo")
    store = Store(str(folder / "demo.sqlite"))
    audit, _ = create_demo(store)
    return store, audit.id


# ------------------------------------------------------------------ one truth per export


@pytest.mark.parametrize("crosshair", ["mean", "median", "midpoint", "mean"])
def test_every_plan_row_agrees_with_the_scores_sheet_of_its_workbook(demo: tuple[Store, str], crosshair: str, tmp_path: Path) -> None:
    store, audit_id = demo
    out = export_audit(store, audit_id, tmp_path / "plan.xlsx", crosshair)  # each export follows the last one's crosshair change
    book = openpyxl.load_workbook(out)
    w = Words("en")
    scores = {r["Touchpoint id"]: r for r in rows_of(book["Scores"])}
    plan = plan_rows(book, "en")
    assert len(plan) > 20
    kinds = {w.kind[k.value]: k for k in ActionKind}
    quadrant_of = {w.quadrant[q]: q for q in (CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL)}
    for row in plan:
        score = scores[row["touchpoint_id"]]
        quadrant = quadrant_of.get(score["Quadrant (this workbook)"])
        assert row["col12"] == score["Quadrant (this workbook)"], row["touchpoint_id"]  # the plan's quadrant column
        assert row["col1"] == pytest.approx(score["Priority"], abs=0.05)
        kind, what = kinds[row["kind"]], row["what"]
        if kind is ActionKind.RETHINK:
            assert quadrant in (LOW_PRIORITY, OVERKILL), (crosshair, what, quadrant)
        if kind is ActionKind.AMPLIFY:
            assert quadrant is KEEP_UP or quadrant == KEEP_UP
        if kind is ActionKind.IMPROVE and "but performance is" in what:
            assert quadrant == CONCENTRATE, (crosshair, what)
        if kind is ActionKind.FIX_NOW:
            assert "breaks here" in what or quadrant in (CONCENTRATE, KEEP_UP), (crosshair, what)
            if "breaks here" in what:
                assert score["Journey breaks here"]
        for number in re.findall(r"\((\d+\.\d)/10\)", what):  # the importance the reason quotes
            assert number == f"{score['Importance (mean)']:.1f}", (what, score["Importance (mean)"])
        for number in re.findall(r"performance is ([+-]\d\.\d\d)", what):
            assert number == f"{score['Performance (−1..+1)']:+.2f}"
        assert not row["col14"], "a suggestion nobody touched never disagrees with its own data"
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert about["Quadrant lines (IPA crosshair)"].startswith(t(f"crosshair.{crosshair}", "en") + ":")
    assert t(f"crosshair.{crosshair}", "en") in book["Action plan"].oddHeader.right.text


def test_a_row_a_person_edited_stays_and_says_what_the_data_now_says(demo: tuple[Store, str], tmp_path: Path) -> None:
    store, audit_id = demo
    token = store.rotate_links(audit_id)[Role.OWNER] if hasattr(store, "rotate_links") else None
    actions = store.actions(audit_id)
    edited = dataclasses.replace(actions[0], kind=ActionKind.AMPLIFY, what="Make it a showcase", owner="Anna")
    store.edit_actions(audit_id, save=[edited])
    out = export_audit(store, audit_id, tmp_path / "plan.xlsx", "mean")
    row = next(r for r in plan_rows(openpyxl.load_workbook(out), "en") if r["action_id"] == edited.id)
    assert row["what"] == "Make it a showcase" and row["owner"] == "Anna"
    assert row["col14"].startswith("Data now says:")
    del token


# ------------------------------------------------------------------ the audit's language


def latin_words(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    for allowed in ALLOWED_LATIN:
        text = text.replace(allowed, "")
    return bool(LATIN.search(text))


def test_a_russian_workbook_has_no_english_sheet_header_value_or_dropdown(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "ru.sqlite"))
    _audit, links = create_demo(store, language="ru")
    data = services.results.workbook(store, links[Role.OWNER])
    book = openpyxl.load_workbook(io.BytesIO(data))
    visible = [s for s in book.worksheets if s.sheet_state == "visible"]
    assert [s.title for s in visible] == [t(f"xlsx.sheet.{k}", "ru") for k in
                                          ("plan", "scores", "categories", "chains", "ratings", "visits", "competitors", "departments",
                                           "economics", "about")]
    hidden = [s.title for s in book.worksheets if s.sheet_state != "visible"]
    assert not any(latin_words(title) for title in [s.title for s in visible] + hidden)
    for sheet in visible:
        for cell in next(sheet.iter_rows(min_row=1, max_row=1)):
            assert not latin_words(cell.value), (sheet.title, cell.value)
    plan = book[t("xlsx.sheet.plan", "ru")]
    rule = plan.data_validations.dataValidation[0]
    assert rule.formula1 == '"Сделать,В работе,Готово"'
    enum_headers = {t(f"xlsx.col.{k}", "ru") for k in ("kind", "horizon", "status", "category", "quadrant", "few_raters")}
    for row in rows_of(plan):
        for header in enum_headers:
            assert not latin_words(row[header]), (header, row[header])
    scores = rows_of(book[t("xlsx.sheet.scores", "ru")])
    for row in scores:
        for key in ("category", "quadrant_now", "quadrant_mean", "majority_reaction", "changes", "few_raters", "standard_status"):
            assert not latin_words(row[t(f"xlsx.col.{key}", "ru")]), (key, row[t(f"xlsx.col.{key}", "ru")])
    for row in rows_of(book[t("xlsx.sheet.ratings", "ru")])[:200]:
        for key in ("role", "reaction", "presence", "category"):
            assert not latin_words(row[t(f"xlsx.col.{key}", "ru")])
    for label, value in book[t("xlsx.sheet.about", "ru")].iter_rows(min_row=2, values_only=True):
        assert not latin_words(label), label
        if label in (t("xlsx.about.view", "ru"), t("xlsx.about.crosshair", "ru"), t("xlsx.about.language", "ru")):
            assert not latin_words(value), value
    assert plan.cell(2, 8).number_format == "dd.mm.yyyy"  # due: a real date, shown the Russian way
    store.close()


# ------------------------------------------------------------------ print-ready


def forty_actions(store: Store, audit_id: str) -> tuple[Any, list[Any]]:
    analysis = analyse(store.load(audit_id))
    plan = propose_plan(analysis)
    actions = [dataclasses.replace(plan[i % len(plan)], id=1000 + i, position=i) for i in range(40)]
    return analysis, actions


def pdf_pages(xlsx: bytes, folder: Path) -> list[str]:
    source = folder / "plan.xlsx"
    source.write_bytes(xlsx)
    pdf = office.convert(source, office.PDF, folder)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    return [subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout for i in range(1, count + 1)]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_forty_actions_print_on_three_pages_with_the_touchpoint_on_every_page(tmp_path: Path, lang: str) -> None:
    if office.SOFFICE is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler-utils are needed")
    store = Store(str(tmp_path / "demo.sqlite"))
    audit, _ = create_demo(store, language=lang)
    _, actions = forty_actions(store, audit.id)
    data = build_workbook(store.load(audit.id), actions=actions)
    store.close()
    pages = pdf_pages(data, tmp_path)
    sheet = t("xlsx.sheet.plan", lang)
    plan_pages = [p for p in pages if sheet in p.splitlines()[0]]
    assert 1 <= len(plan_pages) <= 3, [p.splitlines()[0] for p in pages]
    for page in plan_pages:
        assert t("xlsx.col.touchpoint", lang) in page  # the header row repeats
        assert audit.name in page.splitlines()[0]  # the page header names the audit ...
        assert t("xlsx.header_wave", lang, wave=1) in page.splitlines()[0]  # ... and the wave
    last = "\n".join(plan_pages)
    for number in range(1, 41):
        assert re.search(rf"^\s*{number}\s", last, re.MULTILINE), f"row {number} is not printed whole"

    book = openpyxl.load_workbook(io.BytesIO(data))
    plan = book[sheet]
    assert plan.page_setup.orientation == "landscape" and plan.page_setup.paperSize == 9
    assert plan.sheet_properties.pageSetUpPr.fitToPage and plan.page_setup.fitToWidth in (None, 1) and plan.page_setup.fitToHeight == 0
    assert plan.print_title_rows == "$1:$1" and plan.print_area == f"'{sheet}'!$A$1:$L$41"
    columns = plan_columns(Words(lang))
    for r in range(2, 42):
        height = plan.row_dimensions[r].height
        assert height is not None, f"row {r} has no height"
        for c, column in enumerate(columns[:12]):
            value = plan.cell(r, c + 1).value
            if column.style and "wrap" in column.style and isinstance(value, str):
                assert height >= text_lines(value, column.width or 20) * LINE_POINTS, (r, column.header)
    for other in book.worksheets:
        if other.sheet_state == "visible":
            assert other.page_setup.paperSize == 9 and other.print_title_rows, other.title
            assert other.oddHeader.left.text and other.oddFooter.center.text, other.title


def test_a_polish_workbook_speaks_polish_and_round_trips_a_polish_status(tmp_path: Path) -> None:
    """A third language is data: Polish sheets, headers, values and dropdown come from its file, with no code for it."""
    store = Store(str(tmp_path / "pl.sqlite"))
    _, links = create_demo(store, language="pl", raters=3)
    data = services.results.workbook(store, links[Role.OWNER])
    book = openpyxl.load_workbook(io.BytesIO(data))
    visible = [s.title for s in book.worksheets if s.sheet_state == "visible"]
    assert visible[0] == "Plan działań" and visible == [t(f"xlsx.sheet.{k}", "pl") for k in
                                                        ("plan", "scores", "categories", "chains", "ratings", "visits", "competitors",
                                                         "departments", "economics", "about")]
    plan = book["Plan działań"]
    words = Words("pl")
    assert plan.data_validations.dataValidation[0].formula1 == '"' + ",".join(words.status.values()) + '"'
    english = {c.header for c in plan_columns(Words("en"))}
    assert [c.value for c in plan[1] if c.value in english and c.value not in ("#", "Status")] == []
    rows = rows_of(plan)
    assert {r["Status"] for r in rows} == {t("action_status.todo", "pl")}
    assert all(r["Rodzaj działania"] in words.kind.values() for r in rows)

    def change(book: Any) -> None:
        sheet = book["Plan działań"]
        status = next(c.column for c in sheet[1] if c.value == "Status")
        sheet.cell(2, status).value = t("action_status.in_progress", "pl")

    edited = openpyxl.load_workbook(io.BytesIO(data))
    change(edited)
    out = io.BytesIO()
    edited.save(out)
    found = services.plan.preview_upload(store, links[Role.OWNER], out.getvalue())
    assert found.ok and [(c.field, c.after.value) for c in found.changes] == [("status", "in progress")]
    store.close()
