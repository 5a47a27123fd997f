"""Access control in a real browser: team and shopper links edit the URL to reach what they may not.

Every attempt must show none of the protected content, change nothing in the
database, and no token may ever appear in the server's log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from audit.catalog import bundled
from audit.model import Observation, Rating, Role, ShopperVisit, VisitStatus
from audit.store import Store

from .steps import CARD, DESKTOP, PHONE, ready

pytestmark = pytest.mark.browser

OWNER_PAGES = ["board", "present", "results", "plan", "waves", "links", "review", "standards", "competitors"]
SECRET_SCENARIO = "Asked for the manager about order 4417"
SECRET_COMMENT = "Only the owner should read this comment"


@pytest.fixture(scope="module")
def two_audits(server: Any) -> dict[str, Any]:
    store = Store(str(server.db_path))
    mine, links = store.create_audit("Access Bakery", bundled("retail"), competitors=["Rival Buns"])
    other, other_links = store.create_audit("Other Shop", bundled("retail"))
    ann = store.add_participant(mine.id, "Ann")
    store.save_rating(Rating(mine.id, ann.id, bundled("retail").touchpoints[0].id, importance=8, reaction="negative", comment=SECRET_COMMENT))
    stranger = store.add_participant(other.id, "Stranger Sam")
    mila = store.add_participant(mine.id, "Mila", Role.SHOPPER)
    oleg = store.add_participant(mine.id, "Oleg", Role.SHOPPER)
    tp = bundled("retail").touchpoints[1].id
    olegs = store.save_visit(ShopperVisit(
        None, mine.id, oleg.id, dt.datetime.now(dt.UTC) - dt.timedelta(days=1), "phone",
        scenario=SECRET_SCENARIO, observations=(Observation(tp, "negative", "rude"),), status=VisitStatus.SUBMITTED,
    ))
    yield {"store": store, "audit": mine, "links": links, "other": other, "other_links": other_links,
           "ann": ann, "stranger": stranger, "mila": mila, "oleg": oleg, "olegs_visit": olegs}
    store.close()


def body(page: Any) -> str:
    return page.locator("[data-testid='stApp']").inner_text()


def open_as(page: Any, url: str) -> str:
    page.goto(url)
    ready(page)
    page.wait_for_timeout(400)
    ready(page)
    return body(page)


def unchanged(world: dict[str, Any]) -> None:
    store: Store = world["store"]
    for role, token in world["links"].items():
        access = store.resolve_token(token)
        assert access is not None and access.role is role, "a link was rotated"
    [visit] = [v for v in store.visits(world["audit"].id) if v.id == world["olegs_visit"].id]
    assert visit.status is VisitStatus.SUBMITTED and visit.scenario == SECRET_SCENARIO
    assert store.actions(world["audit"].id) == [] and store.get_audit(world["audit"].id).wave == 1


@pytest.mark.parametrize("role", [Role.TEAM, Role.SHOPPER])
def test_team_and_shopper_links_cannot_reach_owner_pages(server: Any, browser: Any, two_audits: dict[str, Any], role: Role) -> None:
    world = two_audits
    token = world["links"][role]
    person = world["ann"] if role is Role.TEAM else world["mila"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    for key in OWNER_PAGES:
        for url in (f"{server.url}/{key}?t={token}", f"{server.url}/{key}?t={token}&p={person.id}"):
            text = open_as(page, url)
            assert SECRET_COMMENT not in text and SECRET_SCENARIO not in text, (key, text[:300])
            assert world["links"][Role.OWNER] not in text and world["links"][Role.OWNER] not in page.content()
            assert page.locator("[data-testid='stDownloadButton']").count() == 0, key
            assert page.locator("[data-testid='stMetric']").count() == 0, key
            assert page.get_by_role("button", name="Make a new link").count() == 0, key
            if role is Role.SHOPPER:
                assert world["links"][Role.TEAM] not in page.content()
    # A shopper cannot rate or add touchpoints either.
    if role is Role.SHOPPER:
        for key in ("rate", "add"):
            text = open_as(page, f"{server.url}/{key}?t={token}&p={person.id}")
            assert page.locator(CARD).count() == 0 and "Add it" not in text
    context.close()
    unchanged(world)


def test_a_person_of_another_audit_is_refused(server: Any, browser: Any, two_audits: dict[str, Any]) -> None:
    world = two_audits
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    text = open_as(page, f"{server.url}/rate?t={world['links'][Role.TEAM]}&p={world['stranger'].id}")
    assert "Stranger Sam" not in text and page.locator(CARD).count() == 0
    # The other audit's team link opens the other audit only.
    text = open_as(page, f"{server.url}/board?t={world['other_links'][Role.TEAM]}")
    assert "Access Bakery" not in text and page.locator("[data-testid='stMetric']").count() == 0
    context.close()
    unchanged(world)


def test_a_shopper_cannot_open_another_shoppers_visit(server: Any, browser: Any, two_audits: dict[str, Any]) -> None:
    world = two_audits
    shopper = world["links"][Role.SHOPPER]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    visit_id = world["olegs_visit"].id
    for url in (
        f"{server.url}/shopper?t={shopper}&p={world['mila'].id}&v={visit_id}",
        f"{server.url}/shopper?t={shopper}&p={world['mila'].id}",
        f"{server.url}/shopper?t={shopper}&p={world['ann'].id}&v={visit_id}",  # a team member's id on the shopper link
        f"{server.url}/shopper?t={shopper}&p=not-a-person&v={visit_id}",
        f"{server.url}/review?t={shopper}&p={world['mila'].id}&v={visit_id}",
    ):
        text = open_as(page, url)
        assert SECRET_SCENARIO not in text and "rude" not in text, url
    context.close()
    unchanged(world)


def test_tokens_never_appear_in_the_server_log(server: Any, two_audits: dict[str, Any]) -> None:
    log = server.log()
    for token in (*two_audits["links"].values(), *two_audits["other_links"].values()):
        assert token not in log
