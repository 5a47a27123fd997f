"""LibreOffice in tests: a file re-saved or converted the way a person's own office program would do it.

Every conversion runs headless with a throwaway profile (so parallel runs do not share one),
and a test skips when LibreOffice is not installed (CI installs it; scripts/test.sh says so).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or ("/usr/bin/soffice" if Path("/usr/bin/soffice").exists() else None)
XLSX = "xlsx:Calc MS Excel 2007 XML"
CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1"  # comma, double quote, UTF-8, first sheet
PDF = "pdf"


def convert(source: Path, to: str, outdir: Path, *, settings: str | None = None, timeout: int = 240) -> Path:
    """``source`` converted by LibreOffice to the filter ``to`` in ``outdir``; ``settings`` become the
    profile's registrymodifications.xcu (e.g. "always recalculate on load")."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = Path(tempfile.mkdtemp(prefix="lo-"))
    try:
        if settings is not None:
            (profile / "user").mkdir()
            (profile / "user" / "registrymodifications.xcu").write_text(settings, encoding="utf-8")
        result = subprocess.run(
            [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to, "--outdir", str(outdir), str(source)],
            capture_output=True, text=True, timeout=timeout,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    converted = outdir / f"{source.stem}.{to.split(':', 1)[0]}"
    assert converted.exists(), result.stdout + result.stderr
    return converted
