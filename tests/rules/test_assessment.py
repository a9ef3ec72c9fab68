"""Assessment end to end on loaded messages: watchlist, rule and link hits opened, kept, withdrawn with the reason,
suppressed for a cleared person, scores and bands, re-screening after a change, and assessing what was loaded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from gtas.generator import flight_with, paxlst_writer, pnrgov_writer
from gtas.model import (
    Contact,
    ContactKind,
    Hit,
    HitKind,
    HitStatus,
    Message,
    MessageStatus,
    Rescreen,
    RiskBand,
    Traveller,
    TravellerRisk,
    Watchlist,
)
from gtas.rules.assessment import assess_travellers
from gtas.rules.engine import RuleSpec, save_rule
from gtas.rules.loaded import assess_loaded
from gtas.rules.rescreen import request_rescreen, run_rescreens
from gtas.rules.suppression import SuppressionError, suppress
from gtas.rules.watchlist_file import EntryRow
from gtas.rules.watchlists import apply_import, create_watchlist, find_watchlist, plan_import
from tests.ingest.helpers import deliver

START = datetime(2026, 3, 1)
NOW = datetime(2026, 3, 1, tzinfo=UTC)  # before the generated flight arrives


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """Sessions joined to the test's outer transaction (each ``begin`` is a savepoint)."""
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint")


@pytest.fixture
def travellers(session: Session) -> list[Traveller]:
    """One generated flight loaded (30 passengers in 10 bookings): its travellers, by id."""
    flight = flight_with(passengers=30, pnrs=10, seed=4, start=START)
    for message in flight.api:
        for text in paxlst_writer.write(message):
            deliver(session, text)
    deliver(session, pnrgov_writer.write(flight.pnr))
    return list(session.scalars(select(Traveller).where(Traveller.removed_at.is_(None)).order_by(Traveller.id)))


def _list(session: Session, rows: list[EntryRow]) -> Watchlist:
    watchlist = find_watchlist(session, "wanted") or create_watchlist(session, "wanted")
    apply_import(session, watchlist, plan_import(session, watchlist, "wanted", rows), who="tester")
    return watchlist


def _entry_for(t: Traveller, reference: str = "W1") -> EntryRow:
    """A listed person as an analyst would type him: names in the other order, same date of birth."""
    assert t.surname and t.given_names and t.date_of_birth
    return EntryRow(reference, full_name=f"{t.surname.title()} {t.given_names.split()[0].title()}",
                    dates_of_birth=(t.date_of_birth.isoformat(),))


def _hits(session: Session, **where: Any) -> list[Hit]:
    query = select(Hit).order_by(Hit.id)
    for name, value in where.items():
        query = query.where(getattr(Hit, name) == value)
    return list(session.scalars(query))


def _ids(travellers: list[Traveller]) -> list[int]:
    return [t.id for t in travellers]


def _passenger_with_booking_mates(travellers: list[Traveller]) -> tuple[Traveller, list[Traveller]]:
    by_pnr: dict[int, list[Traveller]] = {}
    for t in travellers:
        if t.pnr_id and t.surname and t.given_names and t.date_of_birth:
            by_pnr.setdefault(t.pnr_id, []).append(t)
    group = max(by_pnr.values(), key=len)
    assert len(group) >= 2, "the generated flight has a booking of several travellers"
    return group[0], group[1:]


def test_watchlist_hit_is_opened_with_its_explanation_and_puts_the_traveller_in_the_top_band(
        session: Session, travellers: list[Traveller]) -> None:
    listed, _ = _passenger_with_booking_mates(travellers)
    _list(session, [_entry_for(listed)])

    tally = assess_travellers(session, _ids(travellers), now=NOW)

    hit = _hits(session, kind=HitKind.WATCHLIST)
    assert [h.traveller_id for h in hit] == [listed.id]
    assert tally.travellers == len(travellers) and tally.opened >= 1
    explanation = hit[0].explanation
    assert explanation["watchlist"] == "wanted" and explanation["entry"] == "W1"
    assert explanation["score"] >= explanation["threshold"]
    assert hit[0].watchlist_version == 1 and hit[0].status == HitStatus.OPEN
    risk = session.get_one(TravellerRisk, listed.id)
    assert risk.band == RiskBand.HIGH


