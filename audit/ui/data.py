"""Export or erase this audit (owner link): for data-protection requests and moves between servers.

The export is a zip of every record of the audit and its photos
(:mod:`audit.archive`). Erasing needs the audit's name typed; the server
checks it again before it deletes every row and photo of the audit, in one
transaction, and nothing else. The owner then lands on the welcome page.
"""

from __future__ import annotations

import streamlit as st

from audit import services
from audit.i18n import t
from audit.services.permissions import Permission
from audit.ui import common, errors, nav, welcome
from audit.ui.common import PageContext
from audit.ui.text import plain

EXPORT = "_data_export"  # (audit id, file name, zip bytes, manifest) of this session's last export


def render() -> None:
    ctx = common.open_page("data", Permission.EXPORT_AUDIT)
    lang = ctx.lang
    errors.flash()
    st.title(t("data.title", lang))
    st.markdown(t("data.intro", lang))
    _export(ctx)
    st.divider()
    _erase(ctx)


def _export(ctx: PageContext) -> None:
    lang = ctx.lang
    st.subheader(t("data.export", lang), anchor=False)
    st.caption(t("data.export_help", lang))
    if st.button(t("data.prepare", lang), icon=":material/folder_zip:", key="data_prepare"):
        made = errors.guarded(lang, lambda: services.portability.export_zip(ctx.store, ctx.token))
        if made is not None:
            st.session_state[EXPORT] = (ctx.access.audit_id, *made)
        else:
            errors.flash()
    kept = st.session_state.get(EXPORT)
    if kept and kept[0] == ctx.access.audit_id:
        _audit_id, name, data, manifest = kept
        rows = sum(int(table["rows"]) for table in manifest["tables"])
        st.caption(t("data.ready", lang, rows=f"{rows:,}", tables=len(manifest["tables"])))
        st.download_button(
            t("data.download", lang), data, file_name=name, mime="application/zip", type="primary",
            icon=":material/download:", key="data_download", on_click="ignore",
        )


def _erase(ctx: PageContext) -> None:
    lang = ctx.lang
    st.subheader(t("data.erase", lang), anchor=False)
    st.warning(t("data.erase_warning", lang, name=plain(ctx.audit.name)), icon=":material/warning:")
    typed = st.text_input(t("data.erase_type", lang, name=plain(ctx.audit.name)), max_chars=400, key="data_confirm")
    matches = services.portability.confirmation_matches(ctx.audit, typed)
    if not st.button(t("data.erase_button", lang), type="primary", disabled=not matches, icon=":material/delete_forever:", key="data_erase"):
        return
    erased = errors.guarded(lang, lambda: services.portability.erase(ctx.store, ctx.token, typed))
    if erased is None:
        st.rerun()
    st.session_state.pop(EXPORT, None)
    st.session_state[welcome.ERASED] = ctx.audit.name
    st.switch_page(nav.BY_KEY["welcome"].file, query_params={})
