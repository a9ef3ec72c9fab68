"""Condition trees: every operator true and false, wrong values refused with clear errors, hostile input bounded."""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, date, datetime
from typing import Any

import pytest

from gtas.rules.conditions import (
    MAX_CONDITIONS,
    MAX_DEPTH,
    MAX_LIST_ITEMS,
    InvalidConditions,
    ReferenceItems,
    evaluate,
    holds,
    parse,
    validate,
)

LISTS = {
    "airports of concern": ReferenceItems("airport", frozenset({"BOG", "cur"})),
    "countries of concern": ReferenceItems("country", frozenset({"VEN"})),
    "agencies": ReferenceItems("text", frozenset({"Cheap Tickets Ltd"})),
}
DEPARTURE = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
FACTS: dict[str, Any] = {
    "traveller.surname": "O'Brien-Smith", "traveller.nationality": "COL", "traveller.age": 34,
    "traveller.date_of_birth": date(1992, 5, 17), "traveller.verified": True, "traveller.birth_place": None,
    "flight.departure": DEPARTURE, "flight.origin": "BOG",
    "contact.phone": ["4915112345678", "33612345678"], "contact.email": [],
    "derived.route_airports": ["BOG", "MIA", "JFK"], "derived.route_countries": ["COL", "USA"],
    "derived.connection_dwell_hours": [1.5, 9.25], "pnr.ssr_codes": ["DOCS", "XBAG"],
    "agency.name": ["CHEAP TICKETS LTD"], "document.expiry": [date(2027, 1, 1), None],
}


def cond(field: str, operator: str, value: Any) -> dict[str, Any]:
    return {"field": field, "operator": operator, "value": value}


CASES = [
    # (field, operator, value, expected)
    ("traveller.nationality", "equals", "col", True),
    ("traveller.nationality", "equals", "VEN", False),
    ("traveller.surname", "equals", "o'brien-smith", True),
    ("traveller.age", "equals", 34, True),
    ("traveller.age", "equals", 34.5, False),
    ("traveller.verified", "equals", True, True),
    ("traveller.verified", "equals", False, False),
    ("traveller.nationality", "not_equals", "VEN", True),
    ("traveller.nationality", "not_equals", "COL", False),
    ("contact.phone", "not_equals", "33612345678", False),  # multi: none may equal
    ("contact.phone", "not_equals", "1", True),
    ("contact.email", "not_equals", "a@b.c", False),  # no value: unknown, not "different"
    ("traveller.birth_place", "not_equals", "PARIS", False),
    ("traveller.nationality", "in", ["VEN", "COL"], True),
    ("traveller.nationality", "in", ["VEN", "CUB"], False),
    ("traveller.age", "in", [18, 34], True),
    ("traveller.age", "between", [30, 34], True),
    ("traveller.age", "between", [35, 60], False),
    ("traveller.date_of_birth", "between", ["1990-01-01", "1992-05-17"], True),
    ("traveller.date_of_birth", "between", ["1993-01-01", "1999-12-31"], False),
    ("flight.departure", "between", ["2026-11-24T00:00:00Z", "2026-11-24T23:59:59+00:00"], True),
    ("flight.departure", "less_than", "2026-11-24T15:00:00+01:00", False),
    ("flight.departure", "greater_than", "2026-11-24T13:00:00Z", True),
    ("traveller.age", "less_than", 35, True),
    ("traveller.age", "less_than", 34, False),
    ("traveller.age", "greater_than", 33.9, True),
    ("traveller.age", "greater_than", 34, False),
    ("derived.connection_dwell_hours", "greater_than", 8, True),  # any leg
    ("derived.connection_dwell_hours", "greater_than", 10, False),
    ("document.expiry", "less_than", "2027-06-01", True),
    ("traveller.surname", "starts_with", "O'BR", True),
    ("traveller.surname", "starts_with", "SMITH", False),
    ("traveller.surname", "ends_with", "smith", True),
    ("traveller.surname", "ends_with", "brien", False),
    ("traveller.surname", "contains", "BRIEN", True),
    ("traveller.surname", "contains", "JONES", False),
    ("contact.phone", "starts_with", "49151", True),
    ("contact.phone", "starts_with", "44", False),
    ("traveller.surname", "matches", r"^o'?brien", True),
    ("traveller.surname", "matches", r"^smith", False),
    ("contact.phone", "matches", r"^49\d{11}$", True),
    ("traveller.birth_place", "is_empty", True, True),
    ("traveller.birth_place", "is_empty", False, False),
    ("traveller.surname", "is_empty", True, False),
    ("contact.email", "is_empty", True, True),
    ("contact.phone", "is_empty", False, True),
    ("document.expiry", "is_empty", True, False),
    ("flight.origin", "in_reference_list", "airports of concern", True),
    ("derived.route_airports", "in_reference_list", "airports of concern", True),
    ("derived.route_countries", "in_reference_list", "countries of concern", False),
    ("agency.name", "in_reference_list", "agencies", True),
    ("pnr.ssr_codes", "equals", "xbag", True),
    ("pnr.ssr_codes", "in", ["WCHR", "FOID"], False),
]


