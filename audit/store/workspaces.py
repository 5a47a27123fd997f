"""Workspaces: a consultant's link, its audits, their sealed owner links, and their progress in one read.

A workspace link is a fourth kind of link, stored like the others as a
SHA-256 hash (in ``workspaces.link_hash``, never next to an audit's links),
so an audit's owner, team or shopper link resolves to no workspace at all.
The owner link of each audit of the workspace is kept sealed to the
workspace's key (:mod:`audit.store.sealing`): only the workspace link opens it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from audit.model import ActionStatus, AuditProgress, Role, VisitStatus, Workspace, utcnow
from audit.store.base import Records
from audit.store.codecs import audit_from_row
from audit.store.errors import NotFound
from audit.store.schema import actions, audits, participants, ratings, visits, workspace_audits, workspaces
from audit.store.sealing import new_workspace_keys, rewrap, seal, unseal
from audit.store.tokens import hash_token, new_id, new_token


def _workspace_row(conn: Connection, workspace_id: str) -> sa.Row[tuple[object, ...]]:
    row = conn.execute(sa.select(workspaces).where(workspaces.c.id == workspace_id)).first()
    if row is None:
        raise NotFound(f"there is no workspace {workspace_id!r}")
    return row


def reseal_owner_link(conn: Connection, audit_id: str, owner_link: str) -> None:
    """After the owner link of an audit was replaced: seal the new one for its workspace (if it has one)."""
    row = conn.execute(
        sa.select(workspaces.c.public_key)
        .select_from(workspace_audits.join(workspaces, workspaces.c.id == workspace_audits.c.workspace_id))
        .where(workspace_audits.c.audit_id == audit_id)
    ).first()
    if row is not None:
        conn.execute(
            workspace_audits.update().where(workspace_audits.c.audit_id == audit_id)
            .values(sealed_owner_link=seal(row.public_key, owner_link, audit_id))
        )


def _answered() -> sa.ColumnElement[bool]:
    """An answer as :attr:`audit.model.Rating.is_answered` counts it: importance and reaction, or not applicable."""
    return sa.or_(sa.and_(ratings.c.importance.is_not(None), ratings.c.reaction.is_not(None)), ratings.c.not_applicable.is_(True))


def _counts(conn: Connection, ids: list[str]) -> dict[str, dict[str, int]]:
    """Per audit: people, answers and filed visits of its current wave, plan lines and done ones."""
    out: dict[str, dict[str, int]] = {i: {} for i in ids}
    current = sa.and_(audits.c.id == ratings.c.audit_id, audits.c.wave == ratings.c.wave)
    queries = {
        "people": sa.select(participants.c.audit_id, sa.func.count()).where(  # joined as the board counts: opened it, or answered
            participants.c.audit_id.in_(ids), participants.c.role.in_([Role.OWNER.value, Role.TEAM.value]),
            sa.or_(participants.c.first_seen_at.is_not(None),
                   participants.c.id.in_(sa.select(ratings.c.participant_id).where(ratings.c.audit_id.in_(ids)))),
        ).group_by(participants.c.audit_id),
        "answers": sa.select(ratings.c.audit_id, sa.func.count()).select_from(ratings.join(audits, current)).where(
            ratings.c.audit_id.in_(ids), _answered()
        ).group_by(ratings.c.audit_id),
        "visits": sa.select(visits.c.audit_id, sa.func.count()).select_from(
            visits.join(audits, sa.and_(audits.c.id == visits.c.audit_id, audits.c.wave == visits.c.wave))
        ).where(visits.c.audit_id.in_(ids), visits.c.status != VisitStatus.DRAFT.value).group_by(visits.c.audit_id),
        "actions": sa.select(actions.c.audit_id, sa.func.count()).where(actions.c.audit_id.in_(ids)).group_by(actions.c.audit_id),
        "actions_done": sa.select(actions.c.audit_id, sa.func.count()).where(
            actions.c.audit_id.in_(ids), actions.c.status == ActionStatus.DONE.value
        ).group_by(actions.c.audit_id),
    }
    for key, query in queries.items():
        for audit_id, n in conn.execute(query):
            out[audit_id][key] = int(n)
    return out


class WorkspaceRecords(Records):
    """Workspaces, their links and their audits."""

    def create_workspace(self, name: str) -> tuple[Workspace, str]:
        """A new workspace and its link (shown once: only its hash is stored)."""
        workspace = Workspace(id=new_id(), name=name)
        link = new_token()
        public, wrapped = new_workspace_keys(link)
        values = {
            "id": workspace.id, "name": workspace.name, "link_hash": hash_token(link), "generation": 1,
            "public_key": public, "wrapped_key": wrapped, "created_at": workspace.created_at,
        }
        self._write(lambda conn: conn.execute(workspaces.insert().values(**values)))
        return workspace, link

    def resolve_workspace(self, link: str | None) -> Workspace | None:
        """The workspace a link opens, or ``None`` for any other link (an audit's links included)."""
        if not link or not isinstance(link, str) or len(link) > 200:
            return None
        with self._read() as conn:
            row = conn.execute(
                sa.select(workspaces.c.id, workspaces.c.name, workspaces.c.created_at)
                .where(workspaces.c.link_hash == hash_token(link))
            ).first()
        return Workspace(row.id, row.name, row.created_at) if row else None

    def rotate_workspace_link(self, workspace_id: str, link: str) -> str:
        """Replace the workspace link (``link`` is the current one); the old one stops working at once."""
        new = new_token()

        def work(conn: Connection) -> None:
            row = _workspace_row(conn, workspace_id)
            if row.link_hash != hash_token(link):
                raise NotFound("workspace_link_old")
            conn.execute(
                workspaces.update().where(workspaces.c.id == workspace_id, workspaces.c.link_hash == row.link_hash).values(
                    link_hash=hash_token(new), generation=row.generation + 1, wrapped_key=rewrap(row.wrapped_key, link, new)
                )
            )

        self._write(work)
        return new

    def add_audit_to_workspace(self, workspace_id: str, audit_id: str, owner_link: str) -> None:
        """Put an audit into a workspace, its owner link sealed to the workspace's key."""

        def work(conn: Connection) -> None:
            row = _workspace_row(conn, workspace_id)
            conn.execute(workspace_audits.insert().values(
                audit_id=audit_id, workspace_id=workspace_id, added_at=utcnow(),
                sealed_owner_link=seal(row.public_key, owner_link, audit_id),
            ))

        self._write(work)

    def workspace_owner_link(self, workspace_id: str, link: str, audit_id: str) -> str:
        """The owner link of an audit of this workspace, opened with the workspace link."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(workspaces.c.wrapped_key, workspace_audits.c.sealed_owner_link)
                .select_from(workspace_audits.join(workspaces, workspaces.c.id == workspace_audits.c.workspace_id))
                .where(workspace_audits.c.audit_id == audit_id, workspace_audits.c.workspace_id == workspace_id)
            ).first()
        if row is None:
            raise NotFound(f"there is no audit {audit_id!r} in this workspace")
        return unseal(row.wrapped_key, link, row.sealed_owner_link, audit_id)

    def workspace_audit_ids(self, workspace_id: str) -> list[str]:
        """The ids of the workspace's audits, oldest first."""
        with self._read() as conn:
            return list(conn.execute(
                sa.select(workspace_audits.c.audit_id).where(workspace_audits.c.workspace_id == workspace_id)
                .order_by(workspace_audits.c.added_at, workspace_audits.c.audit_id)
            ).scalars())

    def workspace_progress(self, workspace_id: str) -> list[AuditProgress]:
        """The workspace's audits, oldest first, each with its progress."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(audits).select_from(audits.join(workspace_audits, workspace_audits.c.audit_id == audits.c.id))
                .where(workspace_audits.c.workspace_id == workspace_id).order_by(audits.c.created_at, audits.c.id)
            ).mappings().all()
            counts = _counts(conn, [r["id"] for r in rows])
        return [AuditProgress(audit_from_row(r), **counts[r["id"]]) for r in rows]
