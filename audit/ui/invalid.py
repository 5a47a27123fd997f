"""A garbage, unknown or rotated token: say so clearly, offer a way on."""

from __future__ import annotations

from audit.ui import common


def render() -> None:
    lang = common.ui_language()
    common.setup_page(lang)
    common.invalid_link(lang)
