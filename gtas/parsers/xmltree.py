"""Reading untrusted XML: defused (no DTDs, entities or external references), size-limited, with element
positions for error messages, and namespace- and case-tolerant element and attribute access.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from gtas.parsers import values
from gtas.parsers.records import Diagnostic

MAX_INPUT_BYTES = 100 * 1024 * 1024  # one flight's push is a few MB; anything far larger is refused
WRAPPER = "GTAS_FRAGMENT"
ABSENT = frozenset({"", "-"})
_JUNK_AFTER_ROOT = 9  # expat XML_ERROR_JUNK_AFTER_DOC_ELEMENT
_POSITION_SUFFIX = re.compile(r":\s*line \d+, column \d+$")
_XML_DECLARATION = re.compile(r"\A(?:\ufeff)?\s*(?:<\?xml.*?\?>)?", re.S)
_XML_DECLARATION_BYTES = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml.*?\?>)?", re.S)

# ---------------------------------------------------------------------------------------------------------
# Element access: local names, case-insensitive attributes, absent values


def local(tag: str) -> str:
    """Tag or attribute name without its ``{namespace}``."""
    return tag.rpartition("}")[2]


def children(element: Element | None, name: str) -> list[Element]:
    """Direct children with the given local name."""
    if element is None:
        return []
    return [child for child in element if isinstance(child.tag, str) and local(child.tag) == name]


def child(element: Element | None, name: str) -> Element | None:
    """First direct child with the given local name."""
    if element is None:
        return None
    for child in element:
        if isinstance(child.tag, str) and local(child.tag) == name:
            return child
    return None


def first(element: Element | None, *names: str) -> Element | None:
    """First direct child with one of the local names (tested against None: empty elements are falsy)."""
    for name in names:
        found = child(element, name)
        if found is not None:
            return found
    return None


def raw(element: Element | None, name: str) -> str | None:
    """Attribute value as sent, the name compared without namespace and case."""
    if element is None:
        return None
    value = element.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, found in element.attrib.items():
        if local(key).lower() == wanted:
            return found
    return None


def unlist(text: str) -> str:
    """``['PYF']`` (a Python list repr) → ``PYF``; other text unchanged."""
    if not (text.startswith("[") and text.endswith("]")):
        return text
    items = (item.strip().strip("'\"").strip() for item in text[1:-1].split(","))
    return ", ".join(item for item in items if item)


def attr(element: Element | None, *names: str) -> str | None:
    """First present attribute among ``names``, blank-collapsed; ``-`` and empty count as absent."""
    for name in names:
        value = values.clean(raw(element, name))
        if value is not None and value not in ABSENT:
            return values.clean(unlist(value))
    return None


def text(element: Element | None, name: str) -> str | None:
    """Blank-collapsed text of the first child with the given local name."""
    found = child(element, name)
    if found is None:
        return None
    value = values.clean(found.text)
    return None if value in ABSENT else value


def field(element: Element | None, *names: str) -> str | None:
    """A value sent either as an attribute or as a child element's text."""
    return attr(element, *names) or next((v for v in (text(element, n) for n in names) if v), None)


def lines(text: str | None) -> str | None:
    """Multi-line free text (addresses) on one line, lines separated by commas."""
    if text is None:
        return None
    return ", ".join(part for part in (values.clean(line) for line in text.splitlines()) if part) or None


def flag(value: str | None) -> bool:
    """XML boolean: ``true``/``1`` (any case) is true."""
    return value is not None and value.strip().lower() in ("true", "1", "y", "yes")


# ---------------------------------------------------------------------------------------------------------
# Reading the tree safely


class _PositionedBuilder(TreeBuilder):
    """Tree builder that remembers where (line, column; 1-based) each element started."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: object | None = None
        self.positions: dict[Element, tuple[int, int]] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        """Build the element and note the parser's current position."""
        element = super().start(tag, attrs)
        if self.expat is not None:
            self.positions[element] = (
                getattr(self.expat, "CurrentLineNumber", 0),
                getattr(self.expat, "CurrentColumnNumber", 0) + 1,
            )
        return element


@dataclass(slots=True)
class Tree:
    """A parsed document, element positions, and the column shift a fragment wrapper introduced."""

    root: Element
    positions: dict[Element, tuple[int, int]]
    shift: tuple[int, int, int] | None = None  # (line, column from which to shift, width of wrapper)
    wrapped: bool = False

    def where(self, line: int | None, column: int | None) -> tuple[int | None, int | None]:
        """Position in the caller's text (undoing the wrapper's column shift)."""
        if self.shift and line == self.shift[0] and column is not None and column > self.shift[1]:
            return line, max(1, column - self.shift[2])
        return line, column


