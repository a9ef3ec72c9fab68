"""Multi-part lists (UNH S010 01:C … NN:F): loaded as one series when whole, or incomplete after the timeout."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gtas import config
from gtas.db import advisory_lock
from gtas.ingest.context import LoadContext
from gtas.ingest.transaction import load_parsed
from gtas.model import Message, MessageStatus
from gtas.parsers import parse
from gtas.parsers.records import Message as ParsedMessage


def is_part(parsed: ParsedMessage) -> bool:
    """Whether a parsed message is one part of a longer series (not a whole message on its own)."""
    return bool(parsed.part.key) and not (parsed.part.sequence == 1 and parsed.part.final)


def series_of(session: Session, message_type: str, part_key: str) -> list[Message]:
    """The stored messages holding parts of a series, oldest first (duplicates and failures left out)."""
    return list(session.scalars(select(Message).where(
        Message.type == message_type, Message.part_key == part_key,
        Message.status.in_([MessageStatus.PARTIAL, MessageStatus.LOADED, MessageStatus.ASSESSED]))
        .order_by(Message.id)))


def parts_of(rows: list[Message], message_type: str, part_key: str, card_key: bytes) -> dict[int, ParsedMessage]:
    """Every part of the series by sequence number; a part sent again later replaces the earlier copy."""
    parts: dict[int, ParsedMessage] = {}
    for row in rows:
        for parsed in parse(row.raw, card_key=card_key).messages:
            if parsed.type == message_type and parsed.part.key == part_key and is_part(parsed):
                parts[parsed.part.sequence] = parsed
    return parts


def missing(parts: dict[int, ParsedMessage]) -> list[tuple[int, int]]:
    """Runs of sequence numbers still to come, first and last of each (an unknown last part counts as one past the
    highest seen). Found between the parts held, never by counting: a final part may say it is number 999999999."""
    held = sorted(parts)
    final = next((n for n in held if parts[n].part.final), None)
    last = final if final is not None else max(held, default=0) + 1
    runs, expected = [], 1
    for n in (n for n in held if n <= last):
        if n > expected:
            runs.append((expected, n - 1))
        expected = n + 1
    if expected <= last:
        runs.append((expected, last))
    return runs


def _listed(runs: list[tuple[int, int]], shown: int = 20) -> str:
    """``2, 4–6`` for the runs, the first ``shown`` of them."""
    text = ", ".join(str(first) if first == last else f"{first}–{last}" for first, last in runs[:shown])
    return text + (f" and {len(runs) - shown} more runs" if len(runs) > shown else "")


def combine(parts: dict[int, ParsedMessage]) -> ParsedMessage:
    """One message with the travellers (or PNRs) of every part, in sequence order."""
    ordered = [parts[n] for n in sorted(parts)]
    last = ordered[-1]
    prepared = max((p.prepared for p in ordered if p.prepared), default=None)
    return dataclasses.replace(
        last, prepared=prepared, travellers=[t for p in ordered for t in p.travellers],
        pnrs=[pnr for p in ordered for pnr in p.pnrs], warnings=[w for p in ordered for w in p.warnings])


def load_series(session: Session, message_type: str, part_key: str, card_key: bytes, home_country: str, *,
                force: bool = False) -> LoadContext | None:
    """Load the series when complete (or when ``force``d after the timeout); None when it must wait."""
    advisory_lock(session, f"series:{message_type}:{part_key}")  # the last two parts at once: one sees both
    rows = series_of(session, message_type, part_key)
    parts = parts_of(rows, message_type, part_key, card_key)
    gaps = missing(parts)
    if not parts or (gaps and not force):
        return None
    lead = rows[0]
    if gaps:
        lead.warnings = [*lead.warnings, {
            "segment": None, "line": None, "column": None, "tag": "UNH", "severity": "warning",
            "message": f"multi-part series {part_key} loaded incomplete after the timeout; missing parts: "
                       f"{_listed(gaps)}"}]
    return load_parsed(session, lead, [combine(parts)], complete=not gaps, home_country=home_country, also=rows)


def load_overdue(session: Session, card_key: bytes, home_country: str, *, timeout_seconds: float | None = None,
                 now: datetime | None = None) -> list[Message]:
    """Load, with a warning, every incomplete series waiting longer than GTAS_PART_TIMEOUT_SECONDS (or the timeout)."""
    waited = config.part_timeout_seconds() if timeout_seconds is None else timeout_seconds
    cutoff = (now or datetime.now(UTC)) - timedelta(seconds=waited)
    overdue = session.execute(
        select(Message.type, Message.part_key).where(Message.status == MessageStatus.PARTIAL,
                                                     Message.part_key.is_not(None))
        .group_by(Message.type, Message.part_key).having(func.min(Message.received_at) <= cutoff)).all()
    loaded = []
    for message_type, part_key in overdue:
        if message_type and part_key:
            ctx = load_series(session, message_type, part_key, card_key, home_country, force=True)
            if ctx is not None:
                loaded.append(ctx.message)
    return loaded
