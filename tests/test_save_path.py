"""The save path stays light: a save alone needs no savepoint, and PostgreSQL keeps a pool sized for the room.

No timing here (see ``python -m audit bench --concurrency``): these count the
statements a save sends and the connections the pool opens and closes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import QueuePool

from audit.model import Catalog, Category, Rating, Role, Text, Touchpoint, ValidationError
from audit.store import Store, StoreError
from audit.store.autocommit import AutocommitConnections, Kept
from audit.store.config import PoolSettings, pool_settings

CATALOG = Catalog("c", Text.of({"en": "C"}, "name"), tuple(
    Touchpoint(f"tp-{i}", Category.OFFICE, Text.of({"en": f"Point {i}"}, "name")) for i in range(3)
))


def _statements(store: Store, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], Any]:
    """Every statement the store sends (upper case), as the driver receives it: SQLite's trace of each
    connection the pool hands out, psycopg's cursor (prebuilt statements go to the driver's cursor directly)."""
    seen: list[str] = []

    def record(statement: str) -> None:
        seen.append(statement.strip().upper())

    if store.is_sqlite:
        def trace(dbapi_connection: Any, *_args: Any) -> None:
            dbapi_connection.set_trace_callback(record)

        event.listen(store.engine, "checkout", trace)
        return seen, trace
    import psycopg

    execute = psycopg.Cursor.execute

    def spied(cursor: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        record(str(query))
        return execute(cursor, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", spied)
    return seen, None


def burst(store: Store, audit_id: str, people: list[str], saves: int) -> None:
    """Everyone saves ``saves`` importances at the same moment (a thread each), the n-th on ``tp-{n % 3}``."""
    start = threading.Barrier(len(people))

    def save(person: str) -> None:
        start.wait()
        for n in range(saves):
            store.save_rating(Rating(audit_id, person, f"tp-{n % 3}", importance=1 + n), fields=["importance"])

    threads = [threading.Thread(target=save, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_a_save_alone_sends_no_savepoint_and_is_stored(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    audit = store.create_audit("Shop", CATALOG)[0]
    person = store.add_participant(audit.id, "Ann", Role.TEAM)
    seen, record = _statements(store, monkeypatch)
    try:
        store.save_rating(Rating(audit.id, person.id, "tp-0", importance=7), fields=["importance"])
    finally:
        if record is not None:
            event.remove(store.engine, "checkout", record)
        monkeypatch.undo()
    assert not any(s.startswith("SAVEPOINT") for s in seen)
    assert sum(s.count("INSERT INTO") for s in seen) == 3  # the rating upsert, its history row, the data version bump
    if store.is_sqlite:  # one transaction of three statements
        assert [s.split()[0] for s in seen] == ["BEGIN", "INSERT", "INSERT", "INSERT", "COMMIT"]
    else:  # all three in one statement, one round trip
        assert len(seen) == 1 and seen[0].startswith("WITH")
    assert [(r.touchpoint_id, r.importance) for r in store.ratings(audit.id)] == [("tp-0", 7)]
    assert [(h["touchpoint_id"], h["importance"], h["revision"]) for h in store.rating_history(audit.id)] == [("tp-0", 7, 1)]


def test_a_write_alone_that_fails_half_way_leaves_nothing(sqlite_store: Store) -> None:
    """Without a savepoint the transaction itself rolls back: the rows written before the error are gone."""
    from audit.store.schema import rating_history, ratings

    audit = sqlite_store.create_audit("Shop", CATALOG)[0]
    person = sqlite_store.add_participant(audit.id, "Ann", Role.TEAM)
    before = sqlite_store.data_version(audit.id)
    row = {"audit_id": audit.id, "wave": 1, "participant_id": person.id, "touchpoint_id": "tp-0", "importance": 7}

    def half_way(conn: sa.engine.Connection) -> None:
        conn.execute(ratings.insert(), {**row, "revision": 1, "updated_at": dt.datetime.now(dt.UTC)})
        conn.execute(rating_history.insert(), {**row, "revision": 1, "changed_at": dt.datetime.now(dt.UTC)})
        raise ValueError("the second half failed")

    with pytest.raises(ValueError, match="the second half failed"):
        sqlite_store._write_audit(audit.id, half_way)
    assert sqlite_store.ratings(audit.id) == []
    assert sqlite_store.rating_history(audit.id) == []
    assert sqlite_store.data_version(audit.id) == before
    sqlite_store.save_rating(Rating(audit.id, person.id, "tp-1", importance=3))  # the write turn was handed back
    assert [r.importance for r in sqlite_store.ratings(audit.id)] == [3]


def test_saves_of_a_burst_share_commits_with_a_savepoint_each(sqlite_store: Store) -> None:
    """Many at once: group commits (each save in its own savepoint); every save is stored, the last one wins."""
    audit = sqlite_store.create_audit("Shop", CATALOG)[0]
    people = [sqlite_store.add_participant(audit.id, f"P{i}", Role.TEAM).id for i in range(20)]
    burst(sqlite_store, audit.id, people, 5)
    assert len(sqlite_store.rating_history(audit.id)) == 100
    assert {(r.participant_id, r.touchpoint_id): r.importance for r in sqlite_store.ratings(audit.id)} == {
        (p, f"tp-{n}"): 1 + n + (3 if n < 2 else 0) for p in people for n in range(3)
    }


# ------------------------------------------------------------------ the PostgreSQL pool


def test_pool_settings_default_to_a_room_of_fifty() -> None:
    settings = pool_settings({})
    assert settings == PoolSettings()
    assert settings.size >= 50 and not settings.pre_ping


def test_pool_settings_come_from_the_environment() -> None:
    env = {"AUDIT_DB_POOL_SIZE": "80", "AUDIT_DB_POOL_OVERFLOW": "0", "AUDIT_DB_POOL_TIMEOUT": "2.5",
           "AUDIT_DB_POOL_RECYCLE": "-1", "AUDIT_DB_POOL_PRE_PING": "1", "AUDIT_DB_POOL_SAVES": "30"}
    assert pool_settings(env) == PoolSettings(size=80, overflow=0, timeout=2.5, pre_ping=True, recycle=-1, saves=30)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("AUDIT_DB_POOL_SIZE", "many", "AUDIT_DB_POOL_SIZE: must be a whole number from 1 to 500 (got 'many')"),
    ("AUDIT_DB_POOL_SIZE", "0", "AUDIT_DB_POOL_SIZE: must be from 1 to 500 (got '0')"),
    ("AUDIT_DB_POOL_OVERFLOW", "100000", "AUDIT_DB_POOL_OVERFLOW: must be from 0 to 500 (got '100000')"),
    ("AUDIT_DB_POOL_TIMEOUT", "-3", "AUDIT_DB_POOL_TIMEOUT: must be from 0.1 to 600 (got '-3')"),
    ("AUDIT_DB_POOL_PRE_PING", "maybe", "AUDIT_DB_POOL_PRE_PING: must be 1 or 0 (got 'maybe')"),
    ("AUDIT_DB_POOL_SAVES", "-1", "AUDIT_DB_POOL_SAVES: must be from 0 to 500 (got '-1')"),
])
def test_a_bad_pool_setting_is_named_and_nothing_connects(
    name: str, value: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match=rf"^{message.replace('(', '[(]').replace(')', '[)]')}$"):
        pool_settings({name: value})
    monkeypatch.setenv(name, value)
    with pytest.raises(StoreError) as refused:
        Store("postgresql+psycopg://nobody:nothing@127.0.0.1:9/none", migrate=False)  # refused before any connection
    assert str(refused.value) == message


@pytest.fixture
def pg_url() -> Iterator[str]:
    from tests.conftest import postgres_schema_url

    yield from postgres_schema_url()


def test_a_burst_of_fifty_reuses_the_pools_connections(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: two bursts of 50 people saving at once close no connection and open no more than the pool
    keeps (50: none beyond it, which would be closed again when returned); every connection stays open, kept
    in autocommit for the next saves or in the pool.

    (How many of the 50 a burst opens depends on how many saves overlap, so the second burst may still open
    one the first did not need.)"""
    monkeypatch.setenv("AUDIT_DB_POOL_SIZE", "50")
    store = Store(pg_url)
    try:
        assert isinstance(store.engine.pool, QueuePool) and store.engine.pool.size() == 50
        audit = store.create_audit("Shop", CATALOG)[0]
        people = [store.add_participant(audit.id, f"P{i}", Role.TEAM).id for i in range(50)]
        before = store.engine.pool.checkedin()
        opened: list[int] = []
        closed: list[int] = []
        event.listen(store.engine.pool, "connect", lambda *_: opened.append(1))
        event.listen(store.engine.pool, "close", lambda *_: closed.append(1))
        burst(store, audit.id, people, 4)
        burst(store, audit.id, people, 4)
        assert closed == [] and before + len(opened) <= 50
        assert _alone(store).kept() + store.engine.pool.checkedin() == before + len(opened) and store.engine.pool.overflow() <= 0
        assert store.engine.pool.checkedout() == _alone(store).kept()
        assert len(store.rating_history(audit.id)) == 400
    finally:
        store.close()


