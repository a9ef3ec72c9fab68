"""The audit log viewer: filters, paging, an event's before and after, the CSV export (itself audited, its cells
safe from formula injection) and who may open it, on both databases."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gtas.cells import restored
from gtas.model import AuditEvent, User, UserRole
from gtas.web.audit import add_event
from gtas.web.auditlog import search
from tests.web.auth_helpers import add_user, install_clock, sign_in_as
from tests.web.pages import table_rows

READERS = [UserRole.AUDITOR, UserRole.ADMINISTRATOR]
OTHERS = [UserRole.OFFICER, UserRole.SUPERVISOR, UserRole.RULE_AUTHOR, UserRole.WATCHLIST_MANAGER]
T0 = datetime(2030, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def trail(app: Flask, sessions: sessionmaker[Session]) -> dict[str, int]:
    """Five events by two users over two days; returns their ids by name."""
    alice = add_user(sessions, "alice", UserRole.OFFICER)
    bob = add_user(sessions, "bob", UserRole.ADMINISTRATOR)
    ids: dict[str, int] = {}
    with sessions.begin() as session:
        users = {"alice": session.get_one(User, alice), "bob": session.get_one(User, bob)}
        arranged = [
            ("view", "alice", "traveller.view", "traveller", "41", 41, None, None, T0),
            ("decide", "alice", "hit.disposition", "hit", "7", 41, None, {"disposition": "confirmed"},
             T0 + timedelta(hours=1)),
            ("rule", "bob", "rule.update", "rule", "3", None, {"title": "Old", "weight": 2, "terms": {"a": 1}},
             {"title": "New", "weight": 2, "terms": {"a": 2}}, T0 + timedelta(days=1)),
            ("search", "bob", "traveller.search", None, None, None, None, None, T0 + timedelta(days=1, hours=2)),
            ("formula", "bob", "watchlist.import", "watchlist", "=HYPERLINK(1)", None, None, {"name": "@SUM(A1)"},
             T0 + timedelta(days=1, hours=3)),
        ]
        for name, user, action, kind, object_id, traveller, before, after, at in arranged:
            event = add_event(session, action, user=users[user], object_kind=kind, object_id=object_id,
                              traveller_id=traveller, before=before, after=after, remote_address="10.0.0.1")
            event.at = at
            session.flush()
            ids[name] = event.id
    install_clock(app).now = T0 + timedelta(days=2)
    return ids


def shown(client: FlaskClient, query: str = "") -> list[int]:
    """The ids of the events the log shows, in order."""
    response = client.get(f"/audit{query}")
    assert response.status_code == 200
    return [int(row[0]) for row in table_rows(response.get_data(as_text=True), "events")]


def arranged(client: FlaskClient, trail: dict[str, int], query: str = "") -> list[str]:
    """The names of the arranged events shown (the viewer's own events left out)."""
    names = {event_id: name for name, event_id in trail.items()}
    return [names[i] for i in shown(client, query) if i in names]


def test_the_log_shows_events_newest_first(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                           trail: dict[str, int]) -> None:
    user_id = sign_in_as(app, client, sessions, UserRole.AUDITOR)
    assert arranged(client, trail) == ["formula", "search", "rule", "decide", "view"]
    with sessions() as session:
        searches = session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.search")).all()
    assert [e.user_id for e in searches] == [user_id]


@pytest.mark.parametrize(("query", "expected"), [
    ("?user=ALICE", ["decide", "view"]),
    ("?action=rule.update", ["rule"]),
    ("?action=traveller.*", ["search", "view"]),
    ("?traveller=41", ["decide", "view"]),
    ("?object_kind=hit&object_id=7", ["decide"]),
    ("?object_id==HYPERLINK(1)", ["formula"]),
    ("?since=2030-03-02T00:00", ["formula", "search", "rule"]),
    ("?since=2030-03-01T08:30&until=2030-03-02T01:00", ["decide"]),
    ("?user=bob&action=traveller.*", ["search"]),
])
def test_the_filters(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], trail: dict[str, int],
                     query: str, expected: list[str]) -> None:
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    assert arranged(client, trail, query.replace("==", "=%3D")) == expected


