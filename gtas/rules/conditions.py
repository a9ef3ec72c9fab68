"""Condition trees: parse and validate a rule's JSON against the catalogue, then evaluate it over a traveller's facts.

A tree is JSON: ``{"and": [node, …]}``, ``{"or": [node, …]}``, ``{"not": node}`` or a condition
``{"field": "traveller.nationality", "operator": "in", "value": ["SYR", "YEM"]}``.

Semantics, in one place:
- Text comparisons ignore case; country and airport codes are compared upper case.
- A missing value (None) satisfies no condition except ``is_empty``.
- A multi-valued field (several documents, legs, phones …) satisfies a condition when **any** of its values does;
  ``not_equals`` instead holds when the field has values and **none** equals the given one, which is what
  "phone is not X" means to an author. ``is_empty`` holds when the field has no value at all.
- ``between`` includes both ends. ``matches`` searches (use ``^…$`` to anchor) without case, with a time limit:
  a pattern that backtracks catastrophically on a probe is refused, and one that times out on real data fails.

``parse`` returns the tree or raises ``InvalidConditions`` with every problem found (path, message), so an author
sees all mistakes at once. ``evaluate`` returns whether the tree holds and the conditions that decided it, with the
traveller's values: the explanation a hit stores.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from typing import Any, Literal

import regex

from gtas.rules.catalogue import CATALOGUE, REFERENCE_KIND_BY_TYPE, Field, FieldType, Operator
from gtas.text import UNSTORABLE, all_storable

log = logging.getLogger(__name__)

MAX_DEPTH = 10  # groups inside groups
MAX_CONDITIONS = 200  # conditions in one tree
MAX_LIST_ITEMS = 10_000  # values of one "in" condition
MAX_TEXT_LENGTH = 200  # a text value or a regular expression
REGEX_TIMEOUT_SECONDS = 0.02
_REGEX_PROBES = (*(ch * 64 + "!" for ch in "a1 .-_"), "ab" * 32 + "!")

Facts = Mapping[str, Any]
Matcher = Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class ConditionError:
    """One problem in a tree: where (``and[0].or[2]``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidConditions(ValueError):
    """A condition tree that cannot be used; ``errors`` lists every problem."""

    def __init__(self, errors: Sequence[ConditionError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


@dataclass(frozen=True, slots=True)
class ReferenceItems:
    """An admin-maintained named list as conditions use it: its kind (airport, country, text) and its codes."""

    kind: str
    items: frozenset[str]


@dataclass(frozen=True, slots=True)
class Condition:
    """One test of one field; ``value`` is the typed form of ``raw`` (the JSON as written)."""

    field: Field
    operator: Operator
    raw: Any
    value: Any
    test: Matcher = dataclass_field(repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field.key, "operator": str(self.operator), "value": self.raw}


@dataclass(frozen=True, slots=True)
class Group:
    """AND / OR over its children, or NOT of its one child."""

    kind: Literal["and", "or", "not"]
    children: tuple[Node, ...]

    def to_json(self) -> dict[str, Any]:
        if self.kind == "not":
            return {"not": self.children[0].to_json()}
        return {self.kind: [child.to_json() for child in self.children]}


Node = Condition | Group


# --- parsing and validation ---

def parse(tree: Any, reference_lists: Mapping[str, ReferenceItems] | None = None) -> Node:
    """The typed tree of a JSON condition tree; raises InvalidConditions naming every problem."""
    if not all_storable(tree):
        raise InvalidConditions([ConditionError("", f"the tree holds {UNSTORABLE}")])
    parser = _Parser(reference_lists or {})
    node = parser.node(tree, "", 0)
    if parser.count > MAX_CONDITIONS:
        parser.errors.append(ConditionError("", f"too many conditions ({parser.count}, at most {MAX_CONDITIONS})"))
    if parser.errors or node is None:
        raise InvalidConditions(parser.errors or [ConditionError("", "empty condition tree")])
    return node


def validate(tree: Any, reference_lists: Mapping[str, ReferenceItems] | None = None) -> list[ConditionError]:
    """Every problem of a JSON condition tree (empty when it is usable)."""
    try:
        parse(tree, reference_lists)
    except InvalidConditions as exc:
        return exc.errors
    return []


@dataclass(slots=True)
class _Parser:
    reference_lists: Mapping[str, ReferenceItems]
    errors: list[ConditionError] = dataclass_field(default_factory=list)
    count: int = 0

    def fail(self, path: str, message: str) -> None:
        self.errors.append(ConditionError(path, message))

    def node(self, data: Any, path: str, depth: int) -> Node | None:
        if depth > MAX_DEPTH:
            self.fail(path, f"groups nested deeper than {MAX_DEPTH} levels")
            return None
        if not isinstance(data, dict):
            self.fail(path, "expected an object: a condition or a group {and|or|not: …}")
            return None
        groups: list[Literal["and", "or", "not"]] = [key for key in ("and", "or", "not") if key in data]
        if groups:
            if len(data) != 1:
                self.fail(path, f"a group has exactly one key ({groups[0]}), found {', '.join(map(str, data))}")
                return None
            return self.group(groups[0], data[groups[0]], path, depth)
        return self.condition(data, path)

    def group(self, kind: Literal["and", "or", "not"], members: Any, path: str, depth: int) -> Group | None:
        where = f"{path}.{kind}" if path else kind
        if kind == "not":
            child = self.node(members, where, depth + 1)
            return Group("not", (child,)) if child is not None else None
        if not isinstance(members, list) or not members:
            self.fail(where, "expected a non-empty list of conditions")
            return None
        if len(members) > MAX_CONDITIONS:
            self.fail(where, f"too many members ({len(members)}, at most {MAX_CONDITIONS})")
            return None
        children = [self.node(member, f"{where}[{i}]", depth + 1) for i, member in enumerate(members)]
        if any(child is None for child in children):
            return None
        return Group(kind, tuple(child for child in children if child is not None))

    def condition(self, data: dict[str, Any], path: str) -> Condition | None:
        self.count += 1
        where = path or "condition"
        unknown = sorted(set(data) - {"field", "operator", "value"})
        if unknown:
            self.fail(where, f"unknown keys {', '.join(map(str, unknown))} (a condition has field, operator, value)")
            return None
        key, name = data.get("field"), data.get("operator")
        spec = CATALOGUE.get(key) if isinstance(key, str) else None
        if spec is None:
            self.fail(where, "no field chosen" if key in ("", None) else
                      f"unknown field {key!r}" + ("" if isinstance(key, str) else " (expected a field key)"))
            return None
        try:
            operator = Operator(str(name))
        except ValueError:
            self.fail(where, f"unknown operator {name!r}; valid for {spec.key}: {_names(spec.operators)}")
            return None
        if operator not in spec.operators:
            self.fail(where, f"operator {operator} is not valid for {spec.key} ({spec.type}); "
                             f"use one of {_names(spec.operators)}")
            return None
        if "value" not in data:
            self.fail(where, f"operator {operator} needs a value")
            return None
        value = self.value(spec, operator, data["value"], where)
        if value is _INVALID:
            return None
        return Condition(spec, operator, data["value"], value, _matcher(spec, operator, value))

    def value(self, spec: Field, operator: Operator, raw: Any, where: str) -> Any:
        """The typed value of a condition, or _INVALID after recording why."""
        try:
            if operator is Operator.IS_EMPTY:
                if not isinstance(raw, bool):
                    raise ValueError("is_empty takes true (no value) or false (has a value)")
                return raw
            if operator is Operator.IN:
                if not isinstance(raw, list) or not raw:
                    raise ValueError("in takes a non-empty list of values")
                if len(raw) > MAX_LIST_ITEMS:
                    raise ValueError(f"in takes at most {MAX_LIST_ITEMS} values, got {len(raw)}; "
                                     "use a reference list for long lists")
                return frozenset(_typed(spec.type, item) for item in raw)
            if operator is Operator.BETWEEN:
                if not isinstance(raw, list) or len(raw) != 2:
                    raise ValueError("between takes a list of two values [low, high]")
                low, high = _typed(spec.type, raw[0]), _typed(spec.type, raw[1])
                if low > high:
                    raise ValueError(f"between: low {raw[0]!r} is above high {raw[1]!r}")
                return (low, high)
            if operator is Operator.MATCHES:
                return _pattern(raw)
            if operator is Operator.IN_REFERENCE_LIST:
                return self.reference_list(spec, raw)
            typed = _typed(spec.type, raw)
            if operator in (Operator.STARTS_WITH, Operator.ENDS_WITH, Operator.CONTAINS) and not typed:
                raise ValueError(f"{operator} needs a non-empty text")
            return typed
        except ValueError as exc:
            self.fail(where, f"{spec.key} {operator}: {exc}")
            return _INVALID

    def reference_list(self, spec: Field, name: Any) -> frozenset[str]:
        if not isinstance(name, str):
            raise ValueError("in_reference_list takes the name of a reference list")
        found = self.reference_lists.get(name)
        if found is None:
            known = ", ".join(sorted(self.reference_lists)) or "none defined"
            raise ValueError(f"no reference list named {name!r} (known: {known})")
        wanted = REFERENCE_KIND_BY_TYPE[spec.type]
        if found.kind != wanted:
            raise ValueError(f"reference list {name!r} holds {found.kind} codes, {spec.key} needs {wanted}")
        return frozenset(normalise_item(found.kind, item) for item in found.items)


_INVALID = object()


def _names(operators: Sequence[Operator]) -> str:
    return ", ".join(str(op) for op in operators)


def normalise_item(kind: str, item: str) -> str:
    """A reference-list item in the form facts are compared in: codes upper case, text case-folded."""
    return item.strip().upper() if kind in ("airport", "country") else item.strip().casefold()


def _typed(type_: FieldType, raw: Any) -> Any:
    """A JSON value as the field type's Python value (text case-folded, codes upper case); ValueError if wrong."""
    if type_ is FieldType.NUMBER:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise ValueError(f"expected a number, got {raw!r}")
        return raw
    if type_ is FieldType.BOOLEAN:
        if not isinstance(raw, bool):
            raise ValueError(f"expected true or false, got {raw!r}")
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"expected {'an ISO date' if type_ is FieldType.DATE else 'text'}, got {raw!r}")
    if type_ is FieldType.DATE:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"expected a date YYYY-MM-DD, got {raw!r}") from None
    if type_ is FieldType.DATETIME:
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"expected an ISO date-time, got {raw!r}") from None
        if moment.tzinfo is None:
            raise ValueError(f"date-time {raw!r} has no time zone (add Z or +hh:mm)")
        return moment
    if type_ in (FieldType.COUNTRY, FieldType.AIRPORT):
        code = raw.strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise ValueError(f"expected a three-letter {type_} code, got {raw!r}")
        return code
    if len(raw) > MAX_TEXT_LENGTH:
        raise ValueError(f"text longer than {MAX_TEXT_LENGTH} characters")
    return raw.casefold()


