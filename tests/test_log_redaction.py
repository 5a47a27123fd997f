"""The server log never holds a link's token or a person's id, even when an error message carries them.

Each test provokes a real error whose message contains the token and the
person id (a page that fails, a database that fails at start, a failing write
in a callback), reads the log records back, and checks that both are replaced
by ``***``. With :func:`audit.ui.common.redact` returning its input, these
tests fail.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from audit.i18n import t
from audit.model import Catalog, Role, Touchpoint
from audit.store import Store
from audit.ui import common

APP = str(Path(__file__).resolve().parent.parent / "audit_app.py")


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, str, str]]:
    path = tmp_path / "app.sqlite"
    monkeypatch.setenv("AUDIT_DATABASE_URL", str(path))
    store = Store(str(path))
    catalog = Catalog("c", {"en": "C"}, (Touchpoint("office-door", "office", {"en": "Door"}),))
    audit, links = store.create_audit("Bakery", catalog)
    person = store.add_participant(audit.id, "Ann")
    yield store, links[Role.TEAM], person.id
    store.close()


def _run(token: str, person: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = token
    at.query_params["p"] = person
    return at.run()


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def _reference(at: AppTest, key: str) -> str:
    """The error reference the person sees (the message is ``key`` with it)."""
    shown = [e.value for e in at.error]
    assert len(shown) == 1, shown
    ref = re.search(r"E-[0-9A-Z]{6}", shown[0])
    assert ref is not None and shown[0] == t(key, ref=ref.group()), shown
    return ref.group()


def _assert_redacted(log: str, token: str, person: str, *words: str) -> None:
    assert log, "the error must be logged"
    assert all(w in log for w in words), log
    assert token not in log and person not in log, log
    assert log.count("***") >= 2, log


def test_a_page_error_carrying_the_token_is_logged_without_it(world: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    _store, token, person = world

    def failing_page(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError(f"lookup failed for link {token} and person {person}")

    monkeypatch.setattr(common, "open_page", failing_page)
    with caplog.at_level(logging.ERROR):
        at = _run(token, person)
    ref = _reference(at, "error.unexpected_ref")
    _assert_redacted(_logged(caplog), token, person, ref, "RuntimeError", "lookup failed for link")


def test_a_database_error_at_start_is_logged_without_the_token(world: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    _store, token, person = world

    class Broken:
        url = "sqlite://"

        def resolve_token(self, value: str) -> Any:
            raise ConnectionError(f"server closed the connection while reading {value!r} for {person}")

    monkeypatch.setattr(common, "store", lambda: Broken())
    with caplog.at_level(logging.ERROR):
        at = _run(token, person)
    ref = _reference(at, "error.database_ref")
    _assert_redacted(_logged(caplog), token, person, ref, "server closed the connection")


def test_a_failing_write_in_a_callback_is_logged_without_the_token(world: Any, caplog: pytest.LogCaptureFixture) -> None:
    _store, token, person = world

    def script() -> None:
        from audit.ui import common, errors

        def work() -> None:
            raise ValueError(f"cannot save for {common.token()} / {__import__('streamlit').query_params['p']}")

        errors.guarded("en", work)
        errors.flash()

    at = AppTest.from_function(script, default_timeout=60)
    at.query_params["t"] = token
    at.query_params["p"] = person
    with caplog.at_level(logging.ERROR):
        at.run()
    ref = _reference(at, "error.unexpected_ref")
    _assert_redacted(_logged(caplog), token, person, ref, "ValueError", "cannot save for")


def test_a_crm_error_carrying_the_webhook_and_a_token_is_logged_without_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    from handoff_world import planned

    from audit.services import handoff as service

    webhook, bearer = "http://127.0.0.1:9/rest/1/hookSecret4242/", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlMTIz"
    path = tmp_path / "app.sqlite"
    monkeypatch.setenv("AUDIT_DATABASE_URL", str(path))
    monkeypatch.setenv("AUDIT_HANDOFF_ALLOW_LOCAL", "1")
    store = Store(str(path))
    _, links = planned(store, 2)
    service.connect_bitrix24(store, links[Role.OWNER], webhook)

    def failing_push(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError(f"POST {webhook}batch failed; retried with Authorization: Bearer {bearer}")

    monkeypatch.setattr(service, "push", failing_push)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = links[Role.OWNER]
    at.run()
    at.switch_page("audit/ui/pages/handoff.py")
    at.run()
    with caplog.at_level(logging.ERROR):
        at.button(key="ho_push:bitrix24").click().run()
    log = _logged(caplog)
    assert "RuntimeError" in log and "/rest/1/***" in log
    assert "hookSecret4242" not in log and bearer not in log and links[Role.OWNER] not in log
    assert any(t("error.unexpected_ref", ref=ref) in e.value for e in at.error for ref in re.findall(r"E-[0-9A-Z]{6}", log))
    store.close()
