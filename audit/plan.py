"""From scores to a plan: one suggested action per touchpoint that needs one.

The action type follows the method (first rule that applies):

1. ``add the missing touchpoint``: the team marks a must-have touchpoint as
   missing (see :mod:`audit.priority`).
2. (Touchpoints most of the team marks "not needed" get no action.)
3. ``fix now``: a customer journey breaks here, or the touchpoint is in the
   high-importance half of the IPA grid and its reaction is predominantly
   negative (team's majority or the shoppers' majority).
4. ``remove or rethink``: low importance (IPA "Low priority" / "Possible
   overkill") and a predominantly negative reaction.
5. ``set or enforce a standard``: the touchpoint's standard was not met in a
   shopper check (enforce); or it is important, has no standard, and
   shoppers met inconsistent service there: at least 3 observations, of
   which at least a quarter positive and a quarter negative (set one).
6. ``improve``: IPA "Concentrate here"; or important while a competitor does
   better; or not rated by the team yet but shoppers saw it negative.
7. ``keep and amplify``: IPA "Keep up the good work" and every compared
   competitor does worse than us (make it a "wow").
8. ``improve``: a stage where a journey's funnel loses the largest share of
   customers (:mod:`audit.funnel`), when no rule above applies.

Every other touchpoint gets no action. Each action carries the priority
score, a horizon that follows the action type and the priority
(:func:`audit.priority.horizon_for`: "fix now" is this week or this month,
never later), a due date (7, 30 or 90 days from ``today``), an owner role by
category (editable), the standard to reach, status ``todo`` and its
evidence (counts and quotes, and a warning when the team numbers rest on
fewer than :data:`audit.priority.MIN_RATERS` raters). Actions are sorted by
priority (then importance, then catalog order). Every text comes from
:mod:`audit.i18n` (keys ``action_text.*``, ``owner_role.*``, ``versus_word.*``, ``blind_spot.*``), so a language is
data.

Speed (``python -m audit bench``: the plan of a ready analysis): every score
column is taken out of the frame once per plan, the words are written column
by column (:mod:`audit.action_text`), the quotes are picked with one stable
sort of the rows that have words, and the actions are built with
:meth:`audit.model.Action.written`, which trusts the words the plan wrote
from checked parts (a caller's owner roles are still checked). Everything
cached lives in objects of one plan, never in the module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from audit.action_text import QUOTE_LENGTH as QUOTE_LENGTH
from audit.action_text import ActionTexts, evidence_words, field_words, what_words
from audit.action_text import blind_spot_words as blind_spot_words
from audit.i18n import t
from audit.ipa import CONCENTRATE, KEEP_UP, LOW_PRIORITY, NOT_PLACED, OVERKILL
from audit.languages import LANGUAGES, text_column
from audit.model import MAX_NAME, Action, ActionKind, ActionStatus, AuditData, Category, Horizon, clean_text
from audit.priority import DAYS, MONTH_FROM, WEEK_FROM, horizon_for
from audit.scoring import Analysis, analyse

MIXED_MIN_OBSERVATIONS = 3  # "shoppers met both good and bad service" needs at least this many observations
MIXED_SHARE = 0.25  # ... and at least this share of them positive and this share negative
QUOTES = 3  # team comments quoted per action
SHOPPER_QUOTES = 2
_RANK = {"negative": 0, "neutral": 1, "positive": 2}  # quotes of negative reactions first; no reaction last


def owner_roles(language: str = "en", overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Suggested owner role per category (``overrides`` wins; keys are category values)."""
    roles = {c.value: t(f"owner_role.{c.value}", language) for c in Category}
    for key, value in (overrides or {}).items():
        roles[getattr(key, "value", key)] = value
    return roles


