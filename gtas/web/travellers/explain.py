"""A hit's stored explanation as an officer reads it: facts, then one line per condition, field or shared element.

Rule hits list each condition with the traveller's value; watchlist hits the score against the threshold and the
comparison field by field; link hits the shared element and the flagged travellers who share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gtas.model import HitKind

WATCHLIST_FIELDS = ("date_of_birth", "gender", "nationality", "document")


@dataclass(frozen=True, slots=True)
class Line:
    """One row of an explanation: what was compared, the traveller's value, what it was compared with, verdict."""

    label: str
    traveller: str
    reference: str
    verdict: str
    holds: bool | None = None  # whether a rule condition held (None when not a condition)


@dataclass(frozen=True, slots=True)
class Linked:
    """A flagged traveller a link hit points to."""

    traveller_id: int | None
    name: str
    flight: str
    causes: str


@dataclass(slots=True)
class Explanation:
    """Everything a hit says about why it fired."""

    kind: HitKind
    headline: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    columns: tuple[str, str, str, str] = ("", "", "", "")
    lines: list[Line] = field(default_factory=list)
    linked: list[Linked] = field(default_factory=list)


def explain(kind: HitKind, explanation: dict[str, Any]) -> Explanation:
    """The readable form of a hit's explanation."""
    if kind is HitKind.RULE:
        return _rule(explanation)
    if kind is HitKind.WATCHLIST:
        return _watchlist(explanation)
    return _link(explanation)


def shown(value: Any) -> str:
    """A value as text: yes/no, lists joined, nothing as a dash."""
    if value is None or value in ("", []):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def words(name: str) -> str:
    """A field or rule name as words: ``derived.paid_in_cash`` → "paid in cash"."""
    return name.rpartition(".")[2].replace("_", " ")


def _rule(data: dict[str, Any]) -> Explanation:
    title = data.get("title") or data.get("rule") or "unnamed rule"
    result = Explanation(HitKind.RULE, f"Rule “{title}”",
                         [("rule", str(data.get("rule", "—"))), ("version", shown(data.get("version"))),
                          ("weight", shown(data.get("weight")))],
                         ("condition", "traveller's value", "rule's value", "result"))
    for condition in data.get("conditions") or []:
        holds = condition.get("holds")
        label = f"{words(str(condition.get('field', '?')))} {words(str(condition.get('operator', '')))}"
        result.lines.append(Line(label, shown(condition.get("traveller_value")), shown(condition.get("value")),
                                 "holds" if holds else "does not hold", bool(holds)))
    return result


def _watchlist(data: dict[str, Any]) -> Explanation:
    score, threshold = data.get("score"), data.get("threshold")
    result = Explanation(HitKind.WATCHLIST, f"Watchlist “{data.get('watchlist', '?')}”, entry {data.get('entry', '?')}",
                         [("list version", shown(data.get("watchlist_version"))),
                          ("entry", shown(data.get("entry"))), ("category", words(shown(data.get("category")))),
                          ("score", f"{shown(score)} against a threshold of {shown(threshold)}"),
                          ("decided by", words(shown(data.get("decided_by"))))],
                         ("field", "traveller", "entry", "comparison"))
    name = data.get("name")
    if isinstance(name, dict):
        result.lines.append(Line("name", shown(name.get("traveller_name")), shown(name.get("entry_name")),
                                 f"score {shown(name.get('score'))}"))
        for part in name.get("aligned") or []:
            result.lines.append(Line("name part", shown(part.get("traveller")), shown(part.get("entry")),
                                     f"{words(shown(part.get('rule')))}, score {shown(part.get('score'))}"))
        for label, key, side in (("unmatched name part", "unmatched_traveller", 0),
                                 ("unmatched entry name part", "unmatched_entry", 1)):
            for part in name.get(key) or []:
                values = (shown(part), "—") if side == 0 else ("—", shown(part))
                result.lines.append(Line(label, *values, "no counterpart"))
    for key in WATCHLIST_FIELDS:
        compared = data.get(key)
        if isinstance(compared, dict):
            verdict = words(shown(compared.get("rule")))
            if compared.get("adjustment"):
                verdict += f", score {float(compared['adjustment']):+g}"
            result.lines.append(Line(words(key), shown(compared.get("traveller")), shown(compared.get("entry")),
                                     verdict))
    return result


def _link(data: dict[str, Any]) -> Explanation:
    shared = str(data.get("shared", "details"))
    result = Explanation(HitKind.LINK, f"Shares {words(shared)} with a flagged traveller",
                         [("shared", words(shared)), ("value", shown(data.get("value")))])
    for other in data.get("with") or []:
        result.linked.append(Linked(other.get("traveller_id"), shown(other.get("name")), shown(other.get("flight")),
                                    shown(other.get("hits"))))
    return result
