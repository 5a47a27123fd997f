"""Backups taken while people keep answering, restored into an empty database: nothing acknowledged before is missing.

A load generator (threads saving answers through ``services.rating.save_answer``,
as the rating page does) writes throughout; ``python -m audit backup`` runs
in the middle; ``python -m audit restore`` puts the copy into an empty
database. Every answer acknowledged before the backup started is there with
its values, the photos too, and the database passes its check
(``PRAGMA integrity_check`` / every table read and, on PostgreSQL, ``amcheck``).
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PG_URL, pg_problem

from audit import services
from audit.catalog import bundled
from audit.cli import main
from audit.demo import create_demo
from audit.model import Role
from audit.store import Store, StoreError
from audit.store import backup as backup_module
from audit.store.backup import check_database, libpq_environment

REACTIONS = ("positive", "neutral", "negative")


@dataclass
class LoadGenerator:
    """People answering one touchpoint after another; each answer acknowledged by the service is recorded."""

    store: Store
    token: str
    people: list[str]
    touchpoints: list[str]
    acknowledged: list[tuple[float, str, str, int, str]] = field(default_factory=list)  # (time, person, tp, importance, reaction)
    errors: list[BaseException] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _walk(self, person: str, n: int) -> None:
        try:
            for i, tp in enumerate(self.touchpoints):
                if self.stop.is_set():
                    return
                importance, reaction = 1 + (i + n) % 10, REACTIONS[(i * 7 + n) % 3]
                services.rating.save_answer(self.store, self.token, person, tp, importance=importance, reaction=reaction)
                with self._lock:
                    self.acknowledged.append((time.monotonic(), person, tp, importance, reaction))
        except BaseException as err:
            self.errors.append(err)

    def __enter__(self) -> LoadGenerator:
        self.threads = [threading.Thread(target=self._walk, args=(p, n), daemon=True) for n, p in enumerate(self.people)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count:
            assert not self.errors, self.errors
            assert time.monotonic() < deadline, f"only {len(self.acknowledged)} answers in {timeout} s"
            time.sleep(0.01)


def workshop(url: str, people: int = 4) -> tuple[Store, LoadGenerator, str]:
    """A demo audit (visits with photos) plus a second audit that people are rating right now."""
    store = Store(url)
    create_demo(store, catalog_id="retail", raters=2, seed=3)  # shopper visits with photos, ratings, history
    audit, links, persons = services.audits.create_audit(
        store, name="Busy Bakery", catalog=bundled("general"), language="en", participants=[f"P{i}" for i in range(people)],
    )
    load = LoadGenerator(store, links[Role.TEAM], [p.id for p in persons], [tp.id for tp in store.catalog(audit.id).touchpoints])
    return store, load, audit.id


def backup_while_answering(url: str, out: Path) -> tuple[LoadGenerator, float, float, Store, str]:
    store, load, audit_id = workshop(url)
    with load:
        load.wait_for(150)
        started = time.monotonic()
        assert main(["backup", "--db", url, "--out", str(out)]) == 0
        finished = time.monotonic()
        load.wait_for(len(load.acknowledged) + 40)  # people kept answering after the backup
    assert not load.errors, load.errors
    return load, started, finished, store, audit_id


def assert_restored(load: LoadGenerator, started: float, source: Store, restored_url: str, audit_id: str) -> None:
    restored = Store(restored_url)
    saved = {(r.participant_id, r.touchpoint_id): (r.importance, r.reaction.value if r.reaction else None)
             for r in restored.ratings(audit_id)}
    before = [a for a in load.acknowledged if a[0] < started]
    assert len(before) >= 150
    missing = [a for a in before if saved.get((a[1], a[2])) != (a[3], a[4])]
    assert missing == []  # every answer acknowledged before the backup started is there, as given
    assert len(saved) < len(load.acknowledged)  # and the ones after it are not: it is a snapshot
    with source.engine.connect() as a, restored.engine.connect() as b:
        photos = "SELECT id, data, thumbnail FROM photos ORDER BY id"
        assert [tuple(r) for r in a.execute(sa.text(photos))] == [tuple(r) for r in b.execute(sa.text(photos))] != []
    assert check_database(restored_url) == []
    assert restored.readiness() is None
    restored.close()


def test_a_sqlite_backup_while_people_answer_restores_everything_acknowledged(tmp_path: Path) -> None:
    url = str(tmp_path / "live.sqlite")
    out = tmp_path / "backup.sqlite"
    load, started, _finished, source, audit_id = backup_while_answering(url, out)
    restored = str(tmp_path / "restored.sqlite")
    assert main(["restore", str(out), "--db", restored]) == 0
    assert_restored(load, started, source, restored, audit_id)
    assert Store(restored).integrity_ok()
    assert main(["restore", str(out), "--db", restored]) == 1  # never over a database that holds data
    source.close()


# ------------------------------------------------------------------ PostgreSQL: fresh databases, pg_dump / pg_restore


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    """Two new, empty PostgreSQL databases on the test server (dropped afterwards)."""
    problem = pg_problem()
    if problem:
        if os.environ.get("AUDIT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but {problem}")
        pytest.skip(problem)
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    names = [f"bk_{secrets.token_hex(5)}" for _ in range(2)]
    base = sa.engine.make_url(PG_URL)
    with admin.connect() as conn:
        for name in names:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield tuple(base.set(database=n).render_as_string(hide_password=False) for n in names)  # type: ignore[misc]
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_postgresql_backup_while_people_answer_restores_everything_acknowledged(pg_databases: tuple[str, str], tmp_path: Path) -> None:
    live, empty = pg_databases
    out = tmp_path / "backup.dump"
    load, started, _finished, source, audit_id = backup_while_answering(live, out)
    assert out.read_bytes()[:5] == b"PGDMP"
    assert main(["restore", str(out), "--db", empty]) == 0
    engine = sa.create_engine(empty)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS amcheck"))  # the check then verifies every index too
    engine.dispose()
    assert_restored(load, started, source, empty, audit_id)
    assert main(["restore", str(out), "--db", empty]) == 1  # never over a database that holds tables
    source.close()


def test_the_password_goes_to_the_tools_in_their_environment_not_their_command_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = "postgresql+psycopg://audit:s3cret@db.example:5433/audit?options=-csearch_path%3Dx"
    env = libpq_environment(url)
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"], env["PGDATABASE"]) == ("db.example", "5433", "audit", "s3cret", "audit")
    assert env["PGOPTIONS"] == "-csearch_path=x"
    seen: list[list[str]] = []

    class Done:
        returncode, stderr = 0, ""

    monkeypatch.setattr(backup_module.subprocess, "run", lambda command, **_kw: seen.append(command) or Done())
    backup_module.pg_dump(url, tmp_path / "x.dump")
    assert seen and not any("s3cret" in part for part in seen[0])


def test_without_pg_dump_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setattr(backup_module.shutil, "which", lambda _name: None)
    monkeypatch.setattr(backup_module.glob, "glob", lambda _pattern: [])
    with pytest.raises(StoreError, match=r"pg_dump is not installed.*postgresql-client"):
        backup_module.pg_tool("pg_dump")
    assert main(["backup", "--db", "postgresql+psycopg://a:b@127.0.0.1:9/x", "--out", str(tmp_path / "b.dump")]) == 1
    assert "postgresql-client" in capsys.readouterr().err
    assert not (tmp_path / "b.dump").exists() and list(tmp_path.iterdir()) == []  # no litter next to the target


def test_bad_inputs_get_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "--db", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "b.sqlite")]) == 1
    assert "there is no database at" in capsys.readouterr().err and not (tmp_path / "none.sqlite").exists()
    Store(str(tmp_path / "a.sqlite")).close()
    assert main(["backup", "--db", str(tmp_path / "a.sqlite"), "--out", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    (tmp_path / "junk.bin").write_bytes(b"hello")
    assert main(["restore", str(tmp_path / "junk.bin"), "--db", str(tmp_path / "r.sqlite")]) == 1
    assert "neither a SQLite backup nor a pg_dump archive" in capsys.readouterr().err
    assert main(["backup", "--db", str(tmp_path / "a.sqlite"), "--out", str(tmp_path / "b.sqlite")]) == 0
    assert main(["restore", str(tmp_path / "b.sqlite"), "--db", "postgresql+psycopg://a:b@127.0.0.1:9/x"]) == 1
    assert "is a sqlite backup; restore it into a sqlite database" in capsys.readouterr().err
    assert "Traceback" not in capsys.readouterr().err
