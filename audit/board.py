"""The facilitator's live board from lean rating rows (no Streamlit, no rating records).

The board refreshes itself every few seconds while the room is rating, so
its input is kept small: one query returns ``(participant, touchpoint,
importance, reaction, presence, not applicable)`` tuples of the current wave
(:meth:`audit.store.Store.rating_rows`), which become the same numpy columns
the analysis reads (:class:`audit.scoring.RatingColumns`) without building a
record per rating. The app caches a :class:`Snapshot` by the store's cheap
board fingerprint, so a refresh with nothing new reads one index and draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from audit.model import Audit, AuditData, Catalog, Participant, Role
from audit.scoring import REACTIONS, RatingColumns, aggregate, catalog_index

RatingRow = tuple[str, str, "int | None", "str | None", "str | None", bool]
PRESENCE_VALUES = ("have", "missing", "not-needed")


@dataclass(frozen=True, slots=True)
class PersonDone:
    participant_id: str
    name: str
    joined: bool  # opened the audit at least once (or has answers)
    done: int
    total: int

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class Snapshot:
    """Everything the board draws, computed once per change of the audit."""

    agg: pd.DataFrame
    people: tuple[PersonDone, ...]
    total: int

    @property
    def joined(self) -> int:
        return sum(1 for p in self.people if p.joined)

    @property
    def answers(self) -> int:
        return sum(p.done for p in self.people)


def _codes(values: Sequence[str | None], order: Sequence[str]) -> np.ndarray:
    lookup = {value: code for code, value in enumerate(order)}
    return np.fromiter((lookup.get(v, -1) if v is not None else -1 for v in values), dtype=np.int64, count=len(values))


def columns(rows: Sequence[RatingRow], index: pd.Index) -> RatingColumns:
    """Lean rows -> the analysis's columns (touchpoints not in ``index`` get position -1)."""
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return RatingColumns(empty, np.zeros(0), empty, empty, np.zeros(0, dtype=bool), np.zeros(0, dtype=object))
    _, touchpoints, importance, reaction, presence, not_applicable = zip(*rows, strict=True)
    return RatingColumns(
        touchpoint=index.get_indexer(pd.Index(touchpoints, dtype=object)),
        importance=np.array([np.nan if v is None else v for v in importance], dtype=float),
        reaction=_codes(reaction, REACTIONS),
        presence=_codes(presence, PRESENCE_VALUES),
        not_applicable=np.array(not_applicable, dtype=bool),
        comment=np.full(len(rows), "", dtype=object),
    )


def snapshot(audit: Audit, catalog: Catalog, participants: Sequence[Participant], rows: Sequence[RatingRow]) -> Snapshot:
    """The board: per touchpoint votes and disagreement, per person how far they are."""
    index = catalog_index(catalog)
    cols = columns(rows, index)
    agg = aggregate(AuditData(audit, catalog), cols)
    known = cols.touchpoint >= 0
    answered = known & (cols.not_applicable | ((~np.isnan(cols.importance)) & (cols.reaction >= 0)))
    done: dict[str, int] = {}
    rated: set[str] = set()
    for (person, *_), ok in zip(rows, answered, strict=True):
        rated.add(person)
        if ok:
            done[person] = done.get(person, 0) + 1
    total = len(catalog.touchpoints)
    people = tuple(
        PersonDone(p.id, p.name, p.first_seen is not None or p.id in rated, done.get(p.id, 0), total)
        for p in participants
        if p.role is not Role.SHOPPER
    )
    return Snapshot(agg, people, total)
