"""``gtas ingest`` on a folder, with the instance folder and database from the environment."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gtas import db
from gtas.cli import cli
from gtas.generator import flight_with, paxlst_writer, pnrgov_writer
from gtas.ingest import load
from gtas.model import Message, MessageStatus


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    flight = flight_with(passengers=6, pnrs=3, seed=21, start=datetime(2026, 6, 1))
    out = tmp_path / "in"
    out.mkdir()
    (out / "pax.edi").write_text(paxlst_writer.write(flight.passenger_list)[0])
    (out / "crew.edi").write_text(paxlst_writer.write(flight.crew_list)[0])
    (out / "pnr.edi").write_text(pnrgov_writer.write(flight.pnr))
    (out / "pax-again.edi").write_text(paxlst_writer.write(flight.passenger_list)[0])
    (out / "junk.txt").write_bytes(b"\x00junk")
    return out


def test_ingest_folder_prints_a_summary(empty_database_url: str, tmp_path: Path, folder: Path) -> None:
    engine = db.make_engine(empty_database_url)
    db.upgrade(engine)
    env = {"GTAS_HOME": str(tmp_path / "home"), "GTAS_DATABASE_URL": empty_database_url, "GTAS_CARD_KEY": "k"}
    result = CliRunner().invoke(cli, ["ingest", str(folder)], env=env)
    assert result.exit_code == 1, result.output  # the junk file failed
    table = dict(line.split(maxsplit=1) for line in result.output.splitlines()[-11:])
    assert {name: table[name].strip() for name in ("files", "messages", "loaded", "assessed", "duplicates", "failed",
                                                   "flights", "PNRs")} == {
        "files": "5", "messages": "5", "loaded": "3", "assessed": "3", "duplicates": "1", "failed": "1",
        "flights": "1", "PNRs": "3"}
    with db.make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 5
        assert session.scalar(select(func.count()).where(Message.status == MessageStatus.FAILED_PARSE)) == 1
        assert session.scalar(select(func.count()).where(Message.status == MessageStatus.ASSESSED)) == 3
    engine.dispose()


def test_ingest_without_schema_says_to_run_init(empty_database_url: str, tmp_path: Path, folder: Path) -> None:
    env = {"GTAS_HOME": str(tmp_path / "home"), "GTAS_DATABASE_URL": empty_database_url}
    result = CliRunner().invoke(cli, ["ingest", str(folder)], env=env)
    assert result.exit_code == 1
    assert "run `gtas init` first" in result.output


def test_a_crash_while_processing_one_file_fails_that_message_and_the_run_goes_on(
        empty_database_url: str, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug met by one message (here a loader that raises on PNRGOV) no longer stops ``gtas ingest`` with the
    message left unprocessed: it ends failed_load with the reason, and every other file is loaded."""
    from gtas.ingest import batch

    def process_but_not_pnrs(session: Session, message: Message, *args: Any, **kwargs: Any) -> Message:
        if b"PNRGOV" in message.raw:
            raise RuntimeError("a bug")
        return load.process(session, message, *args, **kwargs)

    monkeypatch.setattr(batch, "process", process_but_not_pnrs)
    engine = db.make_engine(empty_database_url)
    db.upgrade(engine)
    env = {"GTAS_HOME": str(tmp_path / "home"), "GTAS_DATABASE_URL": empty_database_url, "GTAS_CARD_KEY": "k"}
    result = CliRunner().invoke(cli, ["ingest", str(folder)], env=env)
    assert result.exit_code == 1, result.output
    assert "pnr.edi: message" in result.output and "internal error while processing (RuntimeError: a bug)" in (
        result.output)
    table = dict(line.split(maxsplit=1) for line in result.output.splitlines()[-11:])
    assert (table["messages"].strip(), table["loaded"].strip(), table["failed"].strip()) == ("5", "2", "2")
    with db.make_sessionmaker(engine)() as session:
        failed = session.scalars(select(Message).where(Message.filename.endswith("pnr.edi"))).one()
        assert failed.status == MessageStatus.FAILED_LOAD and "RuntimeError: a bug" in failed.errors[0]["message"]
        assert session.scalar(select(func.count()).where(Message.status == MessageStatus.ASSESSED)) == 2
    engine.dispose()
