"""Reading the values airline messages carry: dates in their many shapes, flight numbers, airports, names, cards.

Every function here is total: bad input gives ``None`` (the caller records a warning), never an exception.
"""

from __future__ import annotations

import hmac
import math
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final

from gtas.numbers import COUNT_DIGITS, whole_number

MONTHS: Final = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}

_AMOUNT_LIMIT: Final = Decimal(10) ** 12
_DIGITS: Final = re.compile(r"\d+")
_NOT_DIGITS: Final = re.compile(r"\D+")
_FLIGHT: Final = re.compile(r"([A-Z]{3}|[A-Z0-9]{2})\s*(\d{1,5})\s*([A-Z]?)")
_AIRPORT: Final = re.compile(r"[A-Z]{3}")
_DDMMMYY: Final = re.compile(r"(\d{1,2})([A-Z]{3})(\d{2}|\d{4})")
_NUMBER_AND_SUFFIX: Final = re.compile(r"(\d{1,5})([A-Z]?)")


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _century(yy: int, reference: date | None, *, past: bool) -> int:
    """Four-digit year for a two-digit one.

    ``past=True`` (dates of birth, issue dates): the latest year not after the reference year.
    ``past=False`` (expiry, travel dates): the year closest to the reference.
    """
    ref = (reference or date.today()).year
    year = ref - ref % 100 + yy
    if past:
        return year - 100 if year > ref else year
    if year - ref > 50:
        return year - 100
    if ref - year > 50:
        return year + 100
    return year


def yymmdd(value: str, reference: date | None = None, *, past: bool = True) -> date | None:
    """``YYMMDD`` (or ``CCYYMMDD``), blanks inside tolerated."""
    digits = value.replace(" ", "")
    if len(digits) == 8 and digits.isdecimal():
        return _date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    if len(digits) != 6 or not digits.isdecimal():
        return None
    yy, mm, dd = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    result = _date(_century(yy, reference, past=past), mm, dd)
    if result is not None and past and reference is not None and result > reference:
        result = _date(result.year - 100, mm, dd)
    return result


def ddmmyy(value: str, reference: date | None = None, *, past: bool = False) -> date | None:
    """``DDMMYY`` as in PNRGOV TVL, RCI and DAT (or ``DDMMYYYY``)."""
    digits = value.replace(" ", "")
    if len(digits) == 8 and digits.isdecimal():
        return _date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    if len(digits) != 6 or not digits.isdecimal():
        return None
    return _date(_century(int(digits[4:]), reference, past=past), int(digits[2:4]), int(digits[:2]))


_DDMMMYY_SEEN: Final[dict[tuple[str, date | None, bool], date | None]] = {}
_UNSEEN: Final = date.min  # a sentinel, compared by identity: one look-up tells an unseen text from one read as None


def ddmmmyy(value: str, reference: date | None = None, *, past: bool = True) -> date | None:
    """``DDMMMYY`` as in SSR DOCS (``01JUL78``), also ``DDMMMYYYY``; memoised, as a push repeats its dates."""
    key = (value, reference, past)
    found = _DDMMMYY_SEEN.get(key, _UNSEEN)
    if found is not _UNSEEN:
        return found
    if len(_DDMMMYY_SEEN) > 50_000:
        _DDMMMYY_SEEN.clear()
    result = _DDMMMYY_SEEN[key] = _ddmmmyy(value, reference, past)
    return result


def _ddmmmyy(value: str, reference: date | None, past: bool) -> date | None:
    text = value.strip().upper()
    m = _DDMMMYY.fullmatch(text)
    if not m or m.group(2) not in MONTHS:
        return None
    day, month, year = int(m.group(1)), MONTHS[m.group(2)], m.group(3)
    if len(year) == 4:
        return _date(int(year), month, day)
    result = _date(_century(int(year), reference, past=past), month, day)
    if result is not None and past and reference is not None and result > reference:
        result = _date(result.year - 100, month, day)
    return result


def hhmm(value: str) -> tuple[int, int] | None:
    digits = value.replace(" ", "")
    if len(digits) != 4 or not digits.isdecimal():
        return None
    hour, minute = int(digits[:2]), int(digits[2:])
    if hour == 24 and minute == 0:
        return 23, 59
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def at(day: date | None, time: str) -> datetime | None:
    """Combine a date and an ``HHMM`` time (midnight when the time is missing or bad)."""
    if day is None:
        return None
    clock = hhmm(time) or (0, 0)
    return datetime(day.year, day.month, day.day, *clock)


def yymmddhhmm(value: str, reference: date | None = None) -> datetime | None:
    """``YYMMDDHHMM`` (format 201) or ``CCYYMMDDHHMM`` (203), as in DTM+189/232."""
    digits = value.replace(" ", "")
    if len(digits) == 12:
        day, time = yymmdd(digits[:8]), digits[8:]
    elif len(digits) == 10:
        day, time = yymmdd(digits[:6], reference, past=False), digits[6:]
    else:
        return None
    if day is None or hhmm(time) is None:
        return None
    return at(day, time)


