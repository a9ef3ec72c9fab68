"""Constraints, upserts and column types behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from gtas.db import dialect_insert
from gtas.model import (
    Base,
    Channel,
    Direction,
    Document,
    Flight,
    Message,
    MessageStatus,
    Person,
    PersonKey,
    PersonKeyKind,
    Pnr,
    PnrVersion,
    Traveller,
)
from gtas.parsers.records import Pnr as PnrRecord
from gtas.parsers.records import Role, to_jsonable
from gtas.parsers.records import Traveller as TravellerRecord

KEY = {"carrier": "LH", "number": "400", "origin": "FRA", "destination": "JFK", "departure_date": date(2026, 11, 24)}


def make_message(session: Session, raw: bytes = b"UNA:+.? 'UNB+UNOA:4+LH'") -> Message:
    message = Message(raw=raw, sha256="0" * 64, size=len(raw), channel=Channel.HTTP)
    session.add(message)
    session.flush()
    return message


def test_a_duplicate_flight_key_is_rejected(session: Session) -> None:
    session.add(Flight(**KEY))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(Flight(**KEY, suffix="A"))
    assert len(session.scalars(select(Flight)).all()) == 1


def test_insert_on_conflict_do_nothing_and_do_update(session: Session) -> None:
    dialect = session.get_bind().dialect.name
    table = Base.metadata.tables["flight"]
    first = dialect_insert(dialect, table).values(**KEY, passenger_count=10).on_conflict_do_nothing(
        index_elements=list(KEY)).returning(table.c.id)
    assert len(session.execute(first).all()) == 1
    assert session.execute(first).all() == []
    upsert = dialect_insert(dialect, table).values(**KEY, passenger_count=12, direction=Direction.INBOUND)
    upsert = upsert.on_conflict_do_update(
        index_elements=list(KEY),
        set_={"passenger_count": upsert.excluded.passenger_count, "direction": upsert.excluded.direction})
    flight_id = session.execute(upsert.returning(table.c.id)).scalar_one()
    flight = session.get(Flight, flight_id)
    assert flight is not None and (flight.passenger_count, flight.direction) == (12, Direction.INBOUND)
    assert len(session.scalars(select(Flight)).all()) == 1


def test_utc_datetimes_round_trip_as_aware_utc(session: Session) -> None:
    eastern = timezone(timedelta(hours=-4))
    flight = Flight(**KEY, departure_local=datetime(2026, 11, 24, 10, 10),
                    arrival_utc=datetime(2026, 11, 24, 14, 55, tzinfo=eastern))
    session.add(flight)
    session.flush()
    session.expire_all()
    stored = session.scalars(select(Flight)).one()
    assert stored.arrival_utc == datetime(2026, 11, 24, 18, 55, tzinfo=UTC)
    assert stored.arrival_utc.tzinfo is UTC
    assert stored.departure_local == datetime(2026, 11, 24, 10, 10) and stored.departure_local.tzinfo is None
    assert stored.created_at.tzinfo is UTC
    found = session.scalars(select(Flight).where(Flight.arrival_utc > datetime(2026, 11, 24, 18, 0, tzinfo=UTC)))
    assert found.one() is stored


def test_a_naive_datetime_is_refused_for_a_utc_column(session: Session) -> None:
    session.add(Flight(**KEY, arrival_utc=datetime(2026, 11, 24, 14, 55)))
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_json_columns_round_trip(session: Session) -> None:
    warning = {"segment": 3, "line": 2, "column": 1, "tag": "UNT", "message": "UNT says 99", "severity": "warning"}
    message = make_message(session)
    message.warnings = [warning]
    record = PnrRecord(record_locator="ABC123", carrier="LH", created=datetime(2026, 10, 1, 9, 30),
                       travellers=[TravellerRecord(surname="O'BRIEN", given_names="SEAN", role=Role.PASSENGER,
                                                   date_of_birth=date(1985, 3, 12))])
    pnr = Pnr(carrier="LH", record_locator="ABC123", created_on=date(2026, 10, 1), current_message_id=message.id)
    session.add(pnr)
    session.flush()
    session.add(PnrVersion(pnr_id=pnr.id, message_id=message.id, pushed_at=datetime.now(UTC), digest="0" * 64,
                           snapshot=to_jsonable(record)))
    session.flush()
    session.expire_all()
    stored = session.get(Message, message.id)
    assert stored is not None and stored.warnings == [warning] and stored.errors == []
    assert stored.status is MessageStatus.RECEIVED and stored.raw == b"UNA:+.? 'UNB+UNOA:4+LH'"
    reloaded = session.get(Pnr, pnr.id)
    assert reloaded is not None and reloaded.current_version is not None
    assert reloaded.current_version.snapshot == to_jsonable(record)
    assert reloaded.current_version.snapshot["travellers"][0]["date_of_birth"] == "1985-03-12"


def test_pnr_versions_are_immutable(session: Session) -> None:
    message = make_message(session)
    pnr = Pnr(carrier="LH", record_locator="XYZ789", created_on=date(2026, 10, 1))
    session.add(pnr)
    session.flush()
    version = PnrVersion(pnr_id=pnr.id, message_id=message.id, pushed_at=datetime.now(UTC), digest="0" * 64,
                         snapshot={})
    session.add(version)
    session.flush()
    version.snapshot = {"changed": True}
    with pytest.raises(ValueError, match="immutable"):
        session.flush()


def test_foreign_keys_are_enforced(session: Session) -> None:
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(Traveller(flight_id=999_999, identity_key="ABO:1"))


def test_traveller_identity_is_unique_per_flight(session: Session) -> None:
    flight = Flight(**KEY)
    other = Flight(**{**KEY, "number": "401"})
    session.add_all([flight, other])
    session.flush()
    session.add_all([Traveller(flight_id=flight.id, identity_key="ABO:1", surname="A", bag_tags=["LH123456"]),
                     Traveller(flight_id=other.id, identity_key="ABO:1", surname="A")])
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(Traveller(flight_id=flight.id, identity_key="ABO:1", surname="B"))
    traveller = session.scalars(select(Traveller).where(Traveller.flight_id == flight.id)).one()
    assert traveller.role is Role.PASSENGER and traveller.bag_tags == ["LH123456"]
    session.add(Document(traveller_id=traveller.id, type="P", number="PA1234567", issuing_country="IRL"))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(Document(traveller_id=traveller.id, type="P", number="PA1234567"))


def test_a_person_key_belongs_to_one_person(session: Session) -> None:
    first, second = Person(surname="A"), Person(surname="B")
    session.add_all([first, second])
    session.flush()
    session.add(PersonKey(kind=PersonKeyKind.DOCUMENT, value="PA1234567|IRL", person_id=first.id))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(PersonKey(kind=PersonKeyKind.DOCUMENT, value="PA1234567|IRL", person_id=second.id))
    session.add(PersonKey(kind=PersonKeyKind.BIO, value="PA1234567|IRL", person_id=second.id))
    session.flush()
    assert [key.kind for key in session.scalars(select(PersonKey).order_by(PersonKey.id))] == ["document", "bio"]


def test_an_unknown_status_is_refused(session: Session) -> None:
    message = make_message(session)
    message.status = "lost"  # type: ignore[assignment]
    with pytest.raises(StatementError), session.begin_nested():
        session.flush()
