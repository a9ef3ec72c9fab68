"""The audit trail: who saw or changed what, when and from where; rows are only ever added."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from gtas.model.base import Base, BigId, Json, utcnow


class AuditEvent(Base):
    """One audited action: a sign-in, a view of personal data, a search, an export, a decision, an admin change.

    ``username`` is kept beside ``user_id`` because failed sign-ins name users that may not exist. ``traveller_id``
    is set when the event touched a traveller's personal data; it is no foreign key, so that the event outlives the
    traveller's deletion under the retention schedule. The migration adds database triggers that refuse UPDATE and
    DELETE; the ORM refuses them too (below).
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index(None, "object_kind", "object_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("app_user.id"), index=True)
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)  # dotted: "auth.sign_in", "traveller.view"
    object_kind: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    traveller_id: Mapped[int | None] = mapped_column(BigId, index=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(Json)
    before: Mapped[dict[str, Any] | None] = mapped_column(Json)
    after: Mapped[dict[str, Any] | None] = mapped_column(Json)
    remote_address: Mapped[str | None] = mapped_column(String(45))  # IPv6 at most
    user_agent: Mapped[str | None] = mapped_column(String(300))

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action}>"


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit event."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(*_args: Any) -> None:
    raise AppendOnlyError("audit events are append-only: they cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(*_args: Any) -> None:
    raise AppendOnlyError("audit events are append-only: they cannot be deleted")
