"""The bench's database half: loading for analysis, the whole export and saves under load, each against a raw floor.

Part of ``python -m audit bench`` (see :mod:`audit.bench`). The synthetic
audit is written into a fresh SQLite file (and into PostgreSQL when
``AUDIT_BENCH_POSTGRES_URL`` is set), then, in the same run:

- loading one wave's ratings for analysis (:func:`audit.store.ratings.read_rating_table`,
  and the whole :meth:`Store.load`) against ``cursor.execute(...).fetchall()``
  of the same columns on the driver's own connection;
- the whole ``python -m audit export`` (load + analysis + plan + write)
  against raw ``fetchall`` of the ratings plus the same cells written
  unformatted with xlsxwriter ``constant_memory``; its peak memory is measured
  in a child process (resident-memory high-water mark above the process
  after its imports);
- 50 people saving at once on PostgreSQL (threads sharing one store, as
  Streamlit serves a room) against the same SQL sent by raw psycopg, one
  connection per thread, through the same harness (:func:`burst`): p99 and
  the worst single save; also the raw three statements a save used to be.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from audit.bench import WRITER_ROUNDS
from audit.loadtest import planned_value
from audit.model import AuditData, Rating, Role
from audit.store import Store
from audit.store.codecs import rating_values
from audit.store.ratings import read_rating_table
from audit.store.schema import ratings
from audit.store.versions import touch

POSTGRES_ENV = "AUDIT_BENCH_POSTGRES_URL"
RAW_COLUMNS = ("participant_id", "touchpoint_id", "importance", "reaction", "presence", "not_applicable", "comment", "idea",
               "wave", "updated_at")
CHUNK = 5000


def fill_store(store: Store, data: AuditData) -> tuple[str, dict[Role, str]]:
    """Write the synthetic audit's catalog, people and ratings into ``store``; returns the new audit's id and links."""
    audit, links = store.create_audit(data.audit.name, data.catalog)
    people = {p.id: store.add_participant(audit.id, p.name, p.role).id for p in data.participants if p.role is Role.TEAM}
    now = dt.datetime.now(dt.UTC)
    rows = [
        {"audit_id": audit.id, "wave": audit.wave, "participant_id": people[r.participant_id], "touchpoint_id": r.touchpoint_id,
         **rating_values(r), "revision": 1, "updated_at": now}
        for r in data.ratings if r.participant_id in people
    ]
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]

        def insert(conn: sa.engine.Connection, chunk: list[dict[str, Any]] = chunk) -> None:
            conn.execute(ratings.insert(), chunk)
            touch(conn, audit.id)

        store._write(insert)
    return audit.id, links


def _raw_query(store: Store) -> str:
    marker = "?" if store.is_sqlite else "%s"
    return f"SELECT {', '.join(RAW_COLUMNS)} FROM ratings WHERE audit_id = {marker} AND wave = {marker}"


@contextmanager
def _driver(store: Store) -> Iterator[Any]:
    """The driver's own connection (from the pool, no transaction of SQLAlchemy's around reads)."""
    conn = store.engine.raw_connection()
    try:
        yield conn
    finally:
        conn.close()


def raw_fetchall(store: Store, audit_id: str, wave: int = 1) -> list[Any]:
    """The floor: the same rows as plain tuples, ``cursor.execute(...).fetchall()``."""
    with _driver(store) as conn:
        cursor = conn.cursor()
        cursor.execute(_raw_query(store), (audit_id, wave))
        rows = cursor.fetchall()
        cursor.close()
        conn.rollback()
    return rows


def load_ratings(store: Store, audit_id: str, wave: int = 1) -> Any:
    """The subject: one wave's ratings for analysis, as the app reads them."""
    with store._read() as conn:
        return read_rating_table(conn, audit_id, wave)


# ------------------------------------------------------------------ peak memory of a whole export, in a child process


