"""The results page (owner; the team too, read-only, while the owner shares it).

Filters (category, stage, channel; customer status, attention span and
one-off / recurring folded below) apply to every chart; the heatmap's
columns are any of these attributes. The crosshair
switch (mean / median / scale midpoint) places the IPA lines and lists the
touchpoints that change quadrant with it. The charts come from
:mod:`audit.charts`; every one has a short "how to read this" line. With more
than one wave, the last tab compares two waves.
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd
import streamlit as st

from audit import services
from audit.charts import (
    ATTRIBUTES,
    GROUPINGS,
    Filters,
    blind_spot_chart,
    chain_chart,
    chain_table,
    competitor_chart,
    department_table,
    disagreement_table,
    group_title,
    heatmap_chart,
    quadrant_label,
    reaction_chart,
    value_label,
    wave_change_chart,
)
from audit.departments import department_gaps
from audit.i18n import t
from audit.ipa import CROSSHAIRS
from audit.ipa_chart import crosshair_moves, ipa_chart, quadrant_counts
from audit.model import Role
from audit.numbers import decimal, signed
from audit.scoring import VIEWS, Analysis, summarise
from audit.services.permissions import Permission
from audit.standards import standard_lines
from audit.ui import common, errors, nav, tables
from audit.ui.chart_specs import draw
from audit.ui.common import PageContext
from audit.ui.plan import LENS, report_button, report_caption
from audit.ui.text import plain, shorten
from audit.waves import ANCHORS


def _share(ctx: PageContext) -> None:
    shared = bool(st.session_state.get("r_share"))
    if errors.guarded(ctx.lang, lambda: services.results.share_results(ctx.store, ctx.token, shared)) is not None:
        st.session_state["_r_shared_note"] = shared


def _share_controls(ctx: PageContext, owner: bool) -> None:
    """The owner's switch that shares the results with the team; a note for everyone else."""
    lang = ctx.lang
    if owner:
        st.toggle(t("results.share", lang), value=ctx.audit.results_shared, key="r_share", on_change=_share, args=(ctx,),
                  help=t("results.share_help", lang))
        note = st.session_state.pop("_r_shared_note", None)
        if note is not None:
            st.success(t("results.shared_on" if note else "results.shared_off", lang), icon=":material/group:")
    else:
        st.info(t("results.read_only", lang), icon=":material/visibility:")


def _lens(ctx: PageContext) -> tuple[int, str, str]:
    """The wave, crosshair and IPA view the person picked."""
    lang = ctx.lang
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom", key="r_view"):
        wave = ctx.audit.wave
        if ctx.audit.wave > 1:
            waves = list(range(ctx.audit.wave, 0, -1))
            wave = st.selectbox(t("results.wave", lang), waves, key="r_wave", format_func=lambda w: t("results.wave_n", lang, wave=w),
                                width=200)
        crosshair = st.segmented_control(
            t("results.crosshair", lang), list(CROSSHAIRS), default="mean", required=True, key="r_crosshair",
            format_func=lambda c: t(f"crosshair.{c}", lang), help=t("results.crosshair_help", lang),
        )
        view = st.segmented_control(
            t("results.ipa_view", lang), list(VIEWS), default="team", required=True, key="r_ipa_view",
            format_func=lambda v: t(f"results.ipa_view_{v}", lang), help=t("results.ipa_view_help", lang),
        )
    return wave, crosshair, view


Scope = tuple[Hashable, ...]  # the database, audit, data version, wave, crosshair, view, filters and languages a chart is drawn from
TABS = ("ipa", "map", "chains", "outside", "disagreement", "waves")


def _tabs(ctx: PageContext, analysis: Analysis, scores: pd.DataFrame, filters: Filters, crosshair: str, scope: Scope) -> None:
    """The result tabs: IPA, map, chains, outside evidence, disagreement, and waves from the second wave on.

    Only the shown tab's content is built and sent (a tab switch reruns the page): the IPA matrix reaches
    the browser without waiting for the other tabs' charts and tables, and a click reruns one tab only.
    """
    lang = ctx.lang
    keys = [k for k in TABS if k != "waves" or ctx.audit.wave > 1]
    tabs = st.tabs([t(f"results.tab_{k}", lang) for k in keys], key="r_tab", on_change="rerun")
    for key, tab in zip(keys, tabs, strict=True):
        if tab.open is not False:
            with tab:
                _tab(ctx, key, analysis, scores, filters, crosshair, scope)


