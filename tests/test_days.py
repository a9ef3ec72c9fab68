"""Calendar days as spans of UTC time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from gtas.days import day_end


def test_a_day_ends_at_the_next_midnight() -> None:
    assert day_end(date(2030, 1, 31)) == datetime(2030, 2, 1, tzinfo=UTC)
    assert day_end(date(2028, 2, 28)) == datetime(2028, 2, 29, tzinfo=UTC)


def test_the_last_day_of_the_calendar_ends_at_its_last_microsecond() -> None:
    assert day_end(date.max) == datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)  # no next midnight
