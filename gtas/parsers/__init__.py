"""Message parsers: bytes in, typed records out. Pure functions: no database, no Flask, no I/O.

``parse(data)`` reads one file or request body — EDIFACT (PAXLST, PNRGOV; any number of interchanges and
messages) or PNRGOV XML — into a :class:`ParsedFile`. Message parsers register themselves by message type.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from gtas.parsers import edifact, values
from gtas.parsers.records import Diagnostic, Message, ParsedFile, ParseError

__all__ = ["Envelope", "ParsedFile", "collector_paused", "parse", "register"]


@dataclass(slots=True, frozen=True)
class Envelope:
    """What a message inherits from its interchange (UNB) and group (UNG), plus parse options."""

    sender: str | None = None
    recipient: str | None = None
    prepared: datetime | None = None
    reference: str | None = None
    decimal_mark: str = "."
    card_key: bytes = b""
    unchanged: UnchangedPnrs | None = None

    @property
    def reference_date(self) -> date | None:
        return self.prepared.date() if self.prepared else None

    @classmethod
    def of(cls, interchange: edifact.Interchange, message: edifact.EdifactMessage, card_key: bytes,
           unchanged: UnchangedPnrs | None = None) -> Envelope:
        unb, ung = interchange.header, message.group
        sender = recipient = reference = None
        prepared = None
        if unb is not None:
            sender, recipient, reference = unb.get(1), unb.get(2), unb.get(4)
            prepared = _prepared(unb.get(3, 0), unb.get(3, 1))
        if ung is not None:
            sender = sender or ung.get(1)
            recipient = recipient or ung.get(2)
            prepared = prepared or _prepared(ung.get(3, 0), ung.get(3, 1))
        return cls(
            sender=values.clean(sender),
            recipient=values.clean(recipient),
            prepared=prepared,
            reference=values.clean(reference),
            decimal_mark=interchange.chars.decimal if interchange.chars.decimal in ".," else ".",
            card_key=card_key,
            unchanged=unchanged,
        )


def _prepared(day: str, time: str) -> datetime | None:
    return values.at(values.yymmdd(day, past=False), time)


MessageParser = Callable[[edifact.EdifactMessage, Envelope], Message]
UnchangedPnrs = Callable[[Message, list[str]], Collection[str]]
"""Asked by the PNRGOV reader once it has read a message's header (``Message`` so far: its prime flight and part)
with the raw digest of each PNR in it; answers the digests of PNRs it knows unchanged, which are then not read
again but listed in ``Message.unchanged_pnrs``."""
_PARSERS: dict[str, MessageParser] = {}


def register(message_type: str) -> Callable[[MessageParser], MessageParser]:
    """Register the parser for an EDIFACT message type (the UNH S009 identifier, e.g. ``PAXLST``)."""

    def decorate(parser: MessageParser) -> MessageParser:
        _PARSERS[message_type] = parser
        return parser

    return decorate


def _load_builtin_parsers() -> None:
    from gtas.parsers import paxlst, pnrgov  # noqa: F401  (registration happens on import)


def looks_like_xml(data: bytes | str) -> bool:
    head = data[:512].lstrip()
    if isinstance(head, bytes):
        head = head.lstrip(b"\xef\xbb\xbf").lstrip()
        return head.startswith(b"<")
    return head.lstrip("\ufeff").startswith("<")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while records are built (by a parse, or by loading them into rows).

    A parse allocates hundreds of thousands of acyclic objects; the collector would walk them again and again
    for nothing (20–35 % of the parse time, benchmarks/parse.py). Reference counting still frees everything,
    and the collector runs as usual once the parse is over.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(data: bytes | str, *, card_key: bytes = b"", unchanged: UnchangedPnrs | None = None) -> ParsedFile:
    """Read one file or request body. Never raises on bad input: what cannot be read is in ``errors``.

    :param card_key: key of the keyed hash that replaces payment card numbers.
    :param unchanged: says which PNRs of a PNRGOV push need not be read again (see ``UnchangedPnrs``).
    """
    with collector_paused():
        return _parse(data, card_key, unchanged)


def _parse(data: bytes | str, card_key: bytes, unchanged: UnchangedPnrs | None) -> ParsedFile:
    if looks_like_xml(data):
        from gtas.parsers import pnrgov_xml

        return pnrgov_xml.parse(data, card_key=card_key)
    _load_builtin_parsers()
    try:
        document = edifact.read(data)
    except ParseError as exc:
        return ParsedFile(errors=[exc.diagnostic])
    result = ParsedFile(warnings=list(document.warnings))
    for interchange in document.interchanges:
        for raw in interchange.messages:
            parser = _PARSERS.get(raw.type)
            if parser is None:
                result.errors.append(raw.header.diagnostic(
                    f"message type {raw.type or '(none)'!r} is not supported; expected PAXLST or PNRGOV",
                    severity="error"))
                continue
            try:
                message = parser(raw, Envelope.of(interchange, raw, card_key, unchanged))
            except ParseError as exc:
                result.errors.append(exc.diagnostic)
                continue
            message.warnings[:0] = raw.warnings
            message.first_segment = raw.segments[0].index
            message.last_segment = raw.segments[-1].index
            result.messages.append(message)
    if not result.messages and not result.errors:
        result.errors.append(Diagnostic("no message could be read", severity="error"))
    return result
