"""What the hand-off remembers per audit: a connection, who is who over there, and each action's remote task.

Plain frozen records; :mod:`audit.store.handoff` reads and writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Target(StrEnum):
    """Where a plan can be pushed."""

    BITRIX24 = "bitrix24"
    AMOCRM = "amocrm"


class TaskState(StrEnum):
    SENDING = "sending"  # sent (or about to be) and not yet answered: check before sending again
    PUSHED = "pushed"  # the remote task id is known
    FAILED = "failed"  # refused; ``error`` says why (pushing again tries again)


class RemoteStatus(StrEnum):
    UNKNOWN = ""
    OPEN = "open"
    DONE = "done"
    GONE = "gone"  # deleted over there


@dataclass(frozen=True, slots=True)
class Connection:
    """A connection of one audit to one target. ``secret`` is sealed (see :mod:`audit.handoff.vault`)."""

    audit_id: str
    target: Target
    secret: str
    shown: str  # masked, safe to show
    settings: Mapping[str, Any] = field(default_factory=dict)  # non-secret: place, task type
    updated_at: dt.datetime | None = None

    @property
    def place(self) -> str:
        """Which portal or account this is (host and user), to notice a switch to another one."""
        return str(self.settings.get("place", ""))


@dataclass(frozen=True, slots=True)
class PersonLink:
    """A plan owner (the text in the plan's owner column) and the user over there who gets their tasks."""

    owner: str
    remote_id: str
    remote_name: str


@dataclass(frozen=True, slots=True)
class TaskLink:
    """One action's task over there."""

    action_id: int
    state: TaskState
    remote_id: str | None = None
    pushed_hash: str = ""  # hash of what was last sent (or is being sent)
    claim: str = ""  # the push that is sending it
    claimed_at: dt.datetime | None = None
    remote_status: RemoteStatus = RemoteStatus.UNKNOWN
    remote_done_on: dt.date | None = None
    error: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one action in one push step (written back in one transaction)."""

    action_id: int
    state: TaskState
    remote_id: str | None = None
    pushed_hash: str = ""
    error: str = ""
