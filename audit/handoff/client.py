"""One small HTTP client for every call the hand-off makes, with budgets.

- The host is checked and resolved first (:func:`audit.handoff.address.resolve_public`)
  and the connection goes to that address (TLS still checks the certificate
  of the host name), so DNS cannot be switched to an internal address between
  the check and the call. No redirects are followed.
- Timeouts: 5 s to connect, 30 s per read, 60 s for a whole answer.
- An answer larger than ``max_bytes`` (4 MB; counted after decompression) is
  refused, never read whole.
- Pacing: a :class:`Pacer` keeps at least ``interval`` seconds between the
  starts of two requests (Bitrix24 allows about 2 per second, amoCRM 7).
- An answer the adapter calls "slow down" (Bitrix24 ``503 QUERY_LIMIT_EXCEEDED``,
  amoCRM ``429``) was refused before any work was done: it is waited out
  (``Retry-After``, else 1, 2, 4 ... s) and sent again, within 8 tries and
  120 s of waiting. Nothing else is repeated: a lost answer to a create is
  checked by the push before anything is sent again.
- Error messages name the host, never the path or headers (they hold secrets).
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import HTTPError as TransportError

from audit.handoff.address import Endpoint, Resolver, resolve_public
from audit.handoff.errors import RemoteProblem

MAX_BYTES = 4 * 1024 * 1024
CONNECT_SECONDS = 5.0
READ_SECONDS = 30.0
ANSWER_SECONDS = 60.0
RETRIES = 8
RETRY_WAIT_BUDGET = 120.0
USER_AGENT = "touchpoint-audit/1 (+handoff)"


@dataclass
class Pacer:
    """At least ``interval`` seconds between request starts; counts what it waited (tests read ``waited``)."""

    interval: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    waited: float = 0.0
    requests: int = 0
    _last: float | None = field(default=None, repr=False)

    def wait(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            self.pause(self.interval - (now - self._last))
        self._last = self.clock()
        self.requests += 1

    def pause(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.sleep(seconds)


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            return None


SlowDown = Callable[[Reply], bool]


class Client:
    """Requests to one endpoint (its base path is put in front of every path)."""

    def __init__(
        self, endpoint: Endpoint, pacer: Pacer, *, slow_down: SlowDown, local: bool = False,
        headers: Mapping[str, str] | None = None, max_bytes: int = MAX_BYTES, resolver: Resolver = socket.getaddrinfo,
    ) -> None:
        self.endpoint = endpoint
        self.pacer = pacer
        self._slow_down = slow_down
        self._headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        self._max_bytes = max_bytes
        addresses = resolve_public(endpoint, local=local, resolver=resolver)
        self._pool = self._make_pool(addresses[0])

    def _make_pool(self, address: str) -> urllib3.HTTPConnectionPool:
        timeout = urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS)
        if self.endpoint.scheme == "https":
            return urllib3.HTTPSConnectionPool(
                address, self.endpoint.port, timeout=timeout, retries=False, maxsize=1, cert_reqs="CERT_REQUIRED",
                server_hostname=self.endpoint.host, assert_hostname=self.endpoint.host,
            )
        return urllib3.HTTPConnectionPool(address, self.endpoint.port, timeout=timeout, retries=False, maxsize=1)

    def close(self) -> None:
        self._pool.close()

    def request(self, method: str, path: str, *, body: Any = None, query: Mapping[str, Any] | list[tuple[str, Any]] | None = None) -> Reply:
        """Send one request (JSON body), waiting out "slow down" answers; raises :class:`RemoteProblem`."""
        url = self.endpoint.base_path.rstrip("/") + "/" + path.lstrip("/") if self.endpoint.base_path else path
        if query:
            url += "?" + urlencode(query, doseq=True)
        payload = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        waited = 0.0
        for attempt in range(RETRIES):
            reply = self._send(method, url, payload)
            if not self._slow_down(reply):
                return reply
            pause = _retry_after(reply, attempt)
            if waited + pause > RETRY_WAIT_BUDGET:
                break
            waited += pause
            self.pacer.pause(pause)
        raise RemoteProblem(f"{self.endpoint.host} kept asking to slow down; try again in a few minutes", "rate_limited",
                            host=self.endpoint.host)

    def _send(self, method: str, url: str, payload: bytes | None) -> Reply:
        headers = {**self._headers, "Host": _host_header(self.endpoint)}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        self.pacer.wait()
        try:
            response = self._pool.urlopen(method, url, body=payload, headers=headers, redirect=False, preload_content=False,
                                          assert_same_host=False)
        except (TransportError, OSError):
            raise RemoteProblem(f"{self.endpoint.host} did not answer", "unreachable", host=self.endpoint.host) from None
        try:
            body = self._read(response)
        finally:
            response.release_conn()
        return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, body)

    def _read(self, response: urllib3.BaseHTTPResponse) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise self._too_large()
        chunks, size, deadline = [], 0, time.monotonic() + ANSWER_SECONDS
        try:
            for chunk in response.stream(64 * 1024, decode_content=True):
                size += len(chunk)
                if size > self._max_bytes:
                    raise self._too_large()
                if time.monotonic() > deadline:
                    raise RemoteProblem(f"{self.endpoint.host} answered too slowly", "unreachable", host=self.endpoint.host)
                chunks.append(chunk)
        except (TransportError, OSError):
            raise RemoteProblem(f"{self.endpoint.host} broke off its answer", "unreachable", host=self.endpoint.host) from None
        return b"".join(chunks)

    def _too_large(self) -> RemoteProblem:
        return RemoteProblem(f"{self.endpoint.host} answered with more than {self._max_bytes} bytes", "too_large",
                             host=self.endpoint.host, limit=self._max_bytes)


def _host_header(endpoint: Endpoint) -> str:
    default = 443 if endpoint.scheme == "https" else 80
    return endpoint.host if endpoint.port == default else f"{endpoint.host}:{endpoint.port}"


def _retry_after(reply: Reply, attempt: int) -> float:
    value = reply.headers.get("retry-after", "").strip()
    if value.replace(".", "", 1).isdigit():
        return min(float(value), 30.0)
    return float(min(2 ** attempt, 16))
