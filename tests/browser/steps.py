"""What the browser tests do again and again, in one place: wait, join, read and tap the rating card.

The card is a Streamlit component in a shadow root; Playwright's CSS
locators pierce open shadow roots, so ``.tpa .card`` finds it. The card
keeps tap timings in ``window.__tpaMetrics`` (tap, shown on screen,
acknowledged by the server), which the tests read instead of timing from
Python, where each Playwright call adds its own round trip.

Screenshots for the README are written only when ``AUDIT_SCREENSHOTS=1``
(a plain test run never rewrites the tracked images).
"""

from __future__ import annotations

import os
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app_driver import handler_messages

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
CARD = ".tpa .card"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


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


def query(page: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def shot(page: Any, name: str) -> None:
    """A README screenshot, only when asked for (``AUDIT_SCREENSHOTS=1``)."""
    if os.environ.get("AUDIT_SCREENSHOTS") != "1":
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def no_error_shown(page: Any) -> None:
    """No traceback and no "something went wrong" of the app's own handler (which hides the exception)."""
    assert page.locator("[data-testid='stException']").count() == 0
    alerts = " ".join(page.locator("[data-testid='stAlert']").all_inner_texts())
    shown = [m for m in handler_messages() if m in alerts]
    assert not shown, f"the app showed its error handler's message: {shown}"


def no_script_ran(page: Any) -> None:
    assert page.evaluate("() => window.__pwned === undefined")
    fits_the_screen(page)


def fits_the_screen(page: Any) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"the page scrolls sideways: {width}"


def css_key(key: str) -> str:
    """The CSS class Streamlit gives an element with this ``key``."""
    return ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)


def choose(page: Any, key: str, option: str) -> None:
    """Pick an option of the select box with this key (typing narrows long lists)."""
    box = page.locator(css_key(key)).get_by_role("combobox")
    box.click()
    box.fill(option[:12])
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()


def page_url(link: str, page: str) -> str:
    """A link opened at one of its role's pages (``/rate?t=...``)."""
    return link.replace("/?", f"/{page}?", 1)


# ------------------------------------------------------------------ tables (st.dataframe, st.data_editor)


def grid_cell(grid: Any, column: str, row: int) -> Any:
    """One cell of a Streamlit grid by its column header and data row (0 = first), through the grid's
    accessible table (``th``/``td`` with ``aria-colindex``, ``tr`` with ``aria-rowindex``): no pixel offsets."""
    index = grid.locator("th[role=columnheader]").filter(has_text=re.compile(f"^{re.escape(column)}$")).get_attribute("aria-colindex")
    return grid.locator(f"tr[aria-rowindex='{row + 2}'] td[aria-colindex='{index}']")  # row 1 is the header


def select_cell(grid: Any, column: str, row: int) -> Any:
    """Put the grid's cursor on one cell (as a click would) and check the grid says it is selected there."""
    cell = grid_cell(grid, column, row)
    grid.locator("[data-testid='data-grid-canvas']").focus()  # the grid listens to keys once it has the focus
    cell.focus()  # the grid moves its selection to a cell of its accessible table that gets the focus
    until(lambda: cell.get_attribute("aria-selected") == "true", timeout=10, step=0.05)
    return cell


# ------------------------------------------------------------------ the card


def wait_card(page: Any) -> str:
    """Wait for the card to show a touchpoint; its id."""
    page.wait_for_selector(f"{CARD}[data-tp]:not([data-tp=''])", timeout=60_000)
    return shown(page)


def shown(page: Any) -> str:
    return str(page.locator(CARD).get_attribute("data-tp"))


def join(page: Any, url: str, name: str) -> str:
    """Open a team link, enter a name, wait for the card; the person's id."""
    page.goto(url)
    ready(page)
    page.get_by_label(re.compile("^(Your name|Ваше имя)$")).fill(name)
    page.get_by_role("button", name=re.compile("Start rating|Начать оценку")).click()
    page.wait_for_url(re.compile(r"[?&]p="), timeout=60_000)
    wait_card(page)
    return query(page)["p"]


def choice(page: Any, field: str, value: Any) -> Any:
    return page.locator(f'{CARD} button.choice[data-field="{field}"][data-value="{value}"]')


def tap(page: Any, field: str, value: Any) -> str:
    """Tap an answer on the card; the touchpoint that was on screen."""
    on_screen = shown(page)
    choice(page, field, value).click()
    return on_screen


def fast_tap(page: Any, field: str, value: Any) -> tuple[str, float]:
    """Read the card on screen and tap at once with the mouse (no waiting): (touchpoint, ms since the call)."""
    found = page.evaluate(
        """([field, value]) => {
            const t0 = performance.now();
            const card = [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
              .map((host) => host.shadowRoot && host.shadowRoot.querySelector('.card')).find(Boolean);
            const button = card.querySelector(`button.choice[data-field="${field}"][data-value="${value}"]`);
            const box = button.getBoundingClientRect();
            return {tp: card.dataset.tp, x: box.x + box.width / 2, y: box.y + box.height / 2, t0};
        }""",
        [field, str(value)],
    )
    page.mouse.click(found["x"], found["y"])
    return found["tp"], found["t0"]


def press(page: Any, name: str) -> None:
    """Next, Previous, Next unrated, Not applicable: the card's own buttons."""
    page.locator(f"{CARD} button.move.{name}").click()


def metrics(page: Any) -> list[dict[str, Any]]:
    return page.evaluate("() => window.__tpaMetrics || []")


def waiting(page: Any) -> int:
    """Answers in the card's outbox not acknowledged yet."""
    return int(page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('tpa.outbox.')).map(k => JSON.parse(localStorage.getItem(k) || '[]').length).reduce((a, b) => a + b, 0)"
    ))


def all_acknowledged(page: Any, timeout: float = 60.0) -> None:
    until(lambda: waiting(page) == 0 and all(m["acked"] is not None for m in metrics(page)), timeout=timeout, step=0.05)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def timing(entries: list[dict[str, Any]]) -> dict[str, float]:
    """Tap-to-visible and tap-to-acknowledged (ms) of the card's recorded taps."""
    visible = [m["shown"] - m["tap"] for m in entries if m["shown"] is not None]
    acked = [m["acked"] - m["tap"] for m in entries if m["acked"] is not None]
    return {
        "taps": len(entries),
        "visible_p50": statistics.median(visible) if visible else float("nan"),
        "visible_max": max(visible) if visible else float("nan"),
        "ack_p50": percentile(acked, 50),
        "ack_p95": percentile(acked, 95),
        "ack_max": max(acked) if acked else float("nan"),
    }
