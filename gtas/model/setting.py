"""Settings administrators change while the system runs (score bands, retention periods), stored as JSON by name.

Settings that only an operator changes, before start, stay in ``gtas.config`` (environment and settings file); the
service that reads and validates these is ``gtas.settings``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from gtas.model.base import Base, Json, utcnow


class Setting(Base):
    """One stored setting: its name, its value (a JSON object), and who changed it last and when."""

    __tablename__ = "setting"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(Json)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Setting {self.name}={self.value}>"
