"""What the push needs from a CRM, whichever it is: its people, sending tasks, finding them, their status."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from audit.handoff.records import RemoteStatus
from audit.handoff.task import TaskText

REASON_LIMIT = 300
_TAG = re.compile(r"<[^>]{0,200}>")


class Op(StrEnum):
    CREATE = "create"
    UPDATE = "update"


@dataclass(frozen=True, slots=True)
class RemoteUser:
    id: str
    name: str
    email: str = ""


@dataclass(frozen=True, slots=True)
class Sending:
    """One task to create or update: the action, the fields as the CRM takes them, their fingerprint."""

    action_id: int
    op: Op
    fields: Mapping[str, Any]
    fingerprint: str
    marker: str
    remote_id: str | None = None


@dataclass(frozen=True, slots=True)
class Sent:
    """The answer for one :class:`Sending`: a task id, or why it was refused."""

    action_id: int
    remote_id: str | None = None
    refused: str = ""


@dataclass(frozen=True, slots=True)
class RemoteTask:
    status: RemoteStatus
    done_on: dt.date | None = None


class Remote(Protocol):
    """A CRM the plan is pushed to (Bitrix24, amoCRM)."""

    batch_size: int
    needs_due: bool

    def users(self) -> list[RemoteUser]: ...

    def fields(self, text: TaskText, person: str, zone: str) -> dict[str, Any]: ...

    def send(self, items: Sequence[Sending]) -> list[Sent]: ...

    def find_created(self, markers: Mapping[str, int], since: dt.datetime) -> dict[int, str]: ...

    def states(self, remote_ids: Sequence[str], zone: str) -> dict[str, RemoteTask]: ...


def reason(text: Any) -> str:
    """A refusal reason from the other side as one short plain line (their HTML tags removed)."""
    flat = " ".join(_TAG.sub(" ", str(text or "")).split())
    return flat if len(flat) <= REASON_LIMIT else flat[: REASON_LIMIT - 1] + "…"
