"""What an officer searches for: the kind of search, the text, the window of arrival dates, how many results.

``read_query`` turns a query string (the page's form, or the API's parameters) into a ``SearchQuery``, or refuses
with a ``SearchError`` that says what to write instead; the same rules serve the page and the API.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from gtas.numbers import whole_number
from gtas.rules.matching.normalise import birth_date, document_number, name_form
from gtas.rules.matching.person import Name

PAST_DAYS = 7  # default window: arrivals from a week ago …
AHEAD_DAYS = 3  # … to three days ahead (the flights officers work on)
MAX_WINDOW_DAYS = 366
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_TEXT = 100
_LOCATOR = re.compile(r"[A-Z0-9]{5,8}")
_FLIGHT = re.compile(r"([A-Z]{2,3}|[A-Z][0-9]|[0-9][A-Z])\s*0*([0-9]{1,4})([A-Z]?)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PHONE_DIGITS = 6


class SearchKind(StrEnum):
    """What the text is."""

    NAME = "name"
    DOCUMENT = "document"
    LOCATOR = "locator"
    PHONE = "phone"
    EMAIL = "email"
    FLIGHT = "flight"

    @property
    def label(self) -> str:
        """The kind as the form names it."""
        return {"locator": "PNR locator", "email": "e-mail", "document": "document number"}.get(self.value,
                                                                                                  self.value)


class SearchError(ValueError):
    """A search that cannot run, and what to write instead."""


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search: its kind, the text as normalised for it, arrival dates (UTC, inclusive), and how many results.

    ``born`` (name searches) is a date of birth, full or partial, that the matcher weighs in; ``flight_date`` (flight
    searches) is the local departure date of the flight.
    """

    kind: SearchKind
    text: str
    first_day: date
    last_day: date
    limit: int = DEFAULT_LIMIT
    born: str = ""
    flight_date: date | None = None

    def describe(self) -> dict[str, object]:
        """The query as the audit trail and the API echo it."""
        return {"kind": self.kind.value, "q": self.text, "from": self.first_day.isoformat(),
                "to": self.last_day.isoformat(), "limit": self.limit, "born": self.born or None,
                "date": self.flight_date.isoformat() if self.flight_date else None}


def read_query(args: Mapping[str, str], now: datetime) -> SearchQuery:
    """The search a query string asks for (``kind``, ``q``, ``from``, ``to``, ``limit``, ``born``, ``date``).

    :raises SearchError: a missing or malformed value, named with what is expected.
    """
    kind_text = args.get("kind", "").strip().lower() or SearchKind.NAME.value
    try:
        kind = SearchKind(kind_text)
    except ValueError:
        raise SearchError(f"kind must be one of {', '.join(k.value for k in SearchKind)}, not {kind_text[:20]!r}"
                          ) from None
    text = " ".join(args.get("q", "").split())
    if not text:
        raise SearchError(f"write the {kind.label} to search for")
    if len(text) > MAX_TEXT:
        raise SearchError(f"the search text may be at most {MAX_TEXT} characters, not {len(text)}")
    today = now.date()
    first = _day(args, "from", today - timedelta(days=PAST_DAYS))
    last = _day(args, "to", today + timedelta(days=AHEAD_DAYS))
    if last < first:
        raise SearchError(f"the window ends ({last}) before it begins ({first})")
    if (last - first).days >= MAX_WINDOW_DAYS:
        raise SearchError(f"search at most {MAX_WINDOW_DAYS} days of arrivals at once, not {(last - first).days + 1}")
    limit = _limit(args.get("limit", ""))
    born = args.get("born", "").strip()
    if born and (kind is not SearchKind.NAME or birth_date(born) is None):
        raise SearchError("a date of birth (born) goes with a name search, written 1980, 1980-04 or 1980-04-12"
                          if kind is SearchKind.NAME else "a date of birth (born) goes only with a name search")
    flight_date = _day(args, "date", None) if args.get("date", "").strip() else None
    if flight_date is not None and kind is not SearchKind.FLIGHT:
        raise SearchError("a flight date (date) goes only with a flight search")
    return SearchQuery(kind, _normalised(kind, text), first, last, limit, born, flight_date)


def _normalised(kind: SearchKind, text: str) -> str:
    """The text in the form the search compares, or a SearchError saying what such a value looks like."""
    if kind is SearchKind.NAME:
        if not name_form(Name(text)).tokens:
            raise SearchError("a name needs letters (any script)")
        return text
    if kind is SearchKind.DOCUMENT:
        if len(document_number(text)) < 3:
            raise SearchError("a document number has at least 3 letters or digits")
        return text.upper()
    if kind is SearchKind.LOCATOR:
        locator = text.upper().replace(" ", "")
        if not _LOCATOR.fullmatch(locator):
            raise SearchError(f"a PNR locator is 5 to 8 letters or digits, like ABC123, not {text[:20]!r}")
        return locator
    if kind is SearchKind.PHONE:
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) < MIN_PHONE_DIGITS or any(ch.isalpha() for ch in text):
            raise SearchError(f"a phone number has at least {MIN_PHONE_DIGITS} digits (spaces, +, - and brackets "
                              "are ignored)")
        return digits
    if kind is SearchKind.EMAIL:
        if not _EMAIL.fullmatch(text):
            raise SearchError(f"an e-mail address looks like name@example.com, not {text[:40]!r}")
        return text.lower()
    found = _FLIGHT.fullmatch(text.upper())
    if not found:
        raise SearchError(f"a flight is a carrier and a number, like UA123 or LH 400, not {text[:20]!r}")
    return f"{found[1]}{int(found[2])}{found[3]}"


def split_flight(text: str) -> tuple[str, str, str]:
    """Carrier, number (no leading zeros) and suffix of a normalised flight designator."""
    found = _FLIGHT.fullmatch(text)
    if not found:
        raise SearchError(f"not a flight designator: {text!r}")
    return found[1], found[2], found[3]


def _day(args: Mapping[str, str], name: str, default: date | None) -> date:
    text = args.get(name, "").strip()
    if not text:
        if default is None:
            raise SearchError(f"{name} must be a date")
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SearchError(f"{name} must be a date like 2030-01-31, not {text[:20]!r}") from None


def _limit(text: str) -> int:
    text = text.strip()
    if not text:
        return DEFAULT_LIMIT
    limit = whole_number(text)
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {text[:20]!r}")
    return limit
