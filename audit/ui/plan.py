"""The plan editor (owner link): the plan in an editable table, downloads, and the Excel round trip.

The table is built once from the stored plan and kept as it is (the
``st.data_editor`` trap: a table fed its own output drops every second edit).
Every change is saved at once from the widget's report in
``st.session_state[key]`` (:func:`audit.planedit.apply_editor`, all or
nothing); after rows are added, removed or moved the table is rebuilt from the
store under a new key. The generated suggestion of an edited action is kept
and shown under the table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

import pandas as pd
import streamlit as st

from audit import planedit, services
from audit.i18n import t
from audit.model import MAX_NAME, MAX_TEXT, Action, ActionKind, ActionStatus, Catalog, Horizon
from audit.plansync import PlanView, says_text
from audit.priority import MIN_RATERS
from audit.refusal import full_key
from audit.services.permissions import Permission
from audit.sheet_table import Words
from audit.sheets import plan_columns
from audit.ui import common, errors, handoff, tables
from audit.ui.common import PageContext
from audit.ui.text import plain, shorten

BASE = "_plan_base"  # {"audit_id", "version", "actions"}: the rows the table was built from
SAVED = "_plan_saved"
NOTICE = "_plan_notice"
XLSX = "_plan_xlsx"
PDF = "_plan_pdf"  # {"audit_id", "crosshair", "data", "at"}: the PDF report prepared in this session
UPLOAD = "_plan_upload_n"
LENS = "_results_lens"  # (crosshair, IPA view) last chosen on the results page: kept while other pages run
SYNCED = "_plan_synced"  # {"audit_id", "crosshair", "at", "says", "few"}: the last sync of this session
SYNC_SECONDS = 20.0
ORDER = ("order", "touchpoint_id", "what", "owner", "due", "status", "horizon", "kind", "standard", "notes", "priority", "few_raters",
         "data_says")
FIELD_KEYS = {"touchpoint": "touchpoint", "touchpoint_id": "touchpoint", "kind": "kind", "what": "what", "owner": "owner",
              "horizon": "horizon", "due": "due", "standard": "standard", "status": "status", "notes": "notes", "order": "order"}


def _base(ctx: PageContext, actions: list[Action]) -> dict:
    """The rows the table is built from: kept as they are between reruns.

    Rebuilt (under a new key) only when rows appeared or went away elsewhere:
    another tab, or the plan was created meanwhile. Cell edits of this page
    are already saved, so nothing typed here is lost by that.
    """
    base = st.session_state.get(BASE)
    if not base or base.get("audit_id") != ctx.access.audit_id:
        base = {"audit_id": ctx.access.audit_id, "version": 0, "actions": tuple(actions)}
        st.session_state[BASE] = base
    elif {a.id for a in base["actions"]} != {a.id for a in actions}:
        base = {"audit_id": ctx.access.audit_id, "version": int(base.get("version", 0)) + 1, "actions": tuple(actions)}
        st.session_state[BASE] = base
    return base


def _view(ctx: PageContext) -> PlanView:
    """The plan, in line with the latest ratings: synced when the page opens and then at most every SYNC_SECONDS.

    Edits on this page are saved at once and need no sync; the pause keeps
    every click from re-running the analysis.
    """
    crosshair, ipa_view = lens()
    last = st.session_state.get(SYNCED) or {}
    fresh = (last.get("audit_id") == ctx.access.audit_id and last.get("crosshair") == (crosshair, ipa_view)
             and time.monotonic() - float(last.get("at", 0.0)) < SYNC_SECONDS)
    if fresh:
        return PlanView(tuple(services.plan.plan(ctx.store, ctx.token, sync=False)), last.get("says", {}), few_raters=last.get("few", frozenset()))
    view = services.plan.plan_view(ctx.store, ctx.token, crosshair=crosshair, today=dt.date.today(), view=ipa_view)
    st.session_state[SYNCED] = {"audit_id": ctx.access.audit_id, "crosshair": (crosshair, ipa_view), "at": time.monotonic(),
                                "says": dict(view.says), "few": view.few_raters}
    if view.changed:
        st.session_state.pop(XLSX, None)
        st.session_state.pop(PDF, None)
    return view


def lens() -> tuple[str, str]:
    """The crosshair and the IPA view chosen on the results page (the plan, the workbook and the report follow them)."""
    chosen = st.session_state.get(LENS) or (st.session_state.get("r_crosshair"), st.session_state.get("r_ipa_view"))
    return chosen[0] or "mean", chosen[1] or "team"


def about_line(lang: str) -> str:
    """"About this plan": whose view placed the touchpoints and where the quadrant lines sit."""
    crosshair, view = lens()
    return t("plan.about", lang, view=t(f"results.ipa_view_{view}_words", lang), crosshair=t(f"crosshair.{crosshair}", lang))


def _rebuild(ctx: PageContext) -> None:
    """Build the table again from the store, under a new key (the widget starts fresh)."""
    base = st.session_state.get(BASE) or {"version": 0}
    st.session_state[BASE] = {
        "audit_id": ctx.access.audit_id,
        "version": int(base.get("version", 0)) + 1,
        "actions": tuple(services.plan.plan(ctx.store, ctx.token, sync=False)),
    }


def field_label(name: str, lang: str) -> str:
    return t(f"plan.col_{FIELD_KEYS.get(name, name)}", lang) if name in FIELD_KEYS else name


def problem_lines(problems: tuple[planedit.EditProblem, ...], lang: str) -> str:
    lines = []
    for p in problems:
        where = t("plan.row", lang, row=p.row) if p.row else t("plan.new_row", lang)
        lines.append(f"- {where}: {plain(field_label(p.field, lang))} — {errors.said(p.key, p.params, lang)}")
    return "\n".join(lines)


def _on_edit(ctx: PageContext, key: str, known: tuple[str, ...]) -> None:
    base = st.session_state.get(BASE) or {}
    state = st.session_state.get(key) or {}
    edit = planedit.apply_editor(base.get("actions", ()), state, audit_id=ctx.access.audit_id, touchpoint_ids=known,
                                 today=dt.date.today())
    if edit.problems:
        st.session_state[errors.FLASH] = t("plan.refused", ctx.lang) + "\n\n" + problem_lines(edit.problems, ctx.lang)
        _rebuild(ctx)
        return
    if not edit.saves and not edit.deletes:
        if edit.pending:
            st.session_state[NOTICE] = t("plan.pending", ctx.lang)
        return
    saved = errors.guarded(ctx.lang, lambda: services.plan.save_edit(ctx.store, ctx.token, edit))
    if saved is None:
        _rebuild(ctx)  # refused: show the stored plan again
        return
    st.session_state[SAVED] = dt.datetime.now().strftime("%H:%M:%S")
    st.session_state.pop(XLSX, None)
    if edit.pending:
        st.session_state[NOTICE] = t("plan.pending", ctx.lang)
    if edit.changes_rows:
        _rebuild(ctx)


def render() -> None:
    ctx = common.open_page("plan", Permission.EDIT_PLAN)
    lang = ctx.lang
    errors.flash()
    st.title(t("plan.title", lang))
    st.caption(t("plan.intro", lang))
    st.caption(about_line(lang))
    view = _view(ctx)
    actions = list(view.actions)
    catalog = common.catalog(ctx)
    base = _base(ctx, actions)
    if not actions and not base["actions"]:
        st.info(t("plan.empty", lang), icon=":material/hourglass_empty:")
    editor(ctx, catalog, base, view)
    details(ctx, catalog, list(base["actions"]))
    st.divider()
    downloads(ctx)
    st.divider()
    upload(ctx, catalog)


def editor(ctx: PageContext, catalog: Catalog, base: dict, view: PlanView) -> None:
    lang, clang = ctx.lang, ctx.clang
    names = {tp.id: shorten(tp.name.get(clang), 70) for tp in catalog.touchpoints}
    key = f"plan_editor:{base['version']}"
    frame = planedit.editor_frame(base["actions"])
    frame["data_says"] = [says_text(view.says[a.id], lang) if a.id in view.says else "" for a in base["actions"]]
    frame["few_raters"] = [":material/warning:" if a.touchpoint_id in view.few_raters else "" for a in base["actions"]]
    column_config = {
        "order": st.column_config.NumberColumn(t("plan.col_order", lang), min_value=1, step=1, width=52,
                                               help=t("plan.order_help", lang)),
        "touchpoint_id": st.column_config.SelectboxColumn(t("plan.col_touchpoint", lang), options=list(names), required=True,
                                                          format_func=lambda i: names.get(str(i), str(i)), width=180),
        "kind": st.column_config.SelectboxColumn(t("plan.col_kind", lang), options=[k.value for k in ActionKind],
                                                 format_func=lambda v: t(f"kind.{ActionKind(str(v)).name.lower()}", lang), width=150,
                                                 default=ActionKind.IMPROVE.value),
        "what": st.column_config.TextColumn(t("plan.col_what", lang), required=True, max_chars=MAX_TEXT, width=360),
        "owner": st.column_config.TextColumn(t("plan.col_owner", lang), max_chars=MAX_NAME, width=140),
        "horizon": st.column_config.SelectboxColumn(t("plan.col_horizon", lang), options=[h.value for h in Horizon],
                                                    format_func=lambda v: t(f"horizon.{Horizon(str(v)).name.lower()}", lang), width=115,
                                                    default=Horizon.MONTH.value),
        "due": st.column_config.DateColumn(t("plan.col_due", lang), format="YYYY-MM-DD", width=105),
        "standard": st.column_config.TextColumn(t("plan.col_standard", lang), max_chars=MAX_TEXT, width=220),
        "status": st.column_config.SelectboxColumn(t("plan.col_status", lang), options=[s.value for s in ActionStatus],
                                                   default=ActionStatus.TODO.value,
                                                   format_func=lambda v: t(f"action_status.{ActionStatus(str(v)).name.lower()}", lang),
                                                   width=115),
        "notes": st.column_config.TextColumn(t("plan.col_notes", lang), max_chars=MAX_TEXT, width=180),
        "priority": st.column_config.NumberColumn(t("plan.col_priority", lang), format="%.1f", disabled=True, width=70),
        "few_raters": st.column_config.TextColumn(t("plan.col_few_raters", lang), disabled=True, width=60,
                                                  help=t("plan.few_raters_help", lang, minimum=MIN_RATERS)),
        "data_says": st.column_config.TextColumn(t("plan.col_data_says", lang), disabled=True, width=260,
                                                 help=t("plan.data_says_help", lang)),
    }
    priority = {"priority": tables.Decimals(1)}  # display only: disabled, and apply_editor never reads it back
    st.data_editor(
        tables.localized(frame, lang, priority), key=key, num_rows="dynamic", hide_index=True, width="stretch", column_config=tables.column_config(lang, priority, column_config), column_order=ORDER,
        disabled=["priority", "few_raters", "data_says"], on_change=_on_edit, args=(ctx, key, tuple(names)), height=min(38 + 35 * (len(frame) + 4), 640),
    )
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        saved = st.session_state.get(SAVED)
        st.caption(t("plan.saved_at", lang, time=saved) if saved else t("plan.saved_note", lang))
        st.button(t("plan.reload", lang), icon=":material/refresh:", key="plan_reload", on_click=_rebuild, args=(ctx,), type="tertiary")
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.info(notice, icon=":material/edit_note:")


def details(ctx: PageContext, catalog: Catalog, actions: list[Action]) -> None:
    lang, clang = ctx.lang, ctx.clang
    stored = {a.id: a for a in ctx.store.actions(ctx.access.audit_id)}
    shown = [stored[a.id] for a in actions if a.id in stored]
    if not shown:
        return
    names = {tp.id: tp.name.get(clang) for tp in catalog.touchpoints}
    with st.expander(t("plan.details", lang), icon=":material/manage_search:"):
        chosen = st.selectbox(
            t("plan.details_pick", lang), [a.id for a in shown], key="plan_detail",
            format_func=lambda i: f"{[a.id for a in shown].index(i) + 1}. {shorten(names.get(stored[i].touchpoint_id, ''), 50)} — "
                                  f"{shorten(stored[i].what, 70)}",
        )
        action = stored.get(chosen)
        if action is None:
            return
        st.markdown(f"**{t('plan.evidence', lang)}**")
        st.markdown(plain(action.evidence) if action.evidence else t("plan.no_evidence", lang))
        suggestion = services.plan.suggestions(ctx.store, ctx.token).get(action.id) if action.id is not None else None
        if not action.suggested or suggestion is None:
            st.caption(t("plan.added_by_hand", lang))
            return
        diff = planedit.suggestion_changes(action, suggestion)
        if not diff:
            st.caption(t("plan.as_suggested", lang))
            return
        st.markdown(f"**{t('plan.suggested_title', lang)}**")
        st.dataframe(
            pd.DataFrame(
                {
                    t("plan.col_field", lang): [field_label(f, lang) for f, _, _ in diff],
                    t("plan.col_suggested", lang): [_shown(f, v, lang, names) for f, v, _ in diff],
                    t("plan.col_now", lang): [_shown(f, v, lang, names) for f, _, v in diff],
                }
            ),
            hide_index=True, width="stretch", key="plan_suggested",
        )


def _shown(field: str, value: str, lang: str, names: dict[str, str]) -> str:
    try:
        if field == "status":
            return t(f"action_status.{ActionStatus(value).name.lower()}", lang)
        if field == "kind":
            return t(f"kind.{ActionKind(value).name.lower()}", lang)
        if field == "horizon":
            return t(f"horizon.{Horizon(value).name.lower()}", lang)
    except ValueError:
        return value
    if field == "touchpoint_id":
        return names.get(value, value)
    return value


# ------------------------------------------------------------------ downloads


def _prepare(ctx: PageContext) -> None:
    bar = st.progress(0.0, text=t("plan.xlsx_step.load", ctx.lang))

    def step(share: float, what: str) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=t(f"plan.xlsx_step.{what}", ctx.lang))

    crosshair, view = lens()
    data = errors.guarded(ctx.lang, lambda: services.results.workbook(ctx.store, ctx.token, crosshair, progress=step, view=view))
    bar.empty()
    if data is not None:
        st.session_state[XLSX] = {"audit_id": ctx.access.audit_id, "data": data, "at": dt.datetime.now().strftime("%H:%M")}


def downloads(ctx: PageContext) -> None:
    lang = ctx.lang
    st.subheader(t("plan.download_title", lang), anchor=False)
    st.caption(t("plan.download_help", lang))
    ready = st.session_state.get(XLSX)
    if ready and ready.get("audit_id") != ctx.access.audit_id:
        ready = None
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key="plan_downloads"):
        if ready is None and st.button(t("plan.xlsx_prepare", lang), icon=":material/table_view:", key="plan_xlsx_prepare",
                                       type="primary"):
            _prepare(ctx)
            ready = st.session_state.get(XLSX)
        if ready is not None:
            st.download_button(
                t("plan.xlsx_download", lang), ready["data"], file_name=services.results.file_name(ctx.audit, "xlsx"),
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
                key="plan_xlsx_download", type="primary", on_click="ignore",
            )
        csv = errors.guarded(lang, lambda: services.results.plan_csv(ctx.store, ctx.token, lang))
        if csv is not None:
            st.download_button(t("plan.csv_download", lang), csv, file_name=services.results.file_name(ctx.audit, "csv"), mime="text/csv",
                               icon=":material/csv:", key="plan_csv_download", on_click="ignore")
        handoff.calendar_button(ctx)
        report_button(ctx, "plan")
    if ready is not None:
        st.caption(t("plan.xlsx_ready", lang, time=ready["at"]))
    report_caption(ctx)


def _prepare_report(ctx: PageContext) -> None:
    crosshair, view = lens()
    with st.spinner(t("report.prepare", ctx.lang)):
        data = errors.guarded(ctx.lang, lambda: services.results.report(ctx.store, ctx.token, crosshair, today=dt.date.today(), view=view))
    if data is not None:
        st.session_state[PDF] = {"audit_id": ctx.access.audit_id, "crosshair": (crosshair, view), "data": data,
                                 "at": dt.datetime.now().strftime("%H:%M")}


def report_button(ctx: PageContext, where: str) -> None:
    """The owner's PDF report: prepared on request (it renders charts), then downloaded; shared by the plan and results pages."""
    ready = st.session_state.get(PDF)
    if ready and (ready.get("audit_id") != ctx.access.audit_id or ready.get("crosshair") != lens()):
        ready = None
    if ready is None and st.button(t("report.prepare", ctx.lang), icon=":material/picture_as_pdf:", key=f"{where}_pdf_prepare"):
        _prepare_report(ctx)
        ready = st.session_state.get(PDF)
    if ready is not None:
        st.download_button(t("report.download", ctx.lang), ready["data"], file_name=services.results.file_name(ctx.audit, "pdf"),
                           mime="application/pdf", icon=":material/picture_as_pdf:", key=f"{where}_pdf_download", on_click="ignore")


