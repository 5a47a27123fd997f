"""The layers hold: Streamlit only in ui, and every import follows ui -> services -> store -> pure core."""

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


# ------------------------------------------------------------------ the layer contract
#
#   ui (audit/ui/, audit_app.py, audit_server.py)  ->  services (audit/services/)  ->  store (audit/store/)  ->  pure core
#
# Each layer may import itself and the layers below it, with these limits:
# - ui: services, the pure core and audit.ui; of the store only audit.store.config (the database URL);
# - tools at the edge (CLI, demo, bench, load test): services, store and core, never ui;
# - services: store and core;
# - store: only the core modules it stores records of (audit.model, audit.handoff.records, audit.columnar for
#   the analysis's columns, and audit.catalog for the codecs), and audit.refusal (the shape of its refusals:
#   a message key and parameters);
# - pure core: only the pure core.

ROOT = AUDIT.parent
EDGE = {"audit.cli", "audit.cli_operations", "audit.__main__", "audit.demo", "audit.bench", "audit.bench_database", "audit.bench_scale",
        "audit.loadtest"}
STORE_MAY_USE = {"audit.model", "audit.columnar", "audit.catalog", "audit.handoff.records", "audit.refusal"}  # records, columns, refusals
ALLOWED: dict[str, set[str]] = {
    "ui": {"ui", "services", "core"},
    "edge": {"edge", "services", "store", "core"},
    "services": {"services", "store", "core"},
    "store": {"store"},
    "core": {"core"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    if module in ("audit_app", "audit_server") or module == "audit.ui" or module.startswith("audit.ui."):
        return "ui"
    if module in EDGE:
        return "edge"
    for layer in ("services", "store"):
        if module == f"audit.{layer}" or module.startswith(f"audit.{layer}."):
            return layer
    return "core"


def _audit_imports(path: Path) -> set[str]:
    """The ``audit`` modules a file imports (``from audit.x import y`` counts ``audit.x.y`` when that is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "audit")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.split(".")[0] == "audit":
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                is_module = (ROOT / Path(*sub.split("."))).with_suffix(".py").exists() or (ROOT / Path(*sub.split("."))).is_dir()
                found.add(sub if is_module else node.module)
    return found


def _arrow_allowed(source: str, target: str) -> bool:
    here, there = _layer(source), _layer(target)
    if here == "ui" and target == "audit.store.config":
        return True
    if here == "store" and there == "core":
        return target in STORE_MAY_USE
    return there in ALLOWED[here]


def _sources() -> list[Path]:
    return [*sorted(AUDIT.rglob("*.py")), ROOT / "audit_app.py", ROOT / "audit_server.py"]


def test_every_import_follows_the_layer_contract() -> None:
    layers = {_layer(_module_name(p)) for p in _sources()}
    assert layers == set(ALLOWED), f"a layer has no files (the contract would pass vacuously): {layers}"
    offenders = [
        f"{_module_name(p)} ({_layer(_module_name(p))}) -> {target} ({_layer(target)})"
        for p in _sources()
        for target in sorted(_audit_imports(p))
        if not _arrow_allowed(_module_name(p), target)
    ]
    assert offenders == [], "imports against the layer contract:\n" + "\n".join(offenders)


def test_the_contract_refuses_the_arrows_it_forbids() -> None:
    """The checker itself: each forbidden arrow is refused, each allowed one passes."""
    assert not _arrow_allowed("audit.ui.rate", "audit.store")
    assert not _arrow_allowed("audit.ui.rate", "audit.store.facade")
    assert _arrow_allowed("audit.ui.common", "audit.store.config")
    assert _arrow_allowed("audit.ui.rate", "audit.services.rating")
    assert not _arrow_allowed("audit.scoring", "audit.store")
    assert not _arrow_allowed("audit.scoring", "audit.services")
    assert not _arrow_allowed("audit.store.facade", "audit.services.access")
    assert not _arrow_allowed("audit.store.codecs", "audit.scoring")
    assert _arrow_allowed("audit.store.codecs", "audit.model")
    assert not _arrow_allowed("audit.services.rating", "audit.ui.common")
    assert not _arrow_allowed("audit.cli", "audit.ui.common")
    assert _audit_imports(AUDIT / "ui" / "common.py") >= {"audit.services", "audit.store.config"}
