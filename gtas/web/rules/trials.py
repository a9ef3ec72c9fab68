"""Trying a rule before it is in force: against one traveller (every condition true or false, with his values) and
finding that traveller by name.

The engine's explanation (``evaluate``) says which conditions decided the result; the trial adds the verdict of every
other condition and group, so an author sees the whole tree against the traveller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gtas.model import Flight, Traveller, User
from gtas.rules.conditions import Condition, Facts, Node, compile_tree, evaluate, parse
from gtas.rules.engine import reference_lists
from gtas.rules.facts import build_facts
from gtas.web.travellers.explain import shown, words

SEARCH_LIMIT = 20


@dataclass(frozen=True, slots=True)
class TrialLine:
    """One node of the tree against the traveller: a group (AND/OR/NOT) or a condition with his value."""

    depth: int
    label: str
    holds: bool
    traveller_value: str = ""
    rule_value: str = ""
    deciding: bool = False  # the engine's explanation names this condition as deciding the result


@dataclass(frozen=True, slots=True)
class Trial:
    """A rule's tree against one traveller."""

    traveller: Traveller
    flight: Flight
    holds: bool
    lines: list[TrialLine]


def _key(condition: dict[str, Any]) -> tuple[str, str, str]:
    return (str(condition.get("field")), str(condition.get("operator")), repr(condition.get("value")))


def _lines(node: Node, facts: Facts, depth: int, deciding: set[tuple[str, str, str]], out: list[TrialLine]) -> None:
    if isinstance(node, Condition):
        fact = facts.get(node.field.key)
        out.append(TrialLine(depth, f"{node.field.label} {words(str(node.operator))}", node.test(fact),
                             shown(fact), shown(node.raw), _key(node.to_json()) in deciding))
        return
    label = {"and": "all of", "or": "any of", "not": "not"}[node.kind]
    out.append(TrialLine(depth, label, compile_tree(node)(facts)))
    for child in node.children:
        _lines(child, facts, depth + 1, deciding, out)


def try_rule(session: Session, conditions: dict[str, Any], traveller: Traveller) -> Trial:
    """The tree against the traveller's facts (built as the assessment builds them); InvalidConditions if broken."""
    node = parse(conditions, reference_lists(session))
    facts = build_facts(session, [traveller.id])[traveller.id]
    evaluation = evaluate(node, facts)
    deciding = {_key(condition) for condition in evaluation.explanation}
    lines: list[TrialLine] = []
    _lines(node, facts, 0, deciding, lines)
    return Trial(traveller, session.get_one(Flight, traveller.flight_id), evaluation.holds, lines)


def find_travellers(session: Session, surname: str, user: User) -> list[tuple[Traveller, Flight]]:
    """Travellers whose surname starts with the text, on the user's airports, latest flights first."""
    rows = session.execute(select(Traveller, Flight).join(Flight, Flight.id == Traveller.flight_id)
                           .where(func.upper(Traveller.surname).startswith(surname.strip().upper(), autoescape=True),
                                  Traveller.removed_at.is_(None))
                           .order_by(Flight.departure_utc.desc(), Traveller.id).limit(SEARCH_LIMIT * 5)).all()
    return [(traveller, flight) for traveller, flight in rows
            if user.covers(flight.origin, flight.destination)][:SEARCH_LIMIT]
