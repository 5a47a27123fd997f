"""The workshop app through its entrypoint (Streamlit AppTest): create, join, rate, add, board, links.

Every test drives ``audit_app.py`` with the token in the query parameters,
exactly as a browser would, against a fresh SQLite file.
"""

from __future__ import annotations

import re
import statistics
import time

import pytest
from app_driver import ROOT, TIMEOUT, app, ok, texts
from appcard import FakeCard, component_data
from streamlit.testing.v1 import AppTest

from audit.catalog import bundled
from audit.i18n import t
from audit.model import Catalog, Rating, Role, Touchpoint
from audit.store import Store


@pytest.fixture
def db(app_db: Store) -> Store:
    """The app's SQLite file (``app_db``), under this file's short name."""
    return app_db


def small_catalog() -> Catalog:
    return Catalog(
        "small", {"en": "Small", "ru": "Маленький"},
        (
            Touchpoint("office-sign", "office", {"en": "Sign over the door", "ru": "Вывеска"}, {"en": "Readable from the street?", "ru": "Читается с улицы?"},
                       stages=("before",), channels=("offline",)),
            Touchpoint("office-door", "office", {"en": "Entrance door", "ru": "Входная дверь"}, stages=("during",), channels=("offline",)),
            Touchpoint("tech-site", "technology", {"en": "Website", "ru": "Сайт"}, stages=("before",), channels=("online",)),
            Touchpoint("staff-call", "staff", {"en": "Phone call", "ru": "Звонок"}, stages=("during",), channels=("offline",)),
        ),
    )


def joined(db: Store, name: str = "Ann", catalog: Catalog | None = None, language: str = "en") -> tuple[AppTest, str, dict[Role, str]]:
    """A team member who joined through the team link, on the walk-through."""
    audit, links = db.create_audit("Bakery", catalog or small_catalog(), language=language)
    at = ok(app(t=links[Role.TEAM]))
    at.text_input[0].input(name)
    at.button[0].click()
    ok(at.run())
    assert at.query_params.get("p")
    return at, audit.id, links


# ------------------------------------------------------------------ entry


def test_bare_url_shows_the_welcome_page(db: Store) -> None:
    at = ok(app())
    assert at.title[0].value == "Touchpoint Audit"
    labels = [b.label for b in at.button]
    assert "Create an audit" in labels and "Open with a link" in labels
    assert "touchpoint" in texts(at)
    at.button(key="go_create").click()
    ok(at.run())
    assert at.title[0].value == t("create.title")


def test_the_welcome_page_speaks_russian(db: Store) -> None:
    at = ok(app())
    at.segmented_control(key="_lang_pick").set_value("ru")
    ok(at.run())
    assert at.title[0].value == "Аудит точек контакта"
    assert "Создать аудит" in [b.label for b in at.button]


@pytest.mark.parametrize("token", ["garbage", "x" * 300, "<script>alert(1)</script>"])
def test_a_garbage_link_gets_a_clear_not_valid_page(db: Store, token: str) -> None:
    at = ok(app(t=token))
    assert at.title[0].value == t("invalid.title")
    assert at.error[0].value == t("access.link_not_valid")
    assert not at.get("dataframe") and not at.get("metric")


def test_a_rotated_link_stops_at_once(db: Store) -> None:
    at, audit_id, _ = joined(db)
    db.rotate_token(audit_id, Role.TEAM)
    again = ok(app(**{k: str(v) for k, v in at.query_params.items()}))
    assert again.title[0].value == t("invalid.title")
    assert "Bakery" not in texts(again)


# ------------------------------------------------------------------ create


