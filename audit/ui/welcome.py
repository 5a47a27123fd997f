"""The bare URL: what the tool does, "create an audit", "open with a link", and a workspace for consultants."""

from __future__ import annotations

import streamlit as st

from audit import creation, services
from audit.i18n import t
from audit.ui import common, errors, nav
from audit.ui.text import plain

FRESH_WORKSPACE = "_fresh_workspace"  # the link of a workspace this browser session just created (never stored)
ERASED = "_erased_audit"  # the name of an audit this session just erased, for one message


def render() -> None:
    lang = common.ui_language()
    common.setup_page(lang)
    with st.container(horizontal=True, horizontal_alignment="right"):
        common.language_switch(lang)
    st.title(t("app.title", lang))
    erased = st.session_state.pop(ERASED, None)
    if erased:
        st.success(t("welcome.erased", lang, name=plain(erased)), icon=":material/delete_forever:")
    st.markdown(t("welcome.lead", lang))
    st.markdown(t("welcome.steps", lang))
    with st.container(horizontal=True, gap="small"):
        if st.button(t("welcome.create", lang), icon=":material/add_business:", type="primary", key="go_create"):
            st.switch_page(nav.BY_KEY["create"].file, query_params={})
        if st.button(t("welcome.open", lang), icon=":material/link:", key="go_open"):
            st.switch_page(nav.BY_KEY["open"].file, query_params={})
    if creation.key_required():
        st.caption(t("welcome.key_needed", lang))
    st.caption(t("welcome.privacy", lang))
    workspace_form(lang)


def workspace_form(lang: str) -> None:
    """For consultants: create a workspace (with the creation key where the server asks for one)."""
    with st.expander(t("welcome.workspace", lang), icon=":material/work:"):
        st.caption(t("welcome.workspace_help", lang))
        with st.form("ws_create", border=False):
            name = st.text_input(t("welcome.workspace_name", lang), max_chars=300, key="ws_name")
            given = st.text_input(t("welcome.workspace_key", lang), type="password", key="ws_key") if creation.key_required() else None
            submitted = st.form_submit_button(t("welcome.workspace_create", lang), icon=":material/work:")
    if not submitted:
        return
    if not (name or "").strip():
        st.error(t("welcome.workspace_need_name", lang), icon=":material/error:")
        return
    if not creation.key_accepted(given):
        st.error(t("create.key_wrong", lang), icon=":material/error:")
        return
    try:
        _workspace, link = services.workspaces.create_workspace(common.store(), name=name)
    except Exception as err:  # a name the model refuses: a clear message, nothing created
        errors.show(err, lang, "welcome")
        return
    st.session_state[FRESH_WORKSPACE] = link
    st.query_params.clear()
    st.query_params["t"] = link
    st.session_state["_goto"] = "home"  # the link's home: the workspace page
    st.rerun()