class _ScoreColumns:
    """The score columns one plan reads, each taken out of the frame once, as numpy arrays."""

    def __init__(self, scores: pd.DataFrame) -> None:
        self.size = len(scores)
        self._scores = scores
        self._arrays: dict[str, np.ndarray | None] = {}

    def get(self, name: str) -> np.ndarray | None:
        """The column's values as they are (``None`` without the column)."""
        if name not in self._arrays:
            self._arrays[name] = self._scores[name].to_numpy() if name in self._scores.columns else None
        return self._arrays[name]

    def __getitem__(self, name: str) -> np.ndarray:
        values = self.get(name)
        if values is None:
            raise KeyError(name)
        return values

    def texts(self, name: str, default: str = "") -> np.ndarray:
        """A text column as an object array, missing values (and a missing column) as ``default``."""
        values = self.get(name)
        if values is None:
            return np.full(self.size, default, dtype=object)
        values = values if values.dtype == object else values.astype(object)
        missing = pd.isna(values)
        if missing.any():
            values = values.copy()
            values[missing] = default
        return values

    def numbers(self, name: str, missing: float = np.nan) -> np.ndarray:
        """A number column as floats, missing values as ``missing`` (a missing column is zeros)."""
        values = self.get(name)
        if values is None:
            return np.zeros(self.size)
        if values.dtype.kind in "iub":
            return values.astype(float)
        if values.dtype.kind == "f":
            return values if np.isnan(missing) or not np.isnan(values).any() else np.where(np.isnan(values), missing, values)
        return self._scores[name].to_numpy(dtype=float, na_value=missing)

    def flags(self, name: str) -> np.ndarray:
        """A yes/no column as booleans, missing values (and a missing column) as no."""
        values = self.get(name)
        if values is None:
            return np.zeros(self.size, dtype=bool)
        return values if values.dtype == bool else self._scores[name].to_numpy(dtype=bool, na_value=False)


def choose_kinds(scores: pd.DataFrame) -> pd.Series:
    """The action type for every touchpoint (``None`` for no action); rules in the module doc."""
    return pd.Series(_kinds(_ScoreColumns(scores)), index=scores.index, name="kind", dtype=object)


def _kinds(scores: _ScoreColumns) -> np.ndarray:
    quadrant = scores.texts("quadrant", NOT_PLACED)
    high = (quadrant == CONCENTRATE) | (quadrant == KEEP_UP)
    low = (quadrant == LOW_PRIORITY) | (quadrant == OVERKILL)
    unplaced = quadrant == NOT_PLACED
    shopper_negative = scores.texts("shopper_majority") == "negative"
    negative = (scores.texts("majority_reaction") == "negative") | shopper_negative
    have, missing, not_needed = (scores.numbers(c, 0.0) for c in ("presence_have", "presence_missing", "presence_not_needed"))
    skip = (not_needed > have) & (not_needed > missing)
    shopper_n = scores.numbers("shopper_n")
    split = np.minimum(scores.numbers("shopper_positive"), scores.numbers("shopper_negative"))
    mixed = (shopper_n >= MIXED_MIN_OBSERVATIONS) & (split >= MIXED_SHARE * shopper_n)
    better = scores.numbers("competitors_better") > 0
    conditions = [
        scores.flags("missing_must_have"),
        skip,
        (scores.texts("breaks_chain") != "") | (high & negative),
        low & negative,
        scores.texts("standard_status") == "not met",
        high & (scores.texts("standard") == "") & mixed,
        (quadrant == CONCENTRATE) | (high & better) | (unplaced & shopper_negative),
        (quadrant == KEEP_UP) & (scores.texts("competitor_overall") == "worse"),
        scores.texts("funnel_drop") != "",  # a journey's funnel loses most customers here
    ]
    return _CHOICES[np.select(conditions, range(1, len(conditions) + 1), default=0)]


_CHOICES = np.array([None, ActionKind.ADD, None, ActionKind.FIX_NOW, ActionKind.RETHINK, ActionKind.STANDARD, ActionKind.STANDARD,
                     ActionKind.IMPROVE, ActionKind.AMPLIFY, ActionKind.IMPROVE], dtype=object)  # by the number of the first rule that applies
