"""The application factory: settings from overrides, security headers on every response."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import MethodNotAllowed, NotFound

from gtas.model import UserRole
from gtas.web import create_app
from gtas.web.errors import SECURITY_HEADERS
from gtas.web.paths import MAX_ID
from tests.web.auth_helpers import sign_in, sign_in_as


def test_overrides_reach_the_config(app: Flask) -> None:
    assert app.config["TESTING"] is True and app.config["HOME_COUNTRY"] == "USA"
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * 1024 * 1024


def test_every_response_has_the_security_headers(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.get_json()["error"] == "Not Found"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_every_id_in_a_path_is_bounded(app: Flask) -> None:
    """No route takes an id longer than the ids read from query strings: the database driver would overflow."""
    urls = app.url_map.bind("localhost")
    bounded = 0
    for rule in app.url_map.iter_rules():
        ids = re.findall(r"<int:(\w+)>", rule.rule)
        if not ids:
            continue
        method = min((rule.methods or {"GET"}) - {"HEAD", "OPTIONS"})
        other = {name: "x" for name in rule.arguments if name not in ids}
        largest, beyond = (urls.build(rule.endpoint, {**other, **dict.fromkeys(ids, n)}) for n in (MAX_ID, MAX_ID + 1))
        assert urls.match(largest, method)[0] == rule.endpoint
        with pytest.raises((NotFound, MethodNotAllowed)):  # 405: another method's rule has the same path
            urls.match(beyond, method)
        bounded += 1
    assert bounded >= 20


def test_an_id_too_large_for_the_database_is_no_such_page(app: Flask, client: FlaskClient,
                                                          sessions: sessionmaker[Session]) -> None:
    administrator = sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    assert client.get(f"/admin/users/{administrator}").status_code == 200
    for number in ("9" * 20, "9" * 5000):  # 2**63 and more: an overflow in the driver; 4,300 digits and more: int()
        assert client.get(f"/admin/users/{number}").status_code == 404


def test_a_nul_character_in_a_query_or_a_form_is_refused(app: Flask, client: FlaskClient,
                                                          sessions: sessionmaker[Session]) -> None:
    """PostgreSQL stores no NUL character: the search, the audit log or the sign-in form answered 500 with one."""
    assert client.get("/search?q=A%00B").status_code == 302  # a stranger is sent to sign in first
    refused = sign_in(client, "ad\x00min")
    assert refused.status_code == 400 and "holds a NUL character" in refused.get_json()["detail"]
    sign_in_as(app, client, sessions, UserRole.OFFICER, UserRole.AUDITOR)
    for path in ("/search?q=SMI%00TH", "/audit?user=a%00b", "/flights?q=%00", "/search?q%00=x"):
        answer = client.get(path)
        assert answer.status_code == 400 and "holds a NUL character" in answer.get_json()["detail"], path
    assert client.get("/search?q=SMITH").status_code == 200


def test_settings_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GTAS_HOME", str(tmp_path))
    monkeypatch.setenv("GTAS_CARD_KEY", "k")
    monkeypatch.setenv("GTAS_MAX_MESSAGE_BYTES", "1000")
    monkeypatch.setenv("GTAS_RATE_LIMIT_PER_MINUTE", "7")
    app = create_app()
    try:
        assert app.config["MAX_CONTENT_LENGTH"] == 1000 and app.config["RATE_LIMIT_PER_MINUTE"] == 7
        assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path.resolve().as_posix()}/gtas.db"
        assert app.config["CARD_KEY"] == b"k"
    finally:
        app.extensions["gtas.engine"].dispose()
