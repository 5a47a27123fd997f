"""Create an audit: business, locations, language, catalog, competitors, participants.

A catalog can be a bundled one or an uploaded YAML/CSV/XLSX file; every
problem in an upload is listed line by line and nothing is created until the
file is clean. On creation the owner lands on the links page (owner, team and
shopper links with QR codes).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from audit import services
from audit.catalog import Problem, bundled, bundled_ids, load_catalog_bytes
from audit.i18n import MESSAGES, t
from audit.model import LANGUAGES, Catalog, Role
from audit.ui import common, nav
from audit.ui.text import plain

FRESH = "_fresh_links"  # the links of an audit this browser session created or rotated (never stored)
JUST_CREATED = "_just_created"


def lines(text: str | None) -> list[str]:
    """One name per line; blank lines dropped, surrounding spaces removed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def problems_frame(problems: list[Problem], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("create.col_line", lang): [p.line if p.line else "" for p in problems],
            t("create.col_field", lang): [p.field for p in problems],
            t("create.col_problem", lang): [p.message for p in problems],
        }
    ).astype(str)


def _catalog_choice(lang: str) -> Catalog | None:
    source = st.radio(
        t("create.catalog_source", lang), ["bundled", "upload"], horizontal=True, key="c_source",
        format_func=lambda v: t(f"create.source_{v}", lang),
    )
    if source == "bundled":
        ids = bundled_ids()
        if not ids:
            st.warning(t("create.no_bundled", lang))
            return None

        def label(catalog_id: str) -> str:  # no parsing here: only the chosen catalog is loaded
            key = f"catalog.{catalog_id}"
            return t(key, lang) if key in MESSAGES else catalog_id

        # The labels follow the UI language; a key per language keeps the choice readable after a switch.
        before = st.session_state.get("c_catalog_id")
        chosen = st.selectbox(
            t("create.catalog", lang), ids, index=ids.index(before) if before in ids else 0, format_func=label,
            key=f"c_catalog_{lang}",
        )
        st.session_state["c_catalog_id"] = chosen
        try:
            catalog = bundled(chosen)
        except Exception as err:  # a broken bundled file: say so, do not crash the page
            st.error(t("create.bundled_broken", lang, reason=plain(str(err)[:500])), icon=":material/error:")
            return None
        counts = ", ".join(f"{t(f'category.{c.value}', lang)}: {n}" for c, n in catalog.count_by_category().items() if n)
        st.caption(t("create.catalog_ok", lang, n=len(catalog.touchpoints), counts=counts))
        if catalog.description.get(lang):
            st.caption(plain(catalog.description.get(lang)))
        return catalog

    upload = st.file_uploader(t("create.upload", lang), type=["yaml", "yml", "csv", "xlsx"], key="c_upload")
    st.caption(t("create.upload_help", lang))
    if upload is None:
        return None
    catalog, problems = load_catalog_bytes(upload.getvalue(), upload.name)
    if problems:
        st.error(t("create.problems", lang, n=len(problems), file=plain(upload.name)), icon=":material/error:")
        st.dataframe(problems_frame(problems, lang), hide_index=True, width="stretch", key="c_problems")
        return None
    counts = ", ".join(
        f"{t(f'category.{c.value}', lang)}: {n}" for c, n in catalog.count_by_category().items() if n
    )
    st.success(t("create.catalog_ok", lang, n=len(catalog.touchpoints), counts=counts), icon=":material/check_circle:")
    return catalog


def render() -> None:
    lang = common.ui_language()
    common.setup_page(lang)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.page_link(nav.BY_KEY["welcome"].file, label=t("invalid.home", lang), icon=":material/home:", query_params={})
        common.language_switch(lang)
    st.title(t("create.title", lang))

    name = st.text_input(t("create.name", lang), max_chars=300, key="c_name", placeholder=t("create.name_placeholder", lang))
    locations = st.text_area(t("create.locations", lang), key="c_locations", height=68, help=t("create.one_per_line", lang))
    language = st.segmented_control(
        t("create.language", lang), list(LANGUAGES), default=lang, required=True, key="c_language",
        format_func=lambda v: t(f"language.{v}", lang),
    )
    catalog = _catalog_choice(lang)
    competitors = st.text_area(t("create.competitors", lang), key="c_competitors", height=68, help=t("create.one_per_line", lang))
    people = st.text_area(t("create.participants", lang), key="c_people", height=90, help=t("create.participants_help", lang))

    if not st.button(t("create.submit", lang), type="primary", icon=":material/rocket_launch:", key="c_submit"):
        return
    if not (name or "").strip():
        st.error(t("create.need_name", lang), icon=":material/error:")
        return
    if catalog is None:
        st.error(t("create.need_catalog", lang), icon=":material/error:")
        return
    try:
        audit, links, persons = services.audits.create_audit(
            common.store(), name=name, catalog=catalog, language=language or lang,
            locations=lines(locations), competitors=lines(competitors), participants=lines(people),
        )
    except Exception as err:  # validation: a clear message, nothing created
        common.report(err, lang)
        return
    st.session_state[FRESH] = {
        "audit_id": audit.id,
        "links": {role.value: value for role, value in links.items()},
        "people": [(p.id, p.name) for p in persons],
    }
    st.session_state[JUST_CREATED] = audit.id
    st.query_params.clear()
    st.query_params["t"] = links[Role.OWNER]
    st.session_state["_goto"] = "links"
    st.rerun()
