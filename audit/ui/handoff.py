"""Hand the plan over (owner link): files for calendars and trackers, and pushing to Bitrix24 or amoCRM.

Every read and write goes through :mod:`audit.services.handoff`, which checks
the owner link on the server. Secrets are typed into forms that clear
themselves when submitted, are sealed at once, and come back masked only.

A push runs in steps (:mod:`audit.handoff.push`): while it runs, a fragment
re-runs itself every 0.2 s and each run sends one batch, so the progress bar
shows n of N and the rest of the page stays usable (Stop is a button in the
fragment). The claim that keeps two tabs from creating a task twice is this
browser session's; the pacer (2 requests per second for Bitrix24, 7 for
amoCRM) lives in the session too, across the steps.
"""

from __future__ import annotations

import secrets
import zoneinfo
from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from audit import services
from audit.handoff import amocrm, bitrix24
from audit.handoff.client import Pacer
from audit.handoff.errors import HandoffError
from audit.handoff.records import Target, TaskState
from audit.i18n import t
from audit.services import handoff as service
from audit.services.permissions import Permission
from audit.ui import common, errors
from audit.ui.common import PageContext
from audit.ui.text import plain, shorten

NAMES = service.NAMES
INTERVALS = {Target.BITRIX24: bitrix24.INTERVAL, Target.AMOCRM: amocrm.INTERVAL}
NOTICE = "_ho_notice"
CLAIM = "_ho_claim"
STEP_SECONDS = 0.2


def guarded(lang: str, work: Callable[[], Any]) -> Any:
    """:func:`audit.ui.errors.guarded` for this page (hand-off problems are said like every refusal)."""
    return errors.guarded(lang, work, "handoff")


def _pacer(target: Target) -> Pacer:
    key = f"_ho_pacer:{target.value}"
    if key not in st.session_state:
        st.session_state[key] = Pacer(INTERVALS[target])
    pacer: Pacer = st.session_state[key]
    return pacer


def _claim() -> str:
    if CLAIM not in st.session_state:
        st.session_state[CLAIM] = "s-" + secrets.token_hex(8)
    claim: str = st.session_state[CLAIM]
    return claim


def render() -> None:
    ctx = common.open_page("handoff", Permission.HAND_OFF)
    lang = ctx.lang
    errors.flash()
    st.title(t("handoff.title", lang))
    st.caption(t("handoff.intro", lang))
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice, icon=":material/check:")
    view = service.overview(ctx.store, ctx.token)
    files(ctx)
    time_zone(ctx, view)
    tabs = st.tabs([NAMES[Target.BITRIX24], NAMES[Target.AMOCRM]])
    for tab, target in zip(tabs, (Target.BITRIX24, Target.AMOCRM), strict=True):
        with tab:
            target_panel(ctx, view, target)


# ------------------------------------------------------------------ files


def calendar_button(ctx: PageContext) -> None:
    """The ``.ics`` download (also on the plan page)."""
    data = guarded(ctx.lang, lambda: service.calendar_file(ctx.store, ctx.token))
    if data is not None:
        st.download_button(t("plan.ics_download", ctx.lang), data, file_name=services.results.file_name(ctx.audit, "ics"),
                           mime="text/calendar", icon=":material/event:", key="ho_ics", on_click="ignore")


def files(ctx: PageContext) -> None:
    lang = ctx.lang
    st.subheader(t("handoff.files_title", lang), anchor=False)
    st.caption(t("handoff.files_help", lang))
    with st.container(horizontal=True, gap="small", key="ho_files"):
        calendar_button(ctx)
        makers: tuple[tuple[str, Callable[[Any, str | None], bytes], str], ...] = (
            ("ho_jira", service.jira_file, "jira"), ("ho_asana", service.asana_file, "asana"))
        for key, make, name in makers:
            data = guarded(lang, partial(make, ctx.store, ctx.token))
            if data is not None:
                st.download_button(t(f"handoff.{name}_download", lang), data, key=key, on_click="ignore", mime="text/csv",
                                   file_name=services.results.file_name(ctx.audit, f"{name}.csv"), icon=":material/csv:")


