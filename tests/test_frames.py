"""The analysis' table builder: columns keep their numpy dtypes, text stays ``object`` unless asked for, bad shapes refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from audit.frames import frame, looked_up, position_map, positions


def test_numbers_keep_their_dtype_and_text_stays_object() -> None:
    index = pd.Index(["a", "b"], name="touchpoint_id", dtype=object)
    table = frame({"n": np.array([1, 2]), "x": np.array([0.5, np.nan]), "ok": np.array([True, False]),
                   "name": ["one", "two"], "maybe": np.array(["x", None], dtype=object)}, index)
    assert list(table.columns) == ["n", "x", "ok", "name", "maybe"]
    assert [str(t) for t in table.dtypes] == ["int64", "float64", "bool", "object", "object"]
    assert table.index is index
    assert table.loc["b", "maybe"] is None and np.isnan(table.loc["b", "x"])
    pd.testing.assert_frame_equal(table, pd.DataFrame({"n": [1, 2], "x": [0.5, np.nan], "ok": [True, False],
                                                       "name": pd.Series(["one", "two"], dtype=object),
                                                       "maybe": pd.Series(["x", None], dtype=object)}).set_axis(index))


def test_text_columns_get_pandas_text_dtype_as_an_assignment_would() -> None:
    values = np.array(["journey", ""], dtype=object)
    table = frame({"breaks": values, "other": values}, text=("breaks",))
    expected = pd.DataFrame({"other": values}, dtype=object)
    expected.insert(0, "breaks", values)
    pd.testing.assert_frame_equal(table, expected)
    assert table["other"].dtype == object and table["breaks"].dtype != object


def test_dates_and_defaults() -> None:
    days = np.array(["2025-03-01", "2025-03-02"], dtype="datetime64[D]")
    table = frame({"day": days})
    pd.testing.assert_frame_equal(table, pd.DataFrame({"day": pd.Series(days)}))
    assert isinstance(table.index, pd.RangeIndex)
    assert frame({}).empty and len(frame({}, pd.Index(["a"]))) == 1


def test_columns_of_other_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="'b': 1 values, 2 expected"):
        frame({"a": np.arange(2), "b": [1]})
    with pytest.raises(ValueError, match="'a': 2 values, 3 expected"):
        frame({"a": np.arange(2)}, pd.RangeIndex(3))


def test_positions() -> None:
    index = pd.Index(["a", "b", "c"], dtype=object)
    assert positions(np.array(["c", "x", "a", "c"], dtype=object), index).tolist() == [2, -1, 0, 2]
    assert positions(np.zeros(0, dtype=object), index).tolist() == []


def test_positions_from_a_position_map_are_the_index_positions() -> None:
    index = pd.Index(["tp-b", "tp-a", "tp-c"], name="touchpoint_id", dtype=object)
    where = position_map(index)
    assert where == {"tp-b": 0, "tp-a": 1, "tp-c": 2}
    ids = np.array(["tp-c", "gone", "tp-b", "tp-c"], dtype=object)
    assert positions(ids, where).tolist() == positions(ids, index).tolist() == [2, -1, 0, 2]
    assert looked_up(["tp-a", "x"], where).tolist() == [1, -1]
    assert looked_up([], where).dtype == np.int64


def test_columns_of_one_dtype_keep_their_places_and_values() -> None:
    text = np.array(["a", "b", "c"], dtype=object)
    strided = np.arange(6).reshape(3, 2)[:, 1]  # a column of a wider table
    table = frame({"x": np.arange(3.0), "n": strided, "y": np.ones(3), "t": text, "k": np.zeros(3, dtype=bool)})
    assert list(table.columns) == ["x", "n", "y", "t", "k"]
    assert table["n"].tolist() == [1, 3, 5] and table["x"].tolist() == [0.0, 1.0, 2.0]
    assert [str(t) for t in table.dtypes] == ["float64", "int64", "float64", "object", "bool"]
    assert table["y"].tolist() == [1.0, 1.0, 1.0] and table["t"].tolist() == ["a", "b", "c"]


def test_pick_is_numpy_select_of_texts() -> None:
    from audit.frames import pick

    first, second = np.array([True, False, False, True]), np.array([True, True, False, False])
    chosen = pick([first, second], ["one", "two"], "")
    assert chosen.dtype == object and chosen.tolist() == ["one", "two", "", "one"]
    assert chosen.tolist() == np.select([first, second], ["one", "two"], "").tolist()
    assert pick([np.zeros(0, dtype=bool)], ["x"], "y").tolist() == []
