"""The bench at scale (``python -m audit bench --scale``): 10,000 touchpoints x 100 raters = 1,000,000 ratings.

A million validated records would take more memory than the export being
measured, so the ratings are generated straight into columns
(:class:`audit.columnar.RatingTable`, what the store gives the analysis),
with the same distributions as :func:`audit.bench.synthetic_audit`. The
analysis is timed in this process; the export runs in a child process, whose
peak resident memory is reported whole and above the process after it built
the audit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from audit.columnar import RatingTable, VisitTable
from audit.model import AuditData, Participant, Role

SCALE_TOUCHPOINTS = 10_000
SCALE_RATERS = 100


def _codes(rng: np.random.Generator, lean: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Reaction codes (0 positive, 1 neutral, 2 negative) leaning with ``lean``; -1 where ``missing``."""
    weights = np.stack([lean, np.full_like(lean, 0.6), 1 - lean]) / 1.6
    u = rng.random(len(lean))
    codes = (u > weights[0]).astype(np.int64) + (u > weights[0] + weights[1])
    codes[missing] = -1
    return codes


def synthetic_columns(touchpoints: int, raters: int, observations: int = 10_000, *, seed: int = 7) -> AuditData:
    """An audit like :func:`audit.bench.synthetic_audit`, its ratings generated as columns."""
    from audit.bench import COMMENTS, synthetic_audit

    base = synthetic_audit(touchpoints, 1, observations, seed=seed)
    team = tuple(Participant(f"p{j:04d}", base.audit.id, f"Rater {j}", Role.TEAM) for j in range(raters))
    shoppers = tuple(p for p in base.participants if p.role is Role.SHOPPER)
    rng = np.random.default_rng(seed)
    n = touchpoints * raters
    tp_ids = np.array([tp.id for tp in base.catalog.touchpoints], dtype=object)
    lean = np.repeat(rng.random(touchpoints), raters)
    roll = rng.random(n)
    importance = np.clip(np.floor(rng.normal(4 + 5 * lean, 2)), 1, 10)
    importance[roll < 0.03] = np.nan
    comment = np.full(n, "", dtype=object)
    chosen = rng.random(n) < 0.08
    comment[chosen] = np.array(COMMENTS, dtype=object)[rng.integers(0, len(COMMENTS), int(chosen.sum()))]
    now = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    table = RatingTable(
        base.audit.id, np.tile(np.array([p.id for p in team], dtype=object), touchpoints), np.repeat(tp_ids, raters), importance,
        _codes(rng, lean, roll > 0.97), np.array([0, 0, 0, 1, 2, -1])[rng.integers(0, 6, n)], roll < 0.01, comment,
        np.full(n, "", dtype=object), np.ones(n, dtype=np.int64), np.full(n, now, dtype=object),
    )
    return dataclasses.replace(base, participants=team + shoppers, ratings=table, visits=VisitTable.from_records(base.visits))


def child_export(touchpoints: int, raters: int) -> dict[str, float]:
    """In a fresh process: build the audit, then the workbook; memory in MB, the export's CPU seconds."""
    import time

    from audit.bench_database import _vm
    from audit.workbook import build_workbook

    data = synthetic_columns(touchpoints, raters)
    base = _vm("VmRSS")
    started = time.process_time()
    size = len(build_workbook(data, today=dt.date(2025, 3, 1)))
    return {"cpu": time.process_time() - started, "rise_mb": max(0, _vm("VmHWM") - base) / 1024,
            "peak_mb": _vm("VmHWM") / 1024, "base_mb": base / 1024, "bytes": size}


def scale_export(touchpoints: int, raters: int) -> dict[str, Any] | None:
    """:func:`child_export` in a child process (``None`` where ``/proc`` is missing or the child fails)."""
    if not Path("/proc/self/status").exists():
        return None
    code = "import json, sys; from audit.bench_scale import child_export; print(json.dumps(child_export(int(sys.argv[1]), int(sys.argv[2]))))"
    done = subprocess.run([sys.executable, "-c", code, str(touchpoints), str(raters)], capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parent.parent, env=dict(os.environ))
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def scale_bench(repeat: int, touchpoints: int = SCALE_TOUCHPOINTS, raters: int = SCALE_RATERS) -> list[list[str]]:
    """The analysis at scale against the bare groupby floor, and the export's memory; prints and returns the rows."""
    import pandas as pd

    from audit.bench import markdown, paired, run_analysis

    print(f"scale: {touchpoints} touchpoints x {raters} raters = {touchpoints * raters} ratings, generated as columns ...", flush=True)
    data = synthetic_columns(touchpoints, raters)
    table = data.ratings
    assert isinstance(table, RatingTable)
    frame = pd.DataFrame({"touchpoint_id": table.touchpoint_id, "importance": table.importance})
    analysis, floor = paired(lambda: run_analysis(data), lambda: frame.groupby("touchpoint_id")["importance"].mean(), repeat)
    rows = [[f"scale: analysis of {len(table)} ratings", f"{analysis.cpu:.3f} s", f"{floor.cpu:.3f} s",
             "one groupby mean on a ready DataFrame", f"{analysis.cpu / max(floor.cpu, 1e-9):.1f}x", "<= 0.6 s",
             "yes" if analysis.cpu <= 0.6 else "NO"]]
    print("scale: the whole workbook export in a child process ...", flush=True)
    export = scale_export(touchpoints, raters)
    if export is not None:
        rows.append([f"scale: workbook export of {len(table)} ratings, peak memory", f"{export['peak_mb']:.0f} MB",
                     f"{export['base_mb']:.0f} MB", f"the process with the audit built (export: +{export['rise_mb']:.0f} MB, "
                     f"{export['cpu']:.0f} s CPU)", "", "<= 400 MB", "yes" if export["peak_mb"] <= 400 else "NO"])
    print(markdown(["measurement", "median (CPU)", "floor", "floor is", "ratio", "target", "met"], rows))
    return rows
