"""The field catalogue: complete, consistent, JSON for the UI, and free of special categories of data."""

from __future__ import annotations

import json

from gtas.rules.catalogue import (
    CATALOGUE,
    FIELDS,
    OPERATIONAL_SSR_CODES,
    OPERATORS_BY_TYPE,
    WITHHELD_SSR_EXAMPLES,
    FieldType,
    Operator,
    catalogue_json,
)

ENTITIES = {"traveller", "document", "flight", "itinerary", "pnr", "ticket", "contact", "payment", "agency", "bag",
            "seat", "frequent_flyer", "derived"}
DERIVED = {"hours_booking_to_departure", "trip_type", "trip_length_days", "connection_dwell_hours", "route_countries",
           "paid_in_cash", "party_size", "travelling_with_listed_person", "bags_per_day", "first_trip_to_country",
           "api_pnr_name_mismatch"}


def test_keys_are_unique_and_name_their_entity() -> None:
    assert len(CATALOGUE) == len(FIELDS)
    assert {field.entity for field in FIELDS} == ENTITIES
    assert all(field.key.count(".") == 1 and field.label and field.description for field in FIELDS)


def test_every_required_derived_fact_is_offered() -> None:
    assert {f"derived.{name}" for name in DERIVED} <= set(CATALOGUE)


def test_every_type_has_operators_and_lists_are_multi_valued() -> None:
    assert set(OPERATORS_BY_TYPE) == set(FieldType)
    assert all(field.multi for field in FIELDS if field.type is FieldType.LIST)
    assert Operator.MATCHES in CATALOGUE["traveller.surname"].operators
    assert Operator.BETWEEN not in CATALOGUE["traveller.surname"].operators
    assert Operator.BETWEEN in CATALOGUE["traveller.age"].operators
    assert CATALOGUE["derived.paid_in_cash"].operators == (Operator.EQUALS, Operator.IS_EMPTY)
    assert Operator.IN_REFERENCE_LIST in CATALOGUE["derived.route_airports"].operators


def test_the_catalogue_is_json_the_ui_can_read() -> None:
    data = json.loads(json.dumps(catalogue_json()))
    nationality = next(f for f in data["fields"] if f["key"] == "traveller.nationality")
    assert nationality == {"key": "traveller.nationality", "entity": "traveller", "type": "country", "multi": False,
                           "label": "Nationality", "description": "Nationality (alpha-3)",
                           "operators": ["equals", "not_equals", "in", "is_empty", "in_reference_list"]}
    assert {op["key"] for op in data["operators"]} == {str(op) for op in Operator}
    assert data["reference_kinds"]["airport"] == "airport"


def test_special_categories_of_data_are_not_offered() -> None:
    """EU PNR directive art. 6(4): nothing revealing race, religion, health … (meal and medical SSRs, remarks)."""
    assert not OPERATIONAL_SSR_CODES & set(WITHHELD_SSR_EXAMPLES)
    words = ("meal", "medical", "wheelchair", "health", "religio", "ethnic", "race", "remark", "diet", "disab",
             "ssr_text", "history_text", "political", "union", "sexual")
    for field in FIELDS:
        text = f"{field.key} {field.label}".lower()
        assert not any(word in text for word in words), field.key
    for code in WITHHELD_SSR_EXAMPLES:
        assert not any(code.lower() in field.key for field in FIELDS)
