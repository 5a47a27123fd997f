"""docs/priority.md, "A broken journey weighs by what it cuts off": the worked example, reproduced."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.model import Audit, AuditData, Catalog, Chain, Observation, Rating, ShopperVisit, Touchpoint
from audit.priority import CHAIN_WEIGHT
from audit.scoring import analyse

AUDIT = Audit("au1", "Journeys")
WALK_IN = ("window", "entrance", "layout", "shelf", "price", "staff", "till", "bag")  # 8 links
RETURNS = ("receipt", "policy", "desk", "refund", "apology", "follow-up", "reviews")  # 7 links


def catalog() -> Catalog:
    ids = WALK_IN + RETURNS
    return Catalog("c", "C", tuple(Touchpoint(i, "office", i.title()) for i in ids),
                   (Chain("walk-in", "Walk-in purchase", WALK_IN), Chain("returns", "Return or exchange", RETURNS)))


def team(tp: str, *reactions: str) -> list[Rating]:
    return [Rating(AUDIT.id, f"p{i}", tp, 6, r) for i, r in enumerate(reactions)]


def test_a_break_at_the_first_link_weighs_seven_times_one_at_the_last() -> None:
    ratings = [r for tp in WALK_IN[1:] + RETURNS[:-1] for r in team(tp, "positive", "positive", "neutral")]
    ratings += team("window", "negative", "negative", "positive") + team("reviews", "negative", "negative", "neutral")
    analysis = analyse(AuditData(AUDIT, catalog(), ratings=tuple(ratings)))
    chains = analysis.chains.set_index("chain_id")
    assert chains.loc["walk-in", "broken_at_id"] == "window" and chains.loc["walk-in", "lost_share"] == 1.0
    assert chains.loc["returns", "broken_at_id"] == "reviews" and chains.loc["returns", "lost_share"] == pytest.approx(1 / 7)
    scores = analysis.scores
    assert scores.loc["window", "priority_chain"] == pytest.approx(20.0)  # 20 x (8 - 1 + 1) / 8
    assert scores.loc["reviews", "priority_chain"] == pytest.approx(20 / 7)  # 20 x (7 - 7 + 1) / 7 = 2.9
    assert round(scores.loc["reviews", "priority_chain"], 1) == 2.9
    assert CHAIN_WEIGHT == 20
    assert scores.loc["layout", "priority_chain"] == 0 and scores.loc["layout", "unreached_in"] == 1


def test_accepted_shopper_observations_break_a_chain_the_team_finds_fine() -> None:
    ratings = [r for tp in WALK_IN for r in team(tp, "positive", "positive", "neutral")]
    visits = tuple(
        ShopperVisit(n, AUDIT.id, "s", dt.datetime(2025, 5, n), "in-person", observations=(Observation("price", "negative"),), status=status)
        for n, status in ((1, "accepted"), (2, "accepted"), (3, "submitted"))
    )
    analysis = analyse(AuditData(AUDIT, catalog(), ratings=tuple(ratings), visits=visits))
    walk_in = analysis.chains.set_index("chain_id").loc["walk-in"]
    assert walk_in["broken_at_id"] == "price" and walk_in["broken_by"] == "shoppers"
    assert walk_in["lost_share"] == pytest.approx(4 / 8)
    assert analysis.scores.loc["price", "priority_chain"] == pytest.approx(10.0)
    # a visit not yet accepted does not count: without the accepted ones nothing breaks
    pending = tuple(v for v in visits if v.status.value != "accepted")
    quiet = analyse(AuditData(AUDIT, catalog(), ratings=tuple(ratings), visits=pending))
    assert quiet.chains.set_index("chain_id").loc["walk-in", "broken_at_id"] == ""


def test_the_weakest_link_is_one_a_customer_reaches() -> None:
    ratings = [r for tp in WALK_IN for r in team(tp, "positive", "positive")]
    ratings = [r for r in ratings if r.touchpoint_id not in ("entrance", "till")]
    ratings += team("entrance", "neutral", "positive") + team("till", "negative", "negative")  # the till breaks the chain
    ratings = [r for r in ratings if r.touchpoint_id != "bag"] + team("bag", "negative", "negative", "negative")
    links = analyse(AuditData(AUDIT, catalog(), ratings=tuple(ratings))).chain_links
    walk = links[links["chain_id"] == "walk-in"].set_index("touchpoint_id")
    assert walk.loc["till", "breaks"] and walk.loc["bag", "unreached"]
    assert walk.loc["till", "weakest"] and not walk.loc["bag", "weakest"]  # the bag is worse, but nobody gets there
