"""The message catalogue: both languages complete, placeholders aligned, every key used exists."""

from __future__ import annotations

import re
from pathlib import Path

from audit.i18n import LANGUAGES, MESSAGES, placeholders, t
from audit.model import Category, Channel, Presence, Reaction, Role, Stage
from audit.ui import nav

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "audit_app.py", *sorted((ROOT / "audit" / "ui").glob("*.py"))]


def test_english_and_russian_are_complete_in_the_message_table() -> None:
    """English and Russian live in MESSAGES; every other language has its own file (tests/test_locales.py)."""
    missing = [(key, lang) for key, entry in MESSAGES.items() for lang in ("en", "ru") if not entry.get(lang, "").strip()]
    assert missing == []
    extra = [key for key, entry in MESSAGES.items() if set(entry) - {"en", "ru"}]
    assert extra == []


def test_every_language_uses_the_same_placeholders() -> None:
    wrong = {key: {lang: placeholders(t(key, lang)) for lang in LANGUAGES} for key, entry in MESSAGES.items()
             if any(placeholders(t(key, lang)) != placeholders(entry["en"]) for lang in LANGUAGES)}
    assert wrong == {}


def test_russian_texts_are_russian() -> None:
    """A Russian text that is identical to the English one is a forgotten translation (icons excepted)."""
    same = [k for k, e in MESSAGES.items() if e["en"] == e["ru"] and re.search(r"[A-Za-z]{3}", e["en"])]
    assert same == []


def test_t_formats_and_falls_back() -> None:
    assert t("rate.progress_overall", "en", done=3, total=10) == "Rated 3 of 10"
    assert t("rate.progress_overall", "ru", done=3, total=10) == "Оценено 3 из 10"
    assert t("rate.progress_overall", "pl", done=3, total=10) == "Ocenione: 3 z 10"
    assert t("rate.next", "de") == t("rate.next", "en")  # unknown language -> English
    assert t("no.such.key", "ru") == "no.such.key"  # visible, never a crash


def test_every_literal_key_used_in_the_ui_exists() -> None:
    used: set[str] = set()
    for path in SOURCES:
        used.update(re.findall(r"\bt\(\s*[\"']([a-z_]+\.[a-z_.\-]+)[\"']", path.read_text(encoding="utf-8")))
    assert used, "no keys found: the pattern is wrong"
    assert sorted(used - set(MESSAGES)) == []


def test_every_generated_key_exists() -> None:
    """Keys built from values (category.office, reaction.negative, page.board, ...)."""
    families = {
        "category": [c.value for c in Category],
        "stage": [s.value for s in Stage],
        "channel": [c.value for c in Channel],
        "presence": [p.value for p in Presence],
        "reaction": [r.value for r in Reaction],
        "reaction_word": [r.value for r in Reaction],
        "presence_word": [p.value for p in Presence],
        "role": [r.value for r in Role],
        "status": ["new", "partial", "done", "skipped"],
        "page": [p.key for p in nav.PAGES],
        "language": list(LANGUAGES),
        "links": [r.value for r in Role] + [f"{r.value}_help" for r in Role] + [f"rotate_help_{r.value}" for r in Role],
        "create": ["source_bundled", "source_upload"],
    }
    missing = [f"{fam}.{v}" for fam, values in families.items() for v in values if f"{fam}.{v}" not in MESSAGES]
    assert missing == []


def test_reactions_are_told_by_icon_and_word_not_colour_alone() -> None:
    for reaction in Reaction:
        for lang in LANGUAGES:
            text = t(f"reaction.{reaction.value}", lang)
            icon, word = text.split(" ", 1)  # ":material/<icon>: <word>"
            assert re.fullmatch(r":material/[a-z_]+:", icon), text
            assert word == t(f"reaction_word.{reaction.value}", lang) and re.fullmatch(r"\w{4,}", word), text
