"""The results as Altair charts, built from the analysis' DataFrames (no Streamlit here).

Every function takes the frames of :func:`audit.scoring.analyse` (already
filtered with :class:`Filters` when the page filters them) and returns an
Altair chart; the page only shows it. Labels come from :mod:`audit.i18n`
(``lang``: the UI language); touchpoint names follow the audit's language
(``clang``). Vega draws every text on a canvas or as SVG text, so names typed
by people are shown as text, never as markup.

Colours are chosen for colour-blind readers (Okabe-Ito): reactions are blue
(positive), grey (neutral) and vermillion (negative), never red against green,
and every colour is also told by a legend and a tooltip.

The IPA matrix (importance against performance, with the crosshair, arrows and
labels) is in :mod:`audit.ipa_chart`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from audit.frames import frame
from audit.i18n import t
from audit.ipa import QUADRANT_KEYS
from audit.languages import text_column
from audit.model import Attention, Audience, Category, Channel, Lifetime, Stage
from audit.numbers import decimal, signed

# Okabe-Ito, a palette that stays distinct for the common kinds of colour blindness.
POSITIVE, NEUTRAL, NEGATIVE, NOT_RATED_COLOUR = "#0072B2", "#9A9A9A", "#D55E00", "#E4E4E4"
REACTION_COLOURS = {"positive": POSITIVE, "neutral": NEUTRAL, "negative": NEGATIVE}
CATEGORY_COLOURS = {
    Category.OFFICE.value: "#E69F00",
    Category.PRODUCT.value: "#009E73",
    Category.TECHNOLOGY.value: "#56B4E9",
    Category.STAFF.value: "#CC79A7",
}
# How a competitor does compared with us: "better" is bad news for us.
VERSUS_COLOURS = {"better": NEGATIVE, "same": "#CFCFCF", "worse": POSITIVE}
NO_STAGE = "unspecified"
MAX_ROWS = 25  # touchpoints listed in the blind-spot and competitor charts (the largest first)
TOP_LABELS = 8  # touchpoints labelled on the IPA matrix (highest priority first); all name themselves on hover
LABEL_CHARS = 26
LINK_LABEL_PX = 120  # a link's name (below or above its square, alternately) is cut to this width
SPREAD_X, SPREAD_Y = 0.025, 0.12  # the ring that separates points sharing a place (performance, importance units)
CHAR_WIDTH, LINE_HEIGHT = 0.024, 0.32  # a label character and line in data units of a ~560 x 430 px plot (wider plots only gain room)
LABEL_LIMIT = 260  # pixels before a long touchpoint name is cut with "…"
ARROW_ASPECT = 1.4  # the IPA plot's width / height, to point the arrows' heads (a wider plot only bends them slightly)


def quadrant_label(quadrant: str, lang: str) -> str:
    key = QUADRANT_KEYS.get(quadrant)
    return t(key, lang) if key else str(quadrant)


def names(scores: pd.DataFrame, clang: str) -> pd.Series:
    """Touchpoint names in the audit's language (falling back to the other one)."""
    return scores[text_column("name", clang)]


# ------------------------------------------------------------------ filters


# The touchpoint attributes the results filter and group by: the scores column and its values, in order.
ATTRIBUTES: dict[str, tuple[str, tuple[str, ...]]] = {
    "category": ("category", tuple(c.value for c in Category)),
    "stage": ("stages", tuple(s.value for s in Stage)),
    "channel": ("channels", tuple(c.value for c in Channel)),
    "audience": ("audiences", tuple(a.value for a in Audience)),
    "attention": ("attention", tuple(a.value for a in Attention)),
    "lifetime": ("lifetime", tuple(x.value for x in Lifetime)),
}
GROUPINGS = ("stage", "channel", "audience", "attention", "lifetime")  # the heatmap's columns may be any of these


def value_label(attribute: str, value: str, lang: str) -> str:
    """A value of a touchpoint attribute in words (``stage`` ``before`` -> "Before purchase")."""
    return t(f"{attribute}.{value}", lang)


def attribute_values(scores: pd.DataFrame, attribute: str) -> np.ndarray:
    """Per touchpoint the list of its values of ``attribute`` (several for stage, channel, audience; empty when unset)."""
    column = ATTRIBUTES[attribute][0]
    values = scores[column].to_numpy(dtype=object, na_value="") if column in scores.columns else np.full(len(scores), "", dtype=object)
    out = np.empty(len(values), dtype=object)
    out[:] = [[v for v in str(x).split(";") if v] for x in values]
    return out


