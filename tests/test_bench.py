"""``python -m audit bench`` smoke test on tiny sizes (timings are never asserted)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from audit.bench import BenchParameters, analysis_floor, export_floor, export_tables, run_bench, synthetic_audit

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