def test_bad_filters_are_explained_and_filter_nothing(app: Flask, client: FlaskClient,
                                                      sessions: sessionmaker[Session], trail: dict[str, int]) -> None:
    sign_in_as(app, client, sessions, UserRole.AUDITOR)
    response = client.get("/audit?traveller=abc&since=monday&user=" + "x" * 80)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "traveller must be a whole number" in html and "since must be a time" in html
    assert "user must be at most 64 characters" in html
    assert "traveller must be a whole number" in client.get("/audit?traveller=²").get_data(as_text=True)
    for since in ("0001-01-01T00:00+01:00", "9999-12-31T23:00-02:00"):  # in UTC, outside the calendar
        assert "since must be a time" in client.get("/audit", query_string={"since": since}).get_data(as_text=True)
    assert len(arranged(client, trail, "?traveller=abc")) == 5


def test_the_log_pages(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], trail: dict[str, int],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    sign_in_as(app, client, sessions, UserRole.AUDITOR)
    pages = [arranged(client, trail, f"?user=bob&page={page}") for page in (1, 2)]
    assert pages == [["formula", "search"], ["rule"]]
    assert 'rel="next"' in client.get("/audit?user=bob").get_data(as_text=True)


def test_an_event_shows_its_before_and_after(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                             trail: dict[str, int]) -> None:
    user_id = sign_in_as(app, client, sessions, UserRole.AUDITOR)
    response = client.get(f"/audit/{trail['rule']}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert table_rows(html, "changes") == [['terms.a', '1', '2'], ['title', '"Old"', '"New"'], ['weight', '2', '2']]
    assert '<del class="before">&#34;Old&#34;</del>' in html and '<ins class="after">&#34;New&#34;</ins>' in html
    assert "2 of 3 fields changed" in html
    decided = client.get(f"/audit/{trail['decide']}").get_data(as_text=True)
    assert table_rows(decided, "changes") == [["disposition", "absent", '"confirmed"']]
    assert client.get("/audit/999999").status_code == 404
    with sessions() as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.view")).all()
    assert [(e.user_id, e.object_id) for e in views] == [(user_id, str(trail["rule"])), (user_id, str(trail["decide"]))]
    assert views[1].traveller_id == 41


def test_changes_compare_nested_fields() -> None:
    rows = search.changes({"a": {"b": 1, "c": [1, 2]}, "gone": True}, {"a": {"b": 1, "c": [1, 3]}, "new": None})
    assert [(c.field, c.before, c.after, c.changed) for c in rows] == [
        ("a.b", "1", "1", False), ("a.c", "[1, 2]", "[1, 3]", True), ("gone", "true", None, True),
        ("new", None, "null", True)]


def test_the_export_holds_the_filtered_events_safely_and_is_audited(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], trail: dict[str, int]) -> None:
    user_id = sign_in_as(app, client, sessions, UserRole.AUDITOR)
    response = client.get("/audit/export.csv?user=bob")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit_20300303_')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == list(search.COLUMNS)
    assert [int(row[0]) for row in rows[1:]] == [trail["formula"], trail["search"], trail["rule"]]
    formula = rows[1]
    assert formula[6] == "'=HYPERLINK(1)" and restored(formula[6]) == "=HYPERLINK(1)"
    assert formula[12] == '{"name": "@SUM(A1)"}'
    rule = rows[3]
    assert (rule[1], rule[2], rule[4], rule[8]) == ("2030-03-02T08:00:00+00:00", "bob", "rule.update", "10.0.0.1")
    assert rule[11] == '{"terms": {"a": 1}, "title": "Old", "weight": 2}'
    with sessions() as session:
        export = session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.export")).one()
    assert export.user_id == user_id and export.details == {"filters": {"user": "bob"}, "events": 3,
                                                            "truncated": False}
    assert 'href="/audit/export.csv?user=bob"' in client.get("/audit?user=bob").get_data(as_text=True)


def test_an_export_with_bad_filters_is_refused(app: Flask, client: FlaskClient,
                                               sessions: sessionmaker[Session]) -> None:
    sign_in_as(app, client, sessions, UserRole.AUDITOR)
    response = client.get("/audit/export.csv?since=soon")
    assert response.status_code == 400 and "since must be a time" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", READERS + OTHERS)
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], trail: dict[str, int],
                         role: UserRole) -> None:
    sign_in_as(app, client, sessions, role)
    expected = 200 if role in READERS else 403
    for path in ("/audit", f"/audit/{trail['rule']}", "/audit/export.csv"):
        assert client.get(path).status_code == expected, path
    assert ('href="/audit"' in client.get("/").get_data(as_text=True)) is (role in READERS)


def test_strangers_are_sent_to_sign_in(client: FlaskClient) -> None:
    for path in ("/audit", "/audit/1", "/audit/export.csv"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/sign-in")
