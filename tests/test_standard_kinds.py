"""Standards of three kinds: a number, yes/no and a short checklist; set by the owner, answered by a shopper, judged everywhere."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from app_driver import ok, show_tab, texts
from streamlit.testing.v1 import AppTest

from audit import services
from audit.catalog_fields import standard_from_dict, standard_to_dict
from audit.i18n import t
from audit.model import Catalog, Observation, Role, Standard, StandardKind, Touchpoint, ValidationError, VisitStatus
from audit.scoring import analyse
from audit.shopper_report import answered
from audit.standards import standard_from_input
from audit.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "audit_app.py")
EARLIER = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
GREETING = Standard("The greeter says hello within the first minute", "", "==", 1, "yes_no")
INVOICE = Standard("The invoice is complete", "", ">=", 0.6, "checklist",
                   ("Shows the manager's phone", "Shows the delivery date", "Names the contact person"))


def catalog() -> Catalog:
    return Catalog("k", {"en": "Kinds"}, (
        Touchpoint("greeting", "staff", {"en": "Greeting at the door"}),
        Touchpoint("invoice", "product", {"en": "Invoice"}),
        Touchpoint("staff-phone-answer", "staff", {"en": "Answering the phone"}),
    ))


def test_each_kind_is_judged_met_or_not() -> None:
    assert GREETING.is_met(1) and not GREETING.is_met(0)
    assert INVOICE.is_met(2 / 3) and not INVOICE.is_met(1 / 3)
    assert INVOICE.describe() == "The invoice is complete: Shows the manager's phone; Shows the delivery date; Names the contact person (>= 60%)"
    assert GREETING.describe() == "The greeter says hello within the first minute"
    for standard in (GREETING, INVOICE, Standard("rings", "rings", "<=", 3)):
        assert standard_from_dict(standard_to_dict(standard)) == standard
    assert "kind" not in standard_to_dict(Standard("rings", "rings", "<=", 3))  # a number keeps its old stored shape


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"kind": "checklist", "items": ()}, "standard.items"),
    ({"kind": "checklist", "items": tuple("abcdefghijk")}, "standard.items"),
    ({"kind": "checklist", "items": ("a",), "threshold": 1.5}, "standard.threshold"),
    ({"kind": "number", "items": ("a",)}, "standard.items"),
    ({"kind": "maybe"}, "standard.kind"),
])
def test_a_standard_that_breaks_its_kind_is_refused_by_name(kwargs: dict, field: str) -> None:
    values = {"metric": "m", "unit": "", "comparison": ">=", "threshold": 1, **kwargs}
    with pytest.raises(ValidationError) as err:
        Standard(**values)
    assert err.value.field == field


def test_answers_are_checked_against_the_kind() -> None:
    ticked = answered(Observation("invoice", "neutral", checked=(2, 0)), INVOICE)
    assert ticked.checked == (0, 2) and ticked.measurement == pytest.approx(2 / 3)
    with pytest.raises(ValidationError, match="3 items"):
        answered(Observation("invoice", "neutral", checked=(3,)), INVOICE)
    with pytest.raises(ValidationError, match="no checklist"):
        answered(Observation("greeting", "neutral", checked=(0,)), GREETING)
    with pytest.raises(ValidationError, match="yes/no"):
        answered(Observation("greeting", "neutral", measurement=0.5), GREETING)
    assert answered(Observation("greeting", "neutral", measurement=1), GREETING).measurement == 1


def test_the_owners_form_builds_each_kind() -> None:
    yes_no = standard_from_input("Greets within a minute", "ignored", "<=", "7", "en", kind="yes_no")
    assert (yes_no.kind, yes_no.comparison.value, yes_no.threshold, yes_no.unit.get("en")) == (StandardKind.YES_NO, "==", 1.0, "")
    checklist = standard_from_input("Invoice", "", "", "60", "en", kind="checklist", items="Phone\n\n Date \nContact")
    assert [i.get("en") for i in checklist.items] == ["Phone", "Date", "Contact"] and checklist.threshold == 0.6
    with pytest.raises(ValidationError, match="one item per line"):
        standard_from_input("Invoice", "", "", "", "en", kind="checklist", items="  \n")


# ------------------------------------------------------------------ through the pages


@pytest.fixture
def db(app_db: Store) -> Store:
    """The SQLite file the app under AppTest uses (``app_db`` in conftest)."""
    return app_db




def owner_page(token: str, name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = token
    ok(at.run())
    at.switch_page(f"audit/ui/pages/{name}.py")
    return ok(at.run())


def set_standard(at: AppTest, tp_id: str, kind: str, metric: str, items: str = "", share: str = "") -> None:
    at.selectbox(key="standards_pick").set_value(tp_id)
    ok(at.run())
    at.segmented_control(key=f"std_kind:{tp_id}").set_value(kind)
    ok(at.run())
    form = at.get("form")[0]
    form.text_input[0].input(metric)
    if kind == "checklist":
        form.text_area[0].input(items)
        form.text_input[1].input(share)
    form.button[0].click()
    ok(at.run())


def test_owner_sets_yes_no_and_checklist_shopper_answers_and_every_view_judges(db: Store) -> None:
    audit, links = db.create_audit("Shop", catalog())
    at = owner_page(links[Role.OWNER], "standards")
    set_standard(at, "greeting", "yes_no", GREETING.metric.get("en"))
    set_standard(at, "invoice", "checklist", INVOICE.metric.get("en"), "\n".join(i.get("en") for i in INVOICE.items), "60")
    assert db.standards(audit.id) == {"greeting": GREETING, "invoice": INVOICE}

    token = links[Role.SHOPPER]
    mila = services.visits.join_shopper(db, token, "Mila")
    visit = services.visits.start_visit(db, token, mila.id, target="", channel="in-person", visited_at=EARLIER)
    services.visits.save_observation(db, token, mila.id, visit.id, Observation("greeting", "negative", "Nobody looked up", 0))
    services.visits.save_observation(db, token, mila.id, visit.id, Observation("invoice", "neutral", "", checked=(0, 2)))
    with pytest.raises(ValidationError):  # the server checks the kind too
        services.visits.save_observation(db, token, mila.id, visit.id, Observation("greeting", "neutral", "", 3))
    services.visits.submit_visit(db, token, mila.id, visit.id)
    [stored] = db.visits(audit.id)
    assert {o.touchpoint_id: (o.measurement, o.checked) for o in stored.observations} == {
        "greeting": (0.0, None), "invoice": (pytest.approx(2 / 3), (0, 2))}

    review = owner_page(links[Role.OWNER], "review")
    shown = texts(review)
    assert f"{t('visit.measured')}: {t('shopper.answer_no')} · {GREETING.describe()} · {t('standard.not_met')}" in shown
    assert f"{t('visit.checklist_share', met=2, total=3, share='66.7%')} · {INVOICE.describe()} · {t('standard.met')}" in shown
    review.button(key=f"review_accepted:{visit.id}").click()
    ok(review.run())
    assert db.visits(audit.id)[0].status is VisitStatus.ACCEPTED

    scores = analyse(db.load(audit.id)).scores
    assert scores.loc["greeting", "standard_status"] == "not met" and scores.loc["invoice", "standard_status"] == "met"

    results = show_tab(owner_page(links[Role.OWNER], "results"), t("results.tab_outside"))  # the page builds the shown tab only
    table = next(d.value for d in results.dataframe if t("standards.kind") in d.value.columns)
    rows = dict(zip(table[t("standards.col_touchpoint")], zip(table[t("standards.kind")], table[t("standards.col_met")], strict=True), strict=True))
    assert rows == {"Greeting at the door": (t("standards.kind_yes_no"), 0), "Invoice": (t("standards.kind_checklist"), 1)}

    book = openpyxl.load_workbook(io.BytesIO(services.results.workbook(db, links[Role.OWNER])))
    sheet = book["Shopper visits"]
    header = [c.value for c in sheet[1]]
    lines = {row[header.index("Touchpoint id")]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    judged = header.index(next(h for h in header if h and h.startswith("Standard met")))
    assert lines["greeting"][judged] == "not met" and lines["invoice"][judged] == "met"