def _tab(ctx: PageContext, key: str, analysis: Analysis, scores: pd.DataFrame, filters: Filters, crosshair: str, scope: Scope) -> None:
    """One tab's content (``scope``: what its charts are kept under, see :func:`audit.ui.chart_specs.draw`)."""
    if key == "waves":
        _waves(ctx, crosshair)
    elif scores.empty:
        if key == "ipa":
            st.info(t("results.no_match", ctx.lang), icon=":material/filter_alt_off:")
    elif key == "ipa":
        _ipa(ctx, analysis, scores, crosshair, scope)
    elif key == "map":
        _map(ctx, scores, scope)
    elif key == "chains":
        _chains(ctx, filters.rows(analysis.chain_links, analysis.scores), analysis.chains, scope)
    elif key == "outside":
        _outside(ctx, scores, filters.rows(analysis.competitor_gaps, analysis.scores), analysis.scores, scope)
        _standards(ctx, analysis, scores)
    else:
        _disagreement(ctx, analysis, scores)


def render() -> None:
    ctx = common.open_page("results", Permission.VIEW_RESULTS)
    lang = ctx.lang
    owner = ctx.access.role is Role.OWNER
    errors.flash()
    st.title(t("results.title", lang))
    st.caption(plain(ctx.audit.name) + " · " + t("results.wave_of", lang, wave=ctx.audit.wave))

    _share_controls(ctx, owner)

    wave, crosshair, view = _lens(ctx)
    st.session_state[LENS] = (crosshair, view)  # the plan, the workbook and the report use the same lines and view
    version, analysis = services.results.versioned(ctx.store, ctx.token, crosshair, wave, view)
    if owner and analysis.rated:
        with st.container(horizontal=True, gap="small", vertical_alignment="center", key="r_report"):
            report_button(ctx, "results")
            report_caption(ctx)
    if not analysis.rated:
        _empty(ctx, wave)  # and every chart below says what it waits for

    filters = _filters(lang)
    scores = filters.scores(analysis.scores)
    if filters.active:
        st.caption(t("results.filtered", lang, shown=len(scores), total=len(analysis.scores)))

    if analysis.rated:
        counts = quadrant_counts(scores)
        with st.container(horizontal=True, gap="small", key="r_quadrants"):
            for quadrant, n in counts.items():
                st.metric(quadrant_label(quadrant, lang), n, border=True)

    scope = (str(ctx.store.url), ctx.audit.id, version, wave, analysis.crosshair, analysis.view, tuple(filters.chosen().items()), lang,
             ctx.clang)
    _tabs(ctx, analysis, scores, filters, crosshair, scope)


def _pick(attribute: str, key: str, lang: str) -> list[str]:
    """One filter: a multiselect of the attribute's values (empty: all)."""
    label = t("results.filter_stage" if attribute == "stage" else f"results.filter_{attribute}", lang)
    return st.multiselect(label, list(ATTRIBUTES[attribute][1]), key=key, format_func=lambda v: value_label(attribute, v, lang),
                          placeholder=t("results.all", lang), width=300)


MORE_FILTERS = ("r_audience", "r_attention", "r_lifetime")  # the filters folded below the first row


def _filters(lang: str) -> Filters:
    """Category, stage and channel in a row; customer status, attention span and lifetime folded below them.

    The folded ones are built only while their expander is open or one of them holds a choice: closed,
    the page sends no widgets the browser would draw hidden (three drop-downs less before the first chart).
    """
    with st.container(horizontal=True, gap="small", key="r_filters"):
        categories = _pick("category", "r_cat", lang)
        stages = _pick("stage", "r_stage", lang)
        channels = _pick("channel", "r_channel", lang)
    more = [k for k in MORE_FILTERS if st.session_state.get(k)]
    fold = st.expander(t("results.more_filters", lang), key="r_more_open", on_change="rerun")  # a fixed default: a changing
    # one would be a new expander to Streamlit, which would fold it again on the next choice
    if not (fold.open or more):  # built when opened (or holding a choice, which a widget left out of a run would lose)
        return Filters.of(categories, stages, channels)
    with fold, st.container(horizontal=True, gap="small", key="r_more"):
        audiences = _pick("audience", "r_audience", lang)
        attention = _pick("attention", "r_attention", lang)
        lifetime = _pick("lifetime", "r_lifetime", lang)
    return Filters.of(categories, stages, channels, audiences, attention, lifetime)


