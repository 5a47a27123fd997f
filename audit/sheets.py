"""What goes on each sheet of the audit's workbook, as header + rows (no formatting).

:func:`workbook_sheets` describes every sheet as blocks of rows; the writer in
:mod:`audit.workbook` streams them into the xlsx file, and the benchmark's
floor writes the very same cells unformatted. A missing number is ``None``
(a blank cell) or "not rated yet", never NaN.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from audit.competitors import side_by_side
from audit.evidence import standards_met
from audit.languages import text_column
from audit.model import Action, AuditData, VisitStatus
from audit.priority import (
    BASE_WEIGHT,
    CHAIN_WEIGHT,
    COMPETITOR_WEIGHT,
    MISSING_WEIGHT,
    MONTH_FROM,
    MUST_HAVE_IMPORTANCE,
    SHOPPER_WEIGHT,
    STANDARD_WEIGHT,
    WEEK_FROM,
)
from audit.scoring import Analysis

SHEETS = (
    "Action plan", "Scores", "Categories", "Chains", "Ratings", "Shopper visits", "Competitors",
    "Channel economics", "About",
)
NOT_RATED = "not rated yet"
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters an xlsx file cannot hold


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: header, kind of value, width and cell format."""

    header: str
    kind: str = "text"  # text | number | date | datetime
    width: float | None = None
    style: str | None = None  # a key of the workbook's formats
    missing: str = ""  # written when the value is missing (e.g. "not rated yet")


@dataclass(frozen=True)
class Table:
    """Rows of one sheet (or one block of a sheet) with their columns."""

    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    empty: str = ""  # written under the header when there are no rows
    title: str = ""  # a bold line above the block (for a second block on a sheet)


def clean_text(value: Any) -> str:
    """Text an xlsx file can store (no control characters except tab and newlines)."""
    text = value if isinstance(value, str) else str(value)
    return ILLEGAL.sub("", text) if ILLEGAL.search(text) else text


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value) or math.isinf(value)
    return value is pd.NA or value is pd.NaT


def frame_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[list[Any]]:
    """Rows of plain Python values with every missing value as ``None``."""
    if not len(frame):
        return []
    lists = []
    for name in columns:
        series = frame[name]
        values = series.astype(object).where(series.notna(), None).tolist()
        lists.append(values)
    return [list(row) for row in zip(*lists)]


def _names(data: AuditData) -> dict[str, str]:
    language = data.audit.language
    return {tp.id: tp.name.get(language) for tp in data.catalog.touchpoints}


def plan_table(data: AuditData, actions: Sequence[Action], rated: bool) -> Table:
    names = _names(data)
    categories = {tp.id: tp.category.value for tp in data.catalog.touchpoints}
    columns = [
        Column("priority", "number", 9, "d1"),
        Column("touchpoint", width=28, style="wrap"),
        Column("category", width=11, style="top"),
        Column("action type", width=16, style="wrap"),
        Column("what to do", width=60, style="wrap"),
        Column("owner", width=18, style="wrap"),
        Column("horizon", width=12, style="top"),
        Column("due", "date", 11, "date"),
        Column("standard to reach", width=32, style="wrap"),
        Column("status", width=12, style="top"),
        Column("evidence", width=80, style="wrap"),
        Column("notes", width=30, style="wrap"),
        Column("touchpoint_id", width=18, style="top"),
        Column("action_id", "number", 10, "int"),
    ]
    ordered = sorted(actions, key=lambda a: (-a.priority, a.position))
    rows = [
        [a.priority, names.get(a.touchpoint_id, a.touchpoint_id), categories.get(a.touchpoint_id, ""), a.kind.value, a.what,
         a.owner, a.horizon.value, a.due, a.standard, a.status.value, a.evidence, a.notes, a.touchpoint_id, a.id]
        for a in ordered
    ]
    empty = (
        "Not rated yet: no team member has rated a touchpoint, so there is no plan. Share the team link, then export again."
        if not rated else "No action suggested: no touchpoint needs one by the rules in the About sheet."
    )
    return Table(columns, rows, empty)


