"""Crash safety: a process killed with SIGKILL mid-stream loses no acknowledged write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audit.loadtest import setup_audit
from audit.store import Store

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys
from audit.model import Rating
from audit.store import Store
store = Store(sys.argv[1])
audit_id, people, tps = sys.argv[2], sys.argv[3].split(","), sys.argv[4].split(",")
n = 0
while True:
    person, tp = people[n % len(people)], tps[(n // len(people)) % len(tps)]
    importance = 1 + (n // (len(people) * len(tps))) % 10
    store.save_rating(Rating(audit_id, person, tp, importance=importance, reaction="neutral", comment=f"write {n}"))
    print(f"ack {n} {person} {tp} {importance}", flush=True)
    n += 1
"""


@pytest.mark.slow
def test_sigkill_during_writes_loses_no_acknowledged_rating(db_url: str) -> None:
    store = Store(db_url)
    audit_id, people, tps = setup_audit(store, writers=4, touchpoints=30)
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, db_url, audit_id, ",".join(people), ",".join(tps)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    acked: dict[tuple[str, str], tuple[int, str]] = {}
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    count = 0
    while count < 300 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        count += 1
        _, n, person, tp, importance = line.split()
        acked[(person, tp)] = (int(importance), f"write {n}")
    os.kill(proc.pid, signal.SIGKILL)
    # Read whatever was acknowledged before the kill landed.
    for line in proc.stdout:
        _, n, person, tp, importance = line.split()
        acked[(person, tp)] = (int(importance), f"write {n}")
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert count >= 300 and len(acked) == 120

    again = Store(db_url)
    assert again.integrity_ok()
    stored = {(r.participant_id, r.touchpoint_id): (r.importance, r.comment) for r in again.ratings(audit_id)}
    lost = [key for key, value in acked.items() if key not in stored]
    assert lost == []
    # A write may have committed after its ack was lost in the kill, never before: stored is the ack or newer.
    for key, (_importance, comment) in acked.items():
        stored_n = int(stored[key][1].split()[1])
        assert stored_n >= int(comment.split()[1])
    again.close()


@pytest.mark.slow
def test_sigkill_during_export_never_leaves_a_partial_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from audit.demo import create_demo

    db = str(tmp_path / "export.sqlite")
    store = Store(db)
    audit, _links = create_demo(store, catalog_id="general", raters=40, seed=2)
    store.close()
    out = tmp_path / "plan.xlsx"

    def export() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "audit", "export", "--db", db, "--audit", audit.id, "--out", str(out)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def kill_while_writing() -> None:
        proc = export()
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".plan.xlsx.*.tmp")):  # the workbook is being written
            assert proc.poll() is None, "the export finished before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    # Killed during the first export: nothing at all where the user expects the workbook.
    kill_while_writing()
    assert not out.exists()

    # A complete export, then a second one killed half-way: the first workbook is still whole.
    done = export()
    assert done.wait(timeout=300) == 0, done.stderr.read() if done.stderr else ""
    first = out.read_bytes()
    kill_while_writing()
    assert out.read_bytes() == first
    assert "Action plan" in load_workbook(out, read_only=True).sheetnames
