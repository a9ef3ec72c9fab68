"""The retention job: depersonalises exactly the data of flights past the first period, deletes exactly what is past
the second (with the raw messages), records each run that changed something, and does nothing when switched off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gtas.jobs import RETENTION_JOB, make_scheduler
from gtas.model import (
    Agency,
    AuditEvent,
    Bag,
    Contact,
    Document,
    Flight,
    FrequentFlyer,
    HistoryEntry,
    Hit,
    HitKind,
    Message,
    Payment,
    Person,
    PersonKey,
    Pnr,
    PnrFlight,
    PnrVersion,
    Ticket,
    Traveller,
    TravellerRisk,
    TravellerSource,
)
from gtas.retention import apply_retention, months_before
from gtas.settings import Retention, save_retention

NOW = datetime(2030, 6, 15, 12, tzinfo=UTC)
SIX_YEARS_AGO = date(2024, 6, 1)  # past the deletion period (60 months: before 2025-06-15)
A_YEAR_AGO = date(2029, 6, 1)  # past the depersonalisation period (6 months: before 2029-12-15)
LAST_MONTH = date(2030, 5, 15)


@dataclass(frozen=True, slots=True)
class Trip:
    """The ids of one traveller's data on one flight."""

    flight: int
    traveller: int
    document: int
    pnr: int
    message: int


def message(session: Session, received: date) -> int:
    sent = Message(raw=b"UNA:+.? 'UNB+...", sha256="0" * 64, size=16, channel="http", submitter="Test Air",
                   received_at=datetime.combine(received, datetime.min.time(), tzinfo=UTC))
    session.add(sent)
    session.flush()
    return sent.id


def trip(session: Session, departure: date, person: Person, number: str) -> Trip:
    """A flight departing then with one traveller (documents, sources, a hit) booked on one PNR (every view row)."""
    sent = message(session, departure - timedelta(days=1))
    flight = Flight(carrier="ZZ", number=number, origin="JFK", destination="LHR", departure_date=departure)
    session.add(flight)
    session.flush()
    pnr = Pnr(carrier="ZZ", record_locator=f"ABC{number}", created_on=departure - timedelta(days=30),
              current_message_id=sent, digest="f" * 64, raw_digest="e" * 64)
    session.add(pnr)
    session.flush()
    traveller = Traveller(flight_id=flight.id, person_id=person.id, identity_key=f"DOE/JOHN/{number}", surname="DOE",
                          given_names="JOHN", date_of_birth=date(1980, 2, 3), gender="M", nationality="GBR",
                          birth_place="LONDON", bag_tags=["0125123456"], record_locator=pnr.record_locator,
                          pnr_id=pnr.id, first_message_id=sent, last_message_id=sent)
    session.add(traveller)
    session.flush()
    document = Document(traveller_id=traveller.id, type="P", number=f"P{number}9876", issuing_country="GBR",
                        expiry=date(2033, 1, 1), issue_date=date(2023, 1, 1), place_of_issue="LONDON")
    session.add_all([
        document, PnrFlight(pnr_id=pnr.id, flight_id=flight.id),
        TravellerSource(traveller_id=traveller.id, message_id=sent, fields={"surname": "DOE"}),
        PnrVersion(pnr_id=pnr.id, message_id=sent, flight_id=flight.id, pushed_at=NOW, digest="f" * 64,
                   snapshot={"names": ["DOE/JOHN"]}),
        Contact(pnr_id=pnr.id, traveller_id=traveller.id, kind="phone", value="+44 20 7946 0000",
                normalised="442079460000", label="mobile"),
        Payment(pnr_id=pnr.id, traveller_id=traveller.id, type="CC", amount="100.00", currency="GBP", card_type="VI",
                card_last4="1111", card_hash="a" * 64, card_expiry="1230", card_holder="JOHN DOE"),
        FrequentFlyer(pnr_id=pnr.id, traveller_id=traveller.id, carrier="ZZ", number="FF123", tier="gold"),
        Ticket(pnr_id=pnr.id, traveller_id=traveller.id, number="1252345678901"),
        Bag(pnr_id=pnr.id, traveller_id=traveller.id, count=1, tags=["0125123456"], pool="POOL1"),
        HistoryEntry(pnr_id=pnr.id, position=1, text="NM1DOE/JOHN", who="AGENT7"),
        Agency(pnr_id=pnr.id, name="Travel Co", agent="AGENT7", country="GBR"),
        Hit(traveller_id=traveller.id, kind=HitKind.RULE, cause_key=f"rule:{number}", score=10, severity="high",
            explanation={"rule": "r"}, message_id=sent),
        TravellerRisk(traveller_id=traveller.id, score=10, band="low"),
    ])
    session.flush()
    return Trip(flight.id, traveller.id, document.id, pnr.id, sent)


