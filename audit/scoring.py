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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from audit.chains import chain_links, chain_summary
from audit.columnar import RatingTable
from audit.economics import channel_economics
from audit.evidence import (
    competitor_gaps,
    competitor_matrix,
    competitor_summary,
    majority_labels,
    observation_frame,
    shopper_evidence,
    standard_results,
)
from audit.frames import frame
from audit.funnel import drop_touchpoints, funnel_table
from audit.ipa import AUDIT_BOUNDS, CROSSHAIRS, Bounds, Crosshair, crosshair_point, ipa_quadrants, ipa_sensitivity
from audit.languages import LANGUAGES, text_column
from audit.model import AuditData, Catalog, Category, Stage, VisitStatus
from audit.priority import priority_parts

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

REACTIONS = ("positive", "neutral", "negative")  # column order; code 0, 1, 2
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
    :data:`REACTIONS` / :data:`PRESENCES` (-1: not given).
    """

    touchpoint: np.ndarray
    importance: np.ndarray
    reaction: np.ndarray
    presence: np.ndarray
    not_applicable: np.ndarray
    comment: np.ndarray

    def __len__(self) -> int:
        return len(self.touchpoint)


def catalog_index(catalog: Catalog) -> pd.Index:
    return pd.Index([tp.id for tp in catalog.touchpoints], name="touchpoint_id", dtype=object)


def rating_columns(data: AuditData, index: pd.Index | None = None) -> RatingColumns:
    """The ratings as arrays with catalog positions (:class:`audit.columnar.RatingTable`: loaded ratings
    already are columns; records are read once, one C-level ``map`` per field)."""
    index = catalog_index(data.catalog) if index is None else index
    table = RatingTable.of(data.ratings)
    if not len(table):
        empty = np.zeros(0, dtype=np.int64)
        return RatingColumns(empty, np.zeros(0), empty, empty, np.zeros(0, dtype=bool), np.zeros(0, dtype=object))
    codes, uniques = pd.factorize(table.touchpoint_id)
    return RatingColumns(
        touchpoint=index.get_indexer(uniques)[codes],
        importance=table.importance,
        reaction=table.reaction,
        presence=table.presence,
        not_applicable=table.not_applicable,
        comment=table.comment,
    )


def touchpoint_frame(catalog: Catalog, index: pd.Index | None = None) -> pd.DataFrame:
    """Names and attributes of the catalog's touchpoints, one row each."""
    index = catalog_index(catalog) if index is None else index
    tps = catalog.touchpoints
    return frame(
        {
            **{text_column("name", lang): [tp.name.get(lang) for tp in tps] for lang in LANGUAGES},
            "category": [tp.category.value for tp in tps],
            "stages": [";".join(s.value for s in tp.stages) for tp in tps],
            "channels": [";".join(c.value for c in tp.channels) for tp in tps],
            "audiences": [";".join(a.value for a in tp.audiences) for tp in tps],
            "attention": [tp.attention.value if tp.attention else "" for tp in tps],
            "lifetime": [tp.lifetime.value if tp.lifetime else "" for tp in tps],
            "added_by_team": np.array([tp.added_by_team for tp in tps], dtype=bool),
        },
        index,
    )


