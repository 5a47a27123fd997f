"""The analysis, the plan and the workbook of a seeded synthetic audit stay exactly what they were.

The speed work on the analysis (vectorised texts, numbers written without
Babel's pattern parser, tables built when first read) must not change a
byte of what a person sees. Each output is reduced to a SHA-256 fingerprint:
every frame of the analysis (values written in full precision, dtypes and
index), every action of the plan in three languages, the evidence texts and
the workbook's XML parts (the export time fixed). When a change to the
method is *meant* to change an output, run this file with
``AUDIT_PRINT_GOLDEN=1 -s`` and paste the new fingerprints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import zipfile
from functools import cache

import pandas as pd
import pytest

from audit.bench import as_loaded, synthetic_audit
from audit.departments import department_gaps, department_means
from audit.evidence_records import FunnelStep
from audit.model import Action, AuditData, Comparison, Standard, StandardKind, Text
from audit.plan import propose_plan, touchpoint_evidence
from audit.scoring import Analysis, analyse
from audit.workbook import write_workbook

TODAY = dt.date(2025, 3, 1)
FRAMES = ("scores", "categories", "stages", "chain_links", "chains", "competitor_gaps", "competitor_matrix",
          "observations", "economics", "funnel", "comments")


@cache
def golden_data() -> AuditData:
    """A small seeded audit with every kind of evidence: funnels, three kinds of standards, long comments."""
    data = synthetic_audit(120, 12, 400, seed=11)
    chain = data.catalog.chains[0]
    funnel = tuple(FunnelStep(chain.id, i, tp, (1000, 600, 120, 100, 99)[i]) for i, tp in enumerate(chain.links[:5]))
    ids = [tp.id for tp in data.catalog.touchpoints]
    standards = {
        **data.standards,
        ids[3]: Standard(Text.of({"en": "greeted at the door", "ru": "поздоровались у входа"}, "m"), Text(), Comparison.EQUAL, 1,
                         kind=StandardKind.YES_NO),
        ids[5]: Standard(Text.of("tidy shelves", "m"), Text(), Comparison.AT_LEAST, 0.75, kind=StandardKind.CHECKLIST,
                         items=(Text.of("labels", "i"), Text.of("prices", "i"))),
        ids[7]: Standard(Text.of({"en": "rings", "pl": "sygnały"}, "m"), Text.of("rings", "u"), Comparison.AT_MOST, 1234.5),
    }
    long = "a very long comment " * 12 + "\n  with a second line"
    ratings = [dataclasses.replace(r, comment=long) if k % 97 == 5 else r for k, r in enumerate(data.ratings)]
    departments = ("sales", "service", "", "Back office", "marketing")  # "": not said
    people = tuple(dataclasses.replace(p, department=departments[k % 5]) for k, p in enumerate(data.participants))
    return dataclasses.replace(data, participants=people, ratings=tuple(ratings), standards=standards, funnel=funnel)


def fingerprint(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()[:16]


def frame_print(table: pd.DataFrame) -> str:
    return fingerprint(table.to_csv(float_format=repr), list(map(str, table.dtypes)), table.index.name, list(table.columns))


def workbook_print(analysis: Analysis, actions: list[Action]) -> str:
    out = io.BytesIO()
    write_workbook(out, dataclasses.replace(analysis, computed_at=dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)), actions)
    book = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    return fingerprint(*((name, book.read(name)) for name in sorted(book.namelist()) if name != "docProps/core.xml"))


def outputs(language: str, crosshair: str, view: str) -> dict[str, str]:
    base = golden_data()
    audit = dataclasses.replace(base.audit, language=language, created_at=dt.datetime(2025, 2, 1, 9, tzinfo=dt.UTC))
    data = as_loaded(dataclasses.replace(base, audit=audit))
    analysis = analyse(data, crosshair, view=view)
    prints = {name: frame_print(getattr(analysis, name)) for name in FRAMES}
    prints["point"] = fingerprint(analysis.crosshair_point)
    prints["departments"] = fingerprint(frame_print(department_means(data)), frame_print(department_gaps(data)))
    actions = propose_plan(analysis, today=TODAY)
    prints["plan"] = fingerprint(actions)
    prints["plan_top"] = fingerprint(propose_plan(analysis, today=TODAY, limit=7, owners={"staff": "HR"}))
    prints["evidence"] = fingerprint(touchpoint_evidence(analysis, list(analysis.scores.index[::9])))
    prints["workbook"] = workbook_print(analysis, actions)
    return prints


CASES = [("en", "mean", "team"), ("ru", "median", "both"), ("pl", "midpoint", "shoppers")]
GOLDEN: dict[tuple[str, str, str], dict[str, str]] = {
    ('en', 'mean', 'team'): {
        'scores': 'ba367e42dd822f9c', 'categories': 'c19be0ca9fef98fe', 'stages': '55406dd247732042', 'chain_links': 'fea90258af13dcdd',
        'chains': '819e687442b87d3e', 'competitor_gaps': 'c164fa9232eeb38d', 'competitor_matrix': '9a9c1cea614e14db', 'observations': '0c5587c2c62bfe8b',
        'economics': '45a46e92e3d69e2e', 'funnel': 'c2ae9d5d0e2ab9a6', 'comments': '53e2c1e1939fe1f5', 'point': '070ad745664db4d1',
        'departments': 'dd261028363f89ee', 'plan': '9bef2e013a5b3001', 'plan_top': 'b1cee93194a8e39d', 'evidence': 'e56e4478ebe7b332',
        'workbook': '907aaa2aba226fbd',
    },
    ('ru', 'median', 'both'): {
        'scores': '41aa31aa8016585c', 'categories': '58f0ddddee3fbda1', 'stages': '8d0820ccf061831a', 'chain_links': '05ba76a5a0dc6c21',
        'chains': '8537e559ca0221b2', 'competitor_gaps': 'c164fa9232eeb38d', 'competitor_matrix': '9a9c1cea614e14db', 'observations': '0c5587c2c62bfe8b',
        'economics': 'b58b7870455886ea', 'funnel': '0af9042315870f7a', 'comments': '53e2c1e1939fe1f5', 'point': '4f3221a0f7543862',
        'departments': 'dd261028363f89ee', 'plan': 'e7d6e83d5cc043d0', 'plan_top': '773dd3729eb9a3be', 'evidence': '54bb9f5a48e5fca2',
        'workbook': '85c11894c63b49f4',
    },
    ('pl', 'midpoint', 'shoppers'): {
        'scores': '27804004edb36990', 'categories': '1a20b51fa66f3a1a', 'stages': 'e206a5b229f3e72a', 'chain_links': 'fea90258af13dcdd',
        'chains': '819e687442b87d3e', 'competitor_gaps': 'c164fa9232eeb38d', 'competitor_matrix': '9a9c1cea614e14db', 'observations': '0c5587c2c62bfe8b',
        'economics': '45a46e92e3d69e2e', 'funnel': 'c2ae9d5d0e2ab9a6', 'comments': '53e2c1e1939fe1f5', 'point': 'af44c54af4a8a3a3',
        'departments': 'dd261028363f89ee', 'plan': '2f34c582bd782af3', 'plan_top': '72de04510b73ebf7', 'evidence': '0512a54418e6c537',
        'workbook': '64cea5b6ed73ce9f',
    },
}


@pytest.mark.parametrize(("language", "crosshair", "view"), CASES)
def test_outputs_of_a_seeded_audit_are_unchanged(language: str, crosshair: str, view: str) -> None:
    got = outputs(language, crosshair, view)
    if os.environ.get("AUDIT_PRINT_GOLDEN"):
        print(f"    {(language, crosshair, view)!r}: {got!r},")
    assert got == GOLDEN[(language, crosshair, view)]


@pytest.mark.parametrize("language", ["en", "ru", "pl"])
def test_a_suggested_actions_evidence_is_its_touchpoints_evidence(language: str) -> None:
    """The plan sync reuses the suggestions' evidence for the stored rows of the same touchpoints."""
    data = golden_data()
    analysis = analyse(dataclasses.replace(data, audit=dataclasses.replace(data.audit, language=language)))
    actions = propose_plan(analysis, today=dt.date(2025, 3, 1))
    assert len(actions) > 20
    everyone = touchpoint_evidence(analysis, list(analysis.scores.index))
    assert {a.touchpoint_id: a.evidence for a in actions} == {a.touchpoint_id: everyone[a.touchpoint_id] for a in actions}
