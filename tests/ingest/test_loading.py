"""Loading semantics: duplicates, any delivery order, newer API lists and PNR pushes."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gtas.generator import flight_with, paxlst_writer, pnrgov_writer
from gtas.generator.traffic import GeneratedFlight
from gtas.ingest.pnrs import as_booking
from gtas.ingest.unchanged import UnchangedPnrs
from gtas.ingest.views import VIEWS
from gtas.model import (
    Bag,
    Contact,
    ContactKind,
    ItineraryLeg,
    MessageStatus,
    Payment,
    Pnr,
    PnrFlight,
    PnrFlightStatus,
    PnrPush,
    PnrVersion,
    Ticket,
    Traveller,
)
from gtas.parsers import parse
from gtas.parsers.records import Email, Part
from gtas.parsers.records import Message as PnrMessage
from tests.ingest.helpers import CARD_KEY, deliver, dump, flight_of, row_counts, travellers_of

START = datetime(2026, 3, 1)


def _flight(seed: int, passengers: int = 12, pnrs: int = 5) -> GeneratedFlight:
    return flight_with(passengers=passengers, pnrs=pnrs, seed=seed, start=START)


def _messages(flight: GeneratedFlight, part_size: int | None = None) -> list[str]:
    texts = [text for m in flight.api for text in paxlst_writer.write(m, max_travellers_per_part=part_size)]
    return [*texts, pnrgov_writer.write(flight.pnr)]


def test_same_message_twice_is_a_duplicate_and_changes_nothing(session: Session) -> None:
    text = _messages(_flight(1))[0]
    first = deliver(session, text)
    before_counts, before = row_counts(session), dump(session)
    second = deliver(session, text)
    assert first.status == MessageStatus.LOADED
    assert (second.status, second.duplicate_of_id) == (MessageStatus.DUPLICATE, first.id)
    assert second.raw == first.raw
    after_counts = row_counts(session)
    assert after_counts.pop("message") == before_counts.pop("message") + 1
    assert after_counts == before_counts and dump(session) == before


def test_delivery_three_times_in_any_order_gives_the_same_database(session: Session) -> None:
    texts = [t for seed in (3, 4) for t in _messages(_flight(seed, passengers=30, pnrs=12), part_size=12)]
    once = session.begin_nested()
    for text in texts:
        deliver(session, text)
    expected = dump(session)
    once.rollback()
    shuffled = texts * 3
    random.Random(7).shuffle(shuffled)
    for text in shuffled:
        deliver(session, text)
    assert dump(session) == expected
    assert len(expected["travellers"]) >= 60 and len(expected["flights"]) == 2


def test_newer_complete_list_supersedes_the_older(session: Session) -> None:
    flight = _flight(5)
    older = flight.passenger_list
    newer = dataclasses.replace(older, travellers=older.travellers[:-2], interchange_reference="2",
                                prepared=(older.prepared or START) + timedelta(hours=1))
    deliver(session, paxlst_writer.write(older)[0])
    loaded = flight_of(session, flight.leg.carrier or "", flight.leg.number or "")
    assert loaded.passenger_count == 12
    deliver(session, paxlst_writer.write(newer)[0])
    session.refresh(loaded)
    assert loaded.passenger_count == 10
    everyone = travellers_of(session, loaded, current=False)
    gone = [t for t in everyone if t.removed_at is not None]
    assert len(everyone) == 12
    assert {t.surname for t in gone} == {t.surname for t in older.travellers[-2:]}


def test_an_older_list_arriving_late_removes_nobody(session: Session) -> None:
    flight = _flight(5)
    older = flight.passenger_list
    newer = dataclasses.replace(older, travellers=older.travellers[:-2], interchange_reference="2",
                                prepared=(older.prepared or START) + timedelta(hours=1))
    deliver(session, paxlst_writer.write(newer)[0])
    deliver(session, paxlst_writer.write(older)[0])
    loaded = flight_of(session, flight.leg.carrier or "", flight.leg.number or "")
    assert loaded.passenger_count == 12  # the two only the older list names are added, none removed


def test_close_out_list_marks_who_boarded(session: Session) -> None:
    flight = _flight(6)
    deliver(session, paxlst_writer.write(flight.passenger_list)[0])
    close_out = dataclasses.replace(flight.passenger_list, list_function="CLOB", interchange_reference="3",
                                    travellers=flight.passenger_list.travellers[:5])
    text = paxlst_writer.write(close_out)[0]
    assert "CLOB" in text
    deliver(session, text)
    loaded = flight_of(session, flight.leg.carrier or "", flight.leg.number or "")
    assert sorted(str(t.boarded) for t in travellers_of(session, loaded)) == ["None"] * 7 + ["True"] * 5
    assert loaded.passenger_count == 12


def test_pnr_missing_from_a_newer_push_is_cancelled(session: Session) -> None:
    flight = _flight(8)
    push = flight.pnr
    newer = dataclasses.replace(push, pnrs=push.pnrs[1:], interchange_reference="9",
                                prepared=(push.prepared or START) + timedelta(hours=2))
    deliver(session, pnrgov_writer.write(push))
    deliver(session, pnrgov_writer.write(newer))
    statuses = {locator: status for locator, status in session.execute(
        select(Pnr.record_locator, PnrFlight.status).join(PnrFlight, PnrFlight.pnr_id == Pnr.id))}
    assert statuses.pop(push.pnrs[0].record_locator or "") == PnrFlightStatus.CANCELLED
    assert set(statuses.values()) == {PnrFlightStatus.ACTIVE} and len(statuses) == 4
    assert len(session.scalars(select(PnrVersion)).all()) == 5  # the four pushed again are unchanged: no version
    assert len(session.scalars(select(PnrPush)).all()) == 5 + 4


def test_a_pnr_pushed_again_unchanged_adds_a_push_not_a_version(session: Session) -> None:
    flight = _flight(11)
    push = flight.pnr
    changed = dataclasses.replace(push.pnrs[0], last_modified=(push.pnrs[0].last_modified or START)
                                  + timedelta(minutes=5))
    again = dataclasses.replace(push, interchange_reference="8", prepared=(push.prepared or START)
                                + timedelta(hours=2), pnrs=[changed, *push.pnrs[1:]])
    assert deliver(session, pnrgov_writer.write(push)).status == MessageStatus.LOADED
    before = dump(session)
    assert deliver(session, pnrgov_writer.write(again)).status == MessageStatus.LOADED
    assert len(session.scalars(select(PnrVersion)).all()) == 5 + 1
    assert len(session.scalars(select(PnrPush)).all()) == 5 + 5
    after = dump(session)
    assert after["travellers"] == before["travellers"]
    assert [p for p in after["pnrs"] if p not in before["pnrs"]] == [
        ((changed.carrier or push.sender or "", changed.record_locator, str((changed.created or START).date())),
         str(changed.last_modified))]


def test_api_travellers_merge_with_and_link_to_their_pnr(session: Session) -> None:
    flight = _flight(9)
    deliver(session, pnrgov_writer.write(flight.pnr))
    deliver(session, paxlst_writer.write(flight.passenger_list)[0])
    loaded = flight_of(session, flight.leg.carrier or "", flight.leg.number or "")
    passengers = [t for t in travellers_of(session, loaded) if t.role == "passenger"]
    assert len(passengers) == 12
    assert all(t.pnr_id is not None for t in passengers)
    assert session.scalars(select(Traveller.person_id).where(Traveller.person_id.is_(None))).all() == []


def test_current_view_follows_the_newest_version_whatever_the_order(session: Session) -> None:
    flight = _flight(10)
    push = flight.pnr
    changed = dataclasses.replace(push.pnrs[0], emails=[Email("new.address@example.org")],
                                  last_modified=(push.pnrs[0].last_modified or START) + timedelta(days=1))
    newer = dataclasses.replace(push, pnrs=[changed, *push.pnrs[1:]], interchange_reference="8",
                                prepared=(push.prepared or START) + timedelta(hours=3))
    results = []
    for order in ((push, newer), (newer, push)):
        savepoint = session.begin_nested()
        for message in order:
            deliver(session, pnrgov_writer.write(message))
        pnr = session.scalars(select(Pnr).where(Pnr.record_locator == changed.record_locator)).one()
        emails = session.scalars(select(Contact.value).where(Contact.pnr_id == pnr.id,
                                                             Contact.kind == ContactKind.EMAIL)).all()
        results.append((sorted(emails), pnr.last_modified, len(session.scalars(select(ItineraryLeg)).all()) > 0))
        savepoint.rollback()
    assert results[0] == results[1]
    assert results[0][0] == ["new.address@example.org"]


def _views(session: Session) -> dict[str, list[str]]:
    """The current-view rows of every PNR, by table, without surrogate keys."""
    keys = {pnr_id: (carrier, locator) for pnr_id, carrier, locator in session.execute(
        select(Pnr.id, Pnr.carrier, Pnr.record_locator))}
    out: dict[str, list[str]] = {}
    for view in VIEWS:
        table = view.__table__
        rows = session.execute(select(table)).mappings()
        out[table.name] = sorted(json.dumps([keys[row["pnr_id"]], *(str(value) for name, value in row.items()
                                                                   if not name.endswith("id"))]) for row in rows)
    return out


def _day_of_pushes(flight: GeneratedFlight) -> list[str]:
    """Three pushes of a flight's bookings: later ones repeat most PNRs, change one, drop one and add one."""
    push, pnrs = flight.pnr, flight.pnr.pnrs
    changed = dataclasses.replace(pnrs[1], emails=[Email("changed@example.org")],
                                  last_modified=(pnrs[1].last_modified or START) + timedelta(hours=1))
    at = push.prepared or START
    return [pnrgov_writer.write(dataclasses.replace(push, pnrs=pnrs[:-1])),
            pnrgov_writer.write(dataclasses.replace(push, pnrs=[pnrs[0], changed, *pnrs[3:]],
                                                    interchange_reference="8", prepared=at + timedelta(hours=2))),
            pnrgov_writer.write(dataclasses.replace(push, interchange_reference="9", prepared=at + timedelta(hours=4)))]


