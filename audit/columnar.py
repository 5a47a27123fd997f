"""Ratings and shopper visits as columns: what the analysis and the workbook read, without a record per row.

An audit of 1,000 touchpoints rated by 100 people has 100,000 ratings.
Building and validating a frozen :class:`~audit.model.Rating` for each one
costs several times more than reading the rows from the database, and the
analysis only wants arrays in the end. So the store reads an analysis's
input straight into a :class:`RatingTable` and a :class:`VisitTable`: one
numpy array per field (the rows were validated on their way into the
database). Each table is also a read-only sequence of records (a record is
built, validated, only when one is asked for), so code that iterates
``data.ratings`` or ``data.visits`` keeps working; the pages that edit one
item read records from the store as before.

Codes: a reaction is 0 positive, 1 neutral, 2 negative; a presence 0 have,
1 missing, 2 not needed; -1 means not given. A missing importance or
measurement is NaN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter, itemgetter
from typing import Any, ClassVar, TypeVar, overload

import numpy as np
import pandas as pd

from audit.frames import looked_up
from audit.model import Observation, Presence, Rating, Reaction, ShopperVisit, VisitChannel, VisitStatus

REACTIONS: tuple[Reaction, ...] = (Reaction.POSITIVE, Reaction.NEUTRAL, Reaction.NEGATIVE)
REACTION_VALUES: tuple[str, ...] = tuple(m.value for m in REACTIONS)  # "positive", "neutral", "negative": codes 0, 1, 2
PRESENCES: tuple[Presence, ...] = (Presence.HAVE, Presence.MISSING, Presence.NOT_NEEDED)
_REACTION_CODE = {m.value: i for i, m in enumerate(REACTIONS)}

# The stored columns of a rating, in the order :meth:`RatingTable.from_rows` takes them (reaction and presence as codes).
RATING_ROW = ("participant_id", "touchpoint_id", "importance", "reaction", "presence", "not_applicable", "comment", "idea",
              "wave", "updated_at")
# The stored columns of a visit and of an observation, in the order :meth:`VisitTable.from_rows` takes them.
VISIT_ROW = ("id", "shopper_id", "visited_at", "channel", "target", "location", "scenario", "recommend", "status",
             "review_note", "wave")
OBSERVATION_ROW = ("visit_id", "touchpoint_id", "reaction", "text", "measurement")


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """The rows' fields column by column (one C-level ``map`` per column: about half the time of ``zip(*rows)``)."""
    return [list(map(itemgetter(k), rows)) for k in range(width)]


def object_array(values: Sequence[Any]) -> np.ndarray:
    """The values as a numpy object array (no string inference, one entry per value even for tuples)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _member_codes(values: Sequence[Any], members: tuple[Any, ...]) -> np.ndarray:
    """Codes of enum members by identity (hashing an enum runs Python code); anything else -1."""
    ids = np.fromiter(map(id, values), dtype=np.int64, count=len(values))
    out = np.full(len(values), -1, dtype=np.int64)
    for code, member in enumerate(members):
        out[ids == id(member)] = code
    return out


def _numbers(values: Sequence[Any]) -> np.ndarray:
    """Floats, NaN for ``None``."""
    return np.array(values, dtype=float) if len(values) else np.zeros(0)


def _utc(value: dt.datetime | str) -> dt.datetime:
    """An aware UTC time from what a database gives (SQLite: naive, or ISO text when read without SQLAlchemy)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _member(members: tuple[Any, ...], code: Any) -> Any:
    return members[int(code)] if code >= 0 else None


R = TypeVar("R")