def flight_number(text: str, carrier: str | None = None) -> tuple[str | None, str | None, str | None]:
    """Split ``DY1317``, ``OK0012``, ``LH400A`` or a bare ``0006`` into (carrier, number, suffix).

    The number loses its leading zeros. With ``carrier`` given, a designator that starts with it is split there.
    """
    value = text.strip().upper().replace(" ", "")
    if not value:
        return carrier or None, None, None
    if carrier and value.startswith(carrier) and value[len(carrier):len(carrier) + 1].isdigit():
        number, suffix = _number_and_suffix(value[len(carrier):])
        return carrier, number, suffix
    if value.isdigit() or (value[:-1].isdigit() and value[-1].isalpha()):
        number, suffix = _number_and_suffix(value)
        return carrier or None, number, suffix
    m = _FLIGHT.fullmatch(value)
    if m:
        return m.group(1), m.group(2).lstrip("0") or "0", m.group(3) or None
    return carrier or None, None, None


def _number_and_suffix(value: str) -> tuple[str | None, str | None]:
    m = _NUMBER_AND_SUFFIX.fullmatch(value)
    if not m:
        return None, None
    return m.group(1).lstrip("0") or "0", m.group(2) or None


def airport(value: str) -> str | None:
    """IATA airport code: ``LHR``; US-EDIFACT's country-prefixed ``NZAKL`` → ``AKL``; anything else → None."""
    code = value.strip().upper()
    if _AIRPORT.fullmatch(code):
        return code
    if len(code) == 5 and code.isalpha():
        return code[2:]
    return None


def integer(value: str) -> int | None:
    """A count: the value's first run of digits, if it fits a 32-bit column (``COUNT_DIGITS``), else None."""
    if value.isdecimal():  # the usual case: no regular expression needed
        return whole_number(value, COUNT_DIGITS)
    m = _DIGITS.search(value)
    return whole_number(m.group(), COUNT_DIGITS) if m else None


def amount(text: str) -> Decimal | None:
    """An exact amount such as ``123.45``: finite and below a trillion, else None.

    Tested with ``copy_abs``, which never rounds: ``abs()`` rounds to the context and raises on ``31e9999997``.
    """
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() and number.copy_abs() < _AMOUNT_LIMIT else None


def decimal(value: str, decimal_mark: str = ".") -> float | None:
    text = value.strip().replace(decimal_mark, ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) and abs(number) < 1e12 else None


def clean(value: str | None) -> str | None:
    """Blank-collapsed, stripped text, or None when nothing is left."""
    if value is None:
        return None
    if value.isalnum():
        return value  # a code or a word: nothing to collapse (the usual case)
    text = " ".join(value.split())
    return text or None


def gender(value: str) -> str | None:
    """M, F, U or X; PNR infant codes MI/FI become M/F."""
    code = value.strip().upper()
    if code in ("M", "F", "U", "X"):
        return code
    if code in ("MI", "FI"):
        return code[0]
    if code in ("MALE", "FEMALE"):
        return code[0]
    return None


def mask_card(number: str, key: bytes) -> tuple[str | None, str | None]:
    """(last four digits, keyed hash) of a payment card number; the number itself is never kept."""
    digits = number if number.isdigit() else _NOT_DIGITS.sub("", number)
    if len(digits) < 4:
        return None, None
    return digits[-4:], hmac.digest(key, digits.encode(), "sha256").hex()


def plausible_birth(day: date | None, reference: date | None) -> bool:
    """A date of birth that is neither in the future nor more than 130 years back."""
    if day is None:
        return False
    ref = (reference or date.today()).toordinal()  # day numbers: no overflow at either end of the calendar
    return ref - 130 * 366 <= day.toordinal() <= ref + 1


def seat(value: str) -> str | None:
    """Seat number with the row's leading zeros stripped: ``024B`` → ``24B``, ``074E`` → ``74E``."""
    text = value.replace(" ", "").upper()
    row = len(text) - len(text.lstrip("0123456789"))
    if not row:
        return text or None
    return (text[:row].lstrip("0") or "0") + text[row:]


def bag_tags(first: str, count: int) -> list[str]:
    """Expand a first bag tag and a count of consecutive tags (``DY463013``, 2 → ``DY463013``, ``DY463014``).

    The trailing digits are counted up with their width kept; a tag without trailing digits stands alone.
    """
    head = first.rstrip("0123456789")
    digits = first[len(head):]
    start = whole_number(digits) if digits else None
    if start is None or count <= 1:
        return [first]
    return [f"{head}{start + i:0{len(digits)}d}" for i in range(count)]
