"""The IPA matrix as an Altair chart: importance against performance, one point per touchpoint.

Built from :func:`audit.scoring.analyse`'s scores like the other charts of
:mod:`audit.charts` (whose palette and label sizes it shares), with the
crosshair, the quadrant names, the labels of the top touchpoints and, in the
``both`` view, arrows from the team's position to the shoppers'.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from audit.charts import (
    ARROW_ASPECT,
    CATEGORY_COLOURS,
    CHAR_WIDTH,
    LABEL_CHARS,
    LINE_HEIGHT,
    SPREAD_X,
    SPREAD_Y,
    TOP_LABELS,
    names,
    quadrant_label,
)
from audit.frames import frame
from audit.i18n import t
from audit.ipa import CONCENTRATE, CROSSHAIRS, KEEP_UP, LOW_PRIORITY, OVERKILL
from audit.priority import MIN_RATERS


def _spread(importance: np.ndarray, performance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points with the same (importance, performance) placed in a small ring around it, so none hides another."""
    x, y = performance.copy(), importance.copy()
    keys = pd.Series(list(zip(np.round(importance, 3), np.round(performance, 3), strict=True)), dtype=object)
    for _, where in keys.groupby(keys, sort=False).indices.items():
        if len(where) < 2:
            continue
        angle = 2 * np.pi * np.arange(len(where)) / len(where)
        x[where] = performance[where] + SPREAD_X * np.cos(angle)
        y[where] = importance[where] + SPREAD_Y * np.sin(angle)
    return x, y


def _label_places(x: np.ndarray, y: np.ndarray, texts: Sequence[str]) -> list[tuple[float, float, str]]:
    """Where each label goes (x, y, align), trying right, left, above and below its point so labels do not overlap.

    Sizes are in data units of a plot about 560 x 430 pixels (a wider plot
    only gains room): a character is about 0.024 performance units wide and a
    line 0.32 importance units tall. A label that fits nowhere goes below its
    point, lower for each label already there.
    """
    boxes: list[tuple[float, float, float, float]] = []
    places = []
    for px, py, text in zip(x, y, texts, strict=True):
        width, height = CHAR_WIDTH * len(text), LINE_HEIGHT
        candidates = [(px + 0.035, py, "left"), (px - 0.035, py, "right"), (px, py + 0.3, "center"), (px, py - 0.3, "center")]
        candidates += [(px + 0.035, py - k * LINE_HEIGHT, "left") for k in range(1, 6)]
        chosen = candidates[-1]
        for cx, cy, align in candidates:
            left = cx if align == "left" else cx - width if align == "right" else cx - width / 2
            box = (left, cy - height / 2, left + width, cy + height / 2)
            inside = box[0] >= -1.0 and box[2] <= 1.0 and box[1] >= 1.0 and box[3] <= 10.0
            if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                chosen = (cx, cy, align)
                boxes.append(box)
                break
        places.append(chosen)
    return places