def _pattern(raw: Any) -> regex.Pattern[str]:
    """A compiled, case-insensitive regular expression that does not backtrack catastrophically on the probes."""
    if not isinstance(raw, str) or not raw:
        raise ValueError("matches takes a non-empty regular expression")
    if len(raw) > MAX_TEXT_LENGTH:
        raise ValueError(f"regular expression longer than {MAX_TEXT_LENGTH} characters")
    try:
        pattern = regex.compile(raw, regex.IGNORECASE)
    except regex.error as exc:
        raise ValueError(f"invalid regular expression {raw!r}: {exc}") from None
    try:
        for probe in _REGEX_PROBES:
            pattern.search(probe, timeout=REGEX_TIMEOUT_SECONDS)
    except TimeoutError:
        raise ValueError(f"regular expression {raw!r} backtracks catastrophically (too slow on a test text)") from None
    return pattern


# --- matching ---

def _scalar_test(operator: Operator, value: Any) -> Matcher:
    """The test of one present fact value, already normalised like the condition value."""
    if operator is Operator.EQUALS or operator is Operator.NOT_EQUALS:
        return lambda v: v == value
    if operator is Operator.IN or operator is Operator.IN_REFERENCE_LIST:
        return value.__contains__  # type: ignore[no-any-return]
    if operator is Operator.BETWEEN:
        low, high = value
        return lambda v: low <= v <= high
    if operator is Operator.LESS_THAN:
        return lambda v: v < value
    if operator is Operator.GREATER_THAN:
        return lambda v: v > value
    if operator is Operator.STARTS_WITH:
        return lambda v: v.startswith(value)
    if operator is Operator.ENDS_WITH:
        return lambda v: v.endswith(value)
    if operator is Operator.CONTAINS:
        return lambda v: value in v
    if operator is Operator.MATCHES:
        return lambda v: _search(value, v)
    raise AssertionError(f"no test for {operator}")


