"""What goes on each sheet of the audit's workbook, as header + rows, in the audit's language.

:func:`workbook_sheets` describes every sheet as blocks of rows; the writer in
:mod:`audit.workbook` streams them into the xlsx file (formats, print setup,
protection), and the benchmark's floor writes the very same cells
unformatted. Sheet names, headers, enum values and the About sheet come from
:mod:`audit.i18n` in the audit's language (keys ``xlsx.*`` and the app's own
words for categories, action types, horizons, statuses, quadrants and
reactions), so a new language is data. A missing number is ``None`` (a blank
cell) or "not rated yet", never NaN; numbers and dates stay numbers and
dates.

Every sheet describes the same analysis: the crosshair, the wave and the
filters (none: a workbook always covers every touchpoint) are stated on the
About sheet and in the page header of every printed page.

The parts every sheet is made of (columns, tables, cell checks, the words of
coded values, sheet titles) are in :mod:`audit.sheet_table`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from audit.columnar import PRESENCES, REACTIONS, RatingTable
from audit.competitors import side_by_side
from audit.departments import department_gaps, department_label, department_means
from audit.evidence import standards_met
from audit.i18n import language_name, t
from audit.model import (
    Action,
    AuditData,
    Role,
    VisitStatus,
)
from audit.numbers import decimal, signed
from audit.plansync import DataSays, says_text
from audit.priority import (
    BASE_WEIGHT,
    CHAIN_WEIGHT,
    COMPETITOR_WEIGHT,
    MIN_RATERS,
    MISSING_WEIGHT,
    MONTH_FROM,
    MUST_HAVE_IMPORTANCE,
    SHOPPER_WEIGHT,
    STANDARD_WEIGHT,
    WEEK_FROM,
)
from audit.scoring import Analysis
from audit.sheet_table import (
    Column,
    Table,
    Words,
    frame_rows,
    sheet_title,
    touchpoint_names,
)

PLAN_PRINTED = 12  # the Action plan prints its first 12 columns (# to "few raters")
SCORES_PRINTED = 11


# ------------------------------------------------------------------ the action plan


def plan_columns(w: Words) -> list[Column]:
    """The Action plan's columns: the printed ones first (# to "few raters"), then the rest."""
    return [
        w.col("order", "number", 4, "int_ro"),
        w.col("priority", "number", 7, "d1_ro"),
        w.col("touchpoint", width=20, style="wrap_ro"),
        w.col("kind", width=12, style="wrap_ro", field="kind"),
        w.col("what", width=46, style="wrap_ro", field="what"),
        w.col("owner", width=14, style="wrap_edit", field="owner", editable=True),
        w.col("horizon", width=10, style="wrap_ro", field="horizon"),
        w.col("due", "date", 11, "date_edit", field="due", editable=True),
        w.col("standard", width=24, style="wrap_ro", field="standard"),
        w.col("status", width=11, style="wrap_edit", field="status", editable=True),
        w.col("notes", width=18, style="wrap_edit", field="notes", editable=True),
        w.col("few_raters", width=8, style="wrap_ro"),
        w.col("quadrant", width=16, style="top_ro"),
        w.col("category", width=11, style="top_ro"),
        w.col("data_says", width=40, style="top_ro"),
        w.col("evidence", width=60, style="top_ro"),
        w.col("touchpoint_id", width=16, style="top_ro", field="touchpoint_id"),
        w.col("action_id", "number", 9, "int_ro", field="action_id"),
    ]


def plan_rows(analysis: Analysis, actions: Sequence[Action], says: Mapping[int, DataSays], w: Words) -> list[list[Any]]:
    """One row per action in the plan's order (the order column says the place)."""
    data = analysis.data
    names = touchpoint_names(data)
    scores = analysis.scores
    categories = {tp.id: tp.category.value for tp in data.catalog.touchpoints}
    quadrant = scores["quadrant"].to_dict() if len(scores) else {}
    raters = scores["raters"].to_dict() if len(scores) else {}
    few = set(scores.index[scores["few_raters"].to_numpy(dtype=bool)]) if "few_raters" in scores else set()
    rows = []
    for i, a in enumerate(sorted(actions, key=lambda a: (a.position, a.id or 0))):
        tp = a.touchpoint_id
        rows.append([
            i + 1, a.priority, names.get(tp, tp), w.kind[a.kind.value], a.what, a.owner, w.horizon[a.horizon.value], a.due,
            a.standard, w.status[a.status.value], a.notes,
            t("plan.few_raters", w.lang, raters=int(raters.get(tp, 0))) if tp in few else None,
            w.quadrant.get(quadrant.get(tp, ""), None), w.category.get(categories.get(tp, ""), None),
            says_text(says[a.id], w.lang) if a.id is not None and a.id in says else None,
            " · ".join(line for line in a.evidence.split("\n") if line) or None, tp, a.id,
        ])
    return rows


