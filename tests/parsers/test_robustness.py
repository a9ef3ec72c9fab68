"""Hostile and broken input: every mutation of a real message gives records or a clean error, never a crash."""

from __future__ import annotations

import gc
import re
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gtas.parsers import edifact, parse
from gtas.parsers.records import ParsedFile, ParseError
from tests.conftest import ROOT, corpus_dir

FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=5),  # a hang or a quadratic blow-up fails the test
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _sources() -> list[bytes]:
    """Real messages to mutate: the corpus when present, and the project's own sample messages."""
    paths: list[Path] = sorted((ROOT / "sample_messages").glob("*.*"))
    corpus = corpus_dir()
    if corpus is not None:
        paths += sorted(p for folder in ("paxlst", "pnrgov", "pnrgov-xml") for p in (corpus / folder).iterdir())
    sources = [p.read_bytes() for p in paths if p.suffix != ".md" and p.stat().st_size < 300_000]
    # Built in, so that the tests mutate something even without corpus and samples.
    sources.append(
        b"UNA:+.? 'UNB+UNOA:4+A+B+250101:1200+R'UNH+1+PAXLST:D:05B:UN:IATA+K+01:F'BGM+745'"
        b"TDT+20+LH400'LOC+125+FRA'DTM+189:2501011000:201'LOC+87+JFK'DTM+232:2501011300:201'"
        b"NAD+FL+++DOE:JANE'ATT+2++F'DTM+329:800101'DOC+P+X123'DTM+36:300101'UNT+13+1'UNZ+1+R'"
    )
    return sources


SOURCES = _sources()
SEPARATORS = b"+:'?*\n\r ()-<>/&\"="


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real message with one to four random mutations applied."""
    data = bytearray(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "delete", "duplicate", "separator", "flip", "insert"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "truncate":
            del data[at:]
        elif kind == "delete":
            end = data.find(b"'", at)
            del data[at : (end + 1 if end != -1 else len(data))]
        elif kind == "duplicate":
            end = data.find(b"'", at)
            data[at:at] = data[at : (end + 1 if end != -1 else len(data))]
        elif kind == "separator":
            old, new = draw(st.sampled_from(SEPARATORS)), draw(st.sampled_from(SEPARATORS))
            data = bytearray(bytes(data).replace(bytes([old]), bytes([new])))
        elif kind == "flip":
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
    return bytes(data)


def assert_clean(result: ParsedFile) -> None:
    assert isinstance(result, ParsedFile)
    assert result.messages or result.errors, "neither records nor an error"
    for diagnostic in [*result.errors, *result.warnings, *(w for m in result.messages for w in m.warnings)]:
        assert diagnostic.message


@FUZZ
@given(mutated())
def test_mutated_real_messages_give_records_or_a_clean_error(data: bytes) -> None:
    assert_clean(parse(data))


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes_give_a_clean_error(data: bytes) -> None:
    assert_clean(parse(data))


HOSTILE_NUMBERS = ["\u00b2", "\u0663", "0" * 5000, "9" * 5000, "9" * 40, "-1", "+1", " 1", "1_0", "1e5", "31e9999997",
                   "1e-9999999", "NaN", "-Infinity", "0x1F", "1,5", "", "\x00"]


@st.composite
def numbers_replaced(draw: st.DrawFn) -> bytes:
    """A real message with some of its numbers replaced by text that ``int()``, ``float()`` or ``Decimal()`` read
    oddly or refuse: superscripts, other scripts' digits, thousands of digits, signs, exponents, NaN."""
    data = draw(st.sampled_from(SOURCES))
    runs = [m.span() for m in re.finditer(rb"\d+", data)]
    if not runs:
        return data
    chosen = sorted(set(draw(st.lists(st.sampled_from(runs), min_size=1, max_size=6))), reverse=True)
    out = bytearray(data)
    for start, end in chosen:  # from the end, so that earlier positions still hold
        out[start:end] = draw(st.sampled_from(HOSTILE_NUMBERS)).encode()
    return bytes(out)


