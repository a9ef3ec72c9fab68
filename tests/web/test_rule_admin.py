"""The rules area: the builder and its validation, versions and their diff, enable/disable, trying and back-testing a
rule, rule sets in and out, statistics on arranged hits, who may do what, CSRF; on both databases."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gtas.model import (
    Airport,
    AuditEvent,
    Disposition,
    DispositionKind,
    Flight,
    Hit,
    HitCategory,
    HitKind,
    Outcome,
    OutcomeKind,
    Rescreen,
    Rule,
    RuleVersion,
    Traveller,
    UserRole,
)
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.parsers.records import Role
from gtas.rules.engine import RuleSpec, save_rule
from gtas.web.rules import statistics
from tests.web.auth_helpers import add_user, enter_session, install_clock, post_form, sign_in_as
from tests.web.conftest import NOW
from tests.web.pages import table_rows

EDITORS = [UserRole.RULE_AUTHOR, UserRole.ADMINISTRATOR]
READERS_ONLY = [UserRole.SUPERVISOR, UserRole.AUDITOR]
OTHERS = [UserRole.OFFICER, UserRole.WATCHLIST_MANAGER]
NESTED = {"and": [{"field": "traveller.nationality", "operator": "in", "value": ["SYR", "YEM"]},
                  {"or": [{"field": "traveller.age", "operator": "between", "value": [18, 40]},
                          {"not": {"field": "derived.paid_in_cash", "operator": "equals", "value": True}}]}]}
ERRORS_JSON = re.compile(r'<script type="application/json" id="rule-errors">(.*?)</script>', re.DOTALL)


def rule_form(conditions: Any = NESTED, **changes: str) -> dict[str, str]:
    """The builder's form as the browser posts it."""
    return {"key": "young-travellers", "title": "Young travellers from two countries", "category": "smuggling",
            "severity": "high", "weight": "25", "description": "", "handling": "Ask about the purpose of travel.",
            "valid_from": "", "valid_until": "", "conditions": json.dumps(conditions), **changes}


def add_rule(sessions: sessionmaker[Session], key: str = "cash", conditions: dict[str, Any] | None = None,
             *, enabled: bool = True) -> int:
    """A rule saved as the engine saves it; returns its id."""
    with sessions.begin() as session:
        rule, _ = save_rule(session, RuleSpec(key=key, title=f"Rule {key}", category="narcotics", severity="medium",
                                              weight=10.0, conditions=conditions or {
                                                  "field": "derived.paid_in_cash", "operator": "equals",
                                                  "value": True}, enabled=enabled), "tester")
        return rule.id


def stored(sessions: sessionmaker[Session], key: str) -> tuple[Rule, list[RuleVersion]]:
    with sessions() as session:
        rule = session.scalars(select(Rule).where(Rule.key == key)).one()
        return rule, list(session.scalars(select(RuleVersion).where(RuleVersion.rule_id == rule.id)
                                          .order_by(RuleVersion.number)))


def audit_events(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def rescreens(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Rescreen)) or 0


