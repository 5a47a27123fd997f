"""The owner's review of shopper visits and the standards page (Streamlit AppTest, through the entrypoint)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from app_driver import app, ok, open_page, texts
from PIL import Image
from streamlit.testing.v1 import AppTest

from audit import services
from audit.i18n import t
from audit.model import Catalog, Observation, Rating, Role, Touchpoint, VisitStatus
from audit.scoring import analyse
from audit.store import Store

EARLIER = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)


def small_catalog() -> Catalog:
    return Catalog(
        "small", {"en": "Small", "ru": "Маленький"},
        (
            Touchpoint("staff-phone-answer", "staff", {"en": "Answering the phone", "ru": "Ответ на звонок"}, group="On the phone"),
            Touchpoint("office-sign", "office", {"en": "Sign over the door", "ru": "Вывеска"}),
        ),
    )


@pytest.fixture
def db(app_db: Store) -> Store:
    """The app's SQLite file (``app_db``), under this file's short name."""
    return app_db


def page(links: dict[Role, str], name: str) -> AppTest:
    return open_page(links[Role.OWNER], name)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def filed(db: Store, links: dict[Role, str], name: str, reaction: str, measurement: float | None = None, photo: bool = False) -> int:
    """A shopper files and submits one visit at our business (through the same guarded calls as the page)."""
    token = links[Role.SHOPPER]
    person = services.visits.join_shopper(db, token, name)
    visit = services.visits.start_visit(db, token, person.id, target="", channel="phone", visited_at=EARLIER)
    services.visits.save_observation(db, token, person.id, visit.id, Observation("staff-phone-answer", reaction, f"{name} says hi", measurement))
    if photo:
        services.visits.add_photo(db, token, person.id, visit.id, png(), "staff-phone-answer")
    services.visits.submit_visit(db, token, person.id, visit.id)
    return int(visit.id)


def test_the_owner_accepts_one_and_rejects_one_and_only_the_accepted_one_changes_the_scores(db: Store) -> None:
    audit, links = db.create_audit("Bakery", small_catalog())
    team = db.add_participant(audit.id, "Ann")
    db.save_rating(Rating(audit.id, team.id, "staff-phone-answer", importance=8, reaction="positive"))
    good = filed(db, links, "Mila", "negative", photo=True)
    bad = filed(db, links, "Oleg", "positive")
    before = analyse(db.load(audit.id)).scores.loc["staff-phone-answer"]
    assert before["shopper_n"] == 0 and before["blind_spot"] == ""

    at = page(links, "review")
    assert at.title[0].value == t("review.title")
    assert "Mila says hi" in texts(at) and "Oleg says hi" in texts(at)
    assert at.get("image"), "the owner sees the photo thumbnail"
    counts = at.dataframe[0].value
    assert list(counts.iloc[:, 0]) == ["Mila", "Oleg"] and list(counts[t("visit_status.submitted")]) == [1, 1]

    # A rejection without a reason is refused, and nothing changes.
    at.button(key=f"review_rejected:{bad}").click()
    ok(at.run())
    assert t("review.error_reason") in [e.value for e in at.error]
    assert {v.id: v.status for v in db.visits(audit.id)}[bad] is VisitStatus.SUBMITTED
    at.text_input(key=f"review_note:{bad}").input("The call was to another shop")
    at.button(key=f"review_rejected:{bad}").click()
    ok(at.run())
    at.button(key=f"review_accepted:{good}").click()
    ok(at.run())
    statuses = {v.id: (v.status, v.review_note) for v in db.visits(audit.id)}
    assert statuses == {good: (VisitStatus.ACCEPTED, ""), bad: (VisitStatus.REJECTED, "The call was to another shop")}

    after = analyse(db.load(audit.id)).scores.loc["staff-phone-answer"]
    assert after["shopper_n"] == 1 and after["shopper_negative"] == 1 and after["shopper_performance"] == -1.0
    assert after["blind_spot"] == "team positive, shoppers negative"  # the rejected positive visit is not counted
    assert after["priority"] > before["priority"]
    assert len(db.visits(audit.id)) == 2  # the rejected visit is kept

    # The filters: rejected visits, per shopper and per target.
    at.pills(key="review_status").set_value(["rejected"])
    ok(at.run())
    assert "Oleg says hi" in texts(at) and "Mila says hi" not in texts(at)
    target_counts = at.dataframe[1].value
    assert target_counts.iloc[0, 0] == t("visit.ours") and target_counts[t("visit_status.accepted")].iloc[0] == 1


def test_a_revision_goes_back_to_the_shopper_with_the_note(db: Store) -> None:
    audit, links = db.create_audit("Bakery", small_catalog())
    vid = filed(db, links, "Mila", "neutral")
    at = page(links, "review")
    at.text_input(key=f"review_note:{vid}").input("Which branch was it?")
    at.button(key=f"review_revision:{vid}").click()
    ok(at.run())
    [visit] = db.visits(audit.id)
    assert visit.status is VisitStatus.REVISION
    shopper = ok(app(t=links[Role.SHOPPER], p=visit.shopper_id, v=str(vid)))
    assert "Which branch was it?" in texts(shopper)
    assert shopper.text_area(key=f"obs_text:{vid}:staff-phone-answer")  # editable again
    shopper.button(key=f"submit:{vid}").click()
    ok(shopper.run())
    assert db.visits(audit.id)[0].status is VisitStatus.SUBMITTED


def test_a_standard_of_at_most_3_rings_judges_2_as_met_and_5_as_not_met(db: Store) -> None:
    audit, links = db.create_audit("Bakery", small_catalog())
    at = page(links, "standards")
    assert t("standards.none") in texts(at)
    at.selectbox(key="standards_pick").set_value("staff-phone-answer")
    ok(at.run())
    form = at.get("form")[0]
    form.text_input[0].input("rings before the answer")
    form.selectbox[0].set_value("<=")
    form.text_input[1].input("3")
    form.text_input[2].input("rings")
    form.button[0].click()
    ok(at.run())
    assert db.standards(audit.id)["staff-phone-answer"].describe() == "rings before the answer <= 3 rings"

    two = filed(db, links, "Mila", "positive", measurement=2)
    five = filed(db, links, "Oleg", "negative", measurement=5)
    review = page(links, "review")
    for vid in (two, five):
        review.button(key=f"review_accepted:{vid}").click()
        ok(review.run())
    review.pills(key="review_status").set_value(["accepted"])
    ok(review.run())
    lines = [str(m.value) for m in review.markdown if "rings before the answer" in str(m.value)]
    assert len(lines) == 2
    by_measure = {("2 rings" in line): line for line in lines}
    assert t("standard.met") in by_measure[True] and t("standard.not_met") not in by_measure[True]
    assert t("standard.not_met") in by_measure[False]

    table = page(links, "standards").dataframe[0].value
    row = table.iloc[0]
    assert row[t("standards.col_measured")] == 2 and row[t("standards.col_met")] == 1 and row[t("standards.col_share")] == 0.5
    scores = analyse(db.load(audit.id)).scores.loc["staff-phone-answer"]
    assert scores["standard_status"] == "not met" and scores["priority_standard"] == 3.0  # 6 x half missed


def test_standards_edit_switch_off_and_back_to_the_catalog_default(db: Store) -> None:
    from audit.catalog import bundled

    audit, links = db.create_audit("Shop", bundled("retail"))
    at = page(links, "standards")
    table = at.dataframe[0].value
    assert len(table) >= 10 and "rings before the answer <= 3 rings" in set(table[t("standards.col_standard")])
    at.selectbox(key="standards_pick").set_value("staff-phone-answer-speed")
    ok(at.run())
    form = at.get("form")[0]
    form.text_input[1].input("not a number")
    form.button[0].click()
    ok(at.run())
    assert at.error and db.standards(audit.id)["staff-phone-answer-speed"].threshold == 3  # nothing stored
    form = at.get("form")[0]
    form.text_input[1].input("2")
    form.button[0].click()
    ok(at.run())
    assert db.standards(audit.id)["staff-phone-answer-speed"].threshold == 2
    at.button(key="std_off:staff-phone-answer-speed").click()
    ok(at.run())
    assert "staff-phone-answer-speed" not in db.standards(audit.id)
    at.button(key="std_reset:staff-phone-answer-speed").click()
    ok(at.run())
    assert db.standards(audit.id)["staff-phone-answer-speed"].threshold == 3


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_owner_evidence_page_renders(db: Store, lang: str) -> None:
    from audit.demo import create_demo

    _audit, links = create_demo(db, catalog_id="retail", raters=3, language=lang)
    at = ok(app(t=links[Role.OWNER]))
    for name in ("review", "standards", "competitors"):
        at.switch_page(f"audit/ui/pages/{name}.py")
        ok(at.run())
        assert at.title[0].value == t(f"{name}.title", lang)
    assert "Traceback" not in texts(at)
