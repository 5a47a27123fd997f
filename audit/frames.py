"""Building the analysis' DataFrames with text columns kept as plain Python objects.

pandas 3 turns every column of strings into its own string dtype when a
DataFrame is built, which costs more than the whole computation of a small
table. The analysis builds dozens of small tables per run, so text columns
stay ``object``; numeric, boolean and date numpy arrays keep their dtypes.

The frames are assembled from their columns as blocks (pandas' public
``pandas.api.internals.create_dataframe_from_blocks``): the number columns
of one dtype stacked into one block, as ``pd.DataFrame`` of a dict of arrays
stacks them, each text column a block of its own. No Series per column, no
alignment of their indexes, no type inference (several times faster for the
70 columns of the scores).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.internals import create_dataframe_from_blocks

_KEPT = frozenset(np.dtype(kind) for kind in (bool, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                                              np.float16, np.float32, np.float64))  # numpy dtypes a column keeps as they are


def _column(values: Any, text: bool) -> Any:
    """One column's array as a block takes it: a kept numpy array, pandas' text array, or an object array."""
    if isinstance(values, pd.Series):
        values = values.to_numpy()
    if isinstance(values, np.ndarray) and values.dtype in _KEPT and not text:
        return values
    if text or (isinstance(values, np.ndarray) and values.dtype.kind == "M"):
        # the dtype pandas infers, as a DataFrame's setitem does (its text dtype for strings; dates in its own units)
        series = pd.Series(values, copy=False)
        return series.to_numpy() if isinstance(series.dtype, np.dtype) and series.dtype.kind != "M" else series.array
    return np.asarray(values, dtype=object)


def frame(columns: Mapping[str, Any], index: pd.Index | None = None, *, text: Collection[str] = ()) -> pd.DataFrame:
    """A DataFrame from equal-length columns without string inference.

    A numpy array of numbers, booleans or dates keeps its dtype; anything
    else (lists, text arrays, arrays with ``None``) becomes an ``object``
    column, except the columns named in ``text``, which get the dtype pandas
    infers for them (its text dtype for strings). ``index`` defaults to a
    ``RangeIndex``. Columns of different lengths raise ``ValueError``.
    """
    if not columns:
        return pd.DataFrame(index=index)
    arrays = [_column(values, name in text) for name, values in columns.items()]
    length = len(index) if index is not None else len(arrays[0])
    for name, values in zip(columns, arrays, strict=True):
        if values.ndim != 1 or len(values) != length:
            raise ValueError(f"column {name!r}: {len(values)} values, {length} expected (one per row)")
    return create_dataframe_from_blocks(_blocks(arrays), pd.RangeIndex(length) if index is None else index, _names(list(columns)))


_TEXT = pd.Index(["name"]).dtype  # the dtype pandas gives an index of strings (its text dtype)


def _names(names: list[Any]) -> pd.Index:
    """The columns' index, as ``pd.DataFrame`` makes it (told the dtype when every name is a string: no inference)."""
    return pd.Index(names, dtype=_TEXT) if all(type(name) is str for name in names) else pd.Index(names)


def _blocks(arrays: Sequence[Any]) -> list[tuple[Any, np.ndarray]]:
    """The columns as pandas' blocks: the number and boolean columns of each dtype stacked into one 2-D block (a
    small copy, and each block costs pandas more than the copy), every other column a block of its own (a view:
    copying text would touch every object)."""
    kinds: dict[np.dtype[Any], list[int]] = {}
    blocks: list[tuple[Any, np.ndarray]] = []
    for k, values in enumerate(arrays):
        if isinstance(values, np.ndarray) and values.dtype in _KEPT:
            kinds.setdefault(values.dtype, []).append(k)
        elif isinstance(values, np.ndarray):
            blocks.append((values.reshape(1, -1), np.array([k], dtype=np.intp)))
        else:
            blocks.append((values, np.array([k], dtype=np.intp)))
    for dtype, where in kinds.items():
        stacked = np.empty((len(where), len(arrays[where[0]])), dtype=dtype)
        for row, k in enumerate(where):
            stacked[row] = arrays[k]
        blocks.append((stacked, np.array(where, dtype=np.intp)))
    return blocks


def pick(conditions: Sequence[np.ndarray], choices: Sequence[str], default: str) -> np.ndarray:
    """``np.select(conditions, choices, default)`` of texts as an ``object`` array: the first choice whose condition
    holds, per row (the texts are not copied into a numpy string array and back)."""
    labels = np.array([*choices, default], dtype=object)
    return labels[np.select(list(conditions), list(range(len(choices))), len(choices))]


def position_map(index: pd.Index | np.ndarray) -> dict[Any, int]:
    """Each label's position in an index (or array) of distinct labels (the catalog's touchpoint ids).

    Built once per analysis, it finds the positions of a few thousand ids faster than ``index.get_indexer``,
    which first converts the ids it is given to pandas' string dtype.
    """
    return dict(zip(index.tolist(), range(len(index)), strict=True))


def looked_up(ids: Sequence[Any] | np.ndarray, where: Mapping[Any, int]) -> np.ndarray:
    """The position of each id in ``where`` (-1: not there)."""
    get = where.get
    values = ids.tolist() if isinstance(ids, np.ndarray) else ids
    return np.array([get(i, -1) for i in values], dtype=np.int64) if len(values) else np.zeros(0, dtype=np.int64)


def positions(ids: np.ndarray, index: pd.Index | Mapping[Any, int]) -> np.ndarray:
    """The position in ``index`` (an index of distinct labels, or its :func:`position_map`) of every id (-1: not
    there), hashing each distinct id once.

    ``index.get_indexer(ids)`` on a long object array first turns it into
    pandas' string dtype; factorizing and looking up the distinct ids is
    several times faster.
    """
    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    if isinstance(index, Mapping):
        return looked_up(ids, index)
    codes, uniques = pd.factorize(ids)
    return index.get_indexer(uniques)[codes]