class _Records(Sequence[R]):
    """Columns that read as a sequence of records: each record is built (and validated) only when asked for."""

    _name: ClassVar[str] = "record"

    def record(self, i: int) -> R:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> R: ...
    @overload
    def __getitem__(self, i: slice) -> list[R]: ...
    def __getitem__(self, i: int | slice) -> R | list[R]:
        if isinstance(i, slice):
            return [self.record(k) for k in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(f"{self._name} index out of range")
        return self.record(i % len(self))

    def __iter__(self) -> Iterator[R]:
        return (self.record(k) for k in range(len(self)))

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same records in the same order (``== ()`` for none)."""
        if not isinstance(other, Sequence) or isinstance(other, str) or len(other) != len(self):
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


class _TouchpointCodes:
    """Rows that name a touchpoint (``touchpoint_id``), with the ids factorised once, when the table is built:
    loading pays it, once per load, and every analysis of the table finds each row's catalog position from the
    few distinct ids."""

    touchpoint_id: np.ndarray

    def __post_init__(self) -> None:
        self.touchpoint_factors  # noqa: B018 (computed now, while the table is built)

    @cached_property
    def touchpoint_factors(self) -> tuple[np.ndarray, np.ndarray]:
        """``pd.factorize(touchpoint_id)``: a code per row and the distinct touchpoint ids."""
        if not len(self.touchpoint_id):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=object)
        codes, uniques = pd.factorize(self.touchpoint_id)
        small = codes.astype(np.int32) if len(uniques) < 2**31 else codes  # half the memory of a million codes
        return small, np.asarray(uniques, dtype=object)

    def touchpoint_positions(self, index: pd.Index | Mapping[str, int]) -> np.ndarray:
        """Each row's position in ``index`` (or in its :func:`audit.frames.position_map`; -1: not there), from the
        factors (no id hashed again)."""
        codes, uniques = self.touchpoint_factors
        if not len(codes):
            return np.zeros(0, dtype=np.int64)
        return (looked_up(uniques, index) if isinstance(index, Mapping) else index.get_indexer(uniques))[codes]


@dataclass(frozen=True, eq=False)
class RatingTable(_TouchpointCodes, _Records[Rating]):
    """The ratings of one audit as aligned arrays (one entry per rating); also a sequence of :class:`Rating`."""

    _name: ClassVar[str] = "rating"

    audit_id: str
    participant_id: np.ndarray  # object (str)
    touchpoint_id: np.ndarray  # object (str)
    importance: np.ndarray  # float, NaN: not given
    reaction: np.ndarray  # int64 codes of REACTIONS, -1: not given
    presence: np.ndarray  # int64 codes of PRESENCES, -1: not given
    not_applicable: np.ndarray  # bool
    comment: np.ndarray  # object (str)
    idea: np.ndarray  # object (str)
    wave: np.ndarray  # int64
    updated_at: np.ndarray  # object: as the database gave it (datetime, or ISO text in UTC from SQLite); see times()

    def __post_init__(self) -> None:
        super().__post_init__()
        self.commented  # noqa: B018 (computed now, while the table is built)

    @cached_property
    def commented(self) -> np.ndarray:
        """Which ratings have a comment (``comment != ""``). Found once, when the table is built, like the touchpoint
        factors: the loaded table is kept per data version and every analysis of it (each crosshair and view)
        lists the comments without comparing 100,000 texts again."""
        return np.asarray(self.comment != "", dtype=bool)

    @classmethod
    def from_rows(cls, audit_id: str, rows: Sequence[Sequence[Any]]) -> RatingTable:
        """From stored rows whose fields are :data:`RATING_ROW`, as the driver gives them, with the reaction and
        the presence as codes (the store computes them in SQL)."""
        cols = _columns(rows, len(RATING_ROW))
        participant, touchpoint, importance, reaction, presence, not_applicable, comment, idea, wave, updated = cols
        return cls(
            audit_id, object_array(participant), object_array(touchpoint), _numbers(importance), np.array(reaction, dtype=np.int64),
            np.array(presence, dtype=np.int64), np.array(not_applicable, dtype=bool), object_array(comment), object_array(idea),
            np.array(wave, dtype=np.int64), object_array(updated),
        )

    @classmethod
    def from_records(cls, ratings: Sequence[Rating]) -> RatingTable:
        """From rating records (one C-level ``map`` per field; no tuple per rating)."""

        def column(name: str) -> list[Any]:
            return list(map(attrgetter(name), ratings))

        return cls(
            ratings[0].audit_id if ratings else "", object_array(column("participant_id")), object_array(column("touchpoint_id")),
            _numbers(column("importance")), _member_codes(column("reaction"), REACTIONS), _member_codes(column("presence"), PRESENCES),
            np.array(column("not_applicable"), dtype=bool), object_array(column("comment")), object_array(column("idea")),
            np.array(column("wave"), dtype=np.int64), object_array(column("updated_at")),
        )

    @classmethod
    def of(cls, ratings: Sequence[Rating]) -> RatingTable:
        """``ratings`` as a table (itself when it already is one)."""
        return ratings if isinstance(ratings, RatingTable) else cls.from_records(ratings)

    def __len__(self) -> int:
        return len(self.touchpoint_id)

    def record(self, i: int) -> Rating:
        """The ``i``-th rating as a (validated) record."""
        imp = self.importance[i]
        return Rating(
            self.audit_id, self.participant_id[i], self.touchpoint_id[i], importance=None if np.isnan(imp) else int(imp),
            reaction=_member(REACTIONS, self.reaction[i]), presence=_member(PRESENCES, self.presence[i]), comment=self.comment[i],
            idea=self.idea[i], not_applicable=bool(self.not_applicable[i]), wave=int(self.wave[i]), updated_at=_utc(self.updated_at[i]),
        )

    def times(self, rows: slice = slice(None)) -> list[dt.datetime]:
        """When each rating (of ``rows``) was last changed (UTC)."""
        return [_utc(value) for value in self.updated_at[rows]]


@dataclass(frozen=True, eq=False)
class VisitTable(_TouchpointCodes, _Records[ShopperVisit]):
    """Shopper visits as aligned arrays, and their observations as arrays with the position of their visit.

    Also a sequence of :class:`ShopperVisit` (with their observations), in the stored order.
    """

    _name: ClassVar[str] = "visit"

    audit_id: str
    id: np.ndarray  # object (int)
    shopper_id: np.ndarray  # object (str)
    visited_at: np.ndarray  # object (datetime, UTC)
    channel: np.ndarray  # object (str, a VisitChannel value)
    target: np.ndarray  # object (str, "" is our business)
    location: np.ndarray  # object (str)
    scenario: np.ndarray  # object (str)
    recommend: np.ndarray  # object (int or None)
    status: np.ndarray  # object (str, a VisitStatus value)
    review_note: np.ndarray  # object (str)
    wave: np.ndarray  # int64
    # observations, in visit order then their own order
    visit: np.ndarray  # int64: the position of the observation's visit in this table
    touchpoint_id: np.ndarray  # object (str)
    reaction: np.ndarray  # int64 codes of REACTIONS
    text: np.ndarray  # object (str)
    measurement: np.ndarray  # float, NaN: not measured

    @classmethod
    def from_rows(cls, audit_id: str, visits: Sequence[Sequence[Any]], observations: Sequence[Sequence[Any]]) -> VisitTable:
        """From stored rows: visits with the fields of :data:`VISIT_ROW`, observations with :data:`OBSERVATION_ROW`
        (in visit order). Enums are their text values."""
        v: list[Sequence[Any]] = list(zip(*visits, strict=True)) if visits else [()] * len(VISIT_ROW)
        o: list[Sequence[Any]] = list(zip(*observations, strict=True)) if observations else [()] * len(OBSERVATION_ROW)
        position = {visit_id: i for i, visit_id in enumerate(v[0])}
        where = np.array([position[k] for k in o[0]], dtype=np.int64)
        order = np.argsort(where, kind="stable")  # visits are in the order of their time, observations of their id

        def observed(column: np.ndarray) -> np.ndarray:
            return column[order]

        ids, shopper, visited, channel, target, location, scenario, recommend, status, note, wave = v
        return cls(
            audit_id, object_array(ids), object_array(shopper), object_array([_utc(d) for d in visited]), object_array(channel), object_array(target), object_array(location),
            object_array(scenario), object_array(recommend), object_array(status), object_array(note), np.array(wave, dtype=np.int64), observed(where),
            observed(object_array(o[1])), observed(looked_up(o[2], _REACTION_CODE)), observed(object_array(o[3])), observed(_numbers(o[4])),
        )

    @classmethod
    def from_records(cls, visits: Sequence[ShopperVisit]) -> VisitTable:
        observations = [ob for v in visits for ob in v.observations]
        counts = [len(v.observations) for v in visits]

        def column(name: str) -> np.ndarray:
            return object_array(list(map(attrgetter(name), visits)))

        def observed(name: str) -> list[Any]:
            return list(map(attrgetter(name), observations))

        return cls(
            visits[0].audit_id if visits else "", column("id"), column("shopper_id"), column("visited_at"),
            object_array([v.channel.value for v in visits]), column("target"), column("location"), column("scenario"),
            column("recommend"), object_array([v.status.value for v in visits]), column("review_note"),
            np.array([v.wave for v in visits], dtype=np.int64), np.repeat(np.arange(len(visits), dtype=np.int64), counts),
            object_array(observed("touchpoint_id")), _member_codes(observed("reaction"), REACTIONS), object_array(observed("text")),
            _numbers(observed("measurement")),
        )

    @classmethod
    def of(cls, visits: Sequence[ShopperVisit]) -> VisitTable:
        """``visits`` as a table (itself when it already is one)."""
        return visits if isinstance(visits, VisitTable) else cls.from_records(visits)

    def __len__(self) -> int:
        return len(self.id)

    def record(self, i: int) -> ShopperVisit:
        """The ``i``-th visit with its observations, as a (validated) record."""
        rows = range(*np.searchsorted(self.visit, [i, i + 1]))  # observations are in visit order
        observations = tuple(
            Observation(self.touchpoint_id[k], REACTIONS[int(self.reaction[k])], self.text[k],
                        None if np.isnan(self.measurement[k]) else float(self.measurement[k]))
            for k in rows
        )
        visited: dt.datetime = self.visited_at[i]
        return ShopperVisit(
            self.id[i], self.audit_id, self.shopper_id[i], visited, VisitChannel(self.channel[i]), target=self.target[i],
            location=self.location[i], scenario=self.scenario[i], recommend=self.recommend[i], observations=observations,
            status=VisitStatus(self.status[i]), review_note=self.review_note[i], wave=int(self.wave[i]),
        )
