"""Whole numbers read from text that anyone may send: query strings, form fields, message headers, settings."""

from __future__ import annotations

MAX_DIGITS = 12


def whole_number(text: str) -> int | None:
    """The number written by up to 12 decimal digits, else None.

    ``int()`` alone is not the test: it refuses "²", which ``str.isdigit()`` calls a digit, and more than 4,300
    digits, and it accepts signs, blanks and underscores.
    """
    return int(text) if text.isdecimal() and len(text) <= MAX_DIGITS else None