def _search(pattern: regex.Pattern[str], text: str) -> bool:
    try:
        return pattern.search(text, timeout=REGEX_TIMEOUT_SECONDS) is not None
    except TimeoutError:
        log.warning("regular expression %r timed out on a %d-character value; counted as no match",
                    pattern.pattern, len(text))
        return False


_CODES = (FieldType.COUNTRY, FieldType.AIRPORT)
_TEXTS = (FieldType.STRING, FieldType.LIST)


def normalise_fact(type_: FieldType, value: Any) -> Any:
    """A fact value in the form conditions compare: text case-folded, codes upper case, others as they are."""
    if isinstance(value, str):
        return value.upper() if type_ in _CODES else value.casefold()
    return value


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _matcher(spec: Field, operator: Operator, value: Any) -> Matcher:
    """The test of the raw fact of a field (a value, or a list of values when the field is multi-valued).

    Closures are specialised by type (text is normalised, other values are compared as they are) because the
    engine runs them hundreds of millions of times.
    """
    if operator is Operator.IS_EMPTY:
        if spec.multi:
            return lambda fact: (not fact or not any(_present(v) for v in fact)) is value
        return lambda fact: (not _present(fact)) is value
    test = _scalar_test(operator, value)
    norm: Callable[[str], str] | None = str.upper if spec.type in _CODES else (
        str.casefold if spec.type in _TEXTS else None)
    if operator is Operator.NOT_EQUALS:
        if not spec.multi:
            return lambda fact: _present(fact) and not test(normalise_fact(spec.type, fact))
        return lambda fact: bool(fact) and not any(test(normalise_fact(spec.type, v)) for v in fact if _present(v))
    if spec.multi:
        if norm is None:
            return lambda fact: bool(fact) and any(test(v) for v in fact if v is not None)
        return lambda fact: bool(fact) and any(test(norm(v)) for v in fact if v)
    if norm is None:
        return lambda fact: fact is not None and test(fact)
    return lambda fact: bool(fact) and test(norm(fact))


