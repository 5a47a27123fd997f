"""Chains (customer journeys): where the chain breaks, what the break cuts off, and the weakest link.

For every chain of the audit's catalog, its links in order. A link is
*negative* for the customer when the team's reaction there is predominantly
negative (``majority_reaction == "negative"``: strictly more negative votes
than positive and than neutral) **or** when the accepted shopper
observations of our business there are predominantly negative
(``shopper_majority == "negative"``). The chain is *broken* at its first
negative link: the customer is lost there, and every later link is
*unreached*. ``broken_by`` says whose evidence broke it (``team``,
``shoppers`` or ``both``).

``lost_share`` (on the link where the chain breaks) is the share of the
journey the customer never completes: the links from the break to the end,
the break included, divided by the chain's links. A break at the first of 8
links loses 8/8 = 1.0; at the last of 8, 1/8. :mod:`audit.priority` weighs a
break by it.

The *weakest link* is the rated link with the lowest performance among the
links a customer reaches (before the break and the break itself; the first
one on a tie). Performance is the team's mean reaction, or the shoppers'
where the team has not rated the link. Links nobody rated or observed are
"not rated yet": neither weakest nor a break. Links naming a touchpoint that
is not in the scores are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from audit.frames import frame, looked_up, pick
from audit.languages import text_column
from audit.model import Catalog

LINK_COLUMNS = (
    "chain_id", "chain_name", "position", "touchpoint_id", "name", "performance", "reaction_n",
    "majority_reaction", "weakest", "breaks", "unreached", "status", "broken_by", "lost_share",
)
SUMMARY_COLUMNS = (
    "chain_id", "chain_name", "links", "rated_links", "performance_mean", "weakest_id", "weakest",
    "weakest_performance", "broken_at_id", "broken_at", "broken_position", "unreached", "status",
    "broken_by", "lost_share",
)
BROKEN = "broken here: customer lost"
UNREACHED = "unreached (after the break)"
WEAKEST = "weakest link"
NOT_RATED = "not rated yet"
OK = "ok"
INTACT = "intact"
BY_TEAM, BY_SHOPPERS, BY_BOTH = "team", "shoppers", "both"


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


# The score columns the links read, with their type and the value standing for "none" (also when a column is missing).
READS: dict[str, tuple[object, object]] = {
    "performance": (float, np.nan), "reaction_n": (np.int64, 0), "majority_reaction": (object, None),
    "shopper_n": (np.int64, 0), "shopper_performance": (float, np.nan), "shopper_majority": (object, None),
}


def _score_arrays(scores: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns of :data:`READS` that ``scores`` has, as arrays of their type."""
    return {name: scores[name].to_numpy(dtype=kind, na_value=none) for name, (kind, none) in READS.items() if name in scores.columns}


def _column(scores: Mapping[str, np.ndarray], name: str, where: np.ndarray) -> np.ndarray:
    values = scores.get(name)
    if values is None:
        kind, none = READS[name]
        return np.full(len(where), none, dtype=kind)  # type: ignore[call-overload]
    return values[where]


class _Links(NamedTuple):
    """Where each link of every chain sits: its chain, its row in the scores, its place in its chain."""

    chain_of: np.ndarray  # chain index per link
    where: np.ndarray  # row of the link's touchpoint in the scores
    starts: np.ndarray  # first link of each chain
    lengths: np.ndarray  # links per chain
    group: np.ndarray  # chain (among the present ones) per link
    position: np.ndarray  # 1-based position in its chain