def scores_table(analysis: Analysis) -> Table:
    s = analysis.scores
    language = analysis.data.audit.language
    competitors = list(analysis.competitor_matrix.columns)
    spec: list[tuple[str, Column]] = [
        ("touchpoint_id", Column("touchpoint_id")),
        (text_column("name", language), Column("touchpoint", width=32)),
        ("category", Column("category")),
        ("stages", Column("stages")),
        ("channels", Column("channels")),
        ("raters", Column("raters", "number", 8)),
        ("importance_mean", Column("importance (mean)", "number", 11, "d2", NOT_RATED)),
        ("importance_median", Column("importance (median)", "number", 11, "d1")),
        ("importance_std", Column("importance spread (std)", "number", 11, "d2")),
        ("positive", Column("positive", "number", 9)),
        ("neutral", Column("neutral", "number", 9)),
        ("negative", Column("negative", "number", 9)),
        ("performance", Column("performance (-1..+1)", "number", 12, "signed", NOT_RATED)),
        ("majority_reaction", Column("majority reaction")),
        ("disagreement", Column("disagreement (0-1)", "number", 12, "d2")),
        ("quadrant", Column(f"quadrant (crosshair: {_crosshair_name(analysis.crosshair)})", width=22)),
        ("quadrant_mean", Column("quadrant if mean", width=22)),
        ("quadrant_median", Column("quadrant if median", width=22)),
        ("quadrant_midpoint", Column("quadrant if midpoint", width=22)),
        ("changes", Column("changes with crosshair")),
        ("presence_have", Column("have", "number", 7)),
        ("presence_missing", Column("missing", "number", 8)),
        ("presence_not_needed", Column("not needed", "number", 8)),
        ("not_applicable", Column("not applicable", "number", 9)),
        ("shopper_n", Column("shopper observations", "number", 11)),
        ("shopper_performance", Column("shopper performance", "number", 11, "signed")),
        ("shopper_negative", Column("shopper negative", "number", 9)),
        ("blind_spot", Column("blind spot", width=30)),
        ("standard", Column("standard", width=28)),
        ("standard_measured", Column("standard measured", "number", 10)),
        ("standard_met", Column("standard met", "number", 9)),
        ("standard_not_met", Column("standard not met", "number", 9)),
        ("standard_status", Column("standard status", width=13)),
        ("competitors_better", Column("competitors better", "number", 10)),
        ("competitors_same", Column("competitors same", "number", 10)),
        ("competitors_worse", Column("competitors worse", "number", 10)),
        ("competitor_overall", Column("competitors vs us", width=12)),
    ]
    frame = s.copy()
    frame["changes"] = frame["changes"].map({True: "yes", False: ""})
    frame["touchpoint_id"] = frame.index.to_numpy()
    for i, name in enumerate(competitors):
        frame[f"_vs{i}"] = analysis.competitor_matrix[name].to_numpy()
        spec.append((f"_vs{i}", Column(f"vs {name}", width=12)))
    spec += [
        ("breaks_chain", Column("journey breaks here", width=24)),
        ("unreached_in", Column("unreached in chains", "number", 10)),
        ("priority", Column("priority (0-100)", "number", 10, "d1")),
        ("priority_base", Column("= importance x shortfall", "number", 11, "d1")),
        ("priority_shoppers", Column("+ shoppers", "number", 9, "d1")),
        ("priority_competitors", Column("+ competitors", "number", 9, "d1")),
        ("priority_standard", Column("+ standard", "number", 9, "d1")),
        ("priority_missing", Column("+ missing must-have", "number", 9, "d1")),
        ("priority_chain", Column("+ broken chain", "number", 9, "d1")),
    ]
    frame["added_by_team"] = frame["added_by_team"].map({True: "yes", False: ""})
    spec.append(("added_by_team", Column("added by team")))
    return Table([c for _, c in spec], frame_rows(frame, [k for k, _ in spec]), "The catalog has no touchpoints.")


def summary_table(frame: pd.DataFrame, label: str) -> Table:
    f = frame.copy()
    f[label] = f.index.to_numpy()
    spec = [
        (label, Column(label, width=14)),
        ("touchpoints", Column("touchpoints", "number", 11)),
        ("rated", Column("rated", "number", 8)),
        ("importance_mean", Column("mean importance", "number", 11, "d2", NOT_RATED)),
        ("performance", Column("mean performance", "number", 12, "signed", NOT_RATED)),
        ("positive", Column("positive", "number", 9)),
        ("neutral", Column("neutral", "number", 9)),
        ("negative", Column("negative", "number", 9)),
        ("negative_share", Column("negative share", "number", 10, "pct")),
        ("disagreement", Column("mean disagreement", "number", 12, "d2")),
    ]
    if "concentrate" in f.columns:
        spec.append(("concentrate", Column("concentrate here", "number", 11)))
    return Table([c for _, c in spec], frame_rows(f, [k for k, _ in spec]), "No touchpoints.")


