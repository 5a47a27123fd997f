"""Ratings: one answer per (audit, wave, person, touchpoint), upserted part by part, every change kept in the history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.model import Rating, ValidationError, utcnow
from audit.store.base import Records
from audit.store.codecs import RATING_PARTS, rating_from_row, rating_values
from audit.store.schema import rating_history, ratings

RATING_KEY = ("audit_id", "wave", "participant_id", "touchpoint_id")


def read_ratings(conn: Connection, audit_id: str, wave: int | None = None, participant_id: str | None = None) -> list[Rating]:
    query = sa.select(ratings).where(ratings.c.audit_id == audit_id)
    if wave is not None:
        query = query.where(ratings.c.wave == wave)
    if participant_id is not None:
        query = query.where(ratings.c.participant_id == participant_id)
    rows = conn.execute(query.order_by(ratings.c.participant_id, ratings.c.touchpoint_id)).mappings().all()
    return [rating_from_row(r) for r in rows]


class RatingRecords(Records):
    """Answers and their history."""

    def _rating_upsert(self, chosen: tuple[str, ...]) -> Any:
        """The upsert statement for one set of changed parts, built once (it is the hot path)."""

        def build() -> Any:
            stmt = self._insert(ratings)
            update = {name: stmt.excluded[name] for name in chosen}
            update["revision"] = ratings.c.revision + 1
            update["updated_at"] = stmt.excluded.updated_at
            return stmt.on_conflict_do_update(index_elements=list(RATING_KEY), set_=update).returning(*ratings.c)

        return self._statement(chosen, build)

    def save_rating(self, rating: Rating, *, fields: Sequence[str] | None = None) -> Rating:
        """Upsert one rating and append the change to the history.

        ``fields`` names the parts this save changes (e.g. ``["importance"]``);
        the other parts keep what is stored, so two devices of one person that
        change different parts at once do not overwrite each other. ``None``
        writes every part.
        """
        chosen = tuple(RATING_PARTS if fields is None else dict.fromkeys(fields))
        for name in chosen:
            if name not in RATING_PARTS:
                raise ValidationError("fields", name, f"must be some of: {', '.join(RATING_PARTS)}")
        now = utcnow()
        key = {"audit_id": rating.audit_id, "wave": rating.wave, "participant_id": rating.participant_id, "touchpoint_id": rating.touchpoint_id}
        params = {**key, **rating_values(rating), "revision": 1, "updated_at": now}
        upsert = self._rating_upsert(chosen)
        history = rating_history.insert()

        def work(conn: Connection) -> Rating:
            row = conn.execute(upsert, params).mappings().one()
            conn.execute(history, {**key, **{p: row[p] for p in RATING_PARTS}, "revision": row["revision"], "changed_at": now})
            return rating_from_row(row)

        return self._write(work)

    def ratings(self, audit_id: str, wave: int | None = None, participant_id: str | None = None) -> list[Rating]:
        with self._read() as conn:
            return read_ratings(conn, audit_id, wave, participant_id)

    def rating_history(self, audit_id: str, participant_id: str | None = None, touchpoint_id: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(rating_history).where(rating_history.c.audit_id == audit_id)
        if participant_id is not None:
            query = query.where(rating_history.c.participant_id == participant_id)
        if touchpoint_id is not None:
            query = query.where(rating_history.c.touchpoint_id == touchpoint_id)
        with self._read() as conn:
            return [dict(r) for r in conn.execute(query.order_by(rating_history.c.id)).mappings()]
