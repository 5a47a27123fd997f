"""The workshop room without a browser: the facilitator's room, first-opened people, the board's fingerprint
and snapshot, and what the card receives (deck, labels, answers).

Storage tests run on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import sqlalchemy as sa

from audit import board as live_board
from audit import services
from audit.catalog import bundled
from audit.i18n import t
from audit.languages import LANGUAGES
from audit.model import Rating, Role, Touchpoint, ValidationError
from audit.scoring import aggregate, disagreement_list
from audit.store import Store, database_url
from audit.store.engine import make_engine
from audit.store.migrations import apply_migrations
from audit.ui import deck


@pytest.fixture
def room_audit(store: Store) -> tuple[Store, str, dict[Role, str]]:
    audit, links = store.create_audit("Room", bundled("general"))
    return store, audit.id, links


# ------------------------------------------------------------------ the facilitator's room


def test_the_owner_leads_the_room_and_the_team_only_reads_it(room_audit: tuple[Store, str, dict[Role, str]]) -> None:
    store, audit_id, links = room_audit
    owner, team = links[Role.OWNER], links[Role.TEAM]
    assert services.room.room(store, team).follow is None
    first = services.room.lead(store, owner, "office-signage")
    again = services.room.lead(store, owner, "office-signage")
    assert (first.follow, again.follow) == ("office-signage", "office-signage")
    assert again.follow_number == first.follow_number + 1  # every move counts: cards go there again
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert services.room.countdown(store, owner, 90, now=now).countdown_end == now + dt.timedelta(seconds=90)
    assert services.room.lead(store, owner, "office-facade").countdown_end is None  # a new touchpoint stops the clock
    assert services.room.set_anonymous(store, owner, True).anonymous
    assert services.room.room(store, team) == store.room(audit_id)
    services.room.mark_discussed(store, owner, "office-facade")
    assert services.room.discussed(store, owner) == {"office-facade"}
    services.room.mark_discussed(store, owner, "office-facade", False)
    assert services.room.discussed(store, owner) == set()
    assert services.room.lead(store, owner, None).follow is None


@pytest.mark.parametrize("seconds", [0, 4, 3601, "x", 2.5])
def test_a_countdown_out_of_range_is_refused_and_nothing_changes(room_audit: tuple[Store, str, dict[Role, str]], seconds: object) -> None:
    store, audit_id, links = room_audit
    with pytest.raises(ValidationError, match="countdown"):
        services.room.countdown(store, links[Role.OWNER], seconds)
    assert store.room(audit_id).countdown_end is None


def test_team_and_shopper_links_cannot_lead_the_room(room_audit: tuple[Store, str, dict[Role, str]]) -> None:
    store, audit_id, links = room_audit
    for role in (Role.TEAM, Role.SHOPPER):
        with pytest.raises(services.access.NotAllowed):
            services.room.lead(store, links[role], "office-facade")
        with pytest.raises(services.access.NotAllowed):
            services.room.set_anonymous(store, links[role], True)
        with pytest.raises(services.access.NotAllowed):
            services.room.mark_discussed(store, links[role], "office-facade")
        with pytest.raises(services.access.NotAllowed):
            services.audits.people(store, links[role])
    with pytest.raises(ValidationError, match="touchpoint"):
        services.room.lead(store, links[Role.OWNER], "no-such-touchpoint")
    with pytest.raises(services.access.LinkNotValid):
        services.room.room(store, "garbage")
    assert store.room(audit_id).follow is None and not store.room(audit_id).anonymous


# ------------------------------------------------------------------ people: joined means opened


def test_joining_opens_and_an_invited_person_opens_later(room_audit: tuple[Store, str, dict[Role, str]]) -> None:
    store, audit_id, links = room_audit
    team = links[Role.TEAM]
    ann = services.rating.join(store, team, "Ann")
    assert ann.first_seen is not None
    invited = store.add_participant(audit_id, "Bo")
    assert store.participant(audit_id, invited.id).first_seen is None
    services.rating.opened(store, team, store.participant(audit_id, invited.id))
    seen = store.participant(audit_id, invited.id).first_seen
    assert seen is not None
    services.rating.opened(store, team, store.participant(audit_id, invited.id))
    assert store.participant(audit_id, invited.id).first_seen == seen  # the first time stays
    assert [p.name for p in services.audits.people(store, links[Role.OWNER])] == ["Ann", "Bo"]


def test_the_same_name_asks_first_and_joins_only_when_told(room_audit: tuple[Store, str, dict[Role, str]]) -> None:
    store, audit_id, links = room_audit
    services.rating.join(store, links[Role.TEAM], "Ann Lee")
    with pytest.raises(services.rating.SameName) as taken:
        services.rating.join(store, links[Role.TEAM], "  ann lee ")
    assert taken.value.name == "ann lee"
    assert len(store.participants(audit_id)) == 1
    store.add_participant(audit_id, "Sam", Role.SHOPPER)
    services.rating.join(store, links[Role.TEAM], "Sam")  # a shopper's name is not a rater's
    services.rating.join(store, links[Role.TEAM], "Ann Lee", same_name_ok=True)
    assert [p.name for p in store.participants(audit_id)].count("Ann Lee") == 2


def test_migration_004_counts_people_who_already_answered_as_joined(tmp_path: object) -> None:
    url = database_url(str(tmp_path / "old.sqlite"))  # type: ignore[operator]
    engine = make_engine(url)
    with engine.connect() as conn, conn.begin():
        apply_migrations(conn, upto="002_link_generations")
        now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        conn.execute(sa.text(
            "INSERT INTO audits (id, name, language, catalog_id, catalog_name, catalog_description, locations, competitors, wave, "
            "results_shared, created_at) VALUES ('a1', 'Old', 'en', 'c', '{}', '{}', '[]', '[]', 1, 0, :now)"), {"now": now})
        for pid in ("rater", "idle"):
            conn.execute(sa.text("INSERT INTO participants (id, audit_id, name, role, created_at) VALUES (:p, 'a1', :p, 'team', :now)"),
                         {"p": pid, "now": now})
        conn.execute(sa.text(
            "INSERT INTO ratings (audit_id, wave, participant_id, touchpoint_id, importance, comment, idea, not_applicable, revision, "
            "updated_at) VALUES ('a1', 1, 'rater', 'tp', 5, '', '', 0, 1, :now)"), {"now": now})
    engine.dispose()
    store = Store(url)
    try:
        assert "004_room" in store.applied_migrations()
        seen = {p.id: p.first_seen for p in store.participants("a1")}
        assert seen["rater"] is not None and seen["idle"] is None
    finally:
        store.close()


# ------------------------------------------------------------------ the board: fingerprint and snapshot


def test_the_board_fingerprint_changes_with_what_the_board_shows_and_only_then(room_audit: tuple[Store, str, dict[Role, str]]) -> None:
    store, audit_id, links = room_audit
    owner = links[Role.OWNER]
    before = services.room.board_state(store, owner).version
    assert services.room.board_state(store, owner).version == before  # reading changes nothing
    ann = services.rating.join(store, links[Role.TEAM], "Ann")
    joined = services.room.board_state(store, owner).version
    assert joined != before
    store.save_rating(Rating(audit_id, ann.id, "office-facade", importance=3))
    rated = services.room.board_state(store, owner).version
    assert rated != joined
    store.add_touchpoint(audit_id, Touchpoint("team-bench", "office", {"en": "Bench"}), added_by=ann.id)
    assert services.room.board_state(store, owner).version != rated
    services.room.lead(store, owner, "office-facade")
    assert services.room.board_state(store, owner).room.follow == "office-facade"
    with pytest.raises(services.access.NotAllowed):
        services.room.board_state(store, links[Role.TEAM])


def test_the_lean_board_snapshot_matches_the_full_analysis(room_audit: tuple[Store, str, dict[Role, str]]) -> None:
    store, audit_id, links = room_audit
    people = [services.rating.join(store, links[Role.TEAM], name) for name in ("Ann", "Bo", "Cy")]
    invited = store.add_participant(audit_id, "Di")
    tps = [tp.id for tp in store.catalog(audit_id).touchpoints]
    for i, person in enumerate(people):
        for j, tp in enumerate(tps[: 20 + 10 * i]):
            store.save_rating(Rating(audit_id, person.id, tp, importance=1 + (i + j) % 10,
                                     reaction=("positive", "neutral", "negative", None)[(i * j) % 4],
                                     presence=("have", None, "missing")[j % 3], not_applicable=(j == 7 and i == 1)))
    store.save_rating(Rating(audit_id, people[0].id, "gone", importance=5, reaction="neutral"))  # not in the catalog: ignored
    inputs = services.room.board_rows(store, links[Role.OWNER])
    snap = live_board.snapshot(store.catalog(audit_id), inputs.people, inputs.rows)
    with pytest.raises(services.access.NotAllowed):
        services.room.board_rows(store, links[Role.TEAM])
    full = aggregate(store.load(audit_id))
    columns = ["raters", "importance_mean", "positive", "neutral", "negative", "presence_have", "not_applicable", "disagreement", "rated"]
    for name in columns:
        assert np.array_equal(snap.stats[name], full[name].to_numpy(), equal_nan=True), name
    assert snap.numbers(snap.disputed(5)).index.tolist() == disagreement_list(full, 5).index.tolist()
    done = {p.name: p.done for p in snap.people}
    data = store.load(audit_id)
    for person in people:
        assert done[person.name] == sum(1 for r in data.ratings if r.participant_id == person.id and r.is_answered and r.touchpoint_id != "gone")
    assert {p.name: p.joined for p in snap.people} == {"Ann": True, "Bo": True, "Cy": True, "Di": False}
    assert snap.joined == 3 and invited.id in {p.participant_id for p in snap.people}


# ------------------------------------------------------------------ what the card receives


def test_the_deck_carries_texts_and_a_version_that_follows_them() -> None:
    general = bundled("general")
    tps = list(general.touchpoints[:3])
    first = deck.deck(tps, "en", "ru")
    assert [i["id"] for i in first["items"]] == [tp.id for tp in tps]
    assert first["items"][0]["name"] == tps[0].name.get("ru") and first["items"][0]["cat"] == "Office"
    assert deck.deck(tps, "en", "ru")["version"] == first["version"]
    assert deck.deck(tps, "pl", "ru")["version"] != first["version"]  # the UI language's words are in it
    assert deck.deck(tps[:2], "en", "ru")["version"] != first["version"]


def test_labels_exist_in_every_language_and_the_slot_hides_the_link() -> None:
    for language in LANGUAGES:
        labels = deck.labels(language)
        assert not [k for k, v in labels.items() if v.startswith("card.") or not v], language
        assert "{n}" in labels["position"] and "{count}" in labels["waiting"]
    assert deck.labels("ru")["reaction_negative"] == t("reaction_word.negative", "ru")
    token = "secret-token-value"
    assert token not in deck.slot(token) and deck.slot(token) == deck.slot(token) and deck.slot(token) != deck.slot("other")


def test_answers_are_sent_compactly() -> None:
    mine = {
        "a": Rating("x", "p", "a", importance=3, reaction="negative"),
        "b": Rating("x", "p", "b", not_applicable=True, comment="=1+1"),
    }
    assert deck.compact(mine) == {"a": [3, "negative", None, 0], "b": [None, None, None, 1, "=1+1", ""]}
    assert deck.compact(mine, keep=["b"]) == {"b": [None, None, None, 1, "=1+1", ""]}
    assert deck.follow(bundled("general"), "no-such", 1, None, 0, "en", "en") is None
    payload = deck.follow(bundled("general"), "office-facade", 4, 5000, 1000, "en", "en")
    assert payload is not None and (payload["tp"], payload["n"], payload["ends"], payload["item"]["id"]) == ("office-facade", 4, 5000, "office-facade")