def rating_rows(data: AuditData) -> Iterator[list[Any]]:
    names = _names(data)
    categories = {tp.id: tp.category.value for tp in data.catalog.touchpoints}
    people = {p.id: (p.name, p.role.value) for p in data.participants}
    for r in data.ratings:
        person, role = people.get(r.participant_id, (r.participant_id, ""))
        # reactions and presences are str enums: written as their text, with no per-row lookup
        yield [
            person, role, r.touchpoint_id, names.get(r.touchpoint_id, r.touchpoint_id), categories.get(r.touchpoint_id, ""),
            r.importance, r.reaction, r.presence, "yes" if r.not_applicable else None, r.comment, r.idea, r.updated_at,
        ]


RATING_COLUMNS = (
    Column("person", width=18), Column("role", width=8), Column("touchpoint_id", width=18), Column("touchpoint", width=30),
    Column("category", width=11), Column("importance", "number", 10), Column("reaction", width=10),
    Column("presence", width=11), Column("not applicable", width=10), Column("comment", width=50),
    Column("idea", width=40), Column("updated (UTC)", "datetime", 17, "datetime"),
)
VISIT_COLUMNS = (
    Column("visit_id", "number", 8), Column("visited (UTC)", "datetime", 17, "datetime"), Column("shopper", width=16),
    Column("where", width=16), Column("channel", width=10), Column("location", width=16), Column("status", width=10),
    Column("counts in scores", width=9), Column("touchpoint_id", width=18), Column("touchpoint", width=30),
    Column("reaction", width=10), Column("measurement", "number", 12), Column("standard", width=24),
    Column("standard met", width=9), Column("what happened", width=50), Column("scenario", width=30),
    Column("recommend (0-10)", "number", 10), Column("review note", width=30),
)


def visit_rows(data: AuditData) -> Iterator[list[Any]]:
    names = _names(data)
    people = {p.id: p.name for p in data.participants}
    language = data.audit.language
    for v in data.visits:
        head = [v.id, v.visited_at, people.get(v.shopper_id, v.shopper_id), v.target or "our business", v.channel.value,
                v.location, v.status.value, "yes" if v.status is VisitStatus.ACCEPTED else "no"]
        tail = [v.scenario, v.recommend, v.review_note]
        if not v.observations:
            yield head + [None] * 7 + tail
            continue
        ids = np.array([o.touchpoint_id for o in v.observations], dtype=object)
        values = np.array([np.nan if o.measurement is None else o.measurement for o in v.observations], dtype=float)
        met = standards_met(data.standards, ids, values) if v.is_ours else np.full(len(ids), np.nan)
        for o, m in zip(v.observations, met):
            std = data.standards.get(o.touchpoint_id)
            yield head + [
                o.touchpoint_id, names.get(o.touchpoint_id, o.touchpoint_id), o.reaction.value, o.measurement,
                std.describe(language) if std and v.is_ours else None,
                None if math.isnan(m) else ("met" if m else "not met"), o.text,
            ] + tail


def competitor_table(analysis: Analysis) -> Table:
    g = analysis.competitor_gaps.copy()
    names = _names(analysis.data)
    g["touchpoint"] = g["touchpoint_id"].map(names).fillna(g["touchpoint_id"]) if len(g) else []
    spec = [
        ("touchpoint_id", Column("touchpoint_id", width=18)), ("touchpoint", Column("touchpoint", width=30)),
        ("competitor", Column("competitor", width=18)), ("versus", Column("competitor vs us", width=12)),
        ("source", Column("source", width=10)), ("competitor_performance", Column("their shopper performance", "number", 12, "signed")),
        ("our_performance", Column("our shopper performance", "number", 12, "signed")), ("reaction", Column("reaction there", width=10)),
        ("borrow", Column("what to borrow", width=50)), ("author", Column("noted by", width=16)),
    ]
    return Table([c for _, c in spec], frame_rows(g, [k for k, _ in spec]),
                 "No competitor notes yet (add them on the Competitors page, or let shoppers visit competitors).")


