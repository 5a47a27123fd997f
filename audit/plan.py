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

Every other touchpoint gets no action. Each action carries the priority
score, a horizon from it (this week / this month / this quarter), a due date
(7, 30 or 90 days from ``today``), an owner role by category (editable), the
standard to reach, status ``todo`` and its evidence (counts and quotes).
Actions are sorted by priority (then importance, then catalog order).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from audit.i18n import translated
from audit.ipa import CONCENTRATE, KEEP_UP, LOW_PRIORITY, NOT_PLACED, OVERKILL
from audit.languages import LANGUAGES, text_column
from audit.model import Action, ActionKind, ActionStatus, AuditData, Category
from audit.priority import DAYS, horizon_for
from audit.scoring import Analysis, analyse

OWNERS = {
    "en": {
        Category.OFFICE.value: "Office manager",
        Category.PRODUCT.value: "Product manager",
        Category.TECHNOLOGY.value: "Marketing / web manager",
        Category.STAFF.value: "Head of sales",
    },
    "ru": {
        Category.OFFICE.value: "Офис-менеджер",
        Category.PRODUCT.value: "Менеджер по продукту",
        Category.TECHNOLOGY.value: "Маркетолог / веб-менеджер",
        Category.STAFF.value: "Руководитель отдела продаж",
    },
}
MIXED_MIN_OBSERVATIONS = 3  # "shoppers met both good and bad service" needs at least this many observations
MIXED_SHARE = 0.25  # ... and at least this share of them positive and this share negative
QUOTES = 3  # team comments quoted per action
SHOPPER_QUOTES = 2
QUOTE_LENGTH = 160

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "open": "“", "close": "”",
        "add": "Add {name}: the team marks it missing ({missing} of {votes} presence votes) and rates it important ({imp:.1f}/10).",
        "fix": "Fix {name} now: {reasons}; find the cause and correct it.",
        "fix_team": "most team reactions are negative ({neg} of {n})",
        "fix_shoppers": "shoppers met it negative ({sneg} of {sn})",
        "fix_chain": "the journey {chains} breaks here",
        "rethink": "Remove or rethink {name}: low importance ({imp:.1f}/10) and a negative reaction; drop it or redesign it cheaply.",
        "enforce": "Enforce the standard at {name} ({standard}): met in {met} of {measured} shopper checks.",
        "set": "Set a standard for {name}: shoppers met both good and bad service ({spos} positive, {sneg} negative).",
        "improve": "Improve {name}: important ({imp:.1f}/10) but performance is {perf:+.2f}.",
        "improve_competitors": "Improve {name}: {k} competitor(s) do better ({names}); see what to borrow.",
        "improve_unrated": "Improve {name}: shoppers met it negative ({sneg} of {sn}); the team has not rated it yet.",
        "amplify": "Keep and amplify {name}: we beat every competitor compared ({names}); make it a wow.",
        "reach_default": "mostly positive reactions (team and shoppers) at the next check",
        "reach_add": "in place, and shoppers' reaction positive",
        "reach_amplify": "better than every competitor at the next check",
        "reach_set": "a measurable norm a mystery shopper can check",
        "ev_team": "Team: {raters} rater(s); importance {imp} (median {med}); reactions {pos} positive / {neu} neutral / {neg} negative; disagreement {dis}.",
        "ev_unrated": "Team: not rated yet.",
        "ev_presence": "Presence: {have} have / {missing} missing / {nn} not needed.",
        "ev_shoppers": "Shoppers: {sneg} of {sn} observations negative (performance {sperf:+.2f}).",
        "ev_blind": "Blind spot: {blind}.",
        "ev_competitors": "Competitors: {items}.",
        "ev_standard": "Standard {standard}: met {met} of {measured}.",
        "ev_chain": "Journey breaks here: {chains}.",
        "ev_priority": "Priority {p:.1f} = {parts}.",
        "ev_comments": "Team comments: {quotes}.",
        "ev_shopper_quotes": "Shoppers wrote: {quotes}.",
        "part_base": "importance x shortfall {v:.1f}", "part_shoppers": "shoppers {v:.1f}",
        "part_competitors": "competitors {v:.1f}", "part_standard": "standard {v:.1f}",
        "part_missing": "missing must-have {v:.1f}", "part_chain": "broken chain {v:.1f}",
    },
    "ru": {
        "open": "«", "close": "»",
        "add": "Добавить {name}: команда отмечает, что её нет ({missing} из {votes}), и считает её важной ({imp:.1f}/10).",
        "fix": "Срочно исправить {name}: {reasons}; найти причину и устранить.",
        "fix_team": "большинство реакций команды негативные ({neg} из {n})",
        "fix_shoppers": "у тайных покупателей негатив ({sneg} из {sn})",
        "fix_chain": "здесь рвётся цепочка {chains}",
        "rethink": "Убрать или переосмыслить {name}: низкая важность ({imp:.1f}/10) и негативная реакция.",
        "enforce": "Добиться соблюдения стандарта в {name} ({standard}): выполнен в {met} из {measured} проверок.",
        "set": "Ввести стандарт для {name}: покупатели встретили и хорошее, и плохое обслуживание ({spos} позитивных, {sneg} негативных).",
        "improve": "Улучшить {name}: важность {imp:.1f}/10, а оценка {perf:+.2f}.",
        "improve_competitors": "Улучшить {name}: конкуренты лучше нас ({k}: {names}); посмотреть, что перенять.",
        "improve_unrated": "Улучшить {name}: у тайных покупателей негатив ({sneg} из {sn}); команда ещё не оценила.",
        "amplify": "Усилить {name}: мы лучше всех сравнённых конкурентов ({names}); сделать вау-эффект.",
        "reach_default": "преимущественно позитивные реакции (команда и покупатели) при следующей проверке",
        "reach_add": "точка контакта есть, реакция покупателей позитивная",
        "reach_amplify": "лучше всех конкурентов при следующей проверке",
        "reach_set": "измеримая норма, которую может проверить тайный покупатель",
        "ev_team": "Команда: оценок {raters}; важность {imp} (медиана {med}); реакции {pos} позитивных / {neu} нейтральных / {neg} негативных; разногласие {dis}.",
        "ev_unrated": "Команда: ещё не оценено.",
        "ev_presence": "Наличие: есть {have} / нет {missing} / не нужна {nn}.",
        "ev_shoppers": "Тайные покупатели: негативных {sneg} из {sn} (оценка {sperf:+.2f}).",
        "ev_blind": "Слепое пятно: {blind}.",
        "ev_competitors": "Конкуренты: {items}.",
        "ev_standard": "Стандарт {standard}: выполнен {met} из {measured}.",
        "ev_chain": "Здесь рвётся цепочка: {chains}.",
        "ev_priority": "Приоритет {p:.1f} = {parts}.",
        "ev_comments": "Комментарии команды: {quotes}.",
        "ev_shopper_quotes": "Тайные покупатели написали: {quotes}.",
        "part_base": "важность x недобор {v:.1f}", "part_shoppers": "покупатели {v:.1f}",
        "part_competitors": "конкуренты {v:.1f}", "part_standard": "стандарт {v:.1f}",
        "part_missing": "нет обязательной точки {v:.1f}", "part_chain": "разрыв цепочки {v:.1f}",
    },
}
# Languages other than English and Russian: their texts live in audit/locales (keys action_text.*, owner_role.*).
for _language in LANGUAGES:
    TEXTS.setdefault(_language, translated("action_text", _language, TEXTS["en"]))
    OWNERS.setdefault(_language, translated("owner_role", _language, OWNERS["en"]))
