"""Data versions: every write of what the analysis (or the plan) reads changes the audit's version, in the same
transaction; writes of anything else leave it alone; a write that fails leaves it alone too.

The cached analysis, live board and plan are keyed by this number, so a write that forgot to count
itself would show a stale page. The last test keeps the list honest: every write method of the
store is either exercised here or named, with the reason, as one that changes nothing cached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from audit.handoff.records import RemoteStatus
from audit.model import (
    Action,
    Answer,
    Audit,
    Catalog,
    Chain,
    ChannelEconomics,
    CompetitorNote,
    FunnelStep,
    Observation,
    Participant,
    Rating,
    Role,
    ShopperVisit,
    Standard,
    Touchpoint,
    VisitStatus,
)
from audit.store import Concerns, Store, StoreError
from audit.store.room import Seat
from audit.store.versions import DataVersion


def small_catalog() -> Catalog:
    tps = tuple(Touchpoint(f"tp-{i}", ("office", "staff", "product")[i % 3], {"en": f"Touchpoint {i}"}) for i in range(3))
    return Catalog("v", {"en": "V"}, tps, (Chain("buy", {"en": "Buy"}, ("tp-0", "tp-1", "tp-2")),))


@dataclass
class World:
    store: Store
    audit: Audit
    ann: Participant
    mila: Participant
    visit_id: int
    action_id: int


@pytest.fixture
def world(store: Store) -> World:
    audit, _links = store.create_audit("Shop", small_catalog(), competitors=["Rival"])
    ann = store.add_participant(audit.id, "Ann")
    mila = store.add_participant(audit.id, "Mila", Role.SHOPPER)
    visit = store.save_visit(ShopperVisit(None, audit.id, mila.id, dt.datetime(2026, 1, 5, tzinfo=dt.UTC), "phone",
                                          observations=(Observation("tp-1", "negative", "rang 7 times", 7),),
                                          status=VisitStatus.SUBMITTED))
    [action] = store.replace_actions(audit.id, [Action(None, audit.id, "tp-1", "fix now", "Answer in 3 rings", "Office", "this week")])
    assert visit.id is not None and action.id is not None
    return World(store, audit, ann, mila, visit.id, action.id)


def _seat(w: World) -> Callable[[Seat | None], Seat]:
    def check(seat: Seat | None) -> Seat:
        assert seat is not None
        return Seat(seat.access, seat.wave, seat.catalog_version, w.ann)

    return check


def _team_token(w: World) -> str:
    return w.store.links(w.store.rotate_token(w.audit.id, Role.OWNER))[Role.TEAM]


def _write_back(w: World) -> None:
    """Export the audit's rows, erase it, write them back (what an import of its archive does)."""
    from audit.store.auditrows import TableRows, read_audit_rows

    with w.store.unit() as tx, tx._read() as conn:
        tables = [TableRows(t.name, t.columns, [list(r) for r in t.rows], t.binary) for t in read_audit_rows(conn, w.audit.id)]
    w.store.erase_audit(w.audit.id)
    w.store.write_audit(w.audit.id, tables)


