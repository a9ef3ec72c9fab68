"""Comparable forms of names, dates of birth and document numbers; the same functions serve both sides.

A name becomes lower-case ASCII tokens: accents dropped, Cyrillic, Greek, Arabic, Hebrew and Han transliterated
(anyascii), titles removed, ``O'Brien`` joined to ``obrien``, hyphens split. Each token keeps the kind of script
it was written in: abjad tokens (short vowels unwritten) compare by consonant skeleton, Han/Hangul syllables exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

import jellyfish
from anyascii import anyascii

from gtas.rules.matching.person import Name

HONORIFICS = frozenset(  # titles dropped from names
    (
        "mr", "mrs", "ms", "miss", "mx", "mstr", "master", "dr", "prof", "sir", "dame", "lord", "lady", "rev", "fr",
        "mme", "mlle", "herr", "frau", "sr", "sra", "srta", "jr", "sheikh", "shaikh", "sheik", "shaykh", "haji",
        "hajji", "hadji", "alhaji", "imam", "mullah", "mulla", "maulana", "gen", "col", "maj", "capt", "lt", "sgt",
        "ii", "iii", "iv",
    )
)
PARTICLES = frozenset(  # name particles: weigh little, join with the next part
    (
        "al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "abu", "bin", "ben", "ibn", "bint", "bte", "van", "von",
        "der", "den", "de", "da", "das", "dos", "do", "di", "du", "la", "le", "del", "della", "dela", "lo", "ter",
        "ten", "y",
    )
)
_ABJAD = re.compile("[\u0590-\u05ff\u0600-\u06ff\u0700-\u074f\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_SYLLABIC = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_DELETED = re.compile(r"['`\u2019\u02bc\u02bf\u02be.]")
_SEPARATOR = re.compile(r"[^a-z0-9]+")
_VOWELS = re.compile(r"[aeiouyw]")
_DOUBLES = re.compile(r"(.)\1+")
# Letters that are easily swapped in spelling or transliteration (rigour's confusable pairs): folded to one.
_NAME_CONFUSABLES = str.maketrans({"e": "i", "y": "i", "j": "i", "u": "o", "k": "c", "0": "o", "1": "i", "5": "s"})
# Characters a document number is misread as: letter O and digit 0, letter I / L and digit 1, S and 5, B and 8, Z and 2.
_DOCUMENT_CONFUSABLES = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"})
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


class Script(IntEnum):
    """How a token was written, which decides how it is compared."""

    ALPHABET = 0  # Latin, Cyrillic, Greek …: compared by spelling
    ABJAD = 1  # Arabic, Hebrew: short vowels unwritten, compared by consonant skeleton
    SYLLABIC = 2  # one Han, Hangul or Kana character: a whole name element, compared exactly


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name ready to compare: tokens in written order, the script kind of each, and the surname's tokens."""

    tokens: tuple[str, ...]
    scripts: tuple[Script, ...]
    surname: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date of birth at the precision the source gave (month and day may be unknown)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p is not None]
        return "-".join(parts)


def fold(text: str) -> str:
    """Lower-case ASCII of any script; Han, Hangul and Kana syllables are separated so each is a token."""
    text = unicodedata.normalize("NFKC", text).replace("<", " ")
    if _SYLLABIC.search(text):
        text = " ".join(anyascii(char) if _SYLLABIC.match(char) else char for char in text)
    text = anyascii(text).casefold()
    return _SEPARATOR.sub(" ", _DELETED.sub("", text)).strip()


def _word_tokens(text: str) -> list[tuple[str, Script]]:
    """Tokens of a text with, for each, the kind of script it was written in."""
    tokens: list[tuple[str, Script]] = []
    for word in unicodedata.normalize("NFKC", text).split():
        script = Script.SYLLABIC if _SYLLABIC.search(word) else Script.ABJAD if _ABJAD.search(word) else Script.ALPHABET
        tokens.extend((token, script) for token in fold(word).split())
    return tokens


@lru_cache(maxsize=262_144)
def name_form(name: Name) -> NameForm:
    """The comparable form of a name: written ``full``, or ``given`` + ``surname`` when ``full`` is empty."""
    text = name.full.strip() or f"{name.given} {name.surname}"
    pairs = _word_tokens(text)
    kept = [(token, script) for token, script in pairs if token not in HONORIFICS]
    if kept:
        pairs = kept
    surname = frozenset(token for token, _ in _word_tokens(name.surname)) if name.surname.strip() else frozenset()
    return NameForm(tuple(t for t, _ in pairs), tuple(s for _, s in pairs), surname)


def skeleton(token: str) -> str:
    """Consonant skeleton: what an abjad spelling and a Latin spelling of one name have in common."""
    return _DOUBLES.sub(r"\1", _VOWELS.sub("", token))


@lru_cache(maxsize=262_144)
def confusable_fold(token: str) -> str:
    """The token with easily confused letters (e/i, o/u, c/k, y/i …) folded to one representative."""
    return _DOUBLES.sub(r"\1", token.translate(_NAME_CONFUSABLES))


@lru_cache(maxsize=262_144)
def phonetic_key(token: str) -> str:
    """Metaphone key of a token of three or more letters; empty for shorter tokens and numbers."""
    if len(token) < 3 or not token.isalpha():
        return ""
    return str(jellyfish.metaphone(token))


def deletions(token: str) -> set[str]:
    """The token with each one character deleted (a deletion neighbourhood: one-edit variants meet in it)."""
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def document_number(number: str) -> str:
    """Upper-case letters and digits only, with look-alike letters folded to digits (O→0, I→1 …)."""
    return raw_document_number(number).translate(_DOCUMENT_CONFUSABLES)


def raw_document_number(number: str) -> str:
    """Upper-case letters and digits of the number as written (no confusable folding)."""
    return re.sub(r"[^A-Z0-9]", "", anyascii(number).upper())


@lru_cache(maxsize=65_536)
def birth_date(text: str) -> BirthDate | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a ``00`` month or day means unknown)."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return BirthDate(year)
    if day is not None and not 1 <= day <= 31:
        return BirthDate(year, month)
    return BirthDate(year, month, day)