def _empty(ctx: PageContext, wave: int) -> None:
    lang = ctx.lang
    st.info(t("results.empty", lang, wave=wave), icon=":material/hourglass_empty:")
    st.markdown(t("results.empty_steps", lang))
    if ctx.access.role is Role.OWNER:
        with st.container(horizontal=True, gap="small"):
            st.page_link(nav.BY_KEY["links"].file, label=t("page.links", lang), icon=nav.BY_KEY["links"].icon, query_params=common.keep_params())
            st.page_link(nav.BY_KEY["board"].file, label=t("page.board", lang), icon=nav.BY_KEY["board"].icon, query_params=common.keep_params())


def _ipa(ctx: PageContext, analysis: Analysis, scores: pd.DataFrame, crosshair: str, scope: Scope) -> None:
    lang, clang = ctx.lang, ctx.clang
    st.subheader(t("results.ipa_title", lang), anchor=False)
    st.caption(t("results.ipa_read", lang))
    point = analysis.crosshair_point
    if point is not None:
        st.caption(t("results.crosshair_at", lang, choice=t(f"crosshair.{crosshair}", lang), importance=decimal(point[0], lang, 2),
                     performance=signed(point[1], lang)))
    if point is None or not (scores["importance_mean"].notna() & scores["performance"].notna()).any():
        st.info(t("results.ipa_none", lang), icon=":material/scatter_plot:")
        return
    if analysis.view != "team":
        outside = int((scores["ipa_source"] == "shoppers").sum())
        st.caption(t(f"results.ipa_view_{analysis.view}_read", lang, n=outside))
    draw(lambda: ipa_chart(scores, point, lang, clang, view=analysis.view), "chart_ipa", scope)
    _moves(ctx, scores)


def _moves(ctx: PageContext, scores: pd.DataFrame) -> None:
    """How many touchpoints change quadrant with the crosshair; their table when the person opens the list.

    The table is built only while its expander is open: a table is the heaviest element the browser
    draws on this page (its code alone is 1.3 MB), and closed, the first chart does not wait for it.
    The expander's label stays the same whatever the count (a new label would be a new, folded expander).
    """
    lang = ctx.lang
    n = int(scores["changes"].sum()) if "changes" in scores.columns else 0
    st.markdown(f"**{t('results.moves_title', lang, n=n)}**")
    st.caption(t("results.moves_read", lang))
    if not n:
        return
    fold = st.expander(t("results.moves_list", lang), key="r_moves_open", on_change="rerun")
    if fold.open:
        with fold:
            st.dataframe(crosshair_moves(scores, lang, ctx.clang), hide_index=True, width="stretch", key="r_moves")


def _map(ctx: PageContext, scores: pd.DataFrame, scope: Scope) -> None:
    lang = ctx.lang
    picked = st.session_state.get("r_heat_by")
    by = str(picked) if picked in GROUPINGS else "stage"
    title = t("results.heat_title", lang) if by == "stage" else t("results.heat_title_by", lang, by=group_title(by, lang).lower())
    st.subheader(title, anchor=False)
    st.caption(t("results.heat_read", lang))
    st.segmented_control(t("results.heat_by", lang), list(GROUPINGS), default="stage", required=True, key="r_heat_by",
                         format_func=lambda g: group_title(g, lang))
    if not scores["rated"].any():
        st.info(t("results.map_none", lang), icon=":material/grid_view:")
    else:
        draw(lambda: heatmap_chart(scores, lang, by), "chart_heatmap", (scope, by))
    st.subheader(t("results.reactions_title", lang), anchor=False)
    st.caption(t("results.reactions_read", lang))
    if not (scores["reaction_n"] > 0).any():
        st.info(t("results.reactions_none", lang), icon=":material/stacked_bar_chart:")
    else:
        draw(lambda: reaction_chart(summarise(scores, "category"), lang), "chart_reactions", scope)


