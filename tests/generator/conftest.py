"""Shared generated traffic for the generator tests (generated once per session: it is deterministic)."""

from __future__ import annotations

from datetime import datetime

import pytest

from gtas.generator import Traffic, generate_traffic

START = datetime(2026, 11, 24)


@pytest.fixture(scope="session")
def traffic() -> Traffic:
    """Fifty flights into the USA."""
    return generate_traffic(50, seed=11, start=START)
