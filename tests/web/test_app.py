"""The application factory: settings from overrides, security headers on every response."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gtas.web import create_app
from gtas.web.errors import SECURITY_HEADERS


def test_overrides_reach_the_config(app: Flask) -> None:
    assert app.config["TESTING"] is True and app.config["HOME_COUNTRY"] == "USA"
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * 1024 * 1024


def test_every_response_has_the_security_headers(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.get_json()["error"] == "Not Found"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


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
