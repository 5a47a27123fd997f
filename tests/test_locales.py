"""Language files (gettext .po, read with Babel): complete, same placeholders and icons, really translated.

Every language of the list other than English and Russian (whose texts are in
``audit.i18n.MESSAGES``) has ``audit/locales/<lang>/LC_MESSAGES/messages.po``
with msgid = the message key. Besides the UI messages, the file carries the
core's own tables: plan texts (``action_text.*``), owner roles
(``owner_role.*``), competitor words (``versus_word.*``), blind spots
(``blind_spot.*``) and demo texts (``demo.*``).
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from audit import demo, plan
from audit.i18n import LOCALES, MESSAGES, TRANSLATIONS, po_path, read_translations, t, translated
from audit.languages import LANGUAGES

FILE_LANGUAGES = [lang for lang in LANGUAGES if lang not in ("en", "ru")]

# Texts a language may legitimately leave as in English: loanwords, codes, column ids.
SAME_AS_ENGLISH = {"Online", "Offline", "OK", "#", "Status", "Standard", "Problem", "touchpoint_id", "action_id", "”", "standard {v:.1f}", "Marketing"}


def core_tables() -> dict[str, str]:
    """Keys and English texts of the tables outside MESSAGES that a language file translates."""
    # plan texts (action_text.*), owner roles, competitor words and blind spots are MESSAGES keys now
    english = {"demo.business": demo.BUSINESS["en"], "demo.scenario": demo.SCENARIO["en"], "demo.borrow": demo.BORROW["en"]}
    lists = {"demo.rater": demo.NAMES["en"], "demo.shopper": demo.SHOPPERS["en"], "demo.competitor": demo.COMPETITORS["en"],
             "demo.idea": demo.IDEAS["en"], **{f"demo.comment_{r.value}": texts for r, texts in demo.COMMENTS["en"].items()}}
    for prefix, texts in lists.items():
        english.update({f"{prefix}.{i}": text for i, text in enumerate(texts, 1)})
    return english


def english_texts() -> dict[str, str]:
    return {**{key: entry["en"] for key, entry in MESSAGES.items()}, **core_tables()}


def fields(text: str) -> set[str]:
    """``{name:spec}`` fields as written (a format spec like ``.1f`` must survive translation too)."""
    return {f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(text) if name is not None}


def icons(text: str) -> list[str]:
    return re.findall(r":material/[a-z_]+:", text)


def markdown(text: str) -> tuple[int, int, list[str]]:
    """Bold markers, line breaks and numbered-list starts: the Markdown a translation must keep."""
    return text.count("**"), text.count("\n"), re.findall(r"^\d+\.", text, flags=re.MULTILINE)


@pytest.fixture(params=FILE_LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_language_beyond_the_table_has_a_file_that_babel_reads(language: str) -> None:
    path = po_path(language)
    assert path.is_file(), path
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert str(catalog.locale) == language
    assert language in TRANSLATIONS and TRANSLATIONS[language] == read_translations(path)


def test_the_file_translates_every_key_and_nothing_else(language: str) -> None:
    found = TRANSLATIONS[language]
    expected = english_texts()
    assert sorted(set(expected) - set(found)) == []  # every message key and core-table key is translated
    assert sorted(set(found) - set(expected)) == []  # no stale keys


def test_translations_keep_placeholders_icons_and_markdown(language: str) -> None:
    found = TRANSLATIONS[language]
    wrong = {
        key: found[key]
        for key, english in english_texts().items()
        if key in found and (fields(found[key]) != fields(english) or icons(found[key]) != icons(english)
                             or markdown(found[key]) != markdown(english))
    }
    assert wrong == {}


def test_no_text_is_left_in_english(language: str) -> None:
    found = TRANSLATIONS[language]
    left = {key: text for key, text in english_texts().items()
            if found.get(key) == text and text not in SAME_AS_ENGLISH and not key.startswith("demo.rater.")}
    assert left == {}


def test_the_file_gives_the_english_text_to_the_translator(language: str) -> None:
    with po_path(language).open("rb") as handle:
        catalog = read_po(handle)
    english = english_texts()
    # Babel wraps long comments, so compare the words, not the line breaks.
    wrong = [m.id for m in catalog if m.id and " ".join(m.auto_comments).split() != english.get(str(m.id), "").split()]
    assert wrong == []


def test_t_speaks_polish_and_falls_back_to_english() -> None:
    assert t("app.title", "pl") == "Audyt punktów kontaktu"
    assert t("links.rotated", "pl", role=t("role.team", "pl")) == "Link zespołu został zastąpiony. Stary już nie działa."
    assert t("reaction.negative", "pl") == ":material/thumb_down: Negatywna"
    assert translated("no_such_table", "pl", {"a": "English"}) == {"a": "English"}  # a key without Polish stays English


def test_untranslated_and_fuzzy_entries_are_not_used(tmp_path: Path) -> None:
    po = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: pl\\n"\n\n'
        'msgid "app.title"\nmsgstr "Audyt"\n\n'
        'msgid "page.rate"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "page.add"\nmsgstr "Chyba dodaj"\n',
        encoding="utf-8",
    )
    assert read_translations(po) == {"app.title": "Audyt"}
    assert po_path("pl") == LOCALES / "pl" / "LC_MESSAGES" / "messages.po"


def test_a_polish_plan_speaks_polish() -> None:
    assert plan.owner_roles("pl")["staff"] == "Kierownik sprzedaży"
    assert t("action_text.open", "pl") == "„" and t("action_text.ev_unrated", "pl") == "Zespół: jeszcze nieocenione."


def test_the_polish_demo_keeps_the_formula_like_comments_that_test_escaping() -> None:
    assert demo.BUSINESS["pl"] == "Demo: sklep osiedlowy" and len(demo.NAMES["pl"]) == len(demo.NAMES["en"])
    for reaction, english in demo.COMMENTS["en"].items():
        polish = demo.COMMENTS["pl"][reaction]
        assert [text[0] for text in polish if text[0] in "=+-@"] == [text[0] for text in english if text[0] in "=+-@"]
