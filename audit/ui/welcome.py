"""The bare URL: what the tool does, "create an audit", "open with a link"."""

from __future__ import annotations

import streamlit as st

from audit import creation
from audit.i18n import t
from audit.ui import common, nav


def render() -> None:
    lang = common.ui_language()
    common.setup_page(lang)
    with st.container(horizontal=True, horizontal_alignment="right"):
        common.language_switch(lang)
    st.title(t("app.title", lang))
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
