"""Hostile YAML catalogs: alias bombs, loops, deep nesting, tags, and ``extends:`` that tries to reach other files.

Each file is refused with a message naming the limit (or the rule), never a
RecursionError or another exception, and with bounded memory.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from audit import catalog as catalog_module
from audit.catalog import CATALOG_DIR, load_catalog, load_catalog_bytes
from audit.catalog_yaml import MAX_ALIASES, MAX_DEPTH
from hostile.files import MB, billion_laughs, deep_block, deep_flow, deep_mapping, laughs_in_touchpoints

TP = "  - {id: a, category: office, name: {en: A}}\n"
HEAD = "id: c\nname: {en: C}\n"


def catalog_text(body: str) -> bytes:
    return (HEAD + body).encode()


# (case id, bytes, words in some problem)
YAML_CASES: list[tuple[str, bytes, str]] = [
    ("billion-laughs-6", billion_laughs(6), "400,000 values"),
    ("billion-laughs-8", billion_laughs(8), "400,000 values"),
    ("billion-laughs-10", billion_laughs(10), "400,000 values"),
    ("billion-laughs-20", billion_laughs(20), "400,000 values"),
    ("laughs-as-touchpoints-6", laughs_in_touchpoints(6), "400,000 values"),
    ("laughs-as-touchpoints-8", laughs_in_touchpoints(8), "400,000 values"),
    ("laughs-as-touchpoints-10", laughs_in_touchpoints(10), "400,000 values"),
    ("laughs-wide-4", billion_laughs(4, width=60), "400,000 values"),
    ("laughs-in-a-mapping", b"a: &a {x: 1, y: 1, z: 1, w: 1, v: 1, u: 1, t: 1, s: 1}\n" + b"".join(
        f"b{i}: &b{i} {{".encode() + b", ".join(f"k{j}: *{'a' if i == 0 else f'b{i - 1}'}".encode() for j in range(9)) + b"}\n" for i in range(8)), "400,000 values"),
    ("laughs-small-is-fine", billion_laughs(3), "unknown field 'a0'"),
    ("recursive-alias-list", b"a: &a [*a]\n", "refers to the mapping or list that contains it"),
    ("recursive-alias-map", b"a: &a {b: *a}\n", "refers to the mapping or list that contains it"),
    ("recursive-alias-nested", b"a: &a [[[*a]]]\n", "refers to the mapping or list that contains it"),
    ("recursive-alias-touchpoints", catalog_text("touchpoints: &t [*t]\n"), "refers to the mapping or list that contains it"),
    ("recursive-alias-as-key", b"a: &a {*a : 1}\n", "refers to the mapping or list that contains it"),
    ("alias-before-anchor", b"a: *x\nb: &x 1\n", "used before"),
    ("alias-unknown", b"a: *nothing\n", "used before"),
    ("too-many-aliases", b"x: &x 1\nl: [" + b", ".join([b"*x"] * (MAX_ALIASES + 1)) + b"]\n", f"{MAX_ALIASES:,} aliases"),
    ("nesting-5000-flow", deep_flow(5000), f"{MAX_DEPTH} levels deep"),
    ("nesting-100000-flow", deep_flow(100_000), f"{MAX_DEPTH} levels deep"),
    ("nesting-just-over", deep_flow(MAX_DEPTH), f"{MAX_DEPTH} levels deep"),
    ("nesting-2000-block-lists", deep_block(2000), f"{MAX_DEPTH} levels deep"),
    ("nesting-2000-block-maps", deep_mapping(2000), f"{MAX_DEPTH} levels deep"),
    ("nesting-5000-flow-maps", b"touchpoints: " + b"{a: " * 5000 + b"1" + b"}" * 5000 + b"\n", f"{MAX_DEPTH} levels deep"),
    ("nesting-mixed", b"touchpoints: " + b"[{a: " * 2500 + b"1" + b"}]" * 2500 + b"\n", f"{MAX_DEPTH} levels deep"),
    ("nesting-unclosed", b"touchpoints: " + b"[" * 5000 + b"\n", "levels deep"),
    ("two-documents", catalog_text("touchpoints:\n" + TP + "---\nid: d\n"), "more than one YAML document"),
    ("python-object", b"id: !!python/object/apply:os.system ['echo hi']\n", "not valid YAML"),
    ("python-name", b"id: !!python/name:os.system\n", "not valid YAML"),
    ("python-module", b"id: !!python/module:os\n", "not valid YAML"),
    ("custom-tag", b"id: !secret c\n", "not valid YAML"),
    ("set-tag", catalog_text("touchpoints: !!set {a, b}\n"), "not allowed"),
    ("omap-tag", catalog_text("touchpoints: !!omap [a: 1]\n"), "not allowed"),
    ("map-tag-on-scalar", b"id: !!map c\n", "not allowed"),
    ("binary-id", catalog_text("touchpoints:\n  - {id: !!binary aGVsbG8=, category: office, name: {en: A}}\n"), "must be text"),
    ("bad-timestamp", b"id: 2001-13-45\n", "not valid YAML"),
    ("merge-key", catalog_text("base: &b {category: office}\ntouchpoints:\n  - {<<: *b, id: a, name: {en: A}}\n"), "not allowed"),
    ("complex-key", b"? [a, b]\n: c\n", "keys must be words"),
    ("number-key", catalog_text("touchpoints:\n  - {1: a, id: a, category: office, name: {en: A}}\n"), "keys must be words"),
    ("null-key", catalog_text("touchpoints:\n  - {~: a, id: a, category: office, name: {en: A}}\n"), "keys must be words"),
    ("huge-float", catalog_text("touchpoints:\n  - {id: 1.0e+999999, category: office, name: {en: A}}\n"), "must be text"),
    ("huge-int", catalog_text("touchpoints:\n  - {id: 1" + "0" * 5000 + ", category: office, name: {en: A}}\n"), "not valid YAML"),
    ("long-line-name", catalog_text("touchpoints:\n  - {id: a, category: office, name: {en: " + "n" * (9 * MB) + "}}\n"), "at most 300"),
    ("tab-indentation", b"id: c\n\tname: x\n", "not valid YAML"),
    ("unclosed-quote", b'id: "c\nname: x\n', "not valid YAML"),
    ("nul-byte", b"id: c\x00\n", "binary"),
    ("latin1-bytes", "id: café\n".encode("latin-1"), "not UTF-8"),
    ("touchpoints-6000", catalog_text("touchpoints:\n" + "".join(f"  - {{id: t{i}, category: office, name: {{en: T}}}}\n" for i in range(6000))), "limit is 5,000"),
    ("include-6000", b"id: c\nname: {en: C}\nextends: general\ninclude: [" + b", ".join(b"x%d" % i for i in range(6000)) + b"]\n", "limit is 5,000"),
]

EXTENDS_CASES: list[tuple[str, Any, str]] = [
    ("parent-path", "../../x", "not a path"),
    ("parent-of-catalogs", "../catalogs/general", "not a path"),
    ("absolute", "/etc/passwd", "not a path"),
    ("absolute-yaml", str(CATALOG_DIR / "general"), "not a path"),
    ("tmp", "/tmp/x", "not a path"),
    ("with-suffix", "general.yaml", "not a path"),
    ("dot-slash", "./general", "not a path"),
    ("home", "~/catalog", "not a path"),
    ("windows-drive", "C:\\catalogs\\general", "not a path"),
    ("windows-share", "\\\\server\\share\\general", "not a path"),
    ("file-url", "file:///etc/passwd", "not a path"),
    ("http-url", "http://example.com/x.yaml", "not a path"),
    ("upper-case", "GENERAL", "not a path"),
    ("with-space", "gen eral", "not a path"),
    ("unicode", "общий", "not a path"),
    ("too-long", "a" * 200, "not a path"),
    ("list", ["general"], "not a path"),
    ("mapping", {"id": "general"}, "not a path"),
    ("number", 12, "not a path"),
    ("unknown-id", "no-such-catalog", "no bundled catalog"),
]


def _check(problems: list[Any], words: str) -> None:
    assert problems, "a refused file must say why"
    assert any(words in p.message for p in problems), [str(p) for p in problems]
    assert all("Traceback" not in p.message and "RecursionError" not in p.message for p in problems)


@pytest.mark.parametrize(("data", "words"), [c[1:] for c in YAML_CASES], ids=[c[0] for c in YAML_CASES])
def test_hostile_yaml_is_refused_with_the_limit_named(data: bytes, words: str, measured: Callable[..., Any]) -> None:
    catalog, problems = measured(lambda: load_catalog_bytes(data, "c.yaml"))
    assert catalog is None
    _check(problems, words)


def _extends(value: Any) -> bytes:
    import json

    return f"id: mine\nname: {{en: Mine}}\nextends: {json.dumps(value, ensure_ascii=False)}\ninclude: [office-signage]\n".encode()


@pytest.mark.parametrize(("value", "words"), [c[1:] for c in EXTENDS_CASES], ids=[c[0] for c in EXTENDS_CASES])
def test_extends_takes_only_a_bundled_id(value: Any, words: str, measured: Callable[..., Any]) -> None:
    catalog, problems = measured(lambda: load_catalog_bytes(_extends(value), "mine.yaml"))
    assert catalog is None
    _check(problems, words)
    assert [p.field for p in problems] == ["extends"]


def test_extends_of_a_bundled_id_still_works() -> None:
    catalog, problems = load_catalog_bytes(_extends("general"), "mine.yaml")
    assert problems == [] and [tp.id for tp in catalog.touchpoints] == ["office-signage"]


@pytest.fixture
def opened_files() -> Any:
    """Every file Python opens while the flag is up (an audit hook; it cannot be removed, so it is gated)."""
    seen: list[str] = []
    state = {"on": False}

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if state["on"] and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            seen.append(os.fsdecode(args[0]))

    sys.addaudithook(hook)
    yield seen, state
    state["on"] = False


@pytest.mark.parametrize("value", ["../../x", "/etc/passwd", "/etc/hostname", "general", "retail", "../../../../../../etc/passwd"])
def test_no_file_outside_catalogs_is_opened_because_of_a_file(value: str, opened_files: Any) -> None:
    seen, state = opened_files
    catalog_module.bundled_or_problems.cache_clear()
    state["on"] = True
    load_catalog_bytes(_extends(value), "mine.yaml")
    state["on"] = False
    outside = [p for p in seen if p.endswith((".yaml", ".yml", "passwd", "hostname", "x")) and Path(p).resolve().parent != CATALOG_DIR]
    assert outside == []


def test_a_fifo_named_like_a_catalog_is_refused_without_hanging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, measured: Callable[..., Any]) -> None:
    os.mkfifo(tmp_path / "trap.yaml")
    (tmp_path / "general.yaml").write_bytes((CATALOG_DIR / "general.yaml").read_bytes())
    os.symlink("/etc/passwd", tmp_path / "passwd.yaml")
    monkeypatch.setattr(catalog_module, "CATALOG_DIR", tmp_path)
    catalog_module.bundled_or_problems.cache_clear()
    try:
        for name in ("trap", "passwd"):
            catalog, problems = measured(lambda name=name: load_catalog_bytes(_extends(name), "mine.yaml"))
            assert catalog is None and "no bundled catalog" in problems[0].message, problems
        assert catalog_module.bundled_ids() == ["general"]
        catalog, problems = load_catalog(tmp_path / "trap.yaml")  # the command line: a path given by the operator
        assert catalog is None and "not a regular file" in problems[0].message
    finally:
        catalog_module.bundled_or_problems.cache_clear()


def test_a_loop_of_bundled_catalogs_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.yaml").write_text("id: a\nname: {en: A}\nextends: b\ninclude: []\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: b\nname: {en: B}\nextends: a\ninclude: []\n", encoding="utf-8")
    (tmp_path / "self.yaml").write_text("id: self\nname: {en: S}\nextends: self\n", encoding="utf-8")
    monkeypatch.setattr(catalog_module, "CATALOG_DIR", tmp_path)
    catalog_module.bundled_or_problems.cache_clear()
    try:
        for name in ("a", "self"):
            catalog, problems = load_catalog_bytes(_extends(name), "mine.yaml")
            assert catalog is None
            assert "not valid" in problems[0].message and "loop" in problems[0].message, problems
    finally:
        catalog_module.bundled_or_problems.cache_clear()


HEAVY_YAML = [
    ("billion-laughs-10", "billion_laughs(10)"),
    ("nesting-5000", "deep_flow(5000)"),
    ("flat-450k-values", "b'touchpoints: [' + b'a,' * 450_000 + b'a]'"),
    ("largest-valid-catalog", "big_catalog(5000)"),
]


@pytest.mark.parametrize("make", [c[1] for c in HEAVY_YAML], ids=[c[0] for c in HEAVY_YAML])
def test_heavy_yaml_in_resident_memory(make: str, in_subprocess: Callable[[str, str], str]) -> None:
    """In a fresh interpreter, counting resident memory (libyaml's own allocations too), without tracing overhead."""
    setup = (
        "from hostile.files import billion_laughs, deep_flow\n"
        "from audit.catalog import load_catalog_bytes\n"
        "def big_catalog(n):\n"
        "    tp = '  - {{id: t{i}, category: office, name: {{en: Name {i}, ru: Имя {i}}}, question: {{en: Q, ru: В}}, '\\\n"
        "         'group: {{en: G, ru: Г}}, stage: [before, during], channel: [online], audience: [current], attention: short, '\\\n"
        "         'lifetime: recurring, standard: {{metric: {{en: m, ru: м}}, unit: {{en: u, ru: е}}, comparison: \"<=\", threshold: 3}}}}\\n'\n"
        "    return ('id: big\\nname: {en: Big}\\ntouchpoints:\\n' + ''.join(tp.format(i=i) for i in range(n))).encode()\n"
        f"data = {make}\n"
    )
    result = in_subprocess(setup, "(lambda r: (len(r[0].touchpoints) if r[0] else 0, [p.message for p in r[1]][:1]))(load_catalog_bytes(data, 'c.yaml'))")
    if make.startswith("big_catalog"):
        assert result == "(5000, [])", result
    else:
        assert "the limit is" in result, result
