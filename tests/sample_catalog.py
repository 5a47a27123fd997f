"""A small bilingual catalog for page tests: one touchpoint of each family, before, during and after."""

from __future__ import annotations

from audit.model import Catalog, Touchpoint


def small_catalog() -> Catalog:
    return Catalog(
        "small", {"en": "Small", "ru": "Маленький"},
        (
            Touchpoint("sign", "office", {"en": "Sign over the door", "ru": "Вывеска"}, stages=("before",), channels=("offline",)),
            Touchpoint("site", "technology", {"en": "Website", "ru": "Сайт"}, stages=("before",), channels=("online",)),
            Touchpoint("call", "staff", {"en": "Phone call", "ru": "Звонок"}, stages=("during",), channels=("offline",)),
            Touchpoint("box", "product", {"en": "Packaging", "ru": "Упаковка"}, stages=("after",), channels=("offline",)),
        ),
    )
