"""The plan's words written column by column are exactly what row-by-row formatting writes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import numpy as np
import pytest

from audit.action_text import DASH, fill, joined, number_words, template_parts
from audit.i18n import t
from audit.languages import LANGUAGES
from audit.model import Action, ActionKind, ActionStatus, Horizon, ValidationError
from audit.numbers import decimal, localized, signed
from audit.validation import clean_text, clean_texts


def _expected(value: float | None, language: str, places: int | None, sign: bool) -> str:
    if value is None or value != value:
        return DASH
    if places is None:
        return localized(float(value), language)
    return signed(float(value), language, places) if sign else decimal(float(value), language, places)


def _awkward_numbers() -> list[float | None]:
    rng = random.Random(11)
    values: list[float | None] = [None, float("nan"), 0.0, -0.0, 0.04, -0.04, 0.05, -0.05, 0.15, 2.675, 2.665, 7.25, -7.25, 7.35,
                                  998.95, 999.94, 999.95, 999.96, 1000.0, 1234.56, -1234.56, 1e6 + 0.05, 1e-9, -1e-9, 5.0, 10.0, 100.0]
    values += [rng.uniform(-12, 12) for _ in range(400)]
    values += [round(rng.uniform(-3, 3), rng.choice((1, 2, 3))) for _ in range(400)]  # many exact ties at the rounding place
    values += [k / 100 for k in range(100, 1001)]  # every mean of 100 raters
    return values


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("places", "sign"), [(1, False), (2, False), (0, False), (2, True), (1, True), (None, False)])
def test_number_words_write_each_number_as_the_number_functions_do(language: str, places: int | None, sign: bool) -> None:
    values = _awkward_numbers()
    got = number_words(values, language, places, sign=sign).tolist()
    assert got == [_expected(v, language, places, sign) for v in values]


def test_fill_gives_what_str_format_gives_for_every_row_of_every_action_template() -> None:
    rng = random.Random(3)
    for language in LANGUAGES:
        for key in ("add", "fix", "rethink", "enforce", "set", "improve", "improve_competitors", "amplify", "ev_team",
                    "ev_shoppers", "ev_standard", "ev_priority", "ev_comments", "part_base"):
            template = t(f"action_text.{key}", language)
            names = [name for _, name in template_parts(template) if name]
            rows = [{name: rng.choice(["", "7,5", "“Door”", "{x}", "a; b", str(rng.randint(0, 99))]) for name in names} for _ in range(25)]
            columns = {name: np.array([row[name] for row in rows], dtype=object) for name in names}
            assert fill(template, columns, len(rows)).tolist() == [template.format(**row) for row in rows], (language, key)


def test_fill_never_hands_back_the_callers_column_and_refuses_format_specs() -> None:
    column = np.array(["a", "b"], dtype=object)
    out = fill("{x}", {"x": column}, 2)
    out[0] = "changed"
    assert column.tolist() == ["a", "b"]
    assert fill("plain", {}, 2).tolist() == ["plain", "plain"]
    for template in ("{x:>5}", "{x!r}", "{x[0]}"):
        with pytest.raises(ValueError, match="only plain"):
            template_parts(template)


def test_joined_puts_separators_only_between_the_pieces_a_row_has() -> None:
    a = np.array(["A1", "A2", "A3"], dtype=object)
    b = np.array(["B1", "B2", "B3"], dtype=object)
    got = joined([(np.array([True, False, False]), a[:1]), (np.array([True, True, False]), b[:2])], "; ", 3)
    assert got.tolist() == ["A1; B1", "B2", ""]


def test_joined_keeps_a_lone_row_an_empty_piece_and_an_empty_word() -> None:
    one = joined([(np.array([False, True]), np.array(["x"], dtype=object)), (np.zeros(2, dtype=bool), np.array([], dtype=object)),
                  (np.array([True, True]), np.array(["", "y"], dtype=object))], "\n", 2)
    assert one.tolist() == ["", "x\ny"]  # an empty word still counts as a piece, as str.join counts it


def test_fill_at_fills_the_marked_rows_from_the_columns_the_template_names() -> None:
    from audit.action_text import fill_at

    columns = {"a": np.array(["1", "2", "3"], dtype=object), "unused": np.array([None, None, None], dtype=object)}
    assert fill_at("<{a}>", columns, np.array([True, False, True])).tolist() == ["<1>", "<3>"]
    with pytest.raises(KeyError):
        fill_at("{b}", columns, np.array([True, True, True]))


def test_words_from_tables_are_copies_the_caller_may_change() -> None:
    from audit.action_text import ints

    first, again = ints(np.array([3, 4])), number_words(np.array([7.25, 1.5]), "ru")
    first[0], again[0] = "changed", "changed"
    assert ints(np.array([3, 4])).tolist() == ["3", "4"] and number_words(np.array([7.25, 1.5]), "ru").tolist()[1] == "1,5"
    assert ints(np.array([1023, 1024, 5000, -1])).tolist() == ["1023", "1024", "5000", "-1"]


def test_every_action_template_in_every_language_has_plain_placeholders_only() -> None:
    from audit.i18n import KEYS

    for language in LANGUAGES:
        for key in sorted(KEYS):
            if key.startswith("action_text."):
                template_parts(t(key, language))  # raises on a format spec or conversion


def test_clean_texts_equals_clean_text_on_each_value_and_raises_its_error() -> None:
    values = ["  a  ", "b\r\nc", "", "ok\tfine", "line\nbreak "]
    assert clean_texts(values, "what") == [clean_text(v, "what") for v in values]
    for bad in (["fine", "bell\x07"], ["fine", "half \ud800"], ["x" * 30], [None, 3]):
        with pytest.raises(ValidationError) as together:
            clean_texts(bad, "what", limit=20)
        with pytest.raises(ValidationError) as alone:
            [clean_text(v, "what", limit=20) for v in bad]
        assert str(together.value) == str(alone.value)
    with pytest.raises(ValidationError):
        clean_texts(["fine", "  "], "what", required=True)


def _rows() -> list[dict[str, object]]:
    return [{"id": None, "audit_id": "a1", "touchpoint_id": f"tp{i}", "kind": ActionKind.IMPROVE, "what": f" Improve {i} ", "owner": "Sales",
                 "horizon": Horizon.MONTH, "due": dt.date(2026, 1, 1), "standard": "", "status": ActionStatus.TODO, "priority": float(i),
                 "evidence": "e", "position": i, "suggested": True} for i in range(5)]


def test_action_many_builds_the_same_actions_as_one_by_one() -> None:
    rows = _rows()
    rows[1]["kind"] = "fix now"  # text values are parsed as the constructor parses them
    rows[2]["priority"] = 7  # an int priority takes the one-by-one path
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    many = Action.many(columns)
    assert many == [Action(**row) for row in rows]  # type: ignore[arg-type]
    assert many[0].what == "Improve 0" and many[1].kind is ActionKind.FIX_NOW
    assert [dataclasses.asdict(a) for a in many] == [dataclasses.asdict(Action(**row)) for row in rows]  # type: ignore[arg-type]


@pytest.mark.parametrize(("field", "value", "rule"), [("what", "   ", "empty"), ("priority", 101.0, "range"),
                                                      ("kind", "teleport", "one_of"), ("evidence", "x" * 20_001, "too_long")])
def test_action_many_refuses_what_the_constructor_refuses(field: str, value: object, rule: str) -> None:
    rows = _rows()
    rows[3][field] = value
    with pytest.raises(ValidationError) as err:
        Action.many({name: [row[name] for row in rows] for name in rows[0]})
    assert err.value.field == field and err.value.key == f"rule.{rule}"


def test_action_written_builds_the_actions_the_checked_path_builds() -> None:
    rows = [{**row, "what": f"Improve {i}", "notes": ""} for i, row in enumerate(_rows())]
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    written = Action.written(columns)
    assert written == Action.many(columns) == [Action(**row) for row in rows]  # type: ignore[arg-type]
    assert [dataclasses.asdict(a) for a in written] == [dataclasses.asdict(Action(**row)) for row in rows]  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        written[0].what = "changed"  # type: ignore[misc]


def test_action_written_still_refuses_a_text_over_its_limit_and_the_constructor_checks_everything() -> None:
    rows = [{**row, "notes": ""} for row in _rows()]
    rows[2]["evidence"] = "x" * 20_001
    with pytest.raises(ValidationError) as err:
        Action.written({name: [row[name] for row in rows] for name in rows[0]})
    assert err.value.field == "evidence" and err.value.key == "rule.too_long"
    with pytest.raises(ValidationError) as bad:  # a person's words go through the constructor, which checks them
        Action(**{**rows[0], "what": "ok\x07"})  # type: ignore[arg-type]
    assert bad.value.field == "what" and bad.value.key == "rule.control_chars"


def test_quote_each_quotes_every_text_as_quote_does() -> None:
    from audit.action_text import ActionTexts

    said = ["slow", "  two   spaces ", "slow", "x" * 300, "", "slow"]
    assert ActionTexts("ru").quote_each(said) == [ActionTexts("ru").quote(text) for text in said]
    assert ActionTexts("en").quote_each(said)[1] == "“two spaces”"


def test_the_one_pass_check_finds_exactly_the_characters_clean_text_refuses() -> None:
    from audit.validation import _REFUSED_CHAR, _has_refused

    for code in [*range(0x80), 0x85, 0xA0, 0x2028, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFD, 0x1F600]:
        text = f"Отзыв {chr(code)} ok"
        assert _has_refused(text) == (_REFUSED_CHAR.search(text) is not None), hex(code)


def test_counts_are_written_as_int_writes_them() -> None:
    from audit.action_text import ints

    for values in ([0, 1, 12, 1000, -3], [2.0, 3.9, -2.5], np.array([5, 6]), np.array([1, 2.0], dtype=object), [True, 3]):
        assert ints(values).tolist() == [str(int(v)) for v in values]
    with pytest.raises(TypeError):
        ints(np.array([1, None], dtype=object))


def test_action_texts_are_clean_until_a_word_is_padded_or_holds_a_control_character() -> None:
    from audit.action_text import ActionTexts

    texts = ActionTexts("pl")
    _ = texts["fix"], texts["ev_team"]  # looked up, as a plan looks them up
    assert texts.are_clean("lepiej")
    assert not texts.are_clean(" lepiej")
    texts["odd"] = "bell\x07"
    assert not texts.are_clean()
