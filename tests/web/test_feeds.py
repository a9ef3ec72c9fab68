"""Feed health: the dashboard's figures, the message browser, a message's page with its failing segment highlighted,
and re-processing a failed message, on messages received through the real intake, on both databases."""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from gtas.generator import generate_traffic
from gtas.generator.files import paxlst_files, pnrgov_file
from gtas.ingest.batch import IngestSummary, ingest_bytes
from gtas.ingest.deliveries import STORED_HEADER
from gtas.ingest.queue import Publisher, dead_letter_queue, open_channel
from gtas.model import AuditEvent, Flight, Message, MessageStatus, Party, UserRole
from gtas.web.feeds import health
from tests.web.auth_helpers import install_clock, post_form, sign_in_as
from tests.web.conftest import CARD_KEY, bearer, issue
from tests.web.pages import table_rows

T0 = datetime(2030, 1, 2, 12, 0, tzinfo=UTC)  # the clock: every arranged flight left an hour ago, lands in two
READERS = [UserRole.ADMINISTRATOR, UserRole.SUPERVISOR]
OTHERS = [UserRole.OFFICER, UserRole.RULE_AUTHOR, UserRole.WATCHLIST_MANAGER, UserRole.AUDITOR]
UNSUPPORTED = ("UNA:+.? '\nUNB+UNOA:4+SENDER+RECEIVER+300102:0900+1'\nUNH+1+FOOBAR:D:05B:UN:IATA'\nBGM+745'\n"
               "UNT+3+1'\nUNZ+1+1'\n")
GARBAGE = b"HELLO \xff\x1b WORLD, THIS IS NO EDIFACT\n"


@dataclass(frozen=True, slots=True)
class Feed:
    """The arranged messages and flights: A has API and PNR in time, B has no API and a late PNR, C no PNR."""

    flights: dict[str, Flight]
    messages: dict[str, list[int]]  # "A api", "A pnr", …, "garbage", "unsupported" → message ids


def _ingest(sessions: sessionmaker[Session], data: bytes, name: str, carrier: str | None) -> int:
    summary = IngestSummary()
    ingest_bytes(sessions, data, CARD_KEY, "USA", summary, filename=name, submitter=None, carrier=carrier)
    with sessions() as session:
        return session.scalars(select(Message.id).order_by(Message.id.desc()).limit(1)).one()


def _receive_at(sessions: sessionmaker[Session], ids: list[int], at: datetime) -> None:
    with sessions.begin() as session:
        session.execute(update(Message).where(Message.id.in_(ids)).values(received_at=at))


@pytest.fixture
def feed(app: Flask, sessions: sessionmaker[Session]) -> Feed:
    generated = generate_traffic(3, 7, datetime(2030, 1, 2), passengers=4, pnrs=2, outbound_share=0.0).flights
    messages: dict[str, list[int]] = {}
    plan = {"A": ("api", "pnr"), "B": ("pnr",), "C": ("api",)}
    for label, flight in zip("ABC", generated, strict=True):
        if "pnr" in plan[label]:
            name, text = pnrgov_file(flight)
            messages[f"{label} pnr"] = [_ingest(sessions, text.encode(), name, flight.leg.carrier)]
        if "api" in plan[label]:
            messages[f"{label} api"] = [_ingest(sessions, text.encode(), name, flight.leg.carrier)
                                        for name, text in paxlst_files(flight)]
    messages["garbage"] = [_ingest(sessions, GARBAGE, "garbage.txt", None)]
    messages["unsupported"] = [_ingest(sessions, UNSUPPORTED.encode(), "unsupported.edi", None)]
    received = {"A pnr": T0 - timedelta(hours=30), "A api": T0 - timedelta(hours=2),
                "B pnr": T0 - timedelta(hours=10), "C api": T0 - timedelta(hours=2, minutes=30),
                "garbage": T0 - timedelta(minutes=20), "unsupported": T0 - timedelta(minutes=10)}
    for key, at in received.items():
        _receive_at(sessions, messages[key], at)
    flights: dict[str, Flight] = {}
    with sessions.begin() as session:
        for label, generated_flight in zip("ABC", generated, strict=True):
            leg = generated_flight.leg
            loaded = session.scalars(select(Flight).where(
                Flight.carrier == leg.carrier, Flight.number == leg.number, Flight.origin == leg.origin,
                Flight.destination == leg.destination)).one()
            loaded.departure_utc, loaded.arrival_utc = T0 - timedelta(hours=1), T0 + timedelta(hours=2)
            flights[label] = loaded
    install_clock(app).now = T0
    return Feed(flights, messages)


