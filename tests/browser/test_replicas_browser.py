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

Given = dict[tuple[str, str], tuple[int, str]]


def test_replicas_share_the_database_and_a_killed_one_loses_nothing(deployment: Deployment, chromium: Any) -> None:
    store = Store(deployment.db_url)
    audit, links, _ = services.audits.create_audit(store, name="Replica Bakery", catalog=bundled("general"), language="en")
    team, owner = (f"{deployment.url}/?t={links[r]}" for r in (Role.TEAM, Role.OWNER))
    contexts = _three_browsers_held_on_their_replicas(chromium, deployment.url)
    anna, boris, board = (contexts[w].new_page() for w in ("anna", "boris", "owner"))
    answers = _anna_and_boris_join_and_the_owner_opens_the_board(anna, boris, board, team, owner, contexts)
    given = _both_rate_two_touchpoints_and_the_board_counts_them(anna, boris, answers)
    os.kill(deployment.pid("app2"), signal.SIGKILL)  # Boris's replica dies at once, mid-session
    unsent = _boris_answers_once_more_into_his_outbox(boris)
    given[("Boris", unsent)] = (9, "negative")
    _boris_reloads_onto_the_living_replica_and_his_outbox_is_stored(boris, contexts["boris"], store, audit.id, unsent)
    given.update(_both_go_on_rating(anna, boris, unsent))
    _nothing_is_lost_and_no_link_is_logged(store, audit.id, answers, given, deployment.folder, links)
    for context in contexts.values():
        context.close()
    store.close()


def _three_browsers_held_on_their_replicas(chromium: Any, url: str) -> dict[str, Any]:
    """Anna's and the owner's browsers carry the sticky cookie of replica 1, Boris's of replica 2."""
    contexts = {}
    for who, replica in (("anna", "app1"), ("boris", "app2"), ("owner", "app1")):
        contexts[who] = chromium.new_context(viewport=DESKTOP)
        contexts[who].add_cookies([{"name": COOKIE, "value": replica, "url": url}])
    return contexts


def _anna_and_boris_join_and_the_owner_opens_the_board(
    anna: Any, boris: Any, board: Any, team: str, owner: str, contexts: dict[str, Any]
) -> Any:
    """Anna and Boris join by the team link, the owner opens the live board; each stays on its replica.
    Returns the board's count of rated touchpoints."""
    join(anna, team, "Anna")
    join(boris, team, "Boris")
    for page in (anna, boris):  # each card moves on only when its person says so
        page.locator(f"{CARD} .auto-box").uncheck()
    board.goto(owner)
    ready(board)
    answers = metric(board, "Touchpoints rated (all people)")
    answers.wait_for(timeout=60_000)
    assert (replica_of(contexts["anna"]), replica_of(contexts["boris"]), replica_of(contexts["owner"])) == ("app1", "app2", "app1")
    return answers


def _both_rate_two_touchpoints_and_the_board_counts_them(anna: Any, boris: Any, answers: Any) -> Given:
    """Both answer two touchpoints; the board on replica 1 counts the answers written through replica 2. Returns them."""
    given: Given = {}
    for i in range(2):
        given[("Anna", answer(anna, 3 + i, "positive"))] = (3 + i, "positive")
        given[("Boris", answer(boris, 7 + i, "negative"))] = (7 + i, "negative")
        for page in (anna, boris):
            press(page, "next")
    # The board on replica 1 shows the answers written through replica 2 within its refresh (3 s).
    until(lambda: answers.inner_text() == "4", timeout=20)
    return given


def _boris_answers_once_more_into_his_outbox(boris: Any) -> str:
    """Boris answers once more before he notices: the card keeps it in its outbox (nobody acknowledges it). Returns the touchpoint."""
    unsent = shown(boris)
    for field, value in (("importance", 9), ("reaction", "negative")):
        tap(boris, field, value)
    return unsent


def _boris_reloads_onto_the_living_replica_and_his_outbox_is_stored(
    boris: Any, context: Any, store: Store, audit_id: str, unsent: str
) -> None:
    """Boris reloads: the proxy sends him to replica 1, he is still Boris, and his unsent answer is stored."""
    boris.reload()
    ready(boris)
    wait_card(boris)
    assert replica_of(context) == "app1"  # the proxy sent him to the living replica
    assert boris.get_by_text("Rating as Boris").count() == 1  # the link kept who he is
    all_acknowledged(boris)  # the outbox went to the living replica
    person = next(p.id for p in store.participants(audit_id) if p.name == "Boris")
    stored = store.ratings(audit_id, participant_id=person)
    assert {(r.touchpoint_id, r.importance, r.reaction.value if r.reaction else None) for r in stored} >= {(unsent, 9, "negative")}


def _both_go_on_rating(anna: Any, boris: Any, unsent: str) -> Given:
    """Boris moves past his unsent answer and rates two more; Anna rates one more. Returns those answers."""
    given: Given = {}
    boris.locator(f"{CARD} .auto-box").uncheck()
    if shown(boris) == unsent:
        press(boris, "next")
    for i in range(2, 4):
        given[("Boris", answer(boris, 7 + i, "neutral"))] = (7 + i, "neutral")
        press(boris, "next")
    given[("Anna", answer(anna, 5, "positive"))] = (5, "positive")
    return given


def _nothing_is_lost_and_no_link_is_logged(
    store: Store, audit_id: str, answers: Any, given: Given, folder: Path, links: dict[Role, str]
) -> None:
    """The board counts every answer; the database holds exactly what was given; the proxy log has no link."""
    until(lambda: answers.inner_text() == str(len(given)), timeout=20)
    names = {p.id: p.name for p in store.participants(audit_id)}
    saved = {(names[r.participant_id], r.touchpoint_id): (r.importance, r.reaction.value if r.reaction else None)
             for r in store.ratings(audit_id) if r.is_answered}
    assert saved == given and len(given) == 8  # nothing lost (the unsent answer included), nothing extra
    proxy_log = (folder / "proxy.log").read_text(errors="replace")
    assert links[Role.TEAM] not in proxy_log and links[Role.OWNER] not in proxy_log  # query strings are not logged
