"""Pushing the plan to Bitrix24, against a local server that speaks the webhook's documented shapes.

Pacing is counted with a clock that only moves when the code waits, so no
test sleeps for the rate limit and no test asserts a duration.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_crm import SECRET, FakeBitrix24
from handoff_world import FakeClock, planned

from audit.handoff.errors import RemoteProblem
from audit.handoff.push import StepResult
from audit.handoff.records import Target, TaskState
from audit.handoff.task import marker
from audit.model import ActionStatus, Role, ValidationError
from audit.services import handoff as service
from audit.services.access import NotAllowed
from audit.store import Store

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = {"Head of sales": "7", "Office manager": "9", "": "1"}


@dataclasses.dataclass
class World:
    store: Store
    fake: FakeBitrix24
    audit_id: str
    links: dict[Role, str]
    clock: FakeClock
    url: str
    db_path: Path

    @property
    def owner(self) -> str:
        return self.links[Role.OWNER]


def make_world(tmp_path: Path, httpserver: Any, n: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("AUDIT_HANDOFF_ALLOW_LOCAL", "1")
    monkeypatch.delenv("AUDIT_SECRET_KEY", raising=False)
    db_path = tmp_path / "b24.sqlite"
    store = Store(str(db_path))
    fake = FakeBitrix24()
    url = fake.install(httpserver).replace("localhost", "127.0.0.1")
    audit_id, links = planned(store, n)
    store.set_time_zone(audit_id, "Europe/Moscow")
    service.connect_bitrix24(store, links[Role.OWNER], url)
    clock = FakeClock()
    service.save_people(store, links[Role.OWNER], "bitrix24", PEOPLE, pacer=clock.pacer(0.5))
    yield World(store, fake, audit_id, links, clock, url, db_path)
    store.close()


@pytest.fixture
def world(tmp_path: Path, httpserver: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    yield from make_world(tmp_path, httpserver, 7, monkeypatch)


def push_all(w: World, *, claim: str = "tab-1", batch: int | None = None, lease: dt.timedelta | None = None,
             steps: int = 200) -> dict[str, Any]:
    """Push step by step until done, as the page does; returns the totals."""
    pacer = w.clock.pacer(0.5)
    attempted: frozenset[int] = frozenset()
    totals: dict[str, Any] = {"created": 0, "updated": 0, "found": 0, "problems": [], "steps": 0, "progress": []}
    extra = {"lease": lease} if lease is not None else {}
    for _ in range(steps):
        result: StepResult = service.push(w.store, w.owner, "bitrix24", claim=claim, attempted=attempted, pacer=pacer,
                                          batch=batch, **extra)
        attempted |= frozenset(result.attempted)
        for name in ("created", "updated", "found"):
            totals[name] += getattr(result, name)
        totals["problems"] += result.problems
        totals["steps"] += 1
        after = result.after
        assert after is not None
        totals["progress"].append((after.total - after.remaining, after.total))
        if result.finished:
            totals["pacer"] = pacer
            totals["skipped"] = after.skipped
            return totals
    raise AssertionError("the push did not finish")


def unique_tasks(fake: FakeBitrix24) -> None:
    refs = [t["xmlId"] for t in fake.tasks.values()]
    assert len(refs) == len(set(refs)), "a task was created twice"


def test_the_first_push_creates_one_task_per_action_with_the_documented_fields(world: World) -> None:
    totals = push_all(world)
    assert totals["created"] == 7 and world.fake.adds == 7 and len(world.fake.tasks) == 7 and not totals["problems"]
    unique_tasks(world.fake)
    first = world.fake.by_xml_id()[marker(world.audit_id, world.store.actions(world.audit_id)[0].id)]
    assert first["title"] == "Touchpoint 0: Improve point 0"
    assert first["responsibleId"] == "7"  # Head of sales -> Boris
    assert first["deadline"] == "2025-06-01T23:59:59+03:00"  # the end of the due day in the audit's zone
    assert first["tags"] == ["touchpoint-audit"] and first["priority"] == "2"
    assert "Owner: Head of sales" in first["description"] and "answer within 1 rings" in first["description"]
    assert world.owner not in first["description"] and "http" not in first["description"]
    links = world.store.task_links(world.audit_id, Target.BITRIX24)
    assert {link.state for link in links.values()} == {TaskState.PUSHED}
    assert {link.remote_id for link in links.values()} == set(world.fake.tasks)
    assert totals["progress"][-1] == (7, 7)


def test_batches_hold_at_most_fifty_commands_and_the_rate_stays_near_two_per_second(
    tmp_path: Path, httpserver: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = next(make_world(tmp_path, httpserver, 120, monkeypatch))
    totals = push_all(w)
    assert w.fake.adds == 120 and totals["steps"] == 3  # 50 + 50 + 20
    unique_tasks(w.fake)
    pacer = totals["pacer"]
    assert pacer.requests == 3 and pacer.waited >= 0.5 * (pacer.requests - 1)
    assert [p for p, _ in totals["progress"]] == [50, 100, 120]


def test_a_second_push_creates_nothing_and_updates_only_changed_actions(world: World) -> None:
    push_all(world)
    actions = world.store.actions(world.audit_id)
    world.store.edit_actions(world.audit_id, save=[
        dataclasses.replace(actions[1], what="Answer the phone by the third ring", due=dt.date(2025, 8, 1)),
        dataclasses.replace(actions[4], owner="Head of sales"),
    ])
    totals = push_all(world)
    assert (totals["created"], totals["updated"], world.fake.adds, world.fake.updates) == (0, 2, 7, 2)
    refs = world.fake.by_xml_id()
    changed = refs[marker(world.audit_id, actions[1].id)]
    assert "third ring" in changed["title"] and changed["deadline"] == "2025-08-01T23:59:59+03:00"
    assert refs[marker(world.audit_id, actions[4].id)]["responsibleId"] == "7"
    again = push_all(world)
    assert (again["created"], again["updated"], world.fake.adds, world.fake.updates) == (0, 0, 7, 2)


def test_moving_actions_in_the_plan_sends_no_update(world: World) -> None:
    push_all(world)
    actions = world.store.actions(world.audit_id)
    world.store.edit_actions(world.audit_id, save=[dataclasses.replace(a, position=len(actions) - i) for i, a in enumerate(actions)])
    totals = push_all(world)
    assert (totals["created"], totals["updated"], world.fake.updates) == (0, 0, 0)


def test_a_rate_limited_server_still_gets_every_task_exactly_once(world: World) -> None:
    world.fake.misbehave.slow_down_every = 2  # every second request: 503 QUERY_LIMIT_EXCEEDED
    totals = push_all(world, batch=2)
    assert world.fake.refused_slow >= 2 and world.fake.adds == 7 and totals["created"] == 7
    unique_tasks(world.fake)
    assert totals["pacer"].waited >= 1.0  # it waited before sending again


def test_a_lost_answer_is_found_again_and_the_push_continues_without_duplicates(world: World) -> None:
    world.fake.misbehave.drop_after_creates = 3  # the second batch is done over there, then the connection drops
    with pytest.raises(RemoteProblem) as lost:
        push_all(world, batch=3)
    assert lost.value.key == "unreachable" and SECRET not in str(lost.value)
    actions = world.store.actions(world.audit_id)
    assert lost.value.actions == tuple(a.id for a in actions[3:6])  # the message can name them
    assert world.fake.adds == 6
    links = world.store.task_links(world.audit_id, Target.BITRIX24)
    assert sum(1 for link in links.values() if link.state is TaskState.SENDING) == 3
    assert sum(1 for link in links.values() if link.state is TaskState.PUSHED) == 3
    # Another tab, while the lease runs: it leaves those three alone.
    other = service.push(world.store, world.owner, "bitrix24", claim="tab-2", pacer=world.clock.pacer(0.5), batch=50)
    assert {s.reason for s in other.plan.skipped} == {"busy"} and world.fake.adds == 7  # only the last action was new
    totals = push_all(world, batch=3)  # the same tab again: it checks its own unanswered creates first
    assert totals["found"] == 3 and totals["created"] == 0
    assert world.fake.adds == 7 and len(world.fake.tasks) == 7
    unique_tasks(world.fake)
    assert {link.state for link in world.store.task_links(world.audit_id, Target.BITRIX24).values()} == {TaskState.PUSHED}


KILLED_PUSH = """
import sys
from audit.services import handoff as service
from audit.handoff.client import Pacer
from audit.store import Store
store = Store(sys.argv[1])
attempted = frozenset()
while True:
    result = service.push(store, sys.argv[2], "bitrix24", claim="doomed-process", attempted=attempted, pacer=Pacer(0), batch=3)
    attempted |= frozenset(result.attempted)
    print("step", result.created, flush=True)
    if result.finished:
        break