def _vm(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def child_export(url: str, audit_id: str, out: str) -> dict[str, float]:
    """In a fresh process: the export's peak resident memory above the process after its imports (MB)."""
    from audit.workbook import export_audit

    store = Store(url, migrate=False)
    base = _vm("VmRSS")
    started = time.process_time()
    export_audit(store, audit_id, out)
    seconds = time.process_time() - started
    store.close()
    return {"rise_mb": max(0, _vm("VmHWM") - base) / 1024, "peak_mb": _vm("VmHWM") / 1024, "base_mb": base / 1024,
            "cpu": seconds}


def export_peak(url: str, audit_id: str) -> dict[str, float] | None:
    """Run :func:`child_export` in a child process; ``None`` where ``/proc`` is missing."""
    if not Path("/proc/self/status").exists():
        return None
    with tempfile.TemporaryDirectory() as folder:
        code = ("import json, sys; from audit.bench_database import child_export; "
                "print(json.dumps(child_export(sys.argv[1], sys.argv[2], sys.argv[3])))")
        done = subprocess.run([sys.executable, "-c", code, url, audit_id, f"{folder}/peak.xlsx"], capture_output=True,
                              text=True, check=False, cwd=Path(__file__).resolve().parent.parent, env=dict(os.environ))
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return None
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ------------------------------------------------------------------ 50 writers on PostgreSQL vs raw psycopg


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))] if ordered else float("nan")


SAVED_PARTS = ("importance", "reaction")  # what each writer's save changes (as the rating page's clicks do)


def _save_values(audit_id: str, person: str, tp: str, writer: int, n: int) -> dict[str, Any]:
    """The parameters of writer ``writer``'s ``n``-th save, as the app's save sends them."""
    importance, reaction = planned_value(writer, n)
    return {"audit_id": audit_id, "wave": 1, "participant_id": person, "touchpoint_id": tp, "importance": importance,
            "reaction": reaction.value, "presence": None, "comment": "", "idea": "", "not_applicable": False, "revision": 1,
            "updated_at": dt.datetime.now(dt.UTC), "writer": person}


def _three_statements(store: Store) -> list[tuple[str, dict[str, Any]]]:
    """The save as three statements (rating upsert, history row, version bump) as the driver receives them, each
    with its compiled constants: how the app sent a save before it became one statement."""
    from audit.store.ratings import _HISTORY
    from audit.store.versions import bump_statement

    history_keys = ["audit_id", "wave", "participant_id", "touchpoint_id", *RAW_COLUMNS[2:8], "revision", "changed_at"]
    out = []
    for statement, keys in ((store._rating_upsert(SAVED_PARTS), None), (_HISTORY, history_keys), (bump_statement("postgresql"), None)):
        compiled = statement.compile(dialect=store.engine.dialect, column_keys=keys)
        out.append((str(compiled), {k: v for k, v in compiled.params.items() if v is not None}))
    return out


Save = Callable[[Any, int, int], None]  # (what the writer opened, writer, n): one timed save


