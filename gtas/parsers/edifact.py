"""EDIFACT tokenizer for what airlines really send.

Reads bytes or text into interchanges of messages of segments, each segment with its index, line and column.
It takes the service characters from UNA when UNA agrees with the text, and otherwise from the text itself; it
strips telex headers, MQ log prefixes and trailing junk around the interchange; it tolerates CR/LF, indentation and
several segments per line; and it reports every oddity as a :class:`Diagnostic` instead of failing.

The repetition separator is never split on: PNRGOV declares one but does not use it, and in PAXLST the few
repeatable values are read as data.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from gtas.parsers.records import Diagnostic, ParseError

__all__ = [
    "DEFAULT_CHARS",
    "Edifact",
    "EdifactMessage",
    "Interchange",
    "Segment",
    "ServiceChars",
    "decode",
    "read",
]

MAX_SEGMENT_COUNT_WARNINGS = 50  # stop repeating the same kind of warning after this many


@dataclass(slots=True, frozen=True)
class ServiceChars:
    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = "*"
    terminator: str = "'"

    def __str__(self) -> str:
        return "".join(
            (self.component, self.element, self.decimal, self.release, self.repetition, self.terminator)
        ).replace("\n", "\\n")


DEFAULT_CHARS = ServiceChars()

# Placeholders for released service characters (Unicode private use area). A text that already contains one is
# tokenized with other placeholders, see _placeholders().
_PLACEHOLDER_BASE = 0xF0000


class Source:
    """The decoded text of a file; turns character offsets into line and column numbers on demand."""

    __slots__ = ("_newlines", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines: list[int] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1


class Segment:
    """One segment: its tag and raw elements; components are split (and released) on access.

    ``get(e, c)`` reads component ``c`` of data element ``e`` (0-based, the tag not counted), ``''`` when absent.
    """

    __slots__ = ("_comp", "_unescape", "elements", "index", "offset", "source", "tag")

    def __init__(
        self,
        tag: str,
        elements: list[str],
        index: int,
        offset: int,
        source: Source,
        component: str,
        unescape: dict[str, str] | None,
    ) -> None:
        self.tag = tag
        self.elements = elements
        self.index = index
        self.offset = offset
        self.source = source
        self._comp = component
        self._unescape = unescape

    @property
    def line(self) -> int:
        return self.source.position(self.offset)[0]

    @property
    def column(self) -> int:
        return self.source.position(self.offset)[1]

    def __len__(self) -> int:
        return len(self.elements)

    def get(self, element: int, component: int = 0) -> str:
        elements = self.elements
        if element >= len(elements):
            return ""
        value = elements[element]
        if self._comp in value:
            parts = value.split(self._comp)
            value = parts[component] if component < len(parts) else ""
        elif component:
            return ""
        if self._unescape is not None:
            value = self._release(value)
        return value

    def components(self, element: int) -> list[str]:
        if element >= len(self.elements):
            return []
        parts = self.elements[element].split(self._comp)
        if self._unescape is not None:
            parts = [self._release(p) for p in parts]
        return parts

    def composite(self) -> list[list[str]]:
        """Every element as its list of components, released: what pydifact calls the segment's elements."""
        return [self.components(i) for i in range(len(self.elements))]

    def _release(self, value: str) -> str:
        assert self._unescape is not None
        for placeholder, char in self._unescape.items():
            if placeholder in value:
                value = value.replace(placeholder, char)
        return value

    def raw_text(self, chars: ServiceChars) -> str:
        """The segment written back with the given separators (for display; releases re-applied)."""
        out = []
        specials = {chars.component, chars.element, chars.release, chars.terminator, chars.repetition}
        for comps in self.composite():
            out.append(
                chars.component.join(
                    "".join(chars.release + ch if ch in specials else ch for ch in comp) for comp in comps
                )
            )
        return chars.element.join([self.tag, *out]) + chars.terminator

    def diagnostic(self, message: str, severity: str = "warning") -> Diagnostic:
        line, column = self.source.position(self.offset)
        return Diagnostic(
            message=message,
            segment=self.index,
            line=line,
            column=column,
            tag=self.tag,
            severity="error" if severity == "error" else "warning",
        )

    def __repr__(self) -> str:
        return f"Segment({self.tag!r}, {self.composite()!r}, index={self.index})"


