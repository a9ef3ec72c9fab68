"""A received message: the verbatim bytes, who sent them and how, and where processing got to."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from gtas.model.base import Base, BigId, Json, str_enum, utcnow


class Channel(StrEnum):
    """How a message reached GTAS."""

    HTTP = "http"
    FOLDER = "folder"
    AMQP = "amqp"
    CLI = "cli"


class MessageStatus(StrEnum):
    """Where a message is in its life: received → parsed → loaded → assessed, or stopped with a reason."""

    RECEIVED = "received"
    PARSED = "parsed"
    LOADED = "loaded"
    ASSESSED = "assessed"
    FAILED_PARSE = "failed_parse"
    FAILED_LOAD = "failed_load"
    DUPLICATE = "duplicate"
    PARTIAL = "partial"  # one part of a multi-part series, waiting for the rest


class Message(Base):
    """One received unit (request body, file or queue message), stored before anything else happens to it.

    ``warnings`` and ``errors`` are lists of ``{segment, line, column, tag, message, severity}``, as the parsers
    report them. A byte-identical resend is a row of its own with status duplicate and ``duplicate_of_id``.
    """

    __tablename__ = "message"
    __table_args__ = (Index(None, "status", "received_at"), Index(None, "received_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"))
    submitter: Mapped[str | None] = mapped_column(String(100))  # the party's name
    carrier: Mapped[str | None] = mapped_column(String(3))
    filename: Mapped[str | None] = mapped_column(String(255))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    type: Mapped[str | None] = mapped_column(String(8))  # PAXLST, PNRGOV
    version: Mapped[str | None] = mapped_column(String(16))
    part_key: Mapped[str | None] = mapped_column(String(70), index=True)  # UNH S010 common access reference
    part_sequence: Mapped[int | None]
    part_final: Mapped[bool | None]
    status: Mapped[MessageStatus] = mapped_column(str_enum(MessageStatus, "message_status"),
                                                  default=MessageStatus.RECEIVED)
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    parse_ms: Mapped[float | None]
    load_ms: Mapped[float | None]
    duplicate_of_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("message.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<Message {self.id} {self.type or '?'} {self.status}>"