def test_assessing_again_changes_nothing(session: Session, travellers: list[Traveller]) -> None:
    listed, _ = _passenger_with_booking_mates(travellers)
    _list(session, [_entry_for(listed)])
    assess_travellers(session, _ids(travellers), now=NOW)
    before = [(h.id, h.status, h.updated_at) for h in _hits(session)]

    tally = assess_travellers(session, _ids(travellers), now=NOW + timedelta(minutes=5))

    assert (tally.opened, tally.updated, tally.withdrawn) == (0, 0, 0)
    assert [(h.id, h.status, h.updated_at) for h in _hits(session)] == before


def test_a_removed_entry_withdraws_its_hit_with_the_reason_and_keeps_it(
        session: Session, travellers: list[Traveller]) -> None:
    listed, _ = _passenger_with_booking_mates(travellers)
    _list(session, [_entry_for(listed), EntryRow("OTHER", full_name="Nobody Atall", dates_of_birth=("1900",))])
    assess_travellers(session, _ids(travellers), now=NOW)
    _list(session, [EntryRow("OTHER", full_name="Nobody Atall", dates_of_birth=("1900",))])  # W1 removed

    tally = assess_travellers(session, _ids(travellers), now=NOW)

    [hit] = _hits(session, kind=HitKind.WATCHLIST)
    assert hit.status == HitStatus.WITHDRAWN and tally.withdrawn >= 1
    assert hit.withdrawn_reason and "watchlist entry" in hit.withdrawn_reason
    assert session.get_one(TravellerRisk, listed.id).band != RiskBand.HIGH


def test_rule_hits_carry_the_rule_version_and_are_withdrawn_when_the_rule_is_disabled(
        session: Session, travellers: list[Traveller]) -> None:
    nationality = travellers[0].nationality
    conditions = {"field": "traveller.nationality", "operator": "equals", "value": nationality}
    rule_spec = RuleSpec(key="nat", title="nationality of interest", category="test", severity="high", weight=60,
                         conditions=conditions)
    rule, _ = save_rule(session, rule_spec, "ann")

    assess_travellers(session, _ids(travellers), now=NOW)

    hits = _hits(session, kind=HitKind.RULE)
    expected = {t.id for t in travellers if t.nationality == nationality}
    assert {h.traveller_id for h in hits} == expected
    assert {h.cause_key for h in hits} == {f"rule:{rule.id}"}
    assert all(h.explanation["version"] == 1 and h.explanation["conditions"] for h in hits)
    assert session.get_one(TravellerRisk, travellers[0].id).score == 60
    assert session.get_one(TravellerRisk, travellers[0].id).band == RiskBand.HIGH

    save_rule(session, replace(rule_spec, enabled=False), "ann")
    assess_travellers(session, _ids(travellers), now=NOW)

    assert {h.status for h in _hits(session, kind=HitKind.RULE)} == {HitStatus.WITHDRAWN}
    assert all("rule" in (h.withdrawn_reason or "") for h in _hits(session, kind=HitKind.RULE))
    assert session.get_one(TravellerRisk, travellers[0].id).score == 0


def test_a_booking_mate_of_a_listed_traveller_gets_a_link_hit_naming_him(
        session: Session, travellers: list[Traveller]) -> None:
    listed, mates = _passenger_with_booking_mates(travellers)
    _list(session, [_entry_for(listed)])

    assess_travellers(session, _ids(travellers), now=NOW)

    links = _hits(session, kind=HitKind.LINK)
    linked = {h.traveller_id for h in links}
    assert {m.id for m in mates} <= linked and listed.id not in {
        h.traveller_id for h in links if h.explanation["shared"] == "booking"}
    booking = next(h for h in links if h.traveller_id == mates[0].id and h.explanation["shared"] == "booking")
    assert [w["traveller_id"] for w in booking.explanation["with"]] == [listed.id]
    assert booking.explanation["with"][0]["hits"] == [_hits(session, kind=HitKind.WATCHLIST)[0].cause_key]


