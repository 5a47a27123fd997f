"""Visit rules: dates, empty submissions, locking, photos; nothing stored half-way."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from audit import services
from audit.model import Catalog, Observation, Role, ShopperVisit, Standard, Touchpoint, ValidationError, VisitStatus
from audit.photos import PhotoError
from audit.store import Store, StoreError

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def setup(store: Store):
    catalog = Catalog(
        "c", {"en": "C"},
        (Touchpoint("staff-phone", "staff", {"en": "Phone"}, standard=Standard({"en": "rings"}, {"en": "rings"}, "<=", 3)),
         Touchpoint("office-door", "office", {"en": "Door"})),
    )
    audit, _ = store.create_audit("Shop", catalog, competitors=["Rival"])
    shopper = store.add_participant(audit.id, "Mila", Role.SHOPPER)
    return store, audit, shopper


def visit(audit, shopper, **kw) -> ShopperVisit:
    return ShopperVisit(kw.pop("id", None), audit.id, shopper.id, kw.pop("when", NOW - dt.timedelta(hours=2)), "phone", **kw)


def test_draft_reopen_submit(setup) -> None:
    store, audit, shopper = setup
    draft = services.visits.save_draft(store, visit(audit, shopper), now=NOW)
    [again] = store.visits(audit.id, shopper_id=shopper.id)
    assert again.status is VisitStatus.DRAFT and again.observations == ()
    filled = visit(audit, shopper, id=draft.id, observations=(Observation("staff-phone", "negative", "5 rings", 5),))
    done = services.visits.submit(store, filled, now=NOW)
    [stored] = store.visits(audit.id)
    assert stored.status is VisitStatus.SUBMITTED and stored.observations[0].measurement == 5
    with pytest.raises(StoreError):
        services.visits.save_draft(store, done, now=NOW)


def test_visit_in_the_future_is_refused_and_not_stored(setup) -> None:
    store, audit, shopper = setup
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.visits.save_draft(store, visit(audit, shopper, when=NOW + dt.timedelta(days=1)), now=NOW)
    assert store.visits(audit.id) == []


def test_empty_visit_cannot_be_submitted(setup) -> None:
    store, audit, shopper = setup
    with pytest.raises(ValidationError, match="at least one"):
        services.visits.submit(store, visit(audit, shopper), now=NOW)
    assert store.visits(audit.id) == []


@pytest.mark.parametrize("measurement", ["many", -2, float("nan")])
def test_bad_measurements_are_refused(measurement) -> None:
    with pytest.raises(ValidationError, match="measurement"):
        Observation("staff-phone", "negative", measurement=measurement)


def test_standard_judges_two_rings_met_and_five_not() -> None:
    std = Standard({"en": "rings"}, {"en": "rings"}, "<=", 3)
    assert services.visits.judge(std, 2) is True and services.visits.judge(std, 5) is False and services.visits.judge(std, None) is None


def test_photo_is_checked_before_anything_is_stored(setup) -> None:
    store, audit, shopper = setup
    draft = services.visits.save_draft(store, visit(audit, shopper), now=NOW)
    with pytest.raises(PhotoError):
        services.visits.attach_photo(store, draft, b"PK\x03\x04 not a photo")
    assert store.photos(draft.id) == []
    out = io.BytesIO()
    Image.new("RGB", (30, 20)).save(out, format="PNG")
    services.visits.attach_photo(store, draft, out.getvalue(), "staff-phone")
    [photo] = store.photos(draft.id)
    assert photo["mime"] == "image/png" and photo["touchpoint_id"] == "staff-phone"