def _save_zone(ctx: PageContext) -> None:
    zone = st.session_state.get("ho_zone") or ""
    audit = guarded(ctx.lang, lambda: service.set_time_zone(ctx.store, ctx.token, zone))
    if audit is not None:
        st.session_state[NOTICE] = t("handoff.zone_saved", ctx.lang, zone=zone or service.server_time_zone())


def time_zone(ctx: PageContext, view: service.Overview) -> None:
    lang = ctx.lang
    options = ["", *sorted(zoneinfo.available_timezones())]
    current = view.audit.time_zone if view.audit.time_zone in options else ""
    st.selectbox(t("handoff.zone_title", lang), options, index=options.index(current), key="ho_zone",
                 format_func=lambda z: z or t("handoff.zone_server", lang, zone=view.server_zone),
                 help=t("handoff.zone_help", lang), on_change=_save_zone, args=(ctx,))


# ------------------------------------------------------------------ one CRM


def target_panel(ctx: PageContext, view: service.Overview, target: Target) -> None:
    connection_panel(ctx, view, target)
    if target not in view.connections:
        return
    st.divider()
    people_panel(ctx, view, target)
    st.divider()
    push_panel(ctx, view, target)


def _connected(ctx: PageContext, saved: service.Connected | None) -> None:
    if saved is not None:
        st.session_state[NOTICE] = t("handoff.saved", ctx.lang) + (" " + t("handoff.forgot", ctx.lang) if saved.forgot else "")


def _save_bitrix24(ctx: PageContext) -> None:
    url = st.session_state.get("ho_b24_url") or ""
    st.session_state["ho_b24_url"] = ""  # the secret never goes back to the browser, saved or refused
    _connected(ctx, guarded(ctx.lang, lambda: service.connect_bitrix24(ctx.store, ctx.token, url)))


def _save_amocrm(ctx: PageContext) -> None:
    state = st.session_state
    account, secret, kind = state.get("ho_amo_account") or "", state.get("ho_amo_token") or "", state.get("ho_amo_type") or 1
    state["ho_amo_token"] = ""  # the secret never goes back to the browser, saved or refused
    _connected(ctx, guarded(ctx.lang, lambda: service.connect_amocrm(ctx.store, ctx.token, account, secret, kind)))


def _disconnect(ctx: PageContext, target: Target) -> None:
    def work() -> bool:
        service.disconnect(ctx.store, ctx.token, target.value)
        return True

    if guarded(ctx.lang, work):
        st.session_state[NOTICE] = t("handoff.disconnected", ctx.lang)
        st.session_state.pop(f"_ho_users:{target.value}", None)


def connection_panel(ctx: PageContext, view: service.Overview, target: Target) -> None:
    lang = ctx.lang
    st.subheader(t("handoff.connection", lang), anchor=False)
    found = view.connections.get(target)
    if found is not None:
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.markdown(t("handoff.connected", lang, shown=plain(found.shown)))
            st.button(t("handoff.disconnect", lang), key=f"ho_disconnect:{target.value}", on_click=_disconnect,
                      args=(ctx, target), icon=":material/link_off:", type="tertiary")
    st.caption(t("handoff.b24_help" if target is Target.BITRIX24 else "handoff.amo_help", lang))
    with st.form(f"ho_form:{target.value}", clear_on_submit=True, border=True):
        if target is Target.BITRIX24:
            st.text_input(t("handoff.b24_url", lang), key="ho_b24_url", type="password", max_chars=500,
                          placeholder="https://portal.bitrix24.ru/rest/1/…/")
            action = _save_bitrix24
        else:
            st.text_input(t("handoff.amo_account", lang), key="ho_amo_account", max_chars=200, placeholder="mycompany")
            st.text_input(t("handoff.amo_token", lang), key="ho_amo_token", type="password", max_chars=service.TOKEN_LIMIT)
            st.number_input(t("handoff.amo_task_type", lang), key="ho_amo_type", min_value=1, value=1, step=1)
            action = _save_amocrm
        st.form_submit_button(t("handoff.save", lang), on_click=action, args=(ctx,), icon=":material/lock:")


