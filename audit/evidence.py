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

from audit.columnar import REACTION_VALUES, VisitTable, object_array
from audit.frames import frame, looked_up, pick, position_map, positions
from audit.model import AuditData, Comparison, CompetitorNote, Standard, Versus

OBSERVATION_COLUMNS = (
    "visit_id", "status", "target", "shopper_id", "visited_at", "channel", "location",
    "touchpoint_id", "reaction", "score", "text", "measurement",
)
COMPARISONS = (Comparison.AT_MOST, Comparison.LESS, Comparison.AT_LEAST, Comparison.MORE, Comparison.EQUAL)
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


def observation_columns(data: AuditData, table: VisitTable | None = None) -> dict[str, np.ndarray]:
    """The columns of :func:`observation_frame`, as arrays (``table``: ``data.visits`` as a table, when the caller has it)."""
    canonical = {name.casefold(): name for name in data.audit.competitors}
    table = VisitTable.of(data.visits) if table is None else table
    at = table.visit  # per observation: the position of its visit
    score = np.array((1, 0, -1), dtype=np.int64)[table.reaction] if len(at) else np.zeros(0, dtype=np.int64)
    spelled = {t: canonical.get(t.casefold(), t) for t in set(table.target.tolist())}  # each distinct target once
    targets = object_array(list(map(spelled.__getitem__, table.target.tolist())))
    return {
        "visit_id": table.id[at],
        "status": table.status[at],
        "target": targets[at],
        "shopper_id": table.shopper_id[at],
        "visited_at": table.visited_at[at],
        "channel": table.channel[at],
        "location": table.location[at],
        "touchpoint_id": table.touchpoint_id,
        "reaction": np.array(REACTION_VALUES, dtype=object)[table.reaction],
        "score": score,
        "text": table.text,
        "measurement": table.measurement,
    }


def observation_frame(data: AuditData) -> pd.DataFrame:
    """Every observation of every visit of the wave (all statuses), one row each."""
    return frame(observation_columns(data))


def _positions(touchpoint_ids: pd.Series, index: pd.Index) -> np.ndarray:
    return index.get_indexer(touchpoint_ids.to_numpy(dtype=object)) if len(touchpoint_ids) else np.zeros(0, dtype=np.int64)


