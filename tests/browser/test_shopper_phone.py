"""A mystery shopper on a 390x844 phone files a visit with a photo; the owner sees the thumbnail.

Runs against ``streamlit run`` in Debian's Chromium (see ``conftest.py``).
Also takes the README screenshots (only with ``AUDIT_SCREENSHOTS=1``) of the shopper's report (phone), the
owner's review, standards and competitors pages (desktop), and measures
click-to-saved for an observation and upload-to-stored for a photo.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from audit.catalog import bundled
from audit.demo import create_demo
from audit.model import Role, VisitStatus
from audit.store import Store

from .steps import DESKTOP, PHONE, choose, css_key, fits_the_screen, no_error_shown, query, ready, settle, shot, until

pytestmark = pytest.mark.browser

TOUCHPOINT = "staff-phone-answer-speed"


def photo_file(folder: Path) -> Path:
    path = folder / "counter.jpg"
    image = Image.new("RGB", (1200, 900), (235, 235, 225))
    for x in range(0, 1200, 60):
        for y in range(300, 600):
            image.putpixel((x, y), (40, 90, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_shopper_on_a_phone_files_a_visit_with_a_photo_and_the_owner_sees_it(
    server: Any, browser: Any, tmp_path: Path, record_property: Any
) -> None:
    store = Store(str(server.db_path))
    audit, links = store.create_audit("Corner Bakery", bundled("retail"), competitors=["Bread & Co"], locations=["Main street 1"])
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{server.url}/?t={links[Role.SHOPPER]}")
    ready(page)
    vid, pid = _starts_a_visit(page, store, audit.id)
    click_to_saved = _notes_the_phone_answer(page, store, audit.id, vid, pid)
    _is_refused_a_program_named_like_a_photo(page, store, vid, tmp_path)
    upload_to_stored = _adds_a_photo(page, store, vid, tmp_path)
    _reopens_the_draft_and_submits(page, store, audit.id, vid, pid)
    owner = browser.new_context(viewport=DESKTOP)
    _owner_accepts_the_visit(owner.new_page(), f"{server.url}/review?t={links[Role.OWNER]}", store, audit.id, vid)

    record_property("click_to_saved_ms", round(click_to_saved * 1000))
    record_property("upload_to_stored_ms", round(upload_to_stored * 1000))
    print(f"\nshopper on a phone: reaction click-to-saved {click_to_saved * 1000:.0f} ms; "
          f"photo upload-to-stored {upload_to_stored * 1000:.0f} ms")
    phone.close()
    owner.close()
    store.close()


def _starts_a_visit(page: Any, store: Store, audit_id: str) -> tuple[str, str]:
    """The shopper gives a name and starts a phone-call visit: a draft is stored. Returns (visit id, person id)."""
    page.get_by_label("Your name").fill("Mila")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]p="), timeout=60_000)
    settle(page)
    fits_the_screen(page)
    choose(page, "new_channel", "Phone call")
    page.locator(css_key("new_go")).get_by_role("button").click()
    page.wait_for_url(re.compile(r"[?&]v="), timeout=60_000)
    settle(page)
    vid, pid = query(page)["v"], query(page)["p"]
    [visit] = store.visits(audit_id, shopper_id=pid)
    assert str(visit.id) == vid and visit.status is VisitStatus.DRAFT
    return vid, pid


def _notes_the_phone_answer(page: Any, store: Store, audit_id: str, vid: str, pid: str) -> float:
    """A negative reaction, a text and a measurement, each stored as it is given. Returns click-to-saved seconds."""
    choose(page, f"add_tp:{vid}", "How fast the phone is answered")
    card = page.locator(css_key(f"obs_{vid}_{TOUCHPOINT}"))
    card.wait_for(timeout=60_000)
    settle(page)
    start = time.perf_counter()
    card.locator("button").filter(has_text=re.compile("Negative$")).click()
    until(lambda: store.visits(audit_id, shopper_id=pid)[0].observations)
    click_to_saved = time.perf_counter() - start
    settle(page)
    card.locator("textarea").fill("Seven rings, then a voice menu; nobody picked up the first time.")
    card.locator("input[type='text']").fill("7")
    card.locator("input[type='text']").press("Tab")
    until(lambda: (store.visits(audit_id, shopper_id=pid)[0].observations[0].measurement == 7.0
                   and store.visits(audit_id, shopper_id=pid)[0].observations[0].text.startswith("Seven rings")))
    settle(page)
    return click_to_saved


def _is_refused_a_program_named_like_a_photo(page: Any, store: Store, vid: str, tmp_path: Path) -> None:
    """A renamed program is refused by content, with a clear message; nothing is stored."""
    fake = tmp_path / "receipt.jpg"
    fake.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 4096)
    page.locator(f"{css_key(f'photo:{vid}:0')} input[type='file']").set_input_files(str(fake))
    page.get_by_text("This file is not a photo").wait_for(timeout=60_000)
    assert store.photos(int(vid)) == []
    settle(page)


def _adds_a_photo(page: Any, store: Store, vid: str, tmp_path: Path) -> float:
    """The photo: checked by content on the server, stored with the visit, shown as a thumbnail. Returns
    upload-to-stored seconds."""
    uploader = page.locator(f"{css_key(f'photo:{vid}:1')} input[type='file']")
    start = time.perf_counter()
    uploader.set_input_files(str(photo_file(tmp_path)))
    until(lambda: store.photos(int(vid)), timeout=60)
    upload_to_stored = time.perf_counter() - start
    thumb = page.locator(f"{css_key(f'my_photos_{vid}')} img").first
    thumb.wait_for(timeout=60_000)
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{css_key(f'my_photos_{vid}')} img')].some(i => i.naturalWidth > 0)", timeout=30_000
    )
    settle(page)
    fits_the_screen(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.locator(css_key(f"obs_{vid}_{TOUCHPOINT}")).evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    shot(page, "shopper-phone.png")
    thumb.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    shot(page, "shopper-photo-phone.png")
    return upload_to_stored


def _reopens_the_draft_and_submits(page: Any, store: Store, audit_id: str, vid: str, pid: str) -> None:
    """A refresh (or a dropped connection) loses nothing: the same link reopens the draft; then it is sent."""
    page.reload()
    ready(page)
    card = page.locator(css_key(f"obs_{vid}_{TOUCHPOINT}"))
    card.wait_for(timeout=60_000)
    expect(card.locator("input[type='text']")).to_have_value("7", timeout=30_000)
    expect(card.locator("button[aria-checked='true']")).to_have_text(re.compile("Negative$"), timeout=30_000)
    assert store.visits(audit_id, shopper_id=pid)[0].observations[0].measurement == 7.0
    page.get_by_role("button", name="Submit the report").click()
    page.get_by_text("The report was sent to the owner").wait_for(timeout=60_000)
    assert store.visits(audit_id, shopper_id=pid)[0].status is VisitStatus.SUBMITTED
    settle(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(200)
    shot(page, "shopper-list-phone.png")
    fits_the_screen(page)


def _owner_accepts_the_visit(review: Any, review_url: str, store: Store, audit_id: str, vid: str) -> None:
    """The owner reviews on a desktop, sees the photo thumbnail and the missed standard, and accepts the visit."""
    review.goto(review_url)
    ready(review)
    visit_box = review.locator(css_key(f"review_{vid}"))
    visit_box.wait_for(timeout=60_000)
    visit_box.locator("img").first.wait_for(timeout=60_000)
    review.wait_for_function(
        f"() => [...document.querySelectorAll('{css_key(f'review_{vid}')} img')].some(i => i.naturalWidth > 0)", timeout=30_000
    )
    assert "Seven rings" in visit_box.inner_text() and "not met" in visit_box.inner_text()  # 7 rings against "<= 3 rings"
    visit_box.evaluate("e => e.scrollIntoView({block: 'start'})")
    review.wait_for_timeout(300)
    shot(review, "review-photo-desktop.png")
    visit_box.get_by_role("button", name="Accept").click()
    review.get_by_text(f"Visit {vid} accepted").wait_for(timeout=60_000)
    assert store.visits(audit_id)[0].status is VisitStatus.ACCEPTED


def test_owner_evidence_pages_on_desktop_and_phone(server: Any, browser: Any) -> None:
    """The review, standards and competitors pages of a demo audit: screenshots, no sideways scrolling."""
    store = Store(str(server.db_path))
    _audit, links = create_demo(store, catalog_id="retail", raters=4)
    owner = links[Role.OWNER]
    desktop = browser.new_context(viewport={"width": 1280, "height": 1100})
    phone = browser.new_context(**PHONE)
    for context, suffix in ((desktop, "desktop"), (phone, "phone")):
        page = context.new_page()
        for name, marker in (("review", "Shopper visits"), ("standards", "Standards"), ("competitors", "Where we lose")):
            page.goto(f"{server.url}/{name}?t={owner}")
            ready(page)
            page.get_by_text(marker).first.wait_for(timeout=60_000)
            settle(page, 600)
            fits_the_screen(page)
            no_error_shown(page)
            if name == "review":
                page.locator("[data-testid='stImage'] img").first.wait_for(timeout=60_000)  # the demo's photos
            if suffix == "desktop" or name == "review":
                shot(page, f"{name}-{suffix}.png")
        page.close()
    desktop.close()
    phone.close()
    store.close()
