"""Reading, validating and writing watchlist files (CSV and Excel), hostile files included."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from gtas.model.watchlist import WatchlistSeverity
from gtas.rules import watchlist_file
from gtas.rules.watchlist_file import DocumentRow, EntryRow, RowError, read_watchlist_file, write_watchlist_file

TODAY = date(2026, 11, 23)
HEADER = ",".join(watchlist_file.COLUMNS)


def _csv(tmp_path: Path, *lines: str, header: str = HEADER, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _errors(path: Path, **options: Any) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.reason) for e in read_watchlist_file(path, today=TODAY, **options).errors]


def test_a_full_row_is_normalised(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'WL-1,,Al-Rashid,Omar  Khalid,"Abu Omar; O. Rashid;Abu Omar",12/03/1980;1981,male,'
                          'iq;Syria,passport;I,A1234567;x-99,IRQ,Terrorism,High,seen in 2024')
    result = read_watchlist_file(path, today=TODAY)
    assert result.errors == []
    assert result.rows == [EntryRow(
        reference="WL-1", surname="Al-Rashid", given_names="Omar Khalid", aliases=("Abu Omar", "O. Rashid"),
        dates_of_birth=("1980-03-12", "1981"), gender="M", nationalities=("IRQ", "SYR"),
        documents=(DocumentRow("A1234567", "P", "IRQ"), DocumentRow("x-99", "I", "IRQ")),
        category="terrorism", severity=WatchlistSeverity.HIGH, notes="seen in 2024")]
    assert result.rows[0].row == 2


def test_document_only_entries_and_optional_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path, "LOST-1,P,X1234567,FRA", header="reference,document_type,document_number,document_country")
    assert read_watchlist_file(path).rows == [EntryRow("LOST-1", documents=(DocumentRow("X1234567", "P", "FRA"),))]


@pytest.mark.parametrize(("line", "error"), [
    ("R1,John Smith,,,,1980-13-01,,,,,,,,", (2, "date_of_birth", "no month 13 in '1980-13-01'")),
    ("R1,John Smith,,,,,,Atlantis,,,,,,", (2, "nationality", "unknown country: 'Atlantis'")),
    ("R1,,,,,,,,P,X1,ZZZ,,,", (2, "document_country", "unknown country: 'ZZZ'")),
    ("R1,,,,,,,,library card,X1,,,,", (2, "document_type", "unknown document type: 'library card'")),
    ("R1,John Smith,,,,,maybe,,,,,,,", (2, "gender", "unknown gender: 'maybe'")),
    ("R1,,,,Abu Omar,1980,M,FRA,,,,,,", (2, "full_name", "neither a name nor a document")),
    (",John Smith,,,,,,,,,,,,", (2, "reference", "missing reference")),
    ("R1,,,John,,,,,,X1,,,,", (2, "given_names", "given names without a surname")),
    ("R1,John Smith,,,,,,,,,,#1 spying!,,", (2, "category", "not a category")),
    ("R1,John Smith,,,,,,,,,,,urgent,", (2, "severity", "unknown severity")),
    ("R1,John Smith,,,,,,,P,,FRA,,,", (2, "document_number", "a document type or country without a number")),
    ("R1,John Smith,,,,,,,P;I;V,X1;X2,,,,", (2, "document_type", "3 values for 2 document numbers")),
    ("R1,,,,,,,,,--/--,,,,", (2, "document_number", "a document number needs letters or digits")),
    ("R1,,,,,,,,,X" + "1" * 40 + ",,,,", (2, "document_number", "longer than 35 characters")),
    ("R1," + "A" * 201 + ",,,,,,,,,,,,", (2, "full_name", "longer than 200 characters")),
    ("R1,John\x1b[2J Smith,,,,,,,,,,,,", (2, "full_name", "contains control characters")),
    ("R1,John Smith,,,,,M;F,,,,,,,", (2, "gender", "one gender only")),
])
def test_each_kind_of_row_error(tmp_path: Path, line: str, error: tuple[int, str, str]) -> None:
    errors = _errors(_csv(tmp_path, line))
    assert len(errors) == 1
    row, column, reason = errors[0]
    assert (row, column) == error[:2] and reason.startswith(error[2]), errors


def test_line_breaks_inside_a_cell_are_white_space(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'R1,John Smith,,,,,,,,,,,,"first line\nsecond\tline"')
    assert read_watchlist_file(path).rows == [EntryRow("R1", "John Smith", notes="first line second line")]


def test_duplicate_references_name_the_first_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "R1,John Smith" + "," * 12, "R2,Jane Doe" + "," * 12, "R1,John Smyth" + "," * 12)
    result = read_watchlist_file(path)
    assert [row.reference for row in result.rows] == ["R1", "R2"]
    assert result.errors == [RowError(4, "reference", "duplicate reference, first on row 2", "R1")]


def test_every_bad_row_is_reported_with_its_row_number(tmp_path: Path) -> None:
    path = _csv(tmp_path, "R1,John Smith" + "," * 12, "R2,,,,,1980-02-31" + "," * 8, "R3,,,,,,,XX" + "," * 6)
    assert [(row, column) for row, column, _ in _errors(path)] == [(3, "date_of_birth"), (3, "full_name"),
                                                                  (4, "nationality"), (4, "full_name")]


@pytest.mark.parametrize(("header", "error"), [
    ("reference,full_name,surnmae", (1, "surnmae", "unknown column")),
    ("full_name,surname", (1, "reference", "missing column")),
    ("reference,notes", (1, "full_name", "missing column: give full_name, surname or document_number")),
    ("reference,full_name,full_name", (1, "full_name", "the column appears twice")),
])
def test_header_errors(tmp_path: Path, header: str, error: tuple[int, str, str]) -> None:
    errors = _errors(_csv(tmp_path, ",".join(["R1"] * (header.count(",") + 1)), header=header))
    assert len(errors) == 1 and errors[0][:2] == error[:2] and errors[0][2].startswith(error[2])


def test_a_file_without_entries_is_refused(tmp_path: Path) -> None:
    assert _errors(_csv(tmp_path)) == [(1, "", "the file has no entries (an import replaces the whole list)")]


def test_empty_unnamed_columns_are_ignored(tmp_path: Path) -> None:
    path = _csv(tmp_path, "R1,John Smith,,", header="reference,full_name,,")
    assert read_watchlist_file(path).rows == [EntryRow("R1", "John Smith")]
    named = _csv(tmp_path, "R1,John Smith,x", header="reference,full_name,", name="named.csv")
    assert _errors(named)[0][:2] == (1, "")


def test_semicolon_separated_csv_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffreference;full_name;nationality\nR1;Zoë Ångström;SE\n".encode())
    assert read_watchlist_file(path).rows == [EntryRow("R1", "Zoë Ångström", nationalities=("SWE",))]


def test_wrong_encoding_is_a_clear_error_and_the_right_one_reads(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("reference,full_name\nR1,Zoë Müller\n".encode("cp1252"))
    assert _errors(path)[0][2].startswith("not utf-8 text (byte 0xeb at offset 25)")
    assert read_watchlist_file(path, encoding="cp1252").rows == [EntryRow("R1", "Zoë Müller")]
    assert _errors(path, encoding="klingon")[0][2] == "unknown encoding klingon"


@pytest.mark.parametrize(("content", "reason"), [
    (b"reference,full_name\nR1,A\x00B\n", "not a text file (it contains NUL bytes)"),
    (b"", "the file is empty"),
    (b'reference,full_name\nR1,"John\n', "not a valid CSV file"),
    (b"reference,full_name\nR1,John,Smith,extra\n", "not a valid CSV file"),
])
def test_broken_csv_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    errors = _errors(path)
    assert len(errors) == 1 and errors[0][:2] == (1, "") and errors[0][2].startswith(reason), errors


def test_size_and_row_limits(tmp_path: Path) -> None:
    path = _csv(tmp_path, *(f"R{i},Person {i}" + "," * 12 for i in range(20)))
    assert _errors(path, max_bytes=100)[0][2].startswith("file too large:")
    assert _errors(path, max_rows=10) == [(1, "", "too many rows: more than 10")]
    assert len(read_watchlist_file(path, max_rows=20).rows) == 20


def test_unsupported_and_fake_excel_files(tmp_path: Path) -> None:
    (tmp_path / "list.pdf").write_bytes(b"%PDF")
    (tmp_path / "fake.xlsx").write_bytes(b"reference,full_name\n")
    assert _errors(tmp_path / "list.pdf") == [(1, "", "unsupported file type .pdf: use .csv or .xlsx")]
    assert _errors(tmp_path / "fake.xlsx") == [(1, "", "not an Excel .xlsx file")]


def test_a_workbook_that_unpacks_too_large_is_not_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "list.xlsx"
    write_watchlist_file(path, [EntryRow("R1", "John Smith")])
    monkeypatch.setattr(watchlist_file, "MAX_EXCEL_UNPACKED_BYTES", 1000)
    assert _errors(path)[0][2].startswith("the workbook unpacks to ")


ROWS = [
    EntryRow("R1", "=HYPERLINK(\"http://evil\",\"x\")", notes="+1 call"),
    EntryRow("R2", surname="-Smith", given_names="@John", aliases=("=cmd|' /C calc'!A0",),
             documents=(DocumentRow("X1", "P", "FRA"), DocumentRow("Y2", "", "DEU"))),
    EntryRow("R3", "Zoë O'Brien", dates_of_birth=("1980", "1980-03-12"), gender="F", nationalities=("IRL", "GBR"),
             category="narcotics", severity=WatchlistSeverity.CRITICAL, notes="'quoted' note"),
]


def test_csv_export_neutralises_formulas_and_reads_back_identically(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_watchlist_file(path, ROWS)
    cells = [cell for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells and "'-Smith" in cells and "'@John" in cells
    result = read_watchlist_file(path)
    assert result.errors == [] and result.rows == ROWS


def test_excel_export_has_no_formula_cells_and_reads_back_identically(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_watchlist_file(path, ROWS)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert not [cell.value for cell in cells if str(cell.value).startswith(("=", "+", "-", "@"))]
    result = read_watchlist_file(path)
    assert result.errors == [] and result.rows == ROWS


def test_excel_dates_and_numbers_typed_by_people(tmp_path: Path) -> None:
    path = tmp_path / "typed.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["reference", "full_name", "date_of_birth", "document_number"])
    sheet.append([1001, "John Smith", date(1980, 3, 12), 123456789])
    sheet.append([1002, "Jane Doe", 1975, None])
    workbook.save(path)
    result = read_watchlist_file(path, today=TODAY)
    assert result.errors == []
    assert result.rows == [
        EntryRow("1001", "John Smith", dates_of_birth=("1980-03-12",), documents=(DocumentRow("123456789"),)),
        EntryRow("1002", "Jane Doe", dates_of_birth=("1975",))]


def test_writing_an_unknown_file_type_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unsupported file type \.json"):
        write_watchlist_file(tmp_path / "out.json", ROWS)
