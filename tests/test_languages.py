"""Languages as data: one list, texts as a mapping from language to text, every bundled catalog in every language.

A Polish text must survive every way a catalog travels (YAML, CSV, XLSX, the
audit's frozen copy in the database), and a catalog stored by an older version
(``{"en": ..., "ru": ""}`` in JSON) must still open.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from audit import i18n, model
from audit.catalog import (
    CATALOG_DIR,
    CHAIN_COLUMNS,
    COLUMNS,
    bundled,
    bundled_ids,
    load_catalog_bytes,
    write_csv,
    write_xlsx,
)
from audit.cli import main
from audit.languages import LANGUAGES, NATIVE_NAMES, native_name, supported, text_column, text_columns
from audit.model import Audit, Catalog, StandardKind, Text, ValidationError
from audit.scoring import touchpoint_frame
from audit.store import Store

POLISH_YAML = """\
id: bakery
name: {en: Bakery, ru: Пекарня, pl: Piekarnia}
description: {pl: "Mała piekarnia z kawiarnią"}
touchpoints:
  - id: office-door
    category: office
    group: {en: Entrance, pl: Wejście}
    name: {en: Door, ru: Дверь, pl: Drzwi wejściowe}
    question: {pl: "Czy drzwi otwierają się lekko?"}
    stage: before
    channel: offline
  - id: staff-phone
    category: staff
    name: {pl: Telefon}
    standard: {metric: {en: rings, pl: liczba sygnałów}, unit: {pl: sygnały}, comparison: "<=", threshold: 3}
chains:
  - id: visit
    name: {en: Visit, pl: Wizyta}
    links: [office-door, staff-phone]