def _alone(store: Store) -> AutocommitConnections:
    connections = store.kept_connections
    assert connections is not None  # PostgreSQL
    return connections


def _saves(store: Store, audit_id: str, person: str, count: int) -> None:
    for n in range(count):
        store.save_rating(Rating(audit_id, person, f"tp-{n % 3}", importance=1 + n % 10), fields=["importance"])


@contextmanager
def _after_one_save(url: str) -> Iterator[tuple[Store, str, str, Kept]]:
    """A PostgreSQL store after one person's first save: the store, the audit, the person, the connection it kept."""
    store = Store(url)
    try:
        audit = store.create_audit("Shop", CATALOG)[0]
        person = store.add_participant(audit.id, "Ann", Role.TEAM)
        _saves(store, audit.id, person.id, 1)
        kept = _alone(store).take()
        _alone(store).give(kept)
        yield store, audit.id, person.id, kept
    finally:
        store.close()


def test_saves_use_connections_kept_in_autocommit_not_the_pool(pg_url: str) -> None:
    """After the first save has borrowed a connection from the pool, a save alone checks nothing out of the pool
    again: it takes the connection its predecessor kept, already in autocommit, and sends one statement."""
    with _after_one_save(pg_url) as (store, audit_id, person, kept):
        checkouts: list[int] = []
        event.listen(store.engine.pool, "checkout", lambda *_: checkouts.append(1))
        _saves(store, audit_id, person, 20)
        assert checkouts == [] and _alone(store).kept() == 1
        assert _alone(store).take() is kept and kept.dbapi.autocommit and not kept.dbapi.closed
        _alone(store).give(kept)
        assert len(store.rating_history(audit_id)) == 21
        assert checkouts  # reads still go through the pool


