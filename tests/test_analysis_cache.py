"""The analysis is computed once per data version and shared; every write shows at once.

Work is counted (how many values the store's cache computed), never timed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from pathlib import Path

import pytest

from audit import services
from audit.model import Catalog, Chain, Observation, Rating, Role, ShopperVisit, Standard, Touchpoint, VisitStatus
from audit.planedit import PlanEdit
from audit.store import Store
from audit.store.derived import Derived

UTC = dt.UTC


def catalog() -> Catalog:
    tps = tuple(Touchpoint(f"tp-{i}", ("office", "staff", "product")[i % 3], {"en": f"Touchpoint {i}"}) for i in range(4))
    return Catalog("c", {"en": "C"}, tps, (Chain("buy", {"en": "Buy"}, ("tp-0", "tp-1", "tp-2")),))


def setup(store: Store) -> tuple[str, str, list[str], str]:
    audit, links, people = services.audits.create_audit(store, name="Shop", catalog=catalog(), language="en",
                                                         competitors=["Rival"], participants=["Ann", "Bo"])
    for person in people:
        for k in range(4):
            store.save_rating(Rating(audit.id, person.id, f"tp-{k}", importance=3 + k, reaction=("positive", "negative")[k % 2]))
    return audit.id, links[Role.OWNER], [p.id for p in people], links[Role.SHOPPER]


def test_repeated_views_and_clicks_compute_once(store: Store) -> None:
    _audit_id, owner, _people, _ = setup(store)
    first = services.results.analysis(store, owner, "mean")
    made = store.derived.made
    assert services.results.analysis(store, owner, "mean") is first  # the same object, nothing computed again
    assert store.derived.made == made
    services.results.analysis(store, owner, "median")  # a crosshair switch re-uses the loaded data
    assert store.derived.made == made + 1
    services.evidence.analysis(store, owner)  # the owner's pages share the current wave's "mean" analysis
    services.plan.plan_view(store, owner)
    assert store.derived.made == made + 1


@pytest.mark.parametrize("change", ["rating", "visit review", "standard", "competitor note", "touchpoint", "wave"])
def test_every_write_shows_at_once(store: Store, change: str) -> None:
    audit_id, owner, people, shopper_link = setup(store)
    before = services.results.analysis(store, owner).scores
    if change == "rating":
        store.save_rating(Rating(audit_id, people[0], "tp-0", importance=10, reaction="negative"))
        assert services.results.analysis(store, owner).scores.loc["tp-0", "importance_mean"] == 6.5 != before.loc["tp-0", "importance_mean"]
    elif change == "visit review":
        mila = services.visits.join_shopper(store, shopper_link, "Mila")
        visit = store.save_visit(ShopperVisit(None, audit_id, mila.id, dt.datetime(2026, 1, 2, tzinfo=UTC), "phone",
                                              observations=(Observation("tp-1", "negative", "slow"),), status=VisitStatus.SUBMITTED))
        assert services.results.analysis(store, owner).scores.loc["tp-1", "shopper_n"] == 0  # not accepted yet
        services.review.review_visit(store, owner, visit.id, "accepted")
        assert services.results.analysis(store, owner).scores.loc["tp-1", "shopper_n"] == 1
    elif change == "standard":
        services.evidence.set_standard(store, owner, "tp-2", Standard({"en": "minutes"}, {"en": "min"}, "<=", 5))
        assert services.results.analysis(store, owner).scores.loc["tp-2", "standard"] != before.loc["tp-2", "standard"]
    elif change == "competitor note":
        services.evidence.save_competitor_note(store, owner, competitor="Rival", touchpoint_id="tp-3", versus="better")
        assert services.results.analysis(store, owner).scores.loc["tp-3", "competitors_better"] == 1
    elif change == "touchpoint":
        store.add_touchpoint(audit_id, Touchpoint("team-new", "office", {"en": "New"}))
        assert "team-new" in services.results.analysis(store, owner).scores.index
    else:
        services.results.start_wave(store, owner, 1)
        assert not services.results.analysis(store, owner).rated  # the new wave starts empty
        assert services.results.analysis(store, owner, wave=1).rated


def test_a_plan_edit_shows_at_once_and_keeps_the_analysis(store: Store) -> None:
    _audit_id, owner, _people, _ = setup(store)
    view = services.plan.plan_view(store, owner)
    assert view.actions
    made = store.derived.made
    first = view.actions[0]
    edited = services.plan.save_edit(store, owner, PlanEdit(saves=(dataclasses.replace(first, owner="Maria"),)))
    assert [a.owner for a in edited if a.id == first.id] == ["Maria"]
    assert [a.owner for a in services.plan.plan_view(store, owner).actions if a.id == first.id] == ["Maria"]
    _table, done = services.results.compare(store, owner, 1, 1)
    assert store.derived.made == made  # the plan has its own version: editing it keeps the analysis
    assert done is not None


def test_another_process_writing_is_seen_at_once(tmp_path: Path) -> None:
    """Two Store objects on one file stand for two app processes: the version lives in the database."""
    path = str(tmp_path / "two.sqlite")
    app, other = Store(path), Store(path)
    try:
        audit_id, owner, _people, _ = setup(other)
        assert services.results.analysis(app, owner).scores.loc["tp-0", "raters"] == 2
        other.save_rating(Rating(audit_id, other.add_participant(audit_id, "Cy").id, "tp-0", importance=9))
        assert services.results.analysis(app, owner).scores.loc["tp-0", "raters"] == 3
    finally:
        app.close()
        other.close()


def test_the_cache_is_bounded_and_keeps_the_newest_version() -> None:
    cache = Derived(families=2)
    assert cache.get("a", 1, lambda: "a1") == "a1"
    assert cache.get("a", 2, lambda: "a2") == "a2" and len(cache) == 1  # the older version of a family goes at once
    assert cache.get("a", 1, lambda: "a1 again") == "a1 again"  # an old snapshot still gets its own value...
    assert cache.get("a", 2, lambda: "not again") == "a2"  # ...and never replaces the newer one
    cache.get("b", 1, lambda: "b1")
    cache.get("c", 1, lambda: "c1")
    assert len(cache) == 2 and cache.get("a", 2, lambda: "made again") == "made again"  # "a" was the least recently used
    with pytest.raises(ValueError):
        Derived(families=0)


def test_sessions_asking_at_once_compute_once() -> None:
    cache = Derived()
    calls: list[int] = []
    started = threading.Event()

    def slow() -> str:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return "done"

    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("x", 1, slow))) for _ in range(8)]
    threads[0].start()
    started.wait(5)
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join()
    assert results == ["done"] * 8 and calls == [1]


def test_a_failure_is_not_kept() -> None:
    cache = Derived()

    def broken() -> str:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        cache.get("x", 1, broken)
    assert cache.get("x", 1, lambda: "fine") == "fine" and cache.made == 1
