"""One error path (audit.ui.errors): an unexpected error on any page is logged once, redacted, under a reference the person sees.

Each page kind is opened through ``audit_app.py`` (AppTest) with a real fault
injected where that page does its work: the store of a page opened by a link
fails on its first use (the page body, or the live fragment of the board and
the presenter), and the public pages fail in their own step (the welcome
page's check, the open page's link reading, the create page's upload
parser). The person sees the short message with a reference such as
``E-7KQ4ZD``; the server log holds one ERROR record with the same reference,
the error's type and text, without the link's token or the person's id.

A database outage while the board or the presenter is open: the live
fragment fails on every refresh, and the log gets one short line (no
traceback) for that failure, then a count at 10 repeats, not 110 lines every
three seconds.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from audit import creation, services
from audit.i18n import t
from audit.model import Catalog, Rating, Role, Touchpoint
from audit.store import Store
from audit.ui import common
from audit.ui import create as create_page
from audit.ui import open as open_page

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "audit_app.py")
TIMEOUT = 60
REFERENCE = re.compile(r"E-[0-9A-Z]{6}")


def catalog() -> Catalog:
    return Catalog("c", {"en": "C"}, (Touchpoint("office-door", "office", {"en": "Door"}), Touchpoint("staff-call", "staff", {"en": "Call"})))


def audit_with_votes(app_db: Store) -> tuple[str, dict[Role, str]]:
    audit, links = app_db.create_audit("Bakery", catalog())
    pid = app_db.add_participant(audit.id, "Ann").id
    app_db.save_rating(Rating(audit.id, pid, "office-door", importance=8, reaction="negative"))
    return audit.id, links


def opened_as_owner(db: Store) -> tuple[str, AppTest]:
    """The owner link of an audit with a vote, opened once (its home page)."""
    _, links = audit_with_votes(db)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["t"] = links[Role.OWNER]
    at.run()
    return links[Role.OWNER], at


class FailingStore:
    """A store whose every use fails with a message that carries the link's token (as a driver's message may)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"store.{name} failed while serving link {self._token}")


