"""The owner's report as a PDF: cover, IPA matrix, broken journeys, top actions, standards and competitors.

:func:`build_report` takes the same analysis and plan the workbook is made
of (the plan synced with that analysis, :mod:`audit.plansync`), so the PDF
and the workbook tell the same story. Everything is in the audit's language
(keys ``report.*`` of :mod:`audit.i18n` and the app's own words), charts are
rendered by vl-convert and the text is set in the bundled DejaVu Sans, so
Cyrillic and Polish letters print on any install, offline.

Sections: the cover (audit, date, wave, the quadrant lines, who took part,
the key numbers); the IPA matrix with the top priorities labelled and listed;
broken journeys (chart and table); the top actions with who, when and the
standard; standards met; us and the competitors (where we lose, where we
win). A number resting on fewer than :data:`audit.priority.MIN_RATERS` raters
is marked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from audit.i18n import t
from audit.model import Action
from audit.plansync import DataSays
from audit.report.document import ReportDocument
from audit.report.sections import actions_section, competitors_section, cover, ipa_section, journeys_section, standards_section
from audit.scoring import Analysis
from audit.sheets import view_words

__all__ = ["build_report"]


def build_report(analysis: Analysis, actions: Sequence[Action], says: Mapping[int, DataSays] | None = None) -> bytes:
    """The PDF report as bytes (for a download button or a file)."""
    data = analysis.data
    lang = data.audit.language
    pdf = ReportDocument(f"{t('report.title', lang)}: {data.audit.name}", view_words(analysis, lang), t("report.page", lang))
    cover(pdf, analysis, actions)
    ipa_section(pdf, analysis)
    journeys_section(pdf, analysis)
    actions_section(pdf, analysis, actions, says or {})
    standards_section(pdf, analysis)
    competitors_section(pdf, analysis)
    return bytes(pdf.output())
