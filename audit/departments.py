"""Colleagues in different jobs: where the departments of the room judge a touchpoint differently.

The method asks for a team of people from different jobs because each sees
other touchpoints and sees them differently. A person may pick a department
when joining (the audit's list; :data:`audit.model.DEFAULT_DEPARTMENTS` by
default). Per touchpoint and department this module takes the mean
importance (1-10) and the mean reaction (+1 / 0 / -1) of that department's
votes (not-applicable answers are not votes), and per touchpoint the gap
between the departments at the two ends:

- ``importance_gap`` = highest department mean importance - lowest (0-9);
- ``reaction_gap`` = highest department mean reaction - lowest (0-2);
- ``gap`` (0-1) = the mean of ``importance_gap / 9`` and ``reaction_gap / 2``
  over the parts that at least two departments voted on.

A touchpoint is compared once two departments have voted on it; people who
picked no department are left out here (they still count everywhere else).
The team's disagreement score (:mod:`audit.scoring`) is not changed by this.
No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from audit.columnar import RatingTable
from audit.frames import frame
from audit.i18n import t
from audit.model import DEFAULT_DEPARTMENTS, AuditData, parse_departments

MAX_IMPORTANCE_GAP = 9.0  # 10 - 1
MAX_REACTION_GAP = 2.0  # +1 - (-1)
MEANS_COLUMNS = ("touchpoint_id", "department", "raters", "importance_n", "importance_mean", "reaction_n", "performance")
GAP_COLUMNS = (
    "touchpoint_id", "departments", "importance_gap", "reaction_gap", "gap",
    "importance_high", "importance_high_mean", "importance_low", "importance_low_mean",
    "reaction_high", "reaction_high_mean", "reaction_low", "reaction_low_mean",
)


def department_label(name: str, lang: str) -> str:
    """A department as people read it: the default ones translated, the owner's own names as typed."""
    return t(f"department.{name}", lang) if name in DEFAULT_DEPARTMENTS else name


def departments_from_text(text: str, lang: str) -> tuple[str, ...]:
    """The owner's list, one department per line; a line that names a default department (in any language) is that key."""
    known = {department_label(key, code).casefold(): key for key in DEFAULT_DEPARTMENTS for code in ("en", "ru", "pl", lang)}
    known |= {key: key for key in DEFAULT_DEPARTMENTS}
    names = parse_departments(text)
    return parse_departments([known.get(n.casefold(), n) for n in names])


def department_means(data: AuditData) -> pd.DataFrame:
    """One row per (touchpoint, department) with votes: raters, mean importance, mean reaction (:data:`MEANS_COLUMNS`)."""
    of = {p.id: p.department for p in data.participants if p.department}
    if not of:  # nobody said their department
        return pd.DataFrame({c: [] for c in MEANS_COLUMNS})
    known = {tp.id: i for i, tp in enumerate(data.catalog.touchpoints)}
    table = RatingTable.of(data.ratings)  # columns: no record per rating
    person, people = pd.factorize(table.participant_id) if len(table) else (np.zeros(0, dtype=np.int64), [])
    department = np.array([of.get(p, "") for p in people] + [""], dtype=object)[person]
    catalog = pd.Index(list(known), dtype=object)
    keep = ~table.not_applicable & (department != "") & (table.touchpoint_positions(catalog) >= 0)
    if not keep.any():
        return pd.DataFrame({c: [] for c in MEANS_COLUMNS})
    long = pd.DataFrame({
        "touchpoint_id": table.touchpoint_id[keep],
        "department": department[keep],
        "importance": table.importance[keep],
        "reaction": np.array((1.0, 0.0, -1.0, np.nan))[table.reaction[keep]],  # codes 0-2, -1: none
    })
    grouped = long.groupby(["touchpoint_id", "department"], sort=False)
    out = pd.DataFrame({
        "raters": grouped.size(),
        "importance_n": grouped["importance"].count(),
        "importance_mean": grouped["importance"].mean(),
        "reaction_n": grouped["reaction"].count(),
        "performance": grouped["reaction"].mean(),
    }).reset_index()
    order = out["touchpoint_id"].map(known).to_numpy()
    return out.iloc[np.lexsort((out["department"].to_numpy(dtype=str), order))].reset_index(drop=True)[list(MEANS_COLUMNS)]