class Refused(Exception):
    """The document cannot be read; carries the error diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _build(data: bytes | str) -> tuple[Element, dict[Element, tuple[int, int]]]:
    """Parse with defusedxml (DTDs, entities and external references refused)."""
    builder = _PositionedBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root: Element = parser.close()
    except DefusedXmlException as exc:
        raise Refused(_refusal(exc, parser.parser)) from None
    return root, builder.positions


def _refusal(exc: DefusedXmlException, expat: object) -> Diagnostic:
    """Error diagnostic for a document defusedxml refused."""
    if isinstance(exc, DTDForbidden):
        what = "a document type declaration (DOCTYPE)"
    elif isinstance(exc, EntitiesForbidden):
        what = "an entity declaration"
    elif isinstance(exc, ExternalReferenceForbidden):
        what = "an external entity reference"
    else:
        what = "a forbidden XML construct"
    return Diagnostic(
        f"XML refused: the document contains {what}; DTDs, entity declarations and external entities are "
        "not accepted (protection against entity-expansion bombs and external-entity attacks)",
        line=getattr(expat, "CurrentLineNumber", None),
        column=getattr(expat, "CurrentColumnNumber", -1) + 1 or None,
        tag="DOCTYPE",
        severity="error",
    )


def _malformed(exc: ParseError, tree_shift: Tree | None = None) -> Diagnostic:
    """Error diagnostic for malformed XML, at the line and column expat reported."""
    line, column = exc.position
    where = tree_shift.where(line, column + 1) if tree_shift else (line, column + 1)
    reason = _POSITION_SUFFIX.sub("", str(exc))
    return Diagnostic(f"malformed XML: {reason}", line=where[0], column=where[1], severity="error")


def _wrap(data: bytes | str) -> tuple[bytes | str, tuple[int, int, int]]:
    """Put several top-level elements under one wrapper element (after any XML declaration)."""
    opening, closing = f"<{WRAPPER}>", f"</{WRAPPER}>"
    if isinstance(data, bytes):
        match = _XML_DECLARATION_BYTES.match(data)
        end = match.end() if match else 0
        head = data[:end].decode("latin-1")
        wrapped: bytes | str = data[:end] + opening.encode() + data[end:] + closing.encode()
    else:
        match_text = _XML_DECLARATION.match(data)
        end = match_text.end() if match_text else 0
        head = data[:end]
        wrapped = data[:end] + opening + data[end:] + closing
    line = head.count("\n") + 1
    column = len(head) - (head.rfind("\n") + 1) + 1
    return wrapped, (line, column, len(opening))


def read_tree(data: bytes | str) -> Tree:
    """Parse the document, wrapping a multi-root fragment; raises :class:`Refused` when unreadable."""
    try:
        root, positions = _build(data)
        return Tree(root, positions)
    except ParseError as exc:
        if exc.code != _JUNK_AFTER_ROOT:
            raise Refused(_malformed(exc)) from None
    wrapped, shift = _wrap(data)
    shell = Tree(Element(WRAPPER), {}, shift, wrapped=True)
    try:
        root, positions = _build(wrapped)
    except ParseError as exc:
        raise Refused(_malformed(exc, shell)) from None
    return Tree(root, positions, shift, wrapped=True)


def too_large(data: bytes | str) -> bool:
    """Longer than :data:`MAX_INPUT_BYTES` (counted in characters for text input)."""
    return len(data) > MAX_INPUT_BYTES


# ---------------------------------------------------------------------------------------------------------
# Dates, amounts, counts


def iso_datetime(text: str) -> tuple[datetime | None, bool]:
    """(naive clock time as written, whether a UTC offset was dropped) for ISO-like date-times."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None, False
    return value.replace(tzinfo=None), value.tzinfo is not None


def iso_date(text: str) -> date | None:
    """``2019-05-31``, or the date part of a date-time."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    stamp, _ = iso_datetime(text)
    return stamp.date() if stamp else None


def decimal(text: str) -> Decimal | None:
    """A finite decimal amount below a trillion (thousands separated by commas or not), or None."""
    return values.amount(text.strip().replace(",", ""))