# What each write changes: "data" (what the analysis reads) or "plan" (the action plan).
WRITES: dict[str, tuple[str, Callable[[World], object]]] = {
    "update_audit": ("data", lambda w: w.store.update_audit(dataclasses.replace(w.store.get_audit(w.audit.id), name="Renamed"))),
    "set_results_shared": ("data", lambda w: w.store.set_results_shared(w.audit.id, True)),
    "add_participant": ("data", lambda w: w.store.add_participant(w.audit.id, "Bob")),
    "mark_seen": ("data", lambda w: w.store.mark_seen(w.audit.id, w.ann.id)),
    "add_touchpoint": ("data", lambda w: w.store.add_touchpoint(w.audit.id, Touchpoint("team-new", "office", {"en": "New"}))),
    "save_rating": ("data", lambda w: w.store.save_rating(Rating(w.audit.id, w.ann.id, "tp-0", importance=7), fields=["importance"])),
    "apply_answers": ("data", lambda w: w.store.apply_answers(w.audit.id, 1, w.ann.id, [Answer("tp-0", "importance", 8, "d1", 1, 1000)])),
    "answer_round": ("data", lambda w: w.store.answer_round(_team_token(w), w.ann.id, [Answer("tp-2", "reaction", "positive", "d1", 1, 1)],
                                                          _seat(w))),
    "save_visit": ("data", lambda w: w.store.save_visit(ShopperVisit(None, w.audit.id, w.mila.id, dt.datetime(2026, 1, 6, tzinfo=dt.UTC),
                                                                     "in-person", observations=(Observation("tp-0", "positive"),)))),
    "review_visit": ("data", lambda w: w.store.review_visit(w.audit.id, w.visit_id, VisitStatus.ACCEPTED)),
    "save_competitor_note": ("data", lambda w: w.store.save_competitor_note(CompetitorNote(w.audit.id, "Rival", "tp-1", "better"))),
    "set_standard": ("data", lambda w: w.store.set_standard(w.audit.id, "tp-1", Standard({"en": "rings"}, {"en": "rings"}, "<=", 3))),
    "save_economics": ("data", lambda w: w.store.save_economics(w.audit.id, ChannelEconomics("tp-0", 100.0, 10, 2, 300.0))),
    "delete_economics": ("data", lambda w: w.store.delete_economics(w.audit.id, 1, "tp-0")),
    "save_funnel": ("data", lambda w: w.store.save_funnel(w.audit.id, 1, "walk-in", [FunnelStep("walk-in", 0, "tp-0", 100)])),
    "start_next_wave": ("data", lambda w: w.store.start_next_wave(w.audit.id, 1)),
    "set_time_zone": ("data", lambda w: w.store.set_time_zone(w.audit.id, "Europe/Warsaw")),
    "write_audit": ("data", _write_back),
    "replace_actions": ("plan", lambda w: w.store.replace_actions(w.audit.id, [])),
    "save_action": ("plan", lambda w: w.store.save_action(
        Action(w.action_id, w.audit.id, "tp-1", "fix now", "Answer in 2 rings", "Office", "this week"))),
    "delete_action": ("plan", lambda w: w.store.delete_action(w.audit.id, w.action_id)),
    "create_plan_once": ("plan", lambda w: w.store.create_plan_once(
        w.audit.id, [Action(None, w.audit.id, "tp-0", "improve", "Repaint", "Owner", "this month")])),
    "edit_actions": ("plan", lambda w: w.store.edit_actions(w.audit.id, delete=[w.action_id])),
    "apply_action_changes": ("plan", lambda w: w.store.apply_action_changes(w.audit.id, [(w.action_id, {"status": "todo"}, {"status": "done"})])),
    "record_remote_status": ("plan", lambda w: w.store.record_remote_status(
        w.audit.id, "bitrix24", {w.action_id: (RemoteStatus.DONE, dt.date(2026, 1, 9))}, {w.action_id: "Done in Bitrix24"})),
}