@dataclass(frozen=True, slots=True)
class Filters:
    """Which touchpoints the charts show: empty means "all" for each attribute.

    A touchpoint passes a filter when any of its values of that attribute is
    chosen (a touchpoint has several stages, channels and audiences, one
    attention span and one lifetime); a touchpoint without a value passes
    only when nothing is chosen for that attribute.
    """

    categories: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    attention: tuple[str, ...] = ()
    lifetime: tuple[str, ...] = ()

    @classmethod
    def of(cls, categories: Iterable[str] = (), stages: Iterable[str] = (), channels: Iterable[str] = (),
           audiences: Iterable[str] = (), attention: Iterable[str] = (), lifetime: Iterable[str] = ()) -> Filters:
        """Only known values are kept (a widget's value is not trusted)."""
        given = (categories, stages, channels, audiences, attention, lifetime)
        picked = [tuple(v for v in dict.fromkeys(values or ()) if v in ATTRIBUTES[name][1])
                  for values, name in zip(given, ATTRIBUTES, strict=True)]
        return cls(*picked)

    def chosen(self) -> dict[str, tuple[str, ...]]:
        """Attribute -> chosen values, for the attributes with a choice."""
        values = (self.categories, self.stages, self.channels, self.audiences, self.attention, self.lifetime)
        return {name: v for name, v in zip(ATTRIBUTES, values, strict=True) if v}

    @property
    def active(self) -> bool:
        return bool(self.chosen())

    def mask(self, scores: pd.DataFrame) -> np.ndarray:
        keep = np.ones(len(scores), dtype=bool)
        for name, chosen in self.chosen().items():
            wanted = set(chosen)
            keep &= np.array([bool(wanted.intersection(v)) for v in attribute_values(scores, name)], dtype=bool)
        return keep

    def scores(self, scores: pd.DataFrame) -> pd.DataFrame:
        return scores[self.mask(scores)] if self.active else scores

    def ids(self, scores: pd.DataFrame) -> pd.Index:
        return self.scores(scores).index

    def rows(self, table: pd.DataFrame, scores: pd.DataFrame, column: str = "touchpoint_id") -> pd.DataFrame:
        """Rows of another table (chain links, competitor gaps) whose touchpoint passes."""
        if not self.active or not len(table):
            return table
        return table[table[column].isin(self.ids(scores)).to_numpy()]


# ------------------------------------------------------------------ categories x stages


def group_title(by: str, lang: str) -> str:
    """The name of a heatmap grouping (the axis title): "Journey stage", "Channel", "Customer status", ..."""
    return t("results.axis_stage" if by == "stage" else f"results.filter_{by}", lang)


def heatmap_frame(scores: pd.DataFrame, lang: str, by: str = "stage") -> pd.DataFrame:
    """Mean performance per (category, value of ``by``), with rated and total touchpoint counts.

    ``by`` is one of :data:`GROUPINGS` (journey stage by default; channel,
    customer status, attention span or lifetime). A touchpoint with several
    values counts under each; one without a value is under "unspecified".
    Every category and value that has touchpoints gets a cell, rated or not.
    The grouped value is in the column ``stage`` whatever ``by`` is.
    """
    if by not in GROUPINGS:
        raise ValueError(f"group the heatmap by one of {', '.join(GROUPINGS)}, not {by!r}")
    rows: list[tuple[str, str, float]] = []
    groups = attribute_values(scores, by)
    for category, values, perf in zip(scores["category"], groups, scores["performance"].to_numpy(dtype=float), strict=False):
        for value in values or [NO_STAGE]:
            rows.append((category, value, perf))
    long = pd.DataFrame(rows, columns=["category", "stage", "performance"])
    if long.empty:
        return pd.DataFrame(columns=["category", "stage", "performance", "rated", "touchpoints", "label", "category_order", "stage_order"])
    grouped = long.groupby(["category", "stage"], sort=False)["performance"]
    out = pd.DataFrame({"performance": grouped.mean(), "rated": grouped.count(), "touchpoints": grouped.size()}).reset_index()
    category_order = {c.value: i for i, c in enumerate(Category)}
    known = ATTRIBUTES[by][1]
    stage_order = {v: i for i, v in enumerate(known)} | {NO_STAGE: len(known)}
    out["category_order"] = out["category"].map(category_order).fillna(99).astype(int)
    out["stage_order"] = out["stage"].map(stage_order).fillna(99).astype(int)
    out["label"] = [
        (f"{p:+.2f}" if r else "–") + f"\n{t('results.heat_count', lang, rated=int(r), total=int(n))}"
        for p, r, n in zip(out["performance"], out["rated"], out["touchpoints"], strict=False)
    ]
    unset = t("results.no_stage" if by == "stage" else "results.no_value", lang)
    out["category"] = [t(f"category.{c}", lang) if c in category_order else c for c in out["category"]]
    out["stage"] = [value_label(by, v, lang) if v in known else unset for v in out["stage"]]
    return out.sort_values(["category_order", "stage_order"]).reset_index(drop=True)


