"""The flights board and the flight page, on traffic loaded through the real intake and assessed with a watchlist
and rules (the demo's), on both databases."""

from __future__ import annotations

import csv
import io
import math
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gtas.model import AuditEvent, Direction, Flight, Hit, HitStatus, Traveller, User, UserRole
from gtas.web.flights import board
from gtas.web.flights.manifest import COLUMNS
from tests.web.auth_helpers import sign_in_as
from tests.web.conftest import NOW
from tests.web.pages import table_rows

READERS = [UserRole.OFFICER, UserRole.SUPERVISOR, UserRole.AUDITOR]
SEVERITY_COUNT = re.compile(r"(\d+) (?:low|medium|high|critical)")
OTHERS = [UserRole.RULE_AUTHOR, UserRole.WATCHLIST_MANAGER, UserRole.ADMINISTRATOR]


def _counts(sessions: sessionmaker[Session], flight: Flight) -> tuple[int, int, int]:
    """Passengers and crew on the flight, and its open hits, counted one flight at a time."""
    with sessions() as session:
        on_board = select(Traveller).where(Traveller.flight_id == flight.id, Traveller.removed_at.is_(None))
        people = session.scalars(on_board).all()
        hits = session.scalar(select(func.count()).select_from(Hit).join(Traveller)
                              .where(Traveller.flight_id == flight.id, Traveller.removed_at.is_(None),
                                     Hit.status == HitStatus.OPEN)) or 0
    crew = sum(1 for t in people if t.role == "crew")
    return len(people) - crew, crew, hits


def test_the_board_lists_inbound_flights_by_arrival_with_their_counts(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    page = client.get("/flights")
    assert page.status_code == 200
    rows = table_rows(page.get_data(as_text=True), "board")
    inbound = [f for f in traffic if f.direction is Direction.INBOUND]
    assert [row[0] for row in rows] == [f.designator for f in inbound]
    for flight, row in zip(inbound, rows, strict=True):
        passengers, crew, hits = _counts(sessions, flight)
        assert row[3] == f"{passengers} passengers, {crew} crew"
        assert sum(int(count) for count in SEVERITY_COUNT.findall(row[5])) == hits
        assert (row[5] == "none") is (hits == 0)
        assert row[6] == row[7] == "received"
        assert "in " in row[2]  # countdown: every flight is still to arrive at midnight


def test_the_board_breaks_the_hits_down_by_kind_and_severity(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    with sessions() as session:
        flight_id, kind, severity, count = session.execute(
            select(Traveller.flight_id, Hit.kind, Hit.severity, func.count()).join(Hit)
            .where(Hit.status == HitStatus.OPEN, Hit.kind == "watchlist")
            .group_by(Traveller.flight_id, Hit.kind, Hit.severity).limit(1)).one()
        flight = session.get_one(Flight, flight_id)
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    rows = table_rows(client.get(f"/flights?direction={flight.direction}").get_data(as_text=True), "board")
    row = next(row for row in rows if row[0] == flight.designator)
    assert f"{kind}: " in row[5] and f"{count} {severity}" in row[5]


def test_the_filters_pick_flights(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)

    def shown(query: str) -> list[str]:
        page = client.get(f"/flights?{query}")
        assert page.status_code == 200
        return [row[0] for row in table_rows(page.get_data(as_text=True), "board")]

    inbound = [f for f in traffic if f.direction is Direction.INBOUND]
    outbound = [f for f in traffic if f.direction is Direction.OUTBOUND]
    assert inbound and outbound
    assert shown("direction=outbound") == [f.designator for f in outbound]
    first = inbound[0]
    assert shown(f"carrier={first.carrier.lower()}") == [f.designator for f in inbound if f.carrier == first.carrier]
    assert shown(f"airport={first.origin}") == [f.designator for f in inbound if first.origin in (f.origin,
                                                                                                   f.destination)]
    assert first.arrival_utc is not None
    hours = math.ceil((first.arrival_utc - NOW).total_seconds() / 3600)
    assert shown(f"ahead={hours}") == [f.designator for f in inbound
                                       if f.arrival_utc and f.arrival_utc <= first.arrival_utc]
    assert shown("ahead=0") == []
    assert shown("sort=newest") == [f.designator for f in reversed(inbound)]
    flagged = [f.designator for f in inbound if _counts(sessions, f)[2]]
    assert shown("hits=1") == flagged


def test_a_long_board_comes_in_pages(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board, "PAGE_SIZE", 1)
    inbound = [f.designator for f in traffic if f.direction is Direction.INBOUND]
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    first = client.get("/flights?carrier=&hits=").get_data(as_text=True)
    assert [row[0] for row in table_rows(first, "board")] == inbound[:1]
    assert f"Flights 1–1 of {len(inbound)}" in first and 'rel="prev"' not in first
    assert 'href="/flights?carrier=&amp;hits=&amp;page=2" rel="next"' in first
    last = client.get(f"/flights?page={len(inbound)}").get_data(as_text=True)
    assert [row[0] for row in table_rows(last, "board")] == inbound[-1:]
    assert 'rel="prev"' in last and 'rel="next"' not in last
    beyond = client.get("/flights?page=99").get_data(as_text=True)
    assert [row[0] for row in table_rows(beyond, "board")] == inbound[-1:]


def test_bad_filters_are_named_and_their_defaults_used(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    page = client.get("/flights?past=-3&direction=sideways&airport=J%3CK")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "past must be a whole number from 0 to 720" in text
    assert "past must be a whole number" in client.get("/flights?past=²").get_data(as_text=True)  # not for int()
    assert "direction must be inbound or outbound" in text
    assert "airport must be a code of 3 letters or digits" in text
    assert len(table_rows(text, "board")) == sum(1 for f in traffic if f.direction is Direction.INBOUND)


def test_the_flight_page_shows_travellers_with_hits_first_and_is_audited(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    flight = max(traffic, key=lambda f: _counts(sessions, f)[2])
    passengers, crew, hits = _counts(sessions, flight)
    assert hits
    user_id = sign_in_as(app, client, sessions, UserRole.AUDITOR)
    page = client.get(f"/flights/{flight.id}")
    assert page.status_code == 200
    rows = table_rows(page.get_data(as_text=True), "manifest")
    assert len(rows) == passengers + crew
    flagged = [bool(row[7]) for row in rows]
    assert flagged == sorted(flagged, reverse=True) and flagged[0] and not flagged[-1]
    with sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "flight.view")).all()
    assert [(e.user_id, e.object_kind, e.object_id, (e.details or {}).get("travellers")) for e in events] == [
        (user_id, "flight", str(flight.id), passengers + crew)]


def test_co_travellers_are_grouped_by_booking(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    flight = traffic[0]
    with sessions() as session:
        parties = {locator: count for locator, count in session.execute(
            select(Traveller.record_locator, func.count()).where(Traveller.flight_id == flight.id,
                                                                 Traveller.removed_at.is_(None),
                                                                 Traveller.record_locator.is_not(None))
            .group_by(Traveller.record_locator)) if count > 1}
    assert parties
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    rows = table_rows(client.get(f"/flights/{flight.id}").get_data(as_text=True), "parties")
    assert {row[0]: row[1].count(",") for row in rows} == parties


@pytest.fixture
def formula_traveller(sessions: sessionmaker[Session], traffic: list[Flight]) -> Flight:
    """A traveller whose surname a spreadsheet would run as a formula, on the first flight."""
    flight = traffic[0]
    with sessions.begin() as session:
        traveller = session.scalars(select(Traveller).where(Traveller.flight_id == flight.id)
                                    .order_by(Traveller.id).limit(1)).one()
        traveller.surname = '=HYPERLINK("http://evil.example","X")'
    return flight


def test_the_csv_export_holds_the_manifest_with_inert_cells_and_is_audited(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], formula_traveller: Flight) -> None:
    flight = formula_traveller
    passengers, crew, _ = _counts(sessions, flight)
    user_id = sign_in_as(app, client, sessions, UserRole.SUPERVISOR)
    response = client.get(f"/flights/{flight.id}?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f'filename="manifest_{flight.designator}_' in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert table[0] == list(COLUMNS)
    assert len(table) == 1 + passengers + crew
    assert "'=HYPERLINK(\"http://evil.example\",\"X\")" in [row[2] for row in table]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
    with sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "flight.export")).one()
    assert (event.user_id, event.object_id, (event.details or {}).get("format")) == (user_id, str(flight.id), "csv")


def test_the_excel_export_holds_the_same_rows_as_text(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], formula_traveller: Flight) -> None:
    flight = formula_traveller
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    as_csv = list(csv.reader(io.StringIO(client.get(f"/flights/{flight.id}?format=csv").get_data()
                                         .decode("utf-8-sig"))))
    response = client.get(f"/flights/{flight.id}?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet is not None
    cells = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert cells == as_csv
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value)
    with sessions() as session:
        formats = session.scalars(select(AuditEvent.details).where(AuditEvent.action == "flight.export")).all()
    assert sorted(str((details or {}).get("format")) for details in formats) == ["csv", "xlsx"]


