"""A workshop room in one Chromium: 12 people tap an answer every 1.5 s for 2 minutes while the live board
and the presenter refresh, all against one app process (and the same taps by one person alone first).

Every person taps on their own clock inside their page (importance, reaction, presence in turn, with the
card's auto-advance on), so the driver's own latency cannot pace the room. The card records each tap:
the touchpoint on screen, the value, when it was visible, when the server acknowledged it.

Asserted: no answer lost, none stored twice, each stored on the touchpoint that was on screen;
tap to visible feedback <= 50 ms; tap to acknowledged p50 <= 300 ms and p95 <= 1 s. The figures are
printed with the machine's load average (other programs share this machine).
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from audit.catalog import bundled
from audit.model import Role
from audit.store import Store

from .steps import CARD, DESKTOP, PHONE, metrics, page_url, percentile, ready, timing, until, wait_card

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PEOPLE = 12
EVERY_MS = 1500
ROOM_SECONDS = 120
ALONE_SECONDS = 15

TAPPER = """([every, offset]) => {
    const fields = ['importance', 'reaction', 'presence'];
    const pick = {
        importance: () => String(1 + Math.floor(Math.random() * 10)),
        reaction: () => ['positive', 'neutral', 'negative'][Math.floor(Math.random() * 3)],
        presence: () => ['have', 'missing', 'not-needed'][Math.floor(Math.random() * 3)],
    };
    let n = 0;
    window.__tapperStart = setTimeout(() => {
        window.__tapper = setInterval(() => {
            const card = [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
                .map((h) => h.shadowRoot && h.shadowRoot.querySelector('.card')).find(Boolean);
            if (!card || card.hidden) return;
            const field = fields[n % 3];
            n += 1;
            const button = card.querySelector(`button.choice[data-field="${field}"][data-value="${pick[field]()}"]`);
            if (button) button.click();
        }, every);
    }, offset);
}"""
STOP = "() => { clearTimeout(window.__tapperStart); clearInterval(window.__tapper); }"


@pytest.fixture(scope="module")
def room(server: Any) -> dict[str, Any]:
    store = Store(str(server.db_path))
    audit, links = store.create_audit("Load Bakery", bundled("general"))
    people = [store.add_participant(audit.id, f"Person {i + 1}", seen=True) for i in range(PEOPLE + 1)]
    base = f"{server.url}/?t="
    yield {"store": store, "audit": audit, "team": base + links[Role.TEAM], "owner": base + links[Role.OWNER], "people": people}
    store.close()


def open_people(browser: Any, room: dict[str, Any], people: list[Any]) -> list[tuple[Any, Any]]:
    """A browser context per person, on their personal link (all loading at once), each card ready."""
    pages = []
    for i, person in enumerate(people):
        context = browser.new_context(**(PHONE if i % 2 else {"viewport": DESKTOP}))
        page = context.new_page()
        page.goto(f"{room['team']}&p={person.id}", wait_until="commit")
        pages.append((context, page))
    for _, page in pages:
        ready(page)
        wait_card(page)
    return pages


def tap_for(pages: list[Any], seconds: int) -> None:
    for i, page in enumerate(pages):
        page.evaluate(TAPPER, [EVERY_MS, int(i * EVERY_MS / len(pages))])
    time.sleep(seconds)
    for page in pages:
        page.evaluate(STOP)


def settled(pages: list[Any]) -> list[list[dict[str, Any]]]:
    """Wait until every tap is acknowledged; each page's taps."""
    until(lambda: all(m["acked"] is not None for page in pages for m in metrics(page)), timeout=120, step=0.5)
    return [metrics(page) for page in pages]


def check_stored(store: Store, audit_id: str, person_id: str, taps: list[dict[str, Any]]) -> None:
    """The last tap of each touchpoint and field is what is stored; every tap is one history row."""
    last: dict[tuple[str, str], Any] = {}
    for tap in sorted(taps, key=lambda m: m["tap"]):
        last[(tap["tp"], tap["f"])] = tap["v"]
    stored = {r.touchpoint_id: r for r in store.ratings(audit_id, participant_id=person_id)}
    for (tp, field), value in last.items():
        got = getattr(stored[tp], field)
        got = getattr(got, "value", got)
        assert str(got) == str(value), (person_id, tp, field, got, value)
    assert len(store.rating_history(audit_id, participant_id=person_id)) == len(taps)  # none lost, none twice


def figures(label: str, taps: list[dict[str, Any]]) -> dict[str, float]:
    found = timing(taps)
    visible = [m["shown"] - m["tap"] for m in taps if m["shown"] is not None]
    found["visible_p95"] = percentile(visible, 95)
    print(f"\n{label}: {found['taps']} taps; tap -> visible p50 {found['visible_p50']:.0f} ms, p95 {found['visible_p95']:.0f} ms, "
          f"max {found['visible_max']:.0f} ms; tap -> acknowledged p50 {found['ack_p50']:.0f} ms, p95 {found['ack_p95']:.0f} ms, "
          f"max {found['ack_max']:.0f} ms (load average {os.getloadavg()[0]:.1f})")
    return found


def test_a_room_of_twelve_with_the_board_and_the_presenter(server: Any, browser: Any, room: dict[str, Any], record_property: Any) -> None:
    store: Store = room["store"]
    audit_id = room["audit"].id

    # One person alone, the same way.
    alone = open_people(browser, room, room["people"][:1])
    tap_for([alone[0][1]], ALONE_SECONDS)
    (alone_taps,) = settled([alone[0][1]])
    alone[0][0].close()
    check_stored(store, audit_id, room["people"][0].id, alone_taps)
    one = figures("one person alone", alone_taps)

    # The room: twelve people, the live board and the presenter.
    owner = browser.new_context(viewport={"width": 1440, "height": 1000})
    board, presenter = owner.new_page(), owner.new_page()
    board.goto(room["owner"])
    presenter.goto(page_url(room["owner"], "present"))
    for page in (board, presenter):
        ready(page)
    team = open_people(browser, room, room["people"][1:])
    pages = [page for _, page in team]
    cpu_before = server.cpu_seconds()
    tap_for(pages, ROOM_SECONDS)
    cpu = server.cpu_seconds() - cpu_before
    taps = settled(pages)
    for person, person_taps in zip(room["people"][1:], taps, strict=True):
        assert all(m["tp"] for m in person_taps)
        check_stored(store, audit_id, person.id, person_taps)
    assert board.locator("[data-testid='stMetric']").count() == 3 and presenter.locator(CARD).count() == 0
    everyone = [m for person_taps in taps for m in person_taps]
    many = figures(f"{PEOPLE} people with the board and the presenter", everyone)
    print(f"server CPU during the room: {cpu:.1f} s in {ROOM_SECONDS} s ({cpu / ROOM_SECONDS:.0%} of one core)")
    for name, value in (("alone", one), ("room", many)):
        for key in ("visible_p95", "ack_p50", "ack_p95"):
            record_property(f"{name}_{key}_ms", round(value[key]))
    load = os.getloadavg()[0]
    assert many["taps"] >= PEOPLE * ROOM_SECONDS * 1000 // EVERY_MS * 0.9
    assert many["visible_p95"] <= 50, f"tap to visible p95 {many['visible_p95']:.0f} ms (load average {load:.1f})"
    assert many["ack_p50"] <= 300 and many["ack_p95"] <= 1000, f"tap to acknowledged {many} (load average {load:.1f})"
    for context, _ in team:
        context.close()
    owner.close()