def heatmap_chart(scores: pd.DataFrame, lang: str, by: str = "stage") -> alt.LayerChart | alt.FacetChart:
    """Categories (rows) by a touchpoint attribute (columns, :data:`GROUPINGS`), coloured by mean performance."""
    data = heatmap_frame(scores, lang, by)
    title = group_title(by, lang)
    stage_sort = list(dict.fromkeys(data.sort_values("stage_order")["stage"]))
    category_sort = list(dict.fromkeys(data["category"]))
    x = alt.X("stage:N", title=title, sort=stage_sort, axis=alt.Axis(labelAngle=0, labelLimit=160))
    y = alt.Y("category:N", title=None, sort=category_sort)
    cells = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "performance:Q", title=t("results.axis_performance", lang),
                scale=alt.Scale(domain=[-1, 0, 1], range=[NEGATIVE, "#F2F2F2", POSITIVE]),
                legend=alt.Legend(orient="bottom", gradientLength=220),
            ),
            tooltip=[
                alt.Tooltip("category:N", title=t("results.legend_category", lang)),
                alt.Tooltip("stage:N", title=title),
                alt.Tooltip("performance:Q", title=t("results.tip_performance", lang), format="+.2f"),
                alt.Tooltip("rated:Q", title=t("results.tip_rated", lang)),
                alt.Tooltip("touchpoints:Q", title=t("results.tip_touchpoints", lang)),
            ],
        )
    )
    text = alt.Chart(data).mark_text(fontSize=12, lineBreak="\n", color="#1A1A1A").encode(x=x, y=y, text="label:N")
    return alt.layer(cells, text).properties(height=150 + 64 * max(1, len(category_sort)))  # Streamlit fits legends and axes inside


# ------------------------------------------------------------------ reactions per category


def reaction_frame(categories: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Long form of the category summary: one row per (category, reaction) with votes and share."""
    rows = []
    for category, row in categories.iterrows():
        total = int(row["positive"] + row["neutral"] + row["negative"])
        for order, reaction in enumerate(("positive", "neutral", "negative")):
            votes = int(row[reaction])
            rows.append({
                "category": t(f"category.{category}", lang),
                "reaction": t(f"reaction_word.{reaction}", lang),
                "votes": votes,
                "share": votes / total if total else 0.0,
                "order": order,
            })
    return pd.DataFrame(rows, columns=["category", "reaction", "votes", "share", "order"])


def reaction_chart(categories: pd.DataFrame, lang: str) -> alt.Chart:
    """Stacked bars of the team's reactions per category (shares of the votes, counts in the tooltip)."""
    data = reaction_frame(categories, lang)
    words = [t(f"reaction_word.{r}", lang) for r in REACTION_COLOURS]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", title=None, sort=list(dict.fromkeys(data["category"]))),
            x=alt.X("share:Q", stack="normalize", title=t("results.axis_share", lang), axis=alt.Axis(format="%")),
            color=alt.Color("reaction:N", title=t("results.legend_reaction", lang),
                            scale=alt.Scale(domain=words, range=list(REACTION_COLOURS.values())),
                            legend=alt.Legend(orient="bottom")),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("category:N", title=t("results.legend_category", lang)),
                alt.Tooltip("reaction:N", title=t("results.legend_reaction", lang)),
                alt.Tooltip("votes:Q", title=t("results.tip_votes", lang)),
                alt.Tooltip("share:Q", title=t("results.axis_share", lang), format=".0%"),
            ],
        )
        .properties(height=120 + 44 * max(1, data["category"].nunique()))
    )


# ------------------------------------------------------------------ chains


