"""Evidence from outside the team: mystery-shopper visits, competitors, standards.

Only visits the owner ACCEPTED count in scores; drafts, submitted, rejected
and returned visits are kept (and listed in the workbook) but ignored here.
A visit with an empty ``target`` is at our business; any other target is a
competitor.

- Shopper performance per touchpoint: the mean of the accepted observations'
  reactions at our business (+1 / 0 / -1), next to the team's own.
- Standards: each accepted measurement at our business of a touchpoint with a
  standard is met or not met; a standard is ``met`` when every measurement
  meets it, ``not met`` when at least one does not, ``not measured`` when
  nothing was measured.
- Competitor gap per touchpoint and competitor: the ``versus`` of the
  competitor note (how the competitor does compared with us). Where no note
  exists but shoppers observed both the competitor and us at that
  touchpoint, the sign of (their shopper performance - ours) decides:
  better, same or worse (source ``shoppers``). Overall per touchpoint:
  ``better`` when at least one competitor does better, ``worse`` when every
  compared competitor does worse (we beat them all), otherwise ``same``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from audit.columnar import VisitTable
from audit.frames import frame
from audit.model import AuditData, Comparison, Standard, Versus

OBSERVATION_COLUMNS = (
    "visit_id", "status", "target", "shopper_id", "visited_at", "channel", "location",
    "touchpoint_id", "reaction", "score", "text", "measurement",
)
GAP_COLUMNS = (
    "touchpoint_id", "competitor", "versus", "source", "competitor_performance", "our_performance",
    "reaction", "borrow", "author",
)


def majority_labels(counts: np.ndarray, labels: tuple[str, ...]) -> np.ndarray:
    """The label with strictly the most votes per row; ``None`` on ties or no votes."""
    out = np.full(len(counts), None, dtype=object)
    if len(counts) == 0:
        return out
    top = counts.max(axis=1)
    unique = (counts == top[:, None]).sum(axis=1) == 1
    winner = counts.argmax(axis=1)
    chosen = unique & (top > 0)
    out[chosen] = np.array(labels, dtype=object)[winner[chosen]]
    return out


def observation_frame(data: AuditData) -> pd.DataFrame:
    """Every observation of every visit of the wave (all statuses), one row each."""
    canonical = {name.casefold(): name for name in data.audit.competitors}
    table = VisitTable.of(data.visits)
    at = table.visit  # per observation: the position of its visit

    def per_visit(values: np.ndarray) -> np.ndarray:
        return values[at]

    score = np.array((1, 0, -1), dtype=np.int64)[table.reaction] if len(at) else np.zeros(0, dtype=np.int64)
    targets = np.array([canonical.get(t.casefold(), t) for t in table.target], dtype=object)
    return frame(
        {
            "visit_id": per_visit(table.id),
            "status": per_visit(table.status),
            "target": per_visit(targets),
            "shopper_id": per_visit(table.shopper_id),
            "visited_at": per_visit(table.visited_at),
            "channel": per_visit(table.channel),
            "location": per_visit(table.location),
            "touchpoint_id": table.touchpoint_id,
            "reaction": np.array(("positive", "neutral", "negative"), dtype=object)[table.reaction],
            "score": score,
            "text": table.text,
            "measurement": table.measurement,
        }
    )


def _positions(touchpoint_ids: pd.Series, index: pd.Index) -> np.ndarray:
    return index.get_indexer(touchpoint_ids.to_numpy(dtype=object)) if len(touchpoint_ids) else np.zeros(0, dtype=np.int64)


def shopper_evidence(ours: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Accepted observations at our business, per touchpoint.

    Columns: ``shopper_n``, ``shopper_positive``, ``shopper_neutral``,
    ``shopper_negative``, ``shopper_performance`` (mean of +1/0/-1, NaN
    without observations), ``shopper_negative_share`` and
    ``shopper_majority`` (strict plurality, ``None`` on a tie).
    """
    n_tp = len(index)
    pos = _positions(ours["touchpoint_id"], index)
    known = pos >= 0
    code = 1 - ours["score"].to_numpy(dtype=np.int64)  # +1 -> 0, 0 -> 1, -1 -> 2
    counts = np.bincount(pos[known] * 3 + code[known], minlength=n_tp * 3).reshape(n_tp, 3)
    n = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        performance = (counts[:, 0] - counts[:, 2]) / n
        negative_share = counts[:, 2] / n
    return frame(
        {
            "shopper_n": n,
            "shopper_positive": counts[:, 0],
            "shopper_neutral": counts[:, 1],
            "shopper_negative": counts[:, 2],
            "shopper_performance": performance,
            "shopper_negative_share": negative_share,
            "shopper_majority": majority_labels(counts, ("positive", "neutral", "negative")),
        },
        index,
    )


