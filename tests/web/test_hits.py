"""The priority queue and the decisions about hits, on traffic loaded through the real intake and assessed with the
demo's watchlist and rules, on both databases."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gtas.categories import update_category, update_guide
from gtas.model import (
    AuditEvent,
    Disposition,
    Flight,
    Hit,
    HitCategory,
    HitKind,
    HitStatus,
    HitSuppression,
    HitWork,
    SeverityGuide,
    Traveller,
    User,
    UserRole,
)
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.web.flights.manifest import SEVERITY_RANK
from gtas.web.hits import queue
from tests.web.auth_helpers import add_user, enter_session, post_form, sign_in_as
from tests.web.conftest import NOW
from tests.web.pages import table_rows

READERS = [UserRole.OFFICER, UserRole.SUPERVISOR, UserRole.AUDITOR]
DECIDERS = [UserRole.OFFICER, UserRole.SUPERVISOR]
OTHERS = [UserRole.RULE_AUTHOR, UserRole.WATCHLIST_MANAGER, UserRole.ADMINISTRATOR]
HIT_LINK = re.compile(r'<a href="/travellers/\d+#hit-(\d+)">')


@pytest.fixture(autouse=True)
def one_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole queue on one page (the generated traffic has about a hundred open hits)."""
    monkeypatch.setattr(queue, "PAGE_SIZE", 1000)


def shown_hits(client: FlaskClient, query: str = "") -> list[int]:
    """The ids of the hits the queue shows, in order."""
    response = client.get(f"/hits{query}")
    assert response.status_code == 200
    return [int(i) for i in HIT_LINK.findall(response.get_data(as_text=True))]


def open_hits(sessions: sessionmaker[Session], *where: object) -> list[tuple[Hit, Flight]]:
    with sessions() as session:
        return [(hit, flight) for hit, flight in session.execute(
            select(Hit, Flight).join(Traveller, Traveller.id == Hit.traveller_id)
            .join(Flight, Flight.id == Traveller.flight_id)
            .where(Hit.status == HitStatus.OPEN, Traveller.removed_at.is_(None), *where))]  # type: ignore[arg-type]


def priority_order(hits: list[tuple[Hit, Flight]]) -> list[tuple[Hit, Flight]]:
    """Hits as the queue must order them: most severe, then soonest arrival, then oldest."""
    return sorted(hits, key=lambda pair: (-SEVERITY_RANK[pair[0].severity], pair[1].arrival_utc, pair[0].id))


def test_the_queue_holds_every_open_hit_most_severe_then_soonest_arrival_first(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    expected = priority_order(open_hits(sessions))
    user_id = sign_in_as(app, client, sessions, UserRole.OFFICER)
    response = client.get("/hits")
    html = response.get_data(as_text=True)
    assert [int(i) for i in HIT_LINK.findall(html)] == [hit.id for hit, _ in expected]
    rows = table_rows(html, "queue")
    assert [row[0] for row in rows] == [hit.severity for hit, _ in expected]
    assert all(row[6] == "nobody" and row[7] == "undecided" for row in rows)
    assert f"{len(expected)} hits" in html
    with sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "hits.queue")).one()
    assert event.user_id == user_id and (event.details or {})["shown"] == len(expected)


