"""The plan editor's conversion from table edits to actions, suggestions kept, CSV, and all-or-nothing saving."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest

from audit import services
from audit.model import Action, ActionKind, ActionStatus, Catalog, Horizon, Rating, Role, Touchpoint
from audit.planedit import apply_editor, editor_frame, parse_due, plan_csv, suggestion_changes
from audit.store import NotFound, Store

TODAY = dt.date(2025, 6, 2)
IDS = ("sign", "site", "call", "box")


def action(i: int, tp: str, **kw: object) -> Action:
    base = {"id": i, "audit_id": "au", "touchpoint_id": tp, "kind": "improve", "what": f"Improve {tp}", "owner": "Office manager",
                "horizon": "this month", "due": TODAY + dt.timedelta(days=30), "priority": 50 - i, "position": i - 1}
    base.update(kw)
    return Action(**base)  # type: ignore[arg-type]


def plan() -> list[Action]:
    return [action(1, "sign"), action(2, "site"), action(3, "call")]


def edit(state: dict, actions: list[Action] | None = None):
    return apply_editor(plan() if actions is None else actions, state, audit_id="au", touchpoint_ids=IDS, today=TODAY)


def test_the_table_has_one_row_per_action_in_plan_order() -> None:
    frame = editor_frame(plan())
    assert list(frame["order"]) == [1, 2, 3]
    assert list(frame["status"]) == ["todo"] * 3 and list(frame["touchpoint_id"]) == ["sign", "site", "call"]


def test_a_status_edit_saves_that_action_only_and_twice_is_the_same() -> None:
    state = {"edited_rows": {"1": {"status": "done"}}, "added_rows": [], "deleted_rows": []}
    first = edit(state)
    assert [(a.id, a.status) for a in first.saves] == [(2, ActionStatus.DONE)]
    assert first.ok and not first.changes_rows
    assert edit(state) == first  # the report is cumulative: applying it again changes nothing more
    assert edit({"edited_rows": {1: {"status": "done"}, 2: {"owner": "  Maria "}}}).saves[1].owner == "Maria"


def test_horizon_moves_the_due_date_unless_a_date_is_given() -> None:
    moved = edit({"edited_rows": {0: {"horizon": "this week"}}}).saves[0]
    assert (moved.horizon, moved.due) == (Horizon.WEEK, TODAY + dt.timedelta(days=7))
    kept = edit({"edited_rows": {0: {"horizon": "this week", "due": "2025-09-01T00:00:00"}}}).saves[0]
    assert kept.due == dt.date(2025, 9, 1)
    cleared = edit({"edited_rows": {0: {"due": None}}}).saves[0]
    assert cleared.due is None


@pytest.mark.parametrize(
    "values,field",
    [
        ({"what": ""}, "what"),
        ({"what": "   "}, "what"),
        ({"status": "finished"}, "status"),
        ({"touchpoint_id": "kitchen"}, "touchpoint"),
        ({"due": "someday"}, "due"),
        ({"owner": "x" * 400}, "owner"),
        ({"notes": "bell\x07"}, "notes"),
        ({"order": "first"}, "order"),
    ],
)
def test_a_bad_value_refuses_the_whole_batch_and_names_row_and_field(values: dict, field: str) -> None:
    result = edit({"edited_rows": {0: {"status": "done"}, 2: values}})
    assert not result.ok and result.saves == () and result.deletes == ()
    (problem,) = result.problems
    assert (problem.row, problem.field) == (3, field)


def test_deleting_rows() -> None:
    result = edit({"deleted_rows": [0, 2, 17, "x"]})
    assert result.deletes == (1, 3) and result.changes_rows and result.saves == ()


@pytest.mark.parametrize(
    "row,place,expected",
    [(2, 1, [3, 1, 2]), (0, 3, [2, 3, 1]), (0, 2, [2, 1, 3]), (1, 1, [2, 1, 3]), (2, 99, [1, 2, 3])],
)
def test_reordering_by_the_order_column(row: int, place: int, expected: list[int]) -> None:
    result = edit({"edited_rows": {row: {"order": place}}})
    positions = {a.id: a.position for a in result.saves}
    final = {a.id: positions.get(a.id, a.position) for a in plan()}
    assert sorted(final, key=final.get) == expected
    assert result.reordered == (expected != [1, 2, 3] or place != row + 1)


def test_a_new_row_waits_for_touchpoint_and_what_then_gets_defaults() -> None:
    waiting = edit({"added_rows": [{"owner": "Ann"}]})
    assert waiting.pending == 1 and waiting.saves == () and waiting.ok
    empty = edit({"added_rows": [{}]})
    assert empty.pending == 0 and empty.saves == ()
    done = edit({"added_rows": [{"touchpoint_id": "box", "what": "Print the logo on the box"}]})
    (new,) = done.saves
    assert new.id is None and not new.suggested and new.audit_id == "au"
    assert (new.kind, new.horizon, new.status, new.due, new.priority) == (
        ActionKind.IMPROVE, Horizon.MONTH, ActionStatus.TODO, TODAY + dt.timedelta(days=30), 0.0)
    assert new.position == 3 and done.added == 1 and done.changes_rows
    bad = edit({"added_rows": [{"touchpoint_id": "kitchen", "what": "Clean"}]})
    assert [(p.row, p.field) for p in bad.problems] == [(None, "touchpoint")]


def test_parse_due() -> None:
    assert parse_due("2025-03-31") == dt.date(2025, 3, 31)
    assert parse_due("31.03.2025") == dt.date(2025, 3, 31)
    assert parse_due(dt.datetime(2025, 3, 31, 12)) == dt.date(2025, 3, 31)
    assert parse_due("") is None and parse_due(None) is None and parse_due(float("nan")) is None
    with pytest.raises(ValueError):
        parse_due("31/31/2025")


# ------------------------------------------------------------------ suggestions kept


def _suggestion(a: Action) -> dict:
    return {"touchpoint_id": a.touchpoint_id, "kind": a.kind.value, "what": a.what, "owner": a.owner, "horizon": a.horizon.value,
            "due": a.due.isoformat() if a.due else None, "standard": a.standard, "status": a.status.value, "notes": a.notes}


def test_suggestion_changes_name_what_the_owner_changed() -> None:
    original = action(1, "sign")
    edited = dataclasses.replace(original, owner="Maria", status=ActionStatus.DONE)
    assert suggestion_changes(edited, _suggestion(original)) == [("owner", "Office manager", "Maria"), ("status", "todo", "done")]


def _store_audit(store: Store) -> tuple[str, str]:
    audit, links = store.create_audit("Bakery", Catalog("c", "C", tuple(Touchpoint(i, "office", i.title()) for i in IDS)))
    for name in ("Ann", "Bob"):
        person = store.add_participant(audit.id, name)
        for tp, reaction in zip(IDS, ("negative", "negative", "neutral", "positive"), strict=False):
            store.save_rating(Rating(audit.id, person.id, tp, importance=8, reaction=reaction))
    return audit.id, links[Role.OWNER]


def test_an_edited_action_keeps_its_generated_suggestion_and_survives_a_reload(store: Store) -> None:
    audit_id, token = _store_audit(store)
    first = services.plan.plan(store, token)
    assert first and all(a.suggested for a in first)
    state = {"edited_rows": {0: {"status": "in progress", "owner": "Maria"}}}
    change = apply_editor(first, state, audit_id=audit_id, touchpoint_ids=IDS)
    services.plan.save_edit(store, token, change)
    again = services.plan.plan(store, token)  # a new session reads the store
    assert (again[0].status, again[0].owner) == (ActionStatus.IN_PROGRESS, "Maria")
    kept = services.plan.suggestions(store, token)[again[0].id]
    assert kept["status"] == "todo" and kept["owner"] == first[0].owner
    assert services.plan.plan(store, token) == again  # the plan is created once


def test_saving_is_all_or_nothing(store: Store) -> None:
    audit_id, token = _store_audit(store)
    first = services.plan.plan(store, token)
    changed = dataclasses.replace(first[0], status=ActionStatus.DONE)
    with pytest.raises(NotFound):
        store.edit_actions(audit_id, save=[changed], delete=[999_999])
    assert store.actions(audit_id) == first


def test_another_audits_touchpoint_or_action_is_refused(sqlite_store: Store) -> None:
    _audit_id, token = _store_audit(sqlite_store)
    _other_id, other_token = _store_audit(sqlite_store)
    theirs = services.plan.plan(sqlite_store, other_token)
    ours = services.plan.plan(sqlite_store, token)
    from audit.planedit import PlanEdit

    with pytest.raises(NotFound):  # an action id of the other audit is not found in ours
        services.plan.save_edit(sqlite_store, token, PlanEdit(saves=(dataclasses.replace(theirs[0], status=ActionStatus.DONE),)))
    assert services.plan.plan(sqlite_store, other_token) == theirs and services.plan.plan(sqlite_store, token) == ours


def test_plan_csv_is_excel_friendly_and_formula_safe() -> None:
    catalog = Catalog("c", "C", (Touchpoint("sign", "office", {"en": "Sign", "ru": "Вывеска"}),))
    rows = [action(1, "sign", what="=HYPERLINK(\"x\")", owner="@boss", notes="-10% offer")]
    data = plan_csv(rows, catalog, "ru")
    assert data.startswith("\ufeff".encode("utf-8"))
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][0] == "№" and table[0][4] == "Что сделать"
    assert table[1][1] == "Вывеска" and table[1][4] == "'=HYPERLINK(\"x\")" and table[1][5] == "'@boss" and table[1][10] == "'-10% offer"
    assert table[1][9] == "Сделать" and table[1][13] == "1"
