"""Every refusal the code can raise has its message in every language (no English fallback can reach a page).

The code is parsed (AST) for every ``SomeRefusal("code", ...)`` (each
subclass of :class:`audit.refusal.Refusal` has its message prefix) and every
``ValidationError(field, value, "code", ...)`` (``rule.<code>``); each key
must be a message, and say every parameter the call passes. The shared error
handler then always says a refusal in the person's language.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import audit
from audit.i18n import KEYS, placeholders, t
from audit.languages import LANGUAGES
from audit.refusal import Refusal, full_key

AUDIT = Path(audit.__file__).resolve().parent


def _refusal_prefixes() -> dict[str, tuple[int, str]]:
    for module in pkgutil.walk_packages(audit.__path__, "audit."):
        if ".ui" not in module.name and "__main__" not in module.name:
            importlib.import_module(module.name)
    found: dict[str, tuple[int, str]] = {}
    todo: list[type[Refusal]] = [Refusal]
    while todo:
        cls = todo.pop()
        names = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
        found[cls.__name__] = (names.index("code"), cls.prefix)  # where the code is: first, or after a reason
        todo.extend(cls.__subclasses__())
    return found


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def raised_keys() -> list[tuple[str, str, set[str]]]:
    """(where, message key, parameter names) of every refusal written in the code with a literal code."""
    prefixes = _refusal_prefixes()
    out = []
    for path in sorted(AUDIT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name in prefixes:
                position, prefix = prefixes[name]
            elif name == "ValidationError":
                position, prefix = 2, "rule."
            else:
                continue
            if len(node.args) <= position:
                continue
            code = node.args[position]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                params = {k.arg for k in node.keywords if k.arg}
                out.append((f"{path.relative_to(AUDIT.parent)}:{node.lineno}", full_key(prefix, code.value), params))
    return out


def test_every_refusal_in_the_code_has_a_message_with_its_parameters_in_every_language() -> None:
    found = raised_keys()
    assert len(found) >= 80  # the scan sees the refusals (store, rules, tables, YAML, workbooks, photos)
    missing = [f"{where}: {key}" for where, key, _ in found if key not in KEYS]
    assert missing == []
    unsaid = [f"{where}: {key} lacks {sorted(params - placeholders(t(key, lang)))} in {lang}"
              for where, key, params in found for lang in LANGUAGES if not placeholders(t(key, lang)) <= params]
    assert unsaid == []
