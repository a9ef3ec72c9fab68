"""The traveller page and the outcome form, on traffic loaded through the real intake and assessed with the demo's
watchlist and rules, on both databases."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from gtas.categories import update_category, update_guide
from gtas.ingest.load import process
from gtas.ingest.store import receive
from gtas.model import (
    AuditEvent,
    Channel,
    Document,
    Flight,
    Hit,
    HitCategory,
    HitKind,
    HitStatus,
    ItineraryLeg,
    Message,
    Outcome,
    Payment,
    PnrVersion,
    Rule,
    SeverityGuide,
    Traveller,
    TravellerSource,
    User,
    UserRole,
)
from gtas.rules.loaded import assess_loaded
from gtas.rules.suppression import suppress
from tests.web.auth_helpers import CSRF_FIELD, post_form, sign_in_as
from tests.web.conftest import CARD_KEY, NOW
from tests.web.pages import table_rows

READERS = [UserRole.OFFICER, UserRole.SUPERVISOR, UserRole.AUDITOR]
DECIDERS = [UserRole.OFFICER, UserRole.SUPERVISOR]
OTHERS = [UserRole.RULE_AUTHOR, UserRole.WATCHLIST_MANAGER, UserRole.ADMINISTRATOR]


def a_hit(sessions: sessionmaker[Session], kind: HitKind) -> Hit:
    """An open hit of the kind, the lowest id first."""
    with sessions() as session:
        return session.scalars(select(Hit).where(Hit.kind == kind, Hit.status == HitStatus.OPEN)
                               .order_by(Hit.id).limit(1)).one()


def page_of(client: FlaskClient, traveller_id: int) -> str:
    response = client.get(f"/travellers/{traveller_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(html: str, anchor: str) -> str:
    """The page from the heading with this id to the next heading of the same level."""
    found = re.search(rf'<(h\d) id="{anchor}">', html)
    assert found is not None, anchor
    level = found.group(1)
    end = html.find(f"<{level} ", found.end())
    return html[found.start():end if end >= 0 else len(html)]


def hit_article(html: str, hit_id: int) -> str:
    start = html.index(f'id="hit-{hit_id}"')
    return html[start:html.index("</article>", start)]


def test_the_page_shows_identity_documents_api_data_and_booking_and_is_audited(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    traveller_id = a_hit(sessions, HitKind.WATCHLIST).traveller_id
    with sessions() as session:
        traveller = session.get_one(Traveller, traveller_id)
        documents = session.scalars(select(Document.number).where(Document.traveller_id == traveller_id)).all()
        sources = session.scalars(select(TravellerSource.message_id)
                                  .where(TravellerSource.traveller_id == traveller_id)).all()
        legs = session.scalars(select(ItineraryLeg).where(ItineraryLeg.pnr_id == traveller.pnr_id)).all()
        payments = session.scalars(select(Payment).where(Payment.pnr_id == traveller.pnr_id)).all()
        co = session.scalars(select(Traveller.id).where(Traveller.pnr_id == traveller.pnr_id,
                                                        Traveller.flight_id == traveller.flight_id,
                                                        Traveller.id != traveller_id)).all()
        raw = b"".join(m.raw for m in session.scalars(select(Message).where(Message.type == "PNRGOV")))
    user_id = sign_in_as(app, client, sessions, UserRole.AUDITOR)
    html = page_of(client, traveller_id)
    assert f"<h1>{traveller.surname}, {traveller.given_names}</h1>" in html
    assert documents and [row[1] for row in table_rows(html, "documents")] == sorted(documents, key=documents.index)
    api = section(html, "api-data")
    assert sources and all(f'id="source-{message_id}"' in api for message_id in sources)
    assert f"<dd>{traveller.surname}</dd>" in api
    itinerary = section(html, "booking")
    times = re.findall(r'<time datetime="([^"]+)">', itinerary)
    assert len(times) == len(legs) and times == sorted(times)
    assert 'class="this-flight"' in itinerary
    cards = [p for p in payments if p.card_last4]
    assert cards and all(f"•••• {p.card_last4}" in itinerary for p in cards)
    card_numbers = set(re.findall(rb"FOP\+CC::[^:]*:[A-Z]{2}:(\d{12,19})", raw))
    assert card_numbers and not any(number.decode() in html for number in card_numbers)
    assert sorted(int(i) for i in re.findall(r'href="/travellers/(\d+)"', section(html, "co-travellers"))) == \
        sorted(co)
    with sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "traveller.view")).all()
    assert [(e.user_id, e.traveller_id, e.object_id) for e in events] == [(user_id, traveller_id, str(traveller_id))]


def test_a_rule_hit_lists_each_condition_with_the_travellers_value(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit = a_hit(sessions, HitKind.RULE)
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    article = hit_article(page_of(client, hit.traveller_id), hit.id)
    assert f"Rule “{hit.explanation['title']}”" in article
    assert f"<dt>version</dt><dd>{hit.explanation['version']}</dd>" in article
    rows = table_rows(article + "</table>", "explanation")
    expected = [[f"{c['field'].rpartition('.')[2].replace('_', ' ')} {c['operator'].replace('_', ' ')}",
                 _shown(c["traveller_value"]), _shown(c["value"]), "holds"] for c in hit.explanation["conditions"]]
    assert rows == expected


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def test_a_watchlist_hit_shows_the_entry_the_score_against_the_threshold_and_each_field(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit = a_hit(sessions, HitKind.WATCHLIST)
    e = hit.explanation
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    article = hit_article(page_of(client, hit.traveller_id), hit.id)
    assert f"Watchlist “{e['watchlist']}”, entry {e['entry']}" in article
    assert f"<dd>{e['score']:g} against a threshold of {e['threshold']:g}</dd>" in article
    rows = {row[0]: row for row in table_rows(article + "</table>", "explanation")}
    assert rows["name"][1:3] == [e["name"]["traveller_name"], e["name"]["entry_name"]]
    assert rows["date of birth"][1:3] == [e["date_of_birth"]["traveller"], e["date_of_birth"]["entry"]]
    assert rows["nationality"][1:3] == [", ".join(e["nationality"]["traveller"]), ", ".join(e["nationality"]["entry"])]


def test_each_hit_shows_its_severitys_label_and_guidance_and_its_categorys_label_read_once_per_page(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit = a_hit(sessions, HitKind.RULE)
    with sessions.begin() as session:
        update_guide(session, session.get_one(SeverityGuide, hit.severity), f"Code {hit.severity}", "",
                     "Call the duty desk before the doors open.", "admin")
        key = session.scalars(select(Rule.category).where(Rule.key == hit.explanation["rule"])).one()
        category = session.scalars(select(HitCategory).where(HitCategory.key == key)).one()
        update_category(session, category, "Drug trafficking", "", True, "admin")
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    engine: Engine = sessions.kw["bind"]
    statements: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        html = page_of(client, hit.traveller_id)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    article = hit_article(html, hit.id)
    assert f'<span class="severity severity-{hit.severity}">Code {hit.severity}</span>' in article
    assert f"<strong>Code {hit.severity} severity:</strong> Call the duty desk before the doors open." in article
    assert "(Drug trafficking), now at version" in article
    assert html.count("<article class=\"hit ") > 1  # several hits, yet each list is read once
    assert sum("FROM severity_guide" in statement for statement in statements) == 1
    assert sum("FROM hit_category" in statement for statement in statements) == 1


def test_a_link_hit_names_the_shared_element_and_the_flagged_travellers(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit = a_hit(sessions, HitKind.LINK)
    e = hit.explanation
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    article = hit_article(page_of(client, hit.traveller_id), hit.id)
    assert f"Shares {e['shared']} with a flagged traveller" in article
    assert f"<dd>{e['value']}</dd>" in article
    for other in e["with"]:
        assert f'href="/travellers/{other["traveller_id"]}">{other["name"]}</a>' in article
        assert other["flight"] in article


def _repush(sessions: sessionmaker[Session], traveller: Traveller, old: str, new: str) -> None:
    """Push the traveller's booking again with one value changed, through the real intake, and assess."""
    with sessions.begin() as session:
        first = session.scalars(select(PnrVersion).where(PnrVersion.pnr_id == traveller.pnr_id)).one()
        text = session.get_one(Message, first.message_id).raw.decode()
        assert text.count(old) == 1, old
        message_id = receive(session, text.replace(old, new).encode(), channel=Channel.CLI, submitter="test").id
    with sessions.begin() as session:
        process(session, session.get_one(Message, message_id), CARD_KEY, home_country="USA")
    assess_loaded(sessions)


