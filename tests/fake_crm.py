"""Local stand-ins for Bitrix24 and amoCRM that speak their documented request and answer shapes.

They run inside ``pytest-httpserver`` (a real HTTP server on 127.0.0.1, the
code under test talks to it over a socket). Each keeps its tasks in memory and
counts what it was asked, and can misbehave on purpose: answer "slow down"
(Bitrix24 ``503 QUERY_LIMIT_EXCEEDED``, amoCRM ``429``), refuse one task, or
do the work and then drop the connection without an answer.

Shapes: Bitrix24 ``user.get``, ``batch`` (``cmd`` values ``method?query``,
answers in ``result.result`` / ``result.result_error``), ``tasks.task.add``,
``tasks.task.update``, ``tasks.task.list`` (``result.tasks``, ``status`` 5 =
completed, ``closedDate``). amoCRM ``/api/v4/users`` and ``/api/v4/tasks``
(``_embedded``, ``request_id`` echoed, ``validation-errors`` on 400, 204 for
an empty list).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from werkzeug import Request, Response

SECRET = "k3y4webhookSECRET9"
TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ0ZXN0LWNsaWVudCJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


def _nested(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``fields[TAGS][0]=x`` -> ``{"fields": {"TAGS": {"0": "x"}}}`` (as PHP reads a query)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def drop_connection(request: Request) -> Response:
    """Close the socket under the request: the client gets no answer at all."""
    sock = request.environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    return Response("", status=200)


@dataclass
class Misbehaviour:
    slow_down_every: int = 0  # every n-th request gets "slow down" (0: never)
    drop_after_creates: int | None = None  # once this many tasks exist, the next create request does its work and drops
    refuse_titles: tuple[str, ...] = ()  # tasks whose title holds one of these are refused
    hold: threading.Event | None = None  # a create request waits on this after doing its work (the test kills the client)
    hold_after_creates: int = 0  # ... once this many tasks existed before it
    held: threading.Event = field(default_factory=threading.Event)


class FakeBitrix24:
    """A Bitrix24 portal with one incoming webhook: ``/rest/1/<SECRET>/<method>``."""

    def __init__(self, users: list[dict[str, Any]] | None = None) -> None:
        self.users = users or [
            {"ID": "1", "ACTIVE": True, "NAME": "Anna", "LAST_NAME": "Admin", "EMAIL": "anna@example.com"},
            {"ID": "7", "ACTIVE": True, "NAME": "Boris", "LAST_NAME": "Sales", "EMAIL": "boris@example.com"},
            {"ID": "9", "ACTIVE": True, "NAME": "Vera", "LAST_NAME": "Office", "EMAIL": "vera@example.com"},
        ]
        self.tasks: dict[str, dict[str, Any]] = {}
        self.adds = self.updates = self.requests = self.refused_slow = 0
        self.misbehave = Misbehaviour()
        self.lock = threading.Lock()
        self._next = 100

    def install(self, httpserver: Any) -> str:
        httpserver.expect_request(re.compile(r"^/rest/.*")).respond_with_handler(self.handle)
        return httpserver.url_for(f"/rest/1/{SECRET}/")

    # ------------------------------------------------------------------ the webhook

    def handle(self, request: Request) -> Response:
        match = re.match(r"^/rest/(\d+)/([^/]+)/([a-z.]+?)(?:\.json)?$", request.path)
        if match is None or match.group(2) != SECRET:
            return _json({"error": "INVALID_CREDENTIALS", "error_description": "Invalid request credentials"}, 401)
        with self.lock:
            self.requests += 1
            if self.misbehave.slow_down_every and self.requests % self.misbehave.slow_down_every == 0:
                self.refused_slow += 1
                return _json({"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}, 503)
        body = request.get_json(silent=True) or {}
        method = match.group(3)
        if method == "batch":
            return self._batch(request, body)
        with self.lock:
            result, error = self._call(method, body)
        if error:
            return _json({"error": "ERROR_CORE", "error_description": error}, 400)
        return _json(result)

    def _batch(self, request: Request, body: dict[str, Any]) -> Response:
        commands = body.get("cmd") or {}
        if len(commands) > 50:
            return _json({"error": "ERROR_BATCH_LENGTH_EXCEEDED", "error_description": "Max batch length exceeded"}, 400)
        creates = [c for c in commands.values() if str(c).startswith("tasks.task.add")]
        with self.lock:
            before = len(self.tasks)
            drop = creates and self.misbehave.drop_after_creates is not None and before >= self.misbehave.drop_after_creates
            results: dict[str, Any] = {}
            errors: dict[str, Any] = {}
            for key, command in commands.items():
                method, _, query = str(command).partition("?")
                result, error = self._call(method, _nested(parse_qsl(query, keep_blank_values=True)))
                if error:
                    errors[key] = {"error": "ERROR_CORE", "error_description": error + "<br>"}
                else:
                    results[key] = result["result"]
        if creates and self.misbehave.hold is not None and before >= self.misbehave.hold_after_creates:
            self.misbehave.held.set()
            self.misbehave.hold.wait(30)
        if drop:
            self.misbehave.drop_after_creates = None
            return drop_connection(request)
        return _json({"result": {"result": results or [], "result_error": errors or [], "result_total": [],
                                 "result_next": [], "result_time": []}, "time": {"start": 0}})

    def _call(self, method: str, params: dict[str, Any]) -> tuple[dict[str, Any], str]:
        if method == "user.get":
            start = int(params.get("start") or 0)
            page = self.users[start:start + 50]
            out: dict[str, Any] = {"result": page, "total": len(self.users)}
            if start + 50 < len(self.users):
                out["next"] = start + 50
            return out, ""
        if method == "tasks.task.add":
            return self._add(params.get("fields") or {})
        if method == "tasks.task.update":
            return self._update(str(params.get("taskId")), params.get("fields") or {})
        if method == "tasks.task.list":
            return self._list(params), ""
        return {}, f"Method not found: {method}"

    def _add(self, fields: dict[str, Any]) -> tuple[dict[str, Any], str]:
        if not fields.get("TITLE"):
            return {}, "Task title not specified"
        if str(fields.get("RESPONSIBLE_ID")) not in {u["ID"] for u in self.users}:
            return {}, 'User specified in the "Assignee" field not found'
        if any(word in fields["TITLE"] for word in self.misbehave.refuse_titles):
            return {}, "The task was refused by a business rule"
        self._next += 1
        task_id = str(self._next)
        tags = fields.get("TAGS") or {}
        self.tasks[task_id] = {
            "id": task_id, "title": fields["TITLE"], "description": fields.get("DESCRIPTION", ""),
            "responsibleId": str(fields.get("RESPONSIBLE_ID")), "deadline": fields.get("DEADLINE"),
            "tags": list(tags.values()) if isinstance(tags, dict) else list(tags), "priority": fields.get("PRIORITY"),
            "xmlId": fields.get("XML_ID"), "status": "2", "closedDate": None,
            "createdDate": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self.adds += 1
        return {"result": {"task": dict(self.tasks[task_id])}}, ""

    def _update(self, task_id: str, fields: dict[str, Any]) -> tuple[dict[str, Any], str]:
        task = self.tasks.get(task_id)
        if task is None:
            return {}, "Task not found"
        if str(fields.get("RESPONSIBLE_ID", task["responsibleId"])) not in {u["ID"] for u in self.users}:
            return {}, 'User specified in the "Assignee" field not found'
        names = {"TITLE": "title", "DESCRIPTION": "description", "RESPONSIBLE_ID": "responsibleId", "DEADLINE": "deadline",
                 "PRIORITY": "priority"}
        for key, name in names.items():
            if key in fields:
                task[name] = str(fields[key])
        self.updates += 1
        return {"result": {"task": dict(task)}}, ""

    def _list(self, params: dict[str, Any]) -> dict[str, Any]:
        flt = params.get("filter") or {}
        rows = sorted(self.tasks.values(), key=lambda t: int(t["id"]))
        if "ID" in flt:
            wanted = {str(x) for x in (flt["ID"].values() if isinstance(flt["ID"], dict) else flt["ID"])}
            rows = [r for r in rows if r["id"] in wanted]
        if "TAG" in flt:
            rows = [r for r in rows if flt["TAG"] in r["tags"]]
        if ">=CREATED_DATE" in flt:
            since = dt.datetime.fromisoformat(str(flt[">=CREATED_DATE"]))
            rows = [r for r in rows if dt.datetime.fromisoformat(r["createdDate"]) >= since]
        start = int(params.get("start") or 0)
        out: dict[str, Any] = {"result": {"tasks": [dict(r) for r in rows[start:start + 50]]}, "total": len(rows)}
        if start + 50 < len(rows):
            out["next"] = start + 50
        return out

    # ------------------------------------------------------------------ what the test does over there

    def complete(self, task_id: str, on: str = "2025-06-03T17:20:00+03:00") -> None:
        with self.lock:
            self.tasks[task_id].update(status="5", closedDate=on)

    def by_xml_id(self) -> dict[str, dict[str, Any]]:
        return {t["xmlId"]: t for t in self.tasks.values()}


class FakeAmoCRM:
    """An amoCRM account: ``/api/v4/users`` and ``/api/v4/tasks`` behind a bearer token."""

    def __init__(self) -> None:
        self.users = [
            {"id": 501, "name": "Anna Admin", "email": "anna@example.com", "rights": {"is_active": True}},
            {"id": 502, "name": "Boris Sales", "email": "boris@example.com", "rights": {"is_active": True}},
            {"id": 503, "name": "Gone Guy", "email": "gone@example.com", "rights": {"is_active": False}},
        ]
        self.tasks: dict[int, dict[str, Any]] = {}
        self.creates = self.updates = self.requests = self.refused_slow = 0
        self.misbehave = Misbehaviour()
        self.lock = threading.Lock()
        self._next = 9000
        self.clock: Callable[[], int] = lambda: int(dt.datetime.now(dt.UTC).timestamp())

    def install(self, httpserver: Any) -> str:
        httpserver.expect_request(re.compile(r"^/api/v4/.*")).respond_with_handler(self.handle)
        return httpserver.url_for("/").rstrip("/")

    def handle(self, request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return Response(json.dumps({"title": "Unauthorized", "status": 401}), 401, content_type="application/problem+json")
        with self.lock:
            self.requests += 1
            if self.misbehave.slow_down_every and self.requests % self.misbehave.slow_down_every == 0:
                self.refused_slow += 1
                return Response("", 429)
        path = urlsplit(request.url).path
        if path == "/api/v4/users" and request.method == "GET":
            return self._users(request)
        if path == "/api/v4/tasks" and request.method == "GET":
            return self._list(request)
        if path == "/api/v4/tasks" and request.method in ("POST", "PATCH"):
            return self._write(request)
        return Response(json.dumps({"title": "Not Found", "status": 404}), 404, content_type="application/problem+json")

    def _users(self, request: Request) -> Response:
        page, limit = int(request.args.get("page", 1)), int(request.args.get("limit", 50))
        rows = self.users[(page - 1) * limit: page * limit]
        return _json({"_page": page, "_embedded": {"users": rows}}) if rows else Response("", 204)

    def _list(self, request: Request) -> Response:
        rows = sorted(self.tasks.values(), key=lambda t: t["id"])
        ids = request.args.getlist("filter[id][]")
        if ids:
            rows = [r for r in rows if str(r["id"]) in ids]
        since = request.args.get("filter[updated_at][from]")
        if since:
            rows = [r for r in rows if r["updated_at"] >= int(since)]
        page, limit = int(request.args.get("page", 1)), int(request.args.get("limit", 50))
        rows = rows[(page - 1) * limit: page * limit]
        return _json({"_page": page, "_embedded": {"tasks": [dict(r) for r in rows]}}) if rows else Response("", 204)

    def _problems(self, items: list[dict[str, Any]], updating: bool) -> list[dict[str, Any]]:
        active = {u["id"] for u in self.users if u["rights"]["is_active"]}
        out = []
        for item in items:
            errors = []
            if item.get("responsible_user_id") not in active:
                errors.append({"code": "NotSupportedChoice", "path": "responsible_user_id", "detail": "The user is not active"})
            if not updating and not isinstance(item.get("complete_till"), int):
                errors.append({"code": "NotBlank", "path": "complete_till", "detail": "This value should not be blank."})
            if updating and int(item.get("id", 0)) not in self.tasks:
                errors.append({"code": "NotFound", "path": "id", "detail": "Task not found"})
            if any(word in str(item.get("text")) for word in self.misbehave.refuse_titles):
                errors.append({"code": "InvalidValue", "path": "text", "detail": "Refused by a business rule"})
            if errors:
                out.append({"request_id": str(item.get("request_id", "")), "errors": errors})
        return out

    def _write(self, request: Request) -> Response:
        items = request.get_json(silent=True)
        if not isinstance(items, list) or len(items) > 50:
            return Response(json.dumps({"title": "Bad Request", "status": 400}), 400, content_type="application/problem+json")
        updating = request.method == "PATCH"
        with self.lock:
            problems = self._problems(items, updating)
            if problems:  # nothing of the request is made
                return Response(json.dumps({"validation-errors": problems, "title": "Bad Request", "status": 400,
                                            "detail": "Request validation failed"}), 400, content_type="application/problem+json")
            before = len(self.tasks)
            drop = not updating and self.misbehave.drop_after_creates is not None and before >= self.misbehave.drop_after_creates
            answered = [self._update(item) if updating else self._create(item) for item in items]
        if not updating and self.misbehave.hold is not None and before >= self.misbehave.hold_after_creates:
            self.misbehave.held.set()
            self.misbehave.hold.wait(30)
        if drop:
            self.misbehave.drop_after_creates = None
            return drop_connection(request)
        return _json({"_links": {}, "_embedded": {"tasks": answered}})

    def _create(self, item: dict[str, Any]) -> dict[str, Any]:
        self._next += 1
        now = self.clock()
        self.tasks[self._next] = {
            "id": self._next, "text": item["text"], "complete_till": item["complete_till"],
            "responsible_user_id": item["responsible_user_id"], "task_type_id": item.get("task_type_id", 1),
            "is_completed": False, "created_at": now, "updated_at": now, "result": [],
        }
        self.creates += 1
        return {"id": self._next, "request_id": str(item.get("request_id", "")), "_links": {}}

    def _update(self, item: dict[str, Any]) -> dict[str, Any]:
        task = self.tasks[int(item["id"])]
        for key in ("text", "complete_till", "responsible_user_id", "task_type_id"):
            if key in item:
                task[key] = item[key]
        task["updated_at"] = self.clock()
        self.updates += 1
        return {"id": task["id"], "updated_at": task["updated_at"], "request_id": str(item.get("request_id", ""))}

    def complete(self, task_id: int, at: int = 1_748_960_400) -> None:
        with self.lock:
            self.tasks[task_id].update(is_completed=True, updated_at=at, result={"text": "done"})

    def by_marker(self) -> dict[str, dict[str, Any]]:
        out = {}
        for task in self.tasks.values():
            match = re.search(r"ta-[0-9a-f]{16}", task["text"].rsplit("\n", 1)[-1])
            if match:
                out[match.group(0)] = task
        return out
