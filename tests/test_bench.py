"""``python -m audit bench`` smoke test on tiny sizes (timings are never asserted)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from audit.bench import BenchParameters, analysis_floor, as_loaded, export_floor, export_tables, run_bench, synthetic_audit
from audit.bench_words import word_inputs, words_floor
from audit.plan import propose_plan
from audit.scoring import analyse

ROOT = Path(__file__).resolve().parent.parent


def args(**overrides: int) -> BenchParameters:
    values = {"touchpoints": 12, "raters": 3, "observations": 25, "repeat": 1, "concurrency": 0}
    values.update(overrides)
    return BenchParameters(**values)


def test_synthetic_audit_has_the_requested_size() -> None:
    data = synthetic_audit(12, 3, 25)
    assert len(data.catalog.touchpoints) == 12 and len(data.ratings) == 36
    assert sum(len(v.observations) for v in data.visits) == 25
    assert data.catalog.chains and data.competitor_notes and data.standards and data.economics
    assert len(analysis_floor(data)) == 12


def test_floor_writes_the_same_cells_as_the_workbook() -> None:
    data = synthetic_audit(12, 3, 25)
    tables = export_tables(data)
    assert next(name for name, _ in tables) == "Action plan"
    book = openpyxl.load_workbook(io.BytesIO(export_floor(tables)))
    ratings = book["Ratings"]
    assert ratings.max_row == 1 + 36
    assert [c.value for c in ratings[1]][:4] == ["Person", "Role", "Department", "Touchpoint id"]


def test_bench_prints_a_table_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_bench(args(concurrency=4, ratings_each=5)) == 0
    out = capsys.readouterr().out
    assert "measurement" in out and "floor (CPU)" in out and "ratio" in out
    assert "analysis (aggregation, evidence, IPA, chains, plan)" in out
    assert "workbook export (analysis included)" in out and "export extra peak memory" in out
    assert "| measurement | median (CPU) | floor (CPU) | ratio | wall: median / floor | target | met |" in out
    assert "|---|---|---|---|---|---|---|" in out
    assert "| write latency | p50 | p99 | throughput | p50 / floor | errors | lost | target | met |" in out
    assert "| 4 writers (threads) |" in out and "| 4 writers (processes) |" in out and "| 1 writer alone (floor) |" in out
    assert out.count("| 0 | none |") == 3  # no errors, nothing lost
    assert "| analysis of columns as loaded, vs one groupby on a ready DataFrame |" in out
    assert "| of which the numbers (aggregation, evidence, IPA, chains, priority: `analyse`) |" in out
    assert "| of which the plan (" in out and " actions, each worded: `propose_plan`) |" in out
    assert "| the plan's words at their floor (one f-string per action" in out
    assert re.search(r"\| the least an analysis that words its plan can take: the numbers \+ the words' floor \|  \|  \| "
                     r"\d+\.\dx \|  \| <= 4x \| (yes|NO) \|", out)
    for row in ("| SQLite: ratings for analysis (columns) |", "| SQLite: whole Store.load", "| SQLite: whole export (load + analysis",
                "| SQLite: whole export, peak memory above the process after imports |"):
        assert row in out, row


def test_bench_from_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "audit", "bench", "--touchpoints", "8", "--raters", "2", "--observations", "10", "--repeat", "1"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "| workbook export (analysis included) |" in result.stdout
    assert "concurrency" not in result.stdout


@pytest.mark.slow
def test_room_bench_from_the_command_line() -> None:
    """``bench --room N``: the real app and a minimal floor app under simulated people (figures are not asserted)."""
    result = subprocess.run(
        [sys.executable, "-m", "audit", "bench", "--room", "2", "--answers", "3"], capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "| measurement | server CPU | floor (CPU) | ratio | target | met |" in out
    for row in ("server CPU per saved answer (2 people)", "postScriptGC = true", "board refresh, nothing new", "board refresh after a new answer",
                "cards asking where the facilitator is"):
        assert row in out, row
    assert "answers not acknowledged: 0" in out
    stored, expected = map(int, re.search(r"rows in the history: (\d+) \(expected (\d+)\)", out).groups())
    assert stored == expected  # nothing lost, nothing stored twice


def test_the_database_half_reads_back_every_rating(tmp_path: Path) -> None:
    from audit.bench_database import fill_store, load_ratings, raw_fetchall
    from audit.store import Store

    data = synthetic_audit(12, 3, 25)
    store = Store(str(tmp_path / "bench.sqlite"))
    try:
        audit_id, _ = fill_store(store, data)
        table = load_ratings(store, audit_id)
        assert len(table) == len(raw_fetchall(store, audit_id)) == 36
        assert sorted((r.touchpoint_id, r.importance) for r in table) == sorted(
            (r.touchpoint_id, r.importance) for r in data.ratings)
    finally:
        store.close()


def test_postgres_writers_against_raw_psycopg_lose_nothing() -> None:
    """The PostgreSQL rows of the bench: loading, then the app's saves and the raw psycopg floor (figures not asserted)."""
    from audit.bench_database import postgres_rows
    from tests.conftest import postgres_schema_url

    for url in postgres_schema_url():
        rows = postgres_rows(url, synthetic_audit(12, 3, 25), 1, 4, 5, 1)
        names = [r[0] for r in rows]
        assert names == ["PostgreSQL: ratings for analysis (columns)", "PostgreSQL: whole Store.load (catalog, people, ratings, visits)",
                         "PostgreSQL 4 writers x 5 saves (threads, the app's save; 1 rounds of bursts floor, app, app, floor)"]
        assert rows[-1][3].startswith("raw psycopg, the same SQL: p50 ")
        assert "0 errors, lost: none" in rows[-1][1]


