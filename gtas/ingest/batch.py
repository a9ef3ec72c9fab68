"""Loading files from disk in one go (the ``gtas ingest`` command): open the database, load, count."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

import click
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from gtas import db
from gtas.ingest.load import process
from gtas.ingest.store import fail_unprocessed, receive
from gtas.model import Channel, FlightMessage, Message, MessageStatus, PnrVersion, TravellerSource

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestSummary:
    """What a batch of files became."""

    files: int = 0
    messages: int = 0
    loaded: int = 0
    assessed: int = 0  # messages whose travellers were then assessed (filled by the caller)
    duplicates: int = 0
    partial: int = 0
    failed: int = 0
    flights: set[int] = field(default_factory=set)
    travellers: int = 0
    pnrs: int = 0
    started: float = field(default_factory=perf_counter)

    def rows(self) -> list[tuple[str, str]]:
        """The summary table: label, value."""
        return [("files", str(self.files)), ("messages", str(self.messages)), ("loaded", str(self.loaded)),
                ("assessed", str(self.assessed)),
                ("duplicates", str(self.duplicates)), ("partial", str(self.partial)), ("failed", str(self.failed)),
                ("flights", str(len(self.flights))), ("travellers", str(self.travellers)), ("PNRs", str(self.pnrs)),
                ("time", f"{perf_counter() - self.started:.2f} s")]


def open_database(url: str) -> tuple[sessionmaker[Session], Engine]:
    """Sessions on the database at the URL; a ClickException asking for ``gtas init`` when it has no schema."""
    engine = db.make_engine(url)
    try:
        revision = db.current_revision(engine)
    except Exception as exc:
        engine.dispose()
        raise click.ClickException(f"cannot open the database: {exc}; run `gtas init` first") from exc
    if revision is None:
        engine.dispose()
        raise click.ClickException("the database has no GTAS schema yet: run `gtas init` first")
    return db.make_sessionmaker(engine), engine


def ingest_file(sessions: sessionmaker[Session], path: Path, card_key: bytes, home_country: str,
                summary: IngestSummary, *, max_bytes: int) -> None:
    """Receive one file on the CLI channel (committed first: nothing is lost), then process it in a transaction."""
    summary.files += 1
    if path.stat().st_size > max_bytes:
        click.echo(f"{path}: not read: {path.stat().st_size} bytes, the limit is {max_bytes}", err=True)
        summary.failed += 1
        return
    ingest_bytes(sessions, path.read_bytes(), card_key, home_country, summary, filename=str(path))


def ingest_bytes(sessions: sessionmaker[Session], data: bytes, card_key: bytes, home_country: str,
                 summary: IngestSummary, *, filename: str, submitter: str | None = None,
                 carrier: str | None = None) -> None:
    """Receive bytes on the CLI channel (committed first: nothing is lost), then process them in a transaction.

    A crash while processing ends the message failed_load with the reason, and the run goes on with the next file.
    """
    with sessions.begin() as session:
        message_id = receive(session, data, channel=Channel.CLI, submitter=submitter, carrier=carrier,
                             filename=filename).id
    summary.messages += 1
    try:
        with sessions.begin() as session:
            status = process(session, session.get_one(Message, message_id), card_key,
                             home_country=home_country).status
    except Exception as exc:  # a bug: the bytes are stored; the message still ends with a status and the reason
        log.exception("processing %s (message %s) failed", filename, message_id)
        reason = f"internal error while processing ({type(exc).__name__}: {exc})"
        fail_unprocessed(sessions, message_id, reason)
        click.echo(f"{filename}: message {message_id}: {reason}", err=True)
        status = MessageStatus.FAILED_LOAD
    if status == MessageStatus.DUPLICATE:
        summary.duplicates += 1
    elif status == MessageStatus.PARTIAL:
        summary.partial += 1
    elif status in (MessageStatus.FAILED_PARSE, MessageStatus.FAILED_LOAD):
        summary.failed += 1
    else:
        summary.loaded += 1
        with sessions() as session:
            _tally(session, session.get_one(Message, message_id), summary)


def _tally(session: Session, message: Message, summary: IngestSummary) -> None:
    """Add the flights, travellers and PNRs a loaded message (or the series it completed) gave."""
    loaded_as = message.id
    if message.part_key:
        loaded_as = session.scalar(select(func.min(Message.id)).where(
            Message.type == message.type, Message.part_key == message.part_key)) or message.id
    summary.flights.update(session.scalars(
        select(FlightMessage.flight_id).where(FlightMessage.message_id == loaded_as)))
    summary.travellers += session.scalar(select(func.count()).select_from(TravellerSource)
                                         .where(TravellerSource.message_id == loaded_as)) or 0
    summary.pnrs += session.scalar(select(func.count()).select_from(PnrVersion)
                                   .where(PnrVersion.message_id == loaded_as)) or 0
