"""A booking's versions as pushed: each parsed snapshot flattened to fields, what changed since the push before, and
the segments of the raw message that carried the booking."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.model import Message, PnrVersion
from gtas.parsers import edifact
from gtas.web.travellers.explain import shown

IGNORED = frozenset({"warnings"})  # parser diagnostics, not booking content
_CARD = re.compile(r"\d{12,19}")  # a card number in a form of payment


@dataclass(frozen=True, slots=True)
class Change:
    """A field that differs between two consecutive versions (a dash for a field that was or is absent)."""

    path: str
    before: str
    after: str


@dataclass(slots=True)
class Version:
    """One pushed version of the booking."""

    number: int
    version: PnrVersion
    message: Message
    fields: list[tuple[str, str]]
    text: str
    changes: list[Change] = field(default_factory=list)


def versions(session: Session, pnr_id: int, locator: str) -> list[Version]:
    """The booking's versions in the order pushed, each with its changes since the one before."""
    found: list[Version] = []
    previous: dict[str, str] | None = None
    for number, (version, message) in enumerate(session.execute(
            select(PnrVersion, Message).join(Message, Message.id == PnrVersion.message_id)
            .where(PnrVersion.pnr_id == pnr_id).order_by(PnrVersion.pushed_at, PnrVersion.id)), start=1):
        flat = flatten(version.snapshot)
        item = Version(number, version, message, list(flat.items()), BOOKING_TEXTS.text(message, locator))
        if previous is not None:
            item.changes = diff(previous, flat)
        found.append(item)
        previous = flat
    return found


def flatten(snapshot: dict[str, Any]) -> dict[str, str]:
    """Every leaf of a snapshot by its path (``travellers[1].seat``), empty values left out."""
    out: dict[str, str] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if not (path == "" and key in IGNORED):
                    walk(inner, f"{path}.{key}" if path else key)
        elif isinstance(value, list) and value and any(isinstance(item, dict | list) for item in value):
            for index, inner in enumerate(value):
                walk(inner, f"{path}[{index}]")
        elif value not in (None, "", []):
            out[path] = shown(value)

    walk(snapshot, "")
    return out


def diff(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    """The fields added, removed or changed from one flattened version to the next, in path order."""
    return [Change(path, before.get(path, "—"), after.get(path, "—"))
            for path in sorted(before.keys() | after.keys()) if before.get(path) != after.get(path)]


def booking_text(raw: bytes, locator: str) -> str:
    """The segments of a PNRGOV message that carry one booking (from its SRC to the next), card numbers masked;
    else the whole message, masked alike."""
    found = split_bookings(raw).get(locator)
    return found if found is not None else _text(edifact.read(raw), None)


def split_bookings(raw: bytes) -> dict[str, str]:
    """The text of each booking of a PNRGOV message (from its SRC to the next), card numbers masked, by every locator
    its RCI names (the first booking naming a locator has it)."""
    parsed = edifact.read(raw)
    segments = parsed.segments
    starts = [i for i, segment in enumerate(segments) if segment.tag == "SRC"]
    bookings: dict[str, str] = {}
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else next(
            (i for i in range(start, len(segments)) if segments[i].tag == "UNT"), len(segments))
        locators = {segment.get(e, 1) for segment in segments[start:end] if segment.tag == "RCI"
                    for e in range(len(segment))}
        if locators - bookings.keys():
            text = _text(parsed, range(start, end))
            bookings.update({locator: text for locator in locators if locator not in bookings})
    return bookings


class BookingTexts:
    """The bookings' texts of the last ``size`` messages read, by the message's sha256: a stored message never
    changes, and officers open several travellers of the same push one after the other. Safe across threads."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._texts: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def text(self, message: Message, locator: str) -> str:
        """What ``booking_text`` answers for the message's bytes."""
        with self._lock:
            bookings = self._texts.get(message.sha256)
            if bookings is not None:
                self._texts.move_to_end(message.sha256)
        if bookings is None:
            bookings = split_bookings(message.raw)
            with self._lock:
                self._texts[message.sha256] = bookings
                while len(self._texts) > self.size:
                    self._texts.popitem(last=False)
        found = bookings.get(locator)
        return found if found is not None else _text(edifact.read(message.raw), None)


BOOKING_TEXTS = BookingTexts()


def _text(parsed: edifact.Edifact, chosen: range | None) -> str:
    """The text of the chosen segments (all when None), one per line, card numbers masked."""
    text, segments = parsed.source.text, parsed.segments
    pieces = []
    for i in chosen if chosen is not None else range(len(segments)):
        piece = text[segments[i].offset:segments[i + 1].offset if i + 1 < len(segments) else len(text)].strip()
        pieces.append(_CARD.sub(_mask, piece) if segments[i].tag == "FOP" else piece)
    return "\n".join(pieces)


def _mask(found: re.Match[str]) -> str:
    digits = found.group(0)
    return "•" * (len(digits) - 4) + digits[-4:]
