"""Every page of ``audit_app.py`` opened with every kind of link, and with none (Streamlit AppTest).

What each link may open is written out here, not read from the permission table, so a change
to ``audit/services/permissions.py`` or ``audit/ui/nav.py`` that opens a page to the wrong
role fails. A page a link may open must run without an exception and without the app's own
"something went wrong" message (:func:`app_driver.ok`), show its own content, and show no
other link's token; a page it may not open is not in its navigation, and with the navigation
wrongly offering it the page itself still refuses on the server. Links: ``owner``, ``team``,
``team_shared`` (the owner shares the results), ``shopper``, ``workspace`` (a consultant's workspace link),
``rotated`` (a team link replaced), ``none``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from app_driver import APP, PAGES, ROOT, current_menu_page, menu_pages, ok, page_file, texts, visit
from sample_catalog import small_catalog
from streamlit.testing.v1 import AppTest

from audit import services
from audit.i18n import t
from audit.model import Rating, Role
from audit.store import Store
from audit.ui import nav

OWNER_MENU = ("board", "present", "results", "plan", "handoff", "waves", "rate", "add", "links", "review", "standards", "economics",
              "competitors", "data")
PUBLIC = ("welcome", "create", "open")
# Who may open which page: the menu (in its order) and the pages every visitor may open.
MENU: dict[str, tuple[str, ...]] = {
    "owner": OWNER_MENU,
    "team": ("rate", "add"),
    "team_shared": ("results", "rate", "add"),
    "shopper": ("shopper",),
    "workspace": (),
    "rotated": (),
    "none": (),
}
MAY_OPEN: dict[str, frozenset[str]] = {
    **{who: frozenset(menu) | frozenset(PUBLIC) for who, menu in MENU.items()},
    "workspace": frozenset({"workspace", *PUBLIC}),
    "rotated": frozenset({"invalid", *PUBLIC}),
}
HOME = {"owner": "board", "team": "rate", "team_shared": "rate", "shopper": "shopper", "workspace": "workspace", "rotated": "invalid", "none": "welcome"}
# The text that shows a page is the one that ran (its title; the audit's name on the pages titled with it).
TITLE = {key: f"{key}.title" for key in ("results", "plan", "handoff", "waves", "add", "links", "review", "standards",
                                          "economics", "competitors", "data", "create", "open", "invalid")} | {"welcome": "app.title"}
AUDIT_NAME = "Corner Bakery"
WORKSPACE_NAME = "North Consulting"


@dataclass(frozen=True)
class World:
    store: Store
    links: dict[Role, str]
    tokens: dict[str, str]  # who -> the token in the URL ("" for no link)


@pytest.fixture
def world(app_db: Store) -> World:
    """Two audits: ours (rated by two people, results shared in a copy) and one whose team link was rotated."""
    audit, links = app_db.create_audit(AUDIT_NAME, small_catalog())
    for name, importance in (("Ann", 9), ("Bob", 4)):
        person = app_db.add_participant(audit.id, name, seen=True)
        for tp in ("sign", "site", "call", "box"):
            app_db.save_rating(Rating(audit.id, person.id, tp, importance=importance, reaction="negative"))
    shared, shared_links = app_db.create_audit(AUDIT_NAME, small_catalog())
    app_db.set_results_shared(shared.id, True)
    gone, gone_links = app_db.create_audit("Old audit", small_catalog())
    app_db.rotate_token(gone.id, Role.TEAM)
    _workspace, workspace_link = services.workspaces.create_workspace(app_db, name=WORKSPACE_NAME)
    tokens = {"owner": links[Role.OWNER], "team": links[Role.TEAM], "team_shared": shared_links[Role.TEAM],
              "shopper": links[Role.SHOPPER], "workspace": workspace_link, "rotated": gone_links[Role.TEAM], "none": ""}
    return World(app_db, links, tokens)


def link(token: str) -> dict[str, str]:
    """The query parameters of a visit with this link ("" for none)."""
    return {"t": token} if token else {}


def check_page(world: World, who: str, page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Open ``page`` as ``who`` and check what they may and may not see there."""
    token = world.tokens[who]
    at = visit(**link(token))
    if page not in MAY_OPEN[who]:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page_file(page))  # not registered for this link
        refused_on_the_server(token, page, monkeypatch)
        return
    if page != HOME[who]:
        at.switch_page(page_file(page))
        ok(at.run())
    shows_its_own_content(at, page, who)
    others = {tok for w, tok in world.tokens.items() if tok and w != who}
    if who != "owner":  # the owner's links page shows every link on purpose
        leaked = [tok for tok in others if tok in texts(at, raw=True)]
        assert not leaked, f"{who} sees another link's token on {page}"


def shows_its_own_content(at: AppTest, page: str, who: str) -> None:
    if page in MENU[who]:
        assert current_menu_page(at) == page, f"{who} asked for {page}, the menu says {current_menu_page(at)}"
        assert menu_pages(at) == list(MENU[who])
    else:
        audit_pages = set(menu_pages(at)) & {*OWNER_MENU, "shopper"}
        assert not audit_pages, f"{who} is offered {audit_pages} on {page}"
    titles = [str(e.value) for e in at.title]
    if page in TITLE:
        assert t(TITLE[page]) in titles, f"{page} as {who}: titles {titles}"
    elif page == "workspace":
        assert WORKSPACE_NAME in titles, f"{page} as {who}: titles {titles}"
    elif page != "present":  # the presenter view's title is the touchpoint on the projector
        assert AUDIT_NAME in titles, f"{page} as {who}: titles {titles}"


def refused_on_the_server(token: str, page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the navigation wrongly offering every page, the page itself still refuses this link."""
    honest = nav.pages_for
    monkeypatch.setattr(nav, "pages_for", lambda role, **kw: (list(nav.PAGES), honest(role, **kw)[1]))
    at = visit(**link(token))
    at.switch_page(page_file(page))
    ok(at.run())
    refusals = {t("access.not_allowed"), t("access.link_not_valid")}
    assert any(str(e.value) in refusals for e in at.error), f"{page} does not refuse: {[e.value for e in at.error]}"
    assert AUDIT_NAME not in texts(at) and WORKSPACE_NAME not in texts(at)
    monkeypatch.setattr(nav, "pages_for", honest)


PAIRS = [(who, spec.key) for who in MENU for spec in nav.PAGES]


@pytest.mark.parametrize(("who", "page"), PAIRS, ids=[f"{who}-{page}" for who, page in PAIRS])
def test_every_page_with_every_link(world: World, who: str, page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    check_page(world, who, page, monkeypatch)


def test_the_table_names_every_page_file() -> None:
    files = {p.stem for p in (ROOT / PAGES).glob("*.py")}
    assert files == {spec.key for spec in nav.PAGES}
    assert set().union(*MAY_OPEN.values()) == files
    assert Path(APP).is_file()


def test_a_page_that_raises_fails_the_check(world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The app turns the board's exception into its own message: the check must still fail."""
    from audit.ui import board

    def broken() -> None:
        raise RuntimeError("the board is broken")

    monkeypatch.setattr(board, "render", broken)
    with pytest.raises(AssertionError, match="error handler"):
        check_page(world, "owner", "board", monkeypatch)
    assert "the board is broken" in caplog.text  # logged for the operator, not shown
