"""Touchpoint Audit: the workshop app. Run with ``streamlit run audit_app.py``.

The token in the URL (``?t=...``) decides which pages exist for this person:
no token shows the welcome page; an owner link opens the facilitator's board;
a team link opens the rating walk-through; a workspace link opens the
consultant's workspace; a garbage or rotated token shows "this link is not valid". Pages live in ``audit/ui/pages/`` and stay thin.
"""

from __future__ import annotations

import streamlit as st

from audit.i18n import t
from audit.ui import common, errors, nav

PAGE_ICON = ":material/hub:"

token = common.token()
access = None
audit = None
workspace = None
try:
    store = common.store()
    access = store.resolve_token(token) if token else None
    if access is not None:
        audit = store.get_audit(access.audit_id)
    elif token:
        workspace = store.resolve_workspace(token)  # a consultant's workspace link (a fourth kind)
except Exception as err:  # e.g. the database is unreachable: say so (logged once per kind and session), no traceback
    st.set_page_config(page_title="Touchpoint Audit", layout="centered", page_icon=PAGE_ICON, initial_sidebar_state="collapsed")
    errors.show(err, common.ui_language(), "start")
    st.stop()

lang = common.ui_language(audit.language if audit else None)
specs, default = nav.pages_for(access.role if access else None, token_given=bool(token), audit=audit, workspace=workspace is not None)
# A link's root URL opens its role's home page; that page must also answer to its own path
# (/board?t=..., /rate?t=...). Streamlit serves the default page at the root only, so with a link
# the default is a tiny page that forwards to the home page.
forward = access is not None
pages = {
    spec.key: st.Page(
        spec.file, title=t(f"page.{spec.key}", lang), icon=spec.icon, url_path=spec.key, default=spec.key == default and not forward
    )
    for spec in specs
}
root = st.Page(common.forward_home, title=t(f"page.{default}", lang), url_path="home", default=True) if forward else None
page = st.navigation([*([root] if root else []), *pages.values()], position="hidden")
if root is not None and page is root:
    st.switch_page(pages[default], query_params=st.query_params.to_dict())
# One page config per run, once the page is known: two calls with different layouts in one run make
# the browser flip between wide and centered on reruns (seen with Streamlit 1.67).
here = getattr(page, "url_path", None)
# The rating page's quick grid is a wide table: that view uses the whole window (chosen on the page itself).
wide = any(spec.wide for spec in specs if spec.key == here) or (here == "rate" and st.session_state.get("rate_view") == "grid")
title = getattr(page, "title", None) or "Touchpoint Audit"  # bare mode (no server) has a page without a title
st.set_page_config(page_title=title, layout="wide" if wide else "centered", page_icon=PAGE_ICON, initial_sidebar_state="collapsed")

goto = st.session_state.pop("_goto", None)
if goto == "home":
    goto = default
if goto in pages and pages[goto] is not page:
    st.switch_page(pages[goto], query_params=common.keep_params())

with errors.handled(lang, f"page {here or 'home'}"):  # one error path: refusals said, anything else logged with a reference
    page.run()
