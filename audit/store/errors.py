"""The store's refusals: messages meant for the person, raised by every concern module.

``StoreError("code", **params)`` names the message ``store.<code>``; pages say
it in the person's language, ``str()`` is English (see :mod:`audit.refusal`).
"""

from __future__ import annotations

from audit.refusal import Refusal


class StoreError(Refusal):
    """A request the store refuses; the message is for the person."""

    prefix = "store."


class NotFound(StoreError):
    """The audit, visit, action or photo asked for is not there (or not in this audit)."""
