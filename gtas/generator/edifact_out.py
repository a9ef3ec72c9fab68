"""Writing EDIFACT: segments with release characters applied, and the UNA/UNB/UNG … UNE/UNZ envelope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from gtas.parsers.edifact import DEFAULT_CHARS, ServiceChars

Element = str | Sequence[str | None] | None


class SegmentWriter:
    """Collects the segments of one message; trailing empty components and elements are left out."""

    __slots__ = ("_comp", "_elem", "_table", "_term", "chars", "segments")

    def __init__(self, chars: ServiceChars = DEFAULT_CHARS) -> None:
        self.chars = chars
        specials = [chars.release, chars.component, chars.element, chars.terminator]
        if not chars.repetition.isspace():
            specials.append(chars.repetition)
        self._table = str.maketrans({c: chars.release + c for c in dict.fromkeys(specials)})
        self._comp, self._elem, self._term = chars.component, chars.element, chars.terminator
        self.segments: list[str] = []

    def escape(self, value: str) -> str:
        return value.translate(self._table)

    def add(self, tag: str, *elements: Element) -> None:
        """Append one segment; an element is a value, a sequence of component values, or None (empty)."""
        out = [tag]
        table = self._table
        for element in elements:
            if element is None:
                out.append("")
            elif isinstance(element, str):
                out.append(element.translate(table))
            else:
                parts = [c.translate(table) if c else "" for c in element]
                while parts and not parts[-1]:
                    parts.pop()
                out.append(self._comp.join(parts))
        while len(out) > 1 and not out[-1]:
            out.pop()
        self.segments.append(self._elem.join(out))

    def __len__(self) -> int:
        return len(self.segments)


@dataclass(frozen=True, slots=True)
class Envelope:
    """Interchange and group headers of one interchange."""

    syntax: tuple[str, str]  # UNB S001: ("UNOA", "4") or ("IATA", "1")
    sender: str
    recipient: str
    prepared: datetime
    reference: str
    message_type: str  # UNG 0038
    agency: str  # UNG 0051: UN or IA
    version: tuple[str, str]  # UNG S008: ("D", "05B") or ("13", "1")


def interchange(envelope: Envelope, messages: list[SegmentWriter], chars: ServiceChars = DEFAULT_CHARS) -> str:
    """UNA, UNB, UNG, the messages (each already UNH … UNT), UNE and UNZ, one segment per line."""
    head = SegmentWriter(chars)
    stamp = (f"{envelope.prepared:%y%m%d}", f"{envelope.prepared:%H%M}")
    head.add("UNB", envelope.syntax, envelope.sender, envelope.recipient, stamp, envelope.reference)
    head.add("UNG", envelope.message_type, envelope.sender, envelope.recipient, stamp, envelope.reference,
             envelope.agency, envelope.version)
    tail = SegmentWriter(chars)
    tail.add("UNE", str(len(messages)), envelope.reference)
    tail.add("UNZ", "1", envelope.reference)
    una = "UNA" + "".join((chars.component, chars.element, chars.decimal, chars.release, chars.repetition,
                           chars.terminator))
    separator = chars.terminator if chars.terminator == "\n" else chars.terminator + "\n"
    lines = list(head.segments)
    for message in messages:
        lines.extend(message.segments)
    lines.extend(tail.segments)
    return una + "\n" + separator.join(lines) + separator


def close_message(message: SegmentWriter, reference: str) -> None:
    """Append UNT with the count of segments from UNH to UNT inclusive."""
    message.add("UNT", str(len(message) + 1), reference)
