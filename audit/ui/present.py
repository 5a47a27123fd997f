"""Presenter mode (owner link): one touchpoint, large, with its live results for the projector.

The facilitator also drives the room from here: "Team follows me" moves
every team member's card to the touchpoint on screen (within about a second;
people can leave and come back), an optional countdown shows on every card,
"Discussed" marks the touchpoint, and the anonymous mode hides names beside
comments and ideas on the projector.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from audit import services
from audit.i18n import t
from audit.model import Presence, Reaction, Room
from audit.numbers import decimal
from audit.services import Store
from audit.services.permissions import Permission
from audit.ui import common, errors, walk
from audit.ui.board import REFRESH_SECONDS, view
from audit.ui.text import plain, shorten

COLOURS = {Reaction.POSITIVE: "#2e7d32", Reaction.NEUTRAL: "#9e9e9e", Reaction.NEGATIVE: "#c62828"}


def render() -> None:
    st.set_page_config(layout="wide")
    ctx = common.open_page("present", Permission.VIEW_BOARD)
    lang, clang = ctx.lang, ctx.clang
    state = services.room.board_state(ctx.store, ctx.token)
    board = view(ctx.store.url, ctx.token, state.version, lang, clang)
    ids = board.snapshot.order(state.discussed)
    if not ids:
        st.info(t("present.empty", lang))
        return
    catalog = common.catalog(ctx)
    names = {tp.id: tp.name.get(clang) for tp in catalog.touchpoints}
    wanted = st.query_params.get("tp")
    cur = wanted if wanted in names else ids[0]
    _moves(ctx.store, ctx.token, ids, names, cur, state.room, lang)
    _room_controls(ctx.store, ctx.token, cur, state.room, state.discussed, lang)
    slide(ctx.store, ctx.token, cur, lang, clang)


def _go(db: Store, token: str, touchpoint_id: str, lang: str) -> None:
    st.query_params["tp"] = touchpoint_id
    if st.session_state.get("_present_leading"):
        errors.guarded(lang, lambda: services.room.lead(db, token, touchpoint_id))


def _moves(db: Store, token: str, ids: list[str], names: dict[str, str], cur: str, room: Room, lang: str) -> None:
    key = f"present:{cur}"  # a fresh widget per touchpoint: no value is pushed into a live one
    st.session_state["_present_leading"] = room.follow is not None

    def picked() -> None:
        chosen = st.session_state.get(key)
        if chosen in names:
            _go(db, token, chosen, lang)

    def move(delta: int) -> None:
        at = ids.index(st.query_params.get("tp", ids[0])) if st.query_params.get("tp") in ids else 0
        _go(db, token, ids[max(0, min(len(ids) - 1, at + delta))], lang)

    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        st.selectbox(
            t("present.pick", lang), ids, index=ids.index(cur) if cur in ids else 0, key=key, on_change=picked,
            format_func=lambda i: shorten(names.get(i, i), 80), width=520,
        )
        st.button(t("rate.previous", lang), icon=":material/arrow_back:", on_click=move, args=(-1,), key="present_prev")
        st.button(t("rate.next", lang), icon=":material/arrow_forward:", on_click=move, args=(1,), key="present_next")


def _room_controls(db: Store, token: str, cur: str, room: Room, discussed: frozenset[str], lang: str) -> None:
    def lead() -> None:
        on = bool(st.session_state.get("present_follow"))
        errors.guarded(lang, lambda: services.room.lead(db, token, cur if on else None))

    def countdown(seconds: int | None) -> None:
        errors.guarded(lang, lambda: services.room.countdown(db, token, seconds))

    def mark(done: bool) -> None:
        errors.guarded(lang, lambda: services.room.mark_discussed(db, token, cur, done))

    def anonymous() -> None:
        errors.guarded(lang, lambda: services.room.set_anonymous(db, token, bool(st.session_state.get("present_anonymous"))))

    errors.flash()
    with st.container(horizontal=True, vertical_alignment="center", gap="medium", key="present_room"):
        st.toggle(t("present.follow_me", lang), value=room.follow is not None, key="present_follow", on_change=lead,
                  help=t("present.follow_me_help", lang))
        seconds = st.number_input(t("present.countdown_seconds", lang), 5, 3600, 60, step=15, key="present_seconds", width=150)
        if room.countdown_end is None:
            st.button(t("present.countdown_start", lang), icon=":material/timer:", key="present_countdown",
                      on_click=countdown, args=(int(seconds),))
        else:
            st.button(t("present.countdown_stop", lang), icon=":material/timer_off:", key="present_countdown_stop",
                      on_click=countdown, args=(None,))
        done = cur in discussed
        st.button(t("present.undiscussed" if done else "present.mark_discussed", lang), icon=":material/task_alt:",
                  key="present_discussed", on_click=mark, args=(not done,), type="secondary" if done else "primary")
        st.toggle(t("present.anonymous", lang), value=room.anonymous, key="present_anonymous", on_change=anonymous)


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
    """The projected touchpoint, refreshed every few seconds; a failure is shown in place and logged once per kind."""
    with errors.handled(lang, "presenter"):
        _slide(store, token, tp_id, lang, clang)


def _slide(store: Store, token: str, tp_id: str, lang: str, clang: str) -> None:
    ratings, names = services.room.touchpoint_answers(store, token, tp_id)
    state = services.room.board_state(store, token)
    tp = common.catalog_for(store, token).by_id().get(tp_id)
    if tp is None:
        st.info(t("present.empty", lang))
        return
    live = walk.live_from(ratings, names, tp_id)
    head = t(f"category.{tp.category.value}", lang) + (" · " + plain(tp.group.get(clang)) if tp.group.get(clang) else "")
    if tp_id in state.discussed:
        head += " · " + t("board.discussed", lang)
    st.caption(head)
    st.title(plain(tp.name.get(clang)), anchor=False)
    if tp.question.get(clang):
        st.header(plain(tp.question.get(clang)), anchor=False, divider="gray")
    with st.container(horizontal=True, gap="medium", key="present_metrics"):
        st.metric(t("present.votes", lang), live.votes, border=True)
        mean = "–" if live.importance_mean is None else decimal(live.importance_mean, lang)
        st.metric(t("present.importance", lang), mean, border=True)
        for reaction in Reaction:
            st.metric(t(f"reaction.{reaction.value}", lang), live.reactions[reaction], border=True)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.altair_chart(reaction_chart(live, lang), width="stretch")
        presence = " · ".join(f"{t(f'presence.{p.value}', lang)}: {live.presence[p]}" for p in Presence)
        st.caption(presence + (f" · {t('present.na', lang)}: {live.not_applicable}" if live.not_applicable else ""))
    with right:
        _remarks(live, anonymous=state.room.anonymous, lang=lang)


def _remarks(live: walk.TouchpointLive, *, anonymous: bool, lang: str) -> None:
    """Comments and ideas; in the anonymous mode without names."""

    def line(who: str, text: str) -> str:
        return f"– {plain(text)}" if anonymous else f"**{plain(who)}:** {plain(text)}"

    st.subheader(t("present.comments", lang), anchor=False)
    if not live.comments and not live.ideas:
        st.caption(t("present.no_comments", lang))
    for who, text in live.comments:
        st.markdown(line(who, text))
    if live.ideas:
        st.subheader(t("present.ideas", lang), anchor=False)
        for who, text in live.ideas:
            st.markdown(line(who, text))
