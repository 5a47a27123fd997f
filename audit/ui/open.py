"""Open with a link: paste the link (or just its code) someone sent you."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import streamlit as st

from audit.i18n import t
from audit.ui import common, nav


def token_from(text: str) -> str:
    """The token in a pasted link (``...?t=TOKEN&p=...``) or the pasted code itself."""
    text = (text or "").strip()
    if "t=" in text:
        query = urlsplit(text).query or text.split("?", 1)[-1]
        values = parse_qs(query).get("t")
        if values:
            return values[0].strip()
    return text


def person_from(text: str) -> str | None:
    query = urlsplit((text or "").strip()).query
    values = parse_qs(query).get("p")
    return values[0].strip() if values else None


def render() -> None:
    lang = common.ui_language()
    common.setup_page(lang)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.page_link(nav.BY_KEY["welcome"].file, label=t("invalid.home", lang), icon=":material/home:", query_params={})
        common.language_switch(lang)
    st.title(t("open.title", lang))
    with st.form("open_link"):
        pasted = st.text_input(t("open.paste", lang), max_chars=2000, placeholder="https://…/?t=…")
        go = st.form_submit_button(t("open.go", lang), type="primary")
    if not go:
        return
    value = token_from(pasted)
    db = common.store()
    if not value or (db.resolve_token(value) is None and db.resolve_workspace(value) is None):
        st.error(t("access.link_not_valid", lang), icon=":material/link_off:")
        return
    st.query_params.clear()
    st.query_params["t"] = value
    person = person_from(pasted)
    if person:
        st.query_params["p"] = person
    st.session_state["_goto"] = "home"
    st.rerun()
