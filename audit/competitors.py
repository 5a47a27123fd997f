"""Us next to each competitor, touchpoint by touchpoint (no Streamlit here).

Built from an :class:`~audit.scoring.Analysis`, so the page, the workbook and
the plan read the same numbers:

- *evidence about a competitor* at a touchpoint: a team note (better / same /
  worse than us, the reaction met there, what to borrow) or accepted shopper
  observations at that competitor;
- *evidence about us*: accepted shopper observations at our business (the
  team's own rating is shown next to it, but alone it does not put a
  touchpoint in the comparison, or every rated touchpoint would be listed);
- the side-by-side table lists the touchpoints where either side has such
  evidence, in catalog order; each competitor's cell is the comparison of
  :func:`audit.evidence.competitor_gaps` (a note first, else shopper visits
  to both) and their shopper performance (-1..+1);
- *where we lose*: every (touchpoint, competitor) compared as ``better``
  (they do better than us), most important touchpoint first; *where we win*:
  every one compared as ``worse``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from audit.frames import frame
from audit.languages import text_column
from audit.model import VisitStatus
from audit.scoring import Analysis

SIDE_COLUMNS = ("touchpoint_id", "name", "category", "importance", "team_performance", "shopper_performance", "shopper_n")


@dataclass(frozen=True)
class Gap:
    """One (touchpoint, competitor) pair where one side does better."""

    touchpoint_id: str
    name: str
    competitor: str
    source: str  # "note" or "shoppers"
    importance: float | None
    borrow: str
    reaction: str


@dataclass(frozen=True)
class SideBySide:
    competitors: tuple[str, ...]
    table: pd.DataFrame  # SIDE_COLUMNS + per competitor: "vs:<name>", "source:<name>", "shoppers:<name>", "borrow:<name>"
    lose: tuple[Gap, ...]
    win: tuple[Gap, ...]


def competitor_performance(analysis: Analysis) -> pd.DataFrame:
    """Accepted shopper observations at competitors: ``touchpoint_id``, ``competitor``, ``n``, ``performance``."""
    obs = analysis.observations
    at_them = obs[(obs["status"] == VisitStatus.ACCEPTED.value) & (obs["target"] != "")]
    if not len(at_them):
        return pd.DataFrame({"touchpoint_id": pd.Series(dtype=object), "competitor": pd.Series(dtype=object),
                             "n": pd.Series(dtype=np.int64), "performance": pd.Series(dtype=float)})
    grouped = at_them.assign(score=at_them["score"].astype(float)).groupby(["touchpoint_id", "target"], sort=False)["score"]
    out = grouped.agg(["size", "mean"]).reset_index()
    return frame({"touchpoint_id": out["touchpoint_id"].to_numpy(dtype=object), "competitor": out["target"].to_numpy(dtype=object),
                  "n": out["size"].to_numpy(dtype=np.int64), "performance": out["mean"].to_numpy(dtype=float)})


def _competitor_names(analysis: Analysis, gaps: pd.DataFrame, theirs: pd.DataFrame) -> list[str]:
    names = list(analysis.data.audit.competitors)
    for extra in list(gaps["competitor"]) + list(theirs["competitor"]):
        if extra not in names:
            names.append(extra)  # a note or visit of a competitor renamed later is still shown
    return names


def _placed(where: pd.Index, rows: pd.DataFrame, column: str, empty: object, dtype: object) -> np.ndarray:
    """``rows[column]`` placed at its touchpoints' positions in ``where`` (``empty`` elsewhere)."""
    out = np.full(len(where), empty, dtype=dtype)  # type: ignore[call-overload]
    at = where.get_indexer(rows["touchpoint_id"].to_numpy(dtype=object)) if len(rows) else np.zeros(0, dtype=np.int64)
    ok = at >= 0
    out[at[ok]] = rows[column].to_numpy(dtype=dtype)[ok]
    return out


def _comparison_table(scores: pd.DataFrame, gaps: pd.DataFrame, theirs: pd.DataFrame, names: list[str], language: str) -> pd.DataFrame:
    about_them = set(gaps["touchpoint_id"]) | set(theirs["touchpoint_id"])
    shopper_n = scores["shopper_n"].to_numpy() if "shopper_n" in scores else np.zeros(len(scores), dtype=np.int64)
    about_us = set(scores.index[shopper_n > 0])
    keep = [tp for tp in scores.index if tp in about_them or tp in about_us]
    rows = scores.loc[keep]
    columns: dict[str, object] = {
        "touchpoint_id": np.array(keep, dtype=object),
        "name": rows[text_column("name", language)].to_numpy(dtype=object),
        "category": rows["category"].to_numpy(dtype=object),
        "importance": rows["importance_mean"].to_numpy(dtype=float),
        "team_performance": rows["performance"].to_numpy(dtype=float),
        "shopper_performance": rows["shopper_performance"].to_numpy(dtype=float),
        "shopper_n": rows["shopper_n"].to_numpy(dtype=np.int64),
    }
    where = pd.Index(keep, dtype=object)
    for name in names:
        mine, seen = gaps[gaps["competitor"] == name], theirs[theirs["competitor"] == name]
        columns[f"vs:{name}"] = _placed(where, mine, "versus", "", object)
        columns[f"source:{name}"] = _placed(where, mine, "source", "", object)
        columns[f"shoppers:{name}"] = _placed(where, seen, "performance", np.nan, float)
        columns[f"borrow:{name}"] = _placed(where, mine, "borrow", "", object)
    return frame(columns)


def _gaps_listed(scores: pd.DataFrame, gaps: pd.DataFrame, versus: str, language: str) -> tuple[Gap, ...]:
    """The gaps of one kind ("better" / "worse"), most important touchpoint first."""
    importance = scores["importance_mean"]
    label = scores[text_column("name", language)]
    items = []
    for r in gaps[gaps["versus"] == versus].itertuples(index=False):
        if r.touchpoint_id not in scores.index:
            continue
        value = importance.get(r.touchpoint_id)
        items.append(Gap(r.touchpoint_id, str(label[r.touchpoint_id]), r.competitor, r.source,
                         None if value is None or pd.isna(value) else float(value), r.borrow or "", r.reaction or ""))
    order = {tp: i for i, tp in enumerate(scores.index)}
    return tuple(sorted(items, key=lambda g: (-(g.importance if g.importance is not None else -1), order[g.touchpoint_id], g.competitor)))


def side_by_side(analysis: Analysis) -> SideBySide:
    """The comparison table and the "where we lose" / "where we win" lists (see the module doc)."""
    language = analysis.data.audit.language
    scores, gaps = analysis.scores, analysis.competitor_gaps
    theirs = competitor_performance(analysis)
    names = _competitor_names(analysis, gaps, theirs)
    table = _comparison_table(scores, gaps, theirs, names, language)
    return SideBySide(tuple(names), table, _gaps_listed(scores, gaps, "better", language), _gaps_listed(scores, gaps, "worse", language))
