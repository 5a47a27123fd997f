"""Every bundled preset's demo: "fix now" is never scheduled later than this month."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from audit.catalog import bundled_ids
from audit.demo import create_demo
from audit.model import ActionKind, Horizon
from audit.plan import propose_plan
from audit.scoring import analyse
from audit.store import Store

TODAY = dt.date(2025, 6, 2)


@pytest.mark.parametrize("catalog_id", bundled_ids())
def test_fix_now_is_due_within_a_month_in_every_preset_demo(tmp_path: Path, catalog_id: str) -> None:
    store = Store(str(tmp_path / "demo.sqlite"))
    audit, _ = create_demo(store, catalog_id=catalog_id)
    for crosshair in ("mean", "median", "midpoint"):
        actions = propose_plan(analyse(store.load(audit.id), crosshair), today=TODAY)
        fixes = [a for a in actions if a.kind is ActionKind.FIX_NOW]
        assert fixes, f"{catalog_id}: the demo should have something to fix"
        assert all(a.horizon in (Horizon.WEEK, Horizon.MONTH) for a in fixes)
        assert all(a.due is not None and a.due <= TODAY + dt.timedelta(days=30) for a in fixes)
    store.close()
