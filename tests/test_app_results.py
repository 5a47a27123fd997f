"""The results page through the app's entrypoint (AppTest): charts, empty state, crosshair, filters, sharing, waves."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from app_driver import APP, ROOT, TIMEOUT, each_tab, ok, open_page, show_tab, texts
from sample_catalog import small_catalog
from streamlit.testing.v1 import AppTest

from audit import services
from audit.demo import create_demo
from audit.i18n import t
from audit.ipa import CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL
from audit.ipa_chart import quadrant_counts
from audit.model import Catalog, Chain, CompetitorNote, Rating, Role, Touchpoint
from audit.scoring import analyse
from audit.store import Store

PAGE = "audit/ui/pages/results.py"
CHARTS = "vega_lite_chart"


@pytest.fixture
def db(app_db: Store) -> Store:
    """The app's SQLite file (``app_db``), under this file's short name."""
    return app_db


def open_results(token: str) -> AppTest:
    return open_page(token, "results")


def on_tab(at: AppTest, key: str, lang: str = "en") -> AppTest:
    """The results page with one tab shown (``ipa``, ``map``, ``chains``, ``outside``, ``disagreement``, ``waves``):
    the page builds only the shown tab."""
    return show_tab(at, t(f"results.tab_{key}", lang))


def whole_page(at: AppTest) -> tuple[int, str, list[pd.DataFrame]]:
    """Every tab in turn: how many charts, all the text and every table the page shows."""
    charts, words, tables = 0, [], []
    for shown in each_tab(at):
        charts += len(shown.get(CHARTS))
        words.append(texts(shown))
        tables += [d.value for d in shown.dataframe]
    return charts, "\n".join(words), tables


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page with this column (read-only tables carry no key)."""
    for element in at.dataframe:
        value = element.value
        if column in value.columns:
            return value
    raise AssertionError(f"no table with the column {column!r}")


def chart_rows(at: AppTest, index: int) -> list[pd.DataFrame]:
    """The data of one chart on the page, as Streamlit sent it (one frame per dataset, Arrow-encoded)."""
    import pyarrow as pa

    element = at.get(CHARTS)[index]
    return [pa.ipc.open_stream(d.data.data).read_pandas() for d in element.proto.datasets]


def ipa_names(at: AppTest) -> set[str]:
    """The touchpoints drawn as points on the IPA matrix (the first chart)."""
    frames = [f for f in chart_rows(at, 0) if {"name", "quadrant", "raters"} <= set(f.columns)]
    return set(max(frames, key=len)["name"]) if frames else set()  # the labelled ones are a layer of their own


def metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric}


def expected_counts(store: Store, audit_id: str, crosshair: str) -> dict[str, int]:
    counts = quadrant_counts(analyse(store.load(audit_id), crosshair).scores)
    return {t(k, "en"): counts[q] for q, k in ((CONCENTRATE, "quadrant.concentrate"), (KEEP_UP, "quadrant.keep_up"),
                                                (LOW_PRIORITY, "quadrant.low_priority"), (OVERKILL, "quadrant.overkill"))}


def rate(store: Store, audit_id: str, wave: int, answers: dict[str, tuple[int, str]]) -> None:
    for name in ("Ann", "Bob"):
        person = next((p for p in store.participants(audit_id) if p.name == name), None) or store.add_participant(audit_id, name)
        for tp, (imp, reaction) in answers.items():
            store.save_rating(Rating(audit_id, person.id, tp, importance=imp, reaction=reaction, wave=wave))


# ------------------------------------------------------------------ the demo audit


