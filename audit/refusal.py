"""Errors a person can see, as a message key and its parameters.

A refusal is said where it is shown, in that person's language:
``t(err.key, lang, **err.params)`` (the pages do it in :mod:`audit.ui.errors`).
``str(err)`` is the same message in English, for the log and the command
line. The English text lives in ``audit/locales/en/LC_MESSAGES/messages.po``
like every other text, so a rule is written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from audit.i18n import t
from audit.languages import DEFAULT
from audit.numbers import localized


class Coded(Protocol):
    """Anything a page can say in a person's language: an error or a problem of a file."""

    @property
    def key(self) -> str: ...

    @property
    def params(self) -> Mapping[str, Any]: ...


# Parameters that name a thing (an action, a row, a line) rather than count it: never "4,242".
IDENTIFIERS = frozenset({"id", "row", "line", "first", "wave", "number", "index", "action_id"})


def number_words(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """``params`` with every quantity written the way ``lang`` writes numbers ("5,000" / "5 000", "2.5" / "2,5")."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name] = str(value) if name in IDENTIFIERS else localized(value, lang)
        else:
            out[name] = value
    return out


def english(key: str, params: Mapping[str, Any]) -> str:
    """The message in English (logs, command line, the ``str()`` of an error); numbers as English writes them."""
    return t(key, DEFAULT, **number_words(params, DEFAULT))


NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


class Message(NamedTuple):
    """A message as data: its key and parameters (and, when it came from an error, that error's English)."""

    key: str
    params: Mapping[str, Any] = NO_PARAMS
    text: str = ""

    @property
    def in_english(self) -> str:
        return self.text or english(self.key, self.params)

    @classmethod
    def of(cls, err: Coded) -> Message:
        """The message of an error (its ``str()`` is kept as the English)."""
        return cls(err.key, err.params, str(err))


def full_key(prefix: str, code: str) -> str:
    """``prefix + code``; a code with a dot is a whole key already (a refusal passed on from another parser)."""
    return code if "." in code else f"{prefix}{code}"


class Refusal(Exception):
    """A request refused for a reason the person can act on.

    ``Refusal("code", **params)`` names the message ``<prefix>code``; each
    subclass has its own prefix (``store.`` for the store's refusals). A code
    with a dot is a whole key: ``TableRefused(None, err.key, **err.params)``
    passes another parser's refusal on unchanged.
    """

    prefix = "error."
    params: Mapping[str, Any]

    def __init__(self, code: str, /, **params: Any) -> None:
        if " " in code:  # an English sentence, not a code (a command-line-only refusal): said as "could not be done: ..."
            self.key, self.params = "error.refused", {"reason": code}
            super().__init__(code)
            return
        self.key = full_key(self.prefix, code)
        self.params = params
        super().__init__(english(self.key, params))
