"""The rating card and the quick grid: one Streamlit Components v2 component (no build step).

Why a component: with native widgets every tap waited for a server round
trip, and a tap made while the next card was being drawn could land on the
previous touchpoint. Here the browser holds the whole deck and answers every
tap, Next, Previous and key at once (``card.js``); the server only stores.

The protocol (``card.js`` <-> :func:`card_round`):

1. Python sends ``data``: the deck (once per browser session and version: the
   browser reports the version it holds in its state value), the labels, the
   person's saved answers (compact), and the acknowledgements
   ``acks = {device: highest seq handled}`` and ``refused = {device: [seq]}``.
2. Every answer becomes an outbox item ``{d, s, t, f, v, a}`` (device, seq,
   touchpoint on screen, field, value, browser time). The outbox lives in the
   browser's memory and localStorage and is put in the component's *state*
   value ``outbox`` (state values persist across reruns; trigger values live
   for one rerun and two quick ones can collapse into one).
3. Each rerun, Python parses the outbox (:mod:`audit.answers`, with budgets),
   saves the items not acknowledged yet in ``(device, seq)`` order
   (:func:`audit.access.save_answers`: idempotent, an older answer never
   replaces a newer one), and acknowledges them in the next ``data``.
4. The browser drops acknowledged items and sends the rest again every two
   seconds until they are acknowledged; the card shows per answer "sending",
   "saved" or "not saved yet - will retry".

The card runs inside a fragment, so a tap reruns only the card's few lines.
A second fragment polls the room once a second (``follow`` view, tiny data)
and passes the facilitator's touchpoint to the card in the browser.

AppTest cannot run JavaScript: tests put outbox state values into
``session_state[key]`` and read the ``data`` the component received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from audit import services
from audit.answers import acknowledge, parse_outbox, pending, refused
from audit.i18n import t
from audit.model import Catalog, Rating, Touchpoint
from audit.services import Store
from audit.services.room import Seat
from audit.ui import common, deck, errors

_HERE = Path(__file__).resolve().parent
NAME = "touchpoint_audit_card"
FOLLOW_SECONDS = 1.0  # how often a card asks where the facilitator is


def _asset(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


_COMPONENT = st.components.v2.component(NAME, html=_asset("card.html"), css=_asset("card.css"), js=_asset("card.js"))


def _noop() -> None:
    """State changes are read in the run itself; the callbacks only declare the state names."""


def mount(key: str, data: Mapping[str, Any]) -> Any:
    return _COMPONENT(key=key, data=dict(data), on_outbox_change=_noop, on_recall_change=_noop)


# ------------------------------------------------------------------ one browser session's answers


@dataclass
class CardSession:
    """What the server keeps for one card in one browser session (in ``st.session_state``)."""

    person: str
    mine: dict[str, Rating] | None = None  # the person's saved answers, kept current from each save
    acks: dict[str, int] = field(default_factory=dict)
    deck_signature: tuple[Any, ...] | None = None
    deck: dict[str, Any] | None = None


def session(key: str, person: str) -> CardSession:
    name = f"_card_session:{key}"
    current = st.session_state.get(name)
    if not isinstance(current, CardSession) or current.person != person:
        current = CardSession(person)
        st.session_state[name] = current
    return current


def outbox_state(key: str) -> Mapping[str, Any]:
    state = st.session_state.get(key)
    outbox = state.get("outbox") if isinstance(state, Mapping) else None
    return outbox if isinstance(outbox, Mapping) else {}


@dataclass(frozen=True)
class Round:
    acks: dict[str, int]
    refused: dict[str, list[int]]
    seat: Seat
    error: str | None = None


def card_round(db: Store, token: str, person: str, key: str, lang: str) -> Round:
    """Save what the browser's outbox holds and is not acknowledged yet (one transaction, link and person
    checked inside it); the acknowledgements to send back. Raises :class:`AccessError` for a link that
    no longer opens this person's card."""
    s = session(key, person)
    answers, problems = parse_outbox(outbox_state(key))
    todo = pending(answers, s.acks)
    here, error = None, None
    if todo:
        saved = errors.guarded(lang, lambda: services.rating.save_answers(db, token, person, todo))
        if saved is None:
            error = st.session_state.pop(errors.FLASH, None)
        else:
            here = saved.seat
            if s.mine is not None:
                s.mine.update(saved.ratings)
            s.acks = acknowledge(s.acks, saved.handled)
            problems = [*problems, *saved.refused]
    if here is None:
        here = services.rating.seat(db, token, person)
    if s.mine is None:
        s.mine = services.rating.my_ratings(db, token, person)
    return Round(dict(s.acks), refused(problems), here, error)


