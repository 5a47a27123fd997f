"""The owner sets a yes/no and a checklist standard; a shopper on a phone answers them with buttons and checkboxes.

Runs against ``streamlit run`` in Debian's Chromium (see ``conftest.py``);
then the owner's review judges both, and the workbook says met / not met.
"""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest

from audit import services
from audit.model import Catalog, Role, Touchpoint
from audit.store import Store
from tests.browser.test_shopper_phone import DESKTOP, PHONE, choose, css_key, fits_the_screen, query, ready, settle, until

pytestmark = pytest.mark.browser

ITEMS = ("Shows the manager's phone", "Shows the delivery date", "Names the contact person")


def catalog() -> Catalog:
    return Catalog("kinds", {"en": "Kinds"}, (
        Touchpoint("greeting", "staff", {"en": "Greeting at the door"}),
        Touchpoint("invoice", "product", {"en": "Invoice"}),
    ))


def owner_sets(page: Any, name: str, tp_id: str, kind: str, statement: str, items: str = "", share: str = "") -> None:
    choose(page, "standards_pick", name)
    settle(page)
    page.locator(css_key(f"std_kind:{tp_id}")).locator("button").filter(has_text=re.compile(f"^{kind}$")).click()
    settle(page)
    form = page.locator("[data-testid='stForm']")
    form.locator("input[type='text']").first.fill(statement)
    if items:
        form.locator("textarea").fill(items)
        form.locator("input[type='text']").nth(1).fill(share)
    form.get_by_role("button", name="Save the standard").click()
    settle(page, 600)


def test_yes_no_and_checklist_standards_from_the_owner_to_the_shoppers_phone_and_back(server: Any, browser: Any) -> None:
    store = Store(str(server.db_path))
    audit, links = store.create_audit("Corner Shop", catalog())
    owner = browser.new_context(viewport=DESKTOP).new_page()
    owner.goto(f"{server.url}/standards?t={links[Role.OWNER]}")
    ready(owner)
    _owner_sets_a_yes_no_and_a_checklist_standard(owner, store, audit.id)
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{server.url}/?t={links[Role.SHOPPER]}")
    ready(page)
    vid, pid = _shopper_starts_an_in_person_visit(page)
    _answers_no_to_the_greeting(page, store, audit.id, vid, pid)
    _ticks_two_of_the_three_invoice_items(page, store, audit.id, vid, pid)
    _reopens_the_visit_and_submits(page, vid)
    _owner_sees_met_and_not_met_and_accepts(owner, f"{server.url}/review?t={links[Role.OWNER]}", vid)
    _workbook_says_met_and_not_met(store, links[Role.OWNER])


def _observations(store: Store, audit_id: str, pid: str) -> dict[str, Any]:
    return {o.touchpoint_id: o for o in store.visits(audit_id, shopper_id=pid)[0].observations}


def _owner_sets_a_yes_no_and_a_checklist_standard(owner: Any, store: Store, audit_id: str) -> None:
    """The owner sets a yes/no standard for the greeting and a 60% checklist for the invoice; both are stored."""
    owner_sets(owner, "Greeting at the door", "greeting", "Yes or no", "The greeter says hello within the first minute")
    until(lambda: "greeting" in store.standards(audit_id))
    owner_sets(owner, "Invoice", "invoice", "Checklist", "The invoice is complete", "\n".join(ITEMS), "60")
    until(lambda: "invoice" in store.standards(audit_id))
    standards = store.standards(audit_id)
    assert standards["greeting"].kind.value == "yes_no" and standards["invoice"].kind.value == "checklist"
    assert [i.get("en") for i in standards["invoice"].items] == list(ITEMS) and standards["invoice"].threshold == 0.6


def _shopper_starts_an_in_person_visit(page: Any) -> tuple[str, str]:
    """The shopper on a phone gives a name and starts an in-person visit. Returns (visit id, person id)."""
    page.get_by_label("Your name").fill("Mila")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]p="), timeout=60_000)
    settle(page)
    choose(page, "new_channel", "In person")
    page.locator(css_key("new_go")).get_by_role("button").click()
    page.wait_for_url(re.compile(r"[?&]v="), timeout=60_000)
    settle(page)
    return query(page)["v"], query(page)["p"]


