"""Pushing the plan in steps: each step sends at most one batch, so a page shows progress and never freezes.

What happens to each action is decided by :func:`plan_push` (pure):

- no task over there yet (or the last create was refused): **create**;
- a task whose content changed since the last push (its fingerprint): **update**;
- unchanged: nothing;
- ``sending`` (a create whose answer never came: lost connection, killed
  process): **check** first. This push's own, or another push's once its lease
  has run out, is looked up over there by the action's reference; found -> its
  id is kept, not found -> it is created. Another live push's: left to it.
- an owner without a person over there, or (amoCRM) an action without a due
  date: skipped, with the reason.

:func:`push_step` runs one step: checks, or claims and sends one batch, and
writes every answer back at once. A refusal of one task is kept with the
action (pushing again tries it again); a failure of the whole request stops
the run with a message, and everything already pushed keeps its task id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from audit.handoff.errors import RemoteProblem
from audit.handoff.records import Outcome, PersonLink, Target, TaskLink, TaskState
from audit.handoff.remote import Op, Remote, Sending
from audit.handoff.task import TaskText, content_hash
from audit.store import Store

LEASE = dt.timedelta(seconds=60)
CHECK_MARGIN = dt.timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Skip:
    action_id: int
    reason: str  # i18n key part: no_person | no_due | busy
    owner: str = ""


@dataclass(frozen=True, slots=True)
class PushPlan:
    send: tuple[Sending, ...]
    check: tuple[TaskLink, ...]
    unchanged: tuple[int, ...]
    skipped: tuple[Skip, ...]
    total: int  # actions that can be pushed

    @property
    def remaining(self) -> int:
        return len(self.send) + len(self.check)


@dataclass(frozen=True, slots=True)
class Problem:
    """One action that did not get through, and why (the other side's words)."""

    action_id: int
    reason: str


@dataclass
class StepResult:
    plan: PushPlan  # before the step
    after: PushPlan | None = None  # after it (what is left)
    created: int = 0
    updated: int = 0
    found: int = 0  # tasks a lost answer had made, found again
    problems: list[Problem] = field(default_factory=list)
    attempted: list[int] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return (self.after or self.plan).remaining == 0


def _decide(text: TaskText, link: TaskLink | None, fingerprint: str, claim: str, lease_before: dt.datetime) -> str:
    if link is None or (link.state is TaskState.FAILED and link.remote_id is None):
        return "create"
    if link.state is TaskState.SENDING:
        mine = bool(claim) and link.claim == claim
        stale = link.claimed_at is None or link.claimed_at <= lease_before
        return "check" if mine or stale else "busy"
    if link.remote_id and (link.pushed_hash != fingerprint or link.state is TaskState.FAILED):
        return "update"
    return "unchanged"


def plan_push(
    texts: Sequence[TaskText], links: Mapping[int, TaskLink], people: Mapping[str, PersonLink], remote: Remote, zone: str,
    *, claim: str, now: dt.datetime, attempted: frozenset[int] = frozenset(), lease: dt.timedelta = LEASE,
) -> PushPlan:
    """What to do with every action (pure: no call, no write). ``attempted`` actions are not sent again in this run."""
    send: list[Sending] = []
    check: list[TaskLink] = []
    unchanged: list[int] = []
    skipped: list[Skip] = []
    for text in texts:
        person = people.get(text.owner)
        if person is None:
            skipped.append(Skip(text.action_id, "no_person", text.owner))
            continue
        if remote.needs_due and text.due is None:
            skipped.append(Skip(text.action_id, "no_due"))
            continue
        fields = remote.fields(text, person.remote_id, zone)
        fingerprint = content_hash({k: v for k, v in fields.items() if k != "XML_ID"})
        link = links.get(text.action_id)
        decision = _decide(text, link, fingerprint, claim, now - lease)
        if decision == "busy":
            skipped.append(Skip(text.action_id, "busy"))
        elif decision == "check" and link is not None:
            check.append(link)
        elif decision in ("create", "update") and text.action_id not in attempted:
            op = Op.CREATE if decision == "create" else Op.UPDATE
            send.append(Sending(text.action_id, op, fields, fingerprint, text.marker, link.remote_id if link else None))
        else:
            unchanged.append(text.action_id)
    total = len(texts) - len(skipped)
    return PushPlan(tuple(send), tuple(check), tuple(unchanged), tuple(skipped), total)


def _check(store: Store, audit_id: str, target: Target, remote: Remote, plan: PushPlan, texts: Mapping[int, TaskText],
           now: dt.datetime, result: StepResult) -> None:
    """Look up the tasks whose create was never answered; keep the found ones, free the others to be created."""
    markers = {texts[link.action_id].marker: link.action_id for link in plan.check if link.action_id in texts}
    oldest = min((link.claimed_at or now) for link in plan.check)
    found = remote.find_created(markers, oldest - CHECK_MARGIN)
    outcomes = [
        Outcome(link.action_id, TaskState.PUSHED, found[link.action_id], link.pushed_hash) if link.action_id in found
        else Outcome(link.action_id, TaskState.FAILED)
        for link in plan.check
    ]
    store.record_outcomes(audit_id, target, outcomes)
    result.found = len(found)


def _send(store: Store, audit_id: str, target: Target, remote: Remote, batch: Sequence[Sending], claim: str,
          result: StepResult) -> None:
    creates = {i.action_id: i.fingerprint for i in batch if i.op is Op.CREATE}
    claimed = set(store.claim_tasks(audit_id, target, creates, claim)) if creates else set()
    ready = [i for i in batch if i.op is Op.UPDATE or i.action_id in claimed]
    result.attempted = [i.action_id for i in batch]
    if not ready:
        return
    try:
        answers = remote.send(ready)
    except RemoteProblem as err:
        err.actions = tuple(i.action_id for i in ready)
        if err.definite:  # refused as a whole: nothing was made; the creates are free to go again
            store.record_outcomes(audit_id, target, [Outcome(i.action_id, TaskState.FAILED, i.remote_id, error=str(err))
                                                     for i in ready if i.op is Op.CREATE])
        raise
    by_id = {i.action_id: i for i in ready}
    outcomes = []
    for answer in answers:
        item = by_id[answer.action_id]
        if answer.refused:
            outcomes.append(Outcome(item.action_id, TaskState.FAILED, item.remote_id, error=answer.refused))
            result.problems.append(Problem(item.action_id, answer.refused))
        else:
            outcomes.append(Outcome(item.action_id, TaskState.PUSHED, answer.remote_id, item.fingerprint))
            result.created += item.op is Op.CREATE
            result.updated += item.op is Op.UPDATE
    store.record_outcomes(audit_id, target, outcomes)


def push_step(
    store: Store, audit_id: str, target: Target, remote: Remote, texts: Sequence[TaskText], people: Mapping[str, PersonLink],
    zone: str, *, claim: str, attempted: frozenset[int] = frozenset(), batch: int | None = None, lease: dt.timedelta = LEASE,
    now: dt.datetime | None = None,
) -> StepResult:
    """One step of a push: checks, or one batch. Raises :class:`RemoteProblem` when the whole request failed."""
    now = now or dt.datetime.now(dt.UTC)
    plan = plan_push(texts, store.task_links(audit_id, target), people, remote, zone, claim=claim, now=now,
                     attempted=attempted, lease=lease)
    result = StepResult(plan)
    if plan.check:
        _check(store, audit_id, target, remote, plan, {t.action_id: t for t in texts}, now, result)
    elif plan.send:
        size = max(1, min(batch or remote.batch_size, remote.batch_size))
        _send(store, audit_id, target, remote, plan.send[:size], claim, result)
    result.after = plan_push(texts, store.task_links(audit_id, target), people, remote, zone, claim=claim, now=now,
                             attempted=attempted | frozenset(result.attempted), lease=lease)
    return result