def person(session: Session, key: str) -> Person:
    found = Person(surname="DOE", given_names="JOHN", date_of_birth=date(1980, 2, 3), gender="M", nationality="GBR",
                   created_at=datetime(2024, 1, 1, tzinfo=UTC))
    session.add(found)
    session.flush()
    session.add(PersonKey(kind="bio", value=key, person_id=found.id))
    session.flush()
    return found


@pytest.fixture
def trips(session: Session) -> dict[str, Trip]:
    """An old traveller past deletion, one past depersonalisation (who never flew again), and a frequent flyer with
    one trip past depersonalisation and one last month."""
    gone, masked, frequent = person(session, "gone"), person(session, "masked"), person(session, "frequent")
    return {"deleted": trip(session, SIX_YEARS_AGO, gone, "1"), "masked": trip(session, A_YEAR_AGO, masked, "2"),
            "frequent-old": trip(session, A_YEAR_AGO, frequent, "3"),
            "frequent-new": trip(session, LAST_MONTH, frequent, "4")}


def count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month() -> None:
    assert months_before(date(2030, 6, 15), 6) == date(2029, 12, 15)
    assert months_before(date(2030, 3, 31), 1) == date(2030, 2, 28)
    assert months_before(date(2030, 6, 15), 60) == date(2025, 6, 15)


def test_the_job_depersonalises_and_deletes_exactly_what_it_should(session: Session, trips: dict[str, Trip]) -> None:
    stray = message(session, SIX_YEARS_AGO)
    report = apply_retention(session, NOW)

    assert (report.depersonalise_before, report.delete_before) == (date(2029, 12, 15), date(2025, 6, 15))
    assert (report.flights_deleted, report.messages_deleted) == (1, 2)
    assert (report.pnrs_deleted, report.persons_deleted) == (1, 1)
    assert (report.travellers_depersonalised, report.pnrs_depersonalised, report.persons_depersonalised) == (2, 2, 1)

    deleted = trips["deleted"]
    assert session.get(Flight, deleted.flight) is None and session.get(Traveller, deleted.traveller) is None
    assert session.get(Message, deleted.message) is None and session.get(Message, stray) is None
    assert session.get(Pnr, deleted.pnr) is None
    assert count(session, Hit, Hit.traveller_id == deleted.traveller) == 0
    assert count(session, Contact, Contact.pnr_id == deleted.pnr) == 0
    assert count(session, Person, Person.surname.is_(None), Person.given_names.is_(None)) == 1

    for name in ("masked", "frequent-old"):
        kept = trips[name]
        traveller = session.get_one(Traveller, kept.traveller)
        assert (traveller.surname, traveller.given_names, traveller.date_of_birth, traveller.birth_place,
                traveller.bag_tags) == (None, None, None, None, [])
        assert traveller.identity_key == f"depersonalised:{traveller.id}"
        assert (traveller.gender, traveller.nationality) == ("M", "GBR")
        assert traveller.record_locator == session.get_one(Pnr, kept.pnr).record_locator
        document = session.get_one(Document, kept.document)
        assert (document.number, document.type, document.issuing_country, document.expiry, document.place_of_issue) == (
            f"masked-{document.id}", "P", "GBR", None, None)
        assert session.scalars(select(TravellerSource.fields).where(
            TravellerSource.traveller_id == kept.traveller)).one() == {}
        contact = session.scalars(select(Contact).where(Contact.pnr_id == kept.pnr)).one()
        assert (contact.value, contact.normalised, contact.kind) == ("depersonalised", f"masked-{contact.id}", "phone")
        payment = session.scalars(select(Payment).where(Payment.pnr_id == kept.pnr)).one()
        assert (payment.card_holder, payment.card_hash, payment.card_last4, payment.card_expiry) == (None,) * 4
        assert (payment.type, payment.amount, payment.currency, payment.card_type) == ("CC", "100.00", "GBP", "VI")
        flyer = session.scalars(select(FrequentFlyer).where(FrequentFlyer.pnr_id == kept.pnr)).one()
        assert (flyer.number, flyer.tier) == (f"masked-{flyer.id}", "gold")
        ticket = session.scalars(select(Ticket).where(Ticket.pnr_id == kept.pnr)).one()
        assert ticket.number == f"masked-{ticket.id}"
        bag = session.scalars(select(Bag).where(Bag.pnr_id == kept.pnr)).one()
        assert (bag.tags, bag.pool, bag.count) == ([], None, 1)
        history = session.scalars(select(HistoryEntry).where(HistoryEntry.pnr_id == kept.pnr)).one()
        assert (history.text, history.who) == ("", None)
        agency = session.scalars(select(Agency).where(Agency.pnr_id == kept.pnr)).one()
        assert (agency.agent, agency.name) == (None, "Travel Co")
        assert session.scalars(select(PnrVersion.snapshot).where(PnrVersion.pnr_id == kept.pnr)).one() == {
            "depersonalised": True}
        pnr = session.get_one(Pnr, kept.pnr)
        assert (pnr.digest, pnr.raw_digest) == ("depersonalised", None)
        assert count(session, Hit, Hit.traveller_id == kept.traveller) == 1  # statistics keep hits and risks
        assert session.get(Message, kept.message) is not None  # raw data stays until deletion (Art. 12(3))

    masked_person = session.get_one(Traveller, trips["masked"].traveller).person_id
    frequent_person = session.get_one(Traveller, trips["frequent-new"].traveller).person_id
    assert masked_person is not None and frequent_person is not None
    gone = session.get_one(Person, masked_person)
    assert (gone.surname, gone.given_names, gone.date_of_birth, gone.nationality) == (None, None, None, "GBR")
    assert count(session, PersonKey, PersonKey.person_id == masked_person) == 0
    frequent = session.get_one(Person, frequent_person)
    assert (frequent.surname, frequent.given_names) == ("DOE", "JOHN")
    assert count(session, PersonKey, PersonKey.person_id == frequent_person) == 1

    recent = trips["frequent-new"]
    traveller = session.get_one(Traveller, recent.traveller)
    assert (traveller.surname, traveller.date_of_birth, traveller.bag_tags) == ("DOE", date(1980, 2, 3), ["0125123456"])
    assert session.get_one(Document, recent.document).number == "P49876"
    assert session.scalars(select(Contact.value).where(Contact.pnr_id == recent.pnr)).one() == "+44 20 7946 0000"
    assert session.get_one(Pnr, recent.pnr).digest == "f" * 64

    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.apply")).all()
    assert event.username == "gtas:retention" and event.details is not None
    assert event.details["travellers_depersonalised"] == 2 and event.details["flights_deleted"] == 1
    assert (event.details["depersonalise_months"], event.details["delete_months"]) == (6, 60)

    again = apply_retention(session, NOW)
    assert not again.changed
    assert count(session, AuditEvent, AuditEvent.action == "retention.apply") == 1


