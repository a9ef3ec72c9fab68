"""``gtas watchlist import | export | lists`` against a migrated database from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from gtas import db
from gtas.cli import cli
from gtas.rules.watchlist_file import COLUMNS

CSV = "\n".join([
    ",".join(COLUMNS),
    "R1,,Al-Rashid,Omar,Abu Omar,12/03/1980,male,Iraq,passport,A1234567,IQ,terrorism,critical,",
    "R2,Jane Doe,,,,1975,F,,,,,,,known courier",
    "LOST-1,,,,,,,,P,X9999999,FRA,lost_stolen_document,,",
]) + "\n"


def _count(url: str, sql: str) -> int:
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def _file(tmp_path: Path, content: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_import_creates_the_list_then_reimport_changes_nothing(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    path = _file(tmp_path, CSV)
    first = runner.invoke(cli, ["watchlist", "import", str(path), "--list", "Red notices", "--category", "wanted",
                                "--by", "alice"])
    assert first.exit_code == 0, first.output
    lines = [line.split() for line in first.stdout.splitlines()]
    assert ["added", "2", "R1", "Al-Rashid,", "Omar"] in lines
    assert ["added", "4", "LOST-1", "document", "X9999999"] in lines
    assert "3 added, 0 changed, 0 removed, 0 unchanged, 0 errors" in first.stdout
    assert "created list 'Red notices', now version 1" in first.stdout
    assert _count(database, "SELECT count(*) FROM watchlist_entry_change WHERE changed_by = 'alice'") == 3

    again = runner.invoke(cli, ["watchlist", "import", str(path), "--list", "Red notices"])
    assert again.exit_code == 0 and "0 added, 0 changed, 0 removed, 3 unchanged" in again.stdout
    assert "updated list 'Red notices', now version 1" in again.stdout

    listed = runner.invoke(cli, ["watchlist", "lists"])
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[1].split() == ["Red", "notices", "wanted", "high", "1", "3", "yes", "alice"]


def test_dry_run_shows_the_diff_and_writes_nothing(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["watchlist", "import", str(_file(tmp_path, CSV)), "--list", "L"], catch_exceptions=False)
    edited = CSV.replace("known courier", "armed courier").replace("LOST-1", "LOST-2")
    dry = runner.invoke(cli, ["watchlist", "import", str(_file(tmp_path, edited, "new.csv")), "--list", "L",
                              "--dry-run"])
    assert dry.exit_code == 0, dry.output
    lines = [line.split() for line in dry.stdout.splitlines()]
    assert ["action", "row", "reference", "name", "changed", "fields"] in lines
    assert ["changed", "3", "R2", "Jane", "Doe", "notes"] in lines
    assert ["added", "4", "LOST-2", "document", "X9999999"] in lines
    assert ["removed", "LOST-1", "document", "X9999999"] in lines
    assert "1 added, 1 changed, 1 removed, 1 unchanged, 0 errors" in dry.stdout
    assert "dry run: nothing was written" in dry.stdout
    assert _count(database, "SELECT version FROM watchlist") == 1
    assert _count(database, "SELECT count(*) FROM watchlist_entry WHERE reference = 'LOST-2'") == 0

    applied = runner.invoke(cli, ["watchlist", "import", str(tmp_path / "new.csv"), "--list", "L"])
    assert applied.exit_code == 0 and "now version 2" in applied.stdout
    assert _count(database, "SELECT count(*) FROM watchlist_entry WHERE status = 'removed'") == 1


def test_row_errors_are_listed_and_nothing_is_imported(database: str, tmp_path: Path) -> None:
    bad = CSV + "R3,John Smith,,,,1980-02-30,,Atlantis,,,,,,\nR1,Copy,,,,,,,,,,,,\n"
    result = CliRunner().invoke(cli, ["watchlist", "import", str(_file(tmp_path, bad)), "--list", "L"])
    assert result.exit_code == 1
    errors = [line.split()[:2] for line in result.stderr.splitlines()]
    assert ["5", "date_of_birth"] in errors and ["5", "nationality"] in errors and ["6", "reference"] in errors
    assert "3 errors in" in result.stderr and "nothing was imported" in result.stderr
    assert _count(database, "SELECT count(*) FROM watchlist") == 0


def test_export_then_import_in_both_formats(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["watchlist", "import", str(_file(tmp_path, CSV)), "--list", "L"], catch_exceptions=False)
    shown = runner.invoke(cli, ["watchlist", "export", "--list", "L"])
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[0] == ",".join(COLUMNS)
    assert "R1,,Al-Rashid,Omar,Abu Omar,1980-03-12,M,IRQ,P,A1234567,IRQ,terrorism,critical," in shown.stdout
    for name in ("again.csv", "again.xlsx"):
        written = runner.invoke(cli, ["watchlist", "export", "--list", "L", "--out", str(tmp_path / name)])
        assert written.exit_code == 0 and f"wrote 3 entries to {tmp_path / name}" in written.stderr
        back = runner.invoke(cli, ["watchlist", "import", str(tmp_path / name), "--list", "L"])
        assert back.exit_code == 0 and "0 added, 0 changed, 0 removed, 3 unchanged" in back.stdout


def test_clear_errors_for_wrong_use(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["watchlist", "import", str(_file(tmp_path, CSV)), "--list", "L"], catch_exceptions=False)
    again = runner.invoke(cli, ["watchlist", "import", str(tmp_path / "list.csv"), "--list", "L", "--severity", "low"])
    assert again.exit_code == 1 and "--category and --severity set up a new list" in again.output
    missing = runner.invoke(cli, ["watchlist", "export", "--list", "Nope"])
    assert missing.exit_code == 1 and "no list named 'Nope'" in missing.output
    bad_out = runner.invoke(cli, ["watchlist", "export", "--list", "L", "--out", str(tmp_path / "x.json")])
    assert bad_out.exit_code == 1 and "unsupported file type .json" in bad_out.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("reference,full_name\nR1,Zoë\n".encode("cp1252"))
    wrong = runner.invoke(cli, ["watchlist", "import", str(latin), "--list", "L", "--dry-run"])
    assert wrong.exit_code == 1 and "--encoding cp1252" in wrong.stderr


def test_a_database_without_schema_asks_for_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GTAS_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = CliRunner().invoke(cli, ["watchlist", "lists"])
    assert result.exit_code == 1 and "gtas init" in result.output


def test_a_new_list_and_its_rows_name_active_managed_categories(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    path = _file(tmp_path, CSV)
    for options in (["--dry-run"], []):
        refused = runner.invoke(cli, ["watchlist", "import", str(path), "--list", "Spies", "--category", "gossip",
                                      *options])
        assert refused.exit_code == 1 and "unknown or retired category 'gossip' (use one of: fraud," in refused.output
    bad_row = _file(tmp_path, CSV.replace("terrorism,critical", "spying,critical"), "bad.csv")
    refused = runner.invoke(cli, ["watchlist", "import", str(bad_row), "--list", "Spies"])
    assert refused.exit_code == 1 and "unknown or retired category 'spying'" in refused.output
    assert _count(database, "SELECT count(*) FROM watchlist") == 0
    created = runner.invoke(cli, ["watchlist", "import", str(path), "--list", "Spies",
                                  "--category", "Human trafficking"])
    assert created.exit_code == 0, created.output
    assert _count(database, "SELECT count(*) FROM watchlist WHERE category = 'human_trafficking'") == 1
