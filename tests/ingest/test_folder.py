"""The drop folder: complete files are stored, processed and moved; files still being written are left alone."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from gtas.generator import flight_with, paxlst_writer
from gtas.ingest.folder import poll_folder
from gtas.jobs import POLL_JOB, make_scheduler, scheduler_from_settings
from gtas.model import Channel, Message, MessageStatus

CARD_KEY = b"test-card-key"
LIST = paxlst_writer.write(flight_with(passengers=3, pnrs=2, seed=4, start=datetime(2026, 5, 1)).passenger_list)[0]
GARBAGE = b"\x00\xff\xfe garbage \x80\x81 not a message"


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """Sessions joined to the test's outer transaction, as the poller opens them."""
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


def drop(inbox: Path, name: str, data: bytes, *, age: float = 60) -> Path:
    """A file in the inbox, last written ``age`` seconds ago."""
    inbox.mkdir(exist_ok=True)
    path = inbox / name
    path.write_bytes(data)
    os.utime(path, (time.time() - age, time.time() - age))
    return path


def messages(sessions: sessionmaker[Session]) -> list[Message]:
    with sessions() as session:
        return list(session.scalars(select(Message).order_by(Message.id)))


def test_complete_file_is_loaded_and_moved_to_processed(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    drop(tmp_path, "list.edi", LIST.encode())
    report = poll_folder(sessions, tmp_path, CARD_KEY, home_country="USA")
    assert report.processed == [tmp_path / "processed" / "list.edi"] and report.failed == []
    assert not (tmp_path / "list.edi").exists()
    [message] = messages(sessions)
    assert (message.channel, message.filename, message.status) == (Channel.FOLDER, "list.edi", MessageStatus.LOADED)
    assert message.raw == LIST.encode()


def test_garbage_goes_to_failed_with_its_reason(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    drop(tmp_path, "junk.bin", GARBAGE)
    report = poll_folder(sessions, tmp_path, CARD_KEY, home_country="USA")
    assert report.failed == [tmp_path / "failed" / "junk.bin"]
    [message] = messages(sessions)
    assert message.status == MessageStatus.FAILED_PARSE and message.raw == GARBAGE
    reason = (tmp_path / "failed" / "junk.bin.error.txt").read_text()
    assert reason.startswith(f"message {message.id}: failed_parse") and message.errors[0]["message"] in reason


@pytest.mark.parametrize(("name", "age"), [("list.edi.part", 60), ("list.tmp", 60), (".list.edi", 60),
                                           ("list.edi", 0)], ids=["part", "tmp", "hidden", "just-written"])
def test_file_being_written_is_left_alone(tmp_path: Path, sessions: sessionmaker[Session], name: str,
                                          age: float) -> None:
    drop(tmp_path, name, LIST.encode(), age=age)
    report = poll_folder(sessions, tmp_path, CARD_KEY, home_country="USA")
    assert report.processed == report.failed == []
    assert (tmp_path / name).exists() and messages(sessions) == []


def test_same_name_twice_keeps_both_files(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    drop(tmp_path, "list.edi", LIST.encode())
    poll_folder(sessions, tmp_path, CARD_KEY, home_country="USA")
    drop(tmp_path, "list.edi", LIST.encode())
    report = poll_folder(sessions, tmp_path, CARD_KEY, home_country="USA")
    assert report.processed == [tmp_path / "processed" / "list.1.edi"]
    assert [m.status for m in messages(sessions)] == [MessageStatus.LOADED, MessageStatus.DUPLICATE]


def test_empty_file_is_failed_without_a_message(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    drop(tmp_path, "empty.edi", b"")
    poll_folder(sessions, tmp_path, CARD_KEY, home_country="USA")
    assert (tmp_path / "failed" / "empty.edi.error.txt").read_text().startswith("file is empty")
    assert messages(sessions) == []


def test_missing_inbox_is_no_error(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    assert poll_folder(sessions, tmp_path / "absent", CARD_KEY).processed == []


def test_scheduler_polls_the_inbox(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    scheduler = make_scheduler(sessions, tmp_path / "inbox", CARD_KEY, poll_seconds=5, home_country="USA")
    job = scheduler.get_job(POLL_JOB)
    assert job.trigger.interval.total_seconds() == 5 and job.max_instances == 1
    drop(tmp_path / "inbox", "list.edi", LIST.encode())
    job.func(*job.args, **job.kwargs)
    assert (tmp_path / "inbox" / "processed" / "list.edi").exists()


def test_scheduler_reads_its_settings(tmp_path: Path, sessions: sessionmaker[Session],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GTAS_HOME", str(tmp_path))
    monkeypatch.setenv("GTAS_CARD_KEY", "k")
    monkeypatch.setenv("GTAS_POLL_SECONDS", "2.5")
    job = scheduler_from_settings(sessions).get_job(POLL_JOB)
    assert job.trigger.interval.total_seconds() == 2.5 and job.args[1] == tmp_path.resolve() / "inbox"
    assert (tmp_path / "inbox").is_dir()
    monkeypatch.setenv("GTAS_POLL_SECONDS", "0")
    with pytest.raises(ValueError, match="GTAS_POLL_SECONDS must be positive"):
        scheduler_from_settings(sessions)