def test_pnrs_a_push_repeats_unchanged_are_not_read_again(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    skipped: list[int] = []
    answer = UnchangedPnrs.__call__

    def counted(self: UnchangedPnrs, header: PnrMessage, digests: list[str]) -> set[str]:
        found = answer(self, header, digests)
        skipped.append(len(found))
        return found

    monkeypatch.setattr(UnchangedPnrs, "__call__", counted)
    for text in _day_of_pushes(_flight(12, pnrs=6)):
        assert deliver(session, text).status == MessageStatus.LOADED
    # first push: nothing known. Second: the 3 of its 5 PNRs the first carried as they are (one changed, one is new).
    # Third: 5 of 6, all but the one that changes back (the one the second dropped comes back unchanged)
    assert skipped == [0, 3, 5]


def test_skipping_unchanged_pnrs_leaves_the_same_database_as_reading_everything(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    flight = _flight(13, passengers=14, pnrs=6)
    texts = [*_day_of_pushes(flight), paxlst_writer.write(flight.passenger_list)[0]]
    results = []
    for skip in (True, False):
        if not skip:
            monkeypatch.setattr(UnchangedPnrs, "__call__", lambda self, header, digests: set())
        savepoint = session.begin_nested()
        for text in texts:
            assert deliver(session, text).status == MessageStatus.LOADED
        results.append((dump(session), _views(session), sorted(session.execute(
            select(Pnr.record_locator, Pnr.digest, Pnr.raw_digest)).all())))
        savepoint.rollback()
    assert results[0] == results[1]
    assert all(raw for _, _, raw in results[0][2])


def test_a_pnr_stored_without_raw_digest_gets_one_from_an_unchanged_push(session: Session) -> None:
    flight = _flight(14)
    first, again, third = (pnrgov_writer.write(dataclasses.replace(
        flight.pnr, interchange_reference=str(n), prepared=(flight.pnr.prepared or START) + timedelta(hours=n)))
        for n in range(3))
    deliver(session, first)
    session.execute(update(Pnr).values(raw_digest=None))  # as loaded before raw digests, or by another reader
    assert deliver(session, again).status == MessageStatus.LOADED  # read in full: nothing to compare with
    assert None not in session.scalars(select(Pnr.raw_digest)).all()
    assert len(session.scalars(select(PnrVersion)).all()) == 5  # the content was the same: no version
    message = deliver(session, third)
    assert message.status == MessageStatus.LOADED and len(session.scalars(select(PnrPush)).all()) == 15


def test_parts_of_a_pnr_series_are_read_whole(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    flight = _flight(15, pnrs=6)
    push, at = flight.pnr, flight.pnr.prepared or START
    deliver(session, pnrgov_writer.write(push))
    answers: list[set[str]] = []
    answer = UnchangedPnrs.__call__
    monkeypatch.setattr(UnchangedPnrs, "__call__", lambda self, header, digests: answers.append(
        answer(self, header, digests)) or answers[-1])
    for n, (pnrs, part) in enumerate(((push.pnrs[:3], "01:C"), (push.pnrs[3:], "02:F")), start=1):
        text = pnrgov_writer.write(dataclasses.replace(push, pnrs=pnrs, declared_pnrs=len(pnrs),
                                                       interchange_reference=f"7{n}", prepared=at + timedelta(hours=1),
                                                       part=Part(key="SERIES7")))
        assert "+SERIES7'" in text
        message = deliver(session, text.replace("+SERIES7'", f"+SERIES7+{part}'"))
        assert message.part_key == "SERIES7"
    assert answers == [set(), set()]  # the PNRs are unchanged, but parts are loaded together later: read whole
    assert message.status == MessageStatus.LOADED
    assert len(session.scalars(select(PnrPush)).all()) == 6 + 6
    assert len(session.scalars(select(PnrVersion)).all()) == 6


def test_versions_and_views_keep_every_value_as_parsed(session: Session) -> None:
    texts = _day_of_pushes(_flight(16, passengers=20, pnrs=8))
    for text in texts:
        assert deliver(session, text).status == MessageStatus.LOADED
    (final,) = parse(texts[-1], card_key=CARD_KEY).messages
    checked = set()
    for record in final.pnrs:  # one of them was changed by an earlier push, later than this push's version of it
        booking = as_booking(record)
        pnr = session.scalars(select(Pnr).where(Pnr.record_locator == record.record_locator)).one()
        version = session.scalars(select(PnrVersion).where(PnrVersion.pnr_id == pnr.id,
                                                           PnrVersion.digest == booking.digest)).first()
        assert version is not None and version.snapshot == json.loads(booking.snapshot)
        assert version.last_modified == record.last_modified
        if pnr.digest != booking.digest:
            continue
        legs = session.execute(select(ItineraryLeg.position, ItineraryLeg.departure_local, ItineraryLeg.arrival_local)
                               .where(ItineraryLeg.pnr_id == pnr.id).order_by(ItineraryLeg.position)).all()
        assert legs == [(n, leg.departure, leg.arrival) for n, leg in enumerate(record.itinerary, start=1)]
        paid = session.scalars(select(Payment.amount).where(Payment.pnr_id == pnr.id)).all()
        assert sorted(map(str, paid)) == sorted(str(p.amount) for p in record.payments)
        fares = session.scalars(select(Ticket.fare).where(Ticket.pnr_id == pnr.id)).all()
        assert sorted(map(str, fares)) == sorted(str(t.fare) for t in record.tickets)
        tags = session.scalars(select(Bag.tags).where(Bag.pnr_id == pnr.id)).all()
        assert sorted(tags) == sorted(list(b.tags) for b in record.bags)
        checked |= {name for name, found in (("payment", paid), ("ticket", fares), ("bag", tags)) if found}
    assert checked == {"payment", "ticket", "bag"}  # the day had each kind of row to compare
