"""A workshop in a real browser: the owner creates an audit, two people rate at once, the board shows it.

Also takes the screenshots for the README (``docs/screenshots/``) and
measures click-to-saved: from a click on an answer to the row in the database.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from audit.catalog import bundled
from audit.model import Role
from audit.store import Store
from audit.ui import walk

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
NASTY = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2> **bold** :red[red]"


# ------------------------------------------------------------------ helpers


def ready(page: Any) -> None:
    page.wait_for_selector(READY, timeout=60_000)


def settle(page: Any, ms: int = 250) -> None:
    """Let a rerun that a click started begin, then wait until the script is idle."""
    page.wait_for_timeout(ms)
    ready(page)


def until(check: Callable[[], Any], timeout: float = 30.0, step: float = 0.005) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(step)


def option(page: Any, key: str, text: str) -> Any:
    """A pill or segment of the widget with this key (``importance:x`` -> ``.st-key-importance-x``)."""
    css = re.sub(r"[^a-zA-Z0-9_-]", "-", key)
    pattern = rf"^{text}$" if text.isdigit() else rf"{re.escape(text)}$"
    return page.locator(f".st-key-{css} button").filter(has_text=re.compile(pattern))


def query(page: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def join(page: Any, url: str, name: str) -> str:
    page.goto(url)
    ready(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Start rating").click()
    page.wait_for_url(re.compile(r"[?&]p="), timeout=60_000)
    settle(page)
    page.wait_for_selector(".st-key-card", timeout=60_000)
    return query(page)["p"]


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def no_script_ran(page: Any) -> None:
    assert page.evaluate("() => window.__pwned === undefined")
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"the page scrolls sideways: {width}"


# ------------------------------------------------------------------ the workshop


@pytest.fixture(scope="module")
def workshop(server: Any, browser: Any) -> dict[str, Any]:
    """The owner creates an audit through the UI; returns its links and the owner's page."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(server.url)
    ready(page)
    no_script_ran(page)
    page.get_by_role("button", name="Create an audit").click()
    page.get_by_label("Business name").wait_for(timeout=60_000)
    page.get_by_label("Business name").fill("Corner Bakery")
    page.get_by_role("textbox", name="Competitors (optional)").fill("Bread & Co\nCake Town")
    page.get_by_label("Business name").click()  # leave the text area so it is sent
    settle(page)
    shot(page, "create-desktop.png")
    page.get_by_role("button", name="Create the audit").click()
    page.wait_for_url(re.compile(r"/links\?t="), timeout=60_000)
    settle(page)
    page.wait_for_selector("[data-testid='stCode']", timeout=60_000)
    codes = page.locator("[data-testid='stCode'] code").all_text_contents()  # folded ones too
    store = Store(str(server.db_path))
    links = {store.resolve_token(parse_qs(urlsplit(c).query)["t"][0]).role: c.strip() for c in codes}
    assert set(links) == set(Role)
    assert all(link.startswith(server.url) for link in links.values())
    assert page.get_by_text("The owner link is the key to this audit").is_visible()
    page.locator("[data-testid='stImage'] img").first.wait_for()  # the team's QR code, for the projector
    page.set_viewport_size({"width": 1280, "height": 1300})
    settle(page)
    shot(page, "links-desktop.png")
    for name in ("Owner link", "Mystery shopper link"):  # folded away: not on the projector by accident
        page.get_by_text(name, exact=True).first.click()
    page.wait_for_function("() => document.querySelectorAll(\"[data-testid='stImage'] img\").length === 3")
    # Other browser tests share this server's database: find this audit by its owner link.
    owner_token = parse_qs(urlsplit(links[Role.OWNER]).query)["t"][0]
    audit = store.get_audit(store.resolve_token(owner_token).audit_id)
    yield {"store": store, "audit": audit, "links": links, "owner_page": page, "context": context}
    context.close()
    store.close()


