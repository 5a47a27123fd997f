"""Charts sent as Vega-Lite specs (audit/ui/chart_specs.py): exactly what ``st.altair_chart`` sends, minus the re-validation."""

from __future__ import annotations

from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
from test_charts import data

from audit.charts import heatmap_chart, reaction_chart
from audit.ipa_chart import ipa_chart
from audit.scoring import analyse, summarise
from audit.ui.chart_specs import vega_spec


def test_a_converted_chart_is_the_spec_and_data_streamlit_would_send() -> None:
    result = analyse(data(), "mean")
    for chart in (ipa_chart(result.scores, result.crosshair_point, "en", "en", view="both"), heatmap_chart(result.scores, "en", "stage"),
                  reaction_chart(summarise(result.scores, "category"), "en")):
        theirs = _convert_altair_to_vega_lite_spec(chart)
        ours = vega_spec(chart).fresh()
        assert {k: v for k, v in ours.items() if k != "datasets"} == {k: v for k, v in theirs.items() if k != "datasets"}
        assert sorted(ours["datasets"].values()) == sorted(theirs["datasets"].values())  # the same Arrow bytes


def test_each_drawing_gets_its_own_spec_dict() -> None:
    """Streamlit moves the data sets out of the dict it is given: a kept chart hands out a fresh one each time."""
    result = analyse(data(), "mean")
    kept = vega_spec(ipa_chart(result.scores, result.crosshair_point, "en", "en"))
    first = kept.fresh()
    del first["datasets"]
    assert kept.fresh()["datasets"] and kept.fresh() is not kept.fresh()
