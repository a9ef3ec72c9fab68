"""The officers' JSON API on traffic loaded through the real intake: every endpoint answers the shapes its OpenAPI
document declares, to the roles it declares, through a session (with CSRF on changes) or a personal token, never
an airline's intake token; decisions go through the forms' services and are audited; on both databases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from gtas.model import AuditEvent, Disposition, Flight, Hit, HitStatus, Outcome, Traveller, User, UserRole
from gtas.web.api.officer import API
from gtas.web.api.user_tokens import create_user_token
from tests.web.auth_helpers import add_user, csrf_token, install_clock, sign_in_as
from tests.web.conftest import NOW, bearer, issue

READERS = [UserRole.OFFICER, UserRole.SUPERVISOR, UserRole.AUDITOR]
DECIDERS = [UserRole.OFFICER, UserRole.SUPERVISOR]


def validate(response: TestResponse, schema: str) -> dict[str, Any]:
    """The response's JSON, checked against the named schema of the served OpenAPI document."""
    document = API.document()
    registry = Registry().with_resource("urn:gtas", Resource.from_contents(document, DRAFT202012))
    body: dict[str, Any] = response.get_json()
    Draft202012Validator({"$ref": f"urn:gtas#/components/schemas/{schema}"}, registry=registry).validate(body)
    return body


def token_of(sessions: sessionmaker[Session], user_id: int) -> str:
    """A new personal token of the user."""
    with sessions.begin() as session:
        return create_user_token(session, session.get_one(User, user_id), "tests", 30, NOW)[1]


def user_with_token(sessions: sessionmaker[Session], *roles: UserRole) -> dict[str, str]:
    """The Authorization header of a new user with the roles."""
    user_id = add_user(sessions, f"api-{'-'.join(r.value for r in roles)}", *roles)
    return bearer(token_of(sessions, user_id))


def open_hit(sessions: sessionmaker[Session]) -> Hit:
    """The first open hit of the traffic."""
    with sessions() as session:
        hit = session.scalars(select(Hit).where(Hit.status == HitStatus.OPEN).order_by(Hit.id)).first()
    assert hit is not None
    return hit


def test_flights_list_the_window_with_counts(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                            traffic: list[Flight]) -> None:
    headers = user_with_token(sessions, UserRole.OFFICER)
    body = validate(client.get("/api/v1/flights?ahead=48", headers=headers), "FlightPage")
    inbound = [f for f in traffic if f.direction == "inbound"]
    assert [f["id"] for f in body["flights"]] == [f.id for f in inbound]
    assert body["total"] == len(inbound) and body["next"] is None
    assert all(f["arrival_utc"].endswith("Z") for f in body["flights"])
    assert sum(f["open_hits"] for f in body["flights"]) > 0


def test_a_flight_gives_its_manifest_and_is_audited(app: Flask, client: FlaskClient,
                                                    sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    headers = user_with_token(sessions, UserRole.OFFICER)
    flight = traffic[0]
    body = validate(client.get(f"/api/v1/flights/{flight.id}", headers=headers), "FlightManifest")
    assert body["flight"]["designator"] == flight.designator
    with sessions() as session:
        on_board = session.scalars(select(Traveller.id).where(Traveller.flight_id == flight.id,
                                                              Traveller.removed_at.is_(None))).all()
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "flight.view")).one()
    assert sorted(t["id"] for t in body["travellers"]) == sorted(on_board)
    assert event.object_id == str(flight.id) and (event.details or {})["via"] == "api"
    assert client.get("/api/v1/flights/999999", headers=headers).status_code == 404


def test_a_traveller_with_his_hits_explained(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                             traffic: list[Flight]) -> None:
    hit = open_hit(sessions)
    headers = user_with_token(sessions, UserRole.AUDITOR)
    body = validate(client.get(f"/api/v1/travellers/{hit.traveller_id}", headers=headers), "Traveller")
    shown = next(h for h in body["hits"] if h["id"] == hit.id)
    assert shown["explanation"]["headline"] and shown["details"] == hit.explanation
    with sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "traveller.view")).one()
    assert event.traveller_id == hit.traveller_id


