"""``python -m audit bench``: how fast the analysis and the export are, against floors.

A synthetic audit is built in memory (default 1,000 touchpoints x 100 raters
= 100,000 ratings, plus 10,000 shopper observations). In the same run:

(a) the whole analysis (aggregation, evidence, IPA, chains, priority and the
    plan) against a floor: the same rating records read into a DataFrame
    with the six fields the analysis reads, and one bare
    ``groupby().mean()`` (the leaner floor reading only touchpoint and
    importance is printed too); the same analysis of columns as the store
    loads them against one groupby on a ready DataFrame, without and with
    the summary tables that :class:`audit.scoring.Analysis` builds when first
    read;
(b) the workbook export (analysis included) against a floor: the same cells
    written unformatted with xlsxwriter in ``constant_memory`` mode (the
    fastest pure-Python writer measured here), with no analysis;
(c) the extra peak memory of each: ``tracemalloc`` and, on Linux, the rise
    of the resident-memory high-water mark (reset through
    ``/proc/self/clear_refs``), each in a separate untimed run.

Medians of ``--repeat`` runs are reported, floor and subject interleaved so
machine noise hits both. Times are CPU seconds of this process
(``time.process_time``): on a shared machine other programs would otherwise
distort the ratios; wall-clock medians are shown next to them. The table is printed as text and as Markdown.
Targets: analysis <= 0.25 s and <= 3x its floor; export <= 1.5x its floor
with <= 150 MB extra peak memory.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import random
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from audit.bench_words import word_inputs, words_floor
from audit.model import (
    Audit,
    AuditData,
    Catalog,
    Category,
    Chain,
    Channel,
    ChannelEconomics,
    Comparison,
    CompetitorNote,
    Observation,
    Participant,
    Presence,
    Rating,
    Reaction,
    Role,
    ShopperVisit,
    Stage,
    Standard,
    Text,
    Touchpoint,
    Versus,
    VisitChannel,
    VisitStatus,
)
from audit.plan import propose_plan
from audit.scoring import analyse

MB = 1024 * 1024
ANALYSIS_SECONDS = 0.25
ANALYSIS_RATIO = 3.0
EXPORT_RATIO = 1.5
EXPORT_MB = 150.0
WRITER_ROUNDS = 3  # PostgreSQL writers: rounds of bursts floor, app, app, floor per run (``--writer-rounds``)
COMMENTS = (
    "Hard to find from the street", "=HYPERLINK(\"http://example.com\")", "+7 999 answered after 6 rings",
    "-- nobody greeted us", "@manager please check", "Очень вежливо, спасибо", "Price list is out of date",
)


def synthetic_audit(touchpoints: int = 1000, raters: int = 100, observations: int = 10_000, *, seed: int = 7) -> AuditData:
    """A realistic-looking audit of the given size, built in memory."""
    rnd = random.Random(seed)
    categories = list(Category)
    tps = tuple(
        Touchpoint(
            f"tp-{i:05d}", categories[i % 4], Text.of({"en": f"Touchpoint {i}", "ru": f"Точка {i}"}, "name"),
            stages=(list(Stage)[i % 3],), channels=(list(Channel)[i % 2],),
        )
        for i in range(touchpoints)
    )
    chain_len = min(8, touchpoints)
    chains = tuple(
        Chain(f"chain-{c}", Text.of(f"Journey {c}", "name"), tuple(tps[(c * chain_len + k) % touchpoints].id for k in range(chain_len)))
        for c in range(max(1, touchpoints // 20))
    ) if touchpoints >= 2 else ()
    catalog = Catalog("bench", Text.of("Benchmark catalog", "name"), tps, chains)
    competitors = ("Alpha", "Beta", "Gamma")
    audit = Audit("bench", "Benchmark audit", competitors=competitors)
    people = tuple(Participant(f"p{j:04d}", audit.id, f"Rater {j}", Role.TEAM) for j in range(raters))
    shoppers = tuple(Participant(f"s{j:02d}", audit.id, f"Shopper {j}", Role.SHOPPER) for j in range(5))
    now = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    reactions = (Reaction.POSITIVE, Reaction.NEUTRAL, Reaction.NEGATIVE)
    presences = (Presence.HAVE, Presence.HAVE, Presence.HAVE, Presence.MISSING, Presence.NOT_NEEDED, None)
    ratings = []
    for tp in tps:
        lean = rnd.random()
        for person in people:
            roll = rnd.random()
            ratings.append(Rating(
                audit.id, person.id, tp.id,
                importance=None if roll < 0.03 else min(10, max(1, int(rnd.gauss(4 + 5 * lean, 2)))),
                reaction=None if roll > 0.97 else rnd.choices(reactions, (lean, 0.6, 1 - lean))[0],
                presence=rnd.choice(presences),
                comment=rnd.choice(COMMENTS) if rnd.random() < 0.08 else "",
                not_applicable=roll < 0.01,
                updated_at=now,
            ))
    per_visit = 10
    visits = []
    for v in range(max(0, observations) // per_visit + (1 if observations % per_visit else 0)):
        count = min(per_visit, observations - v * per_visit)
        picked = rnd.sample(range(touchpoints), min(count, touchpoints))
        obs = tuple(
            Observation(tps[k].id, rnd.choice(reactions), rnd.choice(("", "waited at the door", "=SUM(A1:A9)")),
                        round(rnd.uniform(0, 10), 1) if k % 10 == 0 else None)
            for k in picked
        )
        visits.append(ShopperVisit(
            v + 1, audit.id, shoppers[v % len(shoppers)].id, now - dt.timedelta(hours=v), VisitChannel.IN_PERSON,
            target="" if v % 5 else competitors[v % 3], observations=obs,
            status=VisitStatus.ACCEPTED if v % 10 else VisitStatus.SUBMITTED,
        ))
    notes = tuple(
        CompetitorNote(audit.id, competitors[k % 3], tps[k].id, rnd.choice(list(Versus)), borrow="their greeting")
        for k in range(0, touchpoints, 7)
    )
    standards = {tps[k].id: Standard(Text.of("minutes of waiting", "what"), Text.of("min", "unit"), Comparison.AT_MOST, 5) for k in range(0, touchpoints, 10)}
    economics = tuple(ChannelEconomics(tps[k].id, 90_000, 54, 12, 108_000) for k in range(0, min(touchpoints, 40), 4))
    return AuditData(audit, catalog, people + shoppers, tuple(ratings), tuple(visits), notes, standards, economics)


# ------------------------------------------------------------------ the measured work


def run_analysis(data: AuditData) -> Any:
    analysis = analyse(data)
    return analysis, propose_plan(analysis, today=dt.date(2025, 3, 1))


SUMMARIES = ("categories", "stages", "chains", "competitor_matrix", "economics")  # Analysis builds these when first read


def run_analysis_whole(data: AuditData) -> Any:
    """:func:`run_analysis` and every summary table the workbook reads (the results page reads few of them)."""
    analysis, plan = run_analysis(data)
    return analysis, plan, [getattr(analysis, name) for name in SUMMARIES]


RATING_FIELDS = ("touchpoint_id", "importance", "reaction", "presence", "not_applicable", "comment")
LEAN_FIELDS = ("touchpoint_id", "importance")


def analysis_floor(data: AuditData, fields: Sequence[str] = RATING_FIELDS) -> Any:
    """One bare pandas groupby over the same rows: the rating records read into a
    DataFrame (the fields the analysis reads) and one ``groupby().mean()``."""
    frame = pd.DataFrame({name: list(map(attrgetter(name), data.ratings)) for name in fields})
    return frame.groupby("touchpoint_id")["importance"].mean()


def export_tables(data: AuditData) -> list[tuple[str, list[list[Any]]]]:
    """The cells of the workbook, sheet by sheet, as plain rows (for the floor)."""
    from audit.sheets import workbook_sheets

    analysis, actions = run_analysis(data)
    out = []
    for name, blocks in workbook_sheets(analysis, actions):
        rows: list[list[Any]] = []
        for i, block in enumerate(blocks):
            if i:
                rows.append([])
            if block.title:
                rows.append([block.title])
            rows.append([c.header for c in block.columns])
            body = [list(r) for r in block.rows]
            rows += body if body or not block.empty else [[block.empty]]
        out.append((name, rows))
    return out


def export_floor(tables: list[tuple[str, list[list[Any]]]]) -> bytes:
    """The same cells, unformatted, with xlsxwriter constant_memory and typed writes."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "remove_timezone": True})
    for name, rows in tables:
        sheet = book.add_worksheet(name)
        write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    write_string(r, c, value)
                elif isinstance(value, (int, float)):
                    write_number(r, c, value)
                elif isinstance(value, (dt.date, dt.datetime)):
                    write_datetime(r, c, value)
                else:
                    write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def run_export(data: AuditData) -> bytes:
    from audit.workbook import build_workbook

    return build_workbook(data, today=dt.date(2025, 3, 1))


