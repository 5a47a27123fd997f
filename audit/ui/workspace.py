"""A consultant's workspace (workspace link): the clients' audits with their progress, new audits, comparisons.

- the audits of the workspace, each with people joined, answers, shopper
  visits and plan done, and its owner link ("open as owner");
- a new audit for a client, from a bundled preset;
- one audit against the median of the workspace's other audits of the same
  preset, per touchpoint: a table, a chart, and the same as CSV;
- the workspace link itself, and replacing it.

Every read and write goes through :mod:`audit.services.workspaces`, which
checks the workspace link on the server each time.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from audit import services
from audit.benchmark import benchmark_chart, benchmark_csv, benchmark_table
from audit.catalog import bundled, bundled_ids
from audit.i18n import KEYS, language_name, t
from audit.model import LANGUAGES, AuditProgress, Workspace
from audit.services.access import AccessError
from audit.ui import common, errors, tables, welcome
from audit.ui.text import plain, shorten

ROTATED = "_ws_rotated"
CREATED = "_ws_created"


def preset_label(catalog_id: str, lang: str) -> str:
    key = f"catalog.{catalog_id}"
    return t(key, lang) if key in KEYS else catalog_id


def render() -> None:
    db, link = common.store(), common.token()
    lang = common.ui_language()
    common.setup_page(lang)
    try:
        workspace, audits = services.workspaces.portfolio(db, link)
        owners = services.workspaces.owner_links(db, link)
    except AccessError:
        common.invalid_link(lang)
        st.stop()
    with st.container(horizontal=True, horizontal_alignment="right"):
        common.language_switch(lang)
    st.title(plain(workspace.name))
    st.caption(t("ws.intro", lang))
    errors.flash()
    _show_link(str(link), lang)
    _audits(audits, owners, lang)
    _new_audit(str(link), lang)
    if audits:
        _compare(str(link), audits, lang)
    _rotate(workspace, str(link), lang)


def _show_link(link: str, lang: str) -> None:
    if st.session_state.pop(ROTATED, None):
        st.success(t("ws.rotated", lang), icon=":material/autorenew:")
        st.code(common.link(link), language=None, wrap_lines=True)
    elif st.session_state.get(welcome.FRESH_WORKSPACE) == link:
        st.success(t("ws.fresh", lang), icon=":material/bookmark:")
        st.code(common.link(link), language=None, wrap_lines=True)
    st.warning(t("ws.private", lang), icon=":material/key:")


def _audits(audits: list[AuditProgress], owners: dict[str, str], lang: str) -> None:
    st.subheader(t("ws.audits", lang), anchor=False)
    created = st.session_state.pop(CREATED, None)
    if created:
        st.success(t("ws.created", lang, name=plain(created)), icon=":material/check_circle:")
    if not audits:
        st.info(t("ws.none", lang), icon=":material/folder_open:")
        return
    cols = {k: t(f"ws.col_{k}", lang) for k in ("audit", "preset", "created", "people", "answers", "visits", "plan", "open")}
    frame = pd.DataFrame({
        cols["audit"]: [shorten(p.audit.name, 60) for p in audits],
        cols["preset"]: [preset_label(p.audit.catalog_id, lang) for p in audits],
        cols["created"]: [p.audit.created_at.date().isoformat() for p in audits],
        cols["people"]: [p.people for p in audits],
        cols["answers"]: [p.answers for p in audits],
        cols["visits"]: [p.visits for p in audits],
        cols["plan"]: [p.plan_done for p in audits],
        cols["open"]: [common.link(owners[p.audit.id]) if p.audit.id in owners else None for p in audits],
    })
    st.dataframe(
        frame, hide_index=True, width="stretch", key="ws_audits",
        column_config={
            cols["plan"]: st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent", width="small"),
            cols["open"]: st.column_config.LinkColumn(display_text=t("ws.open", lang), width="small"),
        },
    )


def _new_audit(link: str, lang: str) -> None:
    st.subheader(t("ws.new", lang), anchor=False)
    ids = bundled_ids()
    with st.form("ws_new_audit", border=True):
        name = st.text_input(t("ws.new_name", lang), max_chars=300, key="ws_new_name")
        preset = st.selectbox(t("ws.new_preset", lang), ids, format_func=lambda i: preset_label(i, lang), key="ws_new_preset")
        language = st.segmented_control(
            t("ws.new_language", lang), list(LANGUAGES), default=lang, required=True, key="ws_new_language",
            format_func=lambda v: language_name(v, lang),
        )
        submitted = st.form_submit_button(t("ws.new_submit", lang), type="primary", icon=":material/add_business:")
    if not submitted:
        return
    if not (name or "").strip():
        st.error(t("create.need_name", lang), icon=":material/error:")
        return

    def create() -> str:
        made, _links, _people = services.workspaces.create_audit(
            common.store(), link, name=name, catalog=bundled(str(preset)), language=str(language or lang)
        )
        return made.name

    made = errors.guarded(lang, create)
    if made is not None:
        st.session_state[CREATED] = made
    st.rerun()


def _compare(link: str, audits: list[AuditProgress], lang: str) -> None:
    st.subheader(t("ws.compare", lang), anchor=False)
    by_id = {p.audit.id: p.audit for p in audits}
    chosen = st.selectbox(
        t("ws.compare_pick", lang), list(by_id), format_func=lambda i: shorten(by_id[i].name, 80), key="ws_compare_audit",
    )
    if chosen is None:
        return
    try:
        result = services.workspaces.compare(common.store(), link, str(chosen))
    except AccessError as err:
        st.error(t(err.key, lang), icon=":material/block:")
        return
    clang = result.audit.language
    if result.others == 0:
        st.info(t("ws.compare_none", lang), icon=":material/info:")
    else:
        st.caption(t("ws.compare_caption", lang, n=result.others, preset=plain(preset_label(result.audit.catalog_id, lang))))
    table = benchmark_table(result.frame, lang, clang)
    one, two = tables.Decimals(1), tables.Decimals(2, "signed")
    decimals = {**{t(f"bench.col_{c}", lang): one for c in ("importance", "importance_median", "importance_gap")},
                **{t(f"bench.col_{c}", lang): two for c in ("performance", "performance_median", "performance_gap")}}
    tables.dataframe(table, lang, decimals, hide_index=True, width="stretch", key="ws_bench_table")
    if result.frame["importance"].notna().any() or result.frame["performance"].notna().any():
        st.altair_chart(benchmark_chart(result.frame, lang, clang, result.others), key="ws_bench_chart")
    st.download_button(
        t("ws.compare_csv", lang), benchmark_csv(result.frame, lang, clang), file_name=f"benchmark-{result.audit.id}.csv",
        mime="text/csv", icon=":material/download:", key="ws_bench_csv", on_click="ignore",
    )


def _rotate(workspace: Workspace, link: str, lang: str) -> None:
    with st.expander(t("ws.rotate", lang), icon=":material/autorenew:"):
        st.caption(t("ws.rotate_help", lang))
        sure = st.checkbox(t("ws.rotate_sure", lang), key="ws_rotate_sure")
        if st.button(t("ws.rotate_button", lang), key="ws_rotate", disabled=not sure, icon=":material/autorenew:"):
            new = errors.guarded(lang, lambda: services.workspaces.rotate_link(common.store(), link))
            if new is not None:
                st.session_state[ROTATED] = workspace.id
                st.query_params["t"] = new
            st.rerun()
