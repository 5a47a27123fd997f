"""Language files (gettext .po, read with Babel): complete, same placeholders and icons, really translated.

Every language of the list has ``audit/locales/<lang>/LC_MESSAGES/messages.po``
with msgid = the message key; English is the source. Besides the UI messages
the files carry the core's tables as keys: plan texts (``action_text.*``),
owner roles (``owner_role.*``), competitor words (``versus_word.*``), blind
spots (``blind_spot.*``) and demo texts (``demo.*``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from audit import demo, plan
from audit.cli import main
from audit.i18n import ENGLISH, LOCALES, TRANSLATIONS, numbered, po_path, read_translations, t
from audit.languages import DEFAULT, LANGUAGES
from audit.locale_files import MessageFileError, add_message, language_problems, read_catalog

TRANSLATED = [lang for lang in LANGUAGES if lang != DEFAULT]


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=TRANSLATED)
def translation(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_language_has_a_file_that_babel_reads(language: str) -> None:
    path = po_path(language)
    assert path.is_file(), path
    assert str(read_catalog(path).locale) == language
    assert language in TRANSLATIONS and TRANSLATIONS[language] == read_translations(path)


def test_every_translation_is_complete_keeps_placeholders_icons_markdown_and_is_translated(translation: str) -> None:
    """Missing keys, stale keys, other placeholders/icons/Markdown, English left in place: each is a failure."""
    assert language_problems(ENGLISH, TRANSLATIONS[translation]) == []


def test_english_has_every_key_with_a_text() -> None:
    assert len(ENGLISH) > 1000 and all(text.strip() for text in ENGLISH.values())


def test_the_check_finds_each_kind_of_problem() -> None:
    """The completeness check itself: a language that misses a key, breaks a placeholder or icon, or stays English."""
    english = {"a.count": "{n} rated", "a.icon": ":material/check: Done", "a.word": "Rated", "a.bold": "**Stop** here",
               "a.same": "Online"}
    broken = {"a.count": "{m} ocenione", "a.icon": "Gotowe", "a.word": "Rated", "a.bold": "Stop tutaj", "a.same": "Online",
              "a.stale": "x"}
    problems = language_problems(english, broken)
    assert [p.split(":")[0] for p in problems] == ["a.stale", "a.count", "a.icon", "a.word", "a.bold"]
    assert "placeholders ['m:'] differ from the English ['n:']" in problems[1]
    fixed = {"a.count": "{n} ocenione", "a.icon": ":material/check: Gotowe", "a.bold": "**Stop** tutaj", "a.same": "Online"}
    assert language_problems(english, fixed) == ["a.word: missing"]


def test_every_translation_gives_the_english_text_to_the_translator(translation: str) -> None:
    catalog = read_catalog(po_path(translation))
    # Babel wraps long comments, so compare the words, not the line breaks.
    wrong = [m.id for m in catalog if m.id and " ".join(m.auto_comments).split() != ENGLISH.get(str(m.id), "").split()]
    assert wrong == []


def test_t_speaks_every_language_and_falls_back_to_english() -> None:
    assert t("app.title", "pl") == "Audyt punktów kontaktu"
    assert t("app.title", "ru") == "Аудит точек контакта"
    assert t("links.rotated", "pl", role=t("role.team", "pl")) == "Link zespołu został zastąpiony. Stary już nie działa."
    assert t("reaction.negative", "pl") == ":material/thumb_down: Negatywna"
    assert t("app.title", "xx") == t("app.title", "en") == "Touchpoint Audit"  # an unknown language -> English
    assert t("no.such.key", "pl") == "no.such.key"  # visible, never a crash


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


def test_demo_texts_come_from_the_language_files() -> None:
    assert demo.BUSINESS["pl"] == "Demo: sklep osiedlowy" and demo.BUSINESS["ru"] == "Демо: магазин у дома"
    assert demo.NAMES["en"] == numbered("demo.rater", "en") and len(demo.NAMES["en"]) == 12
    assert all(len(demo.NAMES[lang]) == len(demo.NAMES["en"]) for lang in LANGUAGES)


def test_the_demo_keeps_the_formula_like_comments_that_test_escaping(translation: str) -> None:
    for reaction, english in demo.COMMENTS["en"].items():
        texts = demo.COMMENTS[translation][reaction]
        assert [text[0] for text in texts if text[0] in "=+-@"] == [text[0] for text in english if text[0] in "=+-@"]


# ---------------------------------------------------------------- adding a key in every language at once


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A copy of the real language files to change."""
    for lang in LANGUAGES:
        target = po_path(lang, tmp_path)
        target.parent.mkdir(parents=True)
        target.write_bytes(po_path(lang).read_bytes())
    return tmp_path