def _links(catalog: Catalog, index: pd.Index | Mapping[str, int]) -> _Links | None:
    """The links of every chain whose touchpoint is in ``index`` (or its :func:`audit.frames.position_map`; None
    when none is)."""
    chain_list: list[int] = []
    tp_ids: list[str] = []
    for i, chain in enumerate(catalog.chains):
        chain_list += [i] * len(chain.links)
        tp_ids += chain.links
    if isinstance(index, Mapping):
        where = looked_up(tp_ids, index)
    else:
        where = index.get_indexer(pd.Index(tp_ids, dtype=object)) if tp_ids else np.zeros(0, dtype=np.int64)
    keep = where >= 0
    chain_of, where = np.array(chain_list, dtype=np.int64)[keep], where[keep]
    if not len(where):
        return None
    n = len(where)
    starts = np.r_[0, np.flatnonzero(np.diff(chain_of)) + 1]
    lengths = np.diff(np.r_[starts, n])
    group = np.repeat(np.arange(len(starts)), lengths)
    return _Links(chain_of, where, starts, lengths, group, np.arange(n) - starts[group] + 1)


def _judged(scores: Mapping[str, np.ndarray], links: _Links) -> dict[str, np.ndarray]:
    """Per link: performance, reactions, majority, whether it breaks, is unreached, is the weakest, and by whom."""
    where, starts, group = links.where, links.starts, links.group
    n = len(where)
    at = np.arange(n)
    team_perf = scores["performance"][where]
    reaction_n = scores["reaction_n"][where]
    majority = scores["majority_reaction"][where]
    shopper_n = _column(scores, "shopper_n", where)
    shopper_perf = _column(scores, "shopper_performance", where)
    shopper_majority = _column(scores, "shopper_majority", where)
    team_rated = ~np.isnan(team_perf) & (reaction_n > 0)
    shopper_rated = (shopper_n > 0) & ~np.isnan(shopper_perf)
    rated = team_rated | shopper_rated
    perf = np.where(team_rated, team_perf, shopper_perf)
    team_negative = team_rated & (majority == "negative")
    shopper_negative = shopper_rated & (shopper_majority == "negative")

    first_break = np.minimum.reduceat(np.where(team_negative | shopper_negative, at, n), starts)[group]
    breaks = at == first_break
    unreached = at > first_break
    reached_rated = rated & ~unreached
    ranked = np.where(reached_rated, perf, np.inf)
    lowest = np.minimum.reduceat(ranked, starts)[group]
    weakest = at == np.minimum.reduceat(np.where(reached_rated & (ranked == lowest), at, n), starts)[group]
    broken_by = pick([breaks & team_negative & shopper_negative, breaks & team_negative, breaks & shopper_negative],
                     [BY_BOTH, BY_TEAM, BY_SHOPPERS], "")
    lengths = links.lengths[group]
    return {
        "performance": perf,
        "reaction_n": reaction_n,
        "majority_reaction": majority,
        "weakest": weakest,
        "breaks": breaks,
        "unreached": unreached,
        "status": pick([breaks, unreached, weakest, rated], [BROKEN, UNREACHED, WEAKEST, OK], NOT_RATED),
        "broken_by": broken_by,
        "lost_share": np.where(breaks, (lengths - links.position + 1) / lengths, 0.0),
    }


