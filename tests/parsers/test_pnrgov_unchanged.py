"""PNRs a caller knows unchanged: each PNR's raw digest, and skipping PNRs without changing how the others read."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gtas.generator import flight_with, pnrgov_writer
from gtas.parsers import parse
from gtas.parsers.records import Message, Pnr, to_jsonable
from tests.conftest import corpus_files

KEY = b"test-card-key"
PUSH = flight_with(passengers=14, pnrs=7, seed=5, start=datetime(2026, 3, 1)).pnr


def pushes(text: str | bytes, *, unchanged: set[str] | None = None, key: bytes = KEY) -> list[Message]:
    """The PNRGOV messages of a file, skipping PNRs whose digest is in ``unchanged``."""
    result = parse(text, card_key=key, unchanged=None if unchanged is None else lambda _, digests: unchanged)
    return [m for m in result.messages if m.type == "PNRGOV"]


def read_as(pnr: Pnr) -> object:
    """What a PNR reads as, without its position in the message."""
    return to_jsonable(dataclasses.replace(pnr, first_segment=None))


def digests(text: str | bytes, key: bytes = KEY) -> list[str | None]:
    return [pnr.raw_digest for message in pushes(text, key=key) for pnr in message.pnrs]


def test_every_pnr_of_an_edifact_push_has_a_distinct_digest() -> None:
    found = digests(pnrgov_writer.write(PUSH))
    assert len(found) == 7 and None not in found and len(set(found)) == 7


def test_the_digest_ignores_the_envelope_but_not_the_pnr_or_what_reading_it_depends_on() -> None:
    first = digests(pnrgov_writer.write(PUSH))
    later = dataclasses.replace(PUSH, interchange_reference="77", prepared=(PUSH.prepared or datetime.min)
                                + timedelta(hours=20))
    assert digests(pnrgov_writer.write(later)) == first  # another push of the same bookings
    changed = dataclasses.replace(PUSH.pnrs[2], last_modified=(PUSH.pnrs[2].last_modified or datetime.min)
                                  + timedelta(minutes=1))
    one_changed = digests(pnrgov_writer.write(dataclasses.replace(PUSH, pnrs=[*PUSH.pnrs[:2], changed,
                                                                              *PUSH.pnrs[3:]])))
    assert [a == b for a, b in zip(first, one_changed, strict=True)] == [True, True, False, True, True, True, True]
    assert set(digests(pnrgov_writer.write(PUSH), key=b"another key")).isdisjoint(first)  # card hashes differ
    moved = dataclasses.replace(PUSH, flights=[dataclasses.replace(PUSH.flights[0], number="9999")])
    assert set(digests(pnrgov_writer.write(moved))).isdisjoint(first)  # the prime flight shapes what a PNR says


def test_the_caller_is_asked_once_with_the_header_read_and_every_digest() -> None:
    asked: list[tuple[list[str | None], int, list[str]]] = []
    text = pnrgov_writer.write(PUSH)
    parse(text, card_key=KEY, unchanged=lambda header, found: asked.append(
        ([leg.number for leg in header.flights], len(header.pnrs), list(found))) or set())
    assert asked == [([PUSH.flights[0].number], 0, digests(text))]


def test_skipped_pnrs_are_listed_and_the_others_read_exactly_as_in_a_full_read() -> None:
    text = pnrgov_writer.write(PUSH)
    full = pushes(text)[0]
    known = {pnr.raw_digest for pnr in full.pnrs[1::2] if pnr.raw_digest}
    partial = pushes(text, unchanged=known)[0]
    assert partial.unchanged_pnrs == [pnr.raw_digest for pnr in full.pnrs[1::2]]
    assert [read_as(p) for p in partial.pnrs] == [read_as(p) for p in full.pnrs[0::2]]
    assert not [w for w in partial.warnings if "EQN" in w.message]  # skipped PNRs still count


def test_without_a_header_flight_nothing_is_digested_or_skipped() -> None:
    text = pnrgov_writer.write(dataclasses.replace(PUSH, flights=[]))
    messages = pushes(text, unchanged={"anything"})
    assert messages and all(pnr.raw_digest is None for pnr in messages[0].pnrs)
    assert messages[0].unchanged_pnrs == []


@pytest.mark.parametrize("name", corpus_files("pnrgov"))
def test_corpus_skipping_any_pnr_leaves_the_others_as_they_read(corpus: Path, name: str) -> None:
    data = (corpus / name).read_bytes()
    full = pushes(data)
    for position, message in enumerate(full):
        for skipped in message.pnrs:
            if skipped.raw_digest is None:
                continue
            partial = pushes(data, unchanged={skipped.raw_digest})[position]
            assert partial.unchanged_pnrs == [skipped.raw_digest]
            assert [read_as(p) for p in partial.pnrs] == [read_as(p) for p in message.pnrs if p is not skipped]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), skip=st.lists(st.booleans(), min_size=1, max_size=12))
def test_generated_pushes_read_the_same_with_any_pnrs_skipped(seed: int, skip: list[bool]) -> None:
    push = flight_with(passengers=12, pnrs=6, seed=seed, start=datetime(2026, 3, 1)).pnr
    text = pnrgov_writer.write(push)
    full = pushes(text)[0]
    chosen = [pnr for pnr, drop in zip(full.pnrs, skip * len(full.pnrs), strict=False) if drop]
    partial = pushes(text, unchanged={p.raw_digest for p in chosen if p.raw_digest})[0]
    assert len(partial.unchanged_pnrs) == len(chosen)
    assert [read_as(p) for p in partial.pnrs] == [read_as(p) for p in full.pnrs if p not in chosen]
