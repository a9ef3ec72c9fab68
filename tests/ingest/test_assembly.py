"""Multi-part lists: assembled whatever the order; an incomplete series loads after the timeout and completes later."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from gtas.generator import flight_with, paxlst_writer
from gtas.ingest.assembly import load_overdue
from gtas.model import MessageStatus
from tests.ingest.helpers import CARD_KEY, deliver, dump, flight_of

LATER = datetime.now(UTC) + timedelta(hours=1)
FLIGHT = flight_with(passengers=12, pnrs=5, seed=11, start=datetime(2026, 4, 1))


@pytest.fixture
def parts_and_whole() -> tuple[list[str], str]:
    return (paxlst_writer.write(FLIGHT.passenger_list, max_travellers_per_part=4),
            paxlst_writer.write(FLIGHT.passenger_list)[0])


def _whole(session: Session, whole: str) -> dict[str, object]:
    savepoint = session.begin_nested()
    deliver(session, whole)
    expected = dump(session)
    savepoint.rollback()
    return expected


def test_parts_in_any_order_give_one_complete_list(session: Session, parts_and_whole: tuple[list[str], str]) -> None:
    parts, whole = parts_and_whole
    assert len(parts) == 3
    expected = _whole(session, whole)
    for order in itertools.permutations(parts):
        savepoint = session.begin_nested()
        messages, statuses = [], []
        for part in order:
            messages.append(deliver(session, part))
            statuses.append(messages[-1].status)
        assert statuses == [MessageStatus.PARTIAL, MessageStatus.PARTIAL, MessageStatus.LOADED]
        assert {m.status for m in messages} == {MessageStatus.LOADED}
        assert dump(session) == expected
        savepoint.rollback()


def test_incomplete_series_loads_after_timeout_and_completes_later(
        session: Session, parts_and_whole: tuple[list[str], str]) -> None:
    parts, whole = parts_and_whole
    expected = _whole(session, whole)
    first, last = deliver(session, parts[0]), deliver(session, parts[2])
    assert load_overdue(session, CARD_KEY, "USA", timeout_seconds=600) == []  # not yet overdue
    assert (first.status, last.status) == (MessageStatus.PARTIAL, MessageStatus.PARTIAL)
    loaded = load_overdue(session, CARD_KEY, "USA", timeout_seconds=600, now=LATER)
    assert loaded == [first] and last.status == MessageStatus.LOADED
    assert any("missing parts: 2" in w["message"] for w in first.warnings)
    flight = flight_of(session, FLIGHT.leg.carrier or "", FLIGHT.leg.number or "")
    assert flight.passenger_count == 8
    middle = deliver(session, parts[1])
    assert middle.status == MessageStatus.LOADED
    session.refresh(flight)
    assert flight.passenger_count == 12
    assert dump(session) == expected


def test_a_last_part_numbered_in_the_millions_waits_and_loads_with_its_gaps_in_runs(
        session: Session, parts_and_whole: tuple[list[str], str]) -> None:
    """The gaps are found between the parts held: counting up to 999999999 filled the memory of the worker."""
    parts, _ = parts_and_whole
    first, far = deliver(session, parts[0]), deliver(session, parts[2].replace("+03:F'", "+999999999:F'"))
    assert (first.status, far.status) == (MessageStatus.PARTIAL, MessageStatus.PARTIAL)
    assert load_overdue(session, CARD_KEY, "USA", timeout_seconds=600, now=LATER) == [first]
    assert any("missing parts: 2–999999998" in w["message"] for w in first.warnings)
    assert flight_of(session, FLIGHT.leg.carrier or "", FLIGHT.leg.number or "").passenger_count == 8