def test_two_people_rate_the_same_touchpoints_at_once(server: Any, browser: Any, workshop: dict[str, Any]) -> None:
    store: Store = workshop["store"]
    audit = workshop["audit"]
    team = workshop["links"][Role.TEAM]
    walk_order = walk.select(bundled("general"))
    order = walk_order[:3]

    ctx_a = browser.new_context(viewport=DESKTOP)
    ctx_b = browser.new_context(**PHONE)
    a, b = ctx_a.new_page(), ctx_b.new_page()
    pid_a = join(a, team, "Anna")
    pid_b = join(b, team, "Boris")

    answers = {
        pid_a: [(8, "Positive", "We have it"), (6, "Neutral", "Missing"), (9, "Negative", "We have it")],
        pid_b: [(3, "Negative", "We have it"), (7, "Positive", "Not needed"), (4, "Neutral", "Missing")],
    }
    for i, tp in enumerate(order):
        for page in (a, b):
            assert query(page)["tp"] == tp.id
        # Both people click at the same moment: the clicks are sent before either rerun finishes.
        for part in ("importance", "reaction", "presence"):
            for page, pid in ((a, pid_a), (b, pid_b)):
                importance, reaction, presence = answers[pid][i]
                value = {"importance": str(importance), "reaction": reaction, "presence": presence}[part]
                option(page, f"{part}:{tp.id}", value).click()
            settle(a, 50)
            settle(b, 50)
        if i == 0:
            box = a.locator(f".st-key-comment-{tp.id} textarea")
            box.fill("Faded letters; one lamp is out")
            a.locator(f".st-key-idea-{tp.id} textarea").click()  # blur: the comment is committed
            settle(a)
        until(lambda: {(r.participant_id, r.touchpoint_id) for r in store.ratings(audit.id) if r.is_answered}
              >= {(pid_a, tp.id), (pid_b, tp.id)})
        if i == 1:
            # One person reloads in the middle of the walk-through and continues where they were.
            before = query(b)
            b.reload()
            ready(b)
            b.wait_for_selector(".st-key-card", timeout=60_000)
            assert query(b)["tp"] == before["tp"] == tp.id and query(b)["p"] == pid_b
            assert b.get_by_label("Your name").count() == 0
            assert option(b, f"importance:{tp.id}", str(answers[pid_b][i][0])).get_attribute("aria-checked") == "true"
        if i < len(order) - 1:
            for page in (a, b):
                page.locator(".st-key-next button").click()
            for page in (a, b):
                page.wait_for_url(re.compile(rf"tp={re.escape(order[i + 1].id)}"), timeout=60_000)
                settle(page)

    # Both sets of answers are in the database, exactly as given.
    saved = {(r.participant_id, r.touchpoint_id): r for r in store.ratings(audit.id)}
    words = {"Positive": "positive", "Neutral": "neutral", "Negative": "negative",
             "We have it": "have", "Missing": "missing", "Not needed": "not-needed"}
    for pid in (pid_a, pid_b):
        for i, tp in enumerate(order):
            r = saved[(pid, tp.id)]
            importance, reaction, presence = answers[pid][i]
            assert (r.importance, r.reaction.value, r.presence.value) == (importance, words[reaction], words[presence])
    assert saved[(pid_a, order[0].id)].comment == "Faded letters; one lamp is out"

    # A second device with the same personal link continues as the same person.
    ctx_c = browser.new_context(viewport=DESKTOP)
    c = ctx_c.new_page()
    c.goto(a.url)  # the same personal link: the same person at the same touchpoint
    ready(c)
    c.wait_for_selector(".st-key-card", timeout=60_000)
    assert c.get_by_text("Rating as Anna").count() == 1 and query(c)["tp"] == order[2].id
    c.goto(a.url.split("&tp=")[0])  # without the touchpoint: the first one not answered yet
    ready(c)
    c.wait_for_selector(".st-key-card", timeout=60_000)
    assert c.get_by_text("Rating as Anna").count() == 1 and query(c)["tp"] == walk_order[3].id
    assert len(store.participants(audit.id)) == 2
    ctx_c.close()

    # Screenshots of the walk-through: desktop (tall enough for the whole card), and the 390x844 phone.
    a.set_viewport_size({"width": 1280, "height": 1500})
    a.locator(".st-key-top_menu").scroll_into_view_if_needed()
    settle(a)
    shot(a, "walkthrough-desktop.png")
    b.locator(".st-key-top_menu").scroll_into_view_if_needed()
    b.wait_for_timeout(300)
    shot(b, "walkthrough-phone-top.png")
    b.locator(f".st-key-importance-{order[2].id}").evaluate("e => e.scrollIntoView({block: 'start'})")
    b.wait_for_timeout(300)
    shot(b, "walkthrough-phone.png")
    no_script_ran(a)
    no_script_ran(b)
    ctx_a.close()
    ctx_b.close()


def test_the_owner_board_shows_both_and_refreshes_itself(server: Any, browser: Any, workshop: dict[str, Any]) -> None:
    store: Store = workshop["store"]
    audit = workshop["audit"]
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(workshop["links"][Role.OWNER])
    ready(page)
    metric = lambda label: page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']")  # noqa: E731
    metric("People joined").wait_for(timeout=60_000)
    assert metric("People joined").inner_text() == "2"
    assert metric("Touchpoints with votes").inner_text() == "3 / 210"
    assert page.get_by_text("Discuss first").count() == 1
    disputed = page.locator("[data-testid='stMarkdownContainer']").filter(has_text="2 votes")
    assert disputed.count() >= 1  # the disputed touchpoints, with both votes
    no_script_ran(page)

    # The board refreshes by itself: a third person joins and answers, nobody touches the page.
    cleo = store.add_participant(audit.id, "Cleo")
    from audit.model import Rating

    store.save_rating(Rating(audit.id, cleo.id, "office-facade", importance=5, reaction="neutral"))
    until(lambda: metric("People joined").inner_text() == "3", timeout=30)
    settle(page)
    shot(page, "board-desktop.png")

    page.goto(workshop["links"][Role.OWNER].replace("/?", "/present?"))
    ready(page)
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    settle(page)
    no_script_ran(page)
    assert page.get_by_text("Faded letters").count() + page.get_by_text("Comments").count() >= 1
    shot(page, "presenter-desktop.png")
    context.close()


