"""The plan keeps up: untouched suggestions follow new ratings and the crosshair, a person's rows stay, flagged."""

from __future__ import annotations

import dataclasses
import datetime as dt

from audit import planedit, services
from audit.model import Action, ActionKind, ActionStatus, Catalog, Rating, Role, Touchpoint
from audit.plansync import sync_plan
from audit.store import Store

TODAY = dt.date(2025, 6, 2)
IDS = ("sign", "site", "call", "box")


def action(i: int | None, tp: str, **kw: object) -> Action:
    base = {"id": i, "audit_id": "au", "touchpoint_id": tp, "kind": "improve", "what": f"Improve {tp}", "owner": "Office manager",
                "horizon": "this month", "due": TODAY + dt.timedelta(days=30), "priority": 40.0, "position": (i or 0) - 1}
    base.update(kw)
    return Action(**base)  # type: ignore[arg-type]


def suggestion(a: Action) -> dict:
    return {"touchpoint_id": a.touchpoint_id, "kind": a.kind.value, "what": a.what, "owner": a.owner, "horizon": a.horizon.value,
            "due": a.due.isoformat() if a.due else None, "standard": a.standard, "status": a.status.value, "notes": a.notes}


def sync(current: list[Action], suggestions: dict, proposed: list[Action]):
    priorities = {p.touchpoint_id: p.priority for p in proposed} | {"call": 12.0}
    return sync_plan(current, suggestions, proposed, priorities=priorities, evidence={"sign": "new evidence"},
                     quadrants={"sign": "Concentrate here", "site": "Keep up the good work", "call": "Low priority"})


def test_untouched_rows_follow_touched_rows_stay_and_are_flagged() -> None:
    sign, site, call = action(1, "sign"), action(2, "site", status="in progress"), action(3, "call", suggested=False)
    suggestions = {1: suggestion(sign), 2: suggestion(action(2, "site")), 3: None}
    proposed = [action(None, "sign", kind="fix now", what="Fix the sign now", horizon="this week", priority=80.0,
                       due=TODAY + dt.timedelta(days=7)),
                action(None, "site", kind="keep and amplify", what="Amplify site", horizon="this quarter", priority=20.0),
                action(None, "box", priority=10.0)]
    edit, says = sync([sign, site, call], suggestions, proposed)
    assert edit.deletes == (1,)  # the untouched "improve sign" is replaced by the new suggestion
    new = [a for a in edit.saves if a.id is None]
    assert [(a.touchpoint_id, a.kind) for a in new] == [("sign", ActionKind.FIX_NOW), ("box", ActionKind.IMPROVE)]
    kept_site = next(a for a in edit.saves if a.id == 2)
    assert kept_site.kind is ActionKind.IMPROVE and kept_site.status is ActionStatus.IN_PROGRESS  # as the person left it
    assert kept_site.priority == 20.0  # priority follows the data
    assert says[2].kind is ActionKind.AMPLIFY and says[2].quadrant == "Keep up the good work"  # "data now says"
    assert says[3].kind is None and says[3].quadrant == "Low priority"  # nothing suggested there any more
    order = [a.touchpoint_id for a in sorted(edit.saves, key=lambda a: a.position)]
    assert order[0] == "sign"


def test_the_same_decision_keeps_the_row_and_its_id() -> None:
    sign = action(1, "sign", priority=30.0)
    proposal = dataclasses.replace(sign, id=None, priority=35.0, due=TODAY + dt.timedelta(days=40))
    edit, says = sync([sign], {1: suggestion(sign)}, [proposal])
    assert edit.deletes == () and not says
    assert [(a.id, a.priority, a.evidence, a.due) for a in edit.saves] == [(1, 35.0, "new evidence", sign.due)]
    # nothing changed at all: nothing to store
    same = dataclasses.replace(sign, priority=35.0, evidence="new evidence")
    edit, _ = sync([same], {1: suggestion(same)}, [proposal])
    assert edit.saves == () and edit.deletes == ()


def test_an_untouched_row_without_a_suggestion_goes_a_touched_one_stays() -> None:
    sign, site = action(1, "sign"), action(2, "site", notes="ask Maria")
    edit, says = sync([sign, site], {1: suggestion(sign), 2: suggestion(action(2, "site"))}, [])
    assert edit.deletes == (1,) and [a.id for a in edit.saves] == [2] and says[2].kind is None


def test_a_replaced_row_keeps_its_due_date_when_the_horizon_is_the_same() -> None:
    sign = action(1, "sign", due=dt.date(2025, 6, 20))
    proposal = action(None, "sign", what="Improve the sign: new numbers", due=TODAY + dt.timedelta(days=30))
    edit, _ = sync([sign], {1: suggestion(sign)}, [proposal])
    assert edit.deletes == (1,) and [a.due for a in edit.saves] == [dt.date(2025, 6, 20)]


# ------------------------------------------------------------------ against a real store


def _audit(store: Store) -> tuple[str, str, list[str]]:
    audit, links = store.create_audit("Bakery", Catalog("c", "C", tuple(Touchpoint(i, "office", i.title()) for i in IDS)))
    people = [store.add_participant(audit.id, name).id for name in ("Ann", "Bob", "Cy")]
    for person in people:
        for tp, reaction in zip(IDS, ("negative", "negative", "neutral", "positive"), strict=True):
            store.save_rating(Rating(audit.id, person, tp, importance=8, reaction=reaction))
    return audit.id, links[Role.OWNER], people


def test_new_ratings_reach_untouched_rows_by_themselves(store: Store) -> None:
    audit_id, token, people = _audit(store)
    first = services.plan.plan(store, token, today=TODAY)
    by_tp = {a.touchpoint_id: a for a in first}
    assert by_tp["sign"].kind is ActionKind.FIX_NOW and by_tp["site"].kind is ActionKind.FIX_NOW
    # the owner works on "site"; then the team changes its mind about both
    site = dataclasses.replace(by_tp["site"], status=ActionStatus.IN_PROGRESS)
    services.plan.save_edit(store, token, planedit.PlanEdit(saves=(site,)))
    for person in people:
        for tp in ("sign", "site"):
            store.save_rating(Rating(audit_id, person, tp, importance=8, reaction="positive"))
    view = services.plan.plan_view(store, token, today=TODAY)  # no "update suggestions" click
    now = {a.touchpoint_id: a for a in view.actions}
    assert "sign" not in now  # nothing to fix any more, nobody had touched it
    assert now["site"].id == site.id and now["site"].status is ActionStatus.IN_PROGRESS and now["site"].kind is ActionKind.FIX_NOW
    assert view.says[site.id].kind is None  # ... flagged: the data no longer asks for it
    assert services.plan.plan_view(store, token, today=TODAY).changed is False  # a second look stores nothing
