"""The customer's view of the IPA matrix: the team's positions, the shoppers' (accepted visits) or both with arrows."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from audit.i18n import t
from audit.ipa import CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL
from audit.ipa_chart import arrow_frame, ipa_chart, ipa_frame
from audit.model import Audit, AuditData, Catalog, Observation, Rating, ShopperVisit, Touchpoint
from audit.plan import propose_plan
from audit.scoring import analyse


def data() -> AuditData:
    """Four touchpoints; shoppers visited the site (they hated it) and the sign (they liked it), in accepted visits only."""
    audit = Audit("au", "Bakery")
    catalog = Catalog("c", "C", tuple(Touchpoint(i, "office", i.title()) for i in ("sign", "site", "call", "box")))
    team = {"sign": (9, "negative"), "site": (8, "positive"), "call": (2, "negative"), "box": (3, "positive")}
    ratings = tuple(Rating("au", p, tp, imp, reaction) for p in ("ann", "bob", "cleo") for tp, (imp, reaction) in team.items())
    when = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
    visits = (
        ShopperVisit(1, "au", "s1", when, "website", status="accepted",
                     observations=(Observation("site", "negative"), Observation("sign", "positive"))),
        ShopperVisit(2, "au", "s1", when, "phone", status="accepted", observations=(Observation("site", "negative"),)),
        ShopperVisit(3, "au", "s1", when, "phone", status="submitted", observations=(Observation("call", "positive"),)),  # not accepted
        ShopperVisit(4, "au", "s1", when, "phone", status="accepted", target="Rival", observations=(Observation("box", "negative"),)),
    )
    return AuditData(audit, catalog, ratings=ratings, visits=visits)


def test_the_team_view_is_the_default_and_unchanged() -> None:
    team = analyse(data())
    assert team.view == "team"
    assert list(team.scores["ipa_source"]) == ["team"] * 4
    assert team.scores["ipa_performance"].equals(team.scores["performance"])
    assert (team.scores.loc["site", "quadrant"], team.scores.loc["sign", "quadrant"]) == (KEEP_UP, CONCENTRATE)


def test_the_shoppers_view_places_touchpoints_where_accepted_visits_put_them() -> None:
    view = analyse(data(), view="shoppers")
    s = view.scores
    assert view.view == "shoppers"
    assert dict(s["ipa_source"]) == {"sign": "shoppers", "site": "shoppers", "call": "team", "box": "team"}  # the competitor visit does not count
    assert (s.loc["site", "ipa_performance"], s.loc["sign", "ipa_performance"]) == (-1.0, 1.0)
    assert (s.loc["site", "performance"], s.loc["sign", "performance"]) == (1.0, -1.0)  # the team's numbers stay
    assert (s.loc["site", "quadrant"], s.loc["sign", "quadrant"]) == (CONCENTRATE, KEEP_UP)
    assert (s.loc["call", "quadrant"], s.loc["box", "quadrant"]) == (LOW_PRIORITY, OVERKILL)
    both = analyse(data(), view="both")
    assert list(both.scores["quadrant"]) == list(s["quadrant"])  # both: the shoppers' positions, with arrows
    with pytest.raises(ValueError, match="IPA view"):
        analyse(data(), view="customers")


def test_the_chart_shows_shopper_positions_and_arrows_from_the_team() -> None:
    view = analyse(data(), view="shoppers")
    frame = ipa_frame(view.scores, "en", "en", view="shoppers").set_index("touchpoint_id")
    assert (frame.loc["site", "performance"], frame.loc["site", "team_performance"]) == (-1.0, 1.0)
    assert frame.loc["site", "source"] == t("results.source_shoppers") and frame.loc["call", "source"] == t("results.source_team")
    team_frame = ipa_frame(view.scores, "en", "en").set_index("touchpoint_id")
    assert team_frame.loc["site", "performance"] == 1.0  # the team view draws the team's positions

    both = analyse(data(), view="both")
    arrows = arrow_frame(ipa_frame(both.scores, "en", "en", view="both")).set_index("name")
    assert set(arrows.index) == {"Sign", "Site"}
    assert (arrows.loc["Site", "x0"], arrows.loc["Site", "x"]) == (1.0, -1.0)
    assert arrows.loc["Site", "angle"] == pytest.approx(-90.0)  # pointing left: performance fell
    spec = ipa_chart(both.scores, both.crosshair_point, "en", "en", view="both").to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks.count("rule") == 3 and "point" in marks  # two crosshair lines and the arrows' shafts; heads and points
    assert not any(layer["mark"].get("shape") == "triangle-up" for layer in ipa_chart(
        view.scores, view.crosshair_point, "en", "en", view="shoppers").to_dict()["layer"])  # arrows only in "both"


def test_the_workbook_names_the_view_it_used() -> None:
    for view in ("team", "shoppers", "both"):
        book = openpyxl.load_workbook(io.BytesIO(_workbook(view)))
        about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
        assert about[t("xlsx.about.ipa_view")] == t(f"results.ipa_view_{view}_words")
        assert t(f"results.ipa_view_{view}_words") in about[t("xlsx.about.view")]
        assert t(f"results.ipa_view_{view}_words") in book["Scores"].oddHeader.right.text


def _workbook(view: str) -> bytes:
    from audit.workbook import write_workbook

    analysis = analyse(data(), view=view)
    out = io.BytesIO()
    write_workbook(out, analysis, propose_plan(analysis, today=dt.date(2025, 6, 1)))
    return out.getvalue()
