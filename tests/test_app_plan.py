"""The plan and waves pages through the app's entrypoint (AppTest): editor, downloads, the Excel round trip, new waves.

``st.data_editor`` edits cannot be typed in AppTest, so the edit is made the
way the page's callback makes it (:func:`audit.planedit.apply_editor` on the
widget's report, then :func:`audit.services.plan.save_edit`) and the page is opened
again in a new session; the grid itself is driven in the browser test.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from app_driver import APP, ROOT, TIMEOUT, ok, open_page, texts
from openpyxl import load_workbook
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from audit import services
from audit.demo import create_demo
from audit.i18n import t
from audit.model import ActionStatus, Catalog, Rating, Role, Touchpoint
from audit.numbers import decimal
from audit.planedit import apply_editor
from audit.sheet_table import SHEETS, Words, sheet_titles
from audit.sheets import plan_columns
from audit.store import Store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = {c.header: (c.field or c.header) for c in plan_columns(Words("en"))}


def visible(book: Any) -> list[str]:
    return [s.title for s in book.worksheets if s.sheet_state == "visible"]


@pytest.fixture
def db(app_db: Store) -> Store:
    """The app's SQLite file (``app_db``), under this file's short name."""
    return app_db


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """What the page hands to download buttons, by file name (AppTest keeps media in memory only)."""
    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self: Any, path_or_data: Any, mimetype: str, kind: Any, filename: str | None = None) -> str:
        if isinstance(path_or_data, bytes) and filename:
            seen[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return seen


def small_catalog() -> Catalog:
    return Catalog(
        "small", "Small",
        (
            Touchpoint("sign", "office", "Sign over the door"),
            Touchpoint("site", "technology", "Website"),
            Touchpoint("call", "staff", "Phone call"),
            Touchpoint("box", "product", "Packaging"),
        ),
    )


def rated(db: Store, name: str = "Bakery") -> tuple[str, dict[Role, str]]:
    audit, links = db.create_audit(name, small_catalog())
    for person in ("Ann", "Bob"):
        pid = db.add_participant(audit.id, person).id
        for tp, imp, reaction in (("sign", 9, "negative"), ("site", 8, "negative"), ("call", 7, "neutral"), ("box", 2, "positive")):
            db.save_rating(Rating(audit.id, pid, tp, importance=imp, reaction=reaction))
    return audit.id, links


# ------------------------------------------------------------------ the editor


def test_the_plan_page_shows_the_generated_plan_in_an_editable_table(db: Store) -> None:
    audit, links = create_demo(db)
    at = open_page(links[Role.OWNER], "plan")
    assert at.title[0].value == t("plan.title")
    (editor,) = at.data_editor
    stored = db.actions(audit.id)
    assert len(stored) > 10 and len(editor.value) == len(stored)
    assert editor.editing_mode == "dynamic"  # rows can be added and deleted
    assert list(editor.value["touchpoint_id"]) == [a.touchpoint_id for a in stored]
    assert list(editor.value["status"]) == ["todo"] * len(stored)
    ok(at.run())
    assert db.actions(audit.id) == stored  # opened again: the plan is not generated twice


def test_plan_edits_persist_and_the_suggestion_is_kept(db: Store) -> None:
    audit_id, links = rated(db)
    owner = links[Role.OWNER]
    open_page(owner, "plan")
    plan = db.actions(audit_id)
    report = {"edited_rows": {0: {"status": "done", "owner": "Maria"}, 1: {"order": 1}}, "added_rows": [
        {"touchpoint_id": "box", "what": "Print the logo on the box"}], "deleted_rows": []}
    edit = apply_editor(plan, report, audit_id=audit_id, touchpoint_ids=[tp.id for tp in small_catalog().touchpoints])
    services.plan.save_edit(db, owner, edit)

    again = open_page(owner, "plan")  # a reload: a new session reads the store
    table = again.data_editor[0].value
    assert list(table["touchpoint_id"])[:2] == [plan[1].touchpoint_id, plan[0].touchpoint_id]  # reordered
    first = table[table["touchpoint_id"] == plan[0].touchpoint_id].iloc[0]
    assert (first["status"], first["owner"]) == ("done", "Maria")
    assert "Print the logo on the box" in set(table["what"])
    # The details show the edited action next to what was suggested.
    again.selectbox(key="plan_detail").set_value(plan[0].id)
    ok(again.run())
    diff = next(d.value for d in again.dataframe if t("plan.col_suggested") in d.value.columns)
    assert set(diff[t("plan.col_field")]) >= {t("plan.col_owner"), t("plan.col_status")}
    assert t("action_status.todo") in set(diff[t("plan.col_suggested")])
    added = next(a for a in db.actions(audit_id) if a.what == "Print the logo on the box")
    again.selectbox(key="plan_detail").set_value(added.id)
    ok(again.run())
    assert t("plan.added_by_hand") in texts(again)


def test_the_priority_column_has_a_decimal_comma_in_polish_and_edits_still_save(db: Store) -> None:
    audit, links = db.create_audit("Piekarnia", small_catalog(), language="pl")
    for person in ("Ann", "Bob"):
        pid = db.add_participant(audit.id, person).id
        for tp, imp, reaction in (("sign", 9, "negative"), ("site", 8, "negative"), ("call", 7, "neutral")):
            db.save_rating(Rating(audit.id, pid, tp, importance=imp, reaction=reaction))
    owner = links[Role.OWNER]
    at = open_page(owner, "plan")
    plan = db.actions(audit.id)
    table = at.data_editor[0].value
    assert list(table["priority"]) == [decimal(round(a.priority, 1), "pl", 1) for a in plan]  # display only: "12,3"
    assert all("," in p and "." not in p for p in table["priority"])
    report = {"edited_rows": {0: {"owner": "Ola"}}, "added_rows": [], "deleted_rows": []}  # the widget never reports "priority"
    services.plan.save_edit(db, owner, apply_editor(plan, report, audit_id=audit.id, touchpoint_ids=["sign", "site", "call", "box"]))
    again = db.actions(audit.id)
    assert again[0].owner == "Ola" and [a.priority for a in again] == [a.priority for a in plan]


def test_an_audit_without_ratings_has_an_empty_plan_to_fill_by_hand(db: Store, downloads: dict[str, bytes]) -> None:
    audit, links = db.create_audit("Bakery", small_catalog())
    at = open_page(links[Role.OWNER], "plan")
    assert at.info[0].value == t("plan.empty")
    assert len(at.data_editor[0].value) == 0
    at.button(key="plan_xlsx_prepare").click()
    ok(at.run())
    book = load_workbook(io.BytesIO(downloads[services.results.file_name(audit, "xlsx")]))
    assert visible(book) == list(SHEETS)


# ------------------------------------------------------------------ downloads


def test_the_download_button_returns_a_workbook_that_openpyxl_opens(db: Store, downloads: dict[str, bytes]) -> None:
    audit, links = create_demo(db)
    at = open_page(links[Role.OWNER], "plan")
    assert [b.label for b in at.download_button] == [t("plan.csv_download"), t("plan.ics_download")]  # the workbook: on request
    at.button(key="plan_xlsx_prepare").click()
    ok(at.run())
    labels = [b.label for b in at.download_button]
    assert labels == [t("plan.xlsx_download"), t("plan.csv_download"), t("plan.ics_download")]
    assert at.download_button[0].proto.url.endswith(".xlsx")
    data = downloads[services.results.file_name(audit, "xlsx")]
    book = load_workbook(io.BytesIO(data))
    assert visible(book) == list(SHEETS)
    rows = list(book["Action plan"].iter_rows(values_only=True))
    head = {HEADERS.get(h, h): i for i, h in enumerate(rows[0])}
    assert {r[head["action_id"]] for r in rows[1:]} == {a.id for a in db.actions(audit.id)}
    about = dict(r[:2] for r in book["About"].iter_rows(values_only=True) if r[0])
    assert about["Audit id"] == audit.id
    csv = downloads[services.results.file_name(audit, "csv")].decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("#,Touchpoint,Category") and len(csv.splitlines()) == len(db.actions(audit.id)) + 1


def test_the_pdf_report_is_prepared_and_downloaded_from_the_plan_and_results_pages(db: Store, downloads: dict[str, bytes]) -> None:
    audit, links = create_demo(db, raters=3)
    for page in ("plan", "results"):
        at = open_page(links[Role.OWNER], page)
        at.button(key=f"{page}_pdf_prepare").click()
        ok(at.run())
        assert t("report.download") in [b.label for b in at.download_button]
        assert downloads[services.results.file_name(audit, "pdf")].startswith(b"%PDF")
        downloads.clear()


# ------------------------------------------------------------------ the round trip


def workbook_with(data: bytes, changes: dict[int, dict[str, Any]], lang: str = "en") -> bytes:
    """The workbook with some plan cells changed (the sheet and its headers in the audit's language ``lang``)."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[sheet_titles(lang)[0]]
    headers = {c.header: (c.field or c.header) for c in plan_columns(Words(lang))}
    columns = {headers.get(c.value, c.value): c.column for c in sheet[1] if c.value}
    for row, values in changes.items():
        for name, value in values.items():
            sheet.cell(row, columns[name]).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def action_at(data: bytes, row: int) -> int:
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Action plan"]
    rows = list(sheet.iter_rows(values_only=True))
    return rows[row - 1][[HEADERS.get(h, h) for h in rows[0]].index("action_id")]


def test_round_trip_export_edit_two_statuses_and_an_owner_upload_preview_apply(db: Store) -> None:
    audit_id, links = rated(db)
    owner = links[Role.OWNER]
    at = open_page(owner, "plan")
    data = services.results.workbook(db, owner)
    edited = workbook_with(data, {2: {"status": "done"}, 3: {"status": "in progress", "owner": "Maria"}})
    before = {a.id: a for a in db.actions(audit_id)}
    at.file_uploader(key="plan_upload:0").set_value(("plan.xlsx", edited, XLSX))
    ok(at.run())
    preview = next(d.value for d in at.dataframe if t("roundtrip.col_after") in d.value.columns)
    assert len(preview) == 3 and list(preview[t("roundtrip.col_row")]) == [2, 3, 3]
    assert set(preview[t("roundtrip.col_after")]) == {t("action_status.done"), t("action_status.in_progress"), "Maria"}
    assert {a.id: a for a in db.actions(audit_id)} == before  # a preview changes nothing

    apply = next(b for b in at.button if str(b.key).startswith("plan_apply:"))
    apply.click()
    ok(at.run())
    assert t("plan.upload_applied", n=2) in texts(at)
    after = {a.id: a for a in db.actions(audit_id)}
    assert after[action_at(edited, 2)].status is ActionStatus.DONE
    assert (after[action_at(edited, 3)].status, after[action_at(edited, 3)].owner) == (ActionStatus.IN_PROGRESS, "Maria")
    table = at.data_editor[0].value  # the plan shows them at once
    assert "done" in set(table["status"]) and "Maria" in set(table["owner"])
    assert not at.file_uploader(key="plan_upload:1").value  # a fresh uploader


def test_another_audits_workbook_and_a_corrupted_file_are_refused(db: Store) -> None:
    audit_id, links = rated(db, "Bakery")
    _, other = rated(db, "Florist")
    owner = links[Role.OWNER]
    theirs = workbook_with(services.results.workbook(db, other[Role.OWNER]), {2: {"status": "done"}})
    ours = services.results.workbook(db, owner)
    before = db.actions(audit_id)
    at = open_page(owner, "plan")
    at.file_uploader(key="plan_upload:0").set_value(("florist.xlsx", theirs, XLSX))
    ok(at.run())
    assert at.error[0].value == t("roundtrip.refused", n=1, file="florist\\.xlsx")
    assert "belongs to another audit" in texts(at)
    assert not [b for b in at.button if str(b.key).startswith("plan_apply:")]

    at.file_uploader(key="plan_upload:0").set_value(("broken.xlsx", ours[:3000], XLSX))
    ok(at.run())
    assert at.error[0].value == t("roundtrip.refused", n=1, file="broken\\.xlsx")
    assert "not an Excel workbook that can be read" in texts(at)
    assert not [b for b in at.button if str(b.key).startswith("plan_apply:")]
    assert db.actions(audit_id) == before


def test_rows_that_cannot_be_matched_are_listed_by_row(db: Store) -> None:
    audit_id, links = rated(db)
    owner = links[Role.OWNER]
    data = services.results.workbook(db, owner)
    edited = workbook_with(data, {2: {"status": "done", "action_id": 4242}, 3: {"status": "done", "touchpoint_id": "kitchen"},
                                  5: {"what": "Added in Excel", "status": "todo"}})
    at = open_page(owner, "plan")
    at.file_uploader(key="plan_upload:0").set_value(("plan.xlsx", edited, XLSX))
    ok(at.run())
    words = texts(at)
    assert at.error[0].value == t("roundtrip.refused", n=3, file="plan\\.xlsx")
    assert "Row 2: action_id 4242 is not in this plan" in words
    assert "Row 3: action_id" in words and "kitchen" in words and "an id was changed" in words
    assert "Row 5: no action_id" in words or "Row 5: no action id" in words
    assert all(a.status is ActionStatus.TODO for a in db.actions(audit_id))


# ------------------------------------------------------------------ waves and access


def test_the_owner_starts_a_new_wave(db: Store) -> None:
    audit_id, links = rated(db)
    at = open_page(links[Role.OWNER], "waves")
    assert at.title[0].value == t("waves.title")
    assert at.button(key="w_start").disabled
    at.checkbox(key="w_sure").check()
    ok(at.run())
    at.button(key="w_start").click()
    ok(at.run())
    assert db.get_audit(audit_id).wave == 2
    assert at.success[0].value == t("waves.started", wave=2)
    assert at.checkbox(key="w_sure").value is False
    counts = at.dataframe[0].value
    assert list(counts[t("waves.col_ratings")]) == [8, 0]
    stale = open_page(links[Role.OWNER], "waves")
    stale.checkbox(key="w_sure").check()
    ok(stale.run())
    db.start_next_wave(audit_id, 2)  # someone else, in another tab, meanwhile
    stale.button(key="w_start").click()
    ok(stale.run())
    assert "already started" in stale.error[0].value and db.get_audit(audit_id).wave == 3


@pytest.mark.parametrize("page", ["plan", "waves"])
def test_team_and_shopper_links_cannot_open_the_plan_or_waves(db: Store, page: str) -> None:
    audit_id, links = rated(db)
    for role in (Role.TEAM, Role.SHOPPER):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.query_params["t"] = links[role]
        ok(at.run())
        with pytest.raises(ValueError):
            at.switch_page(f"audit/ui/pages/{page}.py")
        direct = AppTest.from_file(str(ROOT / "audit" / "ui" / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
        direct.query_params["t"] = links[role]
        ok(direct.run())
        assert direct.error[0].value == t("access.not_allowed")
        assert not direct.data_editor and not direct.button and not direct.get("download_button")
    assert db.get_audit(audit_id).wave == 1 and db.actions(audit_id) == []  # nothing was created by them


def test_due_dates_in_the_table_are_dates(db: Store) -> None:
    _audit_id, links = rated(db)
    at = open_page(links[Role.OWNER], "plan")
    due = at.data_editor[0].value["due"]
    assert all(isinstance(v, (dt.date, dt.datetime)) or hasattr(v, "date") for v in due)
