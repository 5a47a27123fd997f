"""Polish through the app's entrypoint (AppTest): the switch offers it, pages and the catalog speak it."""

from __future__ import annotations

from app_driver import APP, TIMEOUT, run, visit
from appcard import component_data
from streamlit.testing.v1 import AppTest

from audit.catalog import bundled
from audit.i18n import t
from audit.model import Role
from audit.store import Store


def test_the_language_switch_offers_polish_and_the_welcome_page_speaks_it(app_db: Store) -> None:
    at = visit()
    switch = at.segmented_control(key="_lang_pick")
    assert "Polski" in switch.options  # each language in its own words
    switch.set_value("pl")
    run(at)
    assert at.title[0].value == "Audyt punktów kontaktu"
    assert {"Utwórz audyt", "Otwórz z linku"} <= {b.label for b in at.button}


def test_a_polish_audit_is_rated_in_polish_with_the_polish_catalog(app_db: Store) -> None:
    catalog = bundled("retail")
    _, links = app_db.create_audit("Piekarnia", catalog, language="pl")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["t"] = links[Role.TEAM]
    run(at)
    assert at.text_input[0].label == t("rate.your_name", "pl") == "Twoje imię"
    at.text_input[0].input("Ola")
    at.button[0].click()
    run(at)
    first = catalog.touchpoints[0]
    card = component_data(at, "tpa_card")  # the rating card receives its texts in Polish
    assert card["deck"]["items"][0]["name"] == first.name["pl"] == "Elewacja budynku"
    assert card["labels"]["reaction"] == t("card.reaction", "pl") == "Reakcja klienta dziś"
    assert card["labels"]["reaction_positive"] == "Pozytywna"


def test_an_audit_can_be_created_in_polish(app_db: Store) -> None:
    at = visit()
    at.switch_page("audit/ui/pages/create.py")
    run(at)
    assert t("language.pl") in at.segmented_control(key="c_language").options
    at.text_input(key="c_name").input("Piekarnia na rogu")
    at.segmented_control(key="c_language").set_value("pl")
    at.selectbox(key="c_catalog_en").select("restaurant")
    run(at)
    at.button(key="c_submit").click()
    run(at)
    (made,) = app_db.list_audits()
    assert (made.name, made.language, made.catalog_id) == ("Piekarnia na rogu", "pl", "restaurant")
    assert at.title[0].value == t("links.title", "pl") == "Linki do tego audytu"
    assert app_db.catalog(made.id).name["pl"] == "Restauracja lub kawiarnia"