def test_create_an_audit_from_a_preset(db: Store) -> None:
    at = ok(app())
    at.switch_page("audit/ui/pages/create.py")
    ok(at.run())
    at.text_input(key="c_name").input("Corner Bakery")
    at.text_area(key="c_locations").input("Main St 1\n\nHarbour Rd 5\n")
    at.segmented_control(key="c_language").set_value("ru")
    at.selectbox(key="c_catalog_en").select("retail")
    at.text_area(key="c_competitors").input("Bread & Co\nCake Town")
    at.text_area(key="c_people").input("Ann\nBob")
    ok(at.run())
    at.button(key="c_submit").click()
    ok(at.run())

    audits = db.list_audits()
    assert len(audits) == 1
    made = audits[0]
    assert (made.name, made.catalog_id, made.language) == ("Corner Bakery", "retail", "ru")
    assert made.locations == ("Main St 1", "Harbour Rd 5") and made.competitors == ("Bread & Co", "Cake Town")
    assert [p.name for p in db.participants(made.id)] == ["Ann", "Bob"]
    assert len(db.catalog(made.id).touchpoints) == len(bundled("retail").touchpoints)

    # The owner lands on the links page, in the audit's language, with the owner link in the URL.
    owner = at.query_params["t"]
    assert db.resolve_token(owner).role is Role.OWNER
    assert at.title[0].value == t("links.title", "ru")
    codes = [c.value for c in at.code]
    roles = sorted(db.resolve_token(c.split("t=")[1].split("&")[0]).role.value for c in codes[:3])
    assert roles == ["owner", "shopper", "team"]
    assert len(codes) == 5 and all("&p=" in c for c in codes[3:])  # personal links of Ann and Bob
    assert len(at.image) == 5  # one QR code per link, and one per person (their personal link)
    assert "ключ" in at.warning[0].value  # the owner link is the key
    # The stored tokens are hashes, never the links.
    import sqlalchemy as sa

    with db.engine.connect() as conn:
        stored = set(conn.execute(sa.text("SELECT token_hash FROM tokens")).scalars())
    assert owner not in stored


def test_an_uploaded_csv_with_errors_is_listed_and_nothing_is_created(db: Store) -> None:
    at = ok(app())
    at.switch_page("audit/ui/pages/create.py")
    ok(at.run())
    at.text_input(key="c_name").input("Bakery")
    at.radio(key="c_source").set_value("upload")
    ok(at.run())
    bad = (
        b"id,category,name_en,stage\n"
        b"office-sign,office,Sign,before\n"
        b"office-door,kitchen,Door,during\n"
        b"office-sign,office,Again,before\n"
        b"tech-site,technology,,sometime\n"
    )
    at.file_uploader(key="c_upload").set_value(("bad.csv", bad, "text/csv"))
    ok(at.run())
    assert "bad\\.csv" in at.error[0].value and "Nothing was created" in at.error[0].value
    problems = at.dataframe[0].value
    lines = {str(x) for x in problems[t("create.col_line")]}
    assert {"3", "4", "5"} <= lines
    joined_text = " ".join(problems[t("create.col_problem")])
    assert "kitchen" in joined_text or "category" in " ".join(problems[t("create.col_field")])
    at.button(key="c_submit").click()
    ok(at.run())
    assert any(e.value == t("create.need_catalog") for e in at.error)
    assert db.list_audits() == []


def test_an_uploaded_clean_csv_creates_the_audit(db: Store) -> None:
    at = ok(app())
    at.switch_page("audit/ui/pages/create.py")
    ok(at.run())
    at.text_input(key="c_name").input("Bakery")
    at.radio(key="c_source").set_value("upload")
    ok(at.run())
    good = "id,category,name_en,name_ru,question_en\noffice-sign,office,Sign,Вывеска,Readable?\nstaff-call,staff,Call,Звонок,\n"
    at.file_uploader(key="c_upload").set_value(("mine.csv", good.encode(), "text/csv"))
    ok(at.run())
    assert "2 touchpoints" in at.success[0].value
    at.button(key="c_submit").click()
    ok(at.run())
    (made,) = db.list_audits()
    assert [tp.id for tp in db.catalog(made.id).touchpoints] == ["office-sign", "staff-call"]


def test_creating_without_a_name_says_so(db: Store) -> None:
    at = ok(app())
    at.switch_page("audit/ui/pages/create.py")
    ok(at.run())
    at.button(key="c_submit").click()
    ok(at.run())
    assert at.error[0].value == t("create.need_name")
    assert db.list_audits() == []


def test_open_with_a_link(db: Store) -> None:
    _, links = db.create_audit("Bakery", small_catalog())
    at = ok(app())
    at.switch_page("audit/ui/pages/open.py")
    ok(at.run())
    at.text_input[0].input("garbage")
    at.button[0].click()
    ok(at.run())
    assert at.error[0].value == t("access.link_not_valid")
    at.text_input[0].input(f"http://somewhere:8501/?t={links[Role.TEAM]}")
    at.button[0].click()
    ok(at.run())
    assert at.query_params["t"] == links[Role.TEAM]
    assert at.text_input[0].label == t("rate.your_name")  # the team's home: join and rate


