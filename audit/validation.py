"""Checking one value of a record: texts, numbers, yes/no, choices, ids, time zones.

Every check returns the clean value or raises :class:`ValidationError`, whose
message names the field and the value. The records of :mod:`audit.model` are
built from these checks (and re-export them, so ``from audit.model import
ValidationError`` keeps working).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from audit.refusal import english

MAX_TEXT = 5_000  # characters for comments, ideas, observations
MAX_NAME = 300  # characters for names and questions


class ValidationError(ValueError):
    """A value broke a rule. ``field`` and ``value`` say which and what.

    ``ValidationError(field, value, "code", **params)``: the rule is the message
    ``rule.<code>`` (``key``) filled with ``params``; ``rule`` and ``str()``
    are English (logs, command line), pages say it in the person's language.
    """

    def __init__(self, field_name: str, value: Any, code: str, /, **params: Any) -> None:
        self.field = field_name
        self.value = value
        self.key = f"rule.{code}"
        self.params: dict[str, Any] = params
        self.rule = english(self.key, params)
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(f"{field_name}: {self.rule} (got {shown})")




def parse_enum(enum: type[StrEnum], value: Any, field_name: str) -> Any:
    """Return ``enum(value)`` or raise a ValidationError listing the choices."""
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        key = value.strip().lower()
        try:
            return enum(key)  # one dictionary lookup for the usual case: a stored or canonical value
        except ValueError:
            pass
        for member in enum:
            if member.value == key or member.name.lower() == key.replace("-", "_").replace(" ", "_"):
                return member
    choices = ", ".join(m.value for m in enum)
    raise ValidationError(field_name, value, "one_of", choices=choices)


def parse_enums(enum: type[StrEnum], value: Any, field_name: str) -> tuple[Any, ...]:
    """Accept one value, a list, or a text separated by ``;`` or ``,``."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        parts: Iterable[Any] = [p for p in value.replace(",", ";").split(";") if p.strip()]
    elif isinstance(value, (list, tuple)):
        parts = value
    else:
        parts = [value]
    out: list[Any] = []
    for part in parts:
        member = parse_enum(enum, part, field_name)
        if member not in out:
            out.append(member)
    return tuple(out)


# Characters refused in any text: C0 controls except tab and newline, and lone surrogates
# (half of a UTF-16 pair, which no database or file encoding can hold).
_REFUSED_CHAR = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: Any, field_name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """Strip a text, refuse non-text, control characters, lone surrogates and over-long values."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field_name, value, "text")
    text = value.replace("\r\n", "\n").strip()
    if _REFUSED_CHAR.search(text):
        if _SURROGATE.search(text):
            raise ValidationError(field_name, value.encode("utf-8", "backslashreplace").decode("ascii"), "lone_surrogate")
        raise ValidationError(field_name, value, "control_chars")
    if required and not text:
        raise ValidationError(field_name, value, "empty")
    if len(text) > limit:
        raise ValidationError(field_name, f"{len(text)} characters", "too_long", limit=str(limit))  # "5000": ungrouped, as before
    return text


_ALLOWED_BYTES = bytes(b for b in range(256) if not (b <= 0x08 or 0x0B <= b <= 0x1F))  # all but the refused controls


def _has_refused(text: str) -> bool:
    """Whether ``text`` holds a character :data:`_REFUSED_CHAR` refuses (one C-level pass over its UTF-8 bytes:
    a lone surrogate cannot be encoded, and UTF-8 writes other characters with bytes from 0x80 up)."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return bool(raw.translate(None, _ALLOWED_BYTES))


def clean_texts(values: Sequence[Any], field_name: str, *, required: bool = False, limit: int = MAX_TEXT) -> list[str]:
    """:func:`clean_text` of every value; texts that are all fine (the usual case) are scanned in one pass,
    otherwise each is checked on its own and the first bad one raises the same error as :func:`clean_text`."""
    if all(type(v) is str for v in values):
        whole = "\n".join(values)  # a newline is allowed, so the join adds no refused character
        if "\r" not in whole and not _has_refused(whole):
            out = [v.strip() for v in values]
            if max(map(len, out), default=0) <= limit and (not required or all(out)):
                return out
    return [clean_text(v, field_name, required=required, limit=limit) for v in values]


_TRUE = frozenset(("true", "yes", "y", "1"))
_FALSE = frozenset(("false", "no", "n", "0", ""))


def parse_bool(value: Any, field_name: str) -> bool:
    """``True``/``False``, 1/0, or the words yes/no, true/false, y/n, 1/0 (empty is no); anything else is refused."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValidationError(field_name, value, "yes_no")


def parse_number(value: Any, field_name: str) -> float:
    """A finite number; text like ``"3"`` or ``"2,5"`` is accepted."""
    if isinstance(value, bool):
        raise ValidationError(field_name, value, "number")
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise ValidationError(field_name, value, "number") from None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValidationError(field_name, value, "finite")
    return float(value)


def parse_int(value: Any, field_name: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]``; ``7.0`` and ``"7"`` are accepted."""
    if isinstance(value, bool):
        raise ValidationError(field_name, value, "whole_number", low=low, high=high)
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ValidationError(field_name, value, "whole_number", low=low, high=high) from None
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(field_name, value, "whole_number", low=low, high=high)
        value = int(value)
    if not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field_name, value, "whole_number", low=low, high=high)
    return value


def as_utc(value: dt.datetime, field_name: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise ValidationError(field_name, value, "date_time")
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_id(value: Any, field_name: str) -> str:
    """Ids are short, stable, lower-case words: letters, digits, ``-``, ``_``, ``.``."""
    if not isinstance(value, str):
        raise ValidationError(field_name, value, "text")
    text = value.strip()
    if not text:
        raise ValidationError(field_name, value, "empty")
    if len(text) > 80 or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in text):
        raise ValidationError(field_name, value, "id_chars")
    return text


def parse_time_zone(value: Any) -> str:
    """An IANA time zone name such as ``Europe/Moscow`` (``""``: none chosen)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if len(text) > 64 or not all(c.isalnum() or c in "/_+-" for c in text):
        raise ValidationError("time_zone", text, "time_zone_name")
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError("time_zone", text, "time_zone_unknown") from None
    return text