# ------------------------------------------------------------------ people


def _load_users(ctx: PageContext, target: Target) -> None:
    users = guarded(ctx.lang, lambda: service.remote_people(ctx.store, ctx.token, target.value, pacer=_pacer(target)))
    if users is not None:
        st.session_state[f"_ho_users:{target.value}"] = [(u.id, u.name) for u in users]


def _save_people(ctx: PageContext, target: Target, owners: tuple[str, ...]) -> None:
    choice = {owner: st.session_state.get(f"ho_person:{target.value}:{i}") or None for i, owner in enumerate(owners)}
    saved = guarded(ctx.lang, lambda: service.save_people(ctx.store, ctx.token, target.value, choice, pacer=_pacer(target)))
    if saved is not None:
        st.session_state[NOTICE] = t("handoff.people_saved", ctx.lang, n=len(saved))


def people_panel(ctx: PageContext, view: service.Overview, target: Target) -> None:
    lang, name = ctx.lang, NAMES[target]
    st.subheader(t("handoff.people_title", lang), anchor=False)
    st.caption(t("handoff.people_help", lang, target=name))
    current = view.people[target]
    users = st.session_state.get(f"_ho_users:{target.value}")
    if users is None:
        for owner in view.owners:
            person = current.get(owner)
            label = plain(owner) if owner else t("handoff.no_owner", lang)
            st.markdown(f"- {label}: " + (plain(person.remote_name) if person else t("handoff.people_nobody", lang)))
        st.button(t("handoff.people_load", lang, target=name), key=f"ho_load:{target.value}", on_click=_load_users,
                  args=(ctx, target), icon=":material/group:")
        return
    names = dict(users)
    options = ["", *names]
    with st.form(f"ho_people:{target.value}", border=True):
        for i, owner in enumerate(view.owners):
            chosen = current[owner].remote_id if owner in current and current[owner].remote_id in names else ""
            st.selectbox(shorten(owner, 80) if owner else t("handoff.no_owner", lang), options, index=options.index(chosen),
                         key=f"ho_person:{target.value}:{i}",
                         format_func=lambda x: names.get(x, "") if x else t("handoff.people_nobody", lang))
        st.form_submit_button(t("handoff.people_save", lang), on_click=_save_people, args=(ctx, target, view.owners),
                              icon=":material/save:")


# ------------------------------------------------------------------ push and refresh


def _run_key(target: Target) -> str:
    return f"_ho_run:{target.value}"


def _start(target: Target) -> None:
    st.session_state[_run_key(target)] = {"active": True, "attempted": [], "created": 0, "updated": 0, "found": 0,
                                          "problems": [], "skipped": [], "error": "", "n": 0, "total": 0}


def _stop(target: Target) -> None:
    run = st.session_state.get(_run_key(target))
    if run:
        run["active"] = False


def _refresh(ctx: PageContext, target: Target) -> None:
    done = guarded(ctx.lang, lambda: service.refresh(ctx.store, ctx.token, target.value, pacer=_pacer(target)))
    if done is not None:
        st.session_state[NOTICE] = t("handoff.refreshed", ctx.lang, target=NAMES[target], done=done.done,
                                     done_now=done.done_now, open=done.open, gone=done.gone)


def counts(view: service.Overview, target: Target) -> dict[str, int]:
    ids = {x.action_id for x in view.texts}
    links = [link for action_id, link in view.links[target].items() if action_id in ids]
    pushed = sum(1 for link in links if link.remote_id and link.state is TaskState.PUSHED)
    failed = sum(1 for link in links if link.state is TaskState.FAILED)
    return {"pushed": pushed, "failed": failed, "waiting": len(ids) - pushed - failed, "total": len(ids)}


