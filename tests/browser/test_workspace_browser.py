"""A consultant's workspace in a real browser: two audits made from the workspace link, listed, compared; links kept apart.

The consultant opens the workspace link, creates two clinics' audits with
the form, sees both in the list, opens one as its owner through the list's
link, and reads the comparison with the median of the workspace's other
audits. An audit's owner or team link opens nothing of the workspace, and a
replaced workspace link opens nothing at all.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from audit import services
from audit.model import Audit, Rating, Role, Workspace
from audit.store import Store

from .steps import choose, ready, settle, until

pytestmark = pytest.mark.browser

def grid_text(page: Any, index: int, *expected: str) -> str:
    """What a dataframe shows once it shows every ``expected`` text (the grid keeps its cells as an
    accessible table next to the canvas, filled in after the frame appears)."""
    frame = page.locator("[data-testid='stDataFrame']").nth(index)
    frame.wait_for(timeout=60_000)

    def text() -> str:
        shown = " ".join(frame.locator("[role='gridcell'], td, th").all_inner_texts())
        return shown if all(e in shown for e in expected) else ""

    try:
        return str(until(text, timeout=30, step=0.1))
    except AssertionError:
        return " ".join(frame.locator("[role='gridcell'], td, th").all_inner_texts())


def create_audit(page: Any, name: str) -> None:
    page.get_by_label("Client's business name").fill(name)
    choose(page, "ws_new_preset", "Medical or dental clinic")
    page.get_by_role("button", name="Create the audit").click()
    page.get_by_text(f"“{name}” was created").wait_for(timeout=60_000)
    settle(page)


def test_a_consultant_creates_lists_and_compares_audits(server: Any, browser: Any) -> None:
    store = Store(str(server.db_path))
    workspace, link = services.workspaces.create_workspace(store, name="Smile Consulting")
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    page.goto(f"{server.url}/?t={link}")
    ready(page)
    north, south = _creates_two_clinics_and_sees_both_listed(page, store, link)
    _compares_the_clinics_against_the_median(page, store, north, south)
    owner_link = _opens_a_clinic_as_its_owner_from_the_list(context, server.url, store, link, north.id)
    _an_audits_links_open_nothing_of_the_workspace(context, server.url, store, owner_link)
    _replaces_the_workspace_link(page, store, link, workspace)
    _the_old_workspace_link_opens_nothing(context, server.url, link)
    context.close()
    store.close()


def _creates_two_clinics_and_sees_both_listed(page: Any, store: Store, link: str) -> tuple[Audit, Audit]:
    """The consultant creates two clinics' audits with the form; both are in the list. Returns (north, south)."""
    page.get_by_role("heading", name="Smile Consulting").wait_for(timeout=60_000)
    create_audit(page, "Clinic North")
    create_audit(page, "Clinic South")
    listed = services.workspaces.portfolio(store, link)[1]
    assert [p.audit.name for p in listed] == ["Clinic North", "Clinic South"]
    table = grid_text(page, 0, "Clinic North", "Clinic South")
    assert "Clinic North" in table and "Clinic South" in table
    north, south = (p.audit for p in listed)
    return north, south


def _compares_the_clinics_against_the_median(page: Any, store: Store, north: Audit, south: Audit) -> None:
    """Both clinics rate the same touchpoint; the comparison shows the other clinic's numbers as the median."""
    tp = store.catalog(north.id).touchpoints[0]
    for audit, importance, reaction in ((north, 9, "negative"), (south, 4, "positive")):
        person = store.add_participant(audit.id, "Rater")
        store.save_rating(Rating(audit.id, person.id, tp.id, importance=importance, reaction=reaction))
    page.reload()
    ready(page)
    page.get_by_text("against the median of 1 other audits").wait_for(timeout=60_000)
    comparison = grid_text(page, 1, tp.name.get("en"))
    assert tp.name.get("en") in comparison and "9" in comparison and "4" in comparison
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=60_000)  # the chart is drawn


def _opens_a_clinic_as_its_owner_from_the_list(context: Any, url: str, store: Store, link: str, audit_id: str) -> str:
    """The list's owner link opens the audit as its owner (the live board). Returns that owner link."""
    owner_link = services.workspaces.owner_link(store, link, audit_id)
    owner = context.new_page()
    owner.goto(f"{url}/?t={owner_link}")
    ready(owner)
    owner.locator("[data-testid='stMetric']").first.wait_for(timeout=60_000)
    owner.get_by_role("heading", name="Clinic North").wait_for(timeout=60_000)
    return owner_link


def _an_audits_links_open_nothing_of_the_workspace(context: Any, url: str, store: Store, owner_link: str) -> None:
    """An audit's owner or team link, put on the workspace page, shows nothing of the workspace."""
    links = {Role.OWNER: owner_link}
    links[Role.TEAM] = services.audits.links(store, owner_link)[Role.TEAM]
    for token in links.values():
        other = context.new_page()
        other.goto(f"{url}/workspace?t={token}")
        ready(other)
        settle(other, 1000)
        assert other.get_by_text("Smile Consulting").count() == 0 and other.get_by_text("Clinic South").count() == 0
        other.close()


def _replaces_the_workspace_link(page: Any, store: Store, link: str, workspace: Workspace) -> None:
    """The consultant confirms and makes a new workspace link; the page moves to it and says so."""
    page.get_by_text("Replace the workspace link").click()
    page.get_by_text("Yes, the old workspace link must stop working").click()
    settle(page)
    page.get_by_role("button", name="Make a new workspace link").click()
    page.wait_for_url(re.compile(r"t=(?!" + re.escape(link) + ")"), timeout=60_000)
    settle(page)
    new = parse_qs(urlsplit(page.url).query)["t"][0]
    assert new != link and services.workspaces.resolve(store, new) == workspace
    page.get_by_text("The workspace link was replaced").wait_for(timeout=60_000)


def _the_old_workspace_link_opens_nothing(context: Any, url: str, link: str) -> None:
    """The old workspace link stops working at once: "not valid", nothing of the workspace shown."""
    stale = context.new_page()
    stale.goto(f"{url}/?t={link}")
    ready(stale)
    stale.get_by_text("This link is not valid").first.wait_for(timeout=60_000)
    assert stale.get_by_text("Smile Consulting").count() == 0
