"""A full room saving at once: 50 writers x 200 ratings, threads and processes, SQLite and PostgreSQL.

Nothing may be lost: no error shown to any writer, the final state is the last
write per person and touchpoint, and the history holds all 10,000 writes.
"""

from __future__ import annotations

import pytest

from audit.loadtest import run_load, verify
from audit.store import Store

WRITERS = 50
RATINGS_EACH = 200


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["threads", "processes"])
def test_fifty_concurrent_writers_lose_nothing(db_url: str, mode: str) -> None:
    store = Store(db_url)
    try:
        audit_id, result = run_load(store, WRITERS, RATINGS_EACH, mode)
        assert result.errors == []
        assert len(result.latencies_ms) == WRITERS * RATINGS_EACH
        assert verify(store, audit_id, WRITERS, RATINGS_EACH) == []
        print(f"\n{mode} on {store.engine.dialect.name}: {result.writes_per_second:.0f} writes/s, p50 {result.p50:.1f} ms, p99 {result.p99:.1f} ms")
    finally:
        store.close()


def test_one_failing_write_does_not_sink_the_others_in_its_group(sqlite_store: Store) -> None:
    """Group commit: a write refused inside the transaction rolls back alone."""
    import threading

    from audit.model import Touchpoint
    from audit.store import StoreError

    audit_id = sqlite_store.create_audit("Shop", sqlite_store_catalog())[0].id
    outcomes: list[object] = []

    def add(tp_id: str) -> None:
        try:
            outcomes.append(sqlite_store.add_touchpoint(audit_id, Touchpoint(tp_id, "office", {"en": tp_id})).id)
        except StoreError as err:
            outcomes.append(str(err))

    threads = [threading.Thread(target=add, args=(name,)) for name in ["team-a", "team-b", "office-door", "team-c"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o for o in outcomes if o.startswith("team-")) == ["team-a", "team-b", "team-c"]
    assert [o for o in outcomes if "already has" in o] == ["this audit already has a touchpoint with id 'office-door'"]
    assert {t.id for t in sqlite_store.catalog(audit_id).touchpoints} == {"office-door", "team-a", "team-b", "team-c"}


def sqlite_store_catalog():
    from audit.model import Catalog, Touchpoint

    return Catalog("c", {"en": "C"}, (Touchpoint("office-door", "office", {"en": "Door"}),))