def test_the_hits_queue_with_filters(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                     traffic: list[Flight]) -> None:
    headers = user_with_token(sessions, UserRole.SUPERVISOR)
    every = validate(client.get("/api/v1/hits", headers=headers), "HitPage")
    assert every["total"] > 0 and every["hits"]
    kind = every["hits"][0]["kind"]
    some = validate(client.get(f"/api/v1/hits?kind={kind}", headers=headers), "HitPage")
    assert {h["kind"] for h in some["hits"]} == {kind}
    bad = client.get("/api/v1/hits?severity=apocalyptic", headers=headers)
    assert bad.status_code == 400 and "severity must be one of" in validate(bad, "Error")["detail"]


def test_search_finds_by_locator_and_is_audited(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                                traffic: list[Flight]) -> None:
    with sessions() as session:
        traveller = session.scalars(select(Traveller).where(Traveller.record_locator.is_not(None))).first()
        assert traveller is not None
    headers = user_with_token(sessions, UserRole.OFFICER)
    body = validate(client.get(f"/api/v1/search?kind=locator&q={traveller.record_locator}", headers=headers),
                    "SearchResults")
    assert traveller.id in [r["traveller"]["id"] for r in body["results"]]
    named = validate(client.get(f"/api/v1/search?q={traveller.given_names} {traveller.surname}", headers=headers),
                     "SearchResults")
    assert named["results"][0]["score"] > 0.9
    bad = client.get("/api/v1/search?kind=phone&q=nope", headers=headers)
    assert bad.status_code == 400 and "phone number" in validate(bad, "Error")["detail"]
    with sessions() as session:
        assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "search")).all()) == 2


def test_a_disposition_and_an_outcome_through_the_api(app: Flask, client: FlaskClient,
                                                      sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit = open_hit(sessions)
    headers = user_with_token(sessions, UserRole.OFFICER)
    answer = client.post(f"/api/v1/hits/{hit.id}/disposition", headers=headers,
                         json={"disposition": "refer_secondary", "notes": "bags to check"})
    assert answer.status_code == 201
    assert validate(answer, "Disposition")["disposition"] == "refer_secondary"
    refused = client.post(f"/api/v1/hits/{hit.id}/disposition", headers=headers, json={"disposition": "shrug"})
    assert refused.status_code == 400 and "choose the disposition among" in validate(refused, "Error")["detail"]
    assert client.post(f"/api/v1/hits/{hit.id}/disposition", headers=headers, data="x").status_code == 400
    nul = client.post(f"/api/v1/hits/{hit.id}/disposition", headers=headers,
                      json={"disposition": "refer_secondary", "notes": "bags\u0000"})  # PostgreSQL stores no NUL
    assert nul.status_code == 400 and "notes holds a NUL character" in validate(nul, "Error")["detail"]
    lone = client.post(f"/api/v1/hits/{hit.id}/disposition", headers=headers,
                       json={"disposition": "refer_secondary", "notes": "bags\ud800"})  # no UTF-8 for it
    assert lone.status_code == 400 and "lone surrogate" in validate(lone, "Error")["detail"]
    outcome = client.post(f"/api/v1/travellers/{hit.traveller_id}/outcome", headers=headers,
                          json={"outcome": "seizure", "seizure": "currency", "notes": "undeclared cash"})
    assert outcome.status_code == 201 and validate(outcome, "Outcome")["seizure"] == "currency"
    missing = client.post(f"/api/v1/travellers/{hit.traveller_id}/outcome", headers=headers,
                          json={"outcome": "seizure"})
    assert missing.status_code == 400 and validate(missing, "Error")["detail"] == "say what was seized"
    with sessions() as session:
        assert session.scalars(select(Disposition.notes).where(Disposition.hit_id == hit.id)).all() == ["bags to check"]
        assert session.scalars(select(Outcome.notes)).all() == ["undeclared cash"]
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.traveller_id == hit.traveller_id)).all()
    assert "hit.disposition" in actions and "traveller.outcome" in actions