def _chains(ctx: PageContext, links: pd.DataFrame, chains: pd.DataFrame, scope: Scope) -> None:
    lang = ctx.lang
    st.subheader(t("results.chains_title", lang), anchor=False)
    st.caption(t("results.chains_read", lang))
    if not len(links):
        st.info(t("results.chains_none", lang), icon=":material/route:")
        return
    draw(lambda: chain_chart(links, lang), "chart_chains", scope)
    shown = chains[chains["chain_name"].isin(set(links["chain_name"])).to_numpy()]
    st.dataframe(chain_table(shown, lang), hide_index=True, width="stretch", key="r_chains")


def _outside(ctx: PageContext, scores: pd.DataFrame, gaps: pd.DataFrame, all_scores: pd.DataFrame, scope: Scope) -> None:
    lang, clang = ctx.lang, ctx.clang
    st.subheader(t("results.blind_title", lang), anchor=False)
    st.caption(t("results.blind_read", lang))
    has_both = bool((scores["performance"].notna() & scores["shopper_performance"].notna()).any())
    if has_both:
        draw(lambda: blind_spot_chart(scores, lang, clang), "chart_blind_spots", scope)
    else:
        st.info(t("results.blind_none", lang), icon=":material/visibility_off:")
    st.subheader(t("results.competitors_title", lang), anchor=False)
    st.caption(t("results.competitors_read", lang))
    if len(gaps):
        draw(lambda: competitor_chart(gaps, all_scores, lang, clang), "chart_competitors", scope)
    else:
        st.info(t("results.competitors_none", lang), icon=":material/compare_arrows:")


def _standards(ctx: PageContext, analysis: Analysis, scores: pd.DataFrame) -> None:
    """Each standard of the shown touchpoints: what it asks (number, yes/no, checklist), shopper checks met of measured."""
    lang, clang = ctx.lang, ctx.clang
    st.subheader(t("results.standards_title", lang), anchor=False)
    lines = [line for line in standard_lines(analysis.data.catalog, analysis.data.standards, analysis.scores, clang)
             if line.standard is not None and line.touchpoint_id in scores.index]
    if not lines:
        st.info(t("standards.none", lang), icon=":material/rule:")
        return
    frame = pd.DataFrame({
        t("standards.col_touchpoint", lang): [shorten(line.name, 60) for line in lines],
        t("standards.col_standard", lang): [line.standard.describe(clang) if line.standard else "" for line in lines],
        t("standards.kind", lang): [t(f"standards.kind_{line.standard.kind.value}", lang) if line.standard else "" for line in lines],
        t("standards.col_measured", lang): [line.measured for line in lines],
        t("standards.col_met", lang): [line.met for line in lines],
        t("standards.col_share", lang): [float("nan") if line.share_met is None else line.share_met for line in lines],
    })
    st.dataframe(frame, hide_index=True, width="stretch", key="results_standards", column_config={
        t("standards.col_share", lang): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
    })
    st.caption(t("standards.share_help", lang))


def _disagreement(ctx: PageContext, analysis: Analysis, scores: pd.DataFrame) -> None:
    lang = ctx.lang
    st.subheader(t("results.disagreement_title", lang), anchor=False)
    st.caption(t("results.disagreement_read", lang))
    table = disagreement_table(scores, lang, ctx.clang)
    if table.empty:
        st.info(t("results.disagreement_none", lang), icon=":material/handshake:")
    else:
        _disagreement_table(table, lang)
    _departments(ctx, analysis, scores)


def _departments(ctx: PageContext, analysis: Analysis, scores: pd.DataFrame) -> None:
    """Where the room's departments judge a touchpoint differently (the disagreement above stays as it is)."""
    lang = ctx.lang
    st.subheader(t("results.departments_title", lang), anchor=False)
    st.caption(t("results.departments_read", lang))
    table = department_table(department_gaps(analysis.data), scores, lang, ctx.clang)
    if table.empty:
        st.info(t("results.departments_none", lang), icon=":material/groups:")
        return
    st.dataframe(
        table, hide_index=True, width="stretch", key="r_departments",
        column_config={
            t("results.tip_touchpoint", lang): st.column_config.TextColumn(width="large"),
            t("results.col_department_gap", lang): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%"),
        },
    )


def _disagreement_table(table: pd.DataFrame, lang: str) -> None:
    tables.dataframe(
        table, lang, {t("results.tip_importance", lang): tables.Decimals(1), t("results.col_spread", lang): tables.Decimals(1)},
        hide_index=True, width="stretch", key="r_disagreement",
        config={
            t("results.tip_touchpoint", lang): st.column_config.TextColumn(width="large"),
            t("results.col_disagreement", lang): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%"),
        },
    )


