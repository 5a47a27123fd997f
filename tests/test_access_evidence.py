"""Access rules of the outside evidence: a shopper link reaches only its own visits; review, standards, competitors need the owner."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from audit import services
from audit.model import Audit, Catalog, Observation, Role, Standard, Touchpoint, ValidationError, VisitStatus
from audit.photos import PhotoError
from audit.services.access import NotAllowed, NotAParticipant, NotYourVisit
from audit.services.permissions import Permission
from audit.store import NotFound, Store, StoreError

RINGS = Standard("rings", "rings", "<=", 3)
NOW = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)


def catalog() -> Catalog:
    return Catalog(
        "c", "C",
        (Touchpoint("call", "staff", "Call", standard=RINGS), Touchpoint("door", "office", "Door")),
    )


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 200, 10)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def db(sqlite_store: Store) -> Store:
    """The audit database of these tests: a SQLite file (conftest's ``sqlite_store``)."""
    return sqlite_store


@pytest.fixture
def world(db: Store):
    audit, links = db.create_audit("Shop", catalog(), competitors=["Rival"])
    mila = services.visits.join_shopper(db, links[Role.SHOPPER], "Mila")
    oleg = services.visits.join_shopper(db, links[Role.SHOPPER], "Oleg")
    return audit, links, mila, oleg


def test_role_matrix_of_the_evidence_pages() -> None:
    for need in (Permission.REVIEW_VISITS, Permission.SET_STANDARDS, Permission.COMPARE_COMPETITORS):
        assert services.permissions.can(Role.OWNER, need)
        assert not services.permissions.can(Role.TEAM, need) and not services.permissions.can(Role.SHOPPER, need)
    assert services.permissions.can(Role.SHOPPER, Permission.SHOPPER_VISIT)
    assert not services.permissions.can(Role.TEAM, Permission.SHOPPER_VISIT) and not services.permissions.can(Role.OWNER, Permission.SHOPPER_VISIT)
    for need in (Permission.RATE, Permission.VIEW_BOARD, Permission.MANAGE_LINKS):
        assert not services.permissions.can(Role.SHOPPER, need)
    # The results and the plan stay closed to a shopper link, even while the owner shares the results with the team.
    shared = Audit("a", "Shop", results_shared=True)
    for name in ("VIEW_RESULTS", "EDIT_PLAN", "DOWNLOAD", "MANAGE_WAVES", "SHARE_RESULTS"):
        need = getattr(Permission, name, None)
        if need is not None:
            assert not services.permissions.can(Role.SHOPPER, need) and not services.permissions.can(Role.SHOPPER, need, shared), name


def test_a_shopper_reaches_only_their_own_visits(db: Store, world) -> None:
    audit, links, mila, oleg = world
    token = links[Role.SHOPPER]
    hers = services.visits.start_visit(db, token, mila.id, target="", channel="phone", visited_at=NOW)
    his = services.visits.start_visit(db, token, oleg.id, target="Rival", channel="website", visited_at=NOW)
    assert [v.id for v in services.visits.my_visits(db, token, mila.id)] == [hers.id]
    assert [v.id for v in services.visits.my_visits(db, token, oleg.id)] == [his.id]
    obs = Observation("call", "negative", "", 5)
    for attempt in (
        lambda: services.visits.my_visit(db, token, mila.id, his.id),
        lambda: services.visits.update_visit(db, token, mila.id, his.id, scenario="mine now"),
        lambda: services.visits.save_observation(db, token, mila.id, his.id, obs),
        lambda: services.visits.remove_observation(db, token, mila.id, his.id, "call"),
        lambda: services.visits.submit_visit(db, token, mila.id, his.id),
        lambda: services.visits.add_photo(db, token, mila.id, his.id, png()),
        lambda: services.visits.my_photos(db, token, mila.id, his.id),
        lambda: services.visits.my_visit(db, token, mila.id, "1 OR 1=1"),
    ):
        with pytest.raises(NotYourVisit):
            attempt()
    [untouched] = services.visits.my_visits(db, token, oleg.id)
    assert untouched.scenario == "" and untouched.observations == () and untouched.status is VisitStatus.DRAFT
    assert db.photos(int(his.id)) == []


def test_a_shopper_link_needs_a_shopper_of_its_own_audit(db: Store, world) -> None:
    audit, links, mila, _ = world
    team_member = db.add_participant(audit.id, "Ann", Role.TEAM)
    other, other_links = db.create_audit("Other", catalog())
    stranger = services.visits.join_shopper(db, other_links[Role.SHOPPER], "Stranger")
    for pid in (team_member.id, stranger.id, None, "x" * 500):
        with pytest.raises(NotAParticipant):
            services.visits.my_visits(db, links[Role.SHOPPER], pid)
    with pytest.raises(NotAllowed):
        services.visits.my_visits(db, links[Role.TEAM], mila.id)  # a team link cannot file visits


def test_a_shopper_link_opens_no_ratings_board_results_review_or_standards(db: Store, world) -> None:
    _, links, _, _ = world
    token = links[Role.SHOPPER]
    for attempt in (
        lambda: services.rating.board(db, token),
        lambda: services.review.review_data(db, token),
        lambda: services.review.visit_thumbnails(db, token, [1]),
        lambda: services.review.review_visit(db, token, 1, "accepted"),
        lambda: services.evidence.analysis(db, token, Permission.SET_STANDARDS),
        lambda: services.evidence.analysis(db, token, Permission.COMPARE_COMPETITORS),
        lambda: services.evidence.set_standard(db, token, "call", None),
        lambda: services.evidence.save_competitor_note(db, token, competitor="Rival", touchpoint_id="call", versus="better"),
        lambda: services.evidence.add_competitor(db, token, "Giant"),
        lambda: services.rating.my_ratings(db, token, "x"),
    ):
        with pytest.raises(NotAllowed):
            attempt()
    with pytest.raises(NotAllowed):
        services.evidence.analysis(db, token, Permission.SHOPPER_VISIT)  # the analysis is never opened by this permission


def test_the_shoppers_flow_and_the_owners_review(db: Store, world) -> None:
    audit, links, mila, _ = world
    token, owner = links[Role.SHOPPER], links[Role.OWNER]
    draft = services.visits.start_visit(db, token, mila.id, target="", channel="phone", visited_at=NOW, location="Main st")
    draft = services.visits.save_observation(db, token, mila.id, draft.id, Observation("call", "negative", "5 rings", 5))
    photo_id = services.visits.add_photo(db, token, mila.id, draft.id, png(), "call")
    assert [p["id"] for p in services.visits.my_photos(db, token, mila.id, draft.id)] == [photo_id]
    assert services.review.visit_thumbnails(db, owner, [draft.id]) == {}  # a draft is the shopper's own
    services.visits.submit_visit(db, token, mila.id, draft.id)
    with pytest.raises(StoreError):
        services.visits.update_visit(db, token, mila.id, draft.id, scenario="too late")
    with pytest.raises(StoreError):
        services.visits.remove_photo(db, token, mila.id, draft.id, photo_id)
    [thumb] = services.review.visit_thumbnails(db, owner, [draft.id, 9999])[draft.id]
    assert thumb["thumbnail"].startswith(b"\xff\xd8") and set(thumb) == {"id", "visit_id", "touchpoint_id", "thumbnail"}

    with pytest.raises(ValidationError):
        services.review.review_visit(db, owner, draft.id, "rejected", "   ")  # a rejection needs a reason
    assert services.visits.my_visit(db, token, mila.id, draft.id).status is VisitStatus.SUBMITTED
    services.review.review_visit(db, owner, draft.id, "revision", "Which branch?")
    again = services.visits.update_visit(db, token, mila.id, draft.id, location="Main street 1")
    assert again.status is VisitStatus.REVISION and again.location == "Main street 1"
    services.visits.submit_visit(db, token, mila.id, draft.id)
    services.review.review_visit(db, owner, draft.id, "accepted")
    assert services.review.review_data(db, owner).visits[0].status is VisitStatus.ACCEPTED

    other, other_links = db.create_audit("Other", catalog())
    with pytest.raises(NotFound):
        services.review.review_visit(db, other_links[Role.OWNER], draft.id, "rejected", "not yours")
    assert services.review.visit_thumbnails(db, other_links[Role.OWNER], [draft.id]) == {}


def test_refused_inputs_store_nothing(db: Store, world) -> None:
    audit, links, mila, _ = world
    token = links[Role.SHOPPER]
    with pytest.raises(ValidationError, match="future"):
        services.visits.start_visit(db, token, mila.id, target="", channel="phone", visited_at=NOW + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.visits.start_visit(db, token, mila.id, target="Nobody", channel="phone", visited_at=NOW)
    assert db.visits(audit.id) == []
    draft = services.visits.start_visit(db, token, mila.id, target="", channel="phone", visited_at=NOW)
    with pytest.raises(ValidationError, match="future"):
        services.visits.update_visit(db, token, mila.id, draft.id, visited_at=NOW + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.visits.update_visit(db, token, mila.id, draft.id, status="accepted")  # not a field a shopper sets
    with pytest.raises(ValidationError, match="at least one"):
        services.visits.submit_visit(db, token, mila.id, draft.id)
    with pytest.raises(ValidationError):
        services.visits.save_observation(db, token, mila.id, draft.id, Observation("not-in-catalog", "neutral"))
    for data in (b"MZ\x90\x00" + b"\x00" * 64, b"PK\x03\x04" + b"\x00" * 64):
        with pytest.raises(PhotoError):
            services.visits.add_photo(db, token, mila.id, draft.id, data)
    with pytest.raises(ValidationError):
        services.visits.add_photo(db, token, mila.id, draft.id, png(), "not-in-catalog")
    [stored] = db.visits(audit.id)
    assert stored.visited_at == draft.visited_at and stored.status is VisitStatus.DRAFT and stored.observations == ()
    assert db.photos(int(draft.id)) == []


def test_owner_standards_and_competitors(db: Store, world) -> None:
    audit, links, _, _ = world
    owner = links[Role.OWNER]
    services.evidence.set_standard(db, owner, "door", Standard("seconds to open", "s", "<=", 4))
    services.evidence.set_standard(db, owner, "call", None)
    assert set(db.standards(audit.id)) == {"door"}
    assert services.evidence.reset_standard(db, owner, "call") == RINGS and db.standards(audit.id)["call"] == RINGS
    with pytest.raises(ValidationError):
        services.evidence.set_standard(db, owner, "nope", None)
    note = services.evidence.save_competitor_note(db, owner, competitor="Rival", touchpoint_id="call", versus="better", borrow="SMS")
    assert note.wave == 1 and db.competitor_notes(audit.id)[0].borrow == "SMS"
    with pytest.raises(ValidationError):
        services.evidence.save_competitor_note(db, owner, competitor="Nobody", touchpoint_id="call", versus="better")
    with pytest.raises(ValidationError):
        services.evidence.save_competitor_note(db, owner, competitor="Rival", touchpoint_id="call", versus="much better")
    assert services.evidence.add_competitor(db, owner, "Giant").competitors == ("Rival", "Giant")
    with pytest.raises(ValidationError):
        services.evidence.add_competitor(db, owner, "rival")  # names must differ
    assert db.get_audit(audit.id).competitors == ("Rival", "Giant")