def test_traffic_counts_messages_per_carrier_and_hour(sessions: sessionmaker[Session], feed: Feed) -> None:
    with sessions() as session:
        traffic = health.traffic(session, T0, 48)
    assert len(traffic.hours) == 48 and traffic.hours[-1] == T0
    a = feed.flights["A"].carrier
    pnr_hour, api_hour = T0 - timedelta(hours=30), T0 - timedelta(hours=2)
    assert traffic.cell(a, pnr_hour).pnr >= 1
    assert traffic.cell(a, api_hour).api >= len(feed.messages["A api"])
    unknown = traffic.cell(health.UNKNOWN, T0 - timedelta(hours=1))  # both came in the hour before the clock's
    assert (unknown.other, unknown.failed) == (2, 2)
    assert traffic.carriers[-1] == health.UNKNOWN
    assert sum(traffic.per_hour(health.API)) == len(feed.messages["A api"]) + len(feed.messages["C api"])
    assert sum(traffic.per_hour(health.PNR)) == 2
    with sessions() as session:
        assert sum(health.traffic(session, T0, 24).per_hour(health.PNR)) == 1  # A's PNR came 30 hours ago


def test_failures_are_grouped_by_reason(sessions: sessionmaker[Session], feed: Feed) -> None:
    with sessions() as session:
        failures = health.failures(session, T0 - timedelta(hours=24))
    reasons = {failure.reason: failure for failure in failures}
    assert len(failures) == 2 and sum(f.count for f in failures) == 2
    unsupported = next(f for reason, f in reasons.items() if "FOOBAR" in reason)
    assert unsupported.latest_id == feed.messages["unsupported"][0]


def test_flights_at_risk_have_api_or_pnr_missing_or_late(sessions: sessionmaker[Session], feed: Feed) -> None:
    with sessions() as session:
        risky, arriving = health.flights_at_risk(session, T0, 6, [])
    assert arriving == 3
    states = {row.flight.id: (row.api.state, row.pnr.state) for row in risky}
    assert states == {feed.flights["B"].id: (health.FeedState.MISSING, health.FeedState.LATE),
                      feed.flights["C"].id: (health.FeedState.OK, health.FeedState.MISSING)}
    with sessions() as session:
        assert health.flights_at_risk(session, T0, 1, [])[1] == 0  # they land in two hours


@pytest.mark.parametrize(("first", "due", "state"), [
    (None, T0 + timedelta(hours=1), health.FeedState.PENDING),
    (None, T0, health.FeedState.MISSING),
    (T0, T0, health.FeedState.OK),
    (T0 + timedelta(seconds=1), T0, health.FeedState.LATE),
    (None, None, health.FeedState.PENDING),
])
def test_a_feed_is_late_after_its_deadline_and_missing_without_a_message(
        first: datetime | None, due: datetime | None, state: health.FeedState) -> None:
    assert health.check_feed(first, due, T0).state is state