_CHOICES.flags.writeable = False


def _quotes(table: pd.DataFrame, column: str, chosen: Sequence[str], limit: int, texts: ActionTexts,
            where: Mapping[str, str] | None = None) -> dict[str, str]:
    """Per chosen touchpoint, up to ``limit`` of its non-empty texts (``table[column]``; only the rows whose columns
    hold the values ``where`` names, when given), negative reactions first, then in table order, each quoted and
    joined with "; " (a touchpoint without any text is left out)."""
    if not len(table):
        return {}
    tp, text = table["touchpoint_id"].to_numpy(), table[column].to_numpy()
    said = text != ""
    if pd.api.types.infer_dtype(text, skipna=False) != "string":  # some text is missing (None, NaN)
        said &= pd.notna(text)
    keep = np.flatnonzero(said)
    for name, value in (where or {}).items():
        keep = keep[table[name].to_numpy()[keep] == value]
    if not len(keep):
        return {}
    codes, uniques = group_codes(tp[keep])
    wanted = set(chosen)
    chosen_rows = np.r_[np.fromiter(map(wanted.__contains__, uniques.tolist()), dtype=bool, count=len(uniques)), False][codes]
    keep, group = keep[chosen_rows], codes[chosen_rows]  # (code -1, a missing id, is never chosen)
    if not len(keep):
        return {}
    reactions, named = pd.factorize(table["reaction"].to_numpy()[keep])
    rank = np.array([*(_RANK.get(r, 3) for r in named.tolist()), 3], dtype=np.int64)[reactions]  # -1 (none): last
    order = np.argsort(group * 4 + rank, kind="stable")  # by touchpoint, then reaction, then table order
    sorted_group = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_group)) + 1]
    within = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    picked = keep[order[within < limit]]
    quoted = texts.quote_each(text[picked].tolist())
    firsts = np.r_[0, np.flatnonzero(np.diff(sorted_group[within < limit])) + 1, len(picked)].tolist()
    keys = tp[picked[firsts[:-1]]].tolist()
    return dict(zip(keys, map("; ".join, map(quoted.__getitem__, map(slice, firsts, firsts[1:]))), strict=True))


def group_codes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What ``pd.factorize(keys)`` gives (a code per key, the keys in order of first appearance; a missing key is
    -1), found in one pass when equal keys sit together (a table grouped by touchpoint)."""
    change = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)
    if np.count_nonzero(change) * 2 > len(keys):  # mostly alone: hashing is as quick as checking
        return pd.factorize(keys)
    uniques = keys[change]
    if pd.api.types.infer_dtype(uniques, skipna=False) == "string" and len(set(uniques.tolist())) == len(uniques):
        return np.cumsum(change) - 1, uniques
    return pd.factorize(keys)


class _Context:
    """What every action of one plan draws on: texts, owner roles, names, quotes and competitor words."""

    def __init__(self, analysis: Analysis, ids: list[str], language: str, owners: Mapping[str, str] | None) -> None:
        data = analysis.data
        self.texts = ActionTexts(language)
        self.language = language
        self.roles = owner_roles(language, owners)
        self.names = _names(analysis, language)
        self.standards = data.standards
        self.audit_id = data.audit.id
        self.comments = _quotes(analysis.comments, "comment", ids, QUOTES, self.texts)
        self.shopper_quotes = _quotes(analysis.observations, "text", ids, SHOPPER_QUOTES, self.texts,
                                      {"status": "accepted", "target": ""})  # accepted observations of our own business
        gaps = analysis.competitor_gaps
        tp_ids, names, versus = (gaps[c].tolist() for c in ("touchpoint_id", "competitor", "versus"))
        words = self.versus_words = {v: t(f"versus_word.{v}", language) for v in set(versus)}
        self.compared = _grouped(tp_ids, [f"{c} {words[v]}" for c, v in zip(names, versus, strict=True)])
        self._gaps = (tp_ids, names, versus)

    def competitors_of(self, ids: Sequence[str], better_only: bool) -> list[str]:
        """Per touchpoint of ``ids``, its compared competitors (``better_only``: those doing better), comma-separated."""
        wanted = set(ids)
        names: dict[str, list[str]] = {}
        for tp_id, competitor, versus in zip(*self._gaps, strict=True):
            if tp_id in wanted and (not better_only or versus == "better"):
                names.setdefault(tp_id, []).append(competitor)
        return [", ".join(names.get(i, ())) for i in ids]


def _grouped(keys: list[str], values: list[str]) -> dict[str, list[str]]:
    """The values of each key, in order."""
    out: dict[str, list[str]] = {}
    for key, value in zip(keys, values, strict=True):
        group = out.get(key)
        if group is None:
            out[key] = [value]
        else:
            group.append(value)
    return out


def _names(analysis: Analysis, language: str) -> dict[str, str]:
    """Every touchpoint's name in ``language`` (the scores hold them for the languages of the product)."""
    column = text_column("name", language)
    if language in LANGUAGES and column in analysis.scores.columns:
        return dict(zip(analysis.scores.index.tolist(), analysis.scores[column].tolist(), strict=True))
    return {tp.id: tp.name.get(language) for tp in analysis.data.catalog.touchpoints}