def side_by_side_tables(analysis: Analysis) -> list[Table]:
    """Us next to each competitor, then "where we lose" and "where we win" (see :mod:`audit.competitors`)."""
    view = side_by_side(analysis)
    if not len(view.table):
        return []
    t = view.table
    columns = [
        Column("touchpoint_id", width=18), Column("touchpoint", width=30), Column("importance (mean)", "number", 11, "d2"),
        Column("us: team performance", "number", 12, "signed"), Column("us: shopper performance", "number", 12, "signed"),
        Column("us: shopper observations", "number", 11),
    ]
    keys = ["touchpoint_id", "name", "importance", "team_performance", "shopper_performance", "shopper_n"]
    for name in view.competitors:
        columns += [Column(f"{name}: vs us", width=12), Column(f"{name}: shopper performance", "number", 12, "signed")]
        keys += [f"vs:{name}", f"shoppers:{name}"]
    gap_columns = [Column("touchpoint", width=30), Column("competitor", width=18), Column("importance (mean)", "number", 11, "d2"),
                   Column("from", width=14), Column("what to borrow", width=50), Column("touchpoint_id", width=18)]

    def gap_rows(gaps: Sequence[Any]) -> list[list[Any]]:
        return [[g.name, g.competitor, g.importance, "team note" if g.source == "note" else "shopper visits", g.borrow, g.touchpoint_id]
                for g in gaps]

    return [
        Table(columns, frame_rows(t, keys), title="Side by side: us and each competitor (touchpoints with outside evidence)"),
        Table(gap_columns, gap_rows(view.lose), "No competitor does better than us so far.", "Where we lose (the competitor does better)"),
        Table(gap_columns, gap_rows(view.win), "We do better than a competitor nowhere so far.", "Where we win (we do better)"),
    ]


def economics_table(analysis: Analysis) -> Table:
    e = analysis.economics.copy()
    e["touchpoint_id"] = e.index.to_numpy()
    spec = [
        ("touchpoint_id", Column("touchpoint_id", width=18)), ("name", Column("touchpoint", width=30)),
        ("spend", Column("spend", "number", 12, "money")), ("leads", Column("leads", "number", 8)),
        ("customers", Column("customers", "number", 10)), ("revenue", Column("revenue", "number", 12, "money")),
        ("cost_per_lead", Column("cost per lead", "number", 12, "money")),
        ("cost_per_customer", Column("cost per customer", "number", 12, "money")),
        ("lead_to_customer", Column("lead to customer", "number", 10, "pct")),
        ("average_ticket", Column("average ticket", "number", 12, "money")),
        ("net", Column("revenue - spend", "number", 12, "money")),
        ("return_on_spend", Column("return on spend (revenue / spend)", "number", 14, "d2")),
        ("net_return", Column("net return ((revenue - spend) / spend)", "number", 14, "pct")),
    ]
    return Table([c for _, c in spec], frame_rows(e, [k for k, _ in spec]),
                 "No channel economics entered (optional: spend, leads, customers and revenue per advertising touchpoint).")


def _crosshair_name(crosshair: Any) -> str:
    if isinstance(crosshair, str):
        return crosshair
    return "(" + ", ".join(f"{float(v):g}" for v in crosshair) + ")"


def about_rows(analysis: Analysis, actions: Sequence[Action]) -> list[tuple[str, Any]]:
    data = analysis.data
    audit = data.audit
    accepted = sum(1 for v in data.visits if v.status is VisitStatus.ACCEPTED)
    rated = int(analysis.scores["rated"].sum()) if len(analysis.scores) else 0
    point = analysis.crosshair_point
    line = f"importance {point[0]:.2f}, performance {point[1]:+.2f}" if point else NOT_RATED
    return [
        ("audit", audit.name),
        ("audit id", audit.id),
        ("created (UTC)", audit.created_at.strftime("%Y-%m-%d %H:%M")),
        ("exported (UTC)", analysis.computed_at.strftime("%Y-%m-%d %H:%M")),
        ("wave", audit.wave),
        ("catalog", f"{data.catalog.name.get(audit.language)} ({data.catalog.id})"),
        ("language", audit.language),
        ("status", f"{rated} of {len(analysis.scores)} touchpoints rated" if rated else "not rated yet: no team member has rated a touchpoint"),
        ("team members", len(data.participants)),
        ("ratings", len(data.ratings)),
        ("shopper visits", f"{accepted} accepted of {len(data.visits)} (only accepted visits count in scores)"),
        ("competitor notes", len(data.competitor_notes)),
        ("actions in plan", len(actions)),
        ("IPA crosshair", f"{_crosshair_name(analysis.crosshair)}: {line}"),
        ("", ""),
        ("How the numbers are made", ""),
        ("performance", "mean team reaction: positive +1, neutral 0, negative -1 (from -1 to +1); not-applicable ratings are not votes"),
        ("disagreement", "0-1: mean of (importance std / 4.5) and (share of voters who differ from the most common reaction / (2/3))"),
        ("quadrants", "Importance-Performance Analysis (Martilla & James, 1977): high importance + low performance = Concentrate here; "
                      "high + high = Keep up the good work; low + low = Low priority; low importance + high performance = Possible overkill. "
                      "An item exactly on a line counts as high. mean = mean of the touchpoints' values; midpoint = middle of the scales "
                      "(importance 5.5, performance 0). 'changes with crosshair' marks touchpoints whose quadrant depends on that choice."),
        ("priority (0-100)", f"{BASE_WEIGHT:g} x (importance / 10) x (1 - performance) / 2"
                             f" + {SHOPPER_WEIGHT:g} x share of negative shopper observations"
                             f" + {COMPETITOR_WEIGHT:g} x share of competitors doing better"
                             f" + {STANDARD_WEIGHT:g} x share of shopper measurements missing the standard"
                             f" + {MISSING_WEIGHT:g} if a must-have touchpoint (importance >= {MUST_HAVE_IMPORTANCE:g}) is marked missing"
                             f" + {CHAIN_WEIGHT:g} if a customer journey breaks here"),
        ("horizon", f"priority >= {WEEK_FROM:g}: this week; >= {MONTH_FROM:g}: this month; otherwise this quarter (due in 7, 30 or 90 days)"),
        ("chains", "a chain breaks at its first link whose team reaction is predominantly negative; later links are unreached"),
        ("standards", "met when every accepted shopper measurement meets it; not met when at least one does not"),
        ("competitors vs us", "better = a competitor does better than us (from notes, else from shopper visits to both)"),
        ("plan status", "edit the status column (todo / in progress / done); keep the action_id column to match the plan back"),
    ]


