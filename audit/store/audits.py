"""Audits, their three links and their people: create, read, rename, rotate links, add participants."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.catalog import chain_to_dict, touchpoint_to_dict
from audit.model import DEFAULT_DEPARTMENTS, Audit, Catalog, Participant, Role, utcnow
from audit.store.base import Records
from audit.store.codecs import audit_from_row, participant_from_row
from audit.store.errors import NotFound
from audit.store.schema import audit_chains, audit_touchpoints, audits, participants, tokens
from audit.store.tokens import Access, derive_link, hash_token, new_id, new_token
from audit.store.versions import touch
from audit.store.workspaces import reseal_owner_link


def read_audit(conn: Connection, audit_id: str) -> Audit:
    row = conn.execute(sa.select(audits).where(audits.c.id == audit_id)).mappings().first()
    if row is None:
        raise NotFound("no_audit", id=audit_id)
    return audit_from_row(row)


def require_audit(conn: Connection, audit_id: str) -> None:
    """Raise :class:`NotFound` unless the audit exists."""
    if conn.execute(sa.select(audits.c.id).where(audits.c.id == audit_id)).first() is None:
        raise NotFound("no_audit", id=audit_id)


def read_participants(conn: Connection, audit_id: str) -> list[Participant]:
    rows = conn.execute(
        sa.select(participants).where(participants.c.audit_id == audit_id).order_by(participants.c.created_at, participants.c.id)
    ).mappings().all()
    return [participant_from_row(r) for r in rows]


def departments_value(audit: Audit) -> list[str] | None:
    """The stored list: ``NULL`` while the audit keeps the default departments (so a later default list applies)."""
    return None if audit.departments == DEFAULT_DEPARTMENTS else list(audit.departments)


def _insert_audit(conn: Connection, audit: Audit, catalog: Catalog, links: dict[Role, str]) -> None:
    now = utcnow()
    conn.execute(
        audits.insert().values(
            id=audit.id, name=audit.name, language=audit.language, catalog_id=catalog.id,
            catalog_name=catalog.name.as_dict(),
            catalog_description=catalog.description.as_dict(),
            locations=list(audit.locations), competitors=list(audit.competitors),
            wave=1, results_shared=False, created_at=audit.created_at, time_zone=audit.time_zone,
            departments=departments_value(audit),
        )
    )
    if catalog.touchpoints:
        conn.execute(
            audit_touchpoints.insert(),
            [
                {"audit_id": audit.id, "touchpoint_id": tp.id, "position": i, "data": touchpoint_to_dict(tp),
                 "added_by": None, "created_at": now}
                for i, tp in enumerate(catalog.touchpoints)
            ],
        )
    if catalog.chains:
        conn.execute(
            audit_chains.insert(),
            [{"audit_id": audit.id, "chain_id": c.id, "position": i, "data": chain_to_dict(c)}
             for i, c in enumerate(catalog.chains)],
        )
    conn.execute(
        tokens.insert(),
        [{"token_hash": hash_token(t), "audit_id": audit.id, "role": r.value, "created_at": now, "generation": 1}
         for r, t in links.items()],
    )


def _rotate(conn: Connection, audit_id: str, role: Role, owner_token: str | None) -> str:
    require_audit(conn, audit_id)
    rows = {
        Role(r.role): r
        for r in conn.execute(sa.select(tokens.c.role, tokens.c.token_hash, tokens.c.generation).where(tokens.c.audit_id == audit_id))
    }
    now = utcnow()

    def replace(which: Role, value: str, generation: int) -> None:
        conn.execute(tokens.delete().where(tokens.c.audit_id == audit_id, tokens.c.role == which.value))
        conn.execute(
            tokens.insert().values(token_hash=hash_token(value), audit_id=audit_id, role=which.value, created_at=now, generation=generation)
        )

    if role is Role.OWNER:
        owner = new_token()
        replace(Role.OWNER, owner, 1)
        for other in (Role.TEAM, Role.SHOPPER):
            generation = (rows[other].generation if other in rows else 0) + 1
            replace(other, derive_link(owner, other, generation), generation)
        reseal_owner_link(conn, audit_id, owner)  # a workspace's audit: its workspace can still open it as owner
        return owner
    generation = (rows[role].generation if role in rows else 0) + 1
    if owner_token is not None and Role.OWNER in rows and rows[Role.OWNER].token_hash == hash_token(owner_token):
        value = derive_link(owner_token, role, generation)
    else:
        value = new_token()
    replace(role, value, generation)
    return value


class AuditRecords(Records):
    """Audits, links and participants."""

    def create_audit(
        self,
        name: str,
        catalog: Catalog,
        *,
        language: str = "en",
        locations: Sequence[str] = (),
        competitors: Sequence[str] = (),
    ) -> tuple[Audit, dict[Role, str]]:
        """Create an audit with a frozen copy of ``catalog``; returns it and its three links."""
        audit = Audit(
            id=new_id(), name=name, language=language, catalog_id=catalog.id,
            locations=tuple(locations), competitors=tuple(competitors),
        )
        owner = new_token()
        links = {Role.OWNER: owner, **{role: derive_link(owner, role, 1) for role in (Role.TEAM, Role.SHOPPER)}}
        self._write_audit(audit.id, lambda conn: _insert_audit(conn, audit, catalog, links))
        return audit, links

    def get_audit(self, audit_id: str) -> Audit:
        with self._read() as conn:
            return read_audit(conn, audit_id)

    def list_audits(self) -> list[Audit]:
        with self._read() as conn:
            rows = conn.execute(sa.select(audits).order_by(audits.c.created_at)).mappings().all()
        return [audit_from_row(r) for r in rows]

    def update_audit(self, audit: Audit) -> Audit:
        def work(conn: Connection) -> None:
            result = conn.execute(
                audits.update().where(audits.c.id == audit.id).values(
                    name=audit.name, language=audit.language, locations=list(audit.locations),
                    competitors=list(audit.competitors), wave=audit.wave, results_shared=audit.results_shared,
                    time_zone=audit.time_zone, departments=departments_value(audit),
                )
            )
            if result.rowcount == 0:
                raise NotFound("no_audit", id=audit.id)

        self._write_audit(audit.id, work)
        return audit

    def resolve_token(self, token: str | None) -> Access | None:
        """The audit and role a link opens, or ``None`` for any unknown, rotated or malformed token."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return None
        with self._read() as conn:
            row = conn.execute(
                sa.select(tokens.c.audit_id, tokens.c.role).where(tokens.c.token_hash == hash_token(token))
            ).first()
        return Access(row.audit_id, Role(row.role)) if row else None

    def rotate_token(self, audit_id: str, role: Role, owner_token: str | None = None) -> str:
        """Replace the link of ``role``; the old one stops working at once. Returns the new link.

        Rotating the *owner* link also replaces the team and shopper links
        (they are derived from it). A team or shopper link is derived from
        ``owner_token`` when given (so it can be shown again later), otherwise
        it is a fresh random token that only this answer knows.
        """
        role = Role(role)
        return self._write(lambda conn: _rotate(conn, audit_id, role, owner_token))

    def links(self, owner_token: str | None) -> dict[Role, str]:
        """All links of the audit that ``owner_token`` owns ({} for any other token).

        Team and shopper links are re-derived from the owner link; one that
        was replaced by a random token (rotated without the owner link) is left out.
        """
        access = self.resolve_token(owner_token)
        if access is None or access.role is not Role.OWNER or owner_token is None:
            return {}
        with self._read() as conn:
            rows = conn.execute(
                sa.select(tokens.c.role, tokens.c.token_hash, tokens.c.generation).where(tokens.c.audit_id == access.audit_id)
            ).all()
        out = {Role.OWNER: owner_token}
        for row in rows:
            role = Role(row.role)
            if role is Role.OWNER:
                continue
            value = derive_link(owner_token, role, row.generation)
            if hash_token(value) == row.token_hash:
                out[role] = value
        return out

    def set_results_shared(self, audit_id: str, shared: bool) -> Audit:
        """Let the team link see the results page (read-only), or stop it."""

        def work(conn: Connection) -> None:
            result = conn.execute(audits.update().where(audits.c.id == audit_id).values(results_shared=bool(shared)))
            if result.rowcount == 0:
                raise NotFound("no_audit", id=audit_id)

        self._write_audit(audit_id, work)
        return self.get_audit(audit_id)

    # -------------------------------------------------------------- participants

    def add_participant(self, audit_id: str, name: str, role: Role = Role.TEAM, *, seen: bool = False,
                        department: str = "") -> Participant:
        """A new person of the audit; ``seen``: they are here now (they joined), not only invited."""
        now = utcnow()
        person = Participant(new_id(12), audit_id, name, role, first_seen=now if seen else None, department=department)

        def work(conn: Connection) -> None:
            require_audit(conn, audit_id)
            conn.execute(
                participants.insert().values(
                    id=person.id, audit_id=audit_id, name=person.name, role=person.role.value, created_at=now,
                    first_seen_at=person.first_seen, department=person.department,
                )
            )

        self._write_audit(audit_id, work, writer=person.id)
        return person

    def mark_seen(self, audit_id: str, participant_id: str) -> None:
        """Remember when a person first opened the audit (later opens change nothing)."""

        def work(conn: Connection) -> None:
            first = conn.execute(
                participants.update()
                .where(participants.c.id == participant_id, participants.c.audit_id == audit_id, participants.c.first_seen_at.is_(None))
                .values(first_seen_at=utcnow())
            )
            if first.rowcount:  # the board counts them as joined now
                touch(conn, audit_id, participant_id)

        self._write(work)

    def participant(self, audit_id: str, participant_id: str | None) -> Participant | None:
        """The person with this id *in this audit* (ids of other audits are not found)."""
        if not participant_id or len(participant_id) > 60:
            return None
        with self._read() as conn:
            row = conn.execute(
                sa.select(participants).where(participants.c.id == participant_id, participants.c.audit_id == audit_id)
            ).mappings().first()
        return participant_from_row(row) if row else None

    def participants(self, audit_id: str) -> list[Participant]:
        with self._read() as conn:
            return read_participants(conn, audit_id)