def _columns(columns: _ScoreColumns, rows: np.ndarray) -> dict[str, np.ndarray]:
    """The rows ``rows`` of the columns an action reads, as arrays (a missing number is NaN)."""
    return {c: columns[c][rows] for c in _ROW_COLUMNS}


def _language(analysis: Analysis, language: str | None) -> str:
    return language or analysis.data.audit.language or "en"


def propose_plan(
    analysis: Analysis,
    *,
    today: dt.date | None = None,
    owners: Mapping[str, str] | None = None,
    language: str | None = None,
    limit: int | None = None,
) -> list[Action]:
    """Suggested actions (``suggested=True``, no ids yet), highest priority first."""
    language = _language(analysis, language)
    today = today or dt.date.today()
    scores = analysis.scores
    columns = _ScoreColumns(scores)
    kinds = _kinds(columns)
    rows = np.flatnonzero(kinds != None)  # noqa: E711 (elementwise)
    if not len(rows):
        return []
    priority = columns.numbers("priority")[rows]
    importance = columns.numbers("importance_mean", 0.0)[rows]
    rows = rows[np.lexsort((np.arange(len(rows)), -importance, -priority))]  # priority, then importance, then catalog order
    if limit is not None:
        rows = rows[: max(limit, 0)]

    ids = scores.index.to_numpy(dtype=object)[rows].tolist()
    ctx = _Context(analysis, ids, language, owners)
    action_kinds = list(map(_KINDS.__getitem__, kinds[rows].tolist()))
    v = _columns(columns, rows)
    f = field_words(ctx, ids, v)
    priorities = v["priority"].astype(float).tolist()
    horizons = horizons_for(v["priority"], action_kinds)
    due = {horizon: today + dt.timedelta(days=days) for horizon, days in DAYS.items()}
    reach = _reach(ctx, ids, action_kinds)
    size = len(ids)
    owners_used = {c: clean_text(ctx.roles.get(c, ""), "owner", limit=MAX_NAME) for c in map(str, set(v["category"].tolist()))}  # a caller's roles
    what = what_words(ctx, ids, action_kinds, v, f).tolist()
    evidence = evidence_words(ctx, ids, v, f).tolist()
    build = Action.written if ctx.texts.are_clean(*ctx.versus_words.values()) else Action.many  # the language's words
    return build({  # every other word below is the plan's own, built from parts checked on their way in
        "id": [None] * size, "audit_id": [ctx.audit_id] * size, "touchpoint_id": list(map(str, ids)), "kind": action_kinds,
        "what": what, "owner": list(map(owners_used.__getitem__, map(str, v["category"].tolist()))), "horizon": horizons,
        "due": list(map(due.__getitem__, horizons)), "standard": reach, "status": [ActionStatus.TODO] * size, "priority": priorities,
        "evidence": evidence, "notes": [""] * size, "position": list(range(size)), "suggested": [True] * size,
    })


