"""Message intake over HTTP: ``POST /api/v1/messages`` stores, then processes or queues; ``GET`` gives the status."""

from __future__ import annotations

import logging
import tempfile
from typing import IO, Any

from flask import Blueprint, Flask, current_app, request, url_for
from pika.exceptions import AMQPError
from sqlalchemy.orm import Session
from werkzeug.exceptions import RequestEntityTooLarge

from gtas.ingest.deliveries import STORED_HEADER
from gtas.ingest.queue import Publisher
from gtas.ingest.scope import process_in_scope
from gtas.ingest.store import receive
from gtas.model import Channel, Message, MessageStatus
from gtas.rules.loaded import assess_message
from gtas.web.api import auth
from gtas.web.database import get_session
from gtas.web.errors import ApiError

bp = Blueprint("api_messages", __name__, url_prefix="/api/v1")
bp.before_request(auth.require_token)
log = logging.getLogger(__name__)

RAW_TYPES = ("text/plain", "application/edifact", "application/xml", "text/xml", "application/octet-stream")
MULTIPART = "multipart/form-data"
FILE_FIELD = "file"
READ_CHUNK = 1024 * 1024
SPOOL_IN_MEMORY = 512 * 1024  # larger uploads go to a temporary file while the request is read


def init_app(app: Flask) -> None:
    """Register the intake routes and their token check; with AMQP_URL, stored messages are handed to the queue."""
    auth.init_app(app)
    app.register_blueprint(bp)
    if app.config.get("AMQP_URL"):
        app.extensions["gtas.publisher"] = Publisher(app.config["AMQP_URL"], app.config["AMQP_QUEUE"])


@bp.post("/messages")
def post_messages() -> tuple[dict[str, Any], int]:
    """Receive one message (raw body) or several (multipart, field ``file``); 202 with where to see each status."""
    if request.mimetype == MULTIPART:
        entries = [_accept(filename, data) for filename, data in _uploaded_files()]
        return {"messages": entries}, 202
    if request.mimetype not in RAW_TYPES:
        sent = request.content_type or "none"
        raise ApiError(415, "unsupported content type",
                       f"Content-Type was {sent}; send the message as one of {', '.join(RAW_TYPES)}, "
                       f"or as {MULTIPART} with one part named {FILE_FIELD!r} per message")
    return _accept(None, _raw_body()), 202


@bp.get("/messages/<int:message_id>")
def message_status(message_id: int) -> dict[str, Any]:
    """Status, type, version, warnings and errors of a message this token's party sent."""
    message = get_session().get(Message, message_id)
    if message is None or message.submitter != auth.current_token().party.name:
        raise ApiError(404, "message not found", f"no message {message_id} was sent with your party's tokens")
    return {
        "id": message.id,
        "status": str(message.status),
        "type": message.type,
        "version": message.version,
        "filename": message.filename,
        "received_at": message.received_at.isoformat(),
        "duplicate_of": message.duplicate_of_id,
        "warnings": message.warnings,
        "errors": message.errors,
    }


def _limit() -> int:
    limit: int = current_app.config["MAX_CONTENT_LENGTH"]
    return limit


def _raw_body() -> bytes:
    """The request body, read no further than the size limit (chunked bodies included)."""
    if request.content_length is not None and request.content_length > _limit():
        raise RequestEntityTooLarge()
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if chunked and request.content_length is None and not request.environ.get("wsgi.input_terminated"):
        raise ApiError(411, "length required", "this server cannot read chunked bodies: send Content-Length")
    data = _read_at_most(request.stream, _limit())
    if not data.strip():
        raise ApiError(400, "empty message", "the request body is empty: send the EDIFACT or XML message as the body")
    return data


def _read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """All of the stream, refused as too large once it passes ``limit`` bytes (reads may come back short)."""
    chunks, size = [], 0
    while chunk := stream.read(min(READ_CHUNK, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise RequestEntityTooLarge()
    return b"".join(chunks)


def _uploaded_files() -> list[tuple[str | None, bytes]]:
    """The ``file`` parts of a multipart body with their bytes; a truncated or malformed body is refused."""
    if request.content_length is not None and request.content_length > _limit():
        raise RequestEntityTooLarge()
    spooled: list[IO[bytes]] = []

    def spool(total_content_length: int | None, content_type: str | None, filename: str | None,
              content_length: int | None = None) -> IO[bytes]:
        spooled.append(tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="rb+"))  # noqa: SIM115
        return spooled[-1]

    parser = request.make_form_data_parser()
    parser.silent, parser.stream_factory = False, spool
    try:
        _, _, files = parser.parse(request.stream, request.mimetype, request.content_length, request.mimetype_params)
        uploads = [(storage.filename or None, storage.read()) for storage in files.getlist(FILE_FIELD)]
    except ValueError as exc:
        raise ApiError(400, "malformed multipart body",
                       f"the multipart body cannot be read ({exc}); check the boundary and that the upload is "
                       "complete") from exc
    finally:
        for file in spooled:  # closed here, also when parsing failed half-way
            file.close()
    if not uploads:
        raise ApiError(400, "no file", f"the multipart body has no part named {FILE_FIELD!r}: send each message "
                                       f"as a part named {FILE_FIELD!r}")
    empty = [filename or "(unnamed)" for filename, data in uploads if not data.strip()]
    if empty:
        raise ApiError(400, "empty message", f"these uploaded files are empty: {', '.join(empty)}")
    return uploads


def _accept(filename: str | None, data: bytes) -> dict[str, Any]:
    """Store the bytes (committed first: nothing is lost), then process them in scope of the token's carriers."""
    party = auth.current_token().party
    session = get_session()
    message = receive(session, data, channel=Channel.HTTP, submitter=party.name, filename=filename)
    session.commit()
    if message.status == MessageStatus.RECEIVED and _handed_off(message.id):
        return _entry(message, filename)
    try:
        process_in_scope(session, message, current_app.config["CARD_KEY"], party.carriers,
                         home_country=current_app.config["HOME_COUNTRY"])
        session.commit()
        _assess(session, message)
    except Exception as exc:  # the raw message is stored; it must still end with a status and a reason
        session.rollback()
        log.exception("processing message %s failed", message.id)
        message = session.get_one(Message, message.id)
        message.status = MessageStatus.FAILED_LOAD
        message.errors = [{"segment": None, "line": None, "column": None, "tag": None, "severity": "error",
                           "message": f"internal error while processing ({type(exc).__name__}); please report it"}]
        session.commit()
    return _entry(message, filename)


def _assess(session: Session, message: Message) -> None:
    """Assess the travellers a loaded message touched; if that fails the message stays loaded for the sweep job."""
    if message.status != MessageStatus.LOADED:
        return
    try:
        assess_message(session, message)
        session.commit()
    except Exception:
        session.rollback()
        log.exception("assessing message %s failed; the sweep will assess it", message.id)


def _handed_off(message_id: int) -> bool:
    """Whether the stored message was handed to the workers on the queue (only when there is one, and it took it)."""
    publisher: Publisher | None = current_app.extensions.get("gtas.publisher")
    if publisher is None:
        return False
    try:
        publisher.publish(b"", {STORED_HEADER: message_id})
    except AMQPError:
        log.warning("cannot hand message %s to the queue; processing it here", message_id, exc_info=True)
        return False
    return True


def _entry(message: Message, filename: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": message.id, "status": str(message.status),
                             "status_url": url_for("api_messages.message_status", message_id=message.id)}
    if filename is not None or request.mimetype == MULTIPART:
        entry["filename"] = filename
    return entry
