"""The permission table: what each role may do. Pure data and two functions, no I/O.

A link opens one audit in one role (owner, team, shopper); no link may only
create an audit (or a workspace). The team sees the results (read-only) while
the owner shares them. A workspace link, the fourth kind, opens no audit by
itself: it may do what :data:`WORKSPACE` lists, and no audit link may do any of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from audit.model import Audit, Role


class Permission(StrEnum):
    """Things a link can let a person do."""

    CREATE_AUDIT = "create-audit"  # anyone, no link needed
    VIEW_CATALOG = "view-catalog"
    RATE = "rate"
    ADD_TOUCHPOINT = "add-touchpoint"
    VIEW_BOARD = "view-board"
    MANAGE_LINKS = "manage-links"
    SHOPPER_VISIT = "shopper-visit"  # file one's own visit reports (shopper link only)
    REVIEW_VISITS = "review-visits"  # accept, reject or send back shoppers' visits
    SET_STANDARDS = "set-standards"
    ENTER_ECONOMICS = "enter-economics"  # money per advertising touchpoint and the journeys' funnels
    COMPARE_COMPETITORS = "compare-competitors"
    VIEW_RESULTS = "view-results"  # owner; the team too while the owner shares the results
    SHARE_RESULTS = "share-results"
    EDIT_PLAN = "edit-plan"
    DOWNLOAD = "download"
    MANAGE_WAVES = "manage-waves"
    HAND_OFF = "hand-off"  # connect CRMs (secrets), map people, push the plan, pull its status
    LEAD_ROOM = "lead-room"  # follow-me, countdown, discussed marks, anonymous projector
    EXPORT_AUDIT = "export-audit"  # every record of the audit as a zip (data-protection requests)
    ERASE_AUDIT = "erase-audit"  # delete every row and photo of the audit
    # A workspace link (a consultant's portfolio) may do these, and no audit link may:
    CREATE_WORKSPACE = "create-workspace"  # anyone, no link needed
    VIEW_PORTFOLIO = "view-portfolio"  # the workspace's audits and their progress
    CREATE_CLIENT_AUDIT = "create-client-audit"  # a new audit that belongs to the workspace
    OPEN_AS_OWNER = "open-as-owner"  # an audit of the workspace, with its owner link
    COMPARE_AUDITS = "compare-audits"  # one audit against the median of the workspace's others
    MANAGE_WORKSPACE_LINK = "manage-workspace-link"


PUBLIC: frozenset[Permission] = frozenset({Permission.CREATE_AUDIT, Permission.CREATE_WORKSPACE})

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.OWNER: PUBLIC
    | {
        Permission.VIEW_CATALOG,
        Permission.RATE,
        Permission.ADD_TOUCHPOINT,
        Permission.VIEW_BOARD,
        Permission.MANAGE_LINKS,
        Permission.REVIEW_VISITS,
        Permission.SET_STANDARDS,
        Permission.ENTER_ECONOMICS,
        Permission.COMPARE_COMPETITORS,
        Permission.VIEW_RESULTS,
        Permission.SHARE_RESULTS,
        Permission.EDIT_PLAN,
        Permission.DOWNLOAD,
        Permission.MANAGE_WAVES,
        Permission.HAND_OFF,
        Permission.LEAD_ROOM,
        Permission.EXPORT_AUDIT,
        Permission.ERASE_AUDIT,
    },
    Role.TEAM: PUBLIC | {Permission.VIEW_CATALOG, Permission.RATE, Permission.ADD_TOUCHPOINT},
    Role.SHOPPER: PUBLIC | {Permission.VIEW_CATALOG, Permission.SHOPPER_VISIT},
}

# What a workspace link may do (it opens no audit by itself; an audit's links reach none of this).
WORKSPACE: frozenset[Permission] = frozenset({
    Permission.VIEW_PORTFOLIO,
    Permission.CREATE_CLIENT_AUDIT,
    Permission.OPEN_AS_OWNER,
    Permission.COMPARE_AUDITS,
    Permission.MANAGE_WORKSPACE_LINK,
})

# Granted only while the audit says so: the team sees the results (read-only) once the owner shares them.
SHARED_RESULTS: Mapping[Role, frozenset[Permission]] = {Role.TEAM: frozenset({Permission.VIEW_RESULTS})}

# What a freshly opened link shows first.
HOME: Mapping[Role, str] = {Role.OWNER: "board", Role.TEAM: "rate", Role.SHOPPER: "shopper"}


def permissions(role: Role | None, audit: Audit | None = None) -> frozenset[Permission]:
    """Everything ``role`` may do; ``None`` (no link) may only create an audit.

    With the ``audit``, what its settings grant too (the team sees shared results).
    """
    if role is None:
        return PUBLIC
    granted = ROLE_PERMISSIONS[Role(role)]
    if audit is not None and audit.results_shared:
        granted = granted | SHARED_RESULTS.get(Role(role), frozenset())
    return granted


def can(role: Role | None, need: Permission, audit: Audit | None = None) -> bool:
    return Permission(need) in permissions(role, audit)
