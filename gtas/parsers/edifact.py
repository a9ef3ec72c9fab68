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
from typing import Final

from gtas.numbers import whole_number
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

MAX_SEGMENT_COUNT_WARNINGS: Final = 50  # stop repeating the same kind of warning after this many


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


DEFAULT_CHARS: Final = ServiceChars()

# Placeholders for released service characters (Unicode private use area). A text that already contains one is
# tokenized with other placeholders, see _placeholders().
_PLACEHOLDER_BASE: Final = 0xF0000


class Source:
    """The decoded text of a file; turns character offsets into line and column numbers on demand."""

    __slots__ = ("_lookups", "_newlines", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines: list[int] | None = None
        self._lookups = 0

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        newlines = self._newlines
        if newlines is None:
            self._lookups += 1
            if self._lookups <= 16:  # a few look-ups: counting is cheaper than indexing every line
                line = self.text.count("\n", 0, offset)
                start = self.text.rfind("\n", 0, offset) + 1
                return line + 1, offset - start + 1
            newlines = self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(newlines, offset)
        start = newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1


class _Context:
    """What every segment of one interchange shares: the source text, the element and component separators."""

    __slots__ = ("component", "element", "source")

    def __init__(self, source: Source, element: str, component: str) -> None:
        self.source = source
        self.element = element
        self.component = component


class Segment:
    """One segment: its tag and raw elements; elements are split on first access, components on each access.

    ``get(e, c)`` reads component ``c`` of data element ``e`` (0-based, the tag not counted), ``''`` when absent.
    A segment keeps the text it was cut from (``text[body:stop]`` are its elements; ``body`` is -1 when it has
    none): most segments of a push belong to PNRs that are skipped as unchanged, and are never split at all.
    """

    __slots__ = ("_body", "_ctx", "_elements", "_stop", "_text", "index", "offset", "tag")

    def __init__(self, tag: str, text: str, body: int, stop: int, index: int, offset: int, ctx: _Context) -> None:
        self.tag = tag
        self._text = text
        self._body = body
        self._stop = stop
        self._elements: list[str] | None = None
        self.index = index
        self.offset = offset
        self._ctx = ctx

    @property
    def elements(self) -> list[str]:
        """The raw data elements after the tag."""
        elements = self._elements
        if elements is None:
            elements = [] if self._body < 0 else self._text[self._body:self._stop].split(self._ctx.element)
            self._elements = elements
        return elements

    @property
    def source(self) -> Source:
        return self._ctx.source

    @property
    def line(self) -> int:
        return self._ctx.source.position(self.offset)[0]

    @property
    def column(self) -> int:
        return self._ctx.source.position(self.offset)[1]

    def __len__(self) -> int:
        return len(self.elements)

    def get(self, element: int, component: int = 0) -> str:
        elements = self.elements
        if element >= len(elements):
            return ""
        value = elements[element]
        comp = self._ctx.component
        start = 0
        for _ in range(component):  # skip to the wanted component without splitting the whole element
            start = value.find(comp, start)
            if start < 0:
                return ""
            start += len(comp)
        end = value.find(comp, start)
        return value[start:] if end < 0 else value[start:end]

    def components(self, element: int) -> list[str]:
        if element >= len(self.elements):
            return []
        return self.elements[element].split(self._ctx.component)

    def text(self, element: int) -> str:
        """Data element ``element`` as sent, its components joined by ``:``; ``''`` when absent."""
        if element >= len(self.elements):
            return ""
        comp = self._ctx.component
        value = self.elements[element]
        return value if comp == ":" else value.replace(comp, ":")

    def composite(self) -> list[list[str]]:
        """Every element as its list of components: what pydifact calls the segment's elements."""
        return [self.components(i) for i in range(len(self.elements))]

    def diagnostic(self, message: str, severity: str = "warning") -> Diagnostic:
        line, column = self._ctx.source.position(self.offset)
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


class ReleasedSegment(Segment):
    """A segment that held release characters: its values come back with the released characters restored."""

    __slots__ = ("_unescape",)

    def __init__(self, tag: str, text: str, body: int, stop: int, index: int, offset: int, ctx: _Context,
                 unescape: dict[str, str]) -> None:
        super().__init__(tag, text, body, stop, index, offset, ctx)
        self._unescape = unescape

    def get(self, element: int, component: int = 0) -> str:
        return self._release(super().get(element, component))

    def components(self, element: int) -> list[str]:
        return [self._release(p) for p in super().components(element)]

    def text(self, element: int) -> str:
        return self._release(super().text(element))

    def _release(self, value: str) -> str:
        for placeholder, char in self._unescape.items():
            if placeholder in value:
                value = value.replace(placeholder, char)
        return value


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
    text, warnings = (data.lstrip("\ufeff"), []) if isinstance(data, str) else _text(data)
    if "\x00" in text:
        warnings.append(Diagnostic("file contains NUL characters; they were removed"))
        text = text.replace("\x00", "")
    return text, warnings


def _text(data: bytes) -> tuple[str, list[Diagnostic]]:
    """The text of the bytes, by their byte-order mark, else UTF-8, else Latin-1 (which cannot fail)."""
    warnings: list[Diagnostic] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), [Diagnostic("file is UTF-16 encoded; read as UTF-16")]
        except UnicodeDecodeError:
            warnings.append(Diagnostic("file starts with a UTF-16 byte-order mark but is not UTF-16"))
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError as exc:
        return data.decode("latin-1"), [*warnings, Diagnostic(f"not valid UTF-8 (byte {exc.start}); read as Latin-1")]


