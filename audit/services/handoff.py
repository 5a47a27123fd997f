"""The hand-off's guarded operations: every call checks the link first, on the server.

- Files of the plan (``.ics``, Jira CSV, Asana CSV) need ``DOWNLOAD``.
- Everything about connections (their secrets), people, pushing and pulling
  the status needs ``HAND_OFF``: the owner link only.

A page gets masked connections only; the sealed secret is opened here, for
the one call that needs it, and never returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from audit.handoff import amocrm, bitrix24, calendar, trackers
from audit.handoff.address import allow_local, parse_amo_account, parse_webhook, resolve_public
from audit.handoff.client import Client, Pacer
from audit.handoff.deadline import server_time_zone, zone_of
from audit.handoff.errors import HandoffError
from audit.handoff.push import LEASE, StepResult
from audit.handoff.records import Connection, PersonLink, RemoteStatus, Target, TaskLink
from audit.handoff.remote import Remote, RemoteUser
from audit.handoff.task import TaskText, plan_texts
from audit.handoff.vault import Vault, masked_token, masked_webhook
from audit.i18n import t
from audit.model import Audit, ValidationError, clean_text
from audit.services.access import authorize, guard
from audit.services.permissions import Permission
from audit.services.push import push_step
from audit.store import Concerns, Store

TOKEN_LIMIT = 4000
NAMES = {Target.BITRIX24: "Bitrix24", Target.AMOCRM: "amoCRM"}


def _texts(store: Concerns, audit: Audit) -> list[TaskText]:
    return plan_texts(store.actions(audit.id), store.catalog(audit.id), audit)


def _audit(store: Store, token: str | None, need: Permission) -> Audit:
    return store.get_audit(authorize(store, token, need).audit_id)


def _plan(store: Store, token: str | None) -> tuple[Audit, list[TaskText]]:
    """The audit and its plan's texts, read from one snapshot (``DOWNLOAD``)."""
    with guard(store, token, Permission.DOWNLOAD) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        return audit, _texts(tx, audit)


# ------------------------------------------------------------------ files (DOWNLOAD)


def calendar_file(store: Store, token: str | None) -> bytes:
    audit, texts = _plan(store, token)
    return calendar.plan_ics(texts, audit)


def jira_file(store: Store, token: str | None) -> bytes:
    return trackers.jira_csv(_plan(store, token)[1])


def asana_file(store: Store, token: str | None) -> bytes:
    return trackers.asana_csv(_plan(store, token)[1])


# ------------------------------------------------------------------ what the page shows (HAND_OFF)


@dataclass(frozen=True)
class Overview:
    audit: Audit
    zone: str  # the zone in use
    server_zone: str
    connections: Mapping[Target, Connection]  # masked: ``shown`` only is meant for the page
    owners: tuple[str, ...]  # the plan's owners, "" for actions without one
    people: Mapping[Target, Mapping[str, PersonLink]]
    links: Mapping[Target, Mapping[int, TaskLink]]
    texts: tuple[TaskText, ...]


def overview(store: Store, token: str | None) -> Overview:
    with guard(store, token, Permission.HAND_OFF) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        texts = _texts(tx, audit)
        connections = {}
        for target in Target:
            found = tx.connection(audit.id, target)
            if found is not None:
                connections[target] = Connection(found.audit_id, target, "", found.shown, found.settings, found.updated_at)
        people = {target: tx.people(audit.id, target) for target in Target}
        links = {target: tx.task_links(audit.id, target) for target in Target}
    owners = tuple(dict.fromkeys(x.owner for x in texts))
    return Overview(audit, zone_of(audit), server_time_zone(), connections, owners, people, links, tuple(texts))


def set_time_zone(store: Store, token: str | None, zone: Any) -> Audit:
    """The zone deadlines are sent in; ``""`` goes back to the server's."""
    with guard(store, token, Permission.HAND_OFF, write=True) as (tx, access):
        tx.set_time_zone(access.audit_id, zone)
        return tx.get_audit(access.audit_id)


# ------------------------------------------------------------------ connections (HAND_OFF)


