"""Brainstorm: add a touchpoint the catalog lacks; it joins this audit's catalog for everyone."""

from __future__ import annotations

import streamlit as st

from audit import services
from audit.i18n import t
from audit.model import Category, Channel, Stage
from audit.services.permissions import Permission
from audit.ui import common, errors
from audit.ui.text import plain


def render() -> None:
    ctx = common.open_page("add", Permission.ADD_TOUCHPOINT)
    lang, clang = ctx.lang, ctx.clang
    st.title(t("add.title", lang))
    st.caption(t("add.intro", lang))

    added = st.session_state.pop("_added", None)
    if added:
        st.success(t("add.done", lang, name=plain(added[1])), icon=":material/check_circle:")
        params = {**common.keep_params(), "tp": added[0]}
        st.page_link("audit/ui/pages/rate.py", label=t("add.rate_it", lang), icon=":material/checklist:", query_params=params)

    with st.form("add_touchpoint", clear_on_submit=True):
        category = st.selectbox(
            t("add.category", lang), [c.value for c in Category], format_func=lambda v: t(f"category.{v}", lang),
            key=f"add_category_{lang}",
        )
        name = st.text_input(t("add.name", lang), max_chars=300, placeholder=t("add.name_placeholder", lang))
        question = st.text_input(t("add.question", lang), max_chars=300, placeholder=t("add.question_placeholder", lang))
        stages = st.pills(
            t("rate.filter_stage", lang), [s.value for s in Stage], selection_mode="multi",
            format_func=lambda v: t(f"stage.{v}", lang),
        )
        channels = st.pills(
            t("rate.filter_channel", lang), [c.value for c in Channel], selection_mode="multi",
            format_func=lambda v: t(f"channel.{v}", lang),
        )
        go = st.form_submit_button(t("add.submit", lang), type="primary", icon=":material/add:")
    if go:
        if not (name or "").strip():
            st.error(t("add.need_name", lang), icon=":material/error:")
        else:
            try:
                tp = services.rating.add_touchpoint(
                    ctx.store, ctx.token, st.query_params.get("p"),
                    category=category, name=name, question=question, stages=stages or (), channels=channels or (),
                )
            except Exception as err:  # refused: say why
                errors.show(err, lang, "add")
            else:
                st.session_state["_added"] = (tp.id, tp.name.get(clang))
                st.rerun()

    catalog = common.catalog(ctx)
    mine = [tp for tp in catalog.touchpoints if tp.added_by_team]
    st.subheader(t("add.so_far", lang, n=len(mine)), anchor=False)
    if not mine:
        st.caption(t("add.none_yet", lang))
    for tp in mine:
        st.markdown(f"- **{plain(tp.name.get(clang))}** · {t(f'category.{tp.category.value}', lang)}")
