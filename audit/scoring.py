"""Scores of an audit: what the team said, per touchpoint, category and stage.

:func:`aggregate` turns every rating of one audit wave into one row per
touchpoint of the audit's catalog (catalog order, index ``touchpoint_id``).
:func:`analyse` adds the outside evidence (shopper visits, competitors,
standards), the IPA quadrant, chains, channel economics and the priority
score, and returns everything the plan and the workbook need.

Counting rules
--------------
- A rating marked *not applicable* is not a vote; it is counted in
  ``not_applicable`` only.
- Any other rating votes only with the parts it has: a rating with an
  importance but no reaction counts for importance and not for performance.
  ``importance_n`` and ``reaction_n`` say how many votes each part has;
  ``raters`` counts the ratings that carry at least one of importance,
  reaction or presence.
- Ratings of touchpoints that are not in the audit's catalog are ignored.

Per touchpoint
--------------
- ``importance_mean``, ``importance_median``, ``importance_std`` (population
  standard deviation, so one rater gives 0) of the 1-10 importances.
- ``positive``, ``neutral``, ``negative``: reaction votes; ``performance`` is
  their mean with positive = +1, neutral = 0, negative = -1 (from -1 to +1).
- ``majority_reaction``: the reaction with strictly more votes than each other
  one; ``None`` on a tie or without votes.
- ``reaction_dissent``: share of reaction voters who differ from the most
  common reaction, ``1 - top votes / reaction votes`` (0 to 2/3); a tie of two
  reactions with 2 votes each gives 0.5.
- ``disagreement`` (0 to 1), for "discuss first": the mean of
  ``importance_std / 4.5`` (4.5 is the largest standard deviation possible on
  a 1-10 scale) and ``reaction_dissent / (2/3)`` (2/3 is the largest dissent
  possible with three reactions), using the parts that have votes. 0 means
  everyone agrees; 1 means the team is split as far as the scales allow.
- ``rated``: at least one importance or reaction vote.
Numbers that need votes are NaN when there are none (check ``rated``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from audit.chains import chain_summary, link_columns, link_frame
from audit.columnar import REACTION_VALUES, RatingTable, VisitTable
from audit.economics import channel_economics
from audit.evidence import (
    competitor_columns,
    competitor_matrix,
    gap_columns,
    majority_labels,
    observation_columns,
    shopper_columns,
    standard_columns,
)
from audit.frames import frame, pick, position_map, positions
from audit.funnel import drop_touchpoints, funnel_table
from audit.ipa import (
    AUDIT_BOUNDS,
    CROSSHAIRS,
    NOT_PLACED,
    Bounds,
    Crosshair,
    crosshair_point,
    ipa_quadrants,
    ipa_sensitivity,
    line_point,
    quadrant_arrays,
    sensitivity_columns,
)
from audit.languages import text_column
from audit.model import AuditData, Catalog, Category, Stage, VisitStatus
from audit.priority import NUMBER_READS, priority_columns
from audit.touchpoint_table import touchpoint_columns

__all__ = [
    "VIEWS",
    "Analysis",
    "aggregate",
    "analyse",
    "crosshair_point",
    "disagreement_list",
    "disagreement_order",
    "ipa_positions",
    "ipa_quadrants",
    "ipa_sensitivity",
    "rating_columns",
    "summarise",
    "vote_stats",
]

REACTIONS = REACTION_VALUES  # column order; code 0, 1, 2
PRESENCES = ("presence_have", "presence_missing", "presence_not_needed")
MAX_IMPORTANCE_STD = 4.5
MAX_REACTION_DISSENT = 2 / 3
NO_STAGE = "unspecified"
VIEWS = ("team", "shoppers", "both")  # the IPA's performance axis: the team's reactions, the shoppers', or both (arrows)


@dataclass(frozen=True, slots=True)
class RatingColumns:
    """The ratings of an audit as aligned numpy arrays (one entry per rating).

    ``touchpoint`` is the position in the catalog (-1: not in the catalog);
    ``reaction`` and ``presence`` are codes 0, 1, 2 in the order of
    :data:`REACTIONS` / :data:`PRESENCES` (-1: not given); ``commented``, when
    known, says which ratings have a non-empty comment.
    """

    touchpoint: np.ndarray
    importance: np.ndarray
    reaction: np.ndarray
    presence: np.ndarray
    not_applicable: np.ndarray
    comment: np.ndarray
    commented: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.touchpoint)


def catalog_index(catalog: Catalog) -> pd.Index:
    return pd.Index([tp.id for tp in catalog.touchpoints], name="touchpoint_id", dtype=object)


def rating_columns(data: AuditData, index: pd.Index | Mapping[str, int] | None = None) -> RatingColumns:
    """The ratings as arrays with catalog positions (:class:`audit.columnar.RatingTable`: loaded ratings
    already are columns; records are read once, one C-level ``map`` per field). ``index``: the catalog's
    index or its :func:`audit.frames.position_map`."""
    index = catalog_index(data.catalog) if index is None else index
    table = RatingTable.of(data.ratings)
    if not len(table):
        empty = np.zeros(0, dtype=np.int64)
        return RatingColumns(empty, np.zeros(0), empty, empty, np.zeros(0, dtype=bool), np.zeros(0, dtype=object))
    return RatingColumns(
        touchpoint=table.touchpoint_positions(index),
        importance=table.importance,
        reaction=table.reaction,
        presence=table.presence,
        not_applicable=table.not_applicable,
        comment=table.comment,
        commented=table.commented,
    )


def touchpoint_frame(catalog: Catalog, index: pd.Index | None = None) -> pd.DataFrame:
    """Names and attributes of the catalog's touchpoints, one row each."""
    return frame(touchpoint_columns(catalog), catalog_index(catalog) if index is None else index)


