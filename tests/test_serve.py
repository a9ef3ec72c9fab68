"""``gtas serve`` on the embedded default: it creates its database, answers HTTP, and its scheduler polls the folder."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import click
import pytest
from sqlalchemy import func, select

from gtas import db
from gtas.generator import flight_with, paxlst_writer
from gtas.ingest.tokens import create_token
from gtas.model import Airport, Channel, Message, MessageStatus, User
from gtas.serve import first_administrator, prepare_database
from gtas.web.auth.passwords import verify_password

GTAS = Path(sys.executable).with_name("gtas")
LIST = paxlst_writer.write(flight_with(passengers=4, pnrs=2, seed=8, start=datetime(2026, 9, 1)).passenger_list)[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def eventually(check: Callable[[], bool], timeout: float = 20) -> None:
    """Wait until ``check()`` is true."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def get(url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    """``gtas serve`` on a free port with a fresh instance folder: its base URL, the instance folder and the lines it
    printed before serving."""
    port, home = free_port(), tmp_path / "home"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GTAS_")}, "GTAS_HOME": str(home),
           "GTAS_POLL_SECONDS": "0.2", "GTAS_CARD_KEY": "k"}
    process = subprocess.Popen([str(GTAS), "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert process.poll() is None, process.communicate()[0].decode()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    try:
        eventually(answers)
        assert process.stdout is not None
        printed = [process.stdout.readline().decode().strip() for _ in range(2)]
        yield base, home, printed
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=20)[0].decode()
        assert process.returncode == 0, output


def test_serve_prints_where_it_is_and_the_first_administrator_password_once(
        served: tuple[str, Path, list[str]]) -> None:
    base, home, printed = served
    assert printed[0] == f"GTAS is at {base}/"
    password = re.fullmatch(r"sign in as admin with the password (\S+) \(shown this once;.*", printed[1])
    assert password, printed
    engine = db.make_engine(f"sqlite:///{home / 'gtas.db'}")
    with db.make_sessionmaker(engine)() as session:
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        assert admin.roles == ["administrator"] and verify_password(admin.password_hash, password[1])
    engine.dispose()
    assert first_administrator(f"sqlite:///{home / 'gtas.db'}") is None  # never a second time


def test_serve_answers_and_its_scheduler_polls_the_drop_folder(served: tuple[str, Path, list[str]]) -> None:
    base, home, _ = served
    status, body = get(f"{base}/api/v1/messages/1")
    assert status == 401 and body["error"] == "authentication required"
    engine = db.make_engine(f"sqlite:///{home / 'gtas.db'}")
    sessions = db.make_sessionmaker(engine)
    with sessions.begin() as session:
        token = create_token(session, "Acme", ["AA"])
    inbox = home / "inbox"
    (inbox / "list.edi.part").write_text(LIST)  # written under a temporary name, then renamed: complete at once
    (inbox / "list.edi.part").rename(inbox / "list.edi")
    past = time.time() - 60
    os.utime(inbox / "list.edi", (past, past))
    eventually((inbox / "processed" / "list.edi").exists)
    with sessions() as session:
        [message] = session.scalars(select(Message))
    assert message.channel == Channel.FOLDER
    assert message.status in (MessageStatus.LOADED, MessageStatus.ASSESSED)  # the assessment job follows the load
    status, body = get(f"{base}/api/v1/messages/{message.id}", {"Authorization": f"Bearer {token}"})
    assert status == 404  # sent by the folder, not by this party
    engine.dispose()


def test_serve_creates_the_embedded_database_with_its_reference_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gtas.db'}"
    prepare_database(url)
    prepare_database(url)  # again: nothing to do
    engine = db.make_engine(url)
    assert db.current_revision(engine) == db.head_revision()
    with db.make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Airport))
    engine.dispose()


def test_serve_wants_postgresql_initialised_first(empty_database_url: str) -> None:
    if empty_database_url.startswith("sqlite"):
        pytest.skip("an embedded SQLite database is created on start")
    with pytest.raises(click.ClickException, match=r"schema revision none, .* run `gtas init` first"):
        prepare_database(empty_database_url)


def test_serve_on_gunicorn_answers_from_worker_processes_and_still_polls_the_drop_folder(tmp_path: Path) -> None:
    port, home = free_port(), tmp_path / "home"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GTAS_")}, "GTAS_HOME": str(home),
           "GTAS_POLL_SECONDS": "0.2", "GTAS_CARD_KEY": "k"}
    process = subprocess.Popen([str(GTAS), "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert process.poll() is None, process.communicate()[0].decode()
        try:
            return get(f"{base}/api/v1/messages/1")[0] == 401
        except OSError:
            return False

    try:
        eventually(answers, timeout=60)
        assert process.stdout is not None
        assert process.stdout.readline().decode().strip() == f"GTAS is at {base}/ (gunicorn: 2 workers of 2 threads)"
        workers = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert len(workers) == 2
        inbox = home / "inbox"
        (inbox / "list.edi.part").write_text(LIST)
        (inbox / "list.edi.part").rename(inbox / "list.edi")
        past = time.time() - 60
        os.utime(inbox / "list.edi", (past, past))
        eventually((inbox / "processed" / "list.edi").exists)  # by the scheduler in gunicorn's master process
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 0, output
    assert output.count("Worker exiting") == 2
