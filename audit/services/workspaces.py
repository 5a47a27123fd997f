"""A consultant's portfolio: the workspace link makes audits for many clients, lists them, opens them, compares them.

The workspace link is checked on the server on every read and write, like an
audit's links, against its own table: an audit's owner, team or shopper link
is no workspace link and reaches nothing here (:class:`LinkNotValid`).
Rotating the workspace link makes the old one stop working at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd

from audit import benchmark
from audit.model import Audit, AuditData, AuditProgress, Catalog, Participant, Role, Workspace
from audit.services import audits
from audit.services.access import LinkNotValid, NotAllowed
from audit.services.permissions import WORKSPACE, Permission
from audit.store import Concerns, NotFound, Store, Unit


def authorize_workspace(store: Concerns, link: str | None, need: Permission) -> Workspace:
    """The workspace ``link`` opens, if a workspace link may do ``need``; raises otherwise."""
    if Permission(need) not in WORKSPACE:
        raise NotAllowed(f"a workspace link may not {Permission(need).value}")
    workspace = store.resolve_workspace(link)
    if workspace is None:
        raise LinkNotValid()
    return workspace


@contextmanager
def guard_workspace(store: Store, link: str | None, need: Permission, *, write: bool = False) -> Iterator[tuple[Unit, Workspace]]:
    """A unit of work in which the workspace link was checked for ``need`` (inside the unit's transaction)."""
    with store.unit(write=write) as tx:
        yield tx, authorize_workspace(tx, link, need)


def resolve(store: Concerns, link: str | None) -> Workspace | None:
    """The workspace of a link, or ``None`` (never raises for a bad link)."""
    return store.resolve_workspace(link)


def create_workspace(store: Store, *, name: Any) -> tuple[Workspace, str]:
    """Anyone may create a workspace (the creation key, where set, is asked by the page); returns it and its link."""
    Workspace(id="check", name=name)  # the name is checked before anything is written
    return store.create_workspace(name)


def create_audit(
    store: Store,
    link: str | None,
    *,
    name: Any,
    catalog: Catalog,
    language: str,
    locations: Iterable[str] = (),
    competitors: Iterable[str] = (),
    participants: Iterable[str] = (),
) -> tuple[Audit, dict[Role, str], list[Participant]]:
    """A new audit for a client, in the workspace: made, and put in the workspace, in one transaction."""
    with guard_workspace(store, link, Permission.CREATE_CLIENT_AUDIT, write=True) as (tx, workspace):
        made, links, people = audits.create_audit(
            tx, name=name, catalog=catalog, language=language, locations=locations, competitors=competitors, participants=participants,
        )
        tx.add_audit_to_workspace(workspace.id, made.id, links[Role.OWNER])
    return made, links, people


def portfolio(store: Store, link: str | None) -> tuple[Workspace, list[AuditProgress]]:
    """The workspace and its audits with their progress, from one snapshot."""
    with guard_workspace(store, link, Permission.VIEW_PORTFOLIO) as (tx, workspace):
        return workspace, tx.workspace_progress(workspace.id)


def owner_link(store: Store, link: str | None, audit_id: str) -> str:
    """The owner link of one of the workspace's audits (another audit's id is refused)."""
    with guard_workspace(store, link, Permission.OPEN_AS_OWNER) as (tx, workspace):
        try:
            return tx.workspace_owner_link(workspace.id, str(link), audit_id)
        except NotFound:
            raise NotAllowed("this audit is not in the workspace") from None


def owner_links(store: Store, link: str | None) -> dict[str, str]:
    """The owner link of every audit of the workspace, by audit id."""
    with guard_workspace(store, link, Permission.OPEN_AS_OWNER) as (tx, workspace):
        return {i: tx.workspace_owner_link(workspace.id, str(link), i) for i in tx.workspace_audit_ids(workspace.id)}


@dataclass(frozen=True)
class Benchmark:
    """One audit against the median of the workspace's other audits of the same preset."""

    audit: Audit
    others: int  # how many other audits of the same preset the medians stand on at most
    frame: pd.DataFrame  # :func:`audit.benchmark.compare`


def _wave_data(tx: Unit, audit: Audit) -> AuditData:
    return AuditData(audit=audit, catalog=tx.catalog(audit.id), ratings=tuple(tx.ratings(audit.id, wave=audit.wave)))


def compare(store: Store, link: str | None, audit_id: str) -> Benchmark:
    """Per touchpoint, this audit's importance and performance against the median of the workspace's others."""
    with guard_workspace(store, link, Permission.COMPARE_AUDITS) as (tx, workspace):
        ids = tx.workspace_audit_ids(workspace.id)
        if audit_id not in ids:
            raise NotAllowed("this audit is not in the workspace")
        this = tx.get_audit(audit_id)
        others = [a for a in (tx.get_audit(i) for i in ids if i != audit_id) if a.catalog_id == this.catalog_id]
        frame = benchmark.compare(_wave_data(tx, this), [_wave_data(tx, a) for a in others])
    return Benchmark(this, len(others), frame)


def rotate_link(store: Store, link: str | None) -> str:
    """Replace the workspace link; the old one stops working at once. Returns the new link."""
    with guard_workspace(store, link, Permission.MANAGE_WORKSPACE_LINK, write=True) as (tx, workspace):
        return tx.rotate_workspace_link(workspace.id, str(link))
