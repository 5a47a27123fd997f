"""The catalog's touchpoints as columns: their names in every language and their attributes, one entry each.

Every analysis starts from these columns (the scores' first columns), so
they are read with one C-level ``map`` per attribute and the names of all
touchpoints are looked up language by language on arrays, not text by text.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np

from audit.columnar import object_array
from audit.languages import DEFAULT, LANGUAGES, text_column
from audit.model import Catalog, Text


def name_columns(names: Sequence[Text], languages: Sequence[str]) -> dict[str, np.ndarray]:
    """``{language: array}``: each text in each language as :meth:`audit.model.Text.each` gives it (the
    language's text, else the default language's, else the first one, else ``""``).

    The texts' pairs are laid end to end once; a language's texts are then one comparison over the codes.
    Texts are as :meth:`audit.model.Text.of` makes them: one non-empty text per language code.
    """
    pairs = list(map(attrgetter("texts"), names))
    lengths = np.fromiter(map(len, pairs), dtype=np.int64, count=len(pairs))
    flat = list(chain.from_iterable(pairs))
    codes = object_array(list(map(itemgetter(0), flat)))
    texts = object_array(list(map(itemgetter(1), flat)))
    owner = np.repeat(np.arange(len(pairs)), lengths)
    fallback = np.full(len(pairs), "", dtype=object)
    some = np.flatnonzero(lengths > 0)
    fallback[some] = texts[(np.cumsum(lengths) - lengths)[some]]  # the first text
    fallback = _in(DEFAULT, codes, texts, owner, fallback)
    return {language: _in(language, codes, texts, owner, fallback) for language in languages}


def _in(language: str, codes: np.ndarray, texts: np.ndarray, owner: np.ndarray, otherwise: np.ndarray) -> np.ndarray:
    """Each owner's text in ``language`` (or ``otherwise``'s entry where it has none)."""
    out = otherwise.copy()
    found = codes == language
    out[owner[found]] = texts[found]
    return out


def touchpoint_columns(catalog: Catalog) -> dict[str, Any]:
    """Names (``name_<language>``, one column per language) and attributes of the catalog's touchpoints."""
    tps = catalog.touchpoints

    def read(name: str) -> list[Any]:
        return list(map(attrgetter(name), tps))

    names = name_columns(read("name"), LANGUAGES)
    return {
        **{text_column("name", lang): names[lang] for lang in LANGUAGES},
        # The attributes are StrEnums: str() and join give their values without Enum's slower .value
        "category": list(map(str, read("category"))),
        "stages": list(map(";".join, read("stages"))),
        "channels": list(map(";".join, read("channels"))),
        "audiences": list(map(";".join, read("audiences"))),
        "attention": [str(v) if v else "" for v in read("attention")],
        "lifetime": [str(v) if v else "" for v in read("lifetime")],
        "added_by_team": np.array(read("added_by_team"), dtype=bool),
    }