def ipa_frame(scores: pd.DataFrame, lang: str, clang: str, *, top: int = TOP_LABELS, view: str = "team") -> pd.DataFrame:
    """The placed touchpoints: name, category, importance, performance, raters, quadrant, moves, few raters, label.

    ``x`` and ``y`` are where the point is drawn (spread when points share a
    place); the top ``top`` touchpoints by priority get a ``label`` ("1. name")
    placed at ``label_x``, ``label_y`` with ``label_align``.
    """
    axis = "ipa_performance" if view != "team" and "ipa_performance" in scores.columns else "performance"
    placed = scores[scores["importance_mean"].notna().to_numpy() & scores[axis].notna().to_numpy()]
    moves = placed["changes"].to_numpy(dtype=bool) if "changes" in placed.columns else np.zeros(len(placed), dtype=bool)
    few = placed["few_raters"].to_numpy(dtype=bool) if "few_raters" in placed.columns else np.zeros(len(placed), dtype=bool)
    importance = placed["importance_mean"].to_numpy(dtype=float)
    performance = placed[axis].to_numpy(dtype=float)
    source = placed["ipa_source"].to_numpy(dtype=object) if axis == "ipa_performance" else np.full(len(placed), "team", dtype=object)
    x, y = _spread(importance, performance)
    priority = placed["priority"].to_numpy(dtype=float) if "priority" in placed.columns else np.zeros(len(placed))
    ranked = np.lexsort((np.arange(len(placed)), -priority))[: max(top, 0)]
    tp_names = names(placed, clang).to_numpy(dtype=object)
    labels = np.full(len(placed), "", dtype=object)
    label_x, label_y = x.copy(), y.copy()
    align = np.full(len(placed), "left", dtype=object)
    texts = [f"{rank + 1}. {_short(str(tp_names[i]), LABEL_CHARS)}" for rank, i in enumerate(ranked)]
    for i, text, (lx, ly, la) in zip(ranked, texts, _label_places(x[ranked], y[ranked], texts), strict=True):
        labels[i], label_x[i], label_y[i], align[i] = text, lx, ly, la
    return frame(
        {
            "touchpoint_id": placed.index.to_numpy(dtype=object),
            "name": tp_names,
            "category": [t(f"category.{c}", lang) for c in placed["category"]],
            "importance": importance,
            "performance": performance,
            "team_performance": placed["performance"].to_numpy(dtype=float),
            "source": [t(f"results.source_{s or 'team'}", lang) for s in source],
            "from_shoppers": source == "shoppers",
            "x": x,
            "y": y,
            "raters": placed["raters"].to_numpy(dtype=np.int64),
            "quadrant": [quadrant_label(q, lang) for q in placed["quadrant"]],
            "moves": np.where(moves, t("results.moves_yes", lang), t("results.moves_no", lang)).astype(object),
            "marker": np.where(moves, t("results.marker_moves", lang), t("results.marker_stays", lang)).astype(object),
            "few": np.where(few, t("results.marker_few", lang, minimum=MIN_RATERS), t("results.marker_enough", lang)).astype(object),
            "priority": priority,
            "label": labels,
            "label_x": label_x,
            "label_y": label_y,
            "label_align": align,
        }
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _category_scale(lang: str) -> alt.Scale:
    return alt.Scale(domain=[t(f"category.{c}", lang) for c in CATEGORY_COLOURS], range=list(CATEGORY_COLOURS.values()))


def arrow_frame(data: pd.DataFrame) -> pd.DataFrame:
    """From the team's position to the shoppers' (``x0, y0 -> x, y``), for touchpoints placed by shoppers that the team rated too.

    ``angle`` turns a triangle to point along the arrow on a plot about
    :data:`ARROW_ASPECT` times wider than tall (degrees, clockwise from up).
    """
    if not len(data):
        return pd.DataFrame(columns=["name", "x0", "y0", "x", "y", "angle", "team_performance", "performance"])
    keep = data["from_shoppers"].to_numpy(dtype=bool) & data["team_performance"].notna().to_numpy()
    part = data[keep]
    x0, y0 = part["team_performance"].to_numpy(dtype=float), part["y"].to_numpy(dtype=float)
    x, y = part["x"].to_numpy(dtype=float), part["y"].to_numpy(dtype=float)
    dx, dy = (x - x0) / 2.0 * ARROW_ASPECT, (y - y0) / 9.0  # both in plot heights
    angle = np.degrees(np.arctan2(dx, dy))
    return pd.DataFrame({"name": part["name"].to_numpy(dtype=object), "x0": x0, "y0": y0, "x": x, "y": y, "angle": angle,
                         "team_performance": x0, "performance": part["performance"].to_numpy(dtype=float)})


def _arrows(data: pd.DataFrame, x_title: str, y_title: str, lang: str) -> list[alt.Chart]:
    """Lines with a head from where the team put a touchpoint to where the shoppers put it."""
    arrows = arrow_frame(data)
    if not len(arrows):
        return []
    x = alt.X("x0:Q", scale=alt.Scale(domain=[-1, 1]), title=x_title)
    y = alt.Y("y0:Q", scale=alt.Scale(domain=[1, 10]), title=y_title)
    tip = [alt.Tooltip("name:N", title=t("results.tip_touchpoint", lang)),
           alt.Tooltip("team_performance:Q", title=t("results.tip_team_performance", lang), format="+.2f"),
           alt.Tooltip("performance:Q", title=t("results.tip_shopper_performance", lang), format="+.2f")]
    line = alt.Chart(arrows).mark_rule(color="#333333", strokeWidth=1.1, opacity=0.7).encode(x=x, y=y, x2="x:Q", y2="y:Q", tooltip=tip)
    tail = alt.Chart(arrows).mark_point(shape="circle", size=40, filled=False, color="#333333", opacity=0.8).encode(x=x, y=y, tooltip=tip)
    head = (
        alt.Chart(arrows).mark_point(shape="triangle-up", size=70, filled=True, color="#333333", opacity=0.9)
        .encode(x=alt.X("x:Q", scale=alt.Scale(domain=[-1, 1]), title=x_title),
                y=alt.Y("y:Q", scale=alt.Scale(domain=[1, 10]), title=y_title), angle=alt.Angle("angle:Q", scale=None), tooltip=tip)
    )
    return [line, tail, head]


# Drawn on a canvas in the browser (vega-embed's default is SVG: one DOM node per point, 1,000 at that size); the points,
# tooltips and legends are the same. Streamlit does this itself only above 2,000 points.
CANVAS = {"embedOptions": {"renderer": "canvas"}}
POINT_COLUMNS = ("x", "y", "name", "category", "importance", "performance", "raters", "quadrant", "priority", "marker", "few")


def _ipa_points(data: pd.DataFrame, x: alt.X, y: alt.Y, lang: str, view: str) -> alt.Chart:
    """One point per touchpoint: colour by category, diamond if the quadrant moves, hollow on few raters."""
    markers = [t("results.marker_stays", lang), t("results.marker_moves", lang)]
    fills = [t("results.marker_enough", lang), t("results.marker_few", lang, minimum=MIN_RATERS)]
    drawn = [*POINT_COLUMNS, "source"] if view != "team" else list(POINT_COLUMNS)
    return (
        alt.Chart(data[drawn])  # only what the layer draws and names: the browser reads every column it is sent
        # aria=False: no spoken description per point, which Vega would otherwise format for every one of them on each
        # drawing (a third of the chart's time in Chromium at 1,000 points); the tooltips and the legends say the same.
        .mark_point(filled=True, size=90, opacity=0.9, stroke="#333333", strokeWidth=0.8, aria=False)
        .encode(
            x=x,
            y=y,
            color=alt.Color("category:N", title=t("results.legend_category", lang), scale=_category_scale(lang),
                            legend=alt.Legend(orient="bottom")),
            shape=alt.Shape("marker:N", title=None, scale=alt.Scale(domain=markers, range=["circle", "diamond"]),
                            legend=alt.Legend(orient="top", labelLimit=320)),
            fillOpacity=alt.FillOpacity("few:N", title=None, scale=alt.Scale(domain=fills, range=[0.85, 0.0]),
                                        legend=alt.Legend(orient="top", labelLimit=320)),
            tooltip=[
                alt.Tooltip("name:N", title=t("results.tip_touchpoint", lang)),
                alt.Tooltip("category:N", title=t("results.legend_category", lang)),
                alt.Tooltip("importance:Q", title=t("results.tip_importance", lang), format=".1f"),
                alt.Tooltip("performance:Q", title=t("results.tip_performance", lang), format="+.2f"),
                *([alt.Tooltip("source:N", title=t("results.tip_source", lang))] if view != "team" else []),
                alt.Tooltip("raters:Q", title=t("results.tip_raters", lang)),
                alt.Tooltip("quadrant:N", title=t("results.tip_quadrant", lang)),
                alt.Tooltip("priority:Q", title=t("results.tip_priority", lang), format=".1f"),
            ],
        )
    )


def _crosshair_layers(point: tuple[float, float], x: alt.X, y: alt.Y, lang: str) -> list[alt.Chart]:
    """The two dashed crosshair lines and the quadrant names in the corners."""
    layers: list[alt.Chart] = []
    line_imp, line_perf = point
    rule = {"color": "#555555", "strokeDash": [5.0, 4.0], "strokeWidth": 1.2}
    layers.append(alt.Chart(pd.DataFrame({"x": [line_perf]})).mark_rule(**rule).encode(x=x))  # type: ignore[arg-type]
    layers.append(alt.Chart(pd.DataFrame({"y": [line_imp]})).mark_rule(**rule).encode(y=y))  # type: ignore[arg-type]
    corners = pd.DataFrame(
        {
            "x": [-0.98, 0.98, -0.98, 0.98],
            "y": [9.85, 9.85, 1.15, 1.15],
            "label": [quadrant_label(q, lang) for q in (CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL)],
            "align": ["left", "right", "left", "right"],
            "baseline": ["top", "top", "bottom", "bottom"],
        }
    )
    for (align, baseline), part in corners.groupby(["align", "baseline"], sort=False):
        layers.append(
            alt.Chart(part)
            .mark_text(align=align, baseline=baseline, fontSize=13, fontWeight="bold", color="#444444", opacity=0.8)
            .encode(x=x, y=y, text="label:N")
        )
    return layers


def _label_layers(data: pd.DataFrame, x_title: str, y_title: str) -> list[alt.Chart]:
    """The rank-and-name labels of the top touchpoints, one layer per alignment."""
    layers: list[alt.Chart] = []
    labelled = data[data["label"] != ""] if len(data) else data
    for align in ("left", "right", "center"):
        part = labelled[labelled["label_align"] == align] if len(labelled) else labelled
        if len(part):
            layers.append(
                alt.Chart(part[["label_x", "label_y", "label"]]).mark_text(align=align, baseline="middle", fontSize=11, color="#1A1A1A")
                .encode(x=alt.X("label_x:Q", scale=alt.Scale(domain=[-1, 1]), title=x_title),
                        y=alt.Y("label_y:Q", scale=alt.Scale(domain=[1, 10]), title=y_title), text="label:N")
            )
    return layers


def ipa_chart(scores: pd.DataFrame, point: tuple[float, float] | None, lang: str, clang: str, *, height: int = 540,
              top: int = TOP_LABELS, view: str = "team") -> alt.LayerChart | alt.FacetChart:
    """Importance (y) against performance (x), one point per touchpoint, with the crosshair and quadrant names.

    The ``top`` touchpoints by priority are labelled with their rank and
    name (every point names itself on hover). Points sharing a place are
    spread in a small ring. Touchpoints whose quadrant depends on the
    crosshair choice are diamonds, the others circles; hollow points rest on
    fewer than :data:`audit.priority.MIN_RATERS` raters. The performance
    axis is the analysis' view (``ipa_performance``: the team's reactions,
    or the shoppers' where they visited); in the ``both`` view an arrow runs
    from the team's position (a small ring) to the shoppers' (the point).
    """
    arrows = view == "both"
    data = ipa_frame(scores, lang, clang, top=top, view=view)
    x_title, y_title = t("results.axis_performance", lang), t("results.axis_importance", lang)
    x = alt.X("x:Q", title=x_title, scale=alt.Scale(domain=[-1, 1]))
    y = alt.Y("y:Q", title=y_title, scale=alt.Scale(domain=[1, 10]))
    points = _ipa_points(data, x, y, lang, view)
    layers: list[alt.Chart] = []
    if point is not None:
        layers.extend(_crosshair_layers(point, x, y, lang))
    if arrows:
        layers.extend(_arrows(data, x_title, y_title, lang))
    layers.extend(_label_layers(data, x_title, y_title))
    return alt.layer(*layers, points).properties(height=height, usermeta=CANVAS)


def crosshair_moves(scores: pd.DataFrame, lang: str, clang: str) -> pd.DataFrame:
    """The touchpoints whose quadrant depends on the crosshair: their quadrant under each choice."""
    if "changes" not in scores.columns:
        return pd.DataFrame()
    moving = scores[scores["changes"].to_numpy(dtype=bool)]
    columns = {t("results.tip_touchpoint", lang): names(moving, clang).to_numpy(dtype=object)}
    for choice in CROSSHAIRS:
        columns[t(f"crosshair.{choice}", lang)] = [quadrant_label(q, lang) for q in moving[f"quadrant_{choice}"]]
    return frame(columns, moving.index)


def quadrant_counts(scores: pd.DataFrame) -> dict[str, int]:
    """How many touchpoints sit in each quadrant (in the order of the method)."""
    counts = scores["quadrant"].value_counts() if len(scores) else pd.Series(dtype=int)
    return {q: int(counts.get(q, 0)) for q in (CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL)}
