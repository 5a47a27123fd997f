"""Waves of one audit: moving to the next wave, counting what each wave holds, and loading a wave for the analysis."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.model import Audit, AuditData
from audit.store.audits import read_audit, read_participants
from audit.store.base import Records
from audit.store.catalog_copy import read_catalog
from audit.store.errors import NotFound, StoreError
from audit.store.evidence import read_competitor_notes, read_economics, read_funnel, read_standards
from audit.store.ratings import read_rating_table
from audit.store.schema import audits, competitor_notes, ratings, visits
from audit.store.visits import read_visit_table


def read_analysis_input(conn: Connection, audit_id: str, wave: int | None = None) -> AuditData:
    """All the analysis needs for one wave (default: the current wave), read through ``conn``: records, and the
    ratings and visits as columns (:mod:`audit.columnar`)."""
    audit = read_audit(conn, audit_id)
    wave = audit.wave if wave is None else wave
    catalog = read_catalog(conn, audit_id)
    return AuditData(
        audit=audit,
        catalog=catalog,
        participants=tuple(read_participants(conn, audit_id)),
        ratings=read_rating_table(conn, audit_id, wave),
        visits=read_visit_table(conn, audit_id, wave),
        competitor_notes=tuple(read_competitor_notes(conn, audit_id, wave=wave)),
        standards=read_standards(conn, audit_id, catalog),
        economics=tuple(read_economics(conn, audit_id)),
        funnel=tuple(read_funnel(conn, audit_id, wave)),
    )


def _next_wave(conn: Connection, audit_id: str, current: int) -> None:
    result = conn.execute(audits.update().where(audits.c.id == audit_id, audits.c.wave == current).values(wave=current + 1))
    if result.rowcount == 0:
        if conn.execute(sa.select(audits.c.id).where(audits.c.id == audit_id)).first() is None:
            raise NotFound("no_audit", id=audit_id)
        raise StoreError("wave_started", wave=current + 1)


class WaveRecords(Records):
    """Waves and the whole input of one wave's analysis."""

    def start_next_wave(self, audit_id: str, current: int) -> Audit:
        """Move the audit from wave ``current`` to the next one (refused if another wave was started meanwhile).

        The catalog copy, the links and the plan stay; the new wave's
        ratings, visits and competitor notes start empty.
        """
        self._write_audit(audit_id, lambda conn: _next_wave(conn, audit_id, current))
        with self._read() as conn:
            return read_audit(conn, audit_id)

    def wave_counts(self, audit_id: str) -> dict[int, dict[str, int]]:
        """Per wave: ratings, people who rated, shopper visits and competitor notes."""
        out: dict[int, dict[str, int]] = {}

        def slot(wave: int) -> dict[str, int]:
            return out.setdefault(int(wave), {"ratings": 0, "raters": 0, "visits": 0, "competitor_notes": 0})

        with self._read() as conn:
            for wave, n, people in conn.execute(
                sa.select(ratings.c.wave, sa.func.count(), sa.func.count(sa.distinct(ratings.c.participant_id)))
                .where(ratings.c.audit_id == audit_id).group_by(ratings.c.wave)
            ):
                slot(wave).update(ratings=int(n), raters=int(people))
            for wave, n in conn.execute(
                sa.select(visits.c.wave, sa.func.count()).where(visits.c.audit_id == audit_id).group_by(visits.c.wave)
            ):
                slot(wave)["visits"] = int(n)
            for wave, n in conn.execute(
                sa.select(competitor_notes.c.wave, sa.func.count()).where(competitor_notes.c.audit_id == audit_id)
                .group_by(competitor_notes.c.wave)
            ):
                slot(wave)["competitor_notes"] = int(n)
        return out

    def load(self, audit_id: str, wave: int | None = None) -> AuditData:
        """All records the analysis needs for one wave (default: the current wave), from one snapshot."""
        with self.unit() as tx, tx._read() as conn:
            return read_analysis_input(conn, audit_id, wave)
