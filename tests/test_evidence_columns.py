"""The evidence columns the analysis builds from arrays: the same with the analysis' shortcuts as without them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit.evidence import gap_columns, gap_table, standard_columns
from audit.frames import frame, position_map
from audit.model import CompetitorNote, Standard


def test_standards_found_through_a_position_map_are_the_same() -> None:
    index = pd.Index(["a", "b", "c", "d"], name="touchpoint_id", dtype=object)
    standards = {  # "gone" is not in the catalog; "d" has a standard nobody measured
        "b": Standard({"en": "minutes"}, {"en": "min"}, "<=", 5), "gone": Standard({"en": "rings"}, {"en": ""}, "<", 3),
        "d": Standard({"en": "smiles"}, {"en": ""}, ">=", 1),
    }
    measurements = np.array([4.0, 6.0, np.nan, 2.0, 1.0, 7.0])
    pos = np.array([1, 1, 1, -1, 0, 1])  # the last measurement at b misses; one at a touchpoint outside the catalog
    plain = standard_columns(standards, measurements, pos, index, "en")
    quick = standard_columns(standards, measurements, pos, index, "en", position_map(index))
    pd.testing.assert_frame_equal(frame(quick, index), frame(plain, index), check_exact=True)
    assert plain["standard_status"].tolist() == ["", "not met", "", "not measured"]
    assert plain["standard_measured"].tolist() == [0, 3, 0, 0] and plain["standard_not_met"].tolist() == [0, 2, 0, 0]
    assert plain["standard"].tolist()[1] == "minutes <= 5 min"


def test_gaps_from_given_factors_are_the_gaps_of_the_ids() -> None:
    notes = [CompetitorNote("au", "Beta", "b", "better", borrow="their greeting"), CompetitorNote("au", "Alpha", "a", "same")]
    tp = np.array(["b", "a", "b", "a", "c", "b"], dtype=object)
    target = np.array(["", "", "Alpha", "Alpha", "Beta", "Beta"], dtype=object)
    score = np.array([1.0, -1.0, -1.0, 1.0, 0.0, 1.0])
    # factors as the visit table keeps them: codes of every observation, distinct ids including one seen nowhere here
    uniques = np.array(["x", "b", "a", "c"], dtype=object)
    codes = np.array([1, 2, 1, 2, 3, 1], dtype=np.int32)
    plain = gap_table(notes, tp, target, score)
    given = frame(gap_columns(notes, tp, target, score, (codes, uniques)))
    pd.testing.assert_frame_equal(given, plain, check_exact=True)
    assert list(zip(plain["touchpoint_id"], plain["competitor"], plain["versus"], plain["source"], strict=True)) == [
        ("a", "Alpha", "same", "note"), ("b", "Alpha", "worse", "shoppers"), ("b", "Beta", "better", "note"),
    ]


def test_each_comparison_of_a_standard() -> None:
    from audit.evidence import standards_met

    standards = {k: Standard({"en": "m"}, {"en": ""}, op, 5) for k, op in zip("abcde", ("<=", "<", ">=", ">", "=="), strict=True)}
    ids = np.array([k for k in "abcde" for _ in range(3)] + ["x", "a"], dtype=object)
    values = np.array([4.0, 5.0, 6.0] * 5 + [1.0, np.nan])
    met = standards_met(standards, ids, values)
    assert met[:15].tolist() == [1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0]
    assert np.isnan(met[15:]).all()  # no standard; no value
