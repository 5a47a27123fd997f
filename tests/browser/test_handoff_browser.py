"""The hand-off page in a real browser: the owner connects Bitrix24 and pushes; nobody else reaches it; no secret leaks.

The Bitrix24 stand-in (``tests/fake_crm.py``) runs in this test process; the
app's server reaches it on 127.0.0.1 because the browser suite starts it with
``AUDIT_HANDOFF_ALLOW_LOCAL=1`` (a test-only setting).
"""

from __future__ import annotations

from typing import Any

import pytest
from fake_crm import SECRET, FakeBitrix24
from handoff_world import planned

from audit.handoff.records import PersonLink, Target
from audit.model import Role
from audit.store import Store

from .test_results_plan import DESKTOP, ready, settle, until

pytestmark = pytest.mark.browser


def app_text(page: Any) -> str:
    return page.locator("[data-testid='stApp']").inner_text()


def test_the_owner_connects_and_pushes_and_the_secret_never_reaches_the_page_or_the_log(
    server: Any, browser: Any, httpserver: Any,
) -> None:
    fake = FakeBitrix24()
    url = fake.install(httpserver).replace("localhost", "127.0.0.1")
    store = Store(str(server.db_path))
    audit_id, links = planned(store, 6, name="Browser Bakery")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{server.url}/handoff?t={links[Role.OWNER]}")
    ready(page)
    assert "Hand the plan over" in app_text(page)
    field = page.get_by_label("Incoming webhook address")
    field.fill(url)
    page.get_by_role("button", name="Save the connection").first.click()
    until(lambda: "Connected:" in app_text(page))
    settle(page)
    html = page.content()
    assert SECRET not in html and "/rest/1/••••••••/" in html
    assert store.connection(audit_id, Target.BITRIX24) is not None
    # Who gets which tasks (the selection boxes are driven in AppTest; here the store is set directly).
    store.save_people(audit_id, Target.BITRIX24, {o: PersonLink(o, "7", "Boris Sales") for o in ("Head of sales", "Office manager", "")})
    page.reload()
    ready(page)
    page.get_by_role("button", name="Push the plan to Bitrix24").click()
    until(lambda: "Done: 6 created" in app_text(page), timeout=60)
    assert fake.adds == 6 and len(fake.tasks) == 6
    assert "6 of 6 actions have a task in Bitrix24" in app_text(page)
    assert SECRET not in page.content()
    context.close()
    store.close()
    assert SECRET not in server.log()


@pytest.mark.parametrize("role", [Role.TEAM, Role.SHOPPER])
def test_team_and_shopper_links_reach_none_of_it(server: Any, browser: Any, role: Role) -> None:
    store = Store(str(server.db_path))
    audit_id, links = planned(store, 2, name="Closed Bakery")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{server.url}/handoff?t={links[role]}")
    ready(page)
    settle(page, 400)
    text = app_text(page)
    assert "Hand the plan over" not in text and "Incoming webhook" not in text and "Hand over" not in text
    assert page.locator("input[type='password']").count() == 0
    assert page.locator("[data-testid='stDownloadButton']").count() == 0
    context.close()
    assert store.connection(audit_id, Target.BITRIX24) is None
    store.close()
