"""Retention (EU PNR directive 2016/681, Art. 12): depersonalise travel data after a period, delete it after another.

Both periods count from the flight's departure date; a booking counts from the last flight it is on, a raw message
from its reception.

Depersonalising masks what identifies a traveller and keeps what statistics need (flight, role, gender,
nationality, residence, documents' type and issuing country, counts, hits, decisions and outcomes):

- traveller: names, date and place of birth, bag tags; ``identity_key`` becomes ``depersonalised:<id>``, which also
  marks the row as done;
- document: number (``masked-<id>``), place and dates of issue and expiry; what each message said about the
  traveller (``traveller_source.fields``);
- booking (once every flight it is on is old): contacts, card holder, hash, last digits and expiry, frequent-flyer
  and ticket numbers, bag tags, booking history text, the agent's name, and the stored versions' snapshots;
  ``pnr.digest`` becomes ``depersonalised``, which marks the booking as done, and its raw digest goes;
- person (once every trip of his is depersonalised): names and date of birth, and the keys that found him.

Raw messages stay until deletion (Art. 12(3): the full data may be disclosed after the first period only for a
specific case, on approval). Deleting removes the flights (with their travellers, documents, hits, decisions and
outcomes), the raw messages received before the deletion cut-off, and the bookings and persons left without a flight.
Each run that changed something adds one audit event with the counts.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import String, cast, delete, exists, literal, or_, select, update
from sqlalchemy.orm import Session

from gtas.model import (
    Agency,
    AuditEvent,
    Bag,
    Contact,
    Document,
    Flight,
    FrequentFlyer,
    HistoryEntry,
    Message,
    Payment,
    Person,
    PersonKey,
    Pnr,
    PnrFlight,
    PnrVersion,
    Ticket,
    Traveller,
    TravellerSource,
)
from gtas.settings import Retention, retention

BATCH = 500
MARK = "depersonalised"
ACTOR = "gtas:retention"


@dataclass(slots=True)
class RetentionReport:
    """What one run of the retention job did."""

    depersonalise_before: date | None = None
    delete_before: date | None = None
    travellers_depersonalised: int = 0
    pnrs_depersonalised: int = 0
    persons_depersonalised: int = 0
    flights_deleted: int = 0
    messages_deleted: int = 0
    pnrs_deleted: int = 0
    persons_deleted: int = 0

    @property
    def changed(self) -> bool:
        """Whether the run masked or deleted anything."""
        return any(value for name, value in asdict(self).items() if not name.endswith("_before"))

    def details(self) -> dict[str, Any]:
        """The report for the audit trail."""
        return {name: value.isoformat() if isinstance(value, date) else value for name, value in asdict(self).items()}


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def apply_retention(session: Session, now: datetime, periods: Retention | None = None) -> RetentionReport:
    """Delete what is older than the deletion period, then depersonalise what is older than the depersonalisation
    period (the stored periods unless given); audited when anything changed. Flushes, never commits."""
    periods = periods or retention(session)
    report = RetentionReport()
    if not periods.enabled:
        return report
    today = now.astimezone(UTC).date()
    report.delete_before = months_before(today, periods.delete_months)
    report.depersonalise_before = months_before(today, periods.depersonalise_months)
    _delete(session, report.delete_before, report)
    _depersonalise(session, report.depersonalise_before, report)
    if report.changed:
        session.add(AuditEvent(username=ACTOR, action="retention.apply", object_kind="retention",
                               details={**report.details(), "depersonalise_months": periods.depersonalise_months,
                                        "delete_months": periods.delete_months}))
    session.flush()
    session.expire_all()
    return report


def _batches(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]


def _masked(column: Any) -> Any:
    """``masked-<id>`` for each row: unique, so masked values never link rows to each other."""
    return literal("masked-", String).concat(cast(column, String))


def _depersonalise(session: Session, before: date, report: RetentionReport) -> None:
    old_flights = select(Flight.id).where(Flight.departure_date < before)
    travellers = list(session.scalars(select(Traveller.id).where(
        Traveller.flight_id.in_(old_flights), ~Traveller.identity_key.startswith(f"{MARK}:"))))
    for ids in _batches(travellers):
        session.execute(update(Traveller).where(Traveller.id.in_(ids)).values(
            surname=None, given_names=None, date_of_birth=None, birth_place=None, bag_tags=[],
            identity_key=literal(f"{MARK}:", String).concat(cast(Traveller.id, String))))
        session.execute(update(Document).where(Document.traveller_id.in_(ids)).values(
            number=_masked(Document.id), place_of_issue=None, issue_date=None, expiry=None))
        session.execute(update(TravellerSource).where(TravellerSource.traveller_id.in_(ids)).values(fields={}))
    report.travellers_depersonalised = len(travellers)

    recent = select(PnrFlight.pnr_id).join(Flight, Flight.id == PnrFlight.flight_id).where(
        Flight.departure_date >= before)
    pnrs = list(session.scalars(select(Pnr.id).where(
        Pnr.id.in_(select(PnrFlight.pnr_id)), Pnr.id.not_in(recent), or_(Pnr.digest.is_(None), Pnr.digest != MARK))))
    for ids in _batches(pnrs):
        session.execute(update(Contact).where(Contact.pnr_id.in_(ids)).values(
            value=MARK, normalised=_masked(Contact.id), label=None))
        session.execute(update(Payment).where(Payment.pnr_id.in_(ids)).values(
            card_holder=None, card_hash=None, card_last4=None, card_expiry=None))
        for table in (FrequentFlyer, Ticket):
            session.execute(update(table).where(table.pnr_id.in_(ids)).values(number=_masked(table.id)))
        session.execute(update(Bag).where(Bag.pnr_id.in_(ids)).values(tags=[], pool=None))
        session.execute(update(HistoryEntry).where(HistoryEntry.pnr_id.in_(ids)).values(text="", who=None))
        session.execute(update(Agency).where(Agency.pnr_id.in_(ids)).values(agent=None))
        session.execute(update(PnrVersion).where(PnrVersion.pnr_id.in_(ids)).values(snapshot={MARK: True}))
        session.execute(update(Pnr).where(Pnr.id.in_(ids)).values(digest=MARK, raw_digest=None))
    report.pnrs_depersonalised = len(pnrs)

    undone = exists().where(Traveller.person_id == Person.id, ~Traveller.identity_key.startswith(f"{MARK}:"))
    persons = list(session.scalars(select(Person.id).where(
        exists().where(Traveller.person_id == Person.id), ~undone,
        or_(Person.surname.is_not(None), Person.given_names.is_not(None), Person.date_of_birth.is_not(None),
            exists().where(PersonKey.person_id == Person.id)))))
    for ids in _batches(persons):
        session.execute(update(Person).where(Person.id.in_(ids)).values(
            surname=None, given_names=None, date_of_birth=None))
        session.execute(delete(PersonKey).where(PersonKey.person_id.in_(ids)))
    report.persons_depersonalised = len(persons)


def _delete(session: Session, before: date, report: RetentionReport) -> None:
    cutoff = datetime.combine(before, time(), tzinfo=UTC)
    flights = list(session.scalars(select(Flight.id).where(Flight.departure_date < before)))
    orphan_pnrs: set[int] = set()
    orphan_persons: set[int] = set()
    for ids in _batches(flights):
        orphan_pnrs.update(session.scalars(select(PnrFlight.pnr_id).where(PnrFlight.flight_id.in_(ids))))
        orphan_persons.update(session.scalars(select(Traveller.person_id).where(
            Traveller.flight_id.in_(ids), Traveller.person_id.is_not(None))))
        session.execute(delete(Flight).where(Flight.id.in_(ids)))
    report.flights_deleted = len(flights)
    messages = list(session.scalars(select(Message.id).where(Message.received_at < cutoff)))
    for ids in _batches(messages):
        session.execute(update(Message).where(Message.duplicate_of_id.in_(ids)).values(duplicate_of_id=None))
        session.execute(delete(Message).where(Message.id.in_(ids)))
    report.messages_deleted = len(messages)
    # bookings and persons this run left without a flight, then any older ones left so before
    pnr_alone = ~exists().where(PnrFlight.pnr_id == Pnr.id)
    person_alone = ~exists().where(Traveller.person_id == Person.id)
    for ids in _batches(sorted(orphan_pnrs)):
        report.pnrs_deleted += _rowcount(session.execute(delete(Pnr).where(Pnr.id.in_(ids), pnr_alone)))
    report.pnrs_deleted += _rowcount(session.execute(delete(Pnr).where(Pnr.updated_at < cutoff, pnr_alone)))
    for ids in _batches(sorted(orphan_persons)):
        report.persons_deleted += _rowcount(session.execute(delete(Person).where(Person.id.in_(ids), person_alone)))
    report.persons_deleted += _rowcount(session.execute(delete(Person).where(Person.created_at < cutoff,
                                                                             person_alone)))


def _rowcount(result: Any) -> int:
    """How many rows a DELETE removed."""
    return int(result.rowcount)
