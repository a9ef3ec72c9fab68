"""The per-token rate limit: over the limit answers 429 with Retry-After; other tokens are not affected."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from gtas.web.ratelimit import SlidingWindowLimit
from tests.web.conftest import bearer, issue


def test_requests_over_the_limit_get_429(app: Flask, sessions: sessionmaker[Session]) -> None:
    app.extensions["gtas.rate_limit"] = SlidingWindowLimit(3)
    client = app.test_client()
    busy, quiet = issue(sessions, "Busy Air", ["BA"]), issue(sessions, "Quiet Air", ["QA"])
    codes = [client.get("/api/v1/messages/1", headers=bearer(busy)).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    refused = client.get("/api/v1/messages/1", headers=bearer(busy))
    assert refused.get_json()["error"] == "too many requests" and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/messages/1", headers=bearer(quiet)).status_code == 404


def test_window_slides() -> None:
    now = [1000.0]
    limit = SlidingWindowLimit(2, window=60, clock=lambda: now[0])
    assert limit.hit("t") is None and limit.hit("t") is None
    now[0] += 30
    assert limit.hit("t") == 30
    now[0] += 30.5
    assert limit.hit("t") is None
