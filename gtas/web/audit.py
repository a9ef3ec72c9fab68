"""The audit trail from views and commands: ``record`` adds the event of the request's user; the caller commits."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy.orm import Session

from gtas.model import AuditEvent, User
from gtas.web.auth.identity import current_user
from gtas.web.database import get_session

USERNAME_LENGTH = 64
USER_AGENT_LENGTH = 300


def add_event(session: Session, action: str, *, user: User | None = None, username: str | None = None,
              object_kind: str | None = None, object_id: object = None, traveller_id: int | None = None,
              details: dict[str, Any] | None = None, before: dict[str, Any] | None = None,
              after: dict[str, Any] | None = None, remote_address: str | None = None,
              user_agent: str | None = None) -> AuditEvent:
    """Add an audit event to the session: by ``user``, or by ``username`` when there is no such user."""
    name = user.username if user is not None else username
    event = AuditEvent(user_id=user.id if user is not None else None, username=name[:USERNAME_LENGTH] if name else None,
                       action=action, object_kind=object_kind,
                       object_id=None if object_id is None else str(object_id), traveller_id=traveller_id,
                       details=details, before=before, after=after, remote_address=remote_address,
                       user_agent=user_agent[:USER_AGENT_LENGTH] if user_agent else None)
    session.add(event)
    return event


def record(action: str, *, user: User | None = None, username: str | None = None, object_kind: str | None = None,
           object_id: object = None, traveller_id: int | None = None, details: dict[str, Any] | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> AuditEvent:
    """Audit an action of this request, by ``user`` (default: the signed-in user), from the request's address and
    browser; set ``traveller_id`` whenever a traveller's personal data was shown, searched or exported."""
    return add_event(get_session(), action, user=user if user is not None else current_user(), username=username,
                     object_kind=object_kind, object_id=object_id, traveller_id=traveller_id, details=details,
                     before=before, after=after, remote_address=request.remote_addr,
                     user_agent=request.user_agent.string or None)
