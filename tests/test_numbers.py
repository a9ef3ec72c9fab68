"""Whole numbers from text anyone may send: only what ``int()`` reads, and never too long to read."""

from __future__ import annotations

import pytest

from gtas.numbers import whole_number


@pytest.mark.parametrize(("text", "number"), [
    ("0", 0), ("42", 42), ("000123", 123), ("999999999999", 999_999_999_999),
    ("²", None),  # a digit to str.isdigit(), not to int()
    ("9" * 13, None), ("9" * 5000, None),  # int() refuses more than 4,300 digits
    ("0" * 20 + "7", 7), ("0" * 5000, 0),  # leading zeros are padding, however many; int() counts them too
    ("\u0664\u0662", 42),  # Arabic-Indic digits: int() reads them
    ("", None), ("-1", None), ("+1", None), (" 1", None), ("1_000", None), ("1.0", None), ("x", None),
])
def test_whole_number(text: str, number: int | None) -> None:
    assert whole_number(text) == number
