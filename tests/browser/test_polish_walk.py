"""The whole walk in Polish, in a real browser whose locale is Polish: nothing on the way, and nothing downloaded, speaks English.

create an audit -> links -> rate on a phone -> a shopper's visit on the phone
form -> results -> plan -> the workbook and the PDF report. The browser
contexts carry ``locale="pl-PL"``, so the app picks Polish from the browser
before the audit exists. The downloaded workbook and report are checked for
every English message text that Polish translates differently, and for the
raw enum values of the model (``todo``, ``negative``, ...); the hidden
sheet the plan's round trip reads back (ids and codes) is not for people and
is left out. The same checks run on an English demo audit must find plenty,
so they are known not to be blind.

Screenshots ``docs/screenshots/pl-*.png`` only with ``AUDIT_SCREENSHOTS=1``.
"""

from __future__ import annotations

import io
import re
import subprocess
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook

from audit import model
from audit.catalog import bundled
from audit.i18n import ENGLISH, TRANSLATIONS, t
from audit.model import Presence, Rating, Reaction, Role, VisitStatus
from audit.store import Store

from .steps import (
    CARD,
    DESKTOP,
    PHONE,
    choose,
    css_key,
    fits_the_screen,
    page_url,
    query,
    ready,
    settle,
    shot,
    tap,
    until,
    wait_card,
)

pytestmark = pytest.mark.browser

PL = "pl"
POLISH = {"locale": "pl-PL"}
TOUCHPOINT = "staff-phone-answer-speed"  # retail: has a measurement standard (rings)
# Model enums whose raw values must never reach a person (ids and roles of links are not shown as words).
WORD_ENUMS = [e for e in vars(model).values() if isinstance(e, type) and issubclass(e, StrEnum) and e is not StrEnum and e is not Role]


def p(key: str, **fmt: Any) -> str:
    return t(key, PL, **fmt)


def english_leaks() -> dict[str, str]:
    """English text -> its key, for every message Polish says differently (whole texts, no placeholders)."""
    polish = TRANSLATIONS[PL]
    return {
        text: key for key, text in ENGLISH.items()
        if "{" not in text and polish.get(key) != text and re.search(r"[A-Za-z]{2}", text)
    }


def raw_enum_values() -> set[str]:
    return {member.value for enum in WORD_ENUMS for member in enum}  # type: ignore[attr-defined]


def workbook_leaks(data: bytes) -> list[str]:
    """Sheet titles and text cells of the workbook that are an English message text or a raw enum value."""
    leaks, raw = english_leaks(), raw_enum_values()
    book = load_workbook(io.BytesIO(data), read_only=True)
    found = [f"sheet title {title!r}" for title in book.sheetnames if title in leaks]
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":  # the round trip's own record (ids, codes), hidden from people
            continue
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and (value.strip() in leaks or value.strip() in raw):
                    found.append(f"{sheet.title}!{cell.coordinate}: {value!r} ({leaks.get(value.strip(), 'enum value')})")
    book.close()
    return found


def report_leaks(pdf: Path) -> list[str]:
    """English message texts of the report's vocabulary found in the PDF's text (multi-word texts, as phrases)."""
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    prefixes = ("report.", "xlsx.", "results.", "plan_text.", "category.", "stage.", "channel.", "reaction", "presence", "action_status.",
                "horizon.", "crosshair.", "kind.", "visit_status.", "visit_channel.", "quadrant", "action_text.", "owner_role.")
    words = ("category.", "stage.", "channel.", "reaction.", "presence.", "action_status.", "horizon.", "kind.", "visit_status.")
    found = []
    for english, key in english_leaks().items():
        phrase = " ".join(re.sub(r":material/[a-z_]+:|\*\*", "", english).split())
        long_enough = (" " in phrase and len(phrase) >= 8) or (key.startswith(words) and len(phrase) >= 4)
        if key.startswith(prefixes) and long_enough and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
            found.append(f"{key}: {phrase!r}")
    return found


def screen_leaks(page: Any, *inside: str) -> list[str]:
    """English message texts (several words) on the page as a person reads it (and in components ``inside``)."""
    text = " ".join(" ".join(page.locator(where).first.inner_text() for where in ("[data-testid='stApp']", *inside)).split())
    found = []
    for english, key in english_leaks().items():
        phrase = " ".join(re.sub(r":material/[a-z_]+:|\*\*", "", english).split())
        if phrase.count(" ") >= 1 and len(phrase) >= 10 and phrase in text:
            found.append(f"{key}: {phrase!r}")
    return found


def tables_write_commas(page: Any) -> bool:
    """The page's tables, as their cells read in the browser, write fractions with a comma and never a point
    (a grid fills its accessible table once it is on screen, so each is scrolled to first)."""
    grids = page.locator("[data-testid='stDataFrame']:visible")  # not those in a closed expander or another tab
    grids.first.wait_for(timeout=60_000)
    cells = []
    for i in range(grids.count()):
        grids.nth(i).scroll_into_view_if_needed()
        grids.nth(i).locator("td").first.wait_for(state="attached", timeout=60_000)
        cells.append(" ".join(grids.nth(i).locator("td").all_inner_texts()))
    text = " ".join(cells)
    points = re.findall(r"(?<![\d.])\d+\.\d+(?![\d.])", text)
    assert points == [], points[:5]
    assert re.search(r"\d,\d", text), text[:300]
    return True


