"""JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of what the API answers and takes: every field is listed and
required, and no other field may appear, so that a test validating real answers catches any drift."""

from __future__ import annotations

from typing import Any

from gtas.model import DispositionKind, HitKind, OutcomeKind, RiskBand, SeizureKind
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.parsers.records import Role
from gtas.web.hits.work import NOTES_LENGTH

Schema = dict[str, Any]
STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
TIME: Schema = {"type": "string", "format": "date-time", "pattern": "Z$", "description": "UTC, ISO-8601"}
LOCAL: Schema = {"type": "string", "description": "airport-local time as the airline sent it, ISO-8601 without offset"}
DATE: Schema = {"type": "string", "format": "date"}


def nullable(schema: Schema) -> Schema:
    """The schema, or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def ref(name: str) -> Schema:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: Schema) -> Schema:
    """A list of items."""
    return {"type": "array", "items": items}


def enum(values: Any) -> Schema:
    """One of an enumeration's values."""
    return {"type": "string", "enum": [member.value for member in values]}


def strict(properties: dict[str, Schema], optional: tuple[str, ...] = ()) -> Schema:
    """An object with exactly these fields (all required but ``optional``)."""
    return {"type": "object", "properties": properties, "additionalProperties": False,
            "required": [name for name in properties if name not in optional]}


def page(items: str, key: str) -> Schema:
    """A page of a paged list: its items, the page, how many pages and items in all."""
    return strict({key: array(ref(items)), "page": INTEGER, "pages": INTEGER, "page_size": INTEGER, "total": INTEGER,
                   "next": nullable(STRING)})


FLIGHT = strict({
    "id": INTEGER, "designator": STRING, "carrier": STRING, "number": STRING, "suffix": nullable(STRING),
    "origin": STRING, "destination": STRING, "direction": nullable(STRING), "departure_date": DATE,
    "departure_local": nullable(LOCAL), "arrival_local": nullable(LOCAL), "departure_utc": nullable(TIME),
    "arrival_utc": nullable(TIME), "api_received_at": nullable(TIME), "pnr_received_at": nullable(TIME),
    "url": STRING, "page": STRING})
TRAVELLER_REF = strict({"id": INTEGER, "surname": nullable(STRING), "given_names": nullable(STRING),
                        "date_of_birth": nullable(DATE), "role": enum(Role), "url": STRING, "page": STRING})
DOCUMENT = strict({"type": STRING, "number": STRING, "issuing_country": nullable(STRING),
                   "nationality": nullable(STRING), "expiry": nullable(DATE), "issue_date": nullable(DATE)})
DISPOSITION = strict({"id": INTEGER, "hit_id": INTEGER, "disposition": enum(DispositionKind), "label": STRING,
                      "notes": STRING, "decided_by": STRING, "decided_at": TIME, "suppressed": BOOLEAN})
OUTCOME = strict({"id": INTEGER, "traveller_id": INTEGER, "outcome": enum(OutcomeKind),
                  "seizure": nullable(enum(SeizureKind)), "notes": STRING, "recorded_by": STRING, "recorded_at": TIME})
HIT_CORE = {"id": INTEGER, "kind": enum(HitKind), "severity": enum(Severity), "score": NUMBER, "label": STRING,
            "created_at": TIME}
LINE = strict({"label": STRING, "traveller": STRING, "reference": STRING, "verdict": STRING,
               "holds": nullable(BOOLEAN)})