def test_a_traveller_on_another_flight_sharing_a_phone_is_linked_as_soon_as_the_listed_one_is_flagged(
        session: Session, travellers: list[Traveller]) -> None:
    listed, _ = _passenger_with_booking_mates(travellers)
    other_flight = flight_with(passengers=12, pnrs=4, seed=5, start=START)
    for message in other_flight.api:
        for text in paxlst_writer.write(message):
            deliver(session, text)
    deliver(session, pnrgov_writer.write(other_flight.pnr))
    known = {t.id for t in travellers}
    stranger = next(t for t in session.scalars(select(Traveller).where(Traveller.pnr_id.is_not(None))
                                               .order_by(Traveller.id)) if t.id not in known)
    assert listed.pnr_id and stranger.pnr_id
    for t in (listed, stranger):  # the same mobile number in both bookings
        session.add(Contact(pnr_id=t.pnr_id, traveller_id=t.id, kind=ContactKind.PHONE, value="+49 151 2345678",
                            normalised="491512345678"))
    assess_travellers(session, [stranger.id], now=NOW)
    assert not _hits(session, traveller_id=stranger.id)
    _list(session, [_entry_for(listed)])

    assess_travellers(session, _ids(travellers), now=NOW)  # the listed traveller's flight only

    [link] = [h for h in _hits(session, traveller_id=stranger.id) if h.explanation["shared"] == "phone"]
    assert link.kind == HitKind.LINK and link.explanation["value"] == "491512345678"
    assert [w["traveller_id"] for w in link.explanation["with"]] == [listed.id]


def test_a_suppressed_cause_is_withdrawn_for_that_person_until_the_suppression_ends(
        session: Session, travellers: list[Traveller]) -> None:
    listed, _ = _passenger_with_booking_mates(travellers)
    _list(session, [_entry_for(listed)])
    assess_travellers(session, _ids(travellers), now=NOW)
    [hit] = _hits(session, kind=HitKind.WATCHLIST)

    suppress(session, hit, until=NOW + timedelta(days=30), reason="cleared: different person, checked passport",
             by="officer1", now=NOW)
    assess_travellers(session, _ids(travellers), now=NOW + timedelta(days=1))

    session.refresh(hit)
    assert hit.status == HitStatus.WITHDRAWN
    assert hit.withdrawn_reason and "suppressed" in hit.withdrawn_reason and "officer1" in hit.withdrawn_reason
    assert session.get_one(TravellerRisk, listed.id).band != RiskBand.HIGH

    assess_travellers(session, _ids(travellers), now=NOW + timedelta(days=31))

    [reopened] = _hits(session, kind=HitKind.WATCHLIST)
    assert reopened.status == HitStatus.OPEN and reopened.withdrawn_reason is None


def test_a_suppression_needs_a_reason_a_future_end_and_a_person(session: Session,
                                                                 travellers: list[Traveller]) -> None:
    listed, _ = _passenger_with_booking_mates(travellers)
    _list(session, [_entry_for(listed)])
    assess_travellers(session, _ids(travellers), now=NOW)
    [hit] = _hits(session, kind=HitKind.WATCHLIST)

    with pytest.raises(SuppressionError, match="why"):
        suppress(session, hit, until=NOW + timedelta(days=1), reason="  ", by="officer1", now=NOW)
    with pytest.raises(SuppressionError, match="future"):
        suppress(session, hit, until=NOW, reason="cleared", by="officer1", now=NOW)
    listed.person_id = None
    with pytest.raises(SuppressionError, match="person"):
        suppress(session, hit, until=NOW + timedelta(days=1), reason="cleared", by="officer1", now=NOW)
    assert _hits(session, kind=HitKind.WATCHLIST)[0].status == HitStatus.OPEN


