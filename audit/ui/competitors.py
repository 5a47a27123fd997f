"""Competitors (owner link): us next to each competitor, where we lose and win, and the team's notes.

The team records per competitor and touchpoint how the competitor does
(better / same / worse than us, the reaction met there, what to borrow);
accepted shopper visits at competitors feed the same view
(:mod:`audit.competitors`).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from audit import services
from audit.competitors import Gap, SideBySide, side_by_side
from audit.i18n import t
from audit.model import Reaction, Versus
from audit.numbers import decimal, signed
from audit.scoring import Analysis
from audit.services.permissions import Permission
from audit.ui import errors
from audit.ui.common import PageContext
from audit.ui.evidence_page import open_evidence_page
from audit.ui.text import plain, shorten

LISTED = 8  # lines per "where we lose / win" list before "and N more"


def render() -> None:
    st.set_page_config(layout="wide")
    page = open_evidence_page("competitors", Permission.COMPARE_COMPETITORS, "_competitor_done")
    ctx, analysis, done, lang = page.ctx, page.analysis, page.done, page.ctx.lang
    if done:
        st.success(t("competitors.saved", lang, competitor=plain(done[0]), touchpoint=plain(done[1])), icon=":material/check_circle:")
    if not ctx.audit.competitors:
        st.info(t("competitors.none", lang), icon=":material/storefront:")
        _add_competitor(ctx, expanded=True)
        return
    view = side_by_side(analysis)
    left, right = st.columns(2, gap="large")
    with left:
        _gaps(t("competitors.lose", lang), view.lose, lang, ":material/trending_down:", "competitors.lose_none")
    with right:
        _gaps(t("competitors.win", lang), view.win, lang, ":material/trending_up:", "competitors.win_none")
    st.subheader(t("competitors.side_by_side", lang), anchor=False)
    _table(view, lang)
    st.subheader(t("competitors.record", lang), anchor=False)
    _record(ctx, analysis)
    _add_competitor(ctx, expanded=False)


def _gaps(title: str, gaps: tuple[Gap, ...], lang: str, icon: str, empty: str) -> None:
    st.subheader(title, anchor=False)
    if not gaps:
        st.caption(t(empty, lang))
        return
    for gap in gaps[:LISTED]:
        source = t(f"competitors.source_{gap.source}", lang)
        importance = "" if gap.importance is None else " · " + t("competitors.importance", lang, value=decimal(gap.importance, lang))
        line = f"{icon} **{plain(shorten(gap.name, 70))}** — {plain(gap.competitor)}  \n{source}{importance}"
        if gap.borrow:
            line += "  \n" + t("competitors.borrow_line", lang, text=plain(gap.borrow))
        st.markdown(line)
    if len(gaps) > LISTED:
        st.caption(t("competitors.more", lang, n=len(gaps) - LISTED))


def _number(value: float, lang: str) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else signed(value, lang)


def _table(view: SideBySide, lang: str) -> None:
    table = view.table
    if not len(table):
        st.info(t("competitors.no_evidence", lang), icon=":material/compare_arrows:")
        return
    us_team, us_shop = t("competitors.col_us_team", lang), t("competitors.col_us_shoppers", lang)
    frame = {
        t("competitors.col_touchpoint", lang): [shorten(n, 60) for n in table["name"]],
        us_team: [_number(v, lang) for v in table["team_performance"]],
        us_shop: [f"{_number(v, lang)} ({n})" if n else "—" for v, n in zip(table["shopper_performance"], table["shopper_n"], strict=True)],
    }
    for name in view.competitors:
        cells = []
        for versus, perf in zip(table[f"vs:{name}"], table[f"shoppers:{name}"], strict=True):
            parts = []
            if versus:
                parts.append(t(f"versus_short.{versus}", lang))
            if not math.isnan(perf):
                parts.append(t("competitors.their_shoppers", lang, value=_number(perf, lang)))
            cells.append(" · ".join(parts) if parts else "")
        frame[shorten(name, 40)] = cells
    st.dataframe(pd.DataFrame(frame), hide_index=True, width="stretch", key="competitors_table")
    st.caption(t("competitors.table_help", lang))


def _record(ctx: PageContext, analysis: Analysis) -> None:
    lang, clang = ctx.lang, ctx.clang
    catalog = analysis.data.catalog
    names = {tp.id: tp.name.get(clang) for tp in catalog.touchpoints}
    with st.container(horizontal=True, gap="small", key="record_pick"):
        competitor = st.selectbox(t("competitors.competitor", lang), list(ctx.audit.competitors), key="note_competitor")
        tp_id = st.selectbox(t("competitors.touchpoint", lang), list(names), key="note_touchpoint",
                             format_func=lambda i: shorten(names[i], 70))
    if competitor is None or tp_id is None:
        return
    note = next((n for n in analysis.data.competitor_notes if n.competitor == competitor and n.touchpoint_id == tp_id), None)
    with st.form(f"note_form:{competitor}:{tp_id}", border=True):
        versus = st.segmented_control(
            t("competitors.versus", lang), [v.value for v in Versus], format_func=lambda v: t(f"versus.{v}", lang),
            default=note.versus.value if note else None,
        )
        reaction = st.segmented_control(
            t("competitors.reaction", lang), [r.value for r in Reaction], format_func=lambda v: t(f"reaction.{v}", lang),
            default=note.reaction.value if note and note.reaction else None,
        )
        borrow = st.text_area(t("competitors.borrow", lang), value=note.borrow if note else "", max_chars=5000, height=90,
                              placeholder=t("competitors.borrow_placeholder", lang))
        author = st.text_input(t("competitors.author", lang), value=note.author if note else "", max_chars=120)
        go = st.form_submit_button(t("competitors.save", lang), type="primary", icon=":material/save:")
    if note is not None:
        st.caption(t("competitors.existing", lang))
    if go:
        if not versus:
            st.error(t("competitors.need_versus", lang), icon=":material/error:")
            return
        try:
            services.evidence.save_competitor_note(ctx.store, ctx.token, competitor=competitor, touchpoint_id=tp_id, versus=versus,
                                        reaction=reaction, borrow=borrow, author=author)
        except Exception as err:  # refused: say why, nothing was stored
            errors.show(err, lang, "competitors")
        else:
            st.session_state["_competitor_done"] = (competitor, names[tp_id])
            st.rerun()


def _add_competitor(ctx: PageContext, *, expanded: bool) -> None:
    lang = ctx.lang
    with st.expander(t("competitors.add", lang), icon=":material/add_business:", expanded=expanded):
        with st.form("add_competitor", border=False, clear_on_submit=True):
            name = st.text_input(t("competitors.add_name", lang), max_chars=300, placeholder=t("competitors.add_placeholder", lang))
            go = st.form_submit_button(t("competitors.add_button", lang), icon=":material/add:")
        if go:
            try:
                services.evidence.add_competitor(ctx.store, ctx.token, name)
            except Exception as err:  # refused: say why
                errors.show(err, lang, "competitors")
            else:
                st.rerun()

