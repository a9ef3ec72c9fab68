"""People who sign in to the officer and administration UI, with their roles and the airports they cover."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gtas.model.base import Base, BigId, Json, utcnow


class UserRole(StrEnum):
    """What a user may do; each role grants areas of the UI (a user holds one or more)."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    RULE_AUTHOR = "rule_author"
    WATCHLIST_MANAGER = "watchlist_manager"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        """The role as people read it: "rule author"."""
        return self.value.replace("_", " ")


class User(Base):
    """A UI user: argon2 password hash, roles, covered airports, and the state of sign-in throttling.

    The table is ``app_user`` because ``user`` is a reserved word in PostgreSQL. Users are disabled, never deleted,
    so that the audit trail keeps naming them.
    """

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)  # lower case
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]] = mapped_column(Json, default=list)  # UserRole values, sorted
    airports: Mapped[list[str]] = mapped_column(Json, default=list)  # IATA codes covered; empty: every airport
    enabled: Mapped[bool] = mapped_column(default=True)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)  # consecutive failures since the last success
    locked_until: Mapped[datetime | None]
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    must_change_password: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    def has_role(self, *roles: UserRole) -> bool:
        """Whether the user holds at least one of the roles."""
        return any(role.value in self.roles for role in roles)

    def covers(self, *airports: str | None) -> bool:
        """Whether one of the airports is the user's (a user without airports of his own covers them all)."""
        return not self.airports or any(airport in self.airports for airport in airports)

    def __repr__(self) -> str:
        return f"<User {self.username} {','.join(self.roles)}>"


class UserSession(Base):
    """A signed-in browser session: the cookie holds a random token, this row its SHA-256 and its life.

    Kept after it ends (``ended_at``, ``end_reason``), so that sign-out, a password reset or disabling a user ends
    the session on the server too, whoever holds a copy of the cookie.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("app_user.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(20))  # SessionEnd value
    remote_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} of user {self.user_id} since {self.started_at:%Y-%m-%d %H:%M}>"