def test_every_pnr_version_is_shown_with_what_changed_since_the_one_before(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    with sessions() as session:
        traveller = session.scalars(select(Traveller).where(Traveller.seat.is_not(None), Traveller.pnr_id.is_not(None))
                                    .order_by(Traveller.id).limit(1)).one()
    seat = traveller.seat
    assert seat is not None
    row, letter = int(seat[:-1]), seat[-1]
    _repush(sessions, traveller, f"SSD+{row:03d}{letter}", f"SSD+{row + 40:03d}{letter}")
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    html = page_of(client, traveller.id)
    versions = section(html, "pnr-versions")
    assert "Version 1, pushed" in versions and "Version 2, pushed" in versions
    changes = table_rows(versions, "pnr-changes")
    assert [seat, f"{row + 40}{letter}"] in [change[1:] for change in changes]
    assert any(change[0].endswith(".number") and change[0].startswith("seats[") for change in changes)
    assert f"SSD+{row + 40:03d}{letter}" in versions and f"SSD+{row:03d}{letter}" in versions  # each raw push


def test_travel_history_lists_the_same_persons_other_flights(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    with sessions.begin() as session:
        first, other = (session.scalars(select(Traveller).where(Traveller.flight_id == flight.id)
                                        .order_by(Traveller.id).limit(1)).one() for flight in traffic[:2])
        other.person_id = first.person_id  # the same person on another flight
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    rows = table_rows(page_of(client, first.id), "history")
    flight = next(f for f in traffic if f.id == other.flight_id)
    assert [row[0] for row in rows] == [flight.designator]
    assert "No other flights" in section(page_of(client, traffic_loner(sessions)), "history")


def traffic_loner(sessions: sessionmaker[Session]) -> int:
    """A traveller whose person travels once."""
    with sessions() as session:
        once = select(Traveller.person_id).group_by(Traveller.person_id).having(func.count() == 1)
        return session.scalars(select(Traveller.id).where(Traveller.person_id.in_(once)).limit(1)).one()


def test_a_withdrawn_hit_is_shown_apart_with_its_reason(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    hit = a_hit(sessions, HitKind.RULE)
    with sessions.begin() as session:
        suppress(session, session.get_one(Hit, hit.id), until=NOW + timedelta(days=30), reason="known commuter",
                 by="tester", now=NOW)
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    html = page_of(client, hit.traveller_id)
    assert f'id="hit-{hit.id}"' in section(html, "withdrawn")
    assert f'id="hit-{hit.id}"' not in section(html, "hits")
    article = hit_article(html, hit.id)
    assert "known commuter" in article and "Withdrawn" in article
    assert 'action="/hits/' not in article  # nothing left to decide


def test_an_outcome_is_recorded_audited_and_shown(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    traveller_id = a_hit(sessions, HitKind.WATCHLIST).traveller_id
    user_id = sign_in_as(app, client, sessions, UserRole.OFFICER)
    response = post_form(client, f"/travellers/{traveller_id}/outcome",
                         {"outcome": "seizure", "seizure": "currency", "notes": "EUR 40,000 undeclared",
                          "next": f"/travellers/{traveller_id}/outcome"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/travellers/{traveller_id}/outcome"
    with sessions() as session:
        outcome = session.scalars(select(Outcome)).one()
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "traveller.outcome")).one()
    assert (outcome.traveller_id, outcome.kind, outcome.seizure, outcome.notes, outcome.user_id, outcome.recorded_at) \
        == (traveller_id, "seizure", "currency", "EUR 40,000 undeclared", user_id, NOW)
    assert (event.user_id, event.traveller_id, event.object_id, event.after) == (
        user_id, traveller_id, str(outcome.id),
        {"outcome": "seizure", "seizure": "currency", "notes": "EUR 40,000 undeclared"})
    html = page_of(client, traveller_id)
    assert "Outcome recorded: seizure (currency)." in html
    assert "<strong>seizure</strong> (currency) by As-Officer" in section(html, "outcome")
    assert "EUR 40,000 undeclared" in section(html, "notes")


@pytest.mark.parametrize(("form", "problem"), [
    ({"outcome": "seizure"}, "say what was seized"),
    ({"outcome": "nothing_found", "seizure": "weapons"}, "a kind of seizure goes only with the outcome"),
    ({"outcome": "teleported"}, "choose the outcome among seizure, arrest"),
    ({"outcome": "arrest", "notes": "x" * 4001}, "notes may be at most 4000 characters"),
], ids=["seizure without kind", "kind without seizure", "unknown outcome", "long notes"])
def test_a_bad_outcome_is_refused_with_the_reason(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight],
        form: dict[str, str], problem: str) -> None:
    traveller_id = a_hit(sessions, HitKind.WATCHLIST).traveller_id
    sign_in_as(app, client, sessions, UserRole.SUPERVISOR)
    response = post_form(client, f"/travellers/{traveller_id}/outcome", form)
    assert response.status_code == 303
    assert problem in page_of(client, traveller_id)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Outcome)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "traveller.outcome")) == 0


