"""The competitors page (Streamlit AppTest): notes, shopper visits at competitors, side by side, where we lose and win."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from app_driver import ok, open_page, texts
from streamlit.testing.v1 import AppTest

from audit import services
from audit.i18n import t
from audit.model import Catalog, Observation, Rating, Role, Touchpoint
from audit.store import Store

EARLIER = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)


def small_catalog() -> Catalog:
    return Catalog(
        "small", {"en": "Small", "ru": "Маленький"},
        (
            Touchpoint("office-sign", "office", {"en": "Sign over the door", "ru": "Вывеска"}),
            Touchpoint("staff-phone-answer", "staff", {"en": "Answering the phone", "ru": "Ответ на звонок"}),
            Touchpoint("tech-site", "technology", {"en": "Website", "ru": "Сайт"}),
        ),
    )


@pytest.fixture
def db(app_db: Store) -> Store:
    """The app's SQLite file (``app_db``), under this file's short name."""
    return app_db


def competitors_page(links: dict[Role, str]) -> AppTest:
    return open_page(links[Role.OWNER], "competitors")


def record(at: AppTest, competitor: str, touchpoint: str, versus: str | None, borrow: str = "", reaction: str | None = None) -> AppTest:
    at.selectbox(key="note_competitor").set_value(competitor)
    at.selectbox(key="note_touchpoint").set_value(touchpoint)
    ok(at.run())
    form = at.get("form")[0]
    if versus:
        form.segmented_control[0].set_value(versus)
    if reaction:
        form.segmented_control[1].set_value(reaction)
    form.text_area[0].input(borrow)
    form.button[0].click()
    return ok(at.run())


def test_the_team_records_competitors_and_sees_where_we_lose_and_win(db: Store) -> None:
    audit, links = db.create_audit("Bakery", small_catalog(), competitors=["Rival", "Giant"])
    person = db.add_participant(audit.id, "Ann")
    db.save_rating(Rating(audit.id, person.id, "office-sign", importance=9, reaction="negative"))
    db.save_rating(Rating(audit.id, person.id, "staff-phone-answer", importance=6, reaction="positive"))
    at = competitors_page(links)
    assert t("competitors.no_evidence") in texts(at) and t("competitors.lose_none") in texts(at)

    # No verdict chosen: a clear message, nothing stored.
    record(at, "Rival", "office-sign", None, "Their sign is lit all night")
    assert t("competitors.need_versus") in [e.value for e in at.error] and db.competitor_notes(audit.id) == []

    record(at, "Rival", "office-sign", "better", "Their sign is lit all night", "positive")
    record(at, "Giant", "office-sign", "worse")
    notes = {(n.competitor, n.touchpoint_id): n for n in db.competitor_notes(audit.id)}
    assert notes[("Rival", "office-sign")].borrow == "Their sign is lit all night"
    assert notes[("Rival", "office-sign")].reaction.value == "positive" and notes[("Giant", "office-sign")].versus.value == "worse"
    assert t("competitors.saved", competitor="Giant", touchpoint="Sign over the door") in texts(at)

    # Shopper visits at a competitor and at us feed the same view (once the owner accepts them).
    token = links[Role.SHOPPER]
    mila = services.visits.join_shopper(db, token, "Mila")
    for target, reaction in (("", "negative"), ("Giant", "positive")):
        visit = services.visits.start_visit(db, token, mila.id, target=target, channel="phone", visited_at=EARLIER)
        services.visits.save_observation(db, token, mila.id, visit.id, Observation("staff-phone-answer", reaction))
        services.visits.submit_visit(db, token, mila.id, visit.id)
        services.review.review_visit(db, links[Role.OWNER], visit.id, "accepted")

    at = competitors_page(links)
    table = at.dataframe[0].value
    rows = dict(zip(table[t("competitors.col_touchpoint")], table.to_dict("records"), strict=True))
    assert set(rows) == {"Sign over the door", "Answering the phone"}  # the website has no outside evidence
    assert rows["Sign over the door"]["Rival"] == t("versus_short.better")
    assert rows["Sign over the door"]["Giant"] == t("versus_short.worse")
    assert rows["Answering the phone"]["Giant"].startswith(t("versus_short.better"))  # from the shopper visits
    assert "+1.00" in rows["Answering the phone"]["Giant"] and rows["Answering the phone"][t("competitors.col_us_shoppers")] == "-1.00 (1)"
    lose = [str(m.value) for m in at.markdown if ":material/trending_down:" in str(m.value)]
    win = [str(m.value) for m in at.markdown if ":material/trending_up:" in str(m.value)]
    assert ["Sign over the door" in x for x in lose] == [True, False]  # more important first
    assert "Answering the phone" in lose[1] and "Giant" in lose[1] and "Their sign is lit all night" in lose[0]
    assert len(win) == 1 and "Giant" in win[0] and "Sign over the door" in win[0]

def test_competitors_can_be_added_and_a_duplicate_is_refused(db: Store) -> None:
    audit, links = db.create_audit("Bakery", small_catalog())
    at = competitors_page(links)
    assert t("competitors.none") in texts(at) and not at.dataframe
    form = at.get("form")[0]
    form.text_input[0].input("Bread & Co")
    form.button[0].click()
    ok(at.run())
    assert db.get_audit(audit.id).competitors == ("Bread & Co",)
    assert at.selectbox(key="note_competitor").options == ["Bread & Co"]
    [form] = [f for f in at.get("form") if f.text_input and f.text_input[0].label == t("competitors.add_name")]
    form.text_input[0].input("bread & co")
    form.button[0].click()
    ok(at.run())
    assert at.error and db.get_audit(audit.id).competitors == ("Bread & Co",)


def test_peoples_text_on_the_competitors_page_is_plain_text(db: Store) -> None:
    nasty = "<img src=x onerror=alert(1)> **bold** :red[x]"
    _audit, links = db.create_audit("Bakery", small_catalog(), competitors=[nasty[:40]])
    services.evidence.save_competitor_note(db, links[Role.OWNER], competitor=nasty[:40], touchpoint_id="office-sign", versus="better",
                                borrow=nasty)
    at = competitors_page(links)
    for kind in ("markdown", "caption", "subheader", "title"):
        for element in at.get(kind):
            value = str(element.value)
            assert not re.search(r"(?<!\\)<", value) and "**bold**" not in value and ":red[" not in value, value
    assert "<img src=x onerror=alert(1)> **bold** :red[x]" in texts(at)
