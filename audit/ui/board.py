"""The facilitator's live board (owner link): refreshes itself every few seconds.

Who has joined (opened the audit at least once) and how far each person is;
per touchpoint the votes, the mean importance and the reaction split; and
"discuss first": the touchpoints the team disagrees on most.

A refresh must not slow the people rating: it reads a cheap fingerprint of
the audit (:func:`audit.access.board_state`, index lookups only) and reuses
the board computed for that fingerprint, shared by every open board and
presenter of the audit (:func:`view`); only a change reads the lean rating
rows again (:mod:`audit.board`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import streamlit as st

from audit import board as live_board
from audit import services
from audit.i18n import t
from audit.numbers import decimal, percent
from audit.services import Store
from audit.services.permissions import Permission
from audit.ui import common, errors, tables
from audit.ui.text import plain, shorten

REFRESH_SECONDS = 3
DISCUSS_FIRST = 5


def render() -> None:
    st.set_page_config(layout="wide")
    ctx = common.open_page("board", Permission.VIEW_BOARD)
    st.title(plain(ctx.audit.name))
    st.caption(t("board.intro", ctx.lang, seconds=REFRESH_SECONDS))
    live(ctx.store, ctx.token, ctx.lang, ctx.clang)


def touchpoint_table(snap: live_board.Snapshot, lang: str, clang: str, *, only_rated: bool) -> pa.Table:
    """Per touchpoint: votes, mean importance, the reaction split, disagreement (an Arrow table:
    Streamlit would convert a DataFrame again on every refresh)."""
    positions = snap.positions(only_rated=only_rated)
    tps = [snap.catalog.touchpoints[i] for i in positions]
    stat = snap.stats
    table = pa.table({
        t("board.col_category", lang): [t(f"category.{tp.category.value}", lang) for tp in tps],
        t("board.col_touchpoint", lang): [shorten(tp.name.get(clang), 80) for tp in tps],
        t("board.col_votes", lang): stat["raters"][positions],
        t("board.col_importance", lang): np.round(stat["importance_mean"][positions], 1),
        t("board.col_positive", lang): stat["positive"][positions],
        t("board.col_neutral", lang): stat["neutral"][positions],
        t("board.col_negative", lang): stat["negative"][positions],
        t("board.col_disagreement", lang): stat["disagreement"][positions],
    })
    return tables.localized(table, lang, _decimals(lang))


def _decimals(lang: str) -> dict[str, tables.Decimals]:
    return {t("board.col_importance", lang): tables.Decimals(1)}


def reaction_split(counts: tuple[int, int, int], lang: str) -> str:
    """``:material/thumb_up: Positive 1 · ...``: icons and words, for Markdown."""
    return " · ".join(f"{t(f'reaction.{r}', lang)} {n}" for r, n in zip(("positive", "neutral", "negative"), counts, strict=True))


def _number(value: float, lang: str) -> str:
    return "–" if np.isnan(value) else decimal(value, lang)


@dataclass(frozen=True)
class BoardView:
    """The board in one language, ready to draw (shared, read-only)."""

    snapshot: live_board.Snapshot
    team: pa.Table
    first: list[tuple[str, str, str]]  # (touchpoint id, name, Markdown line)
    rated: pa.Table


def discuss_first(snap: live_board.Snapshot, lang: str, clang: str) -> list[tuple[str, str, str]]:
    """(touchpoint id, name, Markdown line) of the touchpoints the team disagrees on most."""
    stat, out = snap.stats, []
    for i in snap.disputed(DISCUSS_FIRST):
        tp = snap.catalog.touchpoints[i]
        counts = (int(stat["positive"][i]), int(stat["neutral"][i]), int(stat["negative"][i]))
        line = t("board.discuss_line", lang, votes=int(stat["raters"][i]), importance=_number(stat["importance_mean"][i], lang),
                 split=reaction_split(counts, lang), disagreement=percent(stat["disagreement"][i], lang))
        out.append((tp.id, shorten(tp.name.get(clang), 90), line))
    return out


@st.cache_resource(show_spinner=False, max_entries=32)
def view(url: str, token: str, version: tuple[int, ...], lang: str, clang: str) -> BoardView:
    """The board for one fingerprint of the audit (``version``), computed once for every open board."""
    inputs = services.room.board_rows(common.store_at(url), token)
    snap = live_board.snapshot(common.catalog_at(url, inputs.audit.id, inputs.catalog_version), inputs.people, inputs.rows)
    team = pa.table({
        t("board.col_person", lang): [shorten(p.name, 40) for p in snap.people],
        t("board.col_joined", lang): pa.array([p.joined for p in snap.people], type=pa.bool_()),
        t("board.col_done", lang): [f"{p.done} / {p.total}" for p in snap.people],
        t("board.col_progress", lang): pa.array([p.share for p in snap.people], type=pa.float64()),
    })
    return BoardView(snap, team, discuss_first(snap, lang, clang), touchpoint_table(snap, lang, clang, only_rated=True))


@st.cache_resource(show_spinner=False, max_entries=8)
def every_touchpoint(url: str, token: str, version: tuple[int, ...], lang: str, clang: str) -> pa.Table:
    """The table with the touchpoints nobody voted on yet (only when asked for)."""
    return touchpoint_table(view(url, token, version, lang, clang).snapshot, lang, clang, only_rated=False)


@st.fragment(run_every=REFRESH_SECONDS)
def live(store: Store, token: str, lang: str, clang: str) -> None:
    """The board, refreshed every few seconds; a failure is shown in place and logged once per kind (audit.ui.errors)."""
    with errors.handled(lang, "board"):
        _live(store, token, lang, clang)


def _live(store: Store, token: str, lang: str, clang: str) -> None:
    state = services.room.board_state(store, token)  # the role is checked on every refresh
    board = view(store.url, token, state.version, lang, clang)
    snap = board.snapshot
    with st.container(horizontal=True, gap="medium", key="board_metrics"):
        st.metric(t("board.joined", lang), snap.joined, border=True)
        st.metric(t("board.answers", lang), snap.answers, border=True)
        st.metric(t("board.touchpoints_rated", lang), f"{snap.rated} / {snap.total}", border=True)
    left, right = st.columns([2, 3], gap="large")
    with left:
        _team(board, lang)
    with right:
        _discuss_first(board, state.discussed, lang)
    st.subheader(t("board.per_touchpoint", lang), anchor=False)
    only_rated = st.toggle(t("board.only_rated", lang), value=True, key="board_only_rated")
    st.dataframe(
        board.rated if only_rated else every_touchpoint(store.url, token, state.version, lang, clang), hide_index=True,
        width="stretch", key="board_table",
        column_config=tables.column_config(lang, _decimals(lang), {
            t("board.col_importance", lang): st.column_config.NumberColumn(format="%.1f"),
            t("board.col_disagreement", lang): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
        }),
    )


def _team(board: BoardView, lang: str) -> None:
    st.subheader(t("board.team", lang), anchor=False)
    if board.team.num_rows == 0:
        st.info(t("board.nobody_yet", lang), icon=":material/group:")
        return
    st.dataframe(
        board.team, hide_index=True, width="stretch", key="board_team",
        column_config={
            t("board.col_person", lang): st.column_config.TextColumn(width="medium"),
            t("board.col_joined", lang): st.column_config.CheckboxColumn(width="small"),
            t("board.col_done", lang): st.column_config.TextColumn(width="small"),
            t("board.col_progress", lang): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent", width="small"),
        },
    )


def _discuss_first(board: BoardView, discussed: frozenset[str], lang: str) -> None:
    st.subheader(t("board.discuss_first", lang), anchor=False)
    if not board.first:
        st.caption(t("board.discuss_none", lang))
        return
    lines = []
    for i, (tp_id, name, line) in enumerate(board.first, start=1):
        mark = f" · {t('board.discussed', lang)}" if tp_id in discussed else ""
        lines.append(f"**{i}. {plain(name)}**{mark}  \n{line}")
    st.markdown("\n\n".join(lines))
