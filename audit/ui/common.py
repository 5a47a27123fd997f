"""What every page shares: the store, the link in the URL, the language, the top menu."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from audit import services
from audit.handoff.vault import redact_secrets
from audit.i18n import LANGUAGES, t
from audit.languages import native_name, supported
from audit.model import Audit, Catalog
from audit.qr import qr_png
from audit.services import Access, Store
from audit.services.access import LinkNotValid, NotAllowed
from audit.services.permissions import Permission
from audit.store.config import database_url
from audit.ui import nav

log = logging.getLogger("audit.ui")

# Static CSS only (never user text): long words wrap instead of widening the page.
_CSS = """
<style>
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], [data-testid="stText"],
[data-testid="stAlertContainer"], [data-testid="stHeadingWithActionElements"] {
  overflow-wrap: anywhere; word-break: break-word;
}
[data-testid="stCode"] pre, [data-testid="stCode"] code { white-space: pre-wrap !important; word-break: break-all; }
.block-container { padding-top: 2.2rem; }
/* The room's invisible helpers (audit/ui/card): they take no space. */
.st-key-tpa_follow, [class*="st-key-tpa_recall"] { display: none; }
</style>
"""


# ------------------------------------------------------------------ shared resources


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    """One Store (engine + pool) per database URL and process; it is thread-safe."""
    return Store(url)


def store() -> Store:
    return _open_store(database_url())


def store_at(url: str) -> Store:
    """The shared Store of a database URL (for cached functions keyed by the URL)."""
    return _open_store(url)


@st.cache_resource(show_spinner=False, max_entries=64)
def _catalog(url: str, audit_id: str, version: str) -> Catalog:
    """Parsed catalog copies, shared read-only (records are frozen); the version key sees additions."""
    return _open_store(url).catalog(audit_id)


def catalog_at(url: str, audit_id: str, version: str) -> Catalog:
    """The parsed catalog of an audit at a fingerprint the caller read while checking the link."""
    return _catalog(url, audit_id, version)


def catalog_for(db: Store, token_value: str | None) -> Catalog:
    """The catalog of the audit this link opens (the role is checked), parsed once per version."""
    audit_id, version = services.audits.catalog_version(db, token_value)
    return _catalog(db.url, audit_id, version)


def catalog(ctx: PageContext) -> Catalog:
    return catalog_for(ctx.store, ctx.token)


# ------------------------------------------------------------------ URL, language


def token() -> str | None:
    value = st.query_params.get("t")
    return value or None


def ui_language(audit_language: str | None = None) -> str:
    chosen = st.session_state.get("ui_lang")
    if chosen in LANGUAGES:
        return chosen
    if audit_language in LANGUAGES:
        return audit_language
    try:
        locale = (st.context.locale or "").lower()
    except Exception:  # no browser context (tests)
        locale = ""
    return supported(locale[:2])  # the browser's language if we speak it, else English


def keep_params(*names: str) -> dict[str, str]:
    """The current query parameters worth carrying to another page (token, person)."""
    names = names or ("t", "p")
    return {n: st.query_params[n] for n in names if st.query_params.get(n)}


def base_url() -> str:
    """The app's address as people's browsers see it (``AUDIT_PUBLIC_URL`` overrides)."""
    configured = os.environ.get("AUDIT_PUBLIC_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    try:
        url = st.context.url or ""
    except Exception:
        url = ""
    if not url:
        return "http://localhost:8501"
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1] if path else ""
    if last in nav.BY_KEY:
        path = path[: -len(last)].rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")).rstrip("/")


def link(token_value: str, participant_id: str | None = None) -> str:
    params = {"t": token_value}
    if participant_id:
        params["p"] = participant_id
    return f"{base_url()}/?{urlencode(params)}"


_URL_PASSWORD = re.compile(r"(://[^/\s:@]+:)[^@\s/]+@")


def redact(text: str) -> str:
    """Remove the current token and participant id, database passwords and any CRM secret from a text before it is logged."""
    for name in ("t", "p"):
        value = st.query_params.get(name)
        if value:
            text = text.replace(value, "***")
    return redact_secrets(_URL_PASSWORD.sub(r"\1***@", text))


# ------------------------------------------------------------------ page frame


@dataclass
class PageContext:
    store: Store
    token: str
    access: Access
    audit: Audit
    lang: str  # the UI language

    @property
    def clang(self) -> str:
        """The catalog's language: it follows the audit."""
        return self.audit.language


