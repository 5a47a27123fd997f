"""How long people wait on the results page of a big audit, in a real browser (figures printed, never asserted).

The audit has 1,000 touchpoints x 100 raters (100,000 ratings) by default;
``AUDIT_BROWSER_RESULTS_SIZE=TPxR`` (e.g. ``200x20``) changes it. In the same
run: time to the first chart of the results page, against a minimal page
(``minimal_results_app.py``: the same ratings read raw, one groupby, one
Altair chart) served by its own ``streamlit run``; a crosshair switch and a
filter change (a category picked): wall time until the quadrant counts
change, and the server's CPU time. Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from audit.bench import synthetic_audit
from audit.bench_database import fill_store
from audit.charts import Filters, value_label
from audit.ipa_chart import quadrant_counts
from audit.model import Role
from audit.scoring import analyse
from audit.store import Store
from tests.browser.conftest import running_streamlit
from tests.browser.test_results_plan import CHART, DESKTOP, QUADRANTS, counts, metric, page_url, ready, until

pytestmark = pytest.mark.browser

RUNS = 3


def _size() -> tuple[int, int]:
    text = os.environ.get("AUDIT_BROWSER_RESULTS_SIZE", "1000x100")
    touchpoints, raters = (int(part) for part in text.lower().split("x"))
    return touchpoints, raters


@pytest.fixture(scope="module")
def big_audit(server: Any) -> Iterator[dict[str, Any]]:
    touchpoints, raters = _size()
    store = Store(str(server.db_path))
    audit_id, links = fill_store(store, synthetic_audit(touchpoints, raters, 0))
    yield {"store": store, "audit_id": audit_id, "owner": f"{server.url}/?t={links[Role.OWNER]}", "size": (touchpoints, raters)}
    store.close()


@pytest.fixture(scope="module")
def floor_server(server: Any, big_audit: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    env = {**os.environ, "AUDIT_FLOOR_DB": str(server.db_path), "AUDIT_FLOOR_AUDIT": big_audit["audit_id"], "PYTHONUNBUFFERED": "1"}
    folder = tmp_path_factory.mktemp("floor")
    with running_streamlit("tests/browser/minimal_results_app.py", env, folder / "floor.log", server.db_path) as running:
        yield running


def first_chart_seconds(browser: Any, url: str) -> float:
    """Seconds from opening ``url`` in a fresh browser context to its first drawn chart."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.locator(f"{CHART} canvas, {CHART} svg").first.wait_for(timeout=120_000)
        return time.perf_counter() - started
    finally:
        context.close()


def test_results_of_a_big_audit_against_a_minimal_page(server: Any, browser: Any, big_audit: dict[str, Any], floor_server: Any) -> None:
    results_url = page_url(big_audit["owner"], "results")
    first_results = first_chart_seconds(browser, results_url)  # the analysis is computed now (then kept per data version)
    first_chart_seconds(browser, floor_server.url)  # warm-up of the floor's imports
    results, floors = [], []
    for _ in range(RUNS):  # interleaved, so machine noise hits both
        floors.append(first_chart_seconds(browser, floor_server.url))
        results.append(first_chart_seconds(browser, results_url))
    switch = crosshair_switch(server, browser, big_audit)
    touchpoints, raters = big_audit["size"]
    ratio = statistics.median(results) / statistics.median(floors)
    print(f"\nresults page, {touchpoints} touchpoints x {raters} raters ({touchpoints * raters} ratings), medians of {RUNS}:")
    print(f"  time to first chart: {statistics.median(results):.2f} s (first open, analysis computed: {first_results:.2f} s); "
          f"minimal page (raw read + groupby + one Altair chart): {statistics.median(floors):.2f} s; ratio {ratio:.2f}x "
          f"(target <= 1.3x)")
    print(f"  crosshair switch to the scale midpoint: {switch['wall']:.2f} s until the counts changed, "
          f"server CPU {switch['cpu']:.2f} s (target <= 0.5 s); back to the mean (kept): {switch['wall_back']:.2f} s, "
          f"server CPU {switch['cpu_back']:.2f} s")
    print(f"  filter change (one category picked): {switch['wall_filter']:.2f} s until the counts changed, "
          f"server CPU {switch['cpu_filter']:.2f} s (target <= 0.5 s)")
    assert results and floors  # the figures above are the point; the pages drew their charts


def _shows(page: Any, counts: dict[str, int]) -> bool:
    """The page's quadrant counts are ``counts``."""
    return all(metric(page, k) == str(v) for k, v in counts.items())


def one_category(store: Store, audit_id: str) -> tuple[str, dict[str, int]]:
    """The label of the audit's first category and the quadrant counts with only it picked (mean crosshair)."""
    scores = analyse(store.load(audit_id), "mean").scores
    category = str(sorted(scores["category"].unique())[0])
    shown = quadrant_counts(Filters.of(categories=[category]).scores(scores))
    return value_label("category", category, "en"), {QUADRANTS[q]: n for q, n in shown.items()}


def crosshair_switch(server: Any, browser: Any, big_audit: dict[str, Any]) -> dict[str, float]:
    """Wall and server CPU seconds of switching the crosshair to the midpoint and back, then of picking a category."""
    store, audit_id = big_audit["store"], big_audit["audit_id"]
    expected = {"midpoint": counts(store, audit_id, "midpoint"), "mean": counts(store, audit_id, "mean")}
    category, filtered = one_category(store, audit_id)
    context = browser.new_context(viewport=DESKTOP)
    out: dict[str, float] = {}
    try:
        page = context.new_page()
        page.goto(page_url(big_audit["owner"], "results"))
        ready(page)
        page.locator(f"{CHART} canvas, {CHART} svg").first.wait_for(timeout=120_000)
        for choice, label, suffix in (("midpoint", "Scale midpoint", ""), ("mean", "Mean", "_back")):
            cpu, started = server.cpu_seconds(), time.perf_counter()
            page.locator(".st-key-r_crosshair button").filter(has_text=label).click()
            until(partial(_shows, page, expected[choice]), timeout=120)
            ready(page)
            out["wall" + suffix], out["cpu" + suffix] = time.perf_counter() - started, server.cpu_seconds() - cpu
        page.locator(".st-key-r_cat input[role='combobox']").click()
        option = page.get_by_role("option", name=category, exact=True)
        option.wait_for(timeout=30_000)
        cpu, started = server.cpu_seconds(), time.perf_counter()
        option.click()
        until(partial(_shows, page, filtered), timeout=120)
        ready(page)
        out["wall_filter"], out["cpu_filter"] = time.perf_counter() - started, server.cpu_seconds() - cpu
    finally:
        context.close()
    return out
