"""Small widgets shared by the shopper's report and the owner's review: one visit, as text.

People's text (targets, locations, scenarios, observations) is always escaped
with :func:`audit.ui.text.plain`; icons and words come from :mod:`audit.i18n`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Literal

import streamlit as st

from audit.economics import share_text
from audit.i18n import t
from audit.model import Catalog, ShopperVisit, Standard, StandardKind, VisitStatus
from audit.review import observation_lines
from audit.shopper_report import to_local
from audit.ui.text import plain

STATUS_LOOK: dict[VisitStatus, tuple[Literal["gray", "blue", "orange", "green", "red"], str]] = {
    VisitStatus.DRAFT: ("gray", ":material/edit_note:"),
    VisitStatus.SUBMITTED: ("blue", ":material/send:"),
    VisitStatus.REVISION: ("orange", ":material/undo:"),
    VisitStatus.ACCEPTED: ("green", ":material/check_circle:"),
    VisitStatus.REJECTED: ("red", ":material/cancel:"),
}


def browser_zone() -> str | None:
    """The browser's time zone name (``None`` without a browser, e.g. in tests: UTC is used)."""
    try:
        return st.context.timezone or None
    except Exception:
        return None


def when(moment: dt.datetime, zone: str | None) -> str:
    return to_local(moment, zone).strftime("%Y-%m-%d %H:%M")


def target_label(target: str, lang: str) -> str:
    """Plain text (not Markdown): our business or the competitor's name."""
    return target if target else t("visit.ours", lang)


def status_badge(status: VisitStatus, lang: str) -> None:
    colour, icon = STATUS_LOOK[status]
    st.badge(t(f"visit_status.{status.value}", lang), icon=icon, color=colour)


def heading(visit: ShopperVisit, lang: str, zone: str | None, shopper: str | None = None) -> None:
    """``Our business · Phone call`` in bold, then date, place and shopper; the status as a badge."""
    title = f"{plain(target_label(visit.target, lang))} · {t(f'visit_channel.{visit.channel.value}', lang)}"
    st.markdown(f"**{title}**")
    parts = [when(visit.visited_at, zone)]
    if visit.location:
        parts.append(plain(visit.location))
    if shopper:
        parts.append(t("visit.by", lang, name=plain(shopper)))
    st.caption(" · ".join(parts))
    status_badge(visit.status, lang)


def details(visit: ShopperVisit, lang: str) -> None:
    if visit.scenario:
        st.markdown(f"**{t('visit.scenario', lang)}:** {plain(visit.scenario)}")
    if visit.recommend is not None:
        st.markdown(f"**{t('visit.recommend_short', lang)}:** {visit.recommend} / 10")
    if visit.review_note and visit.status in (VisitStatus.REJECTED, VisitStatus.REVISION, VisitStatus.ACCEPTED):
        st.markdown(f"**{t('visit.review_note', lang)}:** {plain(visit.review_note)}")


def measurement_text(value: float, standard: Standard | None, clang: str, lang: str = "en") -> str:
    """A number with its unit; a yes/no answer as yes or no; a checklist's items met of all, with the share."""
    if standard is not None and standard.kind is StandardKind.YES_NO:
        return t("shopper.answer_yes" if value >= 1 else "shopper.answer_no", lang)
    if standard is not None and standard.kind is StandardKind.CHECKLIST:
        total = len(standard.items)
        return t("visit.checklist_share", lang, met=round(value * total), total=total, share=share_text(value, lang))
    unit = standard.unit.get(clang) if standard else ""
    return f"{value:g} {plain(unit)}".strip()


def observations(
    visit: ShopperVisit, catalog: Catalog, standards: Mapping[str, Standard], lang: str, clang: str, *, judge: bool
) -> None:
    """Every observation: touchpoint, reaction (icon and word), what happened, the measurement (judged for the owner)."""
    if not visit.observations:
        st.caption(t("visit.no_observations", lang))
        return
    for line in observation_lines(visit, catalog, standards, clang):
        text = f"**{plain(line.name)}** — {t(f'reaction.{line.reaction.value}', lang)}"
        if line.measurement is not None:
            text += f"  \n{t('visit.measured', lang)}: {measurement_text(line.measurement, line.standard, clang, lang)}"
            if judge and line.standard is not None:
                verdict = t("standard.met", lang) if line.met else t("standard.not_met", lang)
                text += f" · {plain(line.standard.describe(clang))} · {verdict}"
        if line.text:
            text += f"  \n{plain(line.text)}"
        st.markdown(text)


def thumbnails(photos: Iterable[dict], lang: str, width: int = 140) -> None:
    items = list(photos)
    if not items:
        return
    with st.container(horizontal=True, gap="small", key=f"thumbs_{items[0]['visit_id']}"):
        for photo in items:
            st.image(photo["thumbnail"], width=width)