@dataclass(slots=True)
class EdifactMessage:
    """UNH … UNT (or as much of it as arrived)."""

    segments: list[Segment]
    header: Segment
    trailer: Segment | None
    group: Segment | None  # the UNG the message sits in, if any
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def type(self) -> str:
        return self.header.get(1, 0).strip().upper()

    @property
    def body(self) -> list[Segment]:
        """The segments between UNH and UNT."""
        end = len(self.segments) - (1 if self.trailer is not None else 0)
        return self.segments[1:end]


@dataclass(slots=True)
class Interchange:
    chars: ServiceChars
    header: Segment | None  # UNB; None for a headless fragment
    messages: list[EdifactMessage] = field(default_factory=list)
    trailer: Segment | None = None
    segments: list[Segment] = field(default_factory=list)
    end: int = 0  # offset just after the interchange's last segment


@dataclass(slots=True)
class Edifact:
    source: Source
    interchanges: list[Interchange]
    segments: list[Segment]
    warnings: list[Diagnostic]

    @property
    def messages(self) -> Iterator[EdifactMessage]:
        for interchange in self.interchanges:
            yield from interchange.messages


# --------------------------------------------------------------------------------------------------- decoding


def decode(data: bytes | str) -> tuple[str, list[Diagnostic]]:
    """Bytes to text: BOM-aware, UTF-8, else Latin-1 (which cannot fail). Never raises."""
    if isinstance(data, str):
        return data.lstrip("\ufeff"), []
    warnings: list[Diagnostic] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), [Diagnostic("file is UTF-16 encoded; read as UTF-16")]
        except UnicodeDecodeError:
            warnings.append(Diagnostic("file starts with a UTF-16 byte-order mark but is not UTF-16"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("latin-1")
        warnings.append(Diagnostic(f"not valid UTF-8 (byte {exc.start}); read as Latin-1"))
    if "\x00" in text:
        warnings.append(Diagnostic("file contains NUL characters; they were removed"))
        text = text.replace("\x00", "")
    return text, warnings


# ------------------------------------------------------------------------------------------ service characters

_START = re.compile(r"UN[ABH](?![A-Z0-9])|UNA")
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
_LITERAL_LINE_BREAK = re.compile(r"^(?:\s|\\[rn])+")


def _find_start(text: str, pos: int) -> re.Match[str] | None:
    """The next UNA, UNB or (for a headless fragment) UNH at a plausible segment start."""
    for m in _START.finditer(text, pos):
        before = text[m.start() - 1] if m.start() else "\n"
        if before.isalnum():
            continue  # inside a word such as "RUNABOUT"
        return m
    return None


def _infer_chars(text: str, start: int, declared: ServiceChars | None) -> tuple[ServiceChars, list[str]]:
    """Work out the separators the interchange at ``start`` really uses.

    ``start`` points at UNB or UNH. The character after the tag is the element separator; in UNB the character
    after the syntax identifier (UNOA, IATA …) is the component separator; the segment terminator is the first
    non-blank character before the next segment tag. Declared values are kept where the text agrees with them.
    """
    notes: list[str] = []
    base = declared or DEFAULT_CHARS
    element = text[start + 3 : start + 4] or base.element
    component = base.component
    m = re.compile(r"[A-Z]{4}(.)").match(text, start + 4)
    if text.startswith("UNB", start) and m:
        component = m.group(1)
    # Terminator: what precedes the next header tag (UNG/UNH/BGM/MSG …), skipping blanks.
    terminator = base.terminator
    nxt = re.compile(r"(U(?:NG|NH)|BGM|MSG|ORG|TVL|TDT)" + re.escape(element)).search(text, start + 4)
    if nxt:
        k = nxt.start() - 1
        while k > start:
            if text[k] in " \t\r\n" and not (text[k] == "\n" and base.terminator == "\n"):
                k -= 1
            elif text[k - 1 : k + 1] in ("\\r", "\\n"):
                k -= 2  # a literal "\r" written into a log line
            else:
                break
        candidate = text[k]
        if text[k] == "\n" or candidate.isalnum():
            candidate = "\n"  # segments end at line breaks
        terminator = candidate
    release = base.release
    agrees = declared is not None and (component, element, terminator) == (
        declared.component, declared.element, declared.terminator)
    if declared is not None and not agrees:
        release = _used_release(text, start, (component, element, terminator, base.repetition), declared.release)
    chars = ServiceChars(component, element, base.decimal, release, base.repetition, terminator)
    if declared is not None and chars != declared:
        notes.append(f"UNA declares service characters {declared} but the text uses {chars}; using the text's")
    return chars, notes


def _used_release(text: str, start: int, specials: tuple[str, ...], declared: str) -> str:
    """The release character a text with a broken UNA really uses: ``?`` unless only the declared one is seen
    before service characters."""
    body = text[start:]
    for candidate in ("?", declared):
        if candidate.isalnum() or candidate.isspace():
            continue
        if any(candidate + ch in body for ch in specials if ch != candidate):
            return candidate
    return "?"


def _read_una(text: str, pos: int) -> tuple[ServiceChars | None, int, str | None]:
    """Parse a UNA at ``pos``: (declared characters or None if unusable, offset after it, problem)."""
    body = text[pos + 3 : pos + 9]
    if len(body) < 6:
        return None, len(text), "UNA is truncated"
    chars = ServiceChars(*body)
    seps = (chars.component, chars.element, chars.release, chars.terminator)
    problem = None
    if len(set(seps)) < 4:
        problem = f"UNA {body!r} declares the same character twice"
    elif any(c.isalnum() for c in (*seps, chars.decimal)):
        problem = f"UNA {body!r} declares a letter or digit as a service character"
    # A 5-character UNA: the next segment tag starts inside the six declared characters.
    after = pos + 9
    tag_at = text.find("UNB", pos + 3, pos + 12)
    if tag_at != -1 and tag_at < after:
        problem = f"UNA has {tag_at - pos - 3} service characters instead of 6"
        after = tag_at
    if problem:
        return None, after, problem
    return chars, after, None


# ----------------------------------------------------------------------------------------------- tokenizing


def _placeholders(text: str, chars: ServiceChars) -> dict[str, str]:
    """Map each releasable character to a private-use placeholder that does not occur in the text."""
    specials = dict.fromkeys([chars.release, chars.component, chars.element, chars.terminator, chars.repetition])
    base = _PLACEHOLDER_BASE
    while True:
        mapping = {ch: chr(base + i) for i, ch in enumerate(specials)}
        if not any(p in text for p in mapping.values()):
            return mapping
        base += 16


class _Tokenizer:
    """Splits one interchange's text into segments with positions; stops after UNZ."""

    def __init__(self, source: Source, chars: ServiceChars, first_index: int) -> None:
        self.source = source
        self.chars = chars
        self.index = first_index
        self.warnings: list[Diagnostic] = []
        self.segments: list[Segment] = []
        self._escape: dict[str, str] | None = None
        self._unescape: dict[str, str] | None = None
        self._bad_tags = 0

    def run(self, pos: int) -> int:
        """Tokenize from ``pos``; return the offset after the UNZ (or the end of text)."""
        text = self.source.text
        n = len(text)
        chars = self.chars
        term, elem, comp, rel = chars.terminator, chars.element, chars.component, chars.release
        segments = self.segments
        source = self.source
        has_release = rel in text
        while pos < n:
            end = text.find(term, pos)
            if end == -1:
                end = n
            elif has_release:
                while end != -1 and text[end - 1] == rel and _released(text, end, rel, pos):
                    end = text.find(term, end + 1)
                if end == -1:
                    end = n
            raw = text[pos:end]
            start = pos
            pos = end + len(term)
            if not raw or raw[0] in " \t\r\n\\":
                stripped = _LITERAL_LINE_BREAK.sub("", raw)
                start += len(raw) - len(stripped)
                raw = stripped
            if term != "\n" and raw.endswith(("\r", "\n", " ", "\t")):
                raw = raw.rstrip("\r\n\t ")
            elif raw.endswith("\r"):
                raw = raw[:-1]
            if not raw:
                continue
            unescape = None
            if has_release and rel in raw:
                raw, unescape = self._protect(raw)
            elements = raw.split(elem)
            tag = elements[0]
            if comp in tag:
                tag = tag.split(comp, 1)[0]
            if len(tag) != 3 or not _TAG.fullmatch(tag):
                fixed = tag.strip().upper()
                if _TAG.fullmatch(fixed):
                    tag = fixed
                else:
                    self._bad_tag(raw, start)
                    continue
            del elements[0]
            if (tag == "UNA" or tag == "UNB") and segments:
                return start  # a new interchange begins although this one was not closed by UNZ
            segments.append(Segment(tag, elements, self.index, start, source, comp, unescape))
            self.index += 1
            if tag == "UNZ":
                return pos
        return n

    def _protect(self, raw: str) -> tuple[str, dict[str, str]]:
        """Replace released characters by placeholders so that plain splitting is correct."""
        if self._escape is None:
            self._escape = _placeholders(self.source.text, self.chars)
            self._unescape = {p: ch for ch, p in self._escape.items()}
        rel = self.chars.release
        escape = self._escape
        out: list[str] = []
        i = 0
        while True:
            j = raw.find(rel, i)
            if j == -1 or j + 1 >= len(raw):
                out.append(raw[i:])
                break
            out.append(raw[i:j])
            nxt = raw[j + 1]
            if nxt in escape:
                out.append(escape[nxt])
            else:
                out.append(rel + nxt)  # a release character before ordinary data is kept as data
            i = j + 2
        assert self._unescape is not None
        return "".join(out), self._unescape

    def _bad_tag(self, raw: str, offset: int) -> None:
        self._bad_tags += 1
        if self._bad_tags <= MAX_SEGMENT_COUNT_WARNINGS:
            line, column = self.source.position(offset)
            shown = raw[:40] + ("…" if len(raw) > 40 else "")
            self.warnings.append(
                Diagnostic(f"not a segment (no valid tag), skipped: {shown!r}", None, line, column, None)
            )


def _released(text: str, end: int, rel: str, floor: int) -> bool:
    """Whether the terminator at ``end`` is preceded by an odd number of release characters."""
    k = end - 1
    while k >= floor and text[k] == rel:
        k -= 1
    return (end - 1 - k) % 2 == 1


# -------------------------------------------------------------------------------------------------- reading


def read(data: bytes | str) -> Edifact:
    """Read a whole file: every interchange, every message, with positions and warnings.

    :raises ParseError: when the text holds no EDIFACT at all.
    """
    text, warnings = decode(data)
    source = Source(text)
    interchanges: list[Interchange] = []
    segments: list[Segment] = []
    pos = 0
    while True:
        m = _find_start(text, pos)
        if m is None:
            break
        junk = text[pos : m.start()]
        if junk.strip():
            line, column = source.position(pos)
            where = "before the interchange" if not interchanges else "between interchanges"
            warnings.append(
                Diagnostic(f"ignored {len(junk.strip())} characters of non-EDIFACT text {where}: "
                           f"{_shorten(junk)}", None, line, column)
            )
        start = m.start()
        declared = None
        if m.group() == "UNA":
            declared, after, problem = _read_una(text, start)
            if problem:
                line, column = source.position(start)
                warnings.append(Diagnostic(f"{problem}; using the separators the text uses", None, line, column,
                                           "UNA"))
            body = _find_start(text, after)
            if body is None:
                line, column = source.position(start)
                warnings.append(Diagnostic("UNA is not followed by any segment", None, line, column, "UNA"))
                pos = after
                break
            start = body.start()
        chars, notes = _infer_chars(text, start, declared)
        for note in notes:
            line, column = source.position(start)
            warnings.append(Diagnostic(note, None, line, column, "UNA"))
        tokenizer = _Tokenizer(source, chars, len(segments))
        pos = tokenizer.run(start)
        warnings.extend(tokenizer.warnings)
        segments.extend(tokenizer.segments)
        interchange = _assemble(tokenizer.segments, chars, warnings)
        interchange.end = pos
        interchanges.append(interchange)
    tail = text[pos:]
    if interchanges and tail.strip():
        line, column = source.position(pos)
        warnings.append(Diagnostic(f"ignored {len(tail.strip())} characters after the interchange: "
                                   f"{_shorten(tail)}", None, line, column))
    if not any(i.messages for i in interchanges):
        if not segments:
            raise ParseError(Diagnostic("no EDIFACT segments found (no UNA, UNB or UNH)", severity="error"))
        first = segments[0]
        raise ParseError(first.diagnostic("no message found: no UNH segment", severity="error"))
    return Edifact(source, interchanges, segments, warnings)


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _assemble(segments: list[Segment], chars: ServiceChars, warnings: list[Diagnostic]) -> Interchange:
    """Group segments into UNB, messages (UNH…UNT) and UNZ, checking counts and references."""
    interchange = Interchange(chars=chars, header=None, segments=segments)
    group: Segment | None = None
    current: list[Segment] | None = None
    groups = 0
    group_messages = 0
    stray = 0

    def close(trailer: Segment | None) -> None:
        nonlocal current, group_messages
        assert current is not None
        message = EdifactMessage(current, current[0], trailer, group)
        _check_trailer(message)
        interchange.messages.append(message)
        group_messages += 1
        current = None

    for seg in segments:
        tag = seg.tag
        if tag == "UNH":
            if current is not None:
                close(None)
                interchange.messages[-1].warnings.append(
                    seg.diagnostic("previous message has no UNT; it ends where this UNH begins")
                )
            current = [seg]
        elif current is not None:
            current.append(seg)
            if tag == "UNT":
                close(seg)
        elif tag == "UNB":
            if interchange.header is None:
                interchange.header = seg
            else:
                warnings.append(seg.diagnostic("second UNB inside one interchange ignored"))
        elif tag == "UNG":
            group = seg
            groups += 1
            group_messages = 0
        elif tag == "UNE":
            _check_count(seg, group_messages, "messages in the group", warnings)
            if group is not None and seg.get(1) and seg.get(1) != group.get(4):
                warnings.append(seg.diagnostic(f"UNE reference {seg.get(1)!r} does not match UNG "
                                               f"reference {group.get(4)!r}"))
            group = None
        elif tag == "UNZ":
            interchange.trailer = seg
            expected = groups or len(interchange.messages)
            _check_count(seg, expected, "groups" if groups else "messages", warnings)
            header = interchange.header
            if header is not None and seg.get(1) and seg.get(1).strip() != header.get(4).strip():
                warnings.append(seg.diagnostic(f"UNZ reference {seg.get(1)!r} does not match UNB "
                                               f"reference {header.get(4)!r}"))
        else:
            stray += 1
            if stray <= MAX_SEGMENT_COUNT_WARNINGS:
                warnings.append(seg.diagnostic(f"{tag} segment outside a message (before UNH or after UNT); "
                                               f"ignored"))
    if current is not None:
        close(None)
        last = interchange.messages[-1]
        last.warnings.append(last.segments[-1].diagnostic("message ends without UNT: truncated"))
    if interchange.header is not None and interchange.trailer is None and interchange.messages:
        warnings.append(interchange.messages[-1].segments[-1].diagnostic("interchange ends without UNZ"))
    return interchange


def _check_trailer(message: EdifactMessage) -> None:
    trailer = message.trailer
    if trailer is None:
        return
    _check_count(trailer, len(message.segments), "segments from UNH to UNT", message.warnings)
    if trailer.get(1).strip() != message.header.get(0).strip():
        message.warnings.append(trailer.diagnostic(
            f"UNT reference {trailer.get(1)!r} does not match UNH reference {message.header.get(0)!r}"))


def _check_count(seg: Segment, actual: int, what: str, warnings: list[Diagnostic]) -> None:
    declared = seg.get(0).strip()
    if not declared:
        warnings.append(seg.diagnostic(f"{seg.tag} gives no count of {what} (counted {actual})"))
    elif not declared.isdigit() or int(declared) != actual:
        warnings.append(seg.diagnostic(f"{seg.tag} says {declared} {what}, counted {actual}"))
