"""Touchpoint Audit: the workshop app. Run with ``streamlit run audit_app.py``.

The token in the URL (``?t=...``) decides which pages exist for this person:
no token shows the welcome page; an owner link opens the facilitator's board;
a team link opens the rating walk-through; a garbage or rotated token shows
"this link is not valid". Pages live in ``audit/ui/pages/`` and stay thin.
"""

from __future__ import annotations

import logging
import traceback

import streamlit as st

from audit.i18n import t
from audit.ui import common, nav

log = logging.getLogger("audit.app")

st.set_page_config(page_title="Touchpoint Audit", page_icon=":material/hub:", layout="centered", initial_sidebar_state="collapsed")

token = common.token()
access = None
audit_language = None
try:
    store = common.store()
    access = store.resolve_token(token) if token else None
    if access is not None:
        audit_language = store.get_audit(access.audit_id).language
except Exception as err:  # the database is unreachable: say so, do not show a traceback
    log.error("cannot open the database: %s", common.redact("".join(traceback.format_exception_only(err))))
    st.error(t("error.database", common.ui_language()), icon=":material/database:")
    st.stop()

lang = common.ui_language(audit_language)
specs, default = nav.pages_for(access.role if access else None, token_given=bool(token))
pages = {
    spec.key: st.Page(spec.file, title=t(f"page.{spec.key}", lang), icon=spec.icon, url_path=spec.key, default=spec.key == default)
    for spec in specs
}
page = st.navigation(list(pages.values()), position="hidden")

goto = st.session_state.pop("_goto", None)
if goto == "home":
    goto = default
if goto in pages and pages[goto] is not page:
    st.switch_page(pages[goto], query_params=common.keep_params())

try:
    page.run()
except Exception as err:  # noqa: BLE001 - a clear message instead of a traceback; no secrets in the log
    log.error("page %s failed: %s", getattr(page, "url_path", "?"), common.redact("".join(traceback.format_exception(err))))
    st.error(t("error.unexpected", lang), icon=":material/error:")
