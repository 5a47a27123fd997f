"""The workshop room through the app's entrypoint (AppTest): the card's outbox rounds, the person in the
browser, the same-name question, the quick grid, follow-me and the presenter's controls, personal links.

AppTest cannot run the component's JavaScript; :class:`appcard.FakeCard` plays the browser's outbox.
"""

from __future__ import annotations

import re

import pytest
from app_driver import run, visit
from appcard import FakeCard, component_data
from streamlit.testing.v1 import AppTest

from audit import services
from audit.catalog import bundled
from audit.i18n import t
from audit.model import Rating, Role
from audit.store import Store


@pytest.fixture
def db(app_db: Store) -> Store:
    return app_db


@pytest.fixture
def room(db: Store) -> tuple[Store, str, dict[Role, str]]:
    audit, links = db.create_audit("Bakery", bundled("general"))
    return db, audit.id, links


def join(links: dict[Role, str], name: str) -> AppTest:
    at = visit(t=links[Role.TEAM])
    at.text_input[0].input(name)
    at.button[0].click()
    return run(at)


# ------------------------------------------------------------------ outbox rounds


def test_a_resent_outbox_is_stored_once_and_acknowledged(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, audit_id, links = room
    at = join(links, "Ann")
    card = FakeCard(at)
    card.item("office-facade", "importance", 4)
    card.item("office-signage", "importance", 6)
    sent = list(card.items)
    data = card.send()
    assert data["acks"] == {card.device: 2} and card.items == []
    card.send(sent)  # the browser did not see the acknowledgement and sends the same items again
    card.deck_version = None
    assert len(db.rating_history(audit_id)) == 2
    # A new session (a reload) gets the same items from the browser's storage: still stored once.
    again = visit(**{k: str(v) for k, v in at.query_params.items()})
    reloaded = FakeCard(again, device=card.device)
    reloaded.send(sent)
    assert reloaded.data()["acks"] == {card.device: 2}
    assert len(db.rating_history(audit_id)) == 2
    assert {r.touchpoint_id: r.importance for r in db.ratings(audit_id)} == {"office-facade": 4, "office-signage": 6}


def test_a_bad_answer_is_refused_by_number_and_stores_nothing(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, audit_id, links = room
    at = join(links, "Ann")
    card = FakeCard(at)
    card.item("office-facade", "importance", 42)
    card.item("no-such-touchpoint", "importance", 5)
    card.item("office-facade", "comment", "=HYPERLINK(\"http://x\")")
    data = card.send()
    assert data["refused"] == {card.device: [1, 2]} and data["acks"] == {card.device: 3}
    assert card.refused == [1, 2] and card.items == []
    (r,) = db.ratings(audit_id)
    assert (r.importance, r.comment) == (None, "=HYPERLINK(\"http://x\")")  # text is kept as text; exports escape it


def test_an_older_answer_from_another_device_does_not_win(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, audit_id, links = room
    at = join(links, "Ann")
    phone = FakeCard(at, device="phone001")
    phone.answer("office-facade", "importance", 9, at_ms=2_000_000)
    laptop = FakeCard(visit(**{k: str(v) for k, v in at.query_params.items()}), device="laptop01")
    data = laptop.answer("office-facade", "importance", 2, at_ms=1_000_000)  # tapped earlier, arrives later
    assert data["acks"] == {"laptop01": 1}  # handled: the browser stops sending it
    assert data["answers"]["office-facade"][0] == 9  # and the card shows what is stored
    assert db.ratings(audit_id)[0].importance == 9


# ------------------------------------------------------------------ the person


def test_the_browser_remembers_the_person_of_a_team_link(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, audit_id, links = room
    ann = join(links, "Ann")
    pid = ann.query_params["p"]
    assert component_data(ann, "tpa_card")["slot"] not in links[Role.TEAM]
    fresh = visit(t=links[Role.TEAM])  # the team link again, in the same browser
    assert component_data(fresh, "tpa_recall_0")["view"] == "recall"
    fresh.session_state["tpa_recall_0"] = {"recall": {"person": pid, "checked": True}}
    run(fresh)
    assert fresh.query_params["p"] == pid and "Ann" in fresh.caption[0].value
    # A remembered id of another audit is ignored: the person joins as usual.
    other, _ = db.create_audit("Other", bundled("retail"))
    stranger = db.add_participant(other.id, "Stranger")
    strange = visit(t=links[Role.TEAM])
    strange.session_state["tpa_recall_0"] = {"recall": {"person": stranger.id, "checked": True}}
    run(strange)
    assert "p" not in strange.query_params and strange.text_input[0].label == t("rate.your_name")
    assert len(db.participants(audit_id)) == 1


def test_not_you_forgets_the_person_in_this_browser(room: tuple[Store, str, dict[Role, str]]) -> None:
    _, _, links = room
    ann = join(links, "Ann")
    ann.button(key="not_you").click()
    run(ann)
    assert "p" not in ann.query_params
    assert component_data(ann, "tpa_recall_1")["forget"] is True
    assert ann.text_input[0].label == t("rate.your_name")


def test_a_name_that_exists_asks_is_that_you_and_never_duplicates_silently(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, audit_id, links = room
    join(links, "Ann")
    other = visit(t=links[Role.TEAM])
    other.text_input[0].input("ANN")
    other.button[0].click()
    run(other)
    assert other.subheader[0].value == t("rate.same_name_title", name="ANN")
    assert "personal link" in other.markdown[-1].value
    assert len(db.participants(audit_id)) == 1 and "p" not in other.query_params
    other.button(key="same_name_back").click()
    run(other)
    assert other.text_input[0].label == t("rate.your_name")
    other.text_input[0].input("Ann")
    other.button[0].click()
    run(other)
    other.button(key="same_name_other").click()
    run(other)
    assert len(db.participants(audit_id)) == 2 and other.query_params["p"]


def test_invited_people_are_joined_once_they_open_their_link(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, audit_id, links = room
    cleo = db.add_participant(audit_id, "Cleo")
    assert db.participant(audit_id, cleo.id).first_seen is None
    visit(t=links[Role.TEAM], p=cleo.id)
    assert db.participant(audit_id, cleo.id).first_seen is not None


def test_the_owner_sees_every_persons_link_and_qr_code(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, audit_id, links = room
    join(links, "Ann")
    bo = db.add_participant(audit_id, "Bo")
    at = visit(t=links[Role.OWNER])
    at.switch_page("audit/ui/pages/links.py")
    run(at)
    personal = [c.value for c in at.code if "&p=" in c.value]
    ids = sorted(re.search(r"p=([^&]+)", c).group(1) for c in personal)
    assert ids == sorted(p.id for p in db.participants(audit_id))
    labels = [e.label for e in at.expander]
    assert f"Ann · {t('links.opened')}" in labels and f"Bo · {t('links.not_opened')}" in labels
    assert len(at.image) == 3 + 2
    assert bo.id in " ".join(personal)


# ------------------------------------------------------------------ the quick grid


def test_the_quick_grid_holds_one_category_and_saves_like_the_card(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, audit_id, links = room
    at = join(links, "Gus")
    at.segmented_control(key="rate_view").set_value("grid")
    run(at)
    grid = FakeCard(at, key="tpa_grid")
    assert grid.data()["view"] == "grid"
    office = [tp.id for tp in db.catalog(audit_id).touchpoints if tp.category.value == "office"]
    assert grid.ids() == office
    grid.answer(office[3], "importance", 8)
    grid.answer(office[3], "reaction", "positive")
    assert db.ratings(audit_id)[0].is_answered
    at.segmented_control(key="grid_cat").set_value("staff")
    run(at)
    grid.read()
    assert {i["cat"] for i in grid.deck["items"]} == {t("category.staff")}


# ------------------------------------------------------------------ follow-me and the presenter


def test_the_team_card_learns_where_the_facilitator_is(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, _, links = room
    at = join(links, "Ann")
    assert component_data(at, "tpa_follow")["follow"] is None
    services.room.lead(db, links[Role.OWNER], "staff-greeting")
    services.room.countdown(db, links[Role.OWNER], 60)
    run(at)  # what the once-a-second fragment does
    follow = component_data(at, "tpa_follow")["follow"]
    assert follow["tp"] == "staff-greeting" and follow["item"]["name"] == db.catalog(db.resolve_token(links[Role.TEAM]).audit_id).by_id()["staff-greeting"].name.get("en")
    assert follow["ends"] - follow["now"] in range(55_000, 60_001)


def test_the_presenter_leads_counts_down_marks_discussed_and_hides_names(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, audit_id, links = room
    ann = db.add_participant(audit_id, "Ann Secret", seen=True)
    db.save_rating(Rating(audit_id, ann.id, "office-facade", importance=8, reaction="negative", comment="Peeling paint"))
    at = visit(t=links[Role.OWNER], tp="office-facade")
    at.switch_page("audit/ui/pages/present.py")
    run(at)
    assert at.title[0].value == db.catalog(audit_id).by_id()["office-facade"].name.get("en")
    assert any("Ann Secret" in m.value for m in at.markdown)
    at.toggle(key="present_follow").set_value(True)
    run(at)
    assert db.room(audit_id).follow == "office-facade"
    at.button(key="present_next").click()
    run(at)
    assert db.room(audit_id).follow == at.query_params["tp"] != "office-facade"  # the room moves with the presenter
    at.button(key="present_countdown").click()
    run(at)
    assert db.room(audit_id).countdown_end is not None
    at.button(key="present_countdown_stop").click()
    run(at)
    assert db.room(audit_id).countdown_end is None
    at.button(key="present_prev").click()
    run(at)
    at.button(key="present_discussed").click()
    run(at)
    assert db.discussed(audit_id, 1) == {"office-facade"}
    at.toggle(key="present_anonymous").set_value(True)
    run(at)
    assert db.room(audit_id).anonymous
    remarks = [m.value for m in at.markdown if "Peeling paint" in m.value]
    assert remarks and all("Ann Secret" not in m for m in remarks)
    at.toggle(key="present_follow").set_value(False)
    run(at)
    assert db.room(audit_id).follow is None


def test_the_board_shows_discussed_marks(room: tuple[Store, str, dict[Role, str]]) -> None:
    db, audit_id, links = room
    people = [db.add_participant(audit_id, n, seen=True) for n in ("A", "B")]
    for person, (imp, reaction) in zip(people, [(9, "positive"), (2, "negative")], strict=True):
        db.save_rating(Rating(audit_id, person.id, "office-facade", importance=imp, reaction=reaction))
    services.room.mark_discussed(db, links[Role.OWNER], "office-facade")
    at = visit(t=links[Role.OWNER])
    first = [m.value for m in at.markdown if "2 votes" in m.value]
    assert first and t("board.discussed") in first[0]