def test_the_results_page_renders_every_chart_for_the_demo_audit(db: Store) -> None:
    audit, links = create_demo(db)
    at = open_results(links[Role.OWNER])
    assert at.title[0].value == t("results.title")
    assert len(at.get(CHARTS)) == 1  # the IPA matrix: only the shown tab is built
    assert len(at.tabs) == 5
    assert metrics(at) == expected_counts(db, audit.id, "mean")
    charts, words, _tables = whole_page(at)
    assert charts == 6  # IPA, heatmap, reactions, chains, blind spots, competitors
    for key in ("results.ipa_read", "results.heat_read", "results.reactions_read", "results.chains_read", "results.blind_read",
                "results.competitors_read", "results.disagreement_read"):
        assert t(key) in words, key  # every chart says how to read it
    disagreement = table_with(on_tab(at, "disagreement"), t("results.col_disagreement"))
    assert len(disagreement) > 0 and t("results.col_disagreement") in disagreement.columns
    assert at.toggle(key="r_share").value is False


def test_the_crosshair_switch_changes_quadrants_as_the_scoring_functions_say(db: Store) -> None:
    audit, links = create_demo(db)
    at = open_results(links[Role.OWNER])
    seen = []
    for choice in ("median", "midpoint", "mean"):
        at.segmented_control(key="r_crosshair").set_value(choice)
        ok(at.run())
        assert metrics(at) == expected_counts(db, audit.id, choice), choice
        seen.append(metrics(at))
    assert seen[0] != seen[1]  # the choice matters for this audit
    scores = analyse(db.load(audit.id), "mean").scores
    n = int(scores["changes"].sum())
    assert n > 0 and t("results.moves_title", n=n) in texts(at)  # the count shows with the list folded
    assert not any(t("crosshair.midpoint") in d.value.columns for d in at.dataframe)  # ... whose table is built when opened
    at.session_state["r_moves_open"] = True
    moving = table_with(ok(at.run()), t("crosshair.midpoint"))
    assert len(moving) == n
    assert list(moving.columns) == [t("results.tip_touchpoint"), t("crosshair.mean"), t("crosshair.median"), t("crosshair.midpoint")]
    at.segmented_control(key="r_crosshair").set_value("median")
    assert len(table_with(ok(at.run()), t("crosshair.midpoint"))) == n  # the opened list stays open across a switch


def test_filters_apply_to_every_chart(db: Store) -> None:
    audit, links = create_demo(db)
    at = open_results(links[Role.OWNER])
    at.multiselect(key="r_cat").set_value(["staff"])
    ok(at.run())
    scores = analyse(db.load(audit.id)).scores
    staff = scores[scores["category"] == "staff"]
    assert sum(metrics(at).values()) == int((staff["quadrant"] != "not rated yet").sum())
    assert t("results.filtered", shown=len(staff), total=len(scores)) in texts(at)
    assert whole_page(at)[0] >= 4
    at.multiselect(key="r_stage").set_value(["after"])
    at.multiselect(key="r_channel").set_value(["online"])
    ok(at.run())  # possibly nothing left: a clear note, no exception
    assert whole_page(at)[0] >= 0


