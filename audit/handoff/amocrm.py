"""amoCRM / Kommo with a long-lived token and the account's address (API v4, JSON).

- People: ``GET /api/v4/users`` (250 a page, at most 8 pages).
- Tasks: ``POST /api/v4/tasks`` (a list of at most 50: ``text``,
  ``complete_till`` = Unix time of the end of the due day in the audit's time
  zone, ``responsible_user_id``, ``task_type_id``, ``request_id`` = the action
  id, echoed in the answer), ``PATCH /api/v4/tasks`` for updates (with ``id``).
  A ``400`` lists the refused items in ``validation-errors`` by ``request_id``;
  nothing of that request was made, so the others are sent again once.
- Status: ``GET /api/v4/tasks?filter[id][]=...`` (``is_completed``; the day it
  was completed is taken from ``updated_at``, the last change of a completed task).
- A lost answer: tasks changed since the push started are read and matched by
  the action's reference, which is the last line of every task's text.
- ``429`` means "slow down" (the client waits and sends again); ``401`` is a
  wrong or expired token; ``402`` an account that is not paid for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from audit.handoff.client import Client, Reply
from audit.handoff.deadline import local_date, unix_end_of_day
from audit.handoff.errors import RemoteProblem
from audit.handoff.records import RemoteStatus
from audit.handoff.remote import Op, RemoteTask, RemoteUser, Sending, Sent, reason
from audit.handoff.task import TaskText

INTERVAL = 1 / 7  # amoCRM allows 7 requests per second
BATCH = 50
PAGE = 250
USER_PAGES = 8
SEARCH_PAGES = 8
TEXT_LIMIT = 4000
DEFAULT_TASK_TYPE = 1  # "Follow-up" / "Связаться"


def slow_down(reply: Reply) -> bool:
    return reply.status == 429


def task_fields(text: TaskText, person: str, zone: str, task_type: int = DEFAULT_TASK_TYPE) -> dict[str, Any]:
    body = f"{text.title}\n\n{text.description}"
    if len(body) > TEXT_LIMIT:  # keep the last line: it holds the reference
        head, _, last = body.rpartition("\n")
        body = head[: TEXT_LIMIT - len(last) - 2].rstrip() + "…\n" + last
    fields: dict[str, Any] = {"text": body, "responsible_user_id": int(person), "task_type_id": int(task_type)}
    if text.due is not None:
        fields["complete_till"] = unix_end_of_day(text.due, zone)
    return fields


def _embedded(data: Any, name: str) -> list[dict[str, Any]]:
    embedded = data.get("_embedded") if isinstance(data, dict) else None
    items = embedded.get(name) if isinstance(embedded, dict) else None
    return [x for x in items if isinstance(x, dict)] if isinstance(items, list) else []


def refused_items(data: Any) -> dict[str, str]:
    """``request_id`` -> reason, from a ``400`` answer's ``validation-errors``."""
    out: dict[str, str] = {}
    for entry in (data.get("validation-errors") if isinstance(data, dict) else None) or []:
        if not isinstance(entry, dict):
            continue
        problems = [e for e in entry.get("errors") or [] if isinstance(e, dict)]
        text = "; ".join(f"{e.get('path', '')}: {e.get('detail') or e.get('code', '')}".strip(": ") for e in problems)
        out[str(entry.get("request_id", ""))] = reason(text or "refused")
    return out


