"""The facilitator's live board from lean rating rows (no Streamlit, no rating records, no wide tables).

The board refreshes itself every few seconds while the room is rating, so
its input is kept small: one query returns ``(participant, touchpoint,
importance, reaction, presence, not applicable)`` tuples of the current wave
(:meth:`audit.store.Store.board_inputs`), which become the numpy columns the
analysis reads (:class:`audit.scoring.RatingColumns`) without a record per
rating, and the team's numbers per touchpoint come from the analysis's own
arithmetic (:func:`audit.scoring.vote_stats`) without building its full
table. The app caches a :class:`Snapshot` by the store's cheap board
fingerprint, so a refresh with nothing new reads a few index entries and draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from audit.model import Catalog, Participant, Role
from audit.scoring import REACTIONS, RatingColumns, catalog_index, disagreement_order, vote_stats

PRESENCE_VALUES = ("have", "missing", "not-needed")
TABLE = ("raters", "importance_mean", "positive", "neutral", "negative", "disagreement")  # what the board shows per touchpoint


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
    """Everything the board draws, computed once per change of the audit (read-only once built)."""

    catalog: Catalog
    stats: dict[str, np.ndarray]  # per catalog position, see :func:`audit.scoring.vote_stats`
    people: tuple[PersonDone, ...]

    @property
    def total(self) -> int:
        return len(self.catalog.touchpoints)

    @property
    def joined(self) -> int:
        return sum(1 for p in self.people if p.joined)

    @property
    def answers(self) -> int:
        return sum(p.done for p in self.people)

    @property
    def rated(self) -> int:
        return int(self.stats["rated"].sum())

    def positions(self, *, only_rated: bool) -> np.ndarray:
        return np.flatnonzero(self.stats["rated"]) if only_rated else np.arange(self.total)

    def disputed(self, n: int) -> np.ndarray:
        """Positions of the ``n`` touchpoints the team disagrees on most (as the analysis's "discuss first")."""
        return disagreement_order(self.stats["raters"], self.stats["disagreement"], n)

    def numbers(self, positions: np.ndarray) -> pd.DataFrame:
        """The board's numbers of these touchpoints, indexed by touchpoint id."""
        ids = pd.Index([self.catalog.touchpoints[i].id for i in positions], dtype=object)
        return pd.DataFrame({name: self.stats[name][positions] for name in TABLE}, index=ids)

    def order(self, discussed: frozenset[str] = frozenset()) -> list[str]:
        """Discuss-first touchpoints, then the other rated ones, then the rest; discussed ones last (the presenter)."""
        ids = [tp.id for tp in self.catalog.touchpoints]
        first = [ids[i] for i in self.disputed(self.total)]
        seen = set(first)
        rated = [ids[i] for i in self.positions(only_rated=True) if ids[i] not in seen]
        seen.update(rated)
        every = first + rated + [i for i in ids if i not in seen]
        return [i for i in every if i not in discussed] + [i for i in every if i in discussed]


def _codes(values: Sequence[str | None], order: Sequence[str]) -> np.ndarray:
    lookup = {value: code for code, value in enumerate(order)}
    return np.fromiter((lookup.get(v, -1) if v is not None else -1 for v in values), dtype=np.int64, count=len(values))


def columns(rows: Sequence[tuple[Any, ...]], index: pd.Index) -> RatingColumns:
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


def snapshot(catalog: Catalog, participants: Sequence[Participant], rows: Sequence[tuple[Any, ...]]) -> Snapshot:
    """The board: per touchpoint votes and disagreement, per person how far they are."""
    cols = columns(rows, catalog_index(catalog))
    stats = vote_stats(cols, len(catalog.touchpoints))
    answered = (cols.touchpoint >= 0) & (cols.not_applicable | ((~np.isnan(cols.importance)) & (cols.reaction >= 0)))
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
    return Snapshot(catalog, stats, people)
