"""The economics page (owner link): the worked example entered by hand, a CSV import, and the funnel (Streamlit AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_driver import ok, texts
from streamlit.testing.v1 import AppTest

from audit import services
from audit.i18n import t
from audit.model import Catalog, Chain, Role, Touchpoint
from audit.services.access import NotAllowed
from audit.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "audit_app.py")
STAGES = ("ads", "phone", "shop", "till")


def catalog() -> Catalog:
    return Catalog(
        "eco", {"en": "Eco", "ru": "Эко"},
        (
            Touchpoint("ads", "technology", {"en": "Online ads", "ru": "Реклама"}),
            Touchpoint("phone", "staff", {"en": "Answering the phone", "ru": "Ответ на звонок"}),
            Touchpoint("shop", "office", {"en": "The shop", "ru": "Магазин"}),
            Touchpoint("till", "staff", {"en": "The till", "ru": "Касса"}),
        ),
        (Chain("buy", {"en": "Buying", "ru": "Покупка"}, STAGES),),
    )


@pytest.fixture
def db(app_db: Store) -> Store:
    """The SQLite file the app under AppTest uses (``app_db`` in conftest)."""
    return app_db




def economics_page(owner_token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = owner_token
    ok(at.run())
    at.switch_page("audit/ui/pages/economics.py")
    return ok(at.run())


def metrics(at: AppTest) -> dict[str, str]:
    """The last shown value of each metric label (the saved channel's come after the example's)."""
    return {m.label: m.value for m in at.metric}


def test_the_owner_enters_the_worked_example_and_reads_its_numbers(db: Store) -> None:
    audit, links = db.create_audit("Shop", catalog())
    at = economics_page(links[Role.OWNER])
    assert at.title[0].value == t("economics.title")
    assert t("economics.none") in texts(at)

    at.selectbox(key="econ_tp").set_value("ads")
    at.number_input(key="econ_spend").set_value(90_000)
    at.number_input(key="econ_leads").set_value(54)
    at.number_input(key="econ_customers").set_value(12)
    at.radio(key="econ_money").set_value("average_ticket")
    at.number_input(key="econ_amount").set_value(9_000)
    at.get("form")[0].button[0].click()
    ok(at.run())

    assert t("economics.saved", name="Online ads", wave=1) in texts(at)
    shown = metrics(at)
    assert shown[t("economics.cost_per_lead")] == "1,666.67"
    assert shown[t("economics.cost_per_customer")] == "7,500"
    assert shown[t("economics.revenue")] == "108,000"
    assert shown[t("economics.left")] == "18,000"
    assert shown[t("economics.return")] == "20%"
    table = at.dataframe[0].value
    assert list(table.iloc[0])[:3] == ["Online ads", 1, "90,000"] and table[t("economics.left")].iloc[0] == "18,000"
    saved = db.economics(audit.id)
    assert [(e.touchpoint_id, e.wave, e.spend, e.leads, e.customers, e.revenue) for e in saved] == [("ads", 1, 90_000, 54, 12, 108_000)]


def test_the_built_in_example_fills_the_form(db: Store) -> None:
    _audit, links = db.create_audit("Shop", catalog())
    at = economics_page(links[Role.OWNER])
    example = metrics(at)  # the expander shows the example's own numbers
    assert example[t("economics.cost_per_lead")] == "1,666.67" and example[t("economics.return")] == "20%"
    at.button(key="econ_example").click()
    ok(at.run())
    assert at.number_input(key="econ_spend").value == 90_000 and at.number_input(key="econ_customers").value == 12


def test_a_form_with_a_missing_number_stores_nothing(db: Store) -> None:
    audit, links = db.create_audit("Shop", catalog())
    at = economics_page(links[Role.OWNER])
    at.number_input(key="econ_spend").set_value(90_000)
    at.get("form")[0].button[0].click()
    ok(at.run())
    assert t("economics.fill_all") in texts(at)
    assert db.economics(audit.id) == []


def upload(at: AppTest, data: bytes) -> AppTest:
    at.file_uploader(key="econ_upload").set_value(("economics.csv", data, "text/csv"))
    ok(at.run())
    at.button(key="econ_import").click()
    return ok(at.run())


def test_a_csv_import_stores_every_row_or_none_and_names_each_problem(db: Store) -> None:
    audit, links = db.create_audit("Shop", catalog())
    at = economics_page(links[Role.OWNER])
    bad = (
        b"touchpoint,wave,spend,calls,customers,revenue\n"
        b"ads,1,90000,54,12,108000\n"  # fine, but the file has problems: not stored either
        b"=HYPERLINK(\"http://x\"),1,5,5,1,10\n"
        b"phone,1,\"90,000\",5.5,1,\n"
        b"shop,7,1,1,1,1\n"
    )
    upload(at, bad)
    shown = texts(at)
    assert t("economics.import_refused", count=5) in shown
    assert t("economics.csv_line", line=3) + " " + t("economics.csv_touchpoint", value='=HYPERLINK("http://x")') in shown
    assert t("economics.csv_number", column="spend", value="90,000") in shown
    assert t("economics.csv_whole", column="leads", value="5.5") in shown
    assert t("economics.csv_empty", column="revenue") in shown
    assert t("economics.csv_wave", value="7", current=1) in shown
    assert db.economics(audit.id) == []  # nothing stored half-way

    good = b"touchpoint;spend;leads;customers;average_ticket\nOnline ads;90000;54;12;9000\nphone;1000;10;0;0\n"
    upload(at, good)
    assert t("economics.imported", count=2) in texts(at)
    assert {(e.touchpoint_id, e.revenue) for e in db.economics(audit.id)} == {("ads", 108_000), ("phone", 0)}
    table = at.dataframe[0].value
    assert table[t("economics.cost_per_customer")].tolist() == ["7,500", "—"]  # no customers: not computable


def test_a_csv_file_over_the_limits_is_refused_whole(db: Store) -> None:
    audit, links = db.create_audit("Shop", catalog())
    at = economics_page(links[Role.OWNER])
    rows = "".join(f"ads,{i},1,1,1\n" for i in range(2_001))
    upload(at, ("touchpoint,spend,leads,customers,revenue\n" + rows).encode())
    assert t("economics.csv_too_many_rows", limit=2_000) in texts(at)
    upload(at, b"x" * (1024 * 1024 + 1))
    assert t("economics.csv_too_large", kb=1024) in texts(at)
    upload(at, "touchpoint,spend\nads,1\n".encode("utf-16"))
    assert t("economics.csv_encoding") in texts(at)
    assert db.economics(audit.id) == []


def test_the_funnel_marks_the_largest_drop(db: Store) -> None:
    audit, links = db.create_audit("Shop", catalog())
    at = economics_page(links[Role.OWNER])
    for position, reached in enumerate((100, 60, 12, 10)):
        at.number_input(key=f"econ_reach:buy:{position}").set_value(reached)
    at.get("form")[1].button[0].click()
    ok(at.run())
    assert t("economics.funnel_drop", name="The shop", conversion="20%") in texts(at)
    stages = at.dataframe[-1].value  # the funnel tab comes last
    assert stages[t("economics.reached")].tolist() == [100, 60, 12, 10]
    assert stages[t("economics.conversion")].tolist() == ["—", "60%", "20%", "83.3%"]
    assert stages[t("economics.largest_drop")].tolist() == ["", "", t("economics.drop_mark"), ""]
    assert [s.reached for s in db.funnel(audit.id, 1)] == [100, 60, 12, 10]


def test_the_team_link_has_no_economics_page(db: Store) -> None:
    _audit, links = db.create_audit("Shop", catalog())
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = links[Role.TEAM]
    ok(at.run())
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not registered for the team
        at.switch_page("audit/ui/pages/economics.py").run()
    # and the server refuses the team's writes even when called directly
    with pytest.raises(NotAllowed):
        services.economics.save_economics(db, links[Role.TEAM], touchpoint_id="ads", spend=1, leads=1, customers=1, revenue=1)
    with pytest.raises(NotAllowed):
        services.economics.import_economics_csv(db, links[Role.SHOPPER], b"touchpoint,spend,leads,customers,revenue\nads,1,1,1,1\n")
    with pytest.raises(NotAllowed):
        services.economics.save_funnel(db, links[Role.TEAM], chain_id="buy", reached=[4, 3, 2, 1])
    assert db.economics(_audit.id) == [] and db.funnel(_audit.id, 1) == []
