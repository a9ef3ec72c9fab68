"""HTTP intake: ``POST /api/v1/messages`` and ``GET /api/v1/messages/<id>``, every error path with its JSON."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gtas.generator import flight_with, paxlst_writer
from gtas.ingest.tokens import revoke_token
from gtas.model import Channel, Message
from gtas.parsers import parse
from tests.web.conftest import bearer, issue

LIST = paxlst_writer.write(flight_with(passengers=3, pnrs=2, seed=2, start=datetime(2026, 5, 1)).passenger_list)[0]
CARRIER = parse(LIST.encode()).messages[0].flights[0].carrier or ""
GARBAGE = b"\x00\xff\xfe garbage \x80\x81 not a message"


@pytest.fixture
def token(sessions: sessionmaker[Session]) -> str:
    return issue(sessions, "Test Air", [CARRIER, "ZZ"])


def stored(sessions: sessionmaker[Session], message_id: int) -> Message:
    with sessions() as session:
        return session.get_one(Message, message_id)


def assert_error(response: Any, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    assert set(body) == {"error", "detail"} and body["error"] == error and body["detail"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    return body


def test_generated_list_is_stored_loaded_and_assessed(client: FlaskClient, token: str,
                                             sessions: sessionmaker[Session]) -> None:
    response = client.post("/api/v1/messages", data=LIST, content_type="application/EDIFACT", headers=bearer(token))
    assert response.status_code == 202
    body = response.get_json()
    assert body == {"id": body["id"], "status": "assessed", "status_url": f"/api/v1/messages/{body['id']}"}
    message = stored(sessions, body["id"])
    assert message.raw == LIST.encode() and message.channel == Channel.HTTP and message.submitter == "Test Air"
    status = client.get(body["status_url"], headers=bearer(token)).get_json()
    assert status["status"] == "assessed" and status["type"] == "PAXLST" and status["errors"] == []


def test_garbage_is_stored_as_failed_parse(client: FlaskClient, token: str, sessions: sessionmaker[Session]) -> None:
    response = client.post("/api/v1/messages", data=GARBAGE, content_type="application/octet-stream",
                           headers=bearer(token))
    assert response.status_code == 202 and response.get_json()["status"] == "failed_parse"
    message = stored(sessions, response.get_json()["id"])
    assert message.raw == GARBAGE and message.errors
    status = client.get(f"/api/v1/messages/{message.id}", headers=bearer(token)).get_json()
    assert status["status"] == "failed_parse" and status["errors"][0]["severity"] == "error"


def test_message_for_another_carrier_is_kept_but_not_loaded(client: FlaskClient,
                                                            sessions: sessionmaker[Session]) -> None:
    other = issue(sessions, "Other Air", ["QQ"])
    response = client.post("/api/v1/messages", data=LIST, content_type="text/plain", headers=bearer(other))
    assert response.status_code == 202 and response.get_json()["status"] == "failed_load"
    message = stored(sessions, response.get_json()["id"])
    assert message.raw == LIST.encode() and message.carrier == CARRIER
    assert message.errors[0]["message"].startswith(f"token not allowed for carrier {CARRIER}")


def test_multipart_with_two_files(client: FlaskClient, token: str, sessions: sessionmaker[Session]) -> None:
    files = [(io.BytesIO(LIST.encode()), "list.edi"), (io.BytesIO(GARBAGE), "junk.bin")]
    response = client.post("/api/v1/messages", data={"file": files}, content_type="multipart/form-data",
                           headers=bearer(token))
    assert response.status_code == 202
    entries = response.get_json()["messages"]
    assert [(e["filename"], e["status"]) for e in entries] == [("list.edi", "assessed"), ("junk.bin", "failed_parse")]
    assert stored(sessions, entries[1]["id"]).raw == GARBAGE
    named = client.post("/api/v1/messages", data={"file": [(io.BytesIO(GARBAGE + b"!"), "ju\x00nk.bin")]},
                        content_type="multipart/form-data", headers=bearer(token))
    assert named.status_code == 202  # the name loses its NUL character, which PostgreSQL cannot store
    assert stored(sessions, named.get_json()["messages"][0]["id"]).filename == "junk.bin"


def test_resend_is_recorded_as_duplicate(client: FlaskClient, token: str) -> None:
    first = client.post("/api/v1/messages", data=LIST, content_type="text/plain", headers=bearer(token)).get_json()
    again = client.post("/api/v1/messages", data=LIST, content_type="text/plain", headers=bearer(token)).get_json()
    assert again["status"] == "duplicate"
    assert client.get(again["status_url"], headers=bearer(token)).get_json()["duplicate_of"] == first["id"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "}])
def test_no_token_is_401(client: FlaskClient, headers: dict[str, str]) -> None:
    response = client.post("/api/v1/messages", data=LIST, content_type="text/plain", headers=headers)
    assert_error(response, 401, "authentication required")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_and_revoked_tokens_are_401(client: FlaskClient, token: str, sessions: sessionmaker[Session]) -> None:
    wrong = client.post("/api/v1/messages", data=LIST, content_type="text/plain", headers=bearer(token + "x"))
    assert_error(wrong, 401, "invalid token")
    with sessions.begin() as session:
        revoke_token(session, token[:12])
    revoked = client.get("/api/v1/messages/1", headers=bearer(token))
    assert_error(revoked, 401, "invalid token")
    assert 'error="invalid_token"' in revoked.headers["WWW-Authenticate"]


def test_body_over_the_limit_is_413(client: FlaskClient, token: str, sessions: sessionmaker[Session]) -> None:
    body = b"UNA:+.? '" + b"X" * (50 * 1024 * 1024)
    response = client.post("/api/v1/messages", data=body, content_type="text/plain", headers=bearer(token))
    assert "16777216 bytes" in assert_error(response, 413, "message too large")["detail"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0


def test_chunked_body_over_the_limit_is_413(client: FlaskClient, token: str) -> None:
    body = io.BytesIO(b"X" * (17 * 1024 * 1024))
    response = client.post("/api/v1/messages", input_stream=body, content_type="text/plain",
                           headers={**bearer(token), "Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    assert_error(response, 413, "message too large")


@pytest.mark.parametrize("data", [b"", b"  \r\n"])
def test_empty_body_is_400(client: FlaskClient, token: str, data: bytes) -> None:
    response = client.post("/api/v1/messages", data=data, content_type="text/plain", headers=bearer(token))
    assert_error(response, 400, "empty message")


@pytest.mark.parametrize("content_type", ["application/json", "image/png", ""])
def test_wrong_content_type_is_415(client: FlaskClient, token: str, content_type: str) -> None:
    response = client.post("/api/v1/messages", data=LIST, content_type=content_type, headers=bearer(token))
    assert "application/edifact" in assert_error(response, 415, "unsupported content type")["detail"]


def test_truncated_multipart_is_400(client: FlaskClient, token: str, sessions: sessionmaker[Session]) -> None:
    body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.edi\"\r\n"
            b"Content-Type: text/plain\r\n\r\n" + LIST.encode()[:500])
    response = client.post("/api/v1/messages", data=body, content_type="multipart/form-data; boundary=XyZ",
                           headers=bearer(token))
    assert_error(response, 400, "malformed multipart body")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0


def test_multipart_without_boundary_or_file_is_400(client: FlaskClient, token: str) -> None:
    no_boundary = client.post("/api/v1/messages", data=b"--x\r\n", content_type="multipart/form-data",
                              headers=bearer(token))
    assert_error(no_boundary, 400, "malformed multipart body")
    no_file = client.post("/api/v1/messages", data={"other": "x"}, content_type="multipart/form-data",
                          headers=bearer(token))
    assert_error(no_file, 400, "no file")


def test_status_is_only_shown_to_the_sending_party(client: FlaskClient, token: str,
                                                   sessions: sessionmaker[Session]) -> None:
    posted = client.post("/api/v1/messages", data=GARBAGE, content_type="text/plain", headers=bearer(token))
    other = issue(sessions, "Other Air", ["QQ"])
    assert_error(client.get(posted.get_json()["status_url"], headers=bearer(other)), 404, "message not found")
    assert_error(client.get("/api/v1/messages/999999", headers=bearer(token)), 404, "message not found")


def test_unknown_route_and_method_answer_json(client: FlaskClient, token: str) -> None:
    assert_error(client.get("/api/v1/nothing", headers=bearer(token)), 404, "Not Found")
    assert_error(client.delete("/api/v1/messages", headers=bearer(token)), 405, "Method Not Allowed")
