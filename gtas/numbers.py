"""Whole numbers read from text that anyone may send: messages, query strings, form fields, AMQP headers, settings."""

from __future__ import annotations

MAX_DIGITS = 12  # ids and bag tag numbers
COUNT_DIGITS = 9  # counts and sequence numbers read from messages: they go into 32-bit columns


def whole_number(text: str, max_digits: int = MAX_DIGITS) -> int | None:
    """The number written by decimal digits, at most ``max_digits`` of them after any leading zeros, else None.

    ``int()`` alone is not the test: it refuses "²", which ``str.isdigit()`` calls a digit, and more than 4,300
    digits (leading zeros included), and it accepts signs, blanks and underscores.
    """
    if not text.isdecimal():
        return None
    digits = text.lstrip("0")
    if not digits:
        return 0
    return int(digits) if len(digits) <= max_digits else None
