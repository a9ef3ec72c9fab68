"""A rule's versions and the readable difference between any two: metadata field by field, conditions line by line.

A condition tree reads as indented lines ("all of", "  Nationality is one of: SYR, YEM"); the difference of two
trees is the line diff of their readings, so an author sees which condition was added, removed or changed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.model import Rule, RuleVersion
from gtas.rules.catalogue import CATALOGUE, OPERATOR_LABELS, Operator
from gtas.rules.engine import DETAIL_FIELDS
from gtas.web.field_changes import FieldChange, changed_fields
from gtas.web.travellers.explain import shown

GROUP_WORDS = {"and": "all of", "or": "any of", "not": "not"}


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of the conditions' difference: ``change`` is "added", "removed" or "same"."""

    change: str
    text: str


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """What changed from version ``old`` to version ``new``."""

    old: RuleVersion
    new: RuleVersion
    fields: list[FieldChange]
    conditions: list[DiffLine]

    @property
    def conditions_changed(self) -> bool:
        return any(line.change != "same" for line in self.conditions)


def versions(session: Session, rule: Rule) -> list[RuleVersion]:
    """Every version of the rule, newest first."""
    return list(session.scalars(select(RuleVersion).where(RuleVersion.rule_id == rule.id)
                                .order_by(RuleVersion.number.desc())))


def _condition_text(condition: dict[str, Any]) -> str:
    field = CATALOGUE.get(str(condition.get("field")))
    try:
        operator = OPERATOR_LABELS[Operator(str(condition.get("operator")))]
    except ValueError:
        operator = str(condition.get("operator"))
    label = field.label if field is not None else str(condition.get("field"))
    value = condition.get("value")
    if condition.get("operator") == Operator.IS_EMPTY:
        return f"{label} {'is empty' if value else 'is not empty'}"
    return f"{label} {operator}: {shown(value)}"


def tree_lines(tree: Any, depth: int = 0) -> list[str]:
    """A condition tree (JSON) as indented lines of words."""
    indent = "  " * depth
    if isinstance(tree, dict):
        for kind in ("and", "or"):
            if kind in tree and isinstance(tree[kind], list):
                return [f"{indent}{GROUP_WORDS[kind]}"] + [line for member in tree[kind]
                                                            for line in tree_lines(member, depth + 1)]
        if "not" in tree:
            return [f"{indent}not", *tree_lines(tree["not"], depth + 1)]
        return [f"{indent}{_condition_text(tree)}"]
    return [f"{indent}{shown(tree)}"]


def diff(old: RuleVersion, new: RuleVersion) -> VersionDiff:
    """The difference between two versions of a rule."""
    fields = changed_fields(old.details, new.details, shown, DETAIL_FIELDS)
    lines = []
    for line in difflib.ndiff(tree_lines(old.conditions), tree_lines(new.conditions)):
        tag, text = line[:2], line[2:]
        if tag in ("+ ", "- ", "  "):
            lines.append(DiffLine({"+ ": "added", "- ": "removed", "  ": "same"}[tag], text))
    return VersionDiff(old, new, fields, lines)
