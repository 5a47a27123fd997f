"""The app's plain helpers: walk-through logic, navigation by role, text escaping, QR codes."""

from __future__ import annotations

import io

import pytest

from audit.model import Audit, AuditData, Catalog, Category, Participant, Rating, Role, Touchpoint
from audit.qr import qr_png, qr_svg
from audit.ui import nav, walk
from audit.ui.open import person_from, token_from
from audit.ui.text import plain, shorten


def catalog() -> Catalog:
    return Catalog(
        "c", "C",
        (
            Touchpoint("s1", "staff", "Call", stages=("during",), channels=("offline",)),
            Touchpoint("o1", "office", "Sign", stages=("before",), channels=("offline",)),
            Touchpoint("t1", "technology", "Site", stages=("before", "during"), channels=("online",)),
            Touchpoint("o2", "office", "Door", stages=("during",), channels=("offline",)),
        ),
    )


def r(tp: str, **parts: object) -> Rating:
    return Rating("a", "p", tp, **parts)


# ------------------------------------------------------------------ walk


def test_select_groups_by_category_and_filters() -> None:
    cat = catalog()
    assert [tp.id for tp in walk.select(cat)] == ["o1", "o2", "t1", "s1"]  # office, product, technology, staff
    assert [tp.id for tp in walk.select(cat, categories=["office"])] == ["o1", "o2"]
    assert [tp.id for tp in walk.select(cat, stages=["before"])] == ["o1", "t1"]
    assert [tp.id for tp in walk.select(cat, channels=["online"])] == ["t1"]
    assert [tp.id for tp in walk.select(cat, categories=["office"], stages=["during"])] == ["o2"]
    assert walk.select(cat, categories=["product"]) == []


def test_status_and_progress() -> None:
    assert walk.status(None) == "new"
    assert walk.status(r("o1")) == "new"
    assert walk.status(r("o1", importance=3)) == "partial"
    assert walk.status(r("o1", comment="hm")) == "partial"
    assert walk.status(r("o1", importance=3, reaction="positive")) == "done"
    assert walk.status(r("o1", not_applicable=True)) == "skipped"
    tps = walk.select(catalog())
    mine = {"o1": r("o1", importance=3, reaction="neutral"), "t1": r("t1", not_applicable=True), "s1": r("s1", importance=2)}
    assert walk.progress(tps, mine) == walk.Progress(2, 4)
    by = walk.progress_by_category(tps, mine)
    assert by[Category.OFFICE] == walk.Progress(1, 2) and Category.PRODUCT not in by
    assert by[Category.TECHNOLOGY].complete and walk.Progress(0, 0).share == 0.0


def test_moving_through_the_touchpoints() -> None:
    tps = walk.select(catalog())  # o1 o2 t1 s1
    mine = {"o1": r("o1", importance=3, reaction="neutral"), "t1": r("t1", not_applicable=True)}
    assert walk.next_unrated(tps, mine) == "o2"
    assert walk.next_unrated(tps, mine, after="o2") == "s1"
    assert walk.next_unrated(tps, mine, after="s1") == "o2"  # wraps round
    done = {tp.id: r(tp.id, not_applicable=True) for tp in tps}
    assert walk.next_unrated(tps, done) is None
    assert walk.step(tps, "o2", 1) == "t1" and walk.step(tps, "o1", -1) == "o1" and walk.step(tps, "s1", 5) == "s1"
    assert walk.current(tps, mine, "t1") == "t1"  # where the URL says
    assert walk.current(tps, mine, "gone") == "o2"  # else the first unanswered
    assert walk.current(tps, done, None) == "o1"  # else the first
    assert walk.current([], mine, "o1") is None