def plan_table(analysis: Analysis, actions: Sequence[Action], says: Mapping[int, DataSays], w: Words) -> Table:
    empty = t("xlsx.plan_not_rated" if not analysis.rated else "xlsx.plan_empty", w.lang)
    return Table(plan_columns(w), plan_rows(analysis, actions, says, w), empty, printed=PLAN_PRINTED)


# ------------------------------------------------------------------ scores


def _scores_frame(analysis: Analysis, w: Words) -> pd.DataFrame:
    """The scores with names, yes/blank flags and every coded value in the workbook's language."""
    frame = analysis.scores.copy()
    frame["touchpoint_id"] = frame.index.to_numpy()
    names = touchpoint_names(analysis.data)
    frame["name"] = [names.get(i, i) for i in frame.index]
    frame["changes"] = frame["changes"].map({True: w.yes, False: ""})
    frame["added_by_team"] = frame["added_by_team"].map({True: w.yes, False: ""})
    frame["few_raters"] = frame["few_raters"].map({True: w.yes, False: ""})
    frame["breaks_chain"] = frame["breaks_chain"].fillna("")
    for column, table in (("category", w.category), ("majority_reaction", w.reaction), ("shopper_majority", w.reaction),
                          ("quadrant", w.quadrant), ("quadrant_mean", w.quadrant), ("quadrant_median", w.quadrant),
                          ("quadrant_midpoint", w.quadrant), ("blind_spot", w.blind), ("standard_status", w.standard),
                          ("competitor_overall", w.versus)):
        w.labels(frame, column, table)
    frame["stages"] = [", ".join(t(f"stage.{v}", w.lang) for v in str(x).split(";") if v) for x in frame["stages"].fillna("")]
    for column, prefix in (("channels", "channel"), ("audiences", "audience"), ("attention", "attention"), ("lifetime", "lifetime")):
        frame[column] = [", ".join(t(f"{prefix}.{v}", w.lang) for v in str(x).split(";") if v) for x in frame[column].fillna("")]
    return frame


def _scores_columns(w: Words) -> list[tuple[str, Column]]:
    """The Scores sheet's columns before the one-per-competitor columns."""
    nr = w.not_rated
    return [
        ("name", w.col("touchpoint", width=30, style="wrap")),
        ("category", w.col("category", width=11)),
        ("raters", w.col("raters", "number", 7, "int")),
        ("few_raters", w.col("few_raters", width=8)),
        ("importance_mean", w.col("importance_mean", "number", 10, "d2", nr)),
        ("performance", w.col("performance", "number", 11, "signed", nr)),
        ("quadrant", w.col("quadrant_now", width=18, style="wrap", missing=nr)),
        ("priority", w.col("priority", "number", 8, "d1")),
        ("majority_reaction", w.col("majority_reaction", width=11)),
        ("disagreement", w.col("disagreement", "number", 11, "d2")),
        ("breaks_chain", w.col("breaks_chain", width=22, style="wrap")),
        ("importance_median", w.col("importance_median", "number", 10, "d1")),
        ("importance_std", w.col("importance_std", "number", 10, "d2")),
        ("positive", w.col("positive", "number", 9, "int")),
        ("neutral", w.col("neutral", "number", 9, "int")),
        ("negative", w.col("negative", "number", 9, "int")),
        ("quadrant_mean", w.col("quadrant_mean", width=20)),
        ("quadrant_median", w.col("quadrant_median", width=20)),
        ("quadrant_midpoint", w.col("quadrant_midpoint", width=20)),
        ("changes", w.col("changes", width=10)),
        ("stages", w.col("stages", width=18)),
        ("channels", w.col("channels", width=12)),
        ("audiences", w.col("audiences", width=18)),
        ("attention", w.col("attention", width=12)),
        ("lifetime", w.col("lifetime", width=12)),
        ("presence_have", w.col("presence_have", "number", 7, "int")),
        ("presence_missing", w.col("presence_missing", "number", 8, "int")),
        ("presence_not_needed", w.col("presence_not_needed", "number", 8, "int")),
        ("not_applicable", w.col("not_applicable", "number", 9, "int")),
        ("shopper_n", w.col("shopper_n", "number", 10, "int")),
        ("shopper_performance", w.col("shopper_performance", "number", 11, "signed")),
        ("shopper_negative", w.col("shopper_negative", "number", 9, "int")),
        ("blind_spot", w.col("blind_spot", width=28)),
        ("standard", w.col("standard", width=28)),
        ("standard_measured", w.col("standard_measured", "number", 10, "int")),
        ("standard_met", w.col("standard_met", "number", 9, "int")),
        ("standard_not_met", w.col("standard_not_met", "number", 9, "int")),
        ("standard_status", w.col("standard_status", width=13)),
        ("competitors_better", w.col("competitors_better", "number", 10, "int")),
        ("competitors_same", w.col("competitors_same", "number", 10, "int")),
        ("competitors_worse", w.col("competitors_worse", "number", 10, "int")),
        ("competitor_overall", w.col("competitor_overall", width=12)),
    ]


