"""What one action says outside the app: a title, a description, who, by when, how urgent.

The same words go into the calendar, the tracker CSVs and the CRM tasks. They
are written in the audit's language. The owner link, or any link, is never put
in: a task or an event is read by people who should not get the owner's powers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from audit.i18n import t
from audit.model import Action, Audit, Catalog, Horizon
from audit.numbers import day, decimal

TITLE_LIMIT = 250
TAG = "touchpoint-audit"
# Horizon -> a three-step urgency (Bitrix24 PRIORITY 2/1/0, Jira High/Medium/Low).
URGENCY = {Horizon.WEEK: 2, Horizon.MONTH: 1, Horizon.QUARTER: 0}


@dataclass(frozen=True, slots=True)
class TaskText:
    action_id: int
    title: str
    description: str
    owner: str
    due: dt.date | None
    urgency: int  # 2 high, 1 medium, 0 low
    kind_label: str
    horizon_label: str
    marker: str  # stable reference of this action, e.g. ta-1a2b3c4d5e6f


def marker(audit_id: str, action_id: int) -> str:
    """A stable reference of one action of one audit (the calendar UID and the CRM's external id use it)."""
    digest = hashlib.sha256(f"{audit_id}:{action_id}".encode()).hexdigest()
    return f"ta-{digest[:16]}"


def shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def task_text(action: Action, catalog: Catalog, audit: Audit) -> TaskText:
    """The words of one action. No place number: moving an action in the plan does not change its task."""
    lang = audit.language
    touchpoint = catalog.by_id().get(action.touchpoint_id)
    name = touchpoint.name.get(lang) if touchpoint else action.touchpoint_id
    ref = marker(audit.id, int(action.id or 0))
    lines = [action.what, ""]
    if action.owner:
        lines.append(t("handoff.text_owner", lang, owner=action.owner))
    if action.standard:
        lines.append(t("handoff.text_standard", lang, standard=action.standard))
    lines.append(t("handoff.text_priority", lang, priority=decimal(action.priority, lang),
                   horizon=t(f"horizon.{action.horizon.name.lower()}", lang)))
    if action.due:
        lines.append(t("handoff.text_due", lang, due=day(action.due, lang)))
    lines.append(t("handoff.text_source", lang, audit=audit.name, ref=ref))
    return TaskText(
        action_id=int(action.id or 0), title=shorten(f"{name}: {action.what}", TITLE_LIMIT), description="\n".join(lines),
        owner=action.owner, due=action.due, urgency=URGENCY[action.horizon],
        kind_label=t(f"kind.{action.kind.name.lower()}", lang), horizon_label=t(f"horizon.{action.horizon.name.lower()}", lang),
        marker=ref,
    )


def plan_texts(actions: list[Action], catalog: Catalog, audit: Audit) -> list[TaskText]:
    """Every stored action of the plan, in plan order."""
    ordered = sorted((a for a in actions if a.id is not None), key=lambda a: (a.position, a.id or 0))
    return [task_text(a, catalog, audit) for a in ordered]


def content_hash(fields: Mapping[str, Any]) -> str:
    """A fingerprint of what is sent for one task: a second push updates only tasks whose fingerprint changed."""
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
