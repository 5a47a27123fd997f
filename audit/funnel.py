"""The funnel of a journey: how many customers reach each link, the conversion per stage, and the largest drop.

A journey (chain) is an ordered list of touchpoints; in the funnel each link
is a stage. The owner enters how many customers reached each stage in a wave
(e.g. 100 saw the ad, 60 called, 12 came to the shop, 10 bought). The
conversion of a stage is the share of the previous stage's customers who
reached it; the first stage has none. The stage with the lowest conversion is
the **largest drop** (the earliest of equal ones; none when nobody is lost):
its touchpoints get :data:`audit.priority.FUNNEL_WEIGHT` points of priority
(``docs/priority.md``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from audit.frames import frame
from audit.model import Catalog, FunnelStep

COLUMNS = ("chain_id", "chain_name", "position", "touchpoint_id", "name", "reached", "conversion", "largest_drop")


def conversions(reached: list[int]) -> list[float]:
    """Per stage, the share of the previous stage's customers who reached it (NaN for the first and after zero)."""
    out = [float("nan")]
    for before, now in itertools.pairwise(reached):
        out.append(now / before if before else float("nan"))
    return out


def largest_drop(reached: list[int]) -> int | None:
    """The position of the stage with the lowest conversion, or ``None`` when no stage loses anyone."""
    rates = conversions(reached)
    best: int | None = None
    for position, rate in enumerate(rates):
        if rate == rate and rate < 1.0 and (best is None or rate < rates[best]):
            best = position
    return best


def funnel_table(catalog: Catalog, steps: Iterable[FunnelStep], language: str) -> pd.DataFrame:
    """One row per stage of every journey with numbers, in journey order (see the module doc)."""
    by_chain: dict[str, list[FunnelStep]] = {}
    for step in steps:
        by_chain.setdefault(step.chain_id, []).append(step)
    if not by_chain:
        return _no_rows()
    chains = {c.id: c for c in catalog.chains}
    names = {tp.id: tp.name.get(language) for tp in catalog.touchpoints}
    rows: list[dict[str, object]] = []
    for chain_id, chain_steps in by_chain.items():
        chain = chains.get(chain_id)
        if chain is None:  # the journey was removed from the catalog copy
            continue
        chain_steps.sort(key=lambda s: s.position)
        reached = [s.reached for s in chain_steps]
        drop = largest_drop(reached)
        for step, rate in zip(chain_steps, conversions(reached), strict=True):
            rows.append({
                "chain_id": chain_id, "chain_name": chain.name.get(language), "position": step.position,
                "touchpoint_id": step.touchpoint_id, "name": names.get(step.touchpoint_id, step.touchpoint_id),
                "reached": step.reached, "conversion": rate, "largest_drop": step.position == drop,
            })
    return pd.DataFrame(rows, columns=list(COLUMNS)) if rows else _no_rows()


def _no_rows() -> pd.DataFrame:
    return frame({c: np.array([], dtype=object) for c in COLUMNS})


def drop_touchpoints(table: pd.DataFrame) -> Mapping[str, str]:
    """Touchpoints at the largest drop of a journey's funnel: touchpoint id -> the journeys' names (``"; "``-joined)."""
    marked = table[table["largest_drop"].astype(bool)] if len(table) else table
    return marked.groupby("touchpoint_id", sort=False)["chain_name"].agg("; ".join).to_dict() if len(marked) else {}
