"""Link secrets: how tokens are made, hashed and derived, what a link opens, and record ids."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from audit.model import Role


@dataclass(frozen=True)
class Access:
    """What a link opens: one audit, one role."""

    audit_id: str
    role: Role


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A link secret: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def derive_link(owner_token: str, role: Role, generation: int) -> str:
    """The team or shopper link of an audit, derived from its owner link.

    HMAC-SHA256 keyed with the owner token: whoever holds the owner link can
    show the team and shopper links again at any time (for the projector), a
    team or shopper link reveals nothing about the owner link, and the
    database holds only hashes of all three.
    """
    message = f"touchpoint-audit/{Role(role).value}/{generation}".encode("ascii")
    digest = hmac.new(owner_token.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_id(nbytes: int = 9) -> str:
    return secrets.token_urlsafe(nbytes).replace("-", "x").replace("_", "y")
