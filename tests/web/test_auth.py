"""Signing in and out, lockout, session timeouts, CSRF, security headers, passwords, and deny-by-default roles."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from gtas.model import AuditEvent, User, UserRole, UserSession
from gtas.web.auth import passwords
from gtas.web.auth.accounts import reset_password, set_enabled
from gtas.web.auth.guard import local_target, public, roles, signed_in
from gtas.web.auth.navigation import menu
from gtas.web.auth.sessions import TOKEN
from gtas.web.errors import SECURITY_HEADERS
from tests.web.auth_helpers import (
    PASSWORD,
    Clock,
    add_user,
    csrf_token,
    install_clock,
    post_form,
    sign_in,
    sign_in_as,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "gtas" / "web" / "templates"
PUBLIC_ENDPOINTS = {"static", "auth.sign_in", "home.health"}

# Views of every access kind, to test the guard and the menu beyond the few real pages this issue brings.
probe = Blueprint("probe", __name__, url_prefix="/probe")


@probe.get("/admin")
@roles(UserRole.ADMINISTRATOR)
@menu("Probe administration", 90)
def admin_only() -> str:
    return "admin page"


@probe.get("/triage")
@roles(UserRole.OFFICER, UserRole.SUPERVISOR)
@menu("Probe triage", 10)
def triage() -> str:
    return "triage page"


@probe.get("/undeclared")
def undeclared() -> str:
    return "nobody may see this"


@probe.get("/open")
@public
def open_page() -> str:
    return "open page"


@probe.get("/any")
@signed_in
def any_user() -> str:
    return "any signed-in user"


api_probe = Blueprint("api_probe", __name__, url_prefix="/api/v1/probe")


@api_probe.get("/officers")
@roles(UserRole.OFFICER)
def officers_json() -> dict[str, bool]:
    return {"ok": True}


@pytest.fixture
def app(app: Flask) -> Flask:
    app.register_blueprint(probe)
    app.register_blueprint(api_probe)
    return app


@pytest.fixture
def clock(app: Flask) -> Clock:
    return install_clock(app)


def events(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def user_row(sessions: sessionmaker[Session], username: str) -> User:
    with sessions() as session:
        return session.scalars(select(User).where(User.username == username)).one()


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


# --- Signing in and out ---

def test_the_sign_in_page_has_a_form_with_a_csrf_token(client: FlaskClient) -> None:
    page = client.get("/auth/sign-in")
    assert page.status_code == 200 and page.mimetype == "text/html"
    body = text(page)
    assert 'name="username"' in body and 'type="password"' in body and 'autocomplete="current-password"' in body
    assert re.search(r'name="csrf_token" value="[^"]{20,}"', body)
    assert "Sign out" not in body


def test_sign_in_lands_on_the_home_page_with_name_roles_and_sign_out(
        client: FlaskClient, sessions: sessionmaker[Session], clock: Clock) -> None:
    add_user(sessions, "jdoe", UserRole.OFFICER, UserRole.RULE_AUTHOR)
    response = sign_in(client, "JDoe ")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    body = text(home)
    assert "Welcome, Jdoe" in body and "officer, rule author" in body and "all airports" in body
    assert 'action="/auth/sign-out"' in body
    assert user_row(sessions, "jdoe").last_sign_in_at == clock.now


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(
        client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "jdoe", UserRole.OFFICER)
    asked = client.get("/probe/triage?flight=7")
    assert asked.status_code == 302 and asked.headers["Location"] == "/auth/sign-in?next=/probe/triage?flight%3D7"
    assert sign_in(client, "jdoe", next_page="/probe/triage?flight=7").headers["Location"] == "/probe/triage?flight=7"
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert sign_in(client, "jdoe", next_page="//evil.example/x").headers["Location"] == "/"


@pytest.mark.parametrize("target, expected", [
    ("/flights?day=1", "/flights?day=1"), ("/", "/"), ("//evil.example", None), ("https://evil.example/", None),
    ("/\\evil.example", None), ("flights", None), ("", None), (None, None), ("/flights?", "/flights"),
])
def test_only_local_paths_are_targets(target: str | None, expected: str | None) -> None:
    assert local_target(target) == expected


def test_a_wrong_password_or_an_unknown_user_is_refused_alike(
        client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "jdoe")
    wrong = sign_in(client, "jdoe", "not the password")
    unknown = sign_in(client, "nobody", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401 and "Wrong username or password." in text(response)
    assert user_row(sessions, "jdoe").failed_sign_ins == 1
    assert client.get("/").status_code == 302


def test_sign_out_ends_the_session(client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "jdoe")
    sign_in(client, "jdoe")
    response = post_form(client, "/auth/sign-out", {})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/sign-in"
    assert "You are signed out." in text(client.get("/auth/sign-in"))
    assert client.get("/").headers["Location"] == "/auth/sign-in?next=/"


def test_a_disabled_user_cannot_sign_in(client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "gone", enabled=False)
    response = sign_in(client, "gone")
    assert response.status_code == 401 and "This account is disabled" in text(response)
    assert client.get("/").status_code == 302


def test_a_hash_made_with_old_parameters_is_replaced_at_sign_in(
        client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    from argon2 import PasswordHasher

    add_user(sessions, "jdoe")
    with sessions.begin() as session:
        user = session.scalars(select(User).where(User.username == "jdoe")).one()
        user.password_hash = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(PASSWORD)
    assert passwords.needs_rehash(user.password_hash)
    assert sign_in(client, "jdoe").status_code == 302
    renewed = user_row(sessions, "jdoe").password_hash
    assert renewed != user.password_hash and not passwords.needs_rehash(renewed)
    assert passwords.verify_password(renewed, PASSWORD)


# --- Lockout ---

def test_one_address_may_try_only_so_often(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    from gtas.web.ratelimit import SlidingWindowLimit

    app.extensions["gtas.sign_in_limit"] = SlidingWindowLimit(2)
    add_user(sessions, "jdoe")
    for name in ("alice", "bob"):  # failures spread over accounts lock none of them
        assert sign_in(client, name, "guess").status_code == 401
    refused = sign_in(client, "jdoe")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many sign-in attempts from your address" in text(refused)
    assert user_row(sessions, "jdoe").last_sign_in_at is None
    assert sign_in(app.test_client(), "jdoe").status_code == 429  # same address, other browser


def test_repeated_failures_lock_the_account_until_the_time_is_up(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], clock: Clock) -> None:
    app.config.update(SIGN_IN_ATTEMPTS=3, LOCKOUT_MINUTES=15)
    add_user(sessions, "jdoe")
    assert "Wrong username or password." in text(sign_in(client, "jdoe", "guess 1"))
    assert "Wrong username or password." in text(sign_in(client, "jdoe", "guess 2"))
    locking = sign_in(client, "jdoe", "guess 3")
    assert locking.status_code == 401 and "now locked for 15 minutes" in text(locking)
    assert user_row(sessions, "jdoe").locked_until == clock.now + timedelta(minutes=15)

    clock.advance(minutes=14)
    refused = sign_in(client, "jdoe")  # the right password does not open a locked account
    assert refused.status_code == 401 and "This account is locked" in text(refused)
    clock.advance(minutes=1, seconds=1)
    assert sign_in(client, "jdoe").headers["Location"] == "/"
    row = user_row(sessions, "jdoe")
    assert row.locked_until is None and row.failed_sign_ins == 0


def test_a_success_resets_the_count_of_failures(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], clock: Clock) -> None:
    app.config["SIGN_IN_ATTEMPTS"] = 2
    add_user(sessions, "jdoe")
    sign_in(client, "jdoe", "guess")
    assert sign_in(client, "jdoe").status_code == 302
    post_form(client, "/auth/sign-out", {})
    assert "Wrong username" in text(sign_in(client, "jdoe", "guess"))
    assert user_row(sessions, "jdoe").locked_until is None


# --- Session timeouts and changed accounts ---

def test_an_idle_session_ends_but_activity_keeps_it(
        client: FlaskClient, sessions: sessionmaker[Session], clock: Clock) -> None:
    add_user(sessions, "jdoe")
    sign_in(client, "jdoe")
    for _ in range(3):  # 60 minutes in all, never 30 idle
        clock.advance(minutes=20)
        assert client.get("/").status_code == 200
    clock.advance(minutes=30, seconds=1)
    ended = client.get("/")
    assert ended.status_code == 302 and ended.headers["Location"] == "/auth/sign-in?next=/"
    assert "signed out after 30 minutes without activity" in text(client.get("/auth/sign-in"))
    clock.advance(seconds=1)
    assert client.get("/").status_code == 302  # the session is gone, not just refused once


def test_a_session_ends_after_the_longest_allowed_time_however_active(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], clock: Clock) -> None:
    app.config["SESSION_MAX_HOURS"] = 1
    add_user(sessions, "jdoe")
    sign_in(client, "jdoe")
    for _ in range(2):
        clock.advance(minutes=25)
        assert client.get("/").status_code == 200
    clock.advance(minutes=25)
    assert client.get("/").status_code == 302
    assert "sessions last at most 1 h" in text(client.get("/auth/sign-in"))


@pytest.mark.parametrize("change", ["reset", "disable"])
def test_a_reset_or_disabled_account_ends_its_open_sessions(
        client: FlaskClient, sessions: sessionmaker[Session], clock: Clock, change: str) -> None:
    add_user(sessions, "jdoe")
    sign_in(client, "jdoe")
    clock.advance(seconds=5)
    with sessions.begin() as session:
        if change == "reset":
            reset_password(session, "jdoe")
        else:
            set_enabled(session, "jdoe", False)
    assert client.get("/").status_code == 302
    assert "because your account changed" in text(client.get("/auth/sign-in"))


def test_a_copy_of_the_cookie_is_worthless_after_sign_out(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "jdoe")
    sign_in(client, "jdoe")
    with client.session_transaction() as cookie:
        token = cookie[TOKEN]
    thief = app.test_client()
    with thief.session_transaction() as cookie:
        cookie[TOKEN] = token
    assert thief.get("/").status_code == 200
    post_form(client, "/auth/sign-out", {})
    assert thief.get("/").status_code == 302
    assert "This session was signed out" in text(thief.get("/auth/sign-in"))
    with sessions() as session:
        [row] = session.scalars(select(UserSession)).all()
    assert row.end_reason == "signed_out" and row.ended_at is not None
    assert token not in row.token_hash and len(token) >= 43  # 32 random bytes; only their hash is stored


def test_activity_is_written_at_most_once_a_minute(
        client: FlaskClient, sessions: sessionmaker[Session], clock: Clock) -> None:
    add_user(sessions, "jdoe")
    sign_in(client, "jdoe")
    started = clock.now

    def last_seen() -> datetime:
        with sessions() as session:
            return session.scalars(select(UserSession.last_seen_at)).one()

    clock.advance(seconds=59)
    client.get("/")
    assert last_seen() == started
    clock.advance(seconds=2)
    client.get("/")
    assert last_seen() == clock.now


def test_the_session_cookie_is_http_only_same_site_and_secure_over_https(
        app: Flask, sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "jdoe")
    plain = app.test_client()
    cookie = sign_in(plain, "jdoe").headers["Set-Cookie"]
    assert cookie.startswith("gtas_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie and "Expires=" in cookie
    secure = app.test_client()
    page = secure.get("/auth/sign-in", base_url="https://localhost")
    assert "Secure" in page.headers["Set-Cookie"]
    app.config["SECURE_COOKIES"] = "true"
    assert "Secure" in app.test_client().get("/auth/sign-in").headers["Set-Cookie"]


# --- Passwords ---

@pytest.mark.parametrize("password, problem", [
    ("short", "use at least 12 characters"),
    ("JDoe", "do not use your username"),
    (" JDOE ", "do not use your username"),
    ("aaaaaaaaaaaaaaaa", "do not repeat a single character"),
    ("x" * 257, "use at most 256 characters"),
])
def test_the_password_policy_names_what_is_wrong(password: str, problem: str) -> None:
    assert any(found.startswith(problem) for found in passwords.password_problems(password, "jdoe", 12))


def test_a_good_password_meets_the_policy() -> None:
    assert passwords.password_problems("plum orbit kettle 42", "jdoe", 12) == []
    assert passwords.password_problems("jdoe.jdoe.jdoe", "jdoe", 12) == []  # contains the username, is not it


def test_a_user_changes_his_password_and_stays_signed_in(
        client: FlaskClient, sessions: sessionmaker[Session], clock: Clock, app: Flask) -> None:
    add_user(sessions, "jdoe")
    sign_in(client, "jdoe")
    other_browser = app.test_client()
    sign_in(other_browser, "jdoe")
    clock.advance(seconds=10)
    changed = post_form(client, "/auth/password", {"current_password": PASSWORD, "new_password": "plum orbit kettle 42",
                                                   "confirm_password": "plum orbit kettle 42"}, "/auth/password")
    assert changed.status_code == 302 and changed.headers["Location"] == "/"
    assert "Your password is changed." in text(client.get("/"))
    assert other_browser.get("/").status_code == 302  # his other sessions end
    assert passwords.verify_password(user_row(sessions, "jdoe").password_hash, "plum orbit kettle 42")


@pytest.mark.parametrize("form, problem", [
    ({"current_password": "wrong", "new_password": "plum orbit kettle 42", "confirm_password": "plum orbit kettle 42"},
     "the current password is wrong"),
    ({"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
     "use at least 12 characters"),
    ({"current_password": PASSWORD, "new_password": "plum orbit kettle 42", "confirm_password": "plum orbit kettle"},
     "the new password and its confirmation differ"),
    ({"current_password": PASSWORD, "new_password": PASSWORD, "confirm_password": PASSWORD},
     "choose a password other than the current one"),
    ({"current_password": PASSWORD, "new_password": "Jdoe", "confirm_password": "Jdoe"},
     "do not use your username as the password"),
])
def test_a_refused_password_change_says_why_and_changes_nothing(
        client: FlaskClient, sessions: sessionmaker[Session], form: dict[str, str], problem: str) -> None:
    add_user(sessions, "jdoe")
    sign_in(client, "jdoe")
    before = user_row(sessions, "jdoe").password_hash
    response = post_form(client, "/auth/password", form, "/auth/password")
    assert response.status_code == 400 and problem in text(response)
    assert user_row(sessions, "jdoe").password_hash == before


def test_a_user_who_must_change_his_password_sees_nothing_else_first(
        client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "fresh", UserRole.ADMINISTRATOR, must_change_password=True)
    assert sign_in(client, "fresh").headers["Location"] == "/auth/password"
    for path in ("/", "/probe/admin"):
        assert client.get(path).headers["Location"] == "/auth/password"
    post_form(client, "/auth/password", {"current_password": PASSWORD, "new_password": "plum orbit kettle 42",
                                         "confirm_password": "plum orbit kettle 42"}, "/auth/password")
    assert client.get("/probe/admin").status_code == 200
    assert user_row(sessions, "fresh").must_change_password is False


# --- CSRF ---

def test_forms_without_a_csrf_token_are_refused(client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "jdoe")
    refused = client.post("/auth/sign-in", data={"username": "jdoe", "password": PASSWORD})
    assert refused.status_code == 400 and "could not be accepted" in text(refused)
    assert client.get("/").status_code == 302
    sign_in(client, "jdoe")
    forged = client.post("/auth/sign-out", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    assert client.get("/").status_code == 200  # still signed in


def test_a_csrf_token_of_another_session_is_refused(app: Flask, sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "jdoe")
    attacker = app.test_client()
    stolen = csrf_token(attacker)
    victim = app.test_client()
    sign_in(victim, "jdoe")
    assert victim.post("/auth/sign-out", data={"csrf_token": stolen}).status_code == 400


def test_the_token_authenticated_intake_api_needs_no_csrf_token(client: FlaskClient) -> None:
    response = client.post("/api/v1/messages", data=b"UNA:+.? '", content_type="text/plain")
    assert response.status_code == 401 and response.get_json()["error"] == "authentication required"


# --- Security headers ---

@pytest.mark.parametrize("path", ["/auth/sign-in", "/", "/static/gtas.css", "/probe/admin", "/health"])
def test_every_page_has_the_security_headers(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], path: str) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    with client.get(path) as response:
        assert response.status_code in (200, 403)
        for name, value in SECURITY_HEADERS.items():
            if not (name == "Cache-Control" and path.startswith("/static/")):  # no personal data: may be revalidated
                assert response.headers[name] == value
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_over_https(client: FlaskClient) -> None:
    response = client.get("/auth/sign-in", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_templates_have_no_inline_script_or_style() -> None:
    """The CSP forbids inline code; a template that had some would break in the browser (inert JSON data blocks are
    not code)."""
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text()
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))", source), template
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", source), template


# --- Deny by default and roles ---

def _example_url(rule_path: str) -> str:
    return re.sub(r"<(?:int:)?[^>]*>", "1", rule_path)


def test_every_route_but_the_public_ones_refuses_a_request_without_a_session(app: Flask) -> None:
    client = app.test_client()
    public_endpoints = set()
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(_example_url(rule.rule), method=method)
            if response.status_code in (401, 403) or (
                    response.status_code == 302 and response.headers["Location"].startswith("/auth/sign-in")):
                continue
            public_endpoints.add(rule.endpoint)
    assert public_endpoints == PUBLIC_ENDPOINTS | {"probe.open_page"}


def test_the_json_api_answers_401_and_403_in_json(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    anonymous = client.get("/api/v1/probe/officers")
    assert anonymous.status_code == 401 and anonymous.get_json()["error"] == "authentication required"
    sign_in_as(app, client, sessions, UserRole.AUDITOR)
    forbidden = client.get("/api/v1/probe/officers")
    assert forbidden.status_code == 403 and forbidden.get_json()["error"] == "forbidden"


ROLE_MATRIX = {  # path: the roles that may open it
    "/": set(UserRole),
    "/auth/password": set(UserRole),
    "/probe/any": set(UserRole),
    "/probe/admin": {UserRole.ADMINISTRATOR},
    "/probe/triage": {UserRole.OFFICER, UserRole.SUPERVISOR},
    "/probe/undeclared": set(),
}


@pytest.mark.parametrize("role", list(UserRole))
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], role: UserRole) -> None:
    sign_in_as(app, client, sessions, role)
    for path, allowed in ROLE_MATRIX.items():
        response = client.get(path)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, path)
        if expected == 403:
            assert "Your roles do not give access to this page" in text(response)


def test_a_refusal_is_audited(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    user_id = sign_in_as(app, client, sessions, UserRole.AUDITOR)
    client.get("/probe/admin")
    [event] = events(sessions, "auth.forbidden")
    assert event.user_id == user_id and event.details == {"endpoint": "probe.admin_only", "path": "/probe/admin"}


@pytest.mark.parametrize("role, links", [
    (UserRole.OFFICER, ["Home", "Flights", "Probe triage", "Priority queue", "Search", "API tokens"]),
    (UserRole.ADMINISTRATOR, ["Home", "Rules", "Watchlists", "Feed health", "API tokens", "Administration",
                              "Probe administration", "Audit log"]),
    (UserRole.AUDITOR, ["Home", "Flights", "Priority queue", "Search", "Rules", "Watchlists", "API tokens",
                        "Administration", "Audit log"]),
])
def test_the_menu_shows_what_the_roles_open(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], role: UserRole, links: list[str]) -> None:
    sign_in_as(app, client, sessions, role)
    nav = re.search(r'<nav class="menu".*?</nav>', text(client.get("/")), re.S)
    assert nav is not None
    assert re.findall(r">([^<>]+)</a>", nav.group(0)) == links
    assert 'aria-current="page">Home<' in nav.group(0)


def test_a_user_with_several_roles_gets_the_union(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    sign_in_as(app, client, sessions, UserRole.AUDITOR, UserRole.ADMINISTRATOR)
    assert client.get("/probe/admin").status_code == 200
    assert client.get("/probe/triage").status_code == 403


def test_health_is_public(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_roles_must_be_named() -> None:
    with pytest.raises(ValueError, match="name at least one role"):
        roles()