def test_peoples_text_is_shown_as_text_and_never_breaks_the_layout(server: Any, browser: Any, workshop: dict[str, Any]) -> None:
    """<script>, markup and very long words from people: shown literally, never run, never wider than the screen."""
    store: Store = workshop["store"]
    audit = workshop["audit"]
    long_word = "W" * 400
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    pid = join(page, workshop["links"][Role.TEAM], "Eve " + NASTY)
    no_script_ran(page)
    tp = query(page)["tp"]
    page.locator(f".st-key-comment-{tp} textarea").fill(NASTY + " " + long_word)
    page.locator(f".st-key-idea-{tp} textarea").click()
    settle(page)
    until(lambda: any(r.comment.startswith(NASTY) for r in store.ratings(audit.id, participant_id=pid)))
    option(page, f"importance:{tp}", "5").click()
    settle(page)

    page.goto(page.url.replace("/?", "/add?").split("&tp=")[0])
    ready(page)
    page.get_by_role("textbox", name="Touchpoint").fill((NASTY + " " + long_word)[:300])
    page.get_by_role("button", name="Add it").click()
    added = until(lambda: [x for x in store.catalog(audit.id).touchpoints if x.added_by_team])[0]
    settle(page)
    no_script_ran(page)
    page.get_by_text("<script>window.__pwned=1</script>", exact=False).first.wait_for(timeout=30_000)  # shown as text
    no_script_ran(page)

    page.goto(f"{workshop['links'][Role.TEAM]}&p={pid}&tp={added.id}")
    ready(page)
    page.wait_for_selector(".st-key-card", timeout=60_000)
    settle(page)
    no_script_ran(page)
    assert page.get_by_text("Added by the team").count() == 1

    owner = browser.new_context(viewport=DESKTOP)
    board = owner.new_page()
    board.goto(workshop["links"][Role.OWNER])
    ready(board)
    board.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    settle(board)
    no_script_ran(board)
    board.goto(workshop["links"][Role.OWNER].replace("/?", "/present?") + f"&tp={tp}")
    ready(board)
    board.get_by_text("Comments").wait_for(timeout=60_000)
    settle(board)
    no_script_ran(board)
    board.get_by_text("**bold** :red[red]", exact=False).first.wait_for(timeout=30_000)  # markup shown, not applied
    phone.close()
    owner.close()


def test_click_to_saved(server: Any, browser: Any, workshop: dict[str, Any], record_property: Any) -> None:
    """From the click on an answer to the row in the database (and to the "saved" note on screen)."""
    store: Store = workshop["store"]
    audit = workshop["audit"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    pid = join(page, workshop["links"][Role.TEAM], "Timer")
    tp = query(page)["tp"]
    to_db, to_screen = [], []
    for i in range(10):
        value = 1 + (i % 9)
        wanted = lambda: any(r.touchpoint_id == tp and r.importance == value for r in store.ratings(audit.id, participant_id=pid))  # noqa: E731
        target = option(page, f"importance:{tp}", str(value))
        target.wait_for()
        start = time.perf_counter()
        target.click()
        until(wanted, timeout=30, step=0.002)
        to_db.append(time.perf_counter() - start)
        page.wait_for_function(
            f"() => document.querySelector('.st-key-importance-{tp} button[aria-checked=\"true\"]')?.innerText.trim() === '{value}'",
            timeout=30_000,
        )
        to_screen.append(time.perf_counter() - start)
        settle(page, 50)
    median_db, median_screen = statistics.median(to_db), statistics.median(to_screen)
    record_property("click_to_saved_ms", round(median_db * 1000))
    record_property("click_to_screen_ms", round(median_screen * 1000))
    print(f"\nclick-to-saved (database): median {median_db * 1000:.0f} ms, max {max(to_db) * 1000:.0f} ms; "
          f"click-to-screen: median {median_screen * 1000:.0f} ms")
    # The target is 400 ms; the bound is loose so a busy machine does not flake.
    assert median_db < 2.0
    context.close()


def test_garbage_and_rotated_links_in_the_browser(server: Any, browser: Any, workshop: dict[str, Any]) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{server.url}/?t=not-a-real-token")
    ready(page)
    page.get_by_text("This link is not valid").first.wait_for(timeout=60_000)
    team_url = workshop["links"][Role.TEAM]
    page.goto(team_url.replace("/?", "/board?"))  # a team link cannot open the board
    ready(page)
    page.wait_for_selector(".st-key-card, [data-testid='stForm']", timeout=60_000)
    assert page.locator("[data-testid='stMetric']").count() == 0
    context.close()


def test_tokens_never_reach_the_server_log(server: Any, workshop: dict[str, Any]) -> None:
    log = server.log()
    for link in workshop["links"].values():
        token = parse_qs(urlsplit(link).query)["t"][0]
        assert token not in log
    assert "Traceback" not in log, log[-3000:]
