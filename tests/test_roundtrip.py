"""The Excel round trip: export, edit in a spreadsheet, upload, preview, apply all or nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

import office
import pytest
from openpyxl import load_workbook

from audit import roundtrip, services
from audit.model import ActionStatus, Catalog, Rating, Role, Touchpoint
from audit.sheet_table import Words
from audit.sheets import plan_columns
from audit.store import Store, StoreError

# header -> plan field (or the header itself), in every language the workbook speaks
HEADERS = {c.header: (c.field or c.header) for lang in ("en", "ru") for c in plan_columns(Words(lang))}

TODAY = dt.date(2025, 6, 2)


def catalog() -> Catalog:
    return Catalog(
        "small", {"en": "Small", "ru": "Маленький"},
        (
            Touchpoint("office-sign", "office", {"en": "Sign over the door", "ru": "Вывеска"}, stages=("before",)),
            Touchpoint("tech-site", "technology", {"en": "Website", "ru": "Сайт"}, stages=("before",)),
            Touchpoint("staff-call", "staff", {"en": "Phone call", "ru": "Звонок"}, stages=("during",)),
            Touchpoint("product-box", "product", {"en": "Packaging", "ru": "Упаковка"}, stages=("after",)),
        ),
    )


def rated_audit(store: Store, name: str = "Bakery") -> tuple[str, str]:
    audit, links = store.create_audit(name, catalog())
    people = [store.add_participant(audit.id, n) for n in ("Ann", "Bob", "Cleo")]
    answers = {"office-sign": (9, "negative"), "tech-site": (8, "negative"), "staff-call": (7, "negative"), "product-box": (2, "positive")}
    for person in people:
        for tp, (imp, reaction) in answers.items():
            store.save_rating(Rating(audit.id, person.id, tp, importance=imp, reaction=reaction))
    return audit.id, links[Role.OWNER]


def exported(store: Store, token: str) -> bytes:
    return services.results.workbook(store, token, today=TODAY)


def edit(data: bytes, change: Callable[[Any], None]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def columns(sheet: Any) -> dict[str, int]:
    return {HEADERS.get(cell.value, cell.value): cell.column for cell in sheet[1] if cell.value}


def preview(store: Store, token: str, data: bytes) -> tuple[list, list]:
    found = services.plan.preview_upload(store, token, data)
    return list(found.changes), list(found.problems)


def plan_rows(sheet: Any) -> list[int]:
    ids = columns(sheet)["action_id"]
    return [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, ids).value is not None]


def set_cell(sheet: Any, row: int, column: str, value: Any) -> None:
    sheet.cell(row, columns(sheet)[column]).value = value


def get_cell(sheet: Any, row: int, column: str) -> Any:
    return sheet.cell(row, columns(sheet)[column]).value


def snapshot(store: Store, audit_id: str) -> list[tuple]:
    return [(a.id, a.status, a.owner, a.due, a.notes) for a in store.actions(audit_id)]


# ------------------------------------------------------------------ the round trip


def test_export_change_two_statuses_and_one_owner_upload_confirm(store: Store) -> None:
    audit_id, token = rated_audit(store)
    data = exported(store, token)
    plan = store.actions(audit_id)
    assert len(plan) >= 3 and all(a.id for a in plan)

    def change(book: Any) -> None:
        sheet = book["Action plan"]
        first, second = plan_rows(sheet)[:2]
        set_cell(sheet, first, "status", "done")
        set_cell(sheet, second, "status", "in progress")
        set_cell(sheet, second, "owner", "Maria (front desk)")

    edited = edit(data, change)
    changes, problems = preview(store, token, edited)
    assert problems == []
    assert sorted((c.field, str(getattr(c.after, "value", c.after))) for c in changes) == [
        ("owner", "Maria (front desk)"), ("status", "done"), ("status", "in progress"),
    ]
    assert snapshot(store, audit_id) == [(a.id, a.status, a.owner, a.due, a.notes) for a in plan]  # preview changes nothing

    assert services.plan.apply_upload(store, token, changes) == 2
    by_id = {a.id: a for a in store.actions(audit_id)}
    book = load_workbook(io.BytesIO(edited), read_only=True)
    rows = list(book["Action plan"].iter_rows(values_only=True))
    head = {HEADERS.get(h, h): i for i, h in enumerate(rows[0])}
    first, second = rows[1], rows[2]
    assert by_id[first[head["action_id"]]].status is ActionStatus.DONE
    assert by_id[second[head["action_id"]]].status is ActionStatus.IN_PROGRESS
    assert by_id[second[head["action_id"]]].owner == "Maria (front desk)"
    # The same file again: nothing left to change.
    assert preview(store, token, edited) == ([], [])


def test_due_dates_and_notes_are_read_back_too(sqlite_store: Store) -> None:
    store = sqlite_store
    audit_id, token = rated_audit(store)
    data = exported(store, token)

    def change(book: Any) -> None:
        sheet = book["Action plan"]
        row = plan_rows(sheet)[0]
        set_cell(sheet, row, "due", dt.datetime(2025, 12, 31))
        set_cell(sheet, row, "notes", "=call the sign maker")
        sheet.cell(row, columns(sheet)["notes"]).data_type = "s"  # typed as text (Excel: a leading apostrophe)
        set_cell(sheet, plan_rows(sheet)[1], "due", "2026-01-15")

    changes, problems = preview(store, token, edit(data, change))
    assert problems == []
    assert {(c.field, c.after) for c in changes} == {
        ("due", dt.date(2025, 12, 31)), ("notes", "=call the sign maker"), ("due", dt.date(2026, 1, 15)),
    }
    services.plan.apply_upload(store, token, changes)
    notes = [a.notes for a in store.actions(audit_id) if a.notes]
    assert notes == ["=call the sign maker"]  # stored as text, never a formula


# ------------------------------------------------------------------ refused files: nothing applied


def test_a_workbook_of_another_audit_is_refused(store: Store) -> None:
    audit_id, token = rated_audit(store, "Bakery")
    _, other_token = rated_audit(store, "Florist")
    theirs = edit(exported(store, other_token), lambda book: set_cell(book["Action plan"], 2, "status", "done"))
    before = snapshot(store, audit_id)
    changes, problems = preview(store, token, theirs)
    assert changes == [] and [p.key for p in problems] == ["other_audit"]
    assert snapshot(store, audit_id) == before


@pytest.mark.parametrize(
    "make",
    [
        lambda data: b"",
        lambda data: b"this is not a workbook at all",
        lambda data: data[: len(data) // 2],  # cut off half way
        lambda data: b"id,status\n1,done\n",  # a CSV renamed to .xlsx
        lambda data: _zip_without_sheets(),
    ],
    ids=["empty", "text", "truncated", "csv", "zip-without-sheets"],
)
def test_a_corrupted_file_is_refused_with_a_clear_message(sqlite_store: Store, make: Callable[[bytes], bytes]) -> None:
    audit_id, token = rated_audit(sqlite_store)
    data = exported(sqlite_store, token)
    before = snapshot(sqlite_store, audit_id)
    changes, problems = preview(sqlite_store, token, make(data))
    assert changes == [] and [p.key for p in problems] == ["not_workbook"]
    assert snapshot(sqlite_store, audit_id) == before


def _zip_without_sheets() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    return out.getvalue()


def test_rows_that_cannot_be_matched_are_all_reported_and_nothing_is_applied(sqlite_store: Store) -> None:
    store = sqlite_store
    audit_id, token = rated_audit(store)
    data = exported(store, token)
    before = snapshot(store, audit_id)

    def change(book: Any) -> None:
        sheet = book["Action plan"]
        rows = plan_rows(sheet)
        set_cell(sheet, rows[0], "status", "done")  # a good change that must not be applied alone
        set_cell(sheet, rows[1], "action_id", 99999)  # changed id: not in the plan
        set_cell(sheet, rows[2], "touchpoint_id", "office-door")  # the row no longer matches its action
        last = sheet.max_row + 1
        set_cell(sheet, last, "what", "A row added in Excel")  # no action_id
        set_cell(sheet, last + 1, "action_id", get_cell(sheet, rows[0], "action_id"))  # the same id twice
        set_cell(sheet, last + 2, "action_id", "twelve")

    changes, problems = preview(store, token, edit(data, change))
    keys = [p.key for p in problems]
    assert keys == ["unknown_id", "changed_id", "no_id", "duplicate_id", "bad_id"]
    assert all(p.row for p in problems)
    assert [c.field for c in changes] == ["status"]  # the good row is read, but the page offers no "apply" with problems
    assert snapshot(store, audit_id) == before


@pytest.mark.parametrize(
    "column,value,key",
    [("status", "finished", "bad_value"), ("due", "next Friday", "bad_value"), ("due", "2025-13-45", "bad_value"), ("owner", "x" * 400, "bad_value")],
)
def test_values_the_plan_cannot_take_are_named(sqlite_store: Store, column: str, value: Any, key: str) -> None:
    _audit_id, token = rated_audit(sqlite_store)
    data = edit(exported(sqlite_store, token), lambda book: set_cell(book["Action plan"], 2, column, value))
    _changes, problems = preview(sqlite_store, token, data)
    assert [p.key for p in problems] == [key] and problems[0].row == 2
    assert problems[0].details["field"] == column


def test_a_workbook_without_its_sheet_columns_or_audit_id_is_refused(sqlite_store: Store) -> None:
    _audit_id, token = rated_audit(sqlite_store)
    data = exported(sqlite_store, token)

    def drop_id(book: Any) -> None:
        del book["_export"]  # the hidden sheet with the audit id ...
        for row in book["About"].iter_rows():
            if row[0].value == "Audit id":  # ... and the About sheet's line
                row[0].value = "audit"

    def rename_sheet(book: Any) -> None:
        book["Action plan"].title = "Plan"

    def drop_column(book: Any) -> None:
        sheet = book["Action plan"]
        sheet.cell(1, columns(sheet)["action_id"]).value = "id"

    assert [p.key for p in preview(sqlite_store, token, edit(data, drop_id))[1]] == ["no_audit_id"]
    assert [p.key for p in preview(sqlite_store, token, edit(data, rename_sheet))[1]] == ["no_plan_sheet"]
    problems = preview(sqlite_store, token, edit(data, drop_column))[1]
    assert [p.key for p in problems] == ["missing_columns"] and "action_id" in problems[0].details["columns"]


def test_an_action_changed_in_the_app_after_the_preview_refuses_the_whole_file(store: Store) -> None:
    audit_id, token = rated_audit(store)
    data = exported(store, token)

    def change(book: Any) -> None:
        sheet = book["Action plan"]
        for row in plan_rows(sheet)[:2]:
            set_cell(sheet, row, "status", "done")

    changes, problems = preview(store, token, edit(data, change))
    assert problems == [] and len(changes) == 2
    second = next(a for a in store.actions(audit_id) if a.id == changes[1].action_id)
    store.edit_actions(audit_id, save=[dataclasses.replace(second, status=ActionStatus.IN_PROGRESS)])
    before = snapshot(store, audit_id)
    with pytest.raises(StoreError, match="changed in the app"):
        services.plan.apply_upload(store, token, changes)
    assert snapshot(store, audit_id) == before  # the first change was not applied either


def test_an_action_deleted_after_the_preview_refuses_the_whole_file(sqlite_store: Store) -> None:
    audit_id, token = rated_audit(sqlite_store)
    data = edit(exported(sqlite_store, token), lambda book: [set_cell(book["Action plan"], r, "status", "done") for r in (2, 3)])
    changes, _ = preview(sqlite_store, token, data)
    sqlite_store.delete_action(audit_id, changes[1].action_id)
    before = snapshot(sqlite_store, audit_id)
    with pytest.raises(StoreError, match="no longer in the plan"):
        services.plan.apply_upload(sqlite_store, token, changes)
    assert snapshot(sqlite_store, audit_id) == before


def test_only_the_owner_can_upload_or_download(sqlite_store: Store) -> None:
    from audit.services.access import NotAllowed

    _audit, links = sqlite_store.create_audit("Bakery", catalog())
    for role in (Role.TEAM, Role.SHOPPER):
        with pytest.raises(NotAllowed):
            services.plan.preview_upload(sqlite_store, links[role], b"x")
        with pytest.raises(NotAllowed):
            services.results.workbook(sqlite_store, links[role])
        with pytest.raises(NotAllowed):
            services.plan.apply_upload(sqlite_store, links[role], [])


def test_grouped_changes_per_action() -> None:
    changes = [
        roundtrip.Change(7, 2, "a", "status", ActionStatus.TODO, ActionStatus.DONE),
        roundtrip.Change(7, 2, "a", "owner", "", "Ann"),
        roundtrip.Change(9, 3, "b", "due", None, dt.date(2025, 1, 1)),
    ]
    assert roundtrip.grouped(changes) == [
        (7, {"status": "todo", "owner": ""}, {"status": "done", "owner": "Ann"}),
        (9, {"due": None}, {"due": dt.date(2025, 1, 1)}),
    ]


def test_a_workbook_saved_again_by_libreoffice_round_trips(sqlite_store: Store, tmp_path: Any) -> None:
    """Edited and saved in LibreOffice Calc (not only openpyxl): dates, ids and the audit id survive."""

    if office.SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    _audit_id, token = rated_audit(sqlite_store)
    edited = edit(exported(sqlite_store, token), lambda book: set_cell(book["Action plan"], 2, "status", "in progress"))
    source = tmp_path / "in" / "plan.xlsx"
    source.parent.mkdir()
    source.write_bytes(edited)
    saved = office.convert(source, office.XLSX, tmp_path)
    changes, problems = preview(sqlite_store, token, saved.read_bytes())
    assert problems == []
    assert [(c.field, c.after) for c in changes] == [("status", ActionStatus.IN_PROGRESS)]


# ------------------------------------------------------------------ without surprises (issue: the owner's deliverable)


def full_preview(store: Store, token: str, data: bytes) -> roundtrip.Preview:
    return services.plan.preview_upload(store, token, data)


def test_a_deleted_row_is_listed_and_deleted_only_when_the_owner_chooses(sqlite_store: Store) -> None:
    store = sqlite_store
    audit_id, token = rated_audit(store)
    data = exported(store, token)
    removed: list[int] = []

    def change(book: Any) -> None:
        sheet = book["Action plan"]
        row = plan_rows(sheet)[0]
        removed.append(get_cell(sheet, row, "action_id"))
        sheet.delete_rows(row)

    edited = edit(data, change)
    found = full_preview(store, token, edited)
    assert found.ok and found.changes == () and [a.id for a in found.deleted] == removed
    # keep them: applying the (empty) changes leaves the action in the plan
    assert services.plan.apply_upload(store, token, list(found.changes)) == 0
    assert removed[0] in {a.id for a in store.actions(audit_id)}
    # delete them: only now the action goes
    assert services.plan.apply_upload(store, token, list(found.changes), list(found.deleted)) == 1
    assert removed[0] not in {a.id for a in store.actions(audit_id)}


def test_a_formula_without_a_computed_value_is_refused_naming_the_cell(sqlite_store: Store) -> None:
    audit_id, token = rated_audit(sqlite_store)
    cell: list[str] = []

    def change(book: Any) -> None:
        sheet = book["Action plan"]
        target = sheet.cell(2, columns(sheet)["owner"])
        target.value = '=CONCATENATE("Ma","ria")'  # openpyxl saves a formula without its result, as any script would
        cell.append(target.coordinate)

    data = exported(sqlite_store, token)
    before = snapshot(sqlite_store, audit_id)
    found = full_preview(sqlite_store, token, edit(data, change))
    assert [p.key for p in found.problems] == ["formula"]
    assert found.problems[0].details["cell"] == cell[0] == "F2" and found.problems[0].row == 2
    assert snapshot(sqlite_store, audit_id) == before


@pytest.mark.parametrize(
    "column, expected",
    [("owner", ("owner", "")), ("due", ("due", None)), ("notes", ("notes", "")), ("status", "bad_value")],
)
def test_a_blank_cell_means_empty_in_every_editable_column(sqlite_store: Store, column: str, expected: Any) -> None:
    audit_id, token = rated_audit(sqlite_store)
    services.plan.plan(sqlite_store, token, today=TODAY)
    first = store_first = sqlite_store.actions(audit_id)
    # give the first action a value in every editable column, so a blank is a change
    sqlite_store.edit_actions(audit_id, save=[dataclasses.replace(first[0], owner="Ann", notes="call", due=TODAY)])
    data = exported(sqlite_store, token)
    found = full_preview(sqlite_store, token, edit(data, lambda book: set_cell(book["Action plan"], 2, column, None)))
    if expected == "bad_value":  # a status cannot be empty: refused, naming the row
        assert [(p.key, p.row, p.details["field"]) for p in found.problems] == [("bad_value", 2, "status")]
        return
    assert found.ok and [(c.field, c.after) for c in found.changes] == [expected]
    services.plan.apply_upload(sqlite_store, token, list(found.changes))
    stored = next(a for a in sqlite_store.actions(audit_id) if a.id == store_first[0].id)
    assert getattr(stored, column) == expected[1]


def test_an_edit_to_a_read_only_column_is_shown_as_refused_not_dropped(sqlite_store: Store) -> None:
    _audit_id, token = rated_audit(sqlite_store)

    def change(book: Any) -> None:
        sheet = book["Action plan"]
        set_cell(sheet, 2, "what", "Repaint the sign in blue")  # grey, locked: made by the analysis
        set_cell(sheet, 2, "status", "done")  # white: applied

    found = full_preview(sqlite_store, token, edit(exported(sqlite_store, token), change))
    assert found.ok
    assert [(r.key, r.row, r.details["column"]) for r in found.refused] == [("read_only", 2, "what")]
    assert [(c.field, c.after) for c in found.changes] == [("status", ActionStatus.DONE)]
    book = load_workbook(io.BytesIO(exported(sqlite_store, token)))
    sheet = book["Action plan"]
    what = sheet.cell(2, columns(sheet)["what"])
    assert sheet.protection.sheet and what.protection.locked and what.fill.fgColor.rgb.endswith("EDEDED")
    status = sheet.cell(2, columns(sheet)["status"])
    assert not status.protection.locked
    notes = {HEADERS.get(c.value, c.value): c.comment.text for c in sheet[1] if c.comment}
    assert ("Read-only" in notes["what"] and "edit" in notes["status"].lower()) or "Choose" in notes["status"]


def test_a_row_renewed_from_newer_ratings_after_the_download_is_refused_with_the_reason(sqlite_store: Store) -> None:
    audit_id, token = rated_audit(sqlite_store)
    data = exported(sqlite_store, token)
    target = {}

    def change(book: Any) -> None:
        sheet = book["Action plan"]
        for row in plan_rows(sheet):
            if get_cell(sheet, row, "touchpoint_id") == "office-sign":
                set_cell(sheet, row, "status", "in progress")
                target["row"] = row

    edited = edit(data, change)
    # the team changes its mind about the sign: its untouched suggestion is renewed (a new action)
    for person in sqlite_store.load(audit_id).participants:
        sqlite_store.save_rating(Rating(audit_id, person.id, "office-sign", importance=9, reaction="neutral"))
    services.plan.plan(sqlite_store, token, today=TODAY)
    found = full_preview(sqlite_store, token, edited)
    assert found.ok and found.changes == ()
    assert [(r.key, r.row) for r in found.refused] == [("renewed", target["row"])]


def test_a_russian_audit_round_trips_a_status_typed_in_russian(sqlite_store: Store) -> None:
    audit, links = sqlite_store.create_audit("Пекарня", catalog(), language="ru")
    for name in ("Анна", "Борис", "Вера"):
        person = sqlite_store.add_participant(audit.id, name)
        for tp, imp, reaction in (("office-sign", 9, "negative"), ("tech-site", 8, "negative"), ("product-box", 2, "positive")):
            sqlite_store.save_rating(Rating(audit.id, person.id, tp, importance=imp, reaction=reaction))
    token = links[Role.OWNER]
    data = exported(sqlite_store, token)
    assert "План действий" in load_workbook(io.BytesIO(data), read_only=True).sheetnames

    def change(book: Any) -> None:
        sheet = book["План действий"]
        set_cell(sheet, 2, "status", "В работе")  # typed by hand, in Russian
        set_cell(sheet, 3, "status", "done")  # the English value is accepted too
        set_cell(sheet, 3, "due", "31.12.2025")

    found = full_preview(sqlite_store, token, edit(data, change))
    assert found.ok and not found.refused
    assert sorted((c.field, str(c.after)) for c in found.changes) == [
        ("due", "2025-12-31"), ("status", "done"), ("status", "in progress")]
    services.plan.apply_upload(sqlite_store, token, list(found.changes))
    statuses = sorted(a.status.value for a in sqlite_store.actions(audit.id))
    assert "in progress" in statuses and "done" in statuses


def test_a_deletion_of_an_action_changed_in_the_app_since_the_preview_is_refused_whole(sqlite_store: Store) -> None:
    audit_id, token = rated_audit(sqlite_store)
    data = exported(sqlite_store, token)

    def change(book: Any) -> None:
        sheet = book["Action plan"]
        set_cell(sheet, plan_rows(sheet)[1], "status", "done")
        sheet.delete_rows(plan_rows(sheet)[0])

    found = full_preview(sqlite_store, token, edit(data, change))
    assert found.ok and len(found.deleted) == 1 and len(found.changes) == 1
    gone = found.deleted[0]
    sqlite_store.edit_actions(audit_id, save=[dataclasses.replace(gone, notes="we are on it")])
    before = snapshot(sqlite_store, audit_id)
    with pytest.raises(StoreError, match="changed in the app"):
        services.plan.apply_upload(sqlite_store, token, list(found.changes), list(found.deleted))
    assert snapshot(sqlite_store, audit_id) == before  # neither the deletion nor the status change
