"""A mystery shopper's report as plain functions (no Streamlit, no storage).

- which touchpoints a visit offers first: the catalog ordered by how well a
  touchpoint fits the visit's channel (a phone call shows the phone
  touchpoints first, then the other touchpoints a caller can meet, then the
  rest), or a chain of the catalog followed as a scripted route;
- the shopper's local date and time to UTC and back;
- one observation from what the shopper typed (nothing to save without a
  reaction; a measurement must be a number, not negative);
- adding, replacing and removing an observation of a visit;
- which problem a refused photo had, so the page can say it in the
  shopper's language.

Channel fit, per touchpoint and visit channel:
``2`` the touchpoint belongs to the channel: words of its id or its group
(e.g. ``phone``, ``ivr`` for a call; ``website``, ``checkout`` for the
site; website, chat, email and social only for technology and staff
touchpoints); for an in-person visit, an offline office, staff or product
touchpoint that belongs to no remote channel. ``1`` the catalog's own
channel fits (online for website, chat, email and social; offline for an
in-person visit and a delivery; both for a phone call). ``0`` the rest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from audit.model import (
    Catalog,
    Category,
    Channel,
    Observation,
    Reaction,
    ShopperVisit,
    Standard,
    StandardKind,
    Touchpoint,
    ValidationError,
    VisitChannel,
)

# Words of a touchpoint id (between dashes) and of its English group name, per remote channel.
ID_WORDS: Mapping[VisitChannel, tuple[str, ...]] = {
    VisitChannel.PHONE: ("phone", "call", "calls", "callback", "ivr", "hold", "after-hours", "missed", "sms"),
    VisitChannel.WEBSITE: ("website", "web", "landing", "search", "checkout", "booking", "payment", "tracking", "account"),
    VisitChannel.CHAT: ("chat", "chatbot", "messenger", "messengers"),
    VisitChannel.EMAIL: ("email", "emails", "newsletter", "written", "e-documents", "confirmation"),
    VisitChannel.SOCIAL: ("social", "reviews", "review", "mentions", "video"),
    VisitChannel.DELIVERY: ("delivery", "courier", "unboxing", "packaging", "pickup", "installer", "installation", "loaders", "tracking"),
}
GROUP_WORDS: Mapping[VisitChannel, tuple[str, ...]] = {
    VisitChannel.PHONE: ("phone",),
    VisitChannel.WEBSITE: ("website", "orders, booking and payment", "search, maps"),
    VisitChannel.CHAT: ("chat", "messenger"),
    VisitChannel.EMAIL: ("email", "in writing"),
    VisitChannel.SOCIAL: ("social",),
    VisitChannel.DELIVERY: ("delivery", "pick-up", "packaging"),
}
ONLINE_CHANNELS = (VisitChannel.WEBSITE, VisitChannel.CHAT, VisitChannel.EMAIL, VisitChannel.SOCIAL)


def _belongs(tp: Touchpoint, channel: VisitChannel) -> bool:
    if channel in ONLINE_CHANNELS and tp.category not in (Category.TECHNOLOGY, Category.STAFF):
        return False  # a payment terminal or a checkout zone in the shop is not the website
    words = f"-{tp.id.lower()}-"
    group = tp.group.exact("en").lower()
    return any(f"-{w}-" in words for w in ID_WORDS[channel]) or any(g in group for g in GROUP_WORDS[channel])


def channel_fit(tp: Touchpoint, channel: VisitChannel | str) -> int:
    """2: the touchpoint belongs to the channel; 1: its catalog channel fits; 0: neither (see the module doc)."""
    channel = VisitChannel(channel)
    if channel is VisitChannel.IN_PERSON:
        remote = any(_belongs(tp, c) for c in ID_WORDS)
        offline = Channel.OFFLINE in tp.channels or not tp.channels
        if offline and not remote and tp.category in (Category.OFFICE, Category.STAFF, Category.PRODUCT):
            return 2
        return 1 if Channel.OFFLINE in tp.channels else 0
    if _belongs(tp, channel):
        return 2
    if channel is VisitChannel.PHONE:
        return 1 if tp.category is Category.STAFF else 0
    wanted = Channel.ONLINE if channel in ONLINE_CHANNELS else Channel.OFFLINE
    return 1 if wanted in tp.channels else 0


def touchpoints_for_channel(catalog: Catalog, channel: VisitChannel | str) -> list[tuple[Touchpoint, int]]:
    """Every touchpoint with its fit, best fit first, catalog order within a fit."""
    fits = [(tp, channel_fit(tp, channel)) for tp in catalog.touchpoints]
    return sorted(fits, key=lambda pair: -pair[1])  # sorted() is stable: catalog order is kept


def route(catalog: Catalog, chain_id: str) -> list[Touchpoint]:
    """The touchpoints of a chain in the order the customer meets them (a scripted visit)."""
    by_id = catalog.by_id()
    for chain in catalog.chains:
        if chain.id == chain_id:
            return [by_id[link] for link in chain.links if link in by_id]
    raise ValidationError("route", chain_id, "not_chain")


# ------------------------------------------------------------------ time


def zone(name: str | None) -> dt.tzinfo:
    """The browser's time zone, or UTC when it is unknown or not a zone name."""
    if not name:
        return dt.UTC
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def to_utc(day: Any, time: Any, zone_name: str | None = None) -> dt.datetime:
    """A local date and time (as the shopper entered them) in UTC."""
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise ValidationError("visited_at", day, "date")
    if not isinstance(time, dt.time):
        raise ValidationError("visited_at", time, "time_of_day")
    local = dt.datetime.combine(day, time.replace(tzinfo=None), tzinfo=zone(zone_name))
    return local.astimezone(dt.UTC)


