"""Administration: users, carriers and providers with their tokens, reference lists, categories and severities, and
the settings kept in the database; every page and action, validation, the role matrix, CSRF, self-lockout, audit."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from gtas.categories import category_choices
from gtas.model import (
    Airport,
    ApiToken,
    AuditEvent,
    Country,
    Flight,
    Hit,
    HitCategory,
    HitKind,
    OnboardingState,
    Party,
    ReferenceList,
    Rescreen,
    RiskBand,
    Rule,
    RuleVersion,
    SeverityGuide,
    Traveller,
    TravellerRisk,
    User,
    UserRole,
    UserSession,
)
from gtas.settings import Bands, retention
from gtas.web.admin import people
from gtas.web.auth.accounts import AccountError
from tests.web.auth_helpers import add_user, enter_session, post_form, sign_in, sign_in_as
from tests.web.conftest import bearer
from tests.web.pages import table_rows
from tests.web.test_messages import CARRIER, LIST

SECRET = re.compile(r'<code id="(?:secret|new-token)" class="value">([^<]+)</code>')
PAGES = ["/admin", "/admin/users", "/admin/users/new", "/admin/users/{user}", "/admin/parties", "/admin/parties/new",
         "/admin/parties/{party}", "/admin/reference-lists", "/admin/reference-lists/new",
         "/admin/reference-lists/{list}", "/admin/categories", "/admin/settings"]
CHANGE_ONLY = {"/admin/users/new", "/admin/parties/new", "/admin/reference-lists/new"}


@pytest.fixture(autouse=True)
def reference_rows(sessions: sessionmaker[Session]) -> None:
    """A few airports and countries for the validation against the reference tables."""
    with sessions.begin() as session:
        for iata, country in (("JFK", "US"), ("LHR", "GB"), ("CDG", "FR")):
            if session.get(Airport, iata) is None:
                session.add(Airport(iata=iata, name=iata, country_alpha2=country, timezone="UTC", latitude=0.0,
                                    longitude=0.0))
        for alpha3, alpha2 in (("USA", "US"), ("FRA", "FR"), ("GBR", "GB")):
            if session.get(Country, alpha3) is None:
                session.add(Country(alpha3=alpha3, alpha2=alpha2, name=alpha3))


def as_admin(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> int:
    return sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)


def secret_of(response: TestResponse) -> str:
    found = SECRET.search(response.get_data(as_text=True))
    assert found is not None, response.get_data(as_text=True)
    return found.group(1)


def events(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def user_named(sessions: sessionmaker[Session], username: str) -> User:
    with sessions() as session:
        return session.scalars(select(User).where(User.username == username)).one()


def add_party(sessions: sessionmaker[Session], name: str = "Test Air", carriers: tuple[str, ...] = ("ZZ",)) -> int:
    with sessions.begin() as session:
        party = Party(name=name, kind="airline", carriers=list(carriers))
        session.add(party)
        session.flush()
        return party.id


def add_list(sessions: sessionmaker[Session], name: str = "airports of concern") -> int:
    with sessions.begin() as session:
        reference = ReferenceList(name=name, kind="airport", items=["JFK"])
        session.add(reference)
        session.flush()
        return reference.id


# --- access ---

@pytest.mark.parametrize("role", list(UserRole), ids=str)
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], role: UserRole) -> None:
    ids = {"user": add_user(sessions, "someone"), "party": add_party(sessions), "list": add_list(sessions)}
    sign_in_as(app, client, sessions, role)
    for page in PAGES:
        allowed = role is UserRole.ADMINISTRATOR or (role is UserRole.AUDITOR and page not in CHANGE_ONLY)
        assert client.get(page.format(**ids)).status_code == (200 if allowed else 403), page
    assert ('href="/admin"' in client.get("/").get_data(as_text=True)) is (role in (UserRole.ADMINISTRATOR,
                                                                                   UserRole.AUDITOR))
    changes = {f"/admin/users/{ids['user']}/disable": {}, f"/admin/parties/{ids['party']}/state": {"state": "testing"},
               f"/admin/reference-lists/{ids['list']}": {"items": "LHR"}, "/admin/categories": {
                   "key": "wildlife", "label": "wildlife"}, "/admin/settings/bands": {
                   "high": "40", "medium": "20", "low": "5"}}
    for path, form in changes.items():
        status = post_form(client, path, form).status_code
        assert status == (303 if role is UserRole.ADMINISTRATOR else 403), path
    with sessions() as session:
        assert session.get_one(User, ids["user"]).enabled is (role is not UserRole.ADMINISTRATOR)


def test_auditors_read_without_the_forms(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    user_id, party_id = add_user(sessions, "someone"), add_party(sessions)
    sign_in_as(app, client, sessions, UserRole.AUDITOR)
    for page in ("/admin/users", f"/admin/users/{user_id}", f"/admin/parties/{party_id}", "/admin/categories",
                 "/admin/settings"):
        html = client.get(page).get_data(as_text=True)
        assert 'method="post" action="/admin' not in html, page


def test_strangers_are_sent_to_sign_in(client: FlaskClient) -> None:
    for path in ("/admin", "/admin/users", "/admin/settings"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/sign-in")
    assert client.post("/admin/users").status_code == 302


def test_forms_without_their_csrf_token_are_refused(app: Flask, client: FlaskClient,
                                                    sessions: sessionmaker[Session]) -> None:
    user_id, party_id = add_user(sessions, "someone"), add_party(sessions)
    as_admin(app, client, sessions)
    for path, form in ((f"/admin/users/{user_id}/disable", {}),
                       ("/admin/users", {"username": "x1", "roles": "officer"}),
                       (f"/admin/parties/{party_id}/tokens", {}),
                       ("/admin/settings/bands", {"high": "9", "medium": "8", "low": "7"})):
        assert client.post(path, data=form).status_code == 400, path
    with sessions() as session:
        assert session.get_one(User, user_id).enabled
        assert session.scalar(select(func.count()).select_from(ApiToken)) == 0
    assert Bands.current(sessions()) == Bands.from_settings()


# --- users ---

def test_creating_a_user_shows_the_password_once_and_he_must_change_it(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    admin_id = as_admin(app, client, sessions)
    response = post_form(client, "/admin/users", {"username": "Jdoe", "display_name": " Jane  Doe ",
                                                  "email": "jane@example.org", "roles": "officer",
                                                  "airports": "jfk, LHR"})
    assert response.status_code == 200
    password = secret_of(response)
    assert "shown only this once" in response.get_data(as_text=True)
    created = user_named(sessions, "jdoe")
    assert (created.display_name, created.email, created.roles, created.airports, created.must_change_password) == (
        "Jane Doe", "jane@example.org", ["officer"], ["JFK", "LHR"], True)
    assert password not in client.get(f"/admin/users/{created.id}").get_data(as_text=True)
    [event] = events(sessions, "user.create")
    assert event.user_id == admin_id and event.before is None and event.after is not None
    assert event.after["roles"] == ["officer"] and password not in str(event.after)
    rows = table_rows(client.get("/admin/users").get_data(as_text=True), "users")
    assert ["jdoe", "Jane Doe", "officer", "JFK, LHR", "yes", "no", "never"] in rows

    newcomer = app.test_client()
    signed = sign_in(newcomer, "jdoe", password)
    assert signed.status_code == 302 and signed.headers["Location"] == "/auth/password"


@pytest.mark.parametrize(("form", "problem"), [
    ({"username": "x", "roles": "officer"}, "must be 2-64 characters"),
    ({"username": "nobody-roles"}, "a user needs at least one role"),
    ({"username": "badrole", "roles": "overlord"}, "unknown role overlord"),
    ({"username": "farair", "roles": "officer", "airports": "XYZ"}, "unknown airport XYZ"),
    ({"username": "badport", "roles": "officer", "airports": "JF1"}, "not an airport code"),
    ({"username": "bademail", "roles": "officer", "email": "nobody"}, "is not an e-mail address"),
    ({"username": "as-administrator", "roles": "officer"}, "exists already"),
])
def test_a_bad_new_user_is_refused_with_the_reason(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                                   form: dict[str, str], problem: str) -> None:
    as_admin(app, client, sessions)
    response = post_form(client, "/admin/users", form)
    assert response.status_code == 400 and problem in response.get_data(as_text=True)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
    assert events(sessions, "user.create") == []


def test_editing_a_user_is_audited_with_before_and_after(app: Flask, client: FlaskClient,
                                                         sessions: sessionmaker[Session]) -> None:
    user_id = add_user(sessions, "someone", UserRole.OFFICER)
    as_admin(app, client, sessions)
    form = {"display_name": "Some One", "email": "one@example.org", "airports": "CDG"}
    response = client.post(f"/admin/users/{user_id}", data={
        "csrf_token": _token(client), "roles": ["supervisor", "auditor"], **form})
    assert response.status_code == 303 and response.headers["Location"] == f"/admin/users/{user_id}"
    changed = user_named(sessions, "someone")
    assert (changed.display_name, changed.email, changed.roles, changed.airports) == (
        "Some One", "one@example.org", ["auditor", "supervisor"], ["CDG"])
    [event] = events(sessions, "user.update")
    assert event.before and event.after and event.object_id == str(user_id)
    assert (event.before["roles"], event.after["roles"]) == (["officer"], ["auditor", "supervisor"])
    assert (event.before["airports"], event.after["airports"]) == ([], ["CDG"])
    refused = post_form(client, f"/admin/users/{user_id}", {"roles": "officer", "airports": "QQQ"})
    assert refused.status_code == 400 and "unknown airport QQQ" in refused.get_data(as_text=True)
    assert user_named(sessions, "someone").airports == ["CDG"]


def _token(client: FlaskClient) -> str:
    from tests.web.auth_helpers import csrf_token

    return csrf_token(client, "/")


def test_an_administrator_cannot_lock_himself_out(app: Flask, client: FlaskClient,
                                                  sessions: sessionmaker[Session]) -> None:
    me = as_admin(app, client, sessions)
    demoted = post_form(client, f"/admin/users/{me}", {"roles": "officer"})
    assert demoted.status_code == 400
    assert "cannot remove your own administrator role" in demoted.get_data(as_text=True)
    post_form(client, f"/admin/users/{me}/disable", {})
    assert "you cannot disable yourself" in client.get(f"/admin/users/{me}").get_data(as_text=True)
    post_form(client, f"/admin/users/{me}/reset-password", {})
    assert "change your own password" in client.get(f"/admin/users/{me}").get_data(as_text=True)
    with sessions() as session:
        user = session.get_one(User, me)
        assert user.enabled and "administrator" in user.roles
    assert events(sessions, "user.update") == events(sessions, "user.disable") == []


def test_the_last_enabled_administrator_stays(app: Flask, client: FlaskClient,
                                              sessions: sessionmaker[Session]) -> None:
    other = add_user(sessions, "other-admin", UserRole.ADMINISTRATOR)
    me = as_admin(app, client, sessions)
    assert post_form(client, f"/admin/users/{other}", {"roles": "officer"}).status_code == 303
    assert post_form(client, f"/admin/users/{other}", {"roles": "administrator"}).status_code == 303
    assert post_form(client, f"/admin/users/{other}/disable", {}).status_code == 303
    with sessions() as session:  # an acting user who is not the last enabled administrator himself (a script)
        last, script = session.get_one(User, me), session.get_one(User, other)
        with pytest.raises(AccountError, match="as-administrator is the last enabled administrator"):
            people.update_user(session, last, display_name="", email="", roles=["officer"], airports=[],
                               acting=script)
        with pytest.raises(AccountError, match="last enabled administrator"):
            people.change_enabled(session, last, False, script)


def test_disable_enable_unlock_and_reset(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    user_id = add_user(sessions, "someone", UserRole.OFFICER)
    victim = app.test_client()
    enter_session(app, victim, sessions, user_id)
    assert victim.get("/").status_code == 200
    as_admin(app, client, sessions)

    assert post_form(client, f"/admin/users/{user_id}/disable", {}).status_code == 303
    assert victim.get("/").status_code == 302  # his session ended
    with sessions() as session:
        assert not session.get_one(User, user_id).enabled
        assert session.scalars(select(UserSession).where(UserSession.user_id == user_id)).one().end_reason
    assert post_form(client, f"/admin/users/{user_id}/enable", {}).status_code == 303
    [disabled], [enabled] = events(sessions, "user.disable"), events(sessions, "user.enable")
    assert disabled.before and disabled.after and (disabled.before["enabled"], disabled.after["enabled"]) == (
        True, False)
    assert enabled.after and enabled.after["enabled"]

    with sessions.begin() as session:
        locked = session.get_one(User, user_id)
        locked.failed_sign_ins, locked.locked_until = 3, datetime.now(UTC) + timedelta(minutes=10)
    assert "Unlock" in client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert post_form(client, f"/admin/users/{user_id}/unlock", {}).status_code == 303
    with sessions() as session:
        unlocked = session.get_one(User, user_id)
        assert (unlocked.failed_sign_ins, unlocked.locked_until) == (0, None)
    [unlock] = events(sessions, "user.unlock")
    assert unlock.before and unlock.before["failed_sign_ins"] == 3 and unlock.after == {
        "failed_sign_ins": 0, "locked_until": None}

    reset = post_form(client, f"/admin/users/{user_id}/reset-password", {})
    assert reset.status_code == 200
    password = secret_of(reset)
    assert sign_in(app.test_client(), "someone").status_code == 401  # the old password no longer works
    fresh = sign_in(app.test_client(), "someone", password)
    assert fresh.status_code == 302 and fresh.headers["Location"] == "/auth/password"
    [event] = events(sessions, "user.reset_password")
    assert event.before and event.after and event.after["must_change_password"]


def test_unknown_objects_answer_404(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    as_admin(app, client, sessions)
    party_id = add_party(sessions)
    for path in ("/admin/users/99999", "/admin/parties/99999", "/admin/reference-lists/99999"):
        assert client.get(path).status_code == 404
    assert post_form(client, "/admin/users/99999/disable", {}).status_code == 404
    assert post_form(client, f"/admin/parties/{party_id}/tokens/99999/revoke", {}).status_code == 404
    assert post_form(client, "/admin/severities/dire", {"label": "x"}).status_code == 404


# --- carriers and providers ---

def test_registering_and_editing_a_party(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    as_admin(app, client, sessions)
    created = post_form(client, "/admin/parties", {
        "name": "Sky  Data", "kind": "provider", "carriers": "ua, lh", "contact_name": "Ann Lee",
        "contact_email": "ann@sky.example", "contact_phone": "+1 555 0100", "grace_period_end": "2030-06-30"})
    assert created.status_code == 303
    with sessions() as session:
        party = session.scalars(select(Party)).one()
    assert (party.name, party.kind, party.carriers, party.state, party.grace_period_end) == (
        "Sky Data", "provider", ["LH", "UA"], OnboardingState.REGISTERED, date(2030, 6, 30))
    assert created.headers["Location"] == f"/admin/parties/{party.id}"
    rows = table_rows(client.get("/admin/parties").get_data(as_text=True), "parties-admin")
    assert rows == [["Sky Data", "provider", "LH, UA", "registered", "2030-06-30", "0", "never", "never", "never"]]

    saved = post_form(client, f"/admin/parties/{party.id}", {"kind": "airline", "carriers": "UA",
                                                             "contact_phone": "", "grace_period_end": ""})
    assert saved.status_code == 303
    [event] = events(sessions, "party.update")
    assert event.before and event.after
    assert (event.before["carriers"], event.after["carriers"]) == (["LH", "UA"], ["UA"])
    assert (event.before["contact_phone"], event.after["contact_phone"]) == ("+1 555 0100", None)
    assert events(sessions, "party.create")[0].after == {**event.before}


@pytest.mark.parametrize(("form", "problem"), [
    ({"name": "", "kind": "airline", "carriers": "UA"}, "give the party a name"),
    ({"name": "P", "kind": "bank", "carriers": "UA"}, "airline or a service provider"),
    ({"name": "P", "kind": "airline", "carriers": ""}, "a party needs at least one carrier"),
    ({"name": "P", "kind": "airline", "carriers": "U!A"}, "not a carrier code"),
    ({"name": "P", "kind": "airline", "carriers": "UA", "contact_email": "no"}, "not an e-mail address"),
    ({"name": "P", "kind": "airline", "carriers": "UA", "contact_phone": "call me"}, "not a phone number"),
    ({"name": "P", "kind": "airline", "carriers": "UA", "grace_period_end": "soon"}, "must be a date"),
    ({"name": "Test Air", "kind": "airline", "carriers": "UA"}, "exists already"),
])
def test_a_bad_party_is_refused_with_the_reason(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                                form: dict[str, str], problem: str) -> None:
    add_party(sessions)
    as_admin(app, client, sessions)
    response = post_form(client, "/admin/parties", form)
    assert response.status_code == 400 and problem in response.get_data(as_text=True)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Party)) == 1


def test_onboarding_states_are_dated_and_audited(app: Flask, client: FlaskClient,
                                                 sessions: sessionmaker[Session]) -> None:
    party_id = add_party(sessions)
    as_admin(app, client, sessions)
    assert post_form(client, f"/admin/parties/{party_id}/state", {"state": "live_api"}).status_code == 303
    with sessions() as session:
        party = session.get_one(Party, party_id)
        assert party.state == OnboardingState.LIVE_API
        assert party.testing_since is not None and party.live_api_since is not None and party.live_pnr_since is None
    assert post_form(client, f"/admin/parties/{party_id}/state", {"state": "testing"}).status_code == 303
    with sessions() as session:
        party = session.get_one(Party, party_id)
        assert (party.state, party.live_api_since) == (OnboardingState.TESTING, None)
    moves = events(sessions, "party.state")
    assert [(e.before or {}).get("state") for e in moves] == ["registered", "live_api"]
    assert [(e.after or {}).get("state") for e in moves] == ["live_api", "testing"]
    post_form(client, f"/admin/parties/{party_id}/state", {"state": "flying"})
    assert "choose a state among" in client.get(f"/admin/parties/{party_id}").get_data(as_text=True)
    assert len(events(sessions, "party.state")) == 2


def test_a_token_is_shown_once_works_and_stops_when_revoked(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    party_id = add_party(sessions, "Test Air", (CARRIER, "ZZ"))
    as_admin(app, client, sessions)
    created = post_form(client, f"/admin/parties/{party_id}/tokens", {})
    assert created.status_code == 200
    token = secret_of(created)
    assert token.startswith("gtas_")
    page = client.get(f"/admin/parties/{party_id}").get_data(as_text=True)
    assert token not in page and token[:12] in page
    pushed = client.post("/api/v1/messages", data=LIST, content_type="application/edifact", headers=bearer(token))
    assert pushed.status_code == 202 and pushed.get_json()["status"] == "assessed"
    rows = table_rows(client.get("/admin/parties").get_data(as_text=True), "parties-admin")
    assert rows[0][5] == "1" and rows[0][6] != "never" and rows[0][7] != "never" and rows[0][8] == "never"
    with sessions() as session:
        stored = session.scalars(select(ApiToken)).one()
        assert stored.last_used_at is not None and token not in str(events(sessions, "token.create")[0].after)
    assert post_form(client, f"/admin/parties/{party_id}/tokens/{stored.id}/revoke", {}).status_code == 303
    refused = client.post("/api/v1/messages", data=LIST, content_type="application/edifact", headers=bearer(token))
    assert refused.status_code == 401
    [revoked] = events(sessions, "token.revoke")
    assert revoked.before and revoked.after and revoked.before["revoked_at"] is None and revoked.after["revoked_at"]
    other = add_party(sessions, "Other Air")
    assert post_form(client, f"/admin/parties/{other}/tokens/{stored.id}/revoke", {}).status_code == 404


# --- reference lists ---

def test_reference_lists_are_checked_against_the_reference_tables(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    as_admin(app, client, sessions)
    bad = post_form(client, "/admin/reference-lists", {"name": "hubs", "kind": "airport", "items": "JFK\nXXX"})
    assert bad.status_code == 400 and "unknown airport code XXX" in bad.get_data(as_text=True)
    bad = post_form(client, "/admin/reference-lists", {"name": "states", "kind": "country", "items": "FR, ZZZ"})
    assert bad.status_code == 400 and "unknown country code ZZZ" in bad.get_data(as_text=True)
    bad = post_form(client, "/admin/reference-lists", {"name": "what", "kind": "colour", "items": "x"})
    assert bad.status_code == 400 and "choose the kind" in bad.get_data(as_text=True)
    assert post_form(client, "/admin/reference-lists", {
        "name": "hubs", "kind": "airport", "items": "jfk\nLHR, JFK"}).status_code == 303
    assert post_form(client, "/admin/reference-lists", {
        "name": "states", "kind": "country", "items": "fr; GBR"}).status_code == 303
    assert post_form(client, "/admin/reference-lists", {
        "name": "words", "kind": "text", "items": "Cash\ncash\nvoucher"}).status_code == 303
    duplicate = post_form(client, "/admin/reference-lists", {"name": "hubs", "kind": "text", "items": ""})
    assert duplicate.status_code == 400 and "exists already" in duplicate.get_data(as_text=True)
    with sessions() as session:
        stored = {r.name: (r.kind, r.items) for r in session.scalars(select(ReferenceList))}
    assert stored == {"hubs": ("airport", ["JFK", "LHR"]), "states": ("country", ["FRA", "GBR"]),
                      "words": ("text", ["Cash", "cash", "voucher"])}
    assert [e.after["name"] for e in events(sessions, "reference_list.create") if e.after] == [
        "hubs", "states", "words"]
    rows = table_rows(client.get("/admin/reference-lists").get_data(as_text=True), "reference-lists")
    assert [row[:3] for row in rows] == [["hubs", "airport", "2"], ["states", "country", "2"],
                                         ["words", "text", "3"]]


def test_changing_a_list_rescreens_and_a_used_list_cannot_be_deleted(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    list_id = add_list(sessions)
    with sessions.begin() as session:
        rule = Rule(key="from-concern", title="From concern", category="narcotics", severity="high", weight=10.0,
                    author="test")
        session.add(rule)
        session.flush()
        session.add(RuleVersion(rule_id=rule.id, number=1, author="test", details={}, conditions={"and": [
            {"field": "flight.origin", "operator": "in_reference_list", "value": "airports of concern"}]}))
    as_admin(app, client, sessions)
    assert "from-concern" in client.get(f"/admin/reference-lists/{list_id}").get_data(as_text=True)
    assert post_form(client, f"/admin/reference-lists/{list_id}", {
        "description": "hubs", "items": "JFK CDG".replace(" ", "\n")}).status_code == 303
    [event] = events(sessions, "reference_list.update")
    assert event.before and event.after and (event.before["items"], event.after["items"]) == (["JFK"], ["CDG", "JFK"])
    with sessions() as session:
        assert [r.reason for r in session.scalars(select(Rescreen))] == ["reference list airports of concern changed"]
    assert post_form(client, f"/admin/reference-lists/{list_id}", {"items": "JFK\nCDG"}).status_code == 303
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Rescreen)) == 1  # same items: nothing to re-screen
    post_form(client, f"/admin/reference-lists/{list_id}/delete", {})
    assert "rules from-concern use this list" in client.get(f"/admin/reference-lists/{list_id}").get_data(
        as_text=True)
    unused = add_list(sessions, "unused")
    assert post_form(client, f"/admin/reference-lists/{unused}/delete", {}).status_code == 303
    with sessions() as session:
        assert [r.name for r in session.scalars(select(ReferenceList))] == ["airports of concern"]
    [deleted] = events(sessions, "reference_list.delete")
    assert deleted.before and deleted.before["name"] == "unused" and deleted.after is None


# --- categories and severities ---

def test_categories_are_managed_and_offered(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    as_admin(app, client, sessions)
    with sessions() as session:
        seeded = {c.key for c in session.scalars(select(HitCategory))}
        assert {"terrorism", "narcotics", "other"} <= seeded
    assert post_form(client, "/admin/categories", {"key": "Wildlife trafficking", "label": "wildlife",
                                                   "description": "CITES species"}).status_code == 303
    for form, problem in (({"key": "wildlife_trafficking", "label": "x"}, "exists already"),
                          ({"key": "1x", "label": "x"}, "the key must be"),
                          ({"key": "fine", "label": "  "}, "give a label")):
        response = post_form(client, "/admin/categories", form)
        assert response.status_code == 400 and problem in response.get_data(as_text=True)
    with sessions() as session:
        category = session.scalars(select(HitCategory).where(HitCategory.key == "wildlife_trafficking")).one()
        assert ("wildlife_trafficking", "wildlife") in category_choices(session)
    assert post_form(client, f"/admin/categories/{category.id}", {"label": "Wildlife", "description": "",
                                                                  }).status_code == 303
    with sessions() as session:
        assert ("wildlife_trafficking", "Wildlife") not in category_choices(session)  # retired: not offered
        assert ("wildlife_trafficking", "Wildlife") in category_choices(session, "wildlife_trafficking")
        assert ("legacy_free_text", "legacy free text") in category_choices(session, "legacy_free_text")
    [event] = events(sessions, "category.update")
    assert event.before == {"key": "wildlife_trafficking", "label": "wildlife", "description": "CITES species",
                            "active": True}
    assert event.after == {"key": "wildlife_trafficking", "label": "Wildlife", "description": "", "active": False}


def test_severity_guidance_is_edited_and_audited(app: Flask, client: FlaskClient,
                                                 sessions: sessionmaker[Session]) -> None:
    as_admin(app, client, sessions)
    page = client.get("/admin/categories").get_data(as_text=True)
    assert page.index('id="severity-critical"') < page.index('id="severity-low"')
    assert post_form(client, "/admin/severities/high", {"label": "serious", "description": "Act soon.",
                                                        "handling": "Refer to secondary."}).status_code == 303
    with sessions() as session:
        guide = session.get_one(SeverityGuide, "high")
        assert (guide.label, guide.description, guide.handling) == ("serious", "Act soon.", "Refer to secondary.")
    [event] = events(sessions, "severity.update")
    assert event.before and event.after and (event.before["label"], event.after["label"]) == ("high", "serious")
    refused = post_form(client, "/admin/severities/high", {"label": "", "handling": "x"})
    assert refused.status_code == 400 and "give a label" in refused.get_data(as_text=True)


# --- settings ---

def _traveller_with_risk(session: Session, flight: Flight, score: float, band: RiskBand, listed: bool = False) -> int:
    traveller = Traveller(flight_id=flight.id, identity_key=f"t{score}{listed}", surname="X")
    session.add(traveller)
    session.flush()
    session.add(TravellerRisk(traveller_id=traveller.id, score=score, band=band))
    if listed:
        session.add(Hit(traveller_id=traveller.id, kind=HitKind.WATCHLIST, cause_key="watchlist:1", score=0.9,
                        severity="high", explanation={}))
    return traveller.id


def test_saving_bands_rebands_travellers_and_assessment_reads_them(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        flight = Flight(carrier="ZZ", number="1", origin="JFK", destination="LHR", departure_date=date(2030, 1, 1))
        session.add(flight)
        session.flush()
        ids = [_traveller_with_risk(session, flight, score, band) for score, band in (
            (60, RiskBand.HIGH), (30, RiskBand.MEDIUM), (10, RiskBand.NONE), (0, RiskBand.NONE))]
        ids.append(_traveller_with_risk(session, flight, 0, RiskBand.HIGH, listed=True))
    as_admin(app, client, sessions)
    for form, problem in (({"high": "10", "medium": "20", "low": "5"}, "high ≥ medium ≥ low"),
                          ({"high": "x", "medium": "2", "low": "1"}, "must be a number"),
                          ({"high": "3", "medium": "2", "low": "0"}, "above 0"),
                          ({"high": "nan", "medium": "2", "low": "1"}, "above 0")):
        response = post_form(client, "/admin/settings/bands", form)
        assert response.status_code == 400 and problem in response.get_data(as_text=True), form
    assert Bands.current(sessions()) == Bands.from_settings()
    saved = post_form(client, "/admin/settings/bands", {"high": "100", "medium": "25", "low": "5"})
    assert saved.status_code == 303
    with sessions() as session:
        bands = {risk.traveller_id: risk.band for risk in session.scalars(select(TravellerRisk))}
        assert Bands.current(session) == Bands(100, 25, 5)
    assert [bands[i] for i in ids] == [RiskBand.MEDIUM, RiskBand.MEDIUM, RiskBand.LOW, RiskBand.NONE, RiskBand.HIGH]
    [event] = events(sessions, "settings.bands")
    defaults = Bands.from_settings()
    assert event.before == {"high": defaults.high, "medium": defaults.medium, "low": defaults.low}
    assert event.after == {"high": 100, "medium": 25, "low": 5} and event.details == {"travellers_rebanded": 2}
    assert "high ≥ 100, medium ≥ 25, low ≥ 5" in client.get("/admin/settings").get_data(as_text=True)


def test_retention_periods_are_validated_and_saved(app: Flask, client: FlaskClient,
                                                   sessions: sessionmaker[Session]) -> None:
    as_admin(app, client, sessions)
    assert "depersonalise after 6 months, delete after 60 months" in client.get("/admin/settings").get_data(
        as_text=True)
    for form, problem in (({"depersonalise_months": "12", "delete_months": "6"}, "depersonalised before"),
                          ({"depersonalise_months": "0", "delete_months": "6"}, "between 1 and"),
                          ({"depersonalise_months": "six", "delete_months": "6"}, "whole number"),
                          ({"depersonalise_months": "+6", "delete_months": "1_2"}, "whole number"),  # int() takes
                          ({"depersonalise_months": "6", "delete_months": "9" * 5000}, "whole number")):
        response = post_form(client, "/admin/settings/retention", form)
        assert response.status_code == 400 and problem in response.get_data(as_text=True), form
    saved = post_form(client, "/admin/settings/retention", {"depersonalise_months": "3", "delete_months": "24",
                                                            "enabled": "on"})
    assert saved.status_code == 303
    with sessions() as session:
        periods = retention(session)
    assert (periods.depersonalise_months, periods.delete_months, periods.enabled) == (3, 24, True)
    [event] = events(sessions, "settings.retention")
    expected: dict[str, Any] = {"depersonalise_months": 6, "delete_months": 60, "enabled": True}
    assert event.before == expected and event.after == {**expected, "depersonalise_months": 3, "delete_months": 24}
    assert post_form(client, "/admin/settings/retention", {"depersonalise_months": "3",
                                                           "delete_months": "24"}).status_code == 303
    with sessions() as session:
        assert not retention(session).enabled


def test_the_index_names_every_area(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    as_admin(app, client, sessions)
    html = client.get("/admin").get_data(as_text=True)
    for path in ("/admin/users", "/admin/parties", "/admin/reference-lists", "/admin/categories", "/admin/settings"):
        assert f'href="{path}"' in html
