"""Access rules: what each link may see and change, checked on the server for every call."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from audit import services
from audit.model import Catalog, Category, Role, Touchpoint, ValidationError
from audit.services.access import LinkNotValid, NotAllowed, NotAParticipant
from audit.services.permissions import Permission
from audit.store import Store


def small_catalog() -> Catalog:
    return Catalog(
        "small",
        {"en": "Small", "ru": "Маленький"},
        (
            Touchpoint("office-sign", "office", {"en": "Sign", "ru": "Вывеска"}, {"en": "Readable?", "ru": "Читается?"}, stages=("before",), channels=("offline",)),
            Touchpoint("tech-site", "technology", {"en": "Website", "ru": "Сайт"}, stages=("before", "during"), channels=("online",)),
            Touchpoint("staff-call", "staff", {"en": "Phone call", "ru": "Звонок"}, stages=("during",), channels=("offline",)),
        ),
    )


@pytest.fixture
def db(sqlite_store: Store) -> Store:
    """The audit database of these tests: a SQLite file (conftest's ``sqlite_store``)."""
    return sqlite_store


@pytest.fixture
def audit_links(db: Store) -> tuple[str, dict[Role, str]]:
    audit, links = db.create_audit("Bakery", small_catalog())
    return audit.id, links


def test_role_matrix() -> None:
    assert services.permissions.can(Role.OWNER, Permission.VIEW_BOARD)
    assert services.permissions.can(Role.OWNER, Permission.MANAGE_LINKS)
    assert services.permissions.can(Role.OWNER, Permission.RATE)
    assert services.permissions.can(Role.TEAM, Permission.RATE)
    assert services.permissions.can(Role.TEAM, Permission.ADD_TOUCHPOINT)
    assert not services.permissions.can(Role.TEAM, Permission.VIEW_BOARD)
    assert not services.permissions.can(Role.TEAM, Permission.MANAGE_LINKS)
    assert not services.permissions.can(Role.SHOPPER, Permission.RATE)
    assert not services.permissions.can(Role.SHOPPER, Permission.VIEW_BOARD)
    assert services.permissions.can(None, Permission.CREATE_AUDIT)
    assert not services.permissions.can(None, Permission.VIEW_CATALOG)
    for role in Role:
        assert services.permissions.HOME[role]  # every role has a first page


@pytest.mark.parametrize("token", [None, "", "garbage", "x" * 500, "'; DROP TABLE tokens; --"])
def test_bad_tokens_are_not_valid(db: Store, audit_links: tuple[str, dict[Role, str]], token: str | None) -> None:
    with pytest.raises(LinkNotValid) as err:
        services.access.authorize(db, token, Permission.RATE)
    assert err.value.key == "access.link_not_valid"


def test_each_link_opens_its_audit_in_its_role(db: Store, audit_links: tuple[str, dict[Role, str]]) -> None:
    audit_id, links = audit_links
    assert services.access.authorize(db, links[Role.OWNER], Permission.VIEW_BOARD).audit_id == audit_id
    assert services.access.authorize(db, links[Role.TEAM], Permission.RATE).role is Role.TEAM
    with pytest.raises(NotAllowed) as err:
        services.access.authorize(db, links[Role.TEAM], Permission.VIEW_BOARD)
    assert err.value.key == "access.not_allowed"
    with pytest.raises(NotAllowed):
        services.rating.board(db, links[Role.TEAM])
    with pytest.raises(NotAllowed):
        services.rating.board(db, links[Role.SHOPPER])
    assert services.rating.board(db, links[Role.OWNER]).audit.id == audit_id


def test_team_cannot_rotate_and_a_rotated_link_stops_at_once(db: Store, audit_links: tuple[str, dict[Role, str]]) -> None:
    _, links = audit_links
    with pytest.raises(NotAllowed):
        services.audits.rotate_link(db, links[Role.TEAM], Role.TEAM)
    with pytest.raises(NotAllowed):
        services.audits.rotate_link(db, links[Role.TEAM], Role.OWNER)
    new_team = services.audits.rotate_link(db, links[Role.OWNER], Role.TEAM)
    assert new_team != links[Role.TEAM] and len(new_team) >= 40
    with pytest.raises(LinkNotValid):
        services.access.authorize(db, links[Role.TEAM], Permission.RATE)
    assert services.access.authorize(db, new_team, Permission.RATE).role is Role.TEAM
    new_owner = services.audits.rotate_link(db, links[Role.OWNER], Role.OWNER)
    with pytest.raises(LinkNotValid):
        services.rating.board(db, links[Role.OWNER])
    services.rating.board(db, new_owner)


def test_a_participant_must_belong_to_the_links_audit(db: Store, audit_links: tuple[str, dict[Role, str]]) -> None:
    audit_id, links = audit_links
    other, other_links = db.create_audit("Other", small_catalog())
    stranger = services.rating.join(db, other_links[Role.TEAM], "Stranger")
    me = services.rating.join(db, links[Role.TEAM], "Me")
    assert me.audit_id == audit_id and me.role is Role.TEAM
    with pytest.raises(NotAParticipant):
        services.rating.save_answer(db, links[Role.TEAM], stranger.id, "office-sign", importance=5)
    with pytest.raises(NotAParticipant):
        services.rating.my_ratings(db, links[Role.TEAM], stranger.id)
    with pytest.raises(NotAParticipant):
        services.rating.save_answer(db, links[Role.TEAM], None, "office-sign", importance=5)
    assert db.ratings(other.id) == [] and db.ratings(audit_id) == []
    owner = services.rating.join(db, links[Role.OWNER], "Facilitator")
    assert owner.role is Role.OWNER


def test_answers_are_saved_part_by_part_and_validated_again(db: Store, audit_links: tuple[str, dict[Role, str]]) -> None:
    _, links = audit_links
    team = links[Role.TEAM]
    me = services.rating.join(db, team, "Ann")
    catalog = services.audits.catalog(db, team)
    services.rating.save_answer(db, team, me.id, "office-sign", catalog, importance=8)
    services.rating.save_answer(db, team, me.id, "office-sign", catalog, reaction="negative")
    services.rating.save_answer(db, team, me.id, "office-sign", catalog, presence="have", comment="Faded", idea="Repaint")
    saved = services.rating.my_ratings(db, team, me.id)["office-sign"]
    assert (saved.importance, saved.reaction.value, saved.presence.value, saved.comment, saved.idea) == (
        8, "negative", "have", "Faded", "Repaint",
    )
    assert saved.is_answered
    for bad in ({"importance": 11}, {"importance": 0}, {"reaction": "great"}, {"presence": "maybe"}, {"comment": "x" * 5001}):
        with pytest.raises(ValidationError):
            services.rating.save_answer(db, team, me.id, "office-sign", catalog, **bad)
    with pytest.raises(ValidationError):
        services.rating.save_answer(db, team, me.id, "office-sign", catalog, wave=3)  # not an answer part
    with pytest.raises(ValidationError):
        services.rating.save_answer(db, team, me.id, "no-such-touchpoint", catalog, importance=3)
    with pytest.raises(NotAllowed):
        services.rating.save_answer(db, links[Role.SHOPPER], me.id, "office-sign", catalog, importance=3)
    assert services.rating.my_ratings(db, team, me.id)["office-sign"].importance == 8


def test_join_refuses_empty_and_control_characters(db: Store, audit_links: tuple[str, dict[Role, str]]) -> None:
    _, links = audit_links
    for bad in ("", "   ", "a\x00b", "x" * 121):
        with pytest.raises(ValidationError):
            services.rating.join(db, links[Role.TEAM], bad)
    with pytest.raises(NotAllowed):
        services.rating.join(db, links[Role.SHOPPER], "Shopper")


def test_brainstorm_addition_joins_the_audit_catalog_for_everyone(db: Store, audit_links: tuple[str, dict[Role, str]]) -> None:
    audit_id, links = audit_links
    me = services.rating.join(db, links[Role.TEAM], "Ann")
    before = services.audits.catalog_version(db, links[Role.TEAM])
    tp = services.rating.add_touchpoint(
        db, links[Role.TEAM], me.id, category="office", name="Parking sign", question="Seen from the road?",
        stages=["before"], channels=["offline"],
    )
    assert tp.added_by_team and tp.id.startswith("team-parking-sign-")
    catalog = services.audits.catalog(db, links[Role.OWNER])
    assert catalog.touchpoints[-1] == tp and tp.name.exact("en") == "Parking sign" and tp.category is Category.OFFICE
    assert services.audits.catalog_version(db, links[Role.TEAM]) != before
    with pytest.raises(ValidationError):
        services.rating.add_touchpoint(db, links[Role.TEAM], me.id, category="office", name="parking SIGN")
    with pytest.raises(ValidationError):
        services.rating.add_touchpoint(db, links[Role.TEAM], me.id, category="kitchen", name="Hob")
    with pytest.raises(NotAllowed):
        services.rating.add_touchpoint(db, links[Role.SHOPPER], None, category="office", name="Door")


def test_brainstorm_text_follows_the_audit_language(db: Store) -> None:
    audit, links = db.create_audit("Пекарня", small_catalog(), language="ru")
    tp = services.rating.add_touchpoint(db, links[Role.TEAM], None, category="staff", name="Курьер", question="Вежлив ли?")
    assert (tp.name.exact("ru"), tp.name.exact("en"), tp.question.exact("ru")) == ("Курьер", "", "Вежлив ли?")


def test_the_team_link_acts_only_as_a_team_member(db: Store, audit_links: tuple[str, dict[Role, str]]) -> None:
    """``?t=TEAM&p=<shopper id>`` or ``<owner id>`` writes nothing: the team link speaks only for team members."""
    audit_id, links = audit_links
    shopper = services.visits.join_shopper(db, links[Role.SHOPPER], "Mila")
    owner = services.rating.join(db, links[Role.OWNER], "Facilitator")
    for person in (shopper, owner):
        with pytest.raises(NotAParticipant):
            services.rating.save_answer(db, links[Role.TEAM], person.id, "office-sign", importance=5)
        with pytest.raises(NotAParticipant):
            services.rating.my_ratings(db, links[Role.TEAM], person.id)
        with pytest.raises(NotAParticipant):
            services.rating.add_touchpoint(db, links[Role.TEAM], person.id, category="office", name=f"Door of {person.name}")
    with pytest.raises(NotAParticipant):  # nor does the owner link rate as a shopper
        services.rating.save_answer(db, links[Role.OWNER], shopper.id, "office-sign", importance=5)
    assert db.ratings(audit_id) == [] and not any(tp.added_by_team for tp in db.catalog(audit_id).touchpoints)
    ann = services.rating.join(db, links[Role.TEAM], "Ann")
    assert services.rating.save_answer(db, links[Role.TEAM], ann.id, "office-sign", importance=5).importance == 5
    assert services.rating.save_answer(db, links[Role.OWNER], owner.id, "office-sign", importance=7).importance == 7


def test_an_audit_and_its_people_are_created_in_one_transaction(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second person's insert fails in the database: no audit, link or person is left behind."""
    import audit.store.audits as audit_records

    monkeypatch.setattr(audit_records, "new_id", lambda nbytes=9: "same-id")  # both people get one primary key
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        services.audits.create_audit(store, name="Bakery", catalog=small_catalog(), language="en", participants=["Ann", "Bob"])
    monkeypatch.undo()
    assert store.list_audits() == []
    with store.engine.connect() as conn:
        for table in ("audits", "audit_touchpoints", "tokens", "participants"):
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
    made, _links, people = services.audits.create_audit(store, name="Bakery", catalog=small_catalog(), language="en", participants=["Ann"])
    assert [a.id for a in store.list_audits()] == [made.id] and [p.name for p in people] == ["Ann"]


def test_create_audit_checks_everything_before_writing(db: Store) -> None:
    with pytest.raises(ValidationError):
        services.audits.create_audit(db, name="Bakery", catalog=small_catalog(), language="en", participants=["Ann", "ann"])
    with pytest.raises(ValidationError):
        services.audits.create_audit(db, name="", catalog=small_catalog(), language="en")
    with pytest.raises(ValidationError):
        services.audits.create_audit(db, name="Bakery", catalog=small_catalog(), language="de")
    with pytest.raises(ValidationError):
        services.audits.create_audit(db, name="Bakery", catalog=small_catalog(), language="en", competitors=["A", "a"])
    assert db.list_audits() == []
    audit, links, people = services.audits.create_audit(
        db, name="Bakery", catalog=small_catalog(), language="ru", locations=["Main St"], competitors=["Rival"],
        participants=["Ann", "Bob"],
    )
    assert set(links) == set(Role) and len({*links.values()}) == 3
    assert [p.name for p in people] == ["Ann", "Bob"]
    assert services.access.authorize(db, links[Role.TEAM], Permission.RATE).audit_id == audit.id
    assert (audit.language, audit.locations, audit.competitors) == ("ru", ("Main St",), ("Rival",))


def test_tokens_are_long_random_and_stored_hashed(db: Store, audit_links: tuple[str, dict[Role, str]]) -> None:
    import sqlalchemy as sa

    _, links = audit_links
    assert all(len(v) >= 40 for v in links.values())
    with db.engine.connect() as conn:
        stored = [r[0] for r in conn.execute(sa.text("SELECT token_hash FROM tokens"))]
    assert not set(links.values()) & set(stored)
