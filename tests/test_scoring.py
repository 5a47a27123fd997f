"""Aggregation, evidence and channel economics on small hand-computed cases."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from audit.economics import channel_economics, economics_from_ticket
from audit.model import (
    Audit,
    AuditData,
    Catalog,
    Chain,
    ChannelEconomics,
    CompetitorNote,
    Observation,
    Participant,
    Rating,
    Role,
    ShopperVisit,
    Standard,
    Touchpoint,
    VisitStatus,
)
from audit.scoring import Analysis, aggregate, analyse, disagreement_list, summarise
from audit.store import Store

AUDIT = Audit("au1", "Test audit", competitors=("Alpha", "Beta"))
CATALOG = Catalog(
    "tiny",
    {"en": "Tiny", "ru": "Мини"},
    (
        Touchpoint("a", "office", {"en": "Sign", "ru": "Вывеска"}, stages=("before",), channels=("offline",)),
        Touchpoint("b", "staff", "Phone", stages=("before", "during")),
        Touchpoint("c", "product", "Price", stages=("during",)),
        Touchpoint("d", "technology", "Website"),
        Touchpoint("e", "staff", "Cashier", stages=("after",)),
    ),
    (Chain("buy", "Buy", ("a", "b", "c")),),
)


def rating(person: str, tp: str, importance: int | None = None, reaction: str | None = None, presence: str | None = None,
           comment: str = "", na: bool = False) -> Rating:
    return Rating(AUDIT.id, person, tp, importance, reaction, presence, comment, not_applicable=na)


RATINGS = (
    # a: three votes 8/6/10 with one reaction of each kind; one not-applicable rating (not a vote)
    rating("p1", "a", 8, "positive", "have"),
    rating("p2", "a", 6, "negative", "have"),
    rating("p3", "a", 10, "neutral", "missing"),
    rating("p4", "a", 3, "negative", na=True),
    # b: a single rater
    rating("p1", "b", 7, "negative", "missing", comment="=HYPERLINK(\"x\")"),
    # c: one rater gives only a reaction, another only an importance
    rating("p1", "c", reaction="positive"),
    rating("p2", "c", 4),
    # d: nobody
    # e: an even number of votes and a tie of reactions
    rating("p1", "e", 3, "positive", "not-needed"),
    rating("p2", "e", 8, "negative", "not-needed"),
    # a touchpoint that is not in the catalog is ignored
    rating("p1", "zzz", 9, "negative"),
)


@pytest.fixture
def data() -> AuditData:
    return AuditData(AUDIT, CATALOG, ratings=RATINGS)


def test_aggregate_by_hand(data: AuditData) -> None:
    agg = aggregate(data)
    assert list(agg.index) == ["a", "b", "c", "d", "e"]
    assert agg.index.name == "touchpoint_id"
    a = agg.loc["a"]
    assert (a["raters"], a["importance_n"], a["reaction_n"], a["not_applicable"]) == (3, 3, 3, 1)
    assert a["importance_mean"] == pytest.approx(8.0)
    assert a["importance_median"] == pytest.approx(8.0)
    assert a["importance_std"] == pytest.approx(math.sqrt(8 / 3))  # population std of 8, 6, 10
    assert (a["positive"], a["neutral"], a["negative"]) == (1, 1, 1)
    assert a["performance"] == pytest.approx(0.0)
    assert pd.isna(a["majority_reaction"])  # a three-way tie has no majority
    assert a["reaction_dissent"] == pytest.approx(2 / 3)
    assert a["disagreement"] == pytest.approx((math.sqrt(8 / 3) / 4.5 + 1.0) / 2)
    assert (a["presence_have"], a["presence_missing"], a["presence_not_needed"]) == (2, 1, 0)
    assert a["name_en"] == "Sign" and a["name_ru"] == "Вывеска" and a["category"] == "office"
    assert a["stages"] == "before" and a["channels"] == "offline"
    assert bool(a["rated"])


def test_single_rater_has_no_disagreement(data: AuditData) -> None:
    b = aggregate(data).loc["b"]
    assert (b["raters"], b["importance_mean"], b["importance_median"], b["importance_std"]) == (1, 7, 7, 0)
    assert b["performance"] == -1 and b["majority_reaction"] == "negative"
    assert b["reaction_dissent"] == 0 and b["disagreement"] == 0


def test_partial_ratings_count_only_for_what_they_have(data: AuditData) -> None:
    c = aggregate(data).loc["c"]
    assert (c["raters"], c["importance_n"], c["reaction_n"]) == (2, 1, 1)
    assert c["importance_mean"] == 4 and c["performance"] == 1
    assert c["disagreement"] == 0


def test_even_votes_median_and_reaction_tie(data: AuditData) -> None:
    e = aggregate(data).loc["e"]
    assert e["importance_median"] == pytest.approx(5.5)
    assert e["importance_std"] == pytest.approx(2.5)
    assert e["performance"] == 0 and pd.isna(e["majority_reaction"])
    assert e["reaction_dissent"] == pytest.approx(0.5)
    assert e["disagreement"] == pytest.approx((2.5 / 4.5 + 0.5 / (2 / 3)) / 2)


def test_unrated_touchpoint_is_marked_not_rated(data: AuditData) -> None:
    d = aggregate(data).loc["d"]
    assert not bool(d["rated"]) and d["raters"] == 0
    assert np.isnan(d["importance_mean"]) and np.isnan(d["performance"]) and np.isnan(d["disagreement"])
    assert (d["positive"], d["neutral"], d["negative"]) == (0, 0, 0)


def test_no_ratings_at_all_is_not_an_error() -> None:
    agg = aggregate(AuditData(AUDIT, CATALOG))
    assert len(agg) == 5 and not agg["rated"].any()
    assert (agg["raters"] == 0).all()
    analysis = analyse(AuditData(AUDIT, CATALOG))
    assert not analysis.rated and analysis.crosshair_point is None
    assert set(analysis.scores["quadrant"]) == {"not rated yet"}
    assert (analysis.scores["priority"] == 0).all()


def test_not_applicable_only_is_not_rated() -> None:
    data = AuditData(AUDIT, CATALOG, ratings=(rating("p1", "d", 5, "negative", na=True),))
    d = aggregate(data).loc["d"]
    assert d["not_applicable"] == 1 and d["raters"] == 0 and not bool(d["rated"])


def test_disagreement_list_discusses_disputed_first(data: AuditData) -> None:
    agg = aggregate(data)
    top = disagreement_list(agg, 10)
    assert list(top.index) == ["a", "e"]  # a: 0.6814, e: 0.6528; b and c have one voter per part
    assert list(disagreement_list(agg, 1).index) == ["a"]
    assert disagreement_list(agg, 0).empty


def test_disagreement_list_ties_more_voters_then_catalog_order() -> None:
    split = [rating("p1", t, 5, "positive") for t in "abd"] + [rating("p2", t, 5, "negative") for t in "abd"]
    split += [rating("p3", "d", 5, "positive"), rating("p4", "d", 5, "negative")]
    agg = aggregate(AuditData(AUDIT, CATALOG, ratings=tuple(split)))
    assert agg.loc["a", "disagreement"] == agg.loc["b", "disagreement"] == agg.loc["d", "disagreement"] == pytest.approx(0.375)
    assert list(disagreement_list(agg, 5).index) == ["d", "a", "b"]


def test_summary_per_category_and_stage(data: AuditData) -> None:
    agg = aggregate(data)
    cats = summarise(agg, "category")
    assert list(cats.index) == ["office", "product", "technology", "staff"]
    staff = cats.loc["staff"]  # b and e
    assert (staff["touchpoints"], staff["rated"]) == (2, 2)
    assert staff["importance_mean"] == pytest.approx((7 + 5.5) / 2)
    assert staff["performance"] == pytest.approx((-1 + 0) / 2)
    assert (staff["positive"], staff["neutral"], staff["negative"]) == (1, 0, 2)
    assert staff["negative_share"] == pytest.approx(2 / 3)
    tech = cats.loc["technology"]
    assert tech["rated"] == 0 and np.isnan(tech["importance_mean"]) and np.isnan(tech["negative_share"])

    stages = summarise(agg, "stage")
    assert list(stages.index) == ["before", "during", "after", "unspecified"]
    assert stages.loc["before", "touchpoints"] == 2  # a and b
    assert stages.loc["during", "touchpoints"] == 2  # b (two stages counts in both) and c
    assert stages.loc["during", "importance_mean"] == pytest.approx((7 + 4) / 2)
    assert stages.loc["unspecified", "touchpoints"] == 1  # d
    with pytest.raises(ValueError):
        summarise(agg, "colour")


# ------------------------------------------------------------------ evidence through the store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(str(tmp_path / "a.sqlite"))
    try:
        yield s
    finally:
        s.close()


def _visit(store: Store, audit_id: str, shopper: str, observations: tuple[Observation, ...], *, target: str = "",
           status: VisitStatus = VisitStatus.ACCEPTED) -> None:
    saved = store.save_visit(ShopperVisit(None, audit_id, shopper, dt.datetime(2025, 5, 1, 10), "phone", target=target,
                                          observations=observations, status=VisitStatus.SUBMITTED))
    if status is not VisitStatus.SUBMITTED:
        store.review_visit(audit_id, saved.id, status, "not a real visit" if status is VisitStatus.REJECTED else "")


def test_evidence_from_records_saved_in_the_store(store: Store) -> None:
    audit, _ = store.create_audit("Evidence", CATALOG, competitors=["Alpha", "Beta"])
    team = [store.add_participant(audit.id, f"T{i}") for i in range(2)]
    shopper = store.add_participant(audit.id, "Shopper", Role.SHOPPER)
    _team_rates_a_positive_b_negative_c_positive(store, audit.id, team)
    _owner_sets_three_standards(store, audit.id)
    _shopper_files_visits_some_accepted_one_at_a_competitor(store, audit.id, shopper.id)
    _owner_notes_how_competitors_compare(store, audit.id)
    data = store.load(audit.id)
    assert len(data.visits) == 6
    analysis = analyse(data)
    s = analysis.scores
    _shopper_performance_counts_accepted_visits_at_our_business_only(s)
    _blind_spots_show_both_ways(s)
    _standards_are_judged_from_accepted_measurements(s)
    _competitor_gaps_show_per_competitor_and_overall(analysis)


def _team_rates_a_positive_b_negative_c_positive(store: Store, audit_id: str, team: list[Participant]) -> None:
    """The team rates a positive, b negative and c positive (shoppers will disagree on a and b)."""
    # team: a positive (blind spot when shoppers are negative), b negative (shoppers positive), c positive
    for person in team:
        store.save_rating(Rating(audit_id, person.id, "a", 8, "positive"))
        store.save_rating(Rating(audit_id, person.id, "b", 6, "negative"))
        store.save_rating(Rating(audit_id, person.id, "c", 5, "positive"))


def _owner_sets_three_standards(store: Store, audit_id: str) -> None:
    """The owner sets a measured standard on b, c and a."""
    store.set_standard(audit_id, "b", Standard("rings before the answer", "rings", "<=", 3))
    store.set_standard(audit_id, "c", Standard("minutes to reply", "min", "<=", 15))
    store.set_standard(audit_id, "a", Standard("signs readable", "", ">=", 1))


def _shopper_files_visits_some_accepted_one_at_a_competitor(store: Store, audit_id: str, shopper_id: str) -> None:
    """The shopper files three accepted visits, one submitted, one rejected and one at Beta."""
    O = Observation
    _visit(store, audit_id, shopper_id, (O("a", "negative", "dirty"), O("b", "positive", measurement=2), O("c", "positive")))
    _visit(store, audit_id, shopper_id, (O("a", "negative"), O("b", "positive", measurement=5)))
    _visit(store, audit_id, shopper_id, (O("a", "neutral"), O("b", "neutral", measurement=3)))
    # not accepted: kept but ignored
    _visit(store, audit_id, shopper_id, (O("a", "positive"), O("b", "negative", measurement=9)), status=VisitStatus.SUBMITTED)
    _visit(store, audit_id, shopper_id, (O("a", "positive"),), status=VisitStatus.REJECTED)
    # a competitor visit: Beta at c (positive) vs our c (positive) -> same; at a (positive) vs ours (-2/3) -> better
    _visit(store, audit_id, shopper_id, (O("a", "positive"), O("c", "positive")), target="Beta")


def _owner_notes_how_competitors_compare(store: Store, audit_id: str) -> None:
    """The owner notes Alpha better at a and worse at c, and Beta worse at c."""
    store.save_competitor_note(CompetitorNote(audit_id, "Alpha", "a", "better", borrow="bright sign"))
    store.save_competitor_note(CompetitorNote(audit_id, "Alpha", "c", "worse"))
    store.save_competitor_note(CompetitorNote(audit_id, "Beta", "c", "worse"))  # the note wins over Beta's visit


def _shopper_performance_counts_accepted_visits_at_our_business_only(s: pd.DataFrame) -> None:
    """Shopper performance comes from accepted visits at our business only."""
    assert s.loc["a", "shopper_n"] == 3
    assert (s.loc["a", "shopper_positive"], s.loc["a", "shopper_neutral"], s.loc["a", "shopper_negative"]) == (0, 1, 2)
    assert s.loc["a", "shopper_performance"] == pytest.approx(-2 / 3)
    assert s.loc["a", "shopper_negative_share"] == pytest.approx(2 / 3)
    assert s.loc["b", "shopper_performance"] == pytest.approx(2 / 3)
    assert s.loc["d", "shopper_n"] == 0 and np.isnan(s.loc["d", "shopper_performance"])
    assert s.loc["a", "shopper_gap"] == pytest.approx(-2 / 3 - 1)


def _blind_spots_show_both_ways(s: pd.DataFrame) -> None:
    """Blind spots show both ways: team positive and shoppers negative, and the reverse."""
    assert s.loc["a", "blind_spot"] == "team positive, shoppers negative"
    assert s.loc["b", "blind_spot"] == "team negative, shoppers positive"
    assert s.loc["c", "blind_spot"] == ""


def _standards_are_judged_from_accepted_measurements(s: pd.DataFrame) -> None:
    """Standards are judged from accepted measurements: b measured 2, 5, 3 against <= 3."""
    assert (s.loc["b", "standard_measured"], s.loc["b", "standard_met"], s.loc["b", "standard_not_met"]) == (3, 2, 1)
    assert s.loc["b", "standard_status"] == "not met"
    assert s.loc["b", "standard_missed_share"] == pytest.approx(1 / 3)
    assert s.loc["b", "standard"] == "rings before the answer <= 3 rings"
    assert s.loc["c", "standard_status"] == "not measured"
    assert s.loc["a", "standard_status"] == "not measured"
    assert s.loc["d", "standard_status"] == "" and s.loc["d", "standard"] == ""


def _competitor_gaps_show_per_competitor_and_overall(analysis: Analysis) -> None:
    """Competitor gaps show per competitor (from notes and visits) and overall, and in the matrix."""
    gaps = analysis.competitor_gaps.set_index(["touchpoint_id", "competitor"])
    assert gaps.loc[("a", "Alpha"), "versus"] == "better" and gaps.loc[("a", "Alpha"), "source"] == "note"
    assert gaps.loc[("a", "Beta"), "versus"] == "better" and gaps.loc[("a", "Beta"), "source"] == "shoppers"
    assert gaps.loc[("a", "Beta"), "competitor_performance"] == 1
    assert gaps.loc[("c", "Beta"), "versus"] == "worse" and gaps.loc[("c", "Beta"), "source"] == "note"
    assert len(gaps) == 4
    s = analysis.scores
    assert s.loc["a", "competitor_overall"] == "better" and s.loc["a", "competitors_better"] == 2
    assert s.loc["a", "competitor_better_share"] == 1
    assert s.loc["c", "competitor_overall"] == "worse" and s.loc["c", "competitors_worse"] == 2
    assert s.loc["b", "competitor_overall"] == ""
    matrix = analysis.competitor_matrix
    assert list(matrix.columns) == ["Alpha", "Beta"]
    assert matrix.loc["a", "Alpha"] == "better" and matrix.loc["c", "Beta"] == "worse" and matrix.loc["b", "Alpha"] == ""


def test_competitor_same_from_shopper_visits(store: Store) -> None:
    audit, _ = store.create_audit("Same", CATALOG, competitors=["Alpha"])
    shopper = store.add_participant(audit.id, "Shopper", Role.SHOPPER)
    _visit(store, audit.id, shopper.id, (Observation("a", "neutral"),))
    _visit(store, audit.id, shopper.id, (Observation("a", "neutral"),), target="Alpha")
    s = analyse(store.load(audit.id)).scores
    assert s.loc["a", "competitors_same"] == 1 and s.loc["a", "competitor_overall"] == "same"
    assert s.loc["a", "shopper_n"] == 1  # the competitor's visit is not ours


def test_standard_met_when_every_measurement_meets_it() -> None:
    visit = ShopperVisit(1, AUDIT.id, "s", dt.datetime(2025, 1, 1), "phone", status="accepted",
                         observations=(Observation("b", "positive", measurement=3),))
    visit2 = ShopperVisit(2, AUDIT.id, "s", dt.datetime(2025, 1, 2), "phone", status="accepted",
                          observations=(Observation("b", "positive", measurement=1), Observation("a", "positive", measurement=4)))
    data = AuditData(AUDIT, CATALOG, visits=(visit, visit2),
                     standards={"b": Standard("rings", "", "<=", 3), "a": Standard("score", "", "==", 4)})
    s = analyse(data).scores
    assert s.loc["b", "standard_status"] == "met" and s.loc["b", "standard_met"] == 2
    assert s.loc["a", "standard_status"] == "met"  # exactly equal counts as met


# ------------------------------------------------------------------ channel economics


def test_channel_economics_worked_example() -> None:
    item = economics_from_ticket("ads", 90_000, 54, 12, 9_000)
    assert item.revenue == 108_000
    row = channel_economics([item], {"ads": "Online ads"}).loc["ads"]
    assert row["name"] == "Online ads"
    assert row["revenue"] == 108_000
    assert row["net"] == 18_000
    assert row["cost_per_lead"] == pytest.approx(90_000 / 54)
    assert row["cost_per_customer"] == 7_500
    assert row["lead_to_customer"] == pytest.approx(12 / 54)
    assert row["average_ticket"] == 9_000
    assert row["return_on_spend"] == pytest.approx(1.2)
    assert row["net_return"] == pytest.approx(0.2)


def test_channel_economics_zero_divisors_are_nan_not_infinite() -> None:
    row = channel_economics([ChannelEconomics("x", 0, 0, 0, 0)]).loc["x"]
    for column in ("cost_per_lead", "cost_per_customer", "lead_to_customer", "average_ticket", "return_on_spend", "net_return"):
        assert np.isnan(row[column]), column
    assert row["net"] == 0 and row["name"] == "x"
    assert channel_economics([]).empty


def test_economics_from_the_store(store: Store) -> None:
    audit, _ = store.create_audit("Money", CATALOG)
    store.save_economics(audit.id, economics_from_ticket("d", 90_000, 54, 12, 9_000))
    economics = analyse(store.load(audit.id)).economics
    assert list(economics.index) == ["d"]
    assert economics.loc["d", "net"] == 18_000 and economics.loc["d", "name"] == "Website"


def test_economics_are_kept_per_wave(store: Store) -> None:
    audit, _ = store.create_audit("Money", CATALOG)
    store.save_economics(audit.id, economics_from_ticket("d", 90_000, 54, 12, 9_000, wave=1))
    store.save_economics(audit.id, economics_from_ticket("d", 45_000, 54, 12, 9_000, wave=2))
    store.save_economics(audit.id, economics_from_ticket("d", 60_000, 54, 12, 9_000, wave=2))  # replaces wave 2's
    economics = analyse(store.load(audit.id)).economics
    assert list(economics["wave"]) == [1, 2] and list(economics["net"]) == [18_000, 48_000]
    store.delete_economics(audit.id, 1, "d")
    assert [(e.wave, e.spend) for e in store.economics(audit.id)] == [(2, 60_000)]


def test_vote_counts_count_each_part_of_a_rating_where_it_has_one() -> None:
    from audit.scoring import RatingColumns, vote_counts

    # touchpoint positions 0 and 1; -1 is not in the catalog
    cols = RatingColumns(
        touchpoint=np.array([0, 0, 0, 1, 1, -1]),
        importance=np.array([3.0, np.nan, 10.0, 7.0, 5.0, 4.0]),
        reaction=np.array([0, 2, -1, -1, 1, 0]),
        presence=np.array([-1, 1, -1, -1, 0, 0]),
        not_applicable=np.array([False, False, False, False, True, False]),
        comment=np.array(["", "", "", "", "", ""], dtype=object),
    )
    hist, reactions, presence, raters, not_applicable = vote_counts(cols, 2)
    assert hist.tolist() == [[0, 0, 1, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1, 0, 0, 0]]  # the N/A rating is no vote
    assert reactions.tolist() == [[1, 0, 1], [0, 0, 0]]
    assert presence.tolist() == [[0, 1, 0], [0, 0, 0]]
    assert raters.tolist() == [3, 1] and not_applicable.tolist() == [0, 1]
    empty = RatingColumns(*(np.zeros(0, dtype=t) for t in (np.int64, float, np.int64, np.int64, bool, object)))
    assert [part.shape for part in vote_counts(empty, 2)] == [(2, 10), (2, 3), (2, 3), (2,), (2,)]