def test_team_progress_and_touchpoint_live() -> None:
    cat = catalog()
    audit = Audit("a", "Shop")
    people = (Participant("p", "a", "Ann", Role.TEAM), Participant("q", "a", "Bob", Role.OWNER))
    ratings = (
        Rating("a", "p", "o1", importance=8, reaction="positive", comment="Nice", presence="have"),
        Rating("a", "q", "o1", importance=2, reaction="negative", idea="Repaint"),
        Rating("a", "q", "o2", not_applicable=True),
        Rating("a", "q", "gone", importance=2, reaction="negative"),  # not in the catalog: ignored
    )
    data = AuditData(audit, cat, people, ratings)
    prog = walk.team_progress(data)
    assert [(x.name, x.done, x.total) for x in prog] == [("Ann", 1, 4), ("Bob", 2, 4)]
    live = walk.touchpoint_live(data, "o1")
    assert live.votes == 2 and live.importance_mean == 5.0
    assert [live.reactions[x] for x in live.reactions] == [1, 0, 1]
    assert live.comments == [("Ann", "Nice")] and live.ideas == [("Bob", "Repaint")]
    assert walk.touchpoint_live(data, "o2").not_applicable == 1


# ------------------------------------------------------------------ navigation by role


def test_pages_by_role() -> None:
    keys = lambda role, given=True: [p.key for p in nav.pages_for(role, token_given=given)[0]]  # noqa: E731
    assert nav.pages_for(None, token_given=False)[1] == "welcome"
    assert keys(None, False) == ["welcome", "create", "open"]
    assert nav.pages_for(None, token_given=True)[1] == "invalid"
    assert nav.pages_for(Role.OWNER, token_given=True)[1] == "board"
    assert nav.pages_for(Role.TEAM, token_given=True)[1] == "rate"
    assert {"board", "present", "links", "rate", "add"} <= set(keys(Role.OWNER))
    assert "board" not in keys(Role.TEAM) and "links" not in keys(Role.TEAM) and "present" not in keys(Role.TEAM)
    assert {"rate", "add"} <= set(keys(Role.TEAM))
    assert "rate" not in keys(Role.SHOPPER) and "board" not in keys(Role.SHOPPER)
    assert [p.key for p in nav.menu(Role.TEAM)] == ["rate", "add"]
    for spec in nav.PAGES:
        assert spec.file == f"audit/ui/pages/{spec.key}.py"


def test_page_files_exist_and_are_thin() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for spec in nav.PAGES:
        source = (root / spec.file).read_text(encoding="utf-8")
        code = [line for line in source.splitlines() if line.strip() and not line.startswith(('"""', "#"))]
        assert len(code) <= 3, spec.file


# ------------------------------------------------------------------ text


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert('x')</script>",
        "**bold** _it_ `code` [link](javascript:alert(1)) ![img](http://x/y.png)",
        ":red[colour] :material/home: $x^2$ # heading",
        "> quote\n- item\n1. one\n    code block",
        "<img src=x onerror=alert(1)>",
        "a | table | row\n---|---",
    ],
)
def test_plain_escapes_every_markdown_and_html_control_character(raw: str) -> None:
    out = plain(raw)
    unescaped = [c for i, c in enumerate(out) if c in "<>*_`[]()!:$#|-" and (i == 0 or out[i - 1] != "\\")]
    assert unescaped == []
    # removing the escapes gives the text back (leading spaces aside)
    assert out.replace("\\\n", "\n").replace("\\", "") == "\n".join(line.strip() for line in raw.replace("\\", "").split("\n"))


def test_plain_keeps_line_breaks_and_paragraphs() -> None:
    assert plain("one\ntwo") == "one\\\ntwo"
    assert plain("one\n\n\n\ntwo\n") == "one\n\ntwo"
    assert plain(None) == "" and plain(42) == "42"
    assert plain("back\\slash") == "back\\\\slash"


def test_shorten() -> None:
    assert shorten("a  b\nc") == "a b c"
    long = "x" * 500
    assert len(shorten(long, 70)) == 70 and shorten(long, 70).endswith("…")


def test_links_pasted_in_any_form() -> None:
    assert token_from("https://audit.example/rate?t=abc-DEF_1&p=xyz") == "abc-DEF_1"
    assert token_from("  abc-DEF_1  ") == "abc-DEF_1"
    assert token_from("?t=tok") == "tok"
    assert person_from("https://audit.example/?t=abc&p=xyz") == "xyz"
    assert person_from("abc") is None


def test_qr_codes_encode_the_link() -> None:
    from PIL import Image

    url = "http://localhost:8501/?t=" + "A" * 43
    png = qr_png(url)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] == image.size[1] and image.size[0] >= 150
    assert qr_svg(url).lstrip().startswith(b"<svg")
