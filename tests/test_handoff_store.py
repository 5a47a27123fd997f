"""The hand-off's tables on SQLite and PostgreSQL: connections, people, claims, outcomes, remote status."""

from __future__ import annotations

import datetime as dt

import pytest
from handoff_world import planned

from audit.handoff.records import Connection, Outcome, PersonLink, RemoteStatus, Target, TaskState
from audit.model import ActionStatus, ValidationError
from audit.store import NotFound, Store

B24 = Target.BITRIX24


def connect(store: Store, audit_id: str, place: str = "https://a.bitrix24.ru/rest/1") -> bool:
    return store.save_connection(Connection(audit_id, B24, "sealed-value", f"{place}/••••/", {"place": place}))


def test_connections_people_and_task_links_live_per_audit_and_target(store: Store) -> None:
    audit_id, _ = planned(store, 3)
    other_id, _ = planned(store, 2, name="Other shop")
    assert store.connection(audit_id, B24) is None
    assert connect(store, audit_id) is False
    found = store.connection(audit_id, B24)
    assert found is not None and found.secret == "sealed-value" and found.place == "https://a.bitrix24.ru/rest/1"
    assert store.connection(other_id, B24) is None and store.connection(audit_id, Target.AMOCRM) is None
    store.save_people(audit_id, B24, {"Head of sales": PersonLink("Head of sales", "7", "Boris"), "": PersonLink("", "1", "Anna")})
    assert set(store.people(audit_id, B24)) == {"Head of sales", ""} and store.people(other_id, B24) == {}
    store.save_people(audit_id, B24, {"": None})
    assert set(store.people(audit_id, B24)) == {"Head of sales"}
    with pytest.raises(NotFound):
        store.save_people("no-such-audit", B24, {"x": PersonLink("x", "1", "A")})


def test_a_claim_is_given_once_and_a_refused_create_can_be_claimed_again(store: Store) -> None:
    audit_id, _ = planned(store, 3)
    ids = [a.id for a in store.actions(audit_id)]
    assert store.claim_tasks(audit_id, B24, {ids[0]: "h0", ids[1]: "h1", 999_999: "h"}, "tab-1") == [ids[0], ids[1]]
    assert store.claim_tasks(audit_id, B24, {ids[0]: "h0", ids[1]: "h1", ids[2]: "h2"}, "tab-2") == [ids[2]]
    links = store.task_links(audit_id, B24)
    assert links[ids[0]].state is TaskState.SENDING and links[ids[0]].claim == "tab-1" and links[ids[0]].pushed_hash == "h0"
    assert links[ids[0]].claimed_at is not None and links[ids[0]].claimed_at.tzinfo is not None
    store.record_outcomes(audit_id, B24, [
        Outcome(ids[0], TaskState.PUSHED, "101", "h0"), Outcome(ids[1], TaskState.FAILED, error="refused: no title"),
    ])
    links = store.task_links(audit_id, B24)
    assert (links[ids[0]].state, links[ids[0]].remote_id, links[ids[0]].claim) == (TaskState.PUSHED, "101", "")
    assert (links[ids[1]].state, links[ids[1]].remote_id, links[ids[1]].error) == (TaskState.FAILED, None, "refused: no title")
    assert store.claim_tasks(audit_id, B24, {ids[0]: "x", ids[1]: "h1b"}, "tab-3") == [ids[1]]  # the pushed one never again


def test_another_place_forgets_old_links_and_the_same_place_keeps_them(store: Store) -> None:
    audit_id, _ = planned(store, 2)
    first = store.actions(audit_id)[0].id
    connect(store, audit_id)
    store.save_people(audit_id, B24, {"": PersonLink("", "1", "Anna")})
    store.claim_tasks(audit_id, B24, {first: "h"}, "tab")
    store.record_outcomes(audit_id, B24, [Outcome(first, TaskState.PUSHED, "55", "h")])
    assert connect(store, audit_id) is False and store.task_links(audit_id, B24)[first].remote_id == "55"
    store.delete_connection(audit_id, B24)
    assert store.connection(audit_id, B24) is None and store.task_links(audit_id, B24)[first].remote_id == "55"
    assert connect(store, audit_id) is False and store.task_links(audit_id, B24)[first].remote_id == "55"
    assert connect(store, audit_id, "https://b.bitrix24.ru/rest/3") is True
    assert store.task_links(audit_id, B24) == {} and store.people(audit_id, B24) == {}


def test_a_completed_task_marks_its_action_done_once_with_a_note(store: Store) -> None:
    audit_id, _ = planned(store, 2)
    ids = [a.id for a in store.actions(audit_id)]
    for i, action_id in enumerate(ids):
        store.claim_tasks(audit_id, B24, {action_id: "h"}, "tab")
        store.record_outcomes(audit_id, B24, [Outcome(action_id, TaskState.PUSHED, str(100 + i), "h")])
    statuses = {ids[0]: (RemoteStatus.DONE, dt.date(2025, 6, 4)), ids[1]: (RemoteStatus.GONE, None)}
    note = {ids[0]: "Done in Bitrix24 on 2025-06-04."}
    assert store.record_remote_status(audit_id, B24, statuses, note) == 1
    assert store.record_remote_status(audit_id, B24, statuses, note) == 0
    actions = {a.id: a for a in store.actions(audit_id)}
    assert actions[ids[0]].status is ActionStatus.DONE and actions[ids[0]].notes == "Done in Bitrix24 on 2025-06-04."
    assert actions[ids[1]].status is ActionStatus.TODO
    links = store.task_links(audit_id, B24)
    assert links[ids[0]].remote_done_on == dt.date(2025, 6, 4) and links[ids[1]].remote_status is RemoteStatus.GONE


def test_deleting_an_action_removes_its_task_link(store: Store) -> None:
    audit_id, _ = planned(store, 2)
    first = store.actions(audit_id)[0].id
    store.claim_tasks(audit_id, B24, {first: "h"}, "tab")
    store.edit_actions(audit_id, delete=[first])
    assert store.task_links(audit_id, B24) == {}


def test_the_time_zone_is_kept_with_the_audit(store: Store) -> None:
    audit_id, _ = planned(store, 1)
    assert store.get_audit(audit_id).time_zone == ""
    store.set_time_zone(audit_id, "Europe/Kaliningrad")
    assert store.get_audit(audit_id).time_zone == "Europe/Kaliningrad"
    with pytest.raises(ValidationError):
        store.set_time_zone(audit_id, "Europe/Atlantis")
    with pytest.raises(NotFound):
        store.set_time_zone("no-such-audit", "UTC")
    audit = store.get_audit(audit_id)
    store.update_audit(audit)  # a rename or a wave keeps the zone
    assert store.get_audit(audit_id).time_zone == "Europe/Kaliningrad"