def _scores_tail_columns(w: Words) -> list[tuple[str, Column]]:
    """The Scores sheet's columns after the one-per-competitor columns."""
    return [
        ("unreached_in", w.col("unreached_in", "number", 10, "int")),
        ("chain_lost_share", w.col("chain_lost_share", "number", 10, "pct")),
        ("priority_base", w.col("priority_base", "number", 11, "d1")),
        ("priority_shoppers", w.col("priority_shoppers", "number", 9, "d1")),
        ("priority_competitors", w.col("priority_competitors", "number", 9, "d1")),
        ("priority_standard", w.col("priority_standard", "number", 9, "d1")),
        ("priority_missing", w.col("priority_missing", "number", 9, "d1")),
        ("priority_chain", w.col("priority_chain", "number", 9, "d1")),
        ("funnel_drop", w.col("funnel_drop", width=16, style="wrap")),
        ("priority_funnel", w.col("priority_funnel", "number", 9, "d1")),
        ("added_by_team", w.col("added_by_team", width=9)),
        ("touchpoint_id", w.col("touchpoint_id", width=16)),
    ]


def scores_table(analysis: Analysis, w: Words) -> Table:
    competitors = list(analysis.competitor_matrix.columns)
    frame = _scores_frame(analysis, w)
    spec = _scores_columns(w)
    for i, name in enumerate(competitors):
        frame[f"_vs{i}"] = w.map(analysis.competitor_matrix[name].to_numpy(dtype=object), w.versus)
        spec.append((f"_vs{i}", Column(t("xlsx.col.versus_competitor", w.lang, name=name), width=12)))
    spec += _scores_tail_columns(w)
    return Table([c for _, c in spec], frame_rows(frame, [k for k, _ in spec]), t("xlsx.no_touchpoints", w.lang),
                 printed=SCORES_PRINTED)


def summary_table(frame: pd.DataFrame, label: str, w: Words, title: str = "") -> Table:
    f = frame.copy()
    words = w.category if label == "category" else {**{s: t(f"stage.{s}", w.lang) for s in ("before", "during", "after")},
                                                       "unspecified": t("results.no_stage", w.lang)}
    f[label] = w.map(f.index.to_numpy(), words)
    nr = w.not_rated
    spec = [
        (label, w.col(label, width=16)),
        ("touchpoints", w.col("touchpoints", "number", 11, "int")),
        ("rated", w.col("rated", "number", 8, "int")),
        ("importance_mean", w.col("importance_mean", "number", 11, "d2", nr)),
        ("performance", w.col("performance", "number", 12, "signed", nr)),
        ("positive", w.col("positive", "number", 9, "int")),
        ("neutral", w.col("neutral", "number", 9, "int")),
        ("negative", w.col("negative", "number", 9, "int")),
        ("negative_share", w.col("negative_share", "number", 10, "pct")),
        ("disagreement", w.col("disagreement", "number", 12, "d2")),
    ]
    if "concentrate" in f.columns:
        spec.append(("concentrate", w.col("concentrate", "number", 11, "int")))
    return Table([c for _, c in spec], frame_rows(f, [k for k, _ in spec]), t("xlsx.no_touchpoints", w.lang), title)