# ------------------------------------------------------------------ rating


def test_join_rate_and_every_answer_is_stored_at_once(db: Store) -> None:
    at, audit_id, _ = joined(db, "Ann")
    pid = at.query_params["p"]
    assert db.participant(audit_id, pid).name == "Ann"
    assert db.participant(audit_id, pid).first_seen is not None  # joined = opened
    card = FakeCard(at)
    assert card.ids() == ["office-sign", "office-door", "tech-site", "staff-call"]  # grouped by category
    first = card.deck["items"][0]
    assert (first["name"], first["q"], first["cat"]) == ("Sign over the door", "Readable from the street?", "Office")

    card.answer("office-sign", "importance", 7)
    (r,) = db.ratings(audit_id)
    assert (r.importance, r.reaction) == (7, None)
    assert card.items == [] and card.answers["office-sign"][:2] == [7, None]  # acknowledged, and shown as saved
    card.answer("office-sign", "reaction", "negative")
    card.answer("office-sign", "presence", "have")
    card.answer("office-sign", "comment", "Faded letters")
    card.answer("office-sign", "idea", "Repaint it")
    (r,) = db.ratings(audit_id)
    assert (r.importance, r.reaction.value, r.presence.value, r.comment, r.idea) == (7, "negative", "have", "Faded letters", "Repaint it")
    assert card.answers["office-sign"] == [7, "negative", "have", 0, "Faded letters", "Repaint it"]


def test_a_refresh_resumes_as_the_same_person_with_the_answers(db: Store) -> None:
    at, audit_id, _ = joined(db, "Ann")
    card = FakeCard(at)
    card.answer("office-sign", "importance", 9)
    card.answer("office-sign", "reaction", "positive")
    card.answer("office-door", "importance", 4)

    # A refresh (or the same link on a second device) is a new session with the same URL.
    again = ok(app(**{k: str(v) for k, v in at.query_params.items()}))
    assert "Ann" in again.caption[0].value
    assert not again.get("text_input")  # no second "enter your name"
    data = component_data(again, "tpa_card")
    assert data["deck"]["version"] == card.deck_version  # a new session gets the deck again
    assert data["answers"] == {"office-sign": [9, "positive", None, 0], "office-door": [4, None, None, 0]}
    # A touchpoint in the URL (a shared link) is where the card starts.
    there = ok(app(t=at.query_params["t"], p=at.query_params["p"], tp="tech-site"))
    assert component_data(there, "tpa_card")["start"] == "tech-site"
    assert len(db.participants(audit_id)) == 1


def test_filtering_the_deck_and_not_applicable(db: Store) -> None:
    at, audit_id, _ = joined(db, "Ann")
    card = FakeCard(at)
    card.answer("office-sign", "not_applicable", True)
    (r,) = db.ratings(audit_id)
    assert r.not_applicable and r.touchpoint_id == "office-sign"
    at.pills(key="f_cat").set_value(["technology"])
    ok(at.run())
    card.read()
    assert card.ids() == ["tech-site"]  # a new deck, sent at once
    at.pills(key="f_cat").set_value([])
    at.pills(key="f_channel").set_value(["online"])
    at.pills(key="f_stage").set_value(["during"])
    ok(at.run())
    assert at.info[-1].value == t("rate.nothing_matches")
    at.pills(key="f_channel").set_value([])
    at.pills(key="f_stage").set_value([])
    ok(at.run())
    card.read()
    assert len(card.ids()) == 4
    card.answer("office-sign", "not_applicable", False)
    assert not db.ratings(audit_id)[0].not_applicable


def test_the_deck_is_sent_once_per_session_and_version(db: Store) -> None:
    at, _, _ = joined(db, "Ann")
    card = FakeCard(at)
    assert card.data()["deck"] is not None
    card.send()  # the browser reports the version it holds
    data = card.data()
    assert data["deck"] is None and data["labels"] is None and data["deck_version"] == card.deck_version
    card.deck_version = None  # a remounted card without its deck asks again
    assert card.send()["deck"]["version"] == data["deck_version"]


