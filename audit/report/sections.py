"""The sections of the owner's PDF report (see :mod:`audit.report`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from audit.charts import chain_chart, quadrant_label
from audit.competitors import side_by_side
from audit.i18n import t
from audit.ipa_chart import ipa_chart
from audit.model import Action, Role, VisitStatus
from audit.numbers import day, decimal, percent, signed
from audit.plansync import DataSays, says_text
from audit.priority import MIN_RATERS
from audit.report.document import SMALL, ReportDocument
from audit.report.images import chart_png
from audit.scoring import Analysis
from audit.sheet_table import Words
from audit.sheets import crosshair_words

TOP_LABELLED = 10  # touchpoints labelled on the report's IPA matrix
TOP_ACTIONS = 15
MAX_NAMES = 40  # people named on the cover
MAX_ROWS = 15  # rows of the competitor and standards tables


def _names(analysis: Analysis) -> dict[str, str]:
    lang = analysis.data.audit.language
    return {tp.id: tp.name.get(lang) for tp in analysis.data.catalog.touchpoints}


def _people(names: list[str], lang: str) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (t("report.and_more", lang, n=len(names) - MAX_NAMES) if len(names) > MAX_NAMES else "")


def cover(pdf: ReportDocument, analysis: Analysis, actions: Sequence[Action]) -> None:
    data = analysis.data
    lang = data.audit.language
    pdf.add_page()
    pdf.ln(18)
    pdf.heading(t("report.title", lang), size=13)
    pdf.heading(data.audit.name, size=22)
    pdf.ln(4)
    date = day(analysis.computed_at.date(), lang)
    team = [p.name for p in data.participants if p.role is Role.TEAM]
    shoppers = [p.name for p in data.participants if p.role is Role.SHOPPER]
    scores = analysis.scores
    rated = int(scores["rated"].sum()) if len(scores) else 0
    few = int(scores["few_raters"].sum()) if "few_raters" in scores else 0
    accepted = sum(1 for v in data.visits if v.status is VisitStatus.ACCEPTED)
    lines = [
        t("report.cover_date", lang, date=date),
        t("report.cover_wave", lang, wave=data.audit.wave),
        t("report.cover_lines", lang, lines=crosshair_words(analysis, lang)),
        t("report.cover_catalog", lang, catalog=data.catalog.name.get(lang)),
        "",
        t("report.cover_team", lang, n=len(team), names=_people(team, lang) or "—"),
        t("report.cover_shoppers", lang, n=len(shoppers), names=_people(shoppers, lang) or "—"),
        "",
        t("report.cover_numbers", lang, rated=rated, total=len(scores), ratings=len(data.ratings), visits=accepted,
          actions=len(actions)),
    ]
    if few:
        lines.append(t("report.cover_few", lang, n=few, minimum=MIN_RATERS))
    for line in lines:
        pdf.paragraph(line, size=11) if line else pdf.ln(3)
    pdf.ln(6)
    pdf.paragraph(t("report.cover_read", lang), grey=True)


def ipa_section(pdf: ReportDocument, analysis: Analysis) -> None:
    lang = analysis.data.audit.language
    pdf.add_page()
    pdf.heading(t("results.ipa_title", lang))
    pdf.paragraph(t("results.ipa_read", lang), grey=True)
    scores = analysis.scores
    placed = scores[scores["importance_mean"].notna().to_numpy() & scores["performance"].notna().to_numpy()]
    if analysis.crosshair_point is None or not len(placed):
        pdf.paragraph(t("results.ipa_none", lang))
        return
    pdf.paragraph(t("report.lines_at", lang, lines=crosshair_words(analysis, lang)), grey=True)
    chart = ipa_chart(scores, analysis.crosshair_point, lang, lang, height=430, top=TOP_LABELLED)
    pdf.picture(chart_png(chart, 560), 175, t("results.ipa_title", lang))
    top = placed.sort_values("priority", ascending=False, kind="stable").head(TOP_LABELLED)
    names = _names(analysis)
    pdf.heading(t("report.top_priorities", lang, n=len(top)), size=11)
    rows = [[str(i + 1), names.get(tp, tp) + (" *" if bool(row.get("few_raters", False)) else ""), quadrant_label(row["quadrant"], lang),
             decimal(row["importance_mean"], lang), signed(row["performance"], lang), decimal(row["priority"], lang)]
            for i, (tp, row) in enumerate(top.iterrows())]
    header = ["#", t("xlsx.col.touchpoint", lang), t("xlsx.col.quadrant", lang), t("xlsx.col.importance", lang),
              t("report.col_performance", lang), t("xlsx.col.priority", lang)]
    pdf.grid(header, rows, (8, 62, 40, 24, 26, 22))
    if any(bool(v) for v in top.get("few_raters", [])):
        pdf.paragraph(t("report.few_note", lang, minimum=MIN_RATERS), size=SMALL, grey=True)


def journeys_section(pdf: ReportDocument, analysis: Analysis) -> None:
    lang = analysis.data.audit.language
    pdf.heading(t("report.journeys_title", lang))
    pdf.paragraph(t("report.journeys_read", lang), grey=True)
    chains = analysis.chains
    if not len(chains):
        pdf.paragraph(t("xlsx.no_chains", lang))
        return
    pdf.picture(chart_png(chain_chart(analysis.chain_links, lang), 560), 180, t("report.journeys_title", lang))
    w = Words(lang)
    rows = []
    for _, c in chains.iterrows():
        broken = str(c["broken_at"] or "")
        rows.append([
            str(c["chain_name"]),
            t("xlsx.chain_broken_at", lang, name=broken, n=int(c["broken_position"]), links=int(c["links"])) if broken
            else (t("results.intact", lang) if int(c["rated_links"]) else w.not_rated),
            percent(float(c["lost_share"]), lang) if broken else "—",
            w.broken_by.get(str(c["broken_by"]), "—") if broken else "—",
            str(c["weakest"] or "—"),
        ])
    header = [t("xlsx.col.chain", lang), t("xlsx.col.chain_status", lang), t("xlsx.col.lost_share", lang),
              t("xlsx.col.broken_by", lang), t("xlsx.col.weakest", lang)]
    pdf.grid(header, rows, (42, 56, 20, 24, 40))


def actions_section(pdf: ReportDocument, analysis: Analysis, actions: Sequence[Action], says: Mapping[int, DataSays]) -> None:
    lang = analysis.data.audit.language
    pdf.add_page()
    shown = sorted(actions, key=lambda a: (a.position, a.id or 0))[:TOP_ACTIONS]
    pdf.heading(t("report.actions_title", lang, n=len(shown), total=len(actions)))
    if not shown:
        pdf.paragraph(t("xlsx.plan_not_rated" if not analysis.rated else "xlsx.plan_empty", lang))
        return
    pdf.paragraph(t("report.actions_read", lang), grey=True)
    w = Words(lang)
    names = _names(analysis)
    scores = analysis.scores
    few = set(scores.index[scores["few_raters"].to_numpy(dtype=bool)]) if "few_raters" in scores else set()
    rows = []
    for i, a in enumerate(shown):
        what = a.what + (f"\n{says_text(says[a.id], lang)}" if a.id is not None and a.id in says else "")
        when = w.horizon[a.horizon.value] + (f"\n{day(a.due, lang)}" if a.due else "")
        rows.append([str(i + 1), names.get(a.touchpoint_id, a.touchpoint_id) + (" *" if a.touchpoint_id in few else ""),
                     w.kind[a.kind.value], what, a.owner or "—", when, a.standard or "—"])
    header = ["#", t("xlsx.col.touchpoint", lang), t("xlsx.col.kind", lang), t("xlsx.col.what", lang), t("xlsx.col.owner", lang),
              t("report.col_when", lang), t("xlsx.col.standard", lang)]
    pdf.grid(header, rows, (7, 28, 20, 58, 22, 20, 27), size=7.2)
    if few & {a.touchpoint_id for a in shown}:
        pdf.paragraph(t("report.few_note", lang, minimum=MIN_RATERS), size=SMALL, grey=True)


def standards_section(pdf: ReportDocument, analysis: Analysis) -> None:
    lang = analysis.data.audit.language
    pdf.heading(t("report.standards_title", lang))
    scores = analysis.scores
    with_standard = scores[scores["standard"].fillna("").astype(str).to_numpy() != ""] if len(scores) else scores
    if not len(with_standard):
        pdf.paragraph(t("report.standards_none", lang))
        return
    measured = with_standard[with_standard["standard_measured"].to_numpy() > 0]
    met = int((measured["standard_status"] == "met").sum())
    pdf.paragraph(t("report.standards_summary", lang, met=met, measured=len(measured), total=len(with_standard)), grey=True)
    w = Words(lang)
    names = _names(analysis)
    order = with_standard.sort_values(["standard_not_met", "standard_measured"], ascending=[False, False], kind="stable")
    rows = [[names.get(tp, tp), str(r["standard"]), str(int(r["standard_measured"])), str(int(r["standard_met"])),
             w.standard.get(str(r["standard_status"]), w.standard["not measured"])]
            for tp, r in order.head(MAX_ROWS).iterrows()]
    header = [t("xlsx.col.touchpoint", lang), t("xlsx.col.standard", lang), t("report.col_checks", lang), t("xlsx.col.standard_met", lang),
              t("xlsx.col.standard_status", lang)]
    pdf.grid(header, rows, (48, 66, 18, 22, 28))


def competitors_section(pdf: ReportDocument, analysis: Analysis) -> None:
    lang = analysis.data.audit.language
    pdf.heading(t("report.competitors_title", lang))
    view = side_by_side(analysis)
    if not view.lose and not view.win:
        pdf.paragraph(t("competitors.no_evidence", lang))
        return
    w = Words(lang)
    header = [t("xlsx.col.touchpoint", lang), t("xlsx.col.competitor", lang), t("xlsx.col.source", lang), t("xlsx.col.borrow", lang)]
    for title, gaps, empty in ((t("xlsx.where_we_lose", lang), view.lose, t("competitors.lose_none", lang)),
                               (t("xlsx.where_we_win", lang), view.win, t("competitors.win_none", lang))):
        pdf.heading(title, size=11)
        if not gaps:
            pdf.paragraph(empty)
            continue
        rows = [[g.name, g.competitor, w.source["note" if g.source == "note" else "shoppers"], g.borrow or "—"] for g in gaps[:MAX_ROWS]]
        pdf.grid(header, rows, (52, 36, 30, 64))