def create_in_polish(page: Any, server: Any) -> dict[Role, str]:
    page.goto(server.url)
    ready(page)
    assert page.get_by_role("heading", name=p("app.title")).count() >= 1  # Polish from the browser's locale
    page.get_by_role("button", name=p("welcome.create")).click()
    page.get_by_label(p("create.name")).wait_for(timeout=60_000)
    page.get_by_label(p("create.name")).fill("Piekarnia na rogu")
    hint = page.locator("[data-testid='InputInstructions']").first
    hint.wait_for(state="attached", timeout=30_000)  # Streamlit's "Press Enter to apply" is not shown
    assert "Press" not in hint.inner_text() and re.fullmatch(r"\d+/300", hint.inner_text().strip())
    choose(page, "c_catalog_pl", p("catalog.retail"))
    settle(page)
    page.get_by_role("textbox", name=p("create.competitors")).fill("Chleb i Spółka")
    page.get_by_label(p("create.name")).click()  # leave the text area so it is sent
    settle(page)
    shot(page, "pl-create-desktop.png")
    assert screen_leaks(page) == [], "pl-create-desktop.png"
    page.get_by_role("button", name=p("create.submit")).click()
    page.wait_for_url(re.compile(r"/links\?t="), timeout=60_000)
    settle(page)
    page.wait_for_selector("[data-testid='stCode']", timeout=60_000)
    assert page.get_by_role("heading", name=p("links.title")).count() == 1
    codes = page.locator("[data-testid='stCode'] code").all_text_contents()
    store = Store(str(server.db_path))
    try:
        links = {store.resolve_token(parse_qs(urlsplit(c).query)["t"][0]).role: c.strip() for c in codes}
    finally:
        store.close()
    assert set(links) == set(Role)
    page.locator("[data-testid='stImage'] img").first.wait_for()
    settle(page)
    shot(page, "pl-links-desktop.png")
    assert screen_leaks(page) == [], "pl-links-desktop.png"
    return links


def rate_on_a_phone(browser: Any, team: str, store: Store, audit_id: str) -> None:
    phone = browser.new_context(**PHONE, **POLISH)
    page = phone.new_page()
    page.goto(team)
    ready(page)
    page.get_by_label(p("rate.your_name")).fill("Ola")
    page.get_by_role("button", name=p("rate.start")).click()
    page.wait_for_url(re.compile(r"[?&]p="), timeout=60_000)
    wait_card(page)
    card_text = page.locator(CARD).inner_text()
    assert p("card.reaction") in card_text
    pid = query(page)["p"]
    page.locator(f"{CARD} .auto-box").uncheck()
    for importance, reaction in ((9, "negative"), (4, "positive")):
        tapped = tap(page, "importance", importance)
        tap(page, "reaction", reaction)
        tap(page, "presence", "have")
        until(lambda tapped=tapped: any(r.participant_id == pid and r.touchpoint_id == tapped and r.is_answered
                                        for r in store.ratings(audit_id)))
        page.wait_for_timeout(300)
        if importance == 9:
            shot(page, "pl-rate-phone.png")
            assert screen_leaks(page, CARD) == [], "pl-rate-phone.png"
        page.locator(f"{CARD} button.move.next").click()
        until(lambda tapped=tapped: page.locator(CARD).get_attribute("data-tp") != tapped)
    fits_the_screen(page)
    phone.close()