def test_a_personal_id_of_another_audit_is_refused(db: Store) -> None:
    other, _ = db.create_audit("Other", small_catalog())
    stranger = db.add_participant(other.id, "Stranger")
    _, links = db.create_audit("Bakery", small_catalog())
    at = ok(app(t=links[Role.TEAM], p=stranger.id))
    assert at.warning[0].value == t("access.not_participant")
    assert "p" not in at.query_params
    assert at.text_input[0].label == t("rate.your_name")
    assert "Stranger" not in texts(at)


def test_the_team_link_with_a_shopper_or_owner_id_asks_for_a_name(db: Store) -> None:
    """``?t=TEAM&p=<shopper id>`` or ``<owner id>`` neither shows nor saves anything in that person's name."""
    audit, links = db.create_audit("Bakery", small_catalog())
    mila = db.add_participant(audit.id, "Mila", Role.SHOPPER)
    boss = db.add_participant(audit.id, "Boss", Role.OWNER)
    for person in (mila, boss):
        at = ok(app(t=links[Role.TEAM], p=person.id))
        assert at.warning[0].value == t("access.not_participant")
        assert "p" not in at.query_params
        assert at.text_input[0].label == t("rate.your_name")
        assert person.name not in texts(at)
    assert db.ratings(audit.id) == []


def test_the_catalog_follows_the_audit_language(db: Store) -> None:
    at, _, _ = joined(db, "Анна", language="ru")
    data = component_data(at, "tpa_card")
    assert data["deck"]["items"][0]["name"] == "Вывеска"
    assert data["labels"]["reaction"] == t("card.reaction", "ru")
    at.segmented_control(key="_lang_pick").set_value("en")
    ok(at.run())
    data = component_data(at, "tpa_card")
    assert data["labels"]["reaction"] == t("card.reaction", "en")
    assert data["deck"]["items"][0]["name"] == "Вывеска"  # the catalog stays in the audit's language
    assert data["deck"]["items"][0]["cat"] == "Office"  # the UI's words follow the UI language


# ------------------------------------------------------------------ brainstorm


def test_a_brainstorm_addition_reaches_everyone_at_once(db: Store) -> None:
    ann, audit_id, links = joined(db, "Ann")
    bob = ok(app(t=links[Role.TEAM]))
    bob.text_input[0].input("Bob")
    bob.button[0].click()
    ok(bob.run())
    bob_card = FakeCard(bob)

    ann.switch_page("audit/ui/pages/add.py")
    ok(ann.run())
    ann.selectbox[0].select("office")
    ann.text_input[0].input("Parking sign")
    ann.text_input[1].input("Seen from the road?")
    ann.button[0].click()
    ok(ann.run())
    assert "Parking sign" in ann.success[0].value
    added = db.catalog(audit_id).touchpoints[-1]
    assert added.added_by_team and added.name.exact("en") == "Parking sign"

    bob_card.answer("office-sign", "importance", 3)  # Bob's next tap brings the new deck
    item = next(i for i in bob_card.deck["items"] if i["id"] == added.id)
    assert (item["name"], item["q"], item["team"]) == ("Parking sign", "Seen from the road?", True)
    assert bob_card.ids().index(added.id) == 2  # with the other office touchpoints
    bob_card.answer(added.id, "importance", 8)
    assert {r.touchpoint_id: r.importance for r in db.ratings(audit_id)} == {"office-sign": 3, added.id: 8}


# ------------------------------------------------------------------ owner


def seed_votes(db: Store, audit_id: str) -> None:
    ann = db.add_participant(audit_id, "Ann")
    bob = db.add_participant(audit_id, "Bob")
    db.add_participant(audit_id, "Cleo")
    db.save_rating(Rating(audit_id, ann.id, "office-sign", importance=9, reaction="positive", comment="Clear"))
    db.save_rating(Rating(audit_id, bob.id, "office-sign", importance=2, reaction="negative", idea="Light it"))
    db.save_rating(Rating(audit_id, ann.id, "tech-site", importance=6, reaction="neutral"))