"""


def test_a_push_killed_half_way_and_resumed_creates_no_duplicates(world: World) -> None:
    hold = threading.Event()
    world.fake.misbehave.hold, world.fake.misbehave.hold_after_creates = hold, 3  # the second batch is done, then held
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AUDIT_HANDOFF_ALLOW_LOCAL": "1"}
    child = subprocess.Popen([sys.executable, "-c", KILLED_PUSH, str(world.db_path), world.owner], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        held = world.fake.misbehave.held.wait(120)
        assert held, child.stderr.read() if child.poll() is not None else "no second batch"
        child.send_signal(signal.SIGKILL)  # killed while its second batch was being answered
        child.wait(10)
    finally:
        hold.set()
        if child.poll() is None:
            child.kill()
    world.fake.misbehave.hold = None
    assert world.fake.adds == 6  # 3 answered, 3 made over there but never answered
    totals = push_all(world, claim="after-restart", batch=3, lease=dt.timedelta(0))  # the dead push's lease is over
    assert totals["found"] == 3 and world.fake.adds == 7 and len(world.fake.tasks) == 7
    unique_tasks(world.fake)


def test_refresh_marks_actions_done_with_the_day_they_were_completed(world: World) -> None:
    push_all(world)
    actions = world.store.actions(world.audit_id)
    refs = world.fake.by_xml_id()
    done = refs[marker(world.audit_id, actions[0].id)]["id"]
    world.fake.complete(done, on="2025-06-03T23:30:00+02:00")  # already the 4th in Moscow
    gone = refs[marker(world.audit_id, actions[6].id)]["id"]
    del world.fake.tasks[gone]
    result = service.refresh(world.store, world.owner, "bitrix24", pacer=world.clock.pacer(0.5))
    assert (result.done_now, result.done, result.open, result.gone) == (1, 1, 5, 1)
    after = {a.id: a for a in world.store.actions(world.audit_id)}
    assert after[actions[0].id].status is ActionStatus.DONE
    assert after[actions[0].id].notes == "Done in Bitrix24 on 2025-06-04."
    assert after[actions[1].id].status is ActionStatus.TODO
    again = service.refresh(world.store, world.owner, "bitrix24", pacer=world.clock.pacer(0.5))
    assert again.done_now == 0 and world.store.actions(world.audit_id)[0].notes.count("Done in Bitrix24") == 1


def test_a_refused_task_names_the_action_and_the_others_go_through(world: World) -> None:
    world.fake.misbehave.refuse_titles = ("point 3",)
    totals = push_all(world)
    actions = world.store.actions(world.audit_id)
    assert world.fake.adds == 6
    assert [(p.action_id, p.reason) for p in totals["problems"]] == [(actions[3].id, "The task was refused by a business rule")]
    link = world.store.task_links(world.audit_id, Target.BITRIX24)[actions[3].id]
    assert link.state is TaskState.FAILED and link.remote_id is None and "business rule" in link.error
    world.fake.misbehave.refuse_titles = ()
    totals = push_all(world)  # pushing again continues with the rest
    assert totals["created"] == 1 and world.fake.adds == 7
    unique_tasks(world.fake)


def test_a_person_who_left_the_portal(world: World) -> None:
    push_all(world)
    world.fake.users = [u for u in world.fake.users if u["ID"] != "9"]  # Vera was dismissed
    actions = world.store.actions(world.audit_id)
    office = [a for a in actions if a.owner == "Office manager"]
    world.store.edit_actions(world.audit_id, save=[dataclasses.replace(a, what=a.what + " soon") for a in office])
    totals = push_all(world)
    assert {p.action_id for p in totals["problems"]} == {a.id for a in office}
    assert all("Assignee" in p.reason for p in totals["problems"])
    with pytest.raises(ValidationError, match="not an active user"):
        service.save_people(world.store, world.owner, "bitrix24", {"Office manager": "9"}, pacer=world.clock.pacer(0.5))
    service.save_people(world.store, world.owner, "bitrix24", {"Office manager": "1"}, pacer=world.clock.pacer(0.5))
    totals = push_all(world)
    assert totals["updated"] == len(office) and not totals["problems"]


def test_an_owner_without_a_person_is_skipped_and_said_so(world: World) -> None:
    service.save_people(world.store, world.owner, "bitrix24", {"Office manager": None}, pacer=world.clock.pacer(0.5))
    totals = push_all(world)
    office = {a.id for a in world.store.actions(world.audit_id) if a.owner == "Office manager"}
    assert {(s.action_id, s.reason, s.owner) for s in totals["skipped"]} == {(i, "no_person", "Office manager") for i in office}
    assert world.fake.adds == 7 - len(office)


def test_a_wrong_or_removed_webhook_is_a_clear_message(world: World) -> None:
    same_place = service.connect_bitrix24(world.store, world.owner, world.url.replace(SECRET, "WrongSecret123"))
    assert same_place.forgot is False and "WrongSecret123" not in same_place.shown
    with pytest.raises(RemoteProblem) as refused:
        service.remote_people(world.store, world.owner, "bitrix24", pacer=world.clock.pacer(0.5))
    assert refused.value.key == "auth" and "WrongSecret123" not in str(refused.value)
    with pytest.raises(RemoteProblem):
        push_all(world)
    assert world.fake.adds == 0
    links = world.store.task_links(world.audit_id, Target.BITRIX24)
    assert links and all(link.state is TaskState.FAILED for link in links.values())  # refused as a whole: free to go again


def test_team_and_shopper_links_reach_none_of_it(world: World) -> None:
    s, url = world.store, world.url
    calls = (
        lambda token: service.overview(s, token),
        lambda token: service.connect_bitrix24(s, token, url),
        lambda token: service.disconnect(s, token, "bitrix24"),
        lambda token: service.remote_people(s, token, "bitrix24"),
        lambda token: service.save_people(s, token, "bitrix24", {"": "1"}),
        lambda token: service.push(s, token, "bitrix24", claim="x"),
        lambda token: service.refresh(s, token, "bitrix24"),
        lambda token: service.set_time_zone(s, token, "UTC"),
    )
    for role in (Role.TEAM, Role.SHOPPER):
        for call in calls:
            with pytest.raises(NotAllowed):
                call(world.links[role])
    assert world.fake.requests == 1  # the user list of the set-up, nothing since
    assert s.connection(world.audit_id, Target.BITRIX24) is not None


def test_the_secret_is_sealed_in_the_database_and_never_exported(world: World) -> None:
    push_all(world)
    with sqlite3.connect(world.db_path) as raw:
        dump = "\n".join(raw.iterdump())
    assert SECRET not in dump and "/rest/1/••••••••/" in dump
    assert service.overview(world.store, world.owner).connections[Target.BITRIX24].secret == ""
    from audit.services import results

    exports = [
        results.workbook(world.store, world.owner), results.plan_csv(world.store, world.owner, "en"),
        service.calendar_file(world.store, world.owner), service.jira_file(world.store, world.owner),
        service.asana_file(world.store, world.owner),
    ]
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(exports[0])) as book:
        exports[0] = b"".join(book.read(name) for name in book.namelist())
    for data in exports:
        assert SECRET.encode() not in data
