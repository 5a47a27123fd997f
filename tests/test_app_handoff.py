"""The hand-off page through the app's entrypoint (AppTest): owner only, secrets masked, a push from the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from app_driver import APP, ROOT, TIMEOUT, ok, open_page
from fake_crm import SECRET, FakeBitrix24
from handoff_world import planned
from icalendar import Calendar
from streamlit.testing.v1 import AppTest
from test_app_plan import downloads  # noqa: F401 - a fixture

from audit.handoff.records import Target
from audit.i18n import t
from audit.model import Role
from audit.store import Store


def everything(at: AppTest) -> str:
    """Every text and widget value the page holds (what its HTML could carry)."""
    parts = [str(e.value) for kind in ("title", "subheader", "markdown", "caption", "info", "error", "success", "warning")
             for e in at.get(kind)]
    parts += [str(w.value) for kind in ("text_input", "selectbox", "number_input") for w in at.get(kind)]
    parts += [str(getattr(w, "label", "")) for w in at.get("button")]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


def test_the_owner_gets_the_files_and_the_plan_page_offers_the_calendar(
    app_db: Store, downloads: dict[str, bytes],  # noqa: F811 - the fixture of test_app_plan
) -> None:
    _, links = planned(app_db, 4)
    at = open_page(links[Role.OWNER], "handoff")
    assert at.title[0].value == t("handoff.title")
    names = set(downloads)
    assert {n for n in names if n.endswith(".ics")} and {n for n in names if n.endswith("jira.csv")}
    assert {n for n in names if n.endswith("asana.csv")}
    ics = next(data for name, data in downloads.items() if name.endswith(".ics"))
    assert len(Calendar.from_ical(ics).walk("VEVENT")) == 4
    downloads.clear()
    open_page(links[Role.OWNER], "plan")
    assert any(name.endswith(".ics") for name in downloads)


def test_a_bad_address_is_refused_with_a_clear_message_and_nothing_is_stored(app_db: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDIT_HANDOFF_ALLOW_LOCAL", raising=False)
    audit_id, links = planned(app_db, 2)
    at = open_page(links[Role.OWNER], "handoff")
    at.text_input(key="ho_b24_url").set_value(f"https://10.0.0.7/rest/1/{SECRET}/")
    ok(at.button[[b.label for b in at.button].index(t("handoff.save"))].click().run())
    assert at.error and re.sub(r"\\(.)", r"\1", at.error[0].value) == t("handoff.error.address_ip", host="10.0.0.7")
    assert app_db.connection(audit_id, Target.BITRIX24) is None
    assert SECRET not in everything(at)


def test_the_owner_connects_maps_people_and_pushes_from_the_page(app_db: Store, httpserver: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_HANDOFF_ALLOW_LOCAL", "1")
    fake = FakeBitrix24()
    url = fake.install(httpserver).replace("localhost", "127.0.0.1")
    audit_id, links = planned(app_db, 5)
    at = open_page(links[Role.OWNER], "handoff")
    at.text_input(key="ho_b24_url").set_value(url)
    ok(at.button[[b.label for b in at.button].index(t("handoff.save"))].click().run())
    page = everything(at)
    assert SECRET not in page and "/rest/1/••••••••/" in page
    assert at.text_input(key="ho_b24_url").value in ("", None)  # the form cleared itself
    ok(at.button(key="ho_load:bitrix24").click().run())
    for i, person in enumerate(("7", "9", "1")):  # Head of sales, Office manager, no owner
        at.selectbox(key=f"ho_person:bitrix24:{i}").set_value(person)
    ok(at.button[[b.label for b in at.button].index(t("handoff.people_save"))].click().run())
    assert set(app_db.people(audit_id, Target.BITRIX24)) == {"Head of sales", "Office manager", ""}
    ok(at.button(key="ho_push:bitrix24").click().run())
    for _ in range(5):  # each run of the fragment sends one batch; AppTest has no timer, so run again
        if not at.get("button") or "ho_stop:bitrix24" not in [b.key for b in at.button]:
            break
        ok(at.run())
    assert fake.adds == 5
    assert any(t("handoff.finished", created=5, updated=0, found=0, problems=0) == s.value for s in at.success)
    fake.complete(next(iter(fake.tasks)))
    ok(at.button(key="ho_refresh:bitrix24").click().run())
    assert any("1 done" in s.value for s in at.success)
    assert SECRET not in everything(at)


@pytest.mark.parametrize("role", [Role.TEAM, Role.SHOPPER])
def test_team_and_shopper_links_reach_none_of_it(app_db: Store, role: Role) -> None:
    audit_id, links = planned(app_db, 2)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["t"] = links[role]
    ok(at.run())
    with pytest.raises(ValueError):
        at.switch_page("audit/ui/pages/handoff.py")
    direct = AppTest.from_file(str(ROOT / "audit" / "ui" / "pages" / "handoff.py"), default_timeout=TIMEOUT)
    direct.query_params["t"] = links[role]
    ok(direct.run())
    assert direct.error[0].value == t("access.not_allowed")
    assert not direct.text_input and not direct.button and not direct.get("download_button")
    assert app_db.connection(audit_id, Target.BITRIX24) is None


def test_a_network_error_stops_the_push_with_a_message_naming_the_actions(app_db: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from audit.handoff.records import PersonLink
    from audit.services import handoff as service

    monkeypatch.setenv("AUDIT_HANDOFF_ALLOW_LOCAL", "1")
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    audit_id, links = planned(app_db, 3)
    service.connect_bitrix24(app_db, links[Role.OWNER], f"http://127.0.0.1:{port}/rest/1/{SECRET}/")
    app_db.save_people(audit_id, Target.BITRIX24, {o: PersonLink(o, "7", "Boris") for o in ("Head of sales", "Office manager", "")})
    at = open_page(links[Role.OWNER], "handoff")
    ok(at.button(key="ho_push:bitrix24").click().run())
    page = everything(at)
    assert t("handoff.error.unreachable", host="127.0.0.1") in page
    for number in (1, 2, 3):
        assert f"Action {number} “Touchpoint {number - 1}: Improve point {number - 1}”" in page
    assert SECRET not in page


def test_the_owner_sets_the_time_zone_of_the_deadlines(app_db: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_TIME_ZONE", "Europe/Moscow")
    audit_id, links = planned(app_db, 1)
    at = open_page(links[Role.OWNER], "handoff")
    assert at.selectbox(key="ho_zone").value == ""  # the server's zone until one is chosen
    ok(at.selectbox(key="ho_zone").set_value("Asia/Omsk").run())
    assert app_db.get_audit(audit_id).time_zone == "Asia/Omsk"
    assert any(s.value == t("handoff.zone_saved", zone="Asia/Omsk") for s in at.success)
