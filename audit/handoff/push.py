"""What a push does with each action, decided without any call or write (:func:`plan_push`).

A push runs in steps (:mod:`audit.services.push`): each step sends at most one
batch, so a page shows progress and never freezes. For each action:

- no task over there yet (or the last create was refused): **create**;
- a task whose content changed since the last push (its fingerprint): **update**;
- unchanged: nothing;
- ``sending`` (a create whose answer never came: lost connection, killed
  process): **check** first. This push's own, or another push's once its lease
  has run out, is looked up over there by the action's reference; found -> its
  id is kept, not found -> it is created. Another live push's: left to it.
- an owner without a person over there, or (amoCRM) an action without a due
  date: skipped, with the reason.

A refusal of one task is kept with the action (pushing again tries it
again); a failure of the whole request stops the run with a message, and
everything already pushed keeps its task id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from audit.handoff.records import PersonLink, TaskLink, TaskState
from audit.handoff.remote import Op, Remote, Sending
from audit.handoff.task import TaskText, content_hash

LEASE = dt.timedelta(seconds=60)


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
