"""Background jobs (APScheduler): polling the drop folder, loading overdue incomplete multi-part series, picking up
messages stored but never processed, assessing what was loaded, re-screening after rule and watchlist changes,
expiring watchlist entries, applying retention."""

from __future__ import annotations

from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from gtas.ingest.assembly import load_overdue
from gtas.ingest.folder import poll_folder

POLL_JOB = "poll-folder"
OVERDUE_JOB = "load-overdue-series"
OVERDUE_SECONDS = 60
SWEEP_JOB = "sweep-stuck-messages"
SWEEP_SECONDS = 60
ASSESS_JOB = "assess-loaded"
ASSESS_SECONDS = 5
RESCREEN_JOB = "rescreen"
RESCREEN_SECONDS = 10
RESCREEN_BATCHES = 40  # per run of the job: other jobs get their turn between runs
EXPIRY_JOB = "expire-watchlist-entries"
EXPIRY_SECONDS = 300
RETENTION_JOB = "apply-retention"
RETENTION_SECONDS = 3600


def make_scheduler(session_factory: sessionmaker[Session], inbox: Path, card_key: bytes, *, poll_seconds: float,
                   home_country: str | None = None, amqp: tuple[str, str] | None = None) -> BackgroundScheduler:
    """A scheduler (not started): the inbox polled every ``poll_seconds``, overdue series loaded every minute, stuck
    messages swept every minute (processed here, or with ``amqp``, a URL and a queue, published to the workers),
    loaded messages assessed (those their loader did not assess), re-screening runs worked through, entries expired,
    the retention periods applied every hour.

    One run of each job at a time; runs missed while one was busy are merged into one.
    """
    from gtas.rules.loaded import assess_loaded
    from gtas.rules.rescreen import run_rescreens

    inbox.mkdir(parents=True, exist_ok=True)
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(poll_folder, "interval", seconds=poll_seconds, id=POLL_JOB, max_instances=1, coalesce=True,
                      args=(session_factory, inbox, card_key), kwargs={"home_country": home_country})
    scheduler.add_job(load_overdue_series, "interval", seconds=OVERDUE_SECONDS, id=OVERDUE_JOB, max_instances=1,
                      coalesce=True, args=(session_factory, card_key, home_country))
    scheduler.add_job(sweep_stuck_messages, "interval", seconds=SWEEP_SECONDS, id=SWEEP_JOB, max_instances=1,
                      coalesce=True, args=(session_factory, card_key, home_country, amqp))
    scheduler.add_job(assess_loaded, "interval", seconds=ASSESS_SECONDS, id=ASSESS_JOB, max_instances=1,
                      coalesce=True, args=(session_factory,), kwargs={"limit": None})
    scheduler.add_job(run_rescreens, "interval", seconds=RESCREEN_SECONDS, id=RESCREEN_JOB, max_instances=1,
                      coalesce=True, args=(session_factory,), kwargs={"max_batches": RESCREEN_BATCHES})
    scheduler.add_job(expire_watchlist_entries, "interval", seconds=EXPIRY_SECONDS, id=EXPIRY_JOB, max_instances=1,
                      coalesce=True, args=(session_factory,))
    scheduler.add_job(apply_retention, "interval", seconds=RETENTION_SECONDS, id=RETENTION_JOB, max_instances=1,
                      coalesce=True, args=(session_factory,))
    return scheduler


def expire_watchlist_entries(session_factory: sessionmaker[Session]) -> int:
    """Mark the watchlist entries whose validity has ended as expired (a re-screening follows); how many."""
    from gtas.rules.watchlists import expire_entries

    with session_factory.begin() as session:
        return expire_entries(session, who="scheduler")


def apply_retention(session_factory: sessionmaker[Session]) -> bool:
    """Depersonalise and delete travel data past the stored retention periods (audited); whether anything changed."""
    from gtas.model.base import utcnow
    from gtas.retention import apply_retention as apply

    with session_factory.begin() as session:
        return apply(session, utcnow()).changed


def load_overdue_series(session_factory: sessionmaker[Session], card_key: bytes, home_country: str | None) -> int:
    """Load every incomplete multi-part series that waited past GTAS_PART_TIMEOUT_SECONDS; how many were loaded."""
    from gtas import config

    with session_factory.begin() as session:
        return len(load_overdue(session, card_key, home_country or config.home_country()))


def sweep_stuck_messages(session_factory: sessionmaker[Session], card_key: bytes, home_country: str | None,
                         amqp: tuple[str, str] | None) -> int:
    """Pick up the messages left received past GTAS_STUCK_MESSAGE_SECONDS: processed here, or with ``amqp`` (URL
    and queue) published again to the workers; how many were picked up."""
    from gtas import config
    from gtas.ingest.deliveries import Handling
    from gtas.ingest.queue import Publisher
    from gtas.ingest.sweep import sweep

    grace = config.stuck_message_seconds()
    if amqp is None:
        handling = Handling(card_key, home_country or config.home_country(), config.max_message_bytes())
        return len(sweep(session_factory, handling, grace).picked_up)
    publisher = Publisher(*amqp)
    try:
        return len(sweep(session_factory, publisher, grace).picked_up)
    finally:
        publisher.close()


def scheduler_from_settings(session_factory: sessionmaker[Session]) -> BackgroundScheduler:
    """The scheduler for GTAS_INBOX every GTAS_POLL_SECONDS, stuck messages going to GTAS_AMQP_URL when it is set
    (not started)."""
    from gtas import config

    amqp = (config.amqp_url(), config.amqp_queue()) if config.amqp_url() else None
    return make_scheduler(session_factory, config.inbox(), config.card_key(), poll_seconds=config.poll_seconds(),
                          home_country=config.home_country(), amqp=amqp)
