"""Standards (owner link): a measurable norm per touchpoint, and how often shoppers found it met.

The catalog brings defaults (e.g. "rings before the answer <= 3 rings"); the
owner sets, edits or switches off a standard for this audit. Every accepted
shopper measurement at our business is judged met / not met; the share met
per standard is listed here and the share missed raises the touchpoint's
priority in the plan.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from audit import services
from audit.i18n import t
from audit.model import Comparison, Standard, StandardKind, Touchpoint
from audit.services.permissions import Permission
from audit.standards import StandardLine, standard_from_input, standard_lines
from audit.ui import common, errors
from audit.ui.common import PageContext
from audit.ui.evidence_page import open_evidence_page
from audit.ui.text import plain, shorten

PICK = "standards_pick"


def render() -> None:
    st.set_page_config(layout="wide")
    page = open_evidence_page("standards", Permission.SET_STANDARDS, "_standard_done")
    ctx, analysis, done = page.ctx, page.analysis, page.done
    lang, clang = ctx.lang, ctx.clang
    catalog = analysis.data.catalog
    effective = analysis.data.standards
    lines = standard_lines(catalog, effective, analysis.scores, clang)
    if done:
        st.success(t(f"standards.done_{done[1]}", lang, name=plain(done[0])), icon=":material/check_circle:")

    _table(lines, lang, clang)
    with st.container(width=760, key="standard_editor"):
        st.subheader(t("standards.edit", lang), anchor=False)
        _editor(ctx, catalog.touchpoints, effective, lines)


def _table(lines: list[StandardLine], lang: str, clang: str) -> None:
    if not lines:
        st.info(t("standards.none", lang), icon=":material/rule:")
        return
    shares = [line.share_met for line in lines]
    frame = pd.DataFrame({
        t("standards.col_touchpoint", lang): [shorten(line.name, 60) for line in lines],
        t("standards.col_standard", lang): [line.standard.describe(clang) if line.standard else "—" for line in lines],
        t("standards.col_source", lang): [t(f"standards.source_{line.source}", lang) for line in lines],
        t("standards.col_measured", lang): [line.measured for line in lines],
        t("standards.col_met", lang): [line.met for line in lines],
        t("standards.col_share", lang): [float("nan") if s is None else s for s in shares],
    })
    st.dataframe(
        frame, hide_index=True, width="stretch", key="standards_table",
        column_config={
            t("standards.col_share", lang): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
            t("standards.col_touchpoint", lang): st.column_config.TextColumn(width="medium"),
            t("standards.col_standard", lang): st.column_config.TextColumn(width="large"),
            t("standards.col_source", lang): st.column_config.TextColumn(width="small"),
            t("standards.col_measured", lang): st.column_config.NumberColumn(width="small"),
            t("standards.col_met", lang): st.column_config.NumberColumn(width="small"),
        },
    )
    st.caption(t("standards.share_help", lang))


def _editor(ctx: PageContext, touchpoints: tuple[Touchpoint, ...], effective: Mapping[str, Standard], lines: list[StandardLine]) -> None:
    lang, clang = ctx.lang, ctx.clang
    with_standard = [line.touchpoint_id for line in lines]
    ids = with_standard + [tp.id for tp in touchpoints if tp.id not in with_standard]
    by_id = {tp.id: tp for tp in touchpoints}

    def label(tp_id: str) -> str:
        std = effective.get(tp_id)
        name = shorten(by_id[tp_id].name.get(clang), 60)
        return f"{name} — {shorten(std.describe(clang), 50)}" if std else name

    tp_id = st.selectbox(t("standards.touchpoint", lang), ids, key=PICK, format_func=label,
                         help=t("standards.touchpoint_help", lang))
    if tp_id is None:
        return
    tp = by_id[tp_id]
    current = effective.get(tp_id)
    shown = current or tp.standard
    kinds = [k.value for k in StandardKind]
    kind = st.segmented_control(t("standards.kind", lang), kinds, key=f"std_kind:{tp_id}", default=(shown.kind.value if shown else kinds[0]),
                                format_func=lambda k: t(f"standards.kind_{k}", lang), help=t("standards.kind_help", lang)) or kinds[0]
    same = shown is not None and shown.kind.value == kind
    with st.form(f"standard_form:{tp_id}:{kind}", border=True):
        metric = st.text_input(t("standards.metric" if kind == "number" else f"standards.statement_{kind}", lang),
                               value=shown.metric.get(clang) if shown and same else "", max_chars=300,
                               placeholder=t("standards.metric_placeholder" if kind == "number" else f"standards.statement_{kind}_placeholder", lang))
        comparison, threshold, unit, items = _kind_fields(kind, shown if same else None, lang, clang)
        save = st.form_submit_button(t("standards.save", lang), type="primary", icon=":material/save:")
    if save:
        try:
            standard = standard_from_input(metric, unit, comparison, threshold, ctx.audit.language, shown, kind=kind, items=items)
            services.evidence.set_standard(ctx.store, ctx.token, tp_id, standard)
        except Exception as err:  # refused: say why, nothing was stored
            errors.show(err, lang, "standards")
        else:
            st.session_state["_standard_done"] = (tp.name.get(clang), "saved")
            st.rerun()
    if tp.standard is not None:
        st.caption(t("standards.catalog_default", lang, standard=plain(tp.standard.describe(clang))))
    with st.container(horizontal=True, gap="small"):
        if tp.standard is not None and current != tp.standard:
            st.button(t("standards.reset", lang), icon=":material/restart_alt:", key=f"std_reset:{tp_id}",
                      on_click=_reset, args=(ctx.token, tp_id, tp.name.get(clang), lang))
        if current is not None:
            st.button(t("standards.off", lang), icon=":material/block:", key=f"std_off:{tp_id}",
                      on_click=_off, args=(ctx.token, tp_id, tp.name.get(clang), lang))


def _kind_fields(kind: str, shown: Standard | None, lang: str, clang: str) -> tuple[str, str, str, str]:
    """The form's fields for a kind of standard: (comparison, threshold, unit, checklist items)."""
    if kind == StandardKind.YES_NO.value:
        st.caption(t("standards.yes_no_help", lang))
        return Comparison.EQUAL.value, "1", "", ""
    if kind == StandardKind.CHECKLIST.value:
        items = st.text_area(t("standards.items", lang), value="\n".join(i.get(clang) for i in shown.items) if shown else "",
                             max_chars=2_000, placeholder=t("standards.items_placeholder", lang), help=t("standards.items_help", lang))
        share = st.text_input(t("standards.share_needed", lang), value=f"{shown.threshold * 100:g}" if shown else "100", placeholder="100")
        return Comparison.AT_LEAST.value, share, "", items
    comparisons = [c.value for c in Comparison]
    with st.container(horizontal=True, gap="small"):
        comparison = st.selectbox(t("standards.comparison", lang), comparisons,
                                  index=comparisons.index(shown.comparison.value) if shown else 0,
                                  format_func=lambda c: t(f"comparison.{_word(c)}", lang))
        threshold = st.text_input(t("standards.threshold", lang), value=f"{shown.threshold:g}" if shown else "", placeholder="3")
        unit = st.text_input(t("standards.unit", lang), value=shown.unit.get(clang) if shown else "", max_chars=60,
                             placeholder=t("standards.unit_placeholder", lang))
    return str(comparison), threshold, unit, ""


def _word(comparison: str) -> str:
    return Comparison(comparison).name.lower()


def _reset(token: str, tp_id: str, name: str, lang: str) -> None:
    if errors.guarded(lang, lambda: services.evidence.reset_standard(common.store(), token, tp_id) or True):
        st.session_state["_standard_done"] = (name, "reset")


def _off(token: str, tp_id: str, name: str, lang: str) -> None:
    if errors.guarded(lang, lambda: errors.done(services.evidence.set_standard, common.store(), token, tp_id, None)):
        st.session_state["_standard_done"] = (name, "off")

