"""Reading filter values from a query string: each bad value is reported as a problem and falls back to no filter."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import UTC, datetime

from gtas.numbers import whole_number

_CODE = re.compile(r"[A-Z0-9]{2,3}")


def number(args: Mapping[str, str], name: str, problems: list[str]) -> int | None:
    """A whole number, or None when absent or bad."""
    text = args.get(name, "").strip()
    if not text:
        return None
    value = whole_number(text)
    if value is None:
        problems.append(f"{name} must be a whole number, not {text[:20]!r}")
    return value


def choice(args: Mapping[str, str], name: str, allowed: Collection[str], problems: list[str]) -> str | None:
    """One of the allowed values (compared in lower case), or None when absent or bad."""
    text = args.get(name, "").strip()
    if not text:
        return None
    lowered = {value.lower(): value for value in allowed}
    if text.lower() not in lowered:
        problems.append(f"{name} must be one of {', '.join(allowed)}, not {text[:20]!r}")
        return None
    return lowered[text.lower()]


def moment(args: Mapping[str, str], name: str, problems: list[str]) -> datetime | None:
    """A UTC time written as ``2030-01-31T14:00`` (a date alone means its midnight), or None when absent or bad."""
    text = args.get(name, "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: an offset that takes it out of the calendar in UTC
        problems.append(f"{name} must be a time like 2030-01-31T14:00 (UTC), not {text[:25]!r}")
        return None


def carrier(args: Mapping[str, str], name: str, problems: list[str]) -> str:
    """An IATA carrier code in upper case, or "" when absent or bad."""
    text = args.get(name, "").strip().upper()
    if text and not _CODE.fullmatch(text):
        problems.append(f"{name} must be a carrier code of 2 or 3 letters or digits, not {text[:20]!r}")
        return ""
    return text


def text(args: Mapping[str, str], name: str, limit: int, problems: list[str]) -> str:
    """Free text, trimmed; longer than ``limit`` is a problem (and no filter)."""
    value = args.get(name, "").strip()
    if len(value) > limit:
        problems.append(f"{name} must be at most {limit} characters")
        return ""
    return value
