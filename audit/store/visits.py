"""Mystery-shopper visits with their observations and photos; a visit locks once submitted."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.columnar import OBSERVATION_ROW, VISIT_ROW, VisitTable
from audit.model import Observation, ShopperVisit, ValidationError, VisitStatus, utcnow
from audit.store.audits import read_audit
from audit.store.base import Records
from audit.store.catalog_copy import read_catalog
from audit.store.codecs import observation_from_row, visit_from_row
from audit.store.errors import NotFound, StoreError
from audit.store.rows import driver_rows
from audit.store.schema import observations, photos, visits

OPEN = (VisitStatus.DRAFT.value, VisitStatus.REVISION.value)  # the shopper may still change these


def read_visits(conn: Connection, audit_id: str, *, shopper_id: str | None = None, wave: int | None = None) -> list[ShopperVisit]:
    query = sa.select(visits).where(visits.c.audit_id == audit_id)
    if shopper_id is not None:
        query = query.where(visits.c.shopper_id == shopper_id)
    if wave is not None:
        query = query.where(visits.c.wave == wave)
    rows = conn.execute(query.order_by(visits.c.visited_at, visits.c.id)).mappings().all()
    ids = [r["id"] for r in rows]
    obs: dict[int, list[Observation]] = {i: [] for i in ids}
    if ids:
        for o in conn.execute(
            sa.select(observations).where(observations.c.visit_id.in_(ids)).order_by(observations.c.visit_id, observations.c.position)
        ).mappings():
            obs[o["visit_id"]].append(observation_from_row(o))
    return [visit_from_row(r, obs[r["id"]]) for r in rows]


_OF_WAVE = (visits.c.audit_id == sa.bindparam("audit_id"), visits.c.wave == sa.bindparam("wave"))
_VISIT_TABLE = sa.select(*(visits.c[name] for name in VISIT_ROW)).where(*_OF_WAVE).order_by(visits.c.visited_at, visits.c.id)
_OBSERVATION_TABLE = (
    sa.select(*(observations.c[name] for name in OBSERVATION_ROW)).join(visits, visits.c.id == observations.c.visit_id)
    .where(*_OF_WAVE).order_by(observations.c.visit_id, observations.c.position)
)


def read_visit_table(conn: Connection, audit_id: str, wave: int) -> VisitTable:
    """One wave's visits and their observations straight into columns at the driver's pace (no record per observation)."""
    key = {"audit_id": audit_id, "wave": wave}
    rows = driver_rows(conn, _VISIT_TABLE, key)
    return VisitTable.from_rows(audit_id, rows, driver_rows(conn, _OBSERVATION_TABLE, key) if rows else [])


def _check_visit(conn: Connection, visit: ShopperVisit) -> None:
    audit = read_audit(conn, visit.audit_id)
    if visit.target and visit.target not in audit.competitors:
        raise ValidationError("target", visit.target, "not_competitor")
    known = {tp.id for tp in read_catalog(conn, visit.audit_id).touchpoints}
    for obs in visit.observations:
        if obs.touchpoint_id not in known:
            raise ValidationError("touchpoint", obs.touchpoint_id, "not_in_catalog")


def _write_visit(conn: Connection, visit: ShopperVisit, values: dict[str, Any]) -> int:
    if visit.id is None:
        visit_id: int = conn.execute(visits.insert().values(**values).returning(visits.c.id)).scalar_one()
    else:
        current = conn.execute(
            sa.select(visits.c.status, visits.c.shopper_id, visits.c.audit_id).where(visits.c.id == visit.id)
        ).first()
        if current is None or current.audit_id != visit.audit_id or current.shopper_id != visit.shopper_id:
            raise NotFound("no_visit_of_yours")
        if current.status not in OPEN:
            raise StoreError("visit_locked")
        conn.execute(visits.update().where(visits.c.id == visit.id).values(**values))
        conn.execute(observations.delete().where(observations.c.visit_id == visit.id))
        visit_id = visit.id
    if visit.observations:
        conn.execute(
            observations.insert(),
            [
                {"visit_id": visit_id, "touchpoint_id": o.touchpoint_id, "position": i, "reaction": o.reaction.value,
                 "text": o.text, "measurement": o.measurement, "checked": None if o.checked is None else list(o.checked)}
                for i, o in enumerate(visit.observations)
            ],
        )
    return visit_id


class VisitRecords(Records):
    """Shopper visits, their review, and their photos."""

    def save_visit(self, visit: ShopperVisit) -> ShopperVisit:
        """Create (``id is None``) or update a visit with its observations.

        A visit that was submitted, accepted or rejected is not changed by its
        shopper any more; only a draft or one sent back for revision is.
        """
        values = {
            "audit_id": visit.audit_id, "wave": visit.wave, "shopper_id": visit.shopper_id, "target": visit.target,
            "visited_at": visit.visited_at, "channel": visit.channel.value, "location": visit.location,
            "scenario": visit.scenario, "recommend": visit.recommend, "status": visit.status.value,
            "review_note": visit.review_note, "updated_at": utcnow(),
        }

        def work(conn: Connection) -> int:
            _check_visit(conn, visit)
            return _write_visit(conn, visit, values)

        visit_id = self._write_audit(visit.audit_id, work, writer=visit.shopper_id)
        return dataclasses.replace(visit, id=visit_id)

    def review_visit(self, audit_id: str, visit_id: int, status: VisitStatus, note: str = "") -> None:
        """Owner's decision on a submitted visit: accept, reject or send back for revision."""
        status = VisitStatus(status)
        if status not in (VisitStatus.ACCEPTED, VisitStatus.REJECTED, VisitStatus.REVISION):
            raise ValidationError("status", status.value, "one_of", choices="accepted, rejected, revision")
        if status is VisitStatus.REJECTED and not note.strip():
            raise ValidationError("review_note", note, "reject_reason")

        def work(conn: Connection) -> None:
            current = conn.execute(sa.select(visits.c.status).where(visits.c.id == visit_id, visits.c.audit_id == audit_id)).first()
            if current is None:
                raise NotFound("no_visit", id=str(visit_id))
            if current.status == VisitStatus.DRAFT.value:
                raise StoreError("draft_review")
            conn.execute(visits.update().where(visits.c.id == visit_id).values(status=status.value, review_note=note.strip(), updated_at=utcnow()))

        self._write_audit(audit_id, work)

    def visits(self, audit_id: str, *, shopper_id: str | None = None, wave: int | None = None) -> list[ShopperVisit]:
        with self._read() as conn:
            return read_visits(conn, audit_id, shopper_id=shopper_id, wave=wave)

    # -------------------------------------------------------------- photos

    def add_photo(self, visit_id: int, mime: str, data: bytes, thumbnail: bytes, touchpoint_id: str | None = None) -> int:
        def work(conn: Connection) -> int:
            return conn.execute(
                photos.insert().values(visit_id=visit_id, touchpoint_id=touchpoint_id, mime=mime, data=data, thumbnail=thumbnail, created_at=utcnow()).returning(photos.c.id)
            ).scalar_one()

        return self._write(work)

    def photos(self, visit_id: int) -> list[dict[str, Any]]:
        with self._read() as conn:
            return [dict(r) for r in conn.execute(sa.select(photos).where(photos.c.visit_id == visit_id).order_by(photos.c.id)).mappings()]

    def photo_thumbnails(self, visit_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        """Thumbnails only (``id``, ``visit_id``, ``touchpoint_id``, ``thumbnail``) per visit: never the full pictures."""
        out: dict[int, list[dict[str, Any]]] = {int(v): [] for v in visit_ids}
        if not out:
            return out
        query = sa.select(photos.c.id, photos.c.visit_id, photos.c.touchpoint_id, photos.c.thumbnail).where(
            photos.c.visit_id.in_(list(out))
        )
        with self._read() as conn:
            for row in conn.execute(query.order_by(photos.c.visit_id, photos.c.id)).mappings():
                out[row["visit_id"]].append(dict(row))
        return out

    def delete_photo(self, visit_id: int, photo_id: int) -> None:
        """Remove a photo from a visit that is still a draft (or sent back for revision)."""

        def work(conn: Connection) -> None:
            status = conn.execute(sa.select(visits.c.status).where(visits.c.id == visit_id)).scalar_one_or_none()
            if status not in OPEN:
                raise StoreError("visit_locked")
            result = conn.execute(photos.delete().where(photos.c.id == photo_id, photos.c.visit_id == visit_id))
            if result.rowcount == 0:
                raise NotFound("no_photo")

        self._write(work)
