"""The message catalogue as the pages use it: every key used exists, fallbacks, icons with words.

Completeness of every language file is tests/test_locales.py."""

from __future__ import annotations

import re
from pathlib import Path

from audit.i18n import KEYS, LANGUAGES, t
from audit.model import Category, Channel, Presence, Reaction, Role, Stage
from audit.ui import nav

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "audit_app.py", *sorted((ROOT / "audit" / "ui").glob("*.py"))]


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
    assert sorted(used - KEYS) == []


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
    missing = [f"{fam}.{v}" for fam, values in families.items() for v in values if f"{fam}.{v}" not in KEYS]
    assert missing == []


def test_reactions_are_told_by_icon_and_word_not_colour_alone() -> None:
    for reaction in Reaction:
        for lang in LANGUAGES:
            text = t(f"reaction.{reaction.value}", lang)
            icon, word = text.split(" ", 1)  # ":material/<icon>: <word>"
            assert re.fullmatch(r":material/[a-z_]+:", icon), text
            assert word == t(f"reaction_word.{reaction.value}", lang) and re.fullmatch(r"\w{4,}", word), text
