"""The workshop room in Chromium: the rating card answers at once and every tap lands where it was made.

- 100 times in a row a person presses Next and taps the next card within
  50 ms, then goes on tapping while the server is frozen (SIGSTOP, 3 s):
  every answer is stored on the touchpoint that was on screen, none lost,
  none stored twice, none overwritten, and the card never jumps back.
- Reopening the team link in the same browser continues as the same person;
  the same name from another browser asks "is that you?" first; the owner
  sees everyone's personal link.
- Follow-me: the presenter moves and two team cards follow within 2 s.
- Phones (390x844 and 360x740, English and Russian): no sideways scrolling,
  the name, 1-10 and the reactions visible at once, every tap target at least
  44 px tall, the reaction words on one line.
- The quick grid saves with the same outbox; a role's own page opens by its
  path without a "Page not found" pop-up.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from audit.catalog import bundled
from audit.model import Role
from audit.store import Store
from audit.ui import walk

from .steps import (
    CARD,
    DESKTOP,
    PHONE,
    SMALL_PHONE,
    all_acknowledged,
    choice,
    fits_the_screen,
    join,
    metrics,
    page_url,
    press,
    query,
    ready,
    settle,
    shot,
    shown,
    tap,
    timing,
    until,
    wait_card,
)

pytestmark = pytest.mark.browser

CLICKS = """() => { window.__clicks = []; document.addEventListener('click', (e) => {
    const target = e.composedPath()[0]; const button = target.closest ? target.closest('button') : null;
    window.__clicks.push({t: e.timeStamp, cls: button ? button.className : ''}); }, true); }"""


@pytest.fixture(scope="module")
def room(server: Any) -> dict[str, Any]:
    store = Store(str(server.db_path))
    audit, links = store.create_audit("Room Bakery", bundled("general"))
    _, ru_links = store.create_audit("Пекарня", bundled("general"), language="ru")
    base = f"{server.url}/?t="
    yield {"store": store, "audit": audit, "team": base + links[Role.TEAM], "owner": base + links[Role.OWNER],
           "shopper": base + links[Role.SHOPPER], "ru_team": base + ru_links[Role.TEAM]}
    store.close()


def next_and_tap(page: Any, value: int, delay_ms: int) -> str:
    """Press Next and, ``delay_ms`` later, tap importance on the card then on screen (both in the page,
    so the driver's own latency cannot stretch the gap); the touchpoint that was tapped."""
    return str(page.evaluate(
        """async ([value, delay]) => {
            const onScreen = () => [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
              .map((h) => h.shadowRoot && h.shadowRoot.querySelector('.card')).find(Boolean);
            onScreen().querySelector('button.move.next').click();
            await new Promise((done) => setTimeout(done, delay));
            const card = onScreen();
            const tp = card.dataset.tp;
            card.querySelector(`button.choice[data-field="importance"][data-value="${value}"]`).click();
            return tp; }""",
        [str(value), delay_ms],
    ))


def test_taps_right_after_next_and_while_the_server_is_frozen_land_where_they_were_made(
    server: Any, browser: Any, room: dict[str, Any], record_property: Any
) -> None:
    store: Store = room["store"]
    deck = [tp.id for tp in walk.select(bundled("general"))]
    context = browser.new_context(viewport={"width": 1280, "height": 1100})
    page = context.new_page()
    pid = join(page, room["team"], "Quick Quinn")
    assert shown(page) == deck[0]
    before = _starts_recording_clicks_and_card_moves(page)
    expected = _taps_100_cards_right_after_next(page, deck)
    expected.update(_goes_on_tapping_while_the_server_is_frozen(server, page, deck))
    all_acknowledged(page, timeout=60)
    remounts = _sees_the_card_move_only_on_next(page, deck, before)
    _records_next_to_tap_and_tap_to_visible(page, record_property, remounts)
    _finds_every_answer_stored_once_where_it_was_made(store, room["audit"].id, pid, expected)
    context.close()


def _starts_recording_clicks_and_card_moves(page: Any) -> int:
    """The page starts recording every click; returns how many card moves were recorded before the taps."""
    page.evaluate(CLICKS)
    return len(page.evaluate("() => window.__tpaMoves"))


def _taps_100_cards_right_after_next(page: Any, deck: list[str]) -> dict[str, int]:
    """100 times: Next, then an importance tap 0-25 ms later; one card per Next, in order. Returns what was tapped where."""
    expected: dict[str, int] = {}
    for i in range(100):
        value = i % 10 + 1
        expected[next_and_tap(page, value, (i * 7) % 26)] = value
    tapped = list(expected)
    assert tapped == deck[1:101], [(i, a, b) for i, (a, b) in enumerate(zip(tapped, deck[1:101], strict=False)) if a != b][:5]
    assert shown(page) == deck[100]  # one card per Next, in order
    return expected


def _goes_on_tapping_while_the_server_is_frozen(server: Any, page: Any, deck: list[str]) -> dict[str, int]:
    """The server freezes for 3 s (an overloaded machine): the card goes on answering at once and says it will
    retry. Returns what was tapped where."""
    expected: dict[str, int] = {}
    server.pause()
    try:
        frozen_at = time.monotonic()
        for i in range(10):
            expected[next_and_tap(page, (i + 3) % 10 + 1, 20)] = (i + 3) % 10 + 1
            page.wait_for_timeout(150)
        assert shown(page) == deck[110]
        retry = page.locator(f"{CARD} .summary[data-kind='retry']")
        until(lambda: retry.count() == 1, timeout=10)  # "not saved yet - will retry"
        page.wait_for_timeout(max(0, int((3.0 - (time.monotonic() - frozen_at)) * 1000)))
    finally:
        server.resume()
    return expected


def _sees_the_card_move_only_on_next(page: Any, deck: list[str], before: int) -> int:
    """Nothing moved the card back: only Next moved it, and a remounted card came back where it was. Returns
    how many times Streamlit mounted the card again."""
    assert shown(page) == deck[110]  # nothing moved the card back
    moved = page.evaluate("() => window.__tpaMoves")[before:]
    # Only Next moved it. (Streamlit may mount the component again; the card then comes back where it was.)
    assert [m["why"] for m in moved if m["from"]] == ["next"] * 110, moved[:5]
    remounts = sum(1 for m in moved if m["why"].startswith("mount"))
    for i, m in enumerate(moved):
        if m["why"] == "start" and i > 1:
            assert m["to"] == next(x["to"] for x in reversed(moved[:i]) if x["to"]), moved[i - 3 : i + 1]
    return remounts


def _records_next_to_tap_and_tap_to_visible(page: Any, record_property: Any, remounts: int) -> None:
    """The Next-to-tap gaps and tap-to-visible times are recorded and printed; at least 90 of 100 taps came within 50 ms."""
    gaps = page.evaluate(
        """() => { const c = window.__clicks; const out = [];
            for (let i = 1; i < c.length; i++) if (c[i].cls.includes('choice') && c[i - 1].cls.includes('next')) out.push(c[i].t - c[i - 1].t);
            return out; }"""
    )
    assert len(gaps) == 110
    figures = timing(metrics(page))
    record_property("next_to_tap_max_ms", round(max(gaps)))
    record_property("tap_to_visible_max_ms", round(figures["visible_max"]))
    print(f"\nNext -> tap: median {sorted(gaps)[55]:.0f} ms, max {max(gaps):.0f} ms; tap -> visible max {figures['visible_max']:.0f} ms; "
          f"tap -> acknowledged p50 {figures['ack_p50']:.0f} ms (server frozen 3 s for 10 of them); Streamlit mounted the card again {remounts} times")
    # The taps are timed 0-25 ms after Next in the page; a machine under heavy load delays browser timers.
    quick = sum(1 for gap in gaps[:100] if gap <= 50)
    assert quick >= 90, f"only {quick} of 100 taps came within 50 ms of Next (load average {os.getloadavg()[0]:.1f})"
    assert figures["visible_p50"] <= 50


def _finds_every_answer_stored_once_where_it_was_made(store: Store, audit_id: str, pid: str, expected: dict[str, int]) -> None:
    """Every answer is stored on the touchpoint that was on screen: none lost, none overwritten, re-sent ones once."""
    stored = {r.touchpoint_id: r.importance for r in store.ratings(audit_id, participant_id=pid)}
    assert stored == expected  # none lost, none overwritten, nothing stored elsewhere
    history = store.rating_history(audit_id, participant_id=pid)
    assert len(history) == len(expected)  # re-sent answers were stored once


def test_the_team_link_reopens_as_the_same_person_and_a_same_name_asks_first(server: Any, browser: Any, room: dict[str, Any]) -> None:
    store: Store = room["store"]
    audit_id = room["audit"].id
    first = browser.new_context(viewport=DESKTOP)
    page = first.new_page()
    pid = join(page, room["team"], "Greta")
    tap(page, "importance", 6)
    on = tap(page, "reaction", "negative")
    until(lambda: shown(page) != on, timeout=5)  # auto-advance
    all_acknowledged(page)
    here = shown(page)

    # The team link again (a new tab, or the QR code again): the same person, where she was.
    again = first.new_page()
    again.goto(room["team"])
    ready(again)
    wait_card(again)
    assert query(again)["p"] == pid
    assert again.get_by_text("Rating as Greta").count() == 1
    assert shown(again) == here
    press(again, "prev")
    assert shown(again) == on and choice(again, "importance", 6).get_attribute("aria-checked") == "true"
    people = len(store.participants(audit_id))

    # Another browser types the same name: asked first, no duplicate without saying so.
    second = browser.new_context(viewport=DESKTOP)
    other = second.new_page()
    other.goto(room["team"])
    ready(other)
    other.get_by_label("Your name").fill("greta")
    other.get_by_role("button", name="Start rating").click()
    other.get_by_text("Is that you, greta?").wait_for(timeout=60_000)
    assert other.get_by_text("personal link", exact=False).count() >= 1
    assert len(store.participants(audit_id)) == people
    other.get_by_role("button", name="I'm someone else with the same name").click()
    other.wait_for_url(lambda url: "p=" in url, timeout=60_000)
    wait_card(other)
    assert len(store.participants(audit_id)) == people + 1 and query(other)["p"] != pid

    # The owner sees every person's personal link, any time.
    owner = browser.new_context(viewport={"width": 1280, "height": 1300})
    links = owner.new_page()
    links.goto(page_url(room["owner"], "links"))
    ready(links)
    links.get_by_text("Personal links").wait_for(timeout=60_000)
    for person in store.participants(audit_id):
        row = links.get_by_text(f"{person.name} · ", exact=False)
        assert row.count() >= 1
    links.get_by_text("Greta · opened").first.click()
    links.get_by_text(f"p={pid}", exact=False).first.wait_for(timeout=30_000)
    for context in (first, second, owner):
        context.close()


def test_follow_me_moves_two_team_cards_within_two_seconds(server: Any, browser: Any, room: dict[str, Any]) -> None:
    presenter_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    presenter = presenter_context.new_page()
    presenter.goto(page_url(room["owner"], "present"))
    ready(presenter)
    presenter.get_by_text("Team follows me").wait_for(timeout=60_000)
    teams = []
    for name in ("Fiona", "Felix"):
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        join(page, room["team"], name)
        teams.append((context, page))
    presenter.get_by_text("Team follows me").click()
    settle(presenter)
    for _ in range(3):
        presenter.get_by_role("button", name="Next").click()
        start = time.monotonic()
        settle(presenter, 50)
        target = query(presenter)["tp"]
        for _, page in teams:
            until(lambda page=page, target=target: shown(page) == target, timeout=5, step=0.02)
        took = time.monotonic() - start
        print(f"\nfollow-me: both cards at {target} {took * 1000:.0f} ms after the presenter's click")
        assert took <= 2.0
    # One person leaves; the presenter moves on; she stays; she comes back and is taken there.
    leaver, follower = teams[0][1], teams[1][1]
    stay = shown(leaver)
    leaver.locator(f"{CARD} .follow-toggle").click()
    assert leaver.locator(f"{CARD} .follow.off").count() == 1
    presenter.get_by_role("button", name="Next").click()
    settle(presenter, 50)
    target = query(presenter)["tp"]
    until(lambda: shown(follower) == target, timeout=5, step=0.02)
    name = store_name(room, target)
    until(lambda: name in leaver.locator(f"{CARD} .follow-text").inner_text(), timeout=5)  # "The facilitator is at: ..."
    assert shown(leaver) == stay, leaver.evaluate("() => window.__tpaMoves.slice(-4)")
    leaver.locator(f"{CARD} .follow-toggle").click()  # back to following: taken there at once
    assert shown(leaver) == target
    presenter.get_by_text("Team follows me").click()  # the room is free again
    settle(presenter)
    for context, _ in teams:
        context.close()
    presenter_context.close()


def store_name(room: dict[str, Any], touchpoint_id: str) -> str:
    return room["store"].catalog(room["audit"].id).by_id()[touchpoint_id].name.get("en")


@pytest.mark.parametrize("size,lang", [(PHONE, "en"), (SMALL_PHONE, "en"), (PHONE, "ru"), (SMALL_PHONE, "ru")])
def test_one_screen_per_touchpoint_on_a_phone(server: Any, browser: Any, room: dict[str, Any], size: dict[str, Any], lang: str) -> None:
    context = browser.new_context(**size)
    page = context.new_page()
    height = size["viewport"]["height"]
    join(page, room["team" if lang == "en" else "ru_team"], f"Pia {height}" if lang == "en" else f"Пётр {height}")
    fits_the_screen(page)
    boxes = page.evaluate(
        """() => { const card = [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
            .map((h) => h.shadowRoot && h.shadowRoot.querySelector('.card')).find(Boolean);
            const box = (sel) => { const r = card.querySelector(sel).getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; };
            const targets = [...card.querySelectorAll('button, input, textarea')].filter((b) => b.offsetParent !== null)
              .map((b) => [b.className, b.getBoundingClientRect().height]);
            const words = [...card.querySelectorAll('.row.three .word')].map((w) => [w.textContent, w.getClientRects().length, w.scrollWidth <= w.parentElement.clientWidth]);
            const tens = [...card.querySelectorAll('.row.ten .choice')].map((b) => b.getBoundingClientRect().top);
            return {name: box('.name'), ten: box('.row.ten'), reaction: box('.row.big'), targets, words, tens, width: innerWidth}; }"""
    )
    for part in ("name", "ten", "reaction"):
        top, bottom, left, right = boxes[part]
        assert top >= 0 and bottom <= height, f"{part} is not on the first screen: {boxes[part]}"
        assert left >= 0 and right <= boxes["width"], f"{part} is wider than the screen"
    assert len({round(t) for t in boxes["tens"]}) == 1  # 1-10 in one row
    small = [(cls, h) for cls, h in boxes["targets"] if h < 44 and "auto-box" not in cls]
    assert not small, f"tap targets under 44 px: {small}"
    assert all(lines == 1 and fits for _, lines, fits in boxes["words"]), boxes["words"]
    if size is PHONE:
        shot(page, f"walkthrough-phone{'' if lang == 'en' else '-ru'}.png")
    # After Next the new touchpoint's name is on screen, even from the bottom of the card.
    page.locator(f"{CARD} button.move.next").scroll_into_view_if_needed()
    press(page, "next")
    page.wait_for_timeout(300)
    top = page.locator(f"{CARD} .name").bounding_box()["y"]
    assert 0 <= top <= height / 2
    context.close()


def test_the_quick_grid_saves_with_the_same_outbox(server: Any, browser: Any, room: dict[str, Any]) -> None:
    store: Store = room["store"]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    pid = join(page, room["team"], "Grid Gus")
    page.locator(".st-key-rate_view button").filter(has_text="Quick grid").click()
    settle(page)
    rows = page.locator(".tpa .grid tbody tr")
    rows.first.wait_for(timeout=60_000)
    office = [tp.id for tp in walk.select(bundled("general"), categories=["office"])]
    assert rows.count() == len(office)
    rows.nth(0).click()
    page.keyboard.press("8")
    page.keyboard.press("KeyA")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("0")
    page.keyboard.press("KeyD")
    page.keyboard.press("KeyX")
    rows.nth(2).locator('button.choice[data-field="importance"][data-value="3"]').click()
    all_acknowledged(page)
    stored = {r.touchpoint_id: (r.importance, r.reaction and r.reaction.value, r.presence and r.presence.value)
              for r in store.ratings(room["audit"].id, participant_id=pid)}
    assert stored == {office[0]: (8, "positive", None), office[1]: (10, "negative", "missing"), office[2]: (3, None, None)}
    shot(page, "grid-desktop.png")
    page.get_by_text("Technology", exact=True).first.click()
    settle(page)
    assert rows.count() == len(walk.select(bundled("general"), categories=["technology"]))
    context.close()


def test_each_role_opens_its_own_page_by_path_without_page_not_found(server: Any, browser: Any, room: dict[str, Any]) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    for link, path in ((room["owner"], "board"), (room["team"], "rate"), (room["shopper"], "shopper"), (room["owner"], "present")):
        page.goto(page_url(link, path))
        ready(page)
        settle(page, 800)
        assert page.get_by_text("Page not found").count() == 0, path
        assert f"/{path}?" in page.url
    page.goto(room["owner"])  # the root of a link opens its role's home
    ready(page)
    page.wait_for_url(lambda url: "/board?" in url, timeout=30_000)
    context.close()
