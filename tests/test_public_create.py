"""A public server: the optional creation key, and uploads on the create page that cost memory and CPU once.

Without ``AUDIT_CREATE_KEY`` the create page works as before. With it, the page
asks for the key before showing anything else (no upload is read before the
key is right). An upload is parsed once per content, the session's earlier
uploads are released from Streamlit's memory, and a session reads at most
``SESSION_UPLOAD_BYTES`` of uploads.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from audit import creation
from audit.i18n import t
from audit.store import Store
from audit.ui import create

APP = str(Path(__file__).resolve().parent.parent / "audit_app.py")
GOOD = b"id,category,name_en\noffice-sign,office,Sign\nstaff-call,staff,Call\n"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    path = tmp_path / "app.sqlite"
    monkeypatch.setenv("AUDIT_DATABASE_URL", str(path))
    monkeypatch.delenv(creation.ENV, raising=False)
    store = Store(str(path))
    yield store
    store.close()


def _create_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("audit/ui/pages/create.py")
    at.run()
    assert not at.exception
    return at


def _texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("caption", "info", "error", "markdown") for e in at.get(kind))


# ---------------------------------------------------------------- the creation key


def test_without_a_key_anyone_creates_as_before(db: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert t("welcome.key_needed") not in _texts(at)
    at = _create_page()
    assert not [w for w in at.text_input if w.key == "c_key"]
    at.text_input(key="c_name").input("Corner Bakery")
    at.button(key="c_submit").click()
    at.run()
    assert [a.name for a in db.list_audits()] == ["Corner Bakery"]


def test_with_a_key_only_people_who_type_it_can_create(db: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(creation.ENV, "open sesame 42")
    welcome = AppTest.from_file(APP, default_timeout=60).run()
    assert t("welcome.key_needed") in _texts(welcome)
    at = _create_page()
    assert not [w for w in at.text_input if w.key == "c_name"] and not at.get("file_uploader")
    for wrong in ("", "open sesame", "open sesame 42!", "OPEN SESAME 42"):
        at.text_input(key="c_key").input(wrong)
        at.button[0].click()
        at.run()
        assert t("create.key_wrong") in [e.value for e in at.error], wrong
        assert not [w for w in at.text_input if w.key == "c_name"]
    at.text_input(key="c_key").input("  open sesame 42 ")
    at.button[0].click()
    at.run()
    assert not at.exception and not at.error
    at.text_input(key="c_name").input("Corner Bakery")
    at.button(key="c_submit").click()
    at.run()
    assert [a.name for a in db.list_audits()] == ["Corner Bakery"]


def test_the_key_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    env = {creation.ENV: "k3y"}
    assert creation.key_accepted("k3y", env) and not creation.key_accepted("k3", env) and not creation.key_accepted("x" * 10_000, env)
    assert calls == [(32, 32)] * 3  # digests of equal length: the time does not depend on how much of the key was right
    assert creation.key_accepted("anything", {}) and not creation.key_required({}) and creation.key_required(env)


# ---------------------------------------------------------------- uploads


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = create.load_catalog_bytes

    def counting(data: bytes, name: str) -> Any:
        seen.append(name)
        return real(data, name)

    monkeypatch.setattr(create, "load_catalog_bytes", counting)
    return seen


def _upload_page() -> AppTest:
    at = _create_page()
    at.radio(key="c_source").set_value("upload")
    at.run()
    return at


def test_an_upload_is_parsed_once_per_content(db: Store, parses: list[str]) -> None:
    at = _upload_page()
    at.file_uploader(key="c_upload").set_value(("mine.csv", GOOD, "text/csv"))
    at.run()
    assert "2 touchpoints" in at.success[0].value
    for name in ("A", "AB", "ABC"):  # reruns: typing the name
        at.text_input(key="c_name").input(name)
        at.run()
    at.file_uploader(key="c_upload").set_value(("again.csv", GOOD, "text/csv"))  # the same content again
    at.run()
    assert parses == ["mine.csv"]
    at.file_uploader(key="c_upload").set_value(("other.csv", GOOD + b"tech-site,technology,Site\n", "text/csv"))
    at.run()
    assert parses == ["mine.csv", "other.csv"] and "3 touchpoints" in at.success[0].value
    assert create.PARSED in at.session_state and not any(isinstance(v, bytes) for v in at.session_state[create.PARSED])


def test_a_session_reads_a_bounded_amount_of_uploads(db: Store, parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    files = [GOOD + b"x%d,office,X\n" % n for n in range(3)]
    monkeypatch.setattr(create, "SESSION_UPLOAD_BYTES", len(files[0]) + len(files[1]))
    at = _upload_page()
    for n, data in enumerate(files):
        at.file_uploader(key="c_upload").set_value((f"f{n}.csv", data, "text/csv"))
        at.run()
    assert parses == ["f0.csv", "f1.csv"]
    assert at.error[0].value == t("create.upload_budget", mb=0)


def test_earlier_uploads_are_released_from_memory(db: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    removed: list[str] = []

    class Manager:
        def remove_file(self, session_id: str, file_id: str) -> None:
            removed.append(file_id)

    class Context:
        session_id = "s"
        uploaded_file_mgr = Manager()

    import streamlit.runtime.scriptrunner as scriptrunner

    at = _upload_page()
    at.file_uploader(key="c_upload").set_value(("a.csv", GOOD, "text/csv"))
    at.run()
    first = at.session_state[create.PARSED][0]
    monkeypatch.setattr(scriptrunner, "get_script_run_ctx", lambda: Context())
    at.file_uploader(key="c_upload").set_value(("b.csv", GOOD + b"tech-site,technology,Site\n", "text/csv"))
    at.run()
    assert removed == [first] and at.session_state[create.SEEN_FILES] == [at.session_state[create.PARSED][0]]