def test_filters_by_customer_status_attention_and_lifetime_change_the_charts(db: Store) -> None:
    audit, links = create_demo(db)
    scores = analyse(db.load(audit.id)).scores
    placed = scores[scores["quadrant"] != "not rated yet"]
    names = placed["name_en"]
    at = open_results(links[Role.OWNER])
    assert ipa_names(at) == set(names)
    heat_before = chart_rows(on_tab(at, "map"), 0)

    def only(column: str, value: str) -> set[str]:
        return set(names[[value in str(v).split(";") for v in placed[column]]])

    assert not any(m.key in ("r_audience", "r_attention", "r_lifetime") for m in at.multiselect)  # folded: built when opened
    at.session_state["r_more_open"] = True
    ok(at.run())
    for key, column, value in (("r_audience", "audiences", "former"), ("r_attention", "attention", "short"),
                               ("r_lifetime", "lifetime", "recurring")):
        at.multiselect(key=key).set_value([value])
        on_tab(at, "ipa")
        expected = only(column, value)
        assert 0 < len(expected) < len(names), key  # the demo has touchpoints on both sides of each filter
        assert ipa_names(at) == expected, key
        assert sum(metrics(at).values()) == len(expected), key
        assert t("results.filtered", shown=int(sum(value in str(v).split(";") for v in scores[column])), total=len(scores)) in texts(at)
        heat = chart_rows(on_tab(at, "map"), 0)
        assert not all(a.equals(b) for a, b in zip(heat, heat_before, strict=False)), key  # the heatmap changed too
        at.multiselect(key=key).set_value([])
        on_tab(at, "ipa")
    assert ipa_names(at) == set(names)
    at.multiselect(key="r_audience").set_value(["former"])
    ok(at.run())
    at.session_state["r_more_open"] = False  # folded again while holding a choice: the choice stays and applies
    ok(at.run())
    assert at.multiselect(key="r_audience").value == ["former"] and ipa_names(at) == only("audiences", "former")
    at.multiselect(key="r_audience").set_value([])
    ok(at.run())

    # The heatmap's columns may be any attribute.
    on_tab(at, "map")
    at.segmented_control(key="r_heat_by").set_value("attention")
    ok(at.run())
    [cells] = [f for f in chart_rows(at, 0) if "stage" in f.columns and "performance" in f.columns]
    assert set(cells["stage"]) <= {t("attention.short"), t("attention.long"), t("results.no_value")}
    assert t("results.heat_title_by", by=t("results.filter_attention").lower()) in texts(at)


def test_the_ipa_view_switch_shows_shopper_positions_and_the_plan_names_the_view(db: Store) -> None:
    audit, links = create_demo(db)
    shoppers = analyse(db.load(audit.id), view="shoppers").scores
    visited = shoppers[(shoppers["ipa_source"] == "shoppers").to_numpy() & shoppers["importance_mean"].notna().to_numpy()]
    assert len(visited) > 0 and (visited["ipa_performance"] != visited["performance"]).any()
    at = open_results(links[Role.OWNER])

    def points() -> pd.DataFrame:
        frames = [f for f in chart_rows(at, 0) if {"name", "quadrant", "raters", "performance"} <= set(f.columns)]
        return max(frames, key=len).set_index("name")

    team = points()
    at.segmented_control(key="r_ipa_view").set_value("shoppers")
    ok(at.run())
    seen = points()
    for name, row in visited.set_index("name_en").iterrows():
        assert seen.loc[name, "performance"] == pytest.approx(row["ipa_performance"]), name  # where the shoppers put it
        assert seen.loc[name, "source"] == t("results.source_shoppers")
        assert team.loc[name, "performance"] == pytest.approx(row["performance"])  # the team's view had it elsewhere
    assert t("results.ipa_view_shoppers_read", n=int((shoppers["ipa_source"] == "shoppers").sum())) in texts(at)
    assert metrics(at) == {t(k): n for k, n in zip(
        ("quadrant.concentrate", "quadrant.keep_up", "quadrant.low_priority", "quadrant.overkill"),
        quadrant_counts(shoppers).values(), strict=True)}

    at.segmented_control(key="r_ipa_view").set_value("both")
    ok(at.run())
    assert any({"x0", "y0", "angle"} <= set(f.columns) and len(f) == len(visited) for f in chart_rows(at, 0))  # one arrow each

    at.switch_page("audit/ui/pages/plan.py")
    ok(at.run())
    about = t("plan.about", view=t("results.ipa_view_both_words"), crosshair=t("crosshair.mean"))
    assert about in texts(at)


# ------------------------------------------------------------------ no ratings yet


