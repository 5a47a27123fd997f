"""Who may create audits on this server: anyone, or only people who have the creation key.

A public deployment sets ``AUDIT_CREATE_KEY``; the create page then asks for
it before anything else (no upload is read before the key is right). Without
the variable, anyone who reaches the welcome page creates audits, as before.
The key is compared in constant time (digests of equal length, ``hmac``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping

ENV = "AUDIT_CREATE_KEY"


def key_required(environ: Mapping[str, str] = os.environ) -> bool:
    """True when this server asks for a creation key."""
    return bool(environ.get(ENV, "").strip())


def key_accepted(given: str | None, environ: Mapping[str, str] = os.environ) -> bool:
    """True when no key is set, or ``given`` is the key (surrounding spaces ignored)."""
    expected = environ.get(ENV, "").strip()
    if not expected:
        return True
    offered = (given or "").strip()
    return hmac.compare_digest(hashlib.sha256(offered.encode("utf-8", "replace")).digest(), hashlib.sha256(expected.encode()).digest())
