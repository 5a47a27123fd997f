"""The core never imports Streamlit: only ``audit/ui/`` (and the entry script) may."""

from __future__ import annotations

import ast
from pathlib import Path

AUDIT = Path(__file__).resolve().parent.parent / "audit"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_modules_do_not_import_streamlit() -> None:
    core = [p for p in AUDIT.rglob("*.py") if "ui" not in p.relative_to(AUDIT).parts]
    assert len(core) >= 5, "the core package was not found"
    offenders = [str(p.relative_to(AUDIT.parent)) for p in core if "streamlit" in _imports(p)]
    assert offenders == [], f"Streamlit imported in the core (move it to audit/ui/): {offenders}"


def test_core_imports_without_streamlit_loaded() -> None:
    """Importing the core in a fresh interpreter does not pull Streamlit in."""
    import subprocess
    import sys

    code = (
        "import sys, importlib, pkgutil, audit\n"
        "for m in pkgutil.iter_modules(audit.__path__):\n"
        "    if m.name not in ('ui', '__main__'):\n"
        "        importlib.import_module('audit.' + m.name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=AUDIT.parent, check=True)
    assert out.stdout.strip() == "False"
