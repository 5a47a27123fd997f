"""Priority score (docs/priority.md) and the suggested plan."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from audit.model import (
    ActionKind,
    ActionStatus,
    Audit,
    AuditData,
    Catalog,
    Chain,
    CompetitorNote,
    Horizon,
    Observation,
    Rating,
    ShopperVisit,
    Standard,
    Touchpoint,
    ValidationError,
)
from audit.plan import choose_kinds, group_codes, horizons_for, owner_roles, plan_for, propose_plan
from audit.priority import horizon_for, priority_parts
from audit.scoring import analyse

TODAY = dt.date(2025, 6, 2)


def visit(n: int, observations: tuple[Observation, ...], target: str = "") -> ShopperVisit:
    return ShopperVisit(n, "au1", "shopper", dt.datetime(2025, 5, n), "phone", target=target, observations=observations,
                        status="accepted")


# ------------------------------------------------------------------ the worked example of docs/priority.md


def worked_example() -> AuditData:
    audit = Audit("au1", "Worked example", competitors=("Alpha", "Beta"))
    catalog = Catalog(
        "c", "C",
        (Touchpoint("phone", "staff", {"en": "Phone line", "ru": "Телефон"}), Touchpoint("site", "technology", "Website")),
        (Chain("first", "First purchase", ("phone", "site")),),
    )
    reactions = ["positive", "neutral", "negative", "negative", "negative", "negative"]
    ratings = [Rating(audit.id, f"p{i}", "phone", 8, r, "have", comment=c)
               for i, (r, c) in enumerate(zip(reactions, ["", "ok", "=nobody answers", "", "rude", "slow"], strict=False))]
    ratings += [Rating(audit.id, f"p{i}", "site", 6, "positive") for i in range(2)]
    visits = (
        visit(1, (Observation("phone", "negative", "six rings", 6),)),
        visit(2, (Observation("phone", "negative", "", 5),)),
        visit(3, (Observation("phone", "positive", "quick", 2),)),
        visit(4, (Observation("phone", "negative", "+7 line was busy"),)),
    )
    notes = (CompetitorNote(audit.id, "Alpha", "phone", "better"), CompetitorNote(audit.id, "Beta", "phone", "same"))
    return AuditData(audit, catalog, ratings=tuple(ratings), visits=visits, competitor_notes=notes,
                     standards={"phone": Standard("rings before the answer", "rings", "<=", 3)})


def test_worked_example_priority_is_64_5() -> None:
    scores = analyse(worked_example()).scores
    row = scores.loc["phone"]
    assert row["importance_mean"] == 8 and row["performance"] == pytest.approx(-0.5)
    assert row["priority_base"] == pytest.approx(30.0)
    assert row["priority_shoppers"] == pytest.approx(7.5)
    assert row["priority_competitors"] == pytest.approx(3.0)
    assert row["priority_standard"] == pytest.approx(6 * 2 / 3)
    assert row["priority_missing"] == 0
    assert row["priority_chain"] == 20  # the journey of 2 links breaks at its first: all of it is lost
    assert row["priority"] == 64.5


def test_worked_example_action() -> None:
    actions = propose_plan(analyse(worked_example()), today=TODAY)
    assert [a.touchpoint_id for a in actions] == ["phone"]  # the website is fine
    action = actions[0]
    assert action.kind is ActionKind.FIX_NOW
    assert action.priority == 64.5
    assert action.horizon is Horizon.WEEK and action.due == TODAY + dt.timedelta(days=7)
    assert action.owner == "Head of sales"
    assert action.standard == "rings before the answer <= 3 rings"
    assert action.status is ActionStatus.TODO and action.suggested and action.id is None and action.position == 0
    assert action.audit_id == "au1"
    assert "“Phone line”" in action.what and "First purchase" in action.what
    evidence = action.evidence
    assert "Team: 6 rater(s); importance 8.0 (median 8); reactions 1 positive / 1 neutral / 4 negative" in evidence
    assert "Shoppers: 3 of 4 observations negative" in evidence
    assert "Competitors: Alpha better; Beta same." in evidence
    assert "met 1 of 3" in evidence
    assert "Priority 64.5 = importance x shortfall 30.0 + shoppers 7.5 + competitors 3.0 + standard 4.0 + broken chain 20.0." in evidence
    # quotes: negative comments first, at most three; shoppers' notes too
    assert "Team comments: “=nobody answers”; “rude”; “slow”." in evidence
    assert "Shoppers wrote: “six rings”; “+7 line was busy”." in evidence


def test_plan_in_russian_and_owner_overrides() -> None:
    analysis = analyse(worked_example())
    action = propose_plan(analysis, today=TODAY, language="ru", owners={"staff": "Анна, старший смены"})[0]
    assert action.what.startswith("Срочно исправить «Телефон»")
    assert action.owner == "Анна, старший смены"
    assert "Комментарии команды: «=nobody answers»" in action.evidence
    assert owner_roles("en")["office"] == "Office manager"


def test_an_owner_override_is_checked_as_the_constructor_checks_it() -> None:
    analysis = analyse(worked_example())
    assert propose_plan(analysis, today=TODAY, owners={"staff": "  Anna  "})[0].owner == "Anna"  # stripped, as before
    with pytest.raises(ValidationError) as err:
        propose_plan(analysis, today=TODAY, owners={"staff": "Anna\x00"})
    assert err.value.field == "owner" and err.value.key == "rule.control_chars"


# ------------------------------------------------------------------ priority formula


def parts(**columns: list) -> pd.DataFrame:
    return priority_parts(pd.DataFrame(columns))


def test_base_grows_with_importance_and_shortfall() -> None:
    p = parts(importance_mean=[10, 10, 5, 1, 10], performance=[-1, 1, 0, -1, 0])
    assert p["priority_base"].tolist() == pytest.approx([50, 0, 12.5, 5, 25])
    assert p["priority"].tolist() == pytest.approx([50, 0, 12.5, 5, 25])


def test_missing_parts_take_the_middle_of_the_scale() -> None:
    p = parts(importance_mean=[np.nan, 8, np.nan], performance=[-1, np.nan, np.nan])
    assert p["priority_base"].tolist() == pytest.approx([50 * 0.55, 50 * 0.8 * 0.5, 0])


def test_every_part_at_its_maximum_gives_100() -> None:
    p = parts(importance_mean=[10], performance=[-1], presence_have=[0], presence_missing=[3], presence_not_needed=[1],
              shopper_negative_share=[1.0], competitor_better_share=[1.0], standard_missed_share=[1.0], breaks_chain=["Buy"])
    assert p["missing_must_have"].tolist() == [True]
    assert p["priority"].tolist() == [100.0]


def test_must_have_needs_importance_7_and_a_plurality_of_missing() -> None:
    p = parts(importance_mean=[7, 6.9, 9, 9], performance=[0, 0, 0, 0], presence_have=[1, 0, 2, 0],
              presence_missing=[2, 2, 2, 0], presence_not_needed=[0, 0, 0, 0])
    assert p["missing_must_have"].tolist() == [True, False, False, False]
    assert p["priority_missing"].tolist() == [8, 0, 0, 0]


def test_horizon_thresholds() -> None:
    assert [horizon_for(v) for v in (100, 50, 49.9, 25, 24.9, 0)] == [
        Horizon.WEEK, Horizon.WEEK, Horizon.MONTH, Horizon.MONTH, Horizon.QUARTER, Horizon.QUARTER]


def test_horizon_follows_the_action_type() -> None:
    # "fix now" is never later than this month, however low its priority
    assert [horizon_for(v, ActionKind.FIX_NOW) for v in (90, 30, 5)] == [Horizon.WEEK, Horizon.MONTH, Horizon.MONTH]
    # slow kinds are never "this week"
    for kind in (ActionKind.ADD, ActionKind.RETHINK, ActionKind.AMPLIFY):
        assert [horizon_for(v, kind) for v in (90, 30, 5)] == [Horizon.MONTH, Horizon.MONTH, Horizon.QUARTER]
    assert [horizon_for(v, ActionKind.IMPROVE) for v in (90, 30, 5)] == [Horizon.WEEK, Horizon.MONTH, Horizon.QUARTER]


def test_a_fix_now_of_low_priority_is_due_within_a_month() -> None:
    audit = Audit("au1", "Low")
    catalog = Catalog("c", "C", (Touchpoint("a", "office", "A"), Touchpoint("b", "office", "B"), Touchpoint("c", "office", "C")))
    # "a" is important enough to be in the high half and mostly negative, but its priority is low
    ratings = tuple(Rating(audit.id, f"p{i}", tp, imp, r) for i in range(3) for tp, imp, r in
                    (("a", 4, "negative" if i else "positive"), ("b", 2, "positive"), ("c", 3, "positive")))
    action = next(a for a in plan_for(AuditData(audit, catalog, ratings=ratings), today=TODAY) if a.touchpoint_id == "a")
    assert action.kind is ActionKind.FIX_NOW and action.priority < 25
    assert action.horizon is Horizon.MONTH and action.due == TODAY + dt.timedelta(days=30)


def test_numbers_resting_on_few_raters_are_marked() -> None:
    audit = Audit("au1", "Few")
    catalog = Catalog("c", "C", (Touchpoint("a", "office", "A"), Touchpoint("b", "office", "B")))
    ratings = (Rating(audit.id, "p0", "a", 9, "negative"), *tuple(Rating(audit.id, f"p{i}", "b", 5, "positive") for i in range(3)))
    analysis = analyse(AuditData(audit, catalog, ratings=ratings))
    assert analysis.scores["few_raters"].to_dict() == {"a": True, "b": False}
    action = next(a for a in propose_plan(analysis, today=TODAY) if a.touchpoint_id == "a")
    assert action.evidence.startswith("Only 1 rater(s), fewer than 3: read these numbers with care.")


# ------------------------------------------------------------------ which action


def rules_data() -> AuditData:
    audit = Audit("au1", "Rules", competitors=("Alpha", "Beta"))
    spec = {  # id: category
        "add": "office", "skip": "product", "fix": "staff", "rethink": "technology", "enforce": "staff",
        "setstd": "office", "improve": "product", "amplify": "technology", "better": "office", "fine": "product",
        "shoponly": "staff",
    }
    catalog = Catalog("c", "C", tuple(Touchpoint(k, v, k.title()) for k, v in spec.items()))
    R = lambda tp, imp, reaction=None, presence=None, who="p0": Rating(audit.id, who, tp, imp, reaction, presence)  # noqa: E731
    ratings = [
        R("add", 8, None, "missing"), R("add", 8, None, "missing", "p1"),
        R("skip", 9, "negative", "not-needed"), R("skip", 9, "negative", "not-needed", "p1"),
        R("fix", 9, "negative"), R("fix", 9, "negative", who="p1"),
        R("rethink", 2, "negative"),
        R("enforce", 3, "neutral"),
        R("setstd", 8, "positive"),
        R("improve", 8, "neutral"), R("improve", 8, "negative", who="p1"), R("improve", 8, "neutral", who="p2"),
        R("amplify", 9, "positive"), R("amplify", 9, "positive", who="p1"),
        R("better", 9, "positive"),
        R("fine", 9, "positive"),
    ]
    seen = Observation
    visits = (
        visit(1, (seen("enforce", "neutral", measurement=9), seen("setstd", "positive"), seen("shoponly", "negative"))),
        visit(2, (seen("setstd", "positive"), seen("shoponly", "negative"))),
        visit(3, (seen("setstd", "negative"),)),
        visit(4, (seen("setstd", "negative"),)),
    )
    notes = (
        CompetitorNote(audit.id, "Alpha", "amplify", "worse"), CompetitorNote(audit.id, "Beta", "amplify", "worse"),
        CompetitorNote(audit.id, "Alpha", "better", "better"),
    )
    return AuditData(audit, catalog, ratings=tuple(ratings), visits=visits, competitor_notes=notes,
                     standards={"enforce": Standard("minutes of waiting", "min", "<=", 5)})


def test_each_rule_of_the_method() -> None:
    analysis = analyse(rules_data(), (5, 0))
    kinds = choose_kinds(analysis.scores)
    assert kinds.to_dict() == {
        "add": ActionKind.ADD,
        "skip": None,
        "fix": ActionKind.FIX_NOW,
        "rethink": ActionKind.RETHINK,
        "enforce": ActionKind.STANDARD,
        "setstd": ActionKind.STANDARD,
        "improve": ActionKind.IMPROVE,
        "amplify": ActionKind.AMPLIFY,
        "better": ActionKind.IMPROVE,
        "fine": None,
        "shoponly": ActionKind.IMPROVE,
    }
    actions = {a.touchpoint_id: a for a in propose_plan(analysis, today=TODAY)}
    assert set(actions) == {"add", "fix", "rethink", "enforce", "setstd", "improve", "amplify", "better", "shoponly"}
    assert actions["add"].what.startswith("Add “Add”: the team marks it missing (2 of 2 presence votes)")
    assert actions["add"].owner == "Office manager"
    assert actions["enforce"].what.startswith("Enforce the standard at “Enforce” (minutes of waiting <= 5 min): met in 0 of 1")
    assert actions["enforce"].standard == "minutes of waiting <= 5 min"
    assert actions["setstd"].what.startswith("Set a standard for “Setstd”")
    assert actions["setstd"].standard == "a measurable norm a mystery shopper can check"
    assert actions["amplify"].what == "Keep and amplify “Amplify”: we beat every competitor compared (Alpha, Beta); make it a wow."
    assert actions["better"].what == "Improve “Better”: 1 competitor(s) do better (Alpha); see what to borrow."
    assert "the team has not rated it yet" in actions["shoponly"].what
    assert "Team: not rated yet." in actions["shoponly"].evidence
    assert actions["rethink"].kind is ActionKind.RETHINK and actions["rethink"].owner == "Marketing / web manager"


@pytest.mark.parametrize(
    "reactions, expected",
    [
        (("positive", "negative"), None),  # fewer than 3 observations
        (("positive", "positive", "positive", "negative"), ActionKind.STANDARD),  # exactly a quarter negative
        (("positive", "positive", "positive", "positive", "negative"), None),  # a fifth is not inconsistent
    ],
)
def test_mixed_shoppers_need_three_observations_and_a_quarter_each_way(reactions: tuple[str, ...], expected: object) -> None:
    base = rules_data()
    visits = tuple(visit(i + 1, (Observation("setstd", r),)) for i, r in enumerate(reactions))
    data = AuditData(base.audit, base.catalog, ratings=base.ratings, visits=visits, standards=base.standards)
    assert choose_kinds(analyse(data, (5, 0)).scores)["setstd"] == expected


def test_plan_is_sorted_by_priority_then_importance_then_catalog_order() -> None:
    analysis = analyse(rules_data(), (5, 0))
    actions = propose_plan(analysis, today=TODAY)
    priorities = [a.priority for a in actions]
    assert priorities == sorted(priorities, reverse=True)
    assert [a.position for a in actions] == list(range(len(actions)))
    # a tie on priority and importance keeps catalog order
    audit = Audit("au1", "Ties")
    catalog = Catalog("c", "C", tuple(Touchpoint(t, "office", t) for t in ("z", "y", "x")))
    ratings = tuple(Rating(audit.id, "p", t, imp, "negative") for t, imp in (("z", 8), ("y", 9), ("x", 8)))
    order = [a.touchpoint_id for a in plan_for(AuditData(audit, catalog, ratings=ratings), (1, 0), today=TODAY)]
    assert order == ["y", "z", "x"]
    assert len(plan_for(AuditData(audit, catalog, ratings=ratings), (1, 0), today=TODAY, limit=2)) == 2


def test_no_ratings_no_plan() -> None:
    data = worked_example()
    empty = AuditData(data.audit, data.catalog)
    assert propose_plan(analyse(empty), today=TODAY) == []


@pytest.mark.parametrize("keys", [["a", "a", "b", "b", "b", "c"], ["b", "a", "b", "c", "a"], ["a", None, None, "b"],
                                  ["x"], [], ["a", "b", "a", "a", "a", "a"], ["a", float("nan"), "a"], ["a"] * 3 + [None] * 4 + ["b"] * 3])
def test_group_codes_are_what_factorize_gives(keys: list[object]) -> None:
    values = np.array(keys, dtype=object)
    codes, uniques = group_codes(values)
    want_codes, want_uniques = pd.factorize(values)
    assert codes.tolist() == want_codes.tolist() and uniques.tolist() == list(want_uniques)


def test_horizons_for_every_action_are_horizon_for_of_each() -> None:
    priorities = np.array([0.0, 10.0, 24.99, 25.0, 25.01, 49.9, 50.0, 50.1, 75.0, 100.0] * len(ActionKind))
    kinds = [kind for kind in ActionKind for _ in range(10)]
    assert horizons_for(priorities, kinds) == [horizon_for(float(p), kind) for p, kind in zip(priorities, kinds, strict=True)]


def test_choose_kinds_reads_a_missing_value_or_column_as_nothing_said() -> None:
    scores = pd.DataFrame({"quadrant": ["Concentrate here", None, "Keep up the good work", "Low priority", "Possible overkill"],
                           "majority_reaction": [None, None, "negative", "negative", float("nan")],
                           "shopper_majority": [float("nan"), "negative", None, None, None],
                           "missing_must_have": [False, False, False, False, None]}, index=list("abcde"))
    assert choose_kinds(scores).to_dict() == {"a": ActionKind.IMPROVE, "b": ActionKind.IMPROVE, "c": ActionKind.FIX_NOW,
                                              "d": ActionKind.RETHINK, "e": None}


def test_a_language_file_with_padded_or_control_characters_gets_every_action_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    import audit.action_text

    analysis = analyse(worked_example())
    plain = propose_plan(analysis, today=TODAY)[0]
    given = audit.action_text.t
    monkeypatch.setattr(audit.action_text, "t", lambda key, lang: given(key, lang) + ("  " if key == "action_text.fix" else ""))
    assert propose_plan(analysis, today=TODAY)[0] == plain  # the padded words are stripped, as the constructor strips them
    monkeypatch.setattr(audit.action_text, "t", lambda key, lang: given(key, lang) + ("\x07" if key == "action_text.fix" else ""))
    with pytest.raises(ValidationError) as err:
        propose_plan(analysis, today=TODAY)
    assert err.value.field == "what" and err.value.key == "rule.control_chars"