def test_the_owner_board_shows_who_joined_and_the_counts(db: Store) -> None:
    audit, links = db.create_audit("Bakery", small_catalog())
    seed_votes(db, audit.id)
    at = ok(app(t=links[Role.OWNER]))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("board.joined")] == "2"  # Cleo was invited but has not opened the audit yet
    assert metrics[t("board.answers")] == "3"
    assert metrics[t("board.touchpoints_rated")] == "2 / 4"
    team = at.dataframe[0].value
    assert list(team[t("board.col_person")]) == ["Ann", "Bob", "Cleo"]
    assert list(team[t("board.col_joined")]) == [True, True, False]
    assert list(team[t("board.col_done")]) == ["2 / 4", "1 / 4", "0 / 4"]
    cleo = next(p for p in db.participants(audit.id) if p.name == "Cleo")
    ok(app(t=links[Role.TEAM], p=cleo.id))  # Cleo opens her link
    ok(at.run())
    assert {m.label: m.value for m in at.metric}[t("board.joined")] == "3"
    table = at.dataframe[1].value.set_index(t("board.col_touchpoint"))
    assert table.loc["Sign over the door", t("board.col_votes")] == 2
    assert table.loc["Sign over the door", t("board.col_importance")] == 5.5
    assert (table.loc["Sign over the door", [t("board.col_positive"), t("board.col_neutral"), t("board.col_negative")]] == [1, 0, 1]).all()
    assert table.loc["Website", t("board.col_votes")] == 1
    discuss = [m.value for m in at.markdown if "Sign over the door" in m.value]
    assert discuss and "2 votes" in discuss[0]


def test_presenter_mode_shows_one_touchpoint_with_live_results(db: Store) -> None:
    audit, links = db.create_audit("Bakery", small_catalog())
    seed_votes(db, audit.id)
    at = ok(app(t=links[Role.OWNER]))
    at.switch_page("audit/ui/pages/present.py")
    ok(at.run())
    assert at.title[0].value == "Sign over the door"  # the most disputed comes first
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("present.votes")] == "2" and metrics[t("present.importance")] == "5.5"
    assert metrics[t("reaction.positive")] == "1" and metrics[t("reaction.negative")] == "1"
    assert "Clear" in texts(at) and "Light it" in texts(at)
    at.button(key="present_next").click()
    ok(at.run())
    assert at.title[0].value == "Website"


