"""The search page: every kind of search finds the traveller expected in traffic loaded through the real intake,
names match misspelt, transposed and in another script, bad searches are refused clearly, and every search is
audited; on both databases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gtas.model import AuditEvent, Contact, ContactKind, Document, Flight, Traveller, User, UserRole
from tests.web.auth_helpers import sign_in_as
from tests.web.pages import table_rows

READERS = [UserRole.OFFICER, UserRole.SUPERVISOR, UserRole.AUDITOR]
TRAVELLER_LINK = re.compile(r'<a href="/travellers/(\d+)">')
# Latin letters whose Cyrillic spelling transliterates back to the same letter.
CYRILLIC = dict(zip("abdefgiklmnoprstuvz", "абдефгиклмнопрстувз", strict=True))


@dataclass(frozen=True, slots=True)
class Target:
    """A traveller of the generated traffic and what he can be found by."""

    id: int
    surname: str
    given_names: str
    document: str
    locator: str
    flight: str
    departure_date: date
    phone: str
    email: str


@pytest.fixture
def target(sessions: sessionmaker[Session], traffic: list[Flight]) -> Target:
    """A traveller with a passport, a booking with a phone and an e-mail address, and a name of safe letters."""
    with sessions() as session:
        for traveller, flight in session.execute(
                select(Traveller, Flight).join(Flight, Flight.id == Traveller.flight_id)
                .where(Traveller.pnr_id.is_not(None), Traveller.removed_at.is_(None)).order_by(Traveller.id)):
            contacts = {c.kind: c.value for c in session.scalars(select(Contact).where(
                Contact.pnr_id == traveller.pnr_id) .where(
                (Contact.traveller_id == traveller.id) | Contact.traveller_id.is_(None)))}
            document = session.scalars(select(Document).where(Document.traveller_id == traveller.id)).first()
            names = f"{traveller.given_names} {traveller.surname}".lower()
            if (document is None or ContactKind.PHONE not in contacts or ContactKind.EMAIL not in contacts
                    or not set(names.replace(" ", "")) <= set(CYRILLIC) or len(traveller.surname or "") < 5):
                continue
            return Target(traveller.id, traveller.surname or "", traveller.given_names or "", document.number,
                          traveller.record_locator or "", flight.designator, flight.departure_date,
                          contacts[ContactKind.PHONE], contacts[ContactKind.EMAIL])
    raise AssertionError("the generated traffic has no traveller to search for")


def found(client: FlaskClient, **args: str) -> list[int]:
    """The travellers a search shows, in order."""
    response = client.get("/search", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [int(i) for i in TRAVELLER_LINK.findall(response.get_data(as_text=True))]


def misspelt(name: str) -> str:
    """The name with two letters in its middle swapped."""
    return name[:2] + name[3] + name[2] + name[4:]


def cyrillic(name: str) -> str:
    return "".join(CYRILLIC.get(ch, ch) for ch in name.lower())


@pytest.mark.parametrize("how", ["exact", "misspelt", "transposed", "transliterated", "lower case"])
def test_a_name_finds_the_traveller_however_it_is_written(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], target: Target, how: str) -> None:
    given = target.given_names.split()[0]
    written = {"exact": f"{given} {target.surname}", "misspelt": f"{given} {misspelt(target.surname)}",
               "transposed": f"{target.surname} {given}", "transliterated": cyrillic(f"{given} {target.surname}"),
               "lower case": f"{given} {target.surname}".lower()}[how]
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    assert target.id in found(client, q=written, kind="name")


def test_a_name_search_shows_the_score_and_why_it_matched(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], target: Target) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    html = client.get("/search", query_string={"q": f"{target.given_names} {misspelt(target.surname)}"}
                      ).get_data(as_text=True)
    row = next(row for row in table_rows(html, "results") if row[0] == f"{target.surname}, {target.given_names}")
    assert 0.7 <= float(row[7]) < 1.0
    assert f"{target.surname.lower()} ≈ {misspelt(target.surname).lower()}" in row[8]


@pytest.mark.parametrize("kind", ["document", "document look-alike", "locator", "phone", "email", "flight",
                                  "flight and date"])
def test_each_kind_of_search_finds_the_traveller(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                                 target: Target, kind: str) -> None:
    look_alike = target.document.replace("0", "O").replace("1", "I")
    if look_alike == target.document:
        look_alike = target.document.replace("O", "0").replace("I", "1")
    args = {"document": {"q": target.document.lower()},
            "document look-alike": {"q": look_alike, "kind": "document"},
            "locator": {"q": target.locator.lower()},
            "phone": {"q": f"+{target.phone}"},
            "email": {"q": target.email.upper()},
            "flight": {"q": f"{target.flight[:2]} {target.flight[2:]}"},
            "flight and date": {"q": target.flight, "date": target.departure_date.isoformat(), "kind": "flight"},
            }[kind]
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    assert target.id in found(client, **{"kind": kind.split(maxsplit=1)[0], **args})


def test_a_document_search_says_why_a_look_alike_matched(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], target: Target) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    look_alike = target.document.replace("0", "O").replace("1", "I").replace("5", "S")
    html = client.get("/search", query_string={"kind": "document", "q": look_alike}).get_data(as_text=True)
    rows = table_rows(html, "results")
    assert rows and target.document in rows[0][-1]


def test_the_window_limits_the_search(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                      target: Target) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    assert found(client, q=target.locator, kind="locator", **{"from": "2029-06-01", "to": "2029-06-30"}) == []
    assert target.id in found(client, q=target.locator, kind="locator", **{"from": "2029-12-01", "to": "2030-01-31"})
    for first, last in (("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-01-31")):  # the ends of the calendar
        assert found(client, q=target.locator, kind="locator", **{"from": first, "to": last}) == []


def test_a_user_finds_only_travellers_of_his_airports(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], target: Target) -> None:
    user_id = sign_in_as(app, client, sessions, UserRole.OFFICER)
    with sessions.begin() as session:
        session.get_one(User, user_id).airports = ["ZZZ"]
    assert found(client, q=target.locator, kind="locator") == []


@pytest.mark.parametrize(("args", "message"), [
    ({"kind": "shoe size", "q": "42"}, "kind must be one of name, document"),
    ({"kind": "phone", "q": "call me"}, "a phone number has at least 6 digits"),
    ({"kind": "locator", "q": "AB"}, "a PNR locator is 5 to 8 letters or digits"),
    ({"kind": "email", "q": "nobody"}, "an e-mail address looks like name@example.com"),
    ({"kind": "flight", "q": "to Paris"}, "a flight is a carrier and a number"),
    ({"kind": "name", "q": "!!!"}, "a name needs letters"),
    ({"q": "smith", "from": "2030-02-01", "to": "2030-01-01"}, "the window ends"),
    ({"q": "smith", "from": "2020-01-01", "to": "2030-01-01"}, "search at most 366 days"),
    ({"q": "smith", "from": "yesterday"}, "from must be a date like 2030-01-31"),
    ({"q": "smith", "born": "long ago"}, "a date of birth (born) goes with a name search"),
    ({"q": "smith", "limit": "0"}, "limit must be a whole number from 1 to 200"),
    ({"q": "smith", "limit": "²"}, "limit must be a whole number from 1 to 200"),  # isdigit(), but not for int()
    ({"q": "smith", "limit": "9" * 5000}, "limit must be a whole number from 1 to 200"),  # too long for int()
])
def test_a_bad_search_is_refused_with_the_reason(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                                 args: dict[str, str], message: str) -> None:
    sign_in_as(app, client, sessions, UserRole.OFFICER)
    response = client.get("/search", query_string=args)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    with sessions() as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "search")).first() is None


def test_every_search_is_audited(app: Flask, client: FlaskClient, sessions: sessionmaker[Session],
                                 target: Target) -> None:
    user_id = sign_in_as(app, client, sessions, UserRole.AUDITOR)
    shown = found(client, q=target.locator, kind="locator")
    assert client.get("/search").status_code == 200  # the empty form searches nothing
    with sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "search")).one()
    assert event.user_id == user_id
    assert event.details is not None
    assert event.details["kind"] == "locator" and event.details["q"] == target.locator
    assert event.details["found"] == len(shown) and event.details["shown"] == shown


@pytest.mark.parametrize("role", list(UserRole))
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], role: UserRole) -> None:
    sign_in_as(app, client, sessions, role)
    assert client.get("/search?q=smith").status_code == (200 if role in READERS else 403)
    assert ('href="/search"' in client.get("/").get_data(as_text=True)) is (role in READERS)


def test_strangers_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/search?q=smith")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/sign-in?next=")