# ------------------------------------------------------------------ raw evidence


def rating_columns(w: Words) -> list[Column]:
    return [
        w.col("person", width=18), w.col("role", width=10), w.col("department", width=14), w.col("touchpoint_id", width=18),
        w.col("touchpoint", width=30),
        w.col("category", width=11), w.col("importance", "number", 10, "int"), w.col("reaction", width=11),
        w.col("presence", width=11), w.col("not_applicable", width=10), w.col("comment", width=50),
        w.col("idea", width=40), w.col("updated", "datetime", 17, "datetime"),
    ]


RATING_CHUNK = 8192  # ratings turned into Python values at a time (a million at once would hold ~150 MB)


def rating_rows(data: AuditData, w: Words) -> Iterator[list[Any]]:
    """One row per rating, read from the columns (no record built per rating)."""
    names = touchpoint_names(data)
    categories = {tp.id: w.category[tp.category.value] for tp in data.catalog.touchpoints}
    people = {p.id: (p.name, w.role.get(p.role.value, p.role.value), department_label(p.department, w.lang) if p.department else None)
              for p in data.participants}
    table = RatingTable.of(data.ratings)
    reactions = [w.reaction[m.value] for m in REACTIONS] + [None]  # code -1 (not given) picks the last: None
    presences = [w.presence[m.value] for m in PRESENCES] + [None]
    yes = w.yes
    for start in range(0, len(table), RATING_CHUNK):  # Python values for a chunk at a time: a million ratings stay arrays
        rows = slice(start, start + RATING_CHUNK)
        columns = (table.participant_id[rows].tolist(), table.touchpoint_id[rows].tolist(), table.importance[rows].tolist(),
                   table.reaction[rows].tolist(), table.presence[rows].tolist(), table.not_applicable[rows].tolist(),
                   table.comment[rows].tolist(), table.idea[rows].tolist(), table.times(rows))
        for pid, tp, importance, reaction, presence, not_applicable, comment, idea, at in zip(*columns, strict=True):
            person, role, department = people.get(pid, (pid, "", None))
            yield [
                person, role, department, tp, names.get(tp, tp), categories.get(tp, ""), None if importance != importance else int(importance),
                reactions[reaction], presences[presence], yes if not_applicable else None, comment, idea, at,
            ]


def visit_columns(w: Words) -> list[Column]:
    return [
        w.col("visit_id", "number", 8, "int"), w.col("visited", "datetime", 17, "datetime"), w.col("shopper", width=16),
        w.col("where", width=16), w.col("channel", width=12), w.col("location", width=16), w.col("visit_status", width=12),
        w.col("counts", width=9), w.col("touchpoint_id", width=18), w.col("touchpoint", width=30),
        w.col("reaction", width=11), w.col("measurement", "number", 12), w.col("standard", width=24),
        w.col("standard_met_one", width=10), w.col("what_happened", width=50), w.col("scenario", width=30),
        w.col("recommend", "number", 10, "int"), w.col("review_note", width=30),
    ]


def visit_rows(data: AuditData, w: Words) -> Iterator[list[Any]]:
    names = touchpoint_names(data)
    people = {p.id: p.name for p in data.participants}
    language = data.audit.language
    ours = t("xlsx.our_business", w.lang)
    for v in data.visits:
        head = [v.id, v.visited_at, people.get(v.shopper_id, v.shopper_id), v.target or ours, w.channel[v.channel.value],
                v.location, w.visit_status[v.status.value], w.yes if v.status is VisitStatus.ACCEPTED else w.no]
        tail = [v.scenario, v.recommend, v.review_note]
        if not v.observations:
            yield head + [None] * 7 + tail
            continue
        ids = np.array([o.touchpoint_id for o in v.observations], dtype=object)
        values = np.array([np.nan if o.measurement is None else o.measurement for o in v.observations], dtype=float)
        met = standards_met(data.standards, ids, values) if v.is_ours else np.full(len(ids), np.nan)
        for o, m in zip(v.observations, met, strict=True):
            std = data.standards.get(o.touchpoint_id)
            yield [*head, o.touchpoint_id, names.get(o.touchpoint_id, o.touchpoint_id), w.reaction[o.reaction.value], o.measurement, std.describe(language) if std and v.is_ours else None, None if math.isnan(m) else w.standard["met" if m else "not met"], o.text, *tail]


