"""Channel economics of advertising touchpoints (optional input per audit).

From the money spent on a channel over one period, the leads (calls, forms,
messages) it brought, the customers who bought and their revenue:

- ``cost_per_lead = spend / leads``
- ``cost_per_customer = spend / customers``
- ``lead_to_customer = customers / leads`` (conversion)
- ``average_ticket = revenue / customers``
- ``net = revenue - spend`` (what is left after the channel's cost)
- ``return_on_spend = revenue / spend`` (revenue per 1 spent; above 1 pays back)
- ``net_return = net / spend`` (the usual ROI as a fraction)

A ratio whose divisor is zero is NaN ("not computable"), never infinity.

Worked example: 90,000 spend -> 54 calls -> 12 buyers at an average ticket
of 9,000 -> revenue 108,000; 18,000 left; 1,666.67 per call, 7,500 per
buyer, return on spend 1.2 (net return 20%).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from babel.numbers import format_decimal, format_percent

from audit.frames import frame
from audit.languages import LANGUAGES
from audit.model import ChannelEconomics

WORKED_EXAMPLE = {"spend": 90_000.0, "leads": 54, "customers": 12, "average_ticket": 9_000.0}  # DOMAIN.md, seed 004

COLUMNS = (
    "name", "wave", "spend", "leads", "customers", "revenue", "cost_per_lead", "cost_per_customer",
    "lead_to_customer", "average_ticket", "net", "return_on_spend", "net_return",
)


def economics_from_ticket(
    touchpoint_id: str, spend: float, leads: int, customers: int, average_ticket: float, wave: int = 1
) -> ChannelEconomics:
    """A record when the revenue is known as customers x average ticket."""
    return ChannelEconomics(touchpoint_id, spend, leads, customers, customers * float(average_ticket), wave)


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    bottom = bottom.astype(float)
    return np.divide(top.astype(float), bottom, out=np.full(len(top), np.nan), where=bottom != 0)


def channel_economics(items: Iterable[ChannelEconomics], names: Mapping[str, str] | pd.Series | None = None) -> pd.DataFrame:
    """One row per advertising touchpoint and wave (index ``touchpoint_id``); see the module doc."""
    items = list(items)
    names = {} if names is None else names
    spend = np.array([i.spend for i in items], dtype=float)
    leads = np.array([i.leads for i in items], dtype=float)
    customers = np.array([i.customers for i in items], dtype=float)
    revenue = np.array([i.revenue for i in items], dtype=float)
    net = revenue - spend
    table = frame(
        {
            "name": [str(names.get(i.touchpoint_id, i.touchpoint_id)) for i in items],
            "wave": np.array([i.wave for i in items], dtype=np.int64),
            "spend": spend,
            "leads": leads.astype(np.int64),
            "customers": customers.astype(np.int64),
            "revenue": revenue,
            "cost_per_lead": _ratio(spend, leads),
            "cost_per_customer": _ratio(spend, customers),
            "lead_to_customer": _ratio(customers, leads),
            "average_ticket": _ratio(revenue, customers),
            "net": net,
            "return_on_spend": _ratio(revenue, spend),
            "net_return": _ratio(net, spend),
        },
        pd.Index([i.touchpoint_id for i in items], name="touchpoint_id", dtype=object),
    )
    return table[list(COLUMNS)]


def _locale(language: str) -> str:
    return language if language in LANGUAGES else "en"


def amount_text(value: float, language: str) -> str:
    """An amount as people read it in ``language``: grouped, at most two decimals (``1,666.67``); ``—`` when not computable."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_decimal(value, format="#,##0.##", locale=_locale(language))


def share_text(value: float, language: str) -> str:
    """A fraction as a percentage with at most one decimal (``20%``); ``—`` when not computable."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_percent(value, format="#,##0.#%", locale=_locale(language))