def chain_frame(links: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per link: chain, position, name, reaction colour key, break, unreached."""
    if not len(links):
        return pd.DataFrame(columns=["chain", "position", "name", "reaction", "performance", "status", "breaks", "unreached", "opacity"])
    reaction = [
        t(f"reaction_word.{r}", lang) if r in REACTION_COLOURS else (t("results.not_rated", lang) if n == 0 else t("results.mixed", lang))
        for r, n in zip(links["majority_reaction"].to_numpy(dtype=object, na_value=None), links["reaction_n"], strict=False)
    ]
    status_keys = {
        "broken here: customer lost": "results.chain_break", "unreached (after the break)": "results.chain_unreached",
        "weakest link": "results.chain_weakest", "not rated yet": "results.not_rated", "ok": "results.chain_ok",
    }
    return frame(
        {
            "chain": links["chain_name"].to_numpy(dtype=object),
            "position": links["position"].to_numpy(dtype=np.int64),
            "name": links["name"].to_numpy(dtype=object),
            "reaction": reaction,
            "performance": links["performance"].to_numpy(dtype=float),
            "status": [t(status_keys[s], lang) if s in status_keys else s for s in links["status"]],
            "breaks": links["breaks"].to_numpy(dtype=bool),
            "unreached": links["unreached"].to_numpy(dtype=bool),
            "opacity": np.where(links["unreached"].to_numpy(dtype=bool), 0.25, 1.0),
        }
    )


def chain_chart(links: pd.DataFrame, lang: str) -> alt.LayerChart | alt.FacetChart:
    """Each journey as a row of its links in order, coloured by the team's reaction.

    The link where the chain breaks carries a black cross; the links after it
    (the customer never reaches them) are faded. Every link's touchpoint is
    named next to it, below and above in turn.
    """
    data = chain_frame(links, lang)
    words = [t(f"reaction_word.{r}", lang) for r in REACTION_COLOURS] + [t("results.mixed", lang), t("results.not_rated", lang)]
    chain_sort = list(dict.fromkeys(data["chain"]))
    x = alt.X("position:O", title=t("results.axis_link", lang), axis=alt.Axis(labelAngle=0))
    y = alt.Y("chain:N", title=None, sort=chain_sort, axis=alt.Axis(labelLimit=220))
    tooltip = [
        alt.Tooltip("chain:N", title=t("results.tip_chain", lang)),
        alt.Tooltip("position:O", title=t("results.axis_link", lang)),
        alt.Tooltip("name:N", title=t("results.tip_touchpoint", lang)),
        alt.Tooltip("reaction:N", title=t("results.legend_reaction", lang)),
        alt.Tooltip("performance:Q", title=t("results.tip_performance", lang), format="+.2f"),
        alt.Tooltip("status:N", title=t("results.tip_status", lang)),
    ]
    line = alt.Chart(data).mark_line(color="#BBBBBB", strokeWidth=2).encode(x=x, y=y, detail="chain:N")
    squares = (
        alt.Chart(data)
        .mark_square(size=420, stroke="#333333", strokeWidth=0.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color("reaction:N", title=t("results.legend_reaction", lang),
                            scale=alt.Scale(domain=words, range=[*REACTION_COLOURS.values(), "#C9A8E0", NOT_RATED_COLOUR]),
                            legend=alt.Legend(orient="bottom")),
            opacity=alt.Opacity("opacity:Q", scale=None, legend=None),
            tooltip=tooltip,
        )
    )
    breaks = (
        alt.Chart(data[data["breaks"].to_numpy(dtype=bool)] if len(data) else data)
        .mark_point(shape="cross", size=260, filled=True, color="#111111", angle=45)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    # every link names itself, below (odd links) or above (even links) its square, so neighbours do not collide
    odd = data["position"].to_numpy(dtype=np.int64) % 2 == 1 if len(data) else np.zeros(0, dtype=bool)
    below = alt.Chart(data[odd] if len(data) else data).mark_text(
        baseline="top", dy=14, fontSize=10, color="#333333", limit=LINK_LABEL_PX).encode(x=x, y=y, text="name:N", tooltip=tooltip)
    above = alt.Chart(data[~odd] if len(data) else data).mark_text(
        baseline="bottom", dy=-14, fontSize=10, color="#333333", limit=LINK_LABEL_PX).encode(x=x, y=y, text="name:N", tooltip=tooltip)
    return alt.layer(line, squares, breaks, below, above).properties(height=120 + 84 * max(1, len(chain_sort)))


def chain_table(chains: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per journey: links, rated links, where it breaks, its weakest link, unreached links."""
    broken = chains["broken_at"].fillna("").to_numpy(dtype=object) if len(chains) else np.zeros(0, dtype=object)
    rated = chains["rated_links"].to_numpy(dtype=np.int64) if len(chains) else np.zeros(0, dtype=np.int64)
    return pd.DataFrame(
        {
            t("results.tip_chain", lang): chains["chain_name"].to_numpy(dtype=object) if len(chains) else [],
            t("results.col_links", lang): chains["links"].to_numpy(dtype=np.int64) if len(chains) else [],
            t("results.col_rated_links", lang): rated,
            t("results.col_broken_at", lang): [
                (f"{b} ({t('results.link_n', lang, n=int(p))})" if b else (t("results.intact", lang) if r else t("results.not_rated", lang)))
                for b, p, r in zip(broken, chains["broken_position"] if len(chains) else [], rated, strict=False)
            ],
            t("results.chain_weakest", lang): chains["weakest"].fillna("").to_numpy(dtype=object) if len(chains) else [],
            t("results.col_unreached", lang): chains["unreached"].to_numpy(dtype=np.int64) if len(chains) else [],
        }
    )


# ------------------------------------------------------------------ blind spots


def blind_spot_frame(scores: pd.DataFrame, lang: str, clang: str, limit: int = MAX_ROWS) -> pd.DataFrame:
    """Touchpoints rated by the team *and* seen by shoppers, the largest gap first (long form)."""
    both = scores[scores["performance"].notna().to_numpy() & scores["shopper_performance"].notna().to_numpy()]
    if not len(both):
        return pd.DataFrame(columns=["name", "who", "performance", "gap", "blind", "order"])
    gap = (both["shopper_performance"] - both["performance"]).to_numpy(dtype=float)
    order = np.argsort(-np.abs(gap), kind="stable")[:limit]
    chosen = both.iloc[order]
    tp_names = names(chosen, clang).to_numpy(dtype=object)
    blind = [t("results.blind_yes", lang) if b else "" for b in chosen["blind_spot"].fillna("")]
    rows = []
    for rank, (name, team, shop, g, b) in enumerate(zip(tp_names, chosen["performance"], chosen["shopper_performance"], gap[order], blind, strict=False)):
        rows.append({"name": name, "who": t("results.who_team", lang), "performance": float(team), "gap": float(g), "blind": b, "order": rank})
        rows.append({"name": name, "who": t("results.who_shoppers", lang), "performance": float(shop), "gap": float(g), "blind": b, "order": rank})
    return pd.DataFrame(rows)


def blind_spot_chart(scores: pd.DataFrame, lang: str, clang: str, limit: int = MAX_ROWS) -> alt.LayerChart | alt.FacetChart:
    """Team vs shoppers per touchpoint (a dumbbell): the longer the bar, the bigger the blind spot."""
    data = blind_spot_frame(scores, lang, clang, limit)
    sort = list(dict.fromkeys(data.sort_values("order")["name"])) if len(data) else []
    y = alt.Y("name:N", title=None, sort=sort, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    x = alt.X("performance:Q", title=t("results.axis_performance", lang), scale=alt.Scale(domain=[-1, 1]))
    tooltip = [
        alt.Tooltip("name:N", title=t("results.tip_touchpoint", lang)),
        alt.Tooltip("who:N", title=t("results.legend_who", lang)),
        alt.Tooltip("performance:Q", title=t("results.tip_performance", lang), format="+.2f"),
        alt.Tooltip("gap:Q", title=t("results.tip_gap", lang), format="+.2f"),
        alt.Tooltip("blind:N", title=t("results.tip_blind", lang)),
    ]
    bar = alt.Chart(data).mark_line(color="#AAAAAA", strokeWidth=3).encode(x=x, y=y, detail="name:N")
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=110)
        .encode(
            x=x,
            y=y,
            color=alt.Color("who:N", title=t("results.legend_who", lang),
                            scale=alt.Scale(domain=[t("results.who_team", lang), t("results.who_shoppers", lang)], range=["#0072B2", "#E69F00"]),
                            legend=alt.Legend(orient="bottom")),
            shape=alt.Shape("who:N", scale=alt.Scale(domain=[t("results.who_team", lang), t("results.who_shoppers", lang)], range=["circle", "diamond"]),
                            legend=None),
            tooltip=tooltip,
        )
    )
    zero = alt.Chart(pd.DataFrame({"performance": [0.0]})).mark_rule(color="#777777", strokeDash=[3, 3]).encode(x=x)
    return alt.layer(zero, bar, dots).properties(height=110 + 26 * max(1, len(sort)))


