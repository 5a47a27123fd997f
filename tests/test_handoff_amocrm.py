"""Pushing the plan to amoCRM / Kommo, against a local server that speaks API v4's documented shapes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_crm import TOKEN, FakeAmoCRM
from handoff_world import FakeClock, planned

from audit.handoff.errors import RemoteProblem
from audit.handoff.records import Target, TaskState
from audit.handoff.task import marker
from audit.model import ActionStatus, Role, ValidationError
from audit.services import handoff as service
from audit.store import Store

PEOPLE = {"Head of sales": "502", "Office manager": "501", "": "501"}


@dataclasses.dataclass
class World:
    store: Store
    fake: FakeAmoCRM
    audit_id: str
    links: dict[Role, str]
    clock: FakeClock
    origin: str

    @property
    def owner(self) -> str:
        return self.links[Role.OWNER]


@pytest.fixture
def world(tmp_path: Path, httpserver: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("AUDIT_HANDOFF_ALLOW_LOCAL", "1")
    monkeypatch.setenv("AUDIT_SECRET_KEY", "a passphrase long enough for the amoCRM tests only")
    store = Store(str(tmp_path / "amo.sqlite"))
    fake = FakeAmoCRM()
    origin = fake.install(httpserver).replace("localhost", "127.0.0.1")
    audit_id, links = planned(store, 7)
    store.set_time_zone(audit_id, "Asia/Novosibirsk")
    service.connect_amocrm(store, links[Role.OWNER], origin, TOKEN, 2)
    clock = FakeClock()
    service.save_people(store, links[Role.OWNER], "amocrm", PEOPLE, pacer=clock.pacer(0.1))
    yield World(store, fake, audit_id, links, clock, origin)
    store.close()


def push_all(w: World, *, claim: str = "tab-1", batch: int | None = None) -> dict[str, Any]:
    pacer = w.clock.pacer(1 / 7)
    attempted: frozenset[int] = frozenset()
    totals: dict[str, Any] = {"created": 0, "updated": 0, "found": 0, "problems": []}
    for _ in range(100):
        result = service.push(w.store, w.owner, "amocrm", claim=claim, attempted=attempted, pacer=pacer, batch=batch)
        attempted |= frozenset(result.attempted)
        for name in ("created", "updated", "found"):
            totals[name] += getattr(result, name)
        totals["problems"] += result.problems
        if result.finished:
            totals["pacer"] = pacer
            assert result.after is not None
            totals["skipped"] = result.after.skipped
            return totals
    raise AssertionError("the push did not finish")


def unique(fake: FakeAmoCRM) -> None:
    assert len(fake.by_marker()) == len(fake.tasks), "a task was created twice"


def test_the_first_push_creates_one_task_per_action(world: World) -> None:
    totals = push_all(world)
    assert totals["created"] == 7 and world.fake.creates == 7 and not totals["problems"]
    unique(world.fake)
    first = world.fake.by_marker()[marker(world.audit_id, world.store.actions(world.audit_id)[0].id)]
    end_of_day = dt.datetime(2025, 6, 1, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=7)))  # Novosibirsk, UTC+7
    assert first["complete_till"] == int(end_of_day.timestamp())
    assert first["responsible_user_id"] == 502 and first["task_type_id"] == 2
    assert first["text"].startswith("Touchpoint 0: Improve point 0\n\nImprove point 0")
    assert world.owner not in first["text"]


def test_a_second_push_creates_nothing_and_updates_only_changed_actions(world: World) -> None:
    push_all(world)
    actions = world.store.actions(world.audit_id)
    world.store.edit_actions(world.audit_id, save=[dataclasses.replace(actions[2], due=dt.date(2025, 9, 1))])
    totals = push_all(world)
    assert (totals["created"], totals["updated"], world.fake.creates, world.fake.updates) == (0, 1, 7, 1)
    task = world.fake.by_marker()[marker(world.audit_id, actions[2].id)]
    assert dt.datetime.fromtimestamp(task["complete_till"], dt.timezone(dt.timedelta(hours=7))).date() == dt.date(2025, 9, 1)
    assert push_all(world)["updated"] == 0


def test_429_is_waited_out_and_every_task_arrives_exactly_once(world: World) -> None:
    world.fake.misbehave.slow_down_every = 2
    totals = push_all(world, batch=2)
    assert world.fake.refused_slow >= 2 and world.fake.creates == 7 and totals["created"] == 7
    unique(world.fake)
    assert totals["pacer"].waited >= 1.0


def test_a_wrong_token_is_a_clear_message(world: World) -> None:
    service.connect_amocrm(world.store, world.owner, world.origin, "not.the.right.token", 1)
    with pytest.raises(RemoteProblem) as refused:
        service.remote_people(world.store, world.owner, "amocrm", pacer=world.clock.pacer(0.1))
    assert refused.value.key == "auth" and "not.the.right.token" not in str(refused.value)
    with pytest.raises(RemoteProblem):
        push_all(world)
    assert world.fake.creates == 0


def test_a_refused_item_names_the_action_and_the_rest_of_the_request_is_sent_again(world: World) -> None:
    world.fake.misbehave.refuse_titles = ("point 5",)
    totals = push_all(world)
    actions = world.store.actions(world.audit_id)
    assert world.fake.creates == 6
    assert [(p.action_id, p.reason) for p in totals["problems"]] == [(actions[5].id, "text: Refused by a business rule")]
    world.fake.misbehave.refuse_titles = ()
    assert push_all(world)["created"] == 1 and world.fake.creates == 7
    unique(world.fake)


def test_inactive_users_cannot_be_chosen_and_actions_without_a_due_date_are_skipped(world: World) -> None:
    people = service.remote_people(world.store, world.owner, "amocrm", pacer=world.clock.pacer(0.1))
    assert [p.id for p in people] == ["501", "502"]  # Gone Guy is not active
    with pytest.raises(ValidationError):
        service.save_people(world.store, world.owner, "amocrm", {"Head of sales": "503"}, pacer=world.clock.pacer(0.1))
    action = world.store.actions(world.audit_id)[3]
    world.store.edit_actions(world.audit_id, save=[dataclasses.replace(action, due=None)])
    totals = push_all(world)
    assert [(s.action_id, s.reason) for s in totals["skipped"]] == [(action.id, "no_due")] and world.fake.creates == 6


def test_a_lost_answer_is_found_again_without_duplicates(world: World) -> None:
    world.fake.misbehave.drop_after_creates = 2
    with pytest.raises(RemoteProblem):
        push_all(world, batch=2)
    assert world.fake.creates == 4
    totals = push_all(world, batch=2)
    assert totals["found"] == 2 and world.fake.creates == 7 and len(world.fake.tasks) == 7
    unique(world.fake)


def test_refresh_marks_completed_tasks_done(world: World) -> None:
    push_all(world)
    actions = world.store.actions(world.audit_id)
    task = world.fake.by_marker()[marker(world.audit_id, actions[1].id)]
    world.fake.complete(task["id"], at=int(dt.datetime(2025, 6, 3, 20, 0, tzinfo=dt.UTC).timestamp()))
    result = service.refresh(world.store, world.owner, "amocrm", pacer=world.clock.pacer(0.1))
    assert (result.done_now, result.done, result.open, result.gone) == (1, 1, 6, 0)
    done = {a.id: a for a in world.store.actions(world.audit_id)}[actions[1].id]
    assert done.status is ActionStatus.DONE and done.notes == "Done in amoCRM on 2025-06-04."  # 03:00 on the 4th in Novosibirsk
    links = world.store.task_links(world.audit_id, Target.AMOCRM)
    assert links[actions[1].id].remote_done_on == dt.date(2025, 6, 4) and links[actions[1].id].state is TaskState.PUSHED
