"""Us next to each competitor: which touchpoints are compared, where we lose and where we win."""

from __future__ import annotations

import datetime as dt

from audit.competitors import competitor_performance, side_by_side
from audit.model import (
    Audit,
    AuditData,
    Catalog,
    CompetitorNote,
    Observation,
    Rating,
    ShopperVisit,
    Touchpoint,
)
from audit.scoring import analyse

WHEN = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)


def data() -> AuditData:
    catalog = Catalog(
        "c", "C",
        (
            Touchpoint("sign", "office", "Sign"),
            Touchpoint("call", "staff", "Call"),
            Touchpoint("site", "technology", "Site"),
            Touchpoint("door", "office", "Door"),
            Touchpoint("quiet", "office", "Rated by the team only"),
        ),
    )
    audit = Audit("a", "Shop", competitors=("Rival", "Giant"))
    ratings = tuple(
        Rating("a", p, tp, importance=imp, reaction=r)
        for p in ("p1", "p2")
        for tp, imp, r in (("sign", 9, "negative"), ("call", 5, "positive"), ("site", 7, "neutral"), ("quiet", 8, "positive"))
    )
    visits = (
        ShopperVisit(1, "a", "s", WHEN, "phone", observations=(Observation("call", "negative"),), status="accepted"),
        ShopperVisit(2, "a", "s", WHEN, "phone", target="Rival", observations=(Observation("call", "positive"),), status="accepted"),
        ShopperVisit(3, "a", "s", WHEN, "website", target="Giant", observations=(Observation("door", "neutral"),), status="accepted"),
        # not accepted: ignored everywhere
        ShopperVisit(4, "a", "s", WHEN, "website", target="Giant", observations=(Observation("site", "positive"),), status="rejected"),
    )
    notes = (
        CompetitorNote("a", "Rival", "sign", "better", "positive", "Lit letters", "Ann"),
        CompetitorNote("a", "Giant", "sign", "worse"),
        CompetitorNote("a", "Giant", "site", "worse", borrow=""),
    )
    return AuditData(audit, catalog, ratings=ratings, visits=visits, competitor_notes=notes)


def test_side_by_side_lists_touchpoints_with_outside_evidence_on_either_side() -> None:
    view = side_by_side(analyse(data()))
    assert view.competitors == ("Rival", "Giant")
    table = view.table.set_index("touchpoint_id")
    assert list(table.index) == ["sign", "call", "site", "door"]  # catalog order; "quiet" has team ratings only
    assert table.at["sign", "vs:Rival"] == "better" and table.at["sign", "vs:Giant"] == "worse"
    assert table.at["sign", "borrow:Rival"] == "Lit letters" and table.at["sign", "source:Rival"] == "note"
    # Shoppers met us negative and Rival positive at the call: compared from the visits.
    assert table.at["call", "vs:Rival"] == "better" and table.at["call", "source:Rival"] == "shoppers"
    assert table.at["call", "shoppers:Rival"] == 1.0 and table.at["call", "shopper_performance"] == -1.0
    # A visit at Giant alone (no visit of ours there) shows their performance without a verdict.
    assert table.at["door", "vs:Giant"] == "" and table.at["door", "shoppers:Giant"] == 0.0
    assert table.at["call", "team_performance"] == 1.0 and table.at["sign", "importance"] == 9.0


def test_where_we_lose_and_win_most_important_first() -> None:
    view = side_by_side(analyse(data()))
    assert [(g.touchpoint_id, g.competitor, g.source) for g in view.lose] == [("sign", "Rival", "note"), ("call", "Rival", "shoppers")]
    assert view.lose[0].borrow == "Lit letters" and view.lose[0].importance == 9.0
    assert [(g.touchpoint_id, g.competitor) for g in view.win] == [("sign", "Giant"), ("site", "Giant")]


def test_only_accepted_visits_at_competitors_count() -> None:
    perf = competitor_performance(analyse(data()))
    assert sorted(zip(perf["touchpoint_id"], perf["competitor"], perf["n"], strict=False)) == [("call", "Rival", 1), ("door", "Giant", 1)]


def test_nothing_to_compare() -> None:
    base = data()
    empty = AuditData(base.audit, base.catalog, ratings=base.ratings)
    view = side_by_side(analyse(empty))
    assert len(view.table) == 0 and view.lose == () and view.win == ()


def test_the_demo_workbook_has_shopper_visits_and_competitors_side_by_side(tmp_path) -> None:
    import io

    import openpyxl

    from audit.demo import create_demo
    from audit.store import Store
    from audit.workbook import build_workbook

    store = Store(str(tmp_path / "demo.sqlite"))
    try:
        audit, _ = create_demo(store, catalog_id="retail", raters=3)
        data = store.load(audit.id)
        assert {v.target for v in data.visits} == {"", *audit.competitors}  # us and every competitor
        assert data.competitor_notes and any(store.photos(int(v.id)) for v in data.visits)
        book = openpyxl.load_workbook(io.BytesIO(build_workbook(data)), read_only=True)
    finally:
        store.close()
    visits = list(book["Shopper visits"].iter_rows(min_row=2, values_only=True))
    assert {row[3] for row in visits} == {"our business", *audit.competitors}
    assert {row[6] for row in visits} >= {"Accepted", "Submitted"}
    rows = list(book["Competitors"].iter_rows(values_only=True))
    titles = [r[0] for r in rows if r and isinstance(r[0], str) and (r[0].startswith("Side by side") or r[0].startswith("Where we"))]
    assert titles == ["Side by side: us and each competitor (touchpoints with outside evidence)",
                      "Where we lose (the competitor does better)", "Where we win (we do better)"]
    header = rows[[r[0] for r in rows].index(titles[0]) + 1]
    assert f"{audit.competitors[0]}: vs us" in header and "Us: shopper performance" in header