def test_an_unknown_format_or_flight_is_refused(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    refused = client.get(f"/flights/{traffic[0].id}?format=pdf")
    assert refused.status_code == 400 and "csv, xlsx" in refused.get_json()["detail"]
    assert client.get(f"/flights/{max(f.id for f in traffic) + 1000}").status_code == 404
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action.like("flight.%"))) == 0


def test_a_user_sees_only_the_flights_of_his_airports(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    inbound = [f for f in traffic if f.direction is Direction.INBOUND]
    mine, other = inbound[0], next(f for f in inbound if f.destination != inbound[0].destination)
    user_id = sign_in_as(app, client, sessions, UserRole.OFFICER)
    with sessions.begin() as session:
        session.get_one(User, user_id).airports = [mine.destination]
    rows = table_rows(client.get("/flights").get_data(as_text=True), "board")
    assert [row[0] for row in rows] == [f.designator for f in inbound if mine.destination in (f.origin,
                                                                                               f.destination)]
    assert client.get(f"/flights/{mine.id}").status_code == 200
    assert client.get(f"/flights/{other.id}").status_code == 404


@pytest.mark.parametrize("role", READERS + OTHERS, ids=str)
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], role: UserRole) -> None:
    with sessions.begin() as session:
        flight = Flight(carrier="ZZ", number="1", origin="LHR", destination="JFK", departure_date=NOW.date(),
                        arrival_utc=NOW, direction=Direction.INBOUND)
        session.add(flight)
        session.flush()
        flight_id = flight.id
    sign_in_as(app, client, sessions, role)
    expected = 200 if role in READERS else 403
    for path in ("/flights", f"/flights/{flight_id}", f"/flights/{flight_id}?format=csv",
                 f"/flights/{flight_id}?format=xlsx"):
        assert client.get(path).status_code == expected, path
    menu = client.get("/").get_data(as_text=True)
    assert ('href="/flights"' in menu) is (role in READERS)


def test_strangers_are_sent_to_sign_in(client: FlaskClient) -> None:
    for path in ("/flights?hits=1", "/flights/1", "/flights/1?format=csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/sign-in?next=")
