"""What the writers produce is valid EDIFACT: counts, multi-part headers, release characters."""

from __future__ import annotations

import copy

import pytest

from gtas.generator import Traffic, paxlst_writer, pnrgov_writer
from gtas.generator.edifact_out import SegmentWriter
from gtas.parsers import edifact
from gtas.parsers.edifact import ServiceChars


def _clean(text: str) -> edifact.Edifact:
    document = edifact.read(text)
    warnings = [*document.warnings, *(w for m in document.messages for w in m.warnings)]
    assert warnings == []
    return document


def test_every_file_reads_without_warnings(traffic: Traffic) -> None:
    for flight in traffic.flights[:12]:
        for message in flight.api:
            for text in paxlst_writer.write(message, max_travellers_per_part=100):
                _clean(text)
        _clean(pnrgov_writer.write(flight.pnr))


def test_counts_in_trailers_match(traffic: Traffic) -> None:
    text = pnrgov_writer.write(traffic.flights[0].pnr)
    segments = [s for s in text.split("'\n") if s]
    unh = next(i for i, s in enumerate(segments) if s.startswith("UNH+"))
    unt = next(i for i, s in enumerate(segments) if s.startswith("UNT+"))
    assert segments[unt].split("+")[1] == str(unt - unh + 1)
    assert segments[-2].startswith("UNE+1+") and segments[-1].startswith("UNZ+1+")
    assert segments[0].startswith("UNA:+.?*'UNB") is False and text.startswith("UNA:+.?*'\nUNB+IATA:1+")


def test_multi_part_lists_repeat_headers_and_flight_total(traffic: Traffic) -> None:
    message = max((f.passenger_list for f in traffic.flights), key=lambda m: len(m.travellers))
    parts = paxlst_writer.write(message, max_travellers_per_part=50)
    total = len(message.travellers)
    assert len(parts) == -(-total // 50) >= 3
    status = []
    for text in parts:
        document = _clean(text)
        [raw] = list(document.messages)
        status.append(raw.header.elements[3] if len(raw.header.elements) > 3 else "")
        tags = [s.tag for s in raw.segments]
        assert tags[:2] == ["UNH", "BGM"] and "TDT" in tags
        assert sum(tag == "NAD" for tag in tags) in (51, total - 50 * (len(parts) - 1) + 1)
        cnt = next(s for s in raw.segments if s.tag == "CNT")
        assert cnt.get(0, 0) == "42" and cnt.get(0, 1) == str(total)
    assert status[0] == "01:C" and status[-1] == f"{len(parts):02d}:F"
    assert status[1:-1] == [f"{n:02d}" for n in range(2, len(parts))]
    assert paxlst_writer.write(message)[0].count("UNH+") == 1
    assert "+01:F'" in paxlst_writer.write(message)[0]


def test_release_characters_protect_data() -> None:
    writer = SegmentWriter()
    writer.add("NAD", "FL", None, None, ("O'NEIL", "MARY+ANN", "A:B?"))
    assert writer.segments == ["NAD+FL+++O?'NEIL:MARY?+ANN:A?:B??"]


def test_names_with_apostrophes_survive_tokenizing(traffic: Traffic) -> None:
    flight = next(f for f in traffic.flights if any("'" in (t.surname or "") for t in f.passenger_list.travellers))
    text = paxlst_writer.write(flight.passenger_list)[0]
    assert "?'" in text
    document = _clean(text)
    names = {s.get(3, 0) for m in document.messages for s in m.segments if s.tag == "NAD"}
    assert any("'" in name for name in names)


@pytest.mark.parametrize("chars", [ServiceChars(element="(", terminator="-"), ServiceChars(element="*", repetition="^",
                                                                                          terminator="$")])
def test_other_service_characters(chars: ServiceChars, traffic: Traffic) -> None:
    message = traffic.flights[0].crew_list
    text = paxlst_writer.write(message, chars=chars)[0]
    assert text.startswith(f"UNA{chars}")
    document = _clean(text)
    assert sum(s.tag == "NAD" for s in document.segments) == len(message.travellers) + 1


def test_writers_leave_the_records_alone(traffic: Traffic) -> None:
    flight = traffic.flights[1]
    before = copy.deepcopy(flight.passenger_list.travellers)
    paxlst_writer.write(flight.passenger_list, max_travellers_per_part=10)
    pnrgov_writer.write(flight.pnr)
    assert before == flight.passenger_list.travellers
