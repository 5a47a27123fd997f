"""One error path for every page, fragment, callback and upload handler.

Expected refusals (a link that does not allow it, a value that breaks a rule,
the store refusing, a file a parser refuses, a hand-off problem) carry a
message key and parameters; :func:`say` says them in the person's language,
with every value from a person or a file escaped.

Anything else is unexpected. :func:`unexpected` logs it once, with its
traceback, tokens, person ids and secrets redacted (:func:`audit.ui.common.redact`),
under a short reference such as ``E-7KQ4ZD``; the person sees a short message
with the same reference to quote. A database that does not answer is said as
such (and logged in one line, without a traceback). The same failure again in
the same browser session (a fragment that reruns every few seconds while the
database is down) keeps its reference and is counted, not logged again: a
one-line count is logged at 10, 100, 1000... repeats.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import streamlit as st
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from audit.handoff.errors import HandoffError
from audit.i18n import KEYS, t
from audit.languages import LANGUAGES, native_name
from audit.model import ValidationError
from audit.refusal import Refusal, number_words
from audit.services.access import AccessError
from audit.ui import common
from audit.ui.text import plain

log = logging.getLogger("audit.ui")

EXPECTED: tuple[type[BaseException], ...] = (AccessError, ValidationError, Refusal, HandoffError)
DATABASE_DOWN: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout, ConnectionError)
FLASH = "_flash_error"
_SEEN = "_error_kinds"  # per browser session: failure kind -> [reference, count]
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L: easy to read out on the phone


# ------------------------------------------------------------------ expected: said in the person's language


def escaped(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Values for a message: numbers in the language's format, everything else as plain text (never Markdown)."""
    out: dict[str, Any] = {}
    for name, value in number_words(params, lang).items():
        out[name] = plain(", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value))
    return out


def field_label(name: str, lang: str) -> str:
    """A field named in a rule, in the person's words: ``name.pl`` -> "Name (Polski)"."""
    base, _, suffix = name.rpartition(".")
    if suffix in LANGUAGES and base:
        return f"{field_label(base, lang)} ({native_name(suffix)})"
    for key in (f"field.{name.replace('.', '_')}", f"field.{name.split('.')[0]}"):
        if key in KEYS:
            return t(key, lang)
    return t("field.value", lang)


def say(err: BaseException, lang: str) -> str:
    """An expected refusal as a sentence in ``lang``."""
    if isinstance(err, ValidationError):
        return t("error.invalid_value", lang, field=plain(field_label(err.field, lang)), rule=t(err.key, lang, **escaped(err.params, lang)))
    if isinstance(err, HandoffError):
        return t(f"handoff.error.{err.key}", lang, **escaped(err.details, lang))
    if isinstance(err, AccessError):
        return t(err.key, lang)
    if isinstance(err, Refusal) and err.key in KEYS:
        return t(err.key, lang, **escaped(err.params, lang))
    return t("error.refused", lang, reason=plain(str(err)))


def said(key: str, params: Mapping[str, Any], lang: str) -> str:
    """A problem of a file (``key`` + ``params``) as a sentence in ``lang``."""
    return t(key, lang, **escaped(params, lang))


# ------------------------------------------------------------------ unexpected: logged once, a reference shown


def _reference() -> str:
    return "E-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def _kind(err: BaseException, where: str) -> str:
    """What makes two failures the same: where, the error's type and the innermost line of our code it passed."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if "/audit/" in f.filename.replace("\\", "/")]
    last = f"{frames[-1].filename.rsplit('/audit/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{where}|{type(err).__module__}.{type(err).__qualname__}|{last}"


def _database_reason(err: BaseException) -> str:
    orig = err.orig if isinstance(err, DBAPIError) else None
    text = str(orig if orig is not None else err).strip()
    return text.splitlines()[0][:300] if text else type(err).__name__


def unexpected(err: BaseException, lang: str, where: str) -> str:
    """Log ``err`` (once per kind and session) and return the person's message with its reference."""
    seen: dict[str, list[Any]] = st.session_state.setdefault(_SEEN, {})
    kind = _kind(err, where)
    database = isinstance(err, DATABASE_DOWN)
    entry = seen.get(kind)
    if entry is None:
        ref = _reference()
        seen[kind] = [ref, 1]
        if database:
            log.error("error %s in %s: the database does not answer: %s", ref, where, common.redact(_database_reason(err)))
        else:
            log.error("error %s in %s: %s", ref, where, common.redact("".join(traceback.format_exception(err)).rstrip()))
    else:
        entry[1] += 1
        ref, count = entry
        if count in (10, 100, 1_000, 10_000, 100_000):
            log.warning("error %s in %s happened again: %d times in this session", ref, where, count)
    return t("error.database_ref" if database else "error.unexpected_ref", lang, ref=ref)


def message(err: BaseException, lang: str, where: str) -> str:
    """Whatever went wrong, as the person should read it (unexpected errors are logged)."""
    return say(err, lang) if isinstance(err, EXPECTED) else unexpected(err, lang, where)


def show(err: BaseException, lang: str, where: str) -> None:
    """Show what went wrong in place (a link that no longer works gets its own icon)."""
    icon = ":material/link_off:" if isinstance(err, AccessError) else ":material/error:"
    st.error(message(err, lang, where), icon=icon)


@contextmanager
def handled(lang: str, where: str) -> Iterator[None]:
    """Run a page body, a fragment or an upload handler: whatever it raises is shown (and logged if unexpected).

    Streamlit's own control flow (``st.stop``, ``st.rerun``) is not an ``Exception`` and passes through.
    """
    try:
        yield
    except Exception as err:
        show(err, lang, where)


def guarded(lang: str, work: Callable[[], Any], where: str = "action") -> Any:
    """Run a write for a callback; a failure is kept to be shown on the next run (:func:`flash`). ``None`` then."""
    try:
        return work()
    except Exception as err:
        st.session_state[FLASH] = message(err, lang, where)
    return None


def done(action: Callable[..., Any], *args: Any) -> bool:
    """Run ``action(*args)`` (a write that returns nothing) and say True: for :func:`guarded`, whose None means refused."""
    action(*args)
    return True


def flash() -> None:
    """Show the failure a callback kept for this run, if any."""
    text = st.session_state.pop(FLASH, None)
    if text:
        st.error(text, icon=":material/error:")
