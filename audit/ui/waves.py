"""Audit waves (owner link): what each wave holds, and starting the next one.

A new wave keeps the catalog copy, the links and the plan; its ratings,
shopper visits and competitor notes start empty. The results page compares
the waves.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from audit import services
from audit.i18n import t
from audit.services.permissions import Permission
from audit.ui import common, errors, nav
from audit.ui.common import PageContext

STARTED = "_wave_started"


def _start(ctx: PageContext, current: int) -> None:
    audit = errors.guarded(ctx.lang, lambda: services.results.start_wave(ctx.store, ctx.token, current))
    if audit is not None:
        st.session_state[STARTED] = audit.wave
    st.session_state["w_sure"] = False


def render() -> None:
    ctx = common.open_page("waves", Permission.MANAGE_WAVES)
    lang = ctx.lang
    errors.flash()
    audit, counts = services.results.wave_counts(ctx.store, ctx.token)
    st.title(t("waves.title", lang))
    st.caption(t("waves.intro", lang))
    started = st.session_state.pop(STARTED, None)
    if started:
        st.success(t("waves.started", lang, wave=started), icon=":material/event_repeat:")

    st.metric(t("waves.current", lang), audit.wave, border=True, width="content")
    table = pd.DataFrame(
        {
            t("waves.col_wave", lang): [t("results.wave_n", lang, wave=w) for w in range(1, audit.wave + 1)],
            t("waves.col_ratings", lang): [counts.get(w, {}).get("ratings", 0) for w in range(1, audit.wave + 1)],
            t("waves.col_raters", lang): [counts.get(w, {}).get("raters", 0) for w in range(1, audit.wave + 1)],
            t("waves.col_visits", lang): [counts.get(w, {}).get("visits", 0) for w in range(1, audit.wave + 1)],
            t("waves.col_notes", lang): [counts.get(w, {}).get("competitor_notes", 0) for w in range(1, audit.wave + 1)],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="w_counts")
    if audit.wave > 1:
        st.page_link(nav.BY_KEY["results"].file, label=t("waves.see_results", lang), icon=nav.BY_KEY["results"].icon,
                     query_params=common.keep_params())

    with st.container(border=True, key="w_next"):
        st.subheader(t("waves.next_title", lang, wave=audit.wave + 1), anchor=False)
        st.markdown(t("waves.next_body", lang))
        if not counts.get(audit.wave, {}).get("ratings"):
            st.warning(t("waves.current_empty", lang, wave=audit.wave), icon=":material/warning:")
        sure = st.checkbox(t("waves.next_sure", lang, wave=audit.wave + 1), key="w_sure")
        st.button(t("waves.next_button", lang, wave=audit.wave + 1), type="primary", disabled=not sure, key="w_start",
                  on_click=_start, args=(ctx, audit.wave), icon=":material/event_repeat:")
