"""The priority score of a touchpoint: 0 to 100, higher means act sooner.

Formula (every part is a column of :func:`priority_parts`, so the workbook
and the plan can show how a score was made)::

    base       = 60 x (importance / 10) x (1 - performance) / 2
    shoppers   = 10 x share of accepted shopper observations that were negative
    competitors=  8 x share of compared competitors that do better than us
    standard   =  8 x share of shopper measurements that missed the standard
    missing    =  8 if the team marks a must-have touchpoint as missing, else 0
    chain      =  6 if a customer journey breaks at this touchpoint, else 0

    priority   = base + shoppers + competitors + standard + missing + chain

- ``importance`` is the team's mean importance (1-10), ``performance`` the
  team's mean reaction (+1 positive, 0 neutral, -1 negative). ``base`` grows
  with importance and with the shortfall in performance: importance 10 and
  every reaction negative give 60; any importance with every reaction
  positive gives 0.
- When only one of the two is rated, the missing one is taken as the middle
  of its scale (importance 5.5, performance 0). A touchpoint nobody rated has
  base 0; its outside evidence still counts.
- *Must-have missing*: more presence votes say "missing" than "have" and
  than "not needed", and the mean importance is at least 7.
- The parts add up to at most 60 + 10 + 8 + 8 + 8 + 6 = 100, so the score is
  always within 0-100; it is rounded to one decimal.

Worked example: importance 8, performance -0.5 (1 positive, 1 neutral, 4
negative), shoppers negative in 3 of 4 observations, 1 of 2 competitors
better, the standard met in 1 of 3 measurements, present, and a journey
breaks here::

    base        = 60 x 0.8 x 0.75 = 36.0
    shoppers    = 10 x 3/4        =  7.5
    competitors =  8 x 1/2        =  4.0
    standard    =  8 x 2/3        =  5.3
    missing     =                    0
    chain       =                    6.0
    priority    = 58.8  -> horizon "this week"

Horizons from the priority: 50 or more -> this week; 25 or more -> this month;
below 25 -> this quarter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit.model import Horizon

BASE_WEIGHT = 60.0
SHOPPER_WEIGHT = 10.0
COMPETITOR_WEIGHT = 8.0
STANDARD_WEIGHT = 8.0
MISSING_WEIGHT = 8.0
CHAIN_WEIGHT = 6.0
MUST_HAVE_IMPORTANCE = 7.0
MIDDLE_IMPORTANCE = 5.5
WEEK_FROM = 50.0
MONTH_FROM = 25.0
PART_COLUMNS = (
    "priority_base", "priority_shoppers", "priority_competitors", "priority_standard",
    "priority_missing", "priority_chain", "missing_must_have", "priority",
)


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return frame[column].to_numpy(dtype=float, na_value=np.nan)


def priority_parts(scores: pd.DataFrame) -> pd.DataFrame:
    """The parts of the priority and their sum, per touchpoint (see the module doc).

    Reads the columns ``importance_mean``, ``performance``,
    ``presence_have``, ``presence_missing``, ``presence_not_needed``,
    ``shopper_negative_share``, ``competitor_better_share``,
    ``standard_missed_share`` and ``breaks_chain`` (text or bool); missing
    columns count as "no evidence".
    """
    importance = _numbers(scores, "importance_mean")
    performance = _numbers(scores, "performance")
    rated = ~np.isnan(importance) | ~np.isnan(performance)
    i = np.where(np.isnan(importance), MIDDLE_IMPORTANCE, importance) / 10.0
    shortfall = (1.0 - np.where(np.isnan(performance), 0.0, performance)) / 2.0
    base = np.where(rated, BASE_WEIGHT * i * shortfall, 0.0)

    def share(column: str) -> np.ndarray:
        return np.clip(np.nan_to_num(_numbers(scores, column), nan=0.0), 0.0, 1.0)

    have, missing, not_needed = (np.nan_to_num(_numbers(scores, c), nan=0.0) for c in ("presence_have", "presence_missing", "presence_not_needed"))
    must_have_missing = (missing > have) & (missing > not_needed) & (np.nan_to_num(importance, nan=0.0) >= MUST_HAVE_IMPORTANCE)
    if "breaks_chain" in scores.columns:
        chain_flag = scores["breaks_chain"].map(lambda v: bool(v) if not isinstance(v, float) else False).to_numpy(dtype=bool)
    else:
        chain_flag = np.zeros(len(scores), dtype=bool)

    parts = pd.DataFrame(
        {
            "priority_base": base,
            "priority_shoppers": SHOPPER_WEIGHT * share("shopper_negative_share"),
            "priority_competitors": COMPETITOR_WEIGHT * share("competitor_better_share"),
            "priority_standard": STANDARD_WEIGHT * share("standard_missed_share"),
            "priority_missing": np.where(must_have_missing, MISSING_WEIGHT, 0.0),
            "priority_chain": np.where(chain_flag, CHAIN_WEIGHT, 0.0),
        },
        index=scores.index,
    )
    parts["missing_must_have"] = must_have_missing
    total = parts[list(PART_COLUMNS[:6])].sum(axis=1).to_numpy()
    parts["priority"] = np.clip(np.round(total + 1e-9, 1), 0.0, 100.0)
    return parts


def horizon_for(priority: float) -> Horizon:
    """This week from 50, this month from 25, otherwise this quarter."""
    if priority >= WEEK_FROM:
        return Horizon.WEEK
    if priority >= MONTH_FROM:
        return Horizon.MONTH
    return Horizon.QUARTER


DAYS = {Horizon.WEEK: 7, Horizon.MONTH: 30, Horizon.QUARTER: 90}
