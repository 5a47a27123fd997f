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

import pandas as pd
import pyarrow as pa
import streamlit as st

from audit import access
from audit import board as live_board
from audit.access import AccessError, Permission
from audit.i18n import t
from audit.store import Store
from audit.ui import common
from audit.ui.text import plain, shorten

REFRESH_SECONDS = 3
DISCUSS_FIRST = 5


def render() -> None:
    st.set_page_config(layout="wide")
    ctx = common.open_page("board", Permission.VIEW_BOARD)
    st.title(plain(ctx.audit.name))
    st.caption(t("board.intro", ctx.lang, seconds=REFRESH_SECONDS))
    live(ctx.store, ctx.token, ctx.lang, ctx.clang)


def touchpoint_table(snap: live_board.Snapshot, lang: str, clang: str, *, only_rated: bool) -> pd.DataFrame:
    positions = snap.positions(only_rated=only_rated)
    numbers = snap.numbers(positions)
    tps = [snap.catalog.touchpoints[i] for i in positions]
    return pd.DataFrame(
        {
            t("board.col_category", lang): [t(f"category.{tp.category.value}", lang) for tp in tps],
            t("board.col_touchpoint", lang): [shorten(tp.name.get(clang), 80) for tp in tps],
            t("board.col_votes", lang): numbers["raters"].to_numpy(),
            t("board.col_importance", lang): numbers["importance_mean"].round(1).to_numpy(),
            t("board.col_positive", lang): numbers["positive"].to_numpy(),
            t("board.col_neutral", lang): numbers["neutral"].to_numpy(),
            t("board.col_negative", lang): numbers["negative"].to_numpy(),
            t("board.col_disagreement", lang): numbers["disagreement"].to_numpy(),
        },
        index=numbers.index,
    )


def reaction_split(row: pd.Series, lang: str) -> str:
    """``:material/thumb_up: Positive 1 · ...``: icons and words, for Markdown."""
    return " · ".join(f"{t(f'reaction.{r}', lang)} {int(row[r])}" for r in ("positive", "neutral", "negative"))


def _number(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.1f}"


@dataclass(frozen=True)
class BoardView:
    """The board in one language, ready to draw (shared, read-only). Tables are kept as Arrow tables:
    Streamlit would convert a DataFrame again on every refresh."""

    snapshot: live_board.Snapshot
    team: pa.Table
    first: list[tuple[str, str, str]]  # (touchpoint id, name, Markdown line)
    rated: pa.Table


def arrow(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)


@st.cache_resource(show_spinner=False, max_entries=32)
def view(url: str, token: str, version: tuple[int, ...], lang: str, clang: str) -> BoardView:
    """The board for one fingerprint of the audit (``version``), computed once for every open board."""
    db = common.store_at(url)
    audit, people, rows, catalog_version = access.board_rows(db, token)
    snap = live_board.snapshot(common.catalog_at(url, audit.id, catalog_version), people, rows)
    team = arrow(pd.DataFrame(
        {
            t("board.col_person", lang): [shorten(p.name, 40) for p in snap.people],
            t("board.col_joined", lang): [p.joined for p in snap.people],
            t("board.col_done", lang): [f"{p.done} / {p.total}" for p in snap.people],
            t("board.col_progress", lang): [p.share for p in snap.people],
        }
    ))
    disputed = snap.disputed(DISCUSS_FIRST)
    first = []
    for (tp_id, row), position in zip(snap.numbers(disputed).iterrows(), disputed, strict=True):
        line = t("board.discuss_line", lang, votes=int(row["raters"]), importance=_number(row["importance_mean"]),
                 split=reaction_split(row, lang), disagreement=f"{row['disagreement']:.0%}")
        first.append((str(tp_id), shorten(snap.catalog.touchpoints[position].name.get(clang), 90), line))
    return BoardView(snap, team, first, arrow(touchpoint_table(snap, lang, clang, only_rated=True)))


@st.cache_resource(show_spinner=False, max_entries=8)
def every_touchpoint(url: str, token: str, version: tuple[int, ...], lang: str, clang: str) -> pa.Table:
    """The table with the touchpoints nobody voted on yet (only when asked for)."""
    return arrow(touchpoint_table(view(url, token, version, lang, clang).snapshot, lang, clang, only_rated=False))


@st.fragment(run_every=REFRESH_SECONDS)
def live(store: Store, token: str, lang: str, clang: str) -> None:
    try:
        state = access.board_state(store, token)  # the role is checked on every refresh
    except AccessError as err:
        st.error(t(err.key, lang), icon=":material/link_off:")
        return
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
        column_config={
            t("board.col_importance", lang): st.column_config.NumberColumn(format="%.1f"),
            t("board.col_disagreement", lang): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
        },
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
