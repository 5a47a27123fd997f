"""Importance-Performance Analysis (Martilla & James, 1977).

Every item is a point: importance on one axis, performance on the other. Two
lines (the *crosshair*) split the plane into four quadrants, and the quadrant
says what to do:

===================  ====================  =========================
importance           performance           quadrant
===================  ====================  =========================
high (>= line)       low (< line)          ``Concentrate here``
high (>= line)       high (>= line)        ``Keep up the good work``
low (< line)         low (< line)          ``Low priority``
low (< line)         high (>= line)        ``Possible overkill``
===================  ====================  =========================

An item exactly on a line counts as *high* on that axis. "Exactly" allows for
floating-point noise (a relative tolerance of 1e-9), so the item 0.2 is on the
mean line of 0.1, 0.2, 0.3 even though that mean computes to 0.20000000000000004.

Where the crosshair sits is a choice that changes decisions, so it is always
explicit: ``"mean"`` (the mean of the item values on each axis, the usual
data-centred choice), ``"median"``, ``"midpoint"`` (the middle of each scale;
needs the scale bounds) or an explicit ``(importance, performance)`` pair.
:func:`ipa_sensitivity` shows which items change quadrant between choices.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from audit.frames import frame

CONCENTRATE = "Concentrate here"
KEEP_UP = "Keep up the good work"
LOW_PRIORITY = "Low priority"
OVERKILL = "Possible overkill"
QUADRANTS = (CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL)
NOT_PLACED = "not rated yet"  # an item without importance or performance
QUADRANT_KEYS = {  # the quadrant's words in audit.i18n
    CONCENTRATE: "quadrant.concentrate",
    KEEP_UP: "quadrant.keep_up",
    LOW_PRIORITY: "quadrant.low_priority",
    OVERKILL: "quadrant.overkill",
    NOT_PLACED: "quadrant.not_placed",
}

# Scales of this product: importance 1..10, performance -1..+1.
AUDIT_BOUNDS = ((1.0, 10.0), (-1.0, 1.0))
CROSSHAIRS = ("mean", "median", "midpoint")
TOLERANCE = 1e-9

Crosshair = str | tuple[float, float] | Sequence[float]
Bounds = tuple[tuple[float, float], tuple[float, float]]


def crosshair_point(items: pd.DataFrame, crosshair: Crosshair = "mean", *, bounds: Bounds | None = None) -> tuple[float, float]:
    """Where the two lines sit: ``(importance, performance)``.

    Only items with both values count. Raises ``ValueError`` with a message a
    person can act on for an unknown choice, missing bounds, or no items.
    """
    _check_columns(items)
    return line_point(_values(items, "importance"), _values(items, "performance"), crosshair, bounds)


def _values(items: pd.DataFrame, column: str) -> np.ndarray:
    return items[column].to_numpy(dtype=float, na_value=np.nan)


def line_point(imp: np.ndarray, perf: np.ndarray, crosshair: Crosshair, bounds: Bounds | None) -> tuple[float, float]:
    """:func:`crosshair_point` of the items' importance and performance as float arrays (NaN: not given)."""
    if isinstance(crosshair, str):
        choice = crosshair.strip().lower()
        if choice == "midpoint":
            if bounds is None:
                raise ValueError("crosshair 'midpoint' needs the scale bounds, e.g. bounds=((1, 10), (-1, 1))")
            (i_low, i_high), (p_low, p_high) = bounds
            return ((float(i_low) + float(i_high)) / 2, (float(p_low) + float(p_high)) / 2)
        if choice not in ("mean", "median"):
            raise ValueError(f"unknown crosshair {crosshair!r}: use mean, median, midpoint or an (importance, performance) pair")
        placed = ~(np.isnan(imp) | np.isnan(perf))
        if not placed.any():
            raise ValueError("no item has both importance and performance: nothing to place on the IPA grid")
        middle = np.mean if choice == "mean" else np.median  # pandas' mean and median of the same values, to the bit
        return (float(middle(imp[placed])), float(middle(perf[placed])))
    try:
        imp_line, perf_line = (float(v) for v in crosshair)
    except (TypeError, ValueError):
        raise ValueError(f"crosshair must be mean, median, midpoint or an (importance, performance) pair, got {crosshair!r}") from None
    if not (math.isfinite(imp_line) and math.isfinite(perf_line)):
        raise ValueError(f"crosshair values must be finite numbers, got {crosshair!r}")
    return (imp_line, perf_line)


