"""Channel economics and the journeys' funnels (owner): entered by hand or from a CSV file, per wave."""

from __future__ import annotations

from typing import Any

from audit.economics import economics_from_ticket
from audit.economics_import import Parsed, parse_economics_csv
from audit.model import ChannelEconomics, FunnelStep, ValidationError, parse_int
from audit.services.access import guard
from audit.services.evidence import _touchpoint
from audit.services.permissions import Permission
from audit.store import Store

MAX_FUNNEL_STAGES = 100


def _wave(value: Any, current: int) -> int:
    wave = parse_int(current if value is None else value, "wave", 1, 1_000)
    if wave > current:
        raise ValidationError("wave", wave, "wave_started", current=current)
    return wave


def save_economics(
    store: Store, token: str | None, *, touchpoint_id: Any, spend: Any, leads: Any, customers: Any,
    revenue: Any = None, average_ticket: Any = None, wave: Any = None,
) -> ChannelEconomics:
    """One touchpoint's numbers for one wave (default: the current one); revenue, or customers x average ticket."""
    with guard(store, token, Permission.ENTER_ECONOMICS, write=True) as (tx, access):
        tp = _touchpoint(tx, access.audit_id, touchpoint_id)
        at = _wave(wave, tx.get_audit(access.audit_id).wave)
        if revenue is None and average_ticket is None:
            raise ValidationError("revenue", None, "revenue_or_ticket")
        if revenue is None:
            item = economics_from_ticket(tp.id, spend, leads, customers, average_ticket, at)
        else:
            item = ChannelEconomics(tp.id, spend, leads, customers, revenue, at)
        tx.save_economics(access.audit_id, item)
        return item


def delete_economics(store: Store, token: str | None, *, touchpoint_id: Any, wave: Any) -> None:
    with guard(store, token, Permission.ENTER_ECONOMICS, write=True) as (tx, access):
        tp = _touchpoint(tx, access.audit_id, touchpoint_id)
        tx.delete_economics(access.audit_id, _wave(wave, tx.get_audit(access.audit_id).wave), tp.id)


def import_economics_csv(store: Store, token: str | None, data: bytes) -> Parsed:
    """Read a CSV file of economics (:mod:`audit.economics_import`); store every row, or none when any has a problem."""
    with guard(store, token, Permission.ENTER_ECONOMICS, write=True) as (tx, access):
        audit = tx.get_audit(access.audit_id)
        parsed = parse_economics_csv(bytes(data), tx.catalog(access.audit_id), audit.language, audit.wave)
        if not parsed.problems:
            for item in parsed.items:
                tx.save_economics(access.audit_id, item)
        return parsed


def save_funnel(store: Store, token: str | None, *, chain_id: Any, reached: Any) -> list[FunnelStep]:
    """How many customers reached each link of a journey in the current wave (an empty list removes the funnel)."""
    with guard(store, token, Permission.ENTER_ECONOMICS, write=True) as (tx, access):
        chain = {c.id: c for c in tx.catalog(access.audit_id).chains}.get(chain_id) if isinstance(chain_id, str) else None
        if chain is None:
            raise ValidationError("journey", chain_id, "unknown_journey")
        counts = list(reached) if isinstance(reached, (list, tuple)) else None
        if counts is None or (counts and len(counts) != len(chain.links)) or len(counts) > MAX_FUNNEL_STAGES:
            raise ValidationError("reached", reached, "one_per_link", count=len(chain.links))
        wave = tx.get_audit(access.audit_id).wave
        steps = [FunnelStep(chain.id, i, tp, n, wave) for i, (tp, n) in enumerate(zip(chain.links, counts, strict=True))]
        tx.save_funnel(access.audit_id, wave, chain.id, steps)
        return steps