# Streamlit writes a few texts of its own in English: the file uploader's button and drop zone (ours replace
# them) and the "Press Enter to apply" keyboard hint under text boxes (hidden; the character count stays).
_UPLOADER_CSS = """
<style>
[data-testid="InputInstructions"] > span:not(:last-child), [data-testid="InputInstructions"] > span:only-child {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{ content: {button}; font-size: 1rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {drop}; font-size: 0.875rem; }}
</style>
"""


def css_text(text: str) -> str:
    """``text`` as a quoted CSS string (for ``content:``): quotes, backslashes and ``<`` escaped."""
    escaped = text.replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ").replace("\n", " ")
    return f'"{escaped}"'


def setup_page(lang: str) -> None:
    """Our static style sheet (no user text in it, ever), and the uploader's texts in ``lang``."""
    st.html(_CSS + _UPLOADER_CSS.format(button=css_text(t("ui.upload_button", lang)), drop=css_text(t("ui.upload_drop", lang))))


def language_switch(lang: str) -> None:
    def changed() -> None:
        picked = st.session_state.get("_lang_pick")
        if picked in LANGUAGES:
            st.session_state["ui_lang"] = picked

    st.segmented_control(
        t("ui.language", lang),
        list(LANGUAGES),
        default=lang,
        format_func=native_name,  # each language in its own words: "Polski", "Русский"
        key="_lang_pick",
        on_change=changed,
        label_visibility="collapsed",
        required=True,
    )


def menu(page_key: str, lang: str, role: Any, audit: Audit | None = None) -> None:
    """The top menu: pages of the role, carrying the link and person in the URL; the language."""
    setup_page(lang)
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="top_menu"):
        for spec in nav.menu(role, audit):
            st.page_link(
                spec.file,
                label=t(f"page.{spec.key}", lang),
                icon=spec.icon,
                query_params=keep_params(),
                disabled=spec.key == page_key,
            )
        language_switch(lang)


def open_page(page_key: str, need: Permission) -> PageContext:
    """Check the link in the URL for ``need``; on failure show why and stop the page."""
    db = store()
    value = token()
    try:
        acc, audit = services.audits.audit(db, value, need)
    except LinkNotValid:
        lang = ui_language()
        setup_page(lang)
        invalid_link(lang)
        st.stop()
    except NotAllowed:  # only reachable when a page is run outside its role's navigation
        acc0 = db.resolve_token(value)
        audit0 = db.get_audit(acc0.audit_id) if acc0 else None
        lang = ui_language(audit0.language if audit0 else None)
        setup_page(lang)
        language_switch(lang)
        st.error(t("access.not_allowed", lang), icon=":material/block:")
        st.stop()
    lang = ui_language(audit.language)
    menu(page_key, lang, acc.role, audit)
    assert value is not None  # access.audit refused a missing token above
    return PageContext(db, value, acc, audit, lang)


def forward_home() -> None:
    """The root page of a link: ``audit_app.py`` forwards to the role's home before this runs."""
    st.stop()


def invalid_link(lang: str) -> None:
    with st.container(horizontal=True, horizontal_alignment="right"):
        language_switch(lang)
    st.title(t("invalid.title", lang))
    st.error(t("access.link_not_valid", lang), icon=":material/link_off:")
    st.markdown(t("invalid.body", lang))
    with st.container(horizontal=True):
        st.page_link(nav.BY_KEY["open"].file, label=t("welcome.open", lang), icon=":material/link:", query_params={})
        st.page_link(nav.BY_KEY["welcome"].file, label=t("invalid.home", lang), icon=":material/home:", query_params={})


@st.cache_resource(show_spinner=False, max_entries=256)
def _qr_png(url: str) -> bytes:
    """QR images are pure functions of the link: draw each once (kept in memory only)."""
    return qr_png(url, scale=8)


def qr(url: str, caption: str | None = None, width: int = 200) -> None:
    st.image(_qr_png(url), width=width, caption=caption)
