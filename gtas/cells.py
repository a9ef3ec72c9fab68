"""Spreadsheet cells that are never run as formulas (CSV/Excel injection): a text starting with = + - @ tab or CR
is written with an apostrophe first, and read back without it."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """The cell as written to a file: an apostrophe before a text a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restored(text: str) -> str:
    """A cell read from a file ``inert`` wrote, as it was before."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
