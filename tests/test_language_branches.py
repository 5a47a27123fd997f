"""The code never branches on a language: languages are data (audit/locales, catalogs) read by one loader.

Every Python file under ``audit/`` is parsed (comments and docstrings do not
count) and searched for what a language branch looks like: a comparison with
a language code (``lang == "ru"``, ``language in ("ru", "pl")``), a text or
column picked by a hard-coded language (``name["ru"]``, ``text.get("pl")``,
``"name_ru" if ...``, ``row.name_ru``), or a name with a language suffix. The
language list and the loader (``audit/languages.py``, ``audit/i18n.py``) are
where languages are named, so they are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from audit.languages import DEFAULT, LANGUAGES

AUDIT = Path(__file__).resolve().parent.parent / "audit"
LOADER = {AUDIT / "languages.py", AUDIT / "i18n.py"}
CODES = frozenset(LANGUAGES) | {"en", "ru", "pl"}
PICKED = CODES - {DEFAULT}  # the source language may be asked for by name; no other


def _code(node: ast.AST | None, codes: frozenset[str]) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value in codes
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_code(element, codes) for element in node.elts)
    return False


def _suffixed(name: str) -> bool:
    return any(name.endswith(f"_{code}") and len(name) > len(code) + 1 for code in CODES)


def _strings(tree: ast.AST) -> Iterator[ast.Constant]:
    """String constants that are not docstrings."""
    docstrings = {
        id(body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and (body := node.body) and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


def branches(path: Path, root: Path = AUDIT.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(root)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(_code(part, CODES) for part in [node.left, *node.comparators]):
            found.append(f"{where}:{node.lineno}: compares with a language code")
        elif isinstance(node, ast.Subscript) and _code(node.slice, PICKED):
            found.append(f"{where}:{node.lineno}: picks a language by its code")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args and _code(node.args[0], PICKED):
            found.append(f"{where}:{node.lineno}: .{node.func.attr}() of a language by its code")
        elif (isinstance(node, ast.Name) and _suffixed(node.id)) or (isinstance(node, ast.Attribute) and _suffixed(node.attr)):
            found.append(f"{where}:{node.lineno}: a name with a language suffix")
    found += [f"{where}:{s.lineno}: the text {s.value!r} names a language's column" for s in _strings(tree) if _suffixed(s.value)]
    return found


def test_no_code_outside_the_language_data_and_loader_branches_on_a_language() -> None:
    files = sorted(p for p in AUDIT.rglob("*.py") if p not in LOADER)
    assert len(files) > 50
    found = [line for path in files for line in branches(path)]
    assert found == []


def test_the_check_finds_the_branches_it_is_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample_branch.py"
    sample.write_text(
        '"""Doc naming name_ru is fine."""\n'
        'def pick(lang, tp, row):\n'
        '    column = "name_ru" if lang == "ru" else "name_en"\n'
        '    if lang in ("pl", "ru"):\n'
        '        return tp.name["pl"], tp.name.get("ru"), row.name_ru\n'
        '    return column\n',
        encoding="utf-8",
    )
    found = branches(sample, tmp_path)
    assert len(found) == 7, found