def competitor_table(analysis: Analysis, w: Words) -> Table:
    g = analysis.competitor_gaps.copy()
    names = touchpoint_names(analysis.data)
    g["touchpoint"] = g["touchpoint_id"].map(names).fillna(g["touchpoint_id"]) if len(g) else []
    for column, table in (("versus", w.versus), ("source", w.source), ("reaction", w.reaction)):
        w.labels(g, column, table)
    spec = [
        ("touchpoint", w.col("touchpoint", width=30, style="wrap")), ("competitor", w.col("competitor", width=18)),
        ("versus", w.col("versus", width=12)), ("source", w.col("source", width=14)),
        ("competitor_performance", w.col("their_shopper_performance", "number", 12, "signed")),
        ("our_performance", w.col("our_shopper_performance", "number", 12, "signed")), ("reaction", w.col("reaction_there", width=11)),
        ("borrow", w.col("borrow", width=46, style="wrap")), ("author", w.col("noted_by", width=16)),
        ("touchpoint_id", w.col("touchpoint_id", width=18)),
    ]
    return Table([c for _, c in spec], frame_rows(g, [k for k, _ in spec]), t("xlsx.no_competitor_notes", w.lang))


def side_by_side_tables(analysis: Analysis, w: Words) -> list[Table]:
    """Us next to each competitor, then "where we lose" and "where we win" (see :mod:`audit.competitors`)."""
    view = side_by_side(analysis)
    if not len(view.table):
        return []
    table = view.table.copy()
    columns = [
        w.col("touchpoint", width=30, style="wrap"), w.col("importance_mean", "number", 11, "d2"),
        w.col("us_team", "number", 12, "signed"), w.col("us_shoppers", "number", 12, "signed"),
        w.col("us_shopper_n", "number", 11, "int"),
    ]
    keys = ["name", "importance", "team_performance", "shopper_performance", "shopper_n"]
    for name in view.competitors:
        w.labels(table, f"vs:{name}", w.versus)
        columns += [Column(t("xlsx.col.versus_competitor", w.lang, name=name), width=12),
                    Column(t("xlsx.col.their_performance_of", w.lang, name=name), "number", 12, "signed")]
        keys += [f"vs:{name}", f"shoppers:{name}"]
    columns.append(w.col("touchpoint_id", width=18))
    keys.append("touchpoint_id")
    gap_columns = [w.col("touchpoint", width=30, style="wrap"), w.col("competitor", width=18), w.col("importance_mean", "number", 11, "d2"),
                   w.col("source", width=14), w.col("borrow", width=46, style="wrap"), w.col("touchpoint_id", width=18)]

    def gap_rows(gaps: Sequence[Any]) -> list[list[Any]]:
        return [[g.name, g.competitor, g.importance, w.source["note" if g.source == "note" else "shoppers"], g.borrow, g.touchpoint_id]
                for g in gaps]

    return [
        Table(columns, frame_rows(table, keys), title=t("xlsx.side_by_side", w.lang)),
        Table(gap_columns, gap_rows(view.lose), t("competitors.lose_none", w.lang), t("xlsx.where_we_lose", w.lang)),
        Table(gap_columns, gap_rows(view.win), t("competitors.win_none", w.lang), t("xlsx.where_we_win", w.lang)),
    ]


