"""The opening the evidence pages share (competitors, economics, standards).

Each checks its link for the page's permission, shows what the last save
left to confirm, loads the audit's analysis (cached per data version) and
writes the page's title and one-line intro.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from audit import services
from audit.i18n import t
from audit.scoring import Analysis
from audit.services.permissions import Permission
from audit.ui import common, errors


@dataclass(frozen=True)
class EvidencePage:
    """An opened evidence page: who and where (``ctx``), the analysis, and what the last save left to confirm."""

    ctx: common.PageContext
    analysis: Analysis
    done: Any


def open_evidence_page(page_key: str, need: Permission, done_key: str) -> EvidencePage:
    """Open ``page_key`` for ``need``: the link checked on the server, title and intro written, ``done_key`` popped."""
    ctx = common.open_page(page_key, need)
    errors.flash()
    analysis = services.evidence.analysis(ctx.store, ctx.token, need)
    st.title(t(f"{page_key}.title", ctx.lang))
    st.caption(t(f"{page_key}.intro", ctx.lang))
    return EvidencePage(ctx, analysis, st.session_state.pop(done_key, None))