def test_a_traveller_who_left_the_flight_has_his_hits_withdrawn(
        session: Session, travellers: list[Traveller]) -> None:
    listed, _ = _passenger_with_booking_mates(travellers)
    _list(session, [_entry_for(listed)])
    assess_travellers(session, _ids(travellers), now=NOW)
    listed.removed_at = NOW
    session.flush()

    assess_travellers(session, _ids(travellers), now=NOW)

    [hit] = _hits(session, kind=HitKind.WATCHLIST)
    assert hit.status == HitStatus.WITHDRAWN and hit.withdrawn_reason == "the traveller is no longer on the flight"


def test_rescreening_after_a_change_assesses_every_traveller_still_to_arrive(
        session: Session, sessions: sessionmaker[Session], travellers: list[Traveller]) -> None:
    listed, _ = _passenger_with_booking_mates(travellers)
    _list(session, [_entry_for(listed)])
    first = request_rescreen(session, "watchlist wanted changed", by="tester")
    second = request_rescreen(session, "rule nat changed", by="tester")
    session.commit()

    assessed = run_rescreens(sessions, now=NOW, batch=7)

    assert assessed == len(travellers)
    session.expire_all()
    run = session.get_one(Rescreen, second.id)
    assert (run.total, run.done, run.finished_at is not None) == (len(travellers), len(travellers), True)
    assert run.opened >= 1
    assert session.get_one(Rescreen, first.id).covered_by == second.id
    assert [h.traveller_id for h in _hits(session, kind=HitKind.WATCHLIST)] == [listed.id]
    assert run_rescreens(sessions, now=NOW) == 0


def test_rescreening_leaves_flights_that_arrived_long_ago(
        session: Session, sessions: sessionmaker[Session], travellers: list[Traveller]) -> None:
    request_rescreen(session, "rule changed")
    session.commit()

    assert run_rescreens(sessions, now=NOW + timedelta(days=30)) == 0


def test_loaded_messages_are_assessed_and_marked(session: Session, sessions: sessionmaker[Session],
                                                 travellers: list[Traveller]) -> None:
    listed, _ = _passenger_with_booking_mates(travellers)
    _list(session, [_entry_for(listed)])
    session.commit()
    loaded = list(session.scalars(select(Message.id).where(Message.status == MessageStatus.LOADED)))
    assert loaded

    assert assess_loaded(sessions) == len(loaded)

    session.expire_all()
    assert {session.get_one(Message, m).status for m in loaded} == {MessageStatus.ASSESSED}
    hit = _hits(session, kind=HitKind.WATCHLIST)[0]
    assert hit.traveller_id == listed.id and hit.message_id in loaded
    assert assess_loaded(sessions) == 0


@pytest.fixture(autouse=True)
def _fresh_screening_cache() -> Iterator[None]:
    """Each test rolls its database back: forget indexes built on another test's lists."""
    from gtas.rules import screening

    screening._cache.clear()
    yield
    screening._cache.clear()


def test_every_rule_or_watchlist_change_requests_a_rescreen(session: Session) -> None:
    rule = RuleSpec(key="cash", title="cash", category="test", severity="low", weight=5,
                    conditions={"field": "traveller.nationality", "operator": "equals", "value": "FRA"})
    save_rule(session, rule, "ann")
    save_rule(session, rule, "ann")  # unchanged: nothing to re-screen
    save_rule(session, replace(rule, weight=7), "bob")
    _list(session, [EntryRow("W9", full_name="Jane Roe", dates_of_birth=("1970",))])

    requests = [(r.reason, r.requested_by) for r in session.scalars(select(Rescreen).order_by(Rescreen.id))]

    assert requests == [("rule cash added: version 1", "ann"), ("rule cash changed: version 2", "bob"),
                        ("watchlist wanted version 1: 1 added", "tester")]