_VERSUS_RU = {"better": "лучше", "same": "так же", "worse": "хуже"}
_BLIND_RU = {
    "team positive, shoppers negative": "команда — позитив, покупатели — негатив",
    "team negative, shoppers positive": "команда — негатив, покупатели — позитив",
}
_REACTION_RANK = {"negative": 0, "neutral": 1, "positive": 2}


def owner_roles(language: str = "en", overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Suggested owner role per category (``overrides`` wins; keys are category values)."""
    roles = dict(OWNERS.get(language, OWNERS["en"]))
    for key, value in (overrides or {}).items():
        roles[getattr(key, "value", key)] = value
    return roles


def choose_kinds(scores: pd.DataFrame) -> pd.Series:
    """The action type for every touchpoint (``None`` for no action); rules in the module doc."""
    col = lambda name, default: scores[name] if name in scores.columns else pd.Series(default, index=scores.index)  # noqa: E731
    quadrant = col("quadrant", NOT_PLACED).astype(object)
    high = quadrant.isin([CONCENTRATE, KEEP_UP]).to_numpy()
    low = quadrant.isin([LOW_PRIORITY, OVERKILL]).to_numpy()
    unplaced = (quadrant == NOT_PLACED).to_numpy()
    team_negative = (col("majority_reaction", None).astype(object) == "negative").to_numpy()
    shopper_negative = (col("shopper_majority", None).astype(object) == "negative").to_numpy()
    negative = team_negative | shopper_negative
    have, missing, not_needed = (col(c, 0).fillna(0).to_numpy() for c in ("presence_have", "presence_missing", "presence_not_needed"))
    skip = (not_needed > have) & (not_needed > missing)
    breaks = col("breaks_chain", "").fillna("").astype(str).to_numpy() != ""
    standard = col("standard", "").fillna("").astype(str).to_numpy()
    status = col("standard_status", "").fillna("").astype(str).to_numpy()
    shopper_n = col("shopper_n", 0).to_numpy()
    split = np.minimum(col("shopper_positive", 0).to_numpy(), col("shopper_negative", 0).to_numpy())
    mixed = (shopper_n >= MIXED_MIN_OBSERVATIONS) & (split >= MIXED_SHARE * shopper_n)
    better = col("competitors_better", 0).to_numpy() > 0
    overall = col("competitor_overall", "").fillna("").astype(str).to_numpy()
    conditions = [
        col("missing_must_have", False).fillna(False).to_numpy(dtype=bool),
        skip,
        breaks | (high & negative),
        low & negative,
        status == "not met",
        high & (standard == "") & mixed,
        (quadrant == CONCENTRATE).to_numpy() | (high & better) | (unplaced & shopper_negative),
        (quadrant == KEEP_UP).to_numpy() & (overall == "worse"),
    ]
    choices = [ActionKind.ADD, None, ActionKind.FIX_NOW, ActionKind.RETHINK, ActionKind.STANDARD, ActionKind.STANDARD,
               ActionKind.IMPROVE, ActionKind.AMPLIFY]
    kinds = np.select(conditions, np.array(choices, dtype=object), default=None)
    return pd.Series(kinds, index=scores.index, name="kind", dtype=object)


def _quote(text: str, language: str) -> str:
    t = TEXTS[language]
    flat = " ".join(str(text).split())
    if len(flat) > QUOTE_LENGTH:
        flat = flat[: QUOTE_LENGTH - 1].rstrip() + "…"
    return f"{t['open']}{flat}{t['close']}"


def _number(value: Any, fmt: str) -> str:
    return "—" if value is None or (isinstance(value, float) and np.isnan(value)) else format(value, fmt)


def _quotes(frame: pd.DataFrame, chosen: np.ndarray, text_column: str, limit: int) -> dict[str, list[str]]:
    """Up to ``limit`` non-empty texts per chosen touchpoint, negative reactions first."""
    if not len(frame):
        return {}
    tp = frame["touchpoint_id"].to_numpy(dtype=object)
    text = frame[text_column].to_numpy(dtype=object, na_value="")
    keep = np.flatnonzero(pd.Index(chosen, dtype=object).get_indexer(tp) >= 0)
    keep = keep[text[keep] != ""]
    if not len(keep):
        return {}
    reaction = frame["reaction"].to_numpy(dtype=object, na_value=None)[keep]
    rank = np.select([reaction == "negative", reaction == "neutral", reaction == "positive"], [0, 1, 2], 3)
    codes, _ = pd.factorize(tp[keep])
    order = np.lexsort((np.arange(len(keep)), rank, codes))
    sorted_codes = codes[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_codes)) + 1]
    within = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    out: dict[str, list[str]] = {}
    for i in keep[order[within < limit]]:
        out.setdefault(tp[i], []).append(text[i])
    return out


def propose_plan(
    analysis: Analysis,
    *,
    today: dt.date | None = None,
    owners: Mapping[str, str] | None = None,
    language: str | None = None,
    limit: int | None = None,
) -> list[Action]:
    """Suggested actions (``suggested=True``, no ids yet), highest priority first."""
    data = analysis.data
    language = language or data.audit.language
    language = language if language in TEXTS else "en"
    t = TEXTS[language]
    today = today or dt.date.today()
    roles = owner_roles(language, owners)
    scores = analysis.scores
    kinds = choose_kinds(scores)
    chosen = scores[kinds.notna().to_numpy()]
    if not len(chosen):
        return []
    chosen = chosen.assign(
        kind=kinds[kinds.notna()].to_numpy(),
        _order=np.arange(len(chosen)),
        _importance=chosen["importance_mean"].fillna(0).to_numpy(),
    ).sort_values(["priority", "_importance", "_order"], ascending=[False, False, True], kind="stable")
    if limit is not None:
        chosen = chosen.iloc[: max(limit, 0)]

    ids = chosen.index.to_numpy(dtype=object)
    comments = _quotes(analysis.comments, ids, "comment", QUOTES)
    obs = analysis.observations
    ours = obs[(obs["status"] == "accepted").to_numpy() & (obs["target"] == "").to_numpy()] if len(obs) else obs
    shopper_quotes = _quotes(ours, ids, "text", SHOPPER_QUOTES)
    versus_words = _VERSUS_RU if language == "ru" else {}
    compared: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    better: dict[str, list[str]] = {}
    gaps = analysis.competitor_gaps
    for tp_id, competitor, versus in zip(gaps["touchpoint_id"].tolist(), gaps["competitor"].tolist(), gaps["versus"].tolist()):
        compared.setdefault(tp_id, []).append(f"{competitor} {versus_words.get(versus, versus)}")
        names.setdefault(tp_id, []).append(competitor)
        if versus == "better":
            better.setdefault(tp_id, []).append(competitor)

    name_column = text_column("name", language)
    columns = {c: chosen[c].to_numpy(dtype=object, na_value=None) for c in _ROW_COLUMNS + (name_column,)}
    columns["kind"] = chosen["kind"].to_numpy(dtype=object)
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    open_, close = t["open"], t["close"]
    actions = []
    for position, (tp_id, r) in enumerate(zip(ids, rows)):
        kind = ActionKind(r["kind"])
        fields = {
            "name": f"{open_}{r[name_column]}{close}", "imp": _f(r["importance_mean"]), "perf": _f(r["performance"]),
            "neg": int(r["negative"]), "n": int(r["reaction_n"]), "sneg": int(r["shopper_negative"]),
            "spos": int(r["shopper_positive"]), "sn": int(r["shopper_n"]), "missing": int(r["presence_missing"]),
            "votes": int(r["presence_have"] + r["presence_missing"] + r["presence_not_needed"]),
            "standard": r["standard"] or "", "met": int(r["standard_met"]), "measured": int(r["standard_measured"]),
            "chains": _chains(r["breaks_chain"], t), "k": int(r["competitors_better"]),
            "names": ", ".join((names if kind is ActionKind.AMPLIFY else better).get(tp_id, ())),
        }
        standard = data.standards.get(tp_id)
        reach = standard.describe(language) if standard is not None else t[_REACH.get(kind, "reach_default")]
        horizon = horizon_for(float(r["priority"]))
        evidence = _evidence(r, fields, t, language, "; ".join(compared.get(tp_id, ())), comments.get(tp_id, ()), shopper_quotes.get(tp_id, ()))
        actions.append(
            Action(
                id=None, audit_id=data.audit.id, touchpoint_id=str(tp_id), kind=kind, what=_what(kind, r, fields, t),
                owner=roles.get(str(r["category"]), ""), horizon=horizon, due=today + dt.timedelta(days=DAYS[horizon]),
                standard=reach, status=ActionStatus.TODO, priority=float(r["priority"]), evidence=evidence,
                position=position, suggested=True,
            )
        )
    return actions


_ROW_COLUMNS = (
    "category", "importance_mean", "importance_median", "performance", "raters", "rated", "positive", "neutral", "negative",
    "reaction_n", "majority_reaction", "disagreement", "presence_have", "presence_missing", "presence_not_needed",
    "shopper_n", "shopper_positive", "shopper_negative", "shopper_performance", "shopper_majority", "blind_spot",
    "standard", "standard_met", "standard_measured", "standard_status", "competitors_better", "breaks_chain", "quadrant",
    "priority", "priority_base", "priority_shoppers", "priority_competitors", "priority_standard", "priority_missing",
    "priority_chain",
)
_REACH = {ActionKind.ADD: "reach_add", ActionKind.AMPLIFY: "reach_amplify", ActionKind.STANDARD: "reach_set"}


def plan_for(data: AuditData, crosshair: Any = "mean", **options: Any) -> list[Action]:
    """Analyse ``data`` and propose its plan in one call."""
    return propose_plan(analyse(data, crosshair), **options)


def renumber(actions: list[Action]) -> list[Action]:
    """Positions 0..n-1 in the given order (after a person reorders the plan)."""
    return [dataclasses.replace(a, position=i) for i, a in enumerate(actions)]


def _f(value: Any) -> float:
    return float("nan") if value is None else float(value)


def _chains(value: Any, t: Mapping[str, str]) -> str:
    if not isinstance(value, str) or not value:
        return ""
    return ", ".join(f"{t['open']}{c}{t['close']}" for c in value.split("; "))


def _what(kind: ActionKind, r: Mapping[str, Any], fields: dict[str, Any], t: Mapping[str, str]) -> str:
    if kind is ActionKind.ADD:
        return t["add"].format(**fields)
    if kind is ActionKind.FIX_NOW:
        reasons = []
        if fields["chains"]:
            reasons.append(t["fix_chain"].format(**fields))
        if r["majority_reaction"] == "negative":
            reasons.append(t["fix_team"].format(**fields))
        if r["shopper_majority"] == "negative":
            reasons.append(t["fix_shoppers"].format(**fields))
        return t["fix"].format(reasons="; ".join(reasons), **{k: v for k, v in fields.items() if k != "reasons"})
    if kind is ActionKind.RETHINK:
        return t["rethink"].format(**fields)
    if kind is ActionKind.STANDARD:
        return t["enforce" if r["standard_status"] == "not met" else "set"].format(**fields)
    if kind is ActionKind.AMPLIFY:
        return t["amplify"].format(**fields)
    if r["quadrant"] == NOT_PLACED:
        return t["improve_unrated"].format(**fields)
    if r["quadrant"] != CONCENTRATE and fields["k"] > 0:
        return t["improve_competitors"].format(**fields)
    return t["improve"].format(**fields)


def _evidence(
    r: Mapping[str, Any], fields: Mapping[str, Any], t: Mapping[str, str], language: str,
    competitors: str, comments: Sequence[str], shopper_quotes: Sequence[str],
) -> str:
    lines = []
    if r["rated"]:
        lines.append(t["ev_team"].format(
            raters=int(r["raters"]), imp=_number(_f(r["importance_mean"]), ".1f"), med=_number(_f(r["importance_median"]), "g"),
            pos=int(r["positive"]), neu=int(r["neutral"]), neg=int(r["negative"]), dis=_number(_f(r["disagreement"]), ".2f"),
        ))
    else:
        lines.append(t["ev_unrated"])
    if r["presence_missing"] or r["presence_not_needed"]:
        lines.append(t["ev_presence"].format(have=int(r["presence_have"]), missing=int(r["presence_missing"]), nn=int(r["presence_not_needed"])))
    if r["shopper_n"]:
        lines.append(t["ev_shoppers"].format(sperf=_f(r["shopper_performance"]), **fields))
    if r["blind_spot"]:
        blind = _BLIND_RU.get(r["blind_spot"], r["blind_spot"]) if language == "ru" else r["blind_spot"]
        lines.append(t["ev_blind"].format(blind=blind))
    if competitors:
        lines.append(t["ev_competitors"].format(items=competitors))
    if r["standard"] and r["standard_measured"]:
        lines.append(t["ev_standard"].format(**fields))
    if fields["chains"]:
        lines.append(t["ev_chain"].format(chains=fields["chains"]))
    parts = [
        t[f"part_{name}"].format(v=float(r[f"priority_{name}"]))
        for name in ("base", "shoppers", "competitors", "standard", "missing", "chain")
        if float(r[f"priority_{name}"]) > 0
    ]
    lines.append(t["ev_priority"].format(p=float(r["priority"]), parts=" + ".join(parts) or "0"))
    if comments:
        lines.append(t["ev_comments"].format(quotes="; ".join(_quote(c, language) for c in comments)))
    if shopper_quotes:
        lines.append(t["ev_shopper_quotes"].format(quotes="; ".join(_quote(c, language) for c in shopper_quotes)))
    return "\n".join(lines)
