"""The rating walk-through (team link): one touchpoint at a time, or a quick grid of one category.

The card itself is the component of :mod:`audit.ui.card`: taps, Next and
Previous are answered in the browser and every answer reaches the server
through an acknowledged outbox. This page only finds the person, offers the
filters and the grid, and runs two fragments: the card (a tap reruns only
its few lines) and a once-a-second look at where the facilitator is.

Who is rating: the person is in the URL (``p``). The browser also remembers
the person per team link (localStorage, under a hash of the link), so
reopening the team link or its QR code continues as that person. Typing a
name that the audit already has asks "is that you?" instead of making a
second, empty participant.
"""

from __future__ import annotations

import time

import streamlit as st

from audit import services
from audit.departments import department_label
from audit.i18n import t
from audit.model import Catalog, Category, Channel, Participant, Stage, Touchpoint
from audit.services.access import AccessError, NotAParticipant
from audit.services.permissions import Permission
from audit.services.rating import SameName
from audit.ui import card, common, deck, errors, walk
from audit.ui.common import PageContext
from audit.ui.text import plain

VIEW = "rate_view"  # "card" or "grid"
FORGET = "_rate_forget"  # "not you?": the browser forgets the person it remembered for this link
SAME_NAME = "_rate_same_name"
SAME_DEPARTMENT = "_rate_same_department"  # the department picked with a name that was taken
RECALLS = "_rate_recalls"


def render() -> None:
    ctx = common.open_page("rate", Permission.RATE)
    errors.flash()
    person = _person(ctx)
    if person is None:
        return
    if person.first_seen is None:
        with errors.handled(ctx.lang, "rate"):  # shown in place; rating goes on
            services.rating.opened(ctx.store, ctx.token, person)
    lang = ctx.lang
    st.caption(plain(ctx.audit.name) + " · " + t("rate.you_are", lang, name=plain(person.name)))
    view = st.session_state.get(VIEW) or "card"
    if view == "grid":
        _grid_category(common.catalog(ctx), lang)
    answers(ctx.token, person.id, view, lang, ctx.clang, st.query_params.get("tp"))
    if view == "card":
        room(ctx.token, lang, ctx.clang)
        _filters(lang)
    st.segmented_control(
        t("rate.view", lang), ["card", "grid"], default="card", key=VIEW, required=True,
        format_func=lambda v: t(f"rate.view_{v}", lang),
    )
    _personal_link(ctx, person)
    st.button(t("rate.not_you", lang, name=plain(person.name)), type="tertiary", key="not_you", on_click=_forget)
    st.page_link(
        "audit/ui/pages/add.py", label=t("rate.missing_one", lang), icon=":material/add_circle:", query_params=common.keep_params()
    )


# ------------------------------------------------------------------ the deck and the fragments


def chosen_filters() -> tuple[list[str], list[str], list[str]]:
    """The filter pills' values (read before the pills are drawn below the card)."""
    return (
        list(st.session_state.get("f_cat") or []),
        list(st.session_state.get("f_stage") or []),
        list(st.session_state.get("f_channel") or []),
    )


def touchpoints_for(view: str, catalog: Catalog) -> list[Touchpoint]:
    """The deck: the filtered catalog for the card, one category for the grid."""
    if view == "grid":
        category = st.session_state.get("grid_cat") or _first_category(catalog)
        return walk.select(catalog, categories=[category] if category else [])
    return walk.select(catalog, *chosen_filters())


@st.fragment
def answers(token: str, person: str, view: str, lang: str, clang: str, start: str | None) -> None:
    """The card or the grid: each tap reruns only this (one transaction when it brings answers)."""
    shown = None
    with errors.handled(lang, "card"):  # e.g. the link was replaced, or the person is not of this audit
        shown = card.show(
            common.store(), token, person, lambda catalog: touchpoints_for(view, catalog), view=view, lang=lang, clang=clang, start=start
        )
    if shown is None:
        return
    if shown.error:
        st.error(shown.error, icon=":material/error:")


@st.fragment(run_every=card.FOLLOW_SECONDS)
def room(token: str, lang: str, clang: str) -> None:
    """Where the facilitator is (asked once a second; the card in the browser moves there)."""
    with errors.handled(lang, "card follow"):
        _follow(token, lang, clang)


def _follow(token: str, lang: str, clang: str) -> None:
    db = common.store()
    try:
        here, current = services.room.seat_and_room(db, token)
    except AccessError:  # the card itself says so
        return
    payload = None
    if current.follow:
        catalog = common.catalog_at(db.url, here.access.audit_id, here.catalog_version)
        payload = deck.follow(
            catalog, current.follow, current.follow_number, card.millis(current.countdown_end), int(time.time() * 1000), lang, clang
        )
    card.follow(payload)


# ------------------------------------------------------------------ the person


def _forget() -> None:
    st.session_state[FORGET] = True
    st.session_state[RECALLS] = st.session_state.get(RECALLS, 0) + 1
    st.query_params.pop("p", None)
    st.query_params.pop("tp", None)