def test_the_queue_shows_category_labels_and_each_severitys_label_and_guidance(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    with sessions.begin() as session:
        narcotics = session.scalars(select(HitCategory).where(HitCategory.key == "narcotics")).one()
        update_category(session, narcotics, "Drug trafficking", "", True, "admin")
        for guide in session.scalars(select(SeverityGuide)):
            update_guide(session, guide, f"Code {guide.severity}", "", f"Handle {guide.severity} hits so.", "admin")
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    html = client.get("/hits").get_data(as_text=True)
    assert '<option value="narcotics">Drug trafficking</option>' in html
    assert '<option value="critical">Code critical</option>' in html
    assert "<dt>Code critical</dt><dd>Handle critical hits so.</dd>" in html
    rows = table_rows(html, "queue")
    assert {row[0] for row in rows} <= {f"Code {severity}" for severity in Severity}
    assert "Drug trafficking" in {row[2] for row in rows} and "narcotics" not in {row[2] for row in rows}
    assert 'title="Handle high hits so.">Code high</span>' in html


def test_the_queue_comes_in_pages(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                  traffic: list[Flight], monkeypatch: pytest.MonkeyPatch) -> None:
    ordered = [hit.id for hit, _ in priority_order(open_hits(sessions))]
    monkeypatch.setattr(queue, "PAGE_SIZE", 5)
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    assert shown_hits(client) == ordered[:5]
    second = client.get("/hits?page=2").get_data(as_text=True)
    assert [int(i) for i in HIT_LINK.findall(second)] == ordered[5:10]
    assert 'rel="prev"' in second and 'rel="next"' in second


def test_the_filters_pick_hits(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                               traffic: list[Flight]) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    every = open_hits(sessions)
    for kind in HitKind:
        assert sorted(shown_hits(client, f"?kind={kind.value}")) == sorted(h.id for h, _ in every if h.kind == kind)
    assert sorted(shown_hits(client, "?severity=high")) == sorted(h.id for h, _ in every if h.severity == "high")
    flight = every[0][1]
    assert sorted(shown_hits(client, f"?flight={flight.id}")) == sorted(h.id for h, f in every if f.id == flight.id)
    listed = {h.id for h, _ in every if h.kind == HitKind.WATCHLIST and h.explanation["category"] == "terrorism"}
    ruled = {h.id for h, _ in every if h.kind == HitKind.RULE and h.explanation["rule"] in (
        "demo-cash-one-way", "demo-cash-short-notice")}
    assert set(shown_hits(client, "?category=terrorism")) == listed
    assert set(shown_hits(client, "?category=narcotics")) >= ruled
    assert set(shown_hits(client, "?category=link")) == {h.id for h, _ in every if h.kind == HitKind.LINK}
    page = client.get("/hits?kind=rumour&severity=dire&flight=x").get_data(as_text=True)
    assert "kind must be one of rule, watchlist, link" in page
    assert "severity must be one of low, medium, high, critical" in page
    assert "flight must be a whole number" in page
    assert "flight must be a whole number" in client.get("/hits?flight=²").get_data(as_text=True)  # not for int()
    assert len(HIT_LINK.findall(page)) == len(every)


def test_claim_release_and_the_status_filters(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    first, second = [hit.id for hit, _ in open_hits(sessions)][:2]
    me = sign_in_as(app, client, sessions, UserRole.OFFICER)
    claimed = post_form(client, f"/hits/{first}/claim", {"next": "/hits?status=mine"})
    assert claimed.status_code == 303 and claimed.headers["Location"] == "/hits?status=mine"
    assert shown_hits(client, "?status=mine") == [first]
    assert shown_hits(client, "?status=claimed") == [first]
    assert first in shown_hits(client)  # still undecided
    other = app.test_client()
    enter_session(app, other, sessions, add_user(sessions, "colleague", UserRole.OFFICER))
    refused = post_form(other, f"/hits/{first}/claim", {})
    assert refused.status_code == 303
    assert "Not done: As-Officer holds this hit" in other.get("/hits").get_data(as_text=True)
    assert post_form(other, f"/hits/{first}/release", {}).status_code == 303
    assert post_form(other, f"/hits/{second}/claim", {}).status_code == 303
    assert shown_hits(client, "?status=claimed") == sorted([first, second], key=shown_hits(client).index)
    assert post_form(client, f"/hits/{first}/release", {}).status_code == 303
    assert shown_hits(client, "?status=mine") == []
    with sessions() as session:
        work = session.get_one(HitWork, first)
        events = session.scalars(select(AuditEvent).where(AuditEvent.action.in_(["hit.claim", "hit.release"]))
                                 .order_by(AuditEvent.id)).all()
    assert (work.claimed_by, work.claimed_at) == (None, None)
    assert [(e.action, e.object_id, e.user_id == me, e.before, e.after) for e in events] == [
        ("hit.claim", str(first), True, {"claimed_by": None, "assigned_to": None},
         {"claimed_by": me, "assigned_to": None}),
        ("hit.claim", str(second), False, {"claimed_by": None, "assigned_to": None},
         {"claimed_by": events[1].user_id, "assigned_to": None}),
        ("hit.release", str(first), True, {"claimed_by": me, "assigned_to": None},
         {"claimed_by": None, "assigned_to": None})]


def test_a_supervisor_assigns_and_releases_any_hit(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit_id = open_hits(sessions)[0][0].id
    officer_id = add_user(sessions, "duty-officer", UserRole.OFFICER)
    auditor_id = add_user(sessions, "reader", UserRole.AUDITOR)
    supervisor = sign_in_as(app, client, sessions, UserRole.SUPERVISOR)
    queue_page = client.get("/hits").get_data(as_text=True)
    assert '<option value="duty-officer">' in queue_page and '<option value="reader">' not in queue_page
    assert post_form(client, f"/hits/{hit_id}/assign", {"assignee": "duty-officer"}).status_code == 303
    with sessions() as session:
        work = session.get_one(HitWork, hit_id)
        assert (work.claimed_by, work.assigned_to, work.assigned_by, work.assigned_at) == (
            officer_id, officer_id, supervisor, NOW)
    officer = app.test_client()
    enter_session(app, officer, sessions, officer_id)
    assert shown_hits(officer, "?status=mine") == [hit_id]
    post_form(client, f"/hits/{hit_id}/assign", {"assignee": "reader"})
    assert "reader cannot work on hits" in client.get("/hits").get_data(as_text=True)
    post_form(client, f"/hits/{hit_id}/assign", {"assignee": "nobody-here"})
    assert "there is no user &#39;nobody-here&#39;" in client.get("/hits").get_data(as_text=True)
    assert post_form(client, f"/hits/{hit_id}/release", {}).status_code == 303
    with sessions() as session:
        work = session.get_one(HitWork, hit_id)
        assert (work.claimed_by, work.assigned_to) == (None, None)
        assigned = session.scalars(select(AuditEvent).where(AuditEvent.action == "hit.assign")).one()
    assert assigned.details == {"assignee": "duty-officer"} and auditor_id != officer_id
    assert post_form(officer, f"/hits/{hit_id}/assign", {"assignee": "duty-officer"}).status_code == 403


def test_a_disposition_is_recorded_audited_and_moves_the_hit_to_decided(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit = next(hit for hit, _ in open_hits(sessions) if hit.kind == HitKind.WATCHLIST)
    me = sign_in_as(app, client, sessions, UserRole.OFFICER)
    response = post_form(client, f"/hits/{hit.id}/disposition",
                         {"disposition": "refer_secondary", "notes": "  name and date of birth agree  "})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/travellers/{hit.traveller_id}#hit-{hit.id}"
    post_form(client, f"/hits/{hit.id}/disposition", {"disposition": "confirmed", "notes": "passport seen"})
    with sessions() as session:
        decisions = session.scalars(select(Disposition).order_by(Disposition.id)).all()
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "hit.disposition")
                                 .order_by(AuditEvent.id)).all()
        assert session.get_one(Hit, hit.id).status == HitStatus.OPEN
    assert [(d.hit_id, d.kind, d.notes, d.user_id, d.decided_at) for d in decisions] == [
        (hit.id, "refer_secondary", "name and date of birth agree", me, NOW),
        (hit.id, "confirmed", "passport seen", me, NOW)]
    assert [(e.object_id, e.traveller_id, (e.after or {})["disposition"]) for e in events] == [
        (str(hit.id), hit.traveller_id, "refer_secondary"), (str(hit.id), hit.traveller_id, "confirmed")]
    assert hit.id not in shown_hits(client)
    decided = client.get("/hits?status=decided").get_data(as_text=True)
    assert [int(i) for i in HIT_LINK.findall(decided)] == [hit.id]
    assert table_rows(decided, "queue")[0][7] == "confirmed"
    article = client.get(f"/travellers/{hit.traveller_id}").get_data(as_text=True)
    history = article[article.index(f'id="hit-{hit.id}"'):]
    assert history.index("refer to secondary inspection") < history.index("<strong>confirmed</strong>")


@pytest.mark.parametrize(("until", "ends"), [
    ((NOW + timedelta(days=90)).date(), datetime.combine((NOW + timedelta(days=91)).date(), time(), UTC)),
    (date.max, datetime.max.replace(tzinfo=UTC)),  # 9999-12-31 has no next midnight: its last microsecond
], ids=["in 90 days", "the last day of the calendar"])
def test_clearing_with_a_suppression_withdraws_the_hit(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight], until: date,
        ends: datetime) -> None:
    hit = next(hit for hit, _ in open_hits(sessions) if hit.kind == HitKind.RULE)
    sign_in_as(app, client, sessions, UserRole.SUPERVISOR)
    response = post_form(client, f"/hits/{hit.id}/disposition",
                         {"disposition": "cleared", "notes": "regular trader", "suppress_until": until.isoformat(),
                          "suppress_reason": "checked with the trade register"})
    assert response.status_code == 303
    with sessions() as session:
        withdrawn = session.get_one(Hit, hit.id)
        suppression = session.scalars(select(HitSuppression)).one()
        disposition = session.scalars(select(Disposition)).one()
        person = session.get_one(Traveller, hit.traveller_id).person_id
    assert withdrawn.status == HitStatus.WITHDRAWN and "checked with the trade register" in (
        withdrawn.withdrawn_reason or "")
    assert (suppression.person_id, suppression.cause_key, suppression.until, suppression.created_by) == (
        person, hit.cause_key, ends, "as-supervisor")
    assert (disposition.kind, disposition.suppression_id) == ("cleared", suppression.id)
    assert hit.id not in shown_hits(client) and hit.id not in shown_hits(client, "?status=decided")


@pytest.mark.parametrize(("form", "problem"), [
    ({"disposition": "confirmed", "suppress_until": "2030-03-01"}, "only a cleared hit can be suppressed"),
    ({"disposition": "cleared", "suppress_until": "2029-12-01"}, "a suppression must end in the future"),
    ({"disposition": "cleared", "suppress_until": "next week"}, "must be a date like 2030-01-31"),
    ({"disposition": "shrug"}, "choose the decision among confirmed, false_match"),
], ids=["suppress without clearing", "suppression in the past", "bad date", "unknown decision"])
def test_a_bad_decision_is_refused_with_the_reason(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight],
        form: dict[str, str], problem: str) -> None:
    hit = open_hits(sessions)[0][0]
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    assert post_form(client, f"/hits/{hit.id}/disposition", form).status_code == 303
    assert problem in client.get(f"/travellers/{hit.traveller_id}").get_data(as_text=True)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Disposition)) == 0
        assert session.scalar(select(func.count()).select_from(HitSuppression)) == 0
        assert session.get_one(Hit, hit.id).status == HitStatus.OPEN


