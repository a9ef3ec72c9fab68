"""Processing a stored message: parse it, keep its diagnostics, and load it (or hold it as a part of a series)."""

from __future__ import annotations

from time import perf_counter

from sqlalchemy.orm import Session

from gtas import config
from gtas.ingest import assembly
from gtas.ingest.transaction import load_parsed
from gtas.ingest.unchanged import UnchangedPnrs
from gtas.model import Message, MessageStatus
from gtas.parsers import collector_paused, parse
from gtas.parsers.records import Diagnostic, ParsedFile, to_jsonable


def process(session: Session, message: Message, card_key: bytes, *, home_country: str | None = None) -> Message:
    """Parse and load a received message; duplicates are left alone. Flushes, never commits."""
    if message.status == MessageStatus.DUPLICATE:
        return message
    with collector_paused():  # the records and rows of a message are acyclic: reference counting frees them
        unchanged = UnchangedPnrs(session, home_country or config.home_country())
        parsed, parse_ms = parse_message(message, card_key, unchanged)
        return load_file(session, message, parsed, parse_ms, card_key, home_country=home_country, unchanged=unchanged)


def parse_message(message: Message, card_key: bytes,
                  unchanged: UnchangedPnrs | None = None) -> tuple[ParsedFile, float]:
    """The parsed raw bytes and the milliseconds it took; a parser failure becomes an error, never an exception.

    ``unchanged``: recognises the PNRs of a push that need not be read again (they are loaded by their ids).
    """
    started = perf_counter()
    try:
        parsed = parse(message.raw, card_key=card_key, unchanged=unchanged)
    except Exception as exc:  # the parsers promise not to raise; if one does, the message still gets a reason
        parsed = ParsedFile(errors=[Diagnostic(f"internal parser error ({type(exc).__name__}: {exc})",
                                               severity="error")])
    return parsed, round((perf_counter() - started) * 1000, 3)


def load_file(session: Session, message: Message, parsed: ParsedFile, parse_ms: float, card_key: bytes, *,
              home_country: str | None = None, unchanged: UnchangedPnrs | None = None) -> Message:
    """Record what parsing said about a received message, then load what it holds. Flushes, never commits."""
    home = home_country or config.home_country()
    message.parse_ms = parse_ms
    warnings = list(parsed.warnings)
    for record in parsed.messages:
        warnings += record.warnings
        warnings += [w for pnr in record.pnrs for w in pnr.warnings]
    message.warnings = to_jsonable(warnings)
    message.errors = to_jsonable(parsed.errors)
    if not parsed.messages:
        message.status = MessageStatus.FAILED_PARSE
        session.flush()
        return message
    first = parsed.messages[0]
    message.type, message.version = first.type, (first.version or "")[:16] or None
    message.status = MessageStatus.PARSED
    whole = [record for record in parsed.messages if not assembly.is_part(record)]
    parts = [record for record in parsed.messages if assembly.is_part(record)]
    if parts:
        message.part_key = (parts[0].part.key or "")[:70]
        message.part_sequence = min(p.part.sequence for p in parts)
        message.part_final = any(p.part.final for p in parts)
    session.flush()
    if whole:
        load_parsed(session, message, whole, complete=True, home_country=home,
                    unchanged=unchanged.ids if unchanged else None)
    if parts and message.status != MessageStatus.FAILED_LOAD:
        message.status = MessageStatus.PARTIAL
        session.flush()
        assembly.load_series(session, parts[0].type, message.part_key or "",
                             card_key, home)
    return message