def chain_links(catalog: Catalog, scores: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """One row per link of every chain, in order (see the module doc for the rules)."""
    return link_frame(link_columns(catalog, scores.index, _score_arrays(scores), language))


def link_frame(columns: Mapping[str, np.ndarray] | None) -> pd.DataFrame:
    """The table of :func:`chain_links` from its :func:`link_columns` (``None``: no link)."""
    if columns is None:
        return _empty(LINK_COLUMNS).astype({"position": np.int64, "performance": float, "reaction_n": np.int64,
                                            "weakest": bool, "breaks": bool, "unreached": bool, "lost_share": float})
    return frame(columns)


def link_columns(catalog: Catalog, index: pd.Index, scores: Mapping[str, np.ndarray], language: str = "en",
                 catalog_positions: Mapping[str, int] | None = None) -> dict[str, np.ndarray] | None:
    """The columns of :func:`chain_links` (:data:`LINK_COLUMNS`) from the score columns of :data:`READS` as arrays
    on ``index``; ``None`` when no chain has a link on ``index``.

    ``catalog_positions``: when ``index`` is the catalog's own (its touchpoints' ids in catalog order, as in the
    analysis), its :func:`audit.frames.position_map`; the links then find their touchpoints by position, and their
    names in the ``name_<language>`` column of ``scores`` when it has one.
    """
    links = _links(catalog, index if catalog_positions is None else catalog_positions)
    if links is None:
        return None
    chains = catalog.chains
    ids = index.to_numpy(dtype=object)[links.where]
    names = scores.get(text_column("name", language)) if catalog_positions is not None else None
    return {
        "chain_id": np.array([c.id for c in chains], dtype=object)[links.chain_of],
        "chain_name": np.array([c.name.get(language) for c in chains], dtype=object)[links.chain_of],
        "position": links.position,
        "touchpoint_id": ids,
        "name": _link_names(catalog, ids, links.where, names, language),
        **_judged(scores, links),
    }


def _link_names(catalog: Catalog, ids: np.ndarray, where: np.ndarray, names: np.ndarray | None, language: str) -> np.ndarray:
    """The name of each link's touchpoint in ``language``: from ``names`` (the catalog's touchpoints' names in that
    language, by catalog position) when given, else from the catalog (the id when it has no such touchpoint)."""
    if names is not None:
        return np.asarray(names, dtype=object)[where]
    linked = set(ids.tolist())
    found = {tp.id: tp.name.get(language) for tp in catalog.touchpoints if tp.id in linked}
    return np.array([found.get(i, i) for i in ids], dtype=object)


def chain_summary(links: pd.DataFrame) -> pd.DataFrame:
    """One row per chain: links, rated links, mean performance, weakest link, break, unreached, status."""
    if not len(links):
        return _empty(SUMMARY_COLUMNS)
    chain = links["chain_id"].to_numpy(dtype=object)
    n = len(chain)
    starts = np.r_[0, np.flatnonzero(chain[1:] != chain[:-1]) + 1]
    count = np.diff(np.r_[starts, n])
    perf = links["performance"].to_numpy(dtype=float)
    rated = (links["status"].to_numpy(dtype=object) != NOT_RATED) & ~np.isnan(perf)
    rated_links = np.add.reduceat(rated.astype(np.int64), starts)
    perf_sum = np.add.reduceat(np.where(rated, perf, 0.0), starts)
    mean = np.divide(perf_sum, rated_links, out=np.full(len(starts), np.nan), where=rated_links > 0)
    at = np.arange(n)
    weakest_at = np.minimum.reduceat(np.where(links["weakest"].to_numpy(bool), at, n), starts)
    broken_at = np.minimum.reduceat(np.where(links["breaks"].to_numpy(bool), at, n), starts)
    ids = np.append(links["touchpoint_id"].to_numpy(dtype=object), "")
    names = np.append(links["name"].to_numpy(dtype=object), "")
    positions = np.r_[links["position"].to_numpy(dtype=np.int64), 0]
    broken_name = names[broken_at]
    status = [
        NOT_RATED if not r else (f"broken at {name} (link {pos} of {k})" if b < n else INTACT)
        for r, b, name, pos, k in zip(rated_links, broken_at, broken_name, positions[broken_at], count, strict=False)
    ]
    return frame(
        {
            "chain_id": chain[starts],
            "chain_name": links["chain_name"].to_numpy(dtype=object)[starts],
            "links": count,
            "rated_links": rated_links,
            "performance_mean": mean,
            "weakest_id": ids[weakest_at],
            "weakest": names[weakest_at],
            "weakest_performance": np.r_[perf, np.nan][weakest_at],
            "broken_at_id": ids[broken_at],
            "broken_at": broken_name,
            "broken_position": positions[broken_at],
            "unreached": np.add.reduceat(links["unreached"].to_numpy(bool).astype(np.int64), starts),
            "status": status,
            "broken_by": np.append(links["broken_by"].to_numpy(dtype=object), "")[broken_at],
            "lost_share": np.r_[links["lost_share"].to_numpy(dtype=float), 0.0][broken_at],
        }
    )
