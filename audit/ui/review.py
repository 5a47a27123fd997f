"""The owner's review of mystery-shopper visits: accept, reject (with a reason) or ask for a revision.

Only accepted visits count in the scores; the others are kept. Counts per
shopper and per target come first, then the visits the filters keep (newest
first) with their observations, the standards judged and the photo
thumbnails. Drafts stay the shopper's own until submitted: counted, not shown.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st

from audit import review, services
from audit.i18n import t
from audit.model import ShopperVisit, ValidationError, VisitStatus
from audit.services.permissions import Permission
from audit.ui import common, errors, visit_card
from audit.ui.common import PageContext

SHOWN = 30  # visits drawn at once; the filters narrow the list
ALL = "*"


def render() -> None:
    ctx = common.open_page("review", Permission.REVIEW_VISITS)
    lang, clang = ctx.lang, ctx.clang
    errors.flash()
    data = services.review.review_data(ctx.store, ctx.token)
    zone = visit_card.browser_zone()
    st.title(t("review.title", lang))
    st.caption(t("review.intro", lang))
    done = st.session_state.pop("_reviewed", None)
    if done:
        st.success(t(f"review.done_{done[1]}", lang, n=done[0]), icon=":material/check_circle:")

    names = {p.id: p.name for p in data.participants}
    _counts(data, lang)

    shoppers = [c.key for c in review.per_shopper(data.visits, data.participants)]
    targets = ["", *data.audit.competitors]
    statuses = st.pills(
        t("review.status", lang), [s.value for s in review.REVIEWABLE], selection_mode="multi",
        default=[VisitStatus.SUBMITTED.value], format_func=lambda s: t(f"visit_status.{s}", lang), key="review_status",
    )
    with st.container(horizontal=True, gap="small", key="review_filters"):
        shopper = st.selectbox(t("review.shopper", lang), [ALL, *shoppers], key="review_shopper",
                               format_func=lambda i: t("review.all", lang) if i == ALL else names.get(i, i))
        target = st.selectbox(t("review.target", lang), [ALL, *targets], key="review_target",
                              format_func=lambda x: t("review.all", lang) if x == ALL else visit_card.target_label(x, lang))
    visits = review.select(review.reviewable(data.visits), statuses or [], None if shopper == ALL else shopper,
                           None if target == ALL else target)
    if not visits:
        st.info(t("review.none", lang), icon=":material/inbox:")
        return
    if len(visits) > SHOWN:
        st.caption(t("review.showing", lang, shown=SHOWN, total=len(visits)))
    thumbs = services.review.visit_thumbnails(ctx.store, ctx.token, [v.id for v in visits[:SHOWN]])
    for visit in visits[:SHOWN]:
        _visit(ctx, visit, data, names, thumbs.get(int(visit.id or 0), []), zone, clang)


def _counts(data: services.review.ReviewData, lang: str) -> None:
    def table(rows: list[review.Counts], label: str) -> pd.DataFrame:
        return pd.DataFrame({
            label: [r.label for r in rows],
            t("visit_status.submitted", lang): [r.submitted for r in rows],
            t("visit_status.revision", lang): [r.revision for r in rows],
            t("visit_status.accepted", lang): [r.accepted for r in rows],
            t("visit_status.rejected", lang): [r.rejected for r in rows],
            t("visit_status.draft", lang): [r.draft for r in rows],
        })

    by_shopper = review.per_shopper(data.visits, data.participants)
    by_target = review.per_target(data.visits, data.audit.competitors, t("visit.ours", lang))
    left, right = st.tabs([t("review.per_shopper", lang), t("review.per_target", lang)])
    with left:
        if by_shopper:
            st.dataframe(table(by_shopper, t("review.shopper", lang)), hide_index=True, width="stretch", key="review_by_shopper")
        else:
            st.caption(t("review.no_shoppers", lang))
    with right:
        st.dataframe(table(by_target, t("review.target", lang)), hide_index=True, width="stretch", key="review_by_target")


def _visit(ctx: PageContext, visit: ShopperVisit, data: services.review.ReviewData, names: dict[str, str], photos: list[dict],
           zone: str | None, clang: str) -> None:
    lang = ctx.lang
    vid = int(visit.id or 0)
    with st.container(border=True, key=f"review_{vid}"):
        visit_card.heading(visit, lang, zone, shopper=names.get(visit.shopper_id, "?"))
        st.caption(t("review.counts" if visit.status is VisitStatus.ACCEPTED else "review.not_counted", lang))
        visit_card.details(visit, lang)
        if photos:
            visit_card.thumbnails(photos, lang)
        visit_card.observations(visit, data.catalog, data.standards, lang, clang, judge=True)
        problem = st.session_state.get("_review_problem")
        if problem and problem[0] == vid:
            st.session_state.pop("_review_problem", None)
            st.error(problem[1], icon=":material/error:")
        note_key = f"review_note:{vid}"
        st.text_input(t("review.note", lang), key=note_key, max_chars=2000, placeholder=t("review.note_placeholder", lang))
        with st.container(horizontal=True, gap="small", key=f"review_buttons_{vid}"):
            kinds: tuple[tuple[VisitStatus, str, Literal["primary", "secondary"]], ...] = (
                (VisitStatus.ACCEPTED, ":material/check_circle:", "primary"),
                (VisitStatus.REVISION, ":material/undo:", "secondary"),
                (VisitStatus.REJECTED, ":material/cancel:", "secondary"),
            )
            for decision, icon, kind in kinds:
                st.button(
                    t(f"review.do_{decision.value}", lang), key=f"review_{decision.value}:{vid}", icon=icon, type=kind,
                    on_click=_decide, args=(ctx.token, vid, decision.value, note_key, lang),
                    disabled=visit.status is decision,
                )


def _decide(token: str, vid: int, decision: str, note_key: str, lang: str) -> None:
    note = st.session_state.get(note_key) or ""
    try:
        services.review.review_visit(common.store(), token, vid, decision, note)
    except Exception as err:
        reason = isinstance(err, ValidationError) and err.key == "rule.reject_reason"
        st.session_state["_review_problem"] = (vid, t("review.error_reason", lang) if reason else errors.message(err, lang, "review"))
    else:
        st.session_state["_reviewed"] = (vid, decision)
        st.session_state.pop(note_key, None)