def test_a_booking_on_a_recent_flight_too_stays_whole(session: Session, trips: dict[str, Trip]) -> None:
    session.add(PnrFlight(pnr_id=trips["masked"].pnr, flight_id=trips["frequent-new"].flight))
    session.flush()
    report = apply_retention(session, NOW)
    assert report.pnrs_depersonalised == 1
    assert session.get_one(Pnr, trips["masked"].pnr).digest == "f" * 64
    assert session.get_one(Pnr, trips["frequent-old"].pnr).digest == "depersonalised"


def test_the_stored_periods_apply_and_switched_off_nothing_happens(session: Session, trips: dict[str, Trip]) -> None:
    save_retention(session, Retention(depersonalise_months=1, delete_months=120, enabled=False), "admin")
    assert not apply_retention(session, NOW).changed
    assert count(session, Flight) == 4 and count(session, Traveller, Traveller.surname.is_(None)) == 0
    assert count(session, AuditEvent, AuditEvent.action == "retention.apply") == 0

    save_retention(session, Retention(depersonalise_months=1, delete_months=120, enabled=True), "admin")
    report = apply_retention(session, NOW)
    assert (report.flights_deleted, report.travellers_depersonalised) == (0, 3)  # last month's trip is a month old
    assert count(session, Traveller, Traveller.surname.is_(None)) == 3


def test_the_scheduler_applies_retention_every_hour(session: Session, tmp_path: Path) -> None:
    sessions = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    job = make_scheduler(sessions, tmp_path / "inbox", b"key", poll_seconds=5, home_country="USA").get_job(
        RETENTION_JOB)
    assert job.trigger.interval.total_seconds() == 3600 and job.max_instances == 1
    old = trip(session, datetime.now(UTC).date() - timedelta(days=400), person(session, "old"), "9")
    session.commit()
    assert job.func(*job.args, **job.kwargs) is True
    session.expire_all()
    assert session.get_one(Traveller, old.traveller).surname is None
    assert job.func(*job.args, **job.kwargs) is False