# ------------------------------------------------------------------ timing


@dataclass(frozen=True)
class Timing:
    """CPU seconds of this process (what the ratios use) and wall-clock seconds."""

    cpu: float
    wall: float


def _time(fn: Callable[[], Any]) -> Timing:
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return Timing(time.process_time() - cpu, time.perf_counter() - wall)


def _median(times: list[Timing]) -> Timing:
    return Timing(statistics.median(t.cpu for t in times), statistics.median(t.wall for t in times))


def paired(subject: Callable[[], Any], floor: Callable[[], Any], repeat: int, *, warm_up: bool = True) -> tuple[Timing, Timing]:
    """Medians of ``repeat`` interleaved runs of ``subject`` and ``floor`` (after one warm-up each)."""
    if warm_up:
        subject(), floor()
    times_s, times_f = [], []
    for _ in range(max(1, repeat)):
        times_f.append(_time(floor))
        times_s.append(_time(subject))
    return _median(times_s), _median(times_f)


def peak_mb(fn: Callable[[], Any]) -> float:
    """Extra peak memory of ``fn`` (traced Python allocations), in MB."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - base) / MB


def _proc_status() -> dict[str, int]:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return {}
    return {key: int(kb) for key, kb in re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", text, re.M)}


def rss_peak_mb(fn: Callable[[], Any]) -> float | None:
    """Extra peak resident memory of ``fn`` in MB (Linux: the high-water mark is reset first); None elsewhere."""
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    before = _proc_status()
    fn()
    after = _proc_status()
    if "VmRSS" not in before or "VmHWM" not in after:
        return None
    return max(0.0, (after["VmHWM"] - before["VmRSS"]) / 1024)


def _rss_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    except (ImportError, OSError):
        return float("nan")


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


HEADER = ["measurement", "median (CPU)", "floor (CPU)", "ratio", "wall: median / floor", "target", "met"]


def table_rows(analysis: tuple[Timing, Timing], export: tuple[Timing, Timing], analysis_mb: float, export_mb: float) -> list[list[str]]:
    """The result table: CPU-time medians and their ratio (wall-clock times for reference)."""
    ok = lambda good: "yes" if good else "NO"  # noqa: E731

    def ratio(pair: tuple[Timing, Timing]) -> float:
        return pair[0].cpu / pair[1].cpu if pair[1].cpu > 0 else float("inf")

    def cells(pair: tuple[Timing, Timing]) -> list[str]:
        return [_seconds(pair[0].cpu), _seconds(pair[1].cpu), f"{ratio(pair):.2f}x",
                f"{_seconds(pair[0].wall)} / {_seconds(pair[1].wall)}"]

    return [
        ["analysis (aggregation, evidence, IPA, chains, plan)", *cells(analysis),
         f"<= {ANALYSIS_SECONDS} s and <= {ANALYSIS_RATIO:g}x",
         ok(analysis[0].cpu <= ANALYSIS_SECONDS and ratio(analysis) <= ANALYSIS_RATIO)],
        ["workbook export (analysis included)", *cells(export), f"<= {EXPORT_RATIO:g}x", ok(ratio(export) <= EXPORT_RATIO)],
        ["analysis extra peak memory", f"{analysis_mb:.0f} MB", "", "", "", "", ""],
        ["export extra peak memory", f"{export_mb:.0f} MB", "", "", "", f"<= {EXPORT_MB:g} MB", ok(export_mb <= EXPORT_MB)],
    ]


def text_table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    line = lambda r: "  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=False)).rstrip()  # noqa: E731
    return "\n".join([line(HEADER), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (for pasting figures into the README)."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    out += ["| " + " | ".join(str(v).strip() for v in r) + " |" for r in rows]
    return "\n".join(out)


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    return markdown(HEADER, rows)


@dataclass(frozen=True)
class BenchParameters:
    """What ``python -m audit bench`` measures, and how often (the command line's options, typed)."""

    touchpoints: int = 1000
    raters: int = 100
    observations: int = 10_000
    repeat: int = 5  # runs per measurement; the median is reported
    concurrency: int = 0  # people saving ratings at once; 0 skips that measurement
    ratings_each: int = 200  # with concurrency: ratings each writer saves
    room: int = 0  # instead of the rest: the live room with this many simulated people (audit.ui.roombench)
    answers: int = 20  # with room: answers each person saves
    database: bool = True  # loading, whole export and (with AUDIT_BENCH_POSTGRES_URL) PostgreSQL writers (audit.bench_database)
    writer_runs: int = 0  # runs of the SQLite writers' p99 (with concurrency; 0: none)
    scale: bool = False  # also 10,000 touchpoints x 100 raters (audit.bench_scale)
    writers_only: bool = False  # instead of the rest: the database writers alone (audit.bench_database.writers_bench)
    writer_rounds: int = WRITER_ROUNDS  # PostgreSQL writers (audit.bench_database.burst_order)


def _time_export(data: AuditData, repeat: int) -> tuple[tuple[Timing, Timing], int]:
    """The export against its floor, and how many cells it writes; the floor's tables are freed on return."""
    tables = export_tables(data)
    cells = sum(sum(1 for v in row if v not in (None, "")) for _, rows in tables for row in rows)
    print(f"timing the export ({cells} cells, {repeat} run(s) each) ...", flush=True)
    return paired(lambda: run_export(data), lambda: export_floor(tables), repeat, warm_up=False), cells


def run_bench(params: BenchParameters) -> int:
    if params.room:  # the room bench speaks Streamlit's protocol: it lives with the UI, run as its own process
        command = [sys.executable, "-m", "audit.ui.roombench", str(max(1, params.room)), str(max(1, params.answers))]
        return subprocess.run(command, cwd=Path(__file__).resolve().parent.parent, check=False).returncode
    if params.writers_only:
        from audit.bench_database import writers_bench

        return writers_bench(params.concurrency or 50, params.ratings_each or 200, params.writer_runs, params.writer_rounds)
    touchpoints = max(1, params.touchpoints)
    raters = max(1, params.raters)
    observations = max(0, params.observations)
    repeat = max(1, params.repeat)
    print(f"building a synthetic audit: {touchpoints} touchpoints x {raters} raters = {touchpoints * raters} ratings, "
          f"{observations} shopper observations ...", flush=True)
    data = synthetic_audit(touchpoints, raters, observations)

    analysis = paired(lambda: run_analysis(data), lambda: analysis_floor(data), repeat)
    lean = _median([_time(lambda: analysis_floor(data, LEAN_FIELDS)) for _ in range(repeat)])
    export, cells = _time_export(data, repeat)
    analysis_mb = peak_mb(lambda: run_analysis(data))
    export_mb = peak_mb(lambda: run_export(data))
    export_rss = rss_peak_mb(lambda: run_export(data))
    if export_rss is not None:
        export_mb = max(export_mb, export_rss)

    rows = table_rows(analysis, export, analysis_mb, export_mb) + columnar_rows(data, repeat)
    print()
    print(f"{touchpoints} touchpoints x {raters} raters, {observations} observations; medians of {repeat} run(s)")
    print(text_table(rows))
    print()
    print("times: CPU seconds of this process (time.process_time), so other programs on the machine do not distort "
          "the ratios; wall-clock medians for reference.")
    print(f"analysis floor: the {len(data.ratings)} rating records read into a DataFrame with the fields the analysis reads "
          f"({', '.join(RATING_FIELDS)}) + one groupby mean. Reading only touchpoint_id and importance takes "
          f"{_seconds(lean.cpu)} (the analysis is {analysis[0].cpu / max(lean.cpu, 1e-9):.1f}x that).")
    print(f"export floor: the same {cells} cells written unformatted with xlsxwriter constant_memory, no analysis.")
    rss_note = f"resident-memory high-water mark of the export: +{export_rss:.0f} MB; " if export_rss is not None else ""
    print(f"peak memory: the larger of tracemalloc (Python and numpy allocations) and, on Linux, the rise of the "
          f"resident-memory high-water mark, each in its own untimed run; {rss_note}"
          f"process peak RSS so far {_rss_mb():.0f} MB (includes the synthetic audit).")
    print()
    print("Markdown:")
    print()
    print(markdown_table(rows))
    if params.concurrency:
        print()
        concurrency_bench(params.concurrency, params.ratings_each or 200)
    _more_benches(params, data, repeat)
    return 0


def _more_benches(params: BenchParameters, data: AuditData, repeat: int) -> None:
    """The database half and the scale run (:mod:`audit.bench_database`, :mod:`audit.bench_scale`)."""
    if params.database:
        from audit.bench_database import database_bench

        print()
        database_bench(data, repeat, params.concurrency or 50, params.ratings_each or 200,
                       params.writer_runs if params.concurrency else 0, params.writer_rounds)
    if params.scale:
        from audit.bench_scale import scale_bench

        print()
        scale_bench(max(1, min(repeat, 3)))


def as_loaded(data: AuditData) -> AuditData:
    """``data`` with its ratings and visits as columns, as :meth:`audit.store.Store.load` gives them."""
    from dataclasses import replace

    from audit.columnar import RatingTable, VisitTable

    return replace(data, ratings=RatingTable.of(data.ratings), visits=VisitTable.of(data.visits))


def columnar_rows(data: AuditData, repeat: int) -> list[list[str]]:
    """The analysis of columns as loaded from the store, against a bare groupby on a ready DataFrame."""
    loaded = as_loaded(data)
    table = loaded.ratings
    frame = pd.DataFrame({"touchpoint_id": table.touchpoint_id, "importance": table.importance})  # type: ignore[attr-defined]
    groupby = lambda: frame.groupby("touchpoint_id")["importance"].mean()  # noqa: E731
    subject, floor = paired(lambda: run_analysis(loaded), groupby, repeat)
    whole, floor_whole = paired(lambda: run_analysis_whole(loaded), groupby, repeat)
    ratio, ratio_whole = subject.cpu / max(floor.cpu, 1e-9), whole.cpu / max(floor_whole.cpu, 1e-9)
    return [["analysis of columns as loaded, vs one groupby on a ready DataFrame", _seconds(subject.cpu), _seconds(floor.cpu),
             f"{ratio:.1f}x", f"{_seconds(subject.wall)} / {_seconds(floor.wall)}", "<= 0.06 s and <= 4x",
             f"{'yes' if subject.cpu <= 0.06 else 'NO'} / {'yes' if ratio <= 4 else 'NO'}"],
            *split_rows(loaded, groupby, repeat),
            ["the same with every summary table read (categories, stages, chains, competitor matrix, economics)",
             _seconds(whole.cpu), _seconds(floor_whole.cpu), f"{ratio_whole:.1f}x", f"{_seconds(whole.wall)} / {_seconds(floor_whole.wall)}",
             "", ""]]


def split_rows(loaded: AuditData, groupby: Callable[[], Any], repeat: int) -> list[list[str]]:
    """The analysis' two halves against the same groupby: the numbers (``analyse``) and the worded plan
    (``propose_plan`` of a ready analysis), so the floor's distance is seen where it arises; then the plan's words
    at their own floor (:mod:`audit.bench_words`), and the numbers plus that floor: the least ratio any analysis
    that words its plan could reach while its numbers cost what they cost now."""
    ready = analyse(loaded)
    proposed = propose_plan(ready, today=dt.date(2025, 3, 1))
    actions, inputs = len(proposed), word_inputs(ready, proposed)
    numbers, floor = paired(lambda: analyse(loaded), groupby, repeat)
    plan, plan_floor = paired(lambda: propose_plan(ready, today=dt.date(2025, 3, 1)), groupby, repeat)
    words, words_groupby = paired(lambda: words_floor(inputs), groupby, repeat)
    least = numbers.cpu / max(floor.cpu, 1e-9) + words.cpu / max(words_groupby.cpu, 1e-9)
    return [["  of which the numbers (aggregation, evidence, IPA, chains, priority: `analyse`)", _seconds(numbers.cpu),
             _seconds(floor.cpu), f"{numbers.cpu / max(floor.cpu, 1e-9):.1f}x", f"{_seconds(numbers.wall)} / {_seconds(floor.wall)}", "", ""],
            [f"  of which the plan ({actions} actions, each worded: `propose_plan`)", _seconds(plan.cpu), _seconds(plan_floor.cpu),
             f"{plan.cpu / max(plan_floor.cpu, 1e-9):.1f}x", f"{_seconds(plan.wall)} / {_seconds(plan_floor.wall)}", "", ""],
            ["  the plan's words at their floor (one f-string per action from ready values: no language file, quote picking, "
             "checks or records; `audit.bench_words`)", _seconds(words.cpu), _seconds(words_groupby.cpu),
             f"{words.cpu / max(words_groupby.cpu, 1e-9):.1f}x", f"{_seconds(words.wall)} / {_seconds(words_groupby.wall)}", "", ""],
            ["  the least an analysis that words its plan can take: the numbers + the words' floor", "", "", f"{least:.1f}x",
             "", "<= 4x", "yes" if least <= 4 else "NO"]]


def concurrency_bench(writers: int, ratings_each: int) -> list[list[str]]:
    """Write latency with ``writers`` people saving at once, each ``ratings_each`` times, on a fresh SQLite file.

    Threads share one store (one app process, as Streamlit serves every
    session from one process); processes each open their own (app replicas).
    The floor is the same number of writes by one writer alone, measured in
    the same run: the ratio says what contention costs.
    """
    import tempfile

    from audit.loadtest import run_load, verify
    from audit.store import Store

    print(f"concurrency: {writers} writers x {ratings_each} ratings on a fresh SQLite file ...", flush=True)
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as folder:
        floor_store = Store(f"{folder}/floor.sqlite")
        _, floor = run_load(floor_store, 1, writers * ratings_each // 10 or 1, "threads")
        floor_store.close()
        for mode in ("threads", "processes"):
            store = Store(f"{folder}/{mode}.sqlite")
            audit_id, result = run_load(store, writers, ratings_each, mode)
            lost = verify(store, audit_id, writers, ratings_each)
            store.close()
            rows.append([
                f"{writers} writers ({mode})", f"{result.p50:.1f} ms", f"{result.p99:.1f} ms",
                f"{result.writes_per_second:.0f}/s", f"{result.p50 / max(floor.p50, 1e-9):.1f}x",
                str(len(result.errors)), "none" if not lost else "; ".join(lost),
                "p99 <= 50 ms" if mode == "threads" else "",
                ("yes" if result.p99 <= 50 else "no") if mode == "threads" else "",
            ])
    rows.append(["1 writer alone (floor)", f"{floor.p50:.1f} ms", f"{floor.p99:.1f} ms", f"{floor.writes_per_second:.0f}/s", "1.0x", "0", "none", "", ""])
    header = ["write latency", "p50", "p99", "throughput", "p50 / floor", "errors", "lost", "target", "met"]
    print("  ".join(header))
    for row in rows:
        print("  ".join(row))
    print()
    print("Markdown:")
    print()
    print(markdown(header, rows))
    return rows