def _waves(ctx: PageContext, crosshair: str) -> None:
    lang = ctx.lang
    st.subheader(t("waves.compare_title", lang), anchor=False)
    st.caption(t("waves.compare_read", lang))
    choices = list(range(1, ctx.audit.wave + 1))
    with st.container(horizontal=True, gap="small"):
        before = st.selectbox(t("waves.before", lang), choices, index=len(choices) - 2, key="w_before",
                              format_func=lambda w: t("results.wave_n", lang, wave=w), width=200)
        after = st.selectbox(t("waves.after", lang), choices, index=len(choices) - 1, key="w_after",
                             format_func=lambda w: t("results.wave_n", lang, wave=w), width=200)
        anchor = st.segmented_control(
            t("waves.anchor", lang), list(ANCHORS), default="first", required=True, key="w_anchor",
            format_func=lambda a: t(f"waves.anchor_{a}", lang), help=t("waves.anchor_help", lang),
        )
    if before == after:
        st.info(t("waves.same_wave", lang), icon=":material/info:")
        return
    table, done = services.results.compare(ctx.store, ctx.token, before, after, crosshair, anchor)
    imp, perf = table.attrs.get("lines", (5.5, 0.0))
    used = table.attrs.get("anchor", "midpoint")
    st.caption(t(f"waves.lines_{used}", lang, wave=before, choice=t(f"crosshair.{crosshair}", lang),
                 importance=decimal(imp, lang, 2), performance=signed(perf, lang)))
    compared = table[table["change"].notna().to_numpy()]
    if compared.empty:
        st.info(t("waves.nothing_to_compare", lang, before=before, after=after), icon=":material/hourglass_empty:")
    else:
        moved = table[table["moved"].to_numpy(dtype=bool)]
        st.markdown(f"**{t('waves.moved_title', lang, n=len(moved))}**")
        if len(moved):
            tables.dataframe(_wave_rows(moved, lang), lang, _wave_decimals(lang), hide_index=True, width="stretch", key="w_moved")
        draw(lambda: wave_change_chart(compared, lang), "chart_waves")  # two waves' analyses: converted, not kept
        with st.expander(t("waves.all_title", lang, n=len(compared))):
            tables.dataframe(_wave_rows(compared, lang), lang, _wave_decimals(lang), hide_index=True, width="stretch", key="w_all")
    st.markdown(f"**{t('waves.done_title', lang, n=len(done))}**")
    st.caption(t("waves.done_read", lang))
    if len(done):
        reasons = {"no improvement": "waves.reason_same", "not rated in the later wave": "waves.reason_not_again",
                   "not rated in the earlier wave": "waves.reason_not_before"}
        tables.dataframe(
            pd.DataFrame(
                {
                    t("results.tip_touchpoint", lang): [shorten(n, 80) for n in done["name"]],
                    t("plan.col_what", lang): [shorten(w, 120) for w in done["what"]],
                    t("plan.col_owner", lang): done["owner"].to_numpy(dtype=object),
                    t("waves.col_change", lang): done["change"].round(2).to_numpy(dtype=float),
                    t("waves.col_reason", lang): [t(reasons.get(r, "waves.reason_same"), lang) for r in done["reason"]],
                }
            ),
            lang, {t("waves.col_change", lang): tables.Decimals(2, "signed")}, hide_index=True, width="stretch", key="w_done",
        )


def _wave_decimals(lang: str) -> dict[str, tables.Decimals]:
    return {t(f"waves.col_{c}", lang): tables.Decimals(2, "signed") for c in ("before", "after", "change")}


def _wave_rows(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("results.tip_touchpoint", lang): [shorten(n, 80) for n in table["name"]],
            t("waves.col_quadrant_before", lang): [quadrant_label(q, lang) for q in table["quadrant_before"]],
            t("waves.col_quadrant_after", lang): [quadrant_label(q, lang) for q in table["quadrant_after"]],
            t("waves.col_before", lang): table["performance_before"].round(2).to_numpy(dtype=float),
            t("waves.col_after", lang): table["performance_after"].round(2).to_numpy(dtype=float),
            t("waves.col_change", lang): table["change"].round(2).to_numpy(dtype=float),
        }
    )