# ------------------------------------------------------------------ competitors


def competitor_frame(gaps: pd.DataFrame, scores: pd.DataFrame, lang: str, clang: str, limit: int = MAX_ROWS) -> pd.DataFrame:
    """Per (touchpoint, competitor): how they do compared with us; the touchpoints where more competitors beat us first."""
    if not len(gaps):
        return pd.DataFrame(columns=["name", "competitor", "versus", "borrow", "source", "order"])
    known = gaps[gaps["touchpoint_id"].isin(scores.index).to_numpy()]
    if not len(known):
        return pd.DataFrame(columns=["name", "competitor", "versus", "borrow", "source", "order"])
    better = known.assign(_b=(known["versus"] == "better").astype(int)).groupby("touchpoint_id", sort=False)["_b"].sum()
    ranked = sorted(better.index, key=lambda i: (-int(better[i]), scores.index.get_loc(i)))[:limit]
    rank = {tp: i for i, tp in enumerate(ranked)}
    chosen = known[known["touchpoint_id"].isin(ranked).to_numpy()]
    tp_names = names(scores, clang)
    return pd.DataFrame(
        {
            "name": [tp_names.get(i, i) for i in chosen["touchpoint_id"]],
            "competitor": chosen["competitor"].to_numpy(dtype=object),
            "versus": [t(f"results.versus_{v}", lang) for v in chosen["versus"]],
            "borrow": chosen["borrow"].fillna("").to_numpy(dtype=object),
            "source": [t(f"results.source_{s}", lang) if s in ("note", "shoppers") else s for s in chosen["source"]],
            "order": [rank[i] for i in chosen["touchpoint_id"]],
        }
    ).sort_values("order", kind="stable").reset_index(drop=True)


