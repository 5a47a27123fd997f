"""Departments in the room: picked when joining, from the owner's list; where departments judge a touchpoint differently."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from app_driver import show_tab
from streamlit.testing.v1 import AppTest

from audit import services
from audit.demo import create_demo
from audit.departments import department_gaps, department_label, department_means, departments_from_text
from audit.i18n import t
from audit.model import DEFAULT_DEPARTMENTS, Audit, AuditData, Catalog, Participant, Rating, Role, Touchpoint, ValidationError
from audit.scoring import analyse
from audit.services.access import NotAllowed
from audit.store import Store
from audit.workbook import build_workbook


def catalog() -> Catalog:
    return Catalog("c", "C", tuple(Touchpoint(i, "staff", i.title()) for i in ("phone", "site", "till", "mail")))


def data() -> AuditData:
    people = (
        Participant("s1", "au", "Sam", Role.TEAM, department="sales"),
        Participant("s2", "au", "Sue", Role.TEAM, department="sales"),
        Participant("v1", "au", "Val", Role.TEAM, department="service"),
        Participant("v2", "au", "Vic", Role.TEAM, department="service"),
        Participant("m1", "au", "Max", Role.TEAM, department="marketing"),
        Participant("n1", "au", "Nia", Role.TEAM),  # said nothing about her job
    )
    votes = {
        # sales love the phone, service hate it; marketing sits between
        "phone": {"s1": (9, "positive"), "s2": (10, "positive"), "v1": (3, "negative"), "v2": (2, "negative"), "m1": (6, "neutral")},
        # everyone agrees on the site
        "site": {"s1": (7, "positive"), "s2": (7, "positive"), "v1": (7, "positive"), "v2": (7, "positive"), "n1": (1, "negative")},
        # only the importance differs at the till
        "till": {"s1": (8, "neutral"), "v1": (4, "neutral"), "v2": (4, "neutral")},
        # one department only: nothing to compare
        "mail": {"s1": (5, "negative"), "n1": (9, "positive")},
    }
    ratings = tuple(Rating("au", pid, tp, imp, reaction) for tp, answers in votes.items() for pid, (imp, reaction) in answers.items())
    ratings += (Rating("au", "m1", "till", not_applicable=True),)  # not a vote
    return AuditData(Audit("au", "Bakery"), catalog(), participants=people, ratings=ratings)


def test_department_means_and_the_largest_gap_first() -> None:
    means = department_means(data()).set_index(["touchpoint_id", "department"])
    assert means.loc[("phone", "sales"), "importance_mean"] == 9.5 and means.loc[("phone", "sales"), "performance"] == 1.0
    assert means.loc[("phone", "service"), "importance_mean"] == 2.5 and means.loc[("phone", "service"), "performance"] == -1.0
    assert ("till", "marketing") not in means.index  # a not-applicable answer is not a vote
    assert ("site", "") not in means.index  # people without a department are left out here

    gaps = department_gaps(data())
    assert list(gaps["touchpoint_id"]) == ["phone", "till", "site"]  # the mail has one department only
    phone = gaps.iloc[0]
    assert (phone["importance_gap"], phone["reaction_gap"]) == (7.0, 2.0)
    assert phone["gap"] == pytest.approx((7 / 9 + 2 / 2) / 2)
    assert (phone["importance_high"], phone["importance_low"], phone["reaction_high"], phone["reaction_low"]) == (
        "sales", "service", "sales", "service")
    assert phone["departments"] == 3
    till = gaps.iloc[1]
    assert (till["importance_gap"], till["reaction_gap"], till["gap"]) == (4.0, 0.0, pytest.approx(4 / 9 / 2))
    assert gaps.iloc[2]["gap"] == 0.0


def test_the_disagreement_score_stays_as_it_is() -> None:
    plain = data()
    without = AuditData(plain.audit, plain.catalog, participants=tuple(
        Participant(p.id, p.audit_id, p.name, p.role) for p in plain.participants), ratings=plain.ratings)
    assert analyse(plain).scores["disagreement"].equals(analyse(without).scores["disagreement"])


def test_default_departments_are_translated_and_the_owner_may_name_their_own() -> None:
    assert [department_label(d, "en") for d in DEFAULT_DEPARTMENTS] == [
        "Sales", "Service", "Marketing", "Management", "Operations", "Finance", "Other"]
    assert department_label("sales", "ru") == "Продажи" and department_label("sales", "pl") == "Sprzedaż"
    assert department_label("Kitchen", "ru") == "Kitchen"
    assert departments_from_text("Продажи\nKitchen\n\n Delivery ", "ru") == ("sales", "Kitchen", "Delivery")
    assert departments_from_text("Sales; Finance", "en") == ("sales", "finance")
    for text, rule in (("", "at least one"), ("Sales\nsales", "different"), ("x" * 81, "at most 80"),
                       ("\n".join(f"d{i}" for i in range(31)), "at most 30")):
        with pytest.raises(ValidationError, match=rule):
            departments_from_text(text, "en")


def test_joining_with_a_department_from_the_owners_list(store: Store) -> None:
    audit, links = store.create_audit("Bakery", catalog())
    assert store.get_audit(audit.id).departments == DEFAULT_DEPARTMENTS
    ann = services.rating.join(store, links[Role.TEAM], "Ann", department="sales")
    bob = services.rating.join(store, links[Role.TEAM], "Bob")
    assert (ann.department, bob.department) == ("sales", "")
    assert {p.name: p.department for p in store.participants(audit.id)} == {"Ann": "sales", "Bob": ""}
    with pytest.raises(ValidationError, match="department"):
        services.rating.join(store, links[Role.TEAM], "Cleo", department="Kitchen")
    assert [p.name for p in store.participants(audit.id)] == ["Ann", "Bob"]  # nothing stored half-way

    changed = services.audits.set_departments(store, links[Role.OWNER], "Kitchen\nSales\nDelivery")
    assert changed.departments == ("Kitchen", "sales", "Delivery") == store.get_audit(audit.id).departments
    cleo = services.rating.join(store, links[Role.TEAM], "Cleo", department="kitchen")  # case does not matter
    assert cleo.department == "Kitchen"
    with pytest.raises(ValidationError, match="departments"):
        services.audits.set_departments(store, links[Role.OWNER], "")
    assert store.get_audit(audit.id).departments == ("Kitchen", "sales", "Delivery")
    for role in (Role.TEAM, Role.SHOPPER):
        with pytest.raises(NotAllowed):
            services.audits.set_departments(store, links[role], "Sales")
    services.audits.set_departments(store, links[Role.OWNER], "\n".join(department_label(d, "en") for d in DEFAULT_DEPARTMENTS))
    assert store.get_audit(audit.id).departments == DEFAULT_DEPARTMENTS


def test_the_demo_departments_disagree_most_about_one_touchpoint_in_the_app_and_the_workbook(sqlite_store: Store) -> None:
    audit, _ = create_demo(sqlite_store)
    data = sqlite_store.load(audit.id)
    assert {p.department for p in data.participants if p.role is Role.TEAM} == {"sales", "service"}
    top = department_gaps(data).iloc[0]
    assert top["touchpoint_id"] == "staff-phone-answer-speed"
    assert (top["importance_high"], top["importance_low"]) == ("sales", "service") and top["gap"] == 1.0

    book = openpyxl.load_workbook(io.BytesIO(build_workbook(data)))
    sheet = book[t("xlsx.sheet.departments")]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=False))
    name = next(tp.name.get("en") for tp in data.catalog.touchpoints if tp.id == "staff-phone-answer-speed")
    assert first[t("xlsx.col.touchpoint")] == name
    assert first[t("xlsx.col.department_gap")] == 1.0
    assert first[t("xlsx.col.importance_high")] == t("department.sales")


# ------------------------------------------------------------------ in the app (AppTest)


APP = str(Path(__file__).resolve().parent.parent / "audit_app.py")


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_person_picks_a_department_when_joining_from_the_owners_list(app_db: Store) -> None:
    audit, links = app_db.create_audit("Bakery", catalog())
    owner = AppTest.from_file(APP, default_timeout=60)
    owner.query_params["t"] = links[Role.OWNER]
    run(owner)
    owner.switch_page("audit/ui/pages/links.py")
    run(owner)
    owner.text_area(key="departments_text").set_value("Sales\nKitchen")
    owner.button[[b.label for b in owner.button].index(t("links.departments_save"))].click()
    run(owner)
    assert app_db.get_audit(audit.id).departments == ("sales", "Kitchen")
    assert t("links.departments_saved", n=2) in [s.value for s in owner.success]

    team = AppTest.from_file(APP, default_timeout=60)
    team.query_params["t"] = links[Role.TEAM]
    run(team)
    box = team.selectbox(key="join_department")
    assert box.options == [t("department.sales"), "Kitchen"] and box.value is None  # optional
    team.text_input[0].input("Ann")
    box.set_value("Kitchen")
    team.button[0].click()
    run(team)
    assert [(p.name, p.department) for p in app_db.participants(audit.id)] == [("Ann", "Kitchen")]


def test_the_department_view_of_the_demo_puts_the_split_touchpoint_first(app_db: Store) -> None:
    audit, links = create_demo(app_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = links[Role.OWNER]
    run(at)
    at.switch_page("audit/ui/pages/results.py")
    run(at)
    show_tab(at, t("results.tab_disagreement"))  # the page builds the shown tab only
    table = next(d.value for d in at.dataframe if t("results.col_department_gap") in d.value.columns)
    first = table.iloc[0]
    name = next(tp.name.get("en") for tp in app_db.load(audit.id).catalog.touchpoints if tp.id == "staff-phone-answer-speed")
    assert first[t("results.tip_touchpoint")] == name and first[t("results.col_department_gap")] == 100
    assert first[t("results.col_importance_ends")] == t("results.ends", high="Sales", high_value="10.0", low="Service", low_value="1.0")
    assert first[t("results.col_reaction_ends")] == t("results.ends", high="Sales", high_value="+1.00", low="Service", low_value="-1.00")
