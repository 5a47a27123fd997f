"""Ratings: one answer per (audit, wave, person, touchpoint), upserted part by part, every change kept in the history."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from audit.columnar import PRESENCES, RATING_ROW, REACTIONS, RatingTable
from audit.model import Answer, Rating, ValidationError, utcnow
from audit.store.base import Records
from audit.store.codecs import RATING_PARTS, rating_from_row, rating_values, saved_rating
from audit.store.prebuilt import SQLITE, Prebuilt
from audit.store.room import Seat, read_seat
from audit.store.rows import driver_rows
from audit.store.schema import answer_versions, audit_touchpoints, rating_history, ratings
from audit.store.versions import bump_statement, touch

_HISTORY = rating_history.insert()  # built once (the save path)
_HISTORY_COLUMNS = [c.name for c in rating_history.c if c.name != "id"]

RATING_KEY = ("audit_id", "wave", "participant_id", "touchpoint_id")


def _code(column: sa.Column[Any], members: Sequence[Any]) -> Any:
    """The enum's code (its position in ``members``) computed by the database; -1 for none."""
    return sa.case(*((column == m.value, i) for i, m in enumerate(members)), else_=-1)


# The columns of RATING_ROW, with the reaction and the presence as codes.
_TABLE = sa.select(*(
    _code(ratings.c[name], REACTIONS if name == "reaction" else PRESENCES) if name in ("reaction", "presence") else ratings.c[name]
    for name in RATING_ROW
)).where(ratings.c.audit_id == sa.bindparam("audit_id"), ratings.c.wave == sa.bindparam("wave")).order_by(
    ratings.c.participant_id, ratings.c.touchpoint_id)


def read_rating_table(conn: Connection, audit_id: str, wave: int) -> RatingTable:
    """One wave's ratings straight into columns at the driver's pace (no record per rating; they were
    validated when saved)."""
    return RatingTable.from_rows(audit_id, driver_rows(conn, _TABLE, {"audit_id": audit_id, "wave": wave}))


def read_ratings(conn: Connection, audit_id: str, wave: int | None = None, participant_id: str | None = None) -> list[Rating]:
    query = sa.select(ratings).where(ratings.c.audit_id == audit_id)
    if wave is not None:
        query = query.where(ratings.c.wave == wave)
    if participant_id is not None:
        query = query.where(ratings.c.participant_id == participant_id)
    rows = conn.execute(query.order_by(ratings.c.participant_id, ratings.c.touchpoint_id)).mappings().all()
    return [rating_from_row(r) for r in rows]


