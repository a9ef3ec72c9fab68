"""``POST /api/v1/hits/<id>/disposition`` and ``POST /api/v1/travellers/<id>/outcome``: the decision forms' services
(``gtas.web.hits.work``) behind JSON, audited as the forms are."""

from __future__ import annotations

from typing import Any

from gtas.model import DispositionKind, Hit, OutcomeKind, SeizureKind
from gtas.web import audit
from gtas.web.api.officer import API, json_body, text_field
from gtas.web.api.serialise import disposition_json, outcome_json
from gtas.web.api.spec import Parameter
from gtas.web.api.travellers import TRAVELLER_ID
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.sessions import now
from gtas.web.database import get_session, row_or_404
from gtas.web.errors import ApiError
from gtas.web.hits.views import DECIDERS
from gtas.web.hits.work import DecisionError, choose, dispose, record_outcome, suppression_end
from gtas.web.travellers.access import visible_traveller


@API.route("POST", "/hits/<int:hit_id>/disposition", summary="Decide about a hit", allowed=DECIDERS,
           body="DispositionRequest", status=201, response="Disposition", errors=(401, 403, 404),
           parameters=(Parameter("hit_id", "The hit's id.", {"type": "integer"}, "path"),))
def disposition(hit_id: int) -> tuple[dict[str, Any], int]:
    """Record a disposition of an open hit; "cleared" with ``suppress_until`` also withdraws the hit for the person
    until the end of that day (UTC)."""
    session = get_session()
    user = signed_in_user()
    hit = row_or_404(Hit, hit_id)
    visible_traveller(session, hit.traveller_id, user)
    body = json_body()
    try:
        kind = choose(DispositionKind, text_field(body, "disposition"), "disposition")
        until = suppression_end(text_field(body, "suppress_until"))
        decided = dispose(session, hit, kind, text_field(body, "notes"), user, now(), suppress_until=until,
                          suppress_reason=text_field(body, "suppress_reason").strip())
    except DecisionError as exc:
        session.rollback()
        raise ApiError(400, "not recorded", str(exc)) from exc
    audit.record("hit.disposition", object_kind="hit", object_id=hit.id, traveller_id=hit.traveller_id,
                 after={"disposition": kind.value, "notes": decided.notes,
                        "suppressed_until": until.isoformat() if until else None, "via": "api"})
    session.commit()
    return disposition_json(decided), 201


@API.route("POST", "/travellers/<int:traveller_id>/outcome", summary="Record an inspection's outcome",
           allowed=DECIDERS, body="OutcomeRequest", status=201, response="Outcome", errors=(401, 403, 404),
           parameters=(TRAVELLER_ID,))
def outcome(traveller_id: int) -> tuple[dict[str, Any], int]:
    """Record what the inspection of the traveller found; a seizure names what was seized."""
    session = get_session()
    user = signed_in_user()
    found = visible_traveller(session, traveller_id, user)
    body = json_body()
    try:
        kind = choose(OutcomeKind, text_field(body, "outcome"), "outcome")
        seizure_text = text_field(body, "seizure").strip()
        seizure = choose(SeizureKind, seizure_text, "kind of seizure") if seizure_text else None
        recorded = record_outcome(session, found, kind, seizure, text_field(body, "notes"), user, now())
    except DecisionError as exc:
        session.rollback()
        raise ApiError(400, "not recorded", str(exc)) from exc
    audit.record("traveller.outcome", object_kind="outcome", object_id=recorded.id, traveller_id=traveller_id,
                 after={"outcome": kind.value, "seizure": seizure.value if seizure else None,
                        "notes": recorded.notes, "via": "api"})
    session.commit()
    return outcome_json(recorded), 201