def _answers_no_to_the_greeting(page: Any, store: Store, audit_id: str, vid: str, pid: str) -> None:
    """A negative reaction to the greeting, then the "No" button: stored as measurement 0."""
    choose(page, f"add_tp:{vid}", "Greeting at the door")
    card = page.locator(css_key(f"obs_{vid}_greeting"))
    card.wait_for(timeout=60_000)
    settle(page)
    card.locator("button").filter(has_text=re.compile("Negative$")).click()
    until(lambda: "greeting" in _observations(store, audit_id, pid))
    settle(page)
    card.locator("button").filter(has_text=re.compile("^No$")).click()
    until(lambda: _observations(store, audit_id, pid)["greeting"].measurement == 0.0)
    settle(page)


def _ticks_two_of_the_three_invoice_items(page: Any, store: Store, audit_id: str, vid: str, pid: str) -> None:
    """A neutral reaction to the invoice and two of its three checkboxes ticked: stored as items (0, 2), 2/3."""
    choose(page, f"add_tp:{vid}", "Invoice")
    card = page.locator(css_key(f"obs_{vid}_invoice"))
    card.wait_for(timeout=60_000)
    settle(page)
    card.locator("button").filter(has_text=re.compile("Neutral$")).click()
    until(lambda: "invoice" in _observations(store, audit_id, pid))
    settle(page)
    for item in (ITEMS[0], ITEMS[2]):
        card.get_by_text(item).click()
        settle(page)
    until(lambda: _observations(store, audit_id, pid)["invoice"].checked == (0, 2))
    assert _observations(store, audit_id, pid)["invoice"].measurement == pytest.approx(2 / 3)
    fits_the_screen(page)


def _reopens_the_visit_and_submits(page: Any, vid: str) -> None:
    """After a reload the ticked boxes come back as they were; then the report is sent."""
    page.reload()  # the answers come back as they were
    ready(page)
    card = page.locator(css_key(f"obs_{vid}_invoice"))
    card.wait_for(timeout=60_000)
    card.get_by_text(ITEMS[1]).wait_for(timeout=60_000)
    boxes = card.locator("input[type='checkbox']")
    assert until(lambda: boxes.evaluate_all("els => els.map(e => e.checked)") == [True, False, True])
    page.get_by_role("button", name="Submit the report").click()
    page.get_by_text("The report was sent to the owner").wait_for(timeout=60_000)


def _owner_sees_met_and_not_met_and_accepts(owner: Any, review_url: str, vid: str) -> None:
    """The owner's review shows the greeting's "No" as not met and 2 of 3 items as met; the owner accepts."""
    owner.goto(review_url)
    ready(owner)
    box = owner.locator(css_key(f"review_{vid}"))
    box.wait_for(timeout=60_000)
    text = box.inner_text()
    assert re.search(r"No · The greeter says hello within the first minute · \S* ?not met", text), text
    assert re.search(r"2 of 3 items \(66.7%\) · The invoice is complete: .* \(>= 60%\) · \S* ?met", text), text
    box.get_by_role("button", name="Accept").click()
    owner.get_by_text(f"Visit {vid} accepted").wait_for(timeout=60_000)


def _workbook_says_met_and_not_met(store: Store, owner_token: str) -> None:
    """The workbook's shopper-visits sheet says "not met" for the greeting and "met" for the invoice."""
    book = openpyxl.load_workbook(io.BytesIO(services.results.workbook(store, owner_token)))
    sheet = book["Shopper visits"]
    header = [c.value for c in sheet[1]]
    judged = header.index(next(h for h in header if h and h.startswith("Standard met")))
    rows = {r[header.index("Touchpoint id")]: r[judged] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {"greeting": "not met", "invoice": "met"}