def vote_counts(cols: RatingColumns, n_tp: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per touchpoint position: the histogram of importances 1-10, the reaction and presence votes (columns in
    the order of :data:`REACTIONS` / :data:`PRESENCES`), the raters and the not-applicable marks.

    Each is one ``bincount`` of a code per rating; a rating that does not count there is counted in an extra
    row ``n_tp`` that is dropped (no rating is picked out by a mask: arithmetic on whole columns is cheaper).
    """
    known = cols.touchpoint >= 0
    row = np.where(known & ~cols.not_applicable, cols.touchpoint, n_tp)
    level = np.rint(cols.importance)
    np.clip(level, 1, 10, out=level)
    level[np.isnan(level)] = 0  # none
    level = level.astype(np.int64)
    parts = (cols.reaction + 1) * 4 + (cols.presence + 1)  # reaction and presence, each 0 when not given

    def counts(code: np.ndarray, width: int) -> np.ndarray:
        return np.bincount(row * width + code, minlength=(n_tp + 1) * width).reshape(n_tp + 1, width)[:n_tp]

    both = counts(parts, 16).reshape(n_tp, 4, 4)
    raters = np.bincount(np.where((level + parts) > 0, row, n_tp), minlength=n_tp + 1)[:n_tp]
    not_applicable = np.bincount(cols.touchpoint[known & cols.not_applicable], minlength=n_tp)  # few: picked out
    return counts(level, 11)[:, 1:], both.sum(axis=2)[:, 1:], both.sum(axis=1)[:, 1:], raters, not_applicable


def vote_stats(cols: RatingColumns, n_tp: int) -> dict[str, np.ndarray]:
    """The team's votes per touchpoint position as numpy arrays (the numbers of :func:`aggregate`)."""
    hist, reactions, presence, raters, not_applicable = vote_counts(cols, n_tp)
    # Importance from a histogram of the ten possible values: exact and fast.
    levels = np.arange(1, 11, dtype=float)
    imp_n = hist.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        imp_mean = hist @ levels / imp_n
        imp_var = (hist * (levels[None, :] - imp_mean[:, None]) ** 2).sum(axis=1) / imp_n
    cum = hist.cumsum(axis=1)
    low = (cum > ((imp_n - 1) // 2)[:, None]).argmax(axis=1) + 1
    high = (cum > (imp_n // 2)[:, None]).argmax(axis=1) + 1
    imp_median = np.where(imp_n > 0, (low + high) / 2, np.nan)
    imp_std = np.sqrt(np.clip(imp_var, 0, None))

    reaction_n = reactions.sum(axis=1)
    top = reactions.max(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        performance = (reactions[:, 0] - reactions[:, 2]) / reaction_n
        dissent = 1 - top / reaction_n

    spread = imp_std / MAX_IMPORTANCE_STD
    parts = np.vstack([spread, dissent / MAX_REACTION_DISSENT])
    present = ~np.isnan(parts)
    count = present.sum(axis=0)
    disagreement = np.where(count > 0, np.where(present, parts, 0).sum(axis=0) / np.maximum(count, 1), np.nan)
    return {
        "raters": raters,
        "importance_n": imp_n,
        "importance_mean": imp_mean,
        "importance_median": imp_median,
        "importance_std": imp_std,
        "reaction_n": reaction_n,
        "positive": reactions[:, 0],
        "neutral": reactions[:, 1],
        "negative": reactions[:, 2],
        "performance": performance,
        "majority_reaction": majority_labels(reactions, REACTIONS),
        "reaction_dissent": dissent,
        "presence_have": presence[:, 0],
        "presence_missing": presence[:, 1],
        "presence_not_needed": presence[:, 2],
        "not_applicable": not_applicable,
        "importance_spread": spread,
        "disagreement": np.clip(disagreement, 0, 1),
        "rated": (imp_n > 0) | (reaction_n > 0),
    }


def aggregate(data: AuditData, columns: RatingColumns | None = None) -> pd.DataFrame:
    """One row per catalog touchpoint with the team's votes (see the module doc)."""
    index = catalog_index(data.catalog)
    cols = rating_columns(data, index) if columns is None else columns
    return frame({**touchpoint_columns(data.catalog), **vote_stats(cols, len(index))}, index)


def disagreement_order(raters: np.ndarray, disagreement: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` most disputed touchpoints (see :func:`disagreement_list`)."""
    chosen = np.flatnonzero((raters >= 2) & (np.nan_to_num(disagreement, nan=0.0) > 0))
    order = np.lexsort((chosen, -raters[chosen], -disagreement[chosen].astype(float)))
    return chosen[order[: max(n, 0)]]


def disagreement_list(agg: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` touchpoints the team disagrees on most ("discuss these first").

    Only touchpoints with at least two voters and some disagreement; ties are
    broken by more voters first, then catalog order.
    """
    return agg.iloc[disagreement_order(agg["raters"].to_numpy(), agg["disagreement"].to_numpy(dtype=float), n)]


def summarise(scores: pd.DataFrame, by: str = "category") -> pd.DataFrame:
    """Per category (``by="category"``) or journey stage (``by="stage"``).

    A touchpoint of several stages counts in each; one without a stage is
    under ``unspecified``. Columns: ``touchpoints``, ``rated``,
    ``importance_mean`` and ``performance`` (means of the touchpoints' own
    values, each touchpoint weighing the same, NaN when none is rated),
    reaction vote totals, ``negative_share`` (negative votes / reaction
    votes), mean ``disagreement``, and ``concentrate`` (touchpoints in
    "Concentrate here") when a ``quadrant`` column is present.
    """
    if by == "category":
        labels = [c.value for c in Category]
        member = np.stack([scores["category"].to_numpy(dtype=object) == c for c in labels], axis=1)
    elif by == "stage":
        stages = scores["stages"].to_numpy(dtype=object, na_value="")
        labels = [s.value for s in Stage]
        member = np.stack([np.array([label in str(v).split(";") for v in stages], dtype=bool) for label in labels]
                          + [stages == ""], axis=1) if len(stages) else np.zeros((0, 4), dtype=bool)
        labels.append(NO_STAGE)
    else:
        raise ValueError(f"summarise by 'category' or 'stage', not {by!r}")
    present = member.any(axis=0)
    member = member[:, present].astype(float)
    labels = [label for label, keep in zip(labels, np.asarray(present, dtype=bool).tolist(), strict=True) if keep]

    def total(column: str) -> np.ndarray:
        return np.nan_to_num(scores[column].to_numpy(dtype=float, na_value=np.nan)) @ member

    def mean(column: str) -> np.ndarray:
        values = scores[column].to_numpy(dtype=float, na_value=np.nan)
        has = (~np.isnan(values)).astype(float) @ member
        return np.divide(np.nan_to_num(values) @ member, has, out=np.full(len(labels), np.nan), where=has > 0)

    out = pd.DataFrame(
        {
            "touchpoints": member.sum(axis=0).astype(np.int64),
            "rated": (scores["rated"].to_numpy(dtype=float) @ member).astype(np.int64),
            "importance_mean": mean("importance_mean"),
            "performance": mean("performance"),
            "positive": total("positive").astype(np.int64),
            "neutral": total("neutral").astype(np.int64),
            "negative": total("negative").astype(np.int64),
            "disagreement": mean("disagreement"),
        },
        index=pd.Index(labels, name=by, dtype=object),
    )
    votes = (out["positive"] + out["neutral"] + out["negative"]).to_numpy()
    out["negative_share"] = np.divide(out["negative"].to_numpy(float), votes, out=np.full(len(out), np.nan), where=votes > 0)
    if "quadrant" in scores.columns:
        out["concentrate"] = ((scores["quadrant"].to_numpy(dtype=object) == "Concentrate here").astype(float) @ member).astype(np.int64)
    return out


# ------------------------------------------------------------------ the whole analysis


@dataclass(frozen=True)
class Analysis:
    """Everything computed from one audit wave, ready for the plan and the workbook.

    The summary tables (``categories``, ``stages``, ``chains``, ``competitor_matrix``, ``economics``) are
    built from the fields when first read and kept: the results page, the plan and the bench read few of them.
    """

    data: AuditData
    scores: pd.DataFrame  # one row per touchpoint: votes, evidence, quadrant, chain, priority
    chain_links: pd.DataFrame
    competitor_gaps: pd.DataFrame
    observations: pd.DataFrame
    funnel: pd.DataFrame  # stages of the journeys' funnels (audit.funnel), the largest drop marked
    comments: pd.DataFrame  # non-empty team comments: touchpoint_id, reaction, comment
    crosshair: Crosshair
    crosshair_point: tuple[float, float] | None
    computed_at: dt.datetime
    view: str = "team"  # whose reactions place the touchpoints on the IPA's performance axis (VIEWS)

    @property
    def rated(self) -> bool:
        """True when at least one touchpoint has a vote."""
        return bool(self.scores["rated"].any()) if len(self.scores) else False

    @cached_property
    def categories(self) -> pd.DataFrame:
        return summarise(self.scores, "category")

    @cached_property
    def stages(self) -> pd.DataFrame:
        return summarise(self.scores, "stage")

    @cached_property
    def chains(self) -> pd.DataFrame:
        return chain_summary(self.chain_links)

    @cached_property
    def competitor_matrix(self) -> pd.DataFrame:
        return competitor_matrix(self.competitor_gaps, self.scores.index, self.data.audit.competitors)

    @cached_property
    def economics(self) -> pd.DataFrame:
        return channel_economics(self.data.economics, self.scores[text_column("name", self.data.audit.language)])


def ipa_positions(scores: pd.DataFrame, view: str = "team") -> pd.DataFrame:
    """Where each touchpoint sits on the IPA's performance axis in a view (:data:`VIEWS`).

    ``team``: the team's mean reaction. ``shoppers`` and ``both``: the
    shoppers' mean reaction from accepted visits at our business where there
    are any, the team's elsewhere (importance is always the team's).
    Columns ``ipa_performance`` and ``ipa_source`` (``team``, ``shoppers`` or
    ``""`` when neither rated the touchpoint).
    """
    team = scores["performance"].to_numpy(dtype=float, na_value=np.nan)
    shoppers = scores["shopper_performance"].to_numpy(dtype=float, na_value=np.nan)
    return frame(ipa_position_columns(team, shoppers, view), scores.index)


def ipa_position_columns(team: np.ndarray, shoppers: np.ndarray, view: str) -> dict[str, np.ndarray]:
    """The columns of :func:`ipa_positions` from the team's and the shoppers' performance (NaN: none)."""
    if view not in VIEWS:
        raise ValueError(f"the IPA view is one of {', '.join(VIEWS)}, not {view!r}")
    outside = np.zeros(len(team), dtype=bool) if view == "team" else ~np.isnan(shoppers)
    position = np.where(outside, shoppers, team)
    source = pick([outside, np.isnan(team)], ["shoppers", ""], "team")
    return {"ipa_performance": position, "ipa_source": source}


def _blind_spot_columns(columns: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``shopper_gap`` and ``blind_spot`` (team and shoppers disagree in sign)."""
    team, shop = columns["performance"], columns["shopper_performance"]
    with np.errstate(invalid="ignore"):
        blind = pick([(team > 0) & (shop < 0), (team < 0) & (shop > 0)],
                     ["team positive, shoppers negative", "team negative, shoppers positive"], "")
    return {"shopper_gap": shop - team, "blind_spot": blind}


def _chain_break_columns(links: Mapping[str, np.ndarray] | None, where: Mapping[str, int]) -> dict[str, np.ndarray]:
    """``breaks_chain`` (the names of the journeys breaking there, ``"; "``-joined), ``unreached_in`` and
    ``chain_lost_share`` (the largest share of a journey lost there) from the chain links' columns (``None``: no link)."""
    n = len(where)
    if links is None:
        return {"breaks_chain": np.full(n, "", dtype=object), "unreached_in": np.zeros(n, dtype=np.int64), "chain_lost_share": np.zeros(n)}
    at = positions(links["touchpoint_id"], where)
    breaks = links["breaks"]
    names: dict[int, list[str]] = {}
    for position, name in zip(at[breaks].tolist(), links["chain_name"][breaks].tolist(), strict=True):
        names.setdefault(position, []).append(name)
    joined = np.full(n, "", dtype=object)
    for position, chain_names in names.items():
        joined[position] = "; ".join(chain_names)
    lost = np.zeros(n)
    np.maximum.at(lost, at[breaks], links["lost_share"][breaks])
    return {"breaks_chain": joined, "unreached_in": np.bincount(at[links["unreached"]], minlength=n),
            "chain_lost_share": lost}


def _comments(cols: RatingColumns, index: pd.Index) -> pd.DataFrame:
    """Every non-empty comment with its touchpoint and reaction."""
    commented = cols.comment != "" if cols.commented is None else cols.commented
    rows = np.flatnonzero((cols.touchpoint >= 0) & commented)
    return frame(
        {
            "touchpoint_id": index.to_numpy().take(cols.touchpoint.take(rows)),
            "reaction": np.array((*REACTIONS, None), dtype=object).take(cols.reaction.take(rows)),
            "comment": cols.comment.take(rows),
        }
    )


def _evidence_columns(data: AuditData, table: VisitTable, observed: Mapping[str, np.ndarray], index: pd.Index,
                      where: Mapping[str, int]) -> tuple[dict[str, Any], pd.DataFrame]:
    """Shopper, standard and competitor columns from the accepted observations (:mod:`audit.evidence`), and the gaps."""
    n = len(index)
    tp, target, score = observed["touchpoint_id"], observed["target"], observed["score"]
    accepted = (table.status == VisitStatus.ACCEPTED.value)[table.visit]  # per observation (in the table's order)
    picked, ours = np.flatnonzero(accepted), np.flatnonzero(accepted & (target == ""))
    at = table.touchpoint_positions(where)[ours] if len(tp) else np.zeros(0, dtype=np.int64)
    codes, uniques = table.touchpoint_factors
    gaps = gap_columns(data.competitor_notes, tp[picked], target[picked], score[picked].astype(float), (codes[picked], uniques))
    return {
        **shopper_columns(at, score[ours], n),
        **standard_columns(data.standards, observed["measurement"][ours], at, index, data.audit.language, where),
        **competitor_columns(positions(gaps["touchpoint_id"], where), gaps["versus"], n),
    }, frame(gaps)


def _quadrant_columns(columns: Mapping[str, np.ndarray], crosshair: Crosshair,
                      bounds: Bounds) -> tuple[dict[str, np.ndarray], tuple[float, float] | None]:
    """``quadrant`` under ``crosshair``, the quadrants under every choice of :data:`CROSSHAIRS` and ``changes``,
    and the crosshair's point (``None`` when no touchpoint is placed)."""
    imp = np.asarray(columns["importance_mean"], dtype=float)
    perf = np.asarray(columns["ipa_performance"], dtype=float)
    known = isinstance(crosshair, str) and crosshair in CROSSHAIRS  # computed once among the choices
    quadrants = quadrant_arrays(imp, perf, list(CROSSHAIRS) if known else [*CROSSHAIRS, crosshair], bounds)
    chosen = quadrants[CROSSHAIRS.index(crosshair)] if known else quadrants[-1]
    point = line_point(imp, perf, crosshair, bounds) if (chosen != NOT_PLACED).any() else None
    return {"quadrant": chosen, **sensitivity_columns(CROSSHAIRS, quadrants[: len(CROSSHAIRS)])}, point


def _score_frame(columns: dict[str, Any], index: pd.Index) -> pd.DataFrame:
    """The scores table: one DataFrame built once (the two journey columns as pandas' text dtype, as before)."""
    return frame(columns, index, text=("breaks_chain", "funnel_drop"))


def analyse(data: AuditData, crosshair: Crosshair = "mean", *, bounds: Bounds = AUDIT_BOUNDS, view: str = "team") -> Analysis:
    """Aggregate, add evidence, place on the IPA grid (in the ``view``'s positions), walk the chains, score priorities."""
    language = data.audit.language
    index = catalog_index(data.catalog)
    where = position_map(index)  # each touchpoint id's position in the catalog, looked up by every part
    cols = rating_columns(data, where)
    visits = VisitTable.of(data.visits)
    observed = observation_columns(data, visits)
    columns: dict[str, Any] = touchpoint_columns(data.catalog)
    columns.update(vote_stats(cols, len(index)))
    evidence, gaps = _evidence_columns(data, visits, observed, index, where)
    columns.update(evidence)
    columns.update(_blind_spot_columns(columns))
    columns.update(ipa_position_columns(columns["performance"], columns["shopper_performance"], view))
    quadrants, point = _quadrant_columns(columns, crosshair, bounds)
    columns.update(quadrants)

    link_cols = link_columns(data.catalog, index, columns, language, where)
    columns.update(_chain_break_columns(link_cols, where))
    funnel = funnel_table(data.catalog, data.funnel, language)
    drops = drop_touchpoints(funnel)
    columns["funnel_drop"] = np.array([drops.get(i, "") for i in index.tolist()], dtype=object) if drops else np.full(len(index), "", dtype=object)
    numbers = {name: np.asarray(columns[name], dtype=float) for name in NUMBER_READS}
    lost = np.clip(np.nan_to_num(columns["chain_lost_share"], nan=0.0), 0.0, 1.0)
    columns.update(priority_columns(numbers, lost, columns["funnel_drop"] != ""))
    scores = _score_frame(columns, index)
    return Analysis(
        data=data,
        scores=scores,
        chain_links=link_frame(link_cols),
        competitor_gaps=gaps,
        observations=frame(observed),
        funnel=funnel,
        comments=_comments(cols, index),
        crosshair=crosshair,
        crosshair_point=point,
        computed_at=dt.datetime.now(dt.UTC),
        view=view,
    )
