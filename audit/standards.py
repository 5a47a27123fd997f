"""Measurable standards per touchpoint: editing them and how often shoppers found them met.

A standard is ``metric comparison threshold unit`` (``rings before the
answer <= 3 rings``). The catalog brings defaults; the owner sets, edits or
switches off a standard for this audit only (:meth:`audit.store.Store.set_standard`).
Every accepted shopper measurement at our business is judged met / not met
(:func:`audit.evidence.standards_met`); the share met per standard is shown
here and its complement (the share missed) feeds the priority and the plan.
No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from audit.languages import supported
from audit.model import Catalog, Comparison, Standard, StandardKind, Text, ValidationError, clean_text, parse_enum, parse_number

OWN = "own"  # set for this audit
DEFAULT = "catalog"  # the catalog's default, unchanged
OFF = "off"  # the catalog has a default, switched off for this audit


def _text(typed: Any, current: Text | None, language: str, field: str, *, required: bool, limit: int) -> Text:
    """The typed text in the audit's language; the other language is kept only while the text is unchanged."""
    value = clean_text(typed, field, required=required, limit=limit)
    if current is not None and value == current.get(language):
        return current
    return Text.of({supported(language): value}, field, limit=limit)


def standard_from_input(
    metric: Any, unit: Any, comparison: Any, threshold: Any, language: str, current: Standard | None = None,
    *, kind: Any = StandardKind.NUMBER, items: Any = "",
) -> Standard:
    """A standard from the owner's form; raises :class:`ValidationError` naming the field.

    A yes/no standard is its statement alone; a checklist has one item per
    line of ``items`` and ``threshold`` is the share of items needed, in
    percent (``80`` or ``100``).
    """
    kind = parse_enum(StandardKind, kind, "kind")
    metric_text = _text(metric, current.metric if current else None, language, "metric", required=True, limit=300)
    if kind is StandardKind.YES_NO:
        return Standard(metric_text, Text(), Comparison.EQUAL, 1, kind)
    if kind is StandardKind.CHECKLIST:
        lines = [line.strip() for line in clean_text(items, "items", limit=2_000).splitlines() if line.strip()]
        if not lines:
            raise ValidationError("items", items, "one_item_per_line")
        old = current.items if current and current.kind is kind else ()
        texts = tuple(_text(line, old[i] if i < len(old) else None, language, "items", required=True, limit=300) for i, line in enumerate(lines))
        share = 100.0 if threshold is None or (isinstance(threshold, str) and not threshold.strip()) else parse_number(threshold, "threshold")
        return Standard(metric_text, Text(), Comparison.AT_LEAST, share / 100.0, kind, texts)
    unit_text = _text(unit, current.unit if current else None, language, "unit", required=False, limit=60)
    if threshold is None or (isinstance(threshold, str) and not threshold.strip()):
        raise ValidationError("threshold", threshold, "empty")
    return Standard(metric_text, unit_text, parse_enum(Comparison, comparison, "comparison"), parse_number(threshold, "threshold"))


@dataclass(frozen=True, slots=True)
class StandardLine:
    touchpoint_id: str
    name: str
    standard: Standard | None  # None: switched off
    source: str  # OWN, DEFAULT or OFF
    measured: int
    met: int

    @property
    def share_met(self) -> float | None:
        return self.met / self.measured if self.measured else None


def standard_lines(catalog: Catalog, effective: Mapping[str, Standard], scores: pd.DataFrame | None, language: str) -> list[StandardLine]:
    """Every touchpoint with a standard (or a switched-off default), in catalog order, with shopper results.

    ``scores`` is :attr:`audit.scoring.Analysis.scores` (``standard_measured``
    and ``standard_met`` columns); without it the counts are 0.
    """
    lines = []
    for tp in catalog.touchpoints:
        std = effective.get(tp.id)
        if std is None and tp.standard is None:
            continue
        source = OFF if std is None else (DEFAULT if std == tp.standard else OWN)
        measured = met = 0
        if std is not None and scores is not None and tp.id in scores.index:
            measured = int(np.nan_to_num(scores.at[tp.id, "standard_measured"]))
            met = int(np.nan_to_num(scores.at[tp.id, "standard_met"]))
        lines.append(StandardLine(tp.id, tp.name.get(language), std, source, measured, met))
    return lines
