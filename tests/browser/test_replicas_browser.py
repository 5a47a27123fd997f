"""Two app replicas on one PostgreSQL behind HAProxy, started by ``deploy/run-local.sh`` exactly as a deployment is.

Two people rate through the proxy, each held on their own replica by the
sticky cookie; the owner's live board (on the first replica) shows answers
written through the second; the second replica is killed with SIGKILL; the
person on it reloads, lands on the other replica and continues; no answer
the page acknowledged is lost. Skipped, with the reason, where HAProxy or
the PostgreSQL server cannot be run (``bash scripts/test.sh`` installs both).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from audit import services
from audit.catalog import bundled
from audit.model import Role
from audit.store import Store

from .conftest import CHROMIUM
from .steps import CARD, DESKTOP, all_acknowledged, choice, join, press, ready, shown, tap, until, wait_card

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
COOKIE = "AUDIT_REPLICA"


@dataclass(frozen=True)
class Deployment:
    url: str
    folder: Path
    db_url: str

    def pid(self, name: str) -> int:
        return int((self.folder / f"{name}.pid").read_text().strip())


def _free_base(count: int) -> int:
    """A port P such that P .. P+count are free on 127.0.0.1."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + count > 65_000:
            continue
        try:
            for port in range(base, base + count + 1):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports")


def _missing() -> str:
    if shutil.which("haproxy") is None:
        return "HAProxy is not installed (apt-get install haproxy; bash scripts/test.sh installs it)"
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return "the PostgreSQL server is not installed (apt-get install postgresql)"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed"
    return ""


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    problem = _missing()
    if problem:
        pytest.skip(problem)
    folder = tmp_path_factory.mktemp("replicas")
    base = _free_base(2)
    env = {k: v for k, v in os.environ.items() if k not in ("AUDIT_DATABASE_URL", "AUDIT_PUBLIC_URL")}
    command = [str(ROOT / "deploy" / "run-local.sh")]
    where = ["--replicas", "2", "--port", str(base), "--dir", str(folder)]
    try:
        started = subprocess.run([*command, "start", *where], env=env, capture_output=True, text=True, timeout=300, check=False)
        assert started.returncode == 0, started.stdout + started.stderr
        yield Deployment(f"http://127.0.0.1:{base}", folder, (folder / "db.url").read_text().strip())
    finally:
        stopped = subprocess.run([*command, "stop", *where], env=env, capture_output=True, text=True, timeout=120, check=False)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr


@pytest.fixture(scope="module")
def chromium(deployment: Deployment, browser: Any) -> Any:
    """The session's Chromium (one Playwright per process: a second sync_playwright inside the first one's loop fails)."""
    return browser


# ------------------------------------------------------------------ the rating page, as a person uses it


def answer(page: Any, importance: int, reaction: str) -> str:
    """Answer the touchpoint on the card (importance and reaction) and wait until the server acknowledged it."""
    tp = shown(page)
    for field, value in (("importance", importance), ("reaction", reaction)):
        assert tap(page, field, value) == tp
        assert choice(page, field, value).get_attribute("aria-checked") == "true"
    all_acknowledged(page)
    return tp


def replica_of(context: Any) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == COOKIE)


def metric(page: Any, label: str) -> Any:
    return page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']")


# ------------------------------------------------------------------ the test


def test_replicas_share_the_database_and_a_killed_one_loses_nothing(deployment: Deployment, chromium: Any) -> None:
    store = Store(deployment.db_url)
    audit, links, _ = services.audits.create_audit(store, name="Replica Bakery", catalog=bundled("general"), language="en")
    team, owner = (f"{deployment.url}/?t={links[r]}" for r in (Role.TEAM, Role.OWNER))

    contexts = {}
    for who, replica in (("anna", "app1"), ("boris", "app2"), ("owner", "app1")):
        contexts[who] = chromium.new_context(viewport=DESKTOP)
        contexts[who].add_cookies([{"name": COOKIE, "value": replica, "url": deployment.url}])
    anna, boris, board = (contexts[w].new_page() for w in ("anna", "boris", "owner"))
    join(anna, team, "Anna")
    join(boris, team, "Boris")
    for page in (anna, boris):  # each card moves on only when its person says so
        page.locator(f"{CARD} .auto-box").uncheck()
    board.goto(owner)
    ready(board)
    answers = metric(board, "Touchpoints rated (all people)")
    answers.wait_for(timeout=60_000)
    assert (replica_of(contexts["anna"]), replica_of(contexts["boris"]), replica_of(contexts["owner"])) == ("app1", "app2", "app1")

    given: dict[tuple[str, str], tuple[int, str]] = {}
    for i in range(2):
        given[("Anna", answer(anna, 3 + i, "positive"))] = (3 + i, "positive")
        given[("Boris", answer(boris, 7 + i, "negative"))] = (7 + i, "negative")
        for page in (anna, boris):
            press(page, "next")
    # The board on replica 1 shows the answers written through replica 2 within its refresh (3 s).
    until(lambda: answers.inner_text() == "4", timeout=20)

    os.kill(deployment.pid("app2"), signal.SIGKILL)  # Boris's replica dies at once, mid-session
    # He answers once more before he notices: the card keeps the answer in its outbox (nobody acknowledges it).
    unsent = shown(boris)
    for field, value in (("importance", 9), ("reaction", "negative")):
        tap(boris, field, value)
    given[("Boris", unsent)] = (9, "negative")
    boris.reload()
    ready(boris)
    wait_card(boris)
    assert replica_of(contexts["boris"]) == "app1"  # the proxy sent him to the living replica
    assert boris.get_by_text("Rating as Boris").count() == 1  # the link kept who he is
    all_acknowledged(boris)  # the outbox went to the living replica
    person = next(p.id for p in store.participants(audit.id) if p.name == "Boris")
    stored = store.ratings(audit.id, participant_id=person)
    assert {(r.touchpoint_id, r.importance, r.reaction.value if r.reaction else None) for r in stored} >= {(unsent, 9, "negative")}
    boris.locator(f"{CARD} .auto-box").uncheck()
    if shown(boris) == unsent:
        press(boris, "next")
    for i in range(2, 4):
        given[("Boris", answer(boris, 7 + i, "neutral"))] = (7 + i, "neutral")
        press(boris, "next")
    given[("Anna", answer(anna, 5, "positive"))] = (5, "positive")

    until(lambda: answers.inner_text() == str(len(given)), timeout=20)
    names = {p.id: p.name for p in store.participants(audit.id)}
    saved = {(names[r.participant_id], r.touchpoint_id): (r.importance, r.reaction.value if r.reaction else None)
             for r in store.ratings(audit.id) if r.is_answered}
    assert saved == given and len(given) == 8  # nothing lost (the unsent answer included), nothing extra
    proxy_log = (deployment.folder / "proxy.log").read_text(errors="replace")
    assert links[Role.TEAM] not in proxy_log and links[Role.OWNER] not in proxy_log  # query strings are not logged
    for context in contexts.values():
        context.close()
    store.close()