def report_caption(ctx: PageContext) -> None:
    ready = st.session_state.get(PDF)
    if ready and ready.get("audit_id") == ctx.access.audit_id:
        st.caption(t("report.ready", ctx.lang, time=ready["at"]))


# ------------------------------------------------------------------ upload (the round trip)


def _apply(ctx: PageContext, changes: list, delete: list) -> None:
    count = errors.guarded(ctx.lang, lambda: services.plan.apply_upload(ctx.store, ctx.token, changes, delete))
    if count is None:
        return
    st.session_state[NOTICE] = t("plan.upload_applied", ctx.lang, n=count)
    st.session_state[UPLOAD] = int(st.session_state.get(UPLOAD, 0)) + 1  # a fresh, empty uploader
    st.session_state.pop(XLSX, None)
    _rebuild(ctx)


def problem_text(problem: object, lang: str) -> str:
    """One problem of an uploaded workbook as a sentence (values from the file are escaped)."""
    raw = dict(getattr(problem, "details", {}))
    details = errors.escaped({k: v for k, v in raw.items() if k not in ("rule_key", "rule_params")}, lang)
    if "rule_key" in raw:  # a value the rules refuse: the rule in the person's language
        details["rule"] = errors.said(raw["rule_key"], raw.get("rule_params", {}), lang)
    if "field" in details:
        details["field"] = plain(field_label(str(raw["field"]), lang))
    if "fields" in details:
        details["fields"] = ", ".join(plain(field_label(f.strip(), lang)) for f in str(raw["fields"]).split(","))
    if "index" in raw:
        details["column"] = plain(plan_columns(Words(lang))[int(raw["index"])].header)
    text = t(full_key("roundtrip.", problem.key), lang, **details)  # type: ignore[attr-defined]
    row = getattr(problem, "row", None)
    return t("roundtrip.at_row", lang, row=row, text=text) if row else text


