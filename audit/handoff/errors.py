"""Problems of the hand-off as values a page can say in the person's language.

Every error has a ``key`` (``handoff.error.<key>`` in :mod:`audit.i18n`) and
``details`` for its placeholders. ``str(error)`` is an English sentence for
the command line. No error ever carries a secret: messages name the host and
the action, never the webhook path or the token.
"""

from __future__ import annotations

from typing import Any


class HandoffError(Exception):
    key = "failed"

    def __init__(self, text: str, key: str | None = None, **details: Any) -> None:
        super().__init__(text)
        if key is not None:
            self.key = key
        self.details = details
        self.actions: tuple[int, ...] = ()  # the actions that were being sent when it happened


class AddressRefused(HandoffError):
    """A URL, host or account name that may not be called."""

    key = "address"


class SecretProblem(HandoffError):
    """No key to seal secrets with, or a sealed secret that this key cannot open."""

    key = "secret"


class RemoteProblem(HandoffError):
    """The other side did not answer, refused, or answered something we cannot read.

    ``definite``: the other side refused the whole request before doing anything
    (wrong token, no permission), so nothing it was asked to create exists.
    Otherwise (no answer, a broken answer) it may have done the work.
    """

    key = "remote"

    def __init__(self, text: str, key: str | None = None, *, definite: bool = False, **details: Any) -> None:
        super().__init__(text, key, **details)
        self.definite = definite
