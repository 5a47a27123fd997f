"""The floor of the plan's words, for ``python -m audit bench``.

The plan (:func:`audit.plan.propose_plan`) writes a sentence and an evidence text of eight to twelve lines for
every action: at 1,000 touchpoints x 100 raters, some 840 actions and half a megabyte of text. Whatever the
implementation, that text has to be written, so the bench measures the least it can cost in Python: one
f-string per action in English, its numbers formatted by the f-string itself, from values already taken out
of the scores as Python lists, with the quotes and the competitor words ready. No language file, no picking of
quotes, no checks, no :class:`audit.model.Action` records. What the plan costs above this is the work a real
plan does; the numbers (``analyse``) plus this floor is the least an analysis that words its plan can take.

:func:`word_inputs` prepares the values (untimed); :func:`words_floor` is the timed part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from audit.languages import text_column
from audit.model import Action
from audit.scoring import Analysis

_NUMBERS = ("raters", "importance_mean", "importance_median", "positive", "neutral", "negative", "disagreement",
            "presence_have", "presence_missing", "presence_not_needed", "shopper_n", "shopper_negative",
            "shopper_performance", "standard_met", "standard_measured", "priority", "priority_base", "priority_shoppers",
            "priority_competitors", "priority_standard", "priority_missing", "priority_chain")
_QUOTE_LINES = ("Team comments: ", "Shoppers wrote: ")


@dataclass(frozen=True)
class WordInputs:
    """Per action, in plan order: its touchpoint's name, numbers, standard, journeys, competitors and quotes."""

    names: list[str]
    numbers: dict[str, list[float]]
    standards: list[str]
    chains: list[str]
    competitors: list[str]
    comments: list[str]
    shopper_quotes: list[str]


def word_inputs(analysis: Analysis, actions: Sequence[Action]) -> WordInputs:
    """What :func:`words_floor` writes from, for the touchpoints of ``actions`` (quotes as the plan picked them)."""
    ids = [a.touchpoint_id for a in actions]
    rows = analysis.scores.loc[ids]
    gaps = analysis.competitor_gaps
    compared: dict[str, list[str]] = {}
    for tp_id, competitor, versus in zip(gaps["touchpoint_id"], gaps["competitor"], gaps["versus"], strict=True):
        compared.setdefault(tp_id, []).append(f"{competitor} {versus}")
    quotes = [[_quoted(a.evidence, start) for a in actions] for start in _QUOTE_LINES]
    return WordInputs(
        names=rows[text_column("name", "en")].astype(str).tolist(),
        numbers={c: rows[c].astype(float).fillna(0.0).tolist() for c in _NUMBERS},
        standards=rows["standard"].fillna("").astype(str).tolist(),
        chains=rows["breaks_chain"].fillna("").astype(str).tolist(),
        competitors=["; ".join(compared.get(i, ())) for i in ids],
        comments=quotes[0], shopper_quotes=quotes[1])


def _quoted(evidence: str, start: str) -> str:
    """The quotes of the evidence line that begins with ``start`` (``""`` without one)."""
    return next((line[len(start):] for line in evidence.splitlines() if line.startswith(start)), "")


def words_floor(inputs: WordInputs) -> list[tuple[str, str]]:
    """Every action's sentence and evidence, one f-string per line, as little work as the words allow."""
    n = inputs.numbers
    out = []
    for i, name in enumerate(inputs.names):
        raters, negative, shoppers = n["raters"][i], n["negative"][i], n["shopper_n"][i]
        what = f"Work on “{name}”: most team reactions are negative ({negative:.0f} of {raters:.0f}); fix what customers meet."
        lines = [f"Team: {raters:.0f} rater(s); importance {n['importance_mean'][i]:.1f} (median {n['importance_median'][i]:g}); "
                 f"reactions {n['positive'][i]:.0f} positive / {n['neutral'][i]:.0f} neutral / {negative:.0f} negative; "
                 f"disagreement {n['disagreement'][i]:.2f}."]
        if n["presence_missing"][i] or n["presence_not_needed"][i]:
            lines.append(f"Presence: {n['presence_have'][i]:.0f} have / {n['presence_missing'][i]:.0f} missing / "
                         f"{n['presence_not_needed'][i]:.0f} not needed.")
        if shoppers:
            lines.append(f"Shoppers: {n['shopper_negative'][i]:.0f} of {shoppers:.0f} observations negative "
                         f"(performance {n['shopper_performance'][i]:+.2f}).")
        if inputs.competitors[i]:
            lines.append(f"Competitors: {inputs.competitors[i]}.")
        if inputs.standards[i] and n["standard_measured"][i]:
            lines.append(f"Standard {inputs.standards[i]}: met {n['standard_met'][i]:.0f} of {n['standard_measured'][i]:.0f}.")
        if inputs.chains[i]:
            lines.append(f"Journey breaks here: “{inputs.chains[i]}”.")
        parts = [f"{label} {n[column][i]:.1f}" for column, label in _PARTS if n[column][i] > 0]
        lines.append(f"Priority {n['priority'][i]:.1f} = {' + '.join(parts) or '0'}.")
        if inputs.comments[i]:
            lines.append(f"Team comments: {inputs.comments[i]}")
        if inputs.shopper_quotes[i]:
            lines.append(f"Shoppers wrote: {inputs.shopper_quotes[i]}")
        out.append((what, "\n".join(lines)))
    return out


_PARTS = (("priority_base", "importance x shortfall"), ("priority_shoppers", "shoppers"), ("priority_competitors", "competitors"),
          ("priority_standard", "standard"), ("priority_missing", "missing must-have"), ("priority_chain", "broken chain"))
