"""A stored message's raw text as the message page shows it: numbered lines, the segments its errors and warnings
name highlighted, and control characters or wrongly encoded bytes made visible instead of passed to the browser.

The text is decoded exactly as the parsers decode it (``edifact.decode``: byte-order mark, UTF-8, else Latin-1), so
the line and column of a diagnostic point at the same character here. A highlight runs from that character to the
segment terminator (the one a UNA declares, else the apostrophe), not counting released terminators, or to the end
of the line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from gtas.parsers.edifact import decode

MAX_CHARACTERS = 300_000  # longer texts are shown up to here, with a note
DEFAULT_TERMINATOR, DEFAULT_RELEASE = "'", "?"
_UNA = re.compile(r"UNA(.{6})", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of one line's text: plain, a control character made visible, or part of a highlighted segment."""

    text: str
    control: bool = False
    notes: tuple[int, ...] = ()  # numbers (1-based) of the diagnostics that name this text
    severity: str = ""  # "error" when one of them is an error, else "warning"


@dataclass(slots=True)
class Line:
    """One numbered line of the raw text."""

    number: int
    pieces: list[Piece] = field(default_factory=list)

    @property
    def marked(self) -> bool:
        """Whether a diagnostic names part of this line."""
        return any(piece.notes for piece in self.pieces)


@dataclass(slots=True)
class RawText:
    """The lines to show and what the reader must know about the text as a whole."""

    lines: list[Line]
    notes: list[str]


@dataclass(frozen=True, slots=True)
class _Span:
    line: int
    start: int  # 0-based columns of the line, end excluded
    end: int
    note: int
    severity: str


def service_characters(text: str) -> tuple[str, str]:
    """The segment terminator and release character a UNA declares, else the defaults."""
    found = _UNA.search(text[:2000])
    if found is None:
        return DEFAULT_TERMINATOR, DEFAULT_RELEASE
    chars = found.group(1)
    return chars[5], chars[3] if chars[3].strip() else ""


def segment_end(line: str, start: int, terminator: str, release: str) -> int:
    """Where the segment starting at ``start`` of the line ends: after its terminator, else at the line's end."""
    position = start
    while (found := line.find(terminator, position)) >= 0:
        if not release or found == 0 or line[found - 1] != release:
            return found + len(terminator)
        position = found + 1
    return len(line)


def _spans(lines: Sequence[str], diagnostics: Sequence[dict[str, Any]], terminator: str,
           release: str) -> dict[int, list[_Span]]:
    """The highlighted runs of each line (0-based line index), one per diagnostic that has a position."""
    spans: dict[int, list[_Span]] = defaultdict(list)
    for number, diagnostic in enumerate(diagnostics, start=1):
        line, column = diagnostic.get("line"), diagnostic.get("column")
        if not isinstance(line, int) or not 1 <= line <= len(lines):
            continue
        text = lines[line - 1]
        start = min(max((column if isinstance(column, int) else 1) - 1, 0), len(text))
        end = max(segment_end(text, start, terminator, release), start + 1)
        severity = "error" if diagnostic.get("severity") == "error" else "warning"
        spans[line - 1].append(_Span(line - 1, start, min(end, len(text)), number, severity))
    return spans


def visible(text: str) -> list[Piece]:
    """Plain text split into pieces, each control character (C0, DEL, C1) as a visible symbol of its own."""
    pieces: list[Piece] = []
    plain: list[str] = []
    for character in text:
        if character != "\t" and unicodedata.category(character) == "Cc":
            if plain:
                pieces.append(Piece("".join(plain)))
                plain = []
            code = ord(character)
            shown = chr(0x2400 + code) if code < 0x20 else "␡" if code == 0x7F else f"\\x{code:02x}"
            pieces.append(Piece(shown, control=True))
        else:
            plain.append(character)
    if plain:
        pieces.append(Piece("".join(plain)))
    return pieces


def _pieces(text: str, spans: Sequence[_Span]) -> list[Piece]:
    """A line cut at the edges of its highlighted runs; each run carries the diagnostics covering it."""
    edges = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    pieces: list[Piece] = []
    for start, end in pairwise(edges):
        covering = [s for s in spans if s.start <= start and end <= s.end]
        notes = tuple(s.note for s in covering)
        severity = ("error" if any(s.severity == "error" for s in covering) else "warning") if covering else ""
        for piece in visible(text[start:end]):
            pieces.append(Piece(piece.text, piece.control, notes, severity))
    return pieces


def raw_text(data: bytes, diagnostics: Sequence[dict[str, Any]]) -> RawText:
    """The message's text as numbered lines with the diagnostics' segments highlighted."""
    text, warnings = decode(data)
    notes = [str(warning.message) for warning in warnings]
    if len(text) > MAX_CHARACTERS:
        notes.append(f"the text has {len(text):,} characters; the first {MAX_CHARACTERS:,} are shown")
        text = text[:MAX_CHARACTERS]
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if len(lines) > 1 and not lines[-1]:
        lines.pop()
    terminator, release = service_characters(text)
    spans = _spans(lines, diagnostics, terminator, release)
    return RawText([Line(index + 1, _pieces(line, spans.get(index, []))) for index, line in enumerate(lines)], notes)