def _ends(means: pd.DataFrame, value: str, count: str) -> pd.DataFrame:
    """Per touchpoint: the departments with the highest and the lowest mean of ``value`` (ties: first in name order)."""
    voted = means[means[count] > 0].sort_values(["touchpoint_id", "department"], kind="stable")
    if voted.empty:
        return pd.DataFrame(columns=["high", "high_mean", "low", "low_mean", "voters"])
    groups = voted.groupby("touchpoint_id", sort=False)[value]
    high, low = voted.loc[groups.idxmax()], voted.loc[groups.idxmin()]
    return pd.DataFrame({
        "high": high.set_index("touchpoint_id")["department"], "high_mean": high.set_index("touchpoint_id")[value],
        "low": low.set_index("touchpoint_id")["department"], "low_mean": low.set_index("touchpoint_id")[value],
        "voters": groups.size(),
    })


def department_gaps(data: AuditData, means: pd.DataFrame | None = None) -> pd.DataFrame:
    """Touchpoints that at least two departments voted on, largest ``gap`` first (columns :data:`GAP_COLUMNS`)."""
    means = department_means(data) if means is None else means
    importance, reaction = _ends(means, "importance_mean", "importance_n"), _ends(means, "performance", "reaction_n")
    ids = [tp.id for tp in data.catalog.touchpoints]
    both = pd.DataFrame(index=pd.Index(ids, name="touchpoint_id", dtype=object))
    for name, ends, top in (("importance", importance, MAX_IMPORTANCE_GAP), ("reaction", reaction, MAX_REACTION_GAP)):
        ends = ends.reindex(both.index)
        compared = ends["voters"].fillna(0).to_numpy() >= 2
        gap = np.where(compared, ends["high_mean"].to_numpy(dtype=float) - ends["low_mean"].to_numpy(dtype=float), np.nan)
        both[f"{name}_gap"] = gap
        both[f"_{name}_part"] = gap / top
        for end in ("high", "low"):
            both[f"{name}_{end}"] = np.where(compared, ends[end].to_numpy(dtype=object), None)
            both[f"{name}_{end}_mean"] = np.where(compared, ends[f"{end}_mean"].to_numpy(dtype=float), np.nan)
    parts = both[["_importance_part", "_reaction_part"]].to_numpy(dtype=float)
    has = ~np.isnan(parts)
    both["gap"] = np.where(has.any(axis=1), np.where(has, parts, 0).sum(axis=1) / np.maximum(has.sum(axis=1), 1), np.nan)
    counts = means.groupby("touchpoint_id", sort=False)["department"].nunique() if len(means) else pd.Series(dtype=int)
    both["departments"] = counts.reindex(both.index).fillna(0).astype(int).to_numpy()
    both["_order"] = np.arange(len(both))
    shown = both[both["gap"].notna().to_numpy()].sort_values(["gap", "_order"], ascending=[False, True], kind="stable")
    return frame({c: shown[c].to_numpy() if c != "touchpoint_id" else shown.index.to_numpy(dtype=object) for c in GAP_COLUMNS})


def departments_in(people: Iterable[object]) -> list[str]:
    """The departments people picked, in the order first picked."""
    return list(dict.fromkeys(d for d in (getattr(p, "department", "") for p in people) if d))


def department_matrix(means: pd.DataFrame, ids: Sequence[str], departments: Sequence[str], value: str) -> pd.DataFrame:
    """Touchpoints (rows, in ``ids`` order) x departments: the mean ``value`` (``importance_mean`` or ``performance``)."""
    wide = means.pivot(index="touchpoint_id", columns="department", values=value) if len(means) else pd.DataFrame()
    return wide.reindex(index=pd.Index(list(ids), dtype=object), columns=pd.Index(list(departments), dtype=object))