def _keys(locales: Path, lang: str) -> list[str]:
    return [str(m.id) for m in read_catalog(po_path(lang, locales)) if m.id]


def test_add_puts_a_key_in_every_language_next_to_its_relatives(locales: Path) -> None:
    texts = {"en": "{n} left to rate", "ru": "Осталось оценить: {n}", "pl": "Do oceny zostało: {n}"}
    add_message("rate.left_count", texts, languages=LANGUAGES, locales=locales)
    for lang in LANGUAGES:
        found = read_translations(po_path(lang, locales))
        assert found["rate.left_count"] == texts[lang]
        keys = _keys(locales, lang)
        before = keys[keys.index("rate.left_count") - 1]
        assert before.startswith("rate.")  # placed after the last rate.* key, not at the end
        if lang != DEFAULT:
            assert language_problems(read_translations(po_path(DEFAULT, locales)), found) == []
    comment = next(m for m in read_catalog(po_path("pl", locales)) if m.id == "rate.left_count").auto_comments
    assert comment == [texts["en"]]  # the translator sees the English


def test_add_through_the_command_line(locales: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("audit.locale_files.LOCALES", locales)
    argv = ["i18n", "add", "plan.brand_new", "--en", "Brand new", "--ru", "Совсем новое", "--pl", "Zupełnie nowe",
            "--locales", str(locales)]
    assert main(argv) == 0
    assert read_translations(po_path("ru", locales))["plan.brand_new"] == "Совсем новое"
    assert main(argv) == 1  # exists already
    assert main([*argv[:4], "Brand new!", *argv[5:], "--replace"]) == 0
    assert read_translations(po_path("en", locales))["plan.brand_new"] == "Brand new!"


@pytest.mark.parametrize(("texts", "error"), [
    ({"en": "{n} left", "ru": "Осталось {m}", "pl": "Zostało {n}"}, "language ru: placeholders"),
    ({"en": ":material/check: Done", "ru": "Готово", "pl": ":material/check: Gotowe"}, "language ru: icons"),
    ({"en": "Done", "ru": "Готово"}, "no text for pl"),
    ({"en": "Done", "ru": "Готово", "pl": "  "}, "no text for pl"),
])
def test_add_refuses_a_broken_translation_and_writes_nothing(locales: Path, texts: dict[str, str], error: str) -> None:
    before = {lang: po_path(lang, locales).read_bytes() for lang in LANGUAGES}
    with pytest.raises(MessageFileError, match=error):
        add_message("rate.left_count", texts, languages=LANGUAGES, locales=locales)
    assert {lang: po_path(lang, locales).read_bytes() for lang in LANGUAGES} == before
    assert sorted(p.name for p in locales.rglob("*") if p.is_file()) == ["messages.po"] * len(LANGUAGES)  # no temp files


def test_add_refuses_an_existing_key_and_a_bad_key(locales: Path) -> None:
    texts = {"en": "Rate", "ru": "Оценка", "pl": "Ocena"}
    with pytest.raises(MessageFileError, match="exists already"):
        add_message("page.rate", texts, languages=LANGUAGES, locales=locales)
    with pytest.raises(MessageFileError, match="lower-case words joined by dots"):
        add_message("Page Rate", texts, languages=LANGUAGES, locales=locales)
