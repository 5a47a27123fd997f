"""Audit waves: audit again later, with the same catalog copy, and see what changed.

A wave is one round of ratings, shopper visits and competitor notes. Starting
a new wave (:func:`next_wave`) keeps the audit's catalog copy, its links and
its plan; the new wave's ratings, visits and notes start empty (they are
stored per wave, so the earlier waves stay as they were).

:func:`compare_waves` puts two analysed waves side by side, per touchpoint:
performance before and after, the change, and the IPA quadrant before and
after. Both waves are placed on **one fixed crosshair** (:func:`wave_lines`):
the earlier wave's lines (where its crosshair choice put them: its mean, its
median, or the scale midpoint) or the scale midpoint. A mean moves from wave
to wave; with the lines fixed, a quadrant change means the touchpoint itself
moved. :func:`done_not_improved` lists the plan actions marked done whose
touchpoint did not improve: the work did not reach the customer, or the
touchpoint was not rated again.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from audit.frames import frame
from audit.ipa import AUDIT_BOUNDS, NOT_PLACED, crosshair_point, ipa_quadrants
from audit.languages import text_column
from audit.model import Action, ActionStatus, Audit
from audit.scoring import Analysis

COLUMNS = (
    "name", "category", "importance_before", "importance_after", "performance_before", "performance_after", "change",
    "quadrant_before", "quadrant_after", "moved", "improved",
)
NOT_IMPROVED = "no improvement"
NOT_RATED_AGAIN = "not rated in the later wave"
NOT_RATED_BEFORE = "not rated in the earlier wave"
ANCHORS = ("first", "midpoint")  # where the fixed lines of a wave comparison sit: the earlier wave's, or the scale midpoint


def next_wave(audit: Audit) -> Audit:
    """The audit in its next wave (the record only; the store writes it)."""
    return dataclasses.replace(audit, wave=audit.wave + 1)


def wave_lines(before: Analysis, anchor: str = "first") -> tuple[tuple[float, float], str]:
    """The fixed crosshair of a comparison and what it is: ``((importance, performance), "first" | "midpoint")``.

    ``first``: where the earlier wave's own crosshair sits (its choice: mean,
    median or midpoint); when the earlier wave placed nothing, the scale
    midpoint is used instead and the returned anchor says so.
    """
    if anchor == "first" and before.crosshair_point is not None:
        return before.crosshair_point, "first"
    return crosshair_point(pd.DataFrame({"importance": [], "performance": []}), "midpoint", bounds=AUDIT_BOUNDS), "midpoint"


def _placed(scores: pd.DataFrame, lines: tuple[float, float]) -> np.ndarray:
    items = pd.DataFrame({"importance": scores["importance_mean"], "performance": scores["performance"]})
    return ipa_quadrants(items, lines).fillna(NOT_PLACED).to_numpy(dtype=object)


def compare_waves(before: Analysis, after: Analysis, anchor: str = "first") -> pd.DataFrame:
    """Per touchpoint of the later wave's catalog: performance and quadrant in both waves, on one fixed crosshair.

    ``change`` is ``performance_after - performance_before`` (NaN when either
    wave has no reaction votes); ``moved`` is True when the touchpoint is
    placed in both waves and its quadrant differs; ``improved`` is True when
    the change is positive. Both quadrants use the lines of
    :func:`wave_lines` (``anchor``: ``first`` or ``midpoint``); the table's
    ``attrs`` say where they sit (``lines``) and which they are (``anchor``).
    """
    language = after.data.audit.language
    lines, used = wave_lines(before, anchor)
    later, earlier = after.scores, before.scores.reindex(after.scores.index)
    perf_before = earlier["performance"].to_numpy(dtype=float, na_value=np.nan)
    perf_after = later["performance"].to_numpy(dtype=float, na_value=np.nan)
    change = perf_after - perf_before
    q_before = _placed(earlier, lines)
    q_after = _placed(later, lines)
    placed = (q_before != NOT_PLACED) & (q_after != NOT_PLACED)
    with np.errstate(invalid="ignore"):
        improved = np.nan_to_num(change, nan=0.0) > 0
    table = frame(
        {
            "name": later[text_column("name", language)].to_numpy(dtype=object),
            "category": later["category"].to_numpy(dtype=object),
            "importance_before": earlier["importance_mean"].to_numpy(dtype=float, na_value=np.nan),
            "importance_after": later["importance_mean"].to_numpy(dtype=float, na_value=np.nan),
            "performance_before": perf_before,
            "performance_after": perf_after,
            "change": change,
            "quadrant_before": q_before,
            "quadrant_after": q_after,
            "moved": placed & (q_before != q_after),
            "improved": improved & ~np.isnan(change),
        },
        later.index,
    )
    table.attrs.update(lines=lines, anchor=used, crosshair=before.crosshair)
    return table


def moved(comparison: pd.DataFrame) -> pd.DataFrame:
    """Only the touchpoints that changed quadrant between the waves."""
    return comparison[comparison["moved"].to_numpy(dtype=bool)]


def done_not_improved(comparison: pd.DataFrame, actions: list[Action] | tuple[Action, ...]) -> pd.DataFrame:
    """Actions marked done whose touchpoint did not improve between the waves.

    Columns: ``action_id``, ``touchpoint_id``, ``name``, ``what``, ``owner``,
    ``performance_before``, ``performance_after``, ``change`` and ``reason``
    (:data:`NOT_IMPROVED`, :data:`NOT_RATED_AGAIN` or :data:`NOT_RATED_BEFORE`).
    """
    rows = []
    for action in actions:
        if action.status is not ActionStatus.DONE:
            continue
        if action.touchpoint_id in comparison.index:
            row = comparison.loc[action.touchpoint_id]
            before, after, change = float(row["performance_before"]), float(row["performance_after"]), float(row["change"])
            name = row["name"]
        else:
            before = after = change = float("nan")
            name = action.touchpoint_id
        if not np.isnan(change) and change > 0:
            continue
        reason = NOT_RATED_AGAIN if np.isnan(after) else NOT_RATED_BEFORE if np.isnan(before) else NOT_IMPROVED
        rows.append({
            "action_id": action.id, "touchpoint_id": action.touchpoint_id, "name": name, "what": action.what,
            "owner": action.owner, "performance_before": before, "performance_after": after, "change": change, "reason": reason,
        })
    columns = ["action_id", "touchpoint_id", "name", "what", "owner", "performance_before", "performance_after", "change", "reason"]
    return pd.DataFrame(rows, columns=columns)