def _person(ctx: PageContext) -> Participant | None:
    lang = ctx.lang
    pid = st.query_params.get("p")
    if pid:
        try:
            return services.access.rater(ctx.store, ctx.access, pid)
        except NotAParticipant:
            st.warning(t("access.not_participant", lang), icon=":material/person_off:")
            del st.query_params["p"]
    forget = bool(st.session_state.get(FORGET))
    remembered = card.recall(ctx.token, forget=forget, key=f"tpa_recall_{st.session_state.get(RECALLS, 0)}")
    if remembered and not forget and _rates_here(ctx, remembered):
        _continue_as(remembered)
    _join(ctx)
    return None


def _rates_here(ctx: PageContext, person_id: str) -> bool:
    """Whether the person this browser remembers still rates through this link."""
    try:
        services.access.rater(ctx.store, ctx.access, person_id)
    except NotAParticipant:
        return False
    return True


def _continue_as(person_id: str) -> None:
    st.query_params["p"] = person_id
    st.query_params.pop("tp", None)
    for name in (FORGET, SAME_NAME, SAME_DEPARTMENT):
        st.session_state.pop(name, None)
    st.rerun()


def _join(ctx: PageContext) -> None:
    lang = ctx.lang
    st.title(plain(ctx.audit.name))
    same = st.session_state.get(SAME_NAME)
    if same:
        _same_name(ctx, same)
        return
    st.markdown(t("rate.join_intro", lang))
    with st.form("join", border=True):
        name = st.text_input(t("rate.your_name", lang), max_chars=120, placeholder=t("rate.name_placeholder", lang))
        department = st.selectbox(t("rate.your_department", lang), list(ctx.audit.departments), index=None, key="join_department",
                                  format_func=lambda d: department_label(d, lang), placeholder=t("rate.department_placeholder", lang),
                                  help=t("rate.department_help", lang))
        go = st.form_submit_button(t("rate.start", lang), type="primary")
    if not go:
        return
    try:
        person = services.rating.join(ctx.store, ctx.token, name, department=department)
    except SameName as taken:
        st.session_state[SAME_NAME] = taken.name
        st.session_state[SAME_DEPARTMENT] = department
        st.rerun()
    except Exception as err:  # refused: show why, keep the form
        errors.show(err, lang, "rate")
        return
    _continue_as(person.id)


def _same_name(ctx: PageContext, name: str) -> None:
    lang = ctx.lang
    with st.container(border=True, key="same_name"):
        st.subheader(t("rate.same_name_title", lang, name=plain(name)), anchor=False)
        st.markdown(t("rate.same_name_body", lang, name=plain(name)))
        with st.container(horizontal=True, gap="small"):
            other = st.button(t("rate.same_name_other", lang), key="same_name_other")
            back = st.button(t("rate.same_name_back", lang), key="same_name_back", type="primary")
    if back:
        st.session_state.pop(SAME_NAME, None)
        st.rerun()
    if other:
        try:
            person = services.rating.join(ctx.store, ctx.token, name, same_name_ok=True,
                                          department=st.session_state.get(SAME_DEPARTMENT))
        except Exception as err:  # refused: show why
            errors.show(err, lang, "rate")
            return
        _continue_as(person.id)


def _personal_link(ctx: PageContext, person: Participant) -> None:
    with st.expander(t("rate.other_device", ctx.lang), icon=":material/devices:"):
        url = common.link(ctx.token, person.id)
        st.caption(t("rate.other_device_help", ctx.lang))
        st.code(url, language=None, wrap_lines=True)
        common.qr(url, width=180)


# ------------------------------------------------------------------ filters and the grid's category


def _filters(lang: str) -> None:
    with st.expander(t("rate.filter", lang), icon=":material/filter_list:"):
        st.pills(
            t("rate.filter_category", lang), [c.value for c in Category], selection_mode="multi",
            format_func=lambda v: t(f"category.{v}", lang), key="f_cat",
        )
        st.pills(
            t("rate.filter_stage", lang), [s.value for s in Stage], selection_mode="multi",
            format_func=lambda v: t(f"stage.{v}", lang), key="f_stage",
        )
        st.pills(
            t("rate.filter_channel", lang), [c.value for c in Channel], selection_mode="multi",
            format_func=lambda v: t(f"channel.{v}", lang), key="f_channel",
        )


def _categories(catalog: Catalog) -> list[str]:
    return [c.value for c in Category if any(tp.category is c for tp in catalog.touchpoints)]


def _first_category(catalog: Catalog) -> str | None:
    present = _categories(catalog)
    return present[0] if present else None


def _grid_category(catalog: Catalog, lang: str) -> None:
    present = _categories(catalog)
    if not present:
        return
    if st.session_state.get("grid_cat") not in present:
        st.session_state["grid_cat"] = present[0]
    st.segmented_control(
        t("rate.grid_category", lang), present, key="grid_cat", required=True,
        format_func=lambda v: t(f"category.{v}", lang),
    )
