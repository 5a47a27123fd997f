"""The languages the product speaks: one list, in the order they are offered.

Everything that depends on the set of languages (the language switch, the
audit's language, catalog texts, the ``name_<lang>`` columns of catalog files
and score tables) is derived from :data:`LANGUAGES`, and that list is the
gettext files found: ``audit/locales/<code>/LC_MESSAGES/messages.po``, then
those in the folders named by ``AUDIT_LOCALES``. Adding a language is adding
its file (and, if you like, catalog texts); its name in the switch is its own
name from Babel's locale data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from babel import Locale, UnknownLocaleError

DEFAULT = "en"
BUNDLED_ORDER = ("en", "ru", "pl")  # how the bundled languages are offered; any other language found follows, by code
LOCALES = Path(__file__).resolve().parent / "locales"  # the bundled gettext files: <code>/LC_MESSAGES/messages.po
EXTRA_LOCALES = "AUDIT_LOCALES"  # more locale folders, separated by os.pathsep (a new language, no code change)
_CODE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")


def po_file(folder: Path, language: str) -> Path:
    """Where the gettext file of ``language`` lives in a locale folder."""
    return folder / language / "LC_MESSAGES" / "messages.po"


def _found(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if _CODE.fullmatch(p.name) and po_file(folder, p.name).is_file())


def discover(folders: list[Path]) -> Mapping[str, Path]:
    """``{code: .po file}`` of every language in ``folders`` (the first folder that has a language wins), in offer order."""
    files: dict[str, Path] = {}
    for folder in folders:
        for code in _found(folder):
            files.setdefault(code, po_file(folder, code))
    order = {code: i for i, code in enumerate(BUNDLED_ORDER)}
    return MappingProxyType({code: files[code] for code in sorted(files, key=lambda c: (order.get(c, len(order)), c))})


def locale_folders() -> list[Path]:
    """The bundled locale folder, then the folders named in ``AUDIT_LOCALES``."""
    extra = [Path(p).expanduser() for p in os.environ.get(EXTRA_LOCALES, "").split(os.pathsep) if p.strip()]
    return [LOCALES, *extra]


PO_FILES = discover(locale_folders())

LANGUAGES: tuple[str, ...] = tuple(PO_FILES) or (DEFAULT,)


def _own_name(language: str) -> str:
    """The language's name in that language, from Babel's locale data ("Polski"); the code if Babel does not know it."""
    try:
        name = Locale.parse(language).get_display_name(language) or language
    except (UnknownLocaleError, ValueError):
        return language
    return name[:1].upper() + name[1:]


# code -> the language's name in that language (what a person looks for in a switch)
NATIVE_NAMES = MappingProxyType({code: _own_name(code) for code in LANGUAGES})


def native_name(language: str) -> str:
    """``Polski`` for ``pl``; the code itself for a language not in the list."""
    return NATIVE_NAMES.get(language, language)


def supported(language: str | None) -> str:
    """The language if it is in the list, otherwise the default (English)."""
    if language is not None and language in NATIVE_NAMES:
        return language
    return DEFAULT


def text_column(field: str, language: str) -> str:
    """``name_pl``: the column holding ``field`` in ``language`` (files and score tables)."""
    return f"{field}_{supported(language)}"


def text_columns(field: str) -> tuple[str, ...]:
    """``("name_en", "name_ru", "name_pl")``: one column per language, in list order."""
    return tuple(f"{field}_{language}" for language in LANGUAGES)
