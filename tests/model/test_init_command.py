"""``gtas init`` creates the database and loads the reference data, then changes nothing when run again."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from gtas import db
from gtas.cli import cli
from gtas.model import Airport, Carrier, Country


def test_init_twice(empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "instance"
    monkeypatch.setenv("GTAS_HOME", str(home))
    monkeypatch.setenv("GTAS_DATABASE_URL", empty_database_url)
    runner = CliRunner()

    first = runner.invoke(cli, ["init"])
    assert first.exit_code == 0, first.output
    assert home.is_dir()
    assert f"schema: created at revision {db.head_revision()}" in first.output
    assert "airports: " in first.output and " added" in first.output

    second = runner.invoke(cli, ["init"])
    assert second.exit_code == 0, second.output
    assert f"schema: up to date (revision {db.head_revision()})" in second.output
    assert "reference data: up to date" in second.output
    assert "nothing to do: already initialised" in second.output

    engine = db.make_engine(empty_database_url)
    try:
        with db.make_sessionmaker(engine)() as session:
            counts = [session.scalar(select(func.count()).select_from(m)) for m in (Country, Airport, Carrier)]
    finally:
        engine.dispose()
    assert all(count and count > 100 for count in counts)


def test_init_defaults_to_sqlite_under_gtas_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "fresh" / "instance"
    monkeypatch.setenv("GTAS_HOME", str(home))
    monkeypatch.delenv("GTAS_DATABASE_URL", raising=False)
    monkeypatch.delenv("GTAS_CONFIG", raising=False)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert (home / "gtas.db").is_file()
    assert f"database: sqlite:///{home.resolve().as_posix()}/gtas.db" in result.output


def test_init_reports_an_unreachable_database_without_a_traceback(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GTAS_HOME", str(tmp_path / "instance"))
    monkeypatch.setenv("GTAS_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 1
    assert "database error" in result.output and "Traceback" not in result.output


def test_a_gtas_config_file_sets_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = tmp_path / "gtas.toml"
    settings.write_text(f'GTAS_DATABASE_URL = "sqlite:///{tmp_path.as_posix()}/from-file.db"\n')
    monkeypatch.setenv("GTAS_HOME", str(tmp_path / "instance"))
    monkeypatch.setenv("GTAS_CONFIG", str(settings))
    monkeypatch.delenv("GTAS_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-file.db").is_file()