def deck_payload(s: CardSession, touchpoints: Sequence[Touchpoint], signature: tuple[Any, ...], lang: str, clang: str) -> dict[str, Any]:
    if s.deck is None or s.deck_signature != signature:
        s.deck = deck.deck(touchpoints, lang, clang)
        s.deck["labels"] = deck.labels(lang)
        s.deck_signature = signature
    return s.deck


def card_data(
    key: str, view: str, token: str, person: str, built: Mapping[str, Any], answers: Mapping[str, Rating], rnd: Round,
    *, start: str | None = None,
) -> dict[str, Any]:
    """The ``data`` of a card or grid: the deck only when the browser does not hold this version."""
    held = outbox_state(key).get("deck")
    fresh = held != built["version"]
    return {
        "view": view,
        "slot": deck.slot(token),
        "person": person,
        "deck": {"version": built["version"], "items": built["items"]} if fresh else None,
        "labels": built["labels"] if fresh else None,
        "deck_version": built["version"],
        "answers": deck.compact(answers),
        "acks": rnd.acks,
        "refused": rnd.refused,
        "start": start,
    }


def show(
    db: Store, token: str, person: str, deck_of: Callable[[Catalog], list[Touchpoint]], *,
    view: str, lang: str, clang: str, start: str | None = None,
) -> Round:
    """Save the round's answers and draw the card (``view="card"``) or the grid (``"grid"``) of the deck
    ``deck_of`` picks from the audit's catalog (or say that the filter keeps nothing)."""
    key = f"tpa_{view}"
    rnd = card_round(db, token, person, key, lang)
    catalog = common.catalog_at(db.url, rnd.seat.access.audit_id, rnd.seat.catalog_version)
    touchpoints = deck_of(catalog)
    if not touchpoints:
        st.info(t("rate.nothing_matches", lang))
        return rnd
    s = session(key, person)
    signature = (rnd.seat.access.audit_id, rnd.seat.catalog_version, tuple(tp.id for tp in touchpoints), lang, clang)
    built = deck_payload(s, touchpoints, signature, lang, clang)
    mount(key, card_data(key, view, token, person, built, s.mine or {}, rnd, start=start))
    return rnd


# ------------------------------------------------------------------ the small helpers


def recall(token: str, *, forget: bool = False, key: str = "tpa_recall") -> str | None:
    """Ask the browser which person it was for this team link; ``None`` until it answers (or if none)."""
    mount(key, {"view": "recall", "slot": deck.slot(token), "forget": forget})
    state = st.session_state.get(key)
    answer = state.get("recall") if isinstance(state, Mapping) else None
    if isinstance(answer, Mapping) and isinstance(answer.get("person"), str) and answer["person"]:
        return str(answer["person"])[:60]
    return None


def millis(when: dt.datetime | None) -> int | None:
    return None if when is None else int(when.timestamp() * 1000)


def follow(payload: Mapping[str, Any] | None, key: str = "tpa_follow") -> None:
    """Tell the cards of this page where the facilitator is (an invisible element)."""
    mount(key, {"view": "follow", "follow": dict(payload) if payload else None})
