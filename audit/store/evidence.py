"""Evidence beside the ratings: competitor notes, the audit's own standards, and money per channel."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.catalog import standard_from_dict, standard_to_dict
from audit.model import Catalog, ChannelEconomics, CompetitorNote, FunnelStep, Standard, ValidationError, utcnow
from audit.store.audits import read_audit
from audit.store.base import Records
from audit.store.catalog_copy import read_catalog
from audit.store.codecs import competitor_note_from_row, economics_from_row
from audit.store.schema import competitor_notes, economics, funnel, standards


def read_competitor_notes(conn: Connection, audit_id: str, wave: int | None = None) -> list[CompetitorNote]:
    query = sa.select(competitor_notes).where(competitor_notes.c.audit_id == audit_id)
    if wave is not None:
        query = query.where(competitor_notes.c.wave == wave)
    rows = conn.execute(query.order_by(competitor_notes.c.competitor, competitor_notes.c.touchpoint_id)).mappings().all()
    return [competitor_note_from_row(r) for r in rows]


def read_standards(conn: Connection, audit_id: str, catalog: Catalog) -> dict[str, Standard]:
    """Effective standards: the catalog's defaults, overridden by this audit's own (``NULL`` switches one off)."""
    out = {tp.id: tp.standard for tp in catalog.touchpoints if tp.standard is not None}
    for row in conn.execute(sa.select(standards).where(standards.c.audit_id == audit_id)).mappings():
        if row["data"] is None:
            out.pop(row["touchpoint_id"], None)
        else:
            out[row["touchpoint_id"]] = standard_from_dict(row["data"])
    return out


def read_economics(conn: Connection, audit_id: str) -> list[ChannelEconomics]:
    """Every wave's channel economics, by wave and touchpoint."""
    query = sa.select(economics).where(economics.c.audit_id == audit_id).order_by(economics.c.wave, economics.c.touchpoint_id)
    return [economics_from_row(r) for r in conn.execute(query).mappings().all()]


def read_funnel(conn: Connection, audit_id: str, wave: int) -> list[FunnelStep]:
    """One wave's funnel: customers who reached each link of each journey, by journey and position."""
    query = sa.select(funnel).where(funnel.c.audit_id == audit_id, funnel.c.wave == wave).order_by(funnel.c.chain_id, funnel.c.position)
    return [FunnelStep(r["chain_id"], r["position"], r["touchpoint_id"], r["reached"], r["wave"]) for r in conn.execute(query).mappings()]


class EvidenceRecords(Records):
    """Competitor notes, standards and channel economics."""

    def save_competitor_note(self, note: CompetitorNote) -> CompetitorNote:
        key = {"audit_id": note.audit_id, "wave": note.wave, "competitor": note.competitor, "touchpoint_id": note.touchpoint_id}
        values = {"versus": note.versus.value, "reaction": note.reaction.value if note.reaction else None,
                  "borrow": note.borrow, "author": note.author, "updated_at": utcnow()}

        def work(conn: Connection) -> None:
            if note.competitor not in read_audit(conn, note.audit_id).competitors:
                raise ValidationError("competitor", note.competitor, "not_competitor")
            stmt = self._insert(competitor_notes).values(**key, **values)
            conn.execute(stmt.on_conflict_do_update(index_elements=list(key), set_={k: stmt.excluded[k] for k in values}))

        self._write_audit(note.audit_id, work)
        return note

    def competitor_notes(self, audit_id: str, wave: int | None = None) -> list[CompetitorNote]:
        with self._read() as conn:
            return read_competitor_notes(conn, audit_id, wave)

    def set_standard(self, audit_id: str, touchpoint_id: str, standard: Standard | None) -> None:
        """Set this audit's standard for a touchpoint; ``None`` switches it off."""
        key = {"audit_id": audit_id, "touchpoint_id": touchpoint_id}
        data = standard_to_dict(standard) if standard else None

        def work(conn: Connection) -> None:
            stmt = self._insert(standards).values(**key, data=data, updated_at=utcnow())
            conn.execute(stmt.on_conflict_do_update(index_elements=list(key), set_={"data": stmt.excluded.data, "updated_at": stmt.excluded.updated_at}))

        self._write_audit(audit_id, work)

    def standards(self, audit_id: str) -> dict[str, Standard]:
        """Effective standards: the catalog's defaults, overridden by this audit's own."""
        with self._read() as conn:
            return read_standards(conn, audit_id, read_catalog(conn, audit_id))

    def save_economics(self, audit_id: str, item: ChannelEconomics) -> None:
        """Store one touchpoint's numbers for one wave (replacing what that wave had for it)."""
        key = {"audit_id": audit_id, "wave": item.wave, "touchpoint_id": item.touchpoint_id}
        values = {"spend": item.spend, "leads": item.leads, "customers": item.customers, "revenue": item.revenue}

        def work(conn: Connection) -> None:
            stmt = self._insert(economics).values(**key, **values)
            conn.execute(stmt.on_conflict_do_update(index_elements=list(key), set_={k: stmt.excluded[k] for k in values}))

        self._write_audit(audit_id, work)

    def economics(self, audit_id: str) -> list[ChannelEconomics]:
        with self._read() as conn:
            return read_economics(conn, audit_id)

    def delete_economics(self, audit_id: str, wave: int, touchpoint_id: str) -> None:
        def work(conn: Connection) -> None:
            conn.execute(economics.delete().where(economics.c.audit_id == audit_id, economics.c.wave == wave,
                                                  economics.c.touchpoint_id == touchpoint_id))

        self._write_audit(audit_id, work)

    def save_funnel(self, audit_id: str, wave: int, chain_id: str, steps: list[FunnelStep]) -> None:
        """Replace one journey's funnel in a wave (no steps: remove it)."""
        def work(conn: Connection) -> None:
            conn.execute(funnel.delete().where(funnel.c.audit_id == audit_id, funnel.c.wave == wave, funnel.c.chain_id == chain_id))
            if steps:
                now = utcnow()
                conn.execute(funnel.insert(), [
                    {"audit_id": audit_id, "wave": wave, "chain_id": chain_id, "position": s.position,
                     "touchpoint_id": s.touchpoint_id, "reached": s.reached, "updated_at": now} for s in steps
                ])

        self._write_audit(audit_id, work)

    def funnel(self, audit_id: str, wave: int) -> list[FunnelStep]:
        with self._read() as conn:
            return read_funnel(conn, audit_id, wave)