def test_a_session_may_change_nothing_without_its_csrf_token(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit = open_hit(sessions)
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    assert client.get(f"/api/v1/travellers/{hit.traveller_id}").status_code == 200
    refused = client.post(f"/api/v1/hits/{hit.id}/disposition", json={"disposition": "no_action"})
    assert refused.status_code == 400 and refused.get_json()["error"] == "CSRF token missing or invalid"
    accepted = client.post(f"/api/v1/hits/{hit.id}/disposition", json={"disposition": "no_action"},
                           headers={"X-CSRFToken": csrf_token(client, "/search")})
    assert accepted.status_code == 201


def test_strangers_and_airline_tokens_read_nothing(app: Flask, client: FlaskClient,
                                                   sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit = open_hit(sessions)
    for path in ("/api/v1/flights", f"/api/v1/travellers/{hit.traveller_id}", "/api/v1/hits", "/api/v1/search?q=x"):
        stranger = client.get(path)
        assert stranger.status_code == 401 and stranger.headers["WWW-Authenticate"].startswith("Bearer")
        airline = client.get(path, headers=bearer(issue(sessions, "United Airlines", ["UA"])))
        assert airline.status_code == 403 and validate(airline, "Error")["error"] == "intake token"
        assert client.get(path, headers=bearer("gtasu_made-up")).status_code == 401
        assert client.get(path, headers={"Authorization": "Basic eDp5"}).status_code == 401


def test_revoked_expired_and_disabled_tokens_stop_working(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    user_id = add_user(sessions, "tokenholder", UserRole.OFFICER)
    with sessions.begin() as session:
        token, secret = create_user_token(session, session.get_one(User, user_id), "script", 1, NOW)
        token_id = token.id
    assert client.get("/api/v1/flights", headers=bearer(secret)).status_code == 200
    clock = install_clock(app)
    clock.now = NOW + timedelta(days=1, seconds=1)
    assert client.get("/api/v1/flights", headers=bearer(secret)).status_code == 401
    clock.now = NOW
    with sessions.begin() as session:
        session.get_one(User, user_id).enabled = False
    assert client.get("/api/v1/flights", headers=bearer(secret)).status_code == 401
    with sessions.begin() as session:
        session.get_one(User, user_id).enabled = True
        assert session.get_one(type(token), token_id).last_used_at == NOW
        session.get_one(type(token), token_id).revoked_at = NOW
    assert client.get("/api/v1/flights", headers=bearer(secret)).status_code == 401


@pytest.mark.parametrize("role", list(UserRole))
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight],
                         role: UserRole) -> None:
    """Each role through a personal token, then through a signed-in session (its POSTs with the CSRF header)."""
    hit = open_hit(sessions)
    token = app.test_client()
    sign_in_as(app, client, sessions, role)
    for caller, headers in ((token, user_with_token(sessions, role)),
                            (client, {"X-CSRFToken": csrf_token(client, "/account/tokens")})):
        check_roles(caller, headers, role, hit, traffic[0])
    if role not in READERS:
        with sessions() as session:
            assert session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.forbidden")).first()


def check_roles(client: FlaskClient, headers: dict[str, str], role: UserRole, hit: Hit, flight: Flight) -> None:
    """Every endpoint answers the role as its declaration says: allowed, or 403."""
    reads = {"/api/v1/flights": READERS, f"/api/v1/flights/{flight.id}": READERS,
             f"/api/v1/travellers/{hit.traveller_id}": READERS, "/api/v1/hits": READERS,
             "/api/v1/search?q=smith": READERS, "/api/v1/openapi.json": list(UserRole),
             "/api/v1/docs": list(UserRole)}
    for path, allowed in reads.items():
        assert client.get(path, headers=headers).status_code == (200 if role in allowed else 403), path
    changes = {f"/api/v1/hits/{hit.id}/disposition": {"disposition": "no_action"},
               f"/api/v1/travellers/{hit.traveller_id}/outcome": {"outcome": "nothing_found"}}
    for path, body in changes.items():
        assert client.post(path, headers=headers, json=body).status_code == (201 if role in DECIDERS else 403), path