def _reach(ctx: _Context, ids: list[str], kinds: list[ActionKind]) -> list[str]:
    """The standard each action is to reach: the touchpoint's own standard, else the action type's default words."""
    by_kind = {kind: ctx.texts[_REACH.get(kind, "reach_default")] for kind in set(kinds)}
    reach = list(map(by_kind.__getitem__, kinds))
    for row, standard in enumerate(map(ctx.standards.get, ids)):
        if standard is not None:
            reach[row] = standard.describe(ctx.language)
    return reach


def horizons_for(priorities: np.ndarray, kinds: Sequence[ActionKind]) -> list[Horizon]:
    """:func:`audit.priority.horizon_for` of every action, asked once per action type and priority band (the
    horizon depends on the priority only through the bands that start at ``MONTH_FROM`` and ``WEEK_FROM``)."""
    bands = ((priorities >= MONTH_FROM).astype(np.int64) + (priorities >= WEEK_FROM)).tolist()
    asked: dict[tuple[ActionKind, int], Horizon] = {}
    out = []
    for priority, band, kind in zip(priorities.tolist(), bands, kinds, strict=True):
        horizon = asked.get((kind, band))
        if horizon is None:
            horizon = asked[kind, band] = horizon_for(priority, kind)
        out.append(horizon)
    return out


def touchpoint_evidence(analysis: Analysis, touchpoint_ids: Sequence[str], *, language: str | None = None) -> dict[str, str]:
    """The evidence text of any touchpoints (also those no action is suggested for), as the plan words it."""
    scores = analysis.scores
    ids = [i for i in dict.fromkeys(touchpoint_ids) if i in scores.index]
    if not ids:
        return {}
    ctx = _Context(analysis, ids, _language(analysis, language), None)
    v = _columns(_ScoreColumns(scores), scores.index.get_indexer(ids))
    evidence = evidence_words(ctx, ids, v, field_words(ctx, ids, v))
    return dict(zip(ids, evidence.tolist(), strict=True))


_ROW_COLUMNS = (
    "category", "importance_mean", "importance_median", "performance", "raters", "rated", "positive", "neutral", "negative",
    "reaction_n", "majority_reaction", "disagreement", "presence_have", "presence_missing", "presence_not_needed",
    "shopper_n", "shopper_positive", "shopper_negative", "shopper_performance", "shopper_majority", "blind_spot",
    "standard", "standard_met", "standard_measured", "standard_status", "competitors_better", "breaks_chain", "quadrant",
    "priority", "priority_base", "priority_shoppers", "priority_competitors", "priority_standard", "priority_missing",
    "priority_chain", "few_raters",
)
_KINDS = {kind.value: kind for kind in ActionKind}  # choose_kinds gives the values
_REACH = {ActionKind.ADD: "reach_add", ActionKind.AMPLIFY: "reach_amplify", ActionKind.STANDARD: "reach_set"}


def plan_for(data: AuditData, crosshair: Any = "mean", **options: Any) -> list[Action]:
    """Analyse ``data`` and propose its plan in one call."""
    return propose_plan(analyse(data, crosshair), **options)


def renumber(actions: list[Action]) -> list[Action]:
    """Positions 0..n-1 in the given order (after a person reorders the plan)."""
    return [dataclasses.replace(a, position=i) for i, a in enumerate(actions)]


def _f(value: Any) -> float:
    return float("nan") if value is None else float(value)
