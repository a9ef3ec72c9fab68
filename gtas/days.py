"""Calendar days as spans of UTC time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


def day_end(day: date) -> datetime:
    """When a day ends in UTC: the next midnight; for 9999-12-31, which has none, its last microsecond."""
    if day == date.max:
        return datetime.max.replace(tzinfo=UTC)
    return datetime.combine(day + timedelta(days=1), time(), UTC)
