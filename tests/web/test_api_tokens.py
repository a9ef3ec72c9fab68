"""Personal API tokens: a signed-in user creates one (shown once), sees and revokes only his own, every change
audited; ``gtas user token`` does the same from the command line; on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gtas.cli import cli
from gtas.ingest.tokens import token_hash
from gtas.model import AuditEvent, User, UserRole, UserToken
from gtas.web.api.user_tokens import create_user_token
from gtas.web.auth.accounts import create_user
from gtas.web.ratelimit import SlidingWindowLimit
from tests.web.auth_helpers import add_user, enter_session, post_form, sign_in_as
from tests.web.conftest import bearer

SECRET = re.compile(r'<code class="secret" id="new-token">(gtasu_[\w-]+)</code>')


def test_a_user_creates_a_token_sees_it_once_and_uses_it(app: Flask, client: FlaskClient,
                                                          sessions: sessionmaker[Session]) -> None:
    user_id = sign_in_as(app, client, sessions, UserRole.OFFICER)
    response = post_form(client, "/account/tokens", {"name": "shift report", "days": "30"}, "/account/tokens")
    assert response.status_code == 200
    secret = SECRET.search(response.get_data(as_text=True))
    assert secret is not None
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert secret[1] not in listing and secret[1][:13] in listing and "shift report" in listing
    with sessions() as session:
        token = session.scalars(select(UserToken)).one()
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user_token.create")).one()
    assert token.user_id == user_id and token.token_hash == token_hash(secret[1])
    assert (token.expires_at - token.created_at).days == 30
    assert event.user_id == user_id and secret[1] not in str(event.after)
    program = app.test_client()
    assert program.get("/api/v1/hits", headers=bearer(secret[1])).status_code == 200
    pushed = program.post("/api/v1/messages", headers=bearer(secret[1]), data=b"UNA:+.? '", content_type="text/plain")
    assert pushed.status_code == 401  # a user's token pushes no messages: the intake knows only airlines' tokens


def test_a_token_is_rate_limited(app: Flask, sessions: sessionmaker[Session]) -> None:
    user_id = add_user(sessions, "busy-script", UserRole.OFFICER)
    with sessions.begin() as session:
        secret = create_user_token(session, session.get_one(User, user_id), "loop", 1, datetime.now(UTC))[1]
    app.extensions["gtas.rate_limit"] = SlidingWindowLimit(2)
    program = app.test_client()
    assert [program.get("/api/v1/openapi.json", headers=bearer(secret)).status_code for _ in range(3)] == [
        200, 200, 429]
    refused = program.get("/api/v1/openapi.json", headers=bearer(secret))
    assert int(refused.headers["Retry-After"]) > 0 and "at most 2 requests per minute" in refused.get_json()["detail"]


@pytest.mark.parametrize(("form", "message"), [
    ({"name": "", "days": "30"}, "name the token"),
    ({"name": "x", "days": "0"}, "a token lives from 1 to 365 days"),
    ({"name": "x", "days": "forever"}, "the lifetime is a whole number of days"),
])
def test_a_bad_token_form_is_refused(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                     form: dict[str, str], message: str) -> None:
    sign_in_as(app, client, sessions, UserRole.AUDITOR)
    response = post_form(client, "/account/tokens", form, "/account/tokens")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with sessions() as session:
        assert session.scalars(select(UserToken)).first() is None


def test_a_user_revokes_his_own_tokens_only(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    post_form(client, "/account/tokens", {"name": "mine"}, "/account/tokens")
    other = add_user(sessions, "someone-else", UserRole.OFFICER)
    enter_session(app, client, sessions, other)
    post_form(client, "/account/tokens", {"name": "theirs"}, "/account/tokens")
    with sessions() as session:
        tokens = {t.name: t.id for t in session.scalars(select(UserToken))}
    assert tokens["mine"] != tokens["theirs"]
    refused = post_form(client, f"/account/tokens/{tokens['mine']}/revoke", {}, "/account/tokens")
    assert refused.status_code == 303
    assert "you have no such token" in client.get("/account/tokens").get_data(as_text=True)
    assert post_form(client, f"/account/tokens/{tokens['theirs']}/revoke", {}, "/account/tokens").status_code == 303
    with sessions() as session:
        revoked = {t.name: t.revoked_at is not None for t in session.scalars(select(UserToken))}
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "user_token.revoke")).all()
    assert revoked == {"mine": False, "theirs": True} and len(events) == 1


@pytest.mark.parametrize("role", list(UserRole))
def test_every_signed_in_user_may_hold_tokens(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                              role: UserRole) -> None:
    sign_in_as(app, client, sessions, role)
    assert client.get("/account/tokens").status_code == 200
    assert 'href="/account/tokens"' in client.get("/").get_data(as_text=True)


def test_strangers_are_sent_to_sign_in_and_forms_need_csrf(app: Flask, client: FlaskClient,
                                                           sessions: sessionmaker[Session]) -> None:
    assert client.get("/account/tokens").status_code == 302
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 400


def test_the_command_line_creates_lists_and_revokes_tokens(cli_session: Session) -> None:
    with cli_session.begin():
        create_user(cli_session, "jdoe", ["officer"])
    created = CliRunner().invoke(cli, ["user", "token", "create", "jdoe", "--name", "nightly export", "--days", "7"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith("gtasu_") and "stored only as a hash" in created.stderr
    cli_session.rollback()
    token = cli_session.scalars(select(UserToken)).one()
    assert token.token_hash == token_hash(secret) and token.user.username == "jdoe"
    listed = CliRunner().invoke(cli, ["user", "token", "list", "jdoe"])
    assert token.prefix in listed.stdout and secret not in listed.stdout
    revoked = CliRunner().invoke(cli, ["user", "token", "revoke", "jdoe", str(token.id)])
    assert revoked.exit_code == 0 and token.prefix in revoked.stdout
    cli_session.rollback()
    assert cli_session.get_one(UserToken, token.id).revoked_at is not None
    actions = cli_session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["user_token.create", "user_token.revoke"]
    wrong = CliRunner().invoke(cli, ["user", "token", "create", "nobody", "--name", "x"])
    assert wrong.exit_code != 0 and "no user 'nobody'" in wrong.output
    assert CliRunner().invoke(cli, ["user", "token", "revoke", "jdoe", "999"]).exit_code != 0
    assert cli_session.scalars(select(User).where(User.username == "jdoe")).one().enabled