SCHEMAS: dict[str, Schema] = {
    "Error": strict({"error": STRING, "detail": STRING}),
    "Flight": FLIGHT,
    "BoardFlight": {**FLIGHT, "properties": {
        **FLIGHT["properties"], "arrival_zone": nullable(STRING), "passengers": INTEGER, "crew": INTEGER,
        "flagged_travellers": INTEGER, "open_hits": INTEGER,
        "hits_by_kind": array(strict({"kind": enum(HitKind), "severity": enum(Severity), "count": INTEGER}))},
        "required": [*FLIGHT["required"], "arrival_zone", "passengers", "crew", "flagged_travellers", "open_hits",
                     "hits_by_kind"]},
    "FlightPage": page("BoardFlight", "flights"),
    "TravellerRef": TRAVELLER_REF,
    "Document": DOCUMENT,
    "ManifestTraveller": {**TRAVELLER_REF, "properties": {
        **TRAVELLER_REF["properties"], "gender": nullable(STRING), "nationality": nullable(STRING),
        "seat": nullable(STRING), "record_locator": nullable(STRING), "risk_band": enum(RiskBand),
        "risk_score": NUMBER, "document": nullable(ref("Document")),
        "open_hits": array(strict({"kind": enum(HitKind), "severity": enum(Severity), "label": STRING}))},
        "required": [*TRAVELLER_REF["required"], "gender", "nationality", "seat", "record_locator", "risk_band",
                     "risk_score", "document", "open_hits"]},
    "FlightManifest": strict({"flight": ref("Flight"), "travellers": array(ref("ManifestTraveller"))}),
    "Disposition": DISPOSITION,
    "Outcome": OUTCOME,
    "Hit": strict({
        **HIT_CORE, "status": STRING, "withdrawn_reason": nullable(STRING), "rule": nullable(STRING),
        "handling": nullable(STRING), "holder": nullable(STRING),
        "explanation": strict({"headline": STRING, "facts": array(strict({"label": STRING, "value": STRING})),
                               "lines": array(LINE)}),
        "details": {"type": "object", "description": "the explanation as stored: rule conditions, or the watchlist "
                                                     "match field by field, or the shared element"},
        "decisions": array(ref("Disposition"))}),
    "Traveller": strict({
        **TRAVELLER_REF["properties"], "gender": nullable(STRING), "nationality": nullable(STRING),
        "residence_country": nullable(STRING), "birth_place": nullable(STRING), "birth_country": nullable(STRING),
        "embarkation": nullable(STRING), "debarkation": nullable(STRING), "seat": nullable(STRING),
        "record_locator": nullable(STRING), "boarded": nullable(BOOLEAN),
        "bags": strict({"count": nullable(INTEGER), "weight_kg": nullable(NUMBER), "tags": array(STRING)}),
        "flight": ref("Flight"), "documents": array(ref("Document")),
        "booking": nullable(strict({
            "record_locator": STRING, "carrier": STRING, "created_on": DATE, "versions": INTEGER,
            "cancelled_at": nullable(TIME),
            "itinerary": array(strict({"position": INTEGER, "carrier": nullable(STRING), "number": nullable(STRING),
                                       "origin": nullable(STRING), "destination": nullable(STRING),
                                       "departure_local": nullable(LOCAL), "arrival_local": nullable(LOCAL),
                                       "status": nullable(STRING)})),
            "contacts": array(strict({"kind": STRING, "value": STRING, "label": nullable(STRING)})),
            "payments": array(strict({"type": STRING, "amount": nullable(STRING), "currency": nullable(STRING),
                                      "card_type": nullable(STRING), "card_last4": nullable(STRING)})),
            "agencies": array(strict({"name": nullable(STRING), "iata_number": nullable(STRING)})),
            "bags": INTEGER})),
        "risk": strict({"band": enum(RiskBand), "score": NUMBER, "assessed_at": nullable(TIME)}),
        "co_travellers": array(ref("TravellerRef")), "hits": array(ref("Hit")), "outcomes": array(ref("Outcome"))}),
    "QueueHit": strict({**HIT_CORE, "category": STRING, "traveller": ref("TravellerRef"), "flight": ref("Flight"),
                        "holder": nullable(STRING), "decision": nullable(ref("Disposition"))}),
    "HitPage": page("QueueHit", "hits"),
    "SearchResult": strict({"traveller": ref("TravellerRef"), "flight": ref("Flight"), "risk_band": enum(RiskBand),
                            "open_hits": INTEGER, "worst_severity": nullable(enum(Severity)),
                            "score": nullable(NUMBER), "why": STRING,
                            "match": nullable({"type": "object", "description": "name searches: the matcher's "
                                                                               "explanation, field by field"})}),
    "SearchResults": strict({
        "query": strict({"kind": STRING, "q": STRING, "from": DATE, "to": DATE, "limit": INTEGER,
                         "born": nullable(STRING), "date": nullable(DATE)}),
        "total": INTEGER, "results": array(ref("SearchResult"))}),
    "DispositionRequest": strict({
        "disposition": enum(DispositionKind), "notes": {"type": "string", "maxLength": NOTES_LENGTH},
        "suppress_until": {**DATE, "description": "with \"cleared\": withdraw the hit for the person until the end "
                                                  "of this day (UTC)"},
        "suppress_reason": STRING}, optional=("notes", "suppress_until", "suppress_reason")),
    "OutcomeRequest": strict({
        "outcome": enum(OutcomeKind), "seizure": {**enum(SeizureKind), "description": "only with \"seizure\""},
        "notes": {"type": "string", "maxLength": NOTES_LENGTH}}, optional=("seizure", "notes")),
    "OpenApi": {"type": "object", "description": "this document"},
    "IntakeReceipt": {"type": "object", "description": "the stored message's id, status and URL (or, for a "
                                                       "multipart push, a list of them under 'messages')"},
    "MessageStatus": {"type": "object", "description": "a message's status, type, version, warnings and errors"},
}