# Writes of things no cached page reads (each is read fresh where it is shown).
NOT_COUNTED = {
    "migrate": "the schema, not an audit",
    "rotate_token": "links are checked on every request, never cached",
    "update_room": "the room is read on every refresh of the board and every card's poll",
    "set_discussed": "discussed marks are read on every refresh of the board",
    "add_photo": "photos are read by the review page itself, never part of the analysis",
    "delete_photo": "photos are read by the review page itself, never part of the analysis",
    "save_connection": "CRM connections are not part of the analysis or the plan",
    "delete_connection": "CRM connections are not part of the analysis or the plan",
    "save_people": "CRM people are not part of the analysis or the plan",
    "claim_tasks": "claims of remote tasks are not part of the analysis or the plan",
    "record_outcomes": "remote task ids are not part of the analysis or the plan",
    "erase_audit": "the audit is gone, its version rows with it; writing it back (write_audit) moves past every old version",
    "create_workspace": "workspaces list audits and links, not part of the analysis or the plan",
    "rotate_workspace_link": "workspaces list audits and links, not part of the analysis or the plan",
    "add_audit_to_workspace": "workspaces list audits and links, not part of the analysis or the plan",
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_of_analysis_or_plan_input_counts(world: World, name: str) -> None:
    part, write = WRITES[name]
    if name == "create_plan_once":
        world.store.replace_actions(world.audit.id, [])  # it stores a plan only where there is none
    before = world.store.data_version(world.audit.id)
    write(world)
    after = world.store.data_version(world.audit.id)
    changed = {"data": after.data != before.data, "plan": after.plan != before.plan}
    assert changed == {"data": part == "data", "plan": part == "plan"}, (before, after)
    assert after.data >= before.data and after.plan >= before.plan


def test_writes_of_other_things_leave_the_version(world: World) -> None:
    before = world.store.data_version(world.audit.id)
    world.store.update_room(world.audit.id, follow="tp-1")
    world.store.set_discussed(world.audit.id, 1, "tp-1")
    world.store.mark_seen(world.audit.id, world.mila.id)
    seen = world.store.data_version(world.audit.id)
    assert seen.data == before.data + 1  # Mila opened the audit for the first time: the board shows her as joined
    world.store.mark_seen(world.audit.id, world.mila.id)  # the second time changes nothing
    world.store.rotate_token(world.audit.id, Role.TEAM)
    assert world.store.data_version(world.audit.id) == seen


def test_a_refused_write_changes_nothing(world: World) -> None:
    before = world.store.data_version(world.audit.id)
    with pytest.raises(StoreError):
        world.store.add_touchpoint(world.audit.id, Touchpoint("tp-0", "office", {"en": "Twice"}))
    with pytest.raises(StoreError):
        world.store.start_next_wave(world.audit.id, 7)
    assert world.store.data_version(world.audit.id) == before


def test_versions_are_per_audit(world: World) -> None:
    other, _ = world.store.create_audit("Other", small_catalog())
    assert world.store.data_version(other.id) == DataVersion(1, 0)  # create_audit counts its own first write
    before = world.store.data_version(world.audit.id)
    world.store.set_standard(other.id, "tp-0", None)
    assert world.store.data_version(world.audit.id) == before
    assert world.store.data_version("no-such-audit") == DataVersion(0, 0)


def test_concurrent_writers_each_count(store: Store) -> None:
    """Writers of one audit keep their own slots: 8 people x 10 answers at once add exactly 80."""
    audit, _ = store.create_audit("Shop", small_catalog())
    people = [store.add_participant(audit.id, f"P{i}").id for i in range(8)]
    before = store.data_version(audit.id).data

    def rate(person: str) -> None:
        for n in range(10):
            store.save_rating(Rating(audit.id, person, f"tp-{n % 3}", importance=1 + n % 10), fields=["importance"])

    threads = [threading.Thread(target=rate, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.data_version(audit.id).data == before + 80


def _writes_through(method: Callable[..., object]) -> set[str]:
    source = inspect.getsource(method)
    return set(re.findall(r"self\.(_write_audit|_write)\(", source)) | ({"touch"} if "touch(" in source else set())


def test_every_store_write_is_counted_or_named() -> None:
    """A new write method must either count itself (and be added to WRITES) or say here why it need not."""
    writing = {
        name for name, method in inspect.getmembers(Concerns, inspect.isfunction)
        if not name.startswith("_") and _writes_through(method)
    } | {"migrate"}
    assert writing == set(WRITES) | set(NOT_COUNTED) | {"create_audit"}
    for name in NOT_COUNTED:
        if name != "migrate":
            assert _writes_through(getattr(Concerns, name)) == {"_write"}, name


def test_an_audit_written_back_never_reuses_an_old_version(world: World) -> None:
    """Export, change, erase, import the old rows, change again: the version never repeats one seen before,
    so no analysis kept under an old number is shown for the restored audit."""
    from audit.store.auditrows import TableRows, read_audit_rows

    with world.store.unit() as tx, tx._read() as conn:
        archived = [TableRows(t.name, t.columns, [list(r) for r in t.rows], t.binary) for t in read_audit_rows(conn, world.audit.id)]
    seen = {world.store.data_version(world.audit.id).data}
    for importance in (3, 4):
        world.store.save_rating(Rating(world.audit.id, world.ann.id, "tp-0", importance=importance), fields=["importance"])
        seen.add(world.store.data_version(world.audit.id).data)
    world.store.erase_audit(world.audit.id)
    world.store.write_audit(world.audit.id, archived)
    restored = world.store.data_version(world.audit.id).data
    world.store.save_rating(Rating(world.audit.id, world.ann.id, "tp-0", importance=9), fields=["importance"])
    assert {restored, world.store.data_version(world.audit.id).data}.isdisjoint(seen)
