"""Records of the outside evidence: shopper visits and their observations, competitor notes,
channel economics and funnel steps.

Frozen dataclasses validated on construction, like every record; re-exported by
:mod:`audit.model`, so ``from audit.model import ShopperVisit`` keeps working.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from audit.validation import MAX_NAME, ValidationError, as_utc, check_id, clean_text, parse_enum, parse_int, parse_number
from audit.vocabulary import MAX_CHECKLIST, Reaction, Versus, VisitChannel, VisitStatus


@dataclass(frozen=True, slots=True)
class Observation:
    """What a mystery shopper met at one touchpoint during one visit."""

    touchpoint_id: str
    reaction: Reaction
    text: str = ""
    measurement: float | None = None  # a number; a yes/no standard's 1 or 0; a checklist's share of items met
    checked: tuple[int, ...] | None = None  # a checklist standard: the items met (0-based), whose share is the measurement

    def __post_init__(self) -> None:
        object.__setattr__(self, "reaction", parse_enum(Reaction, self.reaction, "reaction"))
        object.__setattr__(self, "text", clean_text(self.text, "text"))
        if self.checked is not None:
            if not isinstance(self.checked, (list, tuple)):
                raise ValidationError("checked", self.checked, "checklist_list")
            items = sorted({parse_int(i, "checked", 0, MAX_CHECKLIST - 1) for i in self.checked})
            object.__setattr__(self, "checked", tuple(items))
        if self.measurement is not None and self.measurement != "":
            value = parse_number(self.measurement, "measurement")
            if value < 0:
                raise ValidationError("measurement", self.measurement, "negative")
            object.__setattr__(self, "measurement", value)
        else:
            object.__setattr__(self, "measurement", None)


@dataclass(frozen=True, slots=True)
class ShopperVisit:
    id: int | None
    audit_id: str
    shopper_id: str
    visited_at: dt.datetime
    channel: VisitChannel
    target: str = ""  # "" is our own business, otherwise a competitor's name
    location: str = ""
    scenario: str = ""
    recommend: int | None = None
    observations: tuple[Observation, ...] = ()
    status: VisitStatus = VisitStatus.DRAFT
    review_note: str = ""
    wave: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "visited_at", as_utc(self.visited_at, "visited_at"))
        object.__setattr__(self, "channel", parse_enum(VisitChannel, self.channel, "channel"))
        object.__setattr__(self, "target", clean_text(self.target, "target", limit=MAX_NAME))
        object.__setattr__(self, "location", clean_text(self.location, "location", limit=MAX_NAME))
        object.__setattr__(self, "scenario", clean_text(self.scenario, "scenario"))
        if self.recommend is not None:
            object.__setattr__(self, "recommend", parse_int(self.recommend, "recommend", 0, 10))
        object.__setattr__(self, "status", parse_enum(VisitStatus, self.status, "status"))
        object.__setattr__(self, "review_note", clean_text(self.review_note, "review_note"))
        object.__setattr__(self, "observations", tuple(self.observations))
        ids = [o.touchpoint_id for o in self.observations]
        if len(set(ids)) != len(ids):
            raise ValidationError("observations", ids, "observed_once")

    @property
    def is_ours(self) -> bool:
        return not self.target


@dataclass(frozen=True, slots=True)
class CompetitorNote:
    audit_id: str
    competitor: str
    touchpoint_id: str
    versus: Versus
    reaction: Reaction | None = None
    borrow: str = ""
    author: str = ""
    wave: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "competitor", clean_text(self.competitor, "competitor", required=True, limit=MAX_NAME))
        object.__setattr__(self, "versus", parse_enum(Versus, self.versus, "versus"))
        if self.reaction is not None:
            object.__setattr__(self, "reaction", parse_enum(Reaction, self.reaction, "reaction"))
        object.__setattr__(self, "borrow", clean_text(self.borrow, "borrow"))
        object.__setattr__(self, "author", clean_text(self.author, "author", limit=120))


@dataclass(frozen=True, slots=True)
class ChannelEconomics:
    """Money in and out of one advertising touchpoint over one period."""

    touchpoint_id: str
    spend: float
    leads: int
    customers: int
    revenue: float
    wave: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "touchpoint_id", check_id(self.touchpoint_id, "touchpoint"))
        object.__setattr__(self, "wave", parse_int(self.wave, "wave", 1, 1_000))
        for name in ("spend", "revenue"):
            value = parse_number(getattr(self, name), name)
            if value < 0:
                raise ValidationError(name, value, "negative")
            object.__setattr__(self, name, value)
        object.__setattr__(self, "leads", parse_int(self.leads, "leads", 0, 10**9))
        object.__setattr__(self, "customers", parse_int(self.customers, "customers", 0, 10**9))


@dataclass(frozen=True, slots=True)
class FunnelStep:
    """How many customers reached one link (``position``, from 0) of a journey in one wave: one stage of the funnel."""

    chain_id: str
    position: int
    touchpoint_id: str
    reached: int
    wave: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "chain_id", check_id(self.chain_id, "chain"))
        object.__setattr__(self, "position", parse_int(self.position, "position", 0, 1_000))
        object.__setattr__(self, "touchpoint_id", check_id(self.touchpoint_id, "touchpoint"))
        object.__setattr__(self, "reached", parse_int(self.reached, "reached", 0, 10**9))
        object.__setattr__(self, "wave", parse_int(self.wave, "wave", 1, 1_000))