@pytest.mark.parametrize(("field", "operator", "value", "expected"),
                         [case for case in CASES if case[3] is not None])
def test_operator(field: str, operator: str, value: Any, expected: bool) -> None:
    tree = parse(cond(field, operator, value), LISTS)
    assert holds(tree, FACTS) is expected
    assert evaluate(tree, FACTS).holds is expected


def test_every_operator_is_covered_both_ways() -> None:
    outcomes: dict[str, set[bool]] = {}
    for _, operator, _, expected in CASES:
        if expected is not None:
            outcomes.setdefault(operator, set()).add(expected)
    assert all(outcomes[op] == {True, False} for op in outcomes if op != "in_reference_list")
    assert len(outcomes) == 12


def test_missing_values_satisfy_only_is_empty() -> None:
    for operator, value in (("equals", "X"), ("in", ["X"]), ("starts_with", "X"), ("contains", "X"),
                            ("matches", "."), ("in_reference_list", "agencies")):
        assert holds(parse(cond("traveller.birth_place", operator, value), LISTS), FACTS) is False
    assert holds(parse(cond("traveller.age", "less_than", 200), LISTS), {}) is False


@pytest.mark.parametrize(("tree", "message"), [
    (cond("traveller.religion", "equals", "X"), "unknown field 'traveller.religion'"),
    (cond("traveller.age", "approximately", 3), "unknown operator 'approximately'"),
    (cond("traveller.age", "starts_with", "3"), "operator starts_with is not valid for traveller.age (number)"),
    (cond("derived.paid_in_cash", "greater_than", True), "not valid for derived.paid_in_cash (boolean)"),
    (cond("traveller.age", "equals", "34"), "expected a number, got '34'"),
    (cond("traveller.age", "equals", True), "expected a number, got True"),
    (cond("traveller.nationality", "equals", "Colombia"), "expected a three-letter country code"),
    (cond("traveller.date_of_birth", "equals", "17/05/1992"), "expected a date YYYY-MM-DD"),
    (cond("flight.departure", "less_than", "2026-11-24T10:00"), "has no time zone"),
    (cond("traveller.age", "between", [40, 30]), "low 40 is above high 30"),
    (cond("traveller.age", "between", [30]), "between takes a list of two values"),
    (cond("traveller.nationality", "in", []), "in takes a non-empty list"),
    (cond("traveller.nationality", "in", "COL"), "in takes a non-empty list"),
    (cond("traveller.surname", "contains", ""), "needs a non-empty text"),
    (cond("traveller.surname", "is_empty", "yes"), "is_empty takes true"),
    (cond("traveller.surname", "matches", "(unclosed"), "invalid regular expression"),
    (cond("traveller.surname", "matches", "x" * 201), "longer than 200"),
    (cond("traveller.surname", "equals", "DOE\x00"), "holds a NUL character or a lone surrogate"),  # PostgreSQL
    (cond("traveller.surname", "equals", "DOE\ud800"), "holds a NUL character or a lone surrogate"),  # no UTF-8
    (cond("flight.origin", "in_reference_list", "nope"), "no reference list named 'nope'"),
    (cond("flight.origin", "in_reference_list", "countries of concern"), "holds country codes, flight.origin needs"),
    ({"field": "traveller.age", "operator": "equals"}, "needs a value"),
    ({"field": "traveller.age", "operator": "equals", "value": 1, "extra": 2}, "unknown keys extra"),
    ({"and": []}, "and: expected a non-empty list"),
    ({"and": [cond("traveller.age", "equals", 1)], "or": []}, "a group has exactly one key"),
    ([cond("traveller.age", "equals", 1)], "expected an object"),
])
def test_bad_trees_are_refused_with_a_clear_error(tree: Any, message: str) -> None:
    with pytest.raises(InvalidConditions) as caught:
        parse(tree, LISTS)
    assert message in str(caught.value)