def test_the_outcome_form_page_is_a_simple_stacked_form_for_a_phone(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    traveller_id = a_hit(sessions, HitKind.WATCHLIST).traveller_id
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    response = client.get(f"/travellers/{traveller_id}/outcome")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert html.count('<form class="form stacked outcome-form"') == 1
    assert re.findall(r'name="outcome" value="([a-z_]+)"', html) == [
        "seizure", "arrest", "refused_entry", "nothing_found", "not_inspected", "no_show"]
    assert re.findall(r'name="seizure" value="([a-z_]+)"', html) == [
        "narcotics", "currency", "weapons", "documents", "other"]
    assert '<textarea id="outcome-notes-' in html and ">Record outcome</button>" in html
    with sessions() as session:
        assert session.scalar(select(AuditEvent.traveller_id).where(AuditEvent.action == "traveller.view")) == \
            traveller_id


def test_a_form_without_its_csrf_token_is_refused(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    traveller_id = a_hit(sessions, HitKind.WATCHLIST).traveller_id
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    refused = client.post(f"/travellers/{traveller_id}/outcome", data={"outcome": "arrest"})
    assert refused.status_code == 400
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Outcome)) == 0


def test_travellers_of_other_airports_are_not_found(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    traveller_id = a_hit(sessions, HitKind.WATCHLIST).traveller_id
    with sessions() as session:
        flight = session.get_one(Flight, session.get_one(Traveller, traveller_id).flight_id)
    elsewhere = next(f for f in traffic if {f.origin, f.destination}.isdisjoint({flight.origin, flight.destination}))
    user_id = sign_in_as(app, client, sessions, UserRole.OFFICER)
    with sessions.begin() as session:
        session.get_one(User, user_id).airports = [elsewhere.destination]
    assert client.get(f"/travellers/{traveller_id}").status_code == 404
    assert client.get("/travellers/999999").status_code == 404
    assert post_form(client, f"/travellers/{traveller_id}/outcome", {"outcome": "arrest"}).status_code == 404


@pytest.mark.parametrize("role", READERS + OTHERS, ids=str)
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], role: UserRole) -> None:
    with sessions.begin() as session:
        flight = Flight(carrier="ZZ", number="1", origin="LHR", destination="JFK", departure_date=NOW.date(),
                        arrival_utc=NOW)
        session.add(flight)
        session.flush()
        traveller = Traveller(flight_id=flight.id, identity_key="x", surname="DOE", given_names="JANE")
        session.add(traveller)
        session.flush()
        traveller_id = traveller.id
    sign_in_as(app, client, sessions, role)
    assert client.get(f"/travellers/{traveller_id}").status_code == (200 if role in READERS else 403)
    assert client.get(f"/travellers/{traveller_id}/outcome").status_code == (200 if role in DECIDERS else 403)
    token = CSRF_FIELD.search(client.get("/").get_data(as_text=True))
    assert token is not None
    posted = client.post(f"/travellers/{traveller_id}/outcome",
                         data={"csrf_token": token.group(1), "outcome": "nothing_found"})
    assert posted.status_code == (303 if role in DECIDERS else 403)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Outcome)) == (1 if role in DECIDERS else 0)
    page = client.get(f"/travellers/{traveller_id}").get_data(as_text=True)
    assert ('name="outcome"' in page) is (role in DECIDERS)


def test_strangers_are_sent_to_sign_in(client: FlaskClient) -> None:
    for path in ("/travellers/1", "/travellers/1/outcome"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/sign-in?next=")
