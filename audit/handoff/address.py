"""Which addresses the hand-off may call, so it cannot be used to reach internal machines.

- Only ``https://`` to a host *name* (no IP literal, no ``localhost``, no
  ``.local`` / ``.internal`` names); every address the name resolves to must
  be public (not private, loopback, link-local, reserved, multicast or shared).
  The connection then goes to the checked address (see :mod:`audit.handoff.client`),
  so a second DNS answer cannot swap it for an internal one.
- A Bitrix24 incoming webhook looks like ``https://PORTAL/rest/USER_ID/SECRET/``.
- An amoCRM / Kommo account is a subdomain (``mycompany`` = ``mycompany.amocrm.ru``)
  or a host under ``amocrm.ru``, ``amocrm.com`` or ``kommo.com``.
- Tests only: ``AUDIT_HANDOFF_ALLOW_LOCAL=1`` also lets ``http://127.0.0.1:PORT``
  (loopback, nothing else) through, for local test servers.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from audit.handoff.errors import AddressRefused

ALLOW_LOCAL_ENV = "AUDIT_HANDOFF_ALLOW_LOCAL"
AMO_DOMAINS = ("amocrm.ru", "amocrm.com", "kommo.com")
MAX_URL = 500
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".arpa", ".corp")
_WEBHOOK_PATH = re.compile(r"^/rest/(\d{1,10})/([A-Za-z0-9_]{6,64})(?:/[A-Za-z0-9_.]*)?/?$")
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")

Resolver = Callable[..., list[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where to connect: scheme, host name, port, and the path every call starts with."""

    scheme: str
    host: str
    port: int
    base_path: str = ""

    @property
    def origin(self) -> str:
        default = 443 if self.scheme == "https" else 80
        return f"{self.scheme}://{self.host}" + ("" if self.port == default else f":{self.port}")


@dataclass(frozen=True, slots=True)
class Webhook:
    endpoint: Endpoint
    user_id: str
    secret: str


def allow_local() -> bool:
    """``AUDIT_HANDOFF_ALLOW_LOCAL=1``: for tests against local servers only."""
    return os.environ.get(ALLOW_LOCAL_ENV, "") == "1"


def _is_loopback_name(host: str) -> bool:
    return host in _LOOPBACK_NAMES


def check_host(host: str, *, local: bool = False) -> str:
    """The host name in lower case, or :class:`AddressRefused` when it is not a public host name."""
    name = (host or "").strip().lower().rstrip(".")
    if local and _is_loopback_name(name):
        return name
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        pass
    else:
        raise AddressRefused(f"{name} is an IP address; give the host name", "address_ip", host=name)
    labels = name.split(".")
    if (not name or len(name) > 253 or len(labels) < 2 or not all(_LABEL.match(x) for x in labels)
            or labels[-1].isdigit()):
        raise AddressRefused(f"{name or 'an empty name'} is not a host name", "address_name", host=name)
    if name == "localhost" or name.endswith(_PRIVATE_SUFFIXES):
        raise AddressRefused(f"{name} is not a public host", "address_private", host=name)
    return name


def _public(address: str, local: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if local and ip.is_loopback:
        return True
    return bool(ip.is_global and not ip.is_multicast and not ip.is_reserved)


def resolve_public(endpoint: Endpoint, *, local: bool = False, resolver: Resolver = socket.getaddrinfo) -> list[str]:
    """The addresses of the endpoint's host; :class:`AddressRefused` unless every one of them is public."""
    try:
        answers = resolver(endpoint.host, endpoint.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise AddressRefused(f"{endpoint.host} cannot be found", "address_unknown", host=endpoint.host) from None
    addresses = sorted({str(a[4][0]) for a in answers})
    if not addresses:
        raise AddressRefused(f"{endpoint.host} cannot be found", "address_unknown", host=endpoint.host)
    if not all(_public(a, local) for a in addresses):
        raise AddressRefused(f"{endpoint.host} points to an internal address", "address_private", host=endpoint.host)
    return addresses


def _split(url: str, local: bool) -> tuple[str, str, int, str]:
    text = (url or "").strip()
    if len(text) > MAX_URL:
        raise AddressRefused(f"the address is longer than {MAX_URL} characters", "address_long", limit=MAX_URL)
    parts = urlsplit(text)
    try:
        port = parts.port
    except ValueError:
        raise AddressRefused("the port of the address is not a number", "address_form") from None
    if parts.username or parts.password or parts.query or parts.fragment:
        raise AddressRefused("the address may not hold a user, a query or a fragment", "address_form")
    host = check_host(parts.hostname or "", local=local)
    scheme = parts.scheme.lower()
    if scheme != "https" and not (local and scheme == "http" and _is_loopback_name(host)):
        raise AddressRefused("only https:// addresses are accepted", "address_https")
    return scheme, host, port or (443 if scheme == "https" else 80), parts.path


def parse_webhook(url: str, *, local: bool = False) -> Webhook:
    """A Bitrix24 incoming webhook ``https://PORTAL/rest/USER_ID/SECRET/`` (a method after it is ignored)."""
    scheme, host, port, path = _split(url, local)
    match = _WEBHOOK_PATH.match(path)
    if match is None:
        raise AddressRefused("a Bitrix24 webhook looks like https://PORTAL/rest/USER_ID/SECRET/", "address_webhook")
    user_id, secret = match.group(1), match.group(2)
    return Webhook(Endpoint(scheme, host, port, f"/rest/{user_id}/{secret}/"), user_id, secret)


def parse_amo_account(value: str, *, local: bool = False) -> Endpoint:
    """An amoCRM / Kommo account: ``mycompany``, ``mycompany.kommo.com`` or ``https://mycompany.amocrm.ru``."""
    text = (value or "").strip().lower()
    if "://" in text:
        scheme, host, port, _path = _split(text, local)
        if not (local and _is_loopback_name(host)):
            _amo_host(host)
        return Endpoint(scheme, host, port)
    host = text.rstrip("/")
    if "." not in host:
        if not _LABEL.match(host):
            raise AddressRefused(f"{host or 'an empty name'} is not an account name", "address_name", host=host)
        host = f"{host}.amocrm.ru"
    return Endpoint("https", _amo_host(check_host(host)), 443)


def _amo_host(host: str) -> str:
    if not any(host.endswith("." + domain) and host.count(".") == domain.count(".") + 1 for domain in AMO_DOMAINS):
        raise AddressRefused(f"{host} is not an amoCRM or Kommo account", "address_amo", host=host)
    return host
