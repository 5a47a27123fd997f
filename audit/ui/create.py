"""Create an audit: business, locations, language, catalog, competitors, participants.

A catalog can be a bundled one or an uploaded YAML/CSV/XLSX file; every
problem in an upload is listed line by line and nothing is created until the
file is clean. On creation the owner lands on the links page (owner, team and
shopper links with QR codes).

An upload is parsed once per file content (the result is kept, not the file),
the session's earlier uploads are released from the server's memory, and one
session reads at most ``SESSION_UPLOAD_BYTES``. With ``AUDIT_CREATE_KEY`` set
(:mod:`audit.creation`), the page asks for the key before anything else.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from audit import creation, services
from audit.catalog import CatalogError, Problem, bundled, bundled_ids, load_catalog_bytes
from audit.i18n import KEYS, language_name, t
from audit.model import LANGUAGES, Catalog, Role
from audit.ui import common, errors, nav
from audit.ui.text import plain

FRESH = "_fresh_links"  # the links of an audit this browser session created or rotated (never stored)
JUST_CREATED = "_just_created"
PARSED = "_c_parsed"  # (file id, content digest, catalog, problems) of the last upload
READ_BYTES = "_c_read_bytes"  # bytes of uploads this session has parsed
SEEN_FILES = "_c_seen_files"  # upload ids of this session, to release the earlier ones
KEY_OK = "_c_key_ok"
SESSION_UPLOAD_BYTES = 100 * 1024 * 1024


def lines(text: str | None) -> list[str]:
    """One name per line; blank lines dropped, surrounding spaces removed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def problem_text(problem: Problem, lang: str) -> str:
    """One problem of a catalog file in the person's language (values from the file as plain text)."""
    return errors.said(problem.key, problem.params, lang) if problem.key else plain(problem.message)


def problems_frame(problems: list[Problem], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("create.col_line", lang): [p.line if p.line else "" for p in problems],
            t("create.col_field", lang): [p.field for p in problems],
            t("create.col_problem", lang): [problem_text(p, lang) for p in problems],
        }
    ).astype(str)


def _release_earlier_uploads(current: str) -> None:
    """Drop this session's earlier uploads from the server's memory (Streamlit keeps them until the session ends)."""
    seen = st.session_state.setdefault(SEEN_FILES, [])
    if current not in seen:
        seen.append(current)
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        manager = getattr(ctx, "uploaded_file_mgr", None)
        for file_id in [f for f in seen if f != current]:
            if manager is not None and ctx is not None:
                manager.remove_file(ctx.session_id, file_id)
            seen.remove(file_id)
    except Exception as err:  # releasing early is an optimisation; the end of the session releases anyway
        common.log.warning("could not release earlier uploads: %s", type(err).__name__)


def _parse_once(upload: Any, lang: str) -> tuple[Catalog | None, list[Problem]] | None:
    """The parsed upload, from the session when the same content was parsed before; ``None`` past the session budget."""
    file_id = str(getattr(upload, "file_id", "") or upload.name)
    cached = st.session_state.get(PARSED)
    if cached is not None and cached[0] == file_id:
        return cached[2], cached[3]
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if cached is not None and cached[1] == digest:
        st.session_state[PARSED] = (file_id, digest, cached[2], cached[3])
        _release_earlier_uploads(file_id)
        return cached[2], cached[3]
    used = st.session_state.get(READ_BYTES, 0) + len(data)
    if used > SESSION_UPLOAD_BYTES:
        st.error(t("create.upload_budget", lang, mb=SESSION_UPLOAD_BYTES // (1024 * 1024)), icon=":material/error:")
        return None
    st.session_state[READ_BYTES] = used
    catalog, problems = load_catalog_bytes(data, upload.name)
    st.session_state[PARSED] = (file_id, digest, catalog, problems)
    _release_earlier_uploads(file_id)
    return catalog, problems


def _key_gate(lang: str) -> bool:
    """With ``AUDIT_CREATE_KEY`` set: ask for the key first; True once this session gave the right one."""
    if not creation.key_required() or st.session_state.get(KEY_OK):
        return True
    st.info(t("create.key_help", lang), icon=":material/key:")
    with st.form("c_key_form", border=False):
        given = st.text_input(t("create.key", lang), type="password", key="c_key")
        submitted = st.form_submit_button(t("create.key_submit", lang), type="primary")
    if submitted:
        if creation.key_accepted(given):
            st.session_state[KEY_OK] = True
            st.rerun()
        st.error(t("create.key_wrong", lang), icon=":material/error:")
    return False


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
            return t(key, lang) if key in KEYS else catalog_id

        # The labels follow the UI language; a key per language keeps the choice readable after a switch.
        before = st.session_state.get("c_catalog_id")
        chosen = st.selectbox(
            t("create.catalog", lang), ids, index=ids.index(before) if before in ids else 0, format_func=label,
            key=f"c_catalog_{lang}",
        )
        st.session_state["c_catalog_id"] = chosen
        try:
            catalog = bundled(chosen)
        except CatalogError as err:  # a broken bundled file: say so, do not crash the page
            reason = problem_text(err.problems[0], lang) if err.problems else ""
            st.error(t("create.bundled_broken", lang, reason=reason), icon=":material/error:")
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
    parsed = None
    with errors.handled(lang, "catalog upload"):  # the parsers refuse with problems; anything else is a bug, logged once
        parsed = _parse_once(upload, lang)
    if parsed is None:
        return None
    loaded, problems = parsed
    if problems or loaded is None:
        summary = t("create.problems", lang, n=len(problems), file=plain(upload.name))
        if len(problems) == 1:  # a file refused as a whole (a limit, not a catalog): say why right here
            summary += "\n\n" + problem_text(problems[0], lang)
        st.error(summary, icon=":material/error:")
        st.dataframe(problems_frame(problems, lang), hide_index=True, width="stretch", key="c_problems")
        return None
    counts = ", ".join(
        f"{t(f'category.{c.value}', lang)}: {n}" for c, n in loaded.count_by_category().items() if n
    )
    st.success(t("create.catalog_ok", lang, n=len(loaded.touchpoints), counts=counts), icon=":material/check_circle:")
    return loaded


def render() -> None:
    lang = common.ui_language()
    common.setup_page(lang)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.page_link(nav.BY_KEY["welcome"].file, label=t("invalid.home", lang), icon=":material/home:", query_params={})
        common.language_switch(lang)
    st.title(t("create.title", lang))
    if not _key_gate(lang):
        return

    name = st.text_input(t("create.name", lang), max_chars=300, key="c_name", placeholder=t("create.name_placeholder", lang))
    locations = st.text_area(t("create.locations", lang), key="c_locations", height=68, help=t("create.one_per_line", lang))
    language = st.segmented_control(
        t("create.language", lang), list(LANGUAGES), default=lang, required=True, key="c_language",
        format_func=lambda v: language_name(v, lang),
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
    if not creation.key_accepted(None) and not st.session_state.get(KEY_OK):  # the gate above, checked again at the write
        return
    try:
        audit, links, persons = services.audits.create_audit(
            common.store(), name=name, catalog=catalog, language=language or lang,
            locations=lines(locations), competitors=lines(competitors), participants=lines(people),
        )
    except Exception as err:  # validation: a clear message, nothing created
        errors.show(err, lang, "create")
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
