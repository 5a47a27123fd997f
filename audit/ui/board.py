"""The facilitator's live board (owner link): refreshes itself every few seconds.

Who has joined and how far each person is; per touchpoint the votes, the mean
importance and the reaction split; and "discuss first": the touchpoints the
team disagrees on most.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from audit import services
from audit.i18n import t
from audit.languages import text_column
from audit.scoring import aggregate, disagreement_list
from audit.services import Store
from audit.services.access import AccessError
from audit.services.permissions import Permission
from audit.ui import common, walk
from audit.ui.text import plain, shorten

REFRESH_SECONDS = 3
DISCUSS_FIRST = 5


def render() -> None:
    st.set_page_config(layout="wide")
    ctx = common.open_page("board", Permission.VIEW_BOARD)
    st.title(plain(ctx.audit.name))
    st.caption(t("board.intro", ctx.lang, seconds=REFRESH_SECONDS))
    live(ctx.store, ctx.token, ctx.lang, ctx.clang)


def touchpoint_table(agg: pd.DataFrame, lang: str, clang: str, *, only_rated: bool) -> pd.DataFrame:
    rows = agg[agg["rated"]] if only_rated else agg
    names = rows[text_column("name", clang)]
    return pd.DataFrame(
        {
            t("board.col_category", lang): [t(f"category.{c}", lang) for c in rows["category"]],
            t("board.col_touchpoint", lang): [shorten(n, 80) for n in names],
            t("board.col_votes", lang): rows["raters"].to_numpy(),
            t("board.col_importance", lang): rows["importance_mean"].round(1).to_numpy(),
            t("board.col_positive", lang): rows["positive"].to_numpy(),
            t("board.col_neutral", lang): rows["neutral"].to_numpy(),
            t("board.col_negative", lang): rows["negative"].to_numpy(),
            t("board.col_disagreement", lang): rows["disagreement"].to_numpy(),
        },
        index=rows.index,
    )


def reaction_split(row: pd.Series, lang: str) -> str:
    """``:material/thumb_up: Positive 1 · ...``: icons and words, for Markdown."""
    return " · ".join(f"{t(f'reaction.{r}', lang)} {int(row[r])}" for r in ("positive", "neutral", "negative"))


def _number(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.1f}"


@st.fragment(run_every=REFRESH_SECONDS)
def live(store: Store, token: str, lang: str, clang: str) -> None:
    try:
        data = services.rating.board(store, token)  # the role is checked on every refresh
    except AccessError as err:
        st.error(t(err.key, lang), icon=":material/link_off:")
        return
    agg = aggregate(data)
    people = walk.team_progress(data)
    total = len(data.catalog.touchpoints)
    answers = sum(p.done for p in people)

    with st.container(horizontal=True, gap="medium", key="board_metrics"):
        st.metric(t("board.joined", lang), len(people), border=True)
        st.metric(t("board.answers", lang), answers, border=True)
        st.metric(t("board.touchpoints_rated", lang), f"{int(agg['rated'].sum())} / {total}", border=True)

    left, right = st.columns([2, 3], gap="large")
    with left:
        st.subheader(t("board.team", lang), anchor=False)
        if not people:
            st.info(t("board.nobody_yet", lang), icon=":material/group:")
        else:
            frame = pd.DataFrame(
                {
                    t("board.col_person", lang): [shorten(p.name, 40) for p in people],
                    t("board.col_done", lang): [f"{p.done} / {p.total}" for p in people],
                    t("board.col_progress", lang): [p.share for p in people],
                }
            )
            st.dataframe(
                frame, hide_index=True, width="stretch", key="board_team",
                column_config={
                    t("board.col_person", lang): st.column_config.TextColumn(width="medium"),
                    t("board.col_done", lang): st.column_config.TextColumn(width="small"),
                    t("board.col_progress", lang): st.column_config.ProgressColumn(
                        min_value=0.0, max_value=1.0, format="percent", width="small"
                    ),
                },
            )
    with right:
        st.subheader(t("board.discuss_first", lang), anchor=False)
        first = disagreement_list(agg, DISCUSS_FIRST)
        if first.empty:
            st.caption(t("board.discuss_none", lang))
        for i, (tp_id, row) in enumerate(first.iterrows(), start=1):
            name = row[text_column("name", clang)]
            st.markdown(
                f"**{i}. {plain(shorten(name, 90))}**  \n"
                + t("board.discuss_line", lang, votes=int(row["raters"]), importance=_number(row["importance_mean"]),
                    split=reaction_split(row, lang), disagreement=f"{row['disagreement']:.0%}")
            )

    st.subheader(t("board.per_touchpoint", lang), anchor=False)
    only_rated = st.toggle(t("board.only_rated", lang), value=True, key="board_only_rated")
    table = touchpoint_table(agg, lang, clang, only_rated=only_rated)
    st.dataframe(
        table, hide_index=True, width="stretch", key="board_table",
        column_config={
            t("board.col_importance", lang): st.column_config.NumberColumn(format="%.1f"),
            t("board.col_disagreement", lang): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
        },
    )
