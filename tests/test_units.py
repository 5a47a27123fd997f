"""Units of work: one snapshot for a whole load, one transaction for a read-check-write (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest

from audit.model import Catalog, Chain, Observation, Rating, Role, ShopperVisit, Touchpoint
from audit.store import Store, StoreError
from audit.store import waves as wave_records

UTC = dt.UTC


def small_catalog() -> Catalog:
    tps = (
        Touchpoint("office-sign", "office", {"en": "Sign"}),
        Touchpoint("staff-phone", "staff", {"en": "Phone answer"}),
    )
    return Catalog("small", {"en": "Small"}, tps, (Chain("buy", {"en": "Buy"}, ("office-sign", "staff-phone")),))


def _visit(audit_id: str, shopper_id: str) -> ShopperVisit:
    return ShopperVisit(
        None, audit_id, shopper_id, dt.datetime(2026, 11, 20, 10, 30, tzinfo=UTC), "phone",
        observations=(Observation("staff-phone", "negative", "seven rings"),),
    )


def test_load_reads_one_snapshot_even_when_a_write_lands_half_way(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rating and a visit committed between reading the ratings and the visits appear in neither."""
    audit, _ = store.create_audit("Shop", small_catalog())
    ann = store.add_participant(audit.id, "Ann")
    mila = store.add_participant(audit.id, "Mila", Role.SHOPPER)
    store.save_rating(Rating(audit.id, ann.id, "office-sign", importance=7, reaction="positive"))
    store.save_visit(_visit(audit.id, mila.id))
    other = Store(db_url)  # another process's connection, as far as the database can tell
    original = wave_records.read_visit_table
    landed: list[bool] = []

    def visits_after_a_write(*args: Any, **kwargs: Any) -> Any:
        if not landed:
            bob = other.add_participant(audit.id, "Bob")
            other.save_rating(Rating(audit.id, bob.id, "office-sign", importance=2, reaction="negative"))
            other.save_visit(_visit(audit.id, mila.id))
            landed.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(wave_records, "read_visit_table", visits_after_a_write)
    try:
        data = store.load(audit.id)
        assert landed == [True]
        assert ([p.name for p in data.participants], len(data.ratings), len(data.visits)) == (["Ann", "Mila"], 1, 1)
        monkeypatch.setattr(wave_records, "read_visit_table", original)
        later = store.load(audit.id)
        assert ([p.name for p in later.participants], len(later.ratings), len(later.visits)) == (["Ann", "Mila", "Bob"], 2, 2)
    finally:
        other.close()


def test_a_failing_write_unit_leaves_nothing(store: Store) -> None:
    audit, _ = store.create_audit("Shop", small_catalog())
    with pytest.raises(RuntimeError), store.unit(write=True, audit_id=audit.id) as tx:
        tx.add_participant(audit.id, "Ann")
        tx.add_touchpoint(audit.id, Touchpoint("team-coffee", "office", {"en": "Coffee"}))
        raise RuntimeError("the check after the writes failed")
    assert store.participants(audit.id) == []
    assert "team-coffee" not in {tp.id for tp in store.catalog(audit.id).touchpoints}


def test_a_read_unit_refuses_to_write(store: Store) -> None:
    audit, _ = store.create_audit("Shop", small_catalog())
    with store.unit() as tx:
        assert tx.get_audit(audit.id).name == "Shop"
        with pytest.raises(StoreError, match="only reads"):
            tx.add_participant(audit.id, "Ann")
    assert store.participants(audit.id) == []


def _in_threads(jobs: list[Callable[[], None]]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], None]) -> None:
        try:
            start.wait()
            job()
        except BaseException as err:  # reported by the caller
            errors.append(err)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_read_check_write_units_of_one_audit_lose_no_update(store: Store) -> None:
    """Ten people add a competitor at once (read the list, append, write it) while ratings keep arriving."""
    audit, _ = store.create_audit("Shop", small_catalog())
    people = [store.add_participant(audit.id, f"P{i}") for i in range(10)]

    def add_competitor(name: str) -> Callable[[], None]:
        def job() -> None:
            with store.unit(write=True, audit_id=audit.id) as tx:
                current = tx.get_audit(audit.id)
                tx.update_audit(dataclasses.replace(current, competitors=(*current.competitors, name)))
        return job

    def rate(person_id: str) -> Callable[[], None]:
        def job() -> None:
            for n in range(5):
                store.save_rating(Rating(audit.id, person_id, "office-sign", importance=1 + n, reaction="neutral"))
        return job

    jobs = [add_competitor(f"Rival {i}") for i in range(10)] + [rate(p.id) for p in people]
    assert _in_threads(jobs) == []
    assert sorted(store.get_audit(audit.id).competitors) == sorted(f"Rival {i}" for i in range(10))
    assert len(store.rating_history(audit.id)) == 50
