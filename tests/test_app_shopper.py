"""The mystery shopper's report through the app (Streamlit AppTest): file, save, reopen, submit; isolation; bad input.

Every test drives ``audit_app.py`` with the shopper link in the query
parameters, as a phone's browser would, against a fresh SQLite file.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from app_driver import app, ok, texts
from PIL import Image
from streamlit.testing.v1 import AppTest

from audit import services
from audit.i18n import t
from audit.model import Catalog, Chain, Observation, Rating, Role, Standard, Touchpoint, VisitStatus
from audit.photos import MAX_PHOTO_BYTES
from audit.store import Store

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60
RINGS = Standard({"en": "rings before the answer", "ru": "гудков до ответа"}, {"en": "rings", "ru": "гудков"}, "<=", 3)


def small_catalog() -> Catalog:
    return Catalog(
        "small", {"en": "Small", "ru": "Маленький"},
        (
            Touchpoint("office-sign", "office", {"en": "Sign over the door", "ru": "Вывеска"}, channels=("offline",)),
            Touchpoint("tech-site", "technology", {"en": "Website", "ru": "Сайт"}, group="Website", channels=("online",)),
            Touchpoint("staff-phone-answer", "staff", {"en": "Answering the phone", "ru": "Ответ на звонок"}, group="On the phone",
                       channels=("online", "offline"), standard=RINGS),
            Touchpoint("staff-phone-greeting", "staff", {"en": "Greeting on the phone", "ru": "Приветствие по телефону"},
                       group="On the phone", channels=("online", "offline")),
        ),
        (Chain("call-us", {"en": "Call us", "ru": "Звонок"}, ("staff-phone-answer", "staff-phone-greeting")),),
    )


@pytest.fixture
def db(app_db: Store) -> Store:
    """The app's SQLite file (``app_db``), under this file's short name."""
    return app_db


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def joined(links: dict[Role, str], name: str = "Mila") -> AppTest:
    at = ok(app(t=links[Role.SHOPPER]))
    at.text_input[0].input(name)
    at.button(key="join_go").click()
    ok(at.run())
    assert at.query_params.get("p")
    return at


def start(at: AppTest, channel: str = "phone", target: str = "", day: dt.date | None = None) -> AppTest:
    at.selectbox(key="new_target").set_value(target)
    at.selectbox(key="new_channel").set_value(channel)
    if day is not None:
        at.date_input(key="new_date").set_value(day)
    at.button(key="new_go").click()
    return ok(at.run())


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format="PNG")
    return out.getvalue()


def setup(db: Store) -> tuple[str, dict[Role, str]]:
    audit, links = db.create_audit("Bakery", small_catalog(), competitors=["Rival"], locations=["Main street 1"])
    return audit.id, links


# ------------------------------------------------------------------ the report


def test_a_shopper_files_a_visit_saves_a_draft_reopens_and_submits(db: Store) -> None:
    audit_id, links = setup(db)
    at = joined(links)
    pid = at.query_params["p"]
    assert db.participant(audit_id, pid).role is Role.SHOPPER
    start(at, "phone")
    vid = at.query_params["v"]
    [draft] = db.visits(audit_id)
    assert (draft.id, draft.status, draft.channel.value, draft.shopper_id) == (int(vid), VisitStatus.DRAFT, "phone", pid)

    # A phone call shows the phone touchpoints first.
    options = at.selectbox(key=f"add_tp:{vid}").options
    assert options[0].startswith("●") and "phone" in options[0].lower()
    assert not options[-1].startswith("●")
    at.selectbox(key=f"add_tp:{vid}").set_value("staff-phone-answer")
    ok(at.run())
    assert "tps=" not in at.query_params.get("tps", "") and "staff-phone-answer" in at.query_params["tps"]
    assert "Answering the phone" in texts(at) and t("shopper.needs_reaction") in texts(at)
    assert db.visits(audit_id)[0].observations == ()  # nothing to store before a reaction

    keys = {p: f"obs_{p}:{vid}:staff-phone-answer" for p in ("reaction", "text", "measurement")}
    at.text_area(key=keys["text"]).input("Five rings, then a hold tune")
    ok(at.run())
    at.segmented_control(key=keys["reaction"]).set_value("negative")
    ok(at.run())
    at.text_input(key=keys["measurement"]).input("2")
    ok(at.run())
    at.text_area(key=f"v_scenario:{vid}").input("A new customer asks about a cake for Saturday")
    ok(at.run())
    at.pills(key=f"v_recommend:{vid}").set_value(6)
    ok(at.run())
    [draft] = db.visits(audit_id)
    assert draft.status is VisitStatus.DRAFT
    assert draft.observations == (Observation("staff-phone-answer", "negative", "Five rings, then a hold tune", 2.0),)
    assert (draft.scenario, draft.recommend) == ("A new customer asks about a cake for Saturday", 6)

    # Reopen: a refresh (a new session with the same link) shows everything that was saved.
    again = ok(app(t=links[Role.SHOPPER], p=pid, v=vid))
    assert again.segmented_control(key=keys["reaction"]).value == "negative"
    assert again.text_area(key=keys["text"]).value == "Five rings, then a hold tune"
    assert again.text_input(key=keys["measurement"]).value == "2"
    assert again.pills(key=f"v_recommend:{vid}").value == 6
    listing = ok(app(t=links[Role.SHOPPER], p=pid))
    assert listing.button(key=f"open_{vid}").label == t("shopper.continue")
    listing.button(key=f"open_{vid}").click()
    ok(listing.run())
    assert listing.query_params["v"] == vid

    again.button(key=f"submit:{vid}").click()
    ok(again.run())
    assert "v" not in again.query_params and t("shopper.submitted") in texts(again)
    assert db.visits(audit_id)[0].status is VisitStatus.SUBMITTED
    # A submitted visit can no longer be changed by the shopper: it opens read-only.
    locked = ok(app(t=links[Role.SHOPPER], p=pid, v=vid))
    assert t("shopper.locked") in texts(locked)
    assert [w.key for w in locked.segmented_control] == ["_lang_pick"]  # only the language switch
    assert not locked.text_area and not locked.text_input and not locked.get("file_uploader")
    assert "Five rings, then a hold tune" in texts(locked)


def test_a_chain_is_followed_as_a_route_and_a_touchpoint_can_be_removed(db: Store) -> None:
    audit_id, links = setup(db)
    at = start(joined(links), "in-person")
    vid = at.query_params["v"]
    at.selectbox(key=f"route:{vid}").set_value("call-us")
    ok(at.run())
    assert at.query_params["tps"] == "staff-phone-answer,staff-phone-greeting"
    at.segmented_control(key=f"obs_reaction:{vid}:staff-phone-greeting").set_value("positive")
    ok(at.run())
    assert [o.touchpoint_id for o in db.visits(audit_id)[0].observations] == ["staff-phone-greeting"]
    at.button(key=f"obs_remove:{vid}:staff-phone-greeting").click()
    ok(at.run())
    assert db.visits(audit_id)[0].observations == ()
    assert at.query_params["tps"] == "staff-phone-answer"


def test_a_photo_is_checked_stored_with_the_visit_and_shown_as_a_thumbnail(db: Store) -> None:
    _audit_id, links = setup(db)
    at = start(joined(links), "in-person")
    vid = at.query_params["v"]
    at.file_uploader(key=f"photo:{vid}:0").set_value(("sign.png", png(), "image/png"))
    ok(at.run())
    [photo] = db.photos(int(vid))
    assert photo["mime"] == "image/png"
    assert at.get("image"), "the thumbnail is shown"
    assert at.file_uploader(key=f"photo:{vid}:1").value is None  # a fresh, empty uploader
    at.button(key=f"photo_remove:{photo['id']}").click()
    ok(at.run())
    assert db.photos(int(vid)) == []


# ------------------------------------------------------------------ who sees what


def test_a_shopper_sees_only_their_own_visits_and_no_team_pages(db: Store) -> None:
    audit_id, links = setup(db)
    oleg = services.visits.join_shopper(db, links[Role.SHOPPER], "Oleg")
    his = services.visits.start_visit(db, links[Role.SHOPPER], oleg.id, target="Rival", channel="website",
                             visited_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), location="Secret branch")
    services.visits.update_visit(db, links[Role.SHOPPER], oleg.id, his.id, scenario="Oleg's private scenario")
    team_member = db.add_participant(audit_id, "Ann")
    db.save_rating(Rating(audit_id, team_member.id, "office-sign", importance=9, reaction="negative", comment="Team secret comment"))

    at = start(joined(links), "phone")
    mine = at.query_params["v"]
    listing = ok(app(t=links[Role.SHOPPER], p=at.query_params["p"]))
    assert [b.key for b in listing.button if str(b.key).startswith("open_")] == [f"open_{mine}"]
    assert "Secret branch" not in texts(listing) and "Oleg" not in texts(listing)

    # Another shopper's visit id in the URL opens nothing of it.
    peek = ok(app(t=links[Role.SHOPPER], p=at.query_params["p"], v=str(his.id)))
    assert t("access.not_your_visit") in texts(peek)
    assert "Oleg's private scenario" not in texts(peek) and "Secret branch" not in texts(peek)
    assert "v" not in peek.query_params
    # A team member's id with the shopper link is not a shopper: the name form instead.
    as_team = ok(app(t=links[Role.SHOPPER], p=team_member.id))
    assert t("access.not_participant") in texts(as_team) and as_team.button(key="join_go")

    for page in ("rate", "board", "present", "links", "review", "standards", "competitors", "results", "plan"):
        with pytest.raises(ValueError):
            at.switch_page(f"audit/ui/pages/{page}.py")  # not registered for a shopper link
    for page in ("rate", "board", "review", "standards", "competitors"):
        direct = AppTest.from_file(str(ROOT / "audit" / "ui" / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
        direct.query_params["t"] = links[Role.SHOPPER]
        ok(direct.run())
        assert direct.error[0].value == t("access.not_allowed")
        assert not direct.get("dataframe") and not direct.button
        assert "Team secret comment" not in texts(direct) and "Oleg" not in texts(direct)


# ------------------------------------------------------------------ bad input: a clear message, nothing stored half-way


def test_a_measurement_that_is_not_a_number_or_negative_is_refused(db: Store) -> None:
    audit_id, links = setup(db)
    at = start(joined(links), "phone")
    vid = at.query_params["v"]
    at.selectbox(key=f"add_tp:{vid}").set_value("staff-phone-answer")
    ok(at.run())
    keys = {p: f"obs_{p}:{vid}:staff-phone-answer" for p in ("reaction", "text", "measurement")}
    at.segmented_control(key=keys["reaction"]).set_value("neutral")
    ok(at.run())
    at.text_input(key=keys["measurement"]).input("4")
    ok(at.run())
    for bad, message in (("four", "shopper.error_number"), ("-3", "shopper.error_negative"), ("1e400", "shopper.error_number")):
        at.text_input(key=keys["measurement"]).input(bad)
        ok(at.run())
        assert t(message) in errors(at), bad
        [visit] = db.visits(audit_id)
        assert visit.observations == (Observation("staff-phone-answer", "neutral", "", 4.0),)  # the last good value stays
    at.text_input(key=keys["measurement"]).input("3,5")
    ok(at.run())
    assert not errors(at) and db.visits(audit_id)[0].observations[0].measurement == 3.5


def test_a_visit_in_the_future_is_refused(db: Store) -> None:
    audit_id, links = setup(db)
    at = joined(links)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    start(at, "phone", day=tomorrow)
    assert t("shopper.error_future") in errors(at)
    assert "v" not in at.query_params and db.visits(audit_id) == []

    start(at, "phone", day=dt.date.today() - dt.timedelta(days=1))
    vid = at.query_params["v"]
    before = db.visits(audit_id)[0].visited_at
    at.date_input(key=f"v_date:{vid}").set_value(tomorrow)
    ok(at.run())
    assert t("shopper.error_future") in errors(at)
    assert db.visits(audit_id)[0].visited_at == before
    assert at.date_input(key=f"v_date:{vid}").value == before.date()  # the stored date is shown again


def test_an_empty_visit_cannot_be_submitted(db: Store) -> None:
    audit_id, links = setup(db)
    at = start(joined(links), "email")
    vid = at.query_params["v"]
    at.button(key=f"submit:{vid}").click()
    ok(at.run())
    assert t("shopper.error_empty") in errors(at)
    assert at.query_params["v"] == vid and db.visits(audit_id)[0].status is VisitStatus.DRAFT


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("receipt.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 2000, "shopper.photo_not_photo"),  # a renamed .exe
        ("photo.png", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 2000, "shopper.photo_not_photo"),  # a zip
        ("huge.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (MAX_PHOTO_BYTES + 1024), "shopper.photo_too_big"),
        ("broken.png", png()[:60], "shopper.photo_unreadable"),
    ],
)
def test_an_upload_that_is_not_an_acceptable_photo_is_refused(db: Store, name: str, data: bytes, message: str) -> None:
    _audit_id, links = setup(db)
    at = start(joined(links), "in-person")
    vid = at.query_params["v"]
    at.file_uploader(key=f"photo:{vid}:0").set_value((name, data, "image/jpeg"))
    ok(at.run())
    shown = errors(at)
    assert len(shown) == 1 and shown[0].startswith(t(message).split("{")[0][:30]), shown
    assert "Nothing was saved" in shown[0]
    assert db.photos(int(vid)) == [] and not at.get("image")
    assert "Traceback" not in texts(at)


def test_the_report_speaks_russian(db: Store) -> None:
    _audit, links = db.create_audit("Пекарня", small_catalog(), language="ru", competitors=["Соперник"])
    at = ok(app(t=links[Role.SHOPPER]))
    assert "Один раз введите имя" in texts(at)
    at.text_input[0].input("Мила")
    at.button(key="join_go").click()
    ok(at.run())
    start(at, "phone")
    vid = at.query_params["v"]
    at.selectbox(key=f"add_tp:{vid}").set_value("staff-phone-answer")
    ok(at.run())
    assert "Ответ на звонок" in texts(at)
    assert at.text_input(key=f"obs_measurement:{vid}:staff-phone-answer").label.startswith("Замер: гудков до ответа")
    at.segmented_control(key=f"obs_reaction:{vid}:staff-phone-answer").set_value("negative")
    at.text_input(key=f"obs_measurement:{vid}:staff-phone-answer").input("много")
    ok(at.run())
    assert t("shopper.error_number", "ru") in errors(at)
