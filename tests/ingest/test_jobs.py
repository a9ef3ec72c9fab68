"""The scheduled jobs: overdue multi-part series loaded every minute, loaded messages assessed, re-screening runs
and watchlist expiry worked through — by one leader per database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from gtas.jobs import ASSESS_JOB, EXPIRY_JOB, OVERDUE_JOB, RESCREEN_JOB, make_scheduler
from gtas.model import Message, MessageStatus, Rescreen
from gtas.worker import SCHEDULER_LOCK, SchedulerLock
from tests.ingest.broker import traffic_texts, wait_until
from tests.ingest.helpers import CARD_KEY, deliver

FIRST_PART = traffic_texts(flights=1, seed=45)[0]  # part 1 of a passenger list in two parts


def test_overdue_job_loads_an_incomplete_series_every_minute(session: Session, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    sessions = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    message = deliver(session, FIRST_PART)
    assert message.status == MessageStatus.PARTIAL
    job = make_scheduler(sessions, tmp_path / "inbox", CARD_KEY, poll_seconds=5, home_country="USA").get_job(
        OVERDUE_JOB)
    assert job.trigger.interval.total_seconds() == 60 and job.max_instances == 1
    assert job.func(*job.args, **job.kwargs) == 0  # not overdue yet (GTAS_PART_TIMEOUT_SECONDS: 600)
    monkeypatch.setenv("GTAS_PART_TIMEOUT_SECONDS", "0")
    assert job.func(*job.args, **job.kwargs) == 1
    session.expire_all()
    loaded = session.get_one(Message, message.id)
    assert loaded.status == MessageStatus.LOADED
    assert "loaded incomplete after the timeout; missing parts: 2" in loaded.warnings[-1]["message"]


def test_assessment_rescreening_and_expiry_jobs_run_what_waits(session: Session, tmp_path: Path) -> None:
    sessions = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    scheduler = make_scheduler(sessions, tmp_path / "inbox", CARD_KEY, poll_seconds=5, home_country="USA")
    assess, rescreen, expiry = (scheduler.get_job(name) for name in (ASSESS_JOB, RESCREEN_JOB, EXPIRY_JOB))
    for body in traffic_texts(flights=1, seed=7):
        deliver(session, body)
    session.add(Rescreen(reason="rule changed"))
    session.commit()
    waiting = session.scalars(select(Message.id).where(Message.status == MessageStatus.LOADED)).all()
    assert waiting

    assert assess.func(*assess.args, **assess.kwargs) == len(waiting)
    rescreen.func(*rescreen.args, **rescreen.kwargs)
    assert expiry.func(*expiry.args, **expiry.kwargs) == 0

    session.expire_all()
    assert {session.get_one(Message, m).status for m in waiting} == {MessageStatus.ASSESSED}
    assert session.scalars(select(Rescreen)).one().finished_at is not None


def test_one_scheduler_lock_per_database(live_sessions: sessionmaker[Session]) -> None:
    engine = live_sessions.kw["bind"]
    leader, other = SchedulerLock(engine), SchedulerLock(engine)
    assert leader.try_acquire() and leader.try_acquire()  # holding it already
    assert not other.try_acquire()
    leader.release()
    assert other.try_acquire()
    other.release()


def test_scheduler_lock_lost_with_its_connection_goes_to_another_worker(live_sessions: sessionmaker[Session]) -> None:
    engine = live_sessions.kw["bind"]
    if engine.dialect.name != "postgresql":
        pytest.skip("a SQLite lock file is held as long as its process lives")
    leader, other = SchedulerLock(engine), SchedulerLock(engine)
    assert leader.try_acquire() and leader.holds()
    with engine.begin() as connection:  # the leader's database session ends (a restart, a network failure)
        holders = connection.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = "
            "hashtextextended(current_schema() || ':' || :name, 0)"), {"name": SCHEDULER_LOCK}).all()
    assert holders == [(True,)]
    wait_until(lambda: not leader.holds())
    assert other.try_acquire() and other.holds()
    leader.release()  # nothing left to release: no error
    other.release()
