"""Records reject bad values with a message that names the field and the value."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from audit.model import (
    Action,
    Audit,
    Catalog,
    Chain,
    Observation,
    Rating,
    Reaction,
    ShopperVisit,
    Standard,
    Touchpoint,
    ValidationError,
)


def tp(id_: str = "office-sign", **kw) -> Touchpoint:
    return Touchpoint(id=id_, category=kw.pop("category", "office"), name=kw.pop("name", {"en": "Sign", "ru": "Вывеска"}), **kw)


@pytest.mark.parametrize("value", [0, 11, -1, 5.5, "ten", True, None.__class__])
def test_importance_outside_1_to_10_is_refused_with_field_and_value(value) -> None:
    with pytest.raises(ValidationError) as err:
        Rating("a", "p", "t", importance=value)
    assert err.value.field == "importance"
    assert "importance" in str(err.value) and "1 to 10" in str(err.value)
    assert repr(value)[:20] in str(err.value)


def test_importance_accepts_whole_numbers_given_as_text_or_float() -> None:
    assert Rating("a", "p", "t", importance="7").importance == 7
    assert Rating("a", "p", "t", importance=7.0).importance == 7


def test_unknown_reaction_is_refused_with_the_choices() -> None:
    with pytest.raises(ValidationError) as err:
        Rating("a", "p", "t", reaction="meh")
    assert str(err.value) == "reaction: must be one of: positive, neutral, negative (got 'meh')"


def test_empty_touchpoint_name_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        tp(name="   ")
    assert err.value.field == "name" and "must not be empty" in str(err.value)


def test_touchpoint_parses_lists_from_text_and_keeps_order() -> None:
    t = tp(stages="during; before", channels=["offline", "online"], audiences="potential,current")
    assert [s.value for s in t.stages] == ["during", "before"]
    assert [c.value for c in t.channels] == ["offline", "online"]
    assert [a.value for a in t.audiences] == ["potential", "current"]


def test_records_are_immutable_and_replace_revalidates() -> None:
    r = Rating("a", "p", "t", importance=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.importance = 6  # type: ignore[misc]
    with pytest.raises(ValidationError):
        dataclasses.replace(r, importance=12)


@pytest.mark.parametrize(
    ("comparison", "threshold", "value", "met"),
    [("<=", 3, 2, True), ("<=", 3, 3, True), ("<=", 3, 5, False), (">=", 4.5, 4.4, False), ("<", 15, 15, False), ("==", 0, 0, True)],
)
def test_standard_judges_measurements(comparison, threshold, value, met) -> None:
    std = Standard({"en": "rings before the answer", "ru": "гудков до ответа"}, {"en": "rings"}, comparison, threshold)
    assert std.is_met(value) is met


def test_standard_describes_itself_in_both_languages() -> None:
    std = Standard({"en": "rings before the answer", "ru": "гудков до ответа"}, {"en": "rings", "ru": "гудков"}, "<=", 3)
    assert std.describe("en") == "rings before the answer <= 3 rings"
    assert std.describe("ru") == "гудков до ответа <= 3 гудков"


def test_standard_threshold_must_be_a_number() -> None:
    with pytest.raises(ValidationError) as err:
        Standard("rings", "", "<=", "three")
    assert err.value.field == "standard.threshold"


def test_catalog_refuses_duplicate_ids_and_dangling_chain_links() -> None:
    with pytest.raises(ValidationError, match="more than one"):
        Catalog("c", "C", (tp("a"), tp("a")))
    with pytest.raises(ValidationError, match="does not exist"):
        Catalog("c", "C", (tp("a"), tp("b")), (Chain("j", "J", ("a", "zz")),))


def test_text_falls_back_to_the_other_language() -> None:
    t = tp(name={"en": "Sign"})
    assert t.name.get("ru") == "Sign"


def test_text_refuses_control_characters_and_overlong_values() -> None:
    with pytest.raises(ValidationError, match="control"):
        Rating("a", "p", "t", comment="hello\x00world")
    with pytest.raises(ValidationError, match="at most"):
        Rating("a", "p", "t", comment="x" * 10_001)


def test_observation_measurement_must_be_a_non_negative_number() -> None:
    assert Observation("t", "negative", measurement="2,5").measurement == 2.5
    with pytest.raises(ValidationError, match="not be negative"):
        Observation("t", "negative", measurement=-1)
    with pytest.raises(ValidationError, match="number"):
        Observation("t", "negative", measurement="a lot")


def test_visit_refuses_the_same_touchpoint_twice() -> None:
    obs = (Observation("t", "positive"), Observation("t", "negative"))
    with pytest.raises(ValidationError, match="once per visit"):
        ShopperVisit(None, "a", "s", dt.datetime.now(dt.UTC), "phone", observations=obs)


def test_audit_refuses_duplicate_competitors_and_unknown_language() -> None:
    with pytest.raises(ValidationError, match="different"):
        Audit("a", "Shop", competitors=("Rival", "rival"))
    with pytest.raises(ValidationError, match="en, ru"):
        Audit("a", "Shop", language="de")


def test_action_priority_is_0_to_100() -> None:
    with pytest.raises(ValidationError, match="0 to 100"):
        Action(None, "a", "t", "fix now", "Fix it", "Manager", "this week", priority=101)


def test_reaction_scores() -> None:
    assert [r.score for r in Reaction] == [1, 0, -1]
