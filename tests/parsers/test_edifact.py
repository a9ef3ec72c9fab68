"""The EDIFACT tokenizer: service characters, wrappers, positions, decoding, envelope checks."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest
from pydifact.control import Characters
from pydifact.parser import Parser

from gtas.parsers import edifact
from gtas.parsers.edifact import ServiceChars
from gtas.parsers.records import ParseError
from tests.conftest import corpus_files

SIMPLE = (
    "UNA:+.? '"
    "UNB+UNOA:4+SENDER+RECIPIENT+250101:1200+REF1'"
    "UNH+1+PAXLST:D:05B:UN:IATA+KEY+01:F'"
    "BGM+745'"
    "NAD+FL+++O?'BRIEN:SEAN?+TEST'"
    "UNT+4+1'"
    "UNZ+1+REF1'"
)


def tags(doc: edifact.Edifact) -> list[str]:
    return [s.tag for s in doc.segments]


def test_reads_segments_elements_and_components() -> None:
    doc = edifact.read(SIMPLE)
    assert tags(doc) == ["UNB", "UNH", "BGM", "NAD", "UNT", "UNZ"]
    nad = doc.segments[3]
    assert nad.get(0) == "FL"
    assert nad.get(3, 0) == "O'BRIEN"
    assert nad.get(3, 1) == "SEAN+TEST"
    assert nad.get(3, 2) == ""
    assert nad.get(9) == ""
    assert nad.composite() == [["FL"], [""], [""], ["O'BRIEN", "SEAN+TEST"]]


def test_messages_are_grouped_with_envelope_and_clean_counts() -> None:
    doc = edifact.read(SIMPLE)
    (interchange,) = doc.interchanges
    assert interchange.header is not None and interchange.header.get(1) == "SENDER"
    (message,) = interchange.messages
    assert message.type == "PAXLST"
    assert [s.tag for s in message.body] == ["BGM", "NAD"]
    assert doc.warnings == [] and message.warnings == []


def test_release_character_before_itself_and_terminator() -> None:
    doc = edifact.read("UNH+1+PNRGOV:11:1:IA'FTX+A??'UNT+3+1'")
    assert doc.segments[1].get(0) == "A?"
    assert tags(doc) == ["UNH", "FTX", "UNT"]


def test_release_character_before_ordinary_data_is_kept() -> None:
    doc = edifact.read("UNH+1+PAXLST'FTX+WHAT?X'UNT+3+1'")
    assert doc.segments[1].get(0) == "WHAT?X"


def test_repetition_separator_is_data() -> None:
    doc = edifact.read("UNA:+.?*'UNH+1+PNRGOV'LTS+LK *1A/E* /KE'UNT+3+1'")
    assert doc.segments[1].get(0) == "LK *1A/E* /KE"


def test_non_default_separators_from_una() -> None:
    doc = edifact.read("UNA:(.) -\r\nUNB(UNOA:4(A(B(250722:1033(R-\r\nUNH(1(PAXLST:D:05B:UN:IATA-\r\n"
                       "NAD(FL(((DOE:JANE-UNT(3(1-UNZ(1(R-")
    assert doc.interchanges[0].chars == ServiceChars(":", "(", ".", ")", " ", "-")
    assert doc.segments[2].get(3, 1) == "JANE"
    assert doc.warnings == []


def test_line_feed_as_segment_terminator() -> None:
    text = "UNA:+.?*\nUNB+UNOA:4+A+B+250814:0738+R\nUNH+1+PAXLST:D:05B:UN:IATA\nBGM+745\nUNT+3+1\nUNZ+1+R\n"
    doc = edifact.read(text)
    assert doc.interchanges[0].chars.terminator == "\n"
    assert tags(doc) == ["UNB", "UNH", "BGM", "UNT", "UNZ"]
    assert doc.warnings == []


def test_una_with_five_characters_falls_back_to_what_the_text_uses() -> None:
    doc = edifact.read("UNA:+\\*'\nUNB+IATA:1+1A+KRC+130527:0754+3'UNH+1+PNRGOV:11:1:IA'MSG+:22'UNT+3+1'UNZ+1+3'")
    assert doc.interchanges[0].chars.terminator == "'"
    assert tags(doc) == ["UNB", "UNH", "MSG", "UNT", "UNZ"]
    assert any(w.tag == "UNA" for w in doc.warnings)


def test_typographic_terminator_in_una_is_overruled_by_the_text() -> None:
    doc = edifact.read("UNA:+.\\*\u2019 UNB+IATA:1+1A+KRC+130527:0649+3'\nUNH+1+PNRGOV:11:1:IA' MSG+:22'\n"
                       "LTS+0/SQ \\*1A/E\\*'UNT+4+1'UNZ+1+3'")
    chars = doc.interchanges[0].chars
    assert chars.terminator == "'" and chars.release == "\\"
    assert doc.segments[3].get(0) == "0/SQ *1A/E*"
    assert [w.tag for w in doc.warnings] == ["UNA"]


def test_wrappers_before_and_after_are_stripped_with_warnings() -> None:
    text = ("QN GBRRMOK\r\n.YOWAAXH KL/041643\r\n" + SIMPLE + "\r\n] Size [3351]")
    doc = edifact.read(text)
    assert tags(doc) == ["UNB", "UNH", "BGM", "NAD", "UNT", "UNZ"]
    messages = [w.message for w in doc.warnings]
    assert any("before the interchange" in m and "QN GBRRMOK" in m for m in messages)
    assert any("after the interchange" in m and "Size" in m for m in messages)


def test_log_prefix_with_literal_backslash_r() -> None:
    text = ("INFO [2025] Message body [UNA:(.) -\\r\nUNB(UNOA:4(A(B(250722:1033(R-\\r\n"
            "UNH(1(PAXLST:D:05B:UN:IATA-\\r\nBGM(745-\\r\nUNT(3(1-\\r\nUNZ(1(R-\\r\n] Size [3351]")
    doc = edifact.read(text)
    assert tags(doc) == ["UNB", "UNH", "BGM", "UNT", "UNZ"]
    assert doc.interchanges[0].chars.terminator == "-"


def test_indentation_crlf_and_several_segments_per_line() -> None:
    text = "UNB+UNOA:4+A+B+250101:1200+R'\r\n    UNH+1+PAXLST'  BGM+745' NAD+FL\r\n'\r\n\tUNT+4+1'UNZ+1+R'"
    doc = edifact.read(text)
    assert tags(doc) == ["UNB", "UNH", "BGM", "NAD", "UNT", "UNZ"]
    assert doc.segments[3].get(0) == "FL"


def test_elements_leave_out_the_blanks_around_a_segment_and_keep_empty_ones() -> None:
    text = "UNB+UNOA:4+A+B+250101:1200+R'\r\n  UNH+1+PAXLST \t'\nSRC'\nDAT+'\nRCI++AV:X?'Y:: '\nUNT+5+1'UNZ+1+R'"
    _, unh, src, dat, rci, _, _ = edifact.read(text).segments
    assert unh.elements == ["1", "PAXLST"] and len(unh) == 2
    assert (src.elements, len(src), src.get(0)) == ([], 0, "")
    assert dat.elements == [""] and len(dat) == 1
    assert len(rci) == 2 and rci.get(0) == "" and rci.components(1) == ["AV", "X'Y", "", ""]
    assert unh.elements is unh.elements  # split once, on first access


def test_positions_point_at_the_segment() -> None:
    text = "UNB+UNOA:4+A+B+250101:1200+R'\nUNH+1+PAXLST'\n  BGM+745'NAD+FL'\nUNT+4+1'UNZ+1+R'"
    doc = edifact.read(text)
    bgm, nad = doc.segments[2], doc.segments[3]
    assert (bgm.index, bgm.line, bgm.column) == (2, 3, 3)
    assert (nad.index, nad.line, nad.column) == (3, 3, 11)
    diagnostic = nad.diagnostic("odd")
    assert (diagnostic.segment, diagnostic.line, diagnostic.column, diagnostic.tag) == (3, 3, 11, "NAD")


def test_several_interchanges_with_different_separators() -> None:
    second = SIMPLE.replace("UNA:+.? '", "UNA:+.?*'").replace("REF1", "REF2")
    doc = edifact.read(SIMPLE + "\n" + second.replace("+", "(").replace("UNA:(", "UNA:("))
    assert len(doc.interchanges) == 2
    assert [i.chars.element for i in doc.interchanges] == ["+", "("]
    assert len(list(doc.messages)) == 2


def test_interchange_without_unz_followed_by_another() -> None:
    first = SIMPLE.replace("UNZ+1+REF1'", "")
    doc = edifact.read(first + SIMPLE)
    assert len(doc.interchanges) == 2
    assert any("without UNZ" in w.message for w in doc.warnings)


def test_headless_fragment() -> None:
    doc = edifact.read("UNH+1+PAXLST:D:02B:UN:IATA+OK688/071008/1310+01:F'BGM+745'UNT+3+1'UNE+1+1'")
    (message,) = doc.messages
    assert doc.interchanges[0].header is None
    assert message.type == "PAXLST"


def test_several_messages_and_missing_unt() -> None:
    text = "UNB+UNOA:4+A+B+250101:1200+R'UNH+1+PAXLST'BGM+745'UNH+2+PAXLST'BGM+250'UNT+3+2'UNZ+2+R'"
    doc = edifact.read(text)
    first, second = doc.messages
    assert [s.tag for s in first.body] == ["BGM"] and first.trailer is None
    assert any("without UNT" in w.message for w in first.warnings)
    assert second.trailer is not None and second.warnings == []


def test_count_and_reference_mismatches_are_warnings() -> None:
    text = "UNB+UNOA:4+A+B+250101:1200+R'UNH+1+PAXLST'BGM+745'UNT+9+7'UNZ+5+X'"
    doc = edifact.read(text)
    (message,) = doc.messages
    assert [w.tag for w in message.warnings] == ["UNT", "UNT"]
    assert "UNT says 9" in message.warnings[0].message
    assert sorted(w.tag for w in doc.warnings) == ["UNZ", "UNZ"]


def test_truncated_message() -> None:
    doc = edifact.read("UNB+UNOA:4+A+B+250101:1200+R'UNH+1+PAXLST'BGM+745'NAD+FL+++DOE")
    (message,) = doc.messages
    assert message.body[-1].get(3) == "DOE"
    assert any("truncated" in w.message for w in message.warnings)


def test_junk_between_segments_is_reported_and_skipped() -> None:
    doc = edifact.read("UNH+1+PAXLST'BGM+745'%%%garbage'NAD+FL'UNT+4+1'")
    assert tags(doc) == ["UNH", "BGM", "NAD", "UNT"]
    assert any("garbage" in w.message for w in doc.warnings)


def test_skipped_junk_is_quoted_as_sent() -> None:
    doc = edifact.read("UNH+1+PAXLST'%%?+junk'UNT+2+1'")
    (warning,) = [w for w in doc.warnings if "not a segment" in w.message]
    assert "%%?+junk" in warning.message


@pytest.mark.parametrize("text", ["", "hello world", "\x00\x01\x02", "UNA", "UNA:+.? '"])
def test_no_edifact_is_a_clean_error(text: str) -> None:
    with pytest.raises(ParseError) as info:
        edifact.read(text)
    assert info.value.diagnostic.severity == "error"


def test_decoding_falls_back_to_latin1_with_a_warning() -> None:
    data = SIMPLE.replace("SEAN", "S\u00c9AN").encode("latin-1")
    doc = edifact.read(data)
    assert doc.segments[3].get(3, 1) == "S\u00c9AN+TEST"
    assert any("Latin-1" in w.message for w in doc.warnings)


def test_utf8_and_bom() -> None:
    doc = edifact.read(b"\xef\xbb\xbf" + SIMPLE.replace("SEAN", "S\u00c9AN").encode())
    assert doc.segments[3].get(3, 1) == "S\u00c9AN+TEST"
    assert doc.warnings == []


def test_utf16() -> None:
    doc = edifact.read(SIMPLE.encode("utf-16"))
    assert tags(doc)[:2] == ["UNB", "UNH"]


@pytest.mark.parametrize("encode", [lambda text: text.encode("utf-16"), lambda text: text.encode(), str],
                         ids=["utf-16", "utf-8", "text"])
def test_nul_characters_are_removed_however_the_text_came(encode: Callable[[str], bytes | str]) -> None:
    """PostgreSQL stores no NUL: a UTF-16 file (or text) kept them, and its load failed on PostgreSQL."""
    doc = edifact.read(encode(SIMPLE.replace("SEAN", "SE\x00AN")))
    assert doc.segments[3].get(3, 1) == "SEAN+TEST"
    assert any("NUL characters" in w.message for w in doc.warnings)


def test_text_containing_placeholder_characters_still_releases_correctly() -> None:
    text = "UNH+1+PAXLST'FTX+\U000f0000?+X'UNT+3+1'"
    doc = edifact.read(text)
    assert doc.segments[1].get(0) == "\U000f0000+X"


# ----------------------------------------------------------------------------- differential oracle: pydifact

EDIFACT_CORPUS = corpus_files("paxlst", "pnrgov")


def _normal(elements: list[list[str]]) -> list[list[str]]:
    """Blank-trimmed values without trailing empty components or elements (insignificant in ISO 9735)."""
    out = []
    for comps in elements:
        values = [c.strip() for c in comps]
        while len(values) > 1 and not values[-1]:
            values.pop()
        out.append(values)
    while out and out[-1] == [""]:
        out.pop()
    return out


def _pydifact_segments(text: str, chars: ServiceChars) -> list[tuple[str, list[list[str]]]]:
    characters = Characters(chars.component, chars.element, chars.decimal, chars.release, chars.repetition,
                            chars.terminator)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydifact warns about its own missing directory data
        parsed = list(Parser().parse(text, characters=characters))
    for seg in parsed:
        elements = [[e] if isinstance(e, str) else list(e) for e in seg.elements]
        out.append((seg.tag.strip(), _normal(elements)))
    return out


def test_same_segments_as_pydifact(corpus) -> None:  # type: ignore[no-untyped-def]
    """On every corpus interchange pydifact can read, we read exactly the same segments."""
    compared, unreadable = 0, []
    for name in EDIFACT_CORPUS:
        doc = edifact.read((corpus / name).read_bytes())
        for interchange in doc.interchanges:
            body = doc.source.text[interchange.segments[0].offset : interchange.end]
            try:
                theirs = _pydifact_segments(body, interchange.chars)
            except Exception:
                unreadable.append(name)
                continue
            ours = [(s.tag, _normal(s.composite())) for s in interchange.segments]
            assert ours == theirs, name
            compared += 1
    assert compared >= 15, f"pydifact read only {compared} interchanges; unreadable: {unreadable}"
