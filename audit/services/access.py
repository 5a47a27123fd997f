"""Who is asking: a link's token turned into an audit and a role, and a participant id into a person of that audit.

Every guarded operation starts here, on the server, on every read and every
write: :func:`authorize` turns a token into an :class:`~audit.store.Access` or
raises an :class:`AccessError` whose ``key`` names a message in :mod:`audit.i18n`.
:func:`guard` does the same inside a unit of work, so the check and what
follows read (or read and write) one consistent state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from audit.model import Participant, Role
from audit.services.permissions import SHARED_RESULTS, Permission, can
from audit.store import Access, Concerns, Store, Unit


class AccessError(Exception):
    """A request the link does not allow. ``key`` names the message in :mod:`audit.i18n`."""

    key = "access.denied"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.key)


class LinkNotValid(AccessError):
    """Unknown, malformed or rotated token."""

    key = "access.link_not_valid"


class NotAllowed(AccessError):
    """A valid link whose role does not allow this."""

    key = "access.not_allowed"


class NotAParticipant(AccessError):
    """A participant id that is not a person of this link's audit (or not of the link's side)."""

    key = "access.not_participant"


class NotYourVisit(AccessError):
    """A visit id that is not one of this shopper's visits (or not of this audit)."""

    key = "access.not_your_visit"


def resolve(store: Concerns, token: str | None) -> Access | None:
    """The audit and role of a token, or ``None`` (never raises for a bad token)."""
    return store.resolve_token(token)


def authorize(store: Concerns, token: str | None, need: Permission) -> Access:
    """The :class:`Access` of ``token`` if its role may do ``need``; raises otherwise."""
    access = store.resolve_token(token)
    if access is None:
        raise LinkNotValid()
    if can(access.role, need):
        return access
    granted_by_audit = Permission(need) in SHARED_RESULTS.get(access.role, frozenset())
    if not granted_by_audit or not can(access.role, need, store.get_audit(access.audit_id)):
        raise NotAllowed(f"{access.role.value} may not {Permission(need).value}")
    return access


@contextmanager
def guard(store: Store, token: str | None, need: Permission, *, write: bool = False) -> Iterator[tuple[Unit, Access]]:
    """A unit of work in which ``token`` was checked for ``need``: ``with guard(...) as (tx, access):``.

    A write unit checks the link again inside its transaction, so a link
    rotated a moment before cannot slip a write in.
    """
    if not write:
        with store.unit() as tx:
            yield tx, authorize(tx, token, need)
        return
    first = authorize(store, token, need)
    with store.unit(write=True, audit_id=first.audit_id) as tx:
        yield tx, authorize(tx, token, need)


def participant(store: Concerns, access: Access, participant_id: str | None) -> Participant:
    """The person ``participant_id`` *of this audit*; anything else raises :class:`NotAParticipant`."""
    person = store.participant(access.audit_id, participant_id)
    if person is None:
        raise NotAParticipant()
    return person


def rater(store: Concerns, access: Access, participant_id: str | None) -> Participant:
    """A person who rates through this link: the team link rates only as a team member.

    With the team link, a shopper's or the owner's id raises :class:`NotAParticipant`
    (a team link must not write in the owner's name); the owner link rates
    as the owner or a team member, never as a shopper.
    """
    person = participant(store, access, participant_id)
    allowed = {Role.TEAM} if access.role is Role.TEAM else {Role.OWNER, Role.TEAM}
    if person.role not in allowed:
        raise NotAParticipant()
    return person


def shopper(store: Concerns, access: Access, participant_id: str | None) -> Participant:
    """The shopper ``participant_id`` of this audit; a team member's or another audit's id raises :class:`NotAParticipant`."""
    person = participant(store, access, participant_id)
    if person.role is not Role.SHOPPER:
        raise NotAParticipant()
    return person