def competitor_chart(gaps: pd.DataFrame, scores: pd.DataFrame, lang: str, clang: str, limit: int = MAX_ROWS) -> alt.LayerChart | alt.FacetChart:
    """A grid: touchpoints (rows) x competitors (columns), coloured by how each competitor does vs us."""
    data = competitor_frame(gaps, scores, lang, clang, limit)
    words = [t(f"results.versus_{v}", lang) for v in VERSUS_COLOURS]
    sort = list(dict.fromkeys(data.sort_values("order")["name"])) if len(data) else []
    x = alt.X("competitor:N", title=None, axis=alt.Axis(orient="top", labelAngle=0, labelLimit=180))
    y = alt.Y("name:N", title=None, sort=sort, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    tooltip = [
        alt.Tooltip("name:N", title=t("results.tip_touchpoint", lang)),
        alt.Tooltip("competitor:N", title=t("results.tip_competitor", lang)),
        alt.Tooltip("versus:N", title=t("results.legend_versus", lang)),
        alt.Tooltip("source:N", title=t("results.tip_source", lang)),
        alt.Tooltip("borrow:N", title=t("results.tip_borrow", lang)),
    ]
    cells = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=x, y=y, tooltip=tooltip,
            color=alt.Color("versus:N", title=t("results.legend_versus", lang), scale=alt.Scale(domain=words, range=list(VERSUS_COLOURS.values())),
                            legend=alt.Legend(orient="bottom")),
        )
    )
    # The word in every cell too: the comparison is never told by colour alone.
    text = (
        alt.Chart(data)
        .mark_text(fontSize=11, limit=160)
        .encode(
            x=x, y=y, text="versus:N", tooltip=tooltip,
            color=alt.condition(alt.datum.versus == words[1], alt.value("#111111"), alt.value("#FFFFFF")),
        )
    )
    return alt.layer(cells, text).properties(height=130 + 28 * max(1, len(sort)))


# ------------------------------------------------------------------ disagreement


