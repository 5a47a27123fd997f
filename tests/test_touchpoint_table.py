"""The catalog's touchpoints as columns: every name in every language exactly as a text falls back, attributes as text."""

from __future__ import annotations

import numpy as np

from audit.languages import LANGUAGES, text_column
from audit.model import Catalog, Text, Touchpoint
from audit.touchpoint_table import name_columns, touchpoint_columns


def test_each_name_falls_back_as_text_each_does() -> None:
    names = [
        Text.of({"en": "Door", "ru": "Дверь", "pl": "Drzwi"}, "n"),  # every language
        Text.of({"ru": "Только по-русски"}, "n"),  # no English: the first text
        Text.of({"en": "Only English"}, "n"),  # the default language
        Text.of({"pl": "Tylko", "ru": "Только"}, "n"),  # no English: the first in language order
        Text(),  # nothing at all
    ]
    columns = name_columns(names, ("en", "ru", "pl"))
    for language in ("en", "ru", "pl"):
        assert columns[language].dtype == object
        assert columns[language].tolist() == [text.each(("en", "ru", "pl"))[("en", "ru", "pl").index(language)] for text in names]
    assert columns["en"].tolist() == ["Door", "Только по-русски", "Only English", "Только", ""]
    assert columns["pl"].tolist() == ["Drzwi", "Только по-русски", "Only English", "Tylko", ""]


def test_no_names() -> None:
    assert {lang: values.tolist() for lang, values in name_columns([], ("en", "ru")).items()} == {"en": [], "ru": []}


def test_touchpoint_columns_in_catalog_order() -> None:
    tps = (
        Touchpoint("door", "office", {"en": "Door", "ru": "Дверь"}, stages=("during", "after"), channels=("offline",), audiences=("current", "former"),
                   attention="short", lifetime="one-off", added_by_team=True),
        Touchpoint("site", "technology", {"ru": "Сайт"}),
    )
    columns = touchpoint_columns(Catalog("c", "C", tps))
    for k, lang in enumerate(LANGUAGES):
        assert list(columns[text_column("name", lang)]) == [tp.name.each(LANGUAGES)[k] for tp in tps]
    assert columns["category"] == ["office", "technology"]
    assert columns["stages"] == ["during;after", ""] and columns["audiences"] == ["current;former", ""]
    assert columns["channels"] == ["offline", ""]
    assert columns["attention"] == ["short", ""] and columns["lifetime"] == ["one-off", ""]
    assert columns["added_by_team"].dtype == bool and columns["added_by_team"].tolist() == [True, False]
    assert np.asarray(columns[text_column("name", "en")]).tolist()[1] == "Сайт"
