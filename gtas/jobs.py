"""Background jobs (APScheduler): polling the drop folder."""

from __future__ import annotations

from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from gtas.ingest.folder import poll_folder

POLL_JOB = "poll-folder"


def make_scheduler(session_factory: sessionmaker[Session], inbox: Path, card_key: bytes, *, poll_seconds: float,
                   home_country: str | None = None) -> BackgroundScheduler:
    """A scheduler (not started) that polls the inbox every ``poll_seconds``; one poll at a time, missed ones merged."""
    inbox.mkdir(parents=True, exist_ok=True)
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(poll_folder, "interval", seconds=poll_seconds, id=POLL_JOB, max_instances=1, coalesce=True,
                      args=(session_factory, inbox, card_key), kwargs={"home_country": home_country})
    return scheduler


def scheduler_from_settings(session_factory: sessionmaker[Session]) -> BackgroundScheduler:
    """The folder-polling scheduler for GTAS_INBOX every GTAS_POLL_SECONDS (not started)."""
    from gtas import config

    return make_scheduler(session_factory, config.inbox(), config.card_key(), poll_seconds=config.poll_seconds(),
                          home_country=config.home_country())
