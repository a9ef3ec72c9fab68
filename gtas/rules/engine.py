"""The rule engine: saves rules as versions, evaluates the rules in force over travellers in bulk, scores, back-tests.

Evaluation is indexed: each rule is filed under one "anchor" condition of its top-level AND (an ``equals``, ``in`` or
``in_reference_list`` on some field), so a traveller is only tested against the rules whose anchor his facts can
satisfy, plus the rules without an anchor. Results are plain values, ready to be persisted as hits:
``RuleResult(traveller_id, rule_version_id, explanation …)``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from gtas.model import Flight, ReferenceList, RiskBand, Rule, RuleVersion, Traveller
from gtas.model.base import utcnow
from gtas.rules.catalogue import Operator
from gtas.rules.conditions import (
    Condition,
    Facts,
    Node,
    ReferenceItems,
    compile_tree,
    evaluate,
    normalise_fact,
    parse,
)
from gtas.rules.facts import build_facts
from gtas.rules.rescreen import request_rescreen
from gtas.settings import Bands

MAX_BACKTEST_DAYS = 366


# --- rules in force ---

@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule's current version, parsed and ready to evaluate."""

    rule_id: int
    rule_version_id: int
    key: str
    version: int
    title: str
    weight: float
    severity: str
    tree: Node
    test: Callable[[Facts], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "test", compile_tree(self.tree))


@dataclass(frozen=True, slots=True)
class BrokenRule:
    """A rule in force whose conditions no longer validate (e.g. a reference list it names was deleted)."""

    key: str
    version: int
    error: str


def reference_lists(session: Session) -> dict[str, ReferenceItems]:
    """Every reference list, by name, as conditions use them."""
    return {r.name: ReferenceItems(str(r.kind), frozenset(r.items)) for r in session.scalars(select(ReferenceList))}


def rules_in_force(session: Session, at: datetime | None = None) -> tuple[list[CompiledRule], list[BrokenRule]]:
    """The enabled rules valid at ``at`` (default now) in their current version, and those that fail to parse."""
    at = at or utcnow()
    lists = reference_lists(session)
    current = and_(RuleVersion.rule_id == Rule.id, RuleVersion.number == Rule.version)
    rows = session.execute(select(Rule, RuleVersion).join(RuleVersion, current).where(Rule.enabled.is_(True))
                           .order_by(Rule.id)).all()
    compiled: list[CompiledRule] = []
    broken: list[BrokenRule] = []
    for rule, version in rows:
        if (rule.valid_from and rule.valid_from > at) or (rule.valid_until and rule.valid_until <= at):
            continue
        try:
            tree = parse(version.conditions, lists)
        except ValueError as exc:
            broken.append(BrokenRule(rule.key, version.number, str(exc)))
            continue
        compiled.append(CompiledRule(rule.id, version.id, rule.key, version.number, rule.title, rule.weight,
                                     str(rule.severity), tree))
    return compiled, broken


# --- evaluation ---

@dataclass(frozen=True, slots=True)
class RuleResult:
    """A rule that fired for a traveller: what to persist as a hit."""

    traveller_id: int
    rule_id: int
    rule_version_id: int
    weight: float
    severity: str
    explanation: dict[str, Any]

    @property
    def cause_key(self) -> str:
        """The hit's cause, the same for every version of the rule (Hit.cause_key)."""
        return f"rule:{self.rule_id}"


_ANCHORS = (Operator.EQUALS, Operator.IN, Operator.IN_REFERENCE_LIST)


def _anchor(tree: Node) -> Condition | None:
    """The most selective equals / in condition every match must satisfy, if the tree has one at its top."""
    members = [tree] if isinstance(tree, Condition) else list(tree.children) if tree.kind == "and" else []
    candidates = [m for m in members if isinstance(m, Condition) and m.operator in _ANCHORS]
    return min(candidates, key=lambda c: 1 if c.operator is Operator.EQUALS else len(c.value), default=None)


class RuleIndex:
    """Rules filed by their anchor's field and values, so that each traveller meets only the rules he may match."""

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.rules = list(rules)
        self.always: list[int] = []
        self.by_field: dict[str, tuple[Condition, dict[Any, list[int]]]] = {}
        for position, rule in enumerate(self.rules):
            anchor = _anchor(rule.tree)
            if anchor is None:
                self.always.append(position)
                continue
            _, values = self.by_field.setdefault(anchor.field.key, (anchor, defaultdict(list)))
            for value in ({anchor.value} if anchor.operator is Operator.EQUALS else anchor.value):
                values[value].append(position)

    def candidates(self, facts: Facts) -> list[int]:
        """Positions of the rules worth evaluating for these facts, in rule order."""
        found = set(self.always)
        for key, (anchor, values) in self.by_field.items():
            fact = facts.get(key)
            if fact is None:
                continue
            for value in (fact if anchor.field.multi else (fact,)):
                if value is not None and (hit := values.get(normalise_fact(anchor.field.type, value))):
                    found.update(hit)
        return sorted(found)


def evaluate_rules(rules: Sequence[CompiledRule] | RuleIndex, facts: Mapping[int, Facts]) -> list[RuleResult]:
    """Every (traveller, rule) that fires, with the explanation a hit stores."""
    index = rules if isinstance(rules, RuleIndex) else RuleIndex(rules)
    results: list[RuleResult] = []
    for traveller_id, traveller_facts in facts.items():
        for position in index.candidates(traveller_facts):
            rule = index.rules[position]
            if rule.test(traveller_facts):
                results.append(RuleResult(traveller_id, rule.rule_id, rule.rule_version_id, rule.weight,
                                          rule.severity, _explanation(rule, traveller_facts)))
    return results


