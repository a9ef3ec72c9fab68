"""Carrier scope of a pushed message: a party may only send for the carriers its tokens were issued for.

The rule: a message whose flights (API: every leg; PNR: the prime flight) name a carrier outside the party's
carriers, or name none, is kept verbatim but not loaded; it gets status failed_load and the error
"token not allowed for carrier XX". The check parses the message once more than loading alone would; the
parsers are compiled and this keeps ``process`` unaware of who sent a message.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from gtas import config
from gtas.ingest.load import load_file, parse_message
from gtas.ingest.unchanged import UnchangedPnrs
from gtas.model import Message, MessageStatus
from gtas.parsers.records import Diagnostic, ParsedFile, to_jsonable


def carriers_of(parsed: ParsedFile) -> list[str | None]:
    """The carrier of every flight the parsed messages are pushed for (None where a flight names none)."""
    return [leg.carrier.upper() if leg.carrier else None for record in parsed.messages for leg in record.flights]


def scope_refusal(parsed: ParsedFile, allowed: Collection[str]) -> str | None:
    """Why a party with these carriers may not load the parsed messages, or None when it may."""
    carriers = carriers_of(parsed)
    if parsed.messages and not carriers:
        return "message names no flight, so its carrier cannot be checked against the token's carriers"
    if None in carriers:
        return "a flight in the message names no carrier, so it cannot be checked against the token's carriers"
    outside = sorted({code for code in carriers if code is not None} - set(allowed))
    if outside:
        return f"token not allowed for carrier {', '.join(outside)} (it may send for {', '.join(sorted(allowed))})"
    return None


def process_in_scope(session: Session, message: Message, card_key: bytes, carriers: Collection[str], *,
                     home_country: str | None = None) -> Message:
    """Process a received message when its carriers are the party's; otherwise keep it as failed_load with why."""
    if message.status == MessageStatus.DUPLICATE:
        return message
    unchanged = UnchangedPnrs(session, home_country or config.home_country())
    parsed, parse_ms = parse_message(message, card_key, unchanged)
    refusal = scope_refusal(parsed, carriers) if parsed.messages else None
    if refusal is None:
        return load_file(session, message, parsed, parse_ms, card_key, home_country=home_country,
                         unchanged=unchanged)
    first = parsed.messages[0]
    message.type, message.version = first.type, (first.version or "")[:16] or None
    known = [code for code in carriers_of(parsed) if code]
    message.carrier = known[0][:3] if known else None
    message.status = MessageStatus.FAILED_LOAD
    message.errors = [to_jsonable(Diagnostic(refusal, severity="error"))]
    session.flush()
    return message
