"""Bitrix24 through an incoming webhook ``https://PORTAL/rest/USER_ID/SECRET/`` (REST, JSON bodies).

- People: ``user.get`` (active users, 50 a page, at most 20 pages).
- Tasks: ``tasks.task.add`` / ``tasks.task.update`` with ``TITLE``,
  ``DESCRIPTION``, ``RESPONSIBLE_ID``, ``DEADLINE`` (end of the due day in the
  audit's time zone, ISO 8601 with offset), ``TAGS``, ``PRIORITY`` and
  ``XML_ID`` (the action's stable reference), sent in ``batch`` calls of at most
  50 commands (``halt=0``: one refused task does not stop the others). A
  command is ``method?key=value&...`` with every value URL-encoded.
- Status: ``tasks.task.list`` filtered by ``ID`` (``STATUS`` 5 = completed,
  ``CLOSED_DATE``); a task that is not found any more is "gone".
- A lost answer: ``tasks.task.list`` filtered by the ``touchpoint-audit`` tag
  and the creation date finds the tasks by ``XML_ID``.
- ``503 QUERY_LIMIT_EXCEEDED`` and ``429 OPERATION_TIME_LIMIT`` mean "slow down"
  (the client waits and sends again); 401 is a wrong or removed webhook; 404
  ``ERROR_METHOD_NOT_FOUND`` a webhook without the ``task`` or ``user`` permission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlencode

from audit.handoff.client import Client, Reply
from audit.handoff.deadline import iso_end_of_day, local_date
from audit.handoff.errors import RemoteProblem
from audit.handoff.records import RemoteStatus
from audit.handoff.remote import Op, RemoteTask, RemoteUser, Sending, Sent, reason
from audit.handoff.task import TAG, TaskText

INTERVAL = 0.5  # about 2 requests per second
BATCH = 50
PAGE = 50
USER_PAGES = 20
SEARCH_PAGES = 40
COMPLETED = "5"
SLOW_DOWN = {"QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT"}


def slow_down(reply: Reply) -> bool:
    data = reply.json()
    code = data.get("error") if isinstance(data, dict) else None
    return reply.status in (503, 429) and (code in SLOW_DOWN or code is None)


def task_fields(text: TaskText, person: str, zone: str) -> dict[str, Any]:
    """The ``fields`` of ``tasks.task.add`` / ``tasks.task.update`` for one action."""
    fields: dict[str, Any] = {
        "TITLE": text.title, "DESCRIPTION": text.description, "RESPONSIBLE_ID": person, "TAGS": [TAG],
        "PRIORITY": str(text.urgency), "XML_ID": text.marker,
    }
    if text.due is not None:
        fields["DEADLINE"] = iso_end_of_day(text.due, zone)
    return fields


def _pairs(prefix: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _pairs(f"{prefix}[{key}]", inner)
    elif isinstance(value, (list, tuple)):
        for i, inner in enumerate(value):
            yield from _pairs(f"{prefix}[{i}]", inner)
    else:
        yield prefix, "" if value is None else str(value)


def command(item: Sending) -> str:
    """One batch command: ``tasks.task.add?fields[TITLE]=...`` (values URL-encoded)."""
    pairs = list(_pairs("fields", item.fields))
    if item.op is Op.UPDATE:
        return "tasks.task.update?" + urlencode([("taskId", str(item.remote_id)), *pairs], quote_via=quote)
    return "tasks.task.add?" + urlencode(pairs, quote_via=quote)


def _as_dict(value: Any) -> dict[str, Any]:
    """PHP sends an empty object as ``[]``."""
    return value if isinstance(value, dict) else {}


def read_batch(items: Sequence[Sending], data: Any) -> list[Sent]:
    """The answer of one batch, per action: the task id, or the reason it was refused."""
    outer = _as_dict(_as_dict(data).get("result"))
    results, errors = _as_dict(outer.get("result")), _as_dict(outer.get("result_error"))
    out = []
    for item in items:
        key = f"a{item.action_id}"
        if key in errors:
            error = _as_dict(errors[key])
            out.append(Sent(item.action_id, refused=reason(error.get("error_description") or error.get("error") or "refused")))
            continue
        task = _as_dict(_as_dict(results.get(key)).get("task"))
        remote_id = str(task.get("id") or item.remote_id or "")
        if key not in results or not remote_id:
            out.append(Sent(item.action_id, refused="no answer for this task"))
        else:
            out.append(Sent(item.action_id, remote_id=remote_id))
    return out


class Bitrix24:
    """A Bitrix24 portal behind one incoming webhook."""

    batch_size = BATCH
    needs_due = False
    interval = INTERVAL
    name = "Bitrix24"

    def __init__(self, client: Client) -> None:
        self.client = client

    def _call(self, method: str, body: Mapping[str, Any]) -> Any:
        reply = self.client.request("POST", method, body=dict(body))
        host = self.client.endpoint.host
        data = reply.json()
        code = _as_dict(data).get("error", "")
        if reply.status == 401 or code in ("INVALID_CREDENTIALS", "NO_AUTH_FOUND", "expired_token"):
            raise RemoteProblem(f"{host} does not accept this webhook", "auth", definite=True, host=host)
        if reply.status == 404 or code == "ERROR_METHOD_NOT_FOUND" or code == "insufficient_scope":
            raise RemoteProblem(f"the webhook of {host} may not call {method}", "scope", definite=True, host=host,
                                method=method)
        if reply.status >= 500 or data is None:
            raise RemoteProblem(f"{host} answered with an error ({reply.status})", "broken", host=host, status=reply.status)
        if reply.status != 200 or code:
            text = reason(_as_dict(data).get("error_description") or code or reply.status)
            raise RemoteProblem(f"{host} refused: {text}", "refused", definite=True, host=host, reason=text)
        return data

    def users(self) -> list[RemoteUser]:
        people: list[RemoteUser] = []
        start = 0
        for _page in range(USER_PAGES):
            data = self._call("user.get", {"filter": {"ACTIVE": True}, "start": start})
            for row in data.get("result") or []:
                row = _as_dict(row)
                name = " ".join(str(row.get(k) or "").strip() for k in ("NAME", "LAST_NAME")).strip()
                people.append(RemoteUser(str(row.get("ID", "")), name or str(row.get("EMAIL") or row.get("ID")),
                                         str(row.get("EMAIL") or "")))
            following = data.get("next")
            if not isinstance(following, int) or following <= start:
                break
            start = following
        return [p for p in people if p.id]

    def fields(self, text: TaskText, person: str, zone: str) -> dict[str, Any]:
        return task_fields(text, person, zone)

    def send(self, items: Sequence[Sending]) -> list[Sent]:
        if not items:
            return []
        if len(items) > BATCH:
            raise ValueError(f"a batch holds at most {BATCH} commands")
        data = self._call("batch", {"halt": 0, "cmd": {f"a{i.action_id}": command(i) for i in items}})
        return read_batch(items, data)

    def find_created(self, markers: Mapping[str, int], since: dt.datetime) -> dict[int, str]:
        found: dict[int, str] = {}
        start = 0
        for _page in range(SEARCH_PAGES):
            data = self._call("tasks.task.list", {
                "filter": {"TAG": TAG, ">=CREATED_DATE": since.isoformat(timespec="seconds")},
                "select": ["ID", "XML_ID"], "order": {"ID": "asc"}, "start": start,
            })
            for task in _as_dict(_as_dict(data).get("result")).get("tasks") or []:
                task = _as_dict(task)
                action_id = markers.get(str(task.get("xmlId") or task.get("XML_ID") or ""))
                if action_id is not None and action_id not in found:
                    found[action_id] = str(task.get("id") or task.get("ID"))
            following = _as_dict(data).get("next")
            if len(found) == len(markers) or not isinstance(following, int) or following <= start:
                break
            start = following
        return found

    def states(self, remote_ids: Sequence[str], zone: str) -> dict[str, RemoteTask]:
        out: dict[str, RemoteTask] = {}
        for first in range(0, len(remote_ids), PAGE):
            chunk = list(remote_ids[first:first + PAGE])
            data = self._call("tasks.task.list", {"filter": {"ID": chunk}, "select": ["ID", "STATUS", "CLOSED_DATE"]})
            seen = {}
            for task in _as_dict(_as_dict(data).get("result")).get("tasks") or []:
                task = _as_dict(task)
                seen[str(task.get("id") or task.get("ID"))] = task
            for remote_id in chunk:
                task = seen.get(remote_id)
                if task is None:
                    out[remote_id] = RemoteTask(RemoteStatus.GONE)
                elif str(task.get("status") or task.get("STATUS")) == COMPLETED:
                    out[remote_id] = RemoteTask(RemoteStatus.DONE, _closed_on(task.get("closedDate"), zone))
                else:
                    out[remote_id] = RemoteTask(RemoteStatus.OPEN)
        return out


def _closed_on(value: Any, zone: str) -> dt.date | None:
    try:
        return local_date(dt.datetime.fromisoformat(str(value)), zone)
    except (TypeError, ValueError):
        return None