def test_a_rule_author_builds_a_nested_rule_saved_disabled_and_audited(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    sign_in_as(app, client, sessions, UserRole.RULE_AUTHOR)
    page = client.get("/rules/new").get_data(as_text=True)
    assert 'id="rule-builder"' in page and "rule_builder.js" in page
    catalogue = json.loads(re.search(r'id="rule-catalogue">(.*?)</script>', page, re.DOTALL)[1])  # type: ignore[index]
    assert {"traveller.nationality", "derived.paid_in_cash"} <= {f["key"] for f in catalogue["fields"]}
    assert next(f for f in catalogue["fields"] if f["key"] == "traveller.gender")["choices"] == ["M", "F", "U", "X"]
    before = rescreens(sessions)
    response = post_form(client, "/rules/new", rule_form(), token_from="/rules/new")
    assert response.status_code == 303
    rule, versions = stored(sessions, "young-travellers")
    assert response.headers["Location"] == f"/rules/{rule.id}"
    assert (rule.enabled, rule.version, rule.severity, rule.weight) == (False, 1, Severity.HIGH, 25.0)
    assert versions[0].conditions == NESTED and versions[0].author == "as-rule_author"
    assert rescreens(sessions) == before + 1
    [event] = audit_events(sessions, "rule.add")
    assert event.before is None and event.after is not None
    assert event.after["conditions"] == NESTED and event.after["title"] == "Young travellers from two countries"
    shown = client.get(f"/rules/{rule.id}").get_data(as_text=True)
    assert "all of\n  Nationality is one of: SYR, YEM\n  any of\n    Age is between (inclusive): 18, 40" in shown
    assert "<title>Hits per week, last 12 weeks:" in shown


@pytest.mark.parametrize(("conditions", "path", "message"), [
    ({"and": [{"field": "traveller.nationality", "operator": "in", "value": ["SYR"]},
              {"or": [{"field": "traveller.shoe_size", "operator": "equals", "value": 1}]}]},
     "and[1].or[0]", "unknown field 'traveller.shoe_size'"),
    ({"and": [{"field": "traveller.age", "operator": "starts_with", "value": "1"}]},
     "and[0]", "operator starts_with is not valid for traveller.age"),
    ({"and": [{"field": "traveller.date_of_birth", "operator": "equals", "value": "31/12/1990"}]},
     "and[0]", "expected a date YYYY-MM-DD"),
    ({"and": []}, "and", "expected a non-empty list of conditions"),
    ({"and": [{"field": "", "operator": "", "value": ""}]}, "and[0]", "no field chosen"),
    ({"and": [{"field": "derived.route_airports", "operator": "in_reference_list", "value": "nowhere"}]},
     "and[0]", "no reference list named 'nowhere'"),
])
def test_condition_errors_are_shown_beside_the_offending_condition(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], conditions: dict[str, Any], path: str,
        message: str) -> None:
    sign_in_as(app, client, sessions, UserRole.RULE_AUTHOR)
    response = post_form(client, "/rules/new", rule_form(conditions), token_from="/rules/new")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = json.loads(ERRORS_JSON.search(page)[1])  # type: ignore[index]
    assert [error["path"] for error in errors] == [path]
    assert message in errors[0]["message"]
    assert f"<code>{path}</code>" in page
    assert 'value="young-travellers"' in page  # the author's input is kept
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Rule)) == 0


@pytest.mark.parametrize(("changes", "message"), [
    ({"weight": "heavy"}, "weight must be a number from 0 to 1000"),
    ({"weight": "5000"}, "weight must be a number from 0 to 1000"),
    ({"key": "Bad Key"}, "key must be 1-100 lower-case letters"),
    ({"title": ""}, "title must be a non-empty text"),
    ({"severity": "apocalyptic"}, "severity must be one of"),
    ({"valid_from": "2030-02-01T00:00", "valid_until": "2030-01-01T00:00"}, "valid_from must be before valid_until"),
    ({"conditions": "{not json"}, "not a readable condition tree"),
    ({"key": "cash"}, "a rule with the key &#39;cash&#39; exists already"),
    ({"category": "gossip"}, "unknown or retired category &#39;gossip&#39; (use one of: fraud, human_trafficking"),
])
def test_bad_rule_details_are_refused_with_the_reason(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], changes: dict[str, str],
        message: str) -> None:
    add_rule(sessions, "cash")
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    form = {**rule_form(), **changes}
    response = post_form(client, "/rules/new", form, token_from="/rules/new")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert (changes.get("conditions") or "Ask about the purpose of travel.") in page  # the author's input is kept
    _, versions = stored(sessions, "cash")
    assert len(versions) == 1


