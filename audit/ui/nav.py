"""Which pages exist and which a link's role sees (no Streamlit here).

``audit_app.py`` turns these specs into ``st.Page`` objects for
``st.navigation``; a page the role may not use is simply not registered, and
every page checks the role again on the server before it reads or writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from audit.model import Audit, Role
from audit.services.permissions import HOME, Permission, can

PAGE_DIR = "audit/ui/pages"


@dataclass(frozen=True, slots=True)
class PageSpec:
    key: str  # also the URL path and the i18n key ``page.<key>``
    icon: str
    need: Permission | None  # None: a page of its own kind (welcome, invalid link)
    menu: bool = True  # shown in the top menu
    wide: bool = False  # the page uses the whole window (tables, charts); audit_app.py sets the layout once per run

    @property
    def file(self) -> str:
        return f"{PAGE_DIR}/{self.key}.py"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("board", ":material/monitoring:", Permission.VIEW_BOARD, wide=True),
    PageSpec("present", ":material/co_present:", Permission.VIEW_BOARD, wide=True),
    PageSpec("results", ":material/insights:", Permission.VIEW_RESULTS, wide=True),
    PageSpec("plan", ":material/task_alt:", Permission.EDIT_PLAN, wide=True),
    PageSpec("handoff", ":material/send:", Permission.HAND_OFF),
    PageSpec("waves", ":material/event_repeat:", Permission.MANAGE_WAVES),
    PageSpec("rate", ":material/checklist:", Permission.RATE),
    PageSpec("add", ":material/add_circle:", Permission.ADD_TOUCHPOINT),
    PageSpec("links", ":material/qr_code_2:", Permission.MANAGE_LINKS),
    PageSpec("review", ":material/fact_check:", Permission.REVIEW_VISITS),
    PageSpec("standards", ":material/rule:", Permission.SET_STANDARDS, wide=True),
    PageSpec("economics", ":material/payments:", Permission.ENTER_ECONOMICS, wide=True),
    PageSpec("competitors", ":material/compare_arrows:", Permission.COMPARE_COMPETITORS, wide=True),
    PageSpec("shopper", ":material/storefront:", Permission.SHOPPER_VISIT),
    PageSpec("data", ":material/folder_zip:", Permission.EXPORT_AUDIT),
    PageSpec("workspace", ":material/work:", None, menu=False, wide=True),
    PageSpec("welcome", ":material/home:", None, menu=False),
    PageSpec("create", ":material/add_business:", Permission.CREATE_AUDIT, menu=False),
    PageSpec("open", ":material/link:", Permission.CREATE_AUDIT, menu=False),
    PageSpec("invalid", ":material/link_off:", None, menu=False),
)
BY_KEY = {p.key: p for p in PAGES}


def pages_for(
    role: Role | None, *, token_given: bool, audit: Audit | None = None, workspace: bool = False
) -> tuple[list[PageSpec], str]:
    """The pages to register and the default one.

    - no token: the welcome page (default), create, open;
    - a workspace link: the workspace page (default), and the public ones;
    - a token that opens nothing (garbage, rotated): the "not valid" page;
    - a valid token: the pages its role may use, starting at the role's home
      (with the ``audit``, also what its settings grant: shared results).
    """
    public = [BY_KEY["welcome"], BY_KEY["create"], BY_KEY["open"]]
    if workspace and role is None:
        return [BY_KEY["workspace"], *public], "workspace"
    if role is None:
        if token_given:
            return [BY_KEY["invalid"], *public], "invalid"
        return public, "welcome"
    own = [p for p in PAGES if p.need is not None and p.menu and can(role, p.need, audit)]
    return [*own, *public], HOME[Role(role)]


def menu(role: Role | None, audit: Audit | None = None) -> list[PageSpec]:
    """The pages in the top menu of a role, in order."""
    if role is None:
        return []
    return [p for p in PAGES if p.menu and p.need is not None and can(role, p.need, audit)]
