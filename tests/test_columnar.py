"""Columnar loading: an analysis's input read straight into columns holds exactly what the records hold,
gives exactly the same analysis, and builds no record per rating or observation on the way."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from audit.columnar import RatingTable, VisitTable
from audit.model import (
    AuditData,
    Catalog,
    Chain,
    CompetitorNote,
    Observation,
    Rating,
    Role,
    ShopperVisit,
    Standard,
    Touchpoint,
    VisitStatus,
)
from audit.plan import propose_plan
from audit.scoring import analyse
from audit.store import Store

UTC = dt.UTC


def catalog() -> Catalog:
    tps = tuple(
        Touchpoint(f"tp-{i}", ("office", "product", "technology", "staff")[i % 4], {"en": f"Touchpoint {i}"},
                   standard=Standard({"en": "minutes"}, {"en": "min"}, "<=", 5) if i == 2 else None)
        for i in range(6)
    )
    return Catalog("c", {"en": "C"}, tps, (Chain("buy", {"en": "Buy"}, ("tp-0", "tp-1", "tp-2", "tp-3")),))


def filled(store: Store) -> str:
    audit, _ = store.create_audit("Shop", catalog(), competitors=["Rival"])
    people = [store.add_participant(audit.id, name).id for name in ("Ann", "Bo", "Cy")]
    shopper = store.add_participant(audit.id, "Mila", Role.SHOPPER).id
    for i, person in enumerate(people):
        for k in range(6):
            if (i + k) % 5 == 4:
                continue
            store.save_rating(Rating(
                audit.id, person, f"tp-{k}", importance=None if k == 5 else 1 + (i * 3 + k) % 10,
                reaction=(None, "positive", "neutral", "negative")[(i + k) % 4], presence=("have", None, "missing")[k % 3],
                comment="=SUM(A1)" if (i, k) == (1, 2) else ("slow" if k == 1 else ""), idea="greet" if k == 0 else "",
                not_applicable=(i, k) == (2, 3),
            ))
    store.save_rating(Rating(audit.id, people[0], "gone", importance=5, reaction="neutral"))  # not in the catalog
    later = store.save_visit(ShopperVisit(None, audit.id, shopper, dt.datetime(2026, 2, 2, tzinfo=UTC), "phone", observations=(
        Observation("tp-2", "negative", "seven minutes", 7), Observation("tp-0", "positive"))))
    store.save_visit(ShopperVisit(None, audit.id, shopper, dt.datetime(2026, 2, 1, tzinfo=UTC), "in-person", target="Rival",
                                  observations=(Observation("tp-1", "neutral", "ok", None), Observation("tp-2", "positive", "", 3))))
    store.save_visit(ShopperVisit(None, audit.id, shopper, dt.datetime(2026, 2, 3, tzinfo=UTC), "website", status=VisitStatus.DRAFT))
    assert later.id is not None
    store.save_visit(dataclasses.replace(later, status=VisitStatus.SUBMITTED))
    store.review_visit(audit.id, later.id, VisitStatus.ACCEPTED)
    store.save_competitor_note(CompetitorNote(audit.id, "Rival", "tp-3", "better"))
    return audit.id


def as_records(data: AuditData, store: Store) -> AuditData:
    """The same input with the ratings and visits as plain tuples of records (as before columnar loading)."""
    return dataclasses.replace(data, ratings=tuple(store.ratings(data.audit.id, wave=data.audit.wave)),
                               visits=tuple(store.visits(data.audit.id, wave=data.audit.wave)))


def test_loaded_columns_hold_exactly_the_stored_records(store: Store) -> None:
    audit_id = filled(store)
    data = store.load(audit_id)
    assert isinstance(data.ratings, RatingTable) and isinstance(data.visits, VisitTable)
    assert list(data.ratings) == store.ratings(audit_id, wave=1)
    assert data.ratings == tuple(store.ratings(audit_id, wave=1))
    assert list(data.visits) == store.visits(audit_id, wave=1)  # by time, each visit's observations in their order
    assert [len(v.observations) for v in data.visits] == [2, 2, 0]
    assert data.ratings[-1] == store.ratings(audit_id, wave=1)[-1] and data.visits[1:] == store.visits(audit_id, wave=1)[1:]
    with pytest.raises(IndexError):
        data.ratings[len(data.ratings)]


def test_columns_give_exactly_the_same_analysis_and_plan(store: Store) -> None:
    audit_id = filled(store)
    data = store.load(audit_id)
    records = as_records(data, store)
    for crosshair in ("mean", "median", "midpoint"):
        fast, slow = analyse(data, crosshair), analyse(records, crosshair)
        for name in ("scores", "categories", "stages", "chain_links", "chains", "competitor_gaps", "observations", "comments"):
            pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_dtype=True, obj=name)
        today = dt.date(2026, 3, 1)
        assert propose_plan(fast, today=today) == propose_plan(slow, today=today)


def test_tables_from_records_round_trip() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=UTC)
    ratings = (Rating("a", "p", "tp-0", importance=3, reaction="negative", presence="not-needed", comment="x", updated_at=now),
               Rating("a", "q", "tp-1", not_applicable=True, updated_at=now))
    table = RatingTable.of(ratings)
    assert RatingTable.of(table) is table and table == ratings and len(table) == 2
    assert table.reaction.tolist() == [2, -1] and table.presence.tolist() == [2, -1] and np.isnan(table.importance[1])
    visits = (ShopperVisit(1, "a", "s", now, "chat", observations=(Observation("tp-0", "neutral", "", 2.5),)),
              ShopperVisit(2, "a", "s", now, "email"))
    vt = VisitTable.of(visits)
    assert vt == visits and vt.visit.tolist() == [0] and vt.measurement.tolist() == [2.5]
    assert RatingTable.of(()) == () and VisitTable.of(()) == ()


def test_loading_builds_no_record_per_rating_or_observation(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    audit_id = filled(store)
    built = {"ratings": 0, "observations": 0}

    def counting(kind: str, original):  # type: ignore[no-untyped-def]
        def post_init(self) -> None:  # type: ignore[no-untyped-def]
            built[kind] += 1
            original(self)

        return post_init

    monkeypatch.setattr(Rating, "__post_init__", counting("ratings", Rating.__post_init__))
    monkeypatch.setattr(Observation, "__post_init__", counting("observations", Observation.__post_init__))
    data = store.load(audit_id)
    result = analyse(data)
    assert built == {"ratings": 0, "observations": 0}
    assert int(result.scores["raters"].sum()) > 0 and len(result.observations) == 4


def test_touchpoint_positions_from_the_index_or_its_position_map_agree() -> None:
    from audit.frames import position_map

    ratings = [Rating("au", "p", tp, 5) for tp in ("tp-2", "tp-9", "tp-0", "tp-2")]  # tp-9: not in the catalog
    table = RatingTable.from_records(ratings)
    index = pd.Index([tp.id for tp in catalog().touchpoints], dtype=object)
    assert table.touchpoint_positions(index).tolist() == table.touchpoint_positions(position_map(index)).tolist() == [2, -1, 0, 2]
    assert RatingTable.from_records([]).touchpoint_positions(position_map(index)).tolist() == []


def test_a_table_knows_which_ratings_have_a_comment() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=UTC)
    ratings = [Rating("au", "p", "tp-0", 5, comment=c, updated_at=now) for c in ("", "slow door", "", "ok")]
    table = RatingTable.from_records(ratings)
    assert table.commented.tolist() == [False, True, False, True]
    rows = RatingTable.from_rows("au", [("p", "tp-0", 5, 0, -1, False, c, "", 1, now) for c in ("x", "")])
    assert rows.commented.tolist() == [True, False] and RatingTable.from_records([]).commented.tolist() == []
