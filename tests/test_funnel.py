"""docs/priority.md, "The funnel's largest drop": stages, conversions, the marked stage and its boost in the plan."""

from __future__ import annotations

import math

import pytest

from audit.funnel import conversions, largest_drop
from audit.model import Audit, AuditData, Catalog, Chain, FunnelStep, Rating, Touchpoint
from audit.plan import propose_plan
from audit.priority import FUNNEL_WEIGHT
from audit.scoring import analyse
from audit.store import Store

AUDIT = Audit("au-f", "Funnel")
STAGES = ("ad", "call", "visit", "till")  # 100 -> 60 -> 12 -> 10


def catalog() -> Catalog:
    ids = (*STAGES, "leaflet")
    return Catalog("c", "C", tuple(Touchpoint(i, "technology", i.title()) for i in ids), (Chain("buy", "Buying", STAGES),))


def funnel(*reached: int) -> tuple[FunnelStep, ...]:
    return tuple(FunnelStep("buy", i, tp, n) for i, (tp, n) in enumerate(zip(STAGES, reached, strict=True)))


def ratings() -> tuple[Rating, ...]:
    """Every stage rated alike (importance 6, neutral with one negative; no journey breaks), so only the funnel tells them apart.

    A leaflet off the journey (importance 2, positive) puts the stages in "Concentrate here": each has an action.
    """
    stages = [Rating(AUDIT.id, f"p{i}", tp, 6, r) for tp in STAGES for i, r in enumerate(("negative", "neutral", "neutral"))]
    return (*stages, *(Rating(AUDIT.id, f"p{i}", "leaflet", 2, "positive") for i in range(3)))


def test_conversion_per_stage_and_the_largest_drop() -> None:
    rates = conversions([100, 60, 12, 10])
    assert math.isnan(rates[0]) and rates[1:] == pytest.approx([0.6, 0.2, 10 / 12])
    assert largest_drop([100, 60, 12, 10]) == 2  # the stage reached by 12 of 60
    assert largest_drop([50, 50, 50]) is None  # nobody lost: nothing marked
    assert largest_drop([10, 0, 0]) == 1  # after zero there is no conversion to compare
    assert largest_drop([100, 50, 25]) == 1  # equal drops: the earliest


def test_the_stage_with_the_largest_drop_rises_in_the_plan_by_the_documented_boost() -> None:
    without = analyse(AuditData(AUDIT, catalog(), ratings=ratings()))
    with_funnel = analyse(AuditData(AUDIT, catalog(), ratings=ratings(), funnel=funnel(100, 60, 12, 10)))

    stages = with_funnel.funnel.set_index("touchpoint_id")
    assert list(stages["reached"]) == [100, 60, 12, 10]
    assert list(stages.index[stages["largest_drop"]]) == ["visit"]
    assert stages.loc["visit", "conversion"] == pytest.approx(0.2)

    before, after = without.scores["priority"], with_funnel.scores["priority"]
    assert FUNNEL_WEIGHT == 10
    assert after["visit"] == pytest.approx(before["visit"] + FUNNEL_WEIGHT)
    assert with_funnel.scores.loc["visit", "funnel_drop"] == "Buying"
    assert (after.drop("visit") == before.drop("visit")).all()

    plan_before = propose_plan(without)
    assert [a.touchpoint_id for a in plan_before] == list(STAGES)  # equal priorities: catalog order
    plan_after = propose_plan(with_funnel)
    assert [a.touchpoint_id for a in plan_after] == ["visit", "ad", "call", "till"]  # the drop comes first
    assert plan_after[0].priority == pytest.approx(plan_before[2].priority + FUNNEL_WEIGHT)


def test_the_funnel_is_stored_per_wave_and_feeds_the_analysis(store: Store) -> None:
    audit, _links = store.create_audit("Shop", catalog())
    store.save_funnel(audit.id, 1, "buy", list(funnel(100, 60, 12, 10)))
    store.save_funnel(audit.id, 1, "buy", list(funnel(100, 80, 12, 10)))  # replaced, not added
    loaded = store.load(audit.id)
    assert [s.reached for s in loaded.funnel] == [100, 80, 12, 10]
    assert analyse(loaded).scores.loc["visit", "priority_funnel"] == FUNNEL_WEIGHT
    assert store.load(audit.id, wave=2).funnel == ()
    store.save_funnel(audit.id, 1, "buy", [])
    assert store.funnel(audit.id, 1) == []
