"""The drop folder: complete files in the inbox are stored, processed, and moved to processed/ or failed/."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from gtas.ingest.load import process
from gtas.ingest.store import receive
from gtas.model import Channel, Message, MessageStatus

log = logging.getLogger(__name__)

PROCESSED, FAILED = "processed", "failed"
UNFINISHED_SUFFIXES = (".part", ".tmp", ".error.txt")
SETTLE_SECONDS = 2.0  # a file modified more recently than this may still be being written
MAX_FILE_BYTES = 64 * 1024 * 1024
FAILED_STATUSES = (MessageStatus.FAILED_PARSE, MessageStatus.FAILED_LOAD)


@dataclass(slots=True)
class PollReport:
    """What one poll did: the files moved to processed/ and to failed/ (their new paths)."""

    processed: list[Path] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)


def ready_files(inbox: Path, *, settle_seconds: float = SETTLE_SECONDS, now: float | None = None) -> list[Path]:
    """Files in the inbox that are complete: not hidden, not .part/.tmp, unchanged for ``settle_seconds``."""
    moment = time.time() if now is None else now
    ready = []
    for path in sorted(inbox.iterdir()):
        if path.name.startswith(".") or path.name.lower().endswith(UNFINISHED_SUFFIXES) or not path.is_file():
            continue
        try:
            if moment - path.stat().st_mtime < settle_seconds:
                continue
        except FileNotFoundError:  # taken away since the listing
            continue
        ready.append(path)
    return ready


def poll_folder(session_factory: sessionmaker[Session], inbox: Path, card_key: bytes, *,
                settle_seconds: float = SETTLE_SECONDS, home_country: str | None = None) -> PollReport:
    """Store and process every complete file in the inbox, each in its own transactions, then move it."""
    report = PollReport()
    if not inbox.is_dir():
        return report
    for path in ready_files(inbox, settle_seconds=settle_seconds):
        reason = _ingest(session_factory, path, card_key, home_country)
        if reason is None:
            report.processed.append(_move(path, inbox / PROCESSED))
        else:
            moved = _move(path, inbox / FAILED)
            moved.with_name(moved.name + ".error.txt").write_text(reason + "\n", encoding="utf-8")
            report.failed.append(moved)
    return report


def _ingest(session_factory: sessionmaker[Session], path: Path, card_key: bytes,
            home_country: str | None) -> str | None:
    """Receive (committed first) and process one file; None when it went well, else why it failed."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"file is {size} bytes; the limit is {MAX_FILE_BYTES}; not stored"
    if size == 0:
        return "file is empty; not stored"
    with session_factory.begin() as session:
        message_id = receive(session, path.read_bytes(), channel=Channel.FOLDER, filename=path.name).id
    try:
        with session_factory.begin() as session:
            message = process(session, session.get_one(Message, message_id), card_key, home_country=home_country)
            status, errors = message.status, list(message.errors)
    except Exception as exc:  # the raw bytes are stored; the file still needs a reason beside it
        log.exception("processing %s (message %s) failed", path, message_id)
        return f"message {message_id}: internal error while processing ({type(exc).__name__}: {exc})"
    if status not in FAILED_STATUSES:
        return None
    lines = [f"message {message_id}: {status}"]
    lines += [_error_line(error) for error in errors]
    return "\n".join(lines)


def _error_line(error: dict[str, object]) -> str:
    where = ", ".join(f"{key} {error[key]}" for key in ("line", "column", "tag") if error.get(key) is not None)
    return f"- {error.get('message')}" + (f" ({where})" if where else "")


def _move(path: Path, folder: Path) -> Path:
    """Move the file into the folder, keeping its name unless taken (then a counter is added before the suffix)."""
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    counter = 1
    while target.exists():
        target = folder / f"{path.stem}.{counter}{path.suffix}"
        counter += 1
    return path.replace(target)