def to_local(moment: dt.datetime, zone_name: str | None = None) -> dt.datetime:
    return moment.astimezone(zone(zone_name))


# ------------------------------------------------------------------ observations


def answered(observation: Observation, standard: Standard | None) -> Observation:
    """The observation checked against the kind of its touchpoint's standard; a checklist's share computed from its items.

    A yes/no answer is 1 or 0; a checklist answer names the items met (their
    share becomes the measurement); a number needs no standard. Raises
    :class:`ValidationError` naming the field.
    """
    kind = standard.kind if standard is not None else None
    if observation.checked is not None:
        if kind is not StandardKind.CHECKLIST or standard is None:
            raise ValidationError("checked", list(observation.checked), "no_checklist")
        count = len(standard.items)
        if any(i >= count for i in observation.checked):
            raise ValidationError("checked", list(observation.checked), "checklist_count", count=count)
        return dataclasses.replace(observation, measurement=len(observation.checked) / count)
    value = observation.measurement
    if kind is StandardKind.YES_NO and value is not None and value not in (0.0, 1.0):
        raise ValidationError("measurement", value, "yes_no_answer")
    if kind is StandardKind.CHECKLIST and value is not None and not 0 <= value <= 1:
        raise ValidationError("measurement", value, "checklist_answer")
    return observation


def observation_from_input(touchpoint_id: str, reaction: Any, text: Any = "", measurement: Any = None) -> Observation | None:
    """The observation the shopper entered, or ``None`` while the reaction is not chosen yet.

    A measurement is optional; when given it must be a number that is not
    negative (``"2,5"`` is read as 2.5). Raises :class:`ValidationError`.
    """
    if isinstance(measurement, str):
        measurement = measurement.strip() or None
    if reaction in (None, ""):
        # Nothing is stored without a reaction, but a bad measurement is still named at once.
        if measurement is not None:
            Observation(touchpoint_id, Reaction.NEUTRAL, "", measurement)
        return None
    return Observation(touchpoint_id, reaction, text or "", measurement)


def with_observation(visit: ShopperVisit, observation: Observation) -> ShopperVisit:
    """The visit with this touchpoint's observation added or replaced (its place is kept)."""
    items = list(visit.observations)
    for i, old in enumerate(items):
        if old.touchpoint_id == observation.touchpoint_id:
            items[i] = observation
            break
    else:
        items.append(observation)
    return dataclasses.replace(visit, observations=tuple(items))


def without_observation(visit: ShopperVisit, touchpoint_id: str) -> ShopperVisit:
    return dataclasses.replace(visit, observations=tuple(o for o in visit.observations if o.touchpoint_id != touchpoint_id))


def planned(visit: ShopperVisit, picked: Sequence[str], catalog: Catalog) -> list[str]:
    """The touchpoints shown in a visit: those observed, then those picked (known ids, once each)."""
    known = {tp.id for tp in catalog.touchpoints}
    out: list[str] = []
    for tp_id in [o.touchpoint_id for o in visit.observations] + list(picked):
        if tp_id in known and tp_id not in out:
            out.append(tp_id)
    return out


# ------------------------------------------------------------------ photos
