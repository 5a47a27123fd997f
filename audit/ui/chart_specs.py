"""Altair charts sent to the browser as Vega-Lite specs: converted without re-validation, kept per data version.

``st.altair_chart`` converts a chart on every rerun and validates the whole
spec against the Vega-Lite JSON schema each time: at 1,000 touchpoints the
IPA matrix alone took a third of the results page's server time, and every
click (a crosshair switch, a filter) paid it again. The charts of
:mod:`audit.charts` and :mod:`audit.ipa_chart` are validated by their unit
tests (``tests/test_charts.py`` converts them with validation); here they are
converted the way Streamlit does it (no theme of Altair's own, every data set
as Arrow bytes under the hash of its content), minus the validation, and
drawn with ``st.vega_lite_chart``: the same element the browser gets from
``st.altair_chart``.

:func:`draw` keeps a converted chart for every session of the process under
a key that names everything it was drawn from: the audit, its data version
(any write changes it, so a kept chart always belongs to the data shown), the
wave, crosshair, view, filters and languages. Kept values are immutable (a
JSON text and bytes) and bounded (:data:`KEPT`, least recently used first).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import altair as alt
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes
from streamlit.elements.vega_charts import _altair_globals_lock  # Streamlit's own lock around Altair's global settings

KEPT = 96  # converted charts kept for the whole process (the IPA matrix of 1,000 touchpoints: about 100 kB)
TRANSFORMER = "audit_arrow"


@dataclass(frozen=True, slots=True)
class VegaSpec:
    """A chart ready for ``st.vega_lite_chart``: the spec without its data, and the data sets as Arrow bytes."""

    spec: str  # JSON
    datasets: tuple[tuple[str, bytes], ...]

    def fresh(self) -> dict[str, Any]:
        """A new spec dict with its data sets (Streamlit moves them out of the dict it is given)."""
        spec: dict[str, Any] = json.loads(self.spec)
        spec["datasets"] = dict(self.datasets)
        return spec


def _arrow_dataset(data: Any, datasets: dict[str, bytes]) -> dict[str, str]:
    """Altair data transformer: the chart's data as Arrow bytes, named by the hash of those bytes."""
    raw = convert_anything_to_arrow_bytes(data)
    name = hashlib.blake2b(raw, digest_size=16).hexdigest()
    datasets[name] = raw
    return {"name": name}


def vega_spec(chart: Any) -> VegaSpec:
    """``chart`` (any Altair top-level chart) as Streamlit would send it, without validating it again."""
    alt.data_transformers.register(TRANSFORMER, _arrow_dataset)  # a dict entry: registering again changes nothing
    datasets: dict[str, bytes] = {}
    with _altair_globals_lock:  # Altair's theme and transformer are global to every thread
        theme = alt.theme.enable("none") if alt.theme.active == "default" else contextlib.nullcontext()
        with theme, alt.data_transformers.enable(TRANSFORMER, datasets=datasets):
            spec = chart.to_dict(validate=False)
    inline = {name: convert_anything_to_arrow_bytes(rows) for name, rows in (spec.pop("datasets", None) or {}).items()}
    return VegaSpec(json.dumps(spec), tuple({**inline, **datasets}.items()))  # as Streamlit merges them


@st.cache_resource(max_entries=KEPT, show_spinner=False)
def _kept(key: Hashable, _build: Callable[[], Any]) -> VegaSpec:
    return vega_spec(_build())


def draw(build: Callable[[], Any], key: str, kept_as: Hashable | None = None) -> None:
    """Draw the chart ``build()`` makes, full width, as the element ``key``.

    ``kept_as`` names everything the chart is drawn from (data version included): the converted chart is
    kept under it for every session; ``None`` converts it each time.
    """
    spec = vega_spec(build()) if kept_as is None else _kept((key, kept_as), build)
    st.vega_lite_chart(spec=spec.fresh(), width="stretch", key=key)