def failing_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages opened by a link get a store that fails on first use (after the link was checked for real)."""
    real = common.open_page

    def opened(*args: Any, **kwargs: Any) -> common.PageContext:
        ctx = real(*args, **kwargs)
        return dataclasses.replace(ctx, store=FailingStore(ctx.token))  # type: ignore[arg-type]

    monkeypatch.setattr(common, "open_page", opened)


def errors_logged(caplog: pytest.LogCaptureFixture, level: int = logging.ERROR) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == level and r.name.startswith("audit")]


def shown_reference(at: AppTest, key: str = "error.unexpected_ref") -> str:
    found = [str(e.value) for e in at.error if REFERENCE.search(str(e.value))]
    assert len(found) == 1, [e.value for e in at.error]
    ref = REFERENCE.search(found[0]).group()  # type: ignore[union-attr]
    assert found[0] == t(key, ref=ref)
    return ref


def assert_logged_once(caplog: pytest.LogCaptureFixture, ref: str, *secrets: str, words: tuple[str, ...] = ()) -> str:
    lines = [line for line in errors_logged(caplog) if ref in line]
    assert len(lines) == 1, errors_logged(caplog)
    assert all(w in lines[0] for w in words), lines[0]
    assert not any(s in lines[0] for s in secrets), lines[0]
    return lines[0]


OWNER_PAGES = ["board", "present", "results", "plan", "handoff", "waves", "add", "links", "review", "standards", "competitors"]


@pytest.mark.parametrize("page", OWNER_PAGES)
def test_an_unexpected_error_on_an_owner_page_is_logged_with_the_reference_shown(
    app_db: Store, page: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    owner, at = opened_as_owner(app_db)
    failing_pages(monkeypatch)
    with caplog.at_level(logging.ERROR):
        at.switch_page(f"audit/ui/pages/{page}.py")
        at.run()
    assert not at.exception
    ref = shown_reference(at)
    assert_logged_once(caplog, ref, owner, words=("RuntimeError", "failed while serving link ***"))


@pytest.mark.parametrize("role,page", [(Role.TEAM, "rate"), (Role.TEAM, "add"), (Role.SHOPPER, "shopper")])
def test_an_unexpected_error_on_a_team_or_shopper_page_is_logged_with_the_reference_shown(
    app_db: Store, role: Role, page: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    audit_id, links = audit_with_votes(app_db)
    person = app_db.add_participant(audit_id, "Mila", role=Role.SHOPPER if role is Role.SHOPPER else Role.TEAM).id
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["t"] = links[role]
    at.query_params["p"] = person
    at.run()
    failing_pages(monkeypatch)
    with caplog.at_level(logging.ERROR):
        at.switch_page(f"audit/ui/pages/{page}.py")
        at.run()
    ref = shown_reference(at)
    assert_logged_once(caplog, ref, links[role], person, words=("RuntimeError",))


def fail(message: str) -> Any:
    def failing(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError(message)

    return failing


def test_an_unexpected_error_on_the_welcome_page_is_logged_with_the_reference_shown(
    app_db: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(creation, "key_required", fail("the creation key could not be read"))
    with caplog.at_level(logging.ERROR):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert_logged_once(caplog, shown_reference(at), words=("RuntimeError", "creation key could not be read"))


def test_an_unexpected_error_on_the_open_page_is_logged_with_the_reference_shown(
    app_db: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    _, links = audit_with_votes(app_db)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("audit/ui/pages/open.py").run()
    monkeypatch.setattr(open_page, "token_from", fail("cannot read the pasted link"))
    at.text_input[0].input(f"http://x/?t={links[Role.TEAM]}")
    with caplog.at_level(logging.ERROR):
        at.button[0].click().run()
    assert_logged_once(caplog, shown_reference(at), words=("RuntimeError", "cannot read the pasted link"))


def test_an_unexpected_error_in_the_create_page_upload_is_logged_with_the_reference_shown(
    app_db: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("audit/ui/pages/create.py").run()
    at.text_input(key="c_name").input("Bakery")
    at.radio(key="c_source").set_value("upload").run()
    monkeypatch.setattr(create_page, "load_catalog_bytes", fail("the parser broke"))
    with caplog.at_level(logging.ERROR):
        at.file_uploader(key="c_upload").set_value(("mine.csv", b"id,category,name_en\nx,office,X\n", "text/csv")).run()
    assert not at.exception
    assert_logged_once(caplog, shown_reference(at), words=("RuntimeError", "the parser broke"))
    assert app_db.list_audits() == []


# ------------------------------------------------------------------ a database outage under the live fragments


def database_down(*_args: Any, **_kwargs: Any) -> Any:
    """What a store call raises while the database does not answer: a real driver error from a port nobody listens on."""
    dead = sa.create_engine("postgresql+psycopg://audit:s3cret-pw@127.0.0.1:9/audit", connect_args={"connect_timeout": 2})
    try:
        with dead.connect():
            pass
    finally:
        dead.dispose()
    raise AssertionError("nothing listens on port 9")


@pytest.mark.parametrize(("page", "service", "fragment"), [("board", "board_state", "board"), ("present", "touchpoint_answers", "presenter")])
def test_a_database_outage_under_a_live_fragment_logs_one_short_line_not_a_traceback_every_refresh(
    app_db: Store, page: str, service: str, fragment: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    owner, at = opened_as_owner(app_db)
    at.switch_page(f"audit/ui/pages/{page}.py").run()
    assert not at.error
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        return database_down(*args, **kwargs)

    monkeypatch.setattr(services.room, service, failing)
    refreshes = 12
    references = set()
    with caplog.at_level(logging.WARNING):
        for _ in range(refreshes):
            at.run()
            assert not at.exception
            references.add(shown_reference(at, "error.database_ref"))
    assert calls["n"] >= refreshes  # the fragment really ran into the outage on every refresh
    (ref,) = references  # one failure, one reference the person can quote
    line = assert_logged_once(caplog, ref, owner, "s3cret-pw", words=(f"in {fragment}:", "database does not answer"))
    assert "\n" not in line and "Traceback" not in line and len(line) < 600
    again = [w for w in errors_logged(caplog, logging.WARNING) if ref in w]
    assert len(again) == 1 and "10 times" in again[0]
    assert len(errors_logged(caplog)) == 1
