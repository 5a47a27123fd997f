"""End to end: ``python -m audit demo`` then ``python -m audit export``; openpyxl and LibreOffice read it back."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import office
import openpyxl
import pytest

from audit.cli import main
from audit.model import Catalog, Chain, Observation, Rating, Role, ShopperVisit, Touchpoint, VisitStatus
from audit.store import Store
from audit.workbook import SHEETS

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def demo_or_manual(db: Path, cwd: Path) -> str:
    """A demo audit made by ``python -m audit demo`` when the demo exists, else records saved through the store."""
    try:
        import audit.demo

        result = run("demo", "--db", str(db), cwd=cwd)
        assert result.returncode == 0, result.stderr
        line = next(line for line in result.stdout.splitlines() if line.startswith("audit id:"))
        return line.split(":", 1)[1].strip()
    except ImportError:
        store = Store(str(db))
        catalog = Catalog("c", "Manual", tuple(Touchpoint(t, "staff", f"Point {t}") for t in "abcd"), (Chain("j", "J", ("a", "b", "c")),))
        audit, _ = store.create_audit("Manual demo", catalog, competitors=["Rival"])
        for i in range(4):
            person = store.add_participant(audit.id, f"P{i}")
            for tp, imp, reaction in (("a", 8, "negative"), ("b", 6, "positive"), ("c", 3, "neutral")):
                store.save_rating(Rating(audit.id, person.id, tp, imp, reaction, comment="=nobody owns this"))
        shopper = store.add_participant(audit.id, "S", Role.SHOPPER)
        visit = store.save_visit(ShopperVisit(None, audit.id, shopper.id, dt.datetime(2025, 5, 1), "phone",
                                              observations=(Observation("a", "negative", "+7 busy"),), status="submitted"))
        store.review_visit(audit.id, visit.id, VisitStatus.ACCEPTED)
        store.close()
        return audit.id


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("export")
    db = folder / "demo.sqlite"
    audit_id = demo_or_manual(db, folder)
    out = folder / "plan.xlsx"
    result = run("export", "--db", str(db), "--audit", audit_id, "--out", str(out), cwd=folder)
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    return db, out, audit_id


def test_openpyxl_reads_back_everything(exported: tuple[Path, Path, str]) -> None:
    _, out, audit_id = exported
    book = openpyxl.load_workbook(out)
    assert [s.title for s in book.worksheets if s.sheet_state == "visible"] == list(SHEETS)
    plan = book["Action plan"]
    assert plan.freeze_panes == "D2"
    rules = plan.data_validations.dataValidation
    assert rules and rules[0].formula1 == '"To do,In progress,Done"'
    assert plan.max_row > 1 and isinstance(plan["B2"].value, float)
    for title in ("Scores", "Ratings", "Shopper visits", "Competitors"):
        assert book[title].freeze_panes is not None, title
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert about["Audit id"] == audit_id
    # formula-looking comments of the demo stay text
    comment = [c.value for c in book["Ratings"][1]].index("Comment") + 1
    formulas = [c for row in book["Ratings"].iter_rows(min_col=comment, max_col=comment) for c in row
                if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert formulas, "the demo should contain comments that look like formulas"
    assert all(c.data_type == "s" for c in formulas)


def test_libreoffice_reads_the_plan(exported: tuple[Path, Path, str], tmp_path: Path) -> None:
    _, out, _ = exported
    converted = office.convert(out, office.CSV, tmp_path)
    with converted.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    book = openpyxl.load_workbook(out)
    expected = [list(r) for r in book["Action plan"].iter_rows(values_only=True)]
    assert rows[0] == expected[0]  # LibreOffice converts the first sheet: the plan
    header = expected[0]
    assert len(rows) == len(expected)
    for got, want in zip(rows[1:], expected[1:], strict=False):
        assert float(got[header.index("Priority")]) == pytest.approx(want[header.index("Priority")], abs=0.05)
        for column in ("Touchpoint", "Action type", "Who", "Horizon", "Status", "Touchpoint id", "What to do"):
            assert got[header.index(column)] == want[header.index(column)], column
        assert got[header.index("Due")] == want[header.index("Due")].strftime("%Y-%m-%d")
        assert int(got[header.index("Action id")]) == want[header.index("Action id")]


def test_export_with_other_crosshair_and_errors(exported: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, _, audit_id = exported
    out = tmp_path / "median.xlsx"
    assert main(["export", "--db", str(db), "--audit", audit_id, "--out", str(out), "--crosshair", "median"]) == 0
    about = {r[0]: r[1] for r in openpyxl.load_workbook(out)["About"].iter_rows(values_only=True)}
    assert about["Quadrant lines (IPA crosshair)"].startswith("Median:")
    assert main(["export", "--db", str(db), "--audit", "no-such-audit", "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "no-such-audit" in capsys.readouterr().err
    assert main(["export", "--db", str(db), "--audit", audit_id, "--out", str(tmp_path)]) == 1
    assert main(["export", "--db", str(db), "--audit", audit_id, "--out", str(tmp_path / "missing" / "x.xlsx")]) == 1
    assert not (tmp_path / "x.xlsx").exists()
