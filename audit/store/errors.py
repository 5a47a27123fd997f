"""The store's refusals: messages meant for the person, raised by every concern module."""

from __future__ import annotations


class StoreError(Exception):
    """A request the store refuses; the message is for the person."""


class NotFound(StoreError):
    """The audit, visit, action or photo asked for is not there (or not in this audit)."""