def test_coverage_counts_the_carriers_sending_each_feed(sessions: sessionmaker[Session], feed: Feed) -> None:
    with sessions() as session:
        coverage = health.coverage(session, T0, 24, [])
    by_carrier: dict[str, list[int]] = {}
    for label, has_api, has_pnr in (("A", 1, 1), ("B", 0, 1), ("C", 1, 0)):
        counts = by_carrier.setdefault(feed.flights[label].carrier, [0, 0, 0])
        counts[0], counts[1], counts[2] = counts[0] + 1, counts[1] + has_api, counts[2] + has_pnr
    assert {c.carrier: [c.flights, c.with_api, c.with_pnr] for c in coverage.carriers} == by_carrier
    assert coverage.sending_api == sum(1 for counts in by_carrier.values() if counts[1])
    assert coverage.share(len(by_carrier)) == 100.0


def test_the_dashboard_shows_the_figures(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                         feed: Feed) -> None:
    sign_in_as(app, client, sessions, UserRole.SUPERVISOR)
    response = client.get("/feeds?window=48&horizon=6")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    heat = {row[0]: row for row in table_rows(html, "heat")}
    assert heat["unknown"][-3:] == ["0/0 !2", "", "2"]
    risky = table_rows(html, "at-risk")
    assert sorted(row[0] for row in risky) == sorted(feed.flights[x].designator for x in "BC")
    assert any(row[4] == "missing" and row[5].startswith("late") for row in risky)
    assert "2 of 3 flights arriving" in html
    assert 'role="img"' in html and "cdn" not in html.lower()
    failures = table_rows(html, "failures")
    assert sorted(int(row[1]) for row in failures) == [1, 1]


def test_bad_dashboard_choices_fall_back_to_the_defaults(app: Flask, client: FlaskClient,
                                                         sessions: sessionmaker[Session]) -> None:
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    response = client.get("/feeds?window=7&horizon=abc")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "window must be one of 24, 48 hours" in html and "horizon must be one of" in html


def _browse(client: FlaskClient, query: str = "") -> list[int]:
    response = client.get(f"/feeds/messages{query}")
    assert response.status_code == 200
    return [int(row[0]) for row in table_rows(response.get_data(as_text=True), "messages")]