# --- evaluation ---

@dataclass(frozen=True, slots=True)
class Evaluation:
    """Whether a tree holds for a traveller, and the conditions that decided it with his values."""

    holds: bool
    explanation: list[dict[str, Any]]


def evaluate(node: Node, facts: Facts) -> Evaluation:
    """Evaluate a tree over one traveller's facts (AND and OR stop at the first deciding member)."""
    explanation: list[dict[str, Any]] = []
    holds = _evaluate(node, facts, explanation)
    return Evaluation(holds, explanation)


def holds(node: Node, facts: Facts) -> bool:
    """Whether a tree holds for the facts, without building an explanation."""
    return compile_tree(node)(facts)


def compile_tree(node: Node) -> Callable[[Facts], bool]:
    """The tree as one function of the facts (the engine's fast path: no explanation, no tree walking)."""
    if isinstance(node, Condition):
        key, test = node.field.key, node.test
        return lambda facts: test(facts.get(key))
    tests = tuple(compile_tree(child) for child in node.children)
    if node.kind == "not":
        inner = tests[0]
        return lambda facts: not inner(facts)
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        if node.kind == "and":
            return lambda facts: first(facts) and second(facts)
        return lambda facts: first(facts) or second(facts)
    if len(tests) == 3 and node.kind == "and":
        first, second, third = tests
        return lambda facts: first(facts) and second(facts) and third(facts)
    if node.kind == "and":
        return lambda facts: all(test(facts) for test in tests)
    return lambda facts: any(test(facts) for test in tests)


def _evaluate(node: Node, facts: Facts, out: list[dict[str, Any]]) -> bool:
    if isinstance(node, Condition):
        fact = facts.get(node.field.key)
        result = node.test(fact)
        out.append(node.to_json() | {"holds": result, "traveller_value": _jsonable(fact)})
        return result
    if node.kind == "not":
        return not _evaluate(node.children[0], facts, out)
    deciding = node.kind == "or"  # OR is decided by a true member, AND by a false one
    trail: list[dict[str, Any]] = []
    for child in node.children:
        mark = len(trail)
        if _evaluate(child, facts, trail) is deciding:
            out.extend(trail[mark:])
            return deciding
    out.extend(trail)
    return not deciding


def _jsonable(value: Any) -> Any:
    """A fact value as JSON: dates and times in ISO form, lists element-wise."""
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    return value