@dataclass(frozen=True)
class Connected:
    shown: str  # the masked form
    forgot: bool  # another portal or account than before: its people and task ids were forgotten


def connect_bitrix24(store: Store, token: str | None, webhook_url: Any) -> Connected:
    """Check the webhook address (https, a public host) and keep it sealed; the page sees it masked."""
    audit = _audit(store, token, Permission.HAND_OFF)
    local = allow_local()
    hook = parse_webhook(str(webhook_url or ""), local=local)
    resolve_public(hook.endpoint, local=local)
    vault = Vault.for_database(store.url)
    connection = Connection(
        audit.id, Target.BITRIX24, vault.seal({"url": f"{hook.endpoint.origin}{hook.endpoint.base_path}"}),
        masked_webhook(hook.endpoint.origin, hook.user_id), {"place": f"{hook.endpoint.origin}/rest/{hook.user_id}"},
    )
    return Connected(connection.shown, _save(store, token, connection))


def connect_amocrm(
    store: Store, token: str | None, account: Any, access_token: Any, task_type: Any = amocrm.DEFAULT_TASK_TYPE,
) -> Connected:
    """Check the account address and keep the long-lived token sealed."""
    audit = _audit(store, token, Permission.HAND_OFF)
    local = allow_local()
    endpoint = parse_amo_account(str(account or ""), local=local)
    secret = "".join(str(access_token or "").split())
    if not secret or len(secret) > TOKEN_LIMIT or not all(c.isalnum() or c in "._-~+/=" for c in secret):
        raise ValidationError("token", "…", "crm_token", limit=TOKEN_LIMIT)
    try:
        kind = int(task_type)
    except (TypeError, ValueError):
        raise ValidationError("task_type", task_type, "task_type") from None
    if not 1 <= kind <= 10**9:
        raise ValidationError("task_type", kind, "positive")
    resolve_public(endpoint, local=local)
    vault = Vault.for_database(store.url)
    connection = Connection(audit.id, Target.AMOCRM, vault.seal({"origin": endpoint.origin, "token": secret}),
                            masked_token(endpoint.origin), {"place": endpoint.origin, "task_type": kind})
    return Connected(connection.shown, _save(store, token, connection))


def _save(store: Store, token: str | None, connection: Connection) -> bool:
    """Store a checked connection; the link is checked again inside the write."""
    with guard(store, token, Permission.HAND_OFF, write=True) as (tx, access):
        if access.audit_id != connection.audit_id:
            raise HandoffError("the link changed while the connection was checked", "failed")
        return tx.save_connection(connection)


def disconnect(store: Store, token: str | None, target: Any) -> None:
    where = _target(target)
    with guard(store, token, Permission.HAND_OFF, write=True) as (tx, access):
        tx.delete_connection(access.audit_id, where)


def _target(value: Any) -> Target:
    try:
        return Target(value)
    except ValueError:
        raise ValidationError("target", value, "one_of", choices="bitrix24, amocrm") from None


def open_remote(store: Store, audit_id: str, target: Target, pacer: Pacer | None = None) -> Remote:
    """The CRM behind the audit's connection (its secret opened for this call only)."""
    found = store.connection(audit_id, target)
    if found is None:
        raise HandoffError(f"{NAMES[target]} is not connected", "not_connected", target=NAMES[target])
    secret = Vault.for_database(store.url).open(found.secret)
    local = allow_local()
    if target is Target.BITRIX24:
        hook = parse_webhook(str(secret.get("url", "")), local=local)
        client = Client(hook.endpoint, pacer or Pacer(bitrix24.INTERVAL), slow_down=bitrix24.slow_down, local=local)
        return bitrix24.Bitrix24(client)
    endpoint = parse_amo_account(str(secret.get("origin", "")), local=local)
    client = Client(endpoint, pacer or Pacer(amocrm.INTERVAL), slow_down=amocrm.slow_down, local=local,
                    headers={"Authorization": f"Bearer {secret.get('token', '')}"})
    return amocrm.AmoCRM(client, int(found.settings.get("task_type", amocrm.DEFAULT_TASK_TYPE)))


