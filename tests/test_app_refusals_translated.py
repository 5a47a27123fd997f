"""Every kind of refusal a person meets is said in their language: no English sentence on a Russian or Polish page.

Each test drives ``audit_app.py`` (AppTest) with the UI in Russian and then in
Polish, makes one kind of input break a rule (a catalog upload, the rating
page's join, a shopper's measurement and visit date, a standard, a plan
workbook uploaded back), and reads every text on the page: the alerts, the
markdown and the problem tables. :func:`english_in` finds an English sentence
two ways: a phrase of an English message that the language translates
differently, or English function words ("the", "must", "is not"...) in an
alert or a problem cell, which catches a raw exception's text that no message
file holds.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import pandas as pd
import pytest
from app_driver import ok
from streamlit.testing.v1 import AppTest
from test_app_plan import workbook_with

from audit import services
from audit.catalog import bundled
from audit.i18n import KEYS, t
from audit.model import Catalog, Rating, Role, Standard, Touchpoint
from audit.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "audit_app.py")
TIMEOUT = 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGS = ["ru", "pl"]
FUNCTION_WORDS = re.compile(r"\b(the|must|is|are|was|cannot|should|not|only|this|which|does|with)\b", re.IGNORECASE)


@functools.cache
def english_phrases(lang: str) -> tuple[str, ...]:
    """Pieces (three words or more, between placeholders) of every English message ``lang`` says differently."""
    phrases: set[str] = set()
    for key in KEYS:
        english = t(key, "en")
        if t(key, lang) == english:
            continue
        for piece in re.split(r"\{[^}]*\}", english):
            piece = piece.strip(" .,:;()'\"\n*_`")
            if len(piece.split()) >= 3 and len(piece) >= 14:
                phrases.add(piece)
    return tuple(sorted(phrases))


def english_in(at: AppTest, lang: str) -> list[str]:
    """The English found on the page: message phrases anywhere, function words in alerts and problem tables."""
    page = [str(e.value) for kind in ("title", "header", "subheader", "markdown", "caption", "text") for e in at.get(kind)]
    said = [str(e.value) for kind in ("error", "warning", "info", "success", "exception") for e in at.get(kind)]
    for frame in at.dataframe:
        value = frame.value
        if isinstance(value, pd.DataFrame):
            said.extend(str(cell) for column in value.columns for cell in value[column])
    unescaped = [re.sub(r"\\(.)", r"\1", s) for s in page + said]
    found = [p for p in english_phrases(lang) if any(p in s for s in unescaped)]
    found += [s for s in said if len({m.lower() for m in FUNCTION_WORDS.findall(re.sub(r"\\(.)", r"\1", s))}) >= 2]
    return found



def alerts(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def opened(token: str | None = None, page: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if token:
        at.query_params["t"] = token
    if lang:
        at.session_state["ui_lang"] = lang
    ok(at.run())
    if page:
        at.switch_page(f"audit/ui/pages/{page}.py")
        ok(at.run())
    return at


RINGS = Standard({"en": "rings", "ru": "гудков", "pl": "sygnałów"}, {"en": "rings", "ru": "гудков", "pl": "sygnałów"}, "<=", 3)


def small_catalog() -> Catalog:
    return Catalog(
        "small", {"en": "Small", "ru": "Маленький", "pl": "Mały"},
        (
            Touchpoint("office-sign", "office", {"en": "Sign", "ru": "Вывеска", "pl": "Szyld"}, channels=("offline",)),
            Touchpoint("staff-call", "staff", {"en": "Call", "ru": "Звонок", "pl": "Telefon"}, channels=("online", "offline"),
                       standard=RINGS),
            Touchpoint("tech-site", "technology", {"en": "Website", "ru": "Сайт", "pl": "Strona"}, channels=("online",)),
        ),
    )


# ------------------------------------------------------------------ a catalog upload


@pytest.mark.parametrize("lang", LANGS)
def test_a_catalog_upload_with_every_kind_of_problem_is_listed_in_the_language(app_db: Store, lang: str) -> None:
    at = opened(page="create", lang=lang)
    at.text_input(key="c_name").input("Пекарня")
    at.radio(key="c_source").set_value("upload")
    ok(at.run())
    bad = (
        "id,category,name_ru,stage,colour\n"
        "office-sign,office,Вывеска,before,x\n"
        "office-door,kitchen,Дверь,during,x\n"
        "office-sign,office,Снова,before,x\n"
        "tech-site,technology,,sometime,x\n"
        "Bad Id!,staff,Звонок,during,x\n"
    ).encode()
    at.file_uploader(key="c_upload").set_value(("плохой.csv", bad, "text/csv"))
    ok(at.run())
    assert alerts(at) and at.dataframe, "the problems are listed"
    problems = at.dataframe[0].value
    assert len(problems) >= 5
    assert english_in(at, lang) == []
    for broken in (b"\xff\xfe\x00garbage", b"id,category\n\"unclosed,office\n"):
        at.file_uploader(key="c_upload").set_value(("plik.csv", broken, "text/csv"))
        ok(at.run())
        assert alerts(at) and english_in(at, lang) == []
    assert app_db.list_audits() == []


# ------------------------------------------------------------------ rating


@pytest.mark.parametrize("lang", LANGS)
def test_a_name_the_rating_page_refuses_is_said_in_the_language(app_db: Store, lang: str) -> None:
    _, links = app_db.create_audit("Пекарня", small_catalog(), language=lang)
    at = opened(links[Role.TEAM])
    at.text_input[0].input("Ан\x07на")
    at.button[0].click()
    ok(at.run())
    assert alerts(at) and "p" not in at.query_params
    assert english_in(at, lang) == []


# ------------------------------------------------------------------ a shopper's measurement and visit


def shopper_visit(app_db: Store, lang: str) -> tuple[AppTest, str]:
    _, links = app_db.create_audit("Пекарня", small_catalog(), language=lang)
    at = opened(links[Role.SHOPPER])
    at.text_input[0].input("Мила")
    at.button(key="join_go").click()
    ok(at.run())
    at.selectbox(key="new_channel").set_value("phone")
    at.button(key="new_go").click()
    ok(at.run())
    return at, at.query_params["v"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_bad_measurement_and_a_future_visit_are_said_in_the_language(app_db: Store, lang: str) -> None:
    at, vid = shopper_visit(app_db, lang)
    at.selectbox(key=f"add_tp:{vid}").set_value("staff-call")
    ok(at.run())
    at.segmented_control(key=f"obs_reaction:{vid}:staff-call").set_value("neutral")
    ok(at.run())
    for bad in ("cztery", "-3", "1e400"):
        at.text_input(key=f"obs_measurement:{vid}:staff-call").input(bad)
        ok(at.run())
        assert alerts(at), bad
        assert english_in(at, lang) == [], bad
    at.date_input(key=f"v_date:{vid}").set_value(dt.date.today() + dt.timedelta(days=3))
    ok(at.run())
    assert alerts(at) and english_in(at, lang) == []


# ------------------------------------------------------------------ a standard


@pytest.mark.parametrize("lang", LANGS)
def test_a_standard_that_breaks_a_rule_is_said_in_the_language(app_db: Store, lang: str) -> None:
    audit, links = app_db.create_audit("Sklep", bundled("retail"), language=lang)
    at = opened(links[Role.OWNER], "standards")
    at.selectbox(key="standards_pick").set_value("staff-phone-answer-speed")
    ok(at.run())
    for metric, threshold in (("sygnały", "dużo"), ("", "2"), ("sygnały", "-1e400")):
        form = at.get("form")[0]
        form.text_input[0].input(metric)
        form.text_input[1].input(threshold)
        form.button[0].click()
        ok(at.run())
        assert alerts(at), (metric, threshold)
        assert english_in(at, lang) == [], (metric, threshold)
    assert app_db.standards(audit.id)["staff-phone-answer-speed"].threshold == 3  # nothing stored


# ------------------------------------------------------------------ the plan workbook uploaded back


def rated(app_db: Store, name: str, lang: str) -> dict[Role, str]:
    audit, links = app_db.create_audit(name, small_catalog(), language=lang)
    for person in ("Ola", "Iwan"):
        pid = app_db.add_participant(audit.id, person).id
        for tp, imp, reaction in (("office-sign", 9, "negative"), ("tech-site", 8, "negative"), ("staff-call", 7, "neutral")):
            app_db.save_rating(Rating(audit.id, pid, tp, importance=imp, reaction=reaction))
    return links


@pytest.mark.parametrize("lang", LANGS)
def test_a_plan_workbook_that_cannot_be_applied_is_said_in_the_language(app_db: Store, lang: str) -> None:
    links = rated(app_db, "Piekarnia", lang)
    other = rated(app_db, "Kwiaciarnia", lang)
    owner = links[Role.OWNER]
    ours = services.results.workbook(app_db, owner)
    theirs = services.results.workbook(app_db, other[Role.OWNER])
    uploads = [
        ("theirs.xlsx", theirs),
        ("broken.xlsx", ours[:3000]),
        ("rows.xlsx", workbook_with(ours, {2: {"action_id": 4242}, 3: {"touchpoint_id": "kitchen"}, 6: {"what": "Nowe"}}, lang)),
        ("status.xlsx", workbook_with(ours, {2: {"status": "zrobione?"}, 3: {"due": "jutro"}}, lang)),
    ]
    at = opened(owner, "plan")
    for name, data in uploads:
        at.file_uploader(key="plan_upload:0").set_value((name, data, XLSX))
        ok(at.run())
        assert alerts(at) or at.warning, name
        assert english_in(at, lang) == [], name