def test_the_browser_filters_messages(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                      feed: Feed) -> None:
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    every = sorted(i for ids in feed.messages.values() for i in ids)
    assert sorted(_browse(client)) == every
    assert _browse(client)[0] == feed.messages["unsupported"][0]  # newest first
    failed = sorted(feed.messages["garbage"] + feed.messages["unsupported"])
    assert sorted(_browse(client, "?status=failed_parse")) == failed
    assert sorted(_browse(client, "?type=none")) == failed
    assert sorted(_browse(client, "?type=PNRGOV")) == sorted(feed.messages["A pnr"] + feed.messages["B pnr"])
    assert _browse(client, "?channel=http") == []
    since = (T0 - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    until = (T0 - timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M")
    assert sorted(_browse(client, f"?since={since}&until={until}")) == sorted(
        feed.messages["A api"] + feed.messages["C api"] + feed.messages["garbage"])
    carrier = feed.flights["C"].carrier
    expected = sorted(i for key, ids in feed.messages.items()
                      if key[0] in "ABC" and feed.flights[key[0]].carrier == carrier for i in ids)
    assert sorted(_browse(client, f"?carrier={carrier.lower()}")) == expected
    html = client.get("/feeds/messages?status=nonsense&since=yesterday&carrier=$$").get_data(as_text=True)
    assert "status must be one of" in html and "since must be a time" in html and "carrier must be" in html
    outside = client.get("/feeds/messages", query_string={"until": "0001-01-01T00:00+05:00"})  # year 0 in UTC
    assert outside.status_code == 200 and "until must be a time" in outside.get_data(as_text=True)


def test_the_browser_pages(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], feed: Feed,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    from gtas.web.feeds import browser

    monkeypatch.setattr(browser, "PAGE_SIZE", 2)
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    total = sum(len(ids) for ids in feed.messages.values())
    seen = [i for page in range(1, -(-total // 2) + 1) for i in _browse(client, f"?page={page}")]
    assert sorted(seen) == sorted(i for ids in feed.messages.values() for i in ids)
    assert 'rel="next"' in client.get("/feeds/messages").get_data(as_text=True)
    assert _browse(client, "?page=999") == _browse(client, f"?page={-(-total // 2)}")


def test_a_failed_message_shows_its_failing_segment(app: Flask, client: FlaskClient,
                                                    sessions: sessionmaker[Session], feed: Feed) -> None:
    user_id = sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    message_id = feed.messages["unsupported"][0]
    response = client.get(f"/feeds/messages/{message_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    marked = re.findall(r'<mark class="segment-error"[^>]*>(.*?)</mark>', html)
    assert marked == ["UNH+1+FOOBAR:D:05B:UN:IATA&#39;"]
    assert 'id="line-3"' in html and 'class="raw-line raw-marked" id="line-3"' in html
    assert 'href="#line-3"' in html and "FOOBAR" in table_rows(html, "diagnostics")[0][4]
    assert "Re-process" in html
    with sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "message.view")).one()
    assert (event.user_id, event.object_kind, event.object_id) == (user_id, "message", str(message_id))


def test_wrongly_encoded_bytes_are_shown_safely(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                                feed: Feed) -> None:
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    html = client.get(f"/feeds/messages/{feed.messages['garbage'][0]}").get_data(as_text=True)
    assert "not valid UTF-8" in html
    assert '<span class="control" title="control character">\u241b</span>' in html
    assert "\x1b" not in html


def test_a_loaded_message_shows_its_parse_result_and_flights(app: Flask, client: FlaskClient,
                                                             sessions: sessionmaker[Session], feed: Feed) -> None:
    sign_in_as(app, client, sessions, UserRole.SUPERVISOR)
    html = client.get(f"/feeds/messages/{feed.messages['A pnr'][0]}").get_data(as_text=True)
    flight = feed.flights["A"]
    assert f'href="/flights/{flight.id}"' in html
    assert "The parsers read 1 message from these bytes now" in html and "&#34;PNRGOV&#34;" in html
    assert "Re-process" not in html  # loaded, and supervisors do not re-process
    assert client.get("/feeds/messages/999999").status_code == 404


def test_reprocessing_a_failed_message_after_its_cause_is_fixed(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    generated = generate_traffic(1, 3, datetime(2030, 1, 2), passengers=3, pnrs=1, outbound_share=0.0).flights[0]
    token = issue(sessions, "Wrong Carrier Air", ["ZZ"])
    _, text = pnrgov_file(generated)
    sent = client.post("/api/v1/messages", data=text.encode(), content_type="text/plain", headers=bearer(token))
    message_id = sent.get_json()["id"]
    assert sent.get_json()["status"] == "failed_load"
    user_id = sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    page = f"/feeds/messages/{message_id}"
    post_form(client, f"{page}/reprocess", {}, token_from=page)
    with sessions() as session:
        assert session.get_one(Message, message_id).status == MessageStatus.FAILED_LOAD  # cause not fixed yet
    with sessions.begin() as session:
        party = session.scalars(select(Party).where(Party.name == "Wrong Carrier Air")).one()
        party.carriers = ["ZZ", generated.leg.carrier or ""]
    response = post_form(client, f"{page}/reprocess", {}, token_from=page)
    assert response.status_code == 303 and response.headers["Location"] == page
    assert "The message was re-processed: it is assessed now" in client.get(page).get_data(as_text=True)
    with sessions() as session:
        message = session.get_one(Message, message_id)
        assert message.status == MessageStatus.ASSESSED and message.errors == []
        flights = session.scalars(select(Flight).where(Flight.carrier == generated.leg.carrier)).all()
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "message.reprocess")
                                 .order_by(AuditEvent.id)).all()
    assert len(flights) == 1
    assert [(e.user_id, e.object_id) for e in events] == [(user_id, str(message_id))] * 2
    assert (events[1].before or {})["status"] == "failed_load" and "ZZ" in str((events[1].before or {})["errors"])
    assert (events[1].after or {})["status"] == "assessed"
    again = post_form(client, f"{page}/reprocess", {}, token_from=page)  # loaded: nothing to do
    assert again.status_code == 303 and "Nothing was re-processed" in client.get(page).get_data(as_text=True)
    with sessions() as session:
        assert session.get_one(Message, message_id).status == MessageStatus.ASSESSED
        assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "message.reprocess")).all()) == 2