def _explanation(rule: CompiledRule, facts: Facts) -> dict[str, Any]:
    return {"rule": rule.key, "version": rule.version, "title": rule.title, "weight": rule.weight,
            "conditions": evaluate(rule.tree, facts).explanation}


# --- scores ---

@dataclass(frozen=True, slots=True)
class Risk:
    score: float
    band: RiskBand


def risk_scores(traveller_ids: Iterable[int], results: Iterable[RuleResult], bands: Bands,
                watchlisted: Iterable[int] = ()) -> dict[int, Risk]:
    """Each traveller's score (sum of the weights of the rules that fired for him) and band."""
    scores: dict[int, float] = dict.fromkeys(traveller_ids, 0.0)
    for result in results:
        scores[result.traveller_id] = scores.get(result.traveller_id, 0.0) + result.weight
    listed = set(watchlisted)
    return {tid: Risk(score, bands.band(score, watchlisted=tid in listed)) for tid, score in scores.items()}


@dataclass(frozen=True, slots=True)
class Assessment:
    results: list[RuleResult]
    risks: dict[int, Risk]
    broken: list[BrokenRule]


def assess(session: Session, traveller_ids: Iterable[int], *, watchlisted: Iterable[int] = (),
           bands: Bands | None = None, at: datetime | None = None) -> Assessment:
    """Evaluate the rules in force over these travellers (facts built in bulk) and score them."""
    ids = sorted(set(traveller_ids))
    listed = frozenset(watchlisted)
    rules, broken = rules_in_force(session, at)
    facts = build_facts(session, ids, listed_traveller_ids=listed)
    results = evaluate_rules(rules, facts)
    return Assessment(results, risk_scores(ids, results, bands or Bands.current(session), listed), broken)


# --- back-test ---

@dataclass(frozen=True, slots=True)
class Backtest:
    """What a rule would have done over the travellers of the last days."""

    days: int
    travellers: int
    hits: int
    sample: list[dict[str, Any]]


def backtest(session: Session, tree: Any, days: int = 30, *, sample_size: int = 20,
             now: datetime | None = None) -> Backtest:
    """How many travellers whose flight departed in the last ``days`` days the tree would hit, with a sample.

    The tree is validated first (InvalidConditions names the problems). The sample holds the most recent hits.
    """
    if not 1 <= days <= MAX_BACKTEST_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_BACKTEST_DAYS}, not {days}")
    node = parse(tree, reference_lists(session))
    test = compile_tree(node)
    now = now or utcnow()
    start = now - timedelta(days=days)
    ids = session.scalars(select(Traveller.id).join(Flight, Flight.id == Traveller.flight_id)
                          .where(Traveller.removed_at.is_(None), Flight.departure_utc >= start,
                                 Flight.departure_utc <= now)
                          .order_by(Flight.departure_utc.desc(), Traveller.id)).all()
    hits = 0
    sample: list[dict[str, Any]] = []
    for start_at in range(0, len(ids), 2000):
        chunk = ids[start_at:start_at + 2000]
        facts = build_facts(session, chunk)
        for traveller_id in chunk:
            traveller_facts = facts[traveller_id]
            if not test(traveller_facts):
                continue
            hits += 1
            if len(sample) < sample_size:
                sample.append({"traveller_id": traveller_id, "name": _name(traveller_facts),
                               "flight": traveller_facts["flight.designator"],
                               "departure": traveller_facts["flight.departure"].isoformat(),
                               "conditions": evaluate(node, traveller_facts).explanation})
    return Backtest(days, len(ids), hits, sample)


def _name(facts: Facts) -> str:
    return f"{facts.get('traveller.surname') or ''}/{facts.get('traveller.given_names') or ''}"


# --- saving rules: every edit is a new version ---

DETAIL_FIELDS = ("title", "description", "category", "severity", "weight", "handling", "valid_from", "valid_until",
                 "enabled")


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A rule as authors write it (and rule sets carry it): metadata and a condition tree."""

    key: str
    title: str
    category: str
    severity: str
    weight: float
    conditions: dict[str, Any]
    description: str = ""
    handling: str = ""
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    enabled: bool = True

    def details(self) -> dict[str, Any]:
        """The metadata snapshot a version keeps (JSON)."""
        return {name: _json_value(getattr(self, name)) for name in DETAIL_FIELDS}


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def save_rule(session: Session, spec: RuleSpec, author: str) -> tuple[Rule, str]:
    """Create the rule or give it a new version when anything changed; returns it and added/changed/unchanged.

    The conditions are validated against the catalogue and the reference lists first (InvalidConditions).
    """
    parse(spec.conditions, reference_lists(session))
    rule = session.scalars(select(Rule).where(Rule.key == spec.key)).one_or_none()
    if rule is None:
        rule = Rule(key=spec.key, author=author, version=1)
        session.add(rule)
        status = "added"
    else:
        current = session.scalars(select(RuleVersion).where(RuleVersion.rule_id == rule.id,
                                                            RuleVersion.number == rule.version)).one()
        if _canonical([current.conditions, current.details]) == _canonical([spec.conditions, spec.details()]):
            return rule, "unchanged"
        rule.version += 1
        status = "changed"
    for name in DETAIL_FIELDS:
        setattr(rule, name, getattr(spec, name))
    session.flush()
    session.add(RuleVersion(rule_id=rule.id, number=rule.version, conditions=spec.conditions,
                            details=spec.details(), author=author))
    request_rescreen(session, f"rule {rule.key} {status}: version {rule.version}", by=author)
    return rule, status