def burst(people: Sequence[str], saves: range, open_writer: Callable[[int], AbstractContextManager[Any]], save: Save) -> list[float]:
    """Everyone makes the saves numbered ``saves`` back to back, a thread each, all starting at once; latencies in ms.

    The app and its floors run through this same harness: ``open_writer`` (not timed) gives what a writer
    needs before the start (a raw connection for the floor), ``save`` is one timed save.
    """
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(len(people))

    def writer(i: int) -> None:
        mine = []
        with open_writer(i) as opened:
            start.wait()
            for n in saves:
                began = time.perf_counter()
                save(opened, i, n)
                mine.append((time.perf_counter() - began) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(len(people))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


@contextmanager
def raw_connection(store: Store, *, autocommit: bool) -> Iterator[Any]:
    """A psycopg connection of those the store's saves keep (:mod:`audit.store.autocommit`), used raw: the floor's,
    on the same warm server sessions the app's saves use, taken and given back outside the timed saves (the
    database allows only so many connections)."""
    connections = store.kept_connections
    assert connections is not None  # PostgreSQL
    kept = connections.take()
    try:
        kept.dbapi.autocommit = autocommit
        yield kept.dbapi
        kept.dbapi.autocommit = True
    except BaseException:
        connections.discard(kept)
        raise
    connections.give(kept)


def raw_writers(store: Store, audit_id: str, people: Sequence[str], tps: Sequence[str], saves: range, *,
                three: bool = False) -> list[float]:
    """The floor: raw psycopg, a connection per thread (autocommit for one statement), sending the SQL of the app's
    save or, with ``three``, the three statements of a save in a transaction; latencies in ms."""
    one = store._saving(SAVED_PARTS)
    (upsert, upsert_fixed), (history, history_fixed), (bump, bump_fixed) = _three_statements(store)

    def save_one(conn: Any, i: int, n: int) -> None:
        row = conn.execute(one.sql, {**one.fixed, **_save_values(audit_id, people[i], tps[n % len(tps)], i, n)}).fetchone()
        assert row is not None

    def save_three(conn: Any, i: int, n: int) -> None:
        values = _save_values(audit_id, people[i], tps[n % len(tps)], i, n)
        with conn.transaction():
            row = conn.execute(upsert, {**upsert_fixed, **values}).fetchone()
            assert row is not None
            conn.execute(history, {**history_fixed, **values, "changed_at": values["updated_at"]})
            conn.execute(bump, {**bump_fixed, **values})

    return burst(people, saves, lambda _i: raw_connection(store, autocommit=not three), save_three if three else save_one)


def app_writers(store: Store, audit_id: str, people: Sequence[str], tps: Sequence[str], saves: range) -> tuple[list[float], list[str]]:
    """The subject: :meth:`Store.save_rating` from every thread, the rating built before the clock starts (as in
    :mod:`audit.loadtest`); latencies in ms and the errors."""
    errors: list[str] = []

    def save(_opened: Any, i: int, n: int) -> None:
        importance, reaction = planned_value(i, n)
        try:
            store.save_rating(Rating(audit_id, people[i], tps[n % len(tps)], importance=importance, reaction=reaction),
                              fields=list(SAVED_PARTS))
        except Exception as err:  # counted and reported, never hidden
            errors.append(f"{type(err).__name__}: {err}")

    return burst(people, saves, lambda _i: nullcontext(), save), errors


def warm_pool(store: Store, connections: int) -> None:
    """Open ``connections`` of those the store's saves keep before a burst, as the floor's threads take theirs
    before it starts."""
    kept_connections = store.kept_connections
    assert kept_connections is not None  # PostgreSQL
    taken = [kept_connections.take() for _ in range(connections)]
    for kept in taken:
        kept_connections.give(kept)


ROUND = ("floor", "app", "app", "floor")  # one round of bursts: the floor and the app as A B B A


def burst_order(rounds: int) -> tuple[str, ...]:
    """The bursts of a run: ``rounds`` rounds of :data:`ROUND`, then the floor sending the three statements."""
    return (*ROUND * max(1, rounds), "three")


def postgres_writers(url: str, writers: int, each: int, rounds: int = WRITER_ROUNDS) -> list[list[str]]:
    """Rows of the PostgreSQL write table: the app's saves and the raw floors, p50 / p99 / worst, lost.

    Whole bursts (everyone making ``each`` saves, all starting at once) in the order of :func:`burst_order`: the
    floor sending the app's SQL and the app take turns as A B B A, ``rounds`` times, so a rise or fall of the
    machine's load falls on both alike (and each burst starts once, as one burst would); the p99 of each side is
    that of all its saves. Then the floor sending the three statements a save used to be. Every burst writes its
    own audit of the same shape; all use the same warm connections, those the store's saves keep, opened before
    the first burst (the floor uses them raw). Each burst's p99 is printed as it ends.
    """
    from audit.loadtest import setup_audit, verify

    order = burst_order(rounds)
    store = Store(url)
    measured: dict[str, list[float]] = {side: [] for side in order}
    errors: list[str] = []
    try:
        audits = [setup_audit(store, writers) for _ in order]
        warm_pool(store, writers)
        for side, audit in zip(order, audits, strict=True):
            if side == "app":
                latencies, failed = app_writers(store, *audit, range(each))
                errors += failed
            else:
                latencies = raw_writers(store, *audit, range(each), three=side == "three")
            measured[side] += latencies
            print(f"  {side:5s} burst: p50 {statistics.median(latencies):5.1f} ms, p99 {_percentile(latencies, 99):6.1f} ms, "
                  f"worst {max(latencies):4.0f} ms", flush=True)
        lost = [f"{side}: {problem}" for side, (audit_id, _, _) in zip(order, audits, strict=True)
                for problem in verify(store, audit_id, writers, each)]
    finally:
        store.close()
    subject, floor, floor3 = measured["app"], measured["floor"], measured["three"]
    p99, floor_p99 = _percentile(subject, 99), _percentile(floor, 99)
    row = [
        [f"PostgreSQL {writers} writers x {each} saves (threads, the app's save; {max(1, rounds)} rounds of bursts floor, app, "
         "app, floor)", f"{statistics.median(subject):.1f} ms", f"{p99:.1f} ms",
         f"{max(subject, default=float('nan')):.0f} ms", f"{p99 / floor_p99:.2f}x", str(len(errors)), "none" if not lost else "; ".join(lost)],
    ]
    for name, values in (("raw psycopg floor, the same SQL", floor), ("raw psycopg, the three statements in a transaction", floor3)):
        row.append([f"PostgreSQL {writers} writers ({name})", f"{statistics.median(values):.1f} ms", f"{_percentile(values, 99):.1f} ms",
                    f"{max(values):.0f} ms", f"{_percentile(values, 99) / floor_p99:.2f}x", "0", ""])
    return row


def sqlite_writer_runs(writers: int, each: int, runs: int) -> list[float]:
    """p99 (ms) of ``runs`` runs of ``writers`` threads saving ``each`` ratings on a fresh SQLite file."""
    from audit.loadtest import run_load, verify

    out = []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(runs):
            store = Store(f"{folder}/run{n}.sqlite")
            try:
                audit_id, result = run_load(store, writers, each, "threads")
                if result.errors or verify(store, audit_id, writers, each):
                    raise RuntimeError(f"SQLite writers run {n + 1} lost writes: {result.errors[:3]}")
                out.append(result.p99)
            finally:
                store.close()
    return out


def timed(fn: Callable[[], Any]) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


# ------------------------------------------------------------------ the table


def _ratio_row(name: str, subject: float, floor: float, floor_name: str, target: str, met: bool | None) -> list[str]:
    return [name, f"{subject * 1000:.0f} ms", f"{floor * 1000:.0f} ms", floor_name, f"{subject / max(floor, 1e-9):.2f}x", target,
            "" if met is None else ("yes" if met else "NO")]


def load_rows(store: Store, audit_id: str, label: str, repeat: int) -> list[list[str]]:
    """Loading for analysis against ``fetchall`` of the same rows (medians of interleaved CPU times)."""
    from audit.bench import paired

    table, floor = paired(lambda: load_ratings(store, audit_id), lambda: raw_fetchall(store, audit_id), repeat)
    whole, floor2 = paired(lambda: store.load(audit_id), lambda: raw_fetchall(store, audit_id), repeat)
    return [
        _ratio_row(f"{label}: ratings for analysis (columns)", table.cpu, floor.cpu, "fetchall of the same columns", "<= 2x",
                   table.cpu <= 2 * floor.cpu),
        _ratio_row(f"{label}: whole Store.load (catalog, people, ratings, visits)", whole.cpu, floor2.cpu,
                   "fetchall of the ratings", "", None),
    ]


def export_rows(store: Store, audit_id: str, data: AuditData, repeat: int) -> list[list[str]]:
    """The whole export (load + analysis + plan + write) against raw fetchall + the same cells written raw."""
    from audit.bench import export_floor, export_tables, paired
    from audit.workbook import export_audit

    tables = export_tables(store.load(audit_id))
    with tempfile.TemporaryDirectory() as folder:
        out = f"{folder}/audit.xlsx"
        whole, floor = paired(lambda: export_audit(store, audit_id, out),
                              lambda: (raw_fetchall(store, audit_id), export_floor(tables)), repeat)
    rows = [_ratio_row("SQLite: whole export (load + analysis + plan + write)", whole.cpu, floor.cpu,
                       "raw fetchall + xlsxwriter constant_memory of the same cells", "<= 1.3x", whole.cpu <= 1.3 * floor.cpu)]
    peak = export_peak(store.url, audit_id)
    if peak is not None:
        rows.append(["SQLite: whole export, peak memory above the process after imports", f"{peak['rise_mb']:.0f} MB",
                     f"{peak['base_mb']:.0f} MB", "resident memory after imports", "", "<= 100 MB",
                     "yes" if peak["rise_mb"] <= 100 else "NO"])
    return rows


DB_HEADER = ["measurement", "median (CPU)", "floor", "floor is", "ratio", "target", "met"]


def database_bench(data: AuditData, repeat: int, writers: int = 50, each: int = 200, sqlite_runs: int = 0,
                   rounds: int = WRITER_ROUNDS) -> list[list[str]]:
    """Every database measurement of the bench; prints and returns the table rows."""
    from audit.bench import markdown

    print(f"database: writing {len(data.ratings)} ratings into a fresh SQLite file ...", flush=True)
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"{folder}/bench.sqlite")
        try:
            audit_id, _ = fill_store(store, data)
            rows += load_rows(store, audit_id, "SQLite", repeat)
            rows += export_rows(store, audit_id, data, max(1, min(repeat, 3)))
        finally:
            store.close()
    if url := postgres_url():
        rows += postgres_rows(url, data, repeat, writers, each, rounds)
    rows += sqlite_writer_rows(writers, each, sqlite_runs)
    print(markdown(DB_HEADER, rows))
    return rows


