"""The Excel workbook: sheets, plan features, text never a formula, "not rated yet", atomic export."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from audit import workbook
from audit.i18n import t
from audit.model import (
    Audit,
    AuditData,
    Catalog,
    Chain,
    ChannelEconomics,
    CompetitorNote,
    Observation,
    Rating,
    Role,
    ShopperVisit,
    Standard,
    Touchpoint,
    VisitStatus,
)
from audit.sheet_table import Words
from audit.sheets import plan_columns
from audit.store import Store
from audit.workbook import SHEETS, build_workbook, export_audit

HEADERS = {c.header: (c.field or c.header) for lang in ("en", "ru") for c in plan_columns(Words(lang))}

TODAY = dt.date(2025, 6, 2)
EVIL = ("=HYPERLINK(\"http://x\",\"click\")", "+7 999 123", "-minus first", "@SUM(A1)", "=1+1\tand a tab")


def audit_data(*, rated: bool = True) -> AuditData:
    audit = Audit("au-wb", "Workbook =test", competitors=("Alpha", "=Evil()"))
    catalog = Catalog(
        "c", "Tiny catalog",
        (
            Touchpoint("phone", "staff", "=Phone line", stages=("before",)),
            Touchpoint("site", "technology", "Website", stages=("before", "during")),
            Touchpoint("till", "office", "Till", stages=("during",)),
            Touchpoint("ads", "technology", "Online ads"),
        ),
        (Chain("buy", "Buy", ("site", "phone", "till")),),
    )
    ratings = ()
    if rated:
        ratings = tuple(
            Rating(audit.id, f"p{i}", tp, imp, reaction, "have", comment=comment)
            for i, comment in enumerate(EVIL)
            for tp, imp, reaction in (("phone", 9, "negative"), ("site", 7, "positive"), ("till", 4, "neutral"))
        )
    visits = (
        ShopperVisit(1, audit.id, "s1", dt.datetime(2025, 5, 1, 9, 30), "phone", status="accepted",
                     observations=(Observation("phone", "negative", "=cmd|' /C calc'!A0", 7),)),
        ShopperVisit(2, audit.id, "s1", dt.datetime(2025, 5, 2), "website", status="submitted"),
    )
    notes = (CompetitorNote(audit.id, "=Evil()", "site", "worse", borrow="@their chat"),)
    return AuditData(
        audit, catalog, ratings=ratings, visits=visits, competitor_notes=notes,
        standards={"phone": Standard("rings before the answer", "rings", "<=", 3)},
        economics=(ChannelEconomics("ads", 90_000, 54, 12, 108_000),),
    )


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def visible(book: openpyxl.Workbook) -> list[str]:
    return [s.title for s in book.worksheets if s.sheet_state == "visible"]


def plan_header(plan) -> list[str]:
    return [HEADERS.get(c.value, c.value) for c in plan[1]]


def every_value(book: openpyxl.Workbook) -> Iterator[tuple[str, object]]:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


def test_all_sheets_in_order_with_the_plan_first() -> None:
    book = load(build_workbook(audit_data(), today=TODAY))
    assert visible(book) == list(SHEETS)
    assert book.sheetnames[0] == "Action plan"
    assert book["_export"].sheet_state == "veryHidden"


def test_action_plan_features() -> None:
    book = load(build_workbook(audit_data(), today=TODAY))
    plan = book["Action plan"]
    header = plan_header(plan)
    assert header[:3] == ["#", "Priority", "Touchpoint"]
    assert {"status", "action_id", "touchpoint_id", "Why it is in the plan", "due", "owner", "horizon", "standard"} <= set(header)
    assert plan.freeze_panes == "D2"
    assert plan.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{plan.max_row}"
    rules = plan.data_validations.dataValidation
    assert len(rules) == 1 and rules[0].type == "list" and rules[0].formula1 == '"To do,In progress,Done"'
    status_letter = openpyxl.utils.get_column_letter(header.index("status") + 1)
    assert str(rules[0].sqref).startswith(f"{status_letter}2:{status_letter}")
    assert len(plan.conditional_formatting) >= 1
    rows = [dict(zip(header, r, strict=False)) for r in plan.iter_rows(min_row=2, values_only=True)]
    priorities = [r["Priority"] for r in rows]
    assert priorities == sorted(priorities, reverse=True)
    assert [r["#"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["Touchpoint"] == "=Phone line" and rows[0]["status"] == "To do"
    assert rows[0]["due"].date() == TODAY + dt.timedelta(days=7 if rows[0]["Priority"] >= 50 else 30)
    assert plan.column_dimensions["E"].width >= 40  # "what to do" is readable
    assert plan.cell(2, header.index("what") + 1).alignment.wrap_text


def test_formula_looking_text_stays_text() -> None:
    book = load(build_workbook(audit_data(), today=TODAY))
    texts = {}
    for title, cell in every_value(book):
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
            texts.setdefault(cell.value, (title, cell.data_type))
    for value in ("=HYPERLINK(\"http://x\",\"click\")", "+7 999 123", "-minus first", "@SUM(A1)", "=1+1\tand a tab",
                  "=cmd|' /C calc'!A0", "=Evil()", "@their chat", "=Phone line"):
        assert value in texts, value
        assert texts[value][1] == "s", (value, texts[value])
    # The only formulas are ours: the derived columns of the economics sheet, over that row's cells.
    formulas = openpyxl.load_workbook(io.BytesIO(build_workbook(audit_data(), today=TODAY)))
    written = [(ws.title, c.coordinate, c.value) for ws in formulas.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert written and {title for title, _, _ in written} == {"Channel economics"}
    assert all(re.fullmatch(r'=[A-Z0-9()=",/+\-]+', value) and "Evil" not in value for _, _, value in written), written
    assert {coordinate[0] for _, coordinate, _ in written} == set("GHIJKLM")


def test_scores_and_other_sheets_carry_the_analysis() -> None:
    book = load(build_workbook(audit_data(), today=TODAY))
    scores = book["Scores"]
    header = [c.value for c in scores[1]]
    rows = {r[-1]: dict(zip(header, r, strict=False)) for r in scores.iter_rows(min_row=2, values_only=True)}
    phone = rows["phone"]
    assert phone["Importance (mean)"] == 9 and phone["Performance (−1..+1)"] == -1
    assert phone["Quadrant (this workbook)"] == "Concentrate here"
    assert phone["Shopper observations"] == 1 and phone["Standard status"] == "not met"
    assert phone["Journey breaks here"] == "Buy" and phone["Journey lost here"] == pytest.approx(2 / 3)
    assert rows["site"]["=Evil(): vs us"] == "Worse than us" and rows["site"]["Competitors vs us"] == "Worse than us"
    assert rows["ads"]["Quadrant (this workbook)"] == "Not rated yet"
    assert {"Quadrant if mean", "Quadrant if median", "Quadrant if scale midpoint", "Changes with the lines"} <= set(header)
    assert scores.freeze_panes == "B2"

    ratings = book["Ratings"]
    assert ratings.max_row == 1 + len(EVIL) * 3
    visits = list(book["Shopper visits"].iter_rows(min_row=2, values_only=True))
    assert len(visits) == 2 and visits[0][6] == "Accepted" and visits[1][6] == "Submitted"
    assert visits[0][13] == "not met"
    economics = [c.value for c in book["Channel economics"][2]]
    assert economics[0] == "Online ads" and economics[1] == 1 and economics[10] == "=F2-C2" and economics[-1] == "ads"
    cached = openpyxl.load_workbook(io.BytesIO(build_workbook(audit_data(), today=TODAY)), data_only=True)["Channel economics"]
    assert [cached.cell(2, c).value for c in (7, 8, 11)] == [pytest.approx(90_000 / 54), 7_500, 18_000]  # the formulas' stored results
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert about["Audit id"] == "au-wb" and about["Audit"] == "Workbook =test"
    assert about["Quadrant lines (IPA crosshair)"].startswith("Mean: lines at importance")
    assert "50 × (importance / 10)" in about["Priority (0–100)"]
    assert about["Wave"] == 1 and isinstance(about["Ratings"], int) and isinstance(about["Exported (UTC)"], dt.datetime)
    assert book.custom_doc_props["audit_id"].value == "au-wb"


def test_scores_sheet_has_customer_status_attention_and_lifetime() -> None:
    data = audit_data()
    tps = tuple(
        dataclasses.replace(tp, audiences=("potential", "current"), attention="short", lifetime="recurring") if tp.id == "phone"
        else tp for tp in data.catalog.touchpoints
    )
    data = dataclasses.replace(data, catalog=dataclasses.replace(data.catalog, touchpoints=tps))
    for lang, words in (("en", ("Potential customers, Current customers", "Short (seconds)", "Recurring")),
                        ("ru", ("Потенциальные клиенты, Текущие клиенты", "Короткое (секунды)", "Постоянная"))):
        localised = dataclasses.replace(data, audit=dataclasses.replace(data.audit, language=lang))
        book = load(build_workbook(localised, today=TODAY))
        scores = book.worksheets[1]
        header = [c.value for c in scores[1]]
        rows = {r[-1]: dict(zip(header, r, strict=False)) for r in scores.iter_rows(min_row=2, values_only=True)}
        columns = [t(f"xlsx.col.{k}", lang) for k in ("audiences", "attention", "lifetime")]
        assert tuple(rows["phone"][c] for c in columns) == words
        assert all(rows["site"][c] is None for c in columns)  # not given: blank


def test_categories_sheet_has_native_charts() -> None:
    data = build_workbook(audit_data(), today=TODAY)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len([n for n in archive.namelist() if n.startswith("xl/charts/chart")]) == 2
    book = load(data)
    assert len(book["Categories"]._charts) == 2
    rows = list(book["Categories"].iter_rows(values_only=True))
    assert rows[0][0] == "Category" and "By journey stage" in [r[0] for r in rows]


def test_not_rated_yet_everywhere_and_no_nan() -> None:
    book = load(build_workbook(audit_data(rated=False), today=TODAY))
    assert visible(book) == list(SHEETS)
    for title, cell in every_value(book):
        value = cell.value
        assert not (isinstance(value, float) and (math.isnan(value) or math.isinf(value))), (title, cell.coordinate)
        assert not (isinstance(value, str) and value.strip().lower() in ("nan", "none", "inf")), (title, cell.coordinate)
    for title in ("Action plan", "Scores", "Categories", "Chains", "Ratings"):
        text = " ".join(str(c.value) for _, c in every_value(book) if _ == title and c.value is not None)
        assert "not rated yet" in text.lower(), title
    assert book["Categories"]._charts == []
    # the shopper's negative call still suggests an action, and says the team has not rated it
    plan = book["Action plan"]
    evidence = plan_header(plan).index("Why it is in the plan") + 1
    assert plan.max_row == 2 and "Team: not rated yet." in plan.cell(2, evidence).value


def test_nothing_at_all_yet() -> None:
    base = audit_data(rated=False)
    book = load(build_workbook(AuditData(base.audit, base.catalog), today=TODAY))
    plan = book["Action plan"]
    assert plan["A2"].value.startswith("Not rated yet")
    assert plan.data_validations.dataValidation  # the dropdown is there for rows a person adds
    assert book["Ratings"]["A2"].value.startswith("Not rated yet")
    assert book["Shopper visits"]["A2"].value == "No shopper visits yet."
    assert book["Competitors"]["A2"].value.startswith("No competitor notes yet")
    assert book["Channel economics"]["A2"].value.startswith("No channel economics entered")
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert about["Touchpoints rated"] == 0 and about["Quadrant lines (IPA crosshair)"] == "Mean: not placed yet (nothing rated)"


def test_given_actions_are_written_with_their_ids() -> None:
    from audit.plan import plan_for

    data = audit_data()
    actions = [dataclasses.replace(a, id=100 + i, status="in progress" if i == 0 else "todo")
               for i, a in enumerate(plan_for(data, today=TODAY))]
    book = load(build_workbook(data, actions=actions))
    plan = book["Action plan"]
    header = plan_header(plan)
    ids = [r[header.index("action_id")] for r in plan.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == [100 + i for i in range(len(actions))]
    statuses = {r[header.index("action_id")]: r[header.index("status")] for r in plan.iter_rows(min_row=2, values_only=True)}
    assert statuses[100] == "In progress"


def test_crosshair_is_recorded() -> None:
    book = load(build_workbook(audit_data(), crosshair="midpoint", today=TODAY))
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert about["Quadrant lines (IPA crosshair)"] == "Scale midpoint: lines at importance 5.50, performance +0.00"
    assert "Scale midpoint" in about["What every sheet shows"] and "no filters" in about["What every sheet shows"]
    assert "Scale midpoint" in book["Scores"].oddHeader.right.text


# ------------------------------------------------------------------ export_audit (store, atomic)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(str(tmp_path / "a.sqlite"))
    try:
        yield s
    finally:
        s.close()


def stored_audit(store: Store) -> str:
    base = audit_data()
    audit, _ = store.create_audit("Stored", base.catalog, competitors=["Alpha"])
    people = [store.add_participant(audit.id, f"P{i}") for i in range(3)]
    for person in people:
        store.save_rating(Rating(audit.id, person.id, "phone", 9, "negative", comment="=SUM(1,2)"))
        store.save_rating(Rating(audit.id, person.id, "site", 6, "positive"))
    shopper = store.add_participant(audit.id, "Shopper", Role.SHOPPER)
    saved = store.save_visit(ShopperVisit(None, audit.id, shopper.id, dt.datetime(2025, 5, 1), "phone",
                                          observations=(Observation("phone", "negative", "-10 minutes on hold"),),
                                          status=VisitStatus.SUBMITTED))
    store.review_visit(audit.id, saved.id, VisitStatus.ACCEPTED)
    return audit.id


def test_export_writes_and_stores_the_plan_once(store: Store, tmp_path: Path) -> None:
    audit_id = stored_audit(store)
    out = tmp_path / "plan.xlsx"
    assert export_audit(store, audit_id, out) == out
    stored = store.actions(audit_id)
    assert stored and all(a.id is not None for a in stored)
    book = openpyxl.load_workbook(out)
    header = plan_header(book["Action plan"])
    ids = [r[header.index("action_id")] for r in book["Action plan"].iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(a.id for a in stored)
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert about["Audit id"] == audit_id and about["Team members"] == 3 and about["Mystery shoppers"] == 1
    # a second export uses the stored plan (with a person's edits), it does not propose a new one
    store.save_action(dataclasses.replace(stored[0], status="done"))
    export_audit(store, audit_id, out)
    assert [a.id for a in store.actions(audit_id)] == [a.id for a in stored]
    book = openpyxl.load_workbook(out)
    statuses = {r[header.index("action_id")]: r[header.index("status")] for r in book["Action plan"].iter_rows(min_row=2, values_only=True)}
    assert statuses[stored[0].id] == "Done"
    assert stat.S_IMODE(out.stat().st_mode) & 0o600 == 0o600


def test_export_without_saving_the_plan(store: Store, tmp_path: Path) -> None:
    audit_id = stored_audit(store)
    export_audit(store, audit_id, tmp_path / "p.xlsx", save_plan=False)
    assert store.actions(audit_id) == []


def test_export_is_atomic_on_failure(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    audit_id = stored_audit(store)
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"the previous workbook")

    def crash(target, analysis, actions, says=None):
        target.write(b"PK half a file")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(workbook, "write_workbook", crash)
    with pytest.raises(RuntimeError):
        export_audit(store, audit_id, out)
    assert out.read_bytes() == b"the previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_export_replaces_an_existing_file_keeping_its_mode(store: Store, tmp_path: Path) -> None:
    audit_id = stored_audit(store)
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"old")
    os.chmod(out, 0o640)
    export_audit(store, audit_id, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert visible(openpyxl.load_workbook(out)) == list(SHEETS)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".plan.xlsx")] == []


def test_a_sheet_longer_than_excel_ends_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "LAST_ROW", 6)
    book = load(build_workbook(audit_data(), today=TODAY))  # 15 ratings: more than rows 2..6
    column = [c.value for c in book["Ratings"]["A"]]
    assert len(column) == 7 and column[-1].startswith("… more rows than a spreadsheet can show")
