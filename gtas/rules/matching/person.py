"""The person both sides of a screening share: a watchlist entry's subject and a traveller look alike."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Name:
    """One name of a person as written; ``surname`` and ``given`` when the source separates them."""

    full: str
    surname: str = ""
    given: str = ""


@dataclass(frozen=True, slots=True)
class IdDocument:
    """A travel or identity document: number, kind (P, I, V …) and issuing country (ISO 3166 alpha-3)."""

    number: str
    kind: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """Everything screening compares: names (primary first, then aliases), dates of birth, gender, nationalities,
    documents."""

    names: tuple[Name, ...]  # primary name first, then aliases
    dates_of_birth: tuple[str, ...] = ()  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    gender: str = ""  # "M", "F", "X" or ""
    nationalities: tuple[str, ...] = ()  # ISO 3166 alpha-3
    documents: tuple[IdDocument, ...] = ()
