"""One step of a push: look up unanswered creates, or claim and send one batch, and write every answer back.

What to do with each action is decided by :func:`audit.handoff.push.plan_push`
(pure). The writes here are short transactions of their own, never one open
across a call to the CRM: the claim is committed before anything is sent, so
a lost answer is always found again by the next step (see
:mod:`audit.store.handoff`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from audit.handoff.errors import RemoteProblem
from audit.handoff.push import LEASE, Problem, PushPlan, StepResult, plan_push
from audit.handoff.records import Outcome, PersonLink, Target, TaskState
from audit.handoff.remote import Op, Remote, Sending
from audit.handoff.task import TaskText
from audit.store import Store

CHECK_MARGIN = dt.timedelta(minutes=10)


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
