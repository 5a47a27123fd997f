"""``python -m audit export --format ics|csv-jira|csv-asana``: the plan for calendars and trackers from the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from handoff_world import planned
from icalendar import Calendar

from audit.cli import main
from audit.store import Store


@pytest.fixture
def audit_db(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "cli.sqlite"
    store = Store(str(db))
    audit_id, _ = planned(store, 5)
    store.close()
    return db, audit_id


def test_export_writes_a_calendar_that_imports_back(audit_db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, audit_id = audit_db
    out = tmp_path / "plan.ics"
    assert main(["export", "--db", str(db), "--audit", audit_id, "--format", "ics", "--out", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    first = [str(e["uid"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")]
    assert len(first) == 5
    assert main(["export", "--db", str(db), "--audit", audit_id, "--format", "ics", "--out", str(out)]) == 0
    assert [str(e["uid"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")] == first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@pytest.mark.parametrize("fmt, header", [
    ("csv-jira", ["Summary", "Description", "Assignee", "Due date", "Priority", "Labels"]),
    ("csv-asana", ["Name", "Description", "Assignee", "Due Date", "Section"]),
])
def test_export_writes_tracker_csvs(audit_db: tuple[Path, str], tmp_path: Path, fmt: str, header: list[str]) -> None:
    db, audit_id = audit_db
    out = tmp_path / f"{fmt}.csv"
    assert main(["export", "--db", str(db), "--audit", audit_id, "--format", fmt, "--out", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == header and len(rows) == 6


def test_xlsx_stays_the_default_and_a_plan_is_needed_for_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from handoff_world import catalog

    db = tmp_path / "empty.sqlite"
    store = Store(str(db))
    audit, _ = store.create_audit("No plan yet", catalog(3))
    store.close()
    assert main(["export", "--db", str(db), "--audit", audit.id, "--format", "ics", "--out", str(tmp_path / "x.ics")]) == 1
    assert "no stored plan yet" in capsys.readouterr().err and not (tmp_path / "x.ics").exists()
    assert main(["export", "--db", str(db), "--audit", audit.id, "--out", str(tmp_path / "x.xlsx")]) == 0
    assert (tmp_path / "x.xlsx").read_bytes()[:2] == b"PK"
