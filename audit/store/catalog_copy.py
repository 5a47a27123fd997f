"""Each audit's own frozen copy of its catalog, and the touchpoints a team adds to it in the workshop."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.catalog import chain_from_dict, touchpoint_from_dict, touchpoint_to_dict
from audit.model import Catalog, Text, Touchpoint, utcnow
from audit.store.audits import require_audit
from audit.store.base import Records
from audit.store.errors import NotFound, StoreError
from audit.store.schema import audit_chains, audit_touchpoints, audits


def read_catalog(conn: Connection, audit_id: str) -> Catalog:
    head = conn.execute(
        sa.select(audits.c.catalog_id, audits.c.catalog_name, audits.c.catalog_description).where(audits.c.id == audit_id)
    ).first()
    if head is None:
        raise NotFound("no_audit", id=audit_id)
    tps = conn.execute(
        sa.select(audit_touchpoints.c.data).where(audit_touchpoints.c.audit_id == audit_id).order_by(audit_touchpoints.c.position)
    ).scalars()
    chains = conn.execute(
        sa.select(audit_chains.c.data).where(audit_chains.c.audit_id == audit_id).order_by(audit_chains.c.position)
    ).scalars()
    return Catalog(
        head.catalog_id, Text.of(head.catalog_name, "name"), tuple(touchpoint_from_dict(d) for d in tps),
        tuple(chain_from_dict(d) for d in chains), Text.of(head.catalog_description, "description", limit=20_000),
    )


def _append_touchpoint(conn: Connection, audit_id: str, tp: Touchpoint, added_by: str | None) -> None:
    require_audit(conn, audit_id)
    exists = conn.execute(
        sa.select(audit_touchpoints.c.touchpoint_id).where(
            audit_touchpoints.c.audit_id == audit_id, audit_touchpoints.c.touchpoint_id == tp.id
        )
    ).first()
    if exists:
        raise StoreError("touchpoint_id_taken", id=tp.id)
    position = conn.execute(
        sa.select(sa.func.coalesce(sa.func.max(audit_touchpoints.c.position), -1)).where(audit_touchpoints.c.audit_id == audit_id)
    ).scalar_one()
    conn.execute(
        audit_touchpoints.insert().values(
            audit_id=audit_id, touchpoint_id=tp.id, position=position + 1, data=touchpoint_to_dict(tp),
            added_by=added_by, created_at=utcnow(),
        )
    )


class CatalogRecords(Records):
    """The audit's catalog copy."""

    def catalog(self, audit_id: str) -> Catalog:
        """The audit's own frozen catalog, with touchpoints added in the workshop."""
        with self._read() as conn:
            return read_catalog(conn, audit_id)

    def catalog_version(self, audit_id: str) -> str:
        """A cheap fingerprint of the audit's catalog copy (changes when a touchpoint is added).

        Lets the app cache the parsed catalog and still see workshop additions at once.
        """
        with self._read() as conn:
            count, last = conn.execute(
                sa.select(sa.func.count(), sa.func.max(audit_touchpoints.c.position)).where(audit_touchpoints.c.audit_id == audit_id)
            ).one()
        return f"{count}:{last}"

    def add_touchpoint(self, audit_id: str, touchpoint: Touchpoint, added_by: str | None = None) -> Touchpoint:
        """Add a touchpoint to this audit's catalog (a brainstorm addition)."""
        tp = dataclasses.replace(touchpoint, added_by_team=True)
        self._write_audit(audit_id, lambda conn: _append_touchpoint(conn, audit_id, tp, added_by))
        return tp
