"""The results charts: Altair specs built from the analysis (filters, IPA, heatmap, reactions, chains, blind spots, competitors)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from audit.charts import (
    CATEGORY_COLOURS,
    NEGATIVE,
    POSITIVE,
    REACTION_COLOURS,
    Filters,
    blind_spot_chart,
    blind_spot_frame,
    chain_chart,
    chain_frame,
    chain_table,
    competitor_chart,
    competitor_frame,
    disagreement_table,
    heatmap_chart,
    heatmap_frame,
    reaction_chart,
    reaction_frame,
    wave_change_chart,
)
from audit.i18n import t
from audit.ipa import CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL, ipa_quadrants
from audit.ipa_chart import crosshair_moves, ipa_chart, ipa_frame, quadrant_counts
from audit.model import Audit, AuditData, Catalog, Chain, CompetitorNote, Observation, Rating, ShopperVisit, Touchpoint
from audit.scoring import analyse, summarise


def data(*, ratings: bool = True) -> AuditData:
    audit = Audit("au1", "Bakery", competitors=("Alpha",))
    catalog = Catalog(
        "c", "C",
        (
            Touchpoint("sign", "office", {"en": "Sign", "ru": "Вывеска"}, stages=("before",), channels=("offline",),
                       audiences=("potential",), attention="short", lifetime="one-off"),
            Touchpoint("site", "technology", {"en": "Website", "ru": "Сайт"}, stages=("before", "during"), channels=("online",),
                       audiences=("potential", "current"), attention="long", lifetime="recurring"),
            Touchpoint("call", "staff", {"en": "Phone call", "ru": "Звонок"}, stages=("during",), channels=("offline",),
                       audiences=("current",), attention="short", lifetime="recurring"),
            Touchpoint("box", "product", {"en": "Packaging", "ru": "Упаковка"}, stages=("after",), channels=("offline",),
                       audiences=("current", "former"), attention="long", lifetime="one-off"),
            Touchpoint("mail", "technology", {"en": "Follow-up email", "ru": "Письмо"}),
        ),
        (Chain("walk", {"en": "Walk in", "ru": "Зайти"}, ("sign", "call", "box")),),
    )
    plan = {  # importance, reactions of four raters
        "sign": (9, ["negative", "negative", "negative", "positive"]),
        "site": (8, ["positive", "positive", "neutral", "positive"]),
        "call": (2, ["negative", "neutral", "negative", "negative"]),
        "box": (3, ["positive", "positive", "positive", "neutral"]),
    }
    rows = []
    if ratings:
        for tp, (imp, reactions) in plan.items():
            for i, reaction in enumerate(reactions):
                rows.append(Rating(audit.id, f"p{i}", tp, imp if i % 2 else max(1, imp - 1), reaction))
    visits = (
        ShopperVisit(1, audit.id, "s1", dt.datetime(2025, 5, 1), "phone", observations=(Observation("site", "negative"), Observation("sign", "positive")),
                     status="accepted"),
    )
    notes = (CompetitorNote(audit.id, "Alpha", "sign", "better", borrow="<b>their lamp</b>"), CompetitorNote(audit.id, "Alpha", "box", "worse"))
    return AuditData(audit, catalog, ratings=tuple(rows), visits=visits, competitor_notes=notes)


def spec(chart: Any) -> dict:
    return chart.to_dict()


def layer_data(chart: Any) -> list[list[dict]]:
    """The inline rows of every layer (Altair puts data in ``datasets``)."""
    d = spec(chart)
    datasets = d.get("datasets", {})
    layers = d.get("layer", [d])
    out = []
    for layer in layers:
        name = layer.get("data", {}).get("name")
        out.append(datasets.get(name, []))
    return out


# ------------------------------------------------------------------ filters


def test_filters_keep_only_known_values_and_match_any_stage_or_channel() -> None:
    scores = analyse(data()).scores
    f = Filters.of(["technology", "kitchen"], ["during"], [])
    assert f == Filters(("technology",), ("during",), ())
    assert list(f.scores(scores).index) == ["site"]  # "mail" has no stage
    assert list(Filters.of(stages=["before"]).scores(scores).index) == ["sign", "site"]
    assert list(Filters.of(channels=["offline"]).scores(scores).index) == ["sign", "call", "box"]
    assert Filters().scores(scores) is scores and not Filters().active
    links = analyse(data()).chain_links
    assert list(Filters.of(categories=["office", "staff"]).rows(links, scores)["touchpoint_id"]) == ["sign", "call"]


def test_filters_by_customer_status_attention_span_and_lifetime() -> None:
    scores = analyse(data()).scores
    assert list(Filters.of(audiences=["former"]).scores(scores).index) == ["box"]
    assert list(Filters.of(audiences=["potential", "former"]).scores(scores).index) == ["sign", "site", "box"]
    assert list(Filters.of(attention=["short"]).scores(scores).index) == ["sign", "call"]
    assert list(Filters.of(lifetime=["recurring"]).scores(scores).index) == ["site", "call"]
    both = Filters.of(audiences=["current"], attention=["long"], lifetime=["one-off", "weekly"])
    assert both.lifetime == ("one-off",) and both.active  # unknown values are dropped
    assert list(both.scores(scores).index) == ["box"]  # "mail" has none of these attributes: it passes only unfiltered
    assert (scores.loc["box", "audiences"], scores.loc["box", "attention"], scores.loc["mail", "lifetime"]) == ("current;former", "long", "")


# ------------------------------------------------------------------ IPA


def test_ipa_chart_points_lines_quadrant_names_and_tooltips() -> None:
    result = analyse(data(), "mean")
    chart = ipa_chart(result.scores, result.crosshair_point, "en", "en")
    d = spec(chart)
    layers = d["layer"]
    points = layers[-1]
    assert points["mark"]["type"] == "point"
    enc = points["encoding"]
    assert enc["x"]["field"] == "x" and enc["y"]["field"] == "y"  # drawn where the point sits (spread if shared)
    assert enc["color"]["field"] == "category"
    assert enc["color"]["scale"]["range"] == list(CATEGORY_COLOURS.values())
    assert [tip["field"] for tip in enc["tooltip"]] == ["name", "category", "importance", "performance", "raters", "quadrant", "priority"]
    assert points["mark"]["aria"] is False  # no description formatted per point on every drawing: the tooltip names each one
    assert d["usermeta"]["embedOptions"]["renderer"] == "canvas"  # one canvas, not a DOM node per point
    rows = layer_data(chart)[-1]
    assert {r["name"] for r in rows} == {"Sign", "Website", "Phone call", "Packaging"}  # "mail" is not rated: not placed
    # Two rules at the crosshair, and the four quadrant names.
    rules = [layer for layer in layers if layer["mark"]["type"] == "rule"]
    assert len(rules) == 2
    line_perf = layer_data(chart)[0][0]["x"]
    line_imp = layer_data(chart)[1][0]["y"]
    assert (round(line_imp, 6), round(line_perf, 6)) == tuple(round(v, 6) for v in result.crosshair_point)
    corners = [r["label"] for rows in layer_data(chart)[2:6] for r in rows]
    assert sorted(corners) == sorted(t(k, "en") for k in ("quadrant.concentrate", "quadrant.keep_up", "quadrant.low_priority", "quadrant.overkill"))
    # a plain legend: what the shapes and the hollow points mean, in words
    assert enc["shape"]["scale"]["domain"] == [t("results.marker_stays", "en"), t("results.marker_moves", "en")]
    assert enc["shape"]["legend"] is not None and "title" in enc["shape"] and enc["shape"]["title"] is None
    assert enc["fillOpacity"]["scale"]["domain"][1] == "hollow: fewer than 3 raters"


def test_ipa_labels_the_top_touchpoints_by_priority_and_spreads_points_that_share_a_place() -> None:
    result = analyse(data(), "mean")
    scores = result.scores.copy()
    placed = scores.index[scores["importance_mean"].notna() & scores["performance"].notna()]
    scores.loc[placed[1], ["importance_mean", "performance"]] = scores.loc[placed[0], ["importance_mean", "performance"]].to_numpy()
    frame = ipa_frame(scores, "en", "en", top=2).set_index("touchpoint_id")
    top = scores.loc[placed].sort_values("priority", ascending=False, kind="stable").index[:2]
    assert [frame.loc[i, "label"].split(". ", 1)[0] for i in top] == ["1", "2"]
    assert (frame["label"] != "").sum() == 2 and frame.loc[top[0], "label"].endswith(frame.loc[top[0], "name"][:20])
    a, b = frame.loc[placed[0]], frame.loc[placed[1]]
    assert (a["importance"], a["performance"]) == (b["importance"], b["performance"])  # the true values stay (tooltips)
    assert (a["x"], a["y"]) != (b["x"], b["y"])  # ... and the points are drawn apart
    chart = ipa_chart(scores, result.crosshair_point, "en", "en", top=2)
    texts = [r["label"] for rows in layer_data(chart)[6:-1] for r in rows]
    assert sorted(texts) == sorted(frame.loc[top, "label"])


def test_few_raters_are_hollow_points() -> None:
    result = analyse(data(), "mean")
    frame = ipa_frame(result.scores, "en", "en").set_index("touchpoint_id")
    few = result.scores["few_raters"]
    for tp, row in frame.iterrows():
        assert (row["few"] == "hollow: fewer than 3 raters") == bool(few[tp])


def test_ipa_quadrants_in_the_chart_follow_the_scoring_functions_for_every_crosshair() -> None:
    for choice in ("mean", "median", "midpoint"):
        result = analyse(data(), choice)
        items = pd.DataFrame({"importance": result.scores["importance_mean"], "performance": result.scores["performance"]})
        expected = ipa_quadrants(items, choice, bounds=((1, 10), (-1, 1)))
        frame = ipa_frame(result.scores, "en", "en").set_index("touchpoint_id")
        names = {CONCENTRATE: "Concentrate here", KEEP_UP: "Keep up the good work", LOW_PRIORITY: "Low priority", OVERKILL: "Possible overkill"}
        assert {i: names[q] for i, q in expected.items() if q in names} == frame["quadrant"].to_dict()
        counts = quadrant_counts(result.scores)
        assert counts == {q: int((expected == q).sum()) for q in (CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL)}


def test_crosshair_moves_lists_the_touchpoints_whose_quadrant_depends_on_the_choice() -> None:
    result = analyse(data(), "mean")
    moves = crosshair_moves(result.scores, "en", "en")
    changing = result.scores.index[result.scores["changes"]]
    assert list(moves.index) == list(changing)
    assert list(moves.columns) == ["Touchpoint", "Mean", "Median", "Scale midpoint"]
    frame = ipa_frame(result.scores, "en", "en").set_index("touchpoint_id")
    assert set(frame.index[frame["moves"] == "yes"]) == set(changing)


def test_ipa_chart_without_placed_points_has_no_lines() -> None:
    result = analyse(data(ratings=False))
    chart = ipa_chart(result.scores, result.crosshair_point, "en", "en")
    assert result.crosshair_point is None
    assert [layer["mark"]["type"] for layer in spec(chart)["layer"]] == ["point"]
    assert layer_data(chart)[0] == []


def test_labels_follow_the_ui_language_and_names_the_audit_language() -> None:
    result = analyse(data(), "mean")
    rows = layer_data(ipa_chart(result.scores, result.crosshair_point, "ru", "ru"))[-1]
    assert "Вывеска" in {r["name"] for r in rows}
    assert {r["category"] for r in rows} <= {t(f"category.{c}", "ru") for c in CATEGORY_COLOURS}
    assert spec(ipa_chart(result.scores, result.crosshair_point, "ru", "ru"))["layer"][-1]["encoding"]["y"]["title"] == t("results.axis_importance", "ru")


# ------------------------------------------------------------------ heatmap, reactions


def test_heatmap_mean_performance_per_category_and_stage_with_counts() -> None:
    result = analyse(data())
    frame = heatmap_frame(result.scores, "en")
    cell = frame[(frame["category"] == "Technology") & (frame["stage"] == "During purchase")].iloc[0]
    assert cell["performance"] == result.scores.loc["site", "performance"]
    assert (cell["rated"], cell["touchpoints"]) == (1, 1)
    no_stage = frame[frame["stage"] == t("results.no_stage", "en")].iloc[0]
    assert (no_stage["category"], no_stage["rated"], no_stage["touchpoints"]) == ("Technology", 0, 1)
    assert "–" in no_stage["label"] and "0 of 1 rated" in no_stage["label"]
    d = spec(heatmap_chart(result.scores, "en"))
    rect = d["layer"][0]
    assert rect["mark"]["type"] == "rect"
    assert rect["encoding"]["color"]["scale"] == {"domain": [-1, 0, 1], "range": [NEGATIVE, "#F2F2F2", POSITIVE]}


def test_heatmap_groups_categories_by_any_touchpoint_attribute() -> None:
    result = analyse(data())
    by_audience = heatmap_frame(result.scores, "en", "audience")
    assert list(dict.fromkeys(by_audience.sort_values("stage_order")["stage"])) == [
        "Potential customers", "Current customers", "Former customers", t("results.no_value", "en")]
    product = by_audience[by_audience["category"] == "Product"].set_index("stage")
    assert set(product.index) == {"Current customers", "Former customers"}  # the packaging counts under both
    by_attention = heatmap_frame(result.scores, "en", "attention")
    staff = by_attention[(by_attention["category"] == "Staff") & (by_attention["stage"] == "Short (seconds)")].iloc[0]
    assert staff["performance"] == result.scores.loc["call", "performance"]
    by_lifetime = heatmap_frame(result.scores, "ru", "lifetime")
    assert {"Разовая", "Постоянная"} <= set(by_lifetime["stage"])
    assert spec(heatmap_chart(result.scores, "en", "lifetime"))["layer"][0]["encoding"]["x"]["title"] == t("results.filter_lifetime", "en")
    with pytest.raises(ValueError, match="group the heatmap by"):
        heatmap_frame(result.scores, "en", "colour")


def test_reaction_chart_stacks_the_three_reactions_per_category_in_an_accessible_palette() -> None:
    result = analyse(data())
    frame = reaction_frame(summarise(result.scores, "category"), "en")
    office = frame[frame["category"] == "Office"].set_index("reaction")
    assert (office.loc["Positive", "votes"], office.loc["Negative", "votes"]) == (1, 3)
    assert abs(office["share"].sum() - 1) < 1e-9
    enc = spec(reaction_chart(summarise(result.scores, "category"), "en"))["encoding"]
    assert enc["x"]["stack"] == "normalize"
    assert enc["color"]["scale"]["range"] == list(REACTION_COLOURS.values())
    assert "#FF0000" not in json.dumps(enc) and "#00FF00" not in json.dumps(enc)


# ------------------------------------------------------------------ chains


def test_chain_table_says_where_each_journey_breaks() -> None:
    result = analyse(data())
    table = chain_table(result.chains, "en")
    row = table.iloc[0]
    assert (row["Journey"], row["Links"], row["Breaks at"], row["Links never reached"]) == ("Walk in", 3, "Sign (link 1)", 2)


def test_chain_chart_colours_links_marks_the_break_and_fades_unreached_links() -> None:
    result = analyse(data())
    frame = chain_frame(result.chain_links, "en")
    assert list(frame["name"]) == ["Sign", "Phone call", "Packaging"]
    assert list(frame["breaks"]) == [True, False, False]  # the sign is predominantly negative
    assert list(frame["unreached"]) == [False, True, True]
    assert list(frame["opacity"]) == [1.0, 0.25, 0.25]
    d = spec(chain_chart(result.chain_links, "en"))
    marks = [layer["mark"]["type"] for layer in d["layer"]]
    assert marks == ["line", "square", "point", "text", "text"]
    breaks = d["datasets"][d["layer"][2]["data"]["name"]]
    assert [r["name"] for r in breaks] == ["Sign"]
    assert d["layer"][2]["mark"]["shape"] == "cross"
    assert d["layer"][3]["encoding"]["text"]["field"] == "name"  # every link is named, not numbered
    named = [r["name"] for layer in d["layer"][3:] for r in d["datasets"][layer["data"]["name"]]]
    assert sorted(named) == sorted(frame["name"])


# ------------------------------------------------------------------ blind spots, competitors, disagreement


def test_blind_spots_compare_team_and_shoppers_largest_gap_first() -> None:
    result = analyse(data())
    frame = blind_spot_frame(result.scores, "en", "en")
    assert list(dict.fromkeys(frame["name"])) == ["Website", "Sign"]  # gap -1.75 first, then +1.5
    site = frame[frame["name"] == "Website"].set_index("who")
    assert site.loc["Shoppers", "performance"] == -1.0
    assert site.loc["Team", "blind"] == "yes"
    assert spec(blind_spot_chart(result.scores, "en", "en"))["layer"][2]["encoding"]["color"]["field"] == "who"


def test_competitor_grid_is_us_versus_them_per_touchpoint() -> None:
    result = analyse(data())
    frame = competitor_frame(result.competitor_gaps, result.scores, "en", "en")
    assert list(frame["name"]) == ["Sign", "Packaging"]  # where they beat us first
    assert list(frame["versus"]) == ["Better than us", "Worse than us"]
    assert frame.iloc[0]["borrow"] == "<b>their lamp</b>"  # kept as text; Vega shows it as text
    cells, words = spec(competitor_chart(result.competitor_gaps, result.scores, "en", "en"))["layer"]
    assert cells["encoding"]["x"]["field"] == "competitor" and cells["encoding"]["y"]["field"] == "name"
    assert words["mark"]["type"] == "text" and words["encoding"]["text"]["field"] == "versus"  # never colour alone
    only = Filters.of(categories=["product"]).rows(result.competitor_gaps, result.scores)
    assert list(competitor_frame(only, result.scores, "en", "en")["name"]) == ["Packaging"]


def test_disagreement_table_lists_the_split_touchpoints() -> None:
    result = analyse(data())
    table = disagreement_table(result.scores, "en", "en")
    assert next(iter(table["Touchpoint"])) in {"Sign", "Phone call", "Website", "Packaging"}
    assert set(table.columns) >= {"Touchpoint", "Raters", "Disagreement"}
    assert (np.diff(table["Disagreement"].to_numpy()) <= 1e-12).all()


def test_every_chart_builds_for_an_audit_without_ratings() -> None:
    result = analyse(data(ratings=False))
    for chart in (
        ipa_chart(result.scores, None, "en", "en"),
        heatmap_chart(result.scores, "en"),
        reaction_chart(summarise(result.scores, "category"), "en"),
        chain_chart(result.chain_links, "en"),
        blind_spot_chart(result.scores, "en", "en"),
        competitor_chart(result.competitor_gaps, result.scores, "en", "en"),
    ):
        assert spec(chart)  # serialises: nothing is NaN-broken


def test_wave_change_chart_orders_by_size_of_change() -> None:
    comparison = pd.DataFrame(
        {
            "name": ["A", "B", "C"], "change": [0.2, -0.9, np.nan], "performance_before": [0.0, 0.5, np.nan],
            "performance_after": [0.2, -0.4, 0.1], "quadrant_before": ["Concentrate here", "Keep up the good work", "not rated yet"],
            "quadrant_after": ["Keep up the good work", "Concentrate here", "Low priority"],
        }
    )
    d = spec(wave_change_chart(comparison, "en"))
    rows = d["datasets"][d["data"]["name"]]
    assert [r["name"] for r in rows] == ["B", "A"]
    assert rows[1]["quadrants"] == "Concentrate here → Keep up the good work"
