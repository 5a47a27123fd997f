"""After the workshop, in a real browser: the owner reads the results, edits the plan in the grid, downloads the workbook.

Also takes the README screenshots of the results and plan pages
(``docs/screenshots/results-*.png``, only with ``AUDIT_SCREENSHOTS=1``), desktop (1280 wide) and phone (390x844).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from audit.demo import create_demo
from audit.ipa import CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL
from audit.ipa_chart import quadrant_counts
from audit.model import ActionStatus, Role
from audit.scoring import analyse
from audit.store import Store

from .steps import DESKTOP, PHONE, fits_the_screen, grid_cell, page_url, ready, select_cell, settle, shot, until

pytestmark = pytest.mark.browser

CHART = "[data-testid='stVegaLiteChart']"


def metric(page: Any, label: str) -> str:
    return page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']").inner_text()


QUADRANTS = {CONCENTRATE: "Concentrate here", KEEP_UP: "Keep up the good work", LOW_PRIORITY: "Low priority", OVERKILL: "Possible overkill"}


def counts(store: Store, audit_id: str, crosshair: str) -> dict[str, int]:
    found = quadrant_counts(analyse(store.load(audit_id), crosshair).scores)
    return {QUADRANTS[q]: n for q, n in found.items()}


@pytest.fixture(scope="module")
def demo(server: Any) -> Iterator[dict[str, Any]]:
    store = Store(str(server.db_path))
    audit, links = create_demo(store, catalog_id="retail", raters=8)
    owner = f"{server.url}/?t={links[Role.OWNER]}"
    yield {"store": store, "audit": audit, "owner": owner, "links": links}
    store.close()


def test_the_owner_reads_the_results_edits_the_plan_and_downloads_the_workbook(
    server: Any, browser: Any, demo: dict[str, Any], tmp_path: Path
) -> None:
    store: Store = demo["store"]
    audit = demo["audit"]
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.goto(page_url(demo["owner"], "results"))
    ready(page)
    _reads_the_matrix(page, store, audit.id)
    _switches_the_crosshair(page, store, audit.id)
    _opens_the_other_tabs(page)
    page.set_viewport_size(DESKTOP)
    page.goto(page_url(demo["owner"], "plan"))
    ready(page)
    first = _marks_the_first_action_done(page, store, audit.id)
    _downloads_the_workbook(page, store, audit.id, first.id, tmp_path)
    _downloads_the_report(page, tmp_path)
    fits_the_screen(page)
    context.close()


def _reads_the_matrix(page: Any, store: Store, audit_id: str) -> None:
    """Results: the IPA matrix first, with the quadrant counts of the scoring functions."""
    page.locator(f"{CHART} canvas, {CHART} svg").first.wait_for(timeout=60_000)
    settle(page, 800)
    for name, n in counts(store, audit_id, "mean").items():
        assert metric(page, name) == str(n)
    assert page.get_by_text("How to read this: each dot is a touchpoint").count() == 1
    fits_the_screen(page)
    page.set_viewport_size({"width": 1280, "height": 1500})
    settle(page, 800)
    shot(page, "results-desktop.png")


def _switches_the_crosshair(page: Any, store: Store, audit_id: str) -> None:
    """The scale midpoint moves touchpoints between quadrants; those that move are counted on the page and
    listed once the list is opened."""
    page.locator(".st-key-r_crosshair button").filter(has_text="Scale midpoint").click()
    expected = counts(store, audit_id, "midpoint")
    until(lambda: all(metric(page, k) == str(v) for k, v in expected.items()))
    settle(page)
    assert page.locator(f"{CHART} canvas").count() == 1  # the matrix, on one canvas
    moving = int(analyse(store.load(audit_id), "midpoint").scores["changes"].sum())
    page.get_by_text(f"Touchpoints that move with the lines: {moving}").wait_for(timeout=30_000)
    if moving:
        assert page.locator("[data-testid='stDataFrame']").count() == 0  # folded: not built yet
        page.get_by_text("The list, with their quadrant under each choice").click()
        table = page.locator("[data-testid='stExpander'] [data-testid='stDataFrame']")
        table.wait_for(timeout=30_000)
        settle(page)
        assert grid_cell(table, "Scale midpoint", 0).text_content() in set(QUADRANTS.values())


def _opens_the_other_tabs(page: Any) -> None:
    """The page builds the shown tab only: each tab's chart comes with a rerun."""
    page.get_by_role("tab", name="Journeys").click()
    page.get_by_role("tabpanel", name="Journeys").locator(f"{CHART} canvas, {CHART} svg").first.wait_for(timeout=30_000)
    settle(page, 800)
    shot(page, "results-journeys-desktop.png")
    page.get_by_role("tab", name="Shoppers & competitors").click()
    page.get_by_text("Blind spots: team and shoppers").wait_for(timeout=30_000)
    settle(page, 800)
    page.get_by_text("Blind spots: team and shoppers").scroll_into_view_if_needed()
    shot(page, "results-outside-desktop.png")


