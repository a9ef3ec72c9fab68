"""Every corpus message is stored and loads (or, for the truck manifest without a flight, says why)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gtas.ingest.assembly import load_overdue
from gtas.model import MessageStatus, Pnr, PnrFlight, Traveller
from tests.conftest import corpus_files
from tests.ingest.helpers import CARD_KEY, deliver, flight_of, travellers_of

NO_FLIGHT = {"paxlst/ace-d03b-truck-crew-release-chars.edi"}  # a truck crew list: no flight leg to load onto
ONE_PART_OF_SEVERAL = {"paxlst/capture-una-paren-dash-truncated.MASKED.txt", "paxlst/typeb-wrapped-sq6680.txt"}


@pytest.mark.parametrize("name", corpus_files("paxlst", "pnrgov", "pnrgov-xml"))
def test_corpus_message_loads(session: Session, corpus: Path, name: str) -> None:
    data = (corpus / name).read_bytes()
    message = deliver(session, data, filename=name)
    assert message.raw == data
    if name in NO_FLIGHT:
        assert message.status == MessageStatus.FAILED_LOAD
        assert "no flight leg" in message.errors[-1]["message"]
        return
    if name in ONE_PART_OF_SEVERAL:
        assert message.status == MessageStatus.PARTIAL
        overdue = load_overdue(session, CARD_KEY, "USA", timeout_seconds=600,
                               now=datetime.now(UTC) + timedelta(hours=1))
        assert [m.status for m in overdue] == [MessageStatus.LOADED] and overdue[0] is message
        assert any("loaded incomplete" in w["message"] for w in message.warnings)
    assert message.status == MessageStatus.LOADED, message.errors
    assert message.parse_ms is not None and message.load_ms is not None
    assert session.scalar(select(func.count()).select_from(Traveller)) or name.startswith("pnrgov-xml/fragment")


def test_flight1_has_ten_passengers(session: Session, corpus: Path) -> None:
    deliver(session, (corpus / "paxlst/gtas-flight1.txt").read_bytes())
    flight = flight_of(session, "LA", "532")
    assert (flight.origin, flight.destination, flight.direction) == ("SCL", "JFK", "inbound")
    assert flight.departure_local == datetime(2020, 1, 19, 23, 0)
    assert flight.departure_utc == datetime(2020, 1, 20, 2, 0, tzinfo=UTC)
    assert flight.passenger_count == 10 and flight.crew_count == 0
    assert flight.api_received_at is not None and flight.pnr_received_at is None
    assert len(travellers_of(session, flight)) == 10
    assert all(t.person_id is not None for t in travellers_of(session, flight))


def test_multiple_leg_list_loads_onto_its_prime_flight(session: Session, corpus: Path) -> None:
    deliver(session, (corpus / "paxlst/gtas-multiple_flight_leg_apis.txt").read_bytes())
    flight = flight_of(session, "QQ", "827")
    assert (flight.origin, flight.destination) == ("JFK", "CDG")
    assert flight.passenger_count == 2


def test_pnr_files_give_pnrs_with_travellers(session: Session, corpus: Path) -> None:
    deliver(session, (corpus / "pnrgov/gtas-pnrWithBags-127pnr.txt").read_bytes())
    flight = flight_of(session, "UA", "988")
    assert session.scalar(select(func.count()).select_from(Pnr)) == 127
    assert session.scalar(select(func.count()).where(PnrFlight.flight_id == flight.id)) == 127
    assert flight.pnr_received_at is not None
    travellers = travellers_of(session, flight)
    assert travellers and all(t.pnr_id is not None for t in travellers)
