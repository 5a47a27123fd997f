"""The workspace page, its creation on the welcome page, and the owner's export / erase page (Streamlit AppTest).

Driven through ``audit_app.py`` with the link in the query parameters, as a
browser would, against a fresh SQLite file (``app_db``).
"""

from __future__ import annotations

import re

import pytest
from app_driver import ROOT, ok, texts, visit
from streamlit.testing.v1 import AppTest

from audit import services
from audit.catalog import bundled
from audit.i18n import t
from audit.model import Rating, Role
from audit.store import Store


def button(at: AppTest, label: str) -> object:
    return next(b for b in at.button if b.label == label)


def test_a_workspace_is_created_on_the_welcome_page_and_opens_at_once(app_db: Store) -> None:
    at = visit()
    button(at, t("welcome.workspace_create")).click()  # type: ignore[attr-defined]
    ok(at.run())
    assert t("welcome.workspace_need_name") in texts(at) and "t" not in at.query_params
    at.text_input(key="ws_name").input("North & South Consulting")
    button(at, t("welcome.workspace_create")).click()  # type: ignore[attr-defined]
    ok(at.run())
    link = at.query_params["t"]
    workspace = services.workspaces.resolve(app_db, link)
    assert workspace is not None and workspace.name == "North & South Consulting"
    assert at.title[0].value.replace("\\", "") == "North & South Consulting"
    assert link in texts(at) and t("ws.fresh") in texts(at)  # the link, shown this once


def test_the_workspace_lists_creates_and_compares_its_audits(app_db: Store) -> None:
    _ws, link = services.workspaces.create_workspace(app_db, name="North Consulting")
    first, _links, _ = services.workspaces.create_audit(app_db, link, name="Clinic One", catalog=bundled("clinic"), language="en")
    at = visit(t=link)
    at.text_input(key="ws_new_name").input("Clinic Two")
    at.selectbox(key="ws_new_preset").set_value("clinic")
    button(at, t("ws.new_submit")).click()  # type: ignore[attr-defined]
    ok(at.run())
    names = [p.audit.name for p in services.workspaces.portfolio(app_db, link)[1]]
    assert names == ["Clinic One", "Clinic Two"]
    assert t("ws.created", name="Clinic Two") in texts(at)
    table = at.dataframe[0].value
    assert list(table[t("ws.col_audit")]) == names
    owners = services.workspaces.owner_links(app_db, link)
    assert all(owners[p.audit.id] in url for p, url in zip(services.workspaces.portfolio(app_db, link)[1], table[t("ws.col_open")], strict=True))

    second = next(p.audit for p in services.workspaces.portfolio(app_db, link)[1] if p.audit.name == "Clinic Two")
    tp = app_db.catalog(first.id).touchpoints[0].id
    for audit, importance, reaction in ((first, 9, "negative"), (second, 5, "positive")):
        person = app_db.add_participant(audit.id, "Rater")
        app_db.save_rating(Rating(audit.id, person.id, tp, importance=importance, reaction=reaction))
    ok(at.run())
    at.selectbox(key="ws_compare_audit").set_value(first.id)
    ok(at.run())
    bench = at.dataframe[1].value  # the audits, then the comparison
    row = bench.iloc[0]
    assert (row[t("bench.col_importance")], row[t("bench.col_importance_median")], row[t("bench.col_audits")]) == (9.0, 5.0, 1)
    assert t("ws.compare_caption", n=1, preset=t("catalog.clinic")) in texts(at)
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_the_comparison_writes_a_decimal_comma_in_polish(app_db: Store) -> None:
    _ws, link = services.workspaces.create_workspace(app_db, name="Doradcy")
    audits = [services.workspaces.create_audit(app_db, link, name=n, catalog=bundled("clinic"), language="pl")[0] for n in ("A", "B")]
    tp = app_db.catalog(audits[0].id).touchpoints[0].id
    for audit, marks in ((audits[0], (9, 8)), (audits[1], (5, 5))):
        for i, importance in enumerate(marks):
            person = app_db.add_participant(audit.id, f"Rater {i}")
            app_db.save_rating(Rating(audit.id, person.id, tp, importance=importance, reaction="negative"))
    at = visit(t=link)
    at.session_state["ui_lang"] = "pl"
    ok(at.run())
    at.selectbox(key="ws_compare_audit").set_value(audits[0].id)
    ok(at.run())
    row = at.dataframe[1].value.iloc[0]
    assert (row[t("bench.col_importance", "pl")], row[t("bench.col_importance_median", "pl")]) == ("8,5", "5,0")
    assert row[t("bench.col_performance", "pl")] == "-1,00" and row[t("bench.col_audits", "pl")] == 1


def test_rotating_the_workspace_link_kills_the_old_one(app_db: Store) -> None:
    _ws, link = services.workspaces.create_workspace(app_db, name="North Consulting")
    at = visit(t=link)
    at.checkbox(key="ws_rotate_sure").check()
    ok(at.run())
    at.button(key="ws_rotate").click()
    ok(at.run())
    new = at.query_params["t"]
    assert new != link and services.workspaces.resolve(app_db, link) is None
    assert t("ws.rotated") in texts(at) and new in texts(at)
    old = visit(t=link)
    assert t("access.link_not_valid") in texts(old) and "North Consulting" not in texts(old)


def test_an_audit_link_opens_nothing_of_the_workspace(app_db: Store) -> None:
    _ws, link = services.workspaces.create_workspace(app_db, name="North Consulting")
    _audit, links, _ = services.workspaces.create_audit(app_db, link, name="Clinic One", catalog=bundled("clinic"), language="en")
    for role in Role:
        at = visit(t=links[role])
        assert "North Consulting" not in texts(at)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("audit/ui/pages/workspace.py")  # not a page an audit's link can open


def test_the_owner_exports_and_erases_the_audit_behind_a_typed_name(app_db: Store) -> None:
    audit, links = app_db.create_audit("Corner Bakery", bundled("retail"))
    other, _ = app_db.create_audit("Other Bakery", bundled("retail"))
    at = visit(t=links[Role.OWNER])
    at.switch_page("audit/ui/pages/data.py")
    ok(at.run())
    at.button(key="data_prepare").click()
    ok(at.run())
    assert at.get("download_button") and re.search(r"The export holds \d+ records in \d+ tables", texts(at))
    assert at.button(key="data_erase").disabled
    at.text_input(key="data_confirm").input("Corner")
    ok(at.run())
    assert at.button(key="data_erase").disabled  # the name must be typed whole
    at.text_input(key="data_confirm").input("corner bakery")
    ok(at.run())
    at.button(key="data_erase").click()
    ok(at.run())
    assert app_db.resolve_token(links[Role.OWNER]) is None and [a.id for a in app_db.list_audits()] == [other.id]
    assert "t" not in at.query_params and t("welcome.erased", name="Corner Bakery") in texts(at)
    team = visit(t=links[Role.TEAM])
    assert t("access.link_not_valid") in texts(team)
    del audit


def test_export_and_erase_are_not_for_the_team(app_db: Store) -> None:
    _audit, links = app_db.create_audit("Corner Bakery", bundled("retail"))
    for role in (Role.TEAM, Role.SHOPPER):
        page = AppTest.from_file(str(ROOT / "audit" / "ui" / "pages" / "data.py"), default_timeout=60)
        page.query_params["t"] = links[role]
        ok(page.run())
        assert t("access.not_allowed") in texts(page) and not page.get("download_button")
        assert not [b for b in page.button if b.key in ("data_prepare", "data_erase")]