# ------------------------------------------------------------------------------------------ service characters

_START: Final = re.compile(r"UN[ABH](?![A-Z0-9])|UNA")
_INTERCHANGE_STARTS: Final = frozenset(("UNA", "UNB"))
_SERVICE_TAGS: Final = frozenset(("UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"))
_UNZ_PATTERNS: Final[dict[ServiceChars, re.Pattern[str]]] = {}
# Tags already known to be valid: a set lookup instead of a pattern match for every segment.
_KNOWN_TAGS: Final[set[str]] = set()
_TAG: Final = re.compile(r"[A-Z][A-Z0-9]{2}")
_LEADING: Final = frozenset(" \t\r\n\\")
_TRAILING: Final = frozenset(" \t\r\n")
_LITERAL_LINE_BREAK: Final = re.compile(r"(?:\s|\\[rn])+")  # "\r" written out in a log line, and blanks


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
        self.service: list[int] = []  # positions in self.segments of the service segments (UNB, UNH, UNT …)
        self._escape: dict[str, str] | None = None
        self._unescape: dict[str, str] | None = None
        self._bad_tags = 0

    def run(self, pos: int) -> int:
        """Tokenize from ``pos``; return the offset after the UNZ (or the end of text)."""
        text = self.source.text
        chars = self.chars
        term, elem, comp, rel = chars.terminator, chars.element, chars.component, chars.release
        end = self._interchange_end(pos)
        segments = self.segments
        append = segments.append
        ctx = _Context(self.source, elem, comp)
        service = self.service
        index = self.index
        known = _KNOWN_TAGS
        line_term = term == "\n"
        has_release = rel in text
        offset = pos
        step = len(term)
        for raw in self._pieces(pos, end):
            start = offset
            offset += len(raw) + step
            first, stop = 0, len(raw)  # the segment is raw[first:stop]: blanks around it left out, not copied
            if raw[:1] in _LEADING:
                while first < stop and raw[first].isspace():
                    first += 1
                if raw[first:first + 1] == "\\":
                    blank = _LITERAL_LINE_BREAK.match(raw, first)
                    if blank is not None:
                        first = blank.end()
            if raw[stop - 1:stop] in _TRAILING:
                while stop > first and (raw[stop - 1] == "\r" if line_term else raw[stop - 1].isspace()):
                    stop -= 1
            if first == stop:
                continue
            start += first
            unescape = None
            protected, begin, end_at = raw, first, stop
            if has_release and raw.find(rel, first, stop) >= 0:
                protected, unescape = self._protect(raw[first:stop])
                begin, end_at = 0, len(protected)
            cut = protected.find(elem, begin, end_at)
            tag = protected[begin:cut] if cut >= 0 else protected[begin:end_at]
            body = cut + len(elem) if cut >= 0 else -1
            if tag not in known:
                valid = _valid_tag(tag, comp)
                if valid is None:
                    self._bad_tag(raw[first:stop], start)
                    continue
                tag = valid
            if tag in _SERVICE_TAGS:
                if tag in _INTERCHANGE_STARTS and segments:
                    self.index = index
                    return start  # a new interchange begins although this one was not closed by UNZ
                service.append(len(segments))
            if unescape is None:
                append(Segment(tag, raw, body, stop, index, start, ctx))
            else:
                append(ReleasedSegment(tag, protected, body, end_at, index, start, ctx, unescape))
            index += 1
            if tag == "UNZ":
                self.index = index
                return min(offset, len(text))
        self.index = index
        return end

    def _interchange_end(self, pos: int) -> int:
        """Offset just after the first UNZ segment from ``pos`` (or the end of the text)."""
        chars = self.chars
        pattern = _UNZ_PATTERNS.get(chars)
        if pattern is None:
            term, elem = re.escape(chars.terminator), re.escape(chars.element)
            pattern = _UNZ_PATTERNS[chars] = re.compile(f"{term}(?:\\s|\\\\[rn])*UNZ(?:{elem}|{term})")
        text = self.source.text
        # The pattern starts with the terminator, which ends every segment: searching for it from ``pos`` would try
        # a match at each one. A match needs a "UNZ", so the search starts where one could begin before the first.
        first = text.find("UNZ", pos)
        if first < 0:
            return len(text)
        while first > pos and (text[first - 1].isspace() or text[first - 1] in "\\rn"):
            first -= 1
        m = pattern.search(text, max(pos, first - len(chars.terminator)))
        if m is None:
            return len(text)
        stop = text.find(chars.terminator, m.end() - 1 if m.group().endswith(chars.terminator) else m.end())
        while stop != -1 and _released(text, stop, chars.release, m.end()):
            stop = text.find(chars.terminator, stop + 1)
        return len(text) if stop == -1 else stop + len(chars.terminator)

    def _pieces(self, pos: int, end: int) -> list[str]:
        """The text between ``pos`` and ``end`` cut at every terminator that is not released."""
        text = self.source.text
        term, rel = self.chars.terminator, self.chars.release
        region = text[pos:end]
        if rel + term not in region:
            return region.split(term)
        pieces = []
        start = 0
        search = 0
        while True:
            cut = region.find(term, search)
            if cut == -1:
                pieces.append(region[start:])
                return pieces
            if cut and region[cut - 1] == rel and _released(region, cut, rel, start):
                search = cut + 1
                continue
            pieces.append(region[start:cut])
            start = search = cut + len(term)

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