def department_tables(analysis: Analysis, w: Words) -> list[Table]:
    """Where departments judge a touchpoint differently (largest gap first), then every department's means per touchpoint."""
    data = analysis.data
    names = touchpoint_names(data)
    means = department_means(data)
    gaps = department_gaps(data, means)
    label = lambda d: department_label(d, w.lang) if isinstance(d, str) else None  # noqa: E731
    g = gaps.copy()
    g["name"] = [names.get(i, i) for i in g["touchpoint_id"]]
    for column in ("importance_high", "importance_low", "reaction_high", "reaction_low"):
        g[column] = [label(d) for d in g[column]]
    spec = [
        ("name", w.col("touchpoint", width=30, style="wrap")),
        ("gap", w.col("department_gap", "number", 12, "d2")),
        ("importance_gap", w.col("importance_gap", "number", 11, "d1")),
        ("reaction_gap", w.col("reaction_gap", "number", 11, "d2")),
        ("importance_high", w.col("importance_high", width=16)), ("importance_high_mean", w.col("importance_high_mean", "number", 10, "d1")),
        ("importance_low", w.col("importance_low", width=16)), ("importance_low_mean", w.col("importance_low_mean", "number", 10, "d1")),
        ("reaction_high", w.col("reaction_high", width=16)), ("reaction_high_mean", w.col("reaction_high_mean", "number", 10, "signed")),
        ("reaction_low", w.col("reaction_low", width=16)), ("reaction_low_mean", w.col("reaction_low_mean", "number", 10, "signed")),
        ("departments", w.col("departments", "number", 10, "int")),
        ("touchpoint_id", w.col("touchpoint_id", width=18)),
    ]
    first = Table([c for _, c in spec], frame_rows(g, [k for k, _ in spec]), t("xlsx.no_departments", w.lang), printed=4)
    if not len(means):
        return [first]
    m = means.copy()
    m["name"] = [names.get(i, i) for i in m["touchpoint_id"]]
    m["department"] = [label(d) for d in m["department"]]
    spec = [
        ("name", w.col("touchpoint", width=30, style="wrap")), ("department", w.col("department", width=16)),
        ("raters", w.col("department_raters", "number", 9, "int")),
        ("importance_mean", w.col("importance_mean", "number", 10, "d2")), ("performance", w.col("performance", "number", 11, "signed")),
        ("touchpoint_id", w.col("touchpoint_id", width=18)),
    ]
    return [first, Table([c for _, c in spec], frame_rows(m, [k for k, _ in spec]), title=t("xlsx.department_means", w.lang))]


# The economics sheet's derived columns as formulas over the entered ones (keys of ECONOMICS_ENTERED).
ECONOMICS_FORMULAS = {
    "cost_per_lead": 'IF({leads}=0,"",{spend}/{leads})',
    "cost_per_customer": 'IF({customers}=0,"",{spend}/{customers})',
    "lead_to_customer": 'IF({leads}=0,"",{customers}/{leads})',
    "average_ticket": 'IF({customers}=0,"",{revenue}/{customers})',
    "net": "{revenue}-{spend}",
    "return_on_spend": 'IF({spend}=0,"",{revenue}/{spend})',
    "net_return": 'IF({spend}=0,"",({revenue}-{spend})/{spend})',
}


