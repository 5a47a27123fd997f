"""Secrets handled like secrets: sealed at rest, shown masked, cut out of logs.

The key: ``AUDIT_SECRET_KEY`` (a Fernet key, or any random text of at least
32 characters; several separated by commas: the first seals, all open, so a
key can be replaced without losing what was sealed). Without it, and only
for a SQLite database, a key file ``handoff.key`` is created once next to the
database file (the data folder of the default set-up) with permissions 0600.
On PostgreSQL the variable is required: every replica must use the same key.

Secrets are sealed with Fernet (AES-128-CBC with HMAC-SHA256) from the
``cryptography`` package. A page only ever gets the masked form.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import secrets as random_secrets
import stat
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from audit.handoff.errors import SecretProblem

KEY_ENV = "AUDIT_SECRET_KEY"
KEY_FILE = "handoff.key"
MIN_PASSPHRASE = 32
MASK = "••••••••"
# What a secret looks like in a text that is about to be logged.
_WEBHOOK = re.compile(r"(/rest/\d{1,10}/)[A-Za-z0-9_]{4,64}")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
_FERNET = re.compile(r"gAAAAA[A-Za-z0-9_=-]{20,}")


def _fernet_key(text: str) -> bytes:
    """A Fernet key as given, or one derived from a long passphrase."""
    raw = text.strip().encode()
    with contextlib.suppress(ValueError, TypeError):
        if len(base64.urlsafe_b64decode(raw)) == 32:
            return raw
    if len(text.strip()) < MIN_PASSPHRASE:
        raise SecretProblem(f"{KEY_ENV} must be a Fernet key or at least {MIN_PASSPHRASE} random characters", "key_short",
                            limit=MIN_PASSPHRASE)
    return base64.urlsafe_b64encode(hashlib.sha256(b"touchpoint-audit handoff\0" + raw).digest())


def key_folder(database_url: str) -> Path | None:
    """Where the key file lives: next to a SQLite database file; ``None`` for any other database."""
    if not database_url.startswith("sqlite:///"):
        return None
    path = database_url[len("sqlite:///"):]
    return Path(path).parent if path and path != ":memory:" else None


def _read_key_file(path: Path) -> bytes:
    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        raise SecretProblem(f"{path} is not a regular file", "key_file", path=str(path))
    if mode & 0o077:
        os.chmod(path, 0o600)  # somebody widened it: close it again
    return path.read_bytes().strip()


def _key_file(folder: Path) -> bytes:
    """The key in ``folder/handoff.key``, created once (0600) if missing; two processes agree on one key."""
    path = folder / KEY_FILE
    if os.path.lexists(path):
        return _read_key_file(path)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{KEY_FILE}.{random_secrets.token_hex(6)}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)  # atomic: the first process wins, the others read its key
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return _read_key_file(path)


class Vault:
    """Seals and opens secrets with the configured key."""

    def __init__(self, keys: list[bytes]) -> None:
        self._fernet = MultiFernet([Fernet(k) for k in keys])

    @classmethod
    def for_database(cls, database_url: str) -> Vault:
        configured = os.environ.get(KEY_ENV, "")
        if configured.strip():
            return cls([_fernet_key(part) for part in configured.split(",") if part.strip()])
        folder = key_folder(database_url)
        if folder is None:
            raise SecretProblem(f"set {KEY_ENV} (the same on every app replica) to keep connection secrets", "key_missing")
        return cls([_key_file(folder)])

    def seal(self, values: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(values, sort_keys=True).encode()).decode()

    def open(self, sealed: str) -> dict[str, Any]:
        try:
            data = json.loads(self._fernet.decrypt(sealed.encode()))
        except (InvalidToken, ValueError):
            raise SecretProblem("the saved secret cannot be opened with this key; save the connection again",
                                "key_changed") from None
        if not isinstance(data, dict):
            raise SecretProblem("the saved secret cannot be read; save the connection again", "key_changed")
        return data


def masked_webhook(origin: str, user_id: str) -> str:
    """``https://portal.bitrix24.ru/rest/1/••••••••/``: where, and by whom, never the secret."""
    return f"{origin}/rest/{user_id}/{MASK}/"


def masked_token(origin: str) -> str:
    return f"{origin} · {MASK}"


def redact_secrets(text: str) -> str:
    """Cut webhook secrets, bearer tokens, JWTs and sealed values out of a text before it is logged."""
    text = _WEBHOOK.sub(r"\1***", text)
    text = _BEARER.sub(r"\1***", text)
    text = _JWT.sub("***", text)
    return _FERNET.sub("***", text)