@FUZZ
@given(numbers_replaced())
def test_hostile_numbers_give_records_or_a_clean_error(data: bytes) -> None:
    assert_clean(parse(data))


EDIFACT_ALPHABET = "UNABGHTZSRCIFDOLMP+:'?*\\\n\r\t ()-.0123456789\u2019\u00e9"


@FUZZ
@given(st.text(alphabet=EDIFACT_ALPHABET, max_size=600))
def test_tokenizer_on_edifact_like_noise(text: str) -> None:
    try:
        document = edifact.read(text)
    except ParseError as exc:
        assert exc.diagnostic.severity == "error"
        return
    for segment in document.segments:
        assert len(segment.tag) == 3
        segment.composite()
        assert segment.line >= 1 and segment.column >= 1
    assert_clean(parse(text))


@FUZZ
@given(st.sampled_from(SOURCES), st.sampled_from(["utf-16", "cp1252", "latin-1", "utf-8-sig"]))
def test_wrongly_encoded_messages_still_read(data: bytes, encoding: str) -> None:
    text = data.decode("utf-8", errors="replace")
    assert_clean(parse(text.encode(encoding, errors="replace")))


@pytest.mark.parametrize("digit", "0123456789")
def test_digits_that_int_cannot_read_are_not_numbers(digit: str) -> None:
    """Latin-1 superscripts (byte B2 is "²") pass ``str.isdigit()`` but not ``int()``: in a date, a time, a count or
    a sequence number they make the value unreadable, never an exception."""
    for source in [*(p.read_bytes() for p in sorted((ROOT / "sample_messages").glob("*.edi"))), SOURCES[-1]]:
        assert_clean(parse(source.replace(digit.encode(), b"\xb2")))


@pytest.mark.parametrize("padding", [b"9" * 5000, b"0" * 5000], ids=["too-many-digits", "leading-zeros"])
def test_numbers_too_long_for_int_are_not_numbers(padding: bytes) -> None:
    """``int()`` refuses more than 4,300 digits, leading zeros included: a count, sequence number, quantity or bag
    tag that long is unreadable, or (zeros) read as the number they pad, never an exception."""
    small = [p.read_bytes() for p in sorted((ROOT / "sample_messages").glob("*.edi")) if p.stat().st_size < 10_000]
    for source in [*small, SOURCES[-1]]:
        result = parse(re.sub(rb"\d+", lambda run: padding + run[0], source))
        assert_clean(result)
        miscounts = [w for m in result.messages for w in m.warnings if "segments from UNH to UNT" in w.message]
        assert bool(miscounts) == (padding[0] == ord("9"))


def test_oversized_message_is_read_in_bounded_time() -> None:
    """A 7 MB list of 100,000 persons parses (linear time): nothing quadratic on the way."""
    person = b"NAD+FL+++DOE:JANE'ATT+2++F'DTM+329:800101'DOC+P+X123'DTM+36:300101'"
    data = (b"UNB+UNOA:4+A+B+250101:1200+R'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+LH400'"
            b"LOC+125+FRA'LOC+87+JFK'" + person * 100_000 + b"UNT+9+1'UNZ+1+R'")
    result = parse(data)
    assert len(result.messages[0].travellers) == 100_000


@pytest.mark.parametrize("path", sorted((ROOT / "sample_messages").glob("*.edi")), ids=lambda p: p.name)
def test_a_parse_leaves_no_reference_cycles(path: Path) -> None:
    """Segments and records are freed by reference counting as soon as they are dropped, not left for the cycle
    collector (which a parse pauses): a reader that referred to itself kept every segment of its message alive."""
    data = path.read_bytes()
    parse(data)  # the first parse imports and fills caches
    gc.collect()
    gc.disable()
    try:
        result = parse(data)
        assert result.messages and not result.errors
        del result
        assert gc.collect() == 0
    finally:
        gc.enable()