@dataclass(frozen=True)
class AppliedAnswers:
    """What :meth:`RatingRecords.apply_answers` did: per answer ``saved``, ``repeat`` or ``outdated``; the ratings now."""

    outcomes: tuple[str, ...]
    ratings: Mapping[str, Rating]


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

    def _saving(self, chosen: tuple[str, ...]) -> Prebuilt:
        """PostgreSQL: the whole save as ONE statement, compiled once per set of changed parts: the rating's upsert,
        its history row from the upserted row (the revision it got) and the bump of the audit's data version in
        the writer's slot (``writer``), as data-modifying ``WITH`` parts; returns the rating as stored."""

        def build() -> Prebuilt:
            stmt = postgresql.insert(ratings).values({c.name: sa.bindparam(c.name, type_=c.type) for c in ratings.c})
            update: dict[str, Any] = {name: stmt.excluded[name] for name in chosen}
            update["revision"] = ratings.c.revision + 1
            update["updated_at"] = stmt.excluded.updated_at
            saved = stmt.on_conflict_do_update(index_elements=list(RATING_KEY), set_=update).returning(*ratings.c).cte("saved")
            logged = rating_history.insert().from_select(
                _HISTORY_COLUMNS, sa.select(*(saved.c.updated_at if n == "changed_at" else saved.c[n] for n in _HISTORY_COLUMNS))
            ).cte("logged")
            return Prebuilt.of(sa.select(saved).add_cte(logged, bump_statement("postgresql").cte("counted")))

        built: Prebuilt = self._statement(("saving", *chosen), build)
        return built

    def save_rating(self, rating: Rating, *, fields: Sequence[str] | None = None) -> Rating:
        """Upsert one rating and append the change to the history.

        ``fields`` names the parts this save changes (e.g. ``["importance"]``);
        the other parts keep what is stored, so two devices of one person that
        change different parts at once do not overwrite each other. ``None``
        writes every part. Returns the rating as stored (not validated again:
        its parts were, on their way in).
        """
        chosen = tuple(RATING_PARTS if fields is None else dict.fromkeys(fields))
        for name in chosen:
            if name not in RATING_PARTS:
                raise ValidationError("fields", name, "some_of", choices=", ".join(RATING_PARTS))
        now = utcnow()
        key = {"audit_id": rating.audit_id, "wave": rating.wave, "participant_id": rating.participant_id, "touchpoint_id": rating.touchpoint_id}
        params = {**key, **rating_values(rating), "revision": 1, "updated_at": now}
        if self.prebuilt:  # PostgreSQL: one statement, one round trip
            row = self._write_prebuilt(self._saving(chosen), {**params, "writer": rating.participant_id})
            assert row is not None  # an upsert returns its row
            return saved_rating(row)
        upsert, history, bump = self._saving_steps(chosen)

        def work(conn: Connection) -> Rating:
            row = upsert.execute(conn, params)
            assert row is not None  # an upsert returns its row
            history.execute(conn, {**key, **{p: row[p] for p in RATING_PARTS}, "revision": row["revision"], "changed_at": now})
            bump.execute(conn, {"audit_id": rating.audit_id, "writer": rating.participant_id})
            return saved_rating(row)

        return self._write(work)

    def _saving_steps(self, chosen: tuple[str, ...]) -> tuple[Prebuilt, Prebuilt, Prebuilt]:
        """SQLite (no writing ``WITH`` parts): the save as three prebuilt statements, run in one transaction:
        the upsert, the history row, the data-version bump (see :mod:`audit.store.prebuilt`)."""

        def build() -> tuple[Prebuilt, Prebuilt, Prebuilt]:
            dialect = SQLITE if self.is_sqlite else self.dialect
            return (Prebuilt.of(self._rating_upsert(chosen), dialect), Prebuilt.of(_HISTORY, dialect, _HISTORY_COLUMNS),
                    Prebuilt.of(bump_statement(dialect.name), dialect))

        steps: tuple[Prebuilt, Prebuilt, Prebuilt] = self._statement(("saving-steps", *chosen), build)
        return steps

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

    # -------------------------------------------------------------- answers from browsers (the room)

    def apply_answers(self, audit_id: str, wave: int, participant_id: str, answers: Sequence[Answer]) -> AppliedAnswers:
        """Save a browser's answers in order, in one transaction; idempotent, never older over newer.

        Each answer changes one field of one rating unless the stored version
        of that field (the stamp of the answer applied last) is newer or the
        same (see :func:`audit.answers.is_newer`): then it is a repeat or
        outdated and changes nothing. Every applied answer is appended to the
        history. Returns what happened to each answer and the ratings of every
        touchpoint it touched, as stored now.
        """
        if not answers:
            return AppliedAnswers((), {})
        return self._write(lambda conn: self._apply_answers_in(conn, audit_id, wave, participant_id, answers))

    def answer_round(
        self, token: str | None, participant_id: str, answers: Sequence[Answer], check: Callable[[Seat | None], Seat]
    ) -> tuple[Seat, AppliedAnswers, list[Answer]]:
        """One round of a rater's outbox in one write transaction: read the seat, let ``check`` refuse it
        (its exception rolls everything back), then save the answers about touchpoints of the audit's
        catalog. Returns the seat, what was saved, and the answers about unknown touchpoints."""

        def work(conn: Connection) -> tuple[Seat, AppliedAnswers, list[Answer]]:
            seat = check(read_seat(conn, token, participant_id))
            assert seat.person is not None
            wanted = sorted({a.touchpoint_id for a in answers})
            known = set(conn.execute(
                sa.select(audit_touchpoints.c.touchpoint_id).where(
                    audit_touchpoints.c.audit_id == seat.access.audit_id, audit_touchpoints.c.touchpoint_id.in_(wanted)
                )
            ).scalars()) if wanted else set()
            good = [a for a in answers if a.touchpoint_id in known]
            applied = self._apply_answers_in(conn, seat.access.audit_id, seat.wave, seat.person.id, good) if good else AppliedAnswers((), {})
            return seat, applied, [a for a in answers if a.touchpoint_id not in known]

        return self._write(work)

    def _version_upsert(self) -> Any:
        """Record an answer's stamp unless the stored one is newer: returns a row only when it was newer.

        The same rule as :func:`audit.answers.is_newer`, in SQL, so deciding
        and recording are one statement.
        """

        def build() -> Any:
            stmt = self._insert(answer_versions)
            new, old = stmt.excluded, answer_versions.c
            newer = sa.or_(
                sa.and_(new.device == old.device, new.seq > old.seq),
                sa.and_(new.device != old.device, sa.or_(new.at > old.at, sa.and_(new.at == old.at, new.device > old.device))),
            )
            return stmt.on_conflict_do_update(
                index_elements=["audit_id", "wave", "participant_id", "touchpoint_id", "field"],
                set_={"device": new.device, "seq": new.seq, "at": new.at}, where=newer,
            ).returning(old.seq)

        return self._statement(("answer-version",), build)

    def _apply_answers_in(self, conn: Connection, audit_id: str, wave: int, participant_id: str, answers: Sequence[Answer]) -> AppliedAnswers:
        """:meth:`apply_answers` inside the caller's write transaction."""
        key = {"audit_id": audit_id, "wave": wave, "participant_id": participant_id}
        now = utcnow()
        outcomes: list[str] = []
        stored: dict[str, Rating] = {}
        for answer in answers:
            stamp = {**key, "touchpoint_id": answer.touchpoint_id, "field": answer.field, "device": answer.device, "seq": answer.seq, "at": answer.at}
            if conn.execute(self._version_upsert(), stamp).first() is None:
                outcomes.append(self._why_not(conn, stamp, answer))
                continue
            stored[answer.touchpoint_id] = self._apply_answer(conn, key, answer, now)
            outcomes.append("saved")
        if stored:  # something changed: the audit's data version counts it in this person's slot
            touch(conn, audit_id, participant_id)
        unread = sorted({a.touchpoint_id for a in answers} - set(stored))
        if unread:  # touchpoints where nothing changed: as stored
            rows = conn.execute(
                sa.select(ratings).where(
                    ratings.c.audit_id == audit_id, ratings.c.wave == wave, ratings.c.participant_id == participant_id,
                    ratings.c.touchpoint_id.in_(unread),
                )
            ).mappings().all()
            stored.update((r["touchpoint_id"], rating_from_row(r)) for r in rows)
        return AppliedAnswers(tuple(outcomes), stored)

    @staticmethod
    def _why_not(conn: Connection, stamp: Mapping[str, Any], answer: Answer) -> str:
        """``repeat`` (this very answer is stored) or ``outdated`` (a newer one is)."""
        c = answer_versions.c
        row = conn.execute(
            sa.select(c.device, c.seq).where(*(c[name] == stamp[name] for name in ("audit_id", "wave", "participant_id", "touchpoint_id", "field")))
        ).first()
        return "repeat" if row is not None and (row.device, row.seq) == (answer.device, answer.seq) else "outdated"

    def _apply_answer(self, conn: Connection, key: Mapping[str, Any], answer: Answer, now: Any) -> Rating:
        """One answer's field of the rating and its history row (inside the caller's transaction)."""
        where = {**key, "touchpoint_id": answer.touchpoint_id}
        rating = Rating(key["audit_id"], key["participant_id"], answer.touchpoint_id, wave=key["wave"], **{answer.field: answer.value})
        row = conn.execute(
            self._rating_upsert((answer.field,)), {**where, **rating_values(rating), "revision": 1, "updated_at": now}
        ).mappings().one()
        conn.execute(_HISTORY, {**where, **{p: row[p] for p in RATING_PARTS}, "revision": row["revision"], "changed_at": now})
        return rating_from_row(row)

    def touchpoint_ratings(self, audit_id: str, wave: int, touchpoint_id: str) -> list[Rating]:
        """Everyone's rating of one touchpoint in one wave (the presenter's slide)."""
        query = sa.select(ratings).where(ratings.c.audit_id == audit_id, ratings.c.wave == wave, ratings.c.touchpoint_id == touchpoint_id)
        with self._read() as conn:
            rows = conn.execute(query.order_by(ratings.c.updated_at, ratings.c.participant_id)).mappings().all()
        return [rating_from_row(r) for r in rows]

    def rating_rows(self, audit_id: str, wave: int) -> list[tuple[Any, ...]]:
        """Lean ``(participant, touchpoint, importance, reaction, presence, not_applicable)`` rows of a wave (the board)."""
        query = sa.select(
            ratings.c.participant_id, ratings.c.touchpoint_id, ratings.c.importance, ratings.c.reaction,
            ratings.c.presence, ratings.c.not_applicable,
        ).where(ratings.c.audit_id == audit_id, ratings.c.wave == wave)
        with self._read() as conn:
            return [tuple(r) for r in conn.execute(query)]
