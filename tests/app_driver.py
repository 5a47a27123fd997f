"""Driving ``audit_app.py`` through Streamlit AppTest, as a browser would: one copy for every app test.

``audit_app.py`` (and ``common.guarded`` for callbacks) catches a page's exception, logs it and
shows "something went wrong" with ``st.error``: AppTest then sees no exception at all. So
:func:`ok` fails on that message too (in any language), not only on ``at.exception``; a page
that raises on its first line cannot pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from streamlit.testing.v1 import AppTest

from audit.i18n import t
from audit.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "audit_app.py")
TIMEOUT = 60
PAGES = "audit/ui/pages"
TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success", "code")
# The messages of the app's own error handlers; the text before a placeholder is enough to know them.
HANDLER_KEYS = ("error.unexpected_ref", "error.database_ref")


def app(**params: str) -> AppTest:
    """A fresh session of the app with these query parameters (``t=`` the link token), run once, not checked."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def visit(**params: str) -> AppTest:
    """:func:`app`, checked with :func:`ok`."""
    return ok(app(**params))


def run(at: AppTest) -> AppTest:
    """Run again (after an input or a click) and check the outcome."""
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    """The run raised nothing and none of the app's own error handlers showed its message."""
    assert not at.exception, [e.value for e in at.exception]
    shown = handler_errors(at)
    assert not shown, f"the app showed its error handler's message: {shown}"
    return at


def handler_errors(at: AppTest) -> list[str]:
    """The error messages on the page that come from the app's catch-all handlers (any language)."""
    markers = handler_messages()
    return [str(e.value) for e in at.error if any(m in str(e.value) for m in markers)]


def handler_messages() -> set[str]:
    """The app's catch-all messages in every language (the text before any placeholder)."""
    texts = {(key, t(key, lang)) for key in HANDLER_KEYS for lang in LANGUAGES}
    renamed = sorted(key for key, text in texts if text == key)  # t() answers an unknown key with the key itself
    assert not renamed, f"the app's error messages {renamed} are gone: update HANDLER_KEYS"
    return {text.split("{", 1)[0].strip() for _, text in texts}


def texts(at: AppTest, *, raw: bool = False) -> str:
    """Everything written on the page as one string (titles, markdown, captions, alerts, code).

    Markdown escapes are removed (``raw=False``), so the result is what a person reads.
    """
    joined = "\n".join(str(e.value) for kind in TEXT_KINDS for e in at.get(kind))
    return joined if raw else re.sub(r"\\(.)", r"\1", joined)


def open_page(token: str, page: str) -> AppTest:
    """A link opened, then one of its pages (by key: ``plan``, ``results`` ...), both runs checked."""
    at = ok(app(t=token))
    at.switch_page(page_file(page))
    return ok(at.run())


def show_tab(at: AppTest, label: str, key: str = "r_tab") -> AppTest:
    """The page with the tab ``label`` shown (tabs that build only the shown tab, as the results page's), checked."""
    at.session_state[key] = label
    return ok(at.run())


def each_tab(at: AppTest, key: str = "r_tab") -> Iterator[AppTest]:
    """The page with each of its tabs shown in turn (the tabs build only the shown one), then the first again."""
    labels = [tab.label for tab in at.tabs]
    for label in labels:
        yield show_tab(at, label, key)
    show_tab(at, labels[0], key)


def page_file(page: str) -> str:
    return f"{PAGES}/{page}.py"


def menu_pages(at: AppTest) -> list[str]:
    """The pages the top menu offers (URL paths), in order."""
    return [str(link.proto.page) for link in at.get("page_link") if link.proto.page]


def current_menu_page(at: AppTest) -> str | None:
    """The page the top menu marks as the one open (its own link is disabled)."""
    here = [str(link.proto.page) for link in at.get("page_link") if link.proto.disabled]
    return here[0] if here else None
