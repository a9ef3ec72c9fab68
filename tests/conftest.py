"""Shared fixtures: the real-world corpus beside the project (../shared/corpus, or $GTAS_CORPUS)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to test compiled parsers that are older than their sources (they would shadow the edits)."""
    stale = [
        str(so.relative_to(ROOT))
        for so in (ROOT / "gtas").rglob("*.so")
        if (source := so.with_name(so.name.split(".")[0] + ".py")).exists()
        and source.stat().st_mtime > so.stat().st_mtime
    ]
    if stale:
        raise pytest.UsageError(f"compiled modules older than their sources: {', '.join(stale)}; "
                                "rebuild with `python3 dev.py test` (or `pip install -e .`)")


def corpus_dir() -> Path | None:
    """The corpus folder, or None when this machine does not have it."""
    path = Path(os.environ.get("GTAS_CORPUS", ROOT.parent / "shared" / "corpus"))
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Path of the corpus; the test is skipped cleanly when it is absent."""
    path = corpus_dir()
    if path is None:
        pytest.skip("corpus not found (set GTAS_CORPUS)")
    return path


def corpus_files(*folders: str) -> list[str]:
    """Relative names of the corpus messages in the given folders, for parametrize (empty without corpus)."""
    path = corpus_dir()
    if path is None:
        return []
    return sorted(
        f"{folder}/{p.name}" for folder in folders for p in (path / folder).iterdir()
        if p.is_file() and not p.name.endswith(".expected.xml")
    )