def _column_letter(index: int) -> str:
    """Excel's letters of a 0-based column index (A, ..., Z, AA, ...)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def economics_table(analysis: Analysis, w: Words) -> Table:
    """Spend, leads, customers and revenue as entered, per touchpoint and wave; the rest are live formulas over them."""
    e = analysis.economics.copy()
    e["touchpoint_id"] = e.index.to_numpy()
    spec = [
        ("name", w.col("touchpoint", width=30, style="wrap")), ("wave", w.col("wave", "number", 8, "int")),
        ("spend", w.col("spend", "number", 12, "money")), ("leads", w.col("leads", "number", 8, "int")),
        ("customers", w.col("customers", "number", 10, "int")), ("revenue", w.col("revenue", "number", 12, "money")),
        ("cost_per_lead", w.col("cost_per_lead", "number", 12, "money")),
        ("cost_per_customer", w.col("cost_per_customer", "number", 12, "money")),
        ("lead_to_customer", w.col("lead_to_customer", "number", 10, "pct")),
        ("average_ticket", w.col("average_ticket", "number", 12, "money")),
        ("net", w.col("net", "number", 12, "money")),
        ("return_on_spend", w.col("return_on_spend", "number", 14, "d2")),
        ("net_return", w.col("net_return", "number", 14, "pct")),
        ("touchpoint_id", w.col("touchpoint_id", width=18)),
    ]
    cells = {key: f"{_column_letter(i)}{{row}}" for i, (key, _) in enumerate(spec)}
    columns = [
        dataclasses.replace(col, formula=ECONOMICS_FORMULAS[key].format(**cells)) if key in ECONOMICS_FORMULAS else col
        for key, col in spec
    ]
    return Table(columns, frame_rows(e, [k for k, _ in spec]), t("xlsx.no_economics", w.lang))


def chain_tables(analysis: Analysis, w: Words) -> list[Table]:
    chains = analysis.chains.copy()
    if len(chains):
        chains["status"] = [
            (t("xlsx.chain_broken_at", w.lang, name=b, n=int(p), links=int(k)) if b else (t("results.intact", w.lang) if r else w.not_rated))
            for b, p, k, r in zip(chains["broken_at"].fillna(""), chains["broken_position"], chains["links"], chains["rated_links"], strict=True)
        ]
        w.labels(chains, "broken_by", w.broken_by)
        chains["lost_share"] = chains["lost_share"].where(chains["broken_at"].fillna("") != "", None)
    nr = w.not_rated
    spec = [
        ("chain_name", w.col("chain", width=26, style="wrap")), ("links", w.col("links", "number", 7, "int")),
        ("rated_links", w.col("rated_links", "number", 8, "int")),
        ("performance_mean", w.col("performance_mean", "number", 12, "signed", nr)),
        ("status", w.col("chain_status", width=30, style="wrap")), ("broken_by", w.col("broken_by", width=14)),
        ("lost_share", w.col("lost_share", "number", 10, "pct")),
        ("unreached", w.col("unreached", "number", 10, "int")),
        ("weakest", w.col("weakest", width=26, style="wrap")), ("weakest_performance", w.col("weakest_performance", "number", 12, "signed")),
    ]
    summary = Table([c for _, c in spec], frame_rows(chains, [k for k, _ in spec]), t("xlsx.no_chains", w.lang))
    links = analysis.chain_links.copy()
    w.labels(links, "status", w.link)
    w.labels(links, "majority_reaction", w.reaction)
    spec = [
        ("chain_name", w.col("chain", width=26, style="wrap")), ("position", w.col("link", "number", 6, "int")),
        ("name", w.col("touchpoint", width=30, style="wrap")),
        ("performance", w.col("performance", "number", 12, "signed", nr)),
        ("reaction_n", w.col("reaction_votes", "number", 9, "int")), ("majority_reaction", w.col("majority_reaction", width=12)),
        ("status", w.col("link_status", width=26, style="wrap")), ("touchpoint_id", w.col("touchpoint_id", width=18)),
    ]
    table = Table([c for _, c in spec], frame_rows(links, [k for k, _ in spec]), title=t("xlsx.links_in_order", w.lang))
    return [summary, table] if len(links) else [summary]


# ------------------------------------------------------------------ about


def crosshair_words(analysis: Analysis, lang: str) -> str:
    """The crosshair as the workbook, the report and the page header name it: choice and where the lines sit."""
    crosshair = analysis.crosshair
    if isinstance(crosshair, str):
        choice = t(f"crosshair.{crosshair}", lang) if crosshair in ("mean", "median", "midpoint") else crosshair
    else:
        choice = "(" + ", ".join(f"{float(v):g}" for v in crosshair) + ")"
    point = analysis.crosshair_point
    if point is None:
        return t("xlsx.crosshair_unplaced", lang, choice=choice)
    return t("xlsx.crosshair_at", lang, choice=choice, importance=decimal(point[0], lang, 2), performance=signed(point[1], lang))


def ipa_view_words(analysis: Analysis, lang: str) -> str:
    """Whose reactions place the touchpoints on the IPA's performance axis (the team's, the shoppers', or both)."""
    return t(f"results.ipa_view_{getattr(analysis, 'view', 'team')}_words", lang)


def view_words(analysis: Analysis, lang: str) -> str:
    """One line naming the analysis every sheet shows: wave, IPA view, crosshair, filters."""
    return t("xlsx.view", lang, wave=analysis.data.audit.wave, view=ipa_view_words(analysis, lang),
             crosshair=crosshair_words(analysis, lang))


