"""Keys that recognise the same flight, traveller and person again, and values made to fit their columns."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import String, Table

from gtas.model import PersonKeyKind
from gtas.parsers.records import Traveller

_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")


@lru_cache(maxsize=1 << 16)  # the same names, locators and documents recur in every message of a flight
def normalise(text: str | None) -> str:
    """Upper case, accents removed, anything but letters and digits collapsed to one space."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub(" ", plain.upper()).strip()


def _name(t: Traveller) -> str:
    return f"{normalise(t.surname)}/{normalise(t.given_names)}"


def identity_key(t: Traveller) -> str:
    """The traveller's key on one flight, the same for his API and PNR records where the data allows."""
    dob = t.date_of_birth.isoformat() if t.date_of_birth else ""
    if t.record_locator and t.date_of_birth and t.surname:
        return f"L:{normalise(t.record_locator)}|{_name(t)}|{dob}"
    if t.reference and t.record_locator is None:
        return f"R:{normalise(t.reference)}"
    document = next((d for d in t.documents if d.number), None)
    if document is not None and document.number:
        return f"D:{normalise(document.number)}|{normalise(document.issuing_country)}"
    if t.record_locator and t.surname:
        return f"L:{normalise(t.record_locator)}|{_name(t)}|"
    return f"N:{_name(t)}|{dob}|{normalise(t.gender)}"


def identity_keys(travellers: Iterable[Traveller]) -> list[str]:
    """Identity keys of a list, made unique within it by a counter (two namesakes without data stay two)."""
    seen: dict[str, int] = {}
    keys = []
    for traveller in travellers:
        key = identity_key(traveller)[:240]
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return keys


def person_keys(t: Traveller) -> list[tuple[PersonKeyKind, str]]:
    """Keys that identify the human: document number + issuing country, else name + birth date + gender."""
    keys = [(PersonKeyKind.DOCUMENT, f"{normalise(d.number)}|{normalise(d.issuing_country)}")
            for d in t.documents if d.number and d.issuing_country]
    if t.surname and t.date_of_birth and t.gender in ("M", "F", "X", "U"):
        keys.append((PersonKeyKind.BIO, f"{_name(t)}|{t.date_of_birth.isoformat()}|{t.gender}"))
    return list(dict.fromkeys((kind, value[:250]) for kind, value in keys))


@cache
def _limits(table: Table) -> dict[str, int]:
    """The longest text each limited text column of a table takes."""
    return {c.name: c.type.length for c in table.columns if isinstance(c.type, String) and c.type.length}


def fit_rows(table: Table, rows: list[dict[str, Any]], warnings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut text longer than its column allows, with one warning per column (PostgreSQL refuses long values).

    Every row has the keys of the first (as for every bulk statement here).
    """
    limits = _limits(table)
    limited = [(name, limits[name]) for name in (rows[0] if rows else ()) if name in limits]
    cut: dict[str, tuple[int, str]] = {}
    for row in rows:
        for name, limit in limited:
            value = row[name]
            if isinstance(value, str) and len(value) > limit:
                row[name] = value[:limit]
                count, example = cut.get(name, (0, value))
                cut[name] = (count + 1, example)
    for name, (count, example) in cut.items():
        warnings.append({"segment": None, "line": None, "column": None, "tag": None, "severity": "warning",
                         "message": f"{table.name}.{name} cut to {limits[name]} characters in {count} row(s), "
                                    f"e.g. {example!r}"})
    return rows
