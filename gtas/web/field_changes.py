"""The fields whose values differ between two recorded states of a record (a rule's versions, a watchlist entry's
changes), each with its value before and after as a line of text."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field whose value differs: its name in words and its values as text before and after."""

    name: str
    before: str
    after: str


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any], shown: Callable[[Any], str],
                   names: Iterable[str] | None = None) -> list[FieldChange]:
    """The fields of ``names`` (all fields of either state, in their order, when None) whose values differ, written
    with ``shown``; an absent field counts as None."""
    fields = dict.fromkeys([*before, *after]) if names is None else names
    return [FieldChange(name.replace("_", " "), shown(before.get(name)), shown(after.get(name)))
            for name in fields if before.get(name) != after.get(name)]
