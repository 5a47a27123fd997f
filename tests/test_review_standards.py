"""The owner's review lists and the standards table as plain functions."""

from __future__ import annotations

import datetime as dt

import pytest

from audit import review
from audit.model import (
    Audit,
    AuditData,
    Catalog,
    Observation,
    Participant,
    Role,
    ShopperVisit,
    Standard,
    Touchpoint,
    ValidationError,
)
from audit.scoring import analyse
from audit.standards import DEFAULT, OFF, OWN, standard_from_input, standard_lines

RINGS = Standard({"en": "rings before the answer", "ru": "гудков до ответа"}, {"en": "rings", "ru": "гудков"}, "<=", 3)
WHEN = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)


def catalog() -> Catalog:
    return Catalog(
        "c", "C",
        (
            Touchpoint("call", "staff", "Call", standard=RINGS),
            Touchpoint("wait", "office", "Waiting", standard=Standard("minutes", "min", "<=", 5)),
            Touchpoint("door", "office", "Door"),
        ),
    )


def visit(i: int, shopper: str, status: str, target: str = "", measurement: float | None = None, days: int = 0) -> ShopperVisit:
    obs = (Observation("call", "neutral", "", measurement),) if measurement is not None else ()
    return ShopperVisit(i, "a", shopper, WHEN + dt.timedelta(days=days), "phone", target=target, observations=obs, status=status)


def test_filters_and_counts_per_shopper_and_target() -> None:
    visits = [visit(1, "s1", "submitted", days=1), visit(2, "s1", "accepted", "Rival"), visit(3, "s2", "draft"),
              visit(4, "s2", "rejected", days=3), visit(5, "s1", "revision", days=2)]
    people = [Participant("s2", "a", "Oleg", Role.SHOPPER), Participant("s1", "a", "Mila", Role.SHOPPER)]
    shown = review.reviewable(visits)
    assert [v.id for v in shown] == [1, 2, 4, 5]  # drafts stay the shopper's own
    assert [v.id for v in review.select(shown)] == [4, 5, 1, 2]  # newest first
    assert [v.id for v in review.select(shown, ["submitted", "revision"])] == [5, 1]
    assert [v.id for v in review.select(shown, shopper_id="s1", target="Rival")] == [2]
    assert [v.id for v in review.select(shown, target="")] == [4, 5, 1]
    by_shopper = review.per_shopper(visits, people)
    assert [(c.label, c.submitted, c.accepted, c.revision, c.rejected, c.draft, c.total) for c in by_shopper] == [
        ("Oleg", 0, 0, 0, 1, 1, 2), ("Mila", 1, 1, 1, 0, 0, 3)]
    by_target = review.per_target(visits, ["Rival", "Giant"], "us")
    assert [(c.label, c.total) for c in by_target] == [("us", 4), ("Rival", 1), ("Giant", 0)]


def test_observations_are_judged_against_our_standard_only_at_our_business() -> None:
    standards = {"call": RINGS}
    [met] = review.observation_lines(visit(1, "s", "accepted", measurement=2), catalog(), standards, "en")
    [missed] = review.observation_lines(visit(2, "s", "accepted", measurement=5), catalog(), standards, "en")
    [theirs] = review.observation_lines(visit(3, "s", "accepted", "Rival", measurement=5), catalog(), standards, "en")
    assert (met.met, missed.met, theirs.met, theirs.standard) == (True, False, None, None)
    assert met.name == "Call" and met.measurement == 2


def test_a_standard_from_the_owner_form() -> None:
    std = standard_from_input("rings before the answer", "rings", "<=", "3", "en")
    assert std.describe("en") == "rings before the answer <= 3 rings"
    assert std.is_met(2) and not std.is_met(5)
    kept = standard_from_input("гудков до ответа", "гудков", "<=", "4", "ru", RINGS)
    assert kept.metric == RINGS.metric and kept.threshold == 4  # unchanged text keeps its English too
    changed = standard_from_input("звонков", "гудков", ">=", "2,5", "ru", RINGS)
    assert changed.metric.as_dict() == {"ru": "звонков"} and changed.threshold == 2.5
    for metric, threshold, field in (("", "3", "metric"), ("x", "", "threshold"), ("x", "three", "threshold")):
        with pytest.raises(ValidationError) as err:
            standard_from_input(metric, "", "<=", threshold, "en")
        assert err.value.field == field
    with pytest.raises(ValidationError):
        standard_from_input("x", "", "about", "3", "en")


def test_standard_lines_with_the_share_met() -> None:
    effective = {"call": Standard("rings before the answer", "rings", "<=", 2), "door": RINGS}  # wait: switched off
    data = AuditData(
        Audit("a", "Shop"), catalog(),
        visits=(visit(1, "s", "accepted", measurement=2), visit(2, "s", "accepted", measurement=5),
                visit(3, "s", "submitted", measurement=9)),
        standards=effective,
    )
    lines = {line.touchpoint_id: line for line in standard_lines(data.catalog, effective, analyse(data).scores, "en")}
    assert set(lines) == {"call", "wait", "door"}
    assert (lines["call"].source, lines["call"].measured, lines["call"].met, lines["call"].share_met) == (OWN, 2, 1, 0.5)
    assert lines["wait"].source == OFF and lines["wait"].standard is None and lines["wait"].share_met is None
    assert lines["door"].source == OWN
    assert standard_lines(data.catalog, {"call": RINGS}, None, "en")[0].source == DEFAULT
