"""The priority score of a touchpoint (0 to 100, higher means act sooner) and the horizon of an action.

The formula, its worked example and the horizons are documented in
``docs/priority.md`` (a test reproduces the example). In short::

    base        = 50 x (importance / 10) x (1 - performance) / 2
    shoppers    = 10 x share of accepted shopper observations that were negative
    competitors =  6 x share of compared competitors that do better than us
    standard    =  6 x share of shopper measurements that missed the standard
    missing     =  8 if the team marks a must-have touchpoint as missing, else 0
    chain       = 20 x share of the journey lost at this touchpoint (0 if no chain breaks here)
    funnel      = 10 if the touchpoint is a stage with a journey funnel's largest drop, else 0

    priority    = base + shoppers + competitors + standard + missing + chain + funnel   (capped at 100)

Every part is a column of :func:`priority_parts`, so the workbook and the
plan can show how a score was made. ``few_raters`` marks touchpoints whose
team numbers rest on fewer than :data:`MIN_RATERS` raters.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from audit.model import ActionKind, Horizon

BASE_WEIGHT = 50.0
SHOPPER_WEIGHT = 10.0
COMPETITOR_WEIGHT = 6.0
STANDARD_WEIGHT = 6.0
MISSING_WEIGHT = 8.0
CHAIN_WEIGHT = 20.0
FUNNEL_WEIGHT = 10.0  # the stage of a journey's funnel with the largest drop in conversion (audit.funnel)
MUST_HAVE_IMPORTANCE = 7.0
MIDDLE_IMPORTANCE = 5.5
WEEK_FROM = 50.0
MONTH_FROM = 25.0
MIN_RATERS = 3  # a team number resting on fewer raters is marked "few raters" on screen, in the workbook and the report
PART_COLUMNS = (
    "priority_base", "priority_shoppers", "priority_competitors", "priority_standard",
    "priority_missing", "priority_chain", "priority_funnel", "missing_must_have", "few_raters", "priority",
)
# The fastest and the slowest horizon each action type may get (the priority picks within).
HORIZON_RANGE: dict[ActionKind, tuple[Horizon, Horizon]] = {
    ActionKind.FIX_NOW: (Horizon.WEEK, Horizon.MONTH),
    ActionKind.IMPROVE: (Horizon.WEEK, Horizon.QUARTER),
    ActionKind.STANDARD: (Horizon.WEEK, Horizon.QUARTER),
    ActionKind.ADD: (Horizon.MONTH, Horizon.QUARTER),
    ActionKind.RETHINK: (Horizon.MONTH, Horizon.QUARTER),
    ActionKind.AMPLIFY: (Horizon.MONTH, Horizon.QUARTER),
}
_ORDER = (Horizon.WEEK, Horizon.MONTH, Horizon.QUARTER)
DAYS = {Horizon.WEEK: 7, Horizon.MONTH: 30, Horizon.QUARTER: 90}


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return frame[column].to_numpy(dtype=float, na_value=np.nan)


def _lost_share(scores: pd.DataFrame) -> np.ndarray:
    """``chain_lost_share`` (0-1); without it, a ``breaks_chain`` flag counts as losing the whole journey."""
    if "chain_lost_share" in scores.columns:
        return np.clip(np.nan_to_num(_numbers(scores, "chain_lost_share"), nan=0.0), 0.0, 1.0)
    if "breaks_chain" in scores.columns:
        return scores["breaks_chain"].map(lambda v: bool(v) if not isinstance(v, float) else False).to_numpy(dtype=float)
    return np.zeros(len(scores))


def _flag(scores: pd.DataFrame, column: str) -> np.ndarray:
    """A yes/no column (text: yes when not empty); missing means no."""
    if column not in scores.columns:
        return np.zeros(len(scores), dtype=bool)
    return scores[column].map(lambda v: bool(v) if isinstance(v, (str, bool, np.bool_)) else False).to_numpy(dtype=bool)


def priority_parts(scores: pd.DataFrame) -> pd.DataFrame:
    """The parts of the priority and their sum, per touchpoint (see the module doc).

    Reads the columns ``importance_mean``, ``performance``, ``raters``,
    ``presence_have``, ``presence_missing``, ``presence_not_needed``,
    ``shopper_negative_share``, ``competitor_better_share``,
    ``standard_missed_share``, ``chain_lost_share`` (or a ``breaks_chain``
    flag) and ``funnel_drop`` (journeys whose funnel drops most here);
    missing columns count as "no evidence".
    """
    numbers = {name: _numbers(scores, name) for name in NUMBER_READS}
    parts = priority_columns(numbers, _lost_share(scores), _flag(scores, "funnel_drop"))
    return pd.DataFrame(parts, index=scores.index)


# The number columns :func:`priority_columns` reads (NaN: no evidence).
NUMBER_READS = ("importance_mean", "performance", "raters", "presence_have", "presence_missing", "presence_not_needed",
                "shopper_negative_share", "competitor_better_share", "standard_missed_share")


def priority_columns(numbers: Mapping[str, np.ndarray], lost_share: np.ndarray, funnel_drop: np.ndarray) -> dict[str, np.ndarray]:
    """The columns of :func:`priority_parts` from the :data:`NUMBER_READS` as float arrays, the share of a journey
    lost at each touchpoint (0-1) and whether a journey's funnel drops most there."""
    importance = numbers["importance_mean"]
    performance = numbers["performance"]
    rated = ~np.isnan(importance) | ~np.isnan(performance)
    i = np.where(np.isnan(importance), MIDDLE_IMPORTANCE, importance) / 10.0
    shortfall = (1.0 - np.where(np.isnan(performance), 0.0, performance)) / 2.0

    def share(column: str) -> np.ndarray:
        return np.clip(np.nan_to_num(numbers[column], nan=0.0), 0.0, 1.0)

    have, missing, not_needed = (np.nan_to_num(numbers[c], nan=0.0) for c in ("presence_have", "presence_missing", "presence_not_needed"))
    must_have_missing = (missing > have) & (missing > not_needed) & (np.nan_to_num(importance, nan=0.0) >= MUST_HAVE_IMPORTANCE)
    parts = {
        "priority_base": np.where(rated, BASE_WEIGHT * i * shortfall, 0.0),
        "priority_shoppers": SHOPPER_WEIGHT * share("shopper_negative_share"),
        "priority_competitors": COMPETITOR_WEIGHT * share("competitor_better_share"),
        "priority_standard": STANDARD_WEIGHT * share("standard_missed_share"),
        "priority_missing": np.where(must_have_missing, MISSING_WEIGHT, 0.0),
        "priority_chain": CHAIN_WEIGHT * lost_share,
        "priority_funnel": np.where(funnel_drop, FUNNEL_WEIGHT, 0.0),
    }
    total = np.zeros(len(importance))
    for name in PART_COLUMNS[:7]:  # added in this order, as a row sum of the seven columns adds them
        total = total + parts[name]
    return {
        **parts,
        "missing_must_have": must_have_missing,
        "few_raters": rated & (np.nan_to_num(numbers["raters"], nan=0.0) < MIN_RATERS),
        "priority": np.clip(np.round(total + 1e-9, 1), 0.0, 100.0),
    }


def horizon_for(priority: float, kind: ActionKind | None = None) -> Horizon:
    """This week from 50, this month from 25, otherwise this quarter; then kept within the action type's range.

    "Fix now" is never later than this month; adding, rethinking and
    amplifying are never "this week" (see :data:`HORIZON_RANGE`).
    """
    by_priority = Horizon.WEEK if priority >= WEEK_FROM else Horizon.MONTH if priority >= MONTH_FROM else Horizon.QUARTER
    if kind is None:
        return by_priority
    fastest, slowest = HORIZON_RANGE[kind]
    position = min(max(_ORDER.index(by_priority), _ORDER.index(fastest)), _ORDER.index(slowest))
    return _ORDER[position]