def rest_of_the_team(store: Store, audit_id: str) -> None:
    """Five more people's ratings, saved through the store, so the results have every quadrant and a plan."""
    touchpoints = bundled("retail").touchpoints
    reactions = [Reaction.POSITIVE, Reaction.NEUTRAL, Reaction.NEGATIVE]
    for n, name in enumerate(["Jan", "Ewa", "Piotr", "Kasia", "Marek"]):
        person = store.add_participant(audit_id, name, Role.TEAM)
        for i, tp in enumerate(touchpoints):
            store.save_rating(Rating(audit_id, person.id, tp.id, importance=1 + (i * 7 + n) % 10,
                                     reaction=reactions[(i + n // 2) % 3],
                                     presence=Presence.MISSING if (i + n) % 9 == 0 else Presence.HAVE))


def shopper_visit_on_a_phone(browser: Any, shopper: str, store: Store, audit_id: str) -> None:
    phone = browser.new_context(**PHONE, **POLISH)
    page = phone.new_page()
    page.goto(shopper)
    ready(page)
    page.get_by_label(p("rate.your_name")).fill("Zosia")
    page.get_by_role("button", name=p("shopper.start"), exact=True).click()
    page.wait_for_url(re.compile(r"[?&]p="), timeout=60_000)
    settle(page)
    choose(page, "new_channel", p("visit_channel.phone"))
    page.locator(css_key("new_go")).get_by_role("button").click()
    page.wait_for_url(re.compile(r"[?&]v="), timeout=60_000)
    settle(page)
    vid, pid = query(page)["v"], query(page)["p"]
    name = next(tp for tp in bundled("retail").touchpoints if tp.id == TOUCHPOINT).name[PL]
    choose(page, f"add_tp:{vid}", name)
    card = page.locator(css_key(f"obs_{vid}_{TOUCHPOINT}"))
    card.wait_for(timeout=60_000)
    settle(page)
    negative = p("reaction.negative").split(": ", 1)[-1]
    card.locator("button").filter(has_text=re.compile(re.escape(negative) + "$")).click()
    until(lambda: store.visits(audit_id, shopper_id=pid)[0].observations)
    settle(page)
    card.locator("textarea").fill("Siedem sygnałów, potem automat; nikt nie odebrał.")
    card.locator("input[type='text']").fill("7")
    card.locator("input[type='text']").press("Tab")
    until(lambda: store.visits(audit_id, shopper_id=pid)[0].observations[0].measurement == 7.0)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    card.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    fits_the_screen(page)
    shot(page, "pl-shopper-phone.png")
    uploader = page.locator("[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p").first
    shown_label = uploader.evaluate("e => [getComputedStyle(e, '::after').content, getComputedStyle(e).fontSize]")
    assert shown_label == [f'"{p("ui.upload_button")}"', "0px"]  # Streamlit's own "Upload" is replaced by ours
    assert screen_leaks(page) == [], "pl-shopper-phone.png"
    page.get_by_role("button", name=p("shopper.submit")).click()
    page.get_by_text(p("shopper.submitted")).wait_for(timeout=60_000)
    assert store.visits(audit_id, shopper_id=pid)[0].status is VisitStatus.SUBMITTED
    phone.close()


def download(page: Any, prepare: str, button: str, target: Path) -> Path:
    page.get_by_role("button", name=prepare).first.click()
    page.get_by_role("button", name=button).first.wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as done:
        page.get_by_role("button", name=button).first.click()
    path = target / done.value.suggested_filename
    done.value.save_as(path)
    return path


def test_the_whole_walk_in_polish(server: Any, browser: Any, tmp_path: Path) -> None:
    store = Store(str(server.db_path))
    desktop = browser.new_context(viewport=DESKTOP, accept_downloads=True, **POLISH)
    page = desktop.new_page()
    links = create_in_polish(page, server)
    owner_token = parse_qs(urlsplit(links[Role.OWNER]).query)["t"][0]
    audit = store.get_audit(store.resolve_token(owner_token).audit_id)
    assert (audit.name, audit.language, audit.catalog_id) == ("Piekarnia na rogu", PL, "retail")

    rate_on_a_phone(browser, links[Role.TEAM], store, audit.id)
    rest_of_the_team(store, audit.id)
    shopper_visit_on_a_phone(browser, links[Role.SHOPPER], store, audit.id)

    page.goto(page_url(links[Role.OWNER], "results"))
    ready(page)
    page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=60_000)
    settle(page, 800)
    assert page.get_by_role("heading", name=p("results.title")).count() == 1
    fits_the_screen(page)
    shot(page, "pl-results-desktop.png")
    assert screen_leaks(page) == [], "pl-results-desktop.png"
    page.get_by_role("tab", name=p("results.tab_disagreement")).click()  # the page builds the shown tab only: a rerun
    page.get_by_role("heading", name=p("results.disagreement_title")).wait_for(timeout=60_000)
    settle(page)
    assert tables_write_commas(page)  # importance and spread per touchpoint: "7,5", never "7.5"

    page.goto(page_url(links[Role.OWNER], "plan"))
    ready(page)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    settle(page, 800)
    shot(page, "pl-plan-desktop.png")
    assert screen_leaks(page) == [], "pl-plan-desktop.png"
    workbook = download(page, p("plan.xlsx_prepare"), p("plan.xlsx_download"), tmp_path)
    report = download(page, p("report.prepare"), p("report.download"), tmp_path)
    assert workbook.suffix == ".xlsx" and report.read_bytes().startswith(b"%PDF")
    assert workbook_leaks(workbook.read_bytes()) == []
    assert report_leaks(report) == []
    body = page.locator("[data-testid='stMain']").inner_text()
    assert [english for english in (t("plan.xlsx_download"), t("report.download"), t("results.title")) if english in body] == []
    desktop.close()
    store.close()


@pytest.mark.parametrize("language", ["en", PL])
def test_the_checks_find_english_where_there_is_english(sqlite_store: Store, tmp_path: Path, language: str) -> None:
    """The checks above are not blind: an English audit's workbook and report are full of what they look for."""
    from audit.demo import create_demo
    from audit.services import results

    _, links = create_demo(sqlite_store, catalog_id="retail", raters=3, language=language)
    workbook = results.workbook(sqlite_store, links[Role.OWNER])
    report = tmp_path / "report.pdf"
    report.write_bytes(results.report(sqlite_store, links[Role.OWNER]))
    found = workbook_leaks(workbook), report_leaks(report)
    if language == PL:
        assert found == ([], [])
    else:
        assert len(found[0]) > 100 and any("Action plan" in leak for leak in found[0]) and len(found[1]) > 5
