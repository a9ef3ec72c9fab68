"""Loading parsed records for one stored message in one savepoint: all of it, or nothing and a reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from time import perf_counter

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from gtas.db import dialect_insert
from gtas.ingest.api import load_api_list
from gtas.ingest.context import LoadContext, LoadError, table_of
from gtas.ingest.pnrs import load_pnr_push
from gtas.model import FlightMessage, Message, MessageStatus
from gtas.parsers.records import Message as ParsedMessage

ATTEMPTS = 3
RETRYABLE = {"40001", "40P01"}  # serialization failure, deadlock detected (PostgreSQL)


def load_parsed(session: Session, message: Message, parsed: Sequence[ParsedMessage], *, complete: bool,
                home_country: str, also: Sequence[Message] = (),
                unchanged: Mapping[str, int] | None = None) -> LoadContext:
    """Load records in one savepoint: loaded, or failed_load with the reason; ``also``: the series' other parts.

    ``unchanged``: the ids of the PNRs the parser skipped as unchanged, by their raw digests.
    """
    started = perf_counter()
    for attempt in range(1, ATTEMPTS + 1):
        ctx = LoadContext(session, message, home_country, unchanged=unchanged or {}, again=bool(also))
        try:
            with session.begin_nested():
                _load(ctx, parsed, complete=complete, also=also)
        except DBAPIError as exc:
            if attempt < ATTEMPTS and getattr(exc.orig, "sqlstate", None) in RETRYABLE:
                continue  # another worker won a lock race; the savepoint is rolled back, so load again
            _failed(message, f"{type(exc).__name__}: {exc}".splitlines()[0][:500])
        except LoadError as exc:
            _failed(message, str(exc))
        except Exception as exc:  # a bug: keep the message, say why, go on with the next
            _failed(message, f"{type(exc).__name__}: {exc}".splitlines()[0][:500])
        else:
            message.status = MessageStatus.LOADED
            message.warnings = [*message.warnings, *ctx.warnings]
            for other in also:
                if other is not message:
                    other.status = MessageStatus.LOADED
        break
    message.load_ms = round((perf_counter() - started) * 1000, 3)
    session.flush()
    return ctx


def _load(ctx: LoadContext, parsed: Sequence[ParsedMessage], *, complete: bool, also: Sequence[Message]) -> None:
    for record in parsed:
        if record.type == "PAXLST":
            load_api_list(ctx, record, complete=complete)
        else:
            load_pnr_push(ctx, record, complete=complete)
    rows = [{"flight_id": f, "message_id": m.id} for f in sorted(ctx.flights) for m in also]
    if rows:
        link = dialect_insert(ctx.session.get_bind().dialect.name, table_of(FlightMessage))
        ctx.session.execute(link.on_conflict_do_nothing(), rows)


def _failed(message: Message, reason: str) -> None:
    message.status = MessageStatus.FAILED_LOAD
    message.errors = [*message.errors, {"segment": None, "line": None, "column": None, "tag": None,
                                        "message": f"not loaded: {reason}", "severity": "error"}]
