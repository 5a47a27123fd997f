"""Where the database is (``--db`` / ``AUDIT_DATABASE_URL`` / ``AUDIT_DATA_DIR`` turned into a SQLAlchemy URL)
and how many PostgreSQL connections to keep (``AUDIT_DB_POOL_*``).

Imported by the app's pages for the URL alone, so it stays free of SQLAlchemy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DATA_DIR = "data"
DEFAULT_DB_FILE = "touchpoint_audit.sqlite"


def database_url(value: str | None = None) -> str:
    """Turn ``--db`` / ``AUDIT_DATABASE_URL`` into a SQLAlchemy URL.

    A value with ``://`` is a URL; anything else is a path to a SQLite file.
    Nothing at all -> ``$AUDIT_DATA_DIR/touchpoint_audit.sqlite`` (default
    ``./data``).
    """
    value = value or os.environ.get("AUDIT_DATABASE_URL") or ""
    if "://" in value:
        if value.startswith(("postgresql://", "postgres://")):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value
    if not value:
        folder = Path(os.environ.get("AUDIT_DATA_DIR") or DEFAULT_DATA_DIR)
        value = str(folder / DEFAULT_DB_FILE)
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class PoolSettings:
    """How many PostgreSQL connections one app process keeps (``AUDIT_DB_POOL_*``).

    A workshop saves in bursts: 50 people press at once. Connections are held
    only for a transaction, so ``size`` of them stay open between bursts and
    ``overflow`` more are opened only beyond that (those are closed again when
    returned, which is the churn to avoid: size the pool for the room).
    """

    size: int = 50  # connections kept open
    overflow: int = 10  # extra ones opened for a burst beyond ``size``, closed when returned
    timeout: float = 30.0  # seconds a save waits for a free connection before it fails
    # test each connection when it is taken: one more round trip per request, which doubled the p99 of 50 people
    # saving at once here; off, a write on a dropped connection is retried on a fresh one (engine.run_transaction)
    pre_ping: bool = False
    recycle: int = 1800  # seconds after which a connection is replaced (-1: never)
    # of those connections, how many rating saves keep checked out in autocommit between saves (audit.store.autocommit)
    saves: int = 50


POOL_LIMITS: dict[str, tuple[str, float, float]] = {
    # field: (environment variable, smallest, largest)
    "size": ("AUDIT_DB_POOL_SIZE", 1, 500),
    "overflow": ("AUDIT_DB_POOL_OVERFLOW", 0, 500),
    "timeout": ("AUDIT_DB_POOL_TIMEOUT", 0.1, 600),
    "recycle": ("AUDIT_DB_POOL_RECYCLE", -1, 86_400),
    "saves": ("AUDIT_DB_POOL_SAVES", 0, 500),
}
PRE_PING_ENV = "AUDIT_DB_POOL_PRE_PING"


def _bounded(name: str, text: str, low: float, high: float, kind: type[int] | type[float]) -> int | float:
    try:
        value = kind(text.strip())
    except ValueError:
        raise ValueError(f"{name}: must be a {'whole ' if kind is int else ''}number from {low:g} to {high:g} (got {text!r})") from None
    if not low <= value <= high:
        raise ValueError(f"{name}: must be from {low:g} to {high:g} (got {text!r})")
    return value


def pool_settings(environ: Mapping[str, str] | None = None) -> PoolSettings:
    """The pool settings from ``AUDIT_DB_POOL_SIZE``, ``_OVERFLOW``, ``_TIMEOUT``, ``_RECYCLE``, ``_SAVES`` and ``_PRE_PING``
    (unset or empty: the default). A bad value raises ``ValueError`` naming the variable and its range."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for field, (name, low, high) in POOL_LIMITS.items():
        text = environ.get(name, "")
        if text.strip():
            values[field] = _bounded(name, text, low, high, float if field == "timeout" else int)
    flag = environ.get(PRE_PING_ENV, "").strip().lower()
    if flag:
        if flag not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
            raise ValueError(f"{PRE_PING_ENV}: must be 1 or 0 (got {flag!r})")
        values["pre_ping"] = flag in ("1", "true", "yes", "on")
    return PoolSettings(**values)
