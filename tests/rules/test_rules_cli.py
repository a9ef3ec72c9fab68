"""``gtas rules import | export`` against a migrated database: round trip, new versions, refusal of bad files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from gtas import db
from gtas.categories import create_category, update_category
from gtas.cli import cli
from gtas.model import HitCategory, ReferenceList, Rule, RuleVersion

RULE_SET: dict[str, Any] = {
    "reference_lists": [
        {"name": "source airports", "kind": "airport", "description": "Known source airports",
         "items": ["bog", "CUR", "PTY"]},
    ],
    "rules": [
        {"key": "cash-short-notice", "title": "Cash booking close to departure", "category": "narcotics",
         "severity": "high", "weight": 30, "handling": "Secondary inspection of baggage.",
         "valid_until": "2027-12-31T23:59:59+00:00",
         "conditions": {"and": [
             {"field": "derived.paid_in_cash", "operator": "equals", "value": True},
             {"field": "derived.hours_booking_to_departure", "operator": "less_than", "value": 48}]}},
        {"key": "source-route", "title": "Route through a source airport", "category": "narcotics",
         "severity": "medium", "weight": 10, "description": "Any leg touches a listed airport.",
         "conditions": {"field": "derived.route_airports", "operator": "in_reference_list",
                        "value": "source airports"}},
    ],
}


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _counts(url: str) -> tuple[int, int, int]:
    engine = db.make_engine(url)
    try:
        with db.make_sessionmaker(engine)() as session:
            return (session.scalar(select(func.count()).select_from(Rule)) or 0,
                    session.scalar(select(func.count()).select_from(RuleVersion)) or 0,
                    session.scalar(select(func.count()).select_from(ReferenceList)) or 0)
    finally:
        engine.dispose()


def test_import_export_round_trip_and_new_versions(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["rules", "import", str(_write(tmp_path / "set.json", RULE_SET)), "--author", "ann"])
    assert first.exit_code == 0, first.output
    assert "imported 2 new, 0 changed (new version), 0 unchanged rules; 1 reference lists" in first.output

    exported = runner.invoke(cli, ["rules", "export"])
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.stdout)
    assert data["reference_lists"] == [{"name": "source airports", "kind": "airport",
                                        "description": "Known source airports", "items": ["BOG", "CUR", "PTY"]}]
    cash = data["rules"][0]
    assert (cash["key"], cash["version"], cash["weight"], cash["enabled"]) == ("cash-short-notice", 1, 30.0, True)
    assert cash["conditions"] == RULE_SET["rules"][0]["conditions"]
    assert cash["valid_until"] == "2027-12-31T23:59:59+00:00" and cash["handling"].startswith("Secondary")

    again = runner.invoke(cli, ["rules", "import", str(_write(tmp_path / "out.json", data))])
    assert "imported 0 new, 0 changed (new version), 2 unchanged rules" in again.output
    assert _counts(database) == (2, 2, 1)

    data["rules"][1]["weight"] = 12
    changed = runner.invoke(cli, ["rules", "import", str(_write(tmp_path / "changed.json", data)), "--author", "bob"])
    assert "0 new, 1 changed (new version), 1 unchanged" in changed.output and "changed: source-route" in changed.output
    assert _counts(database) == (2, 3, 1)
    out = tmp_path / "final.json"
    assert runner.invoke(cli, ["rules", "export", "--out", str(out)]).exit_code == 0
    final = json.loads(out.read_text())
    assert [(r["key"], r["version"], r["weight"]) for r in final["rules"]] == [
        ("cash-short-notice", 1, 30.0), ("source-route", 2, 12.0)]


def test_dry_run_writes_nothing(database: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["rules", "import", str(_write(tmp_path / "s.json", RULE_SET)), "--dry-run"])
    assert result.exit_code == 0 and "would import 2 new" in result.output
    assert _counts(database) == (0, 0, 0)


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s["rules"][0].update(severity="extreme"), "rules[0] (cash-short-notice): severity must be one of"),
    (lambda s: s["rules"][0].update(weight="30"), "weight must be a number"),
    (lambda s: s["rules"][0].update(key="Cash Rule"), "key must be"),
    (lambda s: s["rules"][1].update(key="cash-short-notice"), "appears twice"),
    (lambda s: s["rules"][0].update(valid_from="2028-01-01T00:00:00Z"), "valid_from must be before valid_until"),
    (lambda s: s["rules"][0].update(valid_until="2027-12-31"), "with a time zone"),
    (lambda s: s["rules"][0].update(colour="red"), "unknown keys colour"),
    (lambda s: s["rules"][0].update(category="spying"), "unknown or retired category 'spying' (use one of: fraud, "),
    (lambda s: s["rules"][0]["conditions"]["and"][0].update(field="traveller.meal"),
     "conditions: and[0]: unknown field 'traveller.meal'"),
    (lambda s: s["rules"][1]["conditions"].update(value="elsewhere"), "no reference list named 'elsewhere'"),
    (lambda s: s["reference_lists"][0].update(items=["BOGOTA"]), "airport codes have three letters"),
    (lambda s: s["reference_lists"][0].update(kind="planet"), "kind must be one of"),
])
def test_bad_rule_sets_are_refused_whole(database: str, tmp_path: Path, change: Any, message: str) -> None:
    rule_set = json.loads(json.dumps(RULE_SET))
    change(rule_set)
    result = CliRunner().invoke(cli, ["rules", "import", str(_write(tmp_path / "bad.json", rule_set))])
    assert result.exit_code == 1
    assert message in result.output and "nothing imported" in result.output
    assert _counts(database) == (0, 0, 0)


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "is not JSON"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"rules": 5}', "expected an object"),
    (json.dumps({"rules": [{"key": "deep", "title": "t", "category": "other", "severity": "low", "weight": 1,
                            "conditions": json.loads('{"not":' * 50 + '{"field": "traveller.age", "operator": '
                                                     '"equals", "value": 1}' + "}" * 50)}]}),
     "nested deeper than 10 levels"),
])
def test_hostile_files_get_a_clear_error(database: str, tmp_path: Path, text: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["rules", "import", str(_write(tmp_path / "x.json", text))])
    assert result.exit_code == 1 and message in result.output


def test_rules_name_an_active_category_or_keep_their_own(database: str, tmp_path: Path) -> None:
    engine = db.make_engine(database)
    try:
        with db.make_sessionmaker(engine).begin() as session:
            create_category(session, "cash_couriers", "Cash couriers", "", "admin")
        rule_set = json.loads(json.dumps(RULE_SET))
        rule_set["rules"][0]["category"] = "Cash couriers"  # the key's words are read as the key
        runner = CliRunner()
        assert runner.invoke(cli, ["rules", "import", str(_write(tmp_path / "a.json", rule_set))]).exit_code == 0
        with db.make_sessionmaker(engine).begin() as session:
            assert session.scalars(select(Rule.category).where(Rule.key == "cash-short-notice")).one() == \
                "cash_couriers"
            retired = session.scalars(select(HitCategory).where(HitCategory.key == "cash_couriers")).one()
            update_category(session, retired, retired.label, "", False, "admin")
        rule_set["rules"][0]["weight"] = 31  # the rule keeps its retired category in a new version
        kept = runner.invoke(cli, ["rules", "import", str(_write(tmp_path / "b.json", rule_set))])
        assert kept.exit_code == 0 and "1 changed (new version)" in kept.output, kept.output
        rule_set["rules"][1]["category"] = "cash_couriers"  # but no other rule may take it up
        refused = runner.invoke(cli, ["rules", "import", str(_write(tmp_path / "c.json", rule_set))])
        assert refused.exit_code == 1
        assert "rules[1] (source-route): unknown or retired category 'cash_couriers'" in refused.output
    finally:
        engine.dispose()


def test_missing_file(database: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["rules", "import", str(tmp_path / "absent.json")])
    assert result.exit_code == 1 and "cannot read" in result.output
