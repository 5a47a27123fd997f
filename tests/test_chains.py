"""Chains: links in order, the weakest link, the break and the unreached links."""

from __future__ import annotations

import numpy as np
import pytest

from audit.chains import chain_links, chain_summary
from audit.model import Audit, AuditData, Catalog, Chain, Rating, Touchpoint
from audit.scoring import aggregate, analyse

AUDIT = Audit("au1", "Chains")
TPS = tuple(Touchpoint(t, "office", f"Point {t.upper()}") for t in "abcdef")


def catalog(*chains: Chain) -> Catalog:
    return Catalog("c", "Chains", TPS, chains)


def votes(tp: str, *reactions: str) -> list[Rating]:
    return [Rating(AUDIT.id, f"p{i}", tp, 5, r) for i, r in enumerate(reactions)]


def links_for(cat: Catalog, ratings: list[Rating]) -> tuple:
    data = AuditData(AUDIT, cat, ratings=tuple(ratings))
    links = chain_links(cat, aggregate(data))
    return links, chain_summary(links)


def test_break_at_first_predominantly_negative_link_and_unreached_after() -> None:
    cat = catalog(Chain("buy", "Buy", ("a", "b", "c", "d")))
    ratings = (votes("a", "positive", "positive") + votes("b", "negative", "negative", "positive")
               + votes("c", "negative", "negative") + votes("d", "positive"))
    links, summary = links_for(cat, ratings)
    assert links["touchpoint_id"].tolist() == ["a", "b", "c", "d"]
    assert links["position"].tolist() == [1, 2, 3, 4]
    assert links["performance"].tolist() == pytest.approx([1, -1 / 3, -1, 1])
    assert links["breaks"].tolist() == [False, True, False, False]
    assert links["unreached"].tolist() == [False, False, True, True]
    assert links["weakest"].tolist() == [False, True, False, False]  # c is lower, but after the break nobody reaches it
    assert links["status"].tolist() == ["ok", "broken here: customer lost", "unreached (after the break)", "unreached (after the break)"]
    assert links["lost_share"].tolist() == pytest.approx([0, 3 / 4, 0, 0])
    row = summary.iloc[0]
    assert row["broken_at_id"] == "b" and row["broken_position"] == 2 and row["unreached"] == 2
    assert row["weakest_id"] == "b" and row["weakest_performance"] == pytest.approx(-1 / 3)
    assert row["lost_share"] == pytest.approx(3 / 4) and row["broken_by"] == "team"
    assert row["status"] == "broken at Point B (link 2 of 4)"
    assert row["performance_mean"] == pytest.approx((1 - 1 / 3 - 1 + 1) / 4)


def test_a_tie_is_not_predominantly_negative() -> None:
    cat = catalog(Chain("buy", "Buy", ("a", "b")))
    links, summary = links_for(cat, votes("a", "negative", "positive") + votes("b", "negative", "neutral"))
    assert not links["breaks"].any() and not links["unreached"].any()
    assert summary.iloc[0]["status"] == "intact" and summary.iloc[0]["broken_at_id"] == ""


def test_weakest_link_tie_takes_the_first() -> None:
    cat = catalog(Chain("buy", "Buy", ("a", "b", "c")))
    links, _ = links_for(cat, votes("a", "neutral") + votes("b", "neutral") + votes("c", "positive"))
    assert links["weakest"].tolist() == [True, False, False]


def test_unrated_links_are_neither_weakest_nor_breaks() -> None:
    cat = catalog(Chain("buy", "Buy", ("a", "b", "c")))
    links, summary = links_for(cat, votes("b", "negative"))
    assert links["status"].tolist() == ["not rated yet", "broken here: customer lost", "unreached (after the break)"]
    assert links["weakest"].tolist() == [False, True, False]
    assert np.isnan(links.loc[0, "performance"])
    assert summary.iloc[0]["rated_links"] == 1


def test_nothing_rated_and_no_chains() -> None:
    cat = catalog(Chain("buy", "Buy", ("a", "b")), Chain("back", "Come back", ("c", "a")))
    links, summary = links_for(cat, [])
    assert set(links["status"]) == {"not rated yet"}
    assert summary["status"].tolist() == ["not rated yet", "not rated yet"]
    assert summary["weakest_id"].tolist() == ["", ""]
    links, summary = links_for(catalog(), votes("a", "negative"))
    assert links.empty and summary.empty
    assert list(links.columns)[:4] == ["chain_id", "chain_name", "position", "touchpoint_id"]


def test_several_chains_share_a_touchpoint() -> None:
    cat = catalog(Chain("one", "One", ("a", "b", "c")), Chain("two", "Two", ("d", "b", "e")), Chain("three", "Three", ("e", "f")))
    ratings = votes("b", "negative") + votes("a", "positive") + votes("d", "negative", "positive", "positive") + votes("e", "negative")
    data = AuditData(AUDIT, cat, ratings=tuple(ratings))
    analysis = analyse(data)
    links = analysis.chain_links
    assert links.groupby("chain_id", sort=False)["position"].max().tolist() == [3, 3, 2]
    assert analysis.chains["broken_at_id"].tolist() == ["b", "b", "e"]
    scores = analysis.scores
    assert scores.loc["b", "breaks_chain"] == "One; Two"
    assert scores.loc["e", "breaks_chain"] == "Three"
    assert scores.loc["e", "unreached_in"] == 1  # after b in "Two"
    assert scores.loc["c", "unreached_in"] == 1 and scores.loc["f", "unreached_in"] == 1
    # b breaks "One" at link 2 of 3 and "Two" at link 2 of 3: 2/3 of the journey lost, weighted 20
    assert scores.loc["b", "priority_chain"] == pytest.approx(20 * 2 / 3) and scores.loc["a", "priority_chain"] == 0


def test_links_through_catalog_positions_are_the_same_links() -> None:
    import pandas as pd

    from audit.chains import link_columns, link_frame
    from audit.frames import position_map
    from audit.scoring import catalog_index

    cat = catalog(Chain("buy", "Buy", ("a", "b", "c")), Chain("back", "Back", ("c", "a")))
    scores = aggregate(AuditData(AUDIT, cat, ratings=tuple(votes("a", "positive") + votes("b", "negative", "negative"))))
    arrays = {name: scores[name].to_numpy() for name in scores.columns}
    index = catalog_index(cat)
    quick = link_frame(link_columns(cat, index, arrays, "en", position_map(index)))
    pd.testing.assert_frame_equal(quick, chain_links(cat, scores), check_exact=True)
    assert quick["name"].tolist() == ["Point A", "Point B", "Point C", "Point C", "Point A"]
    nothing = link_frame(link_columns(catalog(), index, arrays, "en", position_map(index)))
    pd.testing.assert_frame_equal(nothing, chain_links(catalog(), scores), check_exact=True)
    assert nothing.empty and nothing["breaks"].dtype == bool
