"""The plan keeps up with the data: suggestions nobody touched follow the analysis, a person's rows stay.

:func:`sync_plan` compares the stored plan with the plan the current
analysis suggests (:func:`audit.plan.propose_plan`) and says what to store:

- A generated row **nobody touched** (its kind, what, owner, horizon, due,
  standard, status and notes still equal its stored suggestion,
  :func:`audit.planedit.untouched`) follows the data: when the analysis
  suggests the same decision (kind, what, owner, horizon, standard) only its
  priority and evidence are refreshed; when it suggests another one, the row
  is replaced by the new suggestion (keeping its due date when the horizon is
  the same); when it suggests nothing any more, the row goes.
- A row a **person touched** (any of those fields changed, a status set, or
  added by hand) stays as written. Its priority and evidence are refreshed
  from the data (a person never types them), and when the analysis now
  suggests another action type for its touchpoint, or none, the row gets a
  :class:`DataSays` flag ("data now says").
- A suggestion for a touchpoint without any row is added.

Rows that stay keep their order; replaced and new rows are placed by
priority among them. :func:`sync_stored_plan` runs this against a store in
one transaction and retries once if someone else changed the plan meanwhile.
Every view of the plan (the plan page, the workbook, the PDF report) syncs
first, so the plan always agrees with the analysis it is shown with.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from audit.i18n import t
from audit.ipa import QUADRANT_KEYS
from audit.model import Action, ActionKind
from audit.numbers import decimal
from audit.plan import propose_plan, touchpoint_evidence
from audit.planedit import PlanEdit, untouched
from audit.scoring import Analysis

DECISION = ("kind", "what", "owner", "horizon", "standard")


@dataclass(frozen=True, slots=True)
class DataSays:
    """Where the current analysis disagrees with a row a person wrote: the action type it suggests now (``None``: none)."""

    kind: ActionKind | None
    quadrant: str
    priority: float


@dataclass(frozen=True)
class PlanView:
    """The stored plan after a sync, with the "data now says" flags of the rows a person wrote (by action id)."""

    actions: tuple[Action, ...]
    says: Mapping[int, DataSays]
    changed: bool = False
    few_raters: frozenset[str] = frozenset()  # touchpoints whose team numbers rest on fewer than MIN_RATERS raters


def says_text(says: DataSays, lang: str) -> str:
    """"Data now says: ..." in ``lang``."""
    quadrant = t(QUADRANT_KEYS.get(says.quadrant, "quadrant.not_placed"), lang)
    if says.kind is None:
        return t("plan.data_says_none", lang, quadrant=quadrant, priority=decimal(says.priority, lang))
    return t("plan.data_says_kind", lang, kind=t(f"kind.{says.kind.name.lower()}", lang), quadrant=quadrant,
             priority=decimal(says.priority, lang))


def _same_decision(a: Action, b: Action) -> bool:
    return all(getattr(a, name) == getattr(b, name) for name in DECISION)


def _refreshed(action: Action, priorities: Mapping[str, float], evidence: Mapping[str, str]) -> Action:
    return dataclasses.replace(
        action,
        priority=priorities.get(action.touchpoint_id, action.priority),
        evidence=evidence.get(action.touchpoint_id, action.evidence),
    )


def sync_plan(
    current: Sequence[Action],
    suggestions: Mapping[int, Mapping[str, Any] | None],
    proposed: Sequence[Action],
    *,
    priorities: Mapping[str, float],
    evidence: Mapping[str, str],
    quadrants: Mapping[str, str],
) -> tuple[PlanEdit, dict[int, DataSays]]:
    """What to store so the plan follows ``proposed`` (rules in the module doc), and the flags of kept rows."""
    by_touchpoint = {p.touchpoint_id: p for p in proposed}
    kept: list[Action] = []
    incoming: list[Action] = []
    deletes: list[int] = []
    says: dict[int, DataSays] = {}
    covered: set[str] = set()
    for action in sorted(current, key=lambda a: (a.position, a.id or 0)):
        tp = action.touchpoint_id
        covered.add(tp)
        proposal = by_touchpoint.get(tp)
        pristine = action.id is not None and untouched(action, suggestions.get(action.id))
        if pristine and proposal is None:
            deletes.append(action.id)  # type: ignore[arg-type]
        elif pristine and proposal is not None and _same_decision(action, proposal):
            kept.append(_refreshed(action, priorities, evidence))
        elif pristine and proposal is not None:
            deletes.append(action.id)  # type: ignore[arg-type]
            due = action.due if proposal.horizon == action.horizon else proposal.due
            incoming.append(dataclasses.replace(proposal, due=due))
        else:
            kept.append(_refreshed(action, priorities, evidence))
            if action.id is not None and (proposal is None or proposal.kind != action.kind):
                says[action.id] = DataSays(proposal.kind if proposal else None, quadrants.get(tp, ""), priorities.get(tp, 0.0))
    incoming += [p for p in proposed if p.touchpoint_id not in covered]
    return _placed(current, kept, incoming, deletes), says


def _placed(current: Sequence[Action], kept: list[Action], incoming: list[Action], deletes: list[int]) -> PlanEdit:
    """Kept rows in their order, incoming ones placed by priority among them; only changed rows are saved."""
    ordered: list[Action] = []
    waiting = list(kept)
    for proposal in sorted(incoming, key=lambda p: -p.priority):
        while waiting and waiting[0].priority >= proposal.priority:
            ordered.append(waiting.pop(0))
        ordered.append(proposal)
    ordered.extend(waiting)
    before = {a.id: a for a in current if a.id is not None}
    saves = []
    for position, action in enumerate(ordered):
        moved = dataclasses.replace(action, position=position)
        if action.id is None or moved != before.get(action.id):
            saves.append(moved)
    return PlanEdit(saves=tuple(saves), deletes=tuple(deletes), added=len(incoming), reordered=bool(saves))


def _refused_by_store(err: Exception) -> bool:
    """The store's refusal (``StoreError`` or ``NotFound``), told by name: the core does not import the store."""
    return any(kind.__name__ == "StoreError" for kind in type(err).__mro__)


