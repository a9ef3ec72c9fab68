"""Normalisers for the person fields of watchlist files: dates of birth, countries, gender, document types and numbers.

Each takes the text of one cell and returns the stored form, or raises ValueError with the reason an administrator
can act on.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import pycountry

from gtas.categories import KEY, normalised_key
from gtas.reference import DOCUMENT_CODES, EXTRA_COUNTRIES

MIN_BIRTH_YEAR = 1880

_MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[ T]00:00(?::00)?)?")  # spreadsheets add a midnight
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")  # day/month/year, or month/day/year when day > 12
_YEAR_SLASHED = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{4})")
_WORDS = re.compile(r"(?:(\d{1,2})[ -])?([a-z]+)\.?[ ,-]*(\d{4})")

_GENDERS = {
    "m": "M", "male": "M", "man": "M", "masculine": "M",
    "f": "F", "female": "F", "woman": "F", "feminine": "F",
    "x": "X", "other": "X", "non-binary": "X", "nonbinary": "X", "diverse": "X",
    "u": "", "unknown": "", "unspecified": "",
}

_DOCUMENT_KINDS = {
    "passport": "P", "identity card": "I", "id card": "I", "national id": "I", "id": "I", "visa": "V",
    "residence permit": "A", "resident card": "A", "crew member certificate": "AC", "military id": "M",
    "travel document": "F",
}

_COUNTRY_NAMES = {"uk": "GBR", "great britain": "GBR", "england": "GBR", "usa": "USA", "kosovo": "RKS"}


def date_of_birth(text: str, today: date | None = None) -> str:
    """A date of birth as "YYYY-MM-DD", "YYYY-MM" or "YYYY" from ISO, day/month/year, compact or written forms."""
    value = text.strip().lower()
    if value.endswith(".0") and value[:-2].isdigit():  # a year typed as a number in a spreadsheet
        value = value[:-2]
    parts = _date_parts(value)
    if parts is None:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = parts
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"no month {month} in {text!r}")
    if day is not None:
        try:
            date(year, month or 1, day)
        except ValueError:
            raise ValueError(f"no such day: {text!r}") from None
    limit = today or date.today()
    if year < MIN_BIRTH_YEAR or (year, month or 1, day or 1) > (limit.year, limit.month, limit.day):
        raise ValueError(f"date of birth out of range: {text!r}")
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _date_parts(value: str) -> tuple[int, int | None, int | None] | None:
    """Year, month and day of a date written in one of the accepted forms; None when it is in none of them."""
    if match := _ISO.fullmatch(value):
        year, month, day = match.groups()
        return int(year), _int(month), _int(day)
    if match := _COMPACT.fullmatch(value):
        return int(match[1]), int(match[2]), int(match[3])
    if match := _YEAR_SLASHED.fullmatch(value):
        return int(match[1]), int(match[2]), int(match[3])
    if match := _NUMERIC.fullmatch(value):
        first, second = int(match[1]), int(match[2])
        day, month = (second, first) if second > 12 >= first else (first, second)
        return int(match[3]), month, day
    if match := _MONTH_YEAR.fullmatch(value):
        return int(match[2]), int(match[1]), None
    if (match := _WORDS.fullmatch(value)) and match[2] in _MONTHS:
        return int(match[3]), _MONTHS[match[2]], _int(match[1])
    return None


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


def country(text: str) -> str:
    """An ISO 3166 alpha-3 code (or a travel-document code such as XXA) from alpha-3, alpha-2 or an English name."""
    code = _country(text.strip().casefold())
    if code is None:
        raise ValueError(f"unknown country: {text!r} (use an ISO 3166 code such as FRA or FR, or the English name)")
    return code


@cache
def _country(key: str) -> str | None:
    if key in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[key]
    upper = key.upper()
    if upper in DOCUMENT_CODES:
        return "DEU" if upper == "D" else upper
    if upper in EXTRA_COUNTRIES:
        return EXTRA_COUNTRIES[upper][0]
    try:
        found = pycountry.countries.lookup(key)
    except LookupError:
        return None
    return str(found.alpha_3)


def gender(text: str) -> str:
    """"M", "F", "X" or "" (unknown) from a letter or a word."""
    key = text.strip().casefold()
    if key not in _GENDERS:
        raise ValueError(f"unknown gender: {text!r} (use M, F, X, or leave it empty)")
    return _GENDERS[key]


def document_kind(text: str) -> str:
    """A document type code as in API messages (P, I, V, A, AC …) from the code or a word such as "passport"."""
    key = " ".join(text.strip().casefold().split())
    if key in _DOCUMENT_KINDS:
        return _DOCUMENT_KINDS[key]
    if 1 <= len(key) <= 3 and key.isalpha():
        return key.upper()
    raise ValueError(f"unknown document type: {text!r} (use P, I, V … or passport, identity card, visa)")


def category(text: str) -> str:
    """A hit category key from its key or its words ("Human trafficking", "lost/stolen document"); whether the
    category is managed and active is checked with the database (``gtas.categories.checked_category``)."""
    key = normalised_key(text)
    if not KEY.fullmatch(key):
        raise ValueError(f"not a category: {text!r} (use a category key such as wanted or narcotics)")
    return key


def document_number_key(number: str) -> str:
    """What document lookups compare: the letters and digits of the number, upper case."""
    return "".join(character for character in number.upper() if character.isalnum())