def standards_met(standards: Mapping[str, Standard], touchpoint_ids: np.ndarray, measurements: np.ndarray) -> np.ndarray:
    """Per measurement: 1.0 met, 0.0 not met, NaN when there is no standard or no value."""
    out = np.full(len(measurements), np.nan)
    if not len(measurements) or not standards:
        return out
    ids = pd.Index(list(standards), dtype=object)
    where = ids.get_indexer(touchpoint_ids)
    thresholds = np.array([s.threshold for s in standards.values()] + [np.nan])[where]
    ops = np.array([s.comparison.value for s in standards.values()] + [""], dtype=object)[where]
    value = measurements.astype(float)
    checks = {
        Comparison.AT_MOST.value: value <= thresholds,
        Comparison.LESS.value: value < thresholds,
        Comparison.AT_LEAST.value: value >= thresholds,
        Comparison.MORE.value: value > thresholds,
        Comparison.EQUAL.value: np.isclose(value, thresholds, rtol=1e-9, atol=0.0),
    }
    for op, result in checks.items():
        mask = (ops == op) & ~np.isnan(value)
        out[mask] = result[mask]
    return out


def standard_results(standards: Mapping[str, Standard], ours: pd.DataFrame, index: pd.Index, language: str = "en") -> pd.DataFrame:
    """Standards met / not met from accepted shopper measurements at our business."""
    n_tp = len(index)
    met = standards_met(standards, ours["touchpoint_id"].to_numpy(dtype=object), ours["measurement"].to_numpy(dtype=float))
    pos = _positions(ours["touchpoint_id"], index)
    checked = (pos >= 0) & ~np.isnan(met)
    measured = np.bincount(pos[checked], minlength=n_tp)
    ok = np.bincount(pos[checked], weights=met[checked], minlength=n_tp).astype(np.int64)
    not_met = measured - ok
    text = np.array([standards[i].describe(language) if i in standards else "" for i in index], dtype=object)
    has = text != ""
    status = np.where(~has, "", np.where(measured == 0, "not measured", np.where(not_met > 0, "not met", "met")))
    with np.errstate(invalid="ignore", divide="ignore"):
        missed_share = np.where(measured > 0, not_met / np.maximum(measured, 1), np.nan)
    return frame(
        {
            "standard": text,
            "standard_measured": measured,
            "standard_met": ok,
            "standard_not_met": not_met,
            "standard_missed_share": missed_share,
            "standard_status": status.astype(object),
        },
        index,
    )