def about_rows(analysis: Analysis, actions: Sequence[Action]) -> list[tuple[str, Any, str]]:
    """``(label, value, style)`` rows of the About sheet; numbers and dates stay numbers and dates."""
    data = analysis.data
    audit = data.audit
    lang = audit.language
    accepted = sum(1 for v in data.visits if v.status is VisitStatus.ACCEPTED)
    rated = int(analysis.scores["rated"].sum()) if len(analysis.scores) else 0
    team = sum(1 for p in data.participants if p.role is not Role.SHOPPER)
    shoppers = sum(1 for p in data.participants if p.role is Role.SHOPPER)
    few = int(analysis.scores["few_raters"].sum()) if "few_raters" in analysis.scores else 0
    a = lambda key, value, style="": (t(f"xlsx.about.{key}", lang), value, style)  # noqa: E731
    method = lambda key, **fmt: (t(f"xlsx.about.{key}", lang), t(f"xlsx.about.{key}_text", lang, **fmt), "wrap")  # noqa: E731
    return [
        a("audit", audit.name),
        a("audit_id", audit.id),
        a("view", view_words(analysis, lang), "wrap"),
        a("created", audit.created_at.replace(tzinfo=None), "datetime"),
        a("exported", analysis.computed_at.replace(tzinfo=None), "datetime"),
        a("wave", audit.wave, "int"),
        a("crosshair", crosshair_words(analysis, lang), "wrap"),
        a("ipa_view", ipa_view_words(analysis, lang), "wrap"),
        a("filters", t("xlsx.no_filters", lang), "wrap"),
        a("catalog", f"{data.catalog.name.get(lang)} ({data.catalog.id})"),
        a("language", language_name(lang, lang)),
        a("touchpoints", len(analysis.scores), "int"),
        a("rated", rated, "int"),
        a("team_members", team, "int"),
        a("shoppers", shoppers, "int"),
        a("ratings", len(data.ratings), "int"),
        a("visits_accepted", accepted, "int"),
        a("visits_all", len(data.visits), "int"),
        a("competitor_notes", len(data.competitor_notes), "int"),
        a("actions", len(actions), "int"),
        a("few_raters", few, "int"),
        a("departments", ", ".join(department_label(d, lang) for d in audit.departments), "wrap"),
        ("", None, ""),
        (t("xlsx.about.how", lang), None, "bold"),
        method("performance"),
        method("disagreement"),
        method("quadrants"),
        method("priority", base=f"{BASE_WEIGHT:g}", shoppers=f"{SHOPPER_WEIGHT:g}", competitors=f"{COMPETITOR_WEIGHT:g}",
               standard=f"{STANDARD_WEIGHT:g}", missing=f"{MISSING_WEIGHT:g}", must=f"{MUST_HAVE_IMPORTANCE:g}", chain=f"{CHAIN_WEIGHT:g}"),
        method("horizon", week=f"{WEEK_FROM:g}", month=f"{MONTH_FROM:g}"),
        method("chains"),
        method("min_raters", minimum=MIN_RATERS),
        method("standards"),
        method("versus"),
        method("editing"),
    ]


def about_table(analysis: Analysis, actions: Sequence[Action], w: Words) -> Table:
    rows = [[label, value] for label, value, _ in about_rows(analysis, actions)]
    return Table([w.col("about", width=28, style="bold_wrap"), w.col("value", width=100, style="wrap")], rows,
                 meta={"styles": [style for _, _, style in about_rows(analysis, actions)]})


def workbook_sheets(
    analysis: Analysis, actions: Sequence[Action], says: Mapping[int, DataSays] | None = None,
) -> list[tuple[str, list[Table]]]:
    """Every visible sheet as blocks of rows: what :func:`audit.workbook.write_workbook` writes (and the benchmark's floor)."""
    data = analysis.data
    w = Words(data.audit.language)
    title = lambda key: sheet_title(key, w.lang)  # noqa: E731
    return [
        (title("plan"), [plan_table(analysis, actions, says or {}, w)]),
        (title("scores"), [scores_table(analysis, w)]),
        (title("categories"), [summary_table(analysis.categories, "category", w),
                               summary_table(analysis.stages, "stage", w, t("xlsx.by_stage", w.lang))]),
        (title("chains"), chain_tables(analysis, w)),
        (title("ratings"), [Table(rating_columns(w), rating_rows(data, w), t("xlsx.no_ratings", w.lang))]),
        (title("visits"), [Table(visit_columns(w), visit_rows(data, w), t("xlsx.no_visits", w.lang))]),
        (title("competitors"), [competitor_table(analysis, w), *side_by_side_tables(analysis, w)]),
        (title("departments"), department_tables(analysis, w)),
        (title("economics"), [economics_table(analysis, w)]),
        (title("about"), [about_table(analysis, actions, w)]),
    ]