def test_with_a_queue_a_reopened_message_is_handed_to_the_workers(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], feed: Feed) -> None:
    url = os.environ.get("GTAS_TEST_AMQP_URL")
    if not url:
        pytest.skip("needs GTAS_TEST_AMQP_URL, e.g. amqp://guest:guest@127.0.0.1:5672/%2F")
    queue = f"gtas.test.{uuid.uuid4().hex[:12]}"
    publisher = app.extensions["gtas.publisher"] = Publisher(url, queue)
    message_id = feed.messages["garbage"][0]
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    page = f"/feeds/messages/{message_id}"
    try:
        assert post_form(client, f"{page}/reprocess", {}, token_from=page).status_code == 303
        assert "handed to the workers" in client.get(page).get_data(as_text=True)
        connection, channel = open_channel(url, queue)
        _, properties, body = channel.basic_get(queue, auto_ack=True)
        channel.queue_delete(queue)
        channel.queue_delete(dead_letter_queue(queue))
        connection.close()
    finally:
        publisher.close()
    assert body == b"" and properties.headers == {STORED_HEADER: message_id}
    with sessions() as session:
        assert session.get_one(Message, message_id).status == MessageStatus.RECEIVED  # the workers' turn
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "message.reprocess")).one()
    assert event.details == {"queued": True} and (event.after or {})["status"] == "received"


def test_reprocessing_needs_the_csrf_token(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                           feed: Feed) -> None:
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    message_id = feed.messages["garbage"][0]
    assert client.post(f"/feeds/messages/{message_id}/reprocess").status_code == 400
    assert client.post(f"/feeds/messages/{message_id}/reprocess", data={"csrf_token": "forged"}).status_code == 400
    with sessions() as session:
        assert not session.scalars(select(AuditEvent).where(AuditEvent.action == "message.reprocess")).all()


def test_a_user_of_some_airports_sees_only_their_messages(app: Flask, client: FlaskClient,
                                                          sessions: sessionmaker[Session], feed: Feed) -> None:
    from gtas.model import User

    user_id = sign_in_as(app, client, sessions, UserRole.SUPERVISOR)
    with sessions.begin() as session:
        session.get_one(User, user_id).airports = ["ZZZ"]
    assert client.get(f"/feeds/messages/{feed.messages['A pnr'][0]}").status_code == 404
    assert table_rows(client.get("/feeds").get_data(as_text=True), "at-risk") == []


@pytest.mark.parametrize("role", READERS + OTHERS)
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], feed: Feed,
                         role: UserRole) -> None:
    sign_in_as(app, client, sessions, role)
    message_id = feed.messages["garbage"][0]
    expected = 200 if role in READERS else 403
    for path in ("/feeds", "/feeds/messages", f"/feeds/messages/{message_id}"):
        assert client.get(path).status_code == expected, path
    assert ('href="/feeds"' in client.get("/").get_data(as_text=True)) is (role in READERS)
    reprocess = post_form(client, f"/feeds/messages/{message_id}/reprocess", {})
    assert reprocess.status_code == (303 if role is UserRole.ADMINISTRATOR else 403)


def test_strangers_are_sent_to_sign_in(client: FlaskClient) -> None:
    for path in ("/feeds", "/feeds/messages", "/feeds/messages/1"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/sign-in")