def _marks_the_first_action_done(page: Any, store: Store, audit_id: str) -> Any:
    """The plan: the first action's status changed in the grid is saved at once and survives a reload (the
    suggestion is kept next to the edit). Returns the action as it was."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for(timeout=60_000)
    settle(page, 800)
    first = store.actions(audit_id)[0]
    assert first.status is ActionStatus.TODO
    assert grid_cell(grid, "Status", 0).text_content() == "todo"
    select_cell(grid, "Status", 0)
    page.keyboard.press("Enter")
    page.locator("#portal").get_by_text("Done", exact=True).click()
    page.keyboard.press("Escape")
    until(lambda: store.actions(audit_id)[0].status is ActionStatus.DONE)
    settle(page)
    page.get_by_text("All changes saved").wait_for(timeout=30_000)
    page.reload()
    ready(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.locator("td[role=gridcell]").first.wait_for(state="attached", timeout=60_000)
    assert grid_cell(grid, "Status", 0).text_content() == "done"
    saved = store.actions(audit_id)[0]
    assert saved.id == first.id and saved.status is ActionStatus.DONE and saved.what == first.what
    assert store.suggested_action(audit_id, first.id)["status"] == "todo"
    settle(page, 500)
    shot(page, "results-plan-desktop.png")
    return first


def _downloads_the_workbook(page: Any, store: Store, audit_id: str, done_id: str, tmp_path: Path) -> None:
    """Prepare the workbook, save it, and open it with openpyxl: the status edited on the page is in it."""
    page.get_by_role("button", name="Prepare the Excel workbook").click()
    page.get_by_role("button", name="Download the Excel workbook").wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download the Excel workbook").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.suffix == ".xlsx" and target.name.startswith("touchpoint-audit-")
    book = load_workbook(io.BytesIO(target.read_bytes()), read_only=True)
    rows = list(book["Action plan"].iter_rows(values_only=True))
    head = {h: i for i, h in enumerate(rows[0])}
    statuses = {r[head["Action id"]]: r[head["Status"]] for r in rows[1:] if r[head["Action id"]] is not None}
    assert statuses[done_id] == "Done" and len(statuses) == len(store.actions(audit_id))
    about = dict(r[:2] for r in book["About"].iter_rows(values_only=True) if r[0])
    assert about["Audit id"] == audit_id


def _downloads_the_report(page: Any, tmp_path: Path) -> None:
    """The owner's PDF report, from the same analysis as the workbook."""
    page.get_by_role("button", name="Prepare the PDF report").first.click()
    page.get_by_role("button", name="Download the PDF report").first.wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download the PDF report").first.click()
    report = tmp_path / download.value.suggested_filename
    download.value.save_as(report)
    assert report.suffix == ".pdf" and report.read_bytes().startswith(b"%PDF")


def test_results_and_plan_on_a_phone(server: Any, browser: Any, demo: dict[str, Any]) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(page_url(demo["owner"], "results"))
    ready(page)
    page.locator(f"{CHART} canvas, {CHART} svg").first.wait_for(timeout=60_000)
    settle(page, 800)
    fits_the_screen(page)
    page.locator(CHART).first.evaluate("e => e.scrollIntoView({block: 'end'})")
    settle(page, 300)
    shot(page, "results-phone.png")
    page.goto(page_url(demo["owner"], "plan"))
    ready(page)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    settle(page, 500)
    fits_the_screen(page)
    context.close()


def test_a_shared_team_link_sees_the_results_read_only(server: Any, browser: Any, demo: dict[str, Any]) -> None:
    store: Store = demo["store"]
    team = f"{server.url}/?t={demo['links'][Role.TEAM]}"
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(page_url(team, "results"))
    ready(page)
    settle(page, 500)
    assert page.locator(CHART).count() == 0  # not shared: the team lands on its own page
    page.goto(page_url(demo["owner"], "results"))
    ready(page)
    page.get_by_text("Share the results with the team").click()
    until(lambda: store.get_audit(demo["audit"].id).results_shared)
    settle(page)
    page.goto(page_url(team, "results"))
    ready(page)
    page.locator(f"{CHART} canvas, {CHART} svg").first.wait_for(timeout=60_000)
    assert page.get_by_text("nothing here can be changed").count() == 1
    assert page.get_by_role("link", name=re.compile("Action plan")).count() == 0
    store.set_results_shared(demo["audit"].id, False)
    context.close()
