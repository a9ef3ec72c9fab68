"""Text anyone may send, and what the databases can store of it."""

from __future__ import annotations

from typing import Any

NUL = "\x00"
UNSTORABLE = "a NUL character or a lone surrogate (\\u0000, \\ud800 …), which no database here stores"


def storable(text: str) -> bool:
    """Whether the databases can store the text: PostgreSQL takes no NUL character, and neither takes a lone
    surrogate, which has no UTF-8 (JSON's ``"\\ud800"`` decodes to one)."""
    if NUL in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def all_storable(value: Any) -> bool:
    """Whether every string (key or value) inside nested lists and dicts, such as decoded JSON, is ``storable``.
    Walked without recursion: decoded JSON may be nested as deeply as the interpreter allowed."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not storable(item):
                return False
        elif isinstance(item, dict):
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, list):
            pending += item
    return True