def sync_stored_plan(store: Any, audit_id: str, analysis: Analysis, *, today: dt.date | None = None) -> PlanView:
    """Bring the stored plan in line with ``analysis`` (one transaction) and return it with its flags.

    Nothing is stored for an audit nobody has rated yet (the plan stays as
    it is: empty, or what the owner added by hand).
    """
    scores = analysis.scores
    few = frozenset(str(i) for i in scores.index[scores["few_raters"].to_numpy(dtype=bool)]) if "few_raters" in scores else frozenset()
    proposed = propose_plan(analysis, today=today) if analysis.rated else []
    priorities = {str(k): float(v) for k, v in scores["priority"].items()}
    quadrants = {str(k): str(v) for k, v in scores["quadrant"].items()}
    for attempt in (1, 2):
        current = store.actions(audit_id)
        if not analysis.rated and not current:
            return PlanView((), {}, few_raters=few)
        evidence = {p.touchpoint_id: p.evidence for p in proposed}  # a touchpoint's evidence does not depend on its action
        evidence.update(touchpoint_evidence(analysis, [a.touchpoint_id for a in current if a.touchpoint_id not in evidence]))
        edit, says = sync_plan(current, store.suggestions(audit_id), proposed if analysis.rated else [],
                               priorities=priorities, evidence=evidence, quadrants=quadrants)
        if not analysis.rated:  # nothing to follow yet: keep every row, flag none
            return PlanView(tuple(current), {}, few_raters=few)
        if not edit.saves and not edit.deletes:
            return PlanView(tuple(current), says, few_raters=few)
        try:
            stored = store.edit_actions(audit_id, save=edit.saves, delete=edit.deletes)
        except Exception as err:  # the store refused: someone changed the plan meanwhile; read it again, once
            if attempt == 2 or not _refused_by_store(err):
                raise
            continue
        ids = {a.id for a in stored}
        return PlanView(tuple(stored), {k: v for k, v in says.items() if k in ids}, changed=True, few_raters=few)
    raise AssertionError("unreachable")