def test_an_audit_without_ratings_gets_a_helpful_empty_state(db: Store) -> None:
    catalog = Catalog(
        "small", "Small", small_catalog().touchpoints, (Chain("walk", "Walk in", ("sign", "call", "box")),),
    )
    audit, links = db.create_audit("Bakery", catalog, competitors=("Alpha",))
    db.save_competitor_note(CompetitorNote(audit.id, "Alpha", "sign", "better", borrow="Their lamp"))
    at = open_results(links[Role.OWNER])
    assert at.info[0].value == t("results.empty", wave=1)
    charts, words, _tables = whole_page(at)
    assert "Share the team link" in words
    for key in ("results.ipa_none", "results.map_none", "results.reactions_none", "results.blind_none", "results.disagreement_none"):
        assert t(key) in words, key  # every chart says what it waits for
    assert charts == 2  # the journey (all links "not rated yet") and the competitor note are there already
    assert not at.metric
    labels = [p.proto.label for p in at.get("page_link")]
    assert t("page.links") in labels

    bare = open_results(db.create_audit("Florist", small_catalog())[1][Role.OWNER])
    charts, words, _tables = whole_page(bare)
    assert bare.info[0].value == t("results.empty", wave=1) and charts == 0
    assert t("results.chains_none") in words and t("results.competitors_none") in words


def test_the_results_speak_russian(db: Store) -> None:
    _audit, links = create_demo(db, language="ru")
    at = open_results(links[Role.OWNER])
    assert at.title[0].value == t("results.title", "ru")
    assert t("results.ipa_read", "ru") in texts(at)
    assert whole_page(at)[0] == 6


# ------------------------------------------------------------------ who may see


def test_the_team_sees_results_only_while_the_owner_shares_them(db: Store) -> None:
    audit, links = db.create_audit("Bakery", small_catalog())
    rate(db, audit.id, 1, {"sign": (9, "negative"), "site": (8, "positive"), "call": (2, "negative"), "box": (3, "positive")})
    team = AppTest.from_file(APP, default_timeout=TIMEOUT)
    team.query_params["t"] = links[Role.TEAM]
    ok(team.run())
    with pytest.raises(ValueError):
        team.switch_page(PAGE)  # not registered for the team
    direct = AppTest.from_file(str(ROOT / PAGE), default_timeout=TIMEOUT)
    direct.query_params["t"] = links[Role.TEAM]
    ok(direct.run())
    assert direct.error[0].value == t("access.not_allowed") and not direct.get(CHARTS)

    owner = open_results(links[Role.OWNER])
    owner.toggle(key="r_share").set_value(True)
    ok(owner.run())
    assert db.get_audit(audit.id).results_shared
    assert owner.success[0].value == t("results.shared_on")

    team = open_results(links[Role.TEAM])
    assert team.info[0].value == t("results.read_only")
    assert whole_page(team)[0] >= 3 and not team.toggle
    for page in ("plan", "waves"):
        with pytest.raises(ValueError):
            team.switch_page(f"audit/ui/pages/{page}.py")
    shopper = AppTest.from_file(str(ROOT / PAGE), default_timeout=TIMEOUT)
    shopper.query_params["t"] = links[Role.SHOPPER]
    ok(shopper.run())
    assert shopper.error[0].value == t("access.not_allowed")

    services.results.share_results(db, links[Role.OWNER], False)
    ok(team.run())  # the page is gone from the team's navigation: they land on their own page
    assert not team.get(CHARTS) and t("results.title") not in [x.value for x in team.title]
    direct = AppTest.from_file(str(ROOT / PAGE), default_timeout=TIMEOUT)
    direct.query_params["t"] = links[Role.TEAM]
    ok(direct.run())
    assert direct.error[0].value == t("access.not_allowed") and not direct.get(CHARTS)


# ------------------------------------------------------------------ waves


