"""An audit as a whole: creating one (anyone), reading what its link opens, and managing its three links (owner)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from audit.departments import departments_from_text
from audit.model import Audit, Catalog, Participant, Role, ValidationError, clean_text
from audit.services.access import authorize, guard
from audit.services.permissions import Permission
from audit.store import Access, Concerns, Store


def create_audit(
    store: Concerns,
    *,
    name: Any,
    catalog: Catalog,
    language: str,
    locations: Iterable[str] = (),
    competitors: Iterable[str] = (),
    participants: Iterable[str] = (),
) -> tuple[Audit, dict[Role, str], list[Participant]]:
    """Anyone may create an audit; they get its owner link (and the team and shopper links).

    Names are checked before anything is written, and the audit and its
    people are stored in one transaction, so a mistake creates nothing
    (``store`` may be a write unit that other writes share, as a workspace's does).
    """
    names = [clean_text(p, "participants", required=True, limit=120) for p in participants]
    if len({n.casefold() for n in names}) != len(names):
        raise ValidationError("participants", names, "names_differ")
    Audit(id="check", name=name, language=language, locations=tuple(locations), competitors=tuple(competitors))
    with store.unit(write=True) as tx:
        made, links = tx.create_audit(name, catalog, language=language, locations=tuple(locations), competitors=tuple(competitors))
        people = [tx.add_participant(made.id, n, Role.TEAM) for n in names]
    return made, links, people


def audit(store: Store, token: str | None, need: Permission = Permission.VIEW_CATALOG) -> tuple[Access, Audit]:
    with guard(store, token, need) as (tx, access):
        return access, tx.get_audit(access.audit_id)


def catalog(store: Store, token: str | None) -> Catalog:
    with guard(store, token, Permission.VIEW_CATALOG) as (tx, access):
        return tx.catalog(access.audit_id)


def catalog_version(store: Store, token: str | None) -> tuple[str, str]:
    """``(audit_id, version)`` for caching the catalog; the version changes when it grows."""
    with guard(store, token, Permission.VIEW_CATALOG) as (tx, access):
        return access.audit_id, tx.catalog_version(access.audit_id)


def rotate_link(store: Store, token: str | None, role: Role) -> str:
    """Replace the link of ``role`` (owner only); the old one stops working at once."""
    access = authorize(store, token, Permission.MANAGE_LINKS)
    return store.rotate_token(access.audit_id, Role(role), owner_token=token)


def links(store: Store, token: str | None) -> dict[Role, str]:
    """The owner, team and shopper links of the audit (owner only)."""
    authorize(store, token, Permission.MANAGE_LINKS)
    return store.links(token)


def people(store: Store, token: str | None) -> list[Participant]:
    """Every person of the audit who rates (owner only), for their personal links and QR codes."""
    with guard(store, token, Permission.MANAGE_LINKS) as (tx, access):
        return [p for p in tx.participants(access.audit_id) if p.role is not Role.SHOPPER]


def set_departments(store: Store, token: str | None, names: Any) -> Audit:
    """The departments people pick from when they join (owner only): a list, or a text with one name per line.

    A line naming a default department (in any of the app's languages) is
    kept as that department, so it stays translated for everyone.
    """
    with guard(store, token, Permission.MANAGE_LINKS, write=True) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        text = "\n".join(names) if isinstance(names, (list, tuple)) else names
        if not isinstance(text, str):
            raise ValidationError("departments", names, "list_of_names")
        chosen = departments_from_text(text, audit.language)
        return tx.update_audit(dataclasses.replace(audit, departments=chosen))
