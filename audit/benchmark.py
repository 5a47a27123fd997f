"""One audit against the other audits of its workspace made from the same preset: "your clinic vs 12 clinics".

Per touchpoint of this audit's catalog: this audit's mean importance (1-10)
and performance (-1 to +1, reactions counted +1 / 0 / -1, as in
:mod:`audit.scoring`) against the *median* of the same numbers over the other
audits that have votes on that touchpoint, the gaps (this minus the median),
and how many audits each median stands on. Every audit counts in its current
wave. A touchpoint only this audit has (added by its team) gets no median.

The page shows :func:`benchmark_table` and :func:`benchmark_chart`; the
download is :func:`benchmark_csv` (text that looks like a formula is
written as text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import altair as alt
import pandas as pd

from audit.excel import csv_safe
from audit.i18n import t
from audit.languages import text_column
from audit.model import AuditData
from audit.scoring import aggregate

CHART_ROWS = 25  # touchpoints in the chart: this audit's most important ones
THIS, MEDIAN = "#0072B2", "#9A9A9A"  # Okabe-Ito blue against grey, as in audit.charts


def compare(this: AuditData, others: Sequence[AuditData]) -> pd.DataFrame:
    """One row per touchpoint of ``this`` (catalog order): its numbers, the others' medians, the gaps, the count."""
    mine = aggregate(this)
    names = [c for c in mine.columns if c.startswith("name_")]
    importance = pd.DataFrame({i: aggregate(o)["importance_mean"] for i, o in enumerate(others)}, index=mine.index)
    performance = pd.DataFrame({i: aggregate(o)["performance"] for i, o in enumerate(others)}, index=mine.index)
    out = mine[["category", *names]].copy()
    out["importance"] = mine["importance_mean"]
    out["importance_median"] = importance.median(axis=1, skipna=True) if others else float("nan")
    out["importance_gap"] = out["importance"] - out["importance_median"]
    out["performance"] = mine["performance"]
    out["performance_median"] = performance.median(axis=1, skipna=True) if others else float("nan")
    out["performance_gap"] = out["performance"] - out["performance_median"]
    out["audits"] = (importance.notna() | performance.notna()).sum(axis=1).astype(int) if others else 0
    return out


def benchmark_table(frame: pd.DataFrame, lang: str, clang: str) -> pd.DataFrame:
    """The comparison with headers in ``lang`` and touchpoint names in the audit's language ``clang``."""
    return pd.DataFrame(
        {
            t("bench.col_category", lang): [t(f"category.{c}", lang) for c in frame["category"]],
            t("bench.col_touchpoint", lang): frame[text_column("name", clang)].to_numpy(),
            t("bench.col_importance", lang): frame["importance"].round(1).to_numpy(),
            t("bench.col_importance_median", lang): frame["importance_median"].round(1).to_numpy(),
            t("bench.col_importance_gap", lang): frame["importance_gap"].round(1).to_numpy(),
            t("bench.col_performance", lang): frame["performance"].round(2).to_numpy(),
            t("bench.col_performance_median", lang): frame["performance_median"].round(2).to_numpy(),
            t("bench.col_performance_gap", lang): frame["performance_gap"].round(2).to_numpy(),
            t("bench.col_audits", lang): frame["audits"].to_numpy(),
        },
        index=frame.index,
    )


def benchmark_csv(frame: pd.DataFrame, lang: str, clang: str) -> bytes:
    """The table as CSV (UTF-8 with a byte-order mark, so spreadsheets read the letters right)."""
    table = benchmark_table(frame, lang, clang)
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["touchpoint_id", *table.columns])
    for touchpoint_id, row in zip(table.index, table.itertuples(index=False), strict=True):
        cells = ["" if pd.isna(v) else (csv_safe(v) if isinstance(v, str) else v) for v in row]
        writer.writerow([csv_safe(str(touchpoint_id)), *cells])
    return text.getvalue().encode("utf-8-sig")


def _long(frame: pd.DataFrame, lang: str, clang: str, others: int) -> pd.DataFrame:
    rated = frame[frame["importance"].notna() | frame["performance"].notna()]
    chosen = rated.sort_values("importance", ascending=False, kind="stable").head(CHART_ROWS)
    this, median = t("bench.this", lang), t("bench.median", lang, n=others)
    parts = []
    for series, suffix in ((this, ""), (median, "_median")):
        parts.append(pd.DataFrame({
            "touchpoint": chosen[text_column("name", clang)].to_numpy(),
            "series": series,
            "importance": chosen[f"importance{suffix}"].to_numpy(),
            "performance": chosen[f"performance{suffix}"].to_numpy(),
        }))
    return pd.concat(parts, ignore_index=True)


def _panel(data: pd.DataFrame, field: str, title: str, domain: list[float], *, labels: bool) -> alt.LayerChart | alt.FacetChart:
    order = list(dict.fromkeys(data["touchpoint"]))
    y = alt.Y("touchpoint:N", sort=order, title=None, axis=alt.Axis(labelLimit=260) if labels else None)
    scale = alt.Scale(domain=domain)
    colour = alt.Color("series:N", title=None, scale=alt.Scale(range=[THIS, MEDIAN]), legend=alt.Legend(orient="top"))
    base = alt.Chart(data)
    rule = base.mark_rule(color="#CFCFCF").encode(
        x=alt.X(f"min({field}):Q", scale=scale, title=title), x2=f"max({field}):Q", y=y
    )
    dots = base.mark_circle(size=90, opacity=1).encode(
        x=alt.X(f"{field}:Q", scale=scale, title=title), y=y, color=colour,
        tooltip=[alt.Tooltip("touchpoint:N"), alt.Tooltip("series:N"), alt.Tooltip(f"{field}:Q", format=".2f")],
    )
    return alt.layer(rule, dots).properties(width=260)


def benchmark_chart(frame: pd.DataFrame, lang: str, clang: str, others: int) -> alt.HConcatChart:
    """Two dumbbell panels, importance and performance: this audit's dot against the median's, per touchpoint."""
    data = _long(frame, lang, clang, others)
    return alt.hconcat(
        _panel(data, "importance", t("bench.axis_importance", lang), [1, 10], labels=True),
        _panel(data, "performance", t("bench.axis_performance", lang), [-1, 1], labels=False),
    ).resolve_scale(y="shared")