def test_a_team_link_cannot_open_the_owner_pages_or_rotate(db: Store) -> None:
    audit, links = db.create_audit("Bakery", small_catalog())
    seed_votes(db, audit.id)
    at = ok(app(t=links[Role.TEAM]))
    for page in ("board", "present", "links"):
        with pytest.raises(ValueError):
            at.switch_page(f"audit/ui/pages/{page}.py")  # not registered for this role
    # Even run directly, the page checks the role on the server and shows nothing.
    for page in ("board", "present", "links"):
        direct = AppTest.from_file(str(ROOT / "audit" / "ui" / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
        direct.query_params["t"] = links[Role.TEAM]
        ok(direct.run())
        assert direct.error[0].value == t("access.not_allowed")
        assert not direct.get("dataframe") and not direct.get("metric") and not direct.get("code")
        assert not direct.button
    assert db.resolve_token(links[Role.TEAM]).role is Role.TEAM  # nothing was rotated


def test_the_owner_rotates_links_from_the_links_page(db: Store) -> None:
    _, links = db.create_audit("Bakery", small_catalog())
    at = ok(app(t=links[Role.OWNER]))
    at.switch_page("audit/ui/pages/links.py")
    ok(at.run())
    # All three links are shown again: team and shopper are derived from the owner link.
    assert [c.value for c in at.code] == [f"http://localhost:8501/?t={links[r]}" for r in (Role.TEAM, Role.OWNER, Role.SHOPPER)]
    at.checkbox(key="sure_team").check()
    ok(at.run())
    at.button(key="rotate_team").click()
    ok(at.run())
    assert db.resolve_token(links[Role.TEAM]) is None
    new_team = [c.value for c in at.code if db.resolve_token(c.value.split("t=")[1]) and db.resolve_token(c.value.split("t=")[1]).role is Role.TEAM]
    assert len(new_team) == 1
    at.checkbox(key="sure_owner").check()
    ok(at.run())
    at.button(key="rotate_owner").click()
    ok(at.run())
    assert db.resolve_token(links[Role.OWNER]) is None
    assert db.resolve_token(at.query_params["t"]).role is Role.OWNER  # the owner stays in
    assert at.title[0].value == t("links.title")


# ------------------------------------------------------------------ people's text is plain text


NASTY = [
    "<script>alert('x')</script>",
    "**bold** [link](javascript:alert(1)) :red[red] $x$",
    "<img src=x onerror=alert(1)>",
]


def test_user_text_is_shown_as_plain_text_never_executed(db: Store) -> None:
    long = "W" * 290
    audit, links = db.create_audit(f"{NASTY[0]} Shop", small_catalog())
    for i, nasty in enumerate(NASTY):
        person = db.add_participant(audit.id, f"{nasty[:100]}")
        db.save_rating(Rating(audit.id, person.id, "office-sign", importance=5 + i, reaction="negative", comment=nasty + " " + long * 10, idea=nasty))
    team = ok(app(t=links[Role.TEAM]))
    team.switch_page("audit/ui/pages/add.py")
    ok(team.run())
    team.text_input[0].input(f"{NASTY[1]} {long}"[:300])
    team.button[0].click()
    ok(team.run())

    pages = []
    owner = ok(app(t=links[Role.OWNER]))
    pages.append(owner)
    owner.switch_page("audit/ui/pages/present.py")
    ok(owner.run())
    pages.append(owner)
    person = db.participants(audit.id)[0]
    walker = ok(app(t=links[Role.TEAM], p=person.id, tp="office-sign"))
    pages.append(walker)
    add = ok(app(t=links[Role.TEAM], p=person.id))
    add.switch_page("audit/ui/pages/add.py")
    pages.append(ok(add.run()))

    for at in pages:
        # Markdown-capable elements carry people's text escaped: no raw tag, link, or directive survives.
        for kind in ("title", "header", "subheader", "markdown", "caption"):
            for element in at.get(kind):
                value = str(element.value)
                assert not re.search(r"(?<!\\)<", value), value  # every "<" is escaped: no tag can form
                assert "**bold**" not in value and "](javascript" not in value and ":red[" not in value, value
                assert not getattr(element.proto, "allow_html", False) or "Shop" not in value
        # Raw HTML is only our own static style sheet.
        for html in at.get("html"):
            assert "alert" not in str(html.proto) and "Shop" not in str(html.proto)
    escaped = texts(pages[1], raw=True)
    assert "\\<script\\>" in escaped and "\\*\\*bold\\*\\*" in escaped
    # The card receives people's text as it was typed; it only ever sets it as text (a browser test checks).
    assert component_data(walker, "tpa_card")["answers"]["office-sign"][4].startswith(NASTY[0])
    assert any(tp.added_by_team and len(tp.name.exact("en")) == 300 for tp in db.catalog(audit.id).touchpoints)


# ------------------------------------------------------------------ speed


def test_rating_page_rerun_time_with_the_200_touchpoint_catalog(db: Store, record_property: pytest.FixtureRequest) -> None:
    general = bundled("general")
    assert len(general.touchpoints) >= 200
    at, audit_id, _ = joined(db, "Ann", catalog=general)
    pid = at.query_params["p"]
    for tp in general.touchpoints[:120]:
        db.save_rating(Rating(audit_id, pid, tp.id, importance=5, reaction="neutral", comment="ok"))
    ok(at.run())
    timings = []
    for _ in range(15):
        start = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - start)
    ok(at)
    card = FakeCard(at)
    clicks = []
    for i in range(8):
        card.item(general.touchpoints[130 + i].id, "importance", 1 + i % 10)
        start = time.perf_counter()
        card.send()
        clicks.append(time.perf_counter() - start)
    assert sum(1 for r in db.ratings(audit_id, participant_id=pid) if r.touchpoint_id in {tp.id for tp in general.touchpoints[130:138]}) == 8
    median, click = statistics.median(timings), statistics.median(clicks)
    record_property("rerun_median_ms", round(median * 1000, 1))
    record_property("click_rerun_median_ms", round(click * 1000, 1))
    print(f"\nrating page, {len(general.touchpoints)} touchpoints: median full rerun {median * 1000:.0f} ms, "
          f"median click-and-save rerun {click * 1000:.0f} ms")
    # The target is <= 100 ms on a quiet machine; the bound here is loose so a busy CI box does not flake.
    assert median < 1.0


def test_owner_sees_the_team_link_again_after_a_refresh(db: Store) -> None:
    """Links are derived from the owner link, so a new session can show them for the projector."""
    _, links = db.create_audit("Bakery", small_catalog())
    at = ok(app(t=links[Role.OWNER]))
    at.switch_page("audit/ui/pages/links.py")
    at = ok(at.run())
    shown = " ".join(c.value for c in at.get("code"))
    assert f"t={links[Role.TEAM]}" in shown and f"t={links[Role.SHOPPER]}" in shown