# ------------------------------------------------------------------ people (HAND_OFF)


def remote_people(store: Store, token: str | None, target: Any, *, pacer: Pacer | None = None) -> list[RemoteUser]:
    audit = _audit(store, token, Permission.HAND_OFF)
    return open_remote(store, audit.id, _target(target), pacer).users()


def save_people(store: Store, token: str | None, target: Any, choice: Mapping[str, Any], *,
                pacer: Pacer | None = None) -> dict[str, PersonLink]:
    """Who over there gets each plan owner's tasks (``None`` clears one). Ids are checked against their list."""
    audit = _audit(store, token, Permission.HAND_OFF)
    where = _target(target)
    owners = {x.owner for x in _texts(store, audit)}
    unknown_owners = [o for o in choice if o not in owners]
    if unknown_owners:
        raise ValidationError("owner", unknown_owners[0], "not_plan_owner")
    people = {u.id: u for u in open_remote(store, audit.id, where, pacer).users()}
    links: dict[str, PersonLink | None] = {}
    for owner, remote_id in choice.items():
        if remote_id in (None, ""):
            links[owner] = None
            continue
        person = people.get(str(remote_id))
        if person is None:
            raise ValidationError("person", remote_id, "crm_user_gone", crm=NAMES[where])
        links[owner] = PersonLink(owner, person.id, clean_text(person.name, "name", limit=300) or person.id)
    with guard(store, token, Permission.HAND_OFF, write=True) as (tx, access):
        tx.save_people(access.audit_id, where, links)
        return tx.people(access.audit_id, where)


# ------------------------------------------------------------------ push and status (HAND_OFF)


def push(
    store: Store, token: str | None, target: Any, *, claim: str, attempted: frozenset[int] = frozenset(),
    pacer: Pacer | None = None, batch: int | None = None, lease: dt.timedelta = LEASE,
) -> StepResult:
    """One step of a push (see :mod:`audit.handoff.push`); call again until ``finished``."""
    audit = _audit(store, token, Permission.HAND_OFF)
    where = _target(target)
    if not claim or len(claim) > 40:
        raise ValidationError("claim", claim, "length_range", low=1, high=40)
    remote = open_remote(store, audit.id, where, pacer)
    return push_step(store, audit.id, where, remote, _texts(store, audit), store.people(audit.id, where), zone_of(audit),
                     claim=claim, attempted=attempted, batch=batch, lease=lease)


@dataclass(frozen=True)
class Refreshed:
    done_now: int  # actions that became done
    done: int
    open: int
    gone: int


def refresh(store: Store, token: str | None, target: Any, *, pacer: Pacer | None = None) -> Refreshed:
    """Pull the status of pushed tasks: a task completed over there marks its action done, with the day."""
    audit = _audit(store, token, Permission.HAND_OFF)
    where = _target(target)
    links = {link.remote_id: link.action_id for link in store.task_links(audit.id, where).values() if link.remote_id}
    if not links:
        return Refreshed(0, 0, 0, 0)
    zone = zone_of(audit)
    states = open_remote(store, audit.id, where, pacer).states(list(links), zone)
    statuses = {links[r]: (s.status, s.done_on) for r, s in states.items() if r in links}
    notes = {
        action_id: t("handoff.done_note", audit.language, target=NAMES[where],
                     date=done_on.isoformat() if done_on else "?")
        for action_id, (status, done_on) in statuses.items() if status is RemoteStatus.DONE
    }
    marked = store.record_remote_status(audit.id, where, statuses, notes)
    count = {s: sum(1 for v, _ in statuses.values() if v is s) for s in RemoteStatus}
    return Refreshed(marked, count[RemoteStatus.DONE], count[RemoteStatus.OPEN], count[RemoteStatus.GONE])


__all__ = [
    "Connected", "Overview", "Refreshed", "asana_file", "calendar_file", "connect_amocrm", "connect_bitrix24", "disconnect",
    "jira_file", "open_remote", "overview", "push", "refresh", "remote_people", "save_people", "server_time_zone",
    "set_time_zone",
]