def vote_stats(cols: RatingColumns, n_tp: int) -> dict[str, np.ndarray]:
    """The team's votes per touchpoint position as numpy arrays (the numbers of :func:`aggregate`)."""
    known = cols.touchpoint >= 0
    votes = known & ~cols.not_applicable
    tp = cols.touchpoint

    not_applicable = np.bincount(tp[known & cols.not_applicable], minlength=n_tp)
    has_imp = votes & ~np.isnan(cols.importance)
    has_reaction = votes & (cols.reaction >= 0)
    has_presence = votes & (cols.presence >= 0)
    raters = np.bincount(tp[has_imp | has_reaction | has_presence], minlength=n_tp)

    # Importance from a histogram of the ten possible values: exact and fast.
    levels = np.arange(1, 11, dtype=float)
    imp_level = np.clip(np.rint(cols.importance[has_imp]).astype(np.int64) - 1, 0, 9)
    hist = np.bincount(tp[has_imp] * 10 + imp_level, minlength=n_tp * 10).reshape(n_tp, 10)
    imp_n = hist.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        imp_mean = hist @ levels / imp_n
        imp_var = (hist * (levels[None, :] - imp_mean[:, None]) ** 2).sum(axis=1) / imp_n
    cum = hist.cumsum(axis=1)
    low = (cum > ((imp_n - 1) // 2)[:, None]).argmax(axis=1) + 1
    high = (cum > (imp_n // 2)[:, None]).argmax(axis=1) + 1
    imp_median = np.where(imp_n > 0, (low + high) / 2, np.nan)
    imp_std = np.sqrt(np.clip(imp_var, 0, None))

    reactions = np.bincount(tp[has_reaction] * 3 + cols.reaction[has_reaction], minlength=n_tp * 3).reshape(n_tp, 3)
    reaction_n = reactions.sum(axis=1)
    presence = np.bincount(tp[has_presence] * 3 + cols.presence[has_presence], minlength=n_tp * 3).reshape(n_tp, 3)
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
    stats = frame(vote_stats(cols, len(index)), index)
    return pd.concat([touchpoint_frame(data.catalog, index), stats], axis=1)


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
    """Everything computed from one audit wave, ready for the plan and the workbook."""

    data: AuditData
    scores: pd.DataFrame  # one row per touchpoint: votes, evidence, quadrant, chain, priority
    categories: pd.DataFrame
    stages: pd.DataFrame
    chain_links: pd.DataFrame
    chains: pd.DataFrame
    competitor_gaps: pd.DataFrame
    competitor_matrix: pd.DataFrame
    observations: pd.DataFrame
    economics: pd.DataFrame
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


def ipa_positions(scores: pd.DataFrame, view: str = "team") -> pd.DataFrame:
    """Where each touchpoint sits on the IPA's performance axis in a view (:data:`VIEWS`).

    ``team``: the team's mean reaction. ``shoppers`` and ``both``: the
    shoppers' mean reaction from accepted visits at our business where there
    are any, the team's elsewhere (importance is always the team's).
    Columns ``ipa_performance`` and ``ipa_source`` (``team``, ``shoppers`` or
    ``""`` when neither rated the touchpoint).
    """
    if view not in VIEWS:
        raise ValueError(f"the IPA view is one of {', '.join(VIEWS)}, not {view!r}")
    team = scores["performance"].to_numpy(dtype=float, na_value=np.nan)
    shoppers = scores["shopper_performance"].to_numpy(dtype=float, na_value=np.nan)
    outside = np.zeros(len(scores), dtype=bool) if view == "team" else ~np.isnan(shoppers)
    position = np.where(outside, shoppers, team)
    source = np.where(outside, "shoppers", np.where(np.isnan(team), "", "team")).astype(object)
    return frame({"ipa_performance": position, "ipa_source": source}, scores.index)


def _add_blind_spots(scores: pd.DataFrame, index: pd.Index) -> None:
    """Add ``shopper_gap`` and ``blind_spot`` (team and shoppers disagree in sign)."""
    scores["shopper_gap"] = scores["shopper_performance"] - scores["performance"]
    team, shop = scores["performance"].to_numpy(dtype=float), scores["shopper_performance"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        blind = np.where(
            (team > 0) & (shop < 0), "team positive, shoppers negative",
            np.where((team < 0) & (shop > 0), "team negative, shoppers positive", ""),
        )
    scores["blind_spot"] = pd.Series(blind.astype(object), index=index, dtype=object)


def _add_chain_breaks(scores: pd.DataFrame, links: pd.DataFrame, index: pd.Index) -> None:
    """Add ``breaks_chain``, ``unreached_in`` and ``chain_lost_share`` from the chain links."""
    broken = links[links["breaks"]]
    breaks = broken.groupby("touchpoint_id", sort=False)["chain_name"].agg("; ".join)
    scores["breaks_chain"] = breaks.reindex(index).fillna("").to_numpy()
    unreached = links[links["unreached"]].groupby("touchpoint_id", sort=False).size()
    scores["unreached_in"] = unreached.reindex(index).fillna(0).astype(int).to_numpy()
    scores["chain_lost_share"] = broken.groupby("touchpoint_id", sort=False)["lost_share"].max().reindex(index).fillna(0.0).to_numpy(dtype=float)


def _comments(cols: RatingColumns, index: pd.Index) -> pd.DataFrame:
    """Every non-empty comment with its touchpoint and reaction."""
    has_comment = (cols.touchpoint >= 0) & (cols.comment != "")
    comments = frame(
        {
            "touchpoint_id": index.to_numpy()[cols.touchpoint[has_comment]],
            "reaction": np.array((*REACTIONS, None), dtype=object)[cols.reaction[has_comment]],
            "comment": cols.comment[has_comment],
        }
    )
    return comments


def analyse(data: AuditData, crosshair: Crosshair = "mean", *, bounds: Bounds = AUDIT_BOUNDS, view: str = "team") -> Analysis:
    """Aggregate, add evidence, place on the IPA grid (in the ``view``'s positions), walk the chains, score priorities."""
    language = data.audit.language
    index = catalog_index(data.catalog)
    cols = rating_columns(data, index)
    scores = aggregate(data, cols)

    obs = observation_frame(data)
    accepted = obs[obs["status"] == VisitStatus.ACCEPTED.value]
    ours = accepted[accepted["target"] == ""]
    gaps = competitor_gaps(data, accepted)
    scores = pd.concat(
        [
            scores,
            shopper_evidence(ours, index),
            standard_results(data.standards, ours, index, language),
            competitor_summary(gaps, index),
        ],
        axis=1,
    )
    _add_blind_spots(scores, index)

    scores = pd.concat([scores, ipa_positions(scores, view)], axis=1)
    items = pd.DataFrame({"importance": scores["importance_mean"], "performance": scores["ipa_performance"]})
    scores["quadrant"] = ipa_quadrants(items, crosshair, bounds=bounds)
    sensitivity = ipa_sensitivity(items, CROSSHAIRS, bounds=bounds)
    scores = pd.concat([scores, sensitivity], axis=1)
    placed = items.dropna()
    point = crosshair_point(items, crosshair, bounds=bounds) if len(placed) else None

    links = chain_links(data.catalog, scores, language)
    chains = chain_summary(links)
    _add_chain_breaks(scores, links, index)
    funnel = funnel_table(data.catalog, data.funnel, language)
    scores["funnel_drop"] = pd.Series(drop_touchpoints(funnel), dtype=object).reindex(index).fillna("").to_numpy()

    parts = priority_parts(scores)
    scores = pd.concat([scores, parts], axis=1)

    names = scores[text_column("name", language)]
    comments = _comments(cols, index)
    return Analysis(
        data=data,
        scores=scores,
        categories=summarise(scores, "category"),
        stages=summarise(scores, "stage"),
        chain_links=links,
        chains=chains,
        competitor_gaps=gaps,
        competitor_matrix=competitor_matrix(gaps, index, data.audit.competitors),
        observations=obs,
        economics=channel_economics(data.economics, names),
        funnel=funnel,
        comments=comments,
        crosshair=crosshair,
        crosshair_point=point,
        computed_at=dt.datetime.now(dt.UTC),
        view=view,
    )