def upload(ctx: PageContext, catalog: Catalog) -> None:
    lang, clang = ctx.lang, ctx.clang
    st.subheader(t("plan.upload_title", lang), anchor=False)
    st.caption(t("plan.upload_help", lang))
    n = int(st.session_state.get(UPLOAD, 0))
    file = st.file_uploader(t("plan.upload", lang), type=["xlsx"], key=f"plan_upload:{n}")
    if file is None:
        return
    data = file.getvalue()
    preview = errors.guarded(lang, lambda: services.plan.preview_upload(ctx.store, ctx.token, data))
    if preview is None:
        errors.flash()
        return
    if preview.problems:
        problems = preview.problems
        st.error(t("roundtrip.refused", lang, n=len(problems), file=plain(file.name)), icon=":material/error:")
        st.markdown("\n".join(f"- {problem_text(p, lang)}" for p in problems[:50]))
        if len(problems) > 50:
            st.caption(t("roundtrip.more", lang, n=len(problems) - 50))
        return
    names = {tp.id: tp.name.get(clang) for tp in catalog.touchpoints}
    if preview.refused:
        st.warning(t("roundtrip.refused_edits", lang, n=len(preview.refused)), icon=":material/block:")
        st.markdown("\n".join(f"- {problem_text(p, lang)}" for p in preview.refused[:50]))
    delete: list = []
    if preview.deleted:
        st.markdown(f"**{t('roundtrip.deleted_title', lang, n=len(preview.deleted))}**")
        st.markdown("\n".join(f"- {plain(shorten(names.get(a.touchpoint_id, a.touchpoint_id), 60))}: {plain(shorten(a.what, 90))}"
                               for a in preview.deleted[:50]))
        choice = st.radio(t("roundtrip.deleted_choice", lang), ["keep", "delete"], key=f"plan_deleted:{n}", horizontal=True,
                          format_func=lambda v: t(f"roundtrip.deleted_{v}", lang))
        delete = list(preview.deleted) if choice == "delete" else []
    changes = list(preview.changes)
    if not changes and not delete:
        st.info(t("roundtrip.no_changes", lang), icon=":material/check:")
        return
    if changes:
        st.markdown(f"**{t('roundtrip.preview', lang, n=len(changes), actions=len({c.action_id for c in changes}))}**")
        st.dataframe(
            pd.DataFrame(
                {
                    t("roundtrip.col_row", lang): [c.row for c in changes],
                    t("plan.col_touchpoint", lang): [shorten(names.get(c.touchpoint_id, c.touchpoint_id), 60) for c in changes],
                    t("plan.col_field", lang): [field_label(c.field, lang) for c in changes],
                    t("roundtrip.col_before", lang): [_value(c.field, c.before, lang) for c in changes],
                    t("roundtrip.col_after", lang): [_value(c.field, c.after, lang) for c in changes],
                }
            ),
            hide_index=True, width="stretch", key="plan_upload_preview",
        )
    digest = hashlib.sha256(data).hexdigest()[:12]
    st.button(t("roundtrip.apply_all", lang, n=len(changes), deleted=len(delete)), type="primary", icon=":material/done_all:",
              key=f"plan_apply:{digest}:{len(delete)}", on_click=_apply, args=(ctx, changes, delete))


def _value(field: str, value: object, lang: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, ActionStatus):
        return t(f"action_status.{value.name.lower()}", lang)
    if isinstance(value, dt.date):
        return value.isoformat()
    return shorten(value, 80)