def postgres_url() -> str:
    """The scratch PostgreSQL database of :data:`POSTGRES_ENV`, or "" after saying the PostgreSQL rows are skipped."""
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        print(f"PostgreSQL: skipped (set {POSTGRES_ENV} to a SQLAlchemy URL of a scratch database)")
    return url


def postgres_rows(url: str, data: AuditData, repeat: int, writers: int, each: int, rounds: int) -> list[list[str]]:
    print(f"PostgreSQL: writing {len(data.ratings)} ratings, then {writers} writers x {each} saves ...", flush=True)
    store = Store(url)
    try:
        audit_id, _ = fill_store(store, data)
        rows = load_rows(store, audit_id, "PostgreSQL", repeat)
    finally:
        store.close()
    return [*rows, postgres_writer_row(url, writers, each, rounds)]


def postgres_writer_row(url: str, writers: int, each: int, rounds: int) -> list[str]:
    """The table row of :func:`postgres_writers`: the app's p50 / p99 / worst against the floor's p99, and the target."""
    app, raw, three = postgres_writers(url, writers, each, rounds)
    p99_ratio, worst = float(app[4].rstrip("x")), float(app[3].split()[0])
    return [app[0], f"p50 {app[1]}, p99 {app[2]}, worst {app[3]}, {app[5]} errors, lost: {app[6]}", f"p99 {raw[2]}",
            f"raw psycopg, the same SQL: p50 {raw[1]}, worst {raw[3]} (the three statements in a transaction: p99 {three[2]})",
            app[4], "p99 <= 1.2x, worst <= 500 ms, 0 lost",
            "yes" if p99_ratio <= 1.2 and worst <= 500 and app[6] == "none" and app[5] == "0" else "NO"]


def sqlite_writer_rows(writers: int, each: int, runs: int) -> list[list[str]]:
    """The SQLite writers' row: p99 of each of ``runs`` runs (none when ``runs`` is 0)."""
    if not runs:
        return []
    p99s = sqlite_writer_runs(writers, each, runs)
    return [[f"SQLite {writers} writers (threads) p99, {runs} runs", " / ".join(f"{p:.0f}" for p in p99s) + " ms",
             "", "", "", "<= 50 ms in every run", "yes" if max(p99s) <= 50 else "NO"]]


def writers_bench(writers: int, each: int, sqlite_runs: int, rounds: int = WRITER_ROUNDS) -> int:
    """``python -m audit bench --writers-only``: the writers alone (PostgreSQL when :data:`POSTGRES_ENV` is set, SQLite
    with ``sqlite_runs``), without the synthetic audit and the rest of the bench; prints the table."""
    from audit.bench import markdown

    rows: list[list[str]] = []
    if url := postgres_url():
        print(f"PostgreSQL: {writers} writers x {each} saves ...", flush=True)
        rows.append(postgres_writer_row(url, writers, each, rounds))
    rows += sqlite_writer_rows(writers, each, sqlite_runs)
    print(markdown(DB_HEADER, rows))
    return 0
