"""The rule form: what the builder page needs (catalogue, countries, reference lists) and reading a posted rule.

``read_rule_form`` turns the posted form into a ``RuleSpec`` with the validation of ``gtas rules import``
(``rule_spec``) and the condition tree's own problems, each with its path (``and[0].or[2]``) so the builder shows
it next to the offending condition.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.model import Country, ReferenceList, Rule, RuleVersion
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.rules.catalogue import catalogue_json
from gtas.rules.conditions import ConditionError, validate
from gtas.rules.engine import RuleSpec, reference_lists
from gtas.rules.rules_cli import rule_categories, rule_spec

MAX_TREE_CHARS = 200_000  # a posted condition tree; far above MAX_CONDITIONS conditions
EMPTY_TREE: dict[str, Any] = {"and": []}
TEXT_FIELDS = ("key", "title", "category", "description", "handling")


@dataclass(slots=True)
class RuleForm:
    """A rule as the form shows it: the fields as text, the condition tree, and what is wrong with them."""

    values: dict[str, str]
    conditions: Any
    problems: list[str] = field(default_factory=list)
    condition_errors: list[ConditionError] = field(default_factory=list)
    spec: RuleSpec | None = None
    unreadable: str | None = None  # the posted conditions when they are not JSON, shown again to be mended

    @property
    def conditions_json(self) -> str:
        """The tree as the builder reads it (or the unreadable text as posted)."""
        return self.unreadable if self.unreadable is not None else json.dumps(self.conditions, ensure_ascii=False)

    @property
    def errors_json(self) -> list[dict[str, str]]:
        """The tree's problems, by path, for the builder."""
        return [{"path": error.path, "message": error.message} for error in self.condition_errors]


def _local(moment: datetime | None) -> str:
    """A UTC moment as a ``datetime-local`` input shows it."""
    return moment.strftime("%Y-%m-%dT%H:%M") if moment else ""


def blank_form() -> RuleForm:
    """The form of a new rule."""
    return RuleForm({"key": "", "title": "", "category": "", "severity": Severity.MEDIUM.value, "weight": "10",
                     "description": "", "handling": "", "valid_from": "", "valid_until": ""}, EMPTY_TREE)


def rule_form(rule: Rule, version: RuleVersion) -> RuleForm:
    """The form of a stored rule in its current version."""
    return RuleForm({"key": rule.key, "title": rule.title, "category": rule.category,
                     "severity": rule.severity.value, "weight": f"{rule.weight:g}", "description": rule.description,
                     "handling": rule.handling, "valid_from": _local(rule.valid_from),
                     "valid_until": _local(rule.valid_until)}, version.conditions)


def _moment(text: str) -> str | None:
    """A ``datetime-local`` value (read as UTC) in the ISO form rule sets carry, None when empty."""
    text = text.strip()
    if not text:
        return None
    return text if text.endswith("Z") or "+" in text[10:] else f"{text}+00:00"


def _number(text: str) -> float | str:
    """The weight as a number, or the text itself so that validation names the problem."""
    try:
        return float(text)
    except ValueError:
        return text


def read_rule_form(session: Session, form: Mapping[str, str], *, rule: Rule | None) -> RuleForm:
    """The posted form as a RuleSpec (``spec`` set) or with its problems; ``rule`` is the rule being edited.

    A new rule starts disabled (enable it once tested); an edit keeps the rule's state.
    """
    values = {name: form.get(name, "").strip() for name in (*TEXT_FIELDS, "severity", "weight", "valid_from",
                                                              "valid_until")}
    if rule is not None:
        values["key"] = rule.key
    text = form.get("conditions", "")
    result = RuleForm(values, EMPTY_TREE)
    try:
        if len(text) > MAX_TREE_CHARS:
            raise ValueError(f"longer than {MAX_TREE_CHARS} characters")
        result.conditions = json.loads(text)
    except (ValueError, RecursionError) as exc:
        result.problems.append(f"The conditions are not a readable condition tree: {exc}")
        result.unreadable = text[:MAX_TREE_CHARS]
        return result
    result.condition_errors = validate(result.conditions, reference_lists(session))
    raw = {**{name: values[name] for name in TEXT_FIELDS}, "severity": values["severity"],
           "weight": _number(values["weight"]), "valid_from": _moment(values["valid_from"]),
           "valid_until": _moment(values["valid_until"]), "enabled": rule.enabled if rule is not None else False,
           "conditions": result.conditions if isinstance(result.conditions, dict) else {}}
    try:
        spec = rule_spec(raw, rule_categories(session))
    except ValueError as exc:
        result.problems.append(str(exc))
        return result
    if rule is None and session.scalar(select(Rule.id).where(Rule.key == spec.key)) is not None:
        result.problems.append(f"a rule with the key {spec.key!r} exists already; open it to edit it")
    if result.condition_errors:
        result.problems.append("Some conditions have problems (shown beside them).")
    if not result.problems:
        result.spec = spec
    return result


def builder_data(session: Session) -> dict[str, Any]:
    """What the builder script reads: the field catalogue, countries, and the reference lists by kind."""
    countries = [[code, name] for code, name in session.execute(select(Country.alpha3, Country.name)
                                                                 .order_by(Country.alpha3))]
    lists = [{"name": r.name, "kind": str(r.kind), "size": len(r.items)}
             for r in session.scalars(select(ReferenceList).order_by(ReferenceList.name))]
    return {**catalogue_json(), "countries": countries, "reference_lists": lists,
            "severities": [s.value for s in Severity]}


def version_snapshot(version: RuleVersion) -> dict[str, Any]:
    """A version as the audit trail records it: number, metadata and conditions."""
    return {"version": version.number, **version.details, "conditions": version.conditions}