"""


def polish_catalog() -> Catalog:
    catalog, problems = load_catalog_bytes(POLISH_YAML.encode(), "bakery.yaml")
    assert problems == [] and catalog is not None
    return catalog


# ----------------------------------------------------------------- one list


def test_one_list_of_languages_with_native_names() -> None:
    assert LANGUAGES == ("en", "ru", "pl")
    assert model.LANGUAGES is LANGUAGES and i18n.LANGUAGES is LANGUAGES
    assert [native_name(lang) for lang in LANGUAGES] == ["English", "Русский", "Polski"]
    assert tuple(NATIVE_NAMES) == LANGUAGES
    assert supported("pl") == "pl" and supported("de") == "en" and supported(None) == "en"
    assert text_column("name", "pl") == "name_pl" and text_column("name", "xx") == "name_en"
    assert text_columns("question") == ("question_en", "question_ru", "question_pl")


def test_an_audit_can_be_polish_and_unknown_languages_are_refused_by_name() -> None:
    assert Audit("a", "Piekarnia", language="pl").language == "pl"
    with pytest.raises(ValidationError, match="must be one of: en, ru, pl"):
        Audit("a", "Bäckerei", language="de")


# ----------------------------------------------------------------- Text


def test_text_is_a_frozen_mapping_from_language_to_text() -> None:
    text = Text.of({"pl": " Drzwi ", "en": "Door", "ru": ""}, "name")
    assert dict(text) == {"en": "Door", "pl": "Drzwi"}  # empty languages are left out, list order kept
    assert list(text) == ["en", "pl"] and len(text) == 2 and "pl" in text and "ru" not in text
    assert text["pl"] == "Drzwi" and text.exact("ru") == ""
    with pytest.raises(KeyError):
        text["ru"]
    assert text == Text.of({"en": "Door", "pl": "Drzwi"}, "other") and hash(text) == hash(Text.of(text, "x"))
    assert {text: 1}[Text.of({"pl": "Drzwi", "en": "Door"}, "name")] == 1
    with pytest.raises(AttributeError):
        text.texts = ()  # type: ignore[misc]


def test_get_falls_back_to_english_then_to_any_language_present() -> None:
    assert Text.of({"en": "Door", "pl": "Drzwi"}, "n").get("pl") == "Drzwi"
    assert Text.of({"en": "Door", "pl": "Drzwi"}, "n").get("ru") == "Door"
    assert Text.of({"ru": "Дверь", "pl": "Drzwi"}, "n").get("en") == "Дверь"
    assert Text.of({"pl": "Drzwi"}, "n").get("ru") == "Drzwi"
    assert Text().get("pl") == "" and not Text()


def test_text_of_refuses_unknown_languages_and_bad_values_with_the_field_named() -> None:
    with pytest.raises(ValidationError, match=r"name: unknown language \(use en, ru, pl\) \(got 'de'\)"):
        Text.of({"en": "Door", "de": "Tür"}, "name")
    with pytest.raises(ValidationError, match=r"name\.pl: must be at most 300 characters"):
        Text.of({"pl": "x" * 301}, "name")
    with pytest.raises(ValidationError, match="name: must not be empty"):
        Text.of({"pl": "  "}, "name", required=True)
    with pytest.raises(TypeError, match=r"Text\.of"):
        Text("Door")  # type: ignore[arg-type]


# ----------------------------------------------------------------- catalog files


def test_polish_yaml_loads_with_every_field() -> None:
    catalog = polish_catalog()
    door, phone = catalog.touchpoints
    assert (catalog.name["pl"], catalog.description.get("ru")) == ("Piekarnia", "Mała piekarnia z kawiarnią")
    assert (door.name["pl"], door.group["pl"], door.question["pl"]) == ("Drzwi wejściowe", "Wejście", "Czy drzwi otwierają się lekko?")
    assert phone.name.get("en") == "Telefon"  # only Polish: shown in every language
    assert phone.standard is not None and phone.standard.describe("pl") == "liczba sygnałów <= 3 sygnały"
    assert catalog.chains[0].name["pl"] == "Wizyta"


def test_table_columns_come_from_the_language_list() -> None:
    for field in ("group", "name", "question", "standard_metric", "standard_unit"):
        assert [c for c in COLUMNS if c.startswith(f"{field}_") and c.rsplit("_", 1)[1] in LANGUAGES] == list(text_columns(field))
    assert CHAIN_COLUMNS == ("id", "name_en", "name_ru", "name_pl", "links")


def test_polish_round_trips_through_csv() -> None:
    catalog = polish_catalog()
    data = write_csv(catalog)
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert {"name_pl", "question_pl", "group_pl", "standard_metric_pl", "standard_unit_pl"} <= set(header)
    again, problems = load_catalog_bytes(data, "bakery.csv")
    assert problems == [] and again is not None
    assert again.touchpoints == catalog.touchpoints  # CSV carries touchpoints only


def test_polish_round_trips_through_xlsx() -> None:
    catalog = polish_catalog()
    again, problems = load_catalog_bytes(write_xlsx(catalog), "bakery.xlsx")
    assert problems == [] and again == catalog


def test_a_polish_only_csv_is_accepted_and_a_missing_name_column_names_every_choice() -> None:
    good = "id,category,name_pl,question_pl\noffice-door,office,Drzwi,Czy są czyste?\n".encode()
    catalog, problems = load_catalog_bytes(good, "mine.csv")
    assert problems == [] and catalog is not None and catalog.touchpoints[0].name.get("en") == "Drzwi"
    catalog, problems = load_catalog_bytes(b"id,category,question_pl\noffice-door,office,Czy?\n", "mine.csv")
    missing = [p for p in problems if p.key == "catalog_problem.name_column_missing"]
    assert catalog is None and len(missing) == 1
    assert all(column in missing[0].message for column in ("name_en", "name_ru", "name_pl"))


def test_score_tables_carry_a_name_column_per_language() -> None:
    frame = touchpoint_frame(polish_catalog())
    assert frame.loc["office-door", "name_pl"] == "Drzwi wejściowe"
    assert frame.loc["office-door", "name_ru"] == "Дверь"
    assert frame.loc["staff-phone", "name_en"] == "Telefon"  # falls back to the language it has


# ----------------------------------------------------------------- the store


def test_polish_round_trips_through_the_store(store: Store) -> None:
    catalog = polish_catalog()
    audit, _ = store.create_audit("Piekarnia", catalog, language="pl")
    assert store.get_audit(audit.id).language == "pl"
    assert store.catalog(audit.id) == catalog


def _old_shape(text: Text) -> dict[str, str]:
    """How versions with fixed English and Russian fields stored a text."""
    return {"en": text.exact("en"), "ru": text.exact("ru")}


def test_a_catalog_stored_by_the_previous_version_still_opens(store: Store) -> None:
    catalog = bundled("retail")
    audit, _ = store.create_audit("Shop", catalog)
    old_catalog = json.dumps(_old_shape(Text.of({"en": "Retail store", "ru": "Розничный магазин"}, "n")))
    old_door = {"id": "office-old", "category": "office", "group": {"en": "", "ru": ""}, "name": {"en": "Old door", "ru": ""},
                "question": {"en": "", "ru": "Старый вопрос?"}, "stage": ["before"], "channel": [], "audience": [],
                "attention": None, "lifetime": None, "added_by_team": True,
                "standard": {"metric": {"en": "rings", "ru": ""}, "unit": {"en": "", "ru": ""}, "comparison": "<=", "threshold": 3}}
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE audits SET catalog_name = :name WHERE id = :id"), {"name": old_catalog, "id": audit.id})
        conn.execute(sa.text("UPDATE audit_touchpoints SET data = :data WHERE audit_id = :id AND position = 0"),
                     {"data": json.dumps(old_door), "id": audit.id})
    opened = store.catalog(audit.id)
    assert dict(opened.name) == {"en": "Retail store", "ru": "Розничный магазин"}
    first = opened.touchpoints[0]
    assert (first.id, dict(first.name), dict(first.question), dict(first.group)) == ("office-old", {"en": "Old door"}, {"ru": "Старый вопрос?"}, {})
    assert first.standard is not None and first.standard.describe("pl") == "rings <= 3"


# ----------------------------------------------------------------- bundled catalogs


def _texts(catalog: Catalog) -> Iterator[tuple[str, Text]]:
    yield "name", catalog.name
    yield "description", catalog.description
    for tp in catalog.touchpoints:
        yield f"{tp.id}.name", tp.name
        yield f"{tp.id}.group", tp.group
        yield f"{tp.id}.question", tp.question
        if tp.standard is not None:
            yield f"{tp.id}.standard.metric", tp.standard.metric
            if tp.standard.kind is StandardKind.NUMBER:  # a yes/no or checklist standard has no unit
                yield f"{tp.id}.standard.unit", tp.standard.unit
            for i, item in enumerate(tp.standard.items):
                yield f"{tp.id}.standard.items[{i}]", item
    for chain in catalog.chains:
        yield f"chain {chain.id}", chain.name


@pytest.mark.parametrize("catalog_id", bundled_ids())
def test_every_text_of_every_bundled_catalog_is_in_every_language(catalog_id: str) -> None:
    texts = list(_texts(bundled(catalog_id)))
    missing = [(where, lang) for where, text in texts for lang in LANGUAGES if not text.exact(lang).strip()]
    assert missing == []
    same_in_polish = {"%", "Menu", "Newsletter", "Chatbot", "Retargeting"}  # loanwords Polish uses as they are
    english_left = [where for where, text in texts if text.exact("pl") == text.exact("en") and text.exact("en") not in same_in_polish]
    assert english_left == []  # a Polish text equal to the English one is a forgotten translation


def test_every_bundled_catalog_passes_the_cli_check(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(CATALOG_DIR / f"{catalog_id}.yaml") for catalog_id in bundled_ids()]
    assert main(["catalog", "check", *files]) == 0
    assert capsys.readouterr().out.count(": ok - ") == len(files)
