"""The hand-off's one HTTP client keeps its budgets: answer size (also after decompression), no redirects."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from werkzeug import Request, Response

from audit.handoff.address import Endpoint
from audit.handoff.client import Client, Pacer
from audit.handoff.errors import RemoteProblem


def client(httpserver: Any, max_bytes: int = 64 * 1024) -> Client:
    endpoint = Endpoint("http", "127.0.0.1", httpserver.port)
    return Client(endpoint, Pacer(0), slow_down=lambda reply: False, local=True, max_bytes=max_bytes)


def test_a_declared_large_answer_is_refused_before_it_is_read(httpserver: Any) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 200_000)
    with pytest.raises(RemoteProblem) as refused:
        client(httpserver).request("GET", "/big")
    assert refused.value.key == "too_large"


def test_a_streamed_answer_is_cut_at_the_limit(httpserver: Any) -> None:
    def stream(_request: Request) -> Response:
        return Response((b"y" * 8192 for _ in range(100)), content_type="application/json")  # no length given

    httpserver.expect_request("/stream").respond_with_handler(stream)
    with pytest.raises(RemoteProblem) as refused:
        client(httpserver).request("GET", "/stream")
    assert refused.value.key == "too_large"


def test_a_compressed_bomb_is_counted_after_decompression(httpserver: Any) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)  # about 5 KB on the wire
    assert len(bomb) < 64 * 1024
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(RemoteProblem) as refused:
        client(httpserver).request("GET", "/bomb")
    assert refused.value.key == "too_large"


def test_redirects_are_not_followed(httpserver: Any) -> None:
    httpserver.expect_request("/moved").respond_with_data("", status=302, headers={"Location": "/internal"})
    httpserver.expect_request("/internal").respond_with_data("secret inside")
    reply = client(httpserver).request("GET", "/moved")
    assert reply.status == 302 and reply.body == b""
    assert [r.path for r, _ in httpserver.log] == ["/moved"]


def test_a_closed_port_is_a_network_error_naming_the_host_only() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    plain = Client(Endpoint("http", "127.0.0.1", port, "/rest/1/topSecret99/"), Pacer(0), slow_down=lambda r: False, local=True)
    with pytest.raises(RemoteProblem) as failed:
        plain.request("POST", "batch", body={"cmd": {}})
    assert failed.value.key == "unreachable" and "topSecret99" not in str(failed.value) and failed.value.definite is False