def disagreement_table(scores: pd.DataFrame, lang: str, clang: str, n: int = 15) -> pd.DataFrame:
    """The touchpoints the team disagrees on most, ready to show (translated headers)."""
    from audit.scoring import disagreement_list

    rows = disagreement_list(scores, n)
    return pd.DataFrame(
        {
            t("results.tip_touchpoint", lang): names(rows, clang).to_numpy(dtype=object),
            t("results.legend_category", lang): [t(f"category.{c}", lang) for c in rows["category"]],
            t("results.tip_raters", lang): rows["raters"].to_numpy(dtype=np.int64),
            t("results.tip_importance", lang): rows["importance_mean"].round(1).to_numpy(dtype=float),
            t("results.col_spread", lang): rows["importance_std"].round(1).to_numpy(dtype=float),
            t("reaction_word.positive", lang): rows["positive"].to_numpy(dtype=np.int64),
            t("reaction_word.neutral", lang): rows["neutral"].to_numpy(dtype=np.int64),
            t("reaction_word.negative", lang): rows["negative"].to_numpy(dtype=np.int64),
            t("results.col_disagreement", lang): np.round(rows["disagreement"].to_numpy(dtype=float) * 100),  # percent
        }
    )


def department_table(gaps: pd.DataFrame, scores: pd.DataFrame, lang: str, clang: str, n: int = 15) -> pd.DataFrame:
    """Where departments judge a touchpoint differently (:func:`audit.departments.department_gaps` rows of ``scores``' touchpoints)."""
    from audit.departments import department_label

    rows = gaps[gaps["touchpoint_id"].isin(scores.index).to_numpy()].head(max(n, 0))
    tp_names = names(scores, clang)

    def ends(kind: str, write: Callable[[float], str]) -> list[str]:
        out = []
        for high, hv, low, lv in zip(rows[f"{kind}_high"], rows[f"{kind}_high_mean"], rows[f"{kind}_low"], rows[f"{kind}_low_mean"],
                                     strict=True):
            out.append("—" if not isinstance(high, str) else t(
                "results.ends", lang, high=department_label(high, lang), high_value=write(hv),
                low=department_label(low, lang), low_value=write(lv)))
        return out

    return pd.DataFrame(
        {
            t("results.tip_touchpoint", lang): [tp_names.get(i, i) for i in rows["touchpoint_id"]],
            t("results.col_importance_ends", lang): ends("importance", lambda v: decimal(v, lang, 1)),
            t("results.col_reaction_ends", lang): ends("reaction", lambda v: signed(v, lang, 2)),
            t("results.col_departments", lang): rows["departments"].to_numpy(dtype=np.int64),
            t("results.col_department_gap", lang): np.round(rows["gap"].to_numpy(dtype=float) * 100),  # percent
        }
    )


# ------------------------------------------------------------------ waves


def wave_change_chart(comparison: pd.DataFrame, lang: str, limit: int = 30) -> alt.Chart:
    """Change in performance per touchpoint between two waves (largest changes first)."""
    data = comparison[comparison["change"].notna().to_numpy()]
    data = data.iloc[np.argsort(-np.abs(data["change"].to_numpy(dtype=float)), kind="stable")[:limit]]
    words = {True: t("waves.better", lang), False: t("waves.worse_or_same", lang)}
    shown = pd.DataFrame(
        {
            "name": data["name"].to_numpy(dtype=object),
            "change": data["change"].to_numpy(dtype=float),
            "before": data["performance_before"].to_numpy(dtype=float),
            "after": data["performance_after"].to_numpy(dtype=float),
            "quadrants": [f"{quadrant_label(a, lang)} → {quadrant_label(b, lang)}" for a, b in zip(data["quadrant_before"], data["quadrant_after"], strict=False)],
            "direction": [words[bool(c > 0)] for c in data["change"]],
        }
    )
    return (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None, sort=list(shown["name"]), axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            x=alt.X("change:Q", title=t("waves.axis_change", lang)),
            color=alt.Color("direction:N", title=None, scale=alt.Scale(domain=list(words.values()), range=[POSITIVE, NEGATIVE]),
                            legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("name:N", title=t("results.tip_touchpoint", lang)),
                alt.Tooltip("before:Q", title=t("waves.col_before", lang), format="+.2f"),
                alt.Tooltip("after:Q", title=t("waves.col_after", lang), format="+.2f"),
                alt.Tooltip("change:Q", title=t("waves.col_change", lang), format="+.2f"),
                alt.Tooltip("quadrants:N", title=t("waves.col_quadrant", lang)),
            ],
        )
        .properties(height=100 + 24 * max(1, len(shown)))
    )


def chart_names() -> Sequence[str]:
    """The charts of the results page, in order (the page and the tests share this list)."""
    return ("ipa", "heatmap", "reactions", "chains", "blind_spots", "competitors")
