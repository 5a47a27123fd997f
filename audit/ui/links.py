"""The owner's links: owner, team and shopper links with QR codes, and rotation.

Links are stored hashed. The team and shopper links are derived from the
owner link (see ``audit.store.derive_link``), so whoever opens this page with
the owner link sees them again, any day, to put on the projector. Rotating a
link makes the old one stop working at once; rotating the owner link replaces
all three.
"""

from __future__ import annotations

import streamlit as st

from audit import services
from audit.departments import department_label
from audit.i18n import t
from audit.model import Role
from audit.services.permissions import Permission
from audit.ui import common, errors
from audit.ui.common import PageContext
from audit.ui.create import FRESH, JUST_CREATED
from audit.ui.text import plain


def known_links(ctx: PageContext) -> dict[Role, str]:
    """The audit's links: re-derived from the owner link in the URL (checked on the server)."""
    fresh = st.session_state.get(FRESH) or {}
    known: dict[Role, str] = {}
    if fresh.get("audit_id") == ctx.access.audit_id:
        known = {Role(r): v for r, v in fresh.get("links", {}).items()}
    with errors.handled(ctx.lang, "links"):  # shown in place: the owner link below still works
        known.update(services.audits.links(ctx.store, ctx.token))
    known[Role.OWNER] = ctx.token
    return known


def _remember(ctx: PageContext, role: Role, value: str) -> None:
    fresh = st.session_state.get(FRESH) or {}
    if fresh.get("audit_id") != ctx.access.audit_id:
        fresh = {"audit_id": ctx.access.audit_id, "links": {}, "people": []}
    fresh["links"][role.value] = value
    st.session_state[FRESH] = fresh


def _rotate(ctx: PageContext, role: Role) -> None:
    new = errors.guarded(ctx.lang, lambda: services.audits.rotate_link(ctx.store, ctx.token, role))
    if new is None:
        return
    _remember(ctx, role, new)
    if role is Role.OWNER:
        st.query_params["t"] = new  # keep the owner in: the old owner link no longer works
    st.session_state["_rotated"] = role.value


def render() -> None:
    ctx = common.open_page("links", Permission.MANAGE_LINKS)
    lang = ctx.lang
    errors.flash()
    st.title(t("links.title", lang))
    if st.session_state.pop(JUST_CREATED, None) == ctx.access.audit_id:
        st.success(t("links.created", lang, name=plain(ctx.audit.name)), icon=":material/check_circle:")
    rotated = st.session_state.pop("_rotated", None)
    if rotated:
        st.success(t("links.rotated", lang, role=t(f"role.{rotated}", lang)), icon=":material/autorenew:")
    st.warning(t("links.owner_warning", lang), icon=":material/key:")

    known = known_links(ctx)
    # The team link is what goes on the projector; the owner and shopper links stay folded away.
    for role in (Role.TEAM, Role.OWNER, Role.SHOPPER):
        if role is Role.TEAM:
            box = st.container(border=True, key=f"link_{role.value}")
        else:
            box = st.expander(t(f"links.{role.value}", lang), icon=":material/key:" if role is Role.OWNER else ":material/storefront:")
        with box:
            if role is Role.TEAM:
                st.subheader(t(f"links.{role.value}", lang), anchor=False)
            st.caption(t(f"links.{role.value}_help", lang))
            value = known.get(role)
            if value:
                url = common.link(value)
                st.code(url, language=None, wrap_lines=True)
                common.qr(url, width=360 if role is Role.TEAM else 220)
            else:
                st.info(t("links.hidden", lang), icon=":material/visibility_off:")
            st.divider()
            st.markdown(f"**{t('links.rotate', lang)}**")
            st.caption(t(f"links.rotate_help_{role.value}", lang))
            sure = st.checkbox(t("links.rotate_sure", lang), key=f"sure_{role.value}")
            st.button(
                t("links.rotate_button", lang), key=f"rotate_{role.value}", disabled=not sure,
                on_click=_rotate, args=(ctx, role), icon=":material/autorenew:",
            )

    _departments(ctx)
    _people(ctx, known.get(Role.TEAM))


def _departments(ctx: PageContext) -> None:
    """The departments people pick from when they join (one per line; the defaults stay translated)."""
    lang = ctx.lang
    saved = st.session_state.pop("_departments_saved", None)
    with st.expander(t("links.departments", lang), icon=":material/groups:", expanded=saved is not None):
        if saved is not None:
            st.success(t("links.departments_saved", lang, n=saved), icon=":material/check_circle:")
        with st.form("departments", border=False):
            text = st.text_area(t("links.departments", lang), "\n".join(department_label(d, lang) for d in ctx.audit.departments),
                                height=200, help=t("links.departments_help", lang), label_visibility="collapsed", key="departments_text")
            st.caption(t("links.departments_help", lang))
            go = st.form_submit_button(t("links.departments_save", lang), icon=":material/save:")
        if go:
            try:
                changed = services.audits.set_departments(ctx.store, ctx.token, text)
            except Exception as err:  # refused: say why, nothing was stored
                errors.show(err, lang, "action")
            else:
                st.session_state["_departments_saved"] = len(changed.departments)
                st.rerun()


def _people(ctx: PageContext, team: str | None) -> None:
    """Every person's personal link and QR code, any day (a person continues on a new device with it)."""
    lang = ctx.lang
    people = errors.guarded(lang, lambda: services.audits.people(ctx.store, ctx.token)) or []
    if not people or not team:
        return
    st.subheader(t("links.personal", lang), anchor=False)
    st.caption(t("links.personal_help", lang))
    for person in people:
        state = t("links.opened" if person.first_seen else "links.not_opened", lang)
        with st.expander(f"{plain(person.name)} · {state}", icon=":material/person:"):
            url = common.link(team, person.id)
            st.code(url, language=None, wrap_lines=True)
            common.qr(url, width=200)
