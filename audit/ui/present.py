"""Presenter mode (owner link): one touchpoint, large, with its live results for the projector."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from audit import services
from audit.i18n import t
from audit.model import Presence, Reaction
from audit.scoring import aggregate, disagreement_list
from audit.services import Store
from audit.services.access import AccessError
from audit.services.permissions import Permission
from audit.ui import common, walk
from audit.ui.board import REFRESH_SECONDS
from audit.ui.text import plain, shorten

COLOURS = {Reaction.POSITIVE: "#2e7d32", Reaction.NEUTRAL: "#9e9e9e", Reaction.NEGATIVE: "#c62828"}


def order(agg: pd.DataFrame) -> list[str]:
    """Discuss-first touchpoints, then the other rated ones, then the rest (catalog order)."""
    first = list(disagreement_list(agg, len(agg)).index)
    rated = [i for i in agg.index[agg["rated"]] if i not in first]
    rest = [i for i in agg.index if i not in first and i not in rated]
    return first + rated + rest


def render() -> None:
    st.set_page_config(layout="wide")
    ctx = common.open_page("present", Permission.VIEW_BOARD)
    lang, clang = ctx.lang, ctx.clang
    data = services.rating.board(ctx.store, ctx.token)
    agg = aggregate(data)
    ids = order(agg)
    if not ids:
        st.info(t("present.empty", lang))
        return
    names = {tp.id: tp.name.get(clang) for tp in data.catalog.touchpoints}
    wanted = st.query_params.get("tp")
    cur = wanted if wanted in names else ids[0]
    key = f"present:{cur}"  # a fresh widget per touchpoint: no value is pushed into a live one

    def picked() -> None:
        chosen = st.session_state.get(key)
        if chosen in names:
            st.query_params["tp"] = chosen

    def move(delta: int) -> None:
        at = ids.index(st.query_params.get("tp", ids[0])) if st.query_params.get("tp") in ids else 0
        st.query_params["tp"] = ids[max(0, min(len(ids) - 1, at + delta))]

    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        st.selectbox(
            t("present.pick", lang), ids, index=ids.index(cur) if cur in ids else 0, key=key, on_change=picked,
            format_func=lambda i: shorten(names.get(i, i), 80), width=520,
        )
        st.button(t("rate.previous", lang), icon=":material/arrow_back:", on_click=move, args=(-1,), key="present_prev")
        st.button(t("rate.next", lang), icon=":material/arrow_forward:", on_click=move, args=(1,), key="present_next")
    slide(ctx.store, ctx.token, cur, lang, clang)


def reaction_chart(live: walk.TouchpointLive, lang: str) -> alt.Chart:
    frame = pd.DataFrame(
        {
            "reaction": [t(f"reaction_word.{r.value}", lang) for r in Reaction],
            "votes": [live.reactions[r] for r in Reaction],
            "colour": [COLOURS[r] for r in Reaction],
            "order": [0, 1, 2],
        }
    )
    base = alt.Chart(frame).encode(
        y=alt.Y("reaction:N", sort=None, title=None, axis=alt.Axis(labelFontSize=22, labelLimit=400)),
        x=alt.X("votes:Q", title=None, axis=alt.Axis(tickMinStep=1, labelFontSize=16)),
    )
    bars = base.mark_bar(height=46).encode(color=alt.Color("colour:N", scale=None, legend=None))
    text = base.mark_text(align="left", dx=8, fontSize=24, fontWeight="bold").encode(text="votes:Q")
    return (bars + text).properties(height=220)


@st.fragment(run_every=REFRESH_SECONDS)
def slide(store: Store, token: str, tp_id: str, lang: str, clang: str) -> None:
    try:
        data = services.rating.board(store, token)
    except AccessError as err:
        st.error(t(err.key, lang), icon=":material/link_off:")
        return
    tp = data.catalog.by_id().get(tp_id)
    if tp is None:
        st.info(t("present.empty", lang))
        return
    live = walk.touchpoint_live(data, tp_id)
    st.caption(t(f"category.{tp.category.value}", lang) + (" · " + plain(tp.group.get(clang)) if tp.group.get(clang) else ""))
    st.title(plain(tp.name.get(clang)), anchor=False)
    if tp.question.get(clang):
        st.header(plain(tp.question.get(clang)), anchor=False, divider="gray")
    with st.container(horizontal=True, gap="medium", key="present_metrics"):
        st.metric(t("present.votes", lang), live.votes, border=True)
        mean = "–" if live.importance_mean is None else f"{live.importance_mean:.1f}"
        st.metric(t("present.importance", lang), mean, border=True)
        for reaction in Reaction:
            st.metric(t(f"reaction.{reaction.value}", lang), live.reactions[reaction], border=True)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.altair_chart(reaction_chart(live, lang), width="stretch")
        presence = " · ".join(f"{t(f'presence.{p.value}', lang)}: {live.presence[p]}" for p in Presence)
        st.caption(presence + (f" · {t('present.na', lang)}: {live.not_applicable}" if live.not_applicable else ""))
    with right:
        st.subheader(t("present.comments", lang), anchor=False)
        if not live.comments and not live.ideas:
            st.caption(t("present.no_comments", lang))
        for who, text in live.comments:
            st.markdown(f"**{plain(who)}:** {plain(text)}")
        if live.ideas:
            st.subheader(t("present.ideas", lang), anchor=False)
            for who, text in live.ideas:
                st.markdown(f"**{plain(who)}:** {plain(text)}")