def shopper_evidence(ours: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Accepted observations at our business, per touchpoint.

    Columns: ``shopper_n``, ``shopper_positive``, ``shopper_neutral``,
    ``shopper_negative``, ``shopper_performance`` (mean of +1/0/-1, NaN
    without observations), ``shopper_negative_share`` and
    ``shopper_majority`` (strict plurality, ``None`` on a tie).
    """
    pos = _positions(ours["touchpoint_id"], index)
    return frame(shopper_columns(pos, ours["score"].to_numpy(dtype=np.int64), len(index)), index)


def shopper_columns(pos: np.ndarray, score: np.ndarray, n_tp: int) -> dict[str, np.ndarray]:
    """The columns of :func:`shopper_evidence` from the observations' catalog positions and scores (+1/0/-1)."""
    known = pos >= 0
    code = 1 - score  # +1 -> 0, 0 -> 1, -1 -> 2
    counts = np.bincount(pos[known] * 3 + code[known], minlength=n_tp * 3).reshape(n_tp, 3)
    n = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        performance = (counts[:, 0] - counts[:, 2]) / n
        negative_share = counts[:, 2] / n
    return {
        "shopper_n": n,
        "shopper_positive": counts[:, 0],
        "shopper_neutral": counts[:, 1],
        "shopper_negative": counts[:, 2],
        "shopper_performance": performance,
        "shopper_negative_share": negative_share,
        "shopper_majority": majority_labels(counts, REACTION_VALUES),
    }


def standards_met(standards: Mapping[str, Standard], touchpoint_ids: np.ndarray, measurements: np.ndarray) -> np.ndarray:
    """Per measurement: 1.0 met, 0.0 not met, NaN when there is no standard or no value."""
    if not len(measurements) or not standards:
        return np.full(len(measurements), np.nan)
    return _met(standards, positions(touchpoint_ids, pd.Index(list(standards), dtype=object)), measurements)


def _met(standards: Mapping[str, Standard], where: np.ndarray, measurements: np.ndarray) -> np.ndarray:
    """:func:`standards_met` from the position of each measurement's standard among ``standards`` (-1 or
    ``len(standards)``: none)."""
    out = np.full(len(measurements), np.nan)
    if not len(measurements) or not standards:
        return out
    value = measurements.astype(float)
    ops = np.array([COMPARISONS.index(s.comparison) for s in standards.values()] + [-1], dtype=np.int64)[where]
    rows = np.flatnonzero((ops >= 0) & ~np.isnan(value))  # measured, with a standard: only these are checked
    value, ops = value[rows], ops[rows]
    thresholds = np.array([s.threshold for s in standards.values()] + [np.nan])[where[rows]]
    checks = (value <= thresholds, value < thresholds, value >= thresholds, value > thresholds,
              np.isclose(value, thresholds, rtol=1e-9, atol=0.0))  # in the order of COMPARISONS
    out[rows] = np.choose(ops, checks)
    return out


def standard_results(standards: Mapping[str, Standard], ours: pd.DataFrame, index: pd.Index, language: str = "en") -> pd.DataFrame:
    """Standards met / not met from accepted shopper measurements at our business."""
    columns = standard_columns(standards, ours["measurement"].to_numpy(dtype=float), _positions(ours["touchpoint_id"], index),
                               index, language)
    return frame(columns, index)


def standard_columns(standards: Mapping[str, Standard], measurements: np.ndarray, pos: np.ndarray, index: pd.Index, language: str,
                     where: Mapping[str, int] | None = None) -> dict[str, np.ndarray]:
    """The columns of :func:`standard_results` from the measurements and their touchpoints' catalog positions
    (``where``: the :func:`audit.frames.position_map` of ``index``, when the caller has it)."""
    n_tp = len(index)
    keys = list(standards)
    at = positions(object_array(keys), index if where is None else where)  # each standard's touchpoint in the catalog
    listed = np.flatnonzero(at >= 0)
    which = np.full(n_tp + 1, len(keys), dtype=np.int64)  # per catalog position (and -1 last): its standard, or none
    which[at[listed]] = listed
    met = _met(standards, which[pos], measurements)
    checked = (pos >= 0) & ~np.isnan(met)
    measured = np.bincount(pos[checked], minlength=n_tp)
    ok = np.bincount(pos[checked], weights=met[checked], minlength=n_tp).astype(np.int64)
    not_met = measured - ok
    text = np.full(n_tp, "", dtype=object)
    text[at[listed]] = [standards[keys[k]].describe(language) for k in listed.tolist()]
    has = text != ""
    status = pick([~has, measured == 0, not_met > 0], ["", "not measured", "not met"], "met")
    with np.errstate(invalid="ignore", divide="ignore"):
        missed_share = np.where(measured > 0, not_met / np.maximum(measured, 1), np.nan)
    return {
        "standard": text,
        "standard_measured": measured,
        "standard_met": ok,
        "standard_not_met": not_met,
        "standard_missed_share": missed_share,
        "standard_status": status,
    }


def competitor_gaps(data: AuditData, accepted: pd.DataFrame) -> pd.DataFrame:
    """One row per (touchpoint, competitor) compared: notes first, then shopper evidence."""
    return gap_table(data.competitor_notes, accepted["touchpoint_id"].to_numpy(dtype=object),
                     accepted["target"].to_numpy(dtype=object), accepted["score"].to_numpy(dtype=float))


Factors = tuple[np.ndarray, np.ndarray]  # pd.factorize of ids: a code per row and the distinct ids


def _shopper_gaps(noted: set[tuple[str, str]], factors: Factors, target: np.ndarray, score: np.ndarray) -> dict[str, np.ndarray]:
    """Competitors compared by shoppers where no note exists: per (touchpoint, competitor) seen at both, the sign
    of their mean score minus ours. ``factors``: the observations' touchpoints factorised (the distinct ids may
    include ids of no observation here)."""
    ours = target == ""
    if not (ours.any() and (~ours).any()):
        return {}
    tp_codes, tp_names = factors[0].astype(np.int64, copy=False), factors[1]
    n_tp = len(tp_names)
    our_n = np.bincount(tp_codes[ours], minlength=n_tp)
    our_perf = np.bincount(tp_codes[ours], weights=score[ours], minlength=n_tp) / np.maximum(our_n, 1)
    comp_codes, comp_names = pd.factorize(target[~ours])
    width = len(comp_names)
    key = tp_codes[~ours] * width + comp_codes
    their_n = np.bincount(key, minlength=n_tp * width)
    their_perf = np.bincount(key, weights=score[~ours], minlength=n_tp * width) / np.maximum(their_n, 1)
    keys = np.flatnonzero(their_n > 0)
    t = keys // width
    if noted:
        pairs = list(noted)
        note_tp = looked_up([a for a, _ in pairs], position_map(tp_names))
        note_comp = looked_up([b for _, b in pairs], position_map(comp_names))
        known = (note_tp >= 0) & (note_comp >= 0)
        keys = keys[~np.isin(keys, note_tp[known] * width + note_comp[known])]
        t = keys // width
    keys, t = keys[our_n[t] > 0], t[our_n[t] > 0]
    diff = their_perf[keys] - our_perf[t]
    versus = pick([diff > 1e-9, diff < -1e-9], [Versus.BETTER.value, Versus.WORSE.value], Versus.SAME.value)
    blank = np.full(len(keys), "", dtype=object)
    return {
        "touchpoint_id": np.asarray(tp_names, dtype=object)[t], "competitor": np.asarray(comp_names, dtype=object)[keys % width],
        "versus": versus, "source": np.full(len(keys), "shoppers", dtype=object),
        "competitor_performance": their_perf[keys], "our_performance": our_perf[t], "reaction": blank, "borrow": blank, "author": blank,
    }


def gap_table(notes: Sequence[CompetitorNote], tp: np.ndarray, target: np.ndarray, score: np.ndarray) -> pd.DataFrame:
    """:func:`competitor_gaps` from the accepted observations' touchpoints, targets and scores."""
    return frame(gap_columns(notes, tp, target, score))


def gap_columns(notes: Sequence[CompetitorNote], tp: np.ndarray, target: np.ndarray, score: np.ndarray,
                factors: Factors | None = None) -> dict[str, np.ndarray]:
    """The columns of :func:`gap_table` (:data:`GAP_COLUMNS`), in its order."""
    columns: dict[str, np.ndarray] = {
        "touchpoint_id": object_array([n.touchpoint_id for n in notes]),
        "competitor": object_array([n.competitor for n in notes]),
        "versus": object_array([n.versus.value for n in notes]),
        "source": np.full(len(notes), "note", dtype=object),
        "competitor_performance": np.full(len(notes), np.nan),
        "our_performance": np.full(len(notes), np.nan),
        "reaction": object_array([n.reaction.value if n.reaction else "" for n in notes]),
        "borrow": object_array([n.borrow for n in notes]),
        "author": object_array([n.author for n in notes]),
    }
    if factors is None:
        codes, uniques = pd.factorize(tp)
        factors = (codes, np.asarray(uniques, dtype=object))
    seen = _shopper_gaps({(n.touchpoint_id, n.competitor) for n in notes}, factors, target, score)
    if seen:
        columns = {name: np.concatenate([values, seen[name]]) for name, values in columns.items()}
    pairs = list(zip(columns["touchpoint_id"].tolist(), columns["competitor"].tolist(), strict=True))
    order = np.array(sorted(range(len(pairs)), key=pairs.__getitem__), dtype=np.int64)  # by touchpoint, then competitor; stable
    return {name: values[order] for name, values in columns.items()}


def competitor_summary(gaps: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Per touchpoint: how many competitors are better / same / worse, and overall."""
    return frame(competitor_columns(_positions(gaps["touchpoint_id"], index), gaps["versus"].to_numpy(dtype=object), len(index)), index)


def competitor_columns(pos: np.ndarray, versus: np.ndarray, n_tp: int) -> dict[str, np.ndarray]:
    """The columns of :func:`competitor_summary` from the gaps' catalog positions and their ``versus``."""
    known = pos >= 0
    counts = {
        v.value: np.bincount(pos[known & (versus == v.value)], minlength=n_tp)
        for v in (Versus.BETTER, Versus.SAME, Versus.WORSE)
    }
    total = counts["better"] + counts["same"] + counts["worse"]
    overall = pick([total == 0, counts["better"] > 0, counts["worse"] == total], ["", "better", "worse"], "same")
    with np.errstate(invalid="ignore", divide="ignore"):
        better_share = np.where(total > 0, counts["better"] / np.maximum(total, 1), np.nan)
    return {
        "competitors_better": counts["better"],
        "competitors_same": counts["same"],
        "competitors_worse": counts["worse"],
        "competitor_better_share": better_share,
        "competitor_overall": overall,
    }


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