def test_writers_only_runs_the_writers_alone(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``bench --writers-only``: PostgreSQL's writers in rounds of bursts floor, app, app, floor (each burst printed)
    and SQLite's runs, without the synthetic audit (figures not asserted)."""
    from tests.conftest import postgres_schema_url

    for url in postgres_schema_url():
        monkeypatch.setenv("AUDIT_BENCH_POSTGRES_URL", url)
        assert run_bench(BenchParameters(writers_only=True, concurrency=3, ratings_each=4, writer_rounds=2, writer_runs=1)) == 0
    out = capsys.readouterr().out
    assert "building a synthetic audit" not in out
    assert [line.split()[0] for line in out.splitlines() if " burst: p50 " in line] == ["floor", "app", "app", "floor"] * 2 + ["three"]
    assert "| PostgreSQL 3 writers x 4 saves (threads, the app's save; 2 rounds of bursts floor, app, app, floor) |" in out
    assert "0 errors, lost: none" in out and "| SQLite 3 writers (threads) p99, 1 runs |" in out


def test_scale_bench_on_a_small_size(capsys: pytest.CaptureFixture[str]) -> None:
    from audit.bench_scale import scale_bench, synthetic_columns

    data = synthetic_columns(20, 3, 30)
    assert len(data.ratings) == 60 and {r.participant_id for r in data.ratings} == {"p0000", "p0001", "p0002"}
    rows = scale_bench(1, 20, 3)
    assert rows[0][0] == "scale: analysis of 60 ratings"
    assert rows[1][0] == "scale: workbook export of 60 ratings, peak memory"
    assert "| scale: analysis of 60 ratings |" in capsys.readouterr().out


def test_the_cli_writer_rounds_default_is_the_benchs_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--writer-rounds`` left out gives :data:`audit.bench.WRITER_ROUNDS` (one constant, no second default in the CLI)."""
    import audit.bench
    from audit.cli import main

    seen: list[BenchParameters] = []

    def run_bench(params: BenchParameters) -> int:
        seen.append(params)
        return 0

    monkeypatch.setattr(audit.bench, "run_bench", run_bench)
    assert main(["bench", "--writers-only"]) == 0 and main(["bench", "--writers-only", "--writer-rounds", "5"]) == 0
    assert [p.writer_rounds for p in seen] == [audit.bench.WRITER_ROUNDS, 5]


def test_the_words_floor_writes_the_plans_evidence_for_every_action() -> None:
    """The floor does the plan's work in words: an evidence text per action with the same team, priority and quote
    lines the plan writes (in English), and about as much text in all."""
    data = as_loaded(synthetic_audit(60, 8, 200))
    analysis = analyse(data)
    plan = propose_plan(analysis, today=dt.date(2025, 3, 1))
    written = words_floor(word_inputs(analysis, plan))
    assert len(written) == len(plan) > 0
    for action, (what, evidence) in zip(plan, written, strict=True):
        assert what and evidence.splitlines()[0] == action.evidence.splitlines()[0]  # the team line, to the character
        assert [line for line in evidence.splitlines() if line.startswith(("Priority", "Team comments", "Shoppers wrote"))] == [
            line for line in action.evidence.splitlines() if line.startswith(("Priority", "Team comments", "Shoppers wrote"))]
    floor_size = sum(len(what) + len(evidence) for what, evidence in written)
    plan_size = sum(len(a.what) + len(a.evidence) for a in plan)
    assert 0.8 * plan_size <= floor_size <= 1.2 * plan_size
