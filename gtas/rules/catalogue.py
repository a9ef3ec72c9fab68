"""The field catalogue: every fact a rule may test, its type and the operators valid for it, as data the UI reads.

Keys are ``entity.name``. A field marked ``multi`` holds several values for one traveller (his documents, the legs
of his itinerary, the phones of his booking …); a condition on it holds when **any** value satisfies it, except
``not_equals``, which holds when the field has values and **none** equals the given one (see
``gtas.rules.conditions``).

Special categories of data are not offered (EU PNR directive 2016/681, art. 6(4); GDPR art. 9): nothing that
reveals racial or ethnic origin, political opinions, religion or beliefs, trade-union membership, health, sex life
or sexual orientation. In passenger data they hide in special service requests (religious or medical meals such as
MOML, KSML, HNML, DBML; medical cases MEDA; wheelchairs WCHR/WCHS/WCHC; blind, deaf, stretcher, oxygen …) and in
free-text remarks. Rules therefore get no remarks, no history text, and only the SSR codes of
``OPERATIONAL_SSR_CODES`` (documents, contacts, tickets, seats, bags, infants, loyalty): an allow-list, so a new or
unknown code is withheld rather than leaked. ``WITHHELD_SSR_EXAMPLES`` names sensitive codes the tests check are
never offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class FieldType(StrEnum):
    """What kind of value a field holds; decides the operators and how values are read."""

    STRING = "string"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    COUNTRY = "country"  # ISO 3166 alpha-3
    AIRPORT = "airport"  # IATA code
    LIST = "list"  # a set of codes (always multi-valued): SSR codes, bag tags


class Operator(StrEnum):
    """How a condition compares a field with its value."""

    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    IN = "in"
    BETWEEN = "between"
    LESS_THAN = "less_than"
    GREATER_THAN = "greater_than"
    STARTS_WITH = "starts_with"
    ENDS_WITH = "ends_with"
    CONTAINS = "contains"
    MATCHES = "matches"
    IS_EMPTY = "is_empty"
    IN_REFERENCE_LIST = "in_reference_list"


_TEXT = (Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN, Operator.STARTS_WITH, Operator.ENDS_WITH,
         Operator.CONTAINS, Operator.MATCHES, Operator.IS_EMPTY, Operator.IN_REFERENCE_LIST)
_CODE = (Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN, Operator.IS_EMPTY, Operator.IN_REFERENCE_LIST)
_ORDERED = (Operator.EQUALS, Operator.NOT_EQUALS, Operator.BETWEEN, Operator.LESS_THAN, Operator.GREATER_THAN,
            Operator.IS_EMPTY)

OPERATORS_BY_TYPE: dict[FieldType, tuple[Operator, ...]] = {
    FieldType.STRING: _TEXT,
    FieldType.LIST: _TEXT,
    FieldType.COUNTRY: _CODE,
    FieldType.AIRPORT: _CODE,
    FieldType.NUMBER: (*_ORDERED[:2], Operator.IN, *_ORDERED[2:]),
    FieldType.DATE: _ORDERED,
    FieldType.DATETIME: _ORDERED,
    FieldType.BOOLEAN: (Operator.EQUALS, Operator.IS_EMPTY),
}

OPERATOR_LABELS: dict[Operator, str] = {
    Operator.EQUALS: "equals", Operator.NOT_EQUALS: "does not equal", Operator.IN: "is one of",
    Operator.BETWEEN: "is between (inclusive)", Operator.LESS_THAN: "is less than",
    Operator.GREATER_THAN: "is greater than", Operator.STARTS_WITH: "starts with", Operator.ENDS_WITH: "ends with",
    Operator.CONTAINS: "contains", Operator.MATCHES: "matches the regular expression",
    Operator.IS_EMPTY: "is empty", Operator.IN_REFERENCE_LIST: "is in the reference list",
}

# Reference lists hold codes of one kind; a field accepts the lists of its kind (see ReferenceList.kind).
REFERENCE_KIND_BY_TYPE: dict[FieldType, str] = {
    FieldType.AIRPORT: "airport", FieldType.COUNTRY: "country", FieldType.STRING: "text", FieldType.LIST: "text",
}

OPERATIONAL_SSR_CODES = frozenset({
    "DOCS", "DOCA", "DOCO", "FOID", "CTCE", "CTCM", "CTCH", "CTCB", "TKNE", "TKNA", "TKNM", "FQTV", "FQTR", "FQTS",
    "SEAT", "RQST", "NSST", "INFT", "CHLD", "XBAG", "EXST", "CBBG", "PETC", "AVIH", "GRPS", "GRPF", "OTHS", "PCTC",
    "ADTK", "TKTL", "ASVC",
})

WITHHELD_SSR_EXAMPLES = ("MOML", "KSML", "HNML", "VJML", "DBML", "GFML", "LSML", "SPML", "MEDA", "WCHR", "WCHS",
                         "WCHC", "BLND", "DEAF", "STCR", "OXYG", "DPNA", "MAAS")


@dataclass(frozen=True, slots=True)
class Field:
    """One fact about a traveller that rules may test."""

    key: str
    type: FieldType
    label: str
    description: str
    multi: bool = False
    choices: tuple[str, ...] = ()  # the values a text field can hold, when they are a fixed set (the UI's select)

    @property
    def entity(self) -> str:
        """The part of the data the field belongs to (traveller, document, flight …)."""
        return self.key.split(".", 1)[0]

    @property
    def operators(self) -> tuple[Operator, ...]:
        return OPERATORS_BY_TYPE[self.type]

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "entity": self.entity, "type": str(self.type), "multi": self.multi,
                "label": self.label, "description": self.description,
                "operators": [str(operator) for operator in self.operators],
                **({"choices": list(self.choices)} if self.choices else {})}


def _f(key: str, type_: FieldType, label: str, description: str, *, multi: bool = False,
       choices: tuple[str, ...] = ()) -> Field:
    return Field(key, type_, label, description, multi or type_ is FieldType.LIST, choices)


_S, _N, _D, _T, _B = FieldType.STRING, FieldType.NUMBER, FieldType.DATE, FieldType.DATETIME, FieldType.BOOLEAN
_C, _A, _L = FieldType.COUNTRY, FieldType.AIRPORT, FieldType.LIST

FIELDS: tuple[Field, ...] = (
    # traveller: the merged API and PNR view of one person on one flight
    _f("traveller.role", _S, "Role", "passenger, crew, in_transit … as listed",
       choices=("passenger", "crew", "in_transit", "in_transit_crew", "infant")),
    _f("traveller.surname", _S, "Surname", "Surname as sent (API wins over PNR)"),
    _f("traveller.given_names", _S, "Given names", "Given names as sent"),
    _f("traveller.date_of_birth", _D, "Date of birth", "Date of birth"),
    _f("traveller.age", _N, "Age", "Age in whole years on the departure date"),
    _f("traveller.gender", _S, "Gender", "M, F, U or X as sent", choices=("M", "F", "U", "X")),
    _f("traveller.nationality", _C, "Nationality", "Nationality (alpha-3)"),
    _f("traveller.residence_country", _C, "Country of residence", "Country of residence (alpha-3)"),
    _f("traveller.birth_place", _S, "Place of birth", "Place of birth as sent"),
    _f("traveller.birth_country", _C, "Country of birth", "Country of birth (alpha-3)"),
    _f("traveller.embarkation", _A, "Embarkation", "Airport where the traveller's journey on this flight starts"),
    _f("traveller.debarkation", _A, "Debarkation", "Airport where the traveller leaves this flight"),
    _f("traveller.seat", _S, "Seat", "Seat on this flight (API or check-in)"),
    _f("traveller.verified", _B, "Identity verified", "The airline verified the document (API GEI)"),
    _f("traveller.boarded", _B, "Boarded", "Listed on a close-out (boarded) list"),
    _f("traveller.has_api", _B, "In API", "An API list named the traveller"),
    _f("traveller.has_pnr", _B, "In a PNR", "A PNR on this flight names the traveller"),
    # documents
    _f("document.type", _S, "Document type", "P passport, V visa, I identity card … as sent", multi=True),
    _f("document.number", _S, "Document number", "Document number", multi=True),
    _f("document.issuing_country", _C, "Document issuer", "Country that issued the document", multi=True),
    _f("document.nationality", _C, "Document nationality", "Nationality stated on the document", multi=True),
    _f("document.expiry", _D, "Document expiry", "Expiry date", multi=True),
    _f("document.issue_date", _D, "Document issue date", "Issue date", multi=True),
    _f("document.place_of_issue", _S, "Place of issue", "Place of issue as sent", multi=True),
    _f("document.days_valid_after_arrival", _N, "Days valid after arrival",
       "Days between the flight's arrival and the document's expiry (negative: expired)", multi=True),
    # the flight the traveller is on
    _f("flight.carrier", _S, "Carrier", "Airline designator of the flight"),
    _f("flight.number", _S, "Flight number", "Flight number without leading zeros"),
    _f("flight.designator", _S, "Flight", "Carrier, number and suffix, e.g. LH400"),
    _f("flight.origin", _A, "Flight origin", "Departure airport of the flight"),
    _f("flight.destination", _A, "Flight destination", "Arrival airport of the flight"),
    _f("flight.origin_country", _C, "Origin country", "Country of the departure airport"),
    _f("flight.destination_country", _C, "Destination country", "Country of the arrival airport"),
    _f("flight.departure", _T, "Departure (UTC)", "Scheduled departure, UTC"),
    _f("flight.arrival", _T, "Arrival (UTC)", "Scheduled arrival, UTC"),
    _f("flight.departure_date", _D, "Departure date", "Airport-local departure date"),
    _f("flight.direction", _S, "Direction", "inbound, outbound, domestic or overflight",
       choices=("inbound", "outbound", "domestic", "overflight")),
    _f("flight.passenger_count", _N, "Passengers on board", "Passengers the API list declared"),
    # itinerary: every leg of the traveller's booking
    _f("itinerary.carrier", _S, "Itinerary carrier", "Marketing carrier of a booked leg", multi=True),
    _f("itinerary.flight", _S, "Itinerary flight", "Designator of a booked leg, e.g. AF1234", multi=True),
    _f("itinerary.operating_carrier", _S, "Operating carrier", "Operating carrier of a codeshare leg", multi=True),
    _f("itinerary.origin", _A, "Leg origin", "Departure airport of a booked leg", multi=True),
    _f("itinerary.destination", _A, "Leg destination", "Arrival airport of a booked leg", multi=True),
    _f("itinerary.departure_date", _D, "Leg departure date", "Local departure date of a booked leg", multi=True),
    _f("itinerary.booking_class", _S, "Booking class", "Reservation booking designator of a leg", multi=True),
    _f("itinerary.status", _S, "Leg status", "Reservation status of a leg (HK, UN …)", multi=True),
    _f("itinerary.leg_count", _N, "Legs booked", "Number of legs in the booking"),
    # the booking
    _f("pnr.record_locator", _S, "Record locator", "Booking reference"),
    _f("pnr.carrier", _S, "Locator owner", "Airline or system that owns the locator"),
    _f("pnr.created", _T, "Booked at", "Booking time as sent (read as UTC)"),
    _f("pnr.created_on", _D, "Booking date", "Booking date"),
    _f("pnr.last_modified", _T, "Last changed", "Time of the latest change as sent (read as UTC)"),
    _f("pnr.change_count", _N, "Booking changes", "Number of booking history entries"),
    _f("pnr.ssr_codes", _L, "Service requests",
       "Operational SSR codes of the booking (DOCS, FOID, XBAG …); sensitive codes are never offered"),
    _f("ticket.number", _S, "Ticket number", "Ticket number", multi=True),
    _f("ticket.issue_date", _D, "Ticket issue date", "Date the ticket was issued", multi=True),
    _f("ticket.issuing_carrier", _S, "Ticketing carrier", "Airline that issued the ticket", multi=True),
    _f("ticket.place_of_issue", _S, "Ticketing place", "Place or office of issue", multi=True),
    _f("ticket.fare", _N, "Fare", "Total fare (in the ticket's currency)", multi=True),
    _f("ticket.currency", _S, "Fare currency", "Currency of the fare", multi=True),
    _f("ticket.one_way", _B, "One-way ticket", "The ticket says one way", multi=True),
    # contacts of the traveller and of his booking
    _f("contact.phone", _S, "Phone", "Phone number, digits only", multi=True),
    _f("contact.email", _S, "E-mail", "E-mail address, lower case", multi=True),
    _f("contact.email_domain", _S, "E-mail domain", "Part after the @ of an e-mail address", multi=True),
    _f("contact.address", _S, "Address", "Postal address as one line", multi=True),
    # payment
    _f("payment.type", _S, "Form of payment", "CA cash, CC card, MS, CK cheque, IN invoice … as sent", multi=True),
    _f("payment.amount", _N, "Amount paid", "Amount of a payment", multi=True),
    _f("payment.currency", _S, "Payment currency", "Currency of a payment", multi=True),
    _f("payment.card_type", _S, "Card type", "VI, CA, AX … of a card payment", multi=True),
    _f("payment.card_last4", _S, "Card last digits", "Last four digits of the card", multi=True),
    _f("payment.card_holder", _S, "Card holder", "Name on the card", multi=True),
    # agency
    _f("agency.name", _S, "Agency", "Travel agency or airline office that made the booking", multi=True),
    _f("agency.iata_number", _S, "Agency IATA number", "IATA number of the agency", multi=True),
    _f("agency.office", _S, "Agency office", "Office or pseudo-city code", multi=True),
    _f("agency.location", _S, "Agency location", "City or location code of the agency", multi=True),
    _f("agency.country", _C, "Agency country", "Country of the agency", multi=True),
    _f("agency.system", _S, "Reservation system", "Reservation system code, e.g. 1A", multi=True),
    # bags
    _f("bag.count", _N, "Bags", "Checked bags (API, else the booking's bag records)"),
    _f("bag.weight_kg", _N, "Bag weight (kg)", "Total weight of checked bags"),
    _f("bag.tags", _L, "Bag tags", "Bag tag numbers"),
    _f("bag.destination", _A, "Bag destination", "Airport the bags are checked to", multi=True),
    _f("bag.pooled", _B, "Pooled bags", "The bags are pooled with another traveller's"),
    # seats
    _f("seat.number", _S, "Seat (booking)", "Seat requested or assigned in the booking", multi=True),
    _f("seat.cabin", _S, "Cabin", "Cabin of a booked seat", multi=True),
    # frequent flyer
    _f("frequent_flyer.carrier", _S, "Loyalty airline", "Airline of a frequent-flyer programme", multi=True),
    _f("frequent_flyer.number", _S, "Frequent-flyer number", "Membership number", multi=True),
    _f("frequent_flyer.tier", _S, "Loyalty tier", "Tier of the membership", multi=True),
    # derived facts
    _f("derived.hours_booking_to_departure", _N, "Hours from booking to departure",
       "Hours between the booking time and the flight's departure (UTC)"),
    _f("derived.trip_type", _S, "Trip type",
       "one_way, return (ends where it started) or open_jaw (returns from or to another airport)",
       choices=("one_way", "return", "open_jaw")),
    _f("derived.trip_length_days", _N, "Trip length (days)",
       "Days between the first departure and the last arrival of a return or open-jaw booking"),
    _f("derived.connection_dwell_hours", _N, "Dwell at connections (hours)",
       "Hours on the ground between two connecting legs (gaps under 24 hours)", multi=True),
    _f("derived.route_airports", _A, "Airports on the route", "Every airport of the booked itinerary", multi=True),
    _f("derived.route_countries", _C, "Countries on the route", "Countries of every airport of the itinerary",
       multi=True),
    _f("derived.paid_in_cash", _B, "Paid in cash", "A payment of the booking was made in cash (CA)"),
    _f("derived.party_size", _N, "Party size", "Travellers of the same booking on this flight"),
    _f("derived.travelling_with_listed_person", _B, "Travelling with a listed person",
       "Another traveller of the same booking on this flight has a watchlist hit (filled by the assessment)"),
    _f("derived.bags_per_day", _N, "Bags per trip day",
       "Checked bags divided by the trip length in days (at least one day)"),
    _f("derived.first_trip_to_country", _B, "First trip to the country",
       "No earlier flight of the same person to the destination country is known"),
    _f("derived.api_pnr_name_mismatch", _B, "API/PNR name mismatch",
       "The name on the API list differs from the name in the booking"),
)

CATALOGUE: dict[str, Field] = {field.key: field for field in FIELDS}


def catalogue_json() -> dict[str, Any]:
    """The catalogue for the UI: fields, operators with their labels, and which reference lists fit which types."""
    return {
        "fields": [field.to_json() for field in FIELDS],
        "operators": [{"key": str(op), "label": OPERATOR_LABELS[op]} for op in Operator],
        "reference_kinds": {str(type_): kind for type_, kind in REFERENCE_KIND_BY_TYPE.items()},
    }
