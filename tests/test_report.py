"""The owner's PDF report: what it says (pdftotext, English and Russian), that its pages render, and the CLI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from audit import services
from audit.cli import main
from audit.demo import create_demo
from audit.i18n import t
from audit.model import Role
from audit.store import Store

NEEDS = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None, reason="poppler-utils is needed")


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@NEEDS
@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
def test_the_report_says_what_the_owner_needs_in_the_audits_language(tmp_path: Path, lang: str) -> None:
    store = Store(str(tmp_path / "demo.sqlite"))
    audit, links = create_demo(store, language=lang)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(services.results.report(store, links[Role.OWNER], "median"))
    text = " ".join(text_of(pdf).split())
    data = store.load(audit.id)
    actions = store.actions(audit.id)
    for expected in (
        audit.name, t("report.title", lang), t("report.cover_wave", lang, wave=1), t("crosshair.median", lang),
        t("results.ipa_title", lang), t("report.top_priorities", lang, n=10), t("report.journeys_title", lang),
        t("report.actions_title", lang, n=15, total=len(actions)), t("report.standards_title", lang),
        t("report.competitors_title", lang), t("xlsx.where_we_lose", lang),
    ):
        assert " ".join(expected.split()) in text, expected
    team = [p.name for p in data.participants if p.role is Role.TEAM]
    assert all(name in text for name in team)  # who took part
    first = sorted(actions, key=lambda a: a.position)[0]
    name = next(tp.name.get(lang) for tp in data.catalog.touchpoints if tp.id == first.touchpoint_id)
    assert name.split()[0] in text and first.owner.split()[0] in text  # the top action: what and who
    if lang == "ru":
        assert "Главные действия" in text
    if lang == "pl":
        assert "Najważniejsze działania" in text and "Ścieżki klienta" in text  # Polish letters render as text
    # every page renders
    pages = pages_of(pdf)
    assert pages >= 5
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    assert len(list(tmp_path.glob("page-*.png"))) == pages
    store.close()


@NEEDS
def test_python_m_audit_report_writes_a_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.sqlite"
    store = Store(str(db))
    audit, _ = create_demo(store)
    store.close()
    out = tmp_path / "report.pdf"
    assert main(["report", "--db", str(db), "--audit", audit.id, "--out", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF") and pages_of(out) >= 5
    assert main(["report", "--db", str(db), "--audit", "no-such-audit", "--out", str(tmp_path / "x.pdf")]) == 1
    assert main(["report", "--db", str(db), "--audit", audit.id, "--out", str(tmp_path / "missing" / "x.pdf")]) == 1
    assert not (tmp_path / "x.pdf").exists() and not list(tmp_path.glob(".report.pdf.*"))


def test_only_the_owner_gets_the_report(tmp_path: Path) -> None:
    from audit.services.access import NotAllowed

    store = Store(str(tmp_path / "a.sqlite"))
    _, links = create_demo(store, raters=3)
    for role in (Role.TEAM, Role.SHOPPER):
        with pytest.raises(NotAllowed):
            services.results.report(store, links[role])
    store.close()