def competitor_gaps(data: AuditData, accepted: pd.DataFrame) -> pd.DataFrame:
    """One row per (touchpoint, competitor) compared: notes first, then shopper evidence."""
    notes = data.competitor_notes
    noted = {(n.touchpoint_id, n.competitor) for n in notes}
    rows: dict[str, list[object]] = {
        "touchpoint_id": [n.touchpoint_id for n in notes],
        "competitor": [n.competitor for n in notes],
        "versus": [n.versus.value for n in notes],
        "source": ["note"] * len(notes),
        "competitor_performance": [np.nan] * len(notes),
        "our_performance": [np.nan] * len(notes),
        "reaction": [n.reaction.value if n.reaction else "" for n in notes],
        "borrow": [n.borrow for n in notes],
        "author": [n.author for n in notes],
    }
    target = accepted["target"].to_numpy(dtype=object)
    ours = target == ""
    if ours.any() and (~ours).any():
        tp = accepted["touchpoint_id"].to_numpy(dtype=object)
        score = accepted["score"].to_numpy(dtype=float)
        tp_codes, tp_names = pd.factorize(tp)
        n_tp = len(tp_names)
        our_n = np.bincount(tp_codes[ours], minlength=n_tp)
        our_perf = np.bincount(tp_codes[ours], weights=score[ours], minlength=n_tp) / np.maximum(our_n, 1)
        comp_codes, comp_names = pd.factorize(target[~ours])
        key = tp_codes[~ours] * len(comp_names) + comp_codes
        size = n_tp * len(comp_names)
        their_n = np.bincount(key, minlength=size)
        their_perf = np.bincount(key, weights=score[~ours], minlength=size) / np.maximum(their_n, 1)
        for k in np.flatnonzero(their_n > 0):
            t, c = divmod(int(k), len(comp_names))
            pair = (tp_names[t], comp_names[c])
            if our_n[t] == 0 or pair in noted:
                continue
            diff = their_perf[k] - our_perf[t]
            versus = Versus.BETTER if diff > 1e-9 else Versus.WORSE if diff < -1e-9 else Versus.SAME
            for column, value in zip(rows, (*pair, versus.value, "shoppers", float(their_perf[k]), float(our_perf[t]), "", "", ""), strict=False):
                rows[column].append(value)
    numbers = ("competitor_performance", "our_performance")
    gaps = frame({k: np.array(v, dtype=float) if k in numbers else v for k, v in rows.items()})
    return gaps.sort_values(["touchpoint_id", "competitor"], kind="stable").reset_index(drop=True)


def competitor_summary(gaps: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Per touchpoint: how many competitors are better / same / worse, and overall."""
    n_tp = len(index)
    pos = _positions(gaps["touchpoint_id"], index)
    known = pos >= 0
    versus = gaps["versus"].to_numpy(dtype=object)
    counts = {
        v.value: np.bincount(pos[known & (versus == v.value)], minlength=n_tp)
        for v in (Versus.BETTER, Versus.SAME, Versus.WORSE)
    }
    total = counts["better"] + counts["same"] + counts["worse"]
    overall = np.where(
        total == 0, "", np.where(counts["better"] > 0, "better", np.where(counts["worse"] == total, "worse", "same"))
    ).astype(object)
    with np.errstate(invalid="ignore", divide="ignore"):
        better_share = np.where(total > 0, counts["better"] / np.maximum(total, 1), np.nan)
    return frame(
        {
            "competitors_better": counts["better"],
            "competitors_same": counts["same"],
            "competitors_worse": counts["worse"],
            "competitor_better_share": better_share,
            "competitor_overall": overall,
        },
        index,
    )


def competitor_matrix(gaps: pd.DataFrame, index: pd.Index, competitors: Sequence[str]) -> pd.DataFrame:
    """Touchpoints x competitors, each cell better / same / worse or ``""``."""
    names = list(competitors) + sorted(set(gaps["competitor"]) - set(competitors))
    cells = np.full((len(index), len(names)), "", dtype=object)
    if len(gaps):
        rows = _positions(gaps["touchpoint_id"], index)
        cols = pd.Index(names, dtype=object).get_indexer(gaps["competitor"].to_numpy(dtype=object))
        known = rows >= 0
        cells[rows[known], cols[known]] = gaps["versus"].to_numpy(dtype=object)[known]
    return pd.DataFrame(cells, index=index, columns=pd.Index(names, dtype=object), dtype=object)