def chain_tables(analysis: Analysis) -> list[Table]:
    spec = [
        ("chain_name", Column("chain", width=28)), ("links", Column("links", "number", 7)),
        ("rated_links", Column("rated links", "number", 8)),
        ("performance_mean", Column("mean performance", "number", 12, "signed", NOT_RATED)),
        ("weakest", Column("weakest link", width=28)), ("weakest_performance", Column("weakest performance", "number", 12, "signed")),
        ("broken_at", Column("broken at", width=28)), ("unreached", Column("unreached links", "number", 10)),
        ("status", Column("status", width=40)),
    ]
    summary = Table([c for _, c in spec], frame_rows(analysis.chains, [k for k, _ in spec]),
                    "This catalog has no chains (customer journeys).")
    spec = [
        ("chain_name", Column("chain", width=28)), ("position", Column("link", "number", 6)),
        ("touchpoint_id", Column("touchpoint_id", width=18)), ("name", Column("touchpoint", width=28)),
        ("performance", Column("performance", "number", 12, "signed", NOT_RATED)),
        ("reaction_n", Column("reaction votes", "number", 9)), ("majority_reaction", Column("majority reaction", width=12)),
        ("status", Column("status", width=30)),
    ]
    links = Table([c for _, c in spec], frame_rows(analysis.chain_links, [k for k, _ in spec]), title="Links in order")
    return [summary, links] if len(analysis.chain_links) else [summary]


def about_table(analysis: Analysis, actions: Sequence[Action]) -> Table:
    rows = [[k, v if isinstance(v, str) else str(v)] for k, v in about_rows(analysis, actions)]
    return Table([Column("about this workbook", width=26, style="bold"), Column("value", width=110, style="wrap")], rows)


def workbook_sheets(analysis: Analysis, actions: Sequence[Action]) -> list[tuple[str, list[Table]]]:
    """Every sheet as blocks of rows: what :func:`write_workbook` writes (and the benchmark's floor)."""
    data = analysis.data
    stages = summary_table(analysis.stages, "stage")
    return [
        ("Action plan", [plan_table(data, actions, analysis.rated)]),
        ("Scores", [scores_table(analysis)]),
        ("Categories", [summary_table(analysis.categories, "category"), Table(stages.columns, stages.rows, stages.empty, "By journey stage")]),
        ("Chains", chain_tables(analysis)),
        ("Ratings", [Table(RATING_COLUMNS, rating_rows(data), "Not rated yet: no ratings in this wave.")]),
        ("Shopper visits", [Table(VISIT_COLUMNS, visit_rows(data), "No shopper visits yet.")]),
        ("Competitors", [competitor_table(analysis), *side_by_side_tables(analysis)]),
        ("Channel economics", [economics_table(analysis)]),
        ("About", [about_table(analysis, actions)]),
    ]
