"""Personal API tokens: a user reads and decides through the JSON API with his own roles and airports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gtas.model.base import Base, BigId, utcnow
from gtas.model.user import User


class UserToken(Base):
    """A user's API token: only its SHA-256 is stored, ``prefix`` (its first characters) tells tokens apart.

    It acts with the roles and airports its user holds at the time of each request; it stops working when it is
    revoked, when it expires, or when its user is disabled.
    """

    __tablename__ = "user_token"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))  # what the user said it is for
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def is_live(self, now: datetime) -> bool:
        """Whether the token may still be used: not revoked, not expired, its user enabled."""
        return self.revoked_at is None and self.expires_at > now and self.user.enabled

    def __repr__(self) -> str:
        return f"<UserToken {self.prefix} of user {self.user_id}>"