def _valid_tag(tag: str, component: str) -> str | None:
    """The segment tag in ``tag`` (``TAG`` or ``TAG:1:2``), upper-cased; None when it is not a tag."""
    if component in tag:
        tag = tag.split(component, 1)[0]
    tag = tag.strip().upper()
    if not _TAG.fullmatch(tag):
        return None
    if len(_KNOWN_TAGS) < 4096:
        _KNOWN_TAGS.add(tag)
    return tag


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
        interchange = _assemble(tokenizer.segments, tokenizer.service, chars, warnings)
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


def _assemble(
    segments: list[Segment], service: list[int], chars: ServiceChars, warnings: list[Diagnostic]
) -> Interchange:
    """Group segments into UNB, messages (UNH…UNT) and UNZ, checking counts and references.

    ``service`` holds the positions of the service segments, so messages are cut out by slicing.
    """
    interchange = Interchange(chars=chars, header=None, segments=segments)
    group: Segment | None = None
    opened: int | None = None  # position of the UNH of the message being read
    free = 0  # first position not yet accounted for (outside any message)
    groups = group_messages = stray = 0

    def close(end: int, trailer: Segment | None) -> None:
        nonlocal opened, free, group_messages
        assert opened is not None
        message = EdifactMessage(segments[opened:end], segments[opened], trailer, group)
        if trailer is None:
            message.warnings.append(message.segments[-1].diagnostic(
                "message ends without UNT: truncated or not closed"))
        else:
            _check_trailer(message)
        interchange.messages.append(message)
        group_messages += 1
        opened, free = None, end

    def outside(end: int) -> None:
        nonlocal stray, free
        for seg in segments[free:end]:
            stray += 1
            if stray <= MAX_SEGMENT_COUNT_WARNINGS:
                warnings.append(seg.diagnostic(f"{seg.tag} segment outside a message (before UNH or after UNT); "
                                               "ignored"))
        free = end + 1

    for k in service:
        seg = segments[k]
        tag = seg.tag
        if tag == "UNT":
            if opened is None:
                outside(k)
                warnings.append(seg.diagnostic("UNT without a UNH; ignored"))
            else:
                close(k + 1, seg)
            continue
        if opened is not None:
            close(k, None)
        else:
            outside(k)
        if tag == "UNH":
            opened = k
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
    if opened is not None:
        close(len(segments), None)
    else:
        outside(len(segments))
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
    elif whole_number(declared) != actual:
        warnings.append(seg.diagnostic(f"{seg.tag} says {declared} {what}, counted {actual}"))