def test_forms_without_their_csrf_token_are_refused(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit_id = open_hits(sessions)[0][0].id
    sign_in_as(app, client, sessions, UserRole.SUPERVISOR)
    for action, form in (("claim", {}), ("disposition", {"disposition": "confirmed"}),
                         ("assign", {"assignee": "as-supervisor"})):
        assert client.post(f"/hits/{hit_id}/{action}", data=form).status_code == 400
    with sessions() as session:
        assert session.get(HitWork, hit_id) is None
        assert session.scalar(select(func.count()).select_from(Disposition)) == 0


@pytest.mark.parametrize("role", READERS + OTHERS, ids=str)
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight],
                         role: UserRole) -> None:
    hit_id = open_hits(sessions)[0][0].id
    sign_in_as(app, client, sessions, role)
    assert client.get("/hits").status_code == (200 if role in READERS else 403)
    assert ('href="/hits"' in client.get("/").get_data(as_text=True)) is (role in READERS)
    expected = {"claim": 303 if role in DECIDERS else 403, "release": 303 if role in DECIDERS else 403,
                "assign": 303 if role is UserRole.SUPERVISOR else 403,
                "disposition": 303 if role in DECIDERS else 403}
    forms = {"assign": {"assignee": "as-supervisor"}, "disposition": {"disposition": "no_action"}}
    for action, status in expected.items():
        assert post_form(client, f"/hits/{hit_id}/{action}", forms.get(action, {})).status_code == status, action
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Disposition)) == (1 if role in DECIDERS else 0)


def test_strangers_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/hits?status=mine")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/sign-in?next=")
    assert client.post("/hits/1/claim").status_code == 302


def test_a_user_sees_and_works_only_the_hits_of_his_airports(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    every = open_hits(sessions)
    airport = every[0][1].destination
    mine = sorted(h.id for h, f in every if airport in (f.origin, f.destination))
    elsewhere = next(h.id for h, f in every if airport not in (f.origin, f.destination))
    user_id = sign_in_as(app, client, sessions, UserRole.OFFICER)
    with sessions.begin() as session:
        session.get_one(User, user_id).airports = [airport]
    assert sorted(shown_hits(client)) == mine
    assert post_form(client, f"/hits/{elsewhere}/claim", {}).status_code == 404
    assert post_form(client, f"/hits/{elsewhere}/disposition", {"disposition": "confirmed"}).status_code == 404
    assert post_form(client, "/hits/999999/claim", {}).status_code == 404
