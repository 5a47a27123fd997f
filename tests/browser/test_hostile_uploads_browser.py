"""Hostile uploads on ``/create`` in a real browser: a clear message, and the server's memory stays put.

The server's resident memory (``VmRSS`` of the ``streamlit run`` process) is
read before and after each upload; it must not grow by more than the bound
the core's parsers promise (200 MB).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hostile.files import billion_laughs, shared_strings_bomb

from .test_workshop_browser import DESKTOP, ready, settle, until

pytestmark = pytest.mark.browser
MB = 1024 * 1024
BOUND = 200 * MB


def server_rss(url: str) -> int:
    """Resident bytes of the ``streamlit run`` process serving ``url`` (found by its port in /proc)."""
    port = url.rsplit(":", 1)[1].encode()
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0") if proc.name.isdigit() else []
            if b"streamlit" in b" ".join(args) and port in args:
                status = (proc / "status").read_text()
                return int(next(x for x in status.splitlines() if x.startswith("VmRSS:")).split()[1]) * 1024
        except OSError:  # a process that ended meanwhile
            continue
    raise AssertionError(f"no streamlit process on port {port.decode()}")


CASES = [
    ("billion-laughs.yaml", lambda: billion_laughs(10), "400,000 values"),
    ("shared-strings.xlsx", lambda: shared_strings_bomb(), "shared strings inflate to 2,048 MB"),
    ("laughs-8.yaml", lambda: billion_laughs(8), "400,000 values"),
]


@pytest.mark.parametrize(("name", "build", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_upload_gets_a_clear_message_and_no_memory(server: Any, browser: Any, name: str, build: Any, words: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{server.url}/create")
    ready(page)
    page.get_by_text("Upload my own file").click()
    settle(page)
    before = server_rss(server.url)
    page.locator("input[type='file']").set_input_files({"name": name, "mimeType": "application/octet-stream", "buffer": build()})
    alert = until(lambda: page.locator("[data-testid='stAlertContentError']").filter(has_text=words).count())
    assert alert
    ready(page)
    grown = server_rss(server.url) - before
    print(f"{name}: server resident memory grew {grown / MB:.1f} MB")
    assert grown < BOUND, f"the server grew {grown / MB:.0f} MB"
    assert "Nothing was created" in page.locator("[data-testid='stAlertContentError']").first.inner_text()
    context.close()