def push_panel(ctx: PageContext, view: service.Overview, target: Target) -> None:
    lang, name = ctx.lang, NAMES[target]
    st.subheader(t("handoff.push_title", lang), anchor=False)
    st.caption(t("handoff.push_help", lang))
    st.markdown(t("handoff.counts", lang, target=name, **counts(view, target)))
    run = st.session_state.get(_run_key(target))
    every = STEP_SECONDS if run and run.get("active") else None
    st.fragment(run_every=every)(push_progress)(ctx, view, target)
    st.button(t("handoff.refresh", lang, target=name), key=f"ho_refresh:{target.value}", on_click=_refresh,
              args=(ctx, target), icon=":material/sync:")


def _step(ctx: PageContext, target: Target, run: dict[str, Any]) -> None:
    """One step of the push; the run remembers what happened (a failure ends the run with a message)."""
    try:
        result = service.push(ctx.store, ctx.token, target.value, claim=_claim(), attempted=frozenset(run["attempted"]),
                              pacer=_pacer(target))
    except Exception as err:  # a hand-off problem, a refusal, or a bug (logged once with a reference)
        message = errors.message(err, ctx.lang, "handoff push")
        run.update(active=False, error=message)
        if isinstance(err, HandoffError):
            run["problems"] += [(action_id, message) for action_id in err.actions]
        return
    run["attempted"] = sorted(set(run["attempted"]) | set(result.attempted))
    for name in ("created", "updated", "found"):
        run[name] += getattr(result, name)
    run["problems"] += [(p.action_id, p.reason) for p in result.problems]
    after = result.after or result.plan
    run.update(n=after.total - after.remaining, total=after.total, skipped=[(s.action_id, s.reason, s.owner) for s in after.skipped])
    if result.finished:
        run["active"] = False


def _report(ctx: PageContext, view: service.Overview, run: dict[str, Any]) -> None:
    lang = ctx.lang
    numbers = {x.action_id: (i + 1, x.title) for i, x in enumerate(view.texts)}
    if run["error"]:
        st.error(t("handoff.stopped", lang, error=run["error"]), icon=":material/error:")
    else:
        st.success(t("handoff.finished", lang, created=run["created"], updated=run["updated"], found=run["found"],
                     problems=len(run["problems"])), icon=":material/done_all:")
    lines = []
    for action_id, reason in run["problems"]:
        number, title = numbers.get(action_id, (0, ""))
        lines.append("- " + t("handoff.problem", lang, number=number, title=plain(shorten(title, 80)), reason=plain(reason)))
    if lines:
        st.markdown("\n".join(lines))
    if run["skipped"]:
        st.caption(t("handoff.skipped", lang, n=len(run["skipped"])))
        skipped = []
        for action_id, why, owner in run["skipped"][:50]:
            number, title = numbers.get(action_id, (0, ""))
            reason = t(f"handoff.skip.{why}", lang, owner=plain(owner or t("handoff.no_owner", lang)))
            skipped.append("- " + t("handoff.problem", lang, number=number, title=plain(shorten(title, 80)), reason=reason))
        st.markdown("\n".join(skipped))


def push_progress(ctx: PageContext, view: service.Overview, target: Target) -> None:
    """The push's fragment: one step per run while a push is on, then the report."""
    lang = ctx.lang
    run = st.session_state.get(_run_key(target))
    if run and run["active"]:
        _step(ctx, target, run)
        if not run["active"]:
            st.rerun()  # the whole page, with the new counts; the fragment stops re-running itself
        total = max(int(run["total"]), 1)
        st.progress(min(int(run["n"]) / total, 1.0), text=t("handoff.progress", lang, n=run["n"], total=run["total"]))
        st.button(t("handoff.stop", lang), key=f"ho_stop:{target.value}", on_click=_stop, args=(target,), icon=":material/stop:")
        return
    st.button(t("handoff.push", lang, target=NAMES[target]), type="primary", key=f"ho_push:{target.value}", on_click=_start,
              args=(target,), icon=":material/send:")
    if run:
        _report(ctx, view, run)
