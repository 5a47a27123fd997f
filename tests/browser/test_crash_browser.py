"""Crash safety with the real server: a person rates in Chromium, the server is SIGKILLed mid-stream.

Every answer the server acknowledged to the card (it acknowledges only after the
save committed) is in the database after the kill; the database passes its
integrity check; the restarted server serves the same person, who continues
where they were, and the answer that was in flight at the kill is sent again
from the card's outbox and saved.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from audit.catalog import bundled
from audit.model import Role
from audit.store import Store

from .conftest import ROOT, free_port
from .steps import CARD, DESKTOP, choice, join, metrics, press, query, ready, shown, until, wait_card

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def start(db: Path, log: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AUDIT_DATABASE_URL": str(db), "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable, "-m", "streamlit", "run", "audit_app.py", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.port", str(port), "--server.address", "127.0.0.1",
    ]
    with open(log, "ab") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, log.read_text(errors="replace")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return proc
        except OSError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.25)


def test_sigkill_of_the_server_loses_no_acknowledged_answer(tmp_path: Path, browser: Any) -> None:
    """Uses the session's Chromium (one Playwright per session), against a server of its own."""
    db = tmp_path / "crash.sqlite"
    log = tmp_path / "server.log"
    store = Store(str(db))
    audit, links = store.create_audit("Crash Cafe", bundled("restaurant"))
    store.close()
    port = free_port()
    server = start(db, log, port)
    team = links[Role.TEAM].join([f"http://127.0.0.1:{port}/?t=", ""])
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        pid = join(page, team, "Dana")
        page.locator(f"{CARD} .auto-box").uncheck()
        for n in range(6):
            choice(page, "importance", 2 + n % 8).click()
            press(page, "next")
        until(lambda: sum(1 for m in metrics(page) if m["acked"] is not None) == 6, timeout=60)
        acked = {m["tp"]: m["v"] for m in metrics(page) if m["acked"] is not None}
        # Kill the server while a tap is in flight.
        in_flight = shown(page)
        choice(page, "importance", 9).click()
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        assert len(acked) == 6

        check = Store(str(db))
        assert check.integrity_ok()
        stored = {r.touchpoint_id: r.importance for r in check.ratings(audit.id, participant_id=pid)}
        assert {tp_id: stored.get(tp_id) for tp_id in acked} == acked
        check.close()

        # The app starts normally on the same database; the person continues where they were, and the
        # answer in flight reaches the new server from the card's outbox.
        server = start(db, log, port)
        page.reload()
        ready(page)
        wait_card(page)
        assert query(page)["p"] == pid
        assert page.get_by_text("Rating as Dana").count() == 1
        assert shown(page) == in_flight
        check = Store(str(db))
        until(lambda: {r.touchpoint_id: r.importance for r in check.ratings(audit.id, participant_id=pid)}.get(in_flight) == 9, timeout=60)
        check.close()
        first = next(iter(acked))
        page.goto(f"{team}&p={pid}&tp={first}")
        ready(page)
        assert wait_card(page) == first
        assert choice(page, "importance", acked[first]).get_attribute("aria-checked") == "true"
    finally:
        context.close()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