@pytest.mark.parametrize("pre_ping", ["0", "1"])
def test_kept_connections_the_server_dropped_are_replaced_and_the_save_retried(
    pg_url: str, pre_ping: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart drops every kept connection: the save that meets one (or, with pre-ping, the ping) replaces it and
    is stored once; the other kept ones are not used again."""
    import secrets

    monkeypatch.setenv("AUDIT_DB_POOL_PRE_PING", pre_ping)
    name = f"kept_{secrets.token_hex(4)}"
    store = Store(f"{pg_url}&application_name={name}")
    try:
        audit = store.create_audit("Shop", CATALOG)[0]
        people = [store.add_participant(audit.id, f"P{i}", Role.TEAM).id for i in range(5)]
        taken = [_alone(store).take() for _ in range(5)]
        for kept in taken:
            _alone(store).give(kept)
        assert _alone(store).kept() == 5
        admin = sa.create_engine(pg_url)
        with admin.begin() as conn:
            dropped = conn.execute(sa.text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :n"),
                                   {"n": name}).scalar()
        admin.dispose()
        assert dropped and dropped >= 5
        _saves(store, audit.id, people[0], 1)
        assert [(r.touchpoint_id, r.importance) for r in store.ratings(audit.id)] == [("tp-0", 1)]
        assert len(store.rating_history(audit.id)) == 1
        burst(store, audit.id, people, 3)  # everyone again, on fresh connections
        assert all(kept.dbapi.closed for kept in taken)
        assert len(store.rating_history(audit.id)) == 16
    finally:
        store.close()


def test_close_gives_the_kept_connections_back_and_closes_them(pg_url: str) -> None:
    store = Store(pg_url)
    audit = store.create_audit("Shop", CATALOG)[0]
    people = [store.add_participant(audit.id, f"P{i}", Role.TEAM).id for i in range(8)]
    burst(store, audit.id, people, 3)
    taken = [_alone(store).take() for _ in range(_alone(store).kept())]
    assert taken
    for kept in taken:
        _alone(store).give(kept)
    store.close()
    assert all(kept.dbapi.closed for kept in taken)
    assert _alone(store).kept() == 0


@pytest.mark.parametrize(("size", "overflow", "saves", "kept"), [(3, 0, 50, 2), (4, 2, 1, 1), (1, 0, 50, 0)])
def test_saves_keep_connections_within_the_pools_budget(
    pg_url: str, size: int, overflow: int, saves: int, kept: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten people saving at once never open more connections than the pool's size + overflow; between saves at
    most AUDIT_DB_POOL_SAVES stay kept, and always one fewer than the pool may open, so a read still gets one."""
    monkeypatch.setenv("AUDIT_DB_POOL_SIZE", str(size))
    monkeypatch.setenv("AUDIT_DB_POOL_OVERFLOW", str(overflow))
    monkeypatch.setenv("AUDIT_DB_POOL_SAVES", str(saves))
    monkeypatch.setenv("AUDIT_DB_POOL_TIMEOUT", "20")
    store = Store(pg_url)
    try:
        audit = store.create_audit("Shop", CATALOG)[0]
        people = [store.add_participant(audit.id, f"P{i}", Role.TEAM).id for i in range(10)]
        pool = store.engine.pool
        assert isinstance(pool, QueuePool)
        counts = {"open": pool.checkedin() + pool.checkedout()}
        counts["most"] = counts["open"]
        lock = threading.Lock()

        def opened(*_: Any) -> None:
            with lock:
                counts["open"] += 1
                counts["most"] = max(counts["most"], counts["open"])

        def closed(*_: Any) -> None:
            with lock:
                counts["open"] -= 1

        event.listen(store.engine.pool, "connect", opened)
        event.listen(store.engine.pool, "close", closed)
        burst(store, audit.id, people, 5)
        assert len(store.rating_history(audit.id)) == 50 and 0 < counts["most"] <= size + overflow
        assert _alone(store).kept() <= kept
        assert len(store.ratings(audit.id)) == 30  # a read gets a connection at once
    finally:
        store.close()


def test_connections_unused_for_a_while_go_back_to_the_pool(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a burst the kept connections not used again for IDLE_SECONDS go back to the pool, one per save."""
    import time

    from audit.store import autocommit

    monkeypatch.setattr(autocommit, "IDLE_SECONDS", 0.2)
    store = Store(pg_url)
    try:
        audit = store.create_audit("Shop", CATALOG)[0]
        person = store.add_participant(audit.id, "Ann", Role.TEAM)
        taken = [_alone(store).take() for _ in range(3)]
        for kept in taken:
            _alone(store).give(kept)
        time.sleep(0.3)
        pool = store.engine.pool
        assert isinstance(pool, QueuePool)
        before = pool.checkedin()
        _saves(store, audit.id, person.id, 2)
        assert _alone(store).kept() == 1 and pool.checkedin() == before + 2
        assert not any(kept.dbapi.closed for kept in taken)  # back in the pool, open, out of autocommit
        assert sum(1 for kept in taken if not kept.dbapi.autocommit) == 2
    finally:
        store.close()


def test_a_connection_kept_past_the_recycle_time_goes_back_to_the_pool(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_DB_POOL_RECYCLE", "0")  # every connection is due at once: the pool replaces it
    with _after_one_save(pg_url) as (store, audit_id, person, first):
        _saves(store, audit_id, person, 1)
        assert first.dbapi.closed  # handed back and replaced by the pool
        assert len(store.rating_history(audit_id)) == 2


def test_a_bad_rating_is_still_refused_before_the_database(sqlite_store: Store) -> None:
    audit = sqlite_store.create_audit("Shop", CATALOG)[0]
    person = sqlite_store.add_participant(audit.id, "Ann", Role.TEAM)
    with pytest.raises(ValidationError):
        sqlite_store.save_rating(Rating(audit.id, person.id, "tp-0", importance=7), fields=["colour"])
    assert sqlite_store.rating_history(audit.id) == []


def test_a_save_on_a_dropped_connection_is_retried_on_a_fresh_one(pg_url: str) -> None:
    """Without pre-ping, the pool does not test connections: a save that meets one the server dropped is tried again."""
    import secrets

    name = f"speed_{secrets.token_hex(4)}"
    store = Store(f"{pg_url}&application_name={name}")
    try:
        audit = store.create_audit("Shop", CATALOG)[0]
        person = store.add_participant(audit.id, "Ann", Role.TEAM)
        admin = sa.create_engine(pg_url)
        with admin.begin() as conn:  # the server drops every connection of the store's pool (as a restart would)
            dropped = conn.execute(sa.text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :n"),
                                   {"n": name}).scalar()
        admin.dispose()
        assert dropped
        store.save_rating(Rating(audit.id, person.id, "tp-0", importance=4), fields=["importance"])
        assert [(r.touchpoint_id, r.importance) for r in store.ratings(audit.id)] == [("tp-0", 4)]
        assert len(store.rating_history(audit.id)) == 1
    finally:
        store.close()


def test_a_driver_error_on_the_prebuilt_path_is_sqlalchemys_and_leaves_nothing(store: Store) -> None:
    """A save the database refuses (no such audit: the foreign key) raises SQLAlchemy's IntegrityError on both
    databases, whether SQLAlchemy or the prebuilt driver statement sent it, and no history row or version is left."""
    audit = store.create_audit("Shop", CATALOG)[0]
    before = store.data_version(audit.id)
    with pytest.raises(sa.exc.IntegrityError):
        store.save_rating(Rating("au-missing", "p-missing", "tp-0", importance=3), fields=["importance"])
    assert store.rating_history("au-missing") == [] and store.ratings("au-missing") == []
    assert store.data_version(audit.id) == before
    person = store.add_participant(audit.id, "Ann", Role.TEAM)
    store.save_rating(Rating(audit.id, person.id, "tp-0", importance=3), fields=["importance"])  # the pool's connection still works
    assert [(r.touchpoint_id, r.importance) for r in store.ratings(audit.id)] == [("tp-0", 3)]


def test_a_refused_save_keeps_its_connection_and_an_interrupted_one_is_not_reused(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A statement the database refused leaves its connection idle in autocommit: it is kept for the next save.
    One interrupted by anything else (here Ctrl+C mid-statement) may have a reply pending: it is closed."""
    from audit.store.prebuilt import Prebuilt

    with _after_one_save(pg_url) as (store, audit_id, person, kept):
        with pytest.raises(sa.exc.IntegrityError):
            store.save_rating(Rating("au-missing", "p-missing", "tp-0", importance=3), fields=["importance"])
        assert _alone(store).take() is kept and not kept.dbapi.closed
        _alone(store).give(kept)

        def interrupted(*_args: Any, **_kwargs: Any) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(Prebuilt, "_send", interrupted)
        with pytest.raises(KeyboardInterrupt):
            _saves(store, audit_id, person, 1)
        monkeypatch.undo()
        assert kept.dbapi.closed and _alone(store).kept() == 0
        _saves(store, audit_id, person, 1)
        assert len(store.rating_history(audit_id)) == 2


def test_a_save_returns_the_rating_as_stored_and_counts_once(store: Store) -> None:
    """The returned rating (built from the row the database returned, not validated again) is the stored one,
    parts saved earlier included; each save adds exactly one to the audit's data version."""
    from audit.model import Presence, Reaction

    audit = store.create_audit("Shop", CATALOG)[0]
    person = store.add_participant(audit.id, "Ann", Role.TEAM)
    first = store.save_rating(Rating(audit.id, person.id, "tp-0", presence=Presence.HAVE, comment="queue at 9", idea="a bell"))
    before = store.data_version(audit.id).data
    saved = store.save_rating(Rating(audit.id, person.id, "tp-0", importance=9, reaction=Reaction.NEGATIVE), fields=["importance", "reaction"])
    assert store.data_version(audit.id).data == before + 1
    assert saved == store.ratings(audit.id)[0]
    assert (saved.importance, saved.reaction, saved.presence, saved.comment, saved.idea) == (9, Reaction.NEGATIVE, Presence.HAVE, "queue at 9", "a bell")
    assert saved.updated_at.tzinfo == dt.UTC and saved.updated_at >= first.updated_at
    assert [h["revision"] for h in store.rating_history(audit.id)] == [1, 2]


@pytest.mark.parametrize("when", [dt.datetime(2026, 5, 1, 12, 0), dt.datetime(2026, 5, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))])
def test_a_saved_rating_equals_the_validated_one_of_the_same_row(when: dt.datetime) -> None:
    from audit.store.codecs import rating_from_row, saved_rating

    for parts in ({"importance": 4, "reaction": "positive", "presence": "missing", "comment": "c", "idea": "i", "not_applicable": 0},
                  {"importance": None, "reaction": None, "presence": None, "comment": None, "idea": None, "not_applicable": True}):
        row = {"audit_id": "au", "participant_id": "p1", "touchpoint_id": "tp-0", "wave": 2, "updated_at": when, **parts}
        assert saved_rating(row) == rating_from_row(row)
        assert saved_rating(row).updated_at == dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def test_a_save_in_a_write_unit_commits_or_rolls_back_with_the_unit(store: Store) -> None:
    """Inside a unit of work the save is part of the unit's transaction (PostgreSQL too: no statement of its own)."""
    audit = store.create_audit("Shop", CATALOG)[0]
    person = store.add_participant(audit.id, "Ann", Role.TEAM)
    before = store.data_version(audit.id)
    with pytest.raises(RuntimeError), store.unit(write=True, audit_id=audit.id) as tx:
        assert tx.save_rating(Rating(audit.id, person.id, "tp-1", importance=2), fields=["importance"]).importance == 2
        raise RuntimeError("the check after the save failed")
    assert store.ratings(audit.id) == [] and store.rating_history(audit.id) == []
    assert store.data_version(audit.id) == before
    with store.unit(write=True, audit_id=audit.id) as tx:
        tx.save_rating(Rating(audit.id, person.id, "tp-1", importance=5), fields=["importance"])
    assert [(r.touchpoint_id, r.importance) for r in store.ratings(audit.id)] == [("tp-1", 5)]
    assert len(store.rating_history(audit.id)) == 1 and store.data_version(audit.id).data == before.data + 1


def test_sqlite_checkpoints_after_write_turns_not_inside_commits(sqlite_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own checkpoint (inside a commit, the whole group waiting) is off; the log is checkpointed every
    CHECKPOINT_EVERY write turns, after the turn was handed on, and what was saved stays saved."""
    from audit.store import writequeue

    monkeypatch.setattr(writequeue, "CHECKPOINT_EVERY", 4)
    audit = sqlite_store.create_audit("Shop", CATALOG)[0]
    person = sqlite_store.add_participant(audit.id, "Ann", Role.TEAM)
    seen, trace = _statements(sqlite_store, monkeypatch)
    try:
        for n in range(8):
            sqlite_store.save_rating(Rating(audit.id, person.id, f"tp-{n % 3}", importance=1 + n), fields=["importance"])
    finally:
        event.remove(sqlite_store.engine, "checkout", trace)
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    assert [s for s in seen if "WAL_CHECKPOINT(" in s] == ["PRAGMA WAL_CHECKPOINT(PASSIVE)"] * 2  # turns 4 and 8 of 10
    assert [(r.touchpoint_id, r.importance) for r in sqlite_store.ratings(audit.id)] == [("tp-0", 7), ("tp-1", 8), ("tp-2", 6)]
