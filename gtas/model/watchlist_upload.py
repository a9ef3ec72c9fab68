"""Watchlist files uploaded in the browser, kept between their dry run and the administrator's confirmation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from gtas.model.base import Base, BigId, utcnow


class WatchlistUpload(Base):
    """A staged import file: its bytes, their SHA-256, who uploaded it for which list, and the digest of the dry
    run he was shown. Confirming applies this file only if planning it again gives the same digest; the row is
    deleted once applied, and stale ones are purged (they hold personal data)."""

    __tablename__ = "watchlist_upload"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(BigId, ForeignKey("watchlist.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    plan_digest: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