def test_every_error_of_a_tree_is_reported_with_its_path() -> None:
    tree = {"and": [cond("traveller.age", "equals", 1), {"or": [cond("nope", "equals", 1),
                                                                 cond("traveller.age", "equals", "x")]}]}
    errors = validate(tree, LISTS)
    assert [(e.path, e.message.split(" ")[0]) for e in errors] == [("and[1].or[0]", "unknown"),
                                                                   ("and[1].or[1]", "traveller.age")]
    assert validate(cond("traveller.age", "equals", 1)) == []


def test_groups_and_the_explanation_names_what_decided() -> None:
    tree = parse({"and": [
        cond("traveller.nationality", "in", ["COL", "VEN"]),
        {"or": [cond("traveller.age", "greater_than", 60), cond("contact.phone", "starts_with", "49")]},
        {"not": cond("traveller.verified", "equals", False)},
    ]}, LISTS)
    result = evaluate(tree, FACTS)
    assert result.holds
    assert json.loads(json.dumps(result.explanation)) == [
        {"field": "traveller.nationality", "operator": "in", "value": ["COL", "VEN"], "holds": True,
         "traveller_value": "COL"},
        {"field": "contact.phone", "operator": "starts_with", "value": "49", "holds": True,
         "traveller_value": ["4915112345678", "33612345678"]},
        {"field": "traveller.verified", "operator": "equals", "value": False, "holds": False,
         "traveller_value": True},
    ]
    failing = evaluate(tree, FACTS | {"traveller.nationality": "FRA"})
    assert not failing.holds and [e["field"] for e in failing.explanation] == ["traveller.nationality"]
    assert parse(tree.to_json(), LISTS).to_json() == tree.to_json()


def test_nesting_deeper_than_the_limit_is_refused_without_recursion_errors() -> None:
    tree: dict[str, Any] = cond("traveller.age", "equals", 1)
    for _ in range(MAX_DEPTH):
        tree = {"not": tree}
    assert holds(parse(tree), FACTS | {"traveller.age": 1}) is True  # MAX_DEPTH nots: even count
    for _ in range(5000):
        tree = {"and": [tree]}
    errors = validate(tree)
    assert len(errors) == 1 and f"nested deeper than {MAX_DEPTH}" in errors[0].message


def test_huge_lists_and_too_many_conditions_are_refused() -> None:
    assert "use a reference list" in str(validate(cond("contact.phone", "in", ["1"] * (MAX_LIST_ITEMS + 1)))[0])
    many = {"or": [cond("traveller.age", "equals", n) for n in range(MAX_CONDITIONS + 1)]}
    assert "too many" in str(validate(many)[0])
    big = parse(cond("contact.phone", "in", [str(n) for n in range(MAX_LIST_ITEMS)]))
    assert holds(big, {"contact.phone": ["9999"]}) and not holds(big, {"contact.phone": ["x"]})


@pytest.mark.parametrize("pattern", [r"(a|a)+$", r"(a|aa)+$", r"^(\d|\d\d)+$"])
def test_catastrophic_regexes_are_refused(pattern: str) -> None:
    started = time.perf_counter()
    errors = validate(cond("traveller.surname", "matches", pattern))
    assert errors and "backtracks catastrophically" in errors[0].message
    assert time.perf_counter() - started < 2


def test_a_regex_that_times_out_on_real_data_counts_as_no_match(caplog: pytest.LogCaptureFixture) -> None:
    tree = parse(cond("contact.address", "matches", r"(x|x)+$"))  # the probes hold no x: it passes validation
    started = time.perf_counter()
    assert holds(tree, {"contact.address": ["x" * 64 + "!"]}) is False
    assert time.perf_counter() - started < 2
    assert "timed out" in caplog.text
    assert holds(tree, {"contact.address": ["xx"]}) is True


def _random_tree(rng: random.Random, depth: int) -> dict[str, Any]:
    if depth == 0 or rng.random() < 0.3:
        return cond(*rng.choice([c[:3] for c in CASES]))
    kind = rng.choice(["and", "or", "not"])
    if kind == "not":
        return {"not": _random_tree(rng, depth - 1)}
    return {kind: [_random_tree(rng, depth - 1) for _ in range(rng.randint(1, 5))]}


def test_the_compiled_tree_and_the_explaining_evaluation_agree() -> None:
    rng = random.Random(4)
    outcomes = set()
    for _ in range(400):
        tree = parse(_random_tree(rng, 4), LISTS)
        result = evaluate(tree, FACTS)
        assert holds(tree, FACTS) is result.holds
        assert result.explanation
        outcomes.add(result.holds)
    assert outcomes == {True, False}