class AmoCRM:
    """One amoCRM / Kommo account."""

    batch_size = BATCH
    needs_due = True
    interval = INTERVAL
    name = "amoCRM"

    def __init__(self, client: Client, task_type: int = DEFAULT_TASK_TYPE) -> None:
        self.client = client
        self.task_type = task_type

    def _call(self, method: str, path: str, *, body: Any = None, query: list[tuple[str, Any]] | None = None) -> Reply:
        reply = self.client.request(method, path, body=body, query=query)
        host = self.client.endpoint.host
        if reply.status == 401:
            raise RemoteProblem(f"{host} does not accept this token", "auth", definite=True, host=host)
        if reply.status == 402:
            raise RemoteProblem(f"the account {host} is not paid for", "payment", definite=True, host=host)
        if reply.status == 403:
            raise RemoteProblem(f"the token may not do this at {host}", "scope", definite=True, host=host, method=path)
        if reply.status >= 500:
            raise RemoteProblem(f"{host} answered with an error ({reply.status})", "broken", host=host, status=reply.status)
        if reply.status not in (200, 204, 400) or (reply.status == 200 and reply.json() is None):
            raise RemoteProblem(f"{host} answered with an error ({reply.status})", "broken", host=host, status=reply.status)
        return reply

    def users(self) -> list[RemoteUser]:
        people: list[RemoteUser] = []
        for page in range(1, USER_PAGES + 1):
            reply = self._call("GET", "/api/v4/users", query=[("page", page), ("limit", PAGE)])
            rows = _embedded(reply.json(), "users")
            for row in rows:
                if (row.get("rights") or {}).get("is_active", True) is False:
                    continue
                people.append(RemoteUser(str(row.get("id", "")), str(row.get("name") or row.get("email") or row.get("id")),
                                         str(row.get("email") or "")))
            if len(rows) < PAGE:
                break
        return [p for p in people if p.id]

    def fields(self, text: TaskText, person: str, zone: str) -> dict[str, Any]:
        return task_fields(text, person, zone, self.task_type)

    def send(self, items: Sequence[Sending]) -> list[Sent]:
        if len(items) > BATCH:
            raise ValueError(f"a request holds at most {BATCH} tasks")
        out: list[Sent] = []
        for op, method in ((Op.CREATE, "POST"), (Op.UPDATE, "PATCH")):
            group = [i for i in items if i.op is op]
            if group:
                out.extend(self._send_group(method, group))
        return out

    def _send_group(self, method: str, group: Sequence[Sending]) -> list[Sent]:
        out: list[Sent] = []
        for _round in range(2):
            body = [{**i.fields, "request_id": str(i.action_id), **({"id": int(i.remote_id)} if i.remote_id else {})}
                    for i in group]
            reply = self._call(method, "/api/v4/tasks", body=body)
            if reply.status != 400:
                return out + self._read_sent(group, reply)
            refused = refused_items(reply.json())
            if not refused:
                text = reason(_detail(reply.json()))
                return out + [Sent(i.action_id, refused=text or "refused") for i in group]
            out += [Sent(i.action_id, refused=refused[str(i.action_id)]) for i in group if str(i.action_id) in refused]
            group = [i for i in group if str(i.action_id) not in refused]
            if not group:
                return out
        return out + [Sent(i.action_id, refused="refused twice") for i in group]

    def _read_sent(self, group: Sequence[Sending], reply: Reply) -> list[Sent]:
        answered = {str(t.get("request_id", "")): str(t.get("id", "")) for t in _embedded(reply.json(), "tasks")}
        out = []
        for item in group:
            remote_id = answered.get(str(item.action_id)) or (item.remote_id if item.op is Op.UPDATE and reply.status == 200 else "")
            out.append(Sent(item.action_id, remote_id=remote_id) if remote_id else Sent(item.action_id, refused="no answer for this task"))
        return out

    def find_created(self, markers: Mapping[str, int], since: dt.datetime) -> dict[int, str]:
        found: dict[int, str] = {}
        for page in range(1, SEARCH_PAGES + 1):
            reply = self._call("GET", "/api/v4/tasks", query=[
                ("filter[updated_at][from]", int(since.timestamp())), ("page", page), ("limit", PAGE)])
            rows = _embedded(reply.json(), "tasks") if reply.status == 200 else []
            for row in rows:
                last = str(row.get("text") or "").rstrip().rsplit("\n", 1)[-1]
                for marker, action_id in markers.items():
                    if marker in last and action_id not in found:
                        found[action_id] = str(row.get("id"))
            if len(rows) < PAGE or len(found) == len(markers):
                break
        return found

    def states(self, remote_ids: Sequence[str], zone: str) -> dict[str, RemoteTask]:
        out: dict[str, RemoteTask] = {}
        for first in range(0, len(remote_ids), PAGE):
            chunk = list(remote_ids[first:first + PAGE])
            reply = self._call("GET", "/api/v4/tasks", query=[*(("filter[id][]", x) for x in chunk), ("limit", PAGE)])
            seen = {str(t.get("id")): t for t in (_embedded(reply.json(), "tasks") if reply.status == 200 else [])}
            for remote_id in chunk:
                task = seen.get(remote_id)
                if task is None:
                    out[remote_id] = RemoteTask(RemoteStatus.GONE)
                elif task.get("is_completed") is True:
                    out[remote_id] = RemoteTask(RemoteStatus.DONE, _day(task.get("updated_at"), zone))
                else:
                    out[remote_id] = RemoteTask(RemoteStatus.OPEN)
        return out


def _detail(data: Any) -> str:
    return str(data.get("detail") or data.get("title") or "") if isinstance(data, dict) else ""


def _day(value: Any, zone: str) -> dt.date | None:
    try:
        return local_date(dt.datetime.fromtimestamp(int(value), dt.UTC), zone)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