def test_two_waves_show_a_touchpoint_moving_from_concentrate_here_to_keep_up(db: Store) -> None:
    audit, links = db.create_audit("Bakery", small_catalog())
    owner = links[Role.OWNER]
    rate(db, audit.id, 1, {"sign": (9, "negative"), "site": (8, "positive"), "call": (2, "negative"), "box": (3, "positive")})
    plan = services.plan.plan(db, owner)
    services.results.start_wave(db, owner, 1)
    at = open_results(owner)
    assert at.info[0].value == t("results.empty", wave=2)  # the new wave starts empty ...
    assert t("waves.compare_title") in texts(on_tab(at, "waves"))  # ... and the comparison is still there
    rate(db, audit.id, 2, {"sign": (9, "positive"), "site": (8, "positive"), "call": (2, "negative"), "box": (3, "positive")})
    at = open_results(owner)
    assert len(at.tabs) == 6 and whole_page(at)[0] == 4  # IPA, heatmap, reactions, change between waves
    moved = table_with(on_tab(at, "waves"), t("waves.col_quadrant_before"))
    assert list(moved[t("results.tip_touchpoint")]) == ["Sign over the door"]
    row = moved.iloc[0]
    assert (row[t("waves.col_quadrant_before")], row[t("waves.col_quadrant_after")]) == ("Concentrate here", "Keep up the good work")
    assert t("waves.moved_title", n=1) in texts(at)
    assert any(a.touchpoint_id == "sign" for a in plan)
    # Viewing the earlier wave on its own still works.
    at.selectbox(key="r_wave").set_value(1)
    on_tab(at, "ipa")
    assert metrics(at)[t("quadrant.concentrate")] >= 1


@pytest.mark.parametrize("lang", ["ru", "pl"])
def test_the_wave_comparison_writes_a_decimal_comma_in_russian_and_polish(db: Store, lang: str) -> None:
    audit, links = db.create_audit("Piekarnia", small_catalog(), language=lang)
    owner = links[Role.OWNER]
    rate(db, audit.id, 1, {"sign": (9, "negative"), "site": (8, "positive"), "call": (2, "negative"), "box": (3, "positive")})
    services.results.start_wave(db, owner, 1)
    rate(db, audit.id, 2, {"sign": (9, "positive"), "site": (8, "positive"), "call": (2, "negative"), "box": (3, "positive")})
    at = open_results(owner)
    row = table_with(on_tab(at, "waves", lang), t("waves.col_quadrant_before", lang)).iloc[0]
    assert [row[t(f"waves.col_{c}", lang)] for c in ("before", "after", "change")] == ["-1,00", "+1,00", "+2,00"]


# ------------------------------------------------------------------ people's text


def test_names_typed_by_people_are_plain_text_on_the_results_page(db: Store) -> None:
    nasty = "<script>alert(1)</script> **bold** :red[x]"
    catalog = Catalog("c", "C", (Touchpoint("sign", "office", nasty), Touchpoint("site", "technology", "Website")))
    audit, links = db.create_audit(nasty, catalog)
    rate(db, audit.id, 1, {"sign": (9, "negative"), "site": (3, "positive")})
    db.save_rating(Rating(audit.id, db.add_participant(audit.id, "Cleo").id, "sign", importance=1, reaction="positive"))
    at = open_results(links[Role.OWNER])
    for shown in each_tab(at):
        for kind in ("title", "subheader", "markdown", "caption"):
            for element in shown.get(kind):
                assert not re.search(r"(?<!\\)<", str(element.value)), element.value
    frame: pd.DataFrame = table_with(on_tab(at, "disagreement"), t("results.col_disagreement"))
    assert nasty in set(frame[t("results.tip_touchpoint")])  # shown as it was typed, in a table cell (never markup)


def test_a_new_rating_shows_on_the_kept_ipa_matrix_at_once(db: Store) -> None:
    """The converted charts are kept per data version: a write changes the version, so the next run draws the new data."""
    audit, links = db.create_audit("Bakery", small_catalog())
    rate(db, audit.id, 1, {"sign": (9, "negative"), "site": (8, "positive"), "call": (2, "negative")})
    at = open_results(links[Role.OWNER])
    ok(at.run())  # the same data version: the kept chart
    assert ipa_names(at) == {"Sign over the door", "Website", "Phone call"}
    rate(db, audit.id, 1, {"box": (3, "positive")})
    ok(at.run())
    assert ipa_names(at) == {"Sign over the door", "Website", "Phone call", "Packaging"}
