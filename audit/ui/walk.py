"""The rating walk-through and the live board as plain functions (no Streamlit here).

Which touchpoints a filter keeps, how far a person is (overall and per
category), which touchpoint comes next, how far each person of the team is,
and the live detail of one touchpoint for the projector.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from audit.model import AuditData, Catalog, Category, Channel, Presence, Rating, Reaction, Stage, Touchpoint


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def status(rating: Rating | None) -> str:
    """``new`` (nothing yet), ``partial`` (some answers), ``done`` or ``skipped`` (not applicable)."""
    if rating is None:
        return "new"
    if rating.not_applicable:
        return "skipped"
    if rating.is_answered:
        return "done"
    if rating.importance is not None or rating.reaction is not None or rating.presence is not None or rating.comment or rating.idea:
        return "partial"
    return "new"


def is_done(rating: Rating | None) -> bool:
    return rating is not None and rating.is_answered


def select(
    catalog: Catalog,
    categories: Iterable[Category | str] = (),
    stages: Iterable[Stage | str] = (),
    channels: Iterable[Channel | str] = (),
) -> list[Touchpoint]:
    """Touchpoints that match every non-empty filter, in catalog order, grouped by category."""
    cats = {Category(c) for c in categories}
    stg = {Stage(s) for s in stages}
    chn = {Channel(c) for c in channels}
    keep = [
        tp
        for tp in catalog.touchpoints
        if (not cats or tp.category in cats)
        and (not stg or stg.intersection(tp.stages))
        and (not chn or chn.intersection(tp.channels))
    ]
    order = {c: i for i, c in enumerate(Category)}
    return sorted(keep, key=lambda tp: order[tp.category])  # stable: catalog order within a category


def progress(touchpoints: Sequence[Touchpoint], mine: Mapping[str, Rating]) -> Progress:
    return Progress(sum(1 for tp in touchpoints if is_done(mine.get(tp.id))), len(touchpoints))


def progress_by_category(touchpoints: Sequence[Touchpoint], mine: Mapping[str, Rating]) -> dict[Category, Progress]:
    out: dict[Category, Progress] = {}
    for category in Category:
        these = [tp for tp in touchpoints if tp.category is category]
        if these:
            out[category] = progress(these, mine)
    return out


def position(touchpoints: Sequence[Touchpoint], touchpoint_id: str | None) -> int | None:
    for i, tp in enumerate(touchpoints):
        if tp.id == touchpoint_id:
            return i
    return None


def next_unrated(touchpoints: Sequence[Touchpoint], mine: Mapping[str, Rating], after: str | None = None) -> str | None:
    """The first unanswered touchpoint after ``after`` (wrapping round), or ``None`` when all are done."""
    if not touchpoints:
        return None
    start = position(touchpoints, after)
    start = -1 if start is None else start
    n = len(touchpoints)
    for step in range(1, n + 1):
        tp = touchpoints[(start + step) % n]
        if not is_done(mine.get(tp.id)):
            return tp.id
    return None


def step(touchpoints: Sequence[Touchpoint], current: str | None, delta: int) -> str | None:
    """The touchpoint ``delta`` places from ``current`` (clamped to the list)."""
    if not touchpoints:
        return None
    at = position(touchpoints, current)
    at = 0 if at is None else max(0, min(len(touchpoints) - 1, at + delta))
    return touchpoints[at].id


def current(touchpoints: Sequence[Touchpoint], mine: Mapping[str, Rating], wanted: str | None) -> str | None:
    """Where a person is: ``wanted`` if the filter keeps it, else the first unanswered, else the first."""
    if not touchpoints:
        return None
    if wanted is not None and position(touchpoints, wanted) is not None:
        return wanted
    return next_unrated(touchpoints, mine) or touchpoints[0].id


# ------------------------------------------------------------------ the board


@dataclass(frozen=True, slots=True)
class PersonProgress:
    participant_id: str
    name: str
    role: str
    done: int
    total: int

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


def team_progress(data: AuditData) -> list[PersonProgress]:
    """Who has joined and how many touchpoints each person has answered."""
    ids = {tp.id for tp in data.catalog.touchpoints}
    done = Counter(r.participant_id for r in data.ratings if r.is_answered and r.touchpoint_id in ids)
    return [
        PersonProgress(p.id, p.name, p.role.value, done.get(p.id, 0), len(ids))
        for p in data.participants
        if p.role.value != "shopper"
    ]


@dataclass(frozen=True, slots=True)
class TouchpointLive:
    """What the team said about one touchpoint so far (for the presenter view)."""

    touchpoint_id: str
    votes: int
    importance_mean: float | None
    reactions: dict[Reaction, int]
    presence: dict[Presence, int]
    not_applicable: int
    comments: list[tuple[str, str]]  # (person, text)
    ideas: list[tuple[str, str]]


def touchpoint_live(data: AuditData, touchpoint_id: str) -> TouchpointLive:
    names = {p.id: p.name for p in data.participants}
    return live_from([r for r in data.ratings if r.touchpoint_id == touchpoint_id], names, touchpoint_id)


def live_from(ratings: Sequence[Rating], names: Mapping[str, str], touchpoint_id: str) -> TouchpointLive:
    """The live detail of one touchpoint from its ratings and people's names."""
    these = [r for r in ratings if r.touchpoint_id == touchpoint_id]
    rated = [r for r in these if not r.not_applicable]
    importances = [r.importance for r in rated if r.importance is not None]
    return TouchpointLive(
        touchpoint_id=touchpoint_id,
        votes=sum(1 for r in rated if r.importance is not None or r.reaction is not None),
        importance_mean=sum(importances) / len(importances) if importances else None,
        reactions={x: sum(1 for r in rated if r.reaction is x) for x in Reaction},
        presence={x: sum(1 for r in these if r.presence is x) for x in Presence},
        not_applicable=sum(1 for r in these if r.not_applicable),
        comments=[(names.get(r.participant_id, "?"), r.comment) for r in these if r.comment],
        ideas=[(names.get(r.participant_id, "?"), r.idea) for r in these if r.idea],
    )
