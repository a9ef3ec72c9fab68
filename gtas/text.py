"""Text anyone may send, and what the databases can store of it."""

from __future__ import annotations

from typing import Any

NUL = "\x00"  # PostgreSQL stores no NUL character in text or JSON (SQLite does): refused wherever text comes in


def holds_nul(value: Any) -> bool:
    """Whether a string, or any string (key or value) inside nested lists and dicts such as decoded JSON, holds a NUL
    character. Walked without recursion: decoded JSON may be nested as deeply as the interpreter allowed."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, list):
            pending += item
    return False
