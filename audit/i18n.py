"""Every string the app shows: ``t(key, lang, **fmt)``.

Texts are data: one gettext file per language,
``audit/locales/<lang>/LC_MESSAGES/messages.po`` (msgid = the message key,
msgstr = the text; English is the source and every other file carries the
English as the ``#.`` comment), read once at import with Babel; no build step.
Values are Markdown written by us (never user text); placeholders use
``str.format`` names, and values put into them by the pages are escaped first
where they come from people. ``tests/test_locales.py`` checks that every
language has every key with the same placeholders, icons and Markdown.

To add a key in every language at once:
``python -m audit i18n add KEY --en "..." --ru "..." --pl "..."`` (see
:mod:`audit.locale_files`).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel.messages.pofile import read_po

from audit.languages import DEFAULT, LANGUAGES, LOCALES, PO_FILES, native_name, po_file


def po_path(language: str, locales: Path = LOCALES) -> Path:
    """Where the gettext file of ``language`` lives (in the bundled folder unless ``locales`` is given)."""
    return po_file(locales, language)


def read_translations(path: Path) -> dict[str, str]:
    """``{key: text}`` from one ``.po`` file; untranslated and fuzzy entries are left out."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and isinstance(message.id, str) and isinstance(message.string, str)
        and message.string and not message.fuzzy
    }


def _load(files: Mapping[str, Path] = PO_FILES) -> Mapping[str, Mapping[str, str]]:
    """Every language's ``.po`` file, read once (read-only afterwards: shared by all users safely)."""
    return MappingProxyType({lang: MappingProxyType(read_translations(path)) for lang, path in files.items() if lang in LANGUAGES})


TRANSLATIONS = _load()
ENGLISH: Mapping[str, str] = TRANSLATIONS.get(DEFAULT, MappingProxyType({}))
KEYS = frozenset(ENGLISH)  # every message key (English is the source language)


def t(key: str, lang: str | None = DEFAULT, /, **fmt: Any) -> str:
    """The message ``key`` in ``lang`` (English if the language or the key in it is missing), formatted with ``fmt``.

    An unknown key returns the key itself, so a missing text is visible but
    never breaks a page.
    """
    text = TRANSLATIONS.get(lang or DEFAULT, ENGLISH).get(key) or ENGLISH.get(key)
    if text is None:
        return key
    return text.format(**fmt) if fmt else text


def language_name(code: str, lang: str) -> str:
    """A language's name in ``lang`` ("Polish" in English); its own name for a language the messages do not name yet."""
    key = f"language.{code}"
    return t(key, lang) if key in KEYS else native_name(code)


def numbered(prefix: str, lang: str) -> list[str]:
    """The texts ``prefix.1``, ``prefix.2``, ... in ``lang``, as many as English has (demo lists)."""
    count = 0
    while f"{prefix}.{count + 1}" in KEYS:
        count += 1
    return [t(f"{prefix}.{n}", lang) for n in range(1, count + 1)]


def placeholders(text: str) -> set[str]:
    """The ``str.format`` field names of ``text``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
