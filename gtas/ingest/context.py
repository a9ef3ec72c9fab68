"""What loading one message carries along: the session, the stored message, settings and the tally."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from gtas.model import Message
from gtas.model.base import Base


class LoadError(Exception):
    """A parsed message that cannot be loaded; the reason is stored on the message."""


@dataclass(slots=True)
class LoadContext:
    """The state of one load: which message, for which home country, and what it produced."""

    session: Session
    message: Message
    home_country: str
    warnings: list[dict[str, Any]] = field(default_factory=list)
    flights: set[int] = field(default_factory=set)
    travellers: int = 0
    pnrs: int = 0

    def moment(self, prepared: datetime | None) -> datetime:
        """When a message was prepared (UNB time, read as UTC), else when it was received."""
        if prepared is not None:
            return prepared.replace(tzinfo=UTC)
        received = self.message.received_at
        return received if received.tzinfo else received.replace(tzinfo=UTC)

    def warn(self, text: str) -> None:
        """Note a warning on the message being loaded."""
        self.warnings.append({"segment": None, "line": None, "column": None, "tag": None, "message": text,
                              "severity": "warning"})


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class, typed as such (for bulk statements)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
