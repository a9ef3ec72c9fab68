"""The engine: rules in force and their versions, indexed evaluation, scores and bands, back-test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gtas.db import dialect_insert
from gtas.generator import flight_with, paxlst_writer, pnrgov_writer
from gtas.model import Hit, HitKind, ReferenceKind, ReferenceList, RiskBand, Rule, RuleVersion, Traveller
from gtas.rules.conditions import InvalidConditions, holds, parse
from gtas.rules.engine import (
    RuleIndex,
    RuleSpec,
    assess,
    backtest,
    evaluate_rules,
    risk_scores,
    rules_in_force,
    save_rule,
)
from gtas.rules.facts import build_facts
from gtas.settings import Bands
from tests.ingest.helpers import deliver

START = datetime(2026, 3, 1)
NOW = datetime(2026, 3, 10, tzinfo=UTC)


def cond(field: str, operator: str, value: Any) -> dict[str, Any]:
    return {"field": field, "operator": operator, "value": value}


def spec(key: str, conditions: dict[str, Any], weight: float = 10, **details: Any) -> RuleSpec:
    return RuleSpec(key=key, title=key.replace("-", " "), category="test", severity="medium", weight=weight,
                    conditions=conditions, **details)


@pytest.fixture
def loaded(session: Session) -> list[int]:
    """One generated flight (40 passengers in 15 bookings) loaded; the ids of its travellers."""
    flight = flight_with(passengers=40, pnrs=15, seed=9, start=START)
    for message in flight.api:
        for text in paxlst_writer.write(message):
            deliver(session, text)
    deliver(session, pnrgov_writer.write(flight.pnr))
    return list(session.scalars(select(Traveller.id).where(Traveller.removed_at.is_(None))))


def test_every_edit_is_a_new_immutable_version(session: Session) -> None:
    rule, status = save_rule(session, spec("young", cond("traveller.age", "less_than", 25)), "ann")
    assert (status, rule.version, rule.author) == ("added", 1, "ann")
    assert save_rule(session, spec("young", cond("traveller.age", "less_than", 25)), "bob")[1] == "unchanged"
    rule, status = save_rule(session, spec("young", cond("traveller.age", "less_than", 21)), "bob")
    assert (status, rule.version) == ("changed", 2)
    rule, status = save_rule(session, spec("young", cond("traveller.age", "less_than", 21), weight=15), "cy")
    assert (status, rule.version, rule.weight) == ("changed", 3, 15)
    versions = session.scalars(select(RuleVersion).where(RuleVersion.rule_id == rule.id)
                               .order_by(RuleVersion.number)).all()
    assert [(v.number, v.author, v.conditions["value"], v.details["weight"]) for v in versions] == [
        (1, "ann", 25, 10), (2, "bob", 21, 10), (3, "cy", 21, 15)]
    versions[0].conditions = {"and": []}
    with pytest.raises(ValueError, match="immutable"):
        session.flush()
    session.rollback()


def test_invalid_conditions_are_never_saved(session: Session) -> None:
    with pytest.raises(InvalidConditions, match="unknown field"):
        save_rule(session, spec("bad", cond("traveller.religion", "equals", "x")), "ann")
    assert session.scalar(select(Rule).where(Rule.key == "bad")) is None


def test_rules_in_force_respect_enabled_validity_and_broken_lists(session: Session) -> None:
    session.add(ReferenceList(name="hubs", kind=ReferenceKind.AIRPORT, items=["JFK"]))
    session.flush()
    save_rule(session, spec("on", cond("traveller.age", "less_than", 25)), "a")
    save_rule(session, spec("off", cond("traveller.age", "less_than", 25), enabled=False), "a")
    save_rule(session, spec("later", cond("traveller.age", "less_than", 25), valid_from=NOW + timedelta(days=1)), "a")
    save_rule(session, spec("over", cond("traveller.age", "less_than", 25), valid_until=NOW), "a")
    save_rule(session, spec("hubs", cond("flight.origin", "in_reference_list", "hubs")), "a")
    session.execute(delete(ReferenceList))
    rules, broken = rules_in_force(session, NOW)
    assert [r.key for r in rules] == ["on"]
    assert [(b.key, b.version) for b in broken] == [("hubs", 1)] and "no reference list named 'hubs'" in broken[0].error


def test_indexed_evaluation_equals_evaluating_every_rule(session: Session, loaded: list[int]) -> None:
    session.add(ReferenceList(name="home", kind=ReferenceKind.COUNTRY, items=["USA"]))
    session.flush()
    trees = [
        cond("traveller.nationality", "in", ["USA", "GBR", "DEU", "FRA", "IND", "CHN"]),
        {"and": [cond("traveller.gender", "equals", "F"), cond("traveller.age", "between", [20, 40])]},
        {"and": [cond("derived.route_countries", "in_reference_list", "home"), cond("bag.count", "greater_than", 0)]},
        {"or": [cond("derived.paid_in_cash", "equals", True), cond("derived.trip_type", "equals", "open_jaw")]},
        {"not": cond("document.type", "equals", "P")},
        cond("derived.party_size", "greater_than", 3),
        cond("contact.email_domain", "ends_with", ".com"),
    ]
    for n, tree in enumerate(trees):
        save_rule(session, spec(f"r{n}", tree, weight=n + 1), "a")
    rules, _ = rules_in_force(session, NOW)
    facts = build_facts(session, loaded)
    results = evaluate_rules(rules, facts)
    brute = {(tid, rule.rule_id) for tid, f in facts.items() for rule in rules if holds(rule.tree, f)}
    assert {(r.traveller_id, r.rule_id) for r in results} == brute
    assert len({r.rule_id for r in results}) >= 5, "the rules should fire on generated traffic"
    index = RuleIndex(rules)
    assert index.always == [3, 4, 5, 6] and set(index.by_field) >= {"traveller.nationality", "derived.route_countries"}
    first = results[0]
    assert first.explanation["rule"].startswith("r") and first.explanation["conditions"][0]["holds"] is True


def test_scores_and_bands() -> None:
    bands = Bands.parse("high=50, medium=20, low=1")
    assert [bands.band(s) for s in (0, 0.5, 1, 19.9, 20, 49, 50, 500)] == [
        RiskBand.NONE, RiskBand.NONE, RiskBand.LOW, RiskBand.LOW, RiskBand.MEDIUM, RiskBand.MEDIUM, RiskBand.HIGH,
        RiskBand.HIGH]
    assert bands.band(0, watchlisted=True) is RiskBand.HIGH
    for bad in ("high=50,medium=20", "high=10,medium=20,low=1", "high=x,medium=2,low=1", "high=5,medium=2,low=0"):
        with pytest.raises(ValueError, match="GTAS_RISK_BANDS"):
            Bands.parse(bad)


def test_assessment_sums_weights_and_puts_watchlisted_travellers_on_top(
        session: Session, loaded: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GTAS_RISK_BANDS", "high=30,medium=12,low=5")
    save_rule(session, spec("everyone", cond("traveller.role", "equals", "passenger"), weight=5), "a")
    save_rule(session, spec("adults", cond("traveller.age", "greater_than", 17), weight=8), "a")
    save_rule(session, spec("never", cond("traveller.age", "greater_than", 500), weight=100), "a")
    listed = loaded[-1]
    result = assess(session, loaded, watchlisted=[listed], at=NOW)
    facts = build_facts(session, loaded)
    for tid in loaded:
        adult = (facts[tid]["traveller.age"] or 0) > 17
        passenger = facts[tid]["traveller.role"] == "passenger"
        expected = 5 * passenger + 8 * adult
        assert result.risks[tid].score == expected
        band = RiskBand.HIGH if tid == listed else (RiskBand.MEDIUM if expected >= 12 else
                                                    RiskBand.LOW if expected >= 5 else RiskBand.NONE)
        assert result.risks[tid].band is band
    assert {r.rule_version_id for r in result.results} == set(session.scalars(
        select(RuleVersion.id).join(Rule).where(Rule.key.in_(["everyone", "adults"]))))
    assert risk_scores([1], [], Bands(3, 2, 1))[1].band is RiskBand.NONE


def test_backtest_counts_recent_travellers_and_samples_hits(session: Session, loaded: list[int]) -> None:
    tree = {"and": [cond("traveller.role", "equals", "passenger"), cond("traveller.gender", "equals", "F")]}
    facts = build_facts(session, loaded)
    women = sum(1 for f in facts.values() if holds(parse(tree), f))
    report = backtest(session, tree, days=30, sample_size=5, now=NOW)
    assert (report.travellers, report.hits, len(report.sample)) == (len(loaded), women, min(5, women))
    assert all(s["conditions"][1]["traveller_value"] == "F" for s in report.sample)
    assert backtest(session, tree, days=1, now=NOW + timedelta(days=60)).travellers == 0
    with pytest.raises(InvalidConditions):
        backtest(session, cond("traveller.age", "equals", "old"), now=NOW)
    with pytest.raises(ValueError, match="days must be between"):
        backtest(session, tree, days=0)


def test_results_persist_as_one_hit_per_traveller_and_cause(session: Session, loaded: list[int]) -> None:
    def persist(results: list[Any]) -> None:
        table = Hit.__table__
        statement = dialect_insert(session.get_bind().dialect.name, table)  # type: ignore[arg-type]
        rows = [{"traveller_id": r.traveller_id, "kind": HitKind.RULE, "cause_key": r.cause_key,
                 "rule_version_id": r.rule_version_id, "score": r.weight, "severity": r.severity,
                 "explanation": r.explanation, "status": "open", "created_at": NOW, "updated_at": NOW}
                for r in results]
        session.execute(statement.on_conflict_do_update(
            index_elements=["traveller_id", "cause_key"],
            set_={"rule_version_id": statement.excluded.rule_version_id,
                  "explanation": statement.excluded.explanation}), rows)

    save_rule(session, spec("women", cond("traveller.gender", "equals", "F")), "a")
    first = assess(session, loaded, at=NOW).results
    persist(first)
    rule, _ = save_rule(session, spec("women", cond("traveller.gender", "in", ["F"])), "b")
    second = assess(session, loaded, at=NOW).results
    persist(second)
    assert len(first) == len(second) > 0
    assert session.scalar(select(func.count()).select_from(Hit)) == len(first)
    hit = session.scalars(select(Hit)).first()
    assert hit is not None and hit.explanation["version"] == 2 and hit.explanation["conditions"][0]["operator"] == "in"
    assert hit.rule_version_id == session.scalar(select(RuleVersion.id).where(RuleVersion.rule_id == rule.id,
                                                                              RuleVersion.number == 2))
