"""The guarded operations: everything a page, the CLI or the demo may ask of an audit.

Each operation takes the store and the link's token, checks on the server
what the token's role may do (:mod:`audit.services.permissions`, a pure
table), and reads or writes through a unit of work, so a check and the
write that depends on it see one consistent state. Pages call these and show
what they return; they never reach the store themselves.

- ``permissions``: the role -> permission table (no I/O);
- ``access``: tokens into audits and roles, participant ids into people, ``guard``;
- ``audits``: create an audit, what a link opens, the three links;
- ``rating``: join, answer (the rating card's outbox too), add a touchpoint, the live board;
- ``room``: the facilitator's room (follow-me, countdown, discussed, anonymous) and the board's cheap reads;
- ``visits``: the shopper's own visits and their rules;
- ``review``: the owner's review of visits;
- ``evidence``: standards, competitors, the owner's analysis;
- ``analysis``: the analysis of a wave and its input, computed once per data version and shared;
- ``economics``: money per advertising touchpoint and wave (by hand or from a CSV file), the journeys' funnels;
- ``results``: results, wave comparison, downloads, waves;
- ``plan``: the action plan and its Excel round trip;
- ``handoff``: the plan to calendars, trackers and CRMs (files, connections, people, push, status);
  ``push``: one step of a push (claims and answers written back);
- ``portability``: one audit exported as a zip, erased, or imported;
- ``workspaces``: a consultant's portfolio of audits behind a workspace link.

Pages use ``from audit import services`` and call ``services.rating.save_answer(...)``.
The storage names a page holds (the store it opens once per process, the
refusals it shows) are handed on here too.
"""

from audit.services import (
    access,
    analysis,
    audits,
    economics,
    evidence,
    handoff,
    permissions,
    plan,
    portability,
    push,
    rating,
    results,
    review,
    room,
    visits,
    workspaces,
)
from audit.store import Access, NotFound, Store, StoreError

__all__ = [
    "Access",
    "NotFound",
    "Store",
    "StoreError",
    "access",
    "analysis",
    "audits",
    "economics",
    "evidence",
    "handoff",
    "permissions",
    "plan",
    "portability",
    "push",
    "rating",
    "results",
    "review",
    "room",
    "visits",
    "workspaces",
]
