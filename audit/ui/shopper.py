"""The mystery shopper's link: which audit it belongs to (the visit report form is a separate feature)."""

from __future__ import annotations

import streamlit as st

from audit.access import Permission
from audit.i18n import t
from audit.ui import common
from audit.ui.text import plain


def render() -> None:
    ctx = common.open_page("shopper", Permission.SHOPPER_VISIT)
    st.title(plain(ctx.audit.name))
    st.info(t("shopper.body", ctx.lang), icon=":material/storefront:")
