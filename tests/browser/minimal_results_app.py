"""The floor of the results page's speed: a minimal Streamlit page that reads the same ratings raw,
groups them once and draws one Altair chart (used by ``test_results_speed.py``; not part of the app)."""

from __future__ import annotations

import os
import sqlite3

import altair as alt
import pandas as pd
import streamlit as st

connection = sqlite3.connect(os.environ["AUDIT_FLOOR_DB"])
rows = connection.execute(
    "SELECT touchpoint_id, importance, reaction FROM ratings WHERE audit_id = ?", (os.environ["AUDIT_FLOOR_AUDIT"],)
).fetchall()
connection.close()
frame = pd.DataFrame(rows, columns=["touchpoint_id", "importance", "reaction"])
frame["positive"] = frame["reaction"] == "positive"
points = frame.groupby("touchpoint_id").agg(importance=("importance", "mean"), performance=("positive", "mean")).reset_index()
st.title("Floor")
st.altair_chart(alt.Chart(points).mark_circle().encode(x="performance", y="importance", tooltip=["touchpoint_id"]))
