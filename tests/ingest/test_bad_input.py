"""Bad input is stored verbatim with status failed_parse and a reason that says where."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from gtas.generator import flight_with, paxlst_writer
from gtas.model import MessageStatus
from tests.conftest import ROOT
from tests.ingest.helpers import deliver

LIST = paxlst_writer.write(flight_with(passengers=3, pnrs=2, seed=2, start=datetime(2026, 5, 1)).passenger_list)[0]


@pytest.mark.parametrize(("data", "reason"), [
    (b"\x00\xff\xfe garbage \x80\x81 not a message", ""),
    (LIST[:60].encode(), ""),
    (LIST.replace("PAXLST", "CUSRES").encode(), "not supported"),
    (b"", ""),
], ids=["garbage", "truncated", "unsupported-type", "empty"])
def test_bad_input_is_kept_with_its_reason(session: Session, data: bytes, reason: str) -> None:
    message = deliver(session, data)
    assert message.status == MessageStatus.FAILED_PARSE
    assert message.raw == data and message.size == len(data)
    assert message.errors and all(e["severity"] == "error" for e in message.errors)
    assert reason in message.errors[0]["message"]


def test_unsupported_type_names_the_segment(session: Session) -> None:
    message = deliver(session, LIST.replace("PAXLST", "CUSRES"))
    assert message.errors[0]["tag"] == "UNH" and message.errors[0]["line"] is not None


def test_values_too_long_for_a_column_are_cut_with_a_warning(session: Session) -> None:
    long_name = "X" * 150
    message = deliver(session, LIST.replace("NAD+FL+++", f"NAD+FL+++{long_name}", 1))
    assert message.status == MessageStatus.LOADED, message.errors
    assert any("cut to 100 characters" in w["message"] for w in message.warnings)


def test_counts_too_large_for_their_columns_are_not_read(session: Session) -> None:
    """A bag count, a part's sequence number or a checked-bag count of twelve digits passes for a number, but no
    32-bit column holds it: PostgreSQL refused the load, or the bookkeeping of the message."""
    push = (ROOT / "sample_messages" / "pnrgov_infants.edi").read_text()
    bags = deliver(session, push.replace("TBD++1:20:700", "TBD++999999999999:20:700"))
    assert bags.status == MessageStatus.LOADED, bags.errors
    part = deliver(session, push.replace("/EK/732'", "/EK/732+999999999999:F'", 1).replace("5EXT6H", "5EXT6J"))
    assert part.status == MessageStatus.LOADED, part.errors
    checked = deliver(session, LIST.replace("MEA+CT++:1'", "MEA+CT++:999999999999'", 1))
    assert checked.status == MessageStatus.LOADED, checked.errors
