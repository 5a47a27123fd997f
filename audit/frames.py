"""Building the analysis' DataFrames with text columns kept as plain Python objects.

pandas 3 turns every column of strings into its own string dtype when a
DataFrame is built, which costs more than the whole computation of a small
table. The analysis builds dozens of small tables per run, so text columns
stay ``object``; numeric, boolean and date numpy arrays keep their dtypes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def frame(columns: Mapping[str, Any], index: pd.Index | None = None) -> pd.DataFrame:
    """A DataFrame from equal-length columns without string inference.

    A numpy array of numbers, booleans or dates keeps its dtype; anything
    else (lists, text arrays, arrays with ``None``) becomes an ``object``
    column.
    """
    out: dict[str, pd.Series] = {}
    for name, values in columns.items():
        if isinstance(values, pd.Series):
            values = values.to_numpy()
        if isinstance(values, np.ndarray) and values.dtype.kind in "biufM":
            out[name] = pd.Series(values, index=index, copy=False)
        else:
            out[name] = pd.Series(np.asarray(values, dtype=object), index=index, dtype=object)
    return pd.DataFrame(out, index=index, copy=False) if out else pd.DataFrame(index=index)


def positions(ids: np.ndarray, index: pd.Index) -> np.ndarray:
    """The position in ``index`` of every id (-1: not there), hashing each distinct id once.

    ``index.get_indexer(ids)`` on a long object array first turns it into
    pandas' string dtype; factorizing and looking up the distinct ids is
    several times faster.
    """
    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    codes, uniques = pd.factorize(ids)
    return index.get_indexer(uniques)[codes]
