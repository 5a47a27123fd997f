"""Where the database is: ``--db`` / ``AUDIT_DATABASE_URL`` / ``AUDIT_DATA_DIR`` turned into a SQLAlchemy URL.

Imported by the app's pages for the URL alone, so it stays free of SQLAlchemy.
"""

from __future__ import annotations

import os
from pathlib import Path

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