def ipa_quadrants(items: pd.DataFrame, crosshair: Crosshair = "mean", *, bounds: Bounds | None = None) -> pd.Series:
    """The IPA quadrant of every item (a Series on ``items.index``).

    ``items`` has numeric columns ``importance`` and ``performance`` on any
    scale. Items lacking either value get :data:`NOT_PLACED`; when no item
    can be placed, every item gets it (no error).
    """
    return pd.Series(quadrant_columns(items, (crosshair,), bounds=bounds)[0], index=items.index, name="quadrant", dtype=object)


def quadrant_columns(items: pd.DataFrame, crosshairs: Sequence[Crosshair], *, bounds: Bounds | None = None) -> list[np.ndarray]:
    """The quadrant of every item under each crosshair, as arrays (see :func:`ipa_quadrants`)."""
    _check_columns(items)
    return quadrant_arrays(_values(items, "importance"), _values(items, "performance"), crosshairs, bounds)


def quadrant_arrays(imp: np.ndarray, perf: np.ndarray, crosshairs: Sequence[Crosshair], bounds: Bounds | None) -> list[np.ndarray]:
    """:func:`quadrant_columns` of the items' importance and performance as float arrays (NaN: not given)."""
    placed = ~(np.isnan(imp) | np.isnan(perf))
    names = np.array([LOW_PRIORITY, OVERKILL, CONCENTRATE, KEEP_UP, NOT_PLACED], dtype=object)  # by code, 4: not placed
    out = []
    for crosshair in crosshairs:
        if not placed.any():
            out.append(np.full(len(imp), NOT_PLACED, dtype=object))
            continue
        line_imp, line_perf = line_point(imp, perf, crosshair, bounds)
        high_imp = imp >= line_imp - TOLERANCE * max(1.0, abs(line_imp))
        high_perf = perf >= line_perf - TOLERANCE * max(1.0, abs(line_perf))
        out.append(names[np.where(placed, 2 * high_imp + high_perf, 4)])
    return out


def ipa_sensitivity(
    items: pd.DataFrame,
    crosshairs: Sequence[Crosshair] = CROSSHAIRS,
    *,
    bounds: Bounds | None = AUDIT_BOUNDS,
) -> pd.DataFrame:
    """Each item's quadrant under every crosshair choice, and whether it changes.

    Columns: one per choice (named ``quadrant_<choice>``; a pair is named
    ``quadrant_<imp>,<perf>``) and ``changes`` (True when the item is not in
    the same quadrant under all of them). Unplaced items never "change".
    """
    if not len(crosshairs):
        nothing = pd.DataFrame(index=items.index)
        nothing["changes"] = False
        return nothing
    return frame(sensitivity_columns(crosshairs, quadrant_columns(items, crosshairs, bounds=bounds)), items.index)


def sensitivity_columns(crosshairs: Sequence[Crosshair], quadrants: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """The columns of :func:`ipa_sensitivity` from each choice's quadrants (at least one choice)."""
    columns: dict[str, np.ndarray] = {}
    for choice, column in zip(crosshairs, quadrants, strict=True):
        name = choice if isinstance(choice, str) else ",".join(f"{float(v):g}" for v in choice)
        columns[f"quadrant_{name}"] = column
    values = np.stack(list(columns.values()), axis=1)
    columns["changes"] = (values != values[:, :1]).any(axis=1)
    return columns


def _check_columns(items: pd.DataFrame) -> None:
    missing = [c for c in ("importance", "performance") if c not in items.columns]
    if missing:
        raise ValueError(f"items need numeric columns importance and performance (missing: {', '.join(missing)})")
