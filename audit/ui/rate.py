"""The rating walk-through (team link): one touchpoint at a time, every answer saved at once.

The person is in the URL (``p``), and so is the touchpoint they are on
(``tp``): a refresh, a lost connection or a second device with the same link
continues where they were. The card is a fragment, so a click on it reruns
only the card; the whole page reruns when progress changes or the person
moves on.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

import streamlit as st

from audit import services
from audit.i18n import t
from audit.model import Catalog, Category, Channel, Participant, Presence, Rating, Reaction, Stage, Touchpoint
from audit.services.access import NotAParticipant
from audit.services.permissions import Permission
from audit.ui import common, walk
from audit.ui.common import PageContext
from audit.ui.text import plain, shorten

MARK = {"done": "✓", "partial": "◐", "skipped": "–", "new": "○"}
MINE = "_mine"  # this person's answers, by touchpoint id (per browser session)
FULL_RERUN = "_rate_full_rerun"


def render() -> None:
    st.session_state.pop(FULL_RERUN, None)  # this run redraws everything anyway
    ctx = common.open_page("rate", Permission.RATE)
    common.flash()
    person = _person(ctx)
    if person is None:
        return
    catalog = common.catalog(ctx)
    mine = services.rating.my_ratings(ctx.store, ctx.token, person.id)
    st.session_state[MINE] = mine
    lang, clang = ctx.lang, ctx.clang

    st.header(plain(ctx.audit.name), anchor=False)
    st.caption(t("rate.you_are", lang, name=plain(person.name)))

    chosen = _filters(lang)
    touchpoints = walk.select(catalog, *chosen)
    cur = walk.current(touchpoints, mine, st.query_params.get("tp"))
    _progress(catalog, touchpoints, mine, lang, filtered=any(chosen), here=catalog.by_id()[cur].category if cur else None)
    if cur:
        st.session_state["_walk_list"] = [tp.id for tp in touchpoints]
        if st.query_params.get("tp") != cur:
            st.query_params["tp"] = cur
        _jump(touchpoints, mine, cur, lang, clang)
        card(ctx.token, person.id, catalog.by_id()[cur], lang, clang)
        _moves(touchpoints, cur, lang)
    else:
        st.info(t("rate.nothing_matches", lang))
    _by_category(catalog, mine, lang)
    _personal_link(ctx, person)
    st.page_link(
        "audit/ui/pages/add.py", label=t("rate.missing_one", lang), icon=":material/add_circle:", query_params=common.keep_params()
    )


# ------------------------------------------------------------------ the person


def _person(ctx: PageContext) -> Participant | None:
    lang = ctx.lang
    pid = st.query_params.get("p")
    if pid:
        try:
            return services.access.rater(ctx.store, ctx.access, pid)
        except NotAParticipant:
            st.warning(t("access.not_participant", lang), icon=":material/person_off:")
            del st.query_params["p"]
    st.title(plain(ctx.audit.name))
    st.markdown(t("rate.join_intro", lang))
    with st.form("join", border=True):
        name = st.text_input(t("rate.your_name", lang), max_chars=120, placeholder=t("rate.name_placeholder", lang))
        go = st.form_submit_button(t("rate.start", lang), type="primary")
    if go:
        try:
            person = services.rating.join(ctx.store, ctx.token, name)
        except Exception as err:  # refused: show why, keep the form
            common.report(err, lang)
            return None
        st.query_params["p"] = person.id
        st.query_params.pop("tp", None)
        st.rerun()
    return None


def _personal_link(ctx: PageContext, person: Participant) -> None:
    with st.expander(t("rate.other_device", ctx.lang), icon=":material/devices:"):
        url = common.link(ctx.token, person.id)
        st.caption(t("rate.other_device_help", ctx.lang))
        st.code(url, language=None, wrap_lines=True)
        common.qr(url, width=180)


# ------------------------------------------------------------------ filters, progress, moving


def _filters(lang: str) -> tuple[list[str], list[str], list[str]]:
    with st.expander(t("rate.filter", lang), icon=":material/filter_list:"):
        cats = st.pills(
            t("rate.filter_category", lang), [c.value for c in Category], selection_mode="multi",
            format_func=lambda v: t(f"category.{v}", lang), key="f_cat",
        )
        stages = st.pills(
            t("rate.filter_stage", lang), [s.value for s in Stage], selection_mode="multi",
            format_func=lambda v: t(f"stage.{v}", lang), key="f_stage",
        )
        channels = st.pills(
            t("rate.filter_channel", lang), [c.value for c in Channel], selection_mode="multi",
            format_func=lambda v: t(f"channel.{v}", lang), key="f_channel",
        )
    return list(cats or []), list(stages or []), list(channels or [])


def _progress(
    catalog: Catalog, touchpoints: list[Touchpoint], mine: dict[str, Rating], lang: str, *, filtered: bool, here: Category | None
) -> None:
    overall = walk.progress(catalog.touchpoints, mine)
    text = t("rate.progress_overall", lang, done=overall.done, total=overall.total)
    if here is not None:
        part = walk.progress([tp for tp in catalog.touchpoints if tp.category is here], mine)
        text += " · " + t("rate.progress_category", lang, category=t(f"category.{here.value}", lang), done=part.done, total=part.total)
    st.progress(overall.share, text=text)
    if filtered:
        selection = walk.progress(touchpoints, mine)
        st.caption(t("rate.progress_selection", lang, done=selection.done, total=selection.total))


def _by_category(catalog: Catalog, mine: dict[str, Rating], lang: str) -> None:
    with st.expander(t("rate.progress_by_category", lang), icon=":material/bar_chart:"):
        for category, part in walk.progress_by_category(catalog.touchpoints, mine).items():
            label = t("rate.progress_category", lang, category=t(f"category.{category.value}", lang), done=part.done, total=part.total)
            st.progress(part.share, text=label)


def _go(touchpoint_id: str | None) -> None:
    if touchpoint_id:
        st.query_params["tp"] = touchpoint_id


def _jump(touchpoints: list[Touchpoint], mine: dict[str, Rating], cur: str, lang: str, clang: str) -> None:
    labels = {
        tp.id: f"{MARK[walk.status(mine.get(tp.id))]} {i}. {shorten(tp.name.get(clang), 70)}"
        for i, tp in enumerate(touchpoints, start=1)
    }
    # A select box matches the browser's choice by its label, and the labels change as answers come in
    # (the marks). So the key names the current touchpoint and the labels: any change makes a fresh
    # widget at the right place, and a stale choice from the browser can never be read back.
    ids = list(labels)
    key = f"jump:{cur}:{zlib.crc32(chr(10).join(labels.values()).encode()):08x}"

    def jumped() -> None:
        chosen = st.session_state.get(key)
        if chosen in labels:
            _go(chosen)
    st.selectbox(t("rate.jump", lang), ids, index=ids.index(cur), format_func=labels.__getitem__, key=key, on_change=jumped)


def _moves(touchpoints: list[Touchpoint], cur: str, lang: str) -> None:
    def move(delta: int) -> None:
        _go(walk.step(touchpoints, st.query_params.get("tp"), delta))

    def unrated() -> None:
        target = walk.next_unrated(touchpoints, st.session_state.get(MINE, {}), st.query_params.get("tp"))
        if target is None:
            st.session_state["_all_done"] = True
        _go(target)

    at = walk.position(touchpoints, cur) or 0
    with st.container(horizontal=True, gap="small", key="moves"):
        st.button(t("rate.previous", lang), icon=":material/arrow_back:", on_click=move, args=(-1,), disabled=at == 0, key="prev")
        st.button(t("rate.next", lang), icon=":material/arrow_forward:", on_click=move, args=(1,), disabled=at >= len(touchpoints) - 1, key="next")
        st.button(t("rate.next_unrated", lang), icon=":material/skip_next:", on_click=unrated, type="primary", key="next_unrated")
    if st.session_state.pop("_all_done", False):
        st.success(t("rate.all_done", lang), icon=":material/celebration:")


# ------------------------------------------------------------------ the card


def _save(token: str, pid: str, tp_id: str, part: str, key: str | None, value: Any, lang: str) -> None:
    """Callback: save one part of the answer now (and only that part)."""
    if key is not None:
        value = st.session_state.get(key)
    if part == "importance" and value is not None:
        value = int(value)
    if part in ("comment", "idea"):
        value = value or ""
    db = common.store()

    def work() -> Rating:
        return services.rating.save_answer(db, token, pid, tp_id, common.catalog_for(db, token), **{part: value})

    mine = st.session_state.setdefault(MINE, {})
    before = mine.get(tp_id)
    saved = common.guarded(lang, work)
    if saved is None:
        st.session_state[FULL_RERUN] = True
        return
    mine[tp_id] = saved
    st.session_state["_saved"] = (tp_id, part, dt.datetime.now().strftime("%H:%M:%S"))
    if walk.status(before) != walk.status(saved):
        st.session_state[FULL_RERUN] = True  # progress and marks changed: redraw the page


def _skip(token: str, pid: str, tp_id: str, lang: str, skip: bool) -> None:
    _save(token, pid, tp_id, "not_applicable", None, skip, lang)
    if skip and st.session_state.get("_saved", ("",))[0] == tp_id:
        touchpoints = st.session_state.get("_walk_list", [])
        mine = st.session_state.get(MINE, {})
        following = [x for x in touchpoints if x != tp_id and not walk.is_done(mine.get(x))]
        if following:
            order = touchpoints.index(tp_id) if tp_id in touchpoints else -1
            after = [x for x in touchpoints[order + 1 :] if x in following]
            _go((after or following)[0])
    st.session_state[FULL_RERUN] = True


@st.fragment
def card(token: str, pid: str, tp: Touchpoint, lang: str, clang: str) -> None:
    if st.session_state.pop(FULL_RERUN, False):
        st.rerun(scope="app")
    rating = st.session_state.get(MINE, {}).get(tp.id)
    with st.container(border=True, key="card"):
        head = f"{t(f'category.{tp.category.value}', lang)}"
        group = tp.group.get(clang)
        st.caption(plain(f"{head} · {group}" if group else head))
        if tp.added_by_team:
            st.badge(t("rate.added_by_team", lang), icon=":material/group_add:", color="violet")
        st.subheader(plain(tp.name.get(clang)), anchor=False)
        question = tp.question.get(clang)
        if question:
            st.markdown(f"**{t('rate.look_at', lang)}** {plain(question)}")
        tags = [t(f"stage.{s.value}", lang) for s in tp.stages] + [t(f"channel.{c.value}", lang) for c in tp.channels]
        if tags:
            st.caption(" · ".join(tags))

        args = (token, pid, tp.id)
        if rating is not None and rating.not_applicable:
            st.info(t("rate.marked_na", lang), icon=":material/block:")
            st.button(
                t("rate.undo_na", lang), icon=":material/undo:", key=f"na_undo:{tp.id}",
                on_click=_skip, args=(*args, lang, False),
            )
            _saved_note(tp.id, rating, lang)
            return

        st.segmented_control(
            t("rate.presence", lang), [p.value for p in Presence],
            format_func=lambda v: t(f"presence.{v}", lang),
            default=rating.presence.value if rating and rating.presence else None,
            key=f"presence:{tp.id}", on_change=_save, args=(*args, "presence", f"presence:{tp.id}", None, lang),
        )
        st.pills(
            t("rate.importance", lang), list(range(1, 11)),
            default=rating.importance if rating else None,
            key=f"importance:{tp.id}", on_change=_save, args=(*args, "importance", f"importance:{tp.id}", None, lang),
            help=t("rate.importance_help", lang),
        )
        st.segmented_control(
            t("rate.reaction", lang), [r.value for r in Reaction],
            format_func=lambda v: t(f"reaction.{v}", lang),
            default=rating.reaction.value if rating and rating.reaction else None,
            key=f"reaction:{tp.id}", on_change=_save, args=(*args, "reaction", f"reaction:{tp.id}", None, lang),
        )
        st.text_area(
            t("rate.comment", lang), value=rating.comment if rating else "", max_chars=5000, height=90,
            key=f"comment:{tp.id}", on_change=_save, args=(*args, "comment", f"comment:{tp.id}", None, lang),
            placeholder=t("rate.comment_placeholder", lang),
        )
        st.text_area(
            t("rate.idea", lang), value=rating.idea if rating else "", max_chars=5000, height=90,
            key=f"idea:{tp.id}", on_change=_save, args=(*args, "idea", f"idea:{tp.id}", None, lang),
            placeholder=t("rate.idea_placeholder", lang),
        )
        st.button(
            t("rate.not_applicable", lang), icon=":material/block:", key=f"na:{tp.id}",
            on_click=_skip, args=(*args, lang, True),
        )
        _saved_note(tp.id, rating, lang)


def _saved_note(tp_id: str, rating: Rating | None, lang: str) -> None:
    saved = st.session_state.get("_saved")
    state = walk.status(rating)
    if saved and saved[0] == tp_id:
        st.caption(t("rate.saved_at", lang, time=saved[2]) + " · " + t(f"status.{state}", lang), help=None)
    elif rating is not None:
        st.caption(t("rate.saved", lang) + " · " + t(f"status.{state}", lang))
    else:
        st.caption(t("status.new", lang))
