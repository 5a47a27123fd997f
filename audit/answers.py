"""Answers sent from a browser's outbox: parsing, order, acknowledgement (no Streamlit here).

The rating card keeps every answer a person gives in an *outbox* until the
server acknowledges it (see ``audit/ui/card/card.js``). An answer is one part
of one person's rating of one touchpoint, stamped by the browser:

- ``touchpoint_id``: the touchpoint whose card was on screen when it was given;
- ``field`` and ``value``: one of :data:`FIELDS` and its new value;
- ``device`` and ``seq``: a random id of the page load and a number that grows
  by one with every answer of that page load, so ``(device, seq)`` names an
  answer exactly once and orders the answers of one device;
- ``at``: the browser's clock (milliseconds since 1970), which orders the
  answers of two devices of the same person.

The outbox comes from the browser, so :func:`parse_outbox` treats it as
untrusted input with budgets (items per round, id and text lengths) and
returns problems as values. The server saves answers in ``(device, seq)``
order and acknowledges the highest ``seq`` it handled per device
(:func:`acknowledge`); the browser then drops those. Saving is idempotent and
never lets an older answer replace a newer one (:func:`is_newer`, applied by
the store per person, touchpoint and field).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from audit.model import Answer, Presence, Reaction, ValidationError, clean_text, parse_enum, parse_int

FIELDS = ("importance", "reaction", "presence", "comment", "idea", "not_applicable")
MAX_ITEMS = 500  # answers handled per round; the browser sends the rest once these are acknowledged
MAX_RAW_ITEMS = 5000  # a larger outbox is refused outright (nothing is read)
MAX_SEQ = 2**53 - 1  # JavaScript's largest exact integer
MAX_TEXT = 5000
_DEVICE = re.compile(r"^[A-Za-z0-9_-]{4,40}$")
_TOUCHPOINT = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")


@dataclass(frozen=True, slots=True)
class Problem:
    """An outbox item that cannot be saved. With ``device`` and ``seq`` it is acknowledged as refused."""

    device: str | None
    seq: int | None
    reason: str


def _value(field: str, value: Any) -> Any:
    """The field's value, checked as the rating model checks it (raises :class:`ValidationError`)."""
    if field == "importance":
        return None if value is None else parse_int(value, "importance", 1, 10)
    if field == "reaction":
        return None if value is None else parse_enum(Reaction, value, "reaction").value
    if field == "presence":
        return None if value is None else parse_enum(Presence, value, "presence").value
    if field in ("comment", "idea"):
        return clean_text(value, field, limit=MAX_TEXT)
    if not isinstance(value, bool):
        raise ValidationError(field, value, "true_false")
    return value


def _number(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def parse_item(raw: Any) -> Answer | Problem:
    """One outbox item ``{d, s, t, f, v, a}`` -> an :class:`Answer`, or the problem with it."""
    if not isinstance(raw, Mapping):
        return Problem(None, None, "an outbox item must be an object")
    device, seq = raw.get("d"), _number(raw.get("s"), 1, MAX_SEQ)
    if not isinstance(device, str) or not _DEVICE.match(device) or seq is None:
        return Problem(None, None, "an outbox item needs a device id (4-40 letters or digits) and a sequence number")
    touchpoint, field = raw.get("t"), raw.get("f")
    at = _number(raw.get("a"), 0, MAX_SEQ)
    if not isinstance(touchpoint, str) or not _TOUCHPOINT.match(touchpoint):
        return Problem(device, seq, "touchpoint: must be a touchpoint id")
    if field not in FIELDS:
        return Problem(device, seq, f"field: must be one of {', '.join(FIELDS)}")
    if at is None:
        return Problem(device, seq, "at: must be a time in milliseconds")
    try:
        value = _value(str(field), raw.get("v"))
    except ValidationError as err:
        return Problem(device, seq, f"{err.field}: {err.rule}")
    return Answer(touchpoint, str(field), value, device, seq, at)


def parse_outbox(raw: Any, *, limit: int = MAX_ITEMS) -> tuple[list[Answer], list[Problem]]:
    """The outbox state value ``{"items": [...], ...}`` -> answers in ``(device, seq)`` order, and problems.

    Every item is checked; at most ``limit`` answers are returned (the lowest
    sequence numbers of each device first), the browser sends the rest later.
    """
    items = raw.get("items") if isinstance(raw, Mapping) else None
    if items is None:
        return [], []
    if not isinstance(items, list):
        return [], [Problem(None, None, "items: must be a list")]
    if len(items) > MAX_RAW_ITEMS:
        return [], [Problem(None, None, f"items: at most {MAX_RAW_ITEMS} at once")]
    answers: dict[tuple[str, int], Answer] = {}
    problems: list[Problem] = []
    for item in items:
        parsed = parse_item(item)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            answers.setdefault((parsed.device, parsed.seq), parsed)  # the same answer twice counts once
    ordered = sorted(answers.values(), key=lambda a: (a.device, a.seq))
    return ordered[:limit], problems


def pending(answers: Iterable[Answer], acked: Mapping[str, int]) -> list[Answer]:
    """The answers not acknowledged yet, in ``(device, seq)`` order."""
    return sorted((a for a in answers if a.seq > acked.get(a.device, 0)), key=lambda a: (a.device, a.seq))


def acknowledge(acked: Mapping[str, int], handled: Iterable[Answer]) -> dict[str, int]:
    """The highest handled ``seq`` per device (saved now, saved before, or outdated by a newer answer).

    Refused items are not counted here (see :func:`refused`): a device's items
    beyond a round's limit must stay in its outbox.
    """
    out = dict(acked)
    for item in handled:
        out[item.device] = max(out.get(item.device, 0), item.seq)
    return out


def refused(problems: Iterable[Problem]) -> dict[str, list[int]]:
    """The refused items the browser can drop, by device (items without an id cannot be named)."""
    out: dict[str, list[int]] = {}
    for problem in problems:
        if problem.device is not None and problem.seq is not None:
            out.setdefault(problem.device, []).append(problem.seq)
    return {device: sorted(set(seqs))[-100:] for device, seqs in out.items()}


def is_newer(incoming: tuple[int, str, int], stored: tuple[int, str, int] | None) -> bool:
    """Whether an answer stamped ``(at, device, seq)`` may replace the stored one of the same field.

    Within one device the sequence decides (a repeat or an older answer is
    ignored, whatever the clock says); between devices the browser's clock,
    with the device id and sequence as tie-breakers so every server agrees.
    """
    if stored is None:
        return True
    at, device, seq = incoming
    stored_at, stored_device, stored_seq = stored
    if device == stored_device:
        return seq > stored_seq
    return (at, device, seq) > (stored_at, stored_device, stored_seq)
