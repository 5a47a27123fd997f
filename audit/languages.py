"""The languages the product speaks: one list, in the order they are offered.

Everything that depends on the set of languages (the language switch, the
audit's language, catalog texts, the ``name_<lang>`` columns of catalog files
and score tables) is derived from :data:`LANGUAGES`. Adding a language means
adding it here and giving it its texts (catalogs and ``audit/locales``).
"""

from __future__ import annotations

from types import MappingProxyType

DEFAULT = "en"

# code -> the language's name in that language (what a person looks for in a switch)
NATIVE_NAMES = MappingProxyType({
    "en": "English",
    "ru": "Русский",
    "pl": "Polski",
})

LANGUAGES: tuple[str, ...] = tuple(NATIVE_NAMES)


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
