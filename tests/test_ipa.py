"""Importance-Performance Analysis: quadrants, crosshair choices, lines, sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from audit.ipa import AUDIT_BOUNDS, crosshair_point, ipa_sensitivity
from audit.scoring import ipa_quadrants

C, K, L, O = "Concentrate here", "Keep up the good work", "Low priority", "Possible overkill"


def items(rows: dict[str, tuple[float, float]]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=["importance", "performance"])


def test_four_quadrants_around_the_mean() -> None:
    # means: importance 5, performance 0
    frame = items({"fix": (8, -0.5), "keep": (9, 0.5), "low": (2, -0.5), "over": (1, 0.5)})
    result = ipa_quadrants(frame)
    assert result.to_dict() == {"fix": C, "keep": K, "low": L, "over": O}
    assert result.name == "quadrant"
    assert crosshair_point(frame) == (5.0, 0.0)


def test_items_exactly_on_the_lines_count_as_high() -> None:
    # mean importance 5, mean performance 0: "on" sits on both lines
    frame = items({"on": (5, 0.0), "x": (9, 0.6), "y": (1, -0.6)})
    assert ipa_quadrants(frame)["on"] == K
    # on the importance line only, low performance -> high importance
    frame = items({"on_imp": (5, -0.3), "x": (9, 0.6), "y": (1, -0.3)})
    assert ipa_quadrants(frame)["on_imp"] == C


def test_on_the_line_despite_floating_point_noise() -> None:
    frame = items({"a": (0.1, 0.1), "b": (0.2, 0.2), "c": (0.3, 0.3)})
    assert np.mean([0.1, 0.2, 0.3]) > 0.2  # 0.20000000000000004: the mean is a hair above b
    assert ipa_quadrants(frame)["b"] == K


def test_median_crosshair() -> None:
    # importance 1, 2, 3, 10 -> median 2.5 (mean 4); performance -1, -0.5, 0.5, 1 -> median 0
    frame = items({"w": (1, -1), "x": (2, 1), "y": (3, -0.5), "z": (10, 0.5)})
    assert crosshair_point(frame, "median") == (2.5, 0.0)
    assert ipa_quadrants(frame, "median").to_dict() == {"w": L, "x": O, "y": C, "z": K}
    assert ipa_quadrants(frame, "mean")["y"] == L  # 3 < mean 4


def test_midpoint_needs_the_scale_bounds() -> None:
    frame = items({"a": (6, -0.1), "b": (5, 0.1)})
    with pytest.raises(ValueError, match="bounds"):
        ipa_quadrants(frame, "midpoint")
    assert crosshair_point(frame, "midpoint", bounds=AUDIT_BOUNDS) == (5.5, 0.0)
    assert ipa_quadrants(frame, "midpoint", bounds=AUDIT_BOUNDS).to_dict() == {"a": C, "b": O}
    # any scale: importance 0-100, performance 1-5 -> lines at 50 and 3
    other = items({"a": (50, 3), "b": (49, 2.9)})
    assert ipa_quadrants(other, "midpoint", bounds=((0, 100), (1, 5))).to_dict() == {"a": K, "b": L}


def test_explicit_crosshair_pair_and_bad_choices() -> None:
    frame = items({"a": (7, 0.2), "b": (6.9, 0.2)})
    assert ipa_quadrants(frame, (7, 0.2)).to_dict() == {"a": K, "b": O}
    assert ipa_quadrants(frame, [7.0, 0.3]).to_dict() == {"a": C, "b": L}
    for bad in ("average", (1,), ("x", "y"), (float("nan"), 0)):
        with pytest.raises(ValueError):
            ipa_quadrants(frame, bad)
    with pytest.raises(ValueError, match="importance and performance"):
        ipa_quadrants(pd.DataFrame({"importance": [1]}))


def test_keeps_any_index_and_marks_unplaced_items() -> None:
    frame = pd.DataFrame({"importance": [8, 2, np.nan, 5], "performance": [-0.5, 0.5, 0.1, np.nan]}, index=[10, 20, 30, 40])
    result = ipa_quadrants(frame)
    assert list(result.index) == [10, 20, 30, 40]
    assert result[30] == "not rated yet" and result[40] == "not rated yet"
    assert result[10] == C and result[20] == O  # the lines use only placed items: 5, 0
    empty = ipa_quadrants(pd.DataFrame({"importance": [np.nan], "performance": [np.nan]}))
    assert list(empty) == ["not rated yet"]
    assert ipa_quadrants(pd.DataFrame({"importance": [], "performance": []})).empty


def test_sensitivity_shows_items_that_change_with_the_crosshair() -> None:
    # mean importance = 4, median 2.5, midpoint 5.5; performance mean 0, median 0, midpoint 0
    frame = items({"w": (1, -1), "x": (2, 1), "y": (3, -0.5), "z": (10, 0.5)})
    table = ipa_sensitivity(frame)
    assert list(table.columns) == ["quadrant_mean", "quadrant_median", "quadrant_midpoint", "changes"]
    assert table.loc["y"].tolist() == [L, C, L, True]
    assert not table.loc["z", "changes"] and not table.loc["w", "changes"]
    assert table["changes"].sum() == 1
    pair = ipa_sensitivity(frame, ["mean", (2.5, 0)])
    assert list(pair.columns) == ["quadrant_mean", "quadrant_2.5,0", "changes"]
    assert pair.loc["y", "changes"]


def test_quadrants_and_lines_of_arrays_are_those_of_the_items() -> None:
    from audit.ipa import line_point, quadrant_arrays, quadrant_columns

    frame = items({"fix": (8, -0.5), "keep": (9, 0.5), "low": (2, -0.5), "over": (1, 0.5), "none": (np.nan, 0.2)})
    imp, perf = frame["importance"].to_numpy(float), frame["performance"].to_numpy(float)
    choices = ["mean", "median", "midpoint", (5.0, 0.0)]
    arrays = quadrant_arrays(imp, perf, choices, AUDIT_BOUNDS)
    assert [a.tolist() for a in arrays] == [c.tolist() for c in quadrant_columns(frame, choices, bounds=AUDIT_BOUNDS)]
    assert arrays[0].tolist() == [C, K, L, O, "not rated yet"] and arrays[0].dtype == object
    for choice in choices:
        assert line_point(imp, perf, choice, AUDIT_BOUNDS) == crosshair_point(frame, choice, bounds=AUDIT_BOUNDS)
    nothing = quadrant_arrays(np.full(2, np.nan), np.zeros(2), ["bogus"], None)  # nothing placed: no line, no error
    assert nothing[0].tolist() == ["not rated yet"] * 2
    with pytest.raises(ValueError, match="unknown crosshair"):
        quadrant_arrays(imp, perf, ["bogus"], None)
