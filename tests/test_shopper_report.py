"""The shopper's report as plain functions: channel order, routes, local time, observations, photo problems."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from audit.catalog import bundled
from audit.i18n import KEYS
from audit.model import Catalog, Chain, Observation, ShopperVisit, Touchpoint, ValidationError
from audit.photos import MAX_PHOTO_BYTES, PhotoError, check_photo
from audit.shopper_report import (
    channel_fit,
    observation_from_input,
    planned,
    route,
    to_local,
    to_utc,
    touchpoints_for_channel,
    with_observation,
    without_observation,
    zone,
)


def catalog() -> Catalog:
    tps = (
        Touchpoint("office-door", "office", "Door", channels=("offline",)),
        Touchpoint("technology-website-home", "technology", "Home page", group="Website", channels=("online",)),
        Touchpoint("staff-phone-answer-speed", "staff", "Answer speed", group="On the phone", channels=("online", "offline")),
        Touchpoint("technology-online-chat", "technology", "Chat", group="Messengers and chat", channels=("online",)),
        Touchpoint("product-delivery-time", "product", "Delivery time", channels=("offline",)),
    )
    return Catalog("c", "C", tps, (Chain("call", "Call us", ("staff-phone-answer-speed", "office-door")),))


def test_a_phone_call_shows_the_phone_touchpoints_first() -> None:
    order = [(tp.id, fit) for tp, fit in touchpoints_for_channel(catalog(), "phone")]
    assert order[0] == ("staff-phone-answer-speed", 2)
    assert [fit for _, fit in order] == sorted((fit for _, fit in order), reverse=True)
    general = touchpoints_for_channel(bundled("general"), "phone")
    first = [tp.id for tp, fit in general if fit == 2]
    assert {"staff-phone-answer-speed", "technology-ivr", "technology-phone-number"} <= set(first)
    assert not any(i.startswith("office-") for i in first)
    assert len(general) == len(bundled("general").touchpoints)  # nothing is dropped, only ordered


@pytest.mark.parametrize(
    ("channel", "first"),
    [("website", "technology-website-home"), ("chat", "technology-online-chat"), ("delivery", "product-delivery-time"),
     ("in-person", "office-door")],
)
def test_each_channel_puts_its_own_touchpoints_first(channel: str, first: str) -> None:
    tp = catalog().by_id()[first]
    assert channel_fit(tp, channel) == 2
    assert touchpoints_for_channel(catalog(), channel)[0][0].id in {t.id for t, f in touchpoints_for_channel(catalog(), channel) if f == 2}


def test_website_words_do_not_pull_in_the_shop_counter() -> None:
    general = bundled("general").by_id()
    assert channel_fit(general["office-payment-terminal"], "website") < 2
    assert channel_fit(general["technology-checkout"], "website") == 2


def test_a_chain_is_a_scripted_route() -> None:
    assert [tp.id for tp in route(catalog(), "call")] == ["staff-phone-answer-speed", "office-door"]
    with pytest.raises(ValidationError):
        route(catalog(), "nope")


def test_local_time_to_utc_and_back() -> None:
    moment = to_utc(dt.date(2026, 7, 1), dt.time(14, 30), "Europe/Moscow")
    assert moment == dt.datetime(2026, 7, 1, 11, 30, tzinfo=dt.UTC)
    assert to_local(moment, "Europe/Moscow").strftime("%H:%M") == "14:30"
    assert to_utc(dt.date(2026, 7, 1), dt.time(14, 30), None).hour == 14  # no browser zone: UTC
    assert zone("Not/AZone") is dt.UTC
    with pytest.raises(ValidationError):
        to_utc("2026-07-01", dt.time(1), None)


def test_an_observation_needs_a_reaction_and_a_sound_measurement() -> None:
    assert observation_from_input("t", None, "text only", "") is None  # nothing to store yet
    obs = observation_from_input("t", "negative", "5 rings", " 2,5 ")
    assert obs == Observation("t", "negative", "5 rings", 2.5)
    assert observation_from_input("t", "positive", "", "").measurement is None
    for bad in ("abc", "-3", "nan"):
        with pytest.raises(ValidationError) as err:
            observation_from_input("t", "neutral", "", bad)
        assert err.value.field == "measurement"
    with pytest.raises(ValidationError):  # named at once even before the reaction is chosen
        observation_from_input("t", None, "", "many")


def test_observations_are_added_replaced_and_removed_in_place() -> None:
    visit = ShopperVisit(1, "a", "s", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "phone")
    visit = with_observation(visit, Observation("x", "positive"))
    visit = with_observation(visit, Observation("y", "neutral"))
    visit = with_observation(visit, Observation("x", "negative", "changed"))
    assert [(o.touchpoint_id, o.reaction.value) for o in visit.observations] == [("x", "negative"), ("y", "neutral")]
    assert [o.touchpoint_id for o in without_observation(visit, "x").observations] == ["y"]
    cat = Catalog("c", "C", (Touchpoint("x", "office", "X"), Touchpoint("y", "office", "Y"), Touchpoint("z", "office", "Z")))
    assert planned(visit, ["z", "y", "gone", "z"], cat) == ["x", "y", "z"]


def _jpeg(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size).save(out, format="JPEG")
    return out.getvalue()


def test_photo_refusals_name_the_shopper_message() -> None:
    """A refused photo carries the key of the shopper's message (said next to the uploader in their language)."""
    cases = {b"": "shopper.photo_empty", b"MZ\x90\x00" + b"\x00" * 100: "shopper.photo_not_photo",  # a renamed .exe
             b"PK\x03\x04" + b"\x00" * 100: "shopper.photo_not_photo", _jpeg()[:40]: "shopper.photo_unreadable"}
    for data, key in cases.items():
        with pytest.raises(PhotoError) as refused:
            check_photo(data)
        assert refused.value.key == key and refused.value.key in KEYS
    with pytest.raises(PhotoError) as big:
        check_photo(b"\xff\xd8\xff" + b"\x00" * MAX_PHOTO_BYTES)
    assert big.value.key == "shopper.photo_too_big" and big.value.params["limit"] == 8
    assert "8.1 MB; the limit is 8 MB" in str(big.value)  # just over the limit never reads as the limit itself


def test_every_generated_evidence_message_exists_in_both_languages() -> None:
    from audit.i18n import KEYS
    from audit.model import Comparison, Versus, VisitChannel, VisitStatus

    keys = (
        [f"visit_channel.{c.value}" for c in VisitChannel] + [f"visit_status.{s.value}" for s in VisitStatus]
        + [f"versus.{v.value}" for v in Versus] + [f"versus_short.{v.value}" for v in Versus]
        + [f"comparison.{c.name.lower()}" for c in Comparison]
        + [f"shopper.photo_{k}" for k in ("empty", "too_big", "not_photo", "too_many_pixels", "unreadable")]
        + [f"review.do_{s}" for s in ("accepted", "revision", "rejected")] + [f"review.done_{s}" for s in ("accepted", "revision", "rejected")]
        + [f"standards.done_{s}" for s in ("saved", "reset", "off")] + [f"standards.source_{s}" for s in ("own", "catalog", "off")]
        + [f"competitors.source_{s}" for s in ("note", "shoppers")] + [f"page.{p}" for p in ("review", "standards", "competitors")]
    )
    missing = [k for k in keys if k not in KEYS]  # tests/test_locales.py: every language has every key
    assert missing == []
