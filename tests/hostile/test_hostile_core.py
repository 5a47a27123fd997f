"""A table of hostile or broken inputs at the core's entry points.

Each case must end in a clear message for a person (never a traceback or a
crash), nothing stored half-way, and a store that keeps working afterwards.
Text that is merely unusual (emoji, right-to-left, SQL-looking, HTML) is not an
error: it must be stored and read back exactly as typed.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from audit import services
from audit.catalog import load_catalog_bytes
from audit.model import (
    Catalog,
    Observation,
    Rating,
    Role,
    ShopperVisit,
    Standard,
    Touchpoint,
    ValidationError,
)
from audit.photos import PhotoError, check_photo
from audit.store import Store, StoreError

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TEN_MB = "x" * (10 * 1024 * 1024)


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "a")
    return out.getvalue()


GOOD_YAML = "id: c\nname: {en: C}\ntouchpoints:\n  - {id: a, category: office, name: {en: A}}\n"

# (case id, file name, bytes, words expected in the first problem)
CATALOG_CASES = [
    ("yaml-empty", "c.yaml", b"", "empty"),
    ("yaml-only-spaces", "c.yaml", b" \n\t\n", "empty"),
    ("yaml-binary", "c.yaml", b"\x7fELF\x02\x01\x01\x00" * 20, "binary"),
    ("yaml-cp1251", "c.yaml", "id: c\nname: {en: Каталог}\n".encode("cp1251"), "not UTF-8"),
    ("yaml-utf16", "c.yaml", GOOD_YAML.encode("utf-16"), "binary"),
    ("yaml-list-at-top", "c.yaml", b"- a\n- b\n", "must be a mapping"),
    ("yaml-scalar-at-top", "c.yaml", b"just words\n", "must be a mapping"),
    ("yaml-broken-syntax", "c.yaml", b"id: c\nname: {en: C\n", "not valid YAML"),
    ("yaml-python-tag", "c.yaml", b"id: !!python/object/apply:os.system ['echo hi']\n", "not valid YAML"),
    ("yaml-billion-laughs", "c.yaml", b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n", "unknown field"),
    ("yaml-touchpoints-not-list", "c.yaml", b"id: c\nname: {en: C}\ntouchpoints: 5\n", "must be a list"),
    ("yaml-touchpoint-is-string", "c.yaml", b"id: c\nname: {en: C}\ntouchpoints: [hello]\n", "must be a mapping"),
    ("yaml-unknown-language", "c.yaml", b"id: c\nname: {en: C}\ntouchpoints:\n  - {id: a, category: office, name: {de: A}}\n", "unknown language"),
    ("yaml-id-with-spaces", "c.yaml", b"id: c\nname: {en: C}\ntouchpoints:\n  - {id: 'a b', category: office, name: {en: A}}\n", "latin letters"),
    ("yaml-id-sql", "c.yaml", b"id: c\nname: {en: C}\ntouchpoints:\n  - {id: \"a'; DROP TABLE audits;--\", category: office, name: {en: A}}\n", "latin letters"),
    ("yaml-control-chars", "c.yaml", b"id: c\nname: {en: C}\ntouchpoints:\n  - {id: a, category: office, name: {en: \"A\\x07B\"}}\n", "control"),
    ("yaml-name-too-long", "c.yaml", ("id: c\nname: {en: C}\ntouchpoints:\n  - {id: a, category: office, name: {en: " + "n" * 400 + "}}\n").encode(), "at most 300"),
    ("yaml-duplicate-key", "c.yaml", b"id: c\nid: d\nname: {en: C}\ntouchpoints:\n  - {id: a, category: office, name: {en: A}}\n", "appears twice"),
    ("yaml-threshold-inf", "c.yaml", b"id: c\nname: {en: C}\ntouchpoints:\n  - {id: a, category: office, name: {en: A}, standard: {metric: m, comparison: '<=', threshold: .inf}}\n", "finite"),
    ("yaml-comparison-unknown", "c.yaml", b"id: c\nname: {en: C}\ntouchpoints:\n  - {id: a, category: office, name: {en: A}, standard: {metric: m, comparison: '~', threshold: 1}}\n", "must be one of"),
    ("yaml-too-big", "c.yaml", b"#" * (11 * 1024 * 1024), "at most 10 MB"),
    ("csv-header-only", "c.csv", b"id,category,name_en\n", "no touchpoints"),
    ("csv-wrong-columns", "c.csv", b"foo,bar\n1,2\n", "unknown column"),
    ("csv-too-many-cells", "c.csv", b"id,category,name_en\na,office,A,extra,more\n", "row has 5 cells"),
    ("csv-formula-id", "c.csv", b"id,category,name_en\n=cmd|' /C calc'!A0,office,A\n", "latin letters"),
    ("xlsx-not-zip", "c.xlsx", b"plain text pretending", "not an Excel"),
    ("xlsx-other-zip", "c.xlsx", _zip(), "not an Excel"),
    ("xlsx-truncated", "c.xlsx", _xlsx([["id", "category", "name_en"], ["a", "office", "A"]])[:300], "not an Excel"),
    ("xlsx-empty-sheet", "c.xlsx", _xlsx([]), "empty"),
    ("xlsx-bad-category", "c.xlsx", _xlsx([["id", "category", "name_en"], ["a", 7, "A"]]), "must be one of"),
    ("exe-renamed", "c.csv", b"MZ\x90\x00\x03\x00\x00\x00" * 20, "binary"),
    ("pdf-renamed", "c.yaml", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "not UTF-8"),
    ("unknown-extension", "c.exe", b"MZ", "unknown file type"),
]


@pytest.mark.parametrize(("name", "data", "words"), [c[1:] for c in CATALOG_CASES], ids=[c[0] for c in CATALOG_CASES])
def test_hostile_catalog_files(name: str, data: bytes, words: str) -> None:
    catalog, problems = load_catalog_bytes(data, name)
    assert catalog is None
    assert problems, "a refused file must say why"
    assert any(words in p.message for p in problems), [str(p) for p in problems]


@pytest.fixture
def world(sqlite_store: Store):
    catalog = Catalog(
        "c", {"en": "C"},
        (Touchpoint("staff-phone", "staff", {"en": "Phone"}, standard=Standard({"en": "rings"}, {"en": "rings"}, "<=", 3)),
         Touchpoint("office-door", "office", {"en": "Door"})),
    )
    audit, links = sqlite_store.create_audit("Shop", catalog, competitors=["Rival"])
    person = sqlite_store.add_participant(audit.id, "Ann")
    shopper = sqlite_store.add_participant(audit.id, "Mila", Role.SHOPPER)
    return sqlite_store, audit, links, person, shopper


def _counts(store: Store, audit_id: str) -> tuple[int, int, int, int]:
    return (
        len(store.ratings(audit_id)),
        len(store.rating_history(audit_id)),
        len(store.visits(audit_id)),
        len(store.catalog(audit_id).touchpoints),
    )


# (case id, a function doing the hostile thing, expected error type, words in the message)
def _rating(**kw: Any) -> Callable[[Store, Any, Any, Any], Any]:
    return lambda store, audit, person, shopper: store.save_rating(Rating(audit.id, person.id, "office-door", **kw))


WRITE_CASES: list[tuple[str, Callable[..., Any], type[Exception], str]] = [
    ("importance-0", _rating(importance=0), ValidationError, "1 to 10"),
    ("importance-11", _rating(importance=11), ValidationError, "1 to 10"),
    ("importance-negative", _rating(importance=-5), ValidationError, "1 to 10"),
    ("importance-fraction", _rating(importance=7.5), ValidationError, "whole number"),
    ("importance-text", _rating(importance="seven"), ValidationError, "whole number"),
    ("importance-huge", _rating(importance=10**30), ValidationError, "1 to 10"),
    ("importance-bool", _rating(importance=True), ValidationError, "whole number"),
    ("importance-nan", _rating(importance=float("nan")), ValidationError, "whole number"),
    ("reaction-unknown", _rating(reaction="furious"), ValidationError, "positive, neutral, negative"),
    ("reaction-number", _rating(reaction=1), ValidationError, "positive, neutral, negative"),
    ("presence-unknown", _rating(presence="maybe"), ValidationError, "have, missing, not-needed"),
    ("comment-10mb", _rating(comment=TEN_MB), ValidationError, "at most 5000"),
    ("comment-nul", _rating(comment="ok\x00drop"), ValidationError, "control"),
    ("comment-escape-seq", _rating(comment="\x1b[31mred"), ValidationError, "control"),
    ("comment-not-text", _rating(comment=["a"]), ValidationError, "must be text"),
    ("idea-10mb", _rating(idea=TEN_MB), ValidationError, "at most 5000"),
    ("unknown-participant-field", lambda s, a, p, sh: s.save_rating(Rating(a.id, p.id, "office-door"), fields=["audit_id"]), ValidationError, "fields"),
    ("added-touchpoint-empty-name", lambda s, a, p, sh: s.add_touchpoint(a.id, Touchpoint("team-x", "office", {"en": " "})), ValidationError, "must not be empty"),
    ("added-touchpoint-bad-category", lambda s, a, p, sh: s.add_touchpoint(a.id, Touchpoint("team-x", "garden", {"en": "X"})), ValidationError, "must be one of"),
    ("added-touchpoint-duplicate", lambda s, a, p, sh: s.add_touchpoint(a.id, Touchpoint("office-door", "office", {"en": "X"})), StoreError, "already has"),
    ("added-touchpoint-10mb-name", lambda s, a, p, sh: s.add_touchpoint(a.id, Touchpoint("team-x", "office", {"en": TEN_MB})), ValidationError, "at most 300"),
    ("participant-empty-name", lambda s, a, p, sh: s.add_participant(a.id, "   "), ValidationError, "must not be empty"),
    ("participant-10mb-name", lambda s, a, p, sh: s.add_participant(a.id, TEN_MB), ValidationError, "at most 120"),
    ("participant-role-unknown", lambda s, a, p, sh: s.add_participant(a.id, "Eve", "admin"), ValidationError, "owner, team, shopper"),
    ("visit-in-future", lambda s, a, p, sh: services.visits.save_draft(s, ShopperVisit(None, a.id, sh.id, NOW + dt.timedelta(days=3), "phone"), now=NOW), ValidationError, "future"),
    ("visit-empty-submit", lambda s, a, p, sh: services.visits.submit(s, ShopperVisit(None, a.id, sh.id, NOW, "phone"), now=NOW), ValidationError, "at least one"),
    ("visit-unknown-channel", lambda s, a, p, sh: ShopperVisit(None, a.id, sh.id, NOW, "telepathy"), ValidationError, "in-person"),
    ("visit-recommend-11", lambda s, a, p, sh: ShopperVisit(None, a.id, sh.id, NOW, "phone", recommend=11), ValidationError, "0 to 10"),
    ("visit-unknown-competitor", lambda s, a, p, sh: services.visits.save_draft(s, ShopperVisit(None, a.id, sh.id, NOW, "phone", target="Nobody"), now=NOW), ValidationError, "competitors"),
    ("visit-unknown-touchpoint", lambda s, a, p, sh: services.visits.save_draft(s, ShopperVisit(None, a.id, sh.id, NOW, "phone", observations=(Observation("nope", "positive"),)), now=NOW), ValidationError, "catalog"),
    ("measurement-text", lambda s, a, p, sh: Observation("staff-phone", "negative", measurement="lots"), ValidationError, "number"),
    ("measurement-negative", lambda s, a, p, sh: Observation("staff-phone", "negative", measurement=-3), ValidationError, "negative"),
    ("measurement-inf", lambda s, a, p, sh: Observation("staff-phone", "negative", measurement=float("inf")), ValidationError, "finite"),
    ("visit-date-not-a-date", lambda s, a, p, sh: ShopperVisit(None, a.id, sh.id, "yesterday", "phone"), ValidationError, "date and time"),
]


@pytest.mark.parametrize(("action", "error", "words"), [c[1:] for c in WRITE_CASES], ids=[c[0] for c in WRITE_CASES])
def test_hostile_writes_are_refused_and_store_nothing(world, action, error, words) -> None:
    store, audit, _links, person, shopper = world
    before = _counts(store, audit.id)
    with pytest.raises(error) as err:
        action(store, audit, person, shopper)
    assert words in str(err.value)
    assert "Traceback" not in str(err.value)
    assert _counts(store, audit.id) == before
    # The store keeps working.
    store.save_rating(Rating(audit.id, person.id, "staff-phone", importance=5, reaction="neutral"))


UNUSUAL_BUT_VALID = [
    ("emoji", "Great 👍🏽 service, 5⭐"),
    ("right-to-left", "الخدمة ممتازة \u200f שירות מצוין"),
    ("sql-looking", "'); DROP TABLE ratings; --"),
    ("html-script", "<script>alert('x')</script><img src=x onerror=alert(1)>"),
    ("markdown", "**bold** [link](javascript:alert(1)) # heading"),
    ("formula", "=HYPERLINK(\"http://evil\",\"click\")"),
    ("leading-plus-minus-at", "+7 495 -10% @owner"),
    ("zero-width", "a\u200bb\u200dc"),
    ("max-length", "ж" * 5000),
]


@pytest.mark.parametrize("text", [c[1] for c in UNUSUAL_BUT_VALID], ids=[c[0] for c in UNUSUAL_BUT_VALID])
def test_unusual_text_is_stored_exactly(world, text: str) -> None:
    store, audit, _links, person, _shopper = world
    store.save_rating(Rating(audit.id, person.id, "office-door", importance=4, reaction="negative", comment=text, idea=text))
    [stored] = store.ratings(audit.id)
    assert stored.comment == text and stored.idea == text


TOKEN_CASES = [
    ("empty", lambda links, other, rotated: ""),
    ("none", lambda links, other, rotated: None),
    ("too-long", lambda links, other, rotated: "a" * 100_000),
    ("whitespace", lambda links, other, rotated: "   "),
    ("sql", lambda links, other, rotated: "' OR '1'='1"),
    ("prefix-of-real", lambda links, other, rotated: links[Role.OWNER][:20]),
    ("real-plus-char", lambda links, other, rotated: links[Role.OWNER] + "x"),
    ("rotated", lambda links, other, rotated: rotated),
    ("unicode", lambda links, other, rotated: "токен🙂"),
]


@pytest.mark.parametrize("make", [c[1] for c in TOKEN_CASES], ids=[c[0] for c in TOKEN_CASES])
def test_bad_tokens_open_nothing(world, make) -> None:
    store, audit, links, _person, _shopper = world
    old_team = links[Role.TEAM]
    store.rotate_token(audit.id, Role.TEAM)
    assert store.resolve_token(make(links, None, old_team)) is None


def test_another_audits_token_opens_only_that_audit(world) -> None:
    store, audit, _links, person, _shopper = world
    other, other_links = store.create_audit("Other shop", store.catalog(audit.id))
    access = store.resolve_token(other_links[Role.OWNER])
    assert access.audit_id == other.id != audit.id
    assert store.participant(other.id, person.id) is None


PHOTO_CASES = [
    ("exe", b"MZ\x90\x00" + b"\x00" * 100, "not a photo"),
    ("zip", _zip(), "not a photo"),
    ("svg-script", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "not a photo"),
    ("gif", b"GIF89a" + b"\x00" * 50, "not a photo"),
    ("jpeg-header-only", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "cannot be read"),
    ("png-header-only", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "cannot be read"),
    ("empty", b"", "empty"),
]


@pytest.mark.parametrize(("data", "words"), [c[1:] for c in PHOTO_CASES], ids=[c[0] for c in PHOTO_CASES])
def test_hostile_photos(data: bytes, words: str) -> None:
    with pytest.raises(PhotoError) as err:
        check_photo(data)
    assert words in str(err.value)


def test_corpus_is_large_enough(request: pytest.FixtureRequest) -> None:
    """The whole hostile corpus (every file of this folder), when it is collected together."""
    folder = Path(__file__).parent
    cases = [item for item in request.session.items if Path(str(item.fspath)).parent == folder]
    if len({Path(str(item.fspath)).name for item in cases}) < len(list(folder.glob("test_*.py"))):
        pytest.skip("only part of the corpus was collected")
    assert len(cases) >= 150, len(cases)
