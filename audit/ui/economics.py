"""Economics (owner link): money per advertising touchpoint and wave, and the funnel of a journey.

Per touchpoint and wave the owner enters spend, leads (calls, forms), customers
and the revenue or the average ticket, by hand or from a CSV file; the page
shows cost per lead, cost per customer, revenue, what is left and the return
(:mod:`audit.economics`), with DOMAIN.md's worked example built in. The
funnel: how many customers reached each link of a journey in this wave; the
stage with the largest drop is marked and its touchpoint rises in the plan
(:mod:`audit.funnel`, ``docs/priority.md``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from audit import services
from audit.economics import WORKED_EXAMPLE, amount_text, channel_economics, economics_from_ticket, share_text
from audit.economics_import import MAX_BYTES, MAX_PROBLEMS, MAX_ROWS, Parsed
from audit.i18n import t
from audit.model import Catalog, Chain
from audit.scoring import Analysis
from audit.services.permissions import Permission
from audit.ui import errors
from audit.ui.common import PageContext
from audit.ui.evidence_page import open_evidence_page
from audit.ui.text import plain, shorten

FORM = "econ"  # widget keys: econ_tp, econ_wave, econ_spend, econ_leads, econ_customers, econ_money, econ_amount
TEMPLATE = "touchpoint,wave,spend,leads,customers,average_ticket\n"


def render() -> None:
    page = open_evidence_page("economics", Permission.ENTER_ECONOMICS, "_econ_done")
    ctx, analysis, done, lang = page.ctx, page.analysis, page.done, page.ctx.lang
    if done:
        st.success(done, icon=":material/check_circle:")
    entry, funnel = st.tabs([t("economics.tab_money", lang), t("economics.tab_funnel", lang)])
    with entry:
        _example(lang)
        _form(ctx, analysis.data.catalog)
        _table(analysis, lang)
        _import(ctx)
    with funnel:
        _funnel(ctx, analysis)


# ------------------------------------------------------------------ money per touchpoint


def _results(row: pd.Series, lang: str) -> None:
    """The five numbers an owner reads off one channel."""
    with st.container(horizontal=True, gap="small"):
        st.metric(t("economics.cost_per_lead", lang), amount_text(row["cost_per_lead"], lang), border=True)
        st.metric(t("economics.cost_per_customer", lang), amount_text(row["cost_per_customer"], lang), border=True)
        st.metric(t("economics.revenue", lang), amount_text(row["revenue"], lang), border=True)
        st.metric(t("economics.left", lang), amount_text(row["net"], lang), border=True)
        st.metric(t("economics.return", lang), share_text(row["net_return"], lang), border=True)


def _example(lang: str) -> None:
    with st.expander(t("economics.example_title", lang), icon=":material/calculate:"):
        e = WORKED_EXAMPLE
        st.markdown(t("economics.example_body", lang, spend=amount_text(e["spend"], lang), leads=e["leads"],
                      customers=e["customers"], ticket=amount_text(e["average_ticket"], lang)))
        item = economics_from_ticket("example", e["spend"], int(e["leads"]), int(e["customers"]), e["average_ticket"])
        _results(channel_economics([item]).iloc[0], lang)
        st.button(t("economics.example_use", lang), key="econ_example", icon=":material/input:", on_click=_fill_example)


def _fill_example() -> None:
    e = WORKED_EXAMPLE
    st.session_state.update({f"{FORM}_spend": e["spend"], f"{FORM}_leads": e["leads"], f"{FORM}_customers": e["customers"],
                             f"{FORM}_money": "average_ticket", f"{FORM}_amount": e["average_ticket"]})


def _form(ctx: PageContext, catalog: Catalog) -> None:
    lang, clang = ctx.lang, ctx.clang
    names = {tp.id: tp.name.get(clang) for tp in catalog.touchpoints}
    # Advertising and lead touchpoints (technology: ads, site, phone) first.
    ids = sorted(names, key=lambda i: catalog.by_id()[i].category.value != "technology")
    st.subheader(t("economics.enter", lang), anchor=False)
    with st.form(f"{FORM}_form", border=True):
        tp_id = st.selectbox(t("economics.touchpoint", lang), ids, key=f"{FORM}_tp", format_func=lambda i: shorten(names[i], 70))
        with st.container(horizontal=True, gap="small"):
            wave = st.number_input(t("economics.wave", lang), 1, ctx.audit.wave, ctx.audit.wave, step=1, key=f"{FORM}_wave")
            spend = st.number_input(t("economics.spend", lang), 0.0, 1e12, None, step=1000.0, key=f"{FORM}_spend")
            leads = st.number_input(t("economics.leads", lang), 0, 10**9, None, step=1, key=f"{FORM}_leads",
                                    help=t("economics.leads_help", lang))
            customers = st.number_input(t("economics.customers", lang), 0, 10**9, None, step=1, key=f"{FORM}_customers")
        with st.container(horizontal=True, gap="small"):
            money = st.radio(t("economics.money", lang), ["average_ticket", "revenue"], key=f"{FORM}_money", horizontal=True,
                             format_func=lambda m: t(f"economics.money_{m}", lang))
            amount = st.number_input(t("economics.amount", lang), 0.0, 1e12, None, step=100.0, key=f"{FORM}_amount")
        save = st.form_submit_button(t("economics.save", lang), type="primary", icon=":material/save:")
    if save:
        _save(ctx, tp_id, wave, spend, leads, customers, money, amount, names)


def _save(ctx: PageContext, tp_id: Any, wave: Any, spend: Any, leads: Any, customers: Any, money: Any, amount: Any,
          names: dict[str, str]) -> None:
    lang = ctx.lang
    if None in (tp_id, spend, leads, customers, amount):
        st.error(t("economics.fill_all", lang), icon=":material/error:")
        return
    try:
        services.economics.save_economics(
            ctx.store, ctx.token, touchpoint_id=tp_id, wave=wave, spend=spend, leads=leads, customers=customers,
            **({"revenue": amount} if money == "revenue" else {"average_ticket": amount}),
        )
    except Exception as err:  # refused: say why, nothing was stored
        errors.show(err, lang, "action")
        return
    st.session_state["_econ_done"] = t("economics.saved", lang, name=plain(names.get(tp_id, tp_id)), wave=int(wave))
    st.session_state["_econ_last"] = (tp_id, int(wave))
    st.rerun()


def _table(analysis: Analysis, lang: str) -> None:
    table = analysis.economics
    st.subheader(t("economics.entered", lang), anchor=False)
    if not len(table):
        st.info(t("economics.none", lang), icon=":material/payments:")
        return
    last = st.session_state.get("_econ_last")
    chosen = table[(table.index == last[0]) & (table["wave"] == last[1])] if last else table.iloc[:0]
    if len(chosen):
        st.caption(t("economics.last", lang, name=plain(chosen["name"].iloc[0]), wave=int(chosen["wave"].iloc[0])))
        _results(chosen.iloc[0], lang)
    col = lambda key: t(f"economics.{key}", lang)  # noqa: E731
    shown = pd.DataFrame({
        col("touchpoint"): [shorten(n, 60) for n in table["name"]],
        col("wave"): table["wave"].to_numpy(),
        col("spend"): [amount_text(v, lang) for v in table["spend"]],
        col("leads"): table["leads"].to_numpy(),
        col("customers"): table["customers"].to_numpy(),
        col("revenue"): [amount_text(v, lang) for v in table["revenue"]],
        col("cost_per_lead"): [amount_text(v, lang) for v in table["cost_per_lead"]],
        col("cost_per_customer"): [amount_text(v, lang) for v in table["cost_per_customer"]],
        col("left"): [amount_text(v, lang) for v in table["net"]],
        col("return"): [share_text(v, lang) for v in table["net_return"]],
    })
    st.dataframe(shown, hide_index=True, width="stretch", key="econ_table")
    st.caption(t("economics.table_help", lang))


def _import(ctx: PageContext) -> None:
    lang = ctx.lang
    st.subheader(t("economics.import", lang), anchor=False)
    st.caption(t("economics.import_help", lang, rows=MAX_ROWS, kb=MAX_BYTES // 1024))
    st.download_button(t("economics.template", lang), TEMPLATE, file_name="economics.csv", mime="text/csv",
                       key="econ_template", icon=":material/download:", on_click="ignore")
    upload = st.file_uploader(t("economics.upload", lang), type=["csv"], key="econ_upload")
    if upload is None or not st.button(t("economics.import_go", lang), key="econ_import", icon=":material/upload:"):
        return
    try:
        parsed = services.economics.import_economics_csv(ctx.store, ctx.token, upload.getvalue())
    except Exception as err:  # refused: say why
        errors.show(err, lang, "action")
        return
    if parsed.problems:
        _problems(parsed, lang)
        return
    st.session_state["_econ_done"] = t("economics.imported", lang, count=len(parsed.items))
    st.rerun()


def _problems(parsed: Parsed, lang: str) -> None:
    st.error(t("economics.import_refused", lang, count=len(parsed.problems)), icon=":material/error:")
    lines = []
    for problem in parsed.problems[:MAX_PROBLEMS]:
        details = {k: plain(v) for k, v in problem.details.items()}
        text = t(f"economics.csv_{problem.key}", lang, **details)
        lines.append(f"- {t('economics.csv_line', lang, line=problem.line)} {text}" if problem.line else f"- {text}")
    if len(parsed.problems) > MAX_PROBLEMS:
        lines.append(f"- {t('economics.csv_more', lang, count=len(parsed.problems) - MAX_PROBLEMS)}")
    st.markdown("\n".join(lines))


# ------------------------------------------------------------------ funnel


def _funnel(ctx: PageContext, analysis: Analysis) -> None:
    lang, clang = ctx.lang, ctx.clang
    catalog = analysis.data.catalog
    st.caption(t("economics.funnel_intro", lang))
    if not catalog.chains:
        st.info(t("economics.funnel_no_journeys", lang), icon=":material/route:")
        return
    chains = {c.id: c for c in catalog.chains}
    chain_id = st.selectbox(t("economics.journey", lang), list(chains), key="econ_chain",
                            format_func=lambda c: shorten(chains[c].name.get(clang), 70))
    if chain_id is None:
        return
    chain = chains[chain_id]
    stored = {s.position: s.reached for s in analysis.data.funnel if s.chain_id == chain_id}
    _funnel_form(ctx, chain, stored, catalog)
    stages = analysis.funnel[analysis.funnel["chain_id"] == chain_id] if len(analysis.funnel) else analysis.funnel
    if not len(stages):
        st.info(t("economics.funnel_none", lang, wave=ctx.audit.wave), icon=":material/filter_alt:")
        return
    marked = stages[stages["largest_drop"].astype(bool)]
    if len(marked):
        st.warning(t("economics.funnel_drop", lang, name=plain(marked["name"].iloc[0]),
                     conversion=share_text(marked["conversion"].iloc[0], lang)), icon=":material/trending_down:")
    shown = pd.DataFrame({
        t("economics.stage", lang): [f"{p + 1}. {shorten(n, 60)}" for p, n in zip(stages["position"], stages["name"], strict=True)],
        t("economics.reached", lang): stages["reached"].to_numpy(),
        t("economics.conversion", lang): [share_text(v, lang) for v in stages["conversion"]],
        t("economics.largest_drop", lang): [t("economics.drop_mark", lang) if d else "" for d in stages["largest_drop"]],
    })
    st.dataframe(shown, hide_index=True, width="stretch", key="econ_funnel_table")


def _funnel_form(ctx: PageContext, chain: Chain, stored: dict[int, int], catalog: Catalog) -> None:
    lang, clang = ctx.lang, ctx.clang
    by_id = catalog.by_id()
    with st.form(f"econ_funnel:{chain.id}", border=True):
        counts = []
        for position, tp_id in enumerate(chain.links):
            name = by_id[tp_id].name.get(clang) if tp_id in by_id else tp_id
            counts.append(st.number_input(f"{position + 1}. {plain(shorten(name, 60))}", 0, 10**9, stored.get(position), step=1,
                                          key=f"econ_reach:{chain.id}:{position}"))
        save = st.form_submit_button(t("economics.funnel_save", lang, wave=ctx.audit.wave), type="primary", icon=":material/save:")
    if not save:
        return
    reached = [int(c) for c in counts if c is not None]
    if len(reached) < len(counts):
        st.error(t("economics.fill_all", lang), icon=":material/error:")
        return
    try:
        services.economics.save_funnel(ctx.store, ctx.token, chain_id=chain.id, reached=reached)
    except Exception as err:  # refused: say why, nothing was stored
        errors.show(err, lang, "action")
        return
    st.session_state["_econ_done"] = t("economics.funnel_saved", lang, name=plain(chain.name.get(clang)))
    st.rerun()
