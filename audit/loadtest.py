"""A workshop under load: many people saving ratings at the same moment.

Used by the concurrency tests and by ``python -m audit bench --concurrency N``.
Each writer is one person casting ``ratings_each`` answers through
:meth:`audit.store.Store.save_rating` (the call the rating page makes), in
threads sharing one store (one app process) or in separate processes (several
app replicas on one database). :func:`verify` then checks that nothing was lost:
the final state is the last write per person and touchpoint, and the history
holds every write.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from audit.model import Catalog, Category, Rating, Reaction, Role, Text, Touchpoint
from audit.store import Store

REACTIONS = (Reaction.POSITIVE, Reaction.NEUTRAL, Reaction.NEGATIVE)


@dataclass
class LoadResult:
    writers: int
    ratings_each: int
    mode: str
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
        return ordered[index]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(99)

    @property
    def writes_per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else float("nan")


def planned_value(writer: int, n: int) -> tuple[int, Reaction]:
    """What writer ``writer`` sends as its ``n``-th rating (deterministic, so it can be verified)."""
    return 1 + (writer * 7 + n) % 10, REACTIONS[(writer + n) % 3]


def setup_audit(store: Store, writers: int, touchpoints: int = 40) -> tuple[str, list[str], list[str]]:
    """An audit with ``touchpoints`` touchpoints and ``writers`` team members."""
    catalog = Catalog(
        "load", Text.of({"en": "Load test"}, "name"),
        tuple(Touchpoint(f"tp-{i:03d}", tuple(Category)[i % 4], Text.of({"en": f"Touchpoint {i}"}, "name")) for i in range(touchpoints)),
    )
    audit, _ = store.create_audit("Load test", catalog)
    people = [store.add_participant(audit.id, f"Writer {i}", Role.TEAM).id for i in range(writers)]
    return audit.id, people, [tp.id for tp in catalog.touchpoints]


def _write_all(store: Store, audit_id: str, writer: int, person: str, tps: list[str], ratings_each: int) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    for n in range(ratings_each):
        importance, reaction = planned_value(writer, n)
        rating = Rating(audit_id, person, tps[n % len(tps)], importance=importance, reaction=reaction)
        start = time.perf_counter()
        try:
            store.save_rating(rating, fields=["importance", "reaction"])
        except Exception as err:  # counted and reported, never hidden
            errors.append(f"{type(err).__name__}: {err}")
            continue
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies, errors


def _process_main(url: str, audit_id: str, writer: int, person: str, tps: list[str], ratings_each: int, queue: Any) -> None:
    store = Store(url, migrate=False)
    try:
        queue.put(_write_all(store, audit_id, writer, person, tps, ratings_each))
    finally:
        store.close()


def run_load(store: Store, writers: int = 50, ratings_each: int = 200, mode: str = "threads", touchpoints: int = 40) -> tuple[str, LoadResult]:
    """Run the load; returns the audit id and what was measured."""
    audit_id, people, tps = setup_audit(store, writers, touchpoints)
    result = LoadResult(writers, ratings_each, mode, 0.0)
    start = time.perf_counter()
    if mode == "threads":
        with ThreadPoolExecutor(max_workers=writers) as pool:
            futures = [pool.submit(_write_all, store, audit_id, i, p, tps, ratings_each) for i, p in enumerate(people)]
            outcomes = [f.result() for f in futures]
    elif mode == "processes":
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        procs = [ctx.Process(target=_process_main, args=(store.url, audit_id, i, p, tps, ratings_each, queue)) for i, p in enumerate(people)]
        for proc in procs:
            proc.start()
        outcomes = [queue.get(timeout=600) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
            if proc.exitcode != 0:
                result.errors.append(f"writer process exited with {proc.exitcode}")
    else:
        raise ValueError(f"mode: must be threads or processes (got {mode!r})")
    result.seconds = time.perf_counter() - start
    for latencies, errors in outcomes:
        result.latencies_ms.extend(latencies)
        result.errors.extend(errors)
    return audit_id, result


def verify(store: Store, audit_id: str, writers: int, ratings_each: int) -> list[str]:
    """Problems found in the stored state (an empty list: nothing lost)."""
    problems: list[str] = []
    people = [p.id for p in store.participants(audit_id)]
    tps = [tp.id for tp in store.catalog(audit_id).touchpoints]
    index = {person: i for i, person in enumerate(people)}
    expected: dict[tuple[str, str], tuple[int, str]] = {}
    for person, writer in index.items():
        for n in range(ratings_each):
            importance, reaction = planned_value(writer, n)
            expected[(person, tps[n % len(tps)])] = (importance, reaction.value)
    stored = {(r.participant_id, r.touchpoint_id): (r.importance, r.reaction.value if r.reaction else None) for r in store.ratings(audit_id)}
    missing = set(expected) - set(stored)
    wrong = [k for k in expected if k in stored and stored[k] != expected[k]]
    if missing:
        problems.append(f"{len(missing)} ratings missing")
    if wrong:
        problems.append(f"{len(wrong)} ratings do not hold the last write")
    history = len(store.rating_history(audit_id))
    if history != writers * ratings_each:
        problems.append(f"history has {history} entries, expected {writers * ratings_each}")
    return problems