def test_editing_makes_a_new_version_and_the_versions_page_shows_the_difference(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    rule_id = add_rule(sessions, "cash")
    sign_in_as(app, client, sessions, UserRole.RULE_AUTHOR)
    edit = client.get(f"/rules/{rule_id}/edit").get_data(as_text=True)
    assert "derived.paid_in_cash" in edit and "Saving makes version 2" in edit
    form = rule_form(NESTED, title="Rule cash, tightened", weight="40", category="narcotics", severity="medium")
    assert post_form(client, f"/rules/{rule_id}/edit", form, token_from="/rules/new").status_code == 303
    rule, versions = stored(sessions, "cash")
    assert (rule.version, rule.title, rule.weight, rule.enabled) == (2, "Rule cash, tightened", 40.0, True)
    assert [v.conditions for v in versions] == [{"field": "derived.paid_in_cash", "operator": "equals",
                                                 "value": True}, NESTED]
    [event] = audit_events(sessions, "rule.change")
    assert event.before is not None and event.after is not None
    assert (event.before["version"], event.after["version"]) == (1, 2)
    assert (event.before["weight"], event.after["weight"]) == (10.0, 40.0)
    page = client.get(f"/rules/{rule_id}/versions").get_data(as_text=True)
    assert table_rows(page, "rule-diff") == [["title", "Rule cash", "Rule cash, tightened"],
                                             ["weight", "10", "40"], ["handling", "—",
                                                                      "Ask about the purpose of travel."]]
    assert "<del>- Paid in cash equals: yes</del>" in page
    assert "<ins>+   Nationality is one of: SYR, YEM</ins>" in page
    assert "From version 1 to version 2" in page
    same = client.get(f"/rules/{rule_id}/versions?old=2&new=2").get_data(as_text=True)
    assert "The conditions are the same." in same
    assert client.get(f"/rules/{rule_id}/versions?old=3").status_code == 400
    assert client.get(f"/rules/{rule_id}/versions?new=x").status_code == 400
    # saving the same again makes no version
    assert post_form(client, f"/rules/{rule_id}/edit", form, token_from="/rules/new").status_code == 303
    assert stored(sessions, "cash")[0].version == 2


def test_the_builder_offers_managed_categories_and_a_retired_one_only_to_its_rules(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)  # who keeps the categories too
    assert post_form(client, "/admin/categories", {"key": "cash_couriers", "label": "Cash couriers",
                                                   "description": ""}).status_code == 303
    assert '<option value="cash_couriers">Cash couriers</option>' in client.get("/rules/new").get_data(as_text=True)
    created = post_form(client, "/rules/new", rule_form(category="cash_couriers"), token_from="/rules/new")
    assert created.status_code == 303
    rule, _ = stored(sessions, "young-travellers")
    assert rule.category == "cash_couriers"
    assert "<dd>Cash couriers</dd>" in client.get(f"/rules/{rule.id}").get_data(as_text=True)
    with sessions() as session:
        category_id = session.scalars(select(HitCategory.id).where(HitCategory.key == "cash_couriers")).one()
    assert post_form(client, f"/admin/categories/{category_id}", {"label": "Cash couriers",
                                                                  "description": ""}).status_code == 303  # retired
    assert '<option value="cash_couriers">' not in client.get("/rules/new").get_data(as_text=True)
    edit = client.get(f"/rules/{rule.id}/edit").get_data(as_text=True)
    assert '<option value="cash_couriers" selected>Cash couriers</option>' in edit
    kept = post_form(client, f"/rules/{rule.id}/edit", rule_form(category="cash_couriers", weight="30"),
                     token_from="/rules/new")
    assert kept.status_code == 303 and stored(sessions, "young-travellers")[0].version == 2
    refused = post_form(client, "/rules/new", rule_form(key="other-couriers", category="cash_couriers"),
                        token_from="/rules/new")
    assert refused.status_code == 400
    assert "unknown or retired category &#39;cash_couriers&#39;" in refused.get_data(as_text=True)


def test_enabling_and_disabling_are_versions_audited_and_rescreen(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    rule_id = add_rule(sessions, "cash", enabled=False)
    sign_in_as(app, client, sessions, UserRole.RULE_AUTHOR)
    before = rescreens(sessions)
    assert post_form(client, f"/rules/{rule_id}/enable", {}, token_from="/rules/new").status_code == 303
    rule, versions = stored(sessions, "cash")
    assert (rule.enabled, rule.version, versions[-1].details["enabled"]) == (True, 2, True)
    assert "enabled" in table_rows(client.get("/rules").get_data(as_text=True), "rules")[0]
    post_form(client, f"/rules/{rule_id}/enable", {}, token_from="/rules/new")  # already: nothing happens
    assert post_form(client, f"/rules/{rule_id}/disable", {}, token_from="/rules/new").status_code == 303
    rule, _ = stored(sessions, "cash")
    assert (rule.enabled, rule.version) == (False, 3)
    assert rescreens(sessions) == before + 2
    changes = audit_events(sessions, "rule.change")
    assert [(e.before or {}).get("enabled") for e in changes] == [False, True]
    assert [(e.after or {}).get("enabled") for e in changes] == [True, False]
    page = client.get(f"/rules/{rule_id}/versions?old=2&new=3").get_data(as_text=True)
    assert table_rows(page, "rule-diff") == [["enabled", "yes", "no"]]


def test_the_list_shows_each_rule_with_its_state_and_figures(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    add_rule(sessions, "cash")
    add_rule(sessions, "later", enabled=False)
    install_clock(app).now = NOW
    sign_in_as(app, client, sessions, UserRole.AUDITOR)
    rows = table_rows(client.get("/rules").get_data(as_text=True), "rules")
    assert [row[1:] for row in rows] == [
        ["Rule cash cash", "narcotics", "enabled", "1", "medium", "10", "0", "—"],
        ["Rule later later", "narcotics", "disabled", "1", "medium", "10", "0", "—"],
    ]


def arrange_hits(sessions: sessionmaker[Session], rule_id: int, outcomes: list[OutcomeKind | None],
                 decisions: list[DispositionKind | None]) -> list[int]:
    """One hit of the rule per traveller (a day apart before NOW), with the traveller's outcome and the hit's
    decision; returns the hit ids."""
    user_id = add_user(sessions, "inspector", UserRole.OFFICER)
    with sessions.begin() as session:
        version_id = session.scalars(select(RuleVersion.id).where(RuleVersion.rule_id == rule_id)).one()
        travellers = session.scalars(select(Traveller.id).order_by(Traveller.id)
                                     .limit(len(outcomes))).all()
        hits = []
        for day, (traveller_id, outcome, decision) in enumerate(zip(travellers, outcomes, decisions, strict=True)):
            hit = Hit(traveller_id=traveller_id, kind=HitKind.RULE, cause_key=f"rule:{rule_id}",
                      rule_version_id=version_id, score=10.0, severity=Severity.MEDIUM, explanation={},
                      created_at=NOW - timedelta(days=day, hours=1))
            session.add(hit)
            session.flush()
            hits.append(hit.id)
            if outcome is not None:
                session.add(Outcome(traveller_id=traveller_id, kind=OutcomeKind.NOTHING_FOUND, user_id=user_id,
                                    recorded_at=NOW - timedelta(days=30)))
                session.add(Outcome(traveller_id=traveller_id, kind=outcome, user_id=user_id, recorded_at=NOW))
            if decision is not None:
                session.add(Disposition(hit_id=hit.id, kind=DispositionKind.NO_ACTION, user_id=user_id,
                                        decided_at=NOW - timedelta(days=30)))
                session.add(Disposition(hit_id=hit.id, kind=decision, user_id=user_id, decided_at=NOW))
        return hits


def test_statistics_count_hits_per_week_decisions_outcomes_and_precision(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    rule_id = add_rule(sessions, "arranged", {"field": "traveller.age", "operator": "less_than", "value": 0})
    arrange_hits(sessions, rule_id,
                 [OutcomeKind.SEIZURE, OutcomeKind.ARREST, OutcomeKind.NOTHING_FOUND, None, None, None,
                  None, None, OutcomeKind.REFUSED_ENTRY],
                 [DispositionKind.REFER_SECONDARY, DispositionKind.REFER_SECONDARY, DispositionKind.CLEARED,
                  DispositionKind.FALSE_MATCH, None, None, None, None, None])
    with sessions() as session:
        figures = statistics.rule_statistics(session, rule_id, NOW)
        assert figures.hits == 9
        assert [value for _label, value in figures.weekly][-2:] == [2.0, 7.0]  # 0-6 days ago, 7-8 days ago
        assert sum(value for _label, value in figures.weekly) == 9
        assert figures.dispositions == [("false match", 1.0), ("cleared", 1.0),
                                        ("refer to secondary inspection", 2.0), ("undecided", 5.0)]
        assert figures.outcomes == [("seizure", 1.0), ("arrest", 1.0), ("refused entry", 1.0),
                                    ("nothing found", 1.0)]
        assert (figures.precision.findings, figures.precision.with_outcome) == (3, 4)
        assert statistics.overview(session, [rule_id], NOW)[rule_id][0] == 7
    install_clock(app).now = NOW
    sign_in_as(app, client, sessions, UserRole.SUPERVISOR)
    page = client.get(f"/rules/{rule_id}/statistics").get_data(as_text=True)
    assert "<dt>Precision</dt><dd>75% (3 of 4)</dd>" in page
    assert 'aria-label="Decisions about the hits (latest per hit): false match 1, cleared 1, refer to secondary ' \
           'inspection 2, undecided 5"' in page
    assert 'aria-label="Precision: hits with an outcome that led to a finding: findings 75%"' in page
    assert "seizure 1, arrest 1, refused entry 1, nothing found 1" in page
    row = next(r for r in table_rows(client.get("/rules").get_data(as_text=True), "rules") if "arranged" in r[1])
    assert row[-2:] == ["7", "75% (3 of 4)"]


def test_a_rule_is_tested_against_one_traveller_found_by_name(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    with sessions() as session:
        traveller = session.scalars(select(Traveller).where(Traveller.nationality.is_not(None),
                                                            Traveller.surname.is_not(None))
                                    .order_by(Traveller.id)).first()
        assert traveller is not None and traveller.surname
        nationality, surname, traveller_id = traveller.nationality, traveller.surname, traveller.id
    conditions = {"and": [{"field": "traveller.nationality", "operator": "equals", "value": nationality},
                          {"or": [{"field": "traveller.age", "operator": "less_than", "value": 0},
                                  {"not": {"field": "traveller.surname", "operator": "equals", "value": "-"}}]}]}
    rule_id = add_rule(sessions, "tried", conditions)
    sign_in_as(app, client, sessions, UserRole.RULE_AUTHOR)
    found = client.get(f"/rules/{rule_id}/test?surname={surname[:3].lower()}").get_data(as_text=True)
    assert f"/rules/{rule_id}/test?traveller={traveller_id}" in found
    page = client.get(f"/rules/{rule_id}/test?traveller={traveller_id}").get_data(as_text=True)
    assert "the rule hits" in page
    rows = table_rows(page, "trial")
    assert [row[0] for row in rows] == ["all of", "· Nationality equals", "· any of", "· · Age less than",
                                        "· · not", "· · · Surname equals"]
    assert [row[3] for row in rows] == ["true", "true (deciding)", "true", "false", "true", "false (deciding)"]
    assert rows[1][1:3] == [nationality, nationality]
    [event] = audit_events(sessions, "rule.test")
    assert event.traveller_id == traveller_id and event.details == {"version": 1, "holds": True}
    assert audit_events(sessions, "rule.test.search")
    assert client.get(f"/rules/{rule_id}/test?traveller=999999999").status_code == 404
    assert client.get(f"/rules/{rule_id}/test?traveller=abc").status_code == 400


def test_a_back_test_counts_the_hits_of_the_last_days_with_a_sample(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    rule_id = add_rule(sessions, "passengers", {"field": "traveller.role", "operator": "equals", "value": "passenger"})
    clock = install_clock(app)
    clock.now = NOW  # the flights depart later today
    user_id = sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    assert "would have been hit" not in client.get(f"/rules/{rule_id}/backtest").get_data(as_text=True)
    with sessions() as session:
        travellers = session.scalar(select(func.count()).select_from(Traveller).where(Traveller.removed_at.is_(None)))
        passengers = session.scalar(select(func.count()).select_from(Traveller)
                                  .where(Traveller.removed_at.is_(None), Traveller.role == Role.PASSENGER))
    assert "<strong>0</strong> of 0 travellers of the last 7 days would" in client.get(
        f"/rules/{rule_id}/backtest?days=7").get_data(as_text=True)
    ahead = client.get(f"/rules/{rule_id}/backtest?days=7&ahead=1").get_data(as_text=True)
    assert f"<strong>{passengers}</strong> of {travellers} travellers of the last 7 days and the next 3 would" in ahead
    clock.now = NOW + timedelta(days=2)
    enter_session(app, client, sessions, user_id)  # the session of two days ago has ended
    page = client.get(f"/rules/{rule_id}/backtest?days=7").get_data(as_text=True)
    assert f"<strong>{passengers}</strong> of {travellers} travellers of the last 7 days would" in page
    sample = table_rows(page, "backtest-sample")
    assert len(sample) == min(passengers or 0, 20)
    assert sample[0][3] == "Role equals: passenger (holds)"
    events = audit_events(sessions, "rule.backtest")
    assert [(e.details or {}).get("hits") for e in events] == [0, passengers, passengers]
    assert [(e.details or {}).get("ahead_days") for e in events] == [0, 3, 0]
    for days in ("0", "364", "many"):
        assert client.get(f"/rules/{rule_id}/backtest?days={days}").status_code == 400


def test_rule_sets_are_exported_and_imported_after_a_preview(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    add_rule(sessions, "cash")
    add_rule(sessions, "other", {"field": "traveller.age", "operator": "less_than", "value": 2})
    sign_in_as(app, client, sessions, UserRole.RULE_AUTHOR)
    exported = client.get("/rules/export?key=cash")
    assert exported.headers["Content-Disposition"] == 'attachment; filename="gtas-rules.json"'
    rule_set = json.loads(exported.get_data(as_text=True))
    assert [rule["key"] for rule in rule_set["rules"]] == ["cash"]
    assert [rule["key"] for rule in client.get("/rules/export").get_json()["rules"]] == ["cash", "other"]
    rule_set["rules"][0]["weight"] = 35
    rule_set["rules"].append({"key": "via-concern", "title": "Via an airport of concern", "category": "smuggling",
                              "severity": "low", "weight": 5, "conditions": {
                                  "field": "derived.route_airports", "operator": "in_reference_list",
                                  "value": "concern"}})
    rule_set["reference_lists"] = [{"name": "concern", "kind": "airport", "items": ["AMM", "BEY"]}]
    text = json.dumps(rule_set)
    preview = client.post("/rules/import", data={"csrf_token": csrf(client), "file": (io.BytesIO(text.encode()),
                                                                                      "set.json")})
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "1 new rule: via-concern" in page and "1 changed (a new version each): cash" in page
    assert table_rows(page, "rule-diff") == [["weight", "10", "35"]]
    with sessions() as session:  # nothing written yet
        assert session.scalar(select(func.count()).select_from(Rule)) == 2
    done = post_form(client, "/rules/import/confirm", {"rule_set": text}, token_from="/rules/import")
    assert done.status_code == 303
    assert stored(sessions, "cash")[0].weight == 35.0 and stored(sessions, "via-concern")[0].version == 1
    [event] = audit_events(sessions, "rule.import")
    assert event.details == {"added": ["via-concern"], "changed": ["cash"], "unchanged": [],
                             "reference_lists": ["concern"]}
    assert event.before is not None and event.after is not None
    assert event.before["cash"]["weight"] == 10.0 and event.after["cash"]["weight"] == 35.0
    assert audit_events(sessions, "rule.export")


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not JSON"),
    ("", "choose a rule set file or paste one"),
    ('{"rules": [{"key": "x"}]}', "rules[0] (x): severity must be one of"),
    ('{"rules": [{"key": "x", "title": "X", "category": "other", "severity": "low", "weight": 1, '
     '"conditions": {"field": "nope", "operator": "equals", "value": 1}}]}', "unknown field &#39;nope&#39;"),
    ('{"rules": [{"key": "x", "title": "X\\u0000", "category": "other", "severity": "low", "weight": 1, '
     '"conditions": {"field": "traveller.surname", "operator": "equals", "value": "A"}}]}',
     "holds a NUL character"),  # PostgreSQL stores none: the preview answered 500
    ('{"rules": [{"key": "x", "title": "X\\ud800", "category": "other", "severity": "low", "weight": 1, '
     '"conditions": {"field": "traveller.surname", "operator": "equals", "value": "A"}}]}',
     "or a lone surrogate"),  # no UTF-8: the preview answered 500 on SQLite too
])
def test_a_bad_rule_set_is_refused_with_its_errors(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                                  text: str, message: str) -> None:
    sign_in_as(app, client, sessions, UserRole.RULE_AUTHOR)
    for path in ("/rules/import", "/rules/import/confirm"):
        response = post_form(client, path, {"rule_set": text}, token_from="/rules/import")
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Rule)) == 0


def csrf(client: FlaskClient) -> str:
    from tests.web.auth_helpers import csrf_token

    return csrf_token(client, "/rules/import")


def test_the_airport_picker_suggests_airports(app: Flask, client: FlaskClient,
                                              sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        for code, name, city in (("FRA", "Frankfurt am Main Airport", "Frankfurt"), ("FRO", "Floro", "Floro"),
                                 ("HHN", "Frankfurt-Hahn", "Lautzenhausen")):
            session.merge(Airport(iata=code, name=name, city=city, country_alpha3="DEU", country_alpha2="DE",
                                  timezone="Europe/Berlin", latitude=50.0, longitude=8.5))
    sign_in_as(app, client, sessions, UserRole.RULE_AUTHOR)
    found = client.get("/rules/airports?q=fr").get_json()
    assert found[:2] == [{"code": "FRA", "label": "FRA Frankfurt (DEU)"}, {"code": "FRO", "label": "FRO Floro (DEU)"}]
    assert {"code": "HHN", "label": "HHN Lautzenhausen (DEU)"} in found  # by the airport's name
    assert client.get("/rules/airports?q=lautz").get_json() == [{"code": "HHN", "label": "HHN Lautzenhausen (DEU)"}]
    assert client.get("/rules/airports?q=").get_json() == []


@pytest.mark.parametrize("role", EDITORS + READERS_ONLY + OTHERS, ids=str)
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], role: UserRole) -> None:
    rule_id = add_rule(sessions, "cash")
    sign_in_as(app, client, sessions, role)
    reading = role in EDITORS + READERS_ONLY
    editing = role in EDITORS
    for path in ("/rules", f"/rules/{rule_id}", f"/rules/{rule_id}/versions", f"/rules/{rule_id}/statistics",
                 "/rules/export"):
        assert client.get(path).status_code == (200 if reading else 403), path
    for path in ("/rules/new", f"/rules/{rule_id}/edit", f"/rules/{rule_id}/test", f"/rules/{rule_id}/backtest",
                 "/rules/import", "/rules/airports?q=FRA"):
        assert client.get(path).status_code == (200 if editing else 403), path
    assert ('href="/rules"' in client.get("/").get_data(as_text=True)) is reading
    assert post_form(client, f"/rules/{rule_id}/disable", {}).status_code == (303 if editing else 403)
    assert post_form(client, "/rules/new", rule_form()).status_code == (303 if editing else 403)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(RuleVersion)) == (3 if editing else 1)
    if reading:
        page = client.get(f"/rules/{rule_id}").get_data(as_text=True)
        assert (f'action="/rules/{rule_id}/enable"' in page) is editing


def test_forms_without_their_csrf_token_are_refused(app: Flask, client: FlaskClient,
                                                    sessions: sessionmaker[Session]) -> None:
    rule_id = add_rule(sessions, "cash")
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    for path, form in ((f"/rules/{rule_id}/disable", {}), ("/rules/new", rule_form()),
                       (f"/rules/{rule_id}/edit", rule_form()), ("/rules/import", {"rule_set": "{}"}),
                       ("/rules/import/confirm", {"rule_set": "{}"})):
        assert client.post(path, data=form).status_code == 400, path
    rule, versions = stored(sessions, "cash")
    assert (rule.enabled, len(versions)) == (True, 1)


def test_strangers_are_sent_to_sign_in_and_unknown_rules_are_404(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    assert client.get("/rules").status_code == 302
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    for path in ("/rules/9999", "/rules/9999/edit", "/rules/9999/versions", "/rules/9999/statistics"):
        assert client.get(path).status_code == 404, path
